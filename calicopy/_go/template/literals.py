"""Go literals inside actions: quoted strings, character constants and numbers.

``"a\\tb"``, `` `raw` `` and ``'x'`` unquote as ``strconv.Unquote``/``UnquoteChar`` do (errors say
``invalid syntax``); a number records every Go type it fits, as ``parse.NumberNode`` does, so
``3`` can be an int, a uint and a float64 and ``1e3`` a float64 that is also an integer.
"""

from __future__ import annotations

import re

from ..strconv import quote
from .nodes import _Number

__all__ = ["LiteralError", "parse_number", "unquote", "unquote_char"]


class LiteralError(ValueError):
    """A literal Go would reject; ``str()`` is Go's error text."""


_SYNTAX = "invalid syntax"
_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
_HEX_LEN = {"x": 2, "u": 4, "U": 8}
_HEX = frozenset("0123456789abcdefABCDEF")


def unquote_char(text: str, quote: str) -> tuple[str, str]:
    """Go's ``strconv.UnquoteChar``: the first (possibly escaped) character and the rest."""
    if not text:
        raise LiteralError(_SYNTAX)
    ch = text[0]
    if ch == quote and quote in "'\"":
        raise LiteralError(_SYNTAX)
    if ch != "\\":
        return ch, text[1:]
    if len(text) < 2:
        raise LiteralError(_SYNTAX)
    escape = text[1]
    rest = text[2:]
    if escape in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[escape], rest
    if escape in _HEX_LEN:
        size = _HEX_LEN[escape]
        digits = rest[:size]
        if len(digits) < size or not set(digits) <= _HEX:
            raise LiteralError(_SYNTAX)
        value = int(digits, 16)
        if escape != "x" and (value > 0x10FFFF or 0xD800 <= value <= 0xDFFF):
            raise LiteralError(_SYNTAX)
        return chr(value), rest[size:]
    if "0" <= escape <= "7":
        digits = text[1:4]
        if len(digits) < 3 or not all("0" <= d <= "7" for d in digits):
            raise LiteralError(_SYNTAX)
        value = int(digits, 8)
        if value > 255:
            raise LiteralError(_SYNTAX)
        return chr(value), text[4:]
    if escape in "'\"":
        if escape != quote:
            raise LiteralError(_SYNTAX)
        return escape, rest
    raise LiteralError(_SYNTAX)


def unquote(text: str) -> str:
    """Go's ``strconv.Unquote`` for ``"..."``, `` `...` `` and ``'.'``."""
    if len(text) < 2 or text[0] != text[-1]:
        raise LiteralError(_SYNTAX)
    quote = text[0]
    body = text[1:-1]
    if quote == "`":
        if "`" in body:
            raise LiteralError(_SYNTAX)
        return body.replace("\r", "")
    if quote not in "\"'" or "\n" in body:
        raise LiteralError(_SYNTAX)
    if "\\" not in body and quote not in body:
        if quote == "'" and len(body) != 1:
            raise LiteralError(_SYNTAX)
        return body
    out: list[str] = []
    while body:
        ch, body = unquote_char(body, quote)
        out.append(ch)
        if quote == "'" and body:
            raise LiteralError(_SYNTAX)
    if quote == "'" and len(out) != 1:
        raise LiteralError(_SYNTAX)
    return "".join(out)


# -- numbers -------------------------------------------------------------------------------------

_INT64 = (-(1 << 63), (1 << 63) - 1)
_UINT64_MAX = (1 << 64) - 1
_PREFIXES = {"0x": 16, "0o": 8, "0b": 2}
_DIGITS = {16: "0123456789abcdef", 10: "0123456789", 8: "01234567", 2: "01"}
_DECIMAL_FLOAT = re.compile(r"[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?")
_HEX_FLOAT = re.compile(r"[+-]?0[xX](?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+)[pP][+-]?[0-9_]+")


def _underscores_ok(text: str) -> bool:
    """Go's ``underscoreOK``: an underscore only between digits, or between a base prefix and a digit."""
    saw = "^"
    i = 0
    if text[:1] in "+-":
        text = text[1:]
    hexa = False
    if len(text) >= 2 and text[0] == "0" and text[1].lower() in "bxo":
        hexa = text[1].lower() == "x"
        i = 2
        saw = "0"
    for ch in text[i:]:
        if "0" <= ch <= "9" or (hexa and "a" <= ch.lower() <= "f"):
            saw = "0"
            continue
        if ch == "_":
            if saw != "0":
                return False
            saw = "_"
            continue
        if saw == "_":
            return False
        saw = "!"
    return saw != "_"


def _parse_uint(text: str) -> int | None:
    """``strconv.ParseUint(text, 0, 64)``, or None where Go fails."""
    if not text or text[0] in "+-":
        return None
    base = 10
    digits = text
    prefix = text[:2].lower()
    if prefix in _PREFIXES:
        base = _PREFIXES[prefix]
        digits = text[2:]
    elif text[0] == "0" and len(text) > 1:
        base, digits = 8, text[1:]
    if "_" in text and not _underscores_ok(text):
        return None
    digits = digits.replace("_", "")
    if not digits or any(d not in _DIGITS[base] for d in digits.lower()):
        return None
    value = int(digits, base)
    return value if value <= _UINT64_MAX else None


def _parse_int(text: str) -> int | None:
    """``strconv.ParseInt(text, 0, 64)``, or None where Go fails."""
    negative = text[:1] == "-"
    magnitude = _parse_uint(text[1:] if text[:1] in "+-" else text)
    if magnitude is None:
        return None
    value = -magnitude if negative else magnitude
    return value if _INT64[0] <= value <= _INT64[1] else None


def _parse_float(text: str) -> float | None:
    """``strconv.ParseFloat(text, 64)`` for the spellings the lexer lets through; None where Go fails
    (out-of-range values included)."""
    if "_" in text and not _underscores_ok(text):
        return None
    clean = text.replace("_", "")
    try:
        if _HEX_FLOAT.fullmatch(text):
            sign = -1.0 if clean.startswith("-") else 1.0
            value = sign * float.fromhex(clean.lstrip("+-"))
        elif _DECIMAL_FLOAT.fullmatch(text) and any(c.isdigit() for c in clean):
            value = float(clean)
        else:
            return None
    except (ValueError, OverflowError):
        return None
    if value in (float("inf"), float("-inf")):
        return None
    return value


def _fits_int64(value: float) -> bool:
    return value.is_integer() and _INT64[0] <= value <= _INT64[1]


def _fits_uint64(value: float) -> bool:
    return value.is_integer() and 0 <= value <= _UINT64_MAX


def _simplify_complex(num: _Number) -> None:
    num.is_float = num.complex128.imag == 0
    if num.is_float:
        num.float64 = num.complex128.real
        num.is_int = _fits_int64(num.float64)
        if num.is_int:
            num.int64 = int(num.float64)
        num.is_uint = _fits_uint64(num.float64)
        if num.is_uint:
            num.uint64 = int(num.float64)


def parse_number(text: str, kind: str) -> _Number:
    """A numeric constant as Go's ``newNumber`` reads it; ``kind`` is the lexer's item type
    (``number``, ``complex`` or ``charconst``)."""
    num = _Number()
    if kind == "charconst":
        ch, tail = unquote_char(text[1:], text[0])
        if tail != "'":
            raise LiteralError(f"malformed character constant: {text}")
        num.int64 = num.uint64 = ord(ch)
        num.float64 = float(ord(ch))
        num.is_int = num.is_uint = num.is_float = True
        return num
    if kind == "complex":
        try:
            num.complex128 = complex(text.replace("_", "").replace("i", "j"))
        except ValueError:
            raise LiteralError(f"illegal number syntax: {quote(text)}") from None
        num.is_complex = True
        _simplify_complex(num)
        return num
    if text.endswith("i"):
        imaginary = _parse_float(text[:-1])
        if imaginary is not None:
            num.is_complex = True
            num.complex128 = complex(0, imaginary)
            _simplify_complex(num)
            return num
    unsigned = _parse_uint(text)
    if unsigned is not None:
        num.is_uint, num.uint64 = True, unsigned
    signed = _parse_int(text)
    if signed is not None:
        num.is_int, num.int64 = True, signed
        if signed == 0:
            num.is_uint, num.uint64 = True, 0
    if num.is_int:
        num.is_float, num.float64 = True, float(num.int64)
    elif num.is_uint:
        num.is_float, num.float64 = True, float(num.uint64)
    else:
        value = _parse_float(text)
        if value is not None:
            if not any(c in text for c in ".eEpP"):
                raise LiteralError(f"integer overflow: {quote(text)}")
            num.is_float, num.float64 = True, value
            if _fits_int64(value):
                num.is_int, num.int64 = True, int(value)
            if _fits_uint64(value):
                num.is_uint, num.uint64 = True, int(value)
    if not (num.is_int or num.is_uint or num.is_float):
        raise LiteralError(f"illegal number syntax: {quote(text)}")
    return num
