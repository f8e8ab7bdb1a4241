"""Parity of calicopy._go.json with Go's encoding/json (and libcalico-go's jsoniter).

Cases from golang/go src/encoding/json/encode_test.go (encodeStringTests, TestHTMLEscape,
TestMarshalFloat, TestNilMarshal) at Go 1.25, where ``\\b`` and ``\\f`` have short escapes;
jsoniter's ConfigCompatibleWithStandardLibrary (libcalico-go/lib/json/json.go) writes them as
``\\u0008`` and ``\\u000c``.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pytest

from calicopy._go import json as go_json
from calicopy._go.json import (
    format_float,
    go_float_json,
    jsoniter_marshal,
    marshal,
    marshal_indent,
    quote,
    sort_map,
)
from calicopy._go.strconv import parse_float

# encode_test.go encodeStringTests
ENCODE_STRING = [
    ("\x00", '"\\u0000"'),
    ("\x01", '"\\u0001"'),
    ("\x02", '"\\u0002"'),
    ("\x03", '"\\u0003"'),
    ("\x04", '"\\u0004"'),
    ("\x05", '"\\u0005"'),
    ("\x06", '"\\u0006"'),
    ("\x07", '"\\u0007"'),
    ("\x08", '"\\b"'),
    ("\x09", '"\\t"'),
    ("\x0a", '"\\n"'),
    ("\x0b", '"\\u000b"'),
    ("\x0c", '"\\f"'),
    ("\x0d", '"\\r"'),
    ("\x0e", '"\\u000e"'),
    ("\x0f", '"\\u000f"'),
    ("\x10", '"\\u0010"'),
    ("\x11", '"\\u0011"'),
    ("\x12", '"\\u0012"'),
    ("\x13", '"\\u0013"'),
    ("\x14", '"\\u0014"'),
    ("\x15", '"\\u0015"'),
    ("\x16", '"\\u0016"'),
    ("\x17", '"\\u0017"'),
    ("\x18", '"\\u0018"'),
    ("\x19", '"\\u0019"'),
    ("\x1a", '"\\u001a"'),
    ("\x1b", '"\\u001b"'),
    ("\x1c", '"\\u001c"'),
    ("\x1d", '"\\u001d"'),
    ("\x1e", '"\\u001e"'),
    ("\x1f", '"\\u001f"'),
]


@pytest.mark.parametrize(("text", "encoded"), ENCODE_STRING)
def test_encode_string(text: str, encoded: str) -> None:
    assert marshal(text) == encoded
    assert quote(text) == encoded


def test_html_escape() -> None:
    # encode_test.go TestHTMLEscape: <, >, &, U+2028 and U+2029 are escaped by Marshal too.
    value = "<html>foo &\u2028 \u2029</html>"
    assert marshal({"M": value}) == '{"M":"\\u003chtml\\u003efoo \\u0026\\u2028 \\u2029\\u003c/html\\u003e"}'
    assert jsoniter_marshal({"M": value}) == marshal({"M": value})


@pytest.mark.parametrize(
    ("value", "text"),
    [
        # libcalico-go lib/json (jsoniter ConfigCompatibleWithStandardLibrary), what the KDD stores.
        ("a<b>&c", '"a\\u003cb\\u003e\\u0026c"'),
        ("line\nbreak\ttab\r", '"line\\nbreak\\ttab\\r"'),
        ("\x08\x0c\x01", '"\\u0008\\u000c\\u0001"'),  # jsoniter: only \n \r \t get short escapes
        ("\u2028\u2029", '"\\u2028\\u2029"'),
        ("é☃", '"é☃"'),  # non-ASCII stays UTF-8
        ({"b": 1, "a": [None, True, False]}, '{"b":1,"a":[null,true,false]}'),  # compact, order kept
        (1e-7, "1e-7"),  # encoding/json floatEncoder
        (0.00001, "0.00001"),
    ],
)
def test_jsoniter_marshal(value: Any, text: str) -> None:
    assert jsoniter_marshal(value) == text


def test_std_and_jsoniter_differ_only_on_backspace_and_formfeed() -> None:
    for code in range(0x80):
        ch = chr(code)
        if ch in "\b\f":
            assert quote(ch) != quote(ch, jsoniter=True)
        else:
            assert quote(ch) == quote(ch, jsoniter=True)


def test_nil_marshal() -> None:
    # encode_test.go TestNilMarshal: nil interface, slice and map are null; new(float64) is 0.
    assert marshal(None) == "null"
    assert marshal(0.0) == "0"
    assert marshal({"M": "gopher"}) == '{"M":"gopher"}'


# encode_test.go TestMarshalFloat: syntactic checks on marshaled floats, and they read back.
_BAD_FLOAT = [
    re.compile(p)
    for p in (
        r"p",  # no binary exponential notation
        r"^\+",  # no leading + sign
        r"^-?0[^.]",  # no unnecessary leading zeros
        r"^-?\.",  # leading zero required before decimal point
        r"\.(e|$)",  # no trailing decimal
        r"\.[0-9]+0(e|$)",  # no trailing zero in fraction
        r"^-?(0|[0-9]{2,})\..*e",  # exponential notation must have normalized mantissa
        r"e[0-9]",  # positive exponent must be signed
        r"e[+-]0",  # exponent must not have leading zeros
        r"e-[1-6]$",  # not tiny enough for exponential notation
        r"e+(.|1.|20)$",  # not big enough for exponential notation
        r"^-?0\.0000000",  # too tiny, should use exponential notation
        r"^-?[0-9]{22}",  # too big, should use exponential notation
        r"[1-9][0-9]{16}[1-9]",  # too many significant digits in integer
        r"[1-9][0-9.]{17}[1-9]",  # too many significant digits in decimal
    )
]


def _check_float(value: float) -> None:
    text = marshal(value)
    back = parse_float(text, 64)
    assert back == value and math.copysign(1, back) == math.copysign(1, value), text
    for bad in _BAD_FLOAT:
        assert not bad.search(text), (text, bad.pattern)


def test_marshal_float() -> None:
    digits = "1.2345678901234567890123"
    for i in range(len(digits), 1, -4):
        for exponent in range(-30, 31):
            for sign in "+-":
                value = parse_float(f"{sign}{digits[:i]}e{exponent}", 64)
                for candidate in (value, math.nextafter(value, math.inf), math.nextafter(value, -math.inf)):
                    _check_float(candidate)
    _check_float(0.0)
    _check_float(-0.0)


@pytest.mark.parametrize(
    ("value", "text"),
    [(1e-7, "1e-7"), (0.5, "0.5"), (1234567.5, "1234567.5"), (1e21, "1e+21"), (1e20, "100000000000000000000")],
)
def test_float_format(value: float, text: str) -> None:
    assert format_float(value) == text


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_unsupported_float(value: float) -> None:
    # encoding/json: "json: unsupported value: NaN" (the value printed by FormatFloat 'g').
    with pytest.raises(ValueError, match=r"^json: unsupported value: (NaN|\+Inf|-Inf)$"):
        marshal(value)


def test_marshal_indent() -> None:
    # json.MarshalIndent(v, "", "  "): calicoctl's -o json (moved from test_manifests).
    assert marshal_indent({"a": 1e-7, "b": 0.5, "c": 1234567.5, "d": 1e21}) == (
        '{\n  "a": 1e-7,\n  "b": 0.5,\n  "c": 1234567.5,\n  "d": 1e+21\n}'
    )
    assert marshal_indent({"s": "<a> & \u2028"}) == '{\n  "s": "\\u003ca\\u003e \\u0026 \\u2028"\n}'
    assert marshal_indent([]) == "[]" and marshal_indent({}) == "{}"
    assert marshal_indent({"a": [1, {"b": None}], "e": {}}) == (
        '{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ],\n  "e": {}\n}'
    )
    assert marshal_indent({"a": [1]}, ">", "\t") == '{\n>\t"a": [\n>\t\t1\n>\t]\n>}'


def test_go_float_json_drops_the_fraction_of_integral_values() -> None:
    assert go_float_json(1e6) == 1000000 and isinstance(go_float_json(1e6), int)
    assert go_float_json(0.5) == 0.5
    assert isinstance(go_float_json(1e21), float)
    assert math.isnan(go_float_json(math.nan))


def test_sort_map_is_byte_order() -> None:
    assert list(sort_map({"b": 1, "B": 2, "a": 3, "é": 4, "z": 5})) == ["B", "a", "b", "z", "é"]
    assert sort_map({"b": {"y": 1, "x": [{"d": 1, "c": 2}]}, "a": 0}, deep=True) == {
        "a": 0,
        "b": {"x": [{"c": 2, "d": 1}], "y": 1},
    }
    assert list(sort_map({"b": {"y": 1, "x": 2}, "a": 0})["b"]) == ["y", "x"]


@pytest.mark.parametrize("jsoniter", [False, True])
def test_quote_takes_the_c_escaper_only_where_it_writes_what_go_writes(jsoniter: bool) -> None:
    # quote() hands strings without HTML characters, \b or \f to the json module's C escaper;
    # every code point must come out as Go's escaping rule (the regular expression) writes it.
    escaper = go_json._JSONITER_ESCAPE if jsoniter else go_json._STD_ESCAPE
    points = [*range(0x3000), 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xFEFF, 0xFFFD, 0x10000, 0x10FFFF]
    for point in points:
        text = f"a{chr(point)}b\\{chr(point)}"
        assert go_json.quote(text, jsoniter=jsoniter) == '"' + go_json._NEEDS_ESCAPE.sub(escaper, text) + '"', hex(
            point
        )
