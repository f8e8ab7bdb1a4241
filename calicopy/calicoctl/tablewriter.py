"""The tables ``calicoctl ipam`` prints: olekukonko/tablewriter v0.0.5 with its defaults
(``table.go``, ``util.go``, ``wrap.go``), as calicoctl v3.32.1 vendors it.

Defaults that shape the output: borders all round (``+``, ``-``, ``|``), a line under the
header, headers upper-cased by ``Title`` (``_`` -> space, some ``.`` -> space) and centred
(the left gap gets the smaller half), cells that look like decimal numbers right-aligned and
others left-aligned, cells wider than 30 columns wrapped at spaces (a single longer word keeps
its width).  Display width counts East Asian wide characters as two columns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = ["render_table"]

_MAX_WIDTH = 30
_DECIMAL = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})*|\d+)(?:\.\d+)?$")
_ANSI = re.compile("\033\\[(?:[0-9]{1,3}(?:;[0-9]{1,3})*)?[m|K]")
_PENALTY = 100_000


def _width(text: str) -> int:
    """``DisplayWidth`` (go-runewidth): wide and fullwidth characters take two columns, combining marks none."""
    if text.isascii() and "\033" not in text:  # the common case: a column per character
        return len(text)
    text = _ANSI.sub("", text)
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def _title(name: str) -> str:
    """``Title``: header text as tablewriter auto-formats it."""
    chars = list(name)
    for i, ch in enumerate(chars):
        if ch == "_":
            chars[i] = " "
        elif ch == ".":
            before = i != 0 and not (chars[i - 1].isdigit() or chars[i - 1] == " ")
            after = i != len(chars) - 1 and not (chars[i + 1].isdigit() or chars[i + 1] == " ")
            if before or after:
                chars[i] = " "
    out = "".join(chars).strip()
    if not out and name:
        out = " "
    return out.upper()


def _wrap_words(words: list[str], limit: int) -> list[list[str]]:
    """``WrapWords``: minimum raggedness line breaking (the square of each line's slack)."""
    n = len(words)
    widths = [_width(w) for w in words]
    length = [[0] * n for _ in range(n)]
    for i in range(n):
        length[i][i] = widths[i]
        for j in range(i + 1, n):
            length[i][j] = length[i][j - 1] + 1 + widths[j]
    breaks = [0] * n
    cost = [2**31 - 1] * n
    for i in range(n - 1, -1, -1):
        if length[i][n - 1] <= limit:
            cost[i], breaks[i] = 0, n
            continue
        for j in range(i + 1, n):
            slack = limit - length[i][j - 1]
            c = slack * slack + cost[j]
            if length[i][j - 1] > limit:
                c += _PENALTY
            if c < cost[i]:
                cost[i], breaks[i] = c, j
    lines, i = [], 0
    while i < n:
        lines.append(words[i : breaks[i]])
        i = breaks[i]
    return lines


def _wrap(text: str, limit: int) -> list[str]:
    """``WrapString``: a longer word than ``limit`` raises the limit to its width."""
    words = text.replace("\n", " ").split(" ")
    for word in words:
        limit = max(limit, _width(word))
    return [" ".join(line) for line in _wrap_words(words, limit)]


class _Table:
    def __init__(self) -> None:
        self.col_width: dict[int, int] = {}
        self.row_height: dict[int, int] = {}

    def cell(self, text: str, column: int, row: int) -> list[str]:
        """``parseDimension``: the cell's lines after wrapping, recording column width and row height."""
        if "\n" not in text and _width(text) <= _MAX_WIDTH:
            # A line that fits is its own wrapping (WrapString's limit is its whole width).
            self._record(column, row, _width(text), 1)
            return [text]
        raw = text.split("\n")
        width = max(_width(line) for line in raw)
        width = min(width, _MAX_WIDTH)
        new_width = width
        lines: list[str] = []
        for i, para in enumerate([" ".join(raw)]):
            wrapped = _wrap(para, width)
            new_width = max([new_width, *(_width(line) for line in wrapped)])
            if i > 0:
                lines.append(" ")
            lines.extend(wrapped)
        self._record(column, row, new_width, len(lines))
        return lines

    def _record(self, column: int, row: int, width: int, height: int) -> None:
        if self.col_width.get(column, 0) < width or column not in self.col_width:
            self.col_width[column] = width
        if self.row_height.get(row, 0) < height or row not in self.row_height:
            self.row_height[row] = height


def _pad_centre(text: str, width: int) -> str:
    gap = width - _width(text)
    if gap <= 0:
        return text
    left = gap // 2
    return " " * left + text + " " * (gap - left)


def _pad(text: str, width: int, right: bool) -> str:
    gap = width - _width(text)
    if gap <= 0:
        return text
    return " " * gap + text if right else text + " " * gap


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The whole table, each line ending in ``\\n``, exactly as ``Render()`` writes it."""
    table = _Table()
    head = [table.cell(h, i, -1) for i, h in enumerate(headers)]
    body = [[table.cell(value, i, r) for i, value in enumerate(row)] for r, row in enumerate(rows)]
    columns = len(table.col_width)
    rule = "+" + "".join("-" * (table.col_width[i] + 2) + "+" for i in range(columns)) + "\n"
    out = [rule]
    if head:
        for x in range(table.row_height[-1]):
            line = "|"
            for y in range(columns):
                text = head[y][x] if y < len(head) and x < len(head[y]) else ""
                line += f" {_pad_centre(_title(text), table.col_width[y])} |"
            out.append(line + "\n")
        out.append(rule)
    for r, cells in enumerate(body):
        height = table.row_height[r]
        padded = [c + ["  "] * (height - len(c)) for c in cells]
        for x in range(height):
            line = ""
            for y, lines in enumerate(padded):
                text = lines[x]
                numeric = _DECIMAL.match(text.strip()) is not None
                line += "| " + _pad(text, table.col_width[y], numeric) + " "
            out.append(line + "|\n")
    out.append(rule)
    return "".join(out)
