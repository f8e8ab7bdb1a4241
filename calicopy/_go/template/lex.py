"""The template lexer: Go's ``text/template/parse`` scanner, item by item.

Text outside ``{{ }}`` is one item; inside an action the scanner yields spaces, fields, variables,
identifiers, keywords, numbers, strings, ``:=``/``=``, ``|`` and parentheses.  ``{{- `` and
`` -}}`` trim the white space (`` \\t\\r\\n``) next to them; ``{{/* */}}`` comments vanish.
An error is an item carrying Go's message (``unclosed action``, ``bad character U+0023 '#'``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..fmt import sprintf
from ..strconv import quote

__all__ = ["KEYWORDS", "Item", "Lexer"]

# Item types; keywords sort after every other type, as in Go.
ERROR = "error"
BOOL = "bool"
CHAR = "char"
CHAR_CONSTANT = "charconst"
COMMENT = "comment"
COMPLEX = "complex"
ASSIGN = "assign"
DECLARE = "declare"
EOF = "EOF"
FIELD = "field"
IDENTIFIER = "identifier"
LEFT_DELIM = "leftdelim"
LEFT_PAREN = "leftparen"
NUMBER = "number"
PIPE = "pipe"
RAW_STRING = "rawstring"
RIGHT_DELIM = "rightdelim"
RIGHT_PAREN = "rightparen"
SPACE = "space"
STRING = "string"
TEXT = "text"
VARIABLE = "variable"

KEYWORDS = {
    ".": "dot",
    "block": "block",
    "break": "break",
    "continue": "continue",
    "define": "define",
    "else": "else",
    "end": "end",
    "if": "if",
    "range": "range",
    "nil": "nil",
    "template": "template",
    "with": "with",
}
_KEYWORD_TYPES = frozenset(KEYWORDS.values())

_SPACE_CHARS = " \t\r\n"
# A state of the scanner: it reads on and returns the next state, or None once an item is ready.
_State = Callable[[], Any]
_LEFT_COMMENT = "/*"
_RIGHT_COMMENT = "*/"


@dataclass(frozen=True, slots=True)
class Item:
    typ: str
    pos: int
    val: str

    def __str__(self) -> str:
        if self.typ == EOF:
            return "EOF"
        if self.typ == ERROR:
            return self.val
        if self.typ in _KEYWORD_TYPES:
            return f"<{self.val}>"
        if len(self.val) > 10:
            return quote(self.val[:10]) + "..."
        return quote(self.val)


def _is_space(ch: str) -> bool:
    return ch in _SPACE_CHARS and ch != ""


def is_alphanumeric(ch: str) -> bool:
    """Go's letter, decimal digit or underscore (``unicode.IsLetter``/``IsDigit``)."""
    return ch == "_" or ch.isalpha() or ch.isdecimal()


def _unicode_name(ch: str) -> str:
    return sprintf("%#U", ord(ch))


class Lexer:
    """Yields :class:`Item` s on demand (``next_item``), as the parser asks for them."""

    def __init__(self, text: str, *, break_ok: bool = True, continue_ok: bool = True) -> None:
        self.input = text
        self.left = "{{"
        self.right = "}}"
        self.pos = 0
        self.start = 0
        self.paren_depth = 0
        self.inside_action = False
        self.at_eof = False
        self.break_ok = break_ok
        self.continue_ok = continue_ok
        self._item: Item | None = None

    # -- primitives ------------------------------------------------------------------------

    def _next(self) -> str:
        if self.pos >= len(self.input):
            self.at_eof = True
            return ""
        ch = self.input[self.pos]
        self.pos += 1
        return ch

    def _backup(self) -> None:
        # As in Go, once the end has been read a backup no longer moves.
        if not self.at_eof and self.pos > 0:
            self.pos -= 1

    def _peek(self) -> str:
        return self.input[self.pos] if self.pos < len(self.input) else ""

    def _emit(self, typ: str) -> None:
        self._item = Item(typ, self.start, self.input[self.start : self.pos])
        self.start = self.pos

    def _error(self, message: str) -> None:
        self._item = Item(ERROR, self.start, message)
        self.input = ""
        self.pos = self.start = 0

    def _accept(self, valid: str) -> bool:
        ch = self._next()
        if ch and ch in valid:
            return True
        self._backup()
        return False

    def _accept_run(self, valid: str) -> None:
        while True:
            ch = self._next()
            if not ch or ch not in valid:
                break
        self._backup()

    def _has_left_trim(self, at: int) -> bool:
        text = self.input
        return at + 1 < len(text) and text[at] == "-" and _is_space(text[at + 1])

    def _has_right_trim(self, at: int) -> bool:
        text = self.input
        return at >= 0 and at + 1 < len(text) and _is_space(text[at]) and text[at + 1] == "-"

    def _at_right_delim(self) -> tuple[bool, bool]:
        if self._has_right_trim(self.pos) and self.input.startswith(self.right, self.pos + 2):
            return True, True
        if self.input.startswith(self.right, self.pos):
            return True, False
        return False, False

    def _at_terminator(self) -> bool:
        ch = self._peek()
        if _is_space(ch) or ch in ("", ".", ",", "|", ":", ")", "("):
            return True
        return self.input.startswith(self.right, self.pos)

    # -- the state machine -----------------------------------------------------------------

    def next_item(self) -> Item:
        self._item = None
        state: _State = self._lex_inside_action if self.inside_action else self._lex_text
        while self._item is None:
            following = state()
            if self._item is not None or following is None:
                break
            state = following
        if self._item is None:
            return Item(EOF, self.pos, "EOF")
        return self._item

    def _lex_text(self) -> _State | None:
        text = self.input
        x = text.find(self.left, self.pos)
        if x >= 0:
            if x > self.pos:
                self.pos = x
                trim = 0
                if self._has_left_trim(x + len(self.left)):
                    trim = len(text[self.start : x]) - len(text[self.start : x].rstrip(_SPACE_CHARS))
                self.pos -= trim
                item = Item(TEXT, self.start, text[self.start : self.pos])
                self.pos += trim
                self.start = self.pos
                if item.val:
                    self._item = item
                    return None
            return self._lex_left_delim
        self.pos = len(text)
        self._emit(TEXT if self.pos > self.start else EOF)
        return None

    def _lex_left_delim(self) -> _State | None:
        self.pos += len(self.left)
        trim = self._has_left_trim(self.pos)
        after = 2 if trim else 0
        if self.input.startswith(_LEFT_COMMENT, self.pos + after):
            self.pos += after
            self.start = self.pos
            return self._lex_comment
        self._item = Item(LEFT_DELIM, self.start, self.input[self.start : self.pos])
        self.inside_action = True
        self.pos += after
        self.start = self.pos
        self.paren_depth = 0
        return None

    def _lex_comment(self) -> _State | None:
        self.pos += len(_LEFT_COMMENT)
        x = self.input.find(_RIGHT_COMMENT, self.pos)
        if x < 0:
            self._error("unclosed comment")
            return None
        self.pos = x + len(_RIGHT_COMMENT)
        delim, trim = self._at_right_delim()
        if not delim:
            self._error("comment ends before closing delimiter")
            return None
        if trim:
            self.pos += 2
        self.pos += len(self.right)
        if trim:
            self.pos += len(self.input[self.pos :]) - len(self.input[self.pos :].lstrip(_SPACE_CHARS))
        self.start = self.pos
        return self._lex_text

    def _lex_right_delim(self) -> _State | None:
        _, trim = self._at_right_delim()
        if trim:
            self.pos += 2
            self.start = self.pos
        self.pos += len(self.right)
        self._emit(RIGHT_DELIM)
        if trim:
            rest = self.input[self.pos :]
            self.pos += len(rest) - len(rest.lstrip(_SPACE_CHARS))
            self.start = self.pos
        self.inside_action = False
        return None

    def _lex_inside_action(self) -> _State | None:
        delim, _ = self._at_right_delim()
        if delim:
            if self.paren_depth == 0:
                return self._lex_right_delim
            self._error("unclosed left paren")
            return None
        ch = self._next()
        if ch == "":
            self._error("unclosed action")
        elif _is_space(ch):
            self._backup()
            return self._lex_space
        elif ch == "=":
            self._emit(ASSIGN)
        elif ch == ":":
            if self._next() != "=":
                self._error("expected :=")
            else:
                self._emit(DECLARE)
        elif ch == "|":
            self._emit(PIPE)
        elif ch == '"':
            return self._lex_quote
        elif ch == "`":
            return self._lex_raw_quote
        elif ch == "$":
            return self._lex_variable
        elif ch == "'":
            return self._lex_char
        elif ch == "." and self.pos < len(self.input) and not ("0" <= self.input[self.pos] <= "9"):
            return self._lex_field
        elif ch in "+-." or "0" <= ch <= "9":
            self._backup()
            return self._lex_number
        elif is_alphanumeric(ch):
            self._backup()
            return self._lex_identifier
        elif ch == "(":
            self.paren_depth += 1
            self._emit(LEFT_PAREN)
        elif ch == ")":
            self.paren_depth -= 1
            if self.paren_depth < 0:
                self._error("unexpected right paren")
            else:
                self._emit(RIGHT_PAREN)
        elif ch.isascii() and ch.isprintable():
            self._emit(CHAR)
        else:
            self._error(f"unrecognized character in action: {_unicode_name(ch)}")
        return None

    def _lex_space(self) -> _State | None:
        spaces = 0
        while _is_space(self._peek()):
            self.pos += 1
            spaces += 1
        # A closing delimiter with a trim marker starts with a space: leave it for the delimiter.
        if self._has_right_trim(self.pos - 1) and self.input.startswith(self.right, self.pos + 1):
            self.pos -= 1
            if spaces == 1:
                return self._lex_right_delim
        self._emit(SPACE)
        return None

    def _lex_identifier(self) -> _State | None:
        while True:
            ch = self._next()
            if is_alphanumeric(ch):
                continue
            self._backup()
            word = self.input[self.start : self.pos]
            if not self._at_terminator():
                self._error(f"bad character {_unicode_name(self._peek())}")
                return None
            keyword = KEYWORDS.get(word)
            if keyword is not None and word != ".":
                if (keyword == "break" and not self.break_ok) or (keyword == "continue" and not self.continue_ok):
                    self._emit(IDENTIFIER)
                else:
                    self._emit(keyword)
            elif word in ("true", "false"):
                self._emit(BOOL)
            else:
                self._emit(IDENTIFIER)
            return None

    def _lex_field(self) -> _State | None:
        return self._lex_field_or_variable(FIELD)

    def _lex_variable(self) -> _State | None:
        if self._at_terminator():
            self._emit(VARIABLE)
            return None
        return self._lex_field_or_variable(VARIABLE)

    def _lex_field_or_variable(self, typ: str) -> _State | None:
        if self._at_terminator():
            self._emit(VARIABLE if typ == VARIABLE else "dot")
            return None
        while True:
            ch = self._next()
            if not is_alphanumeric(ch):
                self._backup()
                break
        if not self._at_terminator():
            self._error(f"bad character {_unicode_name(self._peek())}")
            return None
        self._emit(typ)
        return None

    def _lex_char(self) -> _State | None:
        while True:
            ch = self._next()
            if ch == "\\":
                following = self._next()
                if following not in ("", "\n"):
                    continue
                self._error("unterminated character constant")
                return None
            if ch in ("", "\n"):
                self._error("unterminated character constant")
                return None
            if ch == "'":
                break
        self._emit(CHAR_CONSTANT)
        return None

    def _lex_number(self) -> _State | None:
        if not self._scan_number():
            self._error(f"bad number syntax: {quote(self.input[self.start : self.pos])}")
            return None
        if self._peek() in ("+", "-"):
            if not self._scan_number() or self.input[self.pos - 1] != "i":
                self._error(f"bad number syntax: {quote(self.input[self.start : self.pos])}")
                return None
            self._emit(COMPLEX)
            return None
        self._emit(NUMBER)
        return None

    def _scan_number(self) -> bool:
        self._accept("+-")
        digits = "0123456789_"
        if self._accept("0"):
            if self._accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self._accept("oO"):
                digits = "01234567_"
            elif self._accept("bB"):
                digits = "01_"
        self._accept_run(digits)
        if self._accept("."):
            self._accept_run(digits)
        if len(digits) == 11 and self._accept("eE"):
            self._accept("+-")
            self._accept_run("0123456789_")
        if len(digits) == 23 and self._accept("pP"):
            self._accept("+-")
            self._accept_run("0123456789_")
        self._accept("i")
        if is_alphanumeric(self._peek()):
            self._next()
            return False
        return True

    def _lex_quote(self) -> _State | None:
        while True:
            ch = self._next()
            if ch == "\\":
                following = self._next()
                if following not in ("", "\n"):
                    continue
                self._error("unterminated quoted string")
                return None
            if ch in ("", "\n"):
                self._error("unterminated quoted string")
                return None
            if ch == '"':
                break
        self._emit(STRING)
        return None

    def _lex_raw_quote(self) -> _State | None:
        while True:
            ch = self._next()
            if ch == "":
                self._error("unterminated raw quoted string")
                return None
            if ch == "`":
                break
        self._emit(RAW_STRING)
        return None
