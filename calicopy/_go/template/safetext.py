"""What ``github.com/google/safetext/yamltemplate`` adds to ``text/template`` for calicoctl.

calicoctl parses ``-o go-template`` with ``yamltemplate`` (safetext v0.0.0-20240722112252),
whose ``Execute`` guards against YAML injection:

1. it runs the template into a buffer; an error returns with *nothing* printed;
2. it runs a copy of the template in which every value an action prints passes through
   ``ApplyInjectionDetection`` (a deep copy with each string replaced by ``baseline``), and a
   third time with each string's characters doubled (``ab`` -> ``aabb``, quotes kept single);
3. it parses the three outputs as YAML (``gopkg.in/yaml.v3``, every document): if the
   baseline does not parse the error is ``Invalid YAML Template``; if the real or the
   doubled output does not parse, or the three differ in shape (mapping keys, sequence
   lengths, a string that became a mapping), it is ``YAML Injection Detected``;
4. only then is the real output written.

So calicoctl's template output is always YAML, and a template whose printed values become
mapping keys (``{{.Name}}: x``) fails.  The parser here is PyYAML's libyaml binding, the C
library yaml.v3 was ported from; the documents are decoded as yaml.v3 decodes them into
``interface{}`` as far as the comparison looks (duplicate keys refused, unknown tags kept as
text).

One deliberate difference: safetext's deep copy panics inside ``reflect`` for most structs
(a nested struct, a pointer to a named string, a slice of an enum type), which calicoctl
reports as ``error calling ApplyInjectionDetection: reflect.Set: value of type string is not
assignable to type v3.VXLANMode``; calicopy copies such values as the check intends.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import yaml

from .errors import GoTemplateError
from .nodes import (
    ActionNode,
    BranchNode,
    CommandNode,
    DotNode,
    FieldNode,
    IdentifierNode,
    ListNode,
    Node,
    PipeNode,
    TemplateNode,
    Tree,
    VariableNode,
)
from .values import GoFunc, GoMap, GoPointer, GoSlice, GoStruct, ModelStruct

__all__ = [
    "INJECTION_DETECTED",
    "INVALID_YAML",
    "SAFETEXT_FUNC",
    "baseline",
    "check_yaml",
    "deep_copy_strings",
    "double_characters",
    "walked_trees",
]

INVALID_YAML = "Invalid YAML Template"
INJECTION_DETECTED = "YAML Injection Detected"
SAFETEXT_FUNC = "ApplyInjectionDetection"
_STRUCTURAL = "StructuralData"


def baseline(_: str) -> str:
    """safetext's ``BaselineString``."""
    return "baseline"


def double_characters(text: str) -> str:
    """safetext's ``mutateString``: every character twice, except backslash and quotes."""
    return "".join(ch if ch in "\\'\"" else ch + ch for ch in text)


def deep_copy_strings(value: Any, mutate: Callable[[str], str]) -> Any:
    """safetext's ``DeepCopyMutateStrings``: a copy of ``value`` with every string (map values,
    not keys) passed through ``mutate``."""
    if isinstance(value, str):
        return mutate(value)
    if isinstance(value, GoPointer):
        if value.elem is None:
            return value
        return GoPointer(deep_copy_strings(value.elem, mutate), value.go_type, fields=value.fields)
    if isinstance(value, (GoStruct, ModelStruct)):
        return GoStruct(
            value.go_type,
            [(name, deep_copy_strings(v, mutate)) for name, v in value.go_items()],
            embedded=value.embedded,
        )
    if isinstance(value, GoSlice):
        return GoSlice([deep_copy_strings(v, mutate) for v in value.items], value.go_type)
    if isinstance(value, GoMap):
        return GoMap({k: deep_copy_strings(v, mutate) for k, v in value.data.items()}, value.go_type, value.zero)
    if isinstance(value, (list, tuple)):
        return [deep_copy_strings(v, mutate) for v in value]
    if isinstance(value, Mapping):
        return {k: deep_copy_strings(v, mutate) for k, v in value.items()}
    return value


# -- the walked copy of the template ------------------------------------------------------------


def _wrap(arg: Node) -> PipeNode:
    pipe = PipeNode(0, None)
    pipe.cmds = [CommandNode(0, None, [arg]), CommandNode(0, None, [IdentifierNode(0, None, SAFETEXT_FUNC)])]
    return pipe


def _walk_commands(commands: list[CommandNode]) -> list[CommandNode]:
    out: list[CommandNode] = []
    for cmd in commands:
        args: list[Node] = []
        for i, arg in enumerate(cmd.args):
            if isinstance(arg, (DotNode, FieldNode, VariableNode)):
                is_method = i == 0 and len(cmd.args) > 1
                structural = isinstance(cmd.args[0], IdentifierNode) and cmd.args[0].ident == _STRUCTURAL
                args.append(arg if is_method or structural else _wrap(arg))
            elif isinstance(arg, PipeNode):
                args.append(_walk_pipe(arg))
            else:
                args.append(arg)
        out.append(CommandNode(cmd.pos, cmd.tree, args))
    return out


def _walk_pipe(pipe: PipeNode) -> PipeNode:
    copy = PipeNode(pipe.pos, pipe.tree)
    copy.is_assign = pipe.is_assign
    copy.decl = pipe.decl
    copy.cmds = _walk_commands(pipe.cmds)
    return copy


def _walk(node: Node, trees: dict[str, Tree], walked: set[str], source: Mapping[str, Tree]) -> Node:
    if isinstance(node, ActionNode):
        if node.pipe.decl:
            return node
        return ActionNode(node.pos, node.tree, _walk_pipe(node.pipe))
    if isinstance(node, ListNode):
        return ListNode(node.pos, node.tree, [_walk(n, trees, walked, source) for n in node.nodes])
    if isinstance(node, BranchNode):
        else_list = node.else_list
        return type(node)(
            node.pos,
            node.tree,
            node.pipe,
            _walk_list(node.list, trees, walked, source),
            _walk_list(else_list, trees, walked, source) if else_list is not None else None,
        )
    if isinstance(node, TemplateNode) and node.name in source and node.name not in walked:
        walked.add(node.name)
        tree = source[node.name]
        assert tree.root is not None
        trees[node.name] = Tree(tree.name, tree.parse_name, tree.text, _walk_list(tree.root, trees, walked, source))
    return node


def _walk_list(node: ListNode, trees: dict[str, Tree], walked: set[str], source: Mapping[str, Tree]) -> ListNode:
    result = _walk(node, trees, walked, source)
    assert isinstance(result, ListNode)
    return result


def walked_trees(name: str, source: Mapping[str, Tree]) -> dict[str, Tree]:
    """safetext's ``WalkApplyFuncToNonDeclaractiveActions`` on a copy of the templates: each
    value a printing action prints (not a method call's receiver, not ``StructuralData``'s
    argument) is piped through ``ApplyInjectionDetection``."""
    trees = dict(source)
    tree = source[name]
    assert tree.root is not None
    walked = {name}
    trees[name] = Tree(tree.name, tree.parse_name, tree.text, _walk_list(tree.root, trees, walked, source))
    return trees


def detection_funcs(mutate: Callable[[str], str]) -> dict[str, GoFunc]:
    """The functions safetext registers on every template, for one execution."""
    return {
        SAFETEXT_FUNC: GoFunc(
            lambda data: deep_copy_strings(data, mutate), ("any",), None, "func(interface {}) interface {}"
        ),
        _STRUCTURAL: GoFunc(lambda data: data, ("any",), None, "func(interface {}) interface {}"),
        "AllowFlags": GoFunc(lambda data: data, ("any",), None, "func(interface {}) interface {}"),
    }


# -- YAML -------------------------------------------------------------------------------------------

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL = "tag:yaml.org,2002:null"
_NULL_SPELLINGS = frozenset(("", "~", "null", "Null", "NULL"))


class _Loader(_BaseLoader):  # type: ignore[misc]
    """libyaml that leaves scalars as their text (only null resolved).

    safetext compares the three decoded outputs by shape only: a value's type is checked only
    where the baseline has a non-string, which comes from the template's own text or from a
    number or boolean printed alike in all three runs, so text comparison gives its verdict;
    and yaml.v3's duplicate-key check compares keys as written too.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _NULL if implicit[0] and value in _NULL_SPELLINGS else "tag:yaml.org,2002:str"
        if kind is yaml.SequenceNode:
            return "tag:yaml.org,2002:seq"
        return "tag:yaml.org,2002:map"


class _Mismatch(Exception):
    """A YAML document yaml.v3 would not decode (a duplicate or unhashable key)."""


def _decoded(node: Any) -> Any:
    """The shape yaml.v3 decodes a node into: mappings, sequences, scalars (text, or None)."""
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _decoded(key_node)
            try:
                duplicate = key in result
            except TypeError:
                raise _Mismatch("invalid map key") from None
            if duplicate:
                raise _Mismatch(f"mapping key {key!r} already defined")
            result[key] = _decoded(value_node)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_decoded(item) for item in node.value]
    return None if node.tag == _NULL else node.value


def _load_all(text: str) -> list[Any]:
    loader = _Loader(text)
    try:
        documents = []
        while loader.check_node():
            documents.append(_decoded(loader.get_node()))
        return documents
    finally:
        loader.dispose()


def _shapes_match(base: Any, a: Any, b: Any) -> bool:
    """safetext's ``allKeysMatch`` over decoded YAML."""
    if base is None:
        return a is None and b is None
    if isinstance(base, dict):
        if not isinstance(a, dict) or not isinstance(b, dict) or len(a) != len(base) or len(b) != len(base):
            return False
        return all(k in a and k in b and _shapes_match(v, a[k], b[k]) for k, v in base.items())
    if isinstance(base, list):
        if not isinstance(a, list) or not isinstance(b, list) or len(a) != len(base) or len(b) != len(base):
            return False
        return all(_shapes_match(x, y, z) for x, y, z in zip(base, a, b, strict=True))
    if isinstance(base, str):
        return not isinstance(a, (dict, list)) and not isinstance(b, (dict, list))
    return type(a) is type(base) and type(b) is type(base)


def check_yaml(name: str, baseline_output: str, output: str, doubled_output: str) -> None:
    """Raise :class:`GoTemplateError` (phase ``yaml``) with safetext's verdict, if it is not clean."""
    try:
        base = _load_all(baseline_output)
    except (yaml.YAMLError, _Mismatch):
        raise GoTemplateError(INVALID_YAML, template=name, phase="yaml") from None
    try:
        real = _load_all(output)
        doubled = _load_all(doubled_output)
    except (yaml.YAMLError, _Mismatch):
        raise GoTemplateError(INJECTION_DETECTED, template=name, phase="yaml") from None
    if not _shapes_match(base, real, doubled):
        raise GoTemplateError(INJECTION_DETECTED, template=name, phase="yaml")
