"""Property tests for calicopy.selector (hypothesis).

* Generated selectors (a small tuple-based AST of the test's own, written out with random
  spacing, quoting, operator spellings and redundant parentheses) must parse, evaluate like
  an independent reference evaluator, print the expected canonical text and round-trip.
* Arbitrary text must either tokenize/parse or raise SelectorError, and the regex-based
  tokenizer must agree (tokens and error reason) with a slow character-by-character
  reference written from libcalico-go's tokenizer.go.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calicopy.errors import SelectorError
from calicopy.selector import Not, Selector, parse, tokenize

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --------------------------------------------------------------------------------------
# A reference AST: ("eq"|"ne"|"contains"|"starts"|"ends", label, value), ("in"|"notin",
# label, [values]), ("has", label), ("all",), ("global",), ("not", node),
# ("and"|"or", [nodes]) with two or more operands.
# --------------------------------------------------------------------------------------
RefNode = tuple[object, ...]

LABELS = ["a", "b", "k8s-app", "calico/ns", "x.y_z"]
VALUES = ["", "a", "b", "ab", "ba", "x y", "'", '"', "é"]

label_st = st.sampled_from(LABELS)
value_st = st.sampled_from(VALUES)


def _leaf() -> st.SearchStrategy[RefNode]:
    compare = st.tuples(st.sampled_from(["eq", "ne", "contains", "starts", "ends"]), label_st, value_st)
    sets = st.tuples(st.sampled_from(["in", "notin"]), label_st, st.lists(value_st, max_size=4))
    return st.one_of(
        compare,
        sets,
        st.tuples(st.just("has"), label_st),
        st.just(("all",)),
        st.just(("global",)),
    )


def _extend(children: st.SearchStrategy[RefNode]) -> st.SearchStrategy[RefNode]:
    return st.one_of(
        st.tuples(st.just("not"), children),
        st.tuples(st.sampled_from(["and", "or"]), st.lists(children, min_size=2, max_size=4)),
    )


ast_st: st.SearchStrategy[RefNode] = st.recursive(_leaf(), _extend, max_leaves=10)

label_dict_st = st.dictionaries(label_st, value_st, max_size=len(LABELS))


def ref_eval(node: RefNode, labels: dict[str, str]) -> bool:
    """Evaluation rules as documented by Calico (written independently of calicopy)."""
    kind = node[0]
    if kind in ("all", "global"):
        return True
    if kind == "not":
        return not ref_eval(node[1], labels)  # type: ignore[arg-type]
    if kind == "and":
        return all(ref_eval(n, labels) for n in node[1])  # type: ignore[attr-defined]
    if kind == "or":
        return any(ref_eval(n, labels) for n in node[1])  # type: ignore[attr-defined]
    label = node[1]
    assert isinstance(label, str)
    present = label in labels
    actual = labels.get(label, "")
    if kind == "has":
        return present
    if kind == "in":
        return present and actual in node[2]  # type: ignore[operator]
    if kind == "notin":
        return not present or actual not in node[2]  # type: ignore[operator]
    value = node[2]
    assert isinstance(value, str)
    if kind == "eq":
        return present and actual == value
    if kind == "ne":
        return not present or actual != value
    if kind == "contains":
        return present and value in actual
    if kind == "starts":
        return present and actual.startswith(value)
    assert kind == "ends"
    return present and actual.endswith(value)


def _q(value: str) -> str:
    return f"'{value}'" if '"' in value else f'"{value}"'


def ref_canonical(node: RefNode) -> str:
    """The canonical text libcalico-go prints for ``node`` (nested groups always kept)."""
    kind = node[0]
    if kind in ("all", "global"):
        return f"{kind}()"
    if kind == "not":
        return "!" + ref_canonical(node[1])  # type: ignore[arg-type]
    if kind in ("and", "or"):
        sep = " && " if kind == "and" else " || "
        return "(" + sep.join(ref_canonical(n) for n in node[1]) + ")"  # type: ignore[attr-defined]
    if kind == "has":
        return f"has({node[1]})"
    if kind in ("in", "notin"):
        op = "in" if kind == "in" else "not in"
        values = sorted(set(node[2]))  # type: ignore[call-overload]
        return f"{node[1]} {op} {{" + ", ".join(_q(v) for v in values) + "}"
    op = {"eq": "==", "ne": "!=", "contains": "contains", "starts": "starts with", "ends": "ends with"}[str(kind)]
    return f"{node[1]} {op} {_q(str(node[2]))}"


Draw = st.DrawFn


def _ws(draw: Draw) -> str:
    return draw(st.sampled_from(["", " ", "\t", "  "]))


def _lit(draw: Draw, value: str) -> str:
    if '"' in value:
        return f"'{value}'"
    if "'" in value:
        return f'"{value}"'
    return draw(st.sampled_from([f"'{value}'", f'"{value}"']))


OP_SPELLINGS = {
    "eq": ["=="],
    "ne": ["!="],
    "contains": ["contains"],
    "starts": ["starts with", "startswith", "starts \t with"],
    "ends": ["ends with", "endswith", "ends  with"],
    "in": ["in"],
    "notin": ["not in", "notin", "not\tin"],
}


def render(draw: Draw, node: RefNode) -> str:
    """Write ``node`` as selector text with random (but valid) formatting."""
    kind = node[0]
    if kind in ("all", "global"):
        text = f"{kind}({_ws(draw)})"
    elif kind == "has":
        text = f"has({_ws(draw)}{node[1]}{_ws(draw)})"
    elif kind == "not":
        inner = node[1]
        assert isinstance(inner, tuple)
        # Parenthesise negated negations so that "!!" does not collapse them.
        body = render(draw, inner)
        if inner[0] in ("and", "or", "not"):
            body = f"({_ws(draw)}{body}{_ws(draw)})"
        text = f"!{_ws(draw)}{body}"
    elif kind in ("and", "or"):
        sep = "&&" if kind == "and" else "||"
        parts = []
        for child in node[1]:  # type: ignore[attr-defined]
            body = render(draw, child)
            if child[0] in ("and", "or"):
                body = f"({body})"
            parts.append(body)
        text = (_ws(draw) + sep + _ws(draw)).join(parts)
    elif kind in ("in", "notin"):
        op = draw(st.sampled_from(OP_SPELLINGS[str(kind)]))
        members: list[str] = [_lit(draw, v) for v in node[2]]  # type: ignore[attr-defined]
        body = ("," + _ws(draw)).join(members)
        if len(members) > 0 and draw(st.booleans()):
            body += ","
        text = f"{node[1]} {op}{_ws(draw)}{{{_ws(draw)}{body}{_ws(draw)}}}"
    else:
        op = draw(st.sampled_from(OP_SPELLINGS[str(kind)]))
        sep = " " if op[0].isalpha() else _ws(draw)
        text = f"{node[1]}{sep}{op}{_ws(draw)}{_lit(draw, str(node[2]))}"
    if draw(st.integers(0, 5)) == 0:
        text = f"({_ws(draw)}{text}{_ws(draw)})"
    return text


@st.composite
def selector_cases(draw: Draw) -> tuple[RefNode, str]:
    node = draw(ast_st)
    return node, _ws(draw) + render(draw, node) + _ws(draw)


def _has_double_not(sel: Selector) -> bool:
    return any(isinstance(n, Not) and isinstance(n.operand, Not) for n in sel.root.walk())


@SETTINGS
@given(selector_cases(), st.lists(label_dict_st, min_size=1, max_size=8))
def test_generated_selectors(case: tuple[RefNode, str], label_sets: list[dict[str, str]]) -> None:
    node, text = case
    sel = parse(text)
    canonical = str(sel)
    assert canonical == ref_canonical(node)

    again = parse(canonical)
    if _has_double_not(sel):
        # "!(!x)" prints as "!!x", which parses as x: one more round reaches the fixed point.
        again = parse(str(again))
        assert str(parse(str(again))) == str(again)
    else:
        assert str(again) == canonical
        assert again.unique_id() == sel.unique_id()

    for labels in label_sets:
        expected = ref_eval(node, labels)
        assert sel.matches(labels) is expected
        assert again.matches(labels) is expected


# --------------------------------------------------------------------------------------
# Reference tokenizer: a slow, direct reading of tokenizer.go's AppendTokens.
# --------------------------------------------------------------------------------------
RefToken = tuple[str, str]
IDENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-")


def _trim(s: str) -> str:
    return s.lstrip(" \t") if s[:1] in (" ", "\t") else s


def _cut_ident(s: str) -> tuple[str, str]:
    i = 0
    while i < len(s) and s[i] in IDENT_CHARS:
        i += 1
    ident = s[:i]
    if len(ident) > 512:
        raise ValueError(f"label too long: {ident}")
    if not ident:
        raise ValueError("expected identifier")
    return ident, s[i:]


def _boundary(s: str) -> bool:
    return s == "" or s[0] not in IDENT_CHARS


def _cut_words(s: str, *words: str) -> str | None:
    rest = s
    for word in words:
        if not rest.startswith(word):
            return None
        rest = _trim(rest[len(word) :])
    return rest if _boundary(rest) else None


def ref_tokenize(s: str) -> list[RefToken]:
    out: list[RefToken] = []
    simple = {"(": "TokLParen", ")": "TokRParen", "{": "TokLBrace", "}": "TokRBrace", ",": "TokComma"}
    while True:
        s = _trim(s)
        if not s:
            out.append(("TokEOF", ""))
            return out
        c = s[0]
        if c in simple:
            out.append((simple[c], ""))
            s = s[1:]
        elif c in "\"'":
            end = s.find(c, 1)
            if end < 0:
                raise ValueError("unterminated string")
            out.append(("TokStringLiteral", s[1:end]))
            s = s[end + 1 :]
        elif c in "=&|":
            pair = {"=": ("==", "TokEq"), "&": ("&&", "TokAnd"), "|": ("||", "TokOr")}[c]
            if not s.startswith(pair[0]):
                raise ValueError(f"expected {pair[0]}")
            out.append((pair[1], ""))
            s = s[2:]
        elif c == "!":
            if s.startswith("!="):
                out.append(("TokNe", ""))
                s = s[2:]
            else:
                out.append(("TokNot", ""))
                s = s[1:]
        elif out and out[-1][0] == "TokLabel":
            for kind, words in (
                ("TokContains", ("contains",)),
                ("TokStartsWith", ("starts", "with")),
                ("TokEndsWith", ("ends", "with")),
                ("TokNotIn", ("not", "in")),
                ("TokIn", ("in",)),
            ):
                if len(words) == 1:
                    rest = s[len(words[0]) :] if s.startswith(words[0]) else None
                    if rest is not None and not _boundary(rest):
                        rest = None
                else:
                    rest = _cut_words(s, *words)
                if rest is not None:
                    out.append((kind, ""))
                    s = rest
                    break
            else:
                raise ValueError(f'expected operator after label "{out[-1][1]}"')
        elif s.startswith("has("):
            ident, s = _cut_ident(_trim(s[4:]))
            s = _trim(s)
            if not s.startswith(")"):
                raise ValueError("no closing ')' after has(")
            out.append(("TokHas", ident))
            s = s[1:]
        elif s.startswith("all(") or s.startswith("global("):
            name = "all" if s.startswith("all(") else "global"
            s = _trim(s[len(name) + 1 :])
            if not s.startswith(")"):
                raise ValueError(f"no closing ')' after {name}(")
            out.append(("TokAll" if name == "all" else "TokGlobal", ""))
            s = s[1:]
        else:
            ident, s = _cut_ident(s)
            out.append(("TokLabel", ident))


def _check_against_reference(text: str) -> None:
    try:
        expected: list[RefToken] | str = ref_tokenize(text)
    except ValueError as exc:
        expected = str(exc)
    try:
        actual: list[RefToken] | str = [(t.kind.go_name, t.value) for t in tokenize(text)]
    except SelectorError as exc:
        actual = exc.reason
    assert actual == expected


SELECTORISH = st.lists(
    st.sampled_from(
        [
            *"ab/-.()!{},=&|\"' \t\n%",
            *("has(", "all(", "global(", "in", "not", "contains", "starts", "ends", "with", "  "),
        ]
    ),
    max_size=20,
).map("".join)


@SETTINGS
@given(st.one_of(SELECTORISH, st.text(max_size=40)))
def test_tokenizer_matches_reference_and_only_raises_selector_error(text: str) -> None:
    _check_against_reference(text)
    try:
        sel = parse(text)
    except SelectorError:
        return
    # Whatever parses has a canonical form that parses again.
    parse(str(sel))


@SETTINGS
@given(
    st.lists(
        st.sampled_from(["a", "contains", "starts", "with", "ends", "not", "in", "x", " ", "\t", "'v'", "{", "}"]),
        max_size=8,
    )
)
def test_operator_words_match_reference(words: list[str]) -> None:
    _check_against_reference("a " + "".join(words))
    _check_against_reference("a " + " ".join(words))


def test_reference_agrees_on_long_labels() -> None:
    for n in (511, 512, 513):
        for text in ("a" * n + " == 'x'", f"has({'a' * n})", "a" * n, "x == 'y' && " + "b" * n + " q"):
            _check_against_reference(text)
