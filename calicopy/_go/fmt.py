"""Go's ``fmt.Sprint``, ``Sprintln`` and ``Sprintf`` over Go-shaped values.

The template engine's ``print``/``printf``/``println`` builtins and its ``{{.Field}}`` output go
through here, so a value prints the way ``fmt`` prints it in calicoctl: ``true``, ``1e+06``,
``[a b]``, ``map[k:v]`` with sorted keys, ``{f1 f2}`` for a struct, ``<nil>``; and a bad verb
reads ``%!d(string=hi)``, a missing operand ``%!d(MISSING)``, a surplus ``%!(EXTRA int=1)``.

Python's ``None``, ``bool``, ``int``, ``float``, ``complex``, ``str``, ``list``/``tuple`` and
``dict`` stand for Go's nil, bool, int, float64, complex128, string, ``[]interface {}`` and
``map[string]interface {}``.  Other Go shapes are objects that declare a ``go_kind``:

* ``"struct"``: ``go_type`` and ``go_items()`` (field name and value, in declaration order);
* ``"ptr"``: ``go_type``, ``elem`` (``None`` for a nil pointer) and ``in_interface``;
* ``"slice"``: ``go_type`` and ``items``; ``"map"``: ``go_type`` and ``data``;
* ``"func"``: ``go_type``.

Any other object prints as its ``str()`` (Go types with a ``String()`` method: ports, protocols).

One deliberate difference from Go: a pointer prints as ``&`` and its target (a pointer to a
scalar prints as the scalar), at any depth, where Go prints a nested pointer as a memory address
(``0xc000123456``) that means nothing to a reader.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from .strconv import format_float, is_print, quote, quote_rune

__all__ = [
    "format_g",
    "format_v",
    "go_kind",
    "go_type_name",
    "sort_keys",
    "sprint",
    "sprintf",
    "sprintln",
]


# -- kinds and type names --------------------------------------------------------------------


_EXACT_KINDS: Mapping[type, str] = {
    str: "string",
    bool: "bool",
    int: "int",
    float: "float",
    complex: "complex",
    list: "slice",
    tuple: "slice",
    dict: "map",
    type(None): "invalid",
}


def go_kind(value: Any) -> str:
    """The ``reflect.Kind`` family of a value: ``invalid``, ``bool``, ``int``, ``float``,
    ``complex``, ``string``, ``slice``, ``map``, ``struct``, ``ptr`` or ``func``."""
    exact = _EXACT_KINDS.get(type(value))
    if exact is not None:
        return exact
    kind = getattr(value, "go_kind", None)
    if isinstance(kind, str):
        return kind
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, complex):
        return "complex"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "slice"
    if isinstance(value, Mapping):
        return "map"
    if callable(value):
        return "func"
    return "struct"


_BUILTIN_TYPES: Mapping[type, str] = {
    bool: "bool",
    int: "int",
    float: "float64",
    complex: "complex128",
    str: "string",
    list: "[]interface {}",
    tuple: "[]interface {}",
    dict: "map[string]interface {}",
}


def go_type_name(value: Any) -> str:
    """Go's ``%T`` of a value (``string``, ``[]interface {}``, ``*v3.IPPool``)."""
    if value is None:
        return "<nil>"
    named = getattr(value, "go_type", None)
    if isinstance(named, str):
        return named
    for cls in type(value).__mro__:
        name = _BUILTIN_TYPES.get(cls)
        if name is not None:
            return name
    if isinstance(value, Mapping):
        return "map[string]interface {}"
    return type(value).__name__


def sort_keys(keys: Iterable[Any]) -> list[Any]:
    """Map keys in ``internal/fmtsort`` order: numbers by value, strings byte-wise, false < true."""

    def rank(key: Any) -> tuple[int, Any]:
        if isinstance(key, bool):
            return (0, key)
        if isinstance(key, (int, float)):
            return (1, (not math.isnan(key), key) if isinstance(key, float) else (True, key))
        if isinstance(key, str):
            return (2, key)
        return (3, str(key))

    return sorted(keys, key=rank)


# -- strconv pieces ----------------------------------------------------------------------------


# -- the printer ---------------------------------------------------------------------------------


class _Flags:
    __slots__ = ("minus", "plus", "plus_v", "prec", "sharp", "sharp_v", "space", "width", "zero")

    def __init__(self) -> None:
        self.minus = self.plus = self.sharp = self.space = self.zero = False
        # %+v and %#v: field names and Go syntax (fmt's plusV and sharpV).
        self.plus_v = self.sharp_v = False
        self.width: int | None = None
        self.prec: int | None = None


_PLAIN = _Flags()


def _pad(text: str, flags: _Flags, *, numeric: bool = False) -> str:
    width = flags.width
    if width is None or len(text) >= width:
        return text
    fill = width - len(text)
    if flags.minus:
        return text + " " * fill
    if flags.zero and numeric:
        sign = text[0] if text[:1] in "+- " else ""
        return sign + "0" * fill + text[len(sign) :]
    if flags.zero:
        return "0" * fill + text
    return " " * fill + text


def _bad_verb(verb: str, value: Any) -> str:
    if value is None:
        return f"%!{verb}(<nil>)"
    return f"%!{verb}({go_type_name(value)}={_value(value, 'v', _PLAIN, 0)})"


def _value(value: Any, verb: str, flags: _Flags, depth: int) -> str:
    """Go's ``printValue``: the value, formatted for ``verb``."""
    kind = go_kind(value)
    if kind == "invalid":
        if depth == 0:
            return "<nil>" if verb == "v" else _bad_verb(verb, None)
        return _pad("<nil>", flags)
    formatter = _BY_KIND.get(kind)
    if formatter is None or (kind == "struct" and not hasattr(value, "go_items")):
        # An object with a String() method (a port, a protocol): Go's handleMethods.
        if verb in "vsq" or (verb in "xX" and not flags.sharp):
            return _string(str(value), verb, flags)
        return _bad_verb(verb, value)
    return formatter(value, verb, flags, depth)


def _bool(value: Any, verb: str, flags: _Flags, depth: int) -> str:
    if verb in "tv":
        return _pad("true" if value else "false", flags)
    return _bad_verb(verb, value)


def _int(value: Any, verb: str, flags: _Flags, depth: int) -> str:
    number = int(value)
    if verb == "c":
        return _pad(_char(number), flags)
    if verb == "q":
        return _pad(_quote_char(number, flags.plus), flags)
    if verb == "U":
        text = f"U+{number:04X}" if number >= 0 else f"U+{number & (2**64 - 1):04X}"
        if flags.sharp and 0 <= number <= 0x10FFFF and is_print(chr(number)):
            text += f" '{chr(number)}'"
        return _pad(text, flags)
    base = {"v": 10, "d": 10, "b": 2, "o": 8, "O": 8, "x": 16, "X": 16}.get(verb)
    if base is None:
        if verb in "eEfFgG":
            return _float(float(number), verb, flags, depth)
        return _bad_verb(verb, value)
    digits = abs(number)
    text = format(digits, {10: "d", 2: "b", 8: "o", 16: "x"}[base])
    if verb == "X":
        text = text.upper()
    if flags.prec is not None:
        text = "" if flags.prec == 0 and number == 0 else text.rjust(flags.prec, "0")
    prefix = ""
    if verb == "O":
        prefix = "0o"
    elif flags.sharp:
        prefix = {2: "0b", 8: "0" if not text.startswith("0") else "", 16: "0x"}.get(base, "")
        if verb == "X" and prefix:
            prefix = "0X"
    sign = "-" if number < 0 else ("+" if flags.plus else (" " if flags.space else ""))
    text = sign + prefix + text
    if flags.zero and not flags.minus and flags.prec is None and flags.width is not None:
        fill = flags.width - len(text)
        if fill > 0:
            head = len(sign) + len(prefix)
            text = text[:head] + "0" * fill + text[head:]
        return text
    return _pad_spaces(text, flags)


def _pad_spaces(text: str, flags: _Flags) -> str:
    """Padding with spaces even under the 0 flag (an integer with a precision, as in Go)."""
    if flags.width is None or len(text) >= flags.width:
        return text
    fill = " " * (flags.width - len(text))
    return text + fill if flags.minus else fill + text


def _char(number: int) -> str:
    if 0 <= number <= 0x10FFFF and not 0xD800 <= number <= 0xDFFF:
        return chr(number)
    return "\ufffd"


def _quote_char(number: int, ascii_only: bool) -> str:
    ch = _char(number)
    if ch == "'":
        return "'\\''"
    if ch == '"':
        return "'\"'"
    return "'" + quote_rune(ch, "'", ascii_only=ascii_only) + "'"


def _float(value: Any, verb: str, flags: _Flags, depth: int) -> str:
    number = float(value)
    if verb in "vgG":
        text = format_float(number, "G" if verb == "G" else "g", -1 if flags.prec is None else flags.prec)
    elif verb in "eEfF":
        text = format_float(number, "f" if verb == "F" else verb, 6 if flags.prec is None else flags.prec)
    else:
        return _bad_verb(verb, value)
    if text[0] not in "+-" and (flags.plus or flags.space):
        text = ("+" if flags.plus else " ") + text
    if text in ("NaN", "+NaN", " NaN") or text.endswith("Inf"):
        saved, flags.zero = flags.zero, False
        try:
            return _pad(text, flags)
        finally:
            flags.zero = saved
    return _pad(text, flags, numeric=True)


def _complex(value: Any, verb: str, flags: _Flags, depth: int) -> str:
    number = complex(value)
    if verb not in "vbgGxXfFeE":
        return _bad_verb(verb, value)
    real = _float(number.real, verb, flags, depth)
    saved, flags.plus = flags.plus, True  # the imaginary part always has a sign
    try:
        imag = _float(number.imag, verb, flags, depth)
    finally:
        flags.plus = saved
    return f"({real}{imag}i)"


def _string(text: str, verb: str, flags: _Flags, depth: int = 0) -> str:
    if verb in "vs":
        if flags.sharp_v and verb == "v":
            return _pad(quote(text), flags)
        if flags.prec is not None:
            text = text[: flags.prec]
        return _pad(text, flags)
    if verb == "q":
        if flags.prec is not None:
            text = text[: flags.prec]
        if flags.sharp and "`" not in text and all(is_print(c) or c == "\t" for c in text):
            return _pad("`" + text + "`", flags)
        return _pad(quote(text, ascii_only=flags.plus), flags)
    if verb in "xX":
        data = text.encode("utf-8", "surrogatepass")
        if flags.prec is not None:
            data = data[: flags.prec]
        sep = " " if flags.space else ""
        prefix = ("0X" if verb == "X" else "0x") if flags.sharp else ""
        parts = [prefix + format(b, "02X" if verb == "X" else "02x") for b in data]
        if not flags.space and prefix:
            return _pad(prefix + "".join(p[2:] for p in parts), flags)
        return _pad(sep.join(parts), flags)
    return _bad_verb(verb, text)


def _str_kind(value: Any, verb: str, flags: _Flags, depth: int) -> str:
    return _string(str(value), verb, flags, depth)


def _elements(value: Any) -> Sequence[Any]:
    items = getattr(value, "items", value)
    return items if isinstance(items, (list, tuple)) else list(items)


def _slice(value: Any, verb: str, flags: _Flags, depth: int) -> str:
    items = _elements(value)
    if flags.sharp_v and verb == "v":
        inner = ", ".join(_value(v, verb, flags, depth + 1) for v in items)
        return f"{go_type_name(value)}{{{inner}}}"
    return "[" + " ".join(_value(v, verb, flags, depth + 1) for v in items) + "]"


def _map(value: Any, verb: str, flags: _Flags, depth: int) -> str:
    data = getattr(value, "data", value)
    keys = sort_keys(data.keys())
    if flags.sharp_v and verb == "v":
        inner = ", ".join(
            f"{_value(k, verb, flags, depth + 1)}:{_value(data[k], verb, flags, depth + 1)}" for k in keys
        )
        return f"{go_type_name(value)}{{{inner}}}"
    return (
        "map["
        + " ".join(f"{_value(k, verb, flags, depth + 1)}:{_value(data[k], verb, flags, depth + 1)}" for k in keys)
        + "]"
    )


def _struct(value: Any, verb: str, flags: _Flags, depth: int) -> str:
    items: Iterable[tuple[str, Any]] = value.go_items()
    if flags.sharp_v and verb == "v":
        inner = ", ".join(f"{name}:{_value(v, verb, flags, depth + 1)}" for name, v in items)
        return f"{go_type_name(value)}{{{inner}}}"
    if flags.plus_v and verb == "v":
        return "{" + " ".join(f"{name}:{_value(v, verb, flags, depth + 1)}" for name, v in items) + "}"
    return "{" + " ".join(_value(v, verb, flags, depth + 1) for _, v in items) + "}"


def _ptr(value: Any, verb: str, flags: _Flags, depth: int) -> str:
    target = value.elem
    if target is None:
        if flags.sharp_v and verb == "v":
            return f"({go_type_name(value)})(nil)"
        return "<nil>" if verb in "vs" else _bad_verb(verb, value)
    if go_kind(target) in ("struct", "slice", "map"):
        return "&" + _value(target, verb, flags, depth + 1)
    return _value(target, verb, flags, depth)


def _func(value: Any, verb: str, flags: _Flags, depth: int) -> str:
    if verb == "v" and depth > 0:
        return "0x0"
    return _bad_verb(verb, value) if verb != "v" else _pad("0x0", flags)


_BY_KIND: Mapping[str, Callable[[Any, str, _Flags, int], str]] = {
    "bool": _bool,
    "int": _int,
    "float": _float,
    "complex": _complex,
    "string": _str_kind,
    "slice": _slice,
    "map": _map,
    "struct": _struct,
    "ptr": _ptr,
    "func": _func,
}


def _arg(value: Any, verb: str, flags: _Flags) -> str:
    """Go's ``printArg``: ``%T`` and ``%p`` first, then the value."""
    if verb == "T":
        return _pad(go_type_name(value), flags)
    if value is None:
        return _pad("<nil>", flags) if verb == "v" else _bad_verb(verb, None)
    if verb == "p":
        return _bad_verb(verb, value)
    return _value(value, verb, flags, 0)


# -- the entry points ----------------------------------------------------------------------------


def sprint(*args: Any) -> str:
    """``fmt.Sprint``: a space between two operands when neither is a string."""
    out: list[str] = []
    previous_string = False
    for i, arg in enumerate(args):
        is_string = isinstance(arg, str)
        if i > 0 and not is_string and not previous_string:
            out.append(" ")
        out.append(_arg(arg, "v", _PLAIN))
        previous_string = is_string
    return "".join(out)


def sprintln(*args: Any) -> str:
    """``fmt.Sprintln``: operands separated by spaces, then a newline."""
    return " ".join(_arg(arg, "v", _PLAIN) for arg in args) + "\n"


def sprintf(format: str, *args: Any) -> str:
    """``fmt.Sprintf`` with Go's verbs, flags, widths, precisions and ``[n]`` argument indexes."""
    out: list[str] = []
    arg_num = 0
    reordered = False
    i = 0
    end = len(format)
    while i < end:
        start = i
        while i < end and format[i] != "%":
            i += 1
        if i > start:
            out.append(format[start:i])
        if i >= end:
            break
        i += 1  # the '%'
        flags = _Flags()
        good_arg_num = True
        while i < end and format[i] in "#0+- ":
            c = format[i]
            if c == "#":
                flags.sharp = True
            elif c == "0":
                flags.zero = not flags.minus
            elif c == "+":
                flags.plus = True
            elif c == "-":
                flags.minus = True
                flags.zero = False
            else:
                flags.space = True
            i += 1
        reordered = reordered or format.startswith("[", i)
        arg_num, i, after_index, ok = _arg_index(format, i, arg_num, len(args))
        good_arg_num = good_arg_num and ok
        if i < end and format[i] == "*":
            i += 1
            width, present, arg_num = _int_from_arg(args, arg_num)
            if not present:
                out.append("%!(BADWIDTH)")
            elif width < 0:
                width, flags.minus, flags.zero = -width, True, False
            flags.width = width if present else None
            after_index = False
        else:
            width_start = i
            while i < end and "0" <= format[i] <= "9":
                i += 1
            if i > width_start:
                flags.width = int(format[width_start:i])
                if after_index:  # "%[3]2d"
                    good_arg_num = False
        if i + 1 < end and format[i] == ".":
            i += 1
            if after_index:  # "%[3].2d"
                good_arg_num = False
            reordered = reordered or format.startswith("[", i)
            arg_num, i, after_index, ok = _arg_index(format, i, arg_num, len(args))
            good_arg_num = good_arg_num and ok
            if i < end and format[i] == "*":
                i += 1
                prec, present, arg_num = _int_from_arg(args, arg_num)
                if present and prec < 0:
                    present = False
                flags.prec = prec if present else None
                if not present:
                    out.append("%!(BADPREC)")
                after_index = False
            else:
                prec_start = i
                while i < end and "0" <= format[i] <= "9":
                    i += 1
                flags.prec = int(format[prec_start:i]) if i > prec_start else 0
        if not after_index:
            reordered = reordered or format.startswith("[", i)
            arg_num, i, after_index, ok = _arg_index(format, i, arg_num, len(args))
            good_arg_num = good_arg_num and ok
        if i >= end:
            out.append("%!(NOVERB)")
            break
        verb = format[i]
        i += 1
        if verb == "%":
            out.append("%")
            continue
        if not good_arg_num:
            out.append(f"%!{verb}(BADINDEX)")
            continue
        if arg_num >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        if verb == "w":
            verb = "v"
        if verb == "v":
            flags.sharp_v, flags.sharp = flags.sharp, False
            flags.plus_v, flags.plus = flags.plus, False
        out.append(_arg(args[arg_num], verb, flags))
        arg_num += 1
    if not reordered and arg_num < len(args):
        extra = ", ".join("<nil>" if a is None else f"{go_type_name(a)}={_arg(a, 'v', _PLAIN)}" for a in args[arg_num:])
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)


def _arg_index(format: str, i: int, arg_num: int, num_args: int) -> tuple[int, int, bool, bool]:
    """Go's ``argNumber``: an explicit ``[n]`` operand index (1-based in the format).  Returns
    the operand number, the new position, whether an index was found and whether it was good."""
    if i >= len(format) or format[i] != "[":
        return arg_num, i, False, True
    close = format.find("]", i + 1)
    if close < 0:
        return arg_num, i + 1, False, False
    text = format[i + 1 : close]
    if not text or not all("0" <= c <= "9" for c in text):
        return arg_num, close + 1, False, False
    index = int(text) - 1
    if 0 <= index < num_args:
        return index, close + 1, True, True
    return arg_num, close + 1, True, False


def _int_from_arg(args: Sequence[Any], arg_num: int) -> tuple[int, bool, int]:
    if arg_num >= len(args):
        return 0, False, arg_num
    value = args[arg_num]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= 1_000_000:
        return value, True, arg_num + 1
    return 0, False, arg_num + 1


def format_v(value: Any) -> str:
    """``fmt.Sprint(value)``: ``%v`` of one value (``true``, ``1e+06``, ``[a b]``, ``map[k:v]``, ``<nil>``)."""
    return sprint(value)


def format_g(value: float, precision: int) -> str:
    """``fmt.Sprintf("%.<precision>g", value)``: what calicoctl's ``%.5g`` percentages print."""
    return sprintf(f"%.{precision}g", value)
