"""Executing a parsed template: Go's ``text/template`` evaluation rules and error texts.

The executor walks the tree with ``dot`` (the current value) and a stack of ``$`` variables,
evaluates pipelines left to right (each command's result is the next one's last argument),
looks fields up on structs and keys up on maps, calls functions with Go's argument checks,
and prints values with ``fmt``'s ``%v``.  A failure raises :class:`GoTemplateError` worded
as Go's: ``template: get:1:10: executing "get" at <.Foo>: can't evaluate field Foo in type
*v3.IPPool``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..fmt import go_kind, go_type_name, sprint, sprintf
from ..strconv import quote
from .errors import GoTemplateError
from .funcs import TYPE_NAMES as _TYPE_NAMES
from .funcs import assignable as _assignable
from .funcs import indirect, is_true, printable
from .nodes import (
    ActionNode,
    BoolNode,
    BreakNode,
    ChainNode,
    CommandNode,
    CommentNode,
    ContinueNode,
    DotNode,
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
from .values import NO_FIELD, FuncError, GoFunc, GoMap, GoPointer, ModelStruct, iter_items

__all__ = ["MAX_EXEC_DEPTH", "execute_tree"]

MAX_EXEC_DEPTH = 100_000


class _Missing:
    """Go's ``missingVal``: no value was piped into this command."""


_MISSING: Any = _Missing()


class _NilInterface:
    """A map entry that holds a nil interface value: a field of it is Go's ``nil pointer
    evaluating interface {}.X``, while the entry itself evaluates to no value."""


_NIL_INTERFACE: Any = _NilInterface()


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


def _is_hex_int(text: str) -> bool:
    return len(text) > 2 and text[0] == "0" and text[1] in "xX" and not any(c in text for c in "pP")


class _Executor:
    def __init__(
        self, name: str, trees: Mapping[str, Tree], funcs: Mapping[str, GoFunc], builtins: Mapping[str, GoFunc]
    ) -> None:
        self.name = name
        self.top = trees[name]
        self.trees = trees
        self.funcs = funcs
        self.builtins = builtins
        self.out: list[str] = []
        self.node: Node | None = None
        self.vars: list[list[Any]] = []
        self.depth = 0
        self.deepest_call: TemplateNode | None = None
        self._walkers: dict[type, Callable[[Any, Any], None]] = {
            ActionNode: self._walk_action,
            TextNode: self._walk_text,
            ListNode: self._walk_list,
            IfNode: self._walk_if,
            WithNode: self._walk_with,
            RangeNode: self._walk_range,
            TemplateNode: self._walk_template,
            CommentNode: self._walk_comment,
            BreakNode: self._walk_break,
            ContinueNode: self._walk_continue,
        }

    # -- errors ----------------------------------------------------------------------------

    def errorf(self, message: str) -> None:
        node = self.node
        if node is None:
            raise GoTemplateError(
                f"template: {self.name}: {message}", template=self.name, reason=message, output="".join(self.out)
            )
        tree = node.tree if node.tree is not None else self.top
        before = tree.text[: node.pos]
        newline = before.rfind("\n")
        column = len(before[newline + 1 :].encode("utf-8", "surrogatepass"))
        line = 1 + before.count("\n")
        context = str(node)
        raise GoTemplateError(
            f"template: {tree.parse_name}:{line}:{column}: executing {quote(self.name)} at <{context}>: {message}",
            template=self.name,
            line=line,
            column=column,
            context=context,
            reason=message,
            output="".join(self.out),
        )

    # -- variables -------------------------------------------------------------------------

    def set_var(self, name: str, value: Any) -> None:
        for entry in reversed(self.vars):
            if entry[0] == name:
                entry[1] = value
                return
        self.errorf(f"undefined variable: {name}")

    def var_value(self, name: str) -> Any:
        for entry in reversed(self.vars):
            if entry[0] == name:
                return entry[1]
        self.errorf(f"undefined variable: {name}")
        return None

    # -- walking ---------------------------------------------------------------------------

    def walk(self, dot: Any, node: Node) -> None:
        self.node = node
        self._walkers[type(node)](dot, node)

    def _walk_action(self, dot: Any, node: ActionNode) -> None:
        value = self.eval_pipeline(dot, node.pipe)
        if not node.pipe.decl:
            self.print_value(node, value)

    def _walk_text(self, dot: Any, node: TextNode) -> None:
        self.out.append(node.text)

    def _walk_list(self, dot: Any, node: ListNode) -> None:
        walkers = self._walkers
        for child in node.nodes:
            self.node = child
            walkers[type(child)](dot, child)

    def _walk_comment(self, dot: Any, node: CommentNode) -> None:
        pass

    def _walk_break(self, dot: Any, node: BreakNode) -> None:
        raise _Break

    def _walk_continue(self, dot: Any, node: ContinueNode) -> None:
        raise _Continue

    def _walk_if(self, dot: Any, node: IfNode) -> None:
        self._if_or_with(dot, node, with_=False)

    def _walk_with(self, dot: Any, node: WithNode) -> None:
        self._if_or_with(dot, node, with_=True)

    def _if_or_with(self, dot: Any, node: IfNode | WithNode, *, with_: bool) -> None:
        mark = len(self.vars)
        try:
            value = self.eval_pipeline(dot, node.pipe)
            truth, ok = is_true(value)
            if not ok:
                self.errorf(f"if/with can't use {sprintf('%v', value)}")
            if truth:
                self.walk(value if with_ else dot, node.list)
            elif node.else_list is not None:
                self.walk(dot, node.else_list)
        finally:
            del self.vars[mark:]

    def _walk_range(self, dot: Any, node: RangeNode) -> None:
        self.node = node
        mark = len(self.vars)
        try:
            value, _ = indirect(self.eval_pipeline(dot, node.pipe))
            if not self._range(node, value) and node.else_list is not None:
                self.walk(dot, node.else_list)
        except _Break:
            pass
        finally:
            del self.vars[mark:]

    def _range(self, node: RangeNode, value: Any) -> bool:
        """Runs the body per element; whether there was one."""
        decl = node.pipe.decl
        body_mark = len(self.vars)
        kind = go_kind(value)
        if kind == "int":
            if len(decl) > 1:
                self.errorf(f"can't use {sprintf('%v', value)} to iterate over more than one variable")
            for i in range(value):
                self._iteration(node, None, i, body_mark)
            return bool(value > 0)
        if kind in ("slice", "map"):
            ran = False
            for key, element in iter_items(value):
                ran = True
                self._iteration(node, key, element, body_mark)
            return ran
        if kind != "invalid":
            self.errorf(f"range can't iterate over {sprintf('%v', value)}")
        return False

    def _iteration(self, node: RangeNode, index: Any, element: Any, mark: int) -> None:
        pipe = node.pipe
        decl = pipe.decl
        if decl:
            if pipe.is_assign:
                self.set_var(decl[0].ident[0], index if len(decl) > 1 else element)
            else:
                self.vars[-1][1] = element
        if len(decl) > 1:
            if pipe.is_assign:
                self.set_var(decl[1].ident[0], element)
            else:
                self.vars[-2][1] = index
        try:
            self.walk(element, node.list)
        except _Continue:
            pass
        finally:
            del self.vars[mark:]

    def _walk_template(self, dot: Any, node: TemplateNode) -> None:
        self.node = node
        tree = self.trees.get(node.name)
        if tree is None:
            self.errorf(f"template {quote(node.name)} not defined")
            return
        if self.depth == MAX_EXEC_DEPTH:
            self.errorf(f"exceeded maximum template depth ({MAX_EXEC_DEPTH})")
        dot = self.eval_pipeline(dot, node.pipe)
        saved = (self.name, self.vars, self.depth, self.node)
        self.name, self.vars, self.depth = tree.name, [["$", dot]], self.depth + 1
        self.deepest_call = node
        try:
            assert tree.root is not None
            self.walk(dot, tree.root)
        finally:
            self.name, self.vars, self.depth, self.node = saved

    # -- evaluation ------------------------------------------------------------------------

    def eval_pipeline(self, dot: Any, pipe: PipeNode | None) -> Any:
        if pipe is None:
            return None
        self.node = pipe
        value = _MISSING
        for cmd in pipe.cmds:
            value = self.eval_command(dot, cmd, value)
        for variable in pipe.decl:
            if pipe.is_assign:
                self.set_var(variable.ident[0], value)
            else:
                self.vars.append([variable.ident[0], value])
        return value

    def not_a_function(self, args: list[Node] | None, final: Any) -> None:
        if (args is not None and len(args) > 1) or final is not _MISSING:
            assert args
            self.errorf(f"can't give argument to non-function {args[0]}")

    def eval_command(self, dot: Any, cmd: CommandNode, final: Any) -> Any:
        first = cmd.args[0]
        if isinstance(first, FieldNode):
            return self.eval_field_node(dot, first, cmd.args, final)
        if isinstance(first, ChainNode):
            return self.eval_chain_node(dot, first, cmd.args, final)
        if isinstance(first, IdentifierNode):
            return self.eval_function(dot, first, cmd, cmd.args, final)
        if isinstance(first, PipeNode):
            self.not_a_function(cmd.args, final)
            return self.eval_pipeline(dot, first)
        if isinstance(first, VariableNode):
            return self.eval_variable_node(dot, first, cmd.args, final)
        self.node = first
        self.not_a_function(cmd.args, final)
        if isinstance(first, BoolNode):
            return first.true
        if isinstance(first, DotNode):
            return dot
        if isinstance(first, NilNode):
            self.errorf("nil is not a command")
        if isinstance(first, NumberNode):
            return self.ideal_constant(first)
        if isinstance(first, StringNode):
            return first.text
        self.errorf(f"can't evaluate command {quote(str(first))}")
        return None

    def ideal_constant(self, constant: NumberNode) -> Any:
        self.node = constant
        num, text = constant.num, constant.text
        if num.is_complex:
            return num.complex128
        if num.is_float and not _is_hex_int(text) and not text.startswith("'") and any(c in text for c in ".eEpP"):
            return num.float64
        if num.is_int:
            return num.int64
        if num.is_uint:
            self.errorf(f"{text} overflows int")
        return None

    def eval_field_node(self, dot: Any, field: FieldNode, args: list[Node] | None, final: Any) -> Any:
        self.node = field
        return self.eval_field_chain(dot, dot, field, field.ident, args, final)

    def eval_chain_node(self, dot: Any, chain: ChainNode, args: list[Node] | None, final: Any) -> Any:
        self.node = chain
        if not chain.field:
            self.errorf("internal error: no fields in evalChainNode")
        if isinstance(chain.node, NilNode):
            self.errorf(f"indirection through explicit nil in {chain}")
        receiver = self.eval_arg(dot, None, chain.node)
        return self.eval_field_chain(dot, receiver, chain, chain.field, args, final)

    def eval_variable_node(self, dot: Any, variable: VariableNode, args: list[Node] | None, final: Any) -> Any:
        self.node = variable
        value = self.var_value(variable.ident[0])
        if len(variable.ident) == 1:
            self.not_a_function(args, final)
            return value
        return self.eval_field_chain(dot, value, variable, variable.ident[1:], args, final)

    def eval_field_chain(
        self, dot: Any, receiver: Any, node: Node, ident: list[str], args: list[Node] | None, final: Any
    ) -> Any:
        for name in ident[:-1]:
            receiver = self.eval_field(dot, name, node, None, _MISSING, receiver)
        value = self.eval_field(dot, ident[-1], node, args, final, receiver)
        return None if value is _NIL_INTERFACE else value

    def eval_function(self, dot: Any, node: IdentifierNode, cmd: Node, args: list[Node] | None, final: Any) -> Any:
        self.node = node
        name = node.ident
        function = self.funcs.get(name)
        is_builtin = False
        if function is None:
            function = self.builtins.get(name)
            is_builtin = function is not None
        if function is None:
            self.errorf(f"{quote(name)} is not a defined function")
            return None
        return self.eval_call(dot, function, is_builtin, cmd, name, args, final)

    def eval_field(self, dot: Any, name: str, node: Node, args: list[Node] | None, final: Any, receiver: Any) -> Any:
        if receiver is None:
            return None
        # The common case first: a field of a (pointer to a) model, with no arguments.
        target = receiver
        while type(target) is GoPointer and target.elem is not None:
            target = target.elem
        if type(target) is ModelStruct and (args is None or len(args) < 2) and final is _MISSING:
            value = target.field(name)
            if value is not NO_FIELD:
                return value
        if receiver is _NIL_INTERFACE:
            self.errorf(f"nil pointer evaluating interface {{}}.{name}")
        type_name = go_type_name(receiver)
        receiver, is_nil = indirect(receiver)
        kind = go_kind(receiver)
        if kind == "struct" and hasattr(receiver, "method"):
            method = receiver.method(name)
            if method is not None:
                return self.eval_call(dot, GoFunc(method), False, node, name, args, final)
        has_args = (args is not None and len(args) > 1) or final is not _MISSING
        if kind == "struct":
            value = receiver.field(name) if hasattr(receiver, "field") else NO_FIELD
            if value is NO_FIELD and isinstance(receiver, ModelStruct) and receiver.uncallable_method(name):
                self.errorf(f"{name} is a Go method of {type_name} that calicopy's templates cannot call")
            if value is not NO_FIELD:
                if not name[:1].isupper():
                    self.errorf(f"{name} is an unexported field of struct type {type_name}")
                if has_args:
                    self.errorf(f"{name} has arguments but cannot be invoked as function")
                return value
        elif kind == "map" and _string_keys(receiver):
            if has_args:
                self.errorf(f"{name} is not a method but has arguments")
            data = receiver.data if isinstance(receiver, GoMap) else receiver
            value = data.get(name)
            return _NIL_INTERFACE if value is None and name in data else value
        elif kind == "ptr" and is_nil:
            assert isinstance(receiver, GoPointer)
            if receiver.fields is None or receiver.fields(name):
                self.errorf(f"nil pointer evaluating {type_name}.{name}")
        self.errorf(f"can't evaluate field {name} in type {type_name}")
        return None

    def eval_call(
        self, dot: Any, fun: GoFunc, is_builtin: bool, node: Node, name: str, args: list[Node] | None, final: Any
    ) -> Any:
        args = args[1:] if args is not None else []
        params, variadic = fun.params, fun.variadic
        num_in = len(args) + (final is not _MISSING)
        num_fixed = len(args)
        if variadic is not None:
            num_fixed = len(params)
            if num_in < num_fixed:
                self.errorf(f"wrong number of args for {name}: want at least {len(params)} got {len(args)}")
        elif num_in != len(params):
            self.errorf(f"wrong number of args for {name}: want {len(params)} got {num_in}")
        if is_builtin and name in ("and", "or"):
            value = None
            for arg in args:
                value = self.eval_arg(dot, "value", arg)
                if is_true(value)[0] == (name == "or"):
                    return value
            if final is not _MISSING:
                value = self.validate_type(final, "value")
            return value
        argv: list[Any] = []
        for i, arg in enumerate(args):
            kind = params[i] if i < len(params) else variadic
            argv.append(self.eval_arg(dot, kind, arg))
        if final is not _MISSING:
            position = num_in - 1
            kind = params[position] if position < len(params) else variadic
            argv.append(self.validate_type(final, kind))
        if is_builtin and name == "call":
            callee = str(args[0]) if args else sprint(final)
            argv.insert(0, callee)
        try:
            return fun.fn(*argv)
        except FuncError as exc:
            self.node = node
            self.errorf(f"error calling {name}: {exc}")
        except (GoTemplateError, _Break, _Continue, RecursionError):
            raise
        except Exception as exc:  # a Go function that panics: text/template reports the panic value
            if is_builtin:
                raise
            self.node = node
            self.errorf(f"error calling {name}: {exc}")
        return None

    def validate_type(self, value: Any, kind: str | None) -> Any:
        if value is None:
            if kind is None or kind in ("any", "value"):
                return None
            self.errorf(f"invalid value; expected {_TYPE_NAMES[kind]}")
        if kind is None or kind in ("any", "value") or _assignable(value, kind):
            return value
        if isinstance(value, GoPointer):
            if value.elem is None:
                self.errorf(f"dereference of nil pointer of type {_TYPE_NAMES[kind]}")
            if _assignable(value.elem, kind):
                return value.elem
        self.errorf(f"wrong type for value; expected {_TYPE_NAMES[kind]}; got {go_type_name(value)}")
        return None

    def eval_arg(self, dot: Any, kind: str | None, node: Node) -> Any:
        self.node = node
        if isinstance(node, DotNode):
            return self.validate_type(dot, kind)
        if isinstance(node, NilNode):
            if kind in ("any", "value"):
                return None
            self.errorf(f"cannot assign nil to {_TYPE_NAMES.get(kind or '', kind)}")
        if isinstance(node, FieldNode):
            return self.validate_type(self.eval_field_node(dot, node, [node], _MISSING), kind)
        if isinstance(node, VariableNode):
            return self.validate_type(self.eval_variable_node(dot, node, None, _MISSING), kind)
        if isinstance(node, PipeNode):
            return self.validate_type(self.eval_pipeline(dot, node), kind)
        if isinstance(node, IdentifierNode):
            return self.validate_type(self.eval_function(dot, node, node, None, _MISSING), kind)
        if isinstance(node, ChainNode):
            return self.validate_type(self.eval_chain_node(dot, node, None, _MISSING), kind)
        if kind == "bool":
            if isinstance(node, BoolNode):
                return node.true
            self.errorf(f"expected bool; found {node}")
        if kind == "string":
            if isinstance(node, StringNode):
                return node.text
            self.errorf(f"expected string; found {node}")
        if kind == "int":
            if isinstance(node, NumberNode) and node.num.is_int:
                return node.num.int64
            self.errorf(f"expected integer; found {node}")
        if kind == "float64":
            if isinstance(node, NumberNode) and node.num.is_float:
                return node.num.float64
            self.errorf(f"expected float; found {node}")
        if kind in ("any", "value"):
            return self.eval_empty_interface(dot, node)
        self.errorf(f"can't handle {node} for arg of type {_TYPE_NAMES.get(kind or '', kind)}")
        return None

    def eval_empty_interface(self, dot: Any, node: Node) -> Any:
        self.node = node
        if isinstance(node, BoolNode):
            return node.true
        if isinstance(node, NumberNode):
            return self.ideal_constant(node)
        if isinstance(node, StringNode):
            return node.text
        self.errorf(f"can't handle assignment of {node} to empty interface argument")
        return None

    def print_value(self, node: Node, value: Any) -> None:
        self.node = node
        kind = type(value)
        if kind is str:
            self.out.append(value)
            return
        if kind is bool:
            self.out.append("true" if value else "false")
            return
        if kind is int:
            self.out.append(str(value))
            return
        shown = printable(value)
        if go_kind(shown) == "func":
            self.errorf(f"can't print {node} of type {go_type_name(value)}")
        self.out.append(shown if type(shown) is str else sprint(shown))


def _string_keys(receiver: Any) -> bool:
    if isinstance(receiver, GoMap):
        return receiver.go_type.startswith(("map[string]", "map[interface {}]"))
    return True


def execute_tree(
    name: str, trees: Mapping[str, Tree], data: Any, funcs: Mapping[str, GoFunc], builtins: Mapping[str, GoFunc]
) -> str:
    """Run template ``name`` of ``trees`` on ``data``; the output, or :class:`GoTemplateError`
    (whose ``output`` holds what was written before the failure)."""
    executor = _Executor(name, trees, funcs, builtins)
    executor.vars = [["$", data]]
    root = trees[name].root
    if root is None:
        raise GoTemplateError(
            f"template: {name}: {quote(name)} is an incomplete or empty template",
            template=name,
            reason=f"{quote(name)} is an incomplete or empty template",
        )
    try:
        executor.walk(data, root)
    except RecursionError:
        # Only a template that calls itself without end gets this deep; Go stops it at
        # MAX_EXEC_DEPTH calls, Python's stack sooner.
        executor.name = executor.deepest_call.name if executor.deepest_call else name
        executor.node = executor.deepest_call
        executor.errorf(f"exceeded maximum template depth ({MAX_EXEC_DEPTH})")
    return "".join(executor.out)
