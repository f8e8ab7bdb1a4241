"""calicopy._go.url and calicopy._go.base64 against Go's own examples and test tables."""

from __future__ import annotations

import base64

import pytest

from calicopy._go.base64 import std_decode
from calicopy._go.url import redacted


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://user:password@example.com/foo/bar", "https://user:xxxxx@example.com/foo/bar"),  # Go's example
        ("http://user:@example.com", "http://user:xxxxx@example.com"),  # an empty password is still one
        ("http://user@example.com", "http://user@example.com"),
        ("http://example.com:6443/api?x=1", "http://example.com:6443/api?x=1"),
        ("https://admin:p%40ss@[fd00::1]:6443", "https://admin:xxxxx@[fd00::1]:6443"),
        ("", ""),
    ],
)
def test_redacted(url: str, expected: str) -> None:
    assert redacted(url) == expected


# encoding/base64's TestDecodeCorrupt: (input, offset of the error; -1 for none).
CORRUPT = [
    ("", -1), ("\n", -1), ("AAA=\n", -1), ("AAAA\n", -1), ("!!!!", 0), ("====", 0), ("x===", 1), ("=AAA", 0),
    ("A=AA", 1), ("AA=A", 2), ("AA==A", 4), ("AAA=AAAA", 4), ("AAAAA", 4), ("AAAAAA", 4), ("A=", 1), ("A==", 1),
    ("AA=", 3), ("AA==", -1), ("AAA=", -1), ("AAAA", -1), ("AAAAAA=", 7), ("YWJjZA=====", 8), ("A!\n", 1),
    ("A=\n", 1),
]  # fmt: skip


@pytest.mark.parametrize(("text", "offset"), CORRUPT)
def test_std_decode_corrupt(text: str, offset: int) -> None:
    if offset < 0:
        std_decode(text)
    else:
        with pytest.raises(ValueError, match=f"^illegal base64 data at input byte {offset}$"):
            std_decode(text)


def test_std_decode_round_trip_and_line_breaks() -> None:
    for size in range(40):
        data = bytes(range(size))
        encoded = base64.b64encode(data).decode()
        assert std_decode(encoded) == data
        assert std_decode("\r\n".join(encoded[i : i + 5] for i in range(0, len(encoded), 5))) == data
