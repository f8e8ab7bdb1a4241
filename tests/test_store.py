"""The store engine (``calicopy._store``) through its Python API, without HTTP."""

from __future__ import annotations

import threading

import pytest

from calicopy._store import Store, parse_label_selector
from calicopy.errors import (
    DatastoreError,
    InvalidRequest,
    ResourceAlreadyExists,
    ResourceConflict,
    ResourceExpired,
    ResourceNotFound,
)

R = "things"


def _obj(name: str, ns: str = "", **labels: str) -> dict[str, object]:
    meta: dict[str, object] = {"name": name, "labels": labels}
    if ns:
        meta["namespace"] = ns
    return {"metadata": meta, "spec": {"n": 1}}


def test_crud_and_revisions() -> None:
    store = Store()
    a = store.create(R, _obj("a"))
    b = store.create(R, _obj("b"))
    assert int(b["metadata"]["resourceVersion"]) == int(a["metadata"]["resourceVersion"]) + 1
    assert store.revision == int(b["metadata"]["resourceVersion"])
    with pytest.raises(ResourceAlreadyExists, match='things "a" already exists'):
        store.create(R, _obj("a"))
    a["spec"]["n"] = 2
    updated = store.update(R, a)
    assert updated["metadata"]["generation"] == 2 and updated["metadata"]["uid"] == a["metadata"]["uid"]
    with pytest.raises(ResourceConflict, match="the object has been modified"):
        store.update(R, a)
    assert store.update(R, updated) == updated  # no-op: same revision
    with pytest.raises(ResourceConflict, match="Precondition failed: UID"):
        store.delete(R, "a", uid="nope")
    gone = store.delete(R, "a", uid=updated["metadata"]["uid"])
    assert int(gone["metadata"]["resourceVersion"]) == store.revision
    with pytest.raises(ResourceNotFound, match='things "a" not found'):
        store.get(R, "a")
    # Handed-out objects are copies.
    got = store.get(R, "b")
    got["spec"]["n"] = 99
    assert store.get(R, "b")["spec"]["n"] == 1


@pytest.mark.parametrize(
    ("selector", "labels", "matches"),
    [
        ("a=1", {"a": "1"}, True),
        ("a=1", {}, False),
        ("a!=1", {}, True),
        ("a in (1, 2)", {"a": "2"}, True),
        ("a notin (1,2)", {"a": "3"}, True),
        ("a,!b", {"a": ""}, True),
        ("a>3", {"a": "4"}, True),
        ("a<3", {"a": "4"}, False),
        ("example.com/x==y", {"example.com/x": "y"}, True),
        ("", {}, True),
    ],
)
def test_label_selectors(selector: str, labels: dict[str, str], matches: bool) -> None:
    assert parse_label_selector(selector).matches(labels) is matches


@pytest.mark.parametrize("bad", ["a in (", "a=(", "=a", "a,", "a b", "a in ()", "a>x", "-a=1"])
def test_bad_label_selectors(bad: str) -> None:
    with pytest.raises(InvalidRequest, match="unable to parse requirement"):
        parse_label_selector(bad)


def test_list_namespaces_pagination_and_snapshots() -> None:
    store = Store()
    for ns in ("b", "a"):
        for name in ("y", "x"):
            store.create(R, _obj(name, ns, tier="t"))
    everything = store.list(R)
    assert [(o["metadata"]["namespace"], o["metadata"]["name"]) for o in everything.items] == [
        ("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")
    ]  # fmt: skip
    assert [o["metadata"]["name"] for o in store.list(R, "b").items] == ["x", "y"]
    page = store.list(R, limit=3)
    assert len(page.items) == 3 and page.remaining_item_count == 1
    store.delete(R, "y", "b")
    rest = store.list(R, limit=3, continue_=page.continue_)
    assert [o["metadata"]["name"] for o in rest.items] == ["y"]  # the snapshot still has it
    assert rest.resource_version == page.resource_version and rest.continue_ == ""
    exact = store.list(R, resource_version=page.resource_version, resource_version_match="Exact")
    assert len(exact.items) == 4


def test_watch_history_window_and_translation() -> None:
    store = Store(window=5)
    start = store.revision
    store.create(R, _obj("a", color="red"))
    watch = store.watch(R, resource_version=str(start), label_selector="color=red")
    a = store.get(R, "a")
    a["metadata"]["labels"] = {"color": "blue"}
    store.update(R, a)
    events = [watch.next(timeout=1), watch.next(timeout=1)]
    assert [e.type for e in events if e] == ["ADDED", "DELETED"]
    assert watch.next(timeout=0.05) is None
    for i in range(10):
        store.create(R, _obj(f"n{i}"))
    with pytest.raises(ResourceExpired, match="too old resource version"):
        store.watch(R, resource_version=str(start)).next(timeout=1)
    assert store.compacted_revision == store.revision - 5


def test_watch_initial_events_and_close() -> None:
    store = Store()
    store.create(R, _obj("a"))
    watch = store.watch(R)
    assert watch.next(timeout=1) is not None
    threading.Timer(0.1, watch.close).start()
    assert list(watch) == []


def test_concurrent_writers_get_unique_revisions() -> None:
    store = Store()

    def work(k: int) -> None:
        for i in range(50):
            store.create(R, _obj(f"o{k}-{i}"))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    revs = {int(o["metadata"]["resourceVersion"]) for o in store.list(R).items}
    assert len(revs) == 200


def test_finalizers_delay_deletion() -> None:
    store = Store()
    obj = _obj("f")
    obj["metadata"]["finalizers"] = ["x"]  # type: ignore[index]
    store.create(R, obj)
    marked = store.delete(R, "f")
    assert marked["metadata"]["deletionTimestamp"]
    marked["metadata"]["finalizers"] = []
    store.update(R, marked)
    with pytest.raises(ResourceNotFound):
        store.get(R, "f")


def test_paged_lists_agree_with_a_full_sort_through_writes_and_compaction() -> None:
    # The store keeps each resource's keys sorted incrementally; pages must still walk etcd's
    # key order exactly, per namespace, across deletes, re-creates and compaction.
    store = Store(window=20)
    names = [f"n{i:02d}" for i in range(30)]
    for i, name in enumerate(names):
        store.create(R, _obj(name, "ns" + str(i % 3)))
    for name in names[::4]:
        store.delete(R, name, "ns" + str(names.index(name) % 3))
    store.create(R, _obj("n00", "ns0"))  # re-created after its delete (and after compaction)
    for namespace in (None, "ns0", "ns1", "ns2"):
        expected = [(o["metadata"]["namespace"], o["metadata"]["name"]) for o in store.list(R, namespace).items]
        assert expected == sorted(expected)
        seen: list[tuple[str, str]] = []
        token = ""
        while True:
            page = store.list(R, namespace, limit=4, continue_=token)
            seen += [(o["metadata"]["namespace"], o["metadata"]["name"]) for o in page.items]
            if page.continue_:
                assert page.remaining_item_count == len(expected) - len(seen)
            token = page.continue_
            if not token:
                break
        assert seen == expected


# -- failures are structured: calicopy.errors classes carrying the Status they stand for ----------


def test_not_found_and_already_exists_carry_status_and_object() -> None:
    store = Store()
    store.create(R, _obj("a", "ns1"))
    with pytest.raises(ResourceNotFound) as missing:
        store.get(R, "b", "ns1")
    err = missing.value
    assert (err.code, err.reason, err.resource, err.name, err.namespace) == (404, "NotFound", R, "b", "ns1")
    assert err.server_message == str(err) == 'things "b" not found'
    assert err.kind is None and err.cause is None and err.precondition == ""
    with pytest.raises(ResourceAlreadyExists) as exists:
        store.create(R, _obj("a", "ns1"))
    err2 = exists.value
    assert (err2.code, err2.reason, err2.resource, err2.name, err2.namespace) == (409, "AlreadyExists", R, "a", "ns1")
    assert err2.server_message == str(err2) == 'things "a" already exists'


def test_conflicts_name_the_failed_precondition() -> None:
    store = Store()
    a = store.create(R, _obj("a"))
    store.update(R, dict(a, spec={"n": 2}))
    with pytest.raises(ResourceConflict) as stale:
        store.update(R, a)
    assert (stale.value.code, stale.value.reason, stale.value.precondition) == (409, "Conflict", "resourceVersion")
    assert stale.value.server_message == (
        'Operation cannot be fulfilled on things "a": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )
    with pytest.raises(ResourceConflict) as uid:
        store.delete(R, "a", uid="nope")
    assert uid.value.precondition == "uid" and uid.value.name == "a" and uid.value.resource == R
    assert str(uid.value) == (
        'Operation cannot be fulfilled on things "a": Precondition failed: '
        f"UID in precondition: nope, UID in object meta: {a['metadata']['uid']}"
    )
    with pytest.raises(ResourceConflict) as rv:
        store.delete(R, "a", resource_version="1")
    assert rv.value.precondition == "resourceVersion"
    assert "ResourceVersion in precondition: 1, ResourceVersion in object meta: " in str(rv.value)
    changed = dict(store.get(R, "a"))
    changed["metadata"]["uid"] = "other"
    with pytest.raises(ResourceConflict) as update_uid:
        store.update(R, changed)
    assert update_uid.value.precondition == "uid"


def test_refusals_carry_code_reason_and_causes() -> None:
    store = Store(window=2)
    a = store.create(R, _obj("a"))
    with pytest.raises(InvalidRequest) as unversioned:
        store.update(R, {"metadata": {"name": "a"}, "spec": {}}, require_resource_version=True)
    err = unversioned.value
    assert (err.code, err.reason, err.resource, err.name) == (422, "Invalid", R, "a")
    assert err.causes == [
        {
            "reason": "FieldValueInvalid",
            "message": "Invalid value: 0x0: must be specified for an update",
            "field": "metadata.resourceVersion",
        }
    ]
    with pytest.raises(InvalidRequest) as bad:
        store.list(R, label_selector="a in (")
    assert (bad.value.code, bad.value.reason, bad.value.causes) == (400, "BadRequest", [])
    with pytest.raises(DatastoreError) as too_new:
        store.list(R, resource_version="999")
    assert (too_new.value.code, too_new.value.reason) == (504, "Timeout")
    assert str(too_new.value) == f"Too large resource version: 999, current: {store.revision}"
    for i in range(3):
        store.create(R, _obj(f"n{i}"))
    with pytest.raises(ResourceExpired) as gone:
        store.list(R, resource_version=a["metadata"]["resourceVersion"], resource_version_match="Exact")
    assert (gone.value.code, gone.value.reason) == (410, "Expired")
    assert gone.value.server_message == "The resourceVersion for the provided list is too old."


def test_store_failures_retarget_to_libcalico_go_wording() -> None:
    store = Store()
    with pytest.raises(ResourceNotFound) as missing:
        store.get("ippools", "pool1")
    retargeted = missing.value.for_resource("IPPool", "pool1")
    assert type(retargeted) is ResourceNotFound
    assert str(retargeted) == "resource does not exist: IPPool(pool1) with error: <nil>"
    assert (retargeted.kind, retargeted.code, retargeted.server_message) == (
        "IPPool",
        404,
        'ippools "pool1" not found',
    )
