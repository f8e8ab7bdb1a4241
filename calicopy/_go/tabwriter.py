"""Go's ``text/tabwriter``: the elastic tabstops calicoctl's tables go through.

calicoctl writes each table row as TAB-terminated cells through
``tabwriter.NewWriter(os.Stdout, 5, 1, 3, ' ', 0)``: a column is as wide as its widest cell
plus 3, at least 5, and every cell, the last one of a row included, is padded to that width.

Like Go's, the writer works on bytes (text is UTF-8 encoded on the way in and decoded on the
way out) and measures cells in runes, so the ``Escape`` byte 0xff never clashes with text.
The parameters and flags are Go's:

* ``minwidth``: minimal cell width, padding included; ``tabwidth``: width of a TAB when
  padding with TABs; ``padding``: added to a cell's width; ``padchar``: the padding character
  (``"\\t"`` pads with TABs and forces left alignment);
* ``FILTER_HTML``, ``STRIP_ESCAPE``, ``ALIGN_RIGHT``, ``DISCARD_EMPTY_COLUMNS``, ``TAB_INDENT``,
  ``DEBUG``.

Cells are terminated by ``\\t`` (hard) or ``\\v`` (soft) tabs; ``\\n`` ends a line and ``\\f``
ends a line and the current block of columns.  Text after the last tab of a line is a cell
that belongs to no column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO

__all__ = [
    "ALIGN_RIGHT",
    "DEBUG",
    "DISCARD_EMPTY_COLUMNS",
    "ESCAPE",
    "FILTER_HTML",
    "STRIP_ESCAPE",
    "TAB_INDENT",
    "Writer",
    "format_rows",
]

FILTER_HTML = 1 << 0  # ignore HTML tags, count an entity (&...;) as one rune
STRIP_ESCAPE = 1 << 1  # drop the Escape bytes bracketing escaped text
ALIGN_RIGHT = 1 << 2
DISCARD_EMPTY_COLUMNS = 1 << 3  # columns of empty soft-tab (\v) cells take no room
TAB_INDENT = 1 << 4  # pad leading empty cells with TABs whatever the padchar
DEBUG = 1 << 5  # a '|' between columns

ESCAPE = 0xFF

_TAB, _VTAB, _NEWLINE, _FORMFEED = 0x09, 0x0B, 0x0A, 0x0C


@dataclass(slots=True)
class _Cell:
    size: int = 0  # bytes of text
    width: int = 0  # runes of text, escapes and HTML tags excluded
    hard_tab: bool = False  # terminated by '\t' rather than '\v'


def _runes(data: bytes | bytearray) -> int:
    """UTF-8 runes in ``data`` (continuation bytes do not start one)."""
    return sum(1 for b in data if b & 0xC0 != 0x80)


class Writer:
    """A ``tabwriter.Writer``: :meth:`write` text, then :meth:`flush`; output goes to ``output``.

    Without an ``output`` stream the result accumulates and :meth:`getvalue` returns it.
    """

    def __init__(
        self,
        output: IO[str] | None = None,
        minwidth: int = 0,
        tabwidth: int = 8,
        padding: int = 1,
        padchar: str = " ",
        flags: int = 0,
    ) -> None:
        if minwidth < 0 or tabwidth < 0 or padding < 0:
            raise ValueError("negative minwidth, tabwidth, or padding")
        if len(padchar.encode()) != 1:
            raise ValueError("padchar must be one ASCII character")
        self._output = output
        self._chunks: list[bytes] = []
        self._minwidth = minwidth
        self._tabwidth = tabwidth
        self._padding = padding
        self._padbyte = padchar.encode()
        if padchar == "\t":
            flags &= ~ALIGN_RIGHT  # TAB padding enforces left alignment
        self._flags = flags
        self._reset()

    # -- state --------------------------------------------------------------------------------

    def _reset(self) -> None:
        self._buf = bytearray()  # all text, tabs and line breaks stripped
        self._pos = 0  # _buf position up to which the current cell's width is counted
        self._cell = _Cell()
        self._end_char = 0  # the byte ending the escaped section we are in, or 0
        self._lines: list[list[_Cell]] = [[]]
        self._widths: list[int] = []

    def _append(self, data: bytes | bytearray) -> None:
        self._buf += data
        self._cell.size += len(data)

    def _update_width(self) -> None:
        self._cell.width += _runes(self._buf[self._pos :])
        self._pos = len(self._buf)

    def _start_escape(self, byte: int) -> None:
        self._end_char = {ESCAPE: ESCAPE, ord("<"): ord(">"), ord("&"): ord(";")}[byte]

    def _end_escape(self) -> None:
        if self._end_char == ESCAPE:
            self._update_width()
            if not self._flags & STRIP_ESCAPE:
                self._cell.width -= 2  # the Escape bytes are in the text but take no room
        elif self._end_char == ord(";"):
            self._cell.width += 1  # an entity counts as one rune; a tag as none
        self._pos = len(self._buf)
        self._end_char = 0

    def _terminate_cell(self, hard_tab: bool) -> int:
        self._cell.hard_tab = hard_tab
        line = self._lines[-1]
        line.append(self._cell)
        self._cell = _Cell()
        return len(line)

    # -- output -------------------------------------------------------------------------------

    def _emit(self, data: bytes | bytearray) -> None:
        if data:
            self._chunks.append(bytes(data))

    def _write_padding(self, text_width: int, cell_width: int, use_tabs: bool) -> None:
        if self._padbyte == b"\t" or use_tabs:
            if self._tabwidth == 0:
                return  # TABs have no width: no padding possible
            cell_width = (cell_width + self._tabwidth - 1) // self._tabwidth * self._tabwidth
            self._emit(b"\t" * ((cell_width - text_width + self._tabwidth - 1) // self._tabwidth))
            return
        self._emit(self._padbyte * (cell_width - text_width))

    def _write_lines(self, pos: int, line0: int, line1: int) -> int:
        for i in range(line0, line1):
            use_tabs = bool(self._flags & TAB_INDENT)
            for j, cell in enumerate(self._lines[i]):
                if j > 0 and self._flags & DEBUG:
                    self._emit(b"|")
                if cell.size == 0:
                    if j < len(self._widths):
                        self._write_padding(cell.width, self._widths[j], use_tabs)
                    continue
                use_tabs = False
                text = self._buf[pos : pos + cell.size]
                pos += cell.size
                if self._flags & ALIGN_RIGHT:
                    if j < len(self._widths):
                        self._write_padding(cell.width, self._widths[j], False)
                    self._emit(text)
                else:
                    self._emit(text)
                    if j < len(self._widths):
                        self._write_padding(cell.width, self._widths[j], False)
            if i + 1 == len(self._lines):
                # The last line has no line break yet: write the text of its open cell.
                self._emit(self._buf[pos : pos + self._cell.size])
                pos += self._cell.size
            else:
                self._emit(b"\n")
        return pos

    def _format(self, pos: int, line0: int, line1: int) -> int:
        """Print lines [line0, line1): find each block of lines sharing the next column, size it."""
        column = len(self._widths)
        this = line0
        while this < line1:
            if column >= len(self._lines[this]) - 1:
                this += 1
                continue
            # A block starts here: every following line with a cell in this column joins it.
            pos = self._write_lines(pos, line0, this)
            line0 = this
            width = self._minwidth
            discardable = True
            while this < line1:
                line = self._lines[this]
                if column >= len(line) - 1:
                    break
                cell = line[column]
                width = max(width, cell.width + self._padding)
                if cell.width > 0 or cell.hard_tab:
                    discardable = False
                this += 1
            if discardable and self._flags & DISCARD_EMPTY_COLUMNS:
                width = 0
            self._widths.append(width)
            pos = self._format(pos, line0, this)
            self._widths.pop()
            line0 = this
        return self._write_lines(pos, line0, line1)

    def _flush_buffer(self) -> None:
        if self._cell.size > 0:
            if self._end_char:
                self._end_escape()  # an unterminated escape ends here
            self._terminate_cell(False)
        self._format(0, 0, len(self._lines))
        self._reset()

    def _deliver(self) -> None:
        if self._output is not None and self._chunks:
            self._output.write(b"".join(self._chunks).decode("utf-8", "surrogateescape"))
            self._chunks.clear()

    # -- API ----------------------------------------------------------------------------------

    def write(self, data: str | bytes) -> int:
        """Buffer ``data``; lines are printed once no later line can change their layout."""
        raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else bytes(data)
        start = 0
        for i, byte in enumerate(raw):
            if self._end_char == 0:
                if byte in (_TAB, _VTAB, _NEWLINE, _FORMFEED):
                    self._append(raw[start:i])
                    self._update_width()
                    start = i + 1
                    cells = self._terminate_cell(byte == _TAB)
                    if byte in (_NEWLINE, _FORMFEED):
                        self._lines.append([])
                        if byte == _FORMFEED or cells == 1:
                            # A one-cell line cannot widen any column: what came before is final.
                            self._flush_buffer()
                            if byte == _FORMFEED and self._flags & DEBUG:
                                self._emit(b"---\n")
                elif byte == ESCAPE:
                    self._append(raw[start:i])
                    self._update_width()
                    start = i + 1 if self._flags & STRIP_ESCAPE else i
                    self._start_escape(ESCAPE)
                elif byte in (0x3C, 0x26) and self._flags & FILTER_HTML:  # '<' or '&'
                    self._append(raw[start:i])
                    self._update_width()
                    start = i
                    self._start_escape(byte)
            elif byte == self._end_char:
                end = i if byte == ESCAPE and self._flags & STRIP_ESCAPE else i + 1
                self._append(raw[start:end])
                start = i + 1
                self._end_escape()
        self._append(raw[start:])
        self._deliver()
        return len(raw)

    def flush(self) -> None:
        """Print everything buffered; an unterminated escape counts as terminated."""
        self._flush_buffer()
        self._deliver()

    def getvalue(self) -> str:
        """What has been printed so far (only without an ``output`` stream)."""
        return b"".join(self._chunks).decode("utf-8", "surrogateescape")


def format_rows(
    rows: Iterable[Sequence[str]],
    *,
    minwidth: int = 0,
    tabwidth: int = 8,
    padding: int = 1,
    padchar: str = " ",
    flags: int = 0,
) -> str:
    """Write each row as TAB-terminated cells and a newline through a :class:`Writer`; the result."""
    writer = Writer(None, minwidth, tabwidth, padding, padchar, flags)
    writer.write("".join("".join(f"{cell}\t" for cell in row) + "\n" for row in rows))
    writer.flush()
    return writer.getvalue()
