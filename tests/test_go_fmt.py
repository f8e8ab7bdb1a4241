"""Parity of calicopy._go.fmt with Go's fmt (golang/go src/fmt/fmt_test.go cases)."""

from __future__ import annotations

import math

import pytest

from calicopy._go.fmt import format_g, format_v


@pytest.mark.parametrize(
    ("value", "text"),
    [
        # fmt_test.go: "%v" of floats is %g's shortest form.
        (1.2345678, "1.2345678"),
        (1234.5678e3, "1.2345678e+06"),
        (1234.5678e-8, "1.2345678e-05"),
        (-7.0, "-7"),
        (-1e-9, "-1e-09"),
        (1.23456789e3, "1234.56789"),
        (1.23456789e-3, "0.00123456789"),
        (1.23456789e20, "1.23456789e+20"),
        (math.inf, "+Inf"),
        (-math.inf, "-Inf"),
        (math.nan, "NaN"),
        # fmt_test.go: "%v" of []interface{}{1, "hello", 2.5, nil}
        ([1, "hello", 2.5, None], "[1 hello 2.5 <nil>]"),
        ([1, 2, 3, 4, 5], "[1 2 3 4 5]"),
        ([], "[]"),
        # Maps print sorted by key (fmt's documented order).
        ({"b": 2, "a": [1, True]}, "map[a:[1 true] b:2]"),
        ({}, "map[]"),
        # text/template prints a {{.Field}} with %v: nil pointers as <nil> (calicoctl's -o ps columns).
        (None, "<nil>"),
        (True, "true"),
        (False, "false"),
        (1e6, "1e+06"),
        (100.0, "100"),
        (100.5, "100.5"),
        (64512, "64512"),
        ("Never", "Never"),
    ],
)
def test_format_v(value: object, text: str) -> None:
    assert format_v(value) == text


@pytest.mark.parametrize(
    ("value", "precision", "text"),
    [
        # fmt_test.go "%.3g" / ftoa_test.go 'g' with a precision (what %.Ng calls).
        (1234.5678, 3, "1.23e+03"),
        (123456700.0, 5, "1.2346e+08"),
        (1.2345e6, 5, "1.2345e+06"),
        (1.0, 5, "1"),
        (12.0, 5, "12"),
        (400.0, 2, "4e+02"),
        (0.0004, 2, "0.0004"),
        (0.00004, 2, "4e-05"),
        (32.0, 0, "3e+01"),
        # calicoctl ipam show: percentages with %.5g.
        (100 * 3 / 256, 5, "1.1719"),
        (100 * 1 / 3, 5, "33.333"),
        (0.0, 5, "0"),
        (100.0, 5, "100"),
    ],
)
def test_format_g_with_precision(value: float, precision: int, text: str) -> None:
    assert format_g(value, precision) == text
