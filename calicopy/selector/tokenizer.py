"""Tokenizer for Calico's selector language.

Behaviour follows libcalico-go ``lib/selector/tokenizer/tokenizer.go`` (Calico v3.32.1):

* only space and tab separate tokens; any other character outside a string literal that
  is not part of a token (a newline, ``%``, ...) is an error;
* string literals use ``"`` or ``'`` and have no escapes: the value runs up to the next
  identical quote (so it may hold the other quote character, or even a newline);
* a label is one or more of ``[A-Za-z0-9_./-]``, at most 512 characters;
* right after a label (spaces and tabs aside) there must be punctuation, the end of the
  text or an operator word: ``contains``, ``starts with``, ``ends with``, ``not in``,
  ``in``.  Multi-word operators take any run of spaces/tabs between the words, including
  none (``startswith``, ``notin``), and every operator word must end at a word boundary;
* ``has(``, ``all(`` and ``global(`` must be written without a space before ``(``.

The scan itself is one compiled regular expression applied token by token.  When it does
not match, :func:`_explain` works out the error the Go tokenizer would report.
"""

from __future__ import annotations

import re
from enum import IntEnum
from typing import NamedTuple

from calicopy.selector.diagnostics import not_text_error, selector_error

__all__ = ["MAX_LABEL_LENGTH", "Kind", "Token", "token_offsets", "tokenize", "valid_label"]

#: libcalico-go's ``tokenizer.MaxLabelLength``.
MAX_LABEL_LENGTH = 512


class Kind(IntEnum):
    """Token kinds, numbered as libcalico-go's ``tokenizer.Kind``."""

    NONE = 0
    LABEL = 1
    STRING_LITERAL = 2
    LBRACE = 3
    RBRACE = 4
    COMMA = 5
    EQ = 6
    NE = 7
    IN = 8
    NOT = 9
    NOT_IN = 10
    CONTAINS = 11
    STARTS_WITH = 12
    ENDS_WITH = 13
    ALL = 14
    HAS = 15
    LPAREN = 16
    RPAREN = 17
    AND = 18
    OR = 19
    GLOBAL = 20
    EOF = 21

    @property
    def go_name(self) -> str:
        """The name Go's ``stringer`` gives this kind, e.g. ``TokStringLiteral``."""
        return _GO_NAMES[self]


_GO_NAMES = {
    Kind.NONE: "TokNone",
    Kind.LABEL: "TokLabel",
    Kind.STRING_LITERAL: "TokStringLiteral",
    Kind.LBRACE: "TokLBrace",
    Kind.RBRACE: "TokRBrace",
    Kind.COMMA: "TokComma",
    Kind.EQ: "TokEq",
    Kind.NE: "TokNe",
    Kind.IN: "TokIn",
    Kind.NOT: "TokNot",
    Kind.NOT_IN: "TokNotIn",
    Kind.CONTAINS: "TokContains",
    Kind.STARTS_WITH: "TokStartsWith",
    Kind.ENDS_WITH: "TokEndsWith",
    Kind.ALL: "TokAll",
    Kind.HAS: "TokHas",
    Kind.LPAREN: "TokLParen",
    Kind.RPAREN: "TokRParen",
    Kind.AND: "TokAnd",
    Kind.OR: "TokOr",
    Kind.GLOBAL: "TokGlobal",
    Kind.EOF: "TokEOF",
}

# Plain-int aliases for the hot path (comparing ints is cheaper than enum members).
LABEL = 1
STRING = 2
LBRACE = 3
RBRACE = 4
COMMA = 5
EQ = 6
NE = 7
IN = 8
NOT = 9
NOT_IN = 10
CONTAINS = 11
STARTS_WITH = 12
ENDS_WITH = 13
ALL = 14
HAS = 15
LPAREN = 16
RPAREN = 17
AND = 18
OR = 19
GLOBAL = 20
EOF = 21

#: A token as the parser sees it: ``(kind, value)``; value is "" unless the kind carries one.
RawToken = tuple[int, str]


class Token(NamedTuple):
    """A token: its kind and, for labels, string literals and ``has()``, its value."""

    kind: Kind
    value: str = ""

    def __str__(self) -> str:
        # Go: fmt.Sprintf("%s(%s)", t.Kind, t.Value)
        return f"{_GO_NAMES[Kind(self.kind)]}({self.value})"


def go_token_string(token: RawToken) -> str:
    """A raw token printed the way libcalico-go prints a ``Token`` in its errors."""
    return f"{_GO_NAMES[Kind(token[0])]}({token[1]})"


_ID = r"[A-Za-z0-9_./-]"
# One token per match, except that a label takes its operator and, for the common
# ``label op "value"`` shape, the string literal after it along (same tokens, fewer
# round trips through Python).
_TOKEN_RE = re.compile(
    rf"""
    [ \t]*+
    (?:
        (?P<punct>==|!=|&&|\|\||[(){{}},!])
      | "(?P<dq>[^"]*+)"
      | '(?P<sq>[^']*+)'
      | has\([ \t]*+(?P<has>{_ID}++)[ \t]*+\)
      | (?P<all>all\([ \t]*+\))
      | (?P<glob>global\([ \t]*+\))
      | (?!has\(|all\(|global\()
        (?P<label>{_ID}++)
        [ \t]*+
        (?:
            (?P<op>
                ==
              | !=
              | contains(?!{_ID})
              | starts[ \t]*+with[ \t]*+(?!{_ID})
              | ends[ \t]*+with[ \t]*+(?!{_ID})
              | not[ \t]*+in[ \t]*+(?!{_ID})
              | in(?!{_ID})
            )
            (?:[ \t]*+(?:"(?P<dqv>[^"]*+)"|'(?P<sqv>[^']*+)'))?
          | (?=[(){{}},="'!&|]|\Z)
        )
      | (?P<eof>\Z)
    )
    """,
    re.VERBOSE,
)
_IDENT_RE = re.compile(rf"{_ID}*+")

_PUNCT_GROUP = _TOKEN_RE.groupindex["punct"]
_DQ_GROUP = _TOKEN_RE.groupindex["dq"]
_SQ_GROUP = _TOKEN_RE.groupindex["sq"]
_HAS_GROUP = _TOKEN_RE.groupindex["has"]
_ALL_GROUP = _TOKEN_RE.groupindex["all"]
_GLOBAL_GROUP = _TOKEN_RE.groupindex["glob"]
_LABEL_GROUP = _TOKEN_RE.groupindex["label"]
_OP_GROUP = _TOKEN_RE.groupindex["op"]
_DQV_GROUP = _TOKEN_RE.groupindex["dqv"]
_SQV_GROUP = _TOKEN_RE.groupindex["sqv"]
_EOF_GROUP = _TOKEN_RE.groupindex["eof"]

_PUNCT = {
    "==": (EQ, ""),
    "!=": (NE, ""),
    "&&": (AND, ""),
    "||": (OR, ""),
    "(": (LPAREN, ""),
    ")": (RPAREN, ""),
    "{": (LBRACE, ""),
    "}": (RBRACE, ""),
    ",": (COMMA, ""),
    "!": (NOT, ""),
}
# Operators after a label, by their first character.
_OPERATORS = {
    "=": (EQ, ""),
    "!": (NE, ""),
    "c": (CONTAINS, ""),
    "s": (STARTS_WITH, ""),
    "e": (ENDS_WITH, ""),
    "n": (NOT_IN, ""),
    "i": (IN, ""),
}
_ALL_TOKEN = (ALL, "")
_GLOBAL_TOKEN = (GLOBAL, "")
_EOF_TOKEN = (EOF, "")


def tokenize_raw(text: str) -> list[RawToken]:
    """Split ``text`` into ``(kind, value)`` tuples ending with an EOF token.

    Raises :class:`~calicopy.errors.SelectorError` with libcalico-go's reason, and where, when the
    text does not tokenize.  ``text`` must be a ``str`` (the public callers check).
    """
    tokens: list[RawToken] = []
    append = tokens.append
    match = _TOKEN_RE.match
    pos = 0
    while True:
        m = match(text, pos)
        if m is None:
            reason, where = _explain(text, pos)
            raise selector_error(text, reason, where)
        pos = m.end()
        group = m.lastindex
        if group == _PUNCT_GROUP:
            append(_PUNCT[m.group(group)])
        elif group is not None and group >= _LABEL_GROUP:
            if group == _EOF_GROUP:
                append(_EOF_TOKEN)
                return tokens
            label, op, dqv, sqv = m.group(_LABEL_GROUP, _OP_GROUP, _DQV_GROUP, _SQV_GROUP)
            if len(label) > MAX_LABEL_LENGTH:
                raise selector_error(text, f"label too long: {label}", m.start(_LABEL_GROUP))
            append((LABEL, label))
            if op is not None:
                append(_OPERATORS[op[0]])
                if dqv is not None:
                    append((STRING, dqv))
                elif sqv is not None:
                    append((STRING, sqv))
        elif group in (_DQ_GROUP, _SQ_GROUP):
            append((STRING, m.group(group)))
        elif group == _HAS_GROUP:
            label = m.group(group)
            if len(label) > MAX_LABEL_LENGTH:
                raise selector_error(text, f"label too long: {label}", m.start(_HAS_GROUP))
            append((HAS, label))
        elif group == _ALL_GROUP:
            append(_ALL_TOKEN)
        else:
            append(_GLOBAL_TOKEN)


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, ending with an EOF token, as libcalico-go's ``Tokenize``.

    Raises :class:`~calicopy.errors.SelectorError` when the text does not tokenize (or is not a
    ``str``).
    """
    if not isinstance(text, str):
        raise not_text_error(text)
    return [Token(Kind(kind), value) for kind, value in tokenize_raw(text)]


def valid_label(label: str) -> bool:
    """Whether ``label`` is a valid selector label (libcalico-go ``tokenizer.ValidLabel``)."""
    if not isinstance(label, str):
        return False
    return 0 < len(label) <= MAX_LABEL_LENGTH and _IDENT_RE.fullmatch(label) is not None


def _skip_blanks(text: str, pos: int) -> int:
    n = len(text)
    while pos < n and text[pos] in " \t":
        pos += 1
    return pos


def token_offsets(text: str) -> list[int]:
    """Where each token of ``text`` starts (the EOF token: at the end), for error positions.

    Only called once parsing has failed, so it replays the scan rather than slowing it down;
    ``text`` must tokenize.
    """
    offsets: list[int] = []
    pos = 0
    while True:
        m = _TOKEN_RE.match(text, pos)
        if m is None:  # pragma: no cover - the caller tokenized this text already
            raise ValueError("token_offsets() needs text that tokenizes")
        pos = m.end()
        group = m.lastindex
        if group is not None and _LABEL_GROUP <= group < _EOF_GROUP:
            offsets.append(m.start(_LABEL_GROUP))
            if m.group(_OP_GROUP) is not None:
                offsets.append(m.start(_OP_GROUP))
                for value_group in (_DQV_GROUP, _SQV_GROUP):
                    if m.group(value_group) is not None:
                        offsets.append(m.start(value_group) - 1)  # the opening quote
            continue
        offsets.append(_skip_blanks(text, m.start()))
        if group == _EOF_GROUP:
            return offsets


def _cut_identifier(text: str, pos: int) -> tuple[str, int] | tuple[str, None]:
    """The identifier at ``pos`` and the position after it, or the error Go reports and ``None``."""
    m = _IDENT_RE.match(text, pos)
    ident = m.group() if m else ""
    if len(ident) > MAX_LABEL_LENGTH:
        return f"label too long: {ident}", None
    if not ident:
        return "expected identifier", None
    return ident, pos + len(ident)


def _explain(text: str, pos: int) -> tuple[str, int]:
    """Why the token starting at ``pos`` (spaces and tabs first) does not tokenize, and where.

    Only called once the fast scan has failed, so it may be slow; it replays the decisions
    of Go's ``AppendTokens`` for a single token.  The position is that of the character the
    tokenizer stumbled on (the opening quote of an unterminated string, the start of a label
    that is too long).
    """
    pos = _skip_blanks(text, pos)
    rest = text[pos:]
    first = rest[:1]
    if first in ("'", '"'):
        return "unterminated string", pos
    if first == "=":
        return "expected ==", pos
    if first == "&":
        return "expected &&", pos
    if first == "|":
        return "expected ||", pos
    for func in ("has(", "all(", "global("):
        if rest.startswith(func):
            after = _skip_blanks(text, pos + len(func))
            if func == "has(":
                ident, end = _cut_identifier(text, after)
                if end is None:
                    return ident, after
                after = _skip_blanks(text, end)
            return f"no closing ')' after {func}", after
    label, end = _cut_identifier(text, pos)
    if end is None:
        return label, pos
    # The label itself is fine, so what follows it is not an operator.
    return f'expected operator after label "{label}"', _skip_blanks(text, end)
