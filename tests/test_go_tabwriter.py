"""Parity of calicopy._go.tabwriter with Go's text/tabwriter (golang/go src/text/tabwriter/tabwriter_test.go).

Every case of Go's table is written all at once, byte by byte and in Fibonacci-sized slices,
as Go's ``check`` does; the result must be the same each time.
"""

from __future__ import annotations

import io

import pytest

from calicopy._go.tabwriter import (
    ALIGN_RIGHT,
    DEBUG,
    DISCARD_EMPTY_COLUMNS,
    FILTER_HTML,
    STRIP_ESCAPE,
    Writer,
    format_rows,
)

F, S, A, D, G = FILTER_HTML, STRIP_ESCAPE, ALIGN_RIGHT, DISCARD_EMPTY_COLUMNS, DEBUG

# (name, minwidth, tabwidth, padding, padchar, flags, src, expected) as in tabwriter_test.go.
TESTS = [
    ("1a", 8, 0, 1, ".", 0, b"", b""),
    ("1a debug", 8, 0, 1, ".", G, b"", b""),
    ("1b esc stripped", 8, 0, 1, ".", S, b"\xff\xff", b""),
    ("1b esc", 8, 0, 1, ".", 0, b"\xff\xff", b"\xff\xff"),
    ("1c esc stripped", 8, 0, 1, ".", S, b"\xff\t\xff", b"\t"),
    ("1c esc", 8, 0, 1, ".", 0, b"\xff\t\xff", b"\xff\t\xff"),
    ("1d esc stripped", 8, 0, 1, ".", S, b'\xff"foo\t\n\tbar"\xff', b'"foo\t\n\tbar"'),
    ("1d esc", 8, 0, 1, ".", 0, b'\xff"foo\t\n\tbar"\xff', b'\xff"foo\t\n\tbar"\xff'),
    ("1e esc stripped", 8, 0, 1, ".", S, b"abc\xff\tdef", b"abc\tdef"),
    ("1e esc", 8, 0, 1, ".", 0, b"abc\xff\tdef", b"abc\xff\tdef"),
    ("2", 8, 0, 1, ".", 0, b"\n\n\n", b"\n\n\n"),
    ("3", 8, 0, 1, ".", 0, b"a\nb\nc", b"a\nb\nc"),
    ("4a", 8, 0, 1, ".", 0, b"\t", b""),
    ("4b", 8, 0, 1, ".", A, b"\t", b""),
    ("5", 8, 0, 1, ".", 0, b"*\t*", b"*.......*"),
    ("5b", 8, 0, 1, ".", 0, b"*\t*\n", b"*.......*\n"),
    ("5c", 8, 0, 1, ".", 0, b"*\t*\t", b"*.......*"),
    ("5c debug", 8, 0, 1, ".", G, b"*\t*\t", b"*.......|*"),
    ("5d", 8, 0, 1, ".", A, b"*\t*\t", b".......**"),
    ("6", 8, 0, 1, ".", 0, b"\t\n", b"........\n"),
    ("7a", 8, 0, 1, ".", 0, b"a) foo", b"a) foo"),
    ("7b", 8, 0, 1, " ", 0, b"b) foo\tbar", b"b) foo  bar"),
    ("7c", 8, 0, 1, ".", 0, b"c) foo\tbar\t", b"c) foo..bar"),
    ("7d", 8, 0, 1, ".", 0, b"d) foo\tbar\n", b"d) foo..bar\n"),
    ("7e", 8, 0, 1, ".", 0, b"e) foo\tbar\t\n", b"e) foo..bar.....\n"),
    ("7f", 8, 0, 1, ".", F, b"f) f&lt;o\t<b>bar</b>\t\n", b"f) f&lt;o..<b>bar</b>.....\n"),
    (
        "7g",
        8,
        0,
        1,
        ".",
        F,
        b"g) f&lt;o\t<b>bar</b>\t non-terminated entity &amp",
        b"g) f&lt;o..<b>bar</b>..... non-terminated entity &amp",
    ),
    (
        "7g debug",
        8,
        0,
        1,
        ".",
        F | G,
        b"g) f&lt;o\t<b>bar</b>\t non-terminated entity &amp",
        b"g) f&lt;o..|<b>bar</b>.....| non-terminated entity &amp",
    ),
    ("8", 8, 0, 1, "*", 0, b"Hello, world!\n", b"Hello, world!\n"),
    ("9a", 1, 0, 0, ".", 0, b"1\t2\t3\t4\n11\t222\t3333\t44444\n", b"1.2..3...4\n11222333344444\n"),
    (
        "9b",
        1,
        0,
        0,
        ".",
        F,
        b"1\t2<!---\f--->\t3\t4\n11\t222\t3333\t44444\n",
        b"1.2<!---\f--->..3...4\n11222333344444\n",
    ),
    ("9c", 1, 0, 0, ".", 0, b"1\t2\t3\t4\f11\t222\t3333\t44444\n", b"1234\n11222333344444\n"),
    ("9c debug", 1, 0, 0, ".", G, b"1\t2\t3\t4\f11\t222\t3333\t44444\n", b"1|2|3|4\n---\n11|222|3333|44444\n"),
    ("10a", 5, 0, 0, ".", 0, b"1\t2\t3\t4\n", b"1....2....3....4\n"),
    ("10b", 5, 0, 0, ".", 0, b"1\t2\t3\t4\t\n", b"1....2....3....4....\n"),
    (
        "11",
        8,
        0,
        1,
        ".",
        0,
        "本\tb\tc\naa\t本本本\tcccc\tddddd\naaa\tbbbb\n".encode(),
        "本.......b.......c\naa......本本本.....cccc....ddddd\naaa.....bbbb\n".encode(),
    ),
    (
        "12a",
        8,
        0,
        1,
        " ",
        A,
        "a\tè\tc\t\naa\tèèè\tcccc\tddddd\t\naaa\tèèèè\t\n".encode(),
        "       a       è       c\n      aa     èèè    cccc   ddddd\n     aaa    èèèè\n".encode(),
    ),
    ("12b", 2, 0, 0, " ", 0, b"a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n", b"a  b  c\naa bbbcccc\naaabbbb\n"),
    (
        "12c",
        8,
        0,
        1,
        "_",
        0,
        b"a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n",
        b"a_______b_______c\naa______bbb_____cccc\naaa_____bbbb\n",
    ),
    (
        "13a",
        4,
        0,
        1,
        "-",
        0,
        "4444\t日本語\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n".encode(),
        "4444------日本語-22--1---333\n999999999-22\n7---------22\n------------------88888888\n\n666666-666666-666666----4444\n1------1------999999999-0000000000\n".encode(),
    ),
    (
        "13b",
        4,
        0,
        3,
        ".",
        0,
        b"4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n",
        b"4444........333...22...1...333\n999999999...22\n7...........22\n....................88888888\n\n666666...666666...666666......4444\n1........1........999999999...0000000000\n",
    ),
    (
        "13c",
        8,
        8,
        1,
        "\t",
        F,
        "4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t<font color=red attr=日本語>999999999</font>\t0000000000\n".encode(),
        "4444\t\t333\t22\t1\t333\n999999999\t22\n7\t\t22\n\t\t\t\t88888888\n\n666666\t666666\t666666\t\t4444\n1\t1\t<font color=red attr=日本語>999999999</font>\t0000000000\n".encode(),
    ),
    (
        "14",
        1,
        0,
        2,
        " ",
        A,
        b".0\t.3\t2.4\t-5.1\t\n23.0\t12345678.9\t2.4\t-989.4\t\n5.1\t12.0\t2.4\t-7.0\t\n.0\t0.0\t332.0\t8908.0\t\n.0\t-.3\t456.4\t22.1\t\n.0\t1.2\t44.4\t-13.3\t\t",
        b"    .0          .3    2.4    -5.1\n  23.0  12345678.9    2.4  -989.4\n   5.1        12.0    2.4    -7.0\n    .0         0.0  332.0  8908.0\n    .0         -.3  456.4    22.1\n    .0         1.2   44.4   -13.3",
    ),
    ("15a", 4, 0, 0, ".", 0, b"a\t\tb", b"a.......b"),
    ("15b", 4, 0, 0, ".", D, b"a\t\tb", b"a.......b"),
    ("15c", 4, 0, 0, ".", D, b"a\v\vb", b"a...b"),
    ("15d", 4, 0, 0, ".", A | D, b"a\v\vb", b"...ab"),
    (
        "16a",
        100,
        100,
        0,
        "\t",
        0,
        b"a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
        b"a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
    ),
    (
        "16b",
        100,
        100,
        0,
        "\t",
        D,
        b"a\vb\v\vd\na\vb\v\vd\ve\na\na\vb\vc\vd\na\vb\vc\vd\ve\n",
        b"a\tb\td\na\tb\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
    ),
    (
        "16b debug",
        100,
        100,
        0,
        "\t",
        D | G,
        b"a\vb\v\vd\na\vb\v\vd\ve\na\na\vb\vc\vd\na\vb\vc\vd\ve\n",
        b"a\t|b\t||d\na\t|b\t||d\t|e\na\na\t|b\t|c\t|d\na\t|b\t|c\t|d\t|e\n",
    ),
    (
        "16c debug",
        100,
        100,
        0,
        "\t",
        D | G,
        b"a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
        b"a\t|b\t|\t|d\na\t|b\t|\t|d\t|e\na\na\t|b\t|c\t|d\na\t|b\t|c\t|d\t|e\n",
    ),
]


def _write_all(writer: Writer, src: bytes) -> None:
    writer.write(src)


def _write_bytes(writer: Writer, src: bytes) -> None:
    for i in range(len(src)):
        writer.write(src[i : i + 1])


def _write_fibonacci(writer: Writer, src: bytes) -> None:
    i, d = 0, 0
    while i < len(src):
        writer.write(src[i : i + d])
        i, d = i + d, d + 1
        if i + d > len(src):
            d = len(src) - i


@pytest.mark.parametrize("mode", [_write_all, _write_bytes, _write_fibonacci], ids=["all", "bytes", "fibonacci"])
@pytest.mark.parametrize(
    ("minwidth", "tabwidth", "padding", "padchar", "flags", "src", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in TESTS],
)
def test_go_table(
    mode: object, minwidth: int, tabwidth: int, padding: int, padchar: str, flags: int, src: bytes, expected: bytes
) -> None:
    writer = Writer(None, minwidth, tabwidth, padding, padchar, flags)
    mode(writer, src)  # type: ignore[operator]
    writer.flush()
    assert writer.getvalue().encode("utf-8", "surrogateescape") == expected


def test_output_stream_receives_lines_as_they_are_final() -> None:
    out = io.StringIO()
    writer = Writer(out, 5, 1, 3, " ", 0)
    writer.write("NAME\tCIDR\t\n")
    assert out.getvalue() == ""  # the next line may widen a column
    writer.write("p\t10.0.0.0/24\t\n\n")  # a one-cell line: everything before is final
    assert out.getvalue() == "NAME   CIDR          \np      10.0.0.0/24   \n\n"
    writer.flush()


def test_calicoctl_settings() -> None:
    # calicoctl: tabwriter.NewWriter(os.Stdout, 5, 1, 3, ' ', 0), every cell TAB-terminated.
    rows = [["NAME", "CIDR", "SELECTOR"], ["ippool-name1", "10.0.1.0/24", "foo == 'bar'"]]
    assert format_rows(rows, minwidth=5, tabwidth=1, padding=3) == (
        "NAME           CIDR          SELECTOR       \nippool-name1   10.0.1.0/24   foo == 'bar'   \n"
    )
    # A TAB inside a cell starts a new cell, as in Go (the text goes through the writer as is).
    assert format_rows([["a\tb", "c"]], minwidth=5, tabwidth=1, padding=3) == "a    b    c    \n"
    # Widths count runes, not bytes.
    assert format_rows([["日本", "x"], ["abcd", "y"]], minwidth=1, tabwidth=1, padding=1) == "日本   x \nabcd y \n"
