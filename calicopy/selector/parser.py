"""Recursive-descent parser for Calico selectors (libcalico-go ``lib/selector/parser/parser.go``).

Grammar (``||`` binds loosest, then ``&&``, then the prefix ``!``)::

    selector  := <nothing> | or
    or        := and ( "||" and )*
    and       := operation ( "&&" operation )*
    operation := "!"* ( "has(" LABEL ")" | "all()" | "global()" | "(" or ")"
                      | LABEL ( "==" | "!=" | "contains" | "starts with" | "ends with" ) STRING
                      | LABEL ( "in" | "not in" ) "{" [ STRING ( "," STRING )* [ "," ] ] "}" )

The whole text is tokenized before parsing, so a tokenizer error wins over a parser error
further left, as in Go.  Error reasons use libcalico-go's wording.
"""

from __future__ import annotations

import functools

from calicopy.errors import SelectorError
from calicopy.selector.ast import (
    All,
    And,
    Global,
    Has,
    LabelContains,
    LabelEndsWith,
    LabelEq,
    LabelIn,
    LabelNe,
    LabelNotIn,
    LabelStartsWith,
    Node,
    Not,
    Or,
    Selector,
)
from calicopy.selector.tokenizer import (
    ALL,
    AND,
    COMMA,
    CONTAINS,
    ENDS_WITH,
    EOF,
    EQ,
    GLOBAL,
    HAS,
    IN,
    LABEL,
    LBRACE,
    LPAREN,
    NE,
    NOT,
    NOT_IN,
    OR,
    RBRACE,
    RPAREN,
    STARTS_WITH,
    STRING,
    RawToken,
    go_token_string,
    tokenize_raw,
)

__all__ = [
    "contains_global",
    "is_global_only",
    "normalise",
    "parse",
    "parse_cached",
    "validate",
]

_ALL = All()
_GLOBAL = Global()
_COMPARISONS: dict[int, type[LabelEq | LabelNe | LabelContains | LabelStartsWith | LabelEndsWith]] = {
    EQ: LabelEq,
    NE: LabelNe,
    CONTAINS: LabelContains,
    STARTS_WITH: LabelStartsWith,
    ENDS_WITH: LabelEndsWith,
}

# Go's "strings.TrimSpace" set (unicode.IsSpace), used by normalise().
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


class _ParseError(Exception):
    """Internal: a parser failure, turned into SelectorError with the text by parse()."""


def parse(text: str) -> Selector:
    """Parse a selector; raises :class:`SelectorError` (a ``ValueError``) when it is invalid.

    The empty (or blank) selector is ``all()``.
    """
    tokens = tokenize_raw(text)
    if tokens[0][0] == EOF:
        return Selector(_ALL)
    try:
        node, pos = _parse_or(tokens, 0)
        if tokens[pos][0] != EOF:
            rest = " ".join(go_token_string(token) for token in tokens[pos:])
            raise _ParseError(f"unexpected content at end of selector [{rest}]")
    except _ParseError as exc:
        raise SelectorError(text, str(exc)) from None
    return Selector(node)


@functools.lru_cache(maxsize=65536)
def parse_cached(text: str) -> Selector:
    """:func:`parse`, memoised (selectors are immutable, so sharing them is safe).

    Failures are not cached: an invalid selector raises again each time.
    """
    return parse(text)


def validate(text: str) -> None:
    """Raise :class:`SelectorError` if ``text`` is not a valid selector (Go's ``Validate``)."""
    parse_cached(text)


def normalise(text: str) -> str:
    """libcalico-go ``selector.Normalise``: trim, then the canonical form if it parses.

    Text that does not parse comes back trimmed but otherwise unchanged.
    """
    text = text.strip(_GO_SPACE)
    try:
        return str(parse_cached(text))
    except SelectorError:
        return text


def contains_global(text: str) -> bool:
    """Whether ``text`` contains ``global()`` verbatim.

    This is the plain substring test libcalico-go's validator applies to the selectors that
    may not use ``global()`` at all (``strings.Contains(s, "global()")``); it also fires
    inside a string literal, as in Go.  Use :meth:`Selector.uses_global` for the syntactic
    question.
    """
    return "global()" in text


def is_global_only(text: str) -> bool:
    """Whether ``text`` tokenizes to exactly one ``global()`` token (blanks around allowed).

    libcalico-go's EntityRule check is: if the namespaceSelector contains ``"global("``,
    it must be ``global()`` or tokenize to ``[TokGlobal, TokEOF]``, otherwise the rule is
    invalid (``global() cannot be combined with other selectors``)::

        if "global(" in ns and not is_global_only(ns): reject

    Text that does not tokenize gives ``False`` (Go treats a tokenizer error the same way).
    """
    if text == "global()":
        return True
    try:
        tokens = tokenize_raw(text)
    except SelectorError:
        return False
    return len(tokens) == 2 and tokens[0][0] == GLOBAL


def _parse_or(tokens: list[RawToken], pos: int) -> tuple[Node, int]:
    node, pos = _parse_and(tokens, pos)
    if tokens[pos][0] != OR:
        return node, pos
    operands = [node]
    while tokens[pos][0] == OR:
        node, pos = _parse_and(tokens, pos + 1)
        operands.append(node)
    return Or(tuple(operands)), pos


def _parse_and(tokens: list[RawToken], pos: int) -> tuple[Node, int]:
    node, pos = _parse_operation(tokens, pos)
    if tokens[pos][0] != AND:
        return node, pos
    operands = [node]
    while tokens[pos][0] == AND:
        node, pos = _parse_operation(tokens, pos + 1)
        operands.append(node)
    return And(tuple(operands)), pos


def _parse_operation(tokens: list[RawToken], pos: int) -> tuple[Node, int]:
    kind, value = tokens[pos]
    negated = False
    while kind == NOT:
        negated = not negated
        pos += 1
        kind, value = tokens[pos]

    node: Node
    if kind == LABEL:
        if len(tokens) - pos < 3:
            raise _ParseError("unexpected end of string looking for op")
        op = tokens[pos + 1][0]
        operand_kind, operand = tokens[pos + 2]
        cls = _COMPARISONS.get(op)
        if cls is not None:
            if operand_kind != STRING:
                raise _ParseError("expected string")
            node = cls(value, operand)
            pos += 3
        elif op in (IN, NOT_IN):
            if operand_kind != LBRACE:
                raise _ParseError("expected set literal")
            pos += 3
            members: list[str] = []
            while tokens[pos][0] == STRING:
                members.append(tokens[pos][1])
                pos += 1
                if tokens[pos][0] != COMMA:
                    break
                pos += 1
            if tokens[pos][0] != RBRACE:
                raise _ParseError("expected }")
            pos += 1
            node = LabelIn(value, tuple(members)) if op == IN else LabelNotIn(value, tuple(members))
        else:
            raise _ParseError(f"expected == or != not: {go_token_string(tokens[pos + 1])}")
    elif kind == HAS:
        node = Has(value)
        pos += 1
    elif kind == LPAREN:
        node, pos = _parse_or(tokens, pos + 1)
        if tokens[pos][0] != RPAREN:
            raise _ParseError("expected )")
        pos += 1
    elif kind == ALL:
        node = _ALL
        pos += 1
    elif kind == GLOBAL:
        node = _GLOBAL
        pos += 1
    else:
        raise _ParseError(f"unexpected token: {go_token_string(tokens[pos])}")
    if negated:
        return Not(node), pos
    return node, pos
