"""The template parser: Go's ``text/template/parse`` grammar and its error messages.

``parse_templates(name, text, funcs)`` returns every template the text defines (the top-level
one under ``name``, plus each ``{{define}}`` and ``{{block}}``).  A syntax error raises
:class:`GoTemplateError` worded as Go's, e.g. ``template: get:1: function "foo" not defined``
or ``template: get:3: unexpected EOF``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from ..strconv import quote
from . import lex
from .errors import GoTemplateError
from .lex import Item, Lexer
from .literals import LiteralError, parse_number, unquote
from .nodes import (
    ActionNode,
    BoolNode,
    BranchNode,
    BreakNode,
    ChainNode,
    CommandNode,
    CommentNode,
    ContinueNode,
    DotNode,
    ElseNode,
    EndNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    RangeNode,
    StringNode,
    TemplateNode,
    TextNode,
    Tree,
    VariableNode,
    WithNode,
)

__all__ = ["MAX_NESTING", "is_empty_tree", "parse_templates"]

# Go allows 10,000 nested parentheses; Python's stack allows far fewer frames, so calicopy stops
# earlier (with Go's message) rather than overflow.
MAX_NESTING = 100
_MAX_PIPELINE_COMMANDS = 100_000

_OPERAND_STARTS = frozenset(
    {
        lex.BOOL,
        lex.CHAR_CONSTANT,
        lex.COMPLEX,
        "dot",
        lex.FIELD,
        lex.IDENTIFIER,
        lex.NUMBER,
        "nil",
        lex.RAW_STRING,
        lex.STRING,
        lex.VARIABLE,
        lex.LEFT_PAREN,
    }
)


class _Stop(Exception):
    """Unwinds the parser to ``parse_templates`` with the error already worded."""


class _Parser:
    """One template being parsed; ``{{define}}`` and ``{{block}}`` bodies get their own parser
    sharing the lexer and the set of trees."""

    def __init__(
        self, name: str, parse_name: str, text: str, lexer: Lexer, funcs: Collection[str], trees: dict[str, Tree]
    ) -> None:
        self.tree = Tree(name, parse_name, text)
        self.lexer = lexer
        self.funcs = funcs
        self.trees = trees
        self.token: list[Item] = [Item(lex.EOF, 0, ""), Item(lex.EOF, 0, ""), Item(lex.EOF, 0, "")]
        self.peek_count = 0
        self.vars = ["$"]
        self.action_line = 0
        self.range_depth = 0
        self.nesting = 0
        self._newlines: list[int] | None = None

    # -- tokens ----------------------------------------------------------------------------

    def next(self) -> Item:
        if self.peek_count > 0:
            self.peek_count -= 1
        else:
            self.token[0] = self.lexer.next_item()
        return self.token[self.peek_count]

    def backup(self) -> None:
        self.peek_count += 1

    def backup2(self, t1: Item) -> None:
        self.token[1] = t1
        self.peek_count = 2

    def backup3(self, t2: Item, t1: Item) -> None:
        self.token[1] = t1
        self.token[2] = t2
        self.peek_count = 3

    def peek(self) -> Item:
        if self.peek_count > 0:
            return self.token[self.peek_count - 1]
        self.peek_count = 1
        self.token[0] = self.lexer.next_item()
        return self.token[0]

    def next_non_space(self) -> Item:
        while True:
            token = self.next()
            if token.typ != lex.SPACE:
                return token

    def peek_non_space(self) -> Item:
        token = self.next_non_space()
        self.backup()
        return token

    # -- errors ----------------------------------------------------------------------------

    def line_of(self, pos: int) -> int:
        return 1 + self.tree.text.count("\n", 0, pos)

    def errorf(self, message: str) -> None:
        line = self.line_of(self.token[0].pos)
        raise GoTemplateError(
            f"template: {self.tree.parse_name}:{line}: {message}",
            template=self.tree.parse_name,
            phase="parse",
            line=line,
            reason=message,
        )

    def expect(self, expected: str, context: str) -> Item:
        token = self.next_non_space()
        if token.typ != expected:
            self.unexpected(token, context)
        return token

    def unexpected(self, token: Item, context: str) -> None:
        if token.typ == lex.ERROR:
            extra = ""
            token_line = self.line_of(token.pos)
            if self.action_line and self.action_line != token_line:
                extra = f" in action started at {self.tree.parse_name}:{self.action_line}"
                if token.val.endswith(" action"):
                    extra = extra[len(" in action") :]
            self.errorf(f"{token}{extra}")
        self.errorf(f"unexpected {token} in {context}")

    # -- the grammar -----------------------------------------------------------------------

    def parse(self) -> None:
        """The top level: text and actions up to EOF, with ``{{define}}`` allowed."""
        root = ListNode(self.peek().pos, self.tree)
        self.tree.root = root
        while self.peek().typ != lex.EOF:
            if self.peek().typ == lex.LEFT_DELIM:
                delim = self.next()
                if self.next_non_space().typ == "define":
                    definition = _Parser(
                        "definition", self.tree.parse_name, self.tree.text, self.lexer, self.funcs, self.trees
                    )
                    definition.parse_definition()
                    continue
                self.backup2(delim)
            node = self.text_or_action()
            if isinstance(node, (EndNode, ElseNode)):
                self.errorf(f"unexpected {node}")
            root.nodes.append(node)

    def parse_definition(self) -> None:
        context = "define clause"
        token = self.next_non_space()
        if token.typ not in (lex.STRING, lex.RAW_STRING):
            self.unexpected(token, context)
        try:
            self.tree.name = unquote(token.val)
        except LiteralError as exc:
            self.errorf(str(exc))
        self.expect(lex.RIGHT_DELIM, context)
        root, end = self.item_list()
        self.tree.root = root
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")
        self.add()

    def add(self) -> None:
        existing = self.trees.get(self.tree.name)
        if existing is None or is_empty_tree(existing.root):
            self.trees[self.tree.name] = self.tree
            return
        if not is_empty_tree(self.tree.root):
            self.errorf(f"template: multiple definition of template {quote(self.tree.name)}")

    def item_list(self) -> tuple[ListNode, Node]:
        body = ListNode(self.peek_non_space().pos, self.tree)
        while self.peek_non_space().typ != lex.EOF:
            node = self.text_or_action()
            if isinstance(node, (EndNode, ElseNode)):
                return body, node
            body.nodes.append(node)
        self.errorf("unexpected EOF")
        raise AssertionError("unreachable")

    def text_or_action(self) -> Node:
        token = self.next_non_space()
        if token.typ == lex.TEXT:
            return TextNode(token.pos, self.tree, token.val)
        if token.typ == lex.LEFT_DELIM:
            self.action_line = self.line_of(token.pos)
            try:
                return self.action()
            finally:
                self.action_line = 0
        if token.typ == lex.COMMENT:
            return CommentNode(token.pos, self.tree, token.val)
        self.unexpected(token, "input")
        raise AssertionError("unreachable")

    def action(self) -> Node:
        token = self.next_non_space()
        handler: Callable[[], Node] | None = {
            "block": self.block_control,
            "else": self.else_control,
            "end": self.end_control,
            "if": lambda: self.branch_control(IfNode, "if"),
            "range": lambda: self.branch_control(RangeNode, "range"),
            "template": self.template_control,
            "with": lambda: self.branch_control(WithNode, "with"),
        }.get(token.typ)
        if handler is not None:
            return handler()
        if token.typ in ("break", "continue"):
            return self.loop_control(token)
        self.backup()
        start = self.peek()
        return ActionNode(start.pos, self.tree, self.pipeline("command", lex.RIGHT_DELIM))

    def loop_control(self, keyword: Item) -> Node:
        following = self.next_non_space()
        if following.typ != lex.RIGHT_DELIM:
            self.unexpected(following, f"{{{{{keyword.typ}}}}}")
        if self.range_depth == 0:
            self.errorf(f"{{{{{keyword.typ}}}}} outside {{{{range}}}}")
        return (BreakNode if keyword.typ == "break" else ContinueNode)(keyword.pos, self.tree)

    def pipeline(self, context: str, end: str) -> PipeNode:
        pipe = PipeNode(self.peek_non_space().pos, self.tree)
        self._declarations(pipe, context)
        while True:
            token = self.next_non_space()
            if token.typ == end:
                self.check_pipeline(pipe, context)
                return pipe
            if token.typ in _OPERAND_STARTS:
                self.backup()
                pipe.cmds.append(self.command())
                if len(pipe.cmds) > _MAX_PIPELINE_COMMANDS:
                    self.errorf("pipeline too long")
            else:
                self.unexpected(token, context)

    def _declarations(self, pipe: PipeNode, context: str) -> None:
        while True:
            variable = self.peek_non_space()
            if variable.typ != lex.VARIABLE:
                return
            self.next()
            # "$x foo" (an argument) or "$x := foo" (a declaration): look past the space.
            after_variable = self.peek()
            following = self.peek_non_space()
            if following.typ in (lex.ASSIGN, lex.DECLARE):
                pipe.is_assign = following.typ == lex.ASSIGN
                self.next_non_space()
                pipe.decl.append(VariableNode(variable.pos, self.tree, variable.val))
                self.vars.append(variable.val)
                return
            if following.typ == lex.CHAR and following.val == ",":
                self.next_non_space()
                pipe.decl.append(VariableNode(variable.pos, self.tree, variable.val))
                self.vars.append(variable.val)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().typ in (lex.VARIABLE, lex.RIGHT_DELIM, lex.RIGHT_PAREN):
                        continue
                    self.errorf("range can only initialize variables")
                self.errorf(f"too many declarations in {context}")
            if after_variable.typ == lex.SPACE:
                self.backup3(variable, after_variable)
            else:
                self.backup2(variable)
            return

    def check_pipeline(self, pipe: PipeNode, context: str) -> None:
        if not pipe.cmds:
            self.errorf(f"missing value for {context}")
        for i, cmd in enumerate(pipe.cmds[1:]):
            if isinstance(cmd.args[0], (BoolNode, DotNode, NilNode, NumberNode, StringNode)):
                self.errorf(f"non executable command in pipeline stage {i + 2}")

    def branch_control(self, kind: type[BranchNode], context: str) -> Node:
        self._nest()
        mark = len(self.vars)
        try:
            pipe = self.pipeline(context, lex.RIGHT_DELIM)
            if context == "range":
                self.range_depth += 1
            body, following = self.item_list()
            if context == "range":
                self.range_depth -= 1
            else_list: ListNode | None = None
            if isinstance(following, ElseNode):
                # "{{else if x}}" and "{{else with x}}" nest a new branch that shares our {{end}}.
                if context in ("if", "with") and self.peek().typ == context:
                    self.next()
                    else_list = ListNode(following.pos, self.tree)
                    else_list.nodes.append(self.branch_control(kind, context))
                else:
                    else_list, following = self.item_list()
                    if not isinstance(following, EndNode):
                        self.errorf(f"expected end; found {following}")
            return kind(pipe.pos, self.tree, pipe, body, else_list)
        finally:
            del self.vars[mark:]
            self.nesting -= 1

    def end_control(self) -> Node:
        return EndNode(self.expect(lex.RIGHT_DELIM, "end").pos, self.tree)

    def else_control(self) -> Node:
        following = self.peek_non_space()
        if following.typ in ("if", "with"):
            return ElseNode(following.pos, self.tree)
        return ElseNode(self.expect(lex.RIGHT_DELIM, "else").pos, self.tree)

    def block_control(self) -> Node:
        context = "block clause"
        token = self.next_non_space()
        name = self.template_name(token, context)
        pipe = self.pipeline(context, lex.RIGHT_DELIM)
        block = _Parser(name, self.tree.parse_name, self.tree.text, self.lexer, self.funcs, self.trees)
        block.nesting = self.nesting
        root, end = block.item_list()
        block.tree.root = root
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")
        block.add()
        return TemplateNode(token.pos, self.tree, name, pipe)

    def template_control(self) -> Node:
        context = "template clause"
        token = self.next_non_space()
        name = self.template_name(token, context)
        pipe: PipeNode | None = None
        if self.next_non_space().typ != lex.RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, lex.RIGHT_DELIM)
        return TemplateNode(token.pos, self.tree, name, pipe)

    def template_name(self, token: Item, context: str) -> str:
        if token.typ not in (lex.STRING, lex.RAW_STRING):
            self.unexpected(token, context)
        try:
            return unquote(token.val)
        except LiteralError as exc:
            self.errorf(str(exc))
            raise AssertionError("unreachable") from None

    def command(self) -> CommandNode:
        cmd = CommandNode(self.peek_non_space().pos, self.tree)
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                cmd.args.append(operand)
            token = self.next()
            if token.typ == lex.SPACE:
                continue
            if token.typ in (lex.RIGHT_DELIM, lex.RIGHT_PAREN):
                self.backup()
            elif token.typ != lex.PIPE:
                self.unexpected(token, "operand")
            break
        if not cmd.args:
            self.errorf("empty command")
        return cmd

    def operand(self) -> Node | None:
        node = self.term()
        if node is None:
            return None
        if self.peek().typ == lex.FIELD:
            chain = ChainNode(self.peek().pos, self.tree, node)
            while self.peek().typ == lex.FIELD:
                chain.add(self.next().val)
            if isinstance(node, FieldNode):
                return FieldNode(chain.pos, self.tree, str(chain))
            if isinstance(node, VariableNode):
                return VariableNode(chain.pos, self.tree, str(chain))
            if isinstance(node, (BoolNode, StringNode, NumberNode, NilNode, DotNode)):
                self.errorf(f"unexpected . after term {quote(str(node))}")
            return chain
        return node

    def term(self) -> Node | None:
        token = self.next_non_space()
        typ = token.typ
        if typ == lex.IDENTIFIER:
            if token.val not in self.funcs:
                self.errorf(f"function {quote(token.val)} not defined")
            return IdentifierNode(token.pos, self.tree, token.val)
        if typ == "dot":
            return DotNode(token.pos, self.tree)
        if typ == "nil":
            return NilNode(token.pos, self.tree)
        if typ == lex.VARIABLE:
            return self.use_var(token.pos, token.val)
        if typ == lex.FIELD:
            return FieldNode(token.pos, self.tree, token.val)
        if typ == lex.BOOL:
            return BoolNode(token.pos, self.tree, token.val == "true")
        if typ in (lex.CHAR_CONSTANT, lex.COMPLEX, lex.NUMBER):
            try:
                return NumberNode(token.pos, self.tree, token.val, parse_number(token.val, typ))
            except LiteralError as exc:
                self.errorf(str(exc))
        if typ == lex.LEFT_PAREN:
            self._nest()
            try:
                return self.pipeline("parenthesized pipeline", lex.RIGHT_PAREN)
            finally:
                self.nesting -= 1
        if typ in (lex.STRING, lex.RAW_STRING):
            try:
                return StringNode(token.pos, self.tree, token.val, unquote(token.val))
            except LiteralError as exc:
                self.errorf(str(exc))
        self.backup()
        return None

    def _nest(self) -> None:
        if self.nesting >= MAX_NESTING:
            self.errorf("max expression depth exceeded")
        self.nesting += 1

    def use_var(self, pos: int, name: str) -> Node:
        variable = VariableNode(pos, self.tree, name)
        if variable.ident[0] not in self.vars:
            self.errorf(f"undefined variable {quote(variable.ident[0])}")
        return variable


def is_empty_tree(node: Node | None) -> bool:
    """Whether a template body holds nothing but white space and comments (it may be redefined)."""
    if node is None or isinstance(node, CommentNode):
        return True
    if isinstance(node, ListNode):
        return all(is_empty_tree(n) for n in node.nodes)
    if isinstance(node, TextNode):
        return not node.text.strip(_GO_SPACE)
    return False


# unicode.IsSpace (Python's str.isspace also counts U+001C..U+001F, which Go does not).
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def parse_templates(name: str, text: str, funcs: Collection[str]) -> dict[str, Tree]:
    """Every template ``text`` defines, by name; ``funcs`` are the function names it may call."""
    trees: dict[str, Tree] = {}
    lexer = Lexer(text, break_ok="break" not in funcs, continue_ok="continue" not in funcs)
    parser = _Parser(name, name, text, lexer, funcs, trees)
    try:
        parser.parse()
        parser.add()
    except RecursionError:
        raise GoTemplateError(
            f"template: {name}:1: max expression depth exceeded",
            template=name,
            phase="parse",
            line=1,
            reason="max expression depth exceeded",
        ) from None
    return trees
