"""The parse tree of a template (Go's ``text/template/parse`` nodes).

Each node knows its byte position in the template text (for ``get:LINE:COL`` in errors) and
prints itself as Go's ``Node.String()`` does, which is what an execution error shows between
``<`` and ``>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..strconv import quote

__all__ = [
    "ActionNode",
    "BoolNode",
    "BranchNode",
    "BreakNode",
    "ChainNode",
    "CommandNode",
    "CommentNode",
    "ContinueNode",
    "DotNode",
    "FieldNode",
    "IdentifierNode",
    "IfNode",
    "ListNode",
    "NilNode",
    "Node",
    "NumberNode",
    "PipeNode",
    "RangeNode",
    "StringNode",
    "TemplateNode",
    "TextNode",
    "Tree",
    "VariableNode",
    "WithNode",
]


@dataclass(eq=False)
class Tree:
    """One parsed template: its name, the text it came from, and its body."""

    name: str
    parse_name: str
    text: str
    root: ListNode | None = None
    left_delim: str = "{{"
    right_delim: str = "}}"


class Node:
    """Base of every node: ``pos`` is the offset in the template text (in characters)."""

    __slots__ = ("pos", "tree")

    def __init__(self, pos: int, tree: Tree | None) -> None:
        self.pos = pos
        self.tree = tree

    def write(self, out: list[str]) -> None:
        raise NotImplementedError

    def __str__(self) -> str:
        out: list[str] = []
        self.write(out)
        return "".join(out)

    def _delims(self) -> tuple[str, str]:
        if self.tree is None:
            return "{{", "}}"
        return self.tree.left_delim, self.tree.right_delim


class ListNode(Node):
    __slots__ = ("nodes",)

    def __init__(self, pos: int, tree: Tree | None, nodes: list[Node] | None = None) -> None:
        super().__init__(pos, tree)
        self.nodes: list[Node] = nodes if nodes is not None else []

    def write(self, out: list[str]) -> None:
        for node in self.nodes:
            node.write(out)


class TextNode(Node):
    __slots__ = ("text",)
    # Go's tests print text quoted (its package variable textFormat); so can calicopy's.
    quoted = False

    def __init__(self, pos: int, tree: Tree | None, text: str) -> None:
        super().__init__(pos, tree)
        self.text = text

    def write(self, out: list[str]) -> None:
        out.append(quote(self.text) if self.quoted else self.text)


class CommentNode(Node):
    __slots__ = ("text",)

    def __init__(self, pos: int, tree: Tree | None, text: str) -> None:
        super().__init__(pos, tree)
        self.text = text

    def write(self, out: list[str]) -> None:
        left, right = self._delims()
        out.extend((left, self.text, right))


class PipeNode(Node):
    __slots__ = ("cmds", "decl", "is_assign")

    def __init__(self, pos: int, tree: Tree | None) -> None:
        super().__init__(pos, tree)
        self.is_assign = False
        self.decl: list[VariableNode] = []
        self.cmds: list[CommandNode] = []

    def write(self, out: list[str]) -> None:
        if self.decl:
            for i, variable in enumerate(self.decl):
                if i:
                    out.append(", ")
                variable.write(out)
            out.append(" = " if self.is_assign else " := ")
        for i, cmd in enumerate(self.cmds):
            if i:
                out.append(" | ")
            cmd.write(out)


class ActionNode(Node):
    __slots__ = ("pipe",)

    def __init__(self, pos: int, tree: Tree | None, pipe: PipeNode) -> None:
        super().__init__(pos, tree)
        self.pipe = pipe

    def write(self, out: list[str]) -> None:
        left, right = self._delims()
        out.append(left)
        self.pipe.write(out)
        out.append(right)


class CommandNode(Node):
    __slots__ = ("args",)

    def __init__(self, pos: int, tree: Tree | None, args: list[Node] | None = None) -> None:
        super().__init__(pos, tree)
        self.args: list[Node] = args if args is not None else []

    def write(self, out: list[str]) -> None:
        for i, arg in enumerate(self.args):
            if i:
                out.append(" ")
            if isinstance(arg, PipeNode):
                out.append("(")
                arg.write(out)
                out.append(")")
            else:
                arg.write(out)


class IdentifierNode(Node):
    __slots__ = ("ident",)

    def __init__(self, pos: int, tree: Tree | None, ident: str) -> None:
        super().__init__(pos, tree)
        self.ident = ident

    def write(self, out: list[str]) -> None:
        out.append(self.ident)


class VariableNode(Node):
    """``$x`` or ``$x.Field.Field``: ``ident[0]`` is the variable (with its ``$``)."""

    __slots__ = ("ident",)

    def __init__(self, pos: int, tree: Tree | None, ident: str) -> None:
        super().__init__(pos, tree)
        self.ident = ident.split(".")

    def write(self, out: list[str]) -> None:
        out.append(".".join(self.ident))


class DotNode(Node):
    __slots__ = ()

    def write(self, out: list[str]) -> None:
        out.append(".")


class NilNode(Node):
    __slots__ = ()

    def write(self, out: list[str]) -> None:
        out.append("nil")


class FieldNode(Node):
    """``.A.B``: ``ident`` is ``["A", "B"]``."""

    __slots__ = ("ident",)

    def __init__(self, pos: int, tree: Tree | None, ident: str) -> None:
        super().__init__(pos, tree)
        self.ident = ident[1:].split(".")

    def write(self, out: list[str]) -> None:
        for ident in self.ident:
            out.append("." + ident)


class ChainNode(Node):
    """A term followed by fields: ``(pipeline).A.B`` or ``func.A``."""

    __slots__ = ("field", "node")

    def __init__(self, pos: int, tree: Tree | None, node: Node) -> None:
        super().__init__(pos, tree)
        self.node = node
        self.field: list[str] = []

    def add(self, name: str) -> None:
        self.field.append(name[1:])

    def write(self, out: list[str]) -> None:
        if isinstance(self.node, PipeNode):
            out.append("(")
            self.node.write(out)
            out.append(")")
        else:
            self.node.write(out)
        for name in self.field:
            out.append("." + name)


class BoolNode(Node):
    __slots__ = ("true",)

    def __init__(self, pos: int, tree: Tree | None, true: bool) -> None:
        super().__init__(pos, tree)
        self.true = true

    def write(self, out: list[str]) -> None:
        out.append("true" if self.true else "false")


@dataclass(eq=False)
class _Number:
    """What a numeric constant can be, as Go's ``NumberNode`` records it."""

    is_int: bool = False
    is_uint: bool = False
    is_float: bool = False
    is_complex: bool = False
    int64: int = 0
    uint64: int = 0
    float64: float = 0.0
    complex128: complex = field(default=0j)


class NumberNode(Node):
    __slots__ = ("num", "text")

    def __init__(self, pos: int, tree: Tree | None, text: str, num: _Number) -> None:
        super().__init__(pos, tree)
        self.text = text
        self.num = num

    def write(self, out: list[str]) -> None:
        out.append(self.text)


class StringNode(Node):
    __slots__ = ("quoted", "text")

    def __init__(self, pos: int, tree: Tree | None, quoted: str, text: str) -> None:
        super().__init__(pos, tree)
        self.quoted = quoted
        self.text = text

    def write(self, out: list[str]) -> None:
        out.append(self.quoted)


class EndNode(Node):
    """``{{end}}``: ends a list while parsing; never in a finished tree."""

    __slots__ = ()

    def write(self, out: list[str]) -> None:
        left, right = self._delims()
        out.extend((left, "end", right))


class ElseNode(Node):
    """``{{else}}``: ends a list while parsing; never in a finished tree."""

    __slots__ = ()

    def write(self, out: list[str]) -> None:
        left, right = self._delims()
        out.extend((left, "else", right))


class BranchNode(Node):
    """``if``, ``range`` and ``with``: a pipeline, a body and an optional ``else`` body."""

    __slots__ = ("else_list", "list", "pipe")
    keyword = ""

    def __init__(self, pos: int, tree: Tree | None, pipe: PipeNode, body: ListNode, else_list: ListNode | None) -> None:
        super().__init__(pos, tree)
        self.pipe = pipe
        self.list = body
        self.else_list = else_list

    def write(self, out: list[str]) -> None:
        left, right = self._delims()
        out.extend((left, self.keyword, " "))
        self.pipe.write(out)
        out.append(right)
        self.list.write(out)
        if self.else_list is not None:
            out.extend((left, "else", right))
            self.else_list.write(out)
        out.extend((left, "end", right))


class IfNode(BranchNode):
    __slots__ = ()
    keyword = "if"


class RangeNode(BranchNode):
    __slots__ = ()
    keyword = "range"


class WithNode(BranchNode):
    __slots__ = ()
    keyword = "with"


class BreakNode(Node):
    __slots__ = ()

    def write(self, out: list[str]) -> None:
        left, right = self._delims()
        out.extend((left, "break", right))


class ContinueNode(Node):
    __slots__ = ()

    def write(self, out: list[str]) -> None:
        left, right = self._delims()
        out.extend((left, "continue", right))


class TemplateNode(Node):
    """``{{template "name" pipeline}}`` (also what ``{{block}}`` leaves in place)."""

    __slots__ = ("name", "pipe")

    def __init__(self, pos: int, tree: Tree | None, name: str, pipe: PipeNode | None) -> None:
        super().__init__(pos, tree)
        self.name = name
        self.pipe = pipe

    def write(self, out: list[str]) -> None:
        left, right = self._delims()
        out.extend((left, "template ", quote(self.name)))
        if self.pipe is not None:
            out.append(" ")
            self.pipe.write(out)
        out.append(right)
