"""calicopy.selector on hostile input: any depth, any length, any type, and errors that say where.

libcalico-go's parser (``lib/selector/parser/parser.go``, v3.32.1) is recursive descent with no
depth limit, and a goroutine's stack grows to a gigabyte, so it accepts parentheses nested as
deep as a selector's text can be.  calicopy must accept them too, and evaluating, printing,
comparing, hashing and pickling the result must not exhaust Python's call stack.  Whatever the
input, the only exception is :class:`SelectorError`, with libcalico-go's reason unchanged plus
the position of the problem and a hint.
"""

from __future__ import annotations

import contextlib
import copy
import pickle
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_selector import ERROR_REASONS

from calicopy.errors import SelectorError
from calicopy.selector import (
    And,
    Has,
    LabelEq,
    Not,
    Or,
    contains_global,
    is_global_only,
    normalise,
    parse,
    parse_cached,
    tokenize,
    valid_label,
    validate,
)

# Far beyond Python's default recursion limit (1000), which the old recursive code hit at ~330.
DEEP = 20_000

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- depth ---------------------------------------------------------------------------------------


def test_redundant_parentheses_at_any_depth() -> None:
    sel = parse("(" * DEEP + "a == 'b'" + ")" * DEEP)
    assert str(sel) == 'a == "b"'
    assert sel.matches({"a": "b"})


def test_nested_negations_at_any_depth() -> None:
    sel = parse("!(" * DEEP + "a == 'b' && has(c)" + ")" * DEEP)
    assert isinstance(sel.root, Not)
    assert sel.root.depth == DEEP + 2
    assert sel.matches({"a": "b", "c": ""}) is (DEEP % 2 == 0)
    assert sel.matches({}) is (DEEP % 2 == 1)
    assert str(sel) == "!" * DEEP + '(a == "b" && has(c))'


def test_deep_alternating_tree_evaluates_prints_and_round_trips() -> None:
    text = "has(a) && (has(x) || (" * DEEP + "has(b)" + "))" * DEEP
    sel = parse(text)
    assert sel.root.depth > DEEP
    assert sel.matches({"a": "", "b": ""})
    assert sel.matches({"a": "", "x": ""})
    assert not sel.matches({"b": ""})
    again = parse(str(sel))
    assert again == sel
    assert again.root == sel.root
    assert hash(again.root) == hash(sel.root)
    assert sum(1 for _ in sel.root.walk()) == 4 * DEEP + 1
    assert repr(sel.root).startswith("And(operands=(Has(label='a'), Or(operands=(Has(label='x'), And(")


def test_deep_trees_pickle_and_copy() -> None:
    sel = parse("!(" * DEEP + "a == 'b' || has(c)" + ")" * DEEP)
    for clone in (pickle.loads(pickle.dumps(sel)), copy.deepcopy(sel)):
        assert clone == sel
        assert clone.root == sel.root
        assert clone.matches({"c": ""}) == sel.matches({"c": ""})
    assert pickle.loads(pickle.dumps(sel.root)) == sel.root


def test_hand_built_deep_trees_need_no_recursion_either() -> None:
    node: Not | And | Or | LabelEq = LabelEq("a", "b")
    for level in range(DEEP):
        node = Not(node) if level % 3 == 0 else (And((Has("a"), node)) if level % 3 == 1 else Or((node, Has("z"))))
    # With these labels has(a) is true and has(z) false, so only the negations decide.
    nots = len(range(0, DEEP, 3))
    assert node.matches({"a": "b"}) is (nots % 2 == 0)
    text = str(node)
    ands = len(range(1, DEEP, 3))
    assert (text.count("!"), text.count(" && "), text.count(" || ")) == (nots, ands, DEEP - nots - ands)
    assert node == copy.deepcopy(node)
    assert node != Not(node)


def test_unbalanced_deep_input_is_an_error_not_a_crash() -> None:
    for text, reason in [
        ("(" * DEEP, "unexpected token: TokEOF()"),
        ("(" * DEEP + "has(a)", "expected )"),
        ("(" * DEEP + "has(a)" + ")" * (DEEP + 1), "unexpected content at end of selector [TokRParen() TokEOF()]"),
        ("!" * DEEP, "unexpected token: TokEOF()"),
    ]:
        with pytest.raises(SelectorError) as info:
            parse(text)
        assert info.value.reason == reason


# A short random pattern repeated up to 1,000 times: deep nesting in every example.
NESTING_PIECES = st.builds(
    lambda pattern, times: pattern * times,
    st.lists(st.sampled_from(["(", "!(", "has(a) && (", "has(x) || ("]), min_size=1, max_size=5),
    st.integers(0, 1000),
)


@SETTINGS
@given(NESTING_PIECES, st.booleans())
def test_any_nesting_parses_like_go(pieces: list[str], balanced: bool) -> None:
    closers = len(pieces)
    text = "".join(pieces) + "has(b)" + ")" * (closers if balanced else max(0, closers - 1))
    if not balanced and closers:
        with pytest.raises(SelectorError, match="expected \\)"):
            parse(text)
        return
    sel = parse(text)
    # Reference: evaluate inside out, one piece at a time.
    for labels in ({"a": "", "b": ""}, {"x": ""}, {}):
        result = "b" in labels
        for piece in reversed(pieces):
            if piece == "!(":
                result = not result
            elif piece.startswith("has(a)"):
                result = "a" in labels and result
            elif piece.startswith("has(x)"):
                result = "x" in labels or result
        assert sel.matches(labels) is result
    parse(str(sel))


# -- length --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a == 'b' && " * 50_000 + "has(c)",
        "a in {" + "'x', " * 100_000 + "}",
        "a == '" + "x" * 1_000_000 + "'",
        "a == 'b' && " * 50_000 + "'unterminated",
        "a == 'b' && " * 50_000 + "%",
        "has(a) " * 50_000,
    ],
    ids=["long-and", "big-set", "long-value", "long-then-unterminated", "long-then-bad-char", "long-junk"],
)
def test_long_selectors_finish_quickly(text: str) -> None:
    started = time.perf_counter()
    try:
        sel = parse(text)
    except SelectorError as exc:
        assert exc.position is not None
        assert 0 <= exc.position <= len(text)
    else:
        str(sel)
        sel.matches({"a": "b"})
    assert time.perf_counter() - started < 20


# -- types ---------------------------------------------------------------------------------------

NOT_TEXT = [None, b"a == 'b'", 42, 1.5, ["a == 'b'"], {"a": "b"}, object()]


@pytest.mark.parametrize("value", NOT_TEXT, ids=lambda v: type(v).__name__)
@pytest.mark.parametrize("function", [parse, parse_cached, validate, normalise, tokenize])
def test_non_strings_raise_selector_error(function: object, value: object) -> None:
    with pytest.raises(SelectorError) as info:
        function(value)  # type: ignore[operator]
    err = info.value
    assert isinstance(err, ValueError)
    assert err.reason == f"a selector must be a str, not {type(value).__name__}"
    assert err.selector == repr(value)
    assert err.position is None
    assert err.hint


@pytest.mark.parametrize("value", NOT_TEXT, ids=lambda v: type(v).__name__)
def test_predicates_answer_false_for_non_strings(value: object) -> None:
    assert contains_global(value) is False  # type: ignore[arg-type]
    assert is_global_only(value) is False  # type: ignore[arg-type]
    assert valid_label(value) is False  # type: ignore[arg-type]


ANYTHING = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.binary() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=5,
)


@SETTINGS
@given(ANYTHING)
def test_only_selector_error_whatever_the_input(value: object) -> None:
    for function in (parse, parse_cached, validate, normalise, tokenize):
        with contextlib.suppress(SelectorError):
            function(value)  # type: ignore[operator]


@SETTINGS
@given(st.lists(st.sampled_from([*"ab()!{}=,&|'\" \t\n%", "has(", "all()", " in ", "=="]), max_size=4000).map("".join))
def test_any_text_either_parses_or_says_where(text: str) -> None:
    try:
        sel = parse(text)
    except SelectorError as exc:
        assert exc.selector == text
        assert exc.position is not None and 0 <= exc.position <= len(text)
        assert exc.hint
        assert f"(at column {exc.position + 1})" in str(exc)
    else:
        parse(str(sel))


# -- where, and what to do -----------------------------------------------------------------------

POSITIONS = [
    # (selector, reason, 0-based position)
    ("role = 'db'", "expected ==", 5),
    ("a == 'b' & c == 'd'", "expected &&", 9),
    ("a == 'b' | c == 'd'", "expected ||", 9),
    ("a == 'b' && c == \"d", "unterminated string", 17),
    ("a b", 'expected operator after label "a"', 2),
    ("a == 'b'\n", "expected identifier", 8),
    ("has(a", "no closing ')' after has(", 5),
    ("has( a  b)", "no closing ')' after has(", 8),
    ("all(x)", "no closing ')' after all(", 4),
    ("has(%)", "expected identifier", 4),
    ("x == 'y' && " + "a" * 513, "label too long: " + "a" * 513, 12),
    ("has(" + "a" * 513 + ")", "label too long: " + "a" * 513, 4),
    ("tier", "unexpected end of string looking for op", 4),
    ("tier  ", "unexpected end of string looking for op", 6),
    ("a == b", "expected string", 5),
    ("a in 'b'", "expected set literal", 5),
    ("a in {'b' 'c'}", "expected }", 10),
    ("(a == 'b'", "expected )", 9),
    ("(a == 'b' has(c)", "expected )", 10),
    ("a ( ", "expected == or != not: TokLParen()", 2),
    ("has(a) && ", "unexpected token: TokEOF()", 10),
    ("has(a) && )", "unexpected token: TokRParen()", 10),
    ("has(a) has(b)", "unexpected content at end of selector [TokHas(b) TokEOF()]", 7),
    (
        "a == 'b' c == 'd'",
        "unexpected content at end of selector [TokLabel(c) TokEq() TokStringLiteral(d) TokEOF()]",
        9,
    ),
    ("a contains 'x' 'y'", "unexpected content at end of selector [TokStringLiteral(y) TokEOF()]", 15),
]


@pytest.mark.parametrize(("text", "reason", "position"), POSITIONS)
def test_errors_say_where(text: str, reason: str, position: int) -> None:
    with pytest.raises(SelectorError) as info:
        parse(text)
    err = info.value
    assert err.reason == reason  # libcalico-go's text, unchanged
    assert err.position == position
    assert err.column == position + 1
    assert err.hint


def test_str_shows_reason_column_and_caret() -> None:
    with pytest.raises(SelectorError) as info:
        parse("role = 'db'")
    assert str(info.value) == "invalid selector \"role = 'db'\": expected == (at column 6)\n  role = 'db'\n       ^"
    assert info.value.hint == "Calico compares with == (or !=); a single = is not an operator"


def test_caret_line_stays_one_line_and_short() -> None:
    with pytest.raises(SelectorError) as info:
        parse("has(a) &&\thas(b) &&\n" + "x" * 500)
    text = str(info.value)
    first, excerpt, caret = text.split("\n")
    assert first.endswith("expected identifier (at column 20)")
    assert excerpt == "  has(a) &&?has(b) &&?" + "x" * 59 + "..."
    assert caret == "  " + " " * 19 + "^"
    with pytest.raises(SelectorError) as info:
        parse("has(a) && " * 30 + "=")
    _, excerpt, caret = str(info.value).split("\n")
    assert excerpt.startswith("  ...")
    assert excerpt[len(caret) - 1] == "="


@pytest.mark.parametrize(("text", "reason"), ERROR_REASONS)
def test_every_reason_has_a_position_and_a_hint(text: str, reason: str) -> None:
    with pytest.raises(SelectorError) as info:
        parse(text)
    assert info.value.reason == reason
    assert info.value.position is not None and 0 <= info.value.position <= len(text)
    assert info.value.hint


def test_position_free_errors_keep_the_old_text() -> None:
    err = SelectorError("a b", "some reason")
    assert str(err) == "invalid selector 'a b': some reason"
    assert err.position is None and err.column is None and err.hint is None
    restored = pickle.loads(pickle.dumps(SelectorError("a b", "x", position=2, hint="h")))
    assert (restored.position, restored.hint, str(restored)) == (2, "h", str(SelectorError("a b", "x", position=2)))
