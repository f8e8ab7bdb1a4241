"""Go's ``encoding/json`` output for JSON-shaped Python data, byte for byte.

Two encoders matter to calicopy:

* ``encoding/json`` (Go 1.25), used by calicoctl for ``-o json`` (``json.MarshalIndent`` with
  two spaces): :func:`marshal` and :func:`marshal_indent`;
* jsoniter's ``ConfigCompatibleWithStandardLibrary``, used by libcalico-go v3.32.1 for what it
  stores (``libcalico-go/lib/json``): :func:`jsoniter_marshal`.

They agree on everything but one detail of string escaping: both escape ``<``, ``>``, ``&``,
U+2028 and U+2029 (HTML-safe output) and write control characters as ``\\u00XX`` (lower-case
hex), but ``encoding/json`` writes ``\\b`` and ``\\f`` short while jsoniter writes ``\\u0008``
and ``\\u000c``.  Non-ASCII text stays UTF-8.  Floats follow one rule (:func:`format_float`).

Python dicts cannot say whether they came from a Go struct (field order kept) or a Go map
(keys sorted), so callers sort maps first with :func:`sort_map`; the encoders keep the order
they are given.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from json.encoder import encode_basestring as _plain_quote
from typing import Any

from .strconv import format_float as _format_float

__all__ = [
    "format_float",
    "go_float_json",
    "jsoniter_marshal",
    "jsoniter_quote",
    "marshal",
    "marshal_indent",
    "quote",
    "sort_map",
]

_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f<>&\u2028\u2029]')
_JSONITER_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_STD_SHORT = {**_JSONITER_SHORT, "\b": "\\b", "\f": "\\f"}


def _escaper(short: Mapping[str, str]) -> Any:
    def escape(match: re.Match[str]) -> str:
        ch = match.group(0)
        return short.get(ch) or f"\\u{ord(ch):04x}"

    return escape


_STD_ESCAPE = _escaper(_STD_SHORT)
_JSONITER_ESCAPE = _escaper(_JSONITER_SHORT)


# Where Go's escaping differs from Python's json module (which writes ``\b``/``\f`` short and
# leaves HTML characters alone); the rest, quotes, backslashes and other control characters as
# lower-case ``\u00XX``, is the same.  Stored values and listings quote thousands of strings, so
# those without these characters take the json module's C escaper.
_NOT_PLAIN = re.compile("[<>&\u2028\u2029\b\f]")


def quote(text: str, *, jsoniter: bool = False) -> str:
    """A JSON string as ``encoding/json`` (or, with ``jsoniter=True``, libcalico-go's jsoniter) writes it."""
    if _NOT_PLAIN.search(text) is None:
        return _plain_quote(text)
    return '"' + _NEEDS_ESCAPE.sub(_JSONITER_ESCAPE if jsoniter else _STD_ESCAPE, text) + '"'


def jsoniter_quote(text: str) -> str:
    """``quote(text, jsoniter=True)``, as a one-argument function for the stored-value writer."""
    return quote(text, jsoniter=True)


def format_float(value: float) -> str:
    """A float64 as both encoders write it: shortest digits, ``'e'`` form outside [1e-6, 1e21).

    The exponent loses a leading zero when negative (``1e-7``, but ``1e+21``).  NaN and the
    infinities are not JSON: ``ValueError`` (Go's ``json: unsupported value: NaN``).
    """
    if not math.isfinite(value):
        raise ValueError(f"json: unsupported value: {_format_float(value)}")
    magnitude = abs(value)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        text = _format_float(value, "e", -1, 64)
        if text[-4] == "e" and text[-3] == "-" and text[-2] == "0":
            text = text[:-2] + text[-1]
        return text
    return _format_float(value, "f", -1, 64)


def go_float_json(value: float) -> float | int:
    """A float64 as a Python number that prints like Go: integral values lose their fraction.

    ``encoding/json`` writes ``1e6`` as ``1000000``; Python's ``json`` would write ``1000000.0``.
    Used by the models' serializer so that ``to_dict()`` already holds Go's numbers.
    """
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    return value


def _compact(value: Any, jsoniter: bool) -> str:
    if isinstance(value, str):
        return quote(value, jsoniter=jsoniter)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return format_float(value)
    if isinstance(value, Mapping):
        return (
            "{"
            + ",".join(quote(str(k), jsoniter=jsoniter) + ":" + _compact(v, jsoniter) for k, v in value.items())
            + "}"
        )
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_compact(v, jsoniter) for v in value) + "]"
    raise TypeError(f"cannot marshal {type(value).__name__} as JSON")


def marshal(value: Any) -> str:
    """``json.Marshal(value)``: compact, dict order kept (see :func:`sort_map`)."""
    return _compact(value, False)


def jsoniter_marshal(value: Any) -> str:
    """libcalico-go's ``json.Marshal`` (jsoniter): compact, dict order kept, jsoniter's escaping."""
    return _compact(value, True)


def marshal_indent(value: Any, prefix: str = "", indent: str = "  ") -> str:
    """``json.MarshalIndent(value, prefix, indent)``; no trailing newline, ``{}``/``[]`` when empty."""
    out: list[str] = []
    _indented(value, prefix, indent, out)
    return "".join(out)


def _indented(value: Any, margin: str, indent: str, out: list[str]) -> None:
    if isinstance(value, Mapping):
        if not value:
            out.append("{}")
            return
        inner = margin + indent
        out.append("{")
        separator = "\n"
        for k, v in value.items():
            out.append(separator)
            separator = ",\n"
            out.append(inner)
            out.append(quote(str(k)))
            out.append(": ")
            _indented(v, inner, indent, out)
        out.append("\n" + margin + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = margin + indent
        out.append("[")
        separator = "\n"
        for v in value:
            out.append(separator)
            separator = ",\n"
            out.append(inner)
            _indented(v, inner, indent, out)
        out.append("\n" + margin + "]")
    else:
        out.append(_compact(value, False))


def sort_map(value: Mapping[str, Any], *, deep: bool = False) -> dict[str, Any]:
    """A Go map's key order (byte-wise sorted); ``deep`` sorts nested dicts too (for free-form JSON)."""
    items = sorted(value.items(), key=lambda kv: kv[0].encode())
    if deep:
        return {k: _deep_sort(v) for k, v in items}
    return dict(items)


def _deep_sort(value: Any) -> Any:
    if isinstance(value, Mapping):
        return sort_map(value, deep=True)
    if isinstance(value, list):
        return [_deep_sort(v) for v in value]
    return value
