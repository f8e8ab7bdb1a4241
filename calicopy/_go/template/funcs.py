"""``text/template``'s builtin functions and the value rules they share with the executor.

``and`` and ``or`` are evaluated by the executor itself (they short-circuit); ``call`` gets the
callee's name from the executor; all are :class:`GoFunc` entries of :data:`BUILTINS`, each failing with the
error text Go's version returns (``index out of range: 3``, ``incompatible types for
comparison: int and string``...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote_plus

from ..fmt import go_kind, go_type_name, sprint, sprintf, sprintln
from .values import FuncError, GoFunc, GoMap, GoPointer, GoSlice, ModelStruct

__all__ = ["BUILTINS", "TYPE_NAMES", "assignable", "indirect", "is_true", "printable"]

# Go's names of the parameter kinds a GoFunc declares, for error texts.
TYPE_NAMES = {
    "any": "interface {}",
    "value": "reflect.Value",
    "string": "string",
    "int": "int",
    "bool": "bool",
    "float64": "float64",
}


def assignable(value: Any, kind: str) -> bool:
    """Whether a Go value can be passed for a parameter of this kind."""
    actual = go_kind(value)
    if kind == "string":
        return actual == "string"
    if kind == "int":
        return actual == "int"
    if kind == "bool":
        return actual == "bool"
    if kind == "float64":
        return actual == "float"
    return True


def indirect(value: Any) -> tuple[Any, bool]:
    """Follow pointers to the value at the end; ``True`` when a nil pointer stopped the walk."""
    while isinstance(value, GoPointer):
        if value.elem is None:
            return value, True
        value = value.elem
    return value, False


def is_true(value: Any) -> tuple[bool, bool]:
    """Go's ``isTrue``: whether a value is non-empty, and whether it has a truth value at all."""
    if value is None:
        return False, True
    kind = go_kind(value)
    if kind in ("string", "slice", "map"):
        return _length(value) > 0, True
    if kind in ("bool", "int", "float", "complex"):
        return bool(value), True
    if kind == "ptr":
        return value.elem is not None, True
    if kind in ("struct", "func"):
        return True, True
    return False, False


def _length(value: Any) -> int:
    if isinstance(value, str):
        return len(value.encode("utf-8", "surrogatepass"))
    if isinstance(value, (GoSlice, GoMap)):
        return len(value)
    return len(value)


def printable(value: Any) -> Any:
    """What ``{{.}}`` prints: a pointer is looked through (unless it sits in an interface);
    a missing value prints as ``<no value>``."""
    if isinstance(value, GoPointer) and not value.in_interface:
        value, _ = indirect(value)
    if value is None:
        return "<no value>"
    return value


# -- index, slice, len ---------------------------------------------------------------------------


def _index_arg(index: Any, cap: int) -> int:
    if isinstance(index, bool) or not isinstance(index, int):
        if index is None:
            raise FuncError("cannot index slice/array with nil")
        raise FuncError(f"cannot index slice/array with type {go_type_name(index)}")
    if index < 0 or index > cap:
        raise FuncError(f"index out of range: {index}")
    return index


def _sequence(item: Any) -> Sequence[Any] | bytes | None:
    if isinstance(item, str):
        return item.encode("utf-8", "surrogatepass")
    if isinstance(item, GoSlice):
        return item.items
    if isinstance(item, (list, tuple)):
        return item
    return None


def _map_key(index: Any, item: Any) -> Any:
    key_type = _key_type(item)
    if index is None:
        raise FuncError(f"value is nil; should be of type {key_type}")
    index_type = go_type_name(index)
    if key_type in ("interface {}", index_type) or (key_type.startswith(("int", "uint")) and go_kind(index) == "int"):
        return index
    raise FuncError(f"value has type {index_type}; should be {key_type}")


def _key_type(item: Any) -> str:
    go_type = go_type_name(item)
    return go_type[4 : go_type.index("]")] if go_type.startswith("map[") else "string"


def _index(item: Any, *indexes: Any) -> Any:
    if item is None:
        raise FuncError("index of untyped nil")
    for index in indexes:
        item, is_nil = indirect(item)
        if is_nil:
            raise FuncError("index of nil pointer")
        sequence = _sequence(item)
        if sequence is not None:
            x = _index_arg(index, len(sequence))
            if x == len(sequence):
                raise FuncError(f"reflect: {'string' if isinstance(item, str) else 'slice'} index out of range")
            item = sequence[x]
        elif go_kind(item) == "map":
            key = _map_key(index, item)
            data = getattr(item, "data", item)
            item = data[key] if key in data else (item.zero if isinstance(item, GoMap) else None)
        else:
            raise FuncError(f"can't index item of type {go_type_name(item)}")
    return item


def _slice(item: Any, *indexes: Any) -> Any:
    if item is None:
        raise FuncError("slice of untyped nil")
    item, is_nil = indirect(item)
    if is_nil:
        raise FuncError("slice of nil pointer")
    if len(indexes) > 3:
        raise FuncError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise FuncError("cannot 3-index slice a string")
        data: Any = item.encode("utf-8", "surrogatepass")
    elif (sequence := _sequence(item)) is not None:
        data = sequence
    else:
        raise FuncError(f"can't slice item of type {go_type_name(item)}")
    bounds = [0, len(data), len(data)]
    for i, index in enumerate(indexes):
        bounds[i] = _index_arg(index, len(data))
    if bounds[0] > bounds[1]:
        raise FuncError(f"invalid slice index: {bounds[0]} > {bounds[1]}")
    if len(indexes) == 3 and bounds[1] > bounds[2]:
        raise FuncError(f"invalid slice index: {bounds[1]} > {bounds[2]}")
    part = data[bounds[0] : bounds[1]]
    if isinstance(item, str):
        return part.decode("utf-8", "replace")
    if isinstance(item, GoSlice):
        return GoSlice(part, item.go_type)
    return list(part)


def _len(item: Any) -> int:
    item, is_nil = indirect(item)
    if is_nil:
        raise FuncError("len of nil pointer")
    if go_kind(item) in ("string", "slice", "map"):
        return _length(item)
    raise FuncError(f"len of type {go_type_name(item)}")


def _not(value: Any) -> bool:
    return not is_true(value)[0]


# -- comparisons ---------------------------------------------------------------------------------

_BASIC = frozenset({"bool", "int", "float", "complex", "string"})


def _basic(value: Any) -> str | None:
    kind = go_kind(value)
    return kind if kind in _BASIC else None


def _identity(value: Any) -> Any:
    return value.obj if isinstance(value, ModelStruct) else value


def _comparable(value: Any) -> bool:
    kind = go_kind(value)
    if kind in ("slice", "map", "func"):
        return False
    if kind == "struct" and hasattr(value, "go_items"):
        return all(_comparable(v) for _, v in value.go_items())
    return True


def _equal_values(a: Any, b: Any) -> bool:
    kind = go_kind(a)
    if kind == "ptr":
        return a.elem is b.elem or (a.elem is not None and _identity(a.elem) is _identity(b.elem))
    if kind == "struct" and hasattr(a, "go_items"):
        if go_type_name(a) != go_type_name(b):
            return False
        return all(_equal_values(x, y) for (_, x), (_, y) in zip(a.go_items(), b.go_items(), strict=True))
    return bool(a == b) and go_type_name(a) == go_type_name(b)


def _is_nil(value: Any) -> bool:
    return value is None or (isinstance(value, GoPointer) and value.elem is None)


def _eq(arg1: Any, *args: Any) -> bool:
    if not args:
        raise FuncError("missing argument for comparison")
    k1 = _basic(arg1)
    for arg in args:
        k2 = _basic(arg)
        if k1 != k2:
            if arg1 is not None and arg is not None:
                raise FuncError(f"incompatible types for comparison: {go_type_name(arg1)} and {go_type_name(arg)}")
            continue
        if k1 is not None:
            if arg1 == arg:
                return True
            continue
        kind1, kind2 = go_kind(arg1), go_kind(arg)
        if kind1 != kind2 and "invalid" not in (kind1, kind2):
            raise FuncError(
                f"non-comparable types {sprint(arg1)}: {go_type_name(arg1)}, {go_type_name(arg)}: {sprint(arg)}"
            )
        if _is_nil(arg1) or _is_nil(arg):
            if _is_nil(arg1) == _is_nil(arg):
                return True
            continue
        if not _comparable(arg):
            raise FuncError(f"non-comparable type {sprint(arg)}: {go_type_name(arg)}")
        if _equal_values(arg1, arg):
            return True
    return False


def _ne(arg1: Any, arg2: Any) -> bool:
    return not _eq(arg1, arg2)


def _lt(arg1: Any, arg2: Any) -> bool:
    k1, k2 = _basic(arg1), _basic(arg2)
    if k1 is None or k2 is None:
        raise FuncError("invalid type for comparison")
    if k1 != k2:
        raise FuncError(f"incompatible types for comparison: {go_type_name(arg1)} and {go_type_name(arg2)}")
    if k1 in ("bool", "complex"):
        raise FuncError("invalid type for comparison")
    return bool(arg1 < arg2)


def _le(arg1: Any, arg2: Any) -> bool:
    return _lt(arg1, arg2) or _eq(arg1, arg2)


def _gt(arg1: Any, arg2: Any) -> bool:
    return not _le(arg1, arg2)


def _ge(arg1: Any, arg2: Any) -> bool:
    return not _lt(arg1, arg2)


# -- escaping and printing -----------------------------------------------------------------------


def _text_of(args: tuple[Any, ...]) -> str:
    """Go's ``evalArgs``: one string as it is, else ``fmt.Sprint`` of the printable values."""
    if len(args) == 1 and isinstance(args[0], str):
        return args[0]
    return sprint(*(printable(a) for a in args))


_HTML = {'"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;", "\0": "\ufffd"}


def _html(*args: Any) -> str:
    return "".join(_HTML.get(c, c) for c in _text_of(args))


_JS = {"\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "=": "\\u003D"}


def _js_char(ch: str) -> str:
    if ch in _JS:
        return _JS[ch]
    if ch < " ":
        return f"\\u00{ord(ch):02X}"
    if ch < "\x80" or ch.isprintable():
        return ch
    return f"\\u{ord(ch):04X}"


def _js(*args: Any) -> str:
    return "".join(_js_char(c) for c in _text_of(args))


def _urlquery(*args: Any) -> str:
    return quote_plus(_text_of(args), safe="-_.~")


def _printf(format: str, *args: Any) -> str:
    return sprintf(format, *args)


def _call(callee: str, target: Any, *args: Any) -> Any:
    """``call .F arg...``: calls the function value ``.F`` (the executor passes its name first)."""
    if target is None:
        raise FuncError("call of nil")
    if not isinstance(target, GoFunc):
        raise FuncError(f"non-function {callee} of type {go_type_name(target)}")
    params = target.params
    if target.variadic is None and len(args) != len(params):
        raise FuncError(f"wrong number of args for {callee}: got {len(args)} want {len(params)}")
    if target.variadic is not None and len(args) < len(params):
        raise FuncError(f"wrong number of args for {callee}: got {len(args)} want at least {len(params)}")
    for i, arg in enumerate(args):
        kind = params[i] if i < len(params) else target.variadic
        if kind is None or kind in ("any", "value"):
            continue
        if arg is None:
            raise FuncError(f"arg {i}: value is nil; should be of type {TYPE_NAMES[kind]}")
        if not assignable(arg, kind):
            raise FuncError(f"arg {i}: value has type {go_type_name(arg)}; should be {TYPE_NAMES[kind]}")
    try:
        return target.fn(*args)
    except FuncError:
        raise
    except Exception as exc:  # Go's call recovers a panic of the function it calls
        raise FuncError(str(exc)) from exc


# ``and`` and ``or`` carry their signature only: the executor evaluates them (they short-circuit).
def _special(*args: Any) -> Any:
    raise AssertionError("evaluated by the executor")


BUILTINS: Mapping[str, GoFunc] = {
    "and": GoFunc(_special, ("value",), "value", "func(reflect.Value, ...reflect.Value) reflect.Value"),
    "call": GoFunc(_call, ("value",), "value", "func(reflect.Value, ...reflect.Value) reflect.Value"),
    "html": GoFunc(_html, (), "any", "func(...interface {}) string"),
    "index": GoFunc(_index, ("value",), "value", "func(reflect.Value, ...reflect.Value) (reflect.Value, error)"),
    "slice": GoFunc(_slice, ("value",), "value", "func(reflect.Value, ...reflect.Value) (reflect.Value, error)"),
    "js": GoFunc(_js, (), "any", "func(...interface {}) string"),
    "len": GoFunc(_len, ("value",), None, "func(reflect.Value) (int, error)"),
    "not": GoFunc(_not, ("value",), None, "func(reflect.Value) bool"),
    "or": GoFunc(_special, ("value",), "value", "func(reflect.Value, ...reflect.Value) reflect.Value"),
    "print": GoFunc(sprint, (), "any", "func(...interface {}) string"),
    "printf": GoFunc(_printf, ("string",), "any", "func(string, ...interface {}) string"),
    "println": GoFunc(sprintln, (), "any", "func(...interface {}) string"),
    "urlquery": GoFunc(_urlquery, (), "any", "func(...interface {}) string"),
    "eq": GoFunc(_eq, ("value",), "value", "func(reflect.Value, ...reflect.Value) (bool, error)"),
    "ge": GoFunc(_ge, ("value", "value"), None, "func(reflect.Value, reflect.Value) (bool, error)"),
    "gt": GoFunc(_gt, ("value", "value"), None, "func(reflect.Value, reflect.Value) (bool, error)"),
    "le": GoFunc(_le, ("value", "value"), None, "func(reflect.Value, reflect.Value) (bool, error)"),
    "lt": GoFunc(_lt, ("value", "value"), None, "func(reflect.Value, reflect.Value) (bool, error)"),
    "ne": GoFunc(_ne, ("value", "value"), None, "func(reflect.Value, reflect.Value) (bool, error)"),
}
