"""Go's ``strconv``: number parsing and printing exactly as Go does them, error texts included.

calicoctl reads its environment with ``strconv`` (envconfig), go-yaml v2 decides what a plain
scalar is by trying ``ParseInt``/``ParseUint``/``ParseFloat``, and every float calicoctl prints
goes through ``FormatFloat``.  The functions here follow the Go standard library of the Go
release calicoctl v3.32 is built with (1.25): base prefixes and ``_`` digit separators with
base 0, hexadecimal floats, float32 rounding without double rounding, shortest round-trip
digits, and ``NumError`` texts such as ``strconv.ParseInt: parsing "x": invalid syntax``.

The ``try_*`` variants return ``None`` instead of raising: go-yaml v2 calls the parsers on every
scalar that starts like a number (IP addresses, CIDRs, port ranges), and building an error for
each of them would make manifest reading measurably slower.
"""

from __future__ import annotations

import math
import re
import struct
import unicodedata
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal

__all__ = [
    "NumError",
    "format_float",
    "parse_bool",
    "parse_float",
    "parse_int",
    "parse_uint",
    "quote",
    "to_float32",
    "try_parse_float",
    "try_parse_int",
    "try_parse_uint",
    "underscore_ok",
]

SYNTAX: Final = "invalid syntax"
RANGE: Final = "value out of range"

_Failure = Literal["invalid syntax", "value out of range"]


class NumError(ValueError):
    """``strconv.NumError``: which function failed, on what text, and why."""

    def __init__(self, func: str, num: str, err: str) -> None:
        self.func = func
        self.num = num
        self.err = err
        super().__init__(f"strconv.{func}: parsing {quote(num)}: {err}")


# -- Quote --------------------------------------------------------------------------------------

_SHORT_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def is_print(ch: str) -> bool:
    """``strconv.IsPrint``: letters, marks, numbers, punctuation, symbols and the ASCII space."""
    return ch == " " or unicodedata.category(ch)[0] in "LMNPS"


def quote_rune(ch: str, quote: str = '"', *, ascii_only: bool = False) -> str:
    """One character as ``strconv.Quote`` writes it inside ``quote`` (``QuoteToASCII`` with ``ascii_only``)."""
    if ch == quote or ch == "\\":
        return "\\" + ch
    code = ord(ch)
    if code < 0x80 and is_print(ch):
        return ch
    if not ascii_only and code >= 0x80 and is_print(ch):
        return ch
    short = _SHORT_ESCAPES.get(ch)
    if short is not None:
        return short
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, carried by "surrogateescape"
        return f"\\x{code - 0xDC00:02x}"
    if 0xD800 <= code <= 0xDFFF:  # not a valid rune: Go sees the bytes of invalid UTF-8
        return "".join(f"\\x{b:02x}" for b in ch.encode("utf-8", "surrogatepass"))
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def quote(text: str, *, ascii_only: bool = False) -> str:
    """``strconv.Quote`` (also ``fmt``'s ``%q`` and ``%#v`` of a string); ``QuoteToASCII`` with ``ascii_only``."""
    return '"' + "".join(quote_rune(ch, ascii_only=ascii_only) for ch in text) + '"'


# -- ParseBool ----------------------------------------------------------------------------------

_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


def parse_bool(text: str) -> bool:
    """``strconv.ParseBool``."""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise NumError("ParseBool", text, SYNTAX)


# -- ParseInt / ParseUint -----------------------------------------------------------------------


def underscore_ok(text: str) -> bool:
    """Go's ``underscoreOK``: ``_`` only between digits, or between a base prefix and a digit."""
    saw = "^"
    s = text[1:] if text[:1] in ("+", "-") else text
    i = 0
    hexadecimal = False
    if len(s) >= 2 and s[0] == "0" and s[1] in "bBoOxX":
        i, saw, hexadecimal = 2, "0", s[1] in "xX"
    for ch in s[i:]:
        if "0" <= ch <= "9" or (hexadecimal and ch in "abcdefABCDEF"):
            saw = "0"
        elif ch == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
    return saw != "_"


# The forms base 0 accepts, without separators: what nearly every input looks like.
_BASE0_PLAIN = re.compile(r"0[xX]([0-9a-fA-F]+)|0[bB]([01]+)|0[oO]([0-7]+)|0([0-7]*)|([1-9][0-9]*)")
_BASE0_SIGNED = re.compile(r"([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[bB]([01]+)|0[oO]([0-7]+)|0([0-7]*)|([1-9][0-9]*))")
_BASE0_RADIX = (16, 2, 8, 8, 10)
# The most decimal digits (no leading zero) a uint64 has.  Python's int() refuses decimal texts
# over 4,300 digits; anything longer than this is out of range without converting it.
_MAX_UINT64_DIGITS = len(str(2**64 - 1))
_DIGIT_VALUE = {c: int(c, 36) for c in "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def _check_sizes(func: str, text: str, base: int, bits: int) -> int:
    if not (base == 0 or 2 <= base <= 36):
        raise NumError(func, text, f"invalid base {base}")
    if bits == 0:
        return 64
    if not 0 < bits <= 64:
        raise NumError(func, text, f"invalid bit size {bits}")
    return bits


def _uint(text: str, base: int, bits: int, *, explain: bool) -> int | _Failure:
    """``ParseUint``'s value, or why it fails (``explain=False`` may say syntax for a range error)."""
    if base == 0:
        match = _BASE0_PLAIN.fullmatch(text)
        if match is not None:
            group = match.lastindex or 1
            digits = match.group(group) or "0"
            radix = _BASE0_RADIX[group - 1]
            if radix == 10 and len(digits) > _MAX_UINT64_DIGITS:
                return RANGE
            value = int(digits, radix)
            return value if value < (1 << bits) else RANGE
    if base == 0 and not explain and "_" not in text:
        return SYNTAX  # a fast "no" is all the try_* callers need
    return _uint_slowly(text, base, bits)


def _uint_slowly(text: str, base: int, bits: int) -> int | _Failure:
    """Go's digit loop: the first problem met wins (an overflow before a bad digit is a range error)."""
    if text == "":
        return SYNTAX
    with_separators = base == 0
    s = text
    if base == 0:
        base = 10
        if s[0] == "0":
            if len(s) >= 3 and s[1] in "bBoOxX":
                base = {"b": 2, "o": 8, "x": 16}[s[1].lower()]
                s = s[2:]
            else:
                base, s = 8, s[1:]
    limit = 1 << bits
    value = 0
    underscores = False
    for ch in s:
        if ch == "_" and with_separators:
            underscores = True
            continue
        digit = _DIGIT_VALUE.get(ch, 99)
        if digit >= base:
            return SYNTAX
        value = value * base + digit
        if value >= limit:
            return RANGE
    if underscores and not underscore_ok(text):
        return SYNTAX
    return value


def parse_uint(text: str, base: int = 0, bits: int = 64) -> int:
    """``strconv.ParseUint(text, base, bits)``; base 0 reads ``0x``/``0o``/``0b``/``0`` prefixes and ``_``."""
    bits = _check_sizes("ParseUint", text, base, bits)
    result = _uint(text, base, bits, explain=True)
    if isinstance(result, str):
        raise NumError("ParseUint", text, result)
    return result


def _int(text: str, base: int, bits: int, *, explain: bool) -> int | _Failure:
    match = _BASE0_SIGNED.fullmatch(text) if base == 0 else None
    if match is not None:
        group = match.lastindex or 2
        negative = match.group(1) == "-"
        digits = match.group(group) or "0"
        radix = _BASE0_RADIX[group - 2]
        if radix == 10 and len(digits) > _MAX_UINT64_DIGITS:
            return RANGE
        magnitude = int(digits, radix)
    elif text == "" or (base == 0 and not explain and "_" not in text):
        return SYNTAX
    else:
        negative = text[0] == "-"
        unsigned = _uint(text[1:] if text[0] in "+-" else text, base, bits, explain=explain)
        if isinstance(unsigned, str):
            return unsigned
        magnitude = unsigned
    cutoff = 1 << (bits - 1)
    if magnitude > cutoff or (magnitude == cutoff and not negative):
        return RANGE
    return -magnitude if negative else magnitude


def parse_int(text: str, base: int = 0, bits: int = 64) -> int:
    """``strconv.ParseInt(text, base, bits)`` (an optional sign, then ``ParseUint``'s syntax)."""
    bits = _check_sizes("ParseInt", text, base, bits)
    result = _int(text, base, bits, explain=True)
    if isinstance(result, str):
        raise NumError("ParseInt", text, result)
    return result


def try_parse_int(text: str, base: int = 0, bits: int = 64) -> int | None:
    """``ParseInt``'s value, or ``None`` where it fails."""
    if base or bits != 64:  # go-yaml's base 0, 64 bits is the hot path: valid as it is
        bits = _check_sizes("ParseInt", text, base, bits)
    result = _int(text, base, bits, explain=False)
    return None if isinstance(result, str) else result


def try_parse_uint(text: str, base: int = 0, bits: int = 64) -> int | None:
    """``ParseUint``'s value, or ``None`` where it fails."""
    if base or bits != 64:
        bits = _check_sizes("ParseUint", text, base, bits)
    result = _uint(text, base, bits, explain=False)
    return None if isinstance(result, str) else result


# -- ParseFloat ---------------------------------------------------------------------------------

# Go's readFloat grammar; a mantissa made only of "_" and "." fails underscore_ok below.
_DECIMAL_FLOAT = re.compile(r"[+-]?(?:[0-9_]+(?:\.[0-9_]*)?|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?")
_HEX_FLOAT = re.compile(r"[+-]?0[xX](?:[0-9a-fA-F_]+(?:\.[0-9a-fA-F_]*)?|\.[0-9a-fA-F_]+)[pP][+-]?[0-9_]+")
_INFINITIES = frozenset({"inf", "infinity"})
_FLOAT32_MAX_BITS = 0x7F7FFFFF


def _float(text: str) -> tuple[float, str] | _Failure:
    """The float64 nearest to ``text``, and ``text`` without separators (its exact value, if needed)."""
    body = text[1:] if text[:1] in ("+", "-") else text
    if body.lower() in _INFINITIES:
        return (-math.inf if text[0] == "-" else math.inf), ""
    if text.lower() == "nan":
        return math.nan, ""
    decimal = _DECIMAL_FLOAT.fullmatch(text) is not None
    if not decimal and _HEX_FLOAT.fullmatch(text) is None:
        return SYNTAX
    clean = text
    if "_" in text:
        if not underscore_ok(text):
            return SYNTAX
        clean = text.replace("_", "")
    try:
        value = float(clean) if decimal else float.fromhex(clean)
    except OverflowError:
        return RANGE
    return RANGE if math.isinf(value) else (value, clean)


def _exact(clean: str) -> Fraction:
    """The exact rational value of a decimal or hexadecimal float text (no separators)."""
    negative = clean.startswith("-")
    body = clean.lstrip("+-")
    if body[:2].lower() != "0x":
        return Fraction(Decimal(clean))
    mantissa, _, exponent = body[2:].lower().partition("p")
    whole, _, fraction = mantissa.partition(".")
    value = int(whole + fraction or "0", 16) * Fraction(2) ** (int(exponent) - 4 * len(fraction))
    return -value if negative else value


def _float32_bits(value: float) -> int:
    bits: int = struct.unpack("<I", struct.pack("<f", value))[0]
    return bits


def _float32_from_bits(bits: int) -> float:
    value: float = struct.unpack("<f", struct.pack("<I", bits))[0]
    return value


def to_float32(value: float) -> float:
    """``float32(value)``: the nearest float32 (ties to even); ``OverflowError`` past its range."""
    single: float = struct.unpack("<f", struct.pack("<f", value))[0]
    return single


def _round_to_float32(value: float, clean: str) -> float:
    """The float32 nearest to the exact number ``value`` was rounded from (no double rounding)."""
    if value == 0 or not math.isfinite(value):
        return value
    try:
        single = to_float32(value)
    except OverflowError:
        single = math.copysign(math.inf, value)
    if single == value:
        return single
    magnitude = abs(single)
    bits = _FLOAT32_MAX_BITS + 1 if math.isinf(single) else _float32_bits(magnitude)
    other_bits = bits + 1 if abs(value) > magnitude else bits - 1
    other = math.inf if other_bits > _FLOAT32_MAX_BITS else _float32_from_bits(other_bits)
    low, high = sorted((magnitude, other))
    if math.isinf(high):
        midpoint = Fraction(low) + (Fraction(low) - Fraction(_float32_from_bits(_FLOAT32_MAX_BITS - 1))) / 2
    else:
        midpoint = (Fraction(low) + Fraction(high)) / 2
    if Fraction(abs(value)) != midpoint:
        return single  # the float64 rounding could not have crossed a float32 midpoint
    exact = abs(_exact(clean))
    if exact == midpoint:
        return single  # a true tie: Go rounds it to even too
    return math.copysign(high if exact > midpoint else low, value)


def _parse_float(text: str, bits: int) -> float | _Failure:
    parsed = _float(text)
    if isinstance(parsed, str):
        return parsed
    value, clean = parsed
    if bits == 32 and clean:
        value = _round_to_float32(value, clean)
        if math.isinf(value):
            return RANGE
    return value


def parse_float(text: str, bits: int = 64) -> float:
    """``strconv.ParseFloat(text, bits)``: decimal or hexadecimal (``0x1.8p3``), ``_`` separators,
    ``inf``/``infinity``/``nan``; with ``bits=32`` the result is the nearest float32."""
    result = _parse_float(text, bits)
    if isinstance(result, str):
        raise NumError("ParseFloat", text, result)
    return result


def try_parse_float(text: str, bits: int = 64) -> float | None:
    """``ParseFloat``'s value, or ``None`` where it fails (syntax or range)."""
    result = _parse_float(text, bits)
    return None if isinstance(result, str) else result


# -- FormatFloat --------------------------------------------------------------------------------
#
# Digits are carried as Go's decimalSlice: ``digits`` without leading or trailing zeros and the
# decimal point position ``point``, the value being 0.<digits> x 10**point.


def _from_text(text: str) -> tuple[str, int]:
    """Digits and point of a plain or exponent-form decimal text of a positive number."""
    mantissa, _, exponent = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    point = len(whole) + (int(exponent) if exponent else 0)
    significant = digits.lstrip("0")
    point -= len(digits) - len(significant)
    significant = significant.rstrip("0")
    return (significant, point) if significant else ("", 0)


def _shortest32(value: float) -> tuple[str, int]:
    """Shortest digits that read back as this float32; the nearest such when there are several."""
    bits = _float32_bits(value)
    exact = Fraction(value)
    below = Fraction(_float32_from_bits(bits - 1))
    above = exact + (exact - below) if bits == _FLOAT32_MAX_BITS else Fraction(_float32_from_bits(bits + 1))
    low, high = (exact + below) / 2, (exact + above) / 2
    inclusive = bits % 2 == 0

    def inside(candidate: Fraction) -> bool:
        return low <= candidate <= high if inclusive else low < candidate < high

    for count in range(1, 10):
        nearest = Decimal(f"{value:.{count - 1}e}")
        if inside(Fraction(nearest)):
            return _from_text(f"{nearest:e}")
        step = Decimal(1).scaleb(nearest.adjusted() - count + 1)
        farther = nearest + step if Fraction(nearest) < exact else nearest - step
        if inside(Fraction(farther)):
            return _from_text(f"{farther:e}")
    return _from_text(repr(value))  # pragma: no cover - nine digits always suffice


def _fixed(value: float, count: int) -> tuple[str, int]:
    return _from_text(f"{value:.{count - 1}e}")


def _format_e(negative: bool, digits: str, point: int, prec: int, letter: str) -> str:
    first = digits[:1] or "0"
    text = ("-" if negative else "") + first
    if prec > 0:
        text += "." + digits[1 : prec + 1].ljust(prec, "0")
    exponent = point - 1 if digits else 0
    sign = "-" if exponent < 0 else "+"
    return f"{text}{letter}{sign}{abs(exponent):02d}"


def _format_f(negative: bool, digits: str, point: int, prec: int) -> str:
    text = digits[:point].ljust(point, "0") if point > 0 else "0"
    if prec > 0:
        fraction = ("0" * -point + digits) if point < 0 else digits[point:]
        text += "." + fraction[:prec].ljust(prec, "0")
    return ("-" if negative else "") + text


def format_float(value: float, fmt: str = "g", prec: int = -1, bits: int = 64) -> str:
    """``strconv.FormatFloat(value, fmt, prec, bits)`` for ``fmt`` in ``e E f g G``.

    ``prec=-1`` prints the fewest digits that read back as the same float64 (float32 with
    ``bits=32``).  ``'g'`` uses the exponent form when the decimal exponent is below -4 or at
    least the precision, 6 for the shortest form: ``1e+06``, ``100000``, ``0.0001``, ``1e-05``.
    """
    if fmt not in ("e", "E", "f", "g", "G"):
        raise ValueError(f"unsupported format {fmt!r}")
    if bits == 32 and math.isfinite(value):
        try:
            value = to_float32(value)
        except OverflowError:  # Go's float32(x) conversion: out of range is an infinity
            value = math.copysign(math.inf, value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    negative = math.copysign(1.0, value) < 0
    magnitude = abs(value)
    shortest = prec < 0
    if magnitude == 0:
        digits, point = "", 0
    elif shortest:
        digits, point = _shortest32(magnitude) if bits == 32 else _from_text(repr(magnitude))
    elif fmt in "eE":
        digits, point = _fixed(magnitude, prec + 1)
    elif fmt == "f":
        digits, point = _from_text(f"{magnitude:.{prec}f}")
    else:
        prec = max(prec, 1)
        digits, point = _fixed(magnitude, prec)
    if shortest:
        prec = {"e": len(digits) - 1, "E": len(digits) - 1, "f": len(digits) - point}.get(fmt, len(digits))
        prec = max(prec, 0)
    if fmt in "eE":
        return _format_e(negative, digits, point, prec, fmt)
    if fmt == "f":
        return _format_f(negative, digits, point, prec)
    exponent_limit = prec
    if exponent_limit > len(digits) >= point:
        exponent_limit = len(digits)
    if shortest:
        exponent_limit = 6
    exponent = point - 1
    if exponent < -4 or exponent >= exponent_limit:
        return _format_e(negative, digits, point, min(prec, len(digits)) - 1, "e" if fmt == "g" else "E")
    if prec > point:
        prec = len(digits)
    return _format_f(negative, digits, point, max(prec - point, 0))
