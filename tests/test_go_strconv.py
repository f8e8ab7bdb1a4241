"""Parity of calicopy._go.strconv with Go's strconv, on Go's own test tables.

Tables from golang/go: src/internal/strconv/atoi_test.go (ParseInt/ParseUint, underscores),
src/strconv/atof_test.go (ParseFloat, float32 rounding), src/strconv/ftoa_test.go
(FormatFloat), src/strconv/atob_test.go (ParseBool) and src/strconv/quote_test.go (Quote).
"""

from __future__ import annotations

import math
import random
import struct

import pytest

from calicopy._go.strconv import (
    NumError,
    format_float,
    parse_bool,
    parse_float,
    parse_int,
    parse_uint,
    quote,
    try_parse_float,
    try_parse_int,
    try_parse_uint,
    underscore_ok,
)

SYNTAX = "invalid syntax"
RANGE = "value out of range"
MAX_U64 = (1 << 64) - 1
MAX_I64 = (1 << 63) - 1
MIN_I64 = -(1 << 63)


def _outcome(parse: object, *args: object) -> object:
    try:
        return parse(*args)  # type: ignore[operator]
    except NumError as exc:
        return exc.err


# -- ParseUint / ParseInt (internal/strconv/atoi_test.go) -------------------------------------------

PARSE_UINT64 = [  # base 10
    ("", SYNTAX),
    ("0", 0),
    ("1", 1),
    ("12345", 12345),
    ("012345", 12345),
    ("12345x", SYNTAX),
    ("98765432100", 98765432100),
    ("18446744073709551615", MAX_U64),
    ("18446744073709551616", RANGE),
    ("18446744073709551620", RANGE),
    ("1_2_3_4_5", SYNTAX),  # base 10: no underscores
    ("_12345", SYNTAX),
    ("1__2345", SYNTAX),
    ("12345_", SYNTAX),
    ("-0", SYNTAX),
    ("-1", SYNTAX),
    ("+1", SYNTAX),
]

PARSE_UINT64_BASE = [
    ("", 0, SYNTAX),
    ("0", 0, 0),
    ("0x", 0, SYNTAX),
    ("0X", 0, SYNTAX),
    ("1", 0, 1),
    ("12345", 0, 12345),
    ("012345", 0, 0o12345),
    ("0x12345", 0, 0x12345),
    ("0X12345", 0, 0x12345),
    ("12345x", 0, SYNTAX),
    ("0xabcdefg123", 0, SYNTAX),
    ("123456789abc", 0, SYNTAX),
    ("98765432100", 0, 98765432100),
    ("18446744073709551615", 0, MAX_U64),
    ("18446744073709551616", 0, RANGE),
    ("18446744073709551620", 0, RANGE),
    ("0xFFFFFFFFFFFFFFFF", 0, MAX_U64),
    ("0x10000000000000000", 0, RANGE),
    ("01777777777777777777777", 0, MAX_U64),
    ("01777777777777777777778", 0, SYNTAX),
    ("02000000000000000000000", 0, RANGE),
    ("0200000000000000000000", 0, 1 << 61),
    ("0b", 0, SYNTAX),
    ("0B", 0, SYNTAX),
    ("0b101", 0, 5),
    ("0B101", 0, 5),
    ("0o", 0, SYNTAX),
    ("0O", 0, SYNTAX),
    ("0o377", 0, 255),
    ("0O377", 0, 255),
    # underscores allowed with base == 0 only
    ("1_2_3_4_5", 0, 12345),
    ("_12345", 0, SYNTAX),
    ("1__2345", 0, SYNTAX),
    ("12345_", 0, SYNTAX),
    ("1_2_3_4_5", 10, SYNTAX),
    ("_12345", 10, SYNTAX),
    ("1__2345", 10, SYNTAX),
    ("12345_", 10, SYNTAX),
    ("0x_1_2_3_4_5", 0, 0x12345),
    ("_0x12345", 0, SYNTAX),
    ("0x__12345", 0, SYNTAX),
    ("0x1__2345", 0, SYNTAX),
    ("0x1234__5", 0, SYNTAX),
    ("0x12345_", 0, SYNTAX),
    ("1_2_3_4_5", 16, SYNTAX),
    ("_12345", 16, SYNTAX),
    ("1__2345", 16, SYNTAX),
    ("1234__5", 16, SYNTAX),
    ("12345_", 16, SYNTAX),
    ("0_1_2_3_4_5", 0, 0o12345),
    ("_012345", 0, SYNTAX),
    ("0__12345", 0, SYNTAX),
    ("01234__5", 0, SYNTAX),
    ("012345_", 0, SYNTAX),
    ("0o_1_2_3_4_5", 0, 0o12345),
    ("_0o12345", 0, SYNTAX),
    ("0o__12345", 0, SYNTAX),
    ("0o1234__5", 0, SYNTAX),
    ("0o12345_", 0, SYNTAX),
    ("0_1_2_3_4_5", 8, SYNTAX),
    ("_012345", 8, SYNTAX),
    ("0__12345", 8, SYNTAX),
    ("01234__5", 8, SYNTAX),
    ("012345_", 8, SYNTAX),
    ("0b_1_0_1", 0, 5),
    ("_0b101", 0, SYNTAX),
    ("0b__101", 0, SYNTAX),
    ("0b1__01", 0, SYNTAX),
    ("0b10__1", 0, SYNTAX),
    ("0b101_", 0, SYNTAX),
    ("1_0_1", 2, SYNTAX),
    ("_101", 2, SYNTAX),
    ("1_01", 2, SYNTAX),
    ("10_1", 2, SYNTAX),
    ("101_", 2, SYNTAX),
]

PARSE_INT64 = [  # base 10
    ("", SYNTAX),
    ("0", 0),
    ("-0", 0),
    ("+0", 0),
    ("1", 1),
    ("-1", -1),
    ("+1", 1),
    ("12345", 12345),
    ("-12345", -12345),
    ("012345", 12345),
    ("-012345", -12345),
    ("98765432100", 98765432100),
    ("-98765432100", -98765432100),
    ("9223372036854775807", MAX_I64),
    ("-9223372036854775807", -MAX_I64),
    ("9223372036854775808", RANGE),
    ("-9223372036854775808", MIN_I64),
    ("9223372036854775809", RANGE),
    ("-9223372036854775809", RANGE),
    ("-1_2_3_4_5", SYNTAX),
    ("-_12345", SYNTAX),
    ("_12345", SYNTAX),
    ("1__2345", SYNTAX),
    ("12345_", SYNTAX),
    ("123%45", SYNTAX),
]

PARSE_INT64_BASE = [
    ("", 0, SYNTAX),
    ("0", 0, 0),
    ("-0", 0, 0),
    ("1", 0, 1),
    ("-1", 0, -1),
    ("12345", 0, 12345),
    ("-12345", 0, -12345),
    ("012345", 0, 0o12345),
    ("-012345", 0, -0o12345),
    ("0x12345", 0, 0x12345),
    ("-0X12345", 0, -0x12345),
    ("12345x", 0, SYNTAX),
    ("-12345x", 0, SYNTAX),
    ("98765432100", 0, 98765432100),
    ("-98765432100", 0, -98765432100),
    ("9223372036854775807", 0, MAX_I64),
    ("-9223372036854775807", 0, -MAX_I64),
    ("9223372036854775808", 0, RANGE),
    ("-9223372036854775808", 0, MIN_I64),
    ("9223372036854775809", 0, RANGE),
    ("-9223372036854775809", 0, RANGE),
    # other bases
    ("g", 17, 16),
    ("10", 25, 25),
    ("holycow", 35, (((((17 * 35 + 24) * 35 + 21) * 35 + 34) * 35 + 12) * 35 + 24) * 35 + 32),
    ("holycow", 36, (((((17 * 36 + 24) * 36 + 21) * 36 + 34) * 36 + 12) * 36 + 24) * 36 + 32),
    ("0", 2, 0),
    ("-1", 2, -1),
    ("1010", 2, 10),
    ("1000000000000000", 2, 1 << 15),
    ("1" * 63, 2, MAX_I64),
    ("1" + "0" * 63, 2, RANGE),
    ("-1" + "0" * 63, 2, MIN_I64),
    ("-1" + "0" * 62 + "1", 2, RANGE),
    ("-10", 8, -8),
    ("57635436545", 8, 0o57635436545),
    ("100000000", 8, 1 << 24),
    ("10", 16, 16),
    ("-123456789abcdef", 16, -0x123456789ABCDEF),
    ("7fffffffffffffff", 16, MAX_I64),
    ("0x10", 16, SYNTAX),  # a prefix is read with base 0 only
    ("0b1", 2, SYNTAX),
    # underscores
    ("-0x_1_2_3_4_5", 0, -0x12345),
    ("0x_1_2_3_4_5", 0, 0x12345),
    ("-_0x12345", 0, SYNTAX),
    ("_-0x12345", 0, SYNTAX),
    ("_0x12345", 0, SYNTAX),
    ("0x__12345", 0, SYNTAX),
    ("0x1__2345", 0, SYNTAX),
    ("0x1234__5", 0, SYNTAX),
    ("0x12345_", 0, SYNTAX),
    ("-0_1_2_3_4_5", 0, -0o12345),
    ("0_1_2_3_4_5", 0, 0o12345),
    ("-_012345", 0, SYNTAX),
    ("_-012345", 0, SYNTAX),
    ("_012345", 0, SYNTAX),
    ("0__12345", 0, SYNTAX),
    ("01234__5", 0, SYNTAX),
    ("012345_", 0, SYNTAX),
    ("+0xf", 0, 0xF),
    ("-0xf", 0, -0xF),
    ("0x+f", 0, SYNTAX),
    ("0x-f", 0, SYNTAX),
]

PARSE_UINT32 = [
    ("", SYNTAX),
    ("0", 0),
    ("1", 1),
    ("12345", 12345),
    ("012345", 12345),
    ("12345x", SYNTAX),
    ("987654321", 987654321),
    ("4294967295", (1 << 32) - 1),
    ("4294967296", RANGE),
    ("1_2_3_4_5", SYNTAX),
    ("_12345", SYNTAX),
    ("1__2345", SYNTAX),
    ("12345_", SYNTAX),
]

PARSE_INT32 = [
    ("", SYNTAX),
    ("0", 0),
    ("-0", 0),
    ("1", 1),
    ("-1", -1),
    ("12345", 12345),
    ("-12345", -12345),
    ("012345", 12345),
    ("-012345", -12345),
    ("12345x", SYNTAX),
    ("-12345x", SYNTAX),
    ("987654321", 987654321),
    ("-987654321", -987654321),
    ("2147483647", (1 << 31) - 1),
    ("-2147483647", -((1 << 31) - 1)),
    ("2147483648", RANGE),
    ("-2147483648", -(1 << 31)),
    ("2147483649", RANGE),
    ("-2147483649", RANGE),
    ("-1_2_3_4_5", SYNTAX),
    ("-_12345", SYNTAX),
    ("_12345", SYNTAX),
    ("1__2345", SYNTAX),
    ("12345_", SYNTAX),
    ("123%45", SYNTAX),
]


@pytest.mark.parametrize(("text", "want"), PARSE_UINT64)
def test_parse_uint64(text: str, want: object) -> None:
    assert _outcome(parse_uint, text, 10, 64) == want


@pytest.mark.parametrize(("text", "base", "want"), PARSE_UINT64_BASE)
def test_parse_uint64_base(text: str, base: int, want: object) -> None:
    assert _outcome(parse_uint, text, base, 64) == want
    assert try_parse_uint(text, base, 64) == (None if isinstance(want, str) else want)


@pytest.mark.parametrize(("text", "want"), PARSE_INT64)
def test_parse_int64(text: str, want: object) -> None:
    assert _outcome(parse_int, text, 10, 64) == want


@pytest.mark.parametrize(("text", "base", "want"), PARSE_INT64_BASE)
def test_parse_int64_base(text: str, base: int, want: object) -> None:
    assert _outcome(parse_int, text, base, 64) == want
    assert try_parse_int(text, base, 64) == (None if isinstance(want, str) else want)


@pytest.mark.parametrize(("text", "want"), PARSE_UINT32)
def test_parse_uint32(text: str, want: object) -> None:
    assert _outcome(parse_uint, text, 10, 32) == want


@pytest.mark.parametrize(("text", "want"), PARSE_INT32)
def test_parse_int32(text: str, want: object) -> None:
    assert _outcome(parse_int, text, 10, 32) == want


@pytest.mark.parametrize(("bits", "want"), [(-1, "invalid bit size -1"), (0, 0), (64, 0), (65, "invalid bit size 65")])
def test_bit_size_errors(bits: int, want: object) -> None:
    assert _outcome(parse_int, "0", 0, bits) == want
    assert _outcome(parse_uint, "0", 0, bits) == want


@pytest.mark.parametrize(("base", "want"), [(-1, "invalid base -1"), (0, 0), (1, "invalid base 1"), (2, 0), (36, 0)])
def test_base_errors(base: int, want: object) -> None:
    assert _outcome(parse_int, "0", base, 0) == want
    assert _outcome(parse_uint, "0", base, 0) == want


def test_first_problem_wins_like_gos_digit_loop() -> None:
    # ParseUint meets the overflow before the bad digit (atoi.go returns at once).
    assert _outcome(parse_uint, "99999999999999999999x", 0, 64) == RANGE
    assert _outcome(parse_uint, "1x99999999999999999999", 0, 64) == SYNTAX
    # Underscores are checked last, after the digits overflowed.
    assert _outcome(parse_uint, "1_8446744073709551616", 0, 64) == RANGE


@pytest.mark.parametrize("count", [21, 4_301, 5_000, 200_000])
def test_decimal_texts_of_any_length_are_out_of_range(count: int) -> None:
    # Go's digit loop overflows; Python's int() refuses decimal texts over 4,300 digits with a
    # ValueError of its own, which must never escape.
    digits = "1" * count
    for text in (digits, "+" + digits, "-" + digits, digits + "x"):
        assert _outcome(parse_int, text, 0, 64) == RANGE
        assert _outcome(parse_int, text, 10, 64) == RANGE
        assert try_parse_int(text) is None
    assert _outcome(parse_uint, digits, 0, 64) == RANGE
    assert _outcome(parse_uint, digits, 10, 32) == RANGE
    assert try_parse_uint(digits) is None
    assert _outcome(parse_int, "0x" + "f" * count, 0, 64) == RANGE  # power-of-two bases never had a limit


def test_error_texts_quote_the_input_like_go() -> None:
    with pytest.raises(NumError) as exc:
        parse_int("12x", 0, 64)
    assert str(exc.value) == 'strconv.ParseInt: parsing "12x": invalid syntax'
    with pytest.raises(NumError) as exc:
        parse_int("99999999999999999999", 0, 64)
    assert str(exc.value) == 'strconv.ParseInt: parsing "99999999999999999999": value out of range'
    # atoi_test.go numErrorTests: NumError.Error() quotes with strconv.Quote.
    assert str(NumError("ParseFloat", "`", "failed")) == 'strconv.ParseFloat: parsing "`": failed'
    assert str(NumError("ParseFloat", "1\x00.2", "failed")) == 'strconv.ParseFloat: parsing "1\\x00.2": failed'


@pytest.mark.parametrize(
    ("text", "ok"),
    [("1_000", True), ("0x_1", True), ("_1", False), ("1_", False), ("1__0", False), ("-1_0", True), ("0b_1", True)],
)
def test_underscore_ok(text: str, ok: bool) -> None:
    assert underscore_ok(text) is ok


# -- ParseBool (atob_test.go) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("", SYNTAX),
        ("asdf", SYNTAX),
        ("0", False),
        ("f", False),
        ("F", False),
        ("FALSE", False),
        ("false", False),
        ("False", False),
        ("1", True),
        ("t", True),
        ("T", True),
        ("TRUE", True),
        ("true", True),
        ("True", True),
    ],
)
def test_parse_bool(text: str, want: object) -> None:
    assert _outcome(parse_bool, text) == want


# -- ParseFloat (atof_test.go) ----------------------------------------------------------------------

ATOF64 = [
    ("", "0", SYNTAX),
    ("1", "1", None),
    ("+1", "1", None),
    ("1x", "0", SYNTAX),
    ("1.1.", "0", SYNTAX),
    ("1e23", "1e+23", None),
    ("1E23", "1e+23", None),
    ("100000000000000000000000", "1e+23", None),
    ("1e-100", "1e-100", None),
    ("123456700", "1.234567e+08", None),
    ("99999999999999974834176", "9.999999999999997e+22", None),
    ("100000000000000000000001", "1.0000000000000001e+23", None),
    ("100000000000000008388608", "1.0000000000000001e+23", None),
    ("100000000000000016777215", "1.0000000000000001e+23", None),
    ("100000000000000016777216", "1.0000000000000003e+23", None),
    ("-1", "-1", None),
    ("-0.1", "-0.1", None),
    ("-0", "-0", None),
    ("1e-20", "1e-20", None),
    ("625e-3", "0.625", None),
    # Hexadecimal floating-point.
    ("0x1p0", "1", None),
    ("0x1p1", "2", None),
    ("0x1p-1", "0.5", None),
    ("0x1ep-1", "15", None),
    ("-0x1ep-1", "-15", None),
    ("-0x1_ep-1", "-15", None),
    ("0x1p-200", "6.223015277861142e-61", None),
    ("0x1p200", "1.6069380442589903e+60", None),
    ("0x1fFe2.p0", "131042", None),
    ("0x1fFe2.P0", "131042", None),
    ("-0x2p3", "-16", None),
    ("0x0.fp4", "15", None),
    ("0x0.fp0", "0.9375", None),
    ("0x1e2", "0", SYNTAX),
    ("1p2", "0", SYNTAX),
    # zeros
    ("0", "0", None),
    ("0e0", "0", None),
    ("-0e0", "-0", None),
    ("+0e0", "0", None),
    ("0e-0", "0", None),
    ("-0e-0", "-0", None),
    ("0e+01234567890123456789", "0", None),
    ("0.00e-01234567890123456789", "0", None),
    ("-0e+01234567890123456789", "-0", None),
    ("0x0p+01234567890123456789", "0", None),
    ("-0x0.00p-01234567890123456789", "-0", None),
    ("0e291", "0", None),
    ("-0e348", "-0", None),
    ("0x0p1026", "0", None),
    ("-0x0p1026", "-0", None),
    # NaNs and infinities
    ("nan", "NaN", None),
    ("NaN", "NaN", None),
    ("NAN", "NaN", None),
    ("inf", "+Inf", None),
    ("-Inf", "-Inf", None),
    ("+INF", "+Inf", None),
    ("-Infinity", "-Inf", None),
    ("+INFINITY", "+Inf", None),
    ("Infinity", "+Inf", None),
    # largest float64
    ("1.7976931348623157e308", "1.7976931348623157e+308", None),
    ("-1.7976931348623157e308", "-1.7976931348623157e+308", None),
    ("0x1.fffffffffffffp1023", "1.7976931348623157e+308", None),
    ("-0x1.fffffffffffffp1023", "-1.7976931348623157e+308", None),
    ("0x1fffffffffffffp+971", "1.7976931348623157e+308", None),
    ("0x.1fffffffffffffp1027", "1.7976931348623157e+308", None),
    # next float64: too large
    ("1.7976931348623159e308", "+Inf", RANGE),
    ("-1.7976931348623159e308", "-Inf", RANGE),
    ("0x1p1024", "+Inf", RANGE),
    ("-0x1p1024", "-Inf", RANGE),
    ("0x2p1023", "+Inf", RANGE),
    ("0x.1p1028", "+Inf", RANGE),
    ("0x.2p1027", "+Inf", RANGE),
    # the border is ...158079
    ("1.7976931348623158e308", "1.7976931348623157e+308", None),
    ("0x1.fffffffffffff7fffp1023", "1.7976931348623157e+308", None),
    ("1.797693134862315808e308", "+Inf", RANGE),
    ("0x1.fffffffffffff8p1023", "+Inf", RANGE),
    ("0x1fffffffffffff.8p+971", "+Inf", RANGE),
    ("-0x1fffffffffffff8p+967", "-Inf", RANGE),
    ("0x.1fffffffffffff8p1027", "+Inf", RANGE),
    ("-0x.1fffffffffffff9p1027", "-Inf", RANGE),
    ("1e308", "1e+308", None),
    ("2e308", "+Inf", RANGE),
    ("1e309", "+Inf", RANGE),
    ("0x1p1025", "+Inf", RANGE),
    ("1e400000", "+Inf", RANGE),
    ("-1e400000", "-Inf", RANGE),
    ("0x1p2000000000", "+Inf", RANGE),
    # denormalized
    ("1e-305", "1e-305", None),
    ("1e-310", "1e-310", None),
    ("1e-322", "1e-322", None),
    ("5e-324", "5e-324", None),
    ("4e-324", "5e-324", None),
    ("3e-324", "5e-324", None),
    ("2e-324", "0", None),
    ("1e-350", "0", None),
    ("1e-400000", "0", None),
    ("0x2.00000000000000p-1010", "1.8227805048890994e-304", None),
    ("0x1.fffffffffffff0p-1010", "1.8227805048890992e-304", None),
    ("0x1.fffffffffffff7p-1010", "1.8227805048890992e-304", None),
    ("0x1.fffffffffffff8p-1010", "1.8227805048890994e-304", None),
    ("0x1.fffffffffffff9p-1010", "1.8227805048890994e-304", None),
    ("0x0.00000003456788p-1022", "1.694649e-317", None),
    ("0x0.00000003456789p-1022", "1.6946496e-317", None),
    ("0x0.0000000345678800000000000000000000000001p-1022", "1.6946496e-317", None),
    ("0x0.00000000000058p-1022", "3e-323", None),
    ("0x0.00000000000057p-1022", "2.5e-323", None),
    ("0x0.000000000000081p-1022", "5e-324", None),
    ("0x0.00000000000008p-1022", "0", None),
    # try to overflow exponent
    ("1e-4294967296", "0", None),
    ("1e+4294967296", "+Inf", RANGE),
    ("1e-18446744073709551616", "0", None),
    ("1e+18446744073709551616", "+Inf", RANGE),
    ("0x1p-4294967296", "0", None),
    ("0x1p+4294967296", "+Inf", RANGE),
    ("0x1p-18446744073709551616", "0", None),
    ("0x1p+18446744073709551616", "+Inf", RANGE),
    # Parse errors
    ("1e", "0", SYNTAX),
    ("1e-", "0", SYNTAX),
    (".e-1", "0", SYNTAX),
    ("1\x00.2", "0", SYNTAX),
    ("0x", "0", SYNTAX),
    ("0x.", "0", SYNTAX),
    ("0x1", "0", SYNTAX),
    ("0x.1", "0", SYNTAX),
    ("0x1p", "0", SYNTAX),
    ("0x.1p", "0", SYNTAX),
    ("0x1p+", "0", SYNTAX),
    ("0x.1p-", "0", SYNTAX),
    ("0x1p+2", "4", None),
    ("0x.1p+2", "0.25", None),
    ("0x1p-2", "0.25", None),
    ("0x.1p-2", "0.015625", None),
    ("2.2250738585072012e-308", "2.2250738585072014e-308", None),
    ("2.2250738585072011e-308", "2.225073858507201e-308", None),
    ("4.630813248087435e+307", "4.630813248087435e+307", None),
    ("22.222222222222222", "22.22222222222222", None),
    ("2." + "2" * 4000 + "e+1", "22.22222222222222", None),
    ("0x1.1111111111111p222", "7.18931911124017e+66", None),
    ("0x2.2222222222222p221", "7.18931911124017e+66", None),
    ("0x2." + "2" * 4000 + "p221", "7.18931911124017e+66", None),
    # Halfway cases round to even.
    ("1.00000000000000011102230246251565404236316680908203125", "1", None),
    ("0x1.00000000000008p0", "1", None),
    ("1.00000000000000011102230246251565404236316680908203124", "1", None),
    ("0x1.00000000000007Fp0", "1", None),
    ("1.00000000000000011102230246251565404236316680908203126", "1.0000000000000002", None),
    ("0x1.000000000000081p0", "1.0000000000000002", None),
    ("1.00000000000000011102230246251565404236316680908203125" + "0" * 10000 + "1", "1.0000000000000002", None),
    ("0x1.00000000000008" + "0" * 10000 + "1p0", "1.0000000000000002", None),
    ("1.00000000000000033306690738754696212708950042724609375", "1.0000000000000004", None),
    ("0x1.00000000000018p0", "1.0000000000000004", None),
    # Underscores.
    ("1_23.50_0_0e+1_2", "1.235e+14", None),
    ("-_123.5e+12", "0", SYNTAX),
    ("+_123.5e+12", "0", SYNTAX),
    ("_123.5e+12", "0", SYNTAX),
    ("1__23.5e+12", "0", SYNTAX),
    ("123_.5e+12", "0", SYNTAX),
    ("123._5e+12", "0", SYNTAX),
    ("123.5_e+12", "0", SYNTAX),
    ("123.5__0e+12", "0", SYNTAX),
    ("123.5e_+12", "0", SYNTAX),
    ("123.5e+_12", "0", SYNTAX),
    ("123.5e_-12", "0", SYNTAX),
    ("123.5e-_12", "0", SYNTAX),
    ("123.5e+1__2", "0", SYNTAX),
    ("123.5e+12_", "0", SYNTAX),
    ("0x_1_2.3_4_5p+1_2", "74565", None),
    ("-_0x12.345p+12", "0", SYNTAX),
    ("+_0x12.345p+12", "0", SYNTAX),
    ("_0x12.345p+12", "0", SYNTAX),
    ("0x__12.345p+12", "0", SYNTAX),
    ("0x1__2.345p+12", "0", SYNTAX),
    ("0x12_.345p+12", "0", SYNTAX),
    ("0x12._345p+12", "0", SYNTAX),
    ("0x12.3__45p+12", "0", SYNTAX),
    ("0x12.345_p+12", "0", SYNTAX),
    ("0x12.345p_+12", "0", SYNTAX),
    ("0x12.345p+_12", "0", SYNTAX),
    ("0x12.345p_-12", "0", SYNTAX),
    ("0x12.345p-_12", "0", SYNTAX),
    ("0x12.345p+1__2", "0", SYNTAX),
    ("0x12.345p+12_", "0", SYNTAX),
]

ATOF32 = [
    ("0x1p-100", "7.888609e-31", None),
    ("0x1p100", "1.2676506e+30", None),
    # Exactly halfway between 1 and the next float32: round to even (down).
    ("1.000000059604644775390625", "1", None),
    ("0x1.000001p0", "1", None),
    ("1.000000059604644775390624", "1", None),
    ("0x1.0000008p0", "1", None),
    ("0x1.000000fp0", "1", None),
    ("1.000000059604644775390626", "1.0000001", None),
    ("0x1.000002p0", "1.0000001", None),
    ("0x1.0000018p0", "1.0000001", None),
    ("0x1.0000011p0", "1.0000001", None),
    # Slightly higher, but you have to read all the way to the end (no double rounding).
    ("1.000000059604644775390625" + "0" * 10000 + "1", "1.0000001", None),
    ("0x1.000001" + "0" * 10000 + "1p0", "1.0000001", None),
    # largest float32: (1<<128) * (1 - 2^-24)
    ("340282346638528859811704183484516925440", "3.4028235e+38", None),
    ("-340282346638528859811704183484516925440", "-3.4028235e+38", None),
    ("0x.ffffffp128", "3.4028235e+38", None),
    ("-0x.ffffffp128", "-3.4028235e+38", None),
    ("3.4028236e38", "+Inf", RANGE),
    ("-3.4028236e38", "-Inf", RANGE),
    ("0x1.0p128", "+Inf", RANGE),
    ("-0x1.0p128", "-Inf", RANGE),
    ("3.402823567e38", "3.4028235e+38", None),
    ("-3.402823567e38", "-3.4028235e+38", None),
    ("0x.ffffff7fp128", "3.4028235e+38", None),
    ("-0x.ffffff7fp128", "-3.4028235e+38", None),
    ("3.4028235678e38", "+Inf", RANGE),
    ("-3.4028235678e38", "-Inf", RANGE),
    ("0x.ffffff8p128", "+Inf", RANGE),
    ("-0x.ffffff8p128", "-Inf", RANGE),
    # Denormals: less than 2^-126
    ("1e-38", "1e-38", None),
    ("1e-39", "1e-39", None),
    ("1e-40", "1e-40", None),
    ("1e-41", "1e-41", None),
    ("1e-42", "1e-42", None),
    ("1e-43", "1e-43", None),
    ("1e-44", "1e-44", None),
    ("6e-45", "6e-45", None),
    ("5e-45", "6e-45", None),
    ("1e-45", "1e-45", None),
    ("2e-45", "1e-45", None),
    ("3e-45", "3e-45", None),
    ("0x0.89aBcDp-125", "1.2643093e-38", None),
    ("0x0.8000000p-125", "1.1754944e-38", None),
    ("0x0.1234560p-125", "1.671814e-39", None),
    ("0x0.1234567p-125", "1.671814e-39", None),
    ("0x0.1234568p-125", "1.671814e-39", None),
    ("0x0.1234569p-125", "1.671815e-39", None),
    ("0x0.1234570p-125", "1.671815e-39", None),
    ("0x0.0000010p-125", "1e-45", None),
    ("0x0.00000081p-125", "1e-45", None),
    ("0x0.0000008p-125", "0", None),
    ("0x0.0000007p-125", "0", None),
    # 2^92 needs 8 digits to read back; the float32 before it is 16777215p+68.
    ("4951760157141521099596496896", "4.9517602e+27", None),
]


@pytest.mark.parametrize(("text", "out", "err"), ATOF64, ids=lambda v: v[:40] if isinstance(v, str) else None)
def test_parse_float64(text: str, out: str, err: str | None) -> None:
    result = _outcome(parse_float, text, 64)
    if err is not None:
        assert result == err
        assert try_parse_float(text, 64) is None
    else:
        assert isinstance(result, float)
        assert format_float(result, "g", -1, 64) == out


@pytest.mark.parametrize(("text", "out", "err"), ATOF32, ids=lambda v: v[:40] if isinstance(v, str) else None)
def test_parse_float32(text: str, out: str, err: str | None) -> None:
    result = _outcome(parse_float, text, 32)
    if err is not None:
        assert result == err
    else:
        assert isinstance(result, float)
        assert format_float(result, "g", -1, 32) == out


def test_parse_float_errors_name_parse_float() -> None:
    with pytest.raises(NumError) as exc:
        parse_float("1e39", 32)
    assert str(exc.value) == 'strconv.ParseFloat: parsing "1e39": value out of range'
    assert math.isnan(parse_float("nan"))
    with pytest.raises(NumError, match="invalid syntax"):
        parse_float("+nan")  # a sign is allowed before "inf" only
    with pytest.raises(NumError, match="invalid syntax"):
        parse_float("infin")


def test_random_float64_round_trip() -> None:
    # atof_test.go TestRoundTrip / TestAtofRandom: FormatFloat's shortest text reads back exactly.
    rng = random.Random(1)
    for _ in range(3000):
        bits = rng.getrandbits(64)
        value = struct.unpack("<d", struct.pack("<Q", bits))[0]
        if not math.isfinite(value):
            continue
        text = format_float(value, "g", -1, 64)
        assert struct.pack("<d", parse_float(text, 64)) == struct.pack("<d", value), text
        assert parse_float(format_float(value, "e", 25, 64), 64) == value


def test_random_float32_round_trip() -> None:
    # atof_test.go TestRoundTrip32: shortest float32 text, read back as float32, is the same value.
    rng = random.Random(2)
    for _ in range(3000):
        bits = rng.getrandbits(32)
        value = struct.unpack("<f", struct.pack("<I", bits))[0]
        if not math.isfinite(value):
            continue
        text = format_float(value, "g", -1, 32)
        assert struct.pack("<f", parse_float(text, 32)) == struct.pack("<I", bits), text


# -- FormatFloat (ftoa_test.go) ---------------------------------------------------------------------

BELOW_1E23 = 99999999999999974834176
ABOVE_1E23 = 100000000000000008388608

FTOA = [
    (1, "e", 5, "1.00000e+00"),
    (1, "f", 5, "1.00000"),
    (1, "g", 5, "1"),
    (1, "g", -1, "1"),
    (20, "g", -1, "20"),
    (1234567.8, "g", -1, "1.2345678e+06"),
    (200000, "g", -1, "200000"),
    (2000000, "g", -1, "2e+06"),
    # g conversion and zero suppression
    (400, "g", 2, "4e+02"),
    (40, "g", 2, "40"),
    (4, "g", 2, "4"),
    (0.4, "g", 2, "0.4"),
    (0.04, "g", 2, "0.04"),
    (0.004, "g", 2, "0.004"),
    (0.0004, "g", 2, "0.0004"),
    (0.00004, "g", 2, "4e-05"),
    (0.000004, "g", 2, "4e-06"),
    (0, "e", 5, "0.00000e+00"),
    (0, "f", 5, "0.00000"),
    (0, "g", 5, "0"),
    (0, "g", -1, "0"),
    (-1, "e", 5, "-1.00000e+00"),
    (-1, "f", 5, "-1.00000"),
    (-1, "g", 5, "-1"),
    (-1, "g", -1, "-1"),
    (12, "e", 5, "1.20000e+01"),
    (12, "f", 5, "12.00000"),
    (12, "g", 5, "12"),
    (12, "g", -1, "12"),
    (123456700, "e", 5, "1.23457e+08"),
    (123456700, "f", 5, "123456700.00000"),
    (123456700, "g", 5, "1.2346e+08"),
    (123456700, "g", -1, "1.234567e+08"),
    (1.2345e6, "e", 5, "1.23450e+06"),
    (1.2345e6, "f", 5, "1234500.00000"),
    (1.2345e6, "g", 5, "1.2345e+06"),
    (1e23, "e", 17, "9.99999999999999916e+22"),
    (1e23, "f", 17, "99999999999999991611392.00000000000000000"),
    (1e23, "g", 17, "9.9999999999999992e+22"),
    (1e23, "e", -1, "1e+23"),
    (1e23, "f", -1, "100000000000000000000000"),
    (1e23, "g", -1, "1e+23"),
    (BELOW_1E23, "e", 17, "9.99999999999999748e+22"),
    (BELOW_1E23, "f", 17, "99999999999999974834176.00000000000000000"),
    (BELOW_1E23, "g", 17, "9.9999999999999975e+22"),
    (BELOW_1E23, "e", -1, "9.999999999999997e+22"),
    (BELOW_1E23, "f", -1, "99999999999999970000000"),
    (BELOW_1E23, "g", -1, "9.999999999999997e+22"),
    (ABOVE_1E23, "e", 17, "1.00000000000000008e+23"),
    (ABOVE_1E23, "f", 17, "100000000000000008388608.00000000000000000"),
    (ABOVE_1E23, "g", 17, "1.0000000000000001e+23"),
    (ABOVE_1E23, "e", -1, "1.0000000000000001e+23"),
    (ABOVE_1E23, "f", -1, "100000000000000010000000"),
    (ABOVE_1E23, "g", -1, "1.0000000000000001e+23"),
    (5e-324, "g", -1, "5e-324"),
    (-5e-324, "g", -1, "-5e-324"),
    (32, "g", -1, "32"),
    (32, "g", 0, "3e+01"),
    (math.nan, "g", -1, "NaN"),
    (math.inf, "g", -1, "+Inf"),
    (-math.inf, "g", -1, "-Inf"),
    # fixed bugs
    (0.9, "f", 1, "0.9"),
    (0.09, "f", 1, "0.1"),
    (0.0999, "f", 1, "0.1"),
    (0.05, "f", 1, "0.1"),
    (0.05, "f", 0, "0"),
    (0.5, "f", 1, "0.5"),
    (0.5, "f", 0, "0"),
    (1.5, "f", 0, "2"),
    (2.2250738585072012e-308, "g", -1, "2.2250738585072014e-308"),
    (2.2250738585072011e-308, "g", -1, "2.225073858507201e-308"),
    (383260575764816448, "f", 0, "383260575764816448"),
    (383260575764816448, "g", -1, "3.8326057576481645e+17"),
    (498484681984085570, "f", -1, "498484681984085570"),
    (-5.8339553793802237e23, "g", -1, "-5.8339553793802237e+23"),
]


@pytest.mark.parametrize(("value", "fmt", "prec", "text"), FTOA)
def test_format_float(value: float, fmt: str, prec: int, text: str) -> None:
    value = float(value)
    assert format_float(value, fmt, prec, 64) == text
    # TestFtoa: where the value is a float32 too, 32-bit formatting prints the same.
    if math.isfinite(value) and struct.unpack("<f", struct.pack("<f", value))[0] == value:
        assert format_float(value, fmt, prec, 32) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(33909.0, "33909"), (3.375, "3.375"), (339.7784, "339.7784"), (-5.09e25, "-5.09e+25"), (-5.11e-25, "-5.11e-25")],
)
def test_format_float32_shortest(value: float, text: str) -> None:
    # ftoa_test.go ftoaBenches "32..." inputs; float32(0.99) prints 0.99 (go-yaml encode_test.go).
    assert format_float(value, "g", -1, 32) == text
    assert format_float(0.99, "g", -1, 32) == "0.99"


def test_format_float32_of_a_float64_out_of_range_is_an_infinity() -> None:
    # Go's float32(x) conversion saturates to an infinity; it does not fail.
    assert format_float(1e300, "g", -1, 32) == "+Inf"
    assert format_float(-1e300, "g", -1, 32) == "-Inf"


# -- Quote (quote_test.go) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("\a\b\f\r\n\t\v", '"\\a\\b\\f\\r\\n\\t\\v"'),
        ("\\", '"\\\\"'),
        (b"abc\xffdef".decode("utf-8", "surrogateescape"), '"abc\\xffdef"'),
        ("\u263a", '"☺"'),
        ("\U0010ffff", '"\\U0010ffff"'),
        ("\x04", '"\\x04"'),
        ("!\u00a0!\u2000!\u3000!", '"!\\u00a0!\\u2000!\\u3000!"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("\x7f", '"\\x7f"'),
        ("é", '"é"'),
    ],
)
def test_quote(text: str, quoted: str) -> None:
    assert quote(text) == quoted
