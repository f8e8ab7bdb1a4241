"""Parser for Calico selectors (libcalico-go ``lib/selector/parser/parser.go``).

Grammar (``||`` binds loosest, then ``&&``, then the prefix ``!``)::

    selector  := <nothing> | or
    or        := and ( "||" and )*
    and       := operation ( "&&" operation )*
    operation := "!"* ( "has(" LABEL ")" | "all()" | "global()" | "(" or ")"
                      | LABEL ( "==" | "!=" | "contains" | "starts with" | "ends with" ) STRING
                      | LABEL ( "in" | "not in" ) "{" [ STRING ( "," STRING )* [ "," ] ] "}" )

The whole text is tokenized before parsing, so a tokenizer error wins over a parser error
further left, as in Go.  Error reasons use libcalico-go's wording.

Go's parser is recursive descent and sets no nesting limit (a goroutine's stack grows to a
gigabyte), so it accepts parentheses nested as deep as the text allows.  This one reads the
same grammar left to right with an explicit stack of open parentheses instead of Python's call
stack, so any depth parses, and it fails at the same token with the same reason.
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
from calicopy.selector.diagnostics import not_text_error, selector_error
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
    token_offsets,
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
    """Internal: a parser failure at a token, turned into SelectorError by parse()."""

    def __init__(self, reason: str, token: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.token = token


def parse(text: str) -> Selector:
    """Parse a selector; raises :class:`SelectorError` (a ``ValueError``) when it is invalid.

    The empty (or blank) selector is ``all()``.  Anything that is not a ``str`` is invalid too.
    """
    if not isinstance(text, str):
        raise not_text_error(text)
    tokens = tokenize_raw(text)
    if tokens[0][0] == EOF:
        return Selector(_ALL)
    try:
        node = _parse_tokens(tokens)
    except _ParseError as exc:
        raise selector_error(text, exc.reason, token_offsets(text)[exc.token]) from None
    return Selector(node)


def parse_cached(text: str) -> Selector:
    """:func:`parse`, memoised (selectors are immutable, so sharing them is safe).

    Failures are not cached: an invalid selector raises again each time.
    """
    if not isinstance(text, str):  # before the cache, which would hash it
        raise not_text_error(text)
    return _parse_cached(text)


@functools.lru_cache(maxsize=65536)
def _parse_cached(text: str) -> Selector:
    return parse(text)


def validate(text: str) -> None:
    """Raise :class:`SelectorError` if ``text`` is not a valid selector (Go's ``Validate``)."""
    parse_cached(text)


def normalise(text: str) -> str:
    """libcalico-go ``selector.Normalise``: trim, then the canonical form if it parses.

    Text that does not parse comes back trimmed but otherwise unchanged; anything that is not a
    ``str`` raises :class:`SelectorError`.
    """
    if not isinstance(text, str):
        raise not_text_error(text)
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
    question.  Anything that is not a ``str`` gives ``False``.
    """
    return isinstance(text, str) and "global()" in text


def is_global_only(text: str) -> bool:
    """Whether ``text`` tokenizes to exactly one ``global()`` token (blanks around allowed).

    libcalico-go's EntityRule check is: if the namespaceSelector contains ``"global("``,
    it must be ``global()`` or tokenize to ``[TokGlobal, TokEOF]``, otherwise the rule is
    invalid (``global() cannot be combined with other selectors``)::

        if "global(" in ns and not is_global_only(ns): reject

    Text that does not tokenize gives ``False`` (Go treats a tokenizer error the same way), as
    does anything that is not a ``str``.
    """
    if not isinstance(text, str):
        return False
    if text == "global()":
        return True
    try:
        tokens = tokenize_raw(text)
    except SelectorError:
        return False
    return len(tokens) == 2 and tokens[0][0] == GLOBAL


def _parse_tokens(tokens: list[RawToken]) -> Node:
    """The tree of a non-empty token list (Go's ``parseOrExpression`` from the root).

    Go reads ``!``* then a term, then loops on ``&&`` and ``||``, recursing for a parenthesis.
    Here each open parenthesis saves the enclosing expression's state on ``open_groups`` and its
    ``)`` restores it, so tokens are looked at in the same order and the first error is the same.
    """
    # The expression being read: "!"s before its "(" (collapsed), finished "||" operands, and
    # the operands of its current "&&" run.
    group_negated = False
    ors: list[Node] = []
    ands: list[Node] = []
    open_groups: list[tuple[bool, list[Node], list[Node]]] = []
    pos = 0
    while True:
        negated = False
        kind = tokens[pos][0]
        while kind == NOT:
            negated = not negated
            pos += 1
            kind = tokens[pos][0]
        if kind == LPAREN:
            open_groups.append((group_negated, ors, ands))
            group_negated, ors, ands = negated, [], []
            pos += 1
            continue
        node, pos = _parse_term(tokens, pos)
        ands.append(Not(node) if negated else node)
        # After a term: more of this "&&" run, another "||" operand, or the end of the
        # expression (and then of each enclosing one it ends, as far as the ")"s go).
        while True:
            kind = tokens[pos][0]
            if kind == AND:
                pos += 1
                break
            ors.append(ands[0] if len(ands) == 1 else And(tuple(ands)))
            if kind == OR:
                ands = []
                pos += 1
                break
            node = ors[0] if len(ors) == 1 else Or(tuple(ors))
            if group_negated:
                node = Not(node)
            if not open_groups:
                if kind != EOF:
                    rest = " ".join(go_token_string(token) for token in tokens[pos:])
                    raise _ParseError(f"unexpected content at end of selector [{rest}]", pos)
                return node
            if kind != RPAREN:
                raise _ParseError("expected )", pos)
            pos += 1
            group_negated, ors, ands = open_groups.pop()
            ands.append(node)


def _parse_term(tokens: list[RawToken], pos: int) -> tuple[Node, int]:
    """One term other than a parenthesis (Go's ``parseOperation`` after the ``!``s)."""
    kind, value = tokens[pos]
    if kind == LABEL:
        if len(tokens) - pos < 3:
            raise _ParseError("unexpected end of string looking for op", len(tokens) - 1)
        op = tokens[pos + 1][0]
        operand_kind, operand = tokens[pos + 2]
        cls = _COMPARISONS.get(op)
        if cls is not None:
            if operand_kind != STRING:
                raise _ParseError("expected string", pos + 2)
            return cls(value, operand), pos + 3
        if op in (IN, NOT_IN):
            if operand_kind != LBRACE:
                raise _ParseError("expected set literal", pos + 2)
            pos += 3
            members: list[str] = []
            while tokens[pos][0] == STRING:
                members.append(tokens[pos][1])
                pos += 1
                if tokens[pos][0] != COMMA:
                    break
                pos += 1
            if tokens[pos][0] != RBRACE:
                raise _ParseError("expected }", pos)
            node = LabelIn(value, tuple(members)) if op == IN else LabelNotIn(value, tuple(members))
            return node, pos + 1
        raise _ParseError(f"expected == or != not: {go_token_string(tokens[pos + 1])}", pos + 1)
    if kind == HAS:
        return Has(value), pos + 1
    if kind == ALL:
        return _ALL, pos + 1
    if kind == GLOBAL:
        return _GLOBAL, pos + 1
    raise _ParseError(f"unexpected token: {go_token_string(tokens[pos])}", pos)
