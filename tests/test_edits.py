"""calicopy.edits: the merge patch (RFC 7386's examples), label edits and the per-object lock."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calicopy import IPPool
from calicopy.edits import ObjectLocks, json_merge, merge_patch, patch_document, relabel
from calicopy.errors import LabelError, ValidationError

# RFC 7386 appendix A: (target, patch, result)
RFC_7386 = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(("target", "patch", "result"), RFC_7386)
def test_rfc_7386_examples(target: Any, patch: Any, result: Any) -> None:
    assert json_merge(target, patch) == result


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3),
    max_leaves=10,
)


@given(json_values, st.dictionaries(st.text(max_size=2), json_values, max_size=3))
def test_merging_twice_changes_nothing_more(target: Any, patch: dict[str, Any]) -> None:
    once = json_merge(target, patch)
    assert json_merge(once, patch) == once


def test_patch_document_from_json_text() -> None:
    assert patch_document('{"spec": {"disabled": true}}', "IPPool", "p") == {"spec": {"disabled": True}}
    with pytest.raises(ValidationError, match="not valid JSON"):
        patch_document("{", "IPPool", "p")
    with pytest.raises(ValidationError, match="must be a JSON object"):
        patch_document("[1]", "IPPool", "p")


def stored_pool() -> IPPool:
    return IPPool.from_storage(
        {
            "metadata": {"name": "p", "resourceVersion": "7", "uid": "u1", "labels": {"a": "1"}},
            "spec": {"cidr": "10.0.0.0/16"},
        }
    )


def test_merge_patch_keeps_the_identity() -> None:
    patched = merge_patch(
        stored_pool(), {"metadata": {"name": "other", "labels": {"b": "2"}}, "spec": {"disabled": True}}
    )
    assert (patched.metadata.name, patched.metadata.resource_version, patched.metadata.uid) == ("p", "7", "u1")
    assert patched.metadata.labels == {"a": "1", "b": "2"}
    assert patched.spec.disabled is True and patched.spec.cidr == "10.0.0.0/16"


def test_relabel_actions_and_refusals() -> None:
    about = {"kind": "IPPool", "name": "p", "namespace": None}
    stored = stored_pool()
    changed, action = relabel(stored, "b", "2", remove=False, overwrite=False, about=about)
    assert (changed.metadata.labels, action) == ({"a": "1", "b": "2"}, "set")
    assert stored.metadata.labels == {"a": "1"}  # the stored copy is left alone
    assert relabel(stored, "a", "1", remove=False, overwrite=False, about=about)[1] == "updated"
    assert relabel(stored, "a", "9", remove=False, overwrite=True, about=about)[0].metadata.labels == {"a": "9"}
    assert relabel(stored, "a", None, remove=True, overwrite=False, about=about)[1] == "removed"
    with pytest.raises(LabelError) as exists:
        relabel(stored, "a", "9", remove=False, overwrite=False, about=about)
    assert exists.value.problem == "exists"
    with pytest.raises(LabelError) as missing:
        relabel(stored, "zz", None, remove=True, overwrite=False, about=about)
    assert missing.value.problem == "missing"


def test_object_locks_serialise_one_object_and_are_released() -> None:
    locks = ObjectLocks()
    inside = 0
    most = 0
    guard = threading.Lock()

    def work() -> None:
        nonlocal inside, most
        for _ in range(50):
            with locks.hold("IPPool", "p", ""):
                with guard:
                    inside += 1
                    most = max(most, inside)
                with guard:
                    inside -= 1

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most == 1
    assert len(locks) == 0
    with locks.hold("IPPool", "p", ""), locks.hold("IPPool", "q", ""):  # other objects do not wait
        assert len(locks) == 2
