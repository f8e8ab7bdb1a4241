"""Scalar types with Calico's own JSON forms (``api/pkg/lib/numorstring``, ``metav1.Duration``).

Each type decodes what Go's ``UnmarshalJSON`` accepts, fails where it fails (with the same
reason text), and encodes the way its ``MarshalJSON`` writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, GetCoreSchemaHandler, PlainSerializer
from pydantic_core import PydanticCustomError, core_schema

from .._go.json import go_float_json
from .model import SHARED_ON_COPY, StrictDecode

__all__ = [
    "DSCP",
    "PORT_HINT",
    "ASNumber",
    "Duration",
    "GoFloat",
    "GoTime",
    "Int8",
    "Int32",
    "Int64",
    "IntOrString",
    "Port",
    "Protocol",
    "Uint8",
    "Uint16",
    "Uint32",
    "Uint64",
    "format_go_duration",
    "go_time_error",
    "parse_go_duration",
]

_DIGITS = re.compile(r"[0-9]+")
_PORT_RANGE = re.compile(r"([0-9]+):([0-9]+)")
_PORT_NAME = re.compile(r"[a-zA-Z0-9_.-]{1,128}")


PORT_HINT = (
    'a port is a number from 0 to 65535, a range "min:max" (such as "8000:8080") '
    "or a named port (letters, digits, '-', '_' and '.')"
)


def _bounded(lo: int, hi: int, go_type: str) -> Any:
    hint = f"{go_type}: a whole number from {lo} to {hi}"

    def check(value: int) -> int:
        if not lo <= value <= hi:
            raise PydanticCustomError(
                "go_number_range",
                "cannot unmarshal number {value} into a Go value of type {go_type}",
                {"value": value, "go_type": go_type, "hint": hint},
            )
        return value

    return AfterValidator(check)


Uint8 = Annotated[int, _bounded(0, 0xFF, "uint8")]
Uint16 = Annotated[int, _bounded(0, 0xFFFF, "uint16")]
Uint32 = Annotated[int, _bounded(0, 0xFFFFFFFF, "uint32")]
Uint64 = Annotated[int, _bounded(0, 0xFFFFFFFFFFFFFFFF, "uint64")]
Int8 = Annotated[int, _bounded(-0x80, 0x7F, "int8")]
Int32 = Annotated[int, _bounded(-0x80000000, 0x7FFFFFFF, "int32")]
Int64 = Annotated[int, _bounded(-0x8000000000000000, 0x7FFFFFFFFFFFFFFF, "int64")]

# float64: encoding/json prints integral values without a fraction.
GoFloat = Annotated[float, PlainSerializer(go_float_json, return_type=Any, when_used="json")]


def _int_not_bool(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True, slots=True)
class Port:
    """A policy port: a number, a range ``"min:max"`` or a named port (``numorstring.Port``)."""

    min_port: int = 0
    max_port: int = 0
    port_name: str = ""

    @classmethod
    def parse(cls, value: int | str) -> Port:
        """Decode as Go's ``Port.UnmarshalJSON``; raises ValueError with Go's reason."""
        if _int_not_bool(value):
            assert isinstance(value, int)
            if not 0 <= value <= 0xFFFF:
                raise ValueError(f"cannot unmarshal number {value} into Go value of type uint16")
            return cls(value, value)
        if not isinstance(value, str):
            raise ValueError(f"cannot unmarshal {type(value).__name__} into a port (number or string)")
        if _DIGITS.fullmatch(value):
            number = int(value)
            if number > 0xFFFF:
                raise ValueError(f"invalid port format ({value})")
            return cls(number, number)
        match = _PORT_RANGE.fullmatch(value)
        if match:
            low, high = int(match[1]), int(match[2])
            if low > 0xFFFF:
                raise ValueError(f"invalid minimum port number in range ({value})")
            if high > 0xFFFF:
                raise ValueError(f"invalid maximum port number in range ({value})")
            if low > high:
                raise ValueError(
                    f"minimum port number ({low}) is greater than maximum port number ({high}) in port range"
                )
            return cls(low, high)
        if not _PORT_NAME.fullmatch(value):
            raise ValueError(f"invalid name for named port ({value})")
        return cls(port_name=value)

    def to_json(self) -> int | str:
        if self.port_name:
            return self.port_name
        if self.min_port == self.max_port:
            return self.min_port
        return f"{self.min_port}:{self.max_port}"

    def __str__(self) -> str:
        return str(self.to_json())

    def __deepcopy__(self, memo: dict[int, Any]) -> Port:
        return self  # immutable, like a tuple of numbers: copies share it

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        def validate(value: Any) -> Port:
            # Lists of thousands of policies hold the same few ports: each is parsed once.
            kind = type(value)
            if kind is int or kind is str:
                port = _PARSED_PORTS.get(value)
                if port is not None:
                    return port
            elif isinstance(value, Port):
                return value
            try:
                port = cls.parse(value)
            except ValueError as exc:
                raise PydanticCustomError("go_decode", str(exc), {"hint": PORT_HINT}) from None
            if (kind is int or kind is str) and len(_PARSED_PORTS) < _MEMO_SIZE:
                _PARSED_PORTS[value] = port
            return port

        return core_schema.no_info_plain_validator_function(
            validate,
            serialization=core_schema.plain_serializer_function_ser_schema(lambda p: p.to_json()),
            json_schema_input_schema=core_schema.union_schema([core_schema.int_schema(), core_schema.str_schema()]),
        )


SHARED_ON_COPY.add(Port)


# Parsed scalars by value (the validators' results are immutable), for lists of many objects;
# bounded, so that a stream of distinct values cannot grow them without end.  ``int`` and ``str``
# keys only: ``True == 1`` must not find 1's entry.
_MEMO_SIZE = 4096
_PARSED_PORTS: dict[int | str, Port] = {}
_PROTOCOL_TEXTS: dict[str, int | str] = {}


def _uint8_or_string(value: Any) -> int | str:
    """``numorstring.Uint8OrString``: a numeric string becomes a number, any other string is kept verbatim."""
    if type(value) is str:
        known = _PROTOCOL_TEXTS.get(value)
        if known is None:
            known = int(value) if _DIGITS.fullmatch(value) and int(value) <= 0xFF else value
            if len(_PROTOCOL_TEXTS) < _MEMO_SIZE:
                _PROTOCOL_TEXTS[value] = known
        return known
    if _int_not_bool(value):
        if not 0 <= value <= 0xFF:
            raise PydanticCustomError(
                "go_decode",
                "cannot unmarshal number {value} into Go value of type uint8",
                {"value": value},
            )
        return int(value)
    if isinstance(value, str):
        if _DIGITS.fullmatch(value) and int(value) <= 0xFF:
            return int(value)
        return value
    raise PydanticCustomError(
        "go_decode",
        "cannot unmarshal {kind} into a protocol (number or string)",
        {"kind": type(value).__name__},
    )


def _number_or_string_schema(fn: Any) -> Any:
    from pydantic import PlainValidator, WithJsonSchema

    return (
        PlainValidator(fn),
        WithJsonSchema({"anyOf": [{"type": "integer"}, {"type": "string"}]}),
    )


Protocol = Annotated[int | str, *_number_or_string_schema(_uint8_or_string)]
"""A protocol: ``TCP``/``UDP``/``ICMP``/``ICMPv6``/``SCTP``/``UDPLite`` or 1-255 (validation checks which)."""


def _as_number(value: Any) -> int:
    if _int_not_bool(value):
        if not 0 <= value <= 0xFFFFFFFF:
            raise PydanticCustomError(
                "go_decode",
                "cannot unmarshal number {value} into Go value of type uint32",
                {"value": value},
            )
        return int(value)
    if isinstance(value, str):
        if _DIGITS.fullmatch(value) and int(value) <= 0xFFFFFFFF:
            return int(value)
        parts = value.split(".")
        if len(parts) == 2 and all(_DIGITS.fullmatch(p) and int(p) <= 0xFFFF for p in parts):
            return (int(parts[0]) << 16) + int(parts[1])
        raise PydanticCustomError("go_decode", "invalid AS Number format ({value})", {"value": value})
    raise PydanticCustomError(
        "go_decode",
        "cannot unmarshal {kind} into an AS number",
        {"kind": type(value).__name__},
    )


ASNumber = Annotated[int, *_number_or_string_schema(_as_number)]
"""An AS number (uint32); accepts a number, a decimal string or the dotted ``"a.b"`` form; written as a number."""


def _int_or_string(value: Any) -> int | str:
    if _int_not_bool(value):
        if not -0x80000000 <= value <= 0x7FFFFFFF:
            raise PydanticCustomError(
                "go_decode",
                "cannot unmarshal number {value} into Go value of type int32",
                {"value": value},
            )
        return int(value)
    if isinstance(value, str):
        return value
    raise PydanticCustomError(
        "go_decode",
        "cannot unmarshal {kind} into an int-or-string",
        {"kind": type(value).__name__},
    )


IntOrString = Annotated[int | str, *_number_or_string_schema(_int_or_string)]
"""Kubernetes' ``intstr.IntOrString`` (a string stays a string)."""

DSCP = Annotated[int | str, *_number_or_string_schema(_uint8_or_string)]
"""``numorstring.DSCP``: a number 0-63 or a name such as ``EF`` or ``AF11``."""


# -- Go durations (metav1.Duration writes time.Duration.String()) -------------------------------

_DURATION_UNITS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "μs": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}
_DURATION_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)")
_MAX_DURATION = (1 << 63) - 1


def parse_go_duration(text: str) -> int:
    """Nanoseconds in a Go duration string (``time.ParseDuration``): ``1h2m3.5s``, ``-90s``, ``0``."""
    original = text
    negative = text.startswith("-")
    if text[:1] in "+-":
        text = text[1:]
    if text == "0":
        return 0
    if not text:
        raise ValueError(f'time: invalid duration "{original}"')
    total = 0.0
    pos = 0
    while pos < len(text):
        match = _DURATION_PART.match(text, pos)
        if not match or match[1] in ("", "."):
            if match is None and _DURATION_PART.match(text + "s", pos):
                raise ValueError(f'time: missing unit in duration "{original}"')
            raise ValueError(f'time: invalid duration "{original}"')
        total += float(match[1]) * _DURATION_UNITS[match[2]]
        pos = match.end()
    if total > _MAX_DURATION:
        raise ValueError(f'time: invalid duration "{original}"')
    nanos = round(total)
    return -nanos if negative else nanos


def format_go_duration(nanos: int) -> str:
    """Go's ``time.Duration.String()``: ``2m0s``, ``1.5s``, ``300ms``, ``0s``."""
    if nanos == 0:
        return "0s"
    sign = "-" if nanos < 0 else ""
    n = abs(nanos)
    if n < 1_000_000_000:
        for unit, size in (("ms", 1_000_000), ("µs", 1_000), ("ns", 1)):
            if n >= size:
                return sign + _trim_fraction(n, size) + unit
    hours, rest = divmod(n, 3_600_000_000_000)
    minutes, rest = divmod(rest, 60_000_000_000)
    seconds = _trim_fraction(rest, 1_000_000_000)
    text = ""
    if hours:
        text += f"{hours}h"
    if hours or minutes:
        text += f"{minutes}m"
    return sign + text + seconds + "s"


def _trim_fraction(value: int, unit: int) -> str:
    whole, frac = divmod(value, unit)
    if not frac:
        return str(whole)
    digits = len(str(unit)) - 1
    return f"{whole}.{frac:0{digits}d}".rstrip("0")


def _duration(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError(
            "go_decode",
            "cannot unmarshal {kind} into a duration string",
            {"kind": type(value).__name__},
        )
    try:
        return format_go_duration(parse_go_duration(value))
    except ValueError as exc:
        raise PydanticCustomError("go_decode", str(exc)) from None


Duration = Annotated[str, *_number_or_string_schema(_duration)]
"""``metav1.Duration``: any Go duration string, normalised to Go's spelling (``120s`` -> ``2m0s``)."""


# -- metav1.Time (RFC 3339, as Go's time.Parse reads it) -----------------------------------------

_RFC3339 = "2006-01-02T15:04:05Z07:00"
# The layout's chunks: literal prefix, element, digits (0: one or two), the name of its range and the range.
_TIME_CHUNKS = (
    ("", "2006", 4, "", (0, 9999)),
    ("-", "01", 2, "month", (1, 12)),
    ("-", "02", 2, "", (0, 99)),  # the day is checked against the month at the end, as Go does
    ("T", "15", 0, "hour", (0, 23)),
    (":", "04", 2, "minute", (0, 59)),
    (":", "05", 2, "second", (0, 59)),
)
_FRACTION = re.compile(r"[.,][0-9]+")


def _go_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _time_error(value: str, value_elem: str, layout_elem: str) -> str:
    return (
        f"parsing time {_go_quote(value)} as {_go_quote(_RFC3339)}: "
        f"cannot parse {_go_quote(value_elem)} as {_go_quote(layout_elem)}"
    )


def _leading_number(text: str, digits: int) -> tuple[int, str] | None:
    """Go's ``getnum`` (``digits`` 2: exactly two; 0: one or two) and the year's four digits."""
    width = digits or (2 if text[1:2].isdigit() else 1)
    head = text[:width]
    if len(head) < width or not (head.isascii() and head.isdigit()):
        return None
    return int(head), text[width:]


def go_time_error(value: str) -> str | None:
    """Why ``time.Parse(time.RFC3339, value)`` fails, in Go's words; None when it parses."""
    rest = value
    numbers: list[int] = []
    for prefix, element, digits, name, (low, high) in _TIME_CHUNKS:
        if not rest.startswith(prefix):
            return _time_error(value, rest, prefix)
        rest = rest[len(prefix) :]
        parsed = _leading_number(rest, digits)
        if parsed is None:
            return _time_error(value, rest, element)
        number, rest = parsed
        if name and not low <= number <= high:
            return f"parsing time {_go_quote(value)}: {name} out of range"
        numbers.append(number)
    fraction = _FRACTION.match(rest)
    if fraction:
        rest = rest[fraction.end() :]
    zone_error = _zone_error(value, rest)
    if zone_error is not None:
        return zone_error
    rest = rest[1:] if rest.startswith("Z") else rest[6:]
    if rest:
        return f"parsing time {_go_quote(value)}: extra text: {_go_quote(rest)}"
    year, month, day = numbers[:3]
    if not 1 <= day <= _days_in(month, year):
        return f"parsing time {_go_quote(value)}: day out of range"
    return None


def _zone_error(value: str, rest: str) -> str | None:
    if rest.startswith("Z"):
        return None
    zone = rest[:6]
    if len(zone) < 6 or zone[3] != ":" or zone[0] not in "+-" or not (zone[1:3] + zone[4:6]).isdigit():
        return _time_error(value, rest, "Z07:00")
    if int(zone[1:3]) > 24:
        return f"parsing time {_go_quote(value)}: time zone offset hour out of range"
    if int(zone[4:6]) > 60:
        return f"parsing time {_go_quote(value)}: time zone offset minute out of range"
    return None


def _days_in(month: int, year: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


# Checked on user input only (``StrictDecode``); "" is the zero time as calicopy holds it.
GoTime = Annotated[str, StrictDecode(go_time_error)]
"""``metav1.Time``: an RFC 3339 timestamp, kept as written; on user input anything Go's
``time.Parse`` rejects is an error."""
