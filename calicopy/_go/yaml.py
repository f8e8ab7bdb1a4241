"""go-yaml v2 as calicoctl meets it through sigs.k8s.io/yaml v1.6 (go.yaml.in/yaml/v2 v2.4).

Reading: what a scalar means.  go-yaml v2 resolves an untagged plain scalar with YAML 1.1's
words (``yes``/``no``/``on``/``off``/``y``/``n`` are booleans, ``~`` is null) and Go's
``strconv`` for numbers (``0x1F``, ``0o17``, ``017``, ``0b11``, ``1_000``, ``.5``, ``1e3``;
integers beyond 64 bits become floats, or stay strings when not decimal); there are no base-60
numbers, and timestamps stay strings when decoded into ``interface{}``.  :func:`resolve_plain`
and :func:`resolve_tagged` are the resolver of both calicopy readers (manifests, calicoctl.cfg).

Converting to JSON (sigs.k8s.io/yaml): non-string map keys and scalars decoded into Go string
fields become text (:func:`key_text`, :func:`string_target_text`).

Writing: :func:`marshal` prints JSON-shaped data as sigs.k8s.io/yaml's ``Marshal`` does
(``json.Marshal``, then go-yaml v2's encoder): keys sorted with go-yaml's natural order (digit
runs compared as numbers), sequences not indented under their key, strings quoted only when
they would read back as something else, numbers as JSON wrote them.  The emitter is libyaml's
(PyYAML's C extension), of which go-yaml v2's is a port.
"""

from __future__ import annotations

import base64
import binascii
import io
import math
import re
from collections.abc import Mapping
from functools import cmp_to_key
from typing import IO, Any

from yaml import nodes as _nodes
from yaml._yaml import CEmitter
from yaml.resolver import BaseResolver

from . import json as go_json
from .strconv import format_float, try_parse_float, try_parse_int, try_parse_uint

__all__ = [
    "HINTS",
    "SPECIAL",
    "TAG_PREFIX",
    "TagError",
    "is_timestamp",
    "key_less",
    "key_text",
    "marshal",
    "resolve_hinted",
    "resolve_plain",
    "resolve_tagged",
    "short_tag",
    "string_target_text",
]

TAG_PREFIX = "tag:yaml.org,2002:"
_STR_TAG = TAG_PREFIX + "str"
_SEQ_TAG = TAG_PREFIX + "seq"
_MAP_TAG = TAG_PREFIX + "map"


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


# -- sigs.k8s.io/yaml Marshal: JSON-shaped data out as go-yaml v2 YAML -----------------------------


def key_less(a: str, b: str) -> bool:
    """go-yaml v2 sorter.go ``keyList.Less`` for two string keys: digit runs compare as numbers."""
    for i in range(min(len(a), len(b))):
        ca, cb = a[i], b[i]
        if ca == cb:
            continue
        letter_a, letter_b = ca.isalpha(), cb.isalpha()
        if letter_a and letter_b:
            return ca < cb
        if letter_a or letter_b:
            return letter_b
        an = bn = 0
        if ca == "0" or cb == "0":
            j = i - 1
            while j >= 0 and a[j].isdecimal():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdecimal():
            an = an * 10 + (ord(a[ai]) - 48)
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdecimal():
            bn = bn * 10 + (ord(b[bi]) - 48)
            bi += 1
        an, bn = _int64(an), _int64(bn)
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ca < cb
    return len(a) < len(b)


def _int64(value: int) -> int:
    """Go's int64 arithmetic wraps around: so does the digit run value of a very long run."""
    return (value + (1 << 63)) % (1 << 64) - (1 << 63)


def _key_cmp(a: str, b: str) -> int:
    if key_less(a, b):
        return -1
    if key_less(b, a):
        return 1
    return 0


_KEY_ORDER = cmp_to_key(_key_cmp)
_BASE60 = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")


def _plain_reads_back(text: str) -> bool:
    """go-yaml v2 encoder: may ``text`` be written unquoted (it would read back as the same string)?"""
    hint = HINTS.get(text[:1])
    if hint is None:
        return True
    if hint in ("D", "S"):
        if is_timestamp(text):
            return False
        if ":" in text and _BASE60.fullmatch(text):  # base 60 is unsupported, yet quoted for old parsers
            return False
    return isinstance(resolve_hinted(text, hint), str)


def _scalar_style(text: str) -> str | None:
    if "\n" in text:
        return "|"
    return None if _plain_reads_back(text) else '"'


class _Emitter(CEmitter, BaseResolver):  # type: ignore[misc,unused-ignore]
    """libyaml's emitter with every scalar tagged !!str and the quoting decided by go-yaml's rules.

    An empty resolver keeps PyYAML's own YAML 1.1 resolver from overriding that decision.
    """

    yaml_implicit_resolvers: dict[str, Any] = {}
    yaml_path_resolvers: dict[Any, Any] = {}

    def __init__(self, stream: IO[str]) -> None:
        CEmitter.__init__(self, stream, indent=2, width=80, allow_unicode=True)
        BaseResolver.__init__(self)


def _str_node(text: str) -> Any:
    return _nodes.ScalarNode(_STR_TAG, text, style=_scalar_style(text))


def _number_text(value: int | float) -> str:
    """A number as go-yaml prints what json.Marshal wrote for it (and go-yaml read back)."""
    written = str(value) if isinstance(value, int) else go_json.format_float(value)
    read = resolve_plain(written)
    if isinstance(read, int):
        return str(read)
    return format_float(read, "g", -1, 64)


def _node(value: Any) -> Any:
    if isinstance(value, str):
        return _str_node(value)
    if value is None:
        return _nodes.ScalarNode(_STR_TAG, "null")
    if value is True or value is False:
        return _nodes.ScalarNode(_STR_TAG, "true" if value else "false")
    if isinstance(value, (int, float)):
        return _nodes.ScalarNode(_STR_TAG, _number_text(value))
    if isinstance(value, Mapping):
        items = {str(k): v for k, v in value.items()}
        keys = sorted(items, key=_KEY_ORDER)
        return _nodes.MappingNode(_MAP_TAG, [(_str_node(k), _node(items[k])) for k in keys], flow_style=False)
    if isinstance(value, (list, tuple)):
        return _nodes.SequenceNode(_SEQ_TAG, [_node(v) for v in value], flow_style=False)
    raise TypeError(f"cannot encode {type(value).__name__} as YAML")


def marshal(data: Any) -> str:
    """sigs.k8s.io/yaml ``Marshal`` of JSON-shaped data: the YAML calicoctl prints, newline-terminated."""
    stream = io.StringIO()
    emitter = _Emitter(stream)
    try:
        emitter.open()
        emitter.serialize(_node(data))
        emitter.close()
    finally:
        emitter.dispose()
    return stream.getvalue()
