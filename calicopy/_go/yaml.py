"""go-yaml v2 as calicoctl meets it through sigs.k8s.io/yaml v1.6 (go.yaml.in/yaml/v2 v2.4).

Reading: what a scalar means.  go-yaml v2 resolves an untagged plain scalar with YAML 1.1's
words (``yes``/``no``/``on``/``off``/``y``/``n`` are booleans, ``~`` is null) and Go's
``strconv`` for numbers (``0x1F``, ``0o17``, ``017``, ``0b11``, ``1_000``, ``.5``, ``1e3``;
integers beyond 64 bits become floats, or stay strings when not decimal); there are no base-60
numbers, and timestamps stay strings when decoded into ``interface{}``.  :func:`resolve_hinted`
and :func:`resolve_tagged` are the resolver of calicopy's YAML reader (:mod:`.yaml_load`).

Converting to JSON (sigs.k8s.io/yaml): non-string map keys and scalars decoded into Go string
fields become text (:func:`key_text`, :func:`string_target_text`).

Writing is :mod:`calicopy._go.yaml_print`, which asks this module what a string would read
back as.  This module needs no YAML library: the models use it, and stay free of PyYAML.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from typing import Any

from .strconv import format_float, try_parse_float, try_parse_int, try_parse_uint

__all__ = [
    "HINTS",
    "SPECIAL",
    "TAG_PREFIX",
    "TagError",
    "is_timestamp",
    "key_text",
    "resolve_hinted",
    "resolve_plain",
    "resolve_tagged",
    "short_tag",
    "string_target_text",
]

TAG_PREFIX = "tag:yaml.org,2002:"


# resolve.go's resolveMap: the plain scalars resolved by lookup.  (Its "<<" entry is never
# reached: "<" has no hint.  The decoder merges on a plain "<<" key by its text.)
SPECIAL: dict[str, Any] = {}
for _words, _value in (
    (("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    (("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    (("", "~", "null", "Null", "NULL"), None),
    ((".nan", ".NaN", ".NAN"), float("nan")),
    ((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), float("inf")),
    (("-.inf", "-.Inf", "-.INF"), float("-inf")),
):
    for _word in _words:
        SPECIAL[_word] = _value

# resolve.go's resolveTable: what the first character says a plain scalar may be ("M": a word of
# SPECIAL, ".": a float, "D"/"S": a number after a digit/sign).  No entry: certainly a string.
HINTS: dict[str, str] = {"": "M", "+": "S", "-": "S", ".": "."}
HINTS.update(dict.fromkeys("0123456789", "D"))
HINTS.update(dict.fromkeys("yYnNtTfFoO~", "M"))

_YAML_STYLE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_NOTHING: Any = object()
_SHORTEST_ABOVE_INT64 = len("0x8000000000000000")


def resolve_hinted(text: str, hint: str) -> Any:
    """go-yaml v2's value for an untagged plain scalar whose first character gave ``hint``.

    Timestamps are not looked for: decoded into ``interface{}`` they stay the string they are.
    """
    special = SPECIAL.get(text, _NOTHING)
    if special is not _NOTHING:
        return special
    if hint == ".":
        number = try_parse_float(text)
        return text if number is None else number
    if hint == "M":
        return text
    plain = text.replace("_", "") if "_" in text else text
    integer = try_parse_int(plain)
    if integer is None and len(plain) >= _SHORTEST_ABOVE_INT64 and plain[0] not in "+-":
        integer = try_parse_uint(plain)  # only [2**63, 2**64) parses unsigned but not signed
    if integer is not None:
        return integer
    if _YAML_STYLE_FLOAT.fullmatch(plain):
        # A subset of ParseFloat's decimal syntax, which float() reads alike; past float64 is
        # ParseFloat's range error.
        number = float(plain)
        if not math.isinf(number):
            return number
    # resolve.go then retries "0b"/"-0b" with base 2; ParseInt's base 0 has read those already.
    return text


def resolve_plain(text: str) -> Any:
    """go-yaml v2's value for an untagged plain scalar."""
    hint = HINTS.get(text[:1])
    return text if hint is None else resolve_hinted(text, hint)


def short_tag(value: Any) -> str:
    """The short tag go-yaml v2 gives a resolved value in its messages."""
    if value is None:
        return "!!null"
    if isinstance(value, bool):
        return "!!bool"
    if isinstance(value, int):
        return "!!int"
    if isinstance(value, float):
        return "!!float"
    return "!!str"


class TagError(ValueError):
    """An explicitly tagged scalar go-yaml v2 refuses.

    ``want`` is the tag (``!!int``), ``got`` what the text resolves to (``!!str``), or ``None``
    for a ``!!binary`` scalar that is not base64.
    """

    def __init__(self, text: str, want: str, got: str | None) -> None:
        self.text = text
        self.want = want
        self.got = got
        message = (
            "!!binary value contains invalid base64 data"
            if got is None
            else f"cannot decode {got} `{text}` as a {want}"
        )
        super().__init__(message)


_RESOLVABLE = frozenset({"int", "float", "bool", "null", "timestamp"})


def resolve_tagged(text: str, tag: str) -> Any:
    """go-yaml v2's value for a scalar with an explicit tag, decoded into ``interface{}``.

    Local tags (``!foo``) and ``!!str`` keep the text; ``!!binary`` is base64 (its bytes read
    as UTF-8); ``!!int``/``!!float``/``!!bool``/``!!null`` must resolve to that type (an integer
    is accepted as a float); ``!!timestamp`` must look like one and stays text.
    """
    if not tag.startswith(TAG_PREFIX):
        return text
    short = tag[len(TAG_PREFIX) :]
    if short == "binary":
        try:
            cleaned = text.replace("\n", "").replace("\r", "").encode("ascii")
            return base64.b64decode(cleaned, validate=True).decode("utf-8", "replace")
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise TagError(text, "!!binary", None) from None
    if short not in _RESOLVABLE:
        return text
    if short == "timestamp" and is_timestamp(text):
        return text
    hint = HINTS.get(text[:1])
    resolved: Any = text if hint is None else resolve_hinted(text, hint)
    if short == "float" and isinstance(resolved, int) and not isinstance(resolved, bool):
        resolved = float(resolved)
    if short_tag(resolved) != "!!" + short:
        raise TagError(text, "!!" + short, short_tag(resolved))
    return resolved


# go-yaml v2 parseTimestamp: the time.Parse layouts 2006-1-2T15:4:5.999999999Z07:00 (T or t),
# "2006-1-2 15:4:5.999999999" and 2006-1-2; time.Parse takes any number of fraction digits
# after "." or ",", and checks every field's range.
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?(?:Z|[+-](\d\d):(\d\d))"
    r"| (\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?)?"
)
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_timestamp(text: str) -> bool:
    """Would go-yaml v2 read this plain scalar as a timestamp?"""
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return False
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    if not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if not 1 <= day <= _DAYS_IN_MONTH[month - 1] + (1 if month == 2 and leap else 0):
        return False
    clock = match.group(4, 5, 6) if match[4] is not None else match.group(9, 10, 11)
    if clock[0] is not None:
        hour, minute, second = (int(x) for x in clock)
        if hour > 23 or minute > 59 or second > 59:
            return False
    zone_hour, zone_minute = match[7], match[8]
    return zone_hour is None or (int(zone_hour) <= 24 and int(zone_minute) <= 60)


# -- sigs.k8s.io/yaml: YAML values into JSON --------------------------------------------------------


def key_text(key: bool | int | float) -> str:
    """A non-string map key as sigs.k8s.io/yaml turns it into a JSON key (floats as float32)."""
    if key is True or key is False:
        return "true" if key else "false"
    if isinstance(key, int):
        return str(key)
    text = format_float(key, "g", -1, 32)
    return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text)


def string_target_text(value: Any) -> Any:
    """A YAML number or boolean decoded into a Go string field: sigs.k8s.io/yaml's text for it.

    Floats print as float32 (``1.5``, ``1e+06``, ``NaN``); anything else is returned unchanged.
    """
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_float(value, "g", -1, 32)
    return value
