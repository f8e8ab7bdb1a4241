"""Go's ``json.Marshal`` bytes for JSON-shaped Python data (what libcalico-go v3.32.1 writes).

v3.32.1 marshals with jsoniter ``ConfigCompatibleWithStandardLibrary`` (``libcalico-go/lib/json``):
compact output, struct fields in declaration order, map keys sorted, and strings escaped like
``encoding/json`` with HTML escaping on: ``<``, ``>``, ``&``, U+2028 and U+2029 become ``\\u003c``
etc., control characters other than ``\\n``, ``\\r``, ``\\t`` become ``\\u00XX`` (lower-case hex),
non-ASCII text stays UTF-8.

Python dicts cannot say whether they came from a Go struct (keep order) or a Go map (sort keys),
so the caller sorts maps first (:func:`sort_map`); :func:`go_marshal` keeps the order it is given.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

__all__ = ["go_marshal", "sort_map"]

_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f<>&\u2028\u2029]')


def _escape_char(match: re.Match[str]) -> str:
    ch = match.group(0)
    return _SHORT.get(ch) or f"\\u{ord(ch):04x}"


def _string(text: str) -> str:
    return '"' + _NEEDS_ESCAPE.sub(_escape_char, text) + '"'


def _float(value: float) -> str:
    # encoding/json's float64 rule: shortest round-trip digits, 'e' format outside [1e-6, 1e21)
    # with the exponent's leading zero dropped ("1e-07" becomes "1e-7").
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"json: unsupported value: {value!r}")
    absolute = abs(value)
    if absolute != 0 and (absolute < 1e-6 or absolute >= 1e21):
        mantissa, _, exponent = repr(value).partition("e")
        sign = "-" if exponent.startswith("-") else "+"
        return f"{mantissa.removesuffix('.0')}e{sign}{exponent.lstrip('+-').lstrip('0') or '0'}"
    text = format(Decimal(repr(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def go_marshal(value: Any) -> str:
    """Compact Go JSON text for ``value`` (dict order kept as given; see :func:`sort_map`)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, Mapping):
        return "{" + ",".join(_string(str(k)) + ":" + go_marshal(v) for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(go_marshal(v) for v in value) + "]"
    raise TypeError(f"cannot marshal {type(value).__name__} as JSON")


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
