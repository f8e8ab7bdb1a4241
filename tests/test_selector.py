"""Tests for calicopy.selector.

The tables marked "ported" are copied from Calico v3.32.1:
``libcalico-go/lib/selector/tokenizer/tokenizer_test.go`` (``tokenTests``) and
``libcalico-go/lib/selector/parser/parser_test.go`` (``selectorTests``, ``badSelectors``,
``canonicalisationTests`` and the Visitor table's inputs).
"""

from __future__ import annotations

import pickle
import threading
from dataclasses import FrozenInstanceError

import pytest

from calicopy.errors import SelectorError
from calicopy.selector import (
    MAX_LABEL_LENGTH,
    All,
    And,
    Global,
    Has,
    Kind,
    LabelEq,
    LabelIn,
    LabelNe,
    LabelNotIn,
    Not,
    Or,
    Selector,
    Token,
    contains_global,
    is_global_only,
    make_unique_id,
    normalise,
    parse,
    parse_cached,
    tokenize,
    valid_label,
    validate,
)

L = Kind.LABEL
S = Kind.STRING_LITERAL


def tok(kind: Kind, value: str = "") -> Token:
    return Token(kind, value)


EOF = tok(Kind.EOF)

# --------------------------------------------------------------------------------------
# Ported: tokenizer_test.go tokenTests.  ``None`` means "must fail to tokenize".
# --------------------------------------------------------------------------------------
TOKEN_TESTS: list[tuple[str, list[Token] | None]] = [
    ('a=="b"', [tok(L, "a"), tok(Kind.EQ), tok(S, "b"), EOF]),
    ('a!="b"', [tok(L, "a"), tok(Kind.NE), tok(S, "b"), EOF]),
    ('a != "b"', [tok(L, "a"), tok(Kind.NE), tok(S, "b"), EOF]),
    ('(a=="b")', [tok(Kind.LPAREN), tok(L, "a"), tok(Kind.EQ), tok(S, "b"), tok(Kind.RPAREN), EOF]),
    ('a=="b"', [tok(L, "a"), tok(Kind.EQ), tok(S, "b"), EOF]),
    ('label == "value"', [tok(L, "label"), tok(Kind.EQ), tok(S, "value"), EOF]),
    ('label contains "value"', [tok(L, "label"), tok(Kind.CONTAINS), tok(S, "value"), EOF]),
    ('contains contains "contains"', [tok(L, "contains"), tok(Kind.CONTAINS), tok(S, "contains"), EOF]),
    ("contains contains 'contains'", [tok(L, "contains"), tok(Kind.CONTAINS), tok(S, "contains"), EOF]),
    ('label contains"value"', [tok(L, "label"), tok(Kind.CONTAINS), tok(S, "value"), EOF]),
    ('label startswith "value"', [tok(L, "label"), tok(Kind.STARTS_WITH), tok(S, "value"), EOF]),
    ('label endswith "value"', [tok(L, "label"), tok(Kind.ENDS_WITH), tok(S, "value"), EOF]),
    ('label starts with "value"', [tok(L, "label"), tok(Kind.STARTS_WITH), tok(S, "value"), EOF]),
    ('startswith starts with "value"', [tok(L, "startswith"), tok(Kind.STARTS_WITH), tok(S, "value"), EOF]),
    ('label ends with "value"', [tok(L, "label"), tok(Kind.ENDS_WITH), tok(S, "value"), EOF]),
    ('endswith ends with "value"', [tok(L, "endswith"), tok(Kind.ENDS_WITH), tok(S, "value"), EOF]),
    ('label starts  with "value"', [tok(L, "label"), tok(Kind.STARTS_WITH), tok(S, "value"), EOF]),
    ('label ends  with "value"', [tok(L, "label"), tok(Kind.ENDS_WITH), tok(S, "value"), EOF]),
    ("a" * 512 + ' == "value"', [tok(L, "a" * 512), tok(Kind.EQ), tok(S, "value"), EOF]),
    ("a" * 513 + ' == "value"', None),
    ('label == "value', None),
    ("label == 'value", None),
    ('label = "value"', None),
    ("all(", None),
    ("global(", None),
    ("has()", None),
    ("has(foo", None),
    ("has( foo ", None),
    ('a == "b" & has(foo)', None),
    ('a == "b" | has(foo)', None),
    ('label starts foo "value"', None),
    ('label inf "value"', None),
    ('label ends foo "value"', None),
    ('label ends withs "value"', None),
    ('label squiggles "value"', None),
    (
        'a not in "bar" && !has(foo) || b in c',
        [
            tok(L, "a"),
            tok(Kind.NOT_IN),
            tok(S, "bar"),
            tok(Kind.AND),
            tok(Kind.NOT),
            tok(Kind.HAS, "foo"),
            tok(Kind.OR),
            tok(L, "b"),
            tok(Kind.IN),
            tok(L, "c"),
            EOF,
        ],
    ),
    ("has(calico/k8s_ns)", [tok(Kind.HAS, "calico/k8s_ns"), EOF]),
    ("has(calico/k8s_ns/role)", [tok(Kind.HAS, "calico/k8s_ns/role"), EOF]),
    ("has(calico/k8s_NS-.1/role)", [tok(Kind.HAS, "calico/k8s_NS-.1/role"), EOF]),
    (
        'calico/k8s_ns == "kube-system" && k8s-app == "kube-dns"',
        [
            tok(L, "calico/k8s_ns"),
            tok(Kind.EQ),
            tok(S, "kube-system"),
            tok(Kind.AND),
            tok(L, "k8s-app"),
            tok(Kind.EQ),
            tok(S, "kube-dns"),
            EOF,
        ],
    ),
    (
        'a  not  in  "bar"  &&  ! has( foo )  ||  b  in  c ',
        [
            tok(L, "a"),
            tok(Kind.NOT_IN),
            tok(S, "bar"),
            tok(Kind.AND),
            tok(Kind.NOT),
            tok(Kind.HAS, "foo"),
            tok(Kind.OR),
            tok(L, "b"),
            tok(Kind.IN),
            tok(L, "c"),
            EOF,
        ],
    ),
    (
        'a notin"bar"&&!has(foo)||b in"c"',
        [
            tok(L, "a"),
            tok(Kind.NOT_IN),
            tok(S, "bar"),
            tok(Kind.AND),
            tok(Kind.NOT),
            tok(Kind.HAS, "foo"),
            tok(Kind.OR),
            tok(L, "b"),
            tok(Kind.IN),
            tok(S, "c"),
            EOF,
        ],
    ),
    ("a not in {}", [tok(L, "a"), tok(Kind.NOT_IN), tok(Kind.LBRACE), tok(Kind.RBRACE), EOF]),
    (
        'a not in {"a"}',
        [tok(L, "a"), tok(Kind.NOT_IN), tok(Kind.LBRACE), tok(S, "a"), tok(Kind.RBRACE), EOF],
    ),
    (
        'a not in {"a","B"}',
        [
            tok(L, "a"),
            tok(Kind.NOT_IN),
            tok(Kind.LBRACE),
            tok(S, "a"),
            tok(Kind.COMMA),
            tok(S, "B"),
            tok(Kind.RBRACE),
            EOF,
        ],
    ),
    ("global()", [tok(Kind.GLOBAL), EOF]),
    ("global( )", [tok(Kind.GLOBAL), EOF]),
    ("all()", [tok(Kind.ALL), EOF]),
    ("all( )", [tok(Kind.ALL), EOF]),
]


@pytest.mark.parametrize(("text", "expected"), TOKEN_TESTS)
def test_tokenizer_table(text: str, expected: list[Token] | None) -> None:
    if expected is None:
        with pytest.raises(SelectorError):
            tokenize(text)
    else:
        assert tokenize(text) == expected


# Extra tokenizer cases derived from reading tokenizer.go.
EXTRA_TOKEN_TESTS: list[tuple[str, list[Token]]] = [
    ("", [EOF]),
    (" \t ", [EOF]),
    ("!!=", [tok(Kind.NOT), tok(Kind.NE), EOF]),
    ("a in{}", [tok(L, "a"), tok(Kind.IN), tok(Kind.LBRACE), tok(Kind.RBRACE), EOF]),
    ("a(", [tok(L, "a"), tok(Kind.LPAREN), EOF]),
    ('a"x"', [tok(L, "a"), tok(S, "x"), EOF]),
    ("has\t(", [tok(L, "has"), tok(Kind.LPAREN), EOF]),
    ("hasx(y)", [tok(L, "hasx"), tok(Kind.LPAREN), tok(L, "y"), tok(Kind.RPAREN), EOF]),
    ("all()all()", [tok(Kind.ALL), tok(Kind.ALL), EOF]),
    ("'a\"b'", [tok(S, 'a"b'), EOF]),
    ('"a\'b"', [tok(S, "a'b"), EOF]),
    ('"line\nbreak"', [tok(S, "line\nbreak"), EOF]),
    ("a ends\twith'x'", [tok(L, "a"), tok(Kind.ENDS_WITH), tok(S, "x"), EOF]),
    ("a notin\t{", [tok(L, "a"), tok(Kind.NOT_IN), tok(Kind.LBRACE), EOF]),
    ("has(" + "h" * 512 + ")", [tok(Kind.HAS, "h" * 512), EOF]),
]


@pytest.mark.parametrize(("text", "expected"), EXTRA_TOKEN_TESTS)
def test_tokenizer_extra(text: str, expected: list[Token]) -> None:
    assert tokenize(text) == expected


def test_token_str_is_go_format() -> None:
    assert str(tok(L, "b")) == "TokLabel(b)"
    assert str(EOF) == "TokEOF()"
    assert [k.go_name for k in (Kind.STRING_LITERAL, Kind.LBRACE, Kind.NOT_IN)] == [
        "TokStringLiteral",
        "TokLBrace",
        "TokNotIn",
    ]


# --------------------------------------------------------------------------------------
# Ported: parser_test.go selectorTests: (selector, must match, must not match).
# --------------------------------------------------------------------------------------
Labels = dict[str, str]
SELECTOR_TESTS: list[tuple[str, list[Labels], list[Labels]]] = [
    ('a == "b"', [{"a": "b"}, {"a": "b", "c": "d"}], [{}, {"a": "c"}, {"c": "d"}]),
    (
        'a == "b" && c == "d"',
        [{"a": "b", "c": "d"}],
        [{}, {"a": "b", "c": "e"}, {"a": "c", "c": "d"}, {"c": "d"}, {"a": "b"}],
    ),
    (
        'a == "b" || c == "d"',
        [{"a": "b", "c": "d"}, {"a": "b"}, {"c": "d"}],
        [{}, {"a": "e", "c": "e"}, {"c": "e"}, {"a": "e"}],
    ),
    ('a in {"\'", \'"\', "c"}', [{"a": "c"}, {"a": '"'}, {"a": "'"}], [{}, {"a": "e"}]),
    ('a not in {"\'", \'"\', "c"}', [{}, {"a": "e"}], [{"a": "c"}, {"a": '"'}, {"a": "'"}]),
    ("a == 'a'", [{"a": "a"}], []),
    ('a == "a"', [{"a": "a"}], []),
    ('a != "b"', [{"a": "a"}], []),
    ('a != "a"', [{}], []),
    ('a contains "a"', [{"a": "a"}, {"a": "bab"}, {"a": "aaa", "b": "c"}], [{}, {"a": "b"}, {"b": "aaa"}]),
    (
        'a starts with "a"',
        [{"a": "a"}, {"a": "abb"}, {"a": "aaa", "b": "c"}],
        [{}, {"a": "b"}, {"a": "baa"}, {"b": "aaa"}],
    ),
    (
        'a ends with "a"',
        [{"a": "a"}, {"a": "bba"}, {"a": "aaa", "b": "c"}],
        [{}, {"a": "b"}, {"a": "aab"}, {"b": "aaa"}],
    ),
    ('a in {"a"}', [{"a": "a"}], []),
    ('!a in {"a"}', [{"a": "b"}], []),
    ('a in {"a", "b"}', [{"a": "a"}], []),
    ('a in {"a", "b"}', [{"a": "b"}], []),
    ('a not in {"d", "e"}', [{"a": "a"}], []),
    ("has(a)", [{"a": "b"}], []),
    ("!has(a)", [{"b": "b"}], []),
    ("", [{}], []),
    (" ", [{}], []),
    ("", [{"a": "b"}], []),
    ("all()", [{}], []),
    (" all()", [{}], []),
    (" all()", [{"a": "b"}], []),
    ("global()", [{}], []),
    (" global()", [{}], []),
    (" global()", [{"a": "b"}], []),
    ("a == 'a'", [], [{"a": "b"}]),
    ("a == 'a'", [], [{}]),
    ('a != "a"', [], [{"a": "a"}]),
    ("a != 'a'", [], [{"a": "a"}]),
    ('a in {"a"}', [], [{"a": "b"}]),
    ('a not in {"a"}', [], [{"a": "a"}]),
    ('a in {"a", "b"}', [], [{"a": "c"}]),
    ("has(b)", [], [{"a": "b"}]),
    ("!!has(b)", [], [{"a": "b"}]),
    ("! has(a)", [], [{"a": "b"}]),
    ("!has(a)", [], [{"a": "b"}]),
    ("!!! has(a)", [], [{"a": "b"}]),
    ("!!!has(a)", [], [{"a": "b"}]),
    ("!! ! has(a)", [], [{"a": "b"}]),
    ("! !!has(a)", [], [{"a": "b"}]),
    # Boolean expressions...
    ("a == 'a1' && b == 'b1'", [{"a": "a1", "b": "b1"}], []),
    ("a == 'a1' && b != 'b1'", [], [{"a": "a1", "b": "b1"}]),
    ("a != 'a1' && b == 'b1'", [], [{"a": "a1", "b": "b1"}]),
    ("a != 'a1' && b != 'b1'", [], [{"a": "a1", "b": "b1"}]),
    ("a != 'a1' && !b == 'b1'", [], [{"a": "a1", "b": "b1"}]),
    ("!a == 'a1' && b == 'b1'", [], [{"a": "a1", "b": "b1"}]),
    ("has(a) && !has(b)", [{"a": "a"}], []),
    ("!has(b) && has(a)", [{"a": "a"}], []),
    ("!(!has(a) || has(b))", [{"a": "a"}], []),
    ("!(has(b) || !has(a))", [{"a": "a"}], []),
    ("a == 'a1' || b == 'b1'", [{"a": "a1", "b": "b1"}], []),
    ("a == 'a1' || b != 'b1'", [{"a": "a1", "b": "b1"}], []),
    ("a != 'a1' || b == 'b1'", [{"a": "a1", "b": "b1"}], []),
    ("a != 'a1' || b != 'b1'", [], [{"a": "a1", "b": "b1"}]),
    ("! a == 'a1' || ! b == 'b1'", [], [{"a": "a1", "b": "b1"}]),
]


@pytest.mark.parametrize(("text", "matching", "non_matching"), SELECTOR_TESTS)
def test_selector_table(text: str, matching: list[Labels], non_matching: list[Labels]) -> None:
    sel = parse(text)
    validate(text)
    reparsed = parse(str(sel))
    for labels in matching:
        assert sel.matches(labels), labels
        assert reparsed.matches(labels), labels
    for labels in non_matching:
        assert not sel.matches(labels), labels
        assert not reparsed.matches(labels), labels
    assert sel.unique_id() == sel.unique_id()


# Ported: parser_test.go badSelectors.
BAD_SELECTORS = [
    "b == b",
    "b contains b",
    "b starts with b",
    "b ends with b",
    "'b1' == b",
    "b",
    "a b",
    "!",
    'foo == "bar" &',
    'foo == "bar" |',
    "foo != ||",
    'foo in {"", ||',
    'foo in ""',
    '"FOO',
    "\"FOO'",
    '"FOO',
    "'FOO",
    "(",
    '(a == "foo"',
    ")",
    "()",
    "%",
    'a == "b" && %',
    'a == "b" || %',
    "a ",
    "has(foo) &&",
]


@pytest.mark.parametrize("text", BAD_SELECTORS)
def test_bad_selectors_are_rejected(text: str) -> None:
    with pytest.raises(SelectorError):
        parse(text)
    with pytest.raises(SelectorError):
        validate(text)


# Ported: parser_test.go canonicalisationTests (input, canonical, unique ID or "").
CANONICALISATION_TESTS = [
    ("", "all()", "s:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug"),
    (" all() ", "all()", "s:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug"),
    (" (all() )", "all()", "s:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug"),
    ("! (has( b)||! has(a ))", "!(has(b) || !has(a))", "s:Iss0uCleLYv1GSv_pNm7hAO58kE9jAx1NKyG3Q"),
    ('! (a == "b"&&! c != "d")', '!(a == "b" && !c != "d")', "s:lh3haoY1ikTRkd4UZu0nWSaIBknYLPJLX16d-w"),
    ('a == "\'"', 'a == "\'"', ""),
    ("a == '\"'", "a == '\"'", ""),
    ("a contains '\"'", "a contains '\"'", ""),
    ('a contains "\'"', 'a contains "\'"', ""),
    ("a startswith '\"'", "a starts with '\"'", ""),
    ('a endswith "\'"', 'a ends with "\'"', ""),
    ("a!='\"'", "a != '\"'", ""),
    # Set items get sorted/de-duped.
    ('a in {"d"}', 'a in {"d"}', ""),
    ('a in {"a", "b"}', 'a in {"a", "b"}', ""),
    ('a in {"d", "a", "b"}', 'a in {"a", "b", "d"}', ""),
    ('a in {"z", "x", "y", "a"}', 'a in {"a", "x", "y", "z"}', ""),
    ('a in {"z", "z", "x", "y", "x", "a"}', 'a in {"a", "x", "y", "z"}', ""),
]

# The inputs of parser_test.go's Visitor table, canonicalised without the visitor's prefix.
VISITOR_CANONICAL_TESTS = [
    ("k == 'v'", 'k == "v"'),
    ("k != 'v'", 'k != "v"'),
    ("k contains 'v'", 'k contains "v"'),
    ("k starts with 'v'", 'k starts with "v"'),
    ("k ends with 'v'", 'k ends with "v"'),
    ("k == 'v' && x == 'y'", '(k == "v" && x == "y")'),
    ("k == 'v' || has(x)", '(k == "v" || has(x))'),
    ("!(k == 'v')", '!k == "v"'),
    ("k in {'v'}", 'k in {"v"}'),
    ("k not in {'v'}", 'k not in {"v"}'),
    (
        "!(!(k == 'v' && has(t) || all()) && (a in {'b', 'c'}))",
        '!(!((k == "v" && has(t)) || all()) && a in {"b", "c"})',
    ),
]

# Derived from ast.go collectFragments.
EXTRA_CANONICAL_TESTS = [
    ("a == 'b' && c == 'd' && e == 'f'", '(a == "b" && c == "d" && e == "f")'),
    ("a == 'b' || c == 'd' && e == 'f'", '(a == "b" || (c == "d" && e == "f"))'),
    ("(a == 'b' || c == 'd') && e == 'f'", '((a == "b" || c == "d") && e == "f")'),
    ("(a == 'b' && c == 'd') && e == 'f'", '((a == "b" && c == "d") && e == "f")'),
    ("((((has(a)))))", "has(a)"),
    ("a in {}", "a in {}"),
    ("a not in {'x',}", 'a not in {"x"}'),
    ("a in {'b\"', \"a'\", 'B', ''}", 'a in {"", "B", "a\'", \'b"\'}'),
    ("a in {'é', 'z', 'Z'}", 'a in {"Z", "z", "é"}'),
    ("global( )", "global()"),
    ("!all()", "!all()"),
    ("a notin {'x'}", 'a not in {"x"}'),
    ("a  ==  'x\ty'", 'a == "x\ty"'),
    # A parenthesised negation inside a negation is kept as two "!" (Go does the same); the
    # result re-parses to the un-negated selector, so canonical text is not always a fixed
    # point of parse/str.
    ("!(!a == 'b')", '!!a == "b"'),
]


@pytest.mark.parametrize(("text", "canonical", "uid"), CANONICALISATION_TESTS)
def test_canonicalisation(text: str, canonical: str, uid: str) -> None:
    sel = parse(text)
    assert str(sel) == canonical
    round_tripped = parse(canonical)
    assert str(round_tripped) == canonical
    assert round_tripped.unique_id() == sel.unique_id()
    if uid:
        assert sel.unique_id() == uid
    assert sel.unique_id() == make_unique_id("s", canonical)


@pytest.mark.parametrize(("text", "canonical"), VISITOR_CANONICAL_TESTS + EXTRA_CANONICAL_TESTS)
def test_canonical_extra(text: str, canonical: str) -> None:
    assert str(parse(text)) == canonical


def test_double_negation_canonical_is_not_a_fixed_point() -> None:
    once = parse("!(!a == 'b')")
    assert once.root == Not(Not(LabelEq("a", "b")))
    twice = parse(str(once))
    assert str(twice) == 'a == "b"'
    assert str(parse(str(twice))) == str(twice)


# --------------------------------------------------------------------------------------
# Error reasons, derived from tokenizer.go / parser.go.
# --------------------------------------------------------------------------------------
ERROR_REASONS = [
    ("b == b", "expected string"),
    ("b contains b", "expected string"),
    ("b starts with b", 'expected operator after label "b"'),  # trailing blanks + "b" is no boundary
    ("b starts with 'b", "unterminated string"),
    ("'b1' == b", "unexpected token: TokStringLiteral(b1)"),
    ("b", "unexpected end of string looking for op"),
    ("a ", "unexpected end of string looking for op"),
    ("a b", 'expected operator after label "a"'),
    ("a  not in x", 'expected operator after label "a"'),
    ("a\n== 'b'", 'expected operator after label "a"'),
    ("a == 'b'\n", "expected identifier"),
    ("\n", "expected identifier"),
    ("!", "unexpected token: TokEOF()"),
    ('foo == "bar" &', "expected &&"),
    ('foo == "bar" |', "expected ||"),
    ('foo = "bar"', "expected =="),
    ("foo != ||", "expected string"),
    ('foo in {"", ||', "expected }"),
    ("foo in {,}", "expected }"),
    ('foo in ""', "expected set literal"),
    ('"FOO', "unterminated string"),
    ("'FOO\"", "unterminated string"),
    ("(", "unexpected token: TokEOF()"),
    ('(a == "foo"', "expected )"),
    (")", "unexpected token: TokRParen()"),
    ("()", "unexpected token: TokRParen()"),
    ("%", "expected identifier"),
    ('a == "b" && %', "expected identifier"),
    ("has(foo) &&", "unexpected token: TokEOF()"),
    ("has()", "expected identifier"),
    ("has(%)", "expected identifier"),
    ("has( foo ", "no closing ')' after has("),
    ("has(a b)", "no closing ')' after has("),
    ("all(", "no closing ')' after all("),
    ("global(x)", "no closing ')' after global("),
    ("a (", "expected == or != not: TokLParen()"),
    ("a 'x'", "expected == or != not: TokStringLiteral(x)"),
    ("a ==", "expected string"),
    ("a in", "expected set literal"),
    ("has(a) has(b)", "unexpected content at end of selector [TokHas(b) TokEOF()]"),
    ("all())", "unexpected content at end of selector [TokRParen() TokEOF()]"),
    ("a == 'b' c == 'd'", "unexpected content at end of selector [TokLabel(c) TokEq() TokStringLiteral(d) TokEOF()]"),
    ("a" * 513 + " == 'b'", "label too long: " + "a" * 513),
    ("a" * 513 + " b", "label too long: " + "a" * 513),
    ("has(" + "a" * 513 + ")", "label too long: " + "a" * 513),
    # Tokenizer errors win over parser errors further left.
    (") %", "expected identifier"),
]


@pytest.mark.parametrize(("text", "reason"), ERROR_REASONS)
def test_error_reasons(text: str, reason: str) -> None:
    with pytest.raises(SelectorError) as info:
        parse(text)
    assert info.value.reason == reason
    assert info.value.selector == text
    assert isinstance(info.value, ValueError)


def test_label_length_limit() -> None:
    assert parse("a" * MAX_LABEL_LENGTH + " == 'x'").matches({"a" * 512: "x"})
    assert parse("has(" + "b" * MAX_LABEL_LENGTH + ")")
    assert valid_label("calico/k8s_NS-.1")
    assert valid_label("a" * 512)
    assert not valid_label("a" * 513)
    assert not valid_label("")
    assert not valid_label("a b")


# --------------------------------------------------------------------------------------
# Evaluation details (ast.go).
# --------------------------------------------------------------------------------------
EVALUATION = [
    ("has(a)", {"a": ""}, True),
    ("a == ''", {"a": ""}, True),
    ("a == ''", {}, False),
    ("a != ''", {}, True),
    ("a not in {}", {}, True),
    ("a not in {}", {"a": "x"}, True),
    ("a in {}", {"a": ""}, False),
    ("a in {''}", {"a": ""}, True),
    ("a contains ''", {"a": "x"}, True),
    ("a contains ''", {}, False),
    ("a starts with ''", {"a": ""}, True),
    ("a ends with ''", {}, False),
    ("a contains 'B'", {"a": "abc"}, False),
    ("a ends with 'bc'", {"a": "abc"}, True),
    ("!a != 'x'", {}, False),
    ("!a not in {'x'}", {}, False),
    ("global()", {}, True),
    ("!global()", {}, False),
    ("!all()", {"a": "b"}, False),
]


@pytest.mark.parametrize(("text", "labels", "expected"), EVALUATION)
def test_evaluation(text: str, labels: Labels, expected: bool) -> None:
    assert parse(text).matches(labels) is expected


def test_ast_structure() -> None:
    sel = parse("a == 'b' && !has(c) || d in {'y', 'x', 'y'} || e != 'f' && all()")
    assert sel.root == Or(
        (
            And((LabelEq("a", "b"), Not(Has("c")))),
            LabelIn("d", ("x", "y")),
            And((LabelNe("e", "f"), All())),
        )
    )
    assert parse("!!!has(a)").root == Not(Has("a"))
    assert parse("!!has(a)").root == Has("a")
    assert parse("a not in {'b'}").root == LabelNotIn("a", ("b",))
    assert LabelIn("a", ("z", "a", "z")).values == ("a", "z")


# --------------------------------------------------------------------------------------
# global() helpers (validator.go checks).
# --------------------------------------------------------------------------------------
def test_global_helpers() -> None:
    assert parse("global()").is_global()
    assert parse("(global())").is_global()
    assert not parse("all()").is_global()
    assert parse("has(a) || !global()").uses_global()
    assert not parse("has(a)").uses_global()

    assert contains_global("has(a) && global()")
    assert contains_global("a == 'global()'")  # a plain substring test, as in Go
    assert not contains_global("global( )")

    assert is_global_only("global()")
    assert is_global_only(" global( ) ")
    assert not is_global_only("(global())")
    assert not is_global_only("!global()")
    assert not is_global_only("global() && has(a)")
    assert not is_global_only("global(")
    assert not is_global_only("")


# --------------------------------------------------------------------------------------
# API behaviour.
# --------------------------------------------------------------------------------------
def test_unique_id_and_equality() -> None:
    a = parse("b == 'c' && has(d)")
    b = parse("(b=='c')&&has( d )")
    assert a == b
    assert hash(a) == hash(b)
    assert a.unique_id() == b.unique_id()
    assert a != parse("has(d) && b == 'c'")
    assert parse("all()").unique_id() == "s:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug"
    assert a.canonical == str(a) == '(b == "c" && has(d))'
    assert repr(a) == "Selector('(b == \"c\" && has(d))')"
    assert a != "not a selector"


def test_selectors_are_immutable() -> None:
    sel = parse("a == 'b'")
    with pytest.raises(AttributeError):
        sel._root = All()
    with pytest.raises(AttributeError):
        del sel._root
    node = sel.root
    assert isinstance(node, LabelEq)
    with pytest.raises(FrozenInstanceError):
        node.value = "c"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        LabelIn("a", ("b",)).values = ()  # type: ignore[misc]


def test_pickle_round_trip() -> None:
    sel = parse("a in {'x', 'y'} && !has(b)")
    str(sel)
    copy = pickle.loads(pickle.dumps(sel))
    assert copy == sel
    assert copy.root == sel.root
    assert copy.matches({"a": "x"})


def test_parse_cached() -> None:
    text = "cached == 'yes' && has(tier)"
    assert parse_cached(text) is parse_cached(text)
    with pytest.raises(SelectorError):
        parse_cached("cached ==")
    with pytest.raises(SelectorError):
        parse_cached("cached ==")


def test_parse_cached_threads() -> None:
    results: list[Selector] = []

    def work() -> None:
        for i in range(200):
            results.append(parse_cached(f"t{i % 20} == 'v'"))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 800
    assert all(r.matches({str(r.root).split(" ")[0]: "v"}) for r in results)


def test_validate() -> None:
    validate("")
    validate("a == 'b'")
    with pytest.raises(SelectorError, match="unterminated string"):
        validate("a == 'b")


def test_normalise() -> None:
    assert normalise("") == "all()"
    assert normalise("  a=='b'\n") == 'a == "b"'
    assert normalise(" a == \n") == "a =="
    assert normalise("\u00a0has(x)\u3000") == "has(x)"


def test_global_node_singletons_are_equal() -> None:
    assert Global() == Global()
    assert All() == All()
    assert str(Global()) == "global()"
    assert str(Not(And((Has("a"), Or((Has("b"), Has("c"))))))) == "!(has(a) && (has(b) || has(c)))"


def test_walk() -> None:
    root = parse("!(has(a) && b == 'c') || global()").root
    assert [type(n).__name__ for n in root.walk()] == ["Or", "Not", "And", "Has", "LabelEq", "Global"]
