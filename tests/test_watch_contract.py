"""The watch contract every backend keeps, through Client.watch: the consumer's view stays right
across a re-list (410 Gone / an expired store history), deletions in the gap included."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from calicopy._store import Store
from calicopy.backends.base import WatchEvent
from calicopy.backends.memory import MemoryBackend
from calicopy.client import Client
from calicopy.etcd.backend import EtcdBackend
from calicopy.kdd.backend import KubernetesBackend
from calicopy.kdd.convert import GROUP_V1
from calicopy.kdd.kubeconfig import KubeConnection
from calicopy.resources.generated.ippool import IPPool
from calicopy.testing import FakeKubeAPIServer
from calicopy.testing.etcd import EtcdServer

WINDOW = 5  # revisions of history kept: a few writes make an older version expire


# How a datastore forgets old versions: the memory store and the fake API server keep a window
# of WINDOW revisions; etcd keeps everything until it is compacted.
_EXPIRE: dict[int, Callable[[], object]] = {}


@pytest.fixture(params=["memory", "kubernetes", "etcd"])
def client(request: pytest.FixtureRequest) -> Iterator[Client]:
    if request.param == "memory":
        with Client(backend=MemoryBackend(Store(window=WINDOW))) as c:
            yield c
        return
    if request.param == "etcd":
        etcd: EtcdServer = request.getfixturevalue("etcd")
        with Client(backend=EtcdBackend.from_config(etcd.config())) as c:
            _EXPIRE[id(c)] = etcd.compact
            yield c
            _EXPIRE.pop(id(c), None)
        return
    with FakeKubeAPIServer(window=WINDOW) as server:
        conn = KubeConnection(server=server.url)
        backend = KubernetesBackend.from_connection(conn, api_group=GROUP_V1, sleep=lambda s: None)
        with Client(backend=backend) as c:
            yield c


def pool(name: str, cidr: str, **spec: Any) -> IPPool:
    return IPPool.from_dict({"metadata": {"name": name}, "spec": {"cidr": cidr, **spec}})


def seen(events: Iterator[WatchEvent], count: int) -> list[tuple[str, str]]:
    """(type, name) of the next ``count`` events with an object, sorted (a re-list has no order)."""
    out: list[tuple[str, str]] = []
    for event in events:
        assert event.type != "ERROR", event.error
        if event.object is not None:
            out.append((event.type, event.object.metadata.name))
        if len(out) >= count:
            break
    return sorted(out)


def churn(client: Client, count: int = 9) -> None:
    """Enough writes to push any version read before them out of the history (window or compaction)."""
    for i in range(1, count + 1):
        client.create(pool(f"p{i}", f"10.{i}.0.0/24"))
    expire = _EXPIRE.get(id(client))
    if expire is not None:
        expire()


def test_known_objects_deleted_in_the_gap_are_reported(client: Client) -> None:
    client.create(pool("old", "10.200.0.0/24"))
    client.create(pool("kept", "10.201.0.0/24"))
    listed = client.list_result("IPPool")
    client.delete("IPPool", "old")
    churn(client)  # listed.resource_version is now too old: the watch must re-list
    events = client.watch("IPPool", resource_version=listed.resource_version, known=listed.items, timeout=10)
    expected = sorted([("DELETED", "old"), *(("ADDED", f"p{i}") for i in range(1, 10))])
    assert seen(events, 10) == expected  # "kept" did not change: nothing said about it


def test_view_seeded_by_listing_at_the_version(client: Client) -> None:
    client.create(pool("old", "10.200.0.0/24"))
    listed = client.list_result("IPPool")
    # Without known=, the watch lists at exactly that version when it is called (an informer's view).
    events = client.watch("IPPool", resource_version=listed.resource_version, timeout=10)
    client.delete("IPPool", "old")
    churn(client)
    expected = sorted([("DELETED", "old"), *(("ADDED", f"p{i}") for i in range(1, 10))])
    assert seen(events, 10) == expected


def test_view_of_a_watch_that_listed_first(client: Client) -> None:
    client.create(pool("old", "10.200.0.0/24"))
    client.create(pool("changed", "10.201.0.0/24"))
    events = client.watch("IPPool", timeout=10)
    assert seen(events, 2) == [("ADDED", "changed"), ("ADDED", "old")]
    client.delete("IPPool", "old")
    client.patch("IPPool", "changed", {"spec": {"disabled": True}})
    churn(client)
    expected = sorted([("DELETED", "old"), ("MODIFIED", "changed"), *(("ADDED", f"p{i}") for i in range(1, 10))])
    assert seen(events, 11) == expected


def test_version_zero_means_from_now(client: Client) -> None:
    client.create(pool("old", "10.200.0.0/24"))
    events = client.watch("IPPool", resource_version="0", timeout=10)
    client.create(pool("new", "10.201.0.0/24"))
    assert seen(events, 2) == [("ADDED", "new"), ("ADDED", "old")]


def test_version_too_old_to_list_warns(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    listed = client.list_result("IPPool")
    churn(client)
    with caplog.at_level(logging.WARNING):
        events = client.watch("IPPool", resource_version=listed.resource_version, timeout=10)
    assert "pass known=" in caplog.text
    assert seen(events, 9) == sorted(("ADDED", f"p{i}") for i in range(1, 10))


def test_timeout_is_the_watch_duration(client: Client) -> None:
    # Both backends stop after `timeout` seconds, however busy the kind is.
    stop = threading.Event()

    def writer() -> None:
        i = 0
        while not stop.is_set():
            i += 1
            client.create(pool(f"w{i}", f"10.{i % 250}.{i // 250}.0/24"))
            time.sleep(0.05)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        started = time.monotonic()
        for _ in client.watch("IPPool", timeout=1.0):
            pass
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        thread.join()
    assert elapsed < 3.0
