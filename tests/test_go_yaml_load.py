"""calicopy._go.yaml_load: the one YAML reader (manifests, calicoctl.cfg, kubeconfigs).

go-yaml v2's data model, sigs.k8s.io/yaml's string keys, strict or lenient duplicate keys, merges,
and the hardening: alias budget, depth cap (aliases included), size cap, no recursion, only
LoadError out of any input.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calicopy._go.yaml_load import MAX_DEPTH, LoadError, Rule, ShapeError, load


def data(text: str | bytes, **options: Any) -> Any:
    value, present = load(text, **options)
    assert present
    return value


def failure(text: str | bytes, **options: Any) -> LoadError:
    with pytest.raises(LoadError) as info:
        load(text, **options)
    return info.value


def test_scalars_resolve_as_go_yaml_v2() -> None:
    assert data("a: yes\nb: 10:20\nc: 0x1F\nd: 2024-01-02\ne: ~\nf: !!str 10\ng: '1'\n") == {
        "a": True,
        "b": "10:20",
        "c": 31,
        "d": "2024-01-02",  # timestamps stay text in interface{}
        "e": None,
        "f": "10",
        "g": "1",
    }


def test_keys_become_strings_as_sigs_k8s_yaml_makes_them() -> None:
    assert data("1: a\ntrue: b\n1.5: c\n") == {"1": "a", "true": "b", "1.5": "c"}
    assert failure("~: a\n").rule is Rule.MAP_KEY
    assert failure("? [a]\n: b\n").rule is Rule.MAP_KEY
    assert failure("a: &k [1]\nb: {*k : 1}\n").rule is Rule.MAP_KEY


def test_no_document() -> None:
    assert load("") == (None, False)
    assert load("# only a comment\n") == (None, False)
    assert load("---\n") == (None, True)


def test_duplicate_keys_strict_by_default() -> None:
    err = failure("a: 1\nb: 2\na: 3\n")
    assert (err.rule, err.key, err.typed_key, err.line, err.path) == (Rule.DUPLICATE_KEY, "a", "a", 2, "a")
    assert err.reason == 'key "a" already set in map'
    # go-yaml names the key as written (%#v): an integer key unquoted.
    err = failure('"1": a\n1: b\n')
    assert (err.key, err.typed_key, err.reason) == ("1", 1, "key 1 already set in map")
    assert failure("m:\n  x: {k: 1, k: 2}\n").path == "m.x.k"


def test_duplicate_keys_allowed_when_asked_last_wins() -> None:
    assert data("a: 1\na: 2\n", unique_keys=False) == {"a": 2}


def test_merges() -> None:
    assert data("a: &a {p: 1}\nb: &b {r: 2}\nc: {<<: [*a, *b], w: 0}\n")["c"] == {"p": 1, "r": 2, "w": 0}
    overlapping = "a: &a {p: 1, q: 1}\nb: &b {q: 2, r: 2}\nc:\n  <<: [*a, *b]\n  w: 0\n"
    assert data(overlapping, unique_keys=False)["c"] == {"p": 1, "q": 1, "r": 2, "w": 0}  # earlier sources win
    err = failure(overlapping)  # strict: go-yaml v2 sets q twice
    assert (err.rule, err.key, err.merged) == (Rule.DUPLICATE_KEY, "q", True)


def test_merge_repeating_a_key_is_strict_like_a_duplicate() -> None:
    err = failure("a: &a {x: 1}\nb:\n  x: 2\n  <<: *a\n")
    assert err.rule is Rule.DUPLICATE_KEY and err.merged and err.key == "x"
    # Lenient: go-yaml's Unmarshal lets the merge overwrite.
    assert data("a: &a {x: 1}\nb:\n  x: 2\n  <<: *a\n", unique_keys=False)["b"] == {"x": 1}
    assert failure("a: &a 1\nb:\n  <<: *a\n").rule is Rule.MERGE


def test_merge_key_text_elsewhere_is_a_string() -> None:
    assert data("a: <<\nb: [<<]\n") == {"a": "<<", "b": ["<<"]}


def test_aliases_are_copies() -> None:
    value = data("a: &a [1, {x: 2}]\nb: *a\n")
    assert value["a"] == value["b"] and value["a"] is not value["b"] and value["a"][1] is not value["b"][1]


def test_anchor_problems() -> None:
    assert failure("a: *nope\n").rule is Rule.UNKNOWN_ANCHOR
    err = failure("a: &r [*r]\n")
    assert err.rule is Rule.RECURSIVE_ANCHOR and err.anchor == "r"


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)


def test_alias_bomb_fails_at_once() -> None:
    start = time.perf_counter()
    err = failure(BOMB)
    assert err.rule is Rule.ALIASING and err.reason == "document contains excessive aliasing"
    assert time.perf_counter() - start < 1.0


def test_depth_cap_without_recursion() -> None:
    for text in ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", "".join("  " * i + f"k{i}:\n" for i in range(200))):
        err = failure(text)
        assert err.rule is Rule.DEPTH and err.reason == f"exceeded max depth of {MAX_DEPTH}"
    assert data("a: " + "[" * 99 + "]" * 99 + "\n")["a"] is not None
    assert failure("a: [[[]]]\n", max_depth=3).rule is Rule.DEPTH


def test_depth_cap_counts_what_aliases_copy() -> None:
    # Each anchor is 60 deep and holds the previous one: 60 + 60 > 100 once aliased inside.
    deep = "[" * 60 + "]" * 60
    text = f"a: &a {deep}\nb: &b {'[' * 60}*a{']' * 60}\n"
    err = failure(text)
    assert err.rule is Rule.DEPTH
    assert data(f"a: &a {deep}\nb: [*a]\n")["b"][0] == data(f"a: {deep}\n")["a"]


def test_size_cap() -> None:
    err = failure("a: " + "x" * 100, max_bytes=50)
    assert err.rule is Rule.SIZE and "over the 50-byte limit" in err.reason
    assert data("a: 1", max_bytes=4) == {"a": 1}


def test_first_document_only_unless_asked() -> None:
    assert data("a: 1\n---\nb: [\n") == {"a": 1}  # go-yaml's Unmarshal reads no further


def test_reader_and_syntax_problems_carry_positions() -> None:
    err = failure(b"a: 1\nb: \xff\n")
    assert (err.rule, err.reason, err.line) == (Rule.CHARACTERS, "invalid leading UTF-8 octet", 1)
    err = failure("a: 1\nb: \x07\n")
    assert (err.rule, err.reason, err.character) == (Rule.CHARACTERS, "control characters are not allowed", 7)
    err = failure("a: 1\nb: [\n")
    assert err.rule is Rule.SYNTAX and err.line is not None and err.reason
    assert failure("a: \udcff").rule is Rule.UNREADABLE
    assert failure(1234).rule is Rule.UNREADABLE  # type: ignore[arg-type]


def test_bytes_in_utf16_with_a_bom() -> None:
    assert data("a: é\n".encode("utf-16")) == {"a": "é"}


def test_tag_problems() -> None:
    err = failure("a: !!int big\n")
    assert err.rule is Rule.TAG and err.scalar == "big" and err.tag_error is not None


class _NoLists:
    root = "root"

    def open(self, role: object, key: str | None, mapping: bool) -> object:
        if not mapping:
            raise ShapeError(f"no lists (under {key})")
        return "map"

    def item(self, role: object, value: Any) -> None:
        if value == "bad":
            raise ShapeError("bad item")


def test_shape_hooks_refuse_nodes_with_their_path() -> None:
    err = failure("a: {b: [1]}\n", shape=_NoLists())
    assert (err.rule, err.reason, err.path) == (Rule.SHAPE, "no lists (under b)", "a.b")
    assert data("a: {b: {c: 1}}\n", shape=_NoLists()) == {"a": {"b": {"c": 1}}}


# -- hostile input: only LoadError, quickly ----------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "[", "]", "{", "}", ":", ": ", "- ", ",", " ", "  ", "\n", "\t", "&a ", "*a", "&b ", "*b", "<<: ",
        "!!int ", "!!binary ", "!!float ", "!foo ", "? ", "'", '"', "#", "|", ">", "%YAML 1.1\n", "---\n",
        "...\n", "1", "x", "yes", ".nan", "~", "0x", "1e400", "9" * 30, "\x00", "\x85", "\ufeff", "é",
        "\\", "@", "`",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(_PIECES, max_size=80).map("".join), st.text(max_size=200), st.binary(max_size=200)))
def test_hostile_input_gives_only_load_errors(text: str | bytes) -> None:
    for unique_keys in (True, False):
        start = time.perf_counter()
        with contextlib.suppress(LoadError):
            load(text, unique_keys=unique_keys)
        assert time.perf_counter() - start < 2.0
