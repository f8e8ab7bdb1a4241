"""Parity of ``calicopy._go.printf`` with Go's ``fmt``: cases from go/src/fmt/fmt_test.go
(fmtTests, for the verbs and value kinds calicopy's templates print: no byte slices, no %b/%x
floats), plus the printing rules text/template relies on."""

from __future__ import annotations

import math
from typing import Any

import pytest

from calicopy._go.fmt import sprint, sprintf, sprintln
from calicopy._go.strconv import format_float
from calicopy._go.strconv import quote as go_quote
from calicopy._go.template import GoMap, GoPointer, GoSlice, GoStruct

FMT_TESTS: list[tuple[str, Any, str]] = [
    ("%d", 12345, "12345"),
    ("%v", 12345, "12345"),
    ("%t", True, "true"),
    ("%s", "abc", "abc"),
    ("%q", "abc", '"abc"'),
    ("%x", "abc", "616263"),
    ("%x", "\xff\xf0\x0f\xff".encode("latin-1").decode("latin-1"), "c3bfc3b00fc3bf"),
    ("%x", "xyz", "78797a"),
    ("%X", "xyz", "78797A"),
    ("% x", "xyz", "78 79 7a"),
    ("% X", "xyz", "78 79 7A"),
    ("%#x", "xyz", "0x78797a"),
    ("%#X", "xyz", "0X78797A"),
    ("%# x", "xyz", "0x78 0x79 0x7a"),
    ("%# X", "xyz", "0X78 0X79 0X7A"),
    ("%q", "", '""'),
    ("%#q", "", "``"),
    ("%q", '"', '"\\""'),
    ("%#q", '"', '`"`'),
    ("%q", "`", '"`"'),
    ("%#q", "`", '"`"'),
    ("%q", "\n", '"\\n"'),
    ("%#q", "\n", '"\\n"'),
    ("%q", "\\n", '"\\\\n"'),
    ("%#q", "\\n", "`\\n`"),
    ("%q", "日本語", '"日本語"'),
    ("%+q", "日本語", '"\\u65e5\\u672c\\u8a9e"'),
    ("%#q", "日本語", "`日本語`"),
    ("%q", '\a\b\f\n\r\t\v"\\', '"\\a\\b\\f\\n\\r\\t\\v\\"\\\\"'),
    ("%q", "☺", '"☺"'),
    ("% q", "☺", '"☺"'),
    ("%+q", "☺", '"\\u263a"'),
    ("%10q", "⌘", '       "⌘"'),
    ("%+10q", "⌘", '  "\\u2318"'),
    ("%-10q", "⌘", '"⌘"       '),
    ("%q", "\U0010ffff", '"\\U0010ffff"'),
    ("%c", ord("x"), "x"),
    ("%c", 0xE4, "ä"),
    ("%c", 0x672C, "本"),
    ("%3c", ord("⌘"), "  ⌘"),
    ("%-3c", ord("⌘"), "⌘  "),
    ("%c", -1, "\ufffd"),
    ("%c", 0xDC80, "\ufffd"),
    ("%q", ord('"'), "'\"'"),
    ("%q", ord("'"), "'\\''"),
    ("%q", ord("x"), "'x'"),
    ("%+q", ord("ÿ"), "'\\u00ff'"),
    ("%q", ord("\n"), "'\\n'"),
    ("%5s", "abc", "  abc"),
    ("%2s", "\u263a", " ☺"),
    ("%-5s", "abc", "abc  "),
    ("%5s", "abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz"),
    ("%.5s", "abcdefghijklmnopqrstuvwxyz", "abcde"),
    ("%.0s", "日本語日本語", ""),
    ("%.5s", "日本語日本語", "日本語日本"),
    ("%.10s", "日本語日本語", "日本語日本語"),
    ("%-8q", "abc", '"abc"   '),
    ("%.5q", "abcdefghijklmnopqrstuvwxyz", '"abcde"'),
    ("%.3q", "日本語日本語", '"日本語"'),
    ("%.1q", "日本語", '"日"'),
    ("%.1x", "日本語", "e6"),
    ("%10.1q", "日本語日本語", '       "日"'),
    ("%10v", None, "     <nil>"),
    ("%-10v", None, "<nil>     "),
    ("%d", -12345, "-12345"),
    ("%d", 18446744073709551615, "18446744073709551615"),
    ("%d", -(1 << 63), "-9223372036854775808"),
    ("%.d", 0, ""),
    ("%.0d", 0, ""),
    ("%6.0d", 0, "      "),
    ("%06.0d", 0, "      "),
    ("% d", 12345, " 12345"),
    ("%+d", 12345, "+12345"),
    ("%+d", -12345, "-12345"),
    ("%b", 7, "111"),
    ("%b", -6, "-110"),
    ("%#b", 7, "0b111"),
    ("%#b", -6, "-0b110"),
    ("%o", 0o1234, "1234"),
    ("%o", -0o1234, "-1234"),
    ("%#o", 0o1234, "01234"),
    ("%#o", -0o1234, "-01234"),
    ("%O", 0o1234, "0o1234"),
    ("%O", -0o1234, "-0o1234"),
    ("%#X", 0, "0X0"),
    ("%x", 0x12ABCDEF, "12abcdef"),
    ("%X", 0x12ABCDEF, "12ABCDEF"),
    ("%.20b", 7, "00000000000000000111"),
    ("%10d", 12345, "     12345"),
    ("%10d", -12345, "    -12345"),
    ("%+10d", 12345, "    +12345"),
    ("%010d", 12345, "0000012345"),
    ("%010d", -12345, "-000012345"),
    ("%20.8d", 1234, "            00001234"),
    ("%20.8d", -1234, "           -00001234"),
    ("%020.8d", 1234, "            00001234"),
    ("%-20.8d", 1234, "00001234            "),
    ("%-20.8d", -1234, "-00001234           "),
    ("%-#20.8x", 0x1234ABC, "0x01234abc          "),
    ("%-#20.8X", 0x1234ABC, "0X01234ABC          "),
    ("%U", 0, "U+0000"),
    ("%U", ord("\n"), "U+000A"),
    ("%#U", ord("\n"), "U+000A"),
    ("%U", 0x263A, "U+263A"),
    ("%#U", 0x263A, "U+263A '☺'"),
    ("%U", 0x1D6C2, "U+1D6C2"),
    ("%+.3e", 0.0, "+0.000e+00"),
    ("%+.3e", 1.0, "+1.000e+00"),
    ("%+.3f", -1.0, "-1.000"),
    ("%+.3F", -1.0, "-1.000"),
    ("%+07.2f", 1.0, "+001.00"),
    ("%+07.2f", -1.0, "-001.00"),
    ("%-07.2f", 1.0, "1.00   "),
    ("%-07.2f", -1.0, "-1.00  "),
    ("%+-07.2f", 1.0, "+1.00  "),
    ("%+10.2f", +1.0, "     +1.00"),
    ("%+10.2f", -1.0, "     -1.00"),
    ("% .3E", -1.0, "-1.000E+00"),
    ("% .3e", 1.0, " 1.000e+00"),
    ("%+.3g", 0.0, "+0"),
    ("%+.3g", 1.0, "+1"),
    ("%+.3g", -1.0, "-1"),
    ("% .3g", -1.0, "-1"),
    ("% .3g", 1.0, " 1"),
    ("%f", math.inf, "+Inf"),
    ("%.1f", -math.inf, "-Inf"),
    ("% f", math.nan, " NaN"),
    ("%20f", math.inf, "                +Inf"),
    ("%20e", math.nan, "                 NaN"),
    ("%+-20G", math.inf, "+Inf                "),
    ("%+020e", math.inf, "                +Inf"),
    ("%-020f", -math.inf, "-Inf                "),
    ("%.3f", 0j, "(0.000+0.000i)"),
    ("%.3g", 1 + 2j, "(1+2i)"),
    ("%.3f", -1 - 2j, "(-1.000-2.000i)"),
    ("%+.3g", 1 + 2j, "(+1+2i)"),
    ("%e", 1.0, "1.000000e+00"),
    ("%e", 1234.5678e3, "1.234568e+06"),
    ("%e", 1234.5678e-8, "1.234568e-05"),
    ("%e", -7.0, "-7.000000e+00"),
    ("%e", -1e-9, "-1.000000e-09"),
    ("%f", 1234.5678e3, "1234567.800000"),
    ("%f", 1234.5678e-8, "0.000012"),
    ("%f", -7.0, "-7.000000"),
    ("%f", -1e-9, "-0.000000"),
    ("%g", 1234.5678e3, "1.2345678e+06"),
    ("%g", 1234.5678e-8, "1.2345678e-05"),
    ("%g", -7.0, "-7"),
    ("%g", -1e-9, "-1e-09"),
    ("%E", 1234.5678e3, "1.234568E+06"),
    ("%G", 1234.5678e3, "1.2345678E+06"),
    ("%G", 1234.5678e-8, "1.2345678E-05"),
    ("%v", 1e6, "1e+06"),
    ("%v", 100000.0, "100000"),
    ("%v", 0.5, "0.5"),
    ("%v", 1e-5, "1e-05"),
    ("%v", 123456789.0, "1.23456789e+08"),
    ("%5.2f", 3.14159, " 3.14"),
    ("%-10s|", "left", "left      |"),
    ("%v", [1, "a"], "[1 a]"),
    ("%d", [1, 2], "[1 2]"),
    ("%q", ["a", "b"], '["a" "b"]'),
    ("%v", {"b": 1, "a": 2}, "map[a:2 b:1]"),
    ("%d", "hi", "%!d(string=hi)"),
    ("%s", 5, "%!s(int=5)"),
    ("%t", 1, "%!t(int=1)"),
    ("%z", 1, "%!z(int=1)"),
]


@pytest.mark.parametrize(("fmt", "value", "out"), FMT_TESTS)
def test_sprintf(fmt: str, value: Any, out: str) -> None:
    assert sprintf(fmt, value) == out


def test_operand_mistakes() -> None:
    """fmt_test.go: reorderTests and the MISSING/EXTRA/NOVERB/BADINDEX forms."""
    assert sprintf("%d") == "%!d(MISSING)"
    assert sprintf("x", 1, "a") == "x%!(EXTRA int=1, string=a)"
    assert sprintf("%") == "%!(NOVERB)"
    assert sprintf("%!") == "%!!(MISSING)"
    assert sprintf("%[1]d", 1) == "1"
    assert sprintf("%[2]d", 2, 1) == "1"
    assert sprintf("%[2]d %[1]d", 1, 2) == "2 1"
    assert sprintf("%[2]*[1]d", 12, 2) == "12"
    assert sprintf("%[3]d", 1, 2) == "%!d(BADINDEX)"
    assert sprintf("%*d", 4, 7) == "   7"
    assert sprintf("%-*d", 4, 7) == "7   "
    assert sprintf("%*d", -4, 7) == "7   "
    assert sprintf("%.*d", 3, 7) == "007"
    assert sprintf("%*d", "x", 7) == "%!(BADWIDTH)7"
    assert sprintf("%d %%") == "%!d(MISSING) %"


def test_sprint_spacing() -> None:
    """Sprint adds a space between operands when neither is a string; Sprintln always."""
    assert sprint(1, 2, "a", 3, "b", "c") == "1 2a3bc"
    assert sprint("a", 1, 2) == "a1 2"
    assert sprint(None) == "<nil>"
    assert sprintln(1, "a", None) == "1 a <nil>\n"


def test_shortest_floats() -> None:
    """strconv.FormatFloat(v, 'g', -1, 64) as %v prints floats (ftoa_test.go)."""
    cases = {
        1.0: "1",
        0.1: "0.1",
        -0.0: "-0",
        1e21: "1e+21",
        1e20: "1e+20",
        5e-324: "5e-324",
        1.7976931348623157e308: "1.7976931348623157e+308",
        123456.0: "123456",
        1234567.0: "1.234567e+06",
        0.0001: "0.0001",
        0.00001: "1e-05",
        2.5: "2.5",
    }
    for value, text in cases.items():
        assert format_float(value) == text
    assert format_float(math.inf) == "+Inf"
    assert format_float(math.nan) == "NaN"


def test_quote() -> None:
    assert go_quote("a\tb\x00\u00e9\ufeff") == '"a\\tb\\x00é\\ufeff"'
    assert go_quote("é", ascii_only=True) == '"\\u00e9"'


def test_go_shapes() -> None:
    """Structs, pointers, typed slices and maps as fmt prints them (with calicopy's choice of
    printing a pointer's target instead of its address)."""
    inner = GoStruct("t.U", [("V", "v"), ("N", 2)])
    outer = GoStruct(
        "t.T",
        [("A", 1), ("U", GoPointer(inner, "*t.U")), ("Nil", GoPointer(None, "*t.U")), ("L", GoSlice([], "[]string"))],
    )
    assert sprint(outer) == "{1 &{v 2} <nil> []}"
    assert sprintf("%+v", outer) == "{A:1 U:&{V:v N:2} Nil:<nil> L:[]}"
    assert sprintf("%#v", inner) == 't.U{V:"v", N:2}'
    assert sprintf("%#v", GoPointer(None, "*t.U")) == "(*t.U)(nil)"
    assert sprintf("%#v", GoSlice(["a"], "[]string")) == '[]string{"a"}'
    assert sprintf("%#v", GoMap({"b": "c"}, "map[string]string")) == 'map[string]string{"b":"c"}'
    assert sprint(GoPointer(inner, "*t.U", in_interface=True)) == "&{v 2}"
    assert sprint(GoPointer(5, "*int")) == "5"
    assert sprintf("%T %T %T %T", 1, "a", 1.5, GoPointer(inner, "*t.U")) == "int string float64 *t.U"
    assert sprint(GoMap({2: "b", 10: "a", 1: "c"}, "map[int]string")) == "map[1:c 2:b 10:a]"
