"""KubernetesBackend against the fake Kubernetes API server (calicopy.testing)."""

from __future__ import annotations

import gc
import logging
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from calicopy.backends.base import Backend, WatchEvent
from calicopy.config import load_config_from_bytes
from calicopy.errors import (
    ConfigError,
    DatastoreError,
    InvalidRequest,
    OperationNotSupported,
    ResourceAlreadyExists,
    ResourceConflict,
    ResourceNotFound,
)
from calicopy.kdd.backend import KubernetesBackend
from calicopy.kdd.convert import GROUP_V1, GROUP_V3, to_crd
from calicopy.kdd.discovery import api_group_from_setting, choose_api_group
from calicopy.kdd.kubeconfig import KubeConnection
from calicopy.kdd.resources import base as base_module
from calicopy.resources.generated.globalnetworkset import GlobalNetworkSet
from calicopy.resources.generated.ippool import IPPool
from calicopy.resources.generated.networkpolicy import NetworkPolicy
from calicopy.retry import RateLimiter, RetryPolicy
from calicopy.testing import FakeKubeAPIServer

BOTH = [GROUP_V1, GROUP_V3]


class Sleeps(list[float]):
    """An injectable sleep that records instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def backend_for(server: FakeKubeAPIServer, **kwargs: Any) -> tuple[KubernetesBackend, Sleeps]:
    sleeps = Sleeps()
    kwargs.setdefault("sleep", sleeps)
    kwargs.setdefault("random", lambda: 0.5)
    conn = KubeConnection(server=server.url, bearer_token=server.token or "")
    return KubernetesBackend.from_connection(conn, **kwargs), sleeps


@pytest.fixture
def kdd(fake_kube: FakeKubeAPIServer) -> Iterator[KubernetesBackend]:
    backend, _ = backend_for(fake_kube)
    with backend:
        yield backend


def pool(name: str, cidr: str, **meta: Any) -> IPPool:
    return IPPool.from_dict({"metadata": {"name": name, **meta}, "spec": {"cidr": cidr}})


def lists(server: FakeKubeAPIServer, plural: str) -> list[str]:
    return [
        t
        for m, t in server.requests
        if m == "GET" and (f"/{plural}?" in t or t.endswith(f"/{plural}")) and "watch" not in t
    ]


# -- CRUD ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("group", BOTH)
def test_crud_in_both_groups(group: str) -> None:
    with FakeKubeAPIServer(groups=[group]) as server:
        backend, _ = backend_for(server)
        assert isinstance(backend, Backend)
        assert backend.api_group == group
        created = backend.create(pool("p1", "10.1.0.0/24", labels={"team": "a"}))
        assert created.metadata.resource_version and created.metadata.uid
        assert created.spec.block_size == 26  # read-side defaults
        stored = server.objects("ippools", group=group)[0]
        assert stored["apiVersion"] == group
        assert ("projectcalico.org/metadata" in stored["metadata"].get("annotations", {})) == (group == GROUP_V1)

        got = backend.get("IPPool", "p1")
        assert got.metadata.labels == {"team": "a"} and got.metadata.uid == created.metadata.uid

        got.spec.nat_outgoing = True
        updated = backend.update(got)
        assert updated.spec.nat_outgoing is True
        assert updated.metadata.resource_version != got.metadata.resource_version
        with pytest.raises(ResourceConflict, match=r"^update conflict: IPPool\(p1\)$"):
            backend.update(got)  # stale resourceVersion
        with pytest.raises(ResourceAlreadyExists, match=r"resource already exists: IPPool\(p1\) with error: "):
            backend.create(pool("p1", "10.1.0.0/24"))

        np = NetworkPolicy.from_dict(
            {"metadata": {"name": "allow-dns", "namespace": "default"}, "spec": {"selector": "all()"}}
        )
        backend.create(np)
        backend.create(GlobalNetworkSet.from_dict({"metadata": {"name": "gns"}, "spec": {"nets": ["10.9.0.0/16"]}}))
        assert [p.metadata.name for p in backend.list("NetworkPolicy").items] == ["allow-dns"]
        assert backend.list("NetworkPolicy", "kube-system").items == []
        assert (
            backend.get("NetworkPolicy", "allow-dns", "default").metadata.labels["projectcalico.org/tier"] == "default"
        )
        assert backend.get("GlobalNetworkSet", "gns").spec.nets == ["10.9.0.0/16"]

        deleted = backend.delete("NetworkPolicy", "allow-dns", "default")
        assert deleted.metadata.name == "allow-dns"
        assert server.objects("networkpolicies", group=group) == []
        with pytest.raises(ResourceNotFound, match=r"NetworkPolicy\(default/allow-dns\)"):
            backend.get("NetworkPolicy", "allow-dns", "default")
        backend.close()


@pytest.mark.parametrize("group", BOTH)
def test_delete_sends_uid_precondition(group: str) -> None:
    with FakeKubeAPIServer(groups=[group]) as server:
        backend, _ = backend_for(server)
        created = backend.create(pool("p1", "10.1.0.0/24"))
        # Wrong uid: libcalico-go maps "UID in precondition" conflicts to "does not exist".
        with pytest.raises(ResourceNotFound, match="resource does not exist: IPPool\\(p1\\)"):
            backend.delete("IPPool", "p1", uid="30316465-6365-4463-ad63-3564622d3638")
        assert len(server.objects("ippools", group=group)) == 1
        with pytest.raises(ResourceConflict):
            backend.delete("IPPool", "p1", resource_version="1")
        deleted = backend.delete("IPPool", "p1", uid=created.metadata.uid)
        assert deleted.metadata.uid == created.metadata.uid
        assert server.objects("ippools", group=group) == []
        with pytest.raises(ResourceNotFound, match=r'ippools\.[a-z.]+ "p1" not found'):
            backend.delete("IPPool", "p1")


def test_error_wording_as_calicoctl(kdd: KubernetesBackend) -> None:
    with pytest.raises(ResourceNotFound) as info:
        kdd.get("IPPool", "pool1")
    assert str(info.value) == (
        'resource does not exist: IPPool(pool1) with error: ippools.crd.projectcalico.org "pool1" not found'
    )
    assert info.value.code == 404 and info.value.reason == "NotFound"  # type: ignore[attr-defined]


def test_invalid_object_keeps_server_message(kdd: KubernetesBackend, fake_kube: FakeKubeAPIServer) -> None:
    message = 'IPPool.crd.projectcalico.org "p1" is invalid: spec.blockSize: Invalid value: 99'
    fake_kube.faults.fail(422, method="POST", message=message)
    with pytest.raises(DatastoreError) as info:
        kdd.create(pool("p1", "10.1.0.0/24"))
    # libcalico-go's ErrorDatastoreError; calicopy's subclass for a refused request says so by type.
    assert type(info.value) is InvalidRequest and str(info.value) == message
    assert info.value.code == 422 and info.value.reason == "Invalid"
    assert (info.value.kind, info.value.name) == ("IPPool", "p1")


# -- API group detection ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ([GROUP_V1], GROUP_V1),  # v1 CRDs only
        ([GROUP_V3], GROUP_V3),  # native v3 CRDs only
        ([GROUP_V1, GROUP_V3], GROUP_V1),  # aggregated API server over v1 CRDs
    ],
)
def test_api_group_discovery(groups: list[str], expected: str) -> None:
    with FakeKubeAPIServer(groups=groups) as server:
        backend, _ = backend_for(server)
        assert backend.api_group == expected
        assert ("GET", "/apis") in server.requests
        backend.create(pool("p1", "10.1.0.0/24"))
        assert server.objects("ippools", group=expected)


def test_api_group_explicit_setting_skips_discovery(fake_kube: FakeKubeAPIServer) -> None:
    backend, _ = backend_for(fake_kube, api_group="projectcalico.org/V3")
    assert backend.api_group == GROUP_V3
    assert ("GET", "/apis") not in fake_kube.requests
    # The server does not serve projectcalico.org/v3 at all: that is an error, never an empty
    # list or "not found" (libcalico-go would say both, hiding a wrong calicoAPIGroup).
    for call in (lambda: backend.list("IPPool"), lambda: backend.get("IPPool", "p1")):
        with pytest.raises(DatastoreError, match=r"does not serve projectcalico\.org/v3") as info:
            call()
        assert type(info.value) is DatastoreError and info.value.code == 404


def test_failed_discovery_is_not_cached() -> None:
    # A burst of 503s on /apis must not pin the backend to the wrong group for its lifetime.
    with FakeKubeAPIServer(groups=[GROUP_V3]) as server:
        server.add(
            {"apiVersion": GROUP_V3, "kind": "IPPool", "metadata": {"name": "p1"}, "spec": {"cidr": "10.1.0.0/24"}}
        )
        backend, _ = backend_for(server, retry_policy=RetryPolicy(max_attempts=2))
        server.faults.fail(503, path=r"^/apis$", times=2)
        with pytest.raises(DatastoreError, match=r"does not serve crd\.projectcalico\.org/v1"):
            backend.list("IPPool")  # this call fell back to v1, which is not served: an error, not []
        assert [p.metadata.name for p in backend.list("IPPool").items] == ["p1"]  # discovered again
        assert backend.get("IPPool", "p1").metadata.name == "p1"
        assert backend.api_group == GROUP_V3
        assert sum(1 for _, t in server.requests if t == "/apis") == 3  # then cached


def test_missing_crd_in_a_served_group_lists_empty(fake_kube: FakeKubeAPIServer) -> None:
    # libcalico-go: a kind whose CRD is not installed (the group is served) lists empty.
    backend, _ = backend_for(fake_kube, api_group=GROUP_V1)
    fake_kube.faults.fail(
        404, method="GET", path=r"/ippools", message="the server could not find the requested resource", times=None
    )
    assert backend.list("IPPool").items == []
    with pytest.raises(ResourceNotFound):
        backend.get("IPPool", "p1")
    checks = [t for _, t in fake_kube.requests if t == "/apis/crd.projectcalico.org/v1"]
    assert len(checks) == 1  # a served group is remembered


def test_api_group_rules() -> None:
    assert choose_api_group(["apps", "projectcalico.org"]) == GROUP_V3
    assert choose_api_group(["projectcalico.org", "crd.projectcalico.org"]) == GROUP_V1
    assert choose_api_group([]) == GROUP_V1
    assert api_group_from_setting("") is None
    assert api_group_from_setting("PROJECTCALICO.ORG/v3") == GROUP_V3
    assert api_group_from_setting("something/else") == GROUP_V1


def test_discovery_failure_defaults_to_v1(fake_kube: FakeKubeAPIServer, caplog: pytest.LogCaptureFixture) -> None:
    fake_kube.faults.fail(500, path=r"^/apis$", times=None)
    backend, _ = backend_for(fake_kube, retry_policy=RetryPolicy(max_attempts=2))
    with caplog.at_level(logging.WARNING):
        assert backend.api_group == GROUP_V1
    assert "defaulting to crd.projectcalico.org/v1" in caplog.text


# -- list ------------------------------------------------------------------------------------------


def test_pagination_over_2500_objects(kdd: KubernetesBackend, fake_kube: FakeKubeAPIServer) -> None:
    for i in range(2500):
        fake_kube.add(
            {
                "apiVersion": GROUP_V1,
                "kind": "IPPool",
                "metadata": {"name": f"pool-{i:04d}"},
                "spec": {"cidr": f"10.{i // 250}.{i % 250}.0/24"},
            }
        )
    result = kdd.list("IPPool")
    assert len(result.items) == 2500
    assert len({p.metadata.name for p in result.items}) == 2500
    requests = lists(fake_kube, "ippools")
    assert all("limit=500" in t for t in requests)
    assert len(requests) in (5, 6)  # 5 full pages (+1 empty page if the server hands out a last token)
    assert sum("continue=" in t for t in requests) == len(requests) - 1
    assert result.resource_version == str(fake_kube.store.revision)


def test_expired_continue_falls_back_to_full_list(kdd: KubernetesBackend, fake_kube: FakeKubeAPIServer) -> None:
    for i in range(1200):
        fake_kube.add(
            {"apiVersion": GROUP_V1, "kind": "GlobalNetworkSet", "metadata": {"name": f"s{i}"}, "spec": {"nets": []}}
        )
    fake_kube.faults.fail(410, path=r"continue=", message="continue token expired")
    assert len(kdd.list("GlobalNetworkSet").items) == 1200
    assert [t for t in lists(fake_kube, "globalnetworksets") if "limit" not in t]  # one full list


def test_unconvertible_items_are_skipped_with_warning(
    kdd: KubernetesBackend, fake_kube: FakeKubeAPIServer, caplog: pytest.LogCaptureFixture
) -> None:
    kdd.create(pool("good", "10.1.0.0/24"))
    fake_kube.add(
        {
            "apiVersion": GROUP_V1,
            "kind": "IPPool",
            "metadata": {"name": "bad", "annotations": {"projectcalico.org/metadata": "{not json"}},
            "spec": {"cidr": "10.2.0.0/24"},
        }
    )
    with caplog.at_level(logging.WARNING):
        names = [p.metadata.name for p in kdd.list("IPPool").items]
    assert names == ["good"]
    assert "unable to process resource, skipping" in caplog.text and "bad" in caplog.text


@pytest.mark.parametrize("group", BOTH)
def test_label_selectors(group: str) -> None:
    with FakeKubeAPIServer(groups=[group]) as server:
        backend, _ = backend_for(server)
        backend.create(pool("a", "10.1.0.0/24", labels={"team": "red", "projectcalico.org/zone": "z1"}))
        backend.create(pool("b", "10.2.0.0/24", labels={"team": "blue", "projectcalico.org/zone": "z2"}))
        # A user label lives only in the metadata annotation in v1 mode: filtered after conversion.
        assert [p.metadata.name for p in backend.list("IPPool", label_selector="team=red").items] == ["a"]
        assert [p.metadata.name for p in backend.list("IPPool", label_selector="team notin (red)").items] == ["b"]
        sent = [t for t in lists(server, "ippools") if "labelSelector" in t]
        assert bool(sent) == (group == GROUP_V3)
        # A projectcalico.org/ label is copied onto the CR: filtered by the server in both modes.
        assert [p.metadata.name for p in backend.list("IPPool", label_selector="projectcalico.org/zone=z2").items] == [
            "b"
        ]
        assert any("labelSelector=projectcalico.org" in t for t in lists(server, "ippools"))
        with pytest.raises(DatastoreError, match="invalid label selector"):
            backend.list("IPPool", label_selector="a in (")


# -- watch -----------------------------------------------------------------------------------------


def collect(events: Iterator[WatchEvent], count: int) -> list[WatchEvent]:
    out: list[WatchEvent] = []
    for event in events:
        if event.type != "BOOKMARK":
            out.append(event)
        if len(out) >= count:
            break
    return out


def later(action: Any, delay: float = 0.3) -> threading.Timer:
    timer = threading.Timer(delay, action)
    timer.start()
    return timer


def test_watch_events_and_resume_after_dropped_stream(kdd: KubernetesBackend, fake_kube: FakeKubeAPIServer) -> None:
    kdd.create(pool("p0", "10.0.0.0/24"))
    start = kdd.list("IPPool").resource_version
    fake_kube.faults.end_watch(after_events=1)  # the first stream ends after one event

    def writes() -> None:
        kdd.create(pool("p1", "10.1.0.0/24"))
        p1 = kdd.get("IPPool", "p1")
        p1.spec.disabled = True
        kdd.update(p1)
        kdd.delete("IPPool", "p0")

    timer = later(writes)
    events = collect(kdd.watch("IPPool", resource_version=start, timeout=10), 3)
    timer.join()
    assert [(e.type, e.object.metadata.name if e.object else None) for e in events] == [
        ("ADDED", "p1"),
        ("MODIFIED", "p1"),
        ("DELETED", "p0"),
    ]
    assert events[1].object is not None and events[1].object.spec.disabled is True
    watches = [t for m, t in fake_kube.requests if "watch=true" in t]
    assert len(watches) >= 2
    assert f"resourceVersion={events[0].resource_version}" in watches[1]  # resumed where it stopped


def test_watch_without_revision_lists_first(kdd: KubernetesBackend) -> None:
    kdd.create(pool("p0", "10.0.0.0/24"))
    kdd.create(pool("p1", "10.1.0.0/24", labels={"team": "a"}))
    events = collect(kdd.watch("IPPool", label_selector="team=a", timeout=5), 1)
    assert [(e.type, e.object.metadata.name) for e in events if e.object] == [("ADDED", "p1")]


@pytest.mark.fake_kube(window=5)
def test_watch_relists_on_410(kdd: KubernetesBackend, fake_kube: FakeKubeAPIServer) -> None:
    kdd.create(pool("old", "10.0.0.0/24"))
    stale = kdd.list("IPPool").resource_version
    for i in range(1, 10):
        kdd.create(pool(f"p{i}", f"10.{i}.0.0/24"))
    kdd.delete("IPPool", "old")
    events = collect(kdd.watch("IPPool", resource_version=stale, timeout=10), 9)
    assert {e.type for e in events} == {"ADDED"}
    assert sorted(e.object.metadata.name for e in events if e.object) == sorted(f"p{i}" for i in range(1, 10))
    assert any(m == "GET" and "/ippools?limit=500" in t for m, t in list(fake_kube.requests)[-10:])


def test_watch_resyncs_differences_after_410(fake_kube: FakeKubeAPIServer) -> None:
    backend, _ = backend_for(fake_kube)
    backend.create(pool("keep", "10.0.0.0/24"))
    backend.create(pool("gone", "10.1.0.0/24"))
    events = backend.watch("IPPool", timeout=10)
    first = collect(events, 2)  # initial list as ADDED
    assert {e.object.metadata.name for e in first if e.object} == {"keep", "gone"}
    # The next watch request gets 410 Gone: the watch re-lists and reports what changed.
    fake_kube.faults.fail(410, path=r"watch=true", message="too old resource version")
    backend.delete("IPPool", "gone")
    keep = backend.get("IPPool", "keep")
    keep.spec.disabled = True
    backend.update(keep)
    changes = collect(events, 2)
    assert sorted((e.type, e.object.metadata.name) for e in changes if e.object) == [
        ("DELETED", "gone"),
        ("MODIFIED", "keep"),
    ]


# -- retries, rate limiting ------------------------------------------------------------------------


def test_get_retries_503_with_backoff(fake_kube: FakeKubeAPIServer) -> None:
    backend, sleeps = backend_for(fake_kube, retry_policy=RetryPolicy(base_delay=0.2, max_delay=1.0))
    backend.create(pool("p1", "10.1.0.0/24"))
    fault = fake_kube.faults.fail(503, method="GET", path=r"/ippools/p1", times=3)
    assert backend.get("IPPool", "p1").metadata.name == "p1"
    assert fault.hits == 3
    # random() is 0.5: half of 0.2, 0.4, 0.8 (exponential, capped at 1.0)
    assert sleeps == pytest.approx([0.1, 0.2, 0.4])


def test_get_gives_up_after_max_attempts(fake_kube: FakeKubeAPIServer) -> None:
    backend, sleeps = backend_for(fake_kube, retry_policy=RetryPolicy(max_attempts=3, base_delay=1, max_delay=1.5))
    fault = fake_kube.faults.fail(503, method="GET", path=r"/ippools/p1", times=None)
    with pytest.raises(DatastoreError, match="currently unable to handle the request") as info:
        backend.get("IPPool", "p1")
    assert info.value.code == 503  # type: ignore[attr-defined]
    assert fault.hits == 3 and sleeps == pytest.approx([0.5, 0.75])  # capped at max_delay


def test_429_honours_retry_after_even_for_create(fake_kube: FakeKubeAPIServer) -> None:
    backend, sleeps = backend_for(fake_kube)
    fault = fake_kube.faults.fail(429, method="POST", retry_after=3, times=2)
    backend.create(pool("p1", "10.1.0.0/24"))
    assert fault.hits == 2 and sleeps == [3.0, 3.0]
    assert len(fake_kube.objects("ippools")) == 1


def test_get_retries_dropped_connections(fake_kube: FakeKubeAPIServer) -> None:
    backend, sleeps = backend_for(fake_kube)
    backend.create(pool("p1", "10.1.0.0/24"))
    fault = fake_kube.faults.drop(method="GET", path=r"/ippools", times=2)
    assert len(backend.list("IPPool").items) == 1
    assert fault.hits == 2 and len(sleeps) == 2


def test_create_not_repeated_blindly_when_it_did_not_happen(fake_kube: FakeKubeAPIServer) -> None:
    backend, sleeps = backend_for(fake_kube)
    fault = fake_kube.faults.drop(method="POST")
    created = backend.create(pool("p1", "10.1.0.0/24"))
    assert fault.hits == 1 and len(sleeps) == 1
    posts = [t for m, t in fake_kube.requests if m == "POST"]
    gets = [t for m, t in fake_kube.requests if m == "GET" and t.endswith("/ippools/p1")]
    assert len(posts) == 2 and len(gets) == 1  # read back (absent), then sent again
    assert created.metadata.name == "p1" and len(fake_kube.objects("ippools")) == 1


def test_create_whose_answer_was_lost_is_a_success(fake_kube: FakeKubeAPIServer) -> None:
    backend, sleeps = backend_for(fake_kube)
    ours = pool("p1", "10.1.0.0/24")
    fake_kube.add(to_crd(ours))  # as if our POST had been applied and only the answer lost
    fake_kube.faults.drop(method="POST")
    created = backend.create(ours)
    assert created.metadata.name == "p1" and sleeps == []
    assert len([1 for m, _ in fake_kube.requests if m == "POST"]) == 1


def test_create_after_lost_answer_with_other_content_is_already_exists(fake_kube: FakeKubeAPIServer) -> None:
    backend, _ = backend_for(fake_kube)
    fake_kube.add(to_crd(pool("p1", "10.9.0.0/24")))
    fake_kube.faults.fail(504, method="POST")
    with pytest.raises(ResourceAlreadyExists, match=r"IPPool\(p1\)"):
        backend.create(pool("p1", "10.1.0.0/24"))


def test_update_after_connection_error_is_reconciled(fake_kube: FakeKubeAPIServer) -> None:
    backend, _ = backend_for(fake_kube)
    p1 = backend.create(pool("p1", "10.1.0.0/24"))
    p1.spec.disabled = True
    fake_kube.faults.drop(method="PUT")
    updated = backend.update(p1)
    assert updated.spec.disabled is True
    assert len([1 for m, _ in fake_kube.requests if m == "PUT"]) == 2
    assert fake_kube.objects("ippools")[0]["spec"]["disabled"] is True


def test_delete_retry_after_lost_answer(fake_kube: FakeKubeAPIServer) -> None:
    backend, _ = backend_for(fake_kube)
    backend.create(pool("p1", "10.1.0.0/24"))
    fake_kube.faults.fail(503, method="DELETE")
    assert backend.delete("IPPool", "p1").metadata.name == "p1"
    assert fake_kube.objects("ippools") == []


def test_every_request_passes_the_rate_limiter(fake_kube: FakeKubeAPIServer) -> None:
    clock = [0.0]
    sleeps = Sleeps()

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock[0] += seconds

    limiter = RateLimiter(10.0, 2, clock=lambda: clock[0], sleep=sleep)
    conn = KubeConnection(server=fake_kube.url)
    backend = KubernetesBackend(
        KubernetesBackend.from_connection(conn)._transport.http,
        api_group=GROUP_V1,
        rate_limiter=limiter,
        sleep=sleep,
        random=lambda: 0.0,
    )
    fake_kube.faults.fail(503, method="GET", times=1)
    backend.create(pool("p1", "10.1.0.0/24"))
    backend.get("IPPool", "p1")
    backend.list("IPPool")
    requests = len(fake_kube.requests)
    assert requests == 4  # POST, GET (503), GET, LIST
    # The burst of 2, then 1/qps apart; the retry's own backoff is 0 here (random() == 0).
    assert sleeps == pytest.approx([0.0, 0.1, 0.1])


# -- core-derived kinds ----------------------------------------------------------------------------


def seed_core(server: FakeKubeAPIServer) -> None:
    server.add({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop", "labels": {"env": "prod"}}})
    server.add({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "web", "namespace": "shop"}})
    server.add(
        {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {
                "name": "node-1",
                "labels": {"kubernetes.io/hostname": "node-1"},
                "annotations": {"projectcalico.org/IPv4Address": "10.0.0.1/24"},
            },
            "status": {"addresses": [{"type": "InternalIP", "address": "10.0.0.1"}]},
        }
    )
    server.add(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "nginx", "namespace": "shop", "labels": {"app": "web"}},
            "spec": {"nodeName": "node-1", "serviceAccountName": "web", "containers": [{"name": "c", "image": "x"}]},
            "status": {"podIP": "192.168.1.5", "podIPs": [{"ip": "192.168.1.5"}]},
        }
    )
    server.add(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "host", "namespace": "shop"},
            "spec": {"nodeName": "node-1", "hostNetwork": True, "containers": [{"name": "c", "image": "x"}]},
        }
    )
    server.add(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": "deny", "namespace": "shop"},
            "spec": {"podSelector": {}, "policyTypes": ["Ingress"]},
        }
    )


def test_core_derived_reads(kdd: KubernetesBackend, fake_kube: FakeKubeAPIServer) -> None:
    seed_core(fake_kube)
    profiles = kdd.list("Profile")
    names = [p.metadata.name for p in profiles.items]
    assert names[0] == "projectcalico-default-allow"
    assert {"kns.shop", "kns.default", "ksa.shop.web"} <= set(names)
    assert profiles.resource_version.count("/") == 1
    shop = kdd.get("Profile", "kns.shop")
    assert shop.spec.labels_to_apply["pcns.env"] == "prod"
    assert kdd.get("Profile", "ksa.shop.web").spec.labels_to_apply["pcsa.projectcalico.org/name"] == "web"
    assert kdd.get("Profile", "projectcalico-default-allow").metadata.resource_version == "1"
    with pytest.raises(ResourceNotFound, match=r"Profile\(kns.nope\)"):
        kdd.get("Profile", "kns.nope")

    weps = kdd.list("WorkloadEndpoint", "shop").items
    assert [w.metadata.name for w in weps] == ["node--1-k8s-nginx-eth0"]  # the host-networked pod is not shown
    wep = kdd.get("WorkloadEndpoint", "node--1-k8s-nginx-eth0", "shop")
    assert wep.spec.ip_networks == ["192.168.1.5/32"] and wep.metadata.labels["app"] == "web"
    assert kdd.list("WorkloadEndpoint", label_selector="app=web").items[0].metadata.name == wep.metadata.name
    with pytest.raises(ResourceNotFound, match="malformed WorkloadEndpoint name"):
        kdd.get("WorkloadEndpoint", "nginx", "shop")

    [node] = kdd.list("Node").items
    assert node.metadata.name == "node-1" and node.spec.bgp.ipv4_address == "10.0.0.1/24"
    assert kdd.get("Node", "node-1").metadata.uid == fake_kube.objects("nodes")[0]["metadata"]["uid"]

    [knp] = kdd.list("KubernetesNetworkPolicy", "shop").items
    assert knp.metadata.name == "deny" and knp.spec.tier == "default"


def test_core_derived_writes_are_not_supported(kdd: KubernetesBackend, fake_kube: FakeKubeAPIServer) -> None:
    seed_core(fake_kube)
    profile = kdd.get("Profile", "kns.default")
    with pytest.raises(OperationNotSupported, match=r"^operation Create is not supported on Profile\(kns.default\)$"):
        kdd.create(profile)
    node = kdd.get("Node", "node-1")
    with pytest.raises(OperationNotSupported, match=r"operation Update is not supported on Node\(node-1\)"):
        kdd.update(node)
    with pytest.raises(
        OperationNotSupported,
        match=r"operation Delete is not supported on WorkloadEndpoint\(shop/node--1-k8s-nginx-eth0\)",
    ):
        kdd.delete("WorkloadEndpoint", "node--1-k8s-nginx-eth0", "shop")
    with pytest.raises(OperationNotSupported):
        kdd.watch("Profile")
    with pytest.raises(OperationNotSupported):
        kdd.get("NoSuchKind", "x")


def test_watch_core_kind(kdd: KubernetesBackend, fake_kube: FakeKubeAPIServer) -> None:
    seed_core(fake_kube)
    start = kdd.list("Node").resource_version
    later(lambda: fake_kube.add({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-2"}}))
    [event] = collect(kdd.watch("Node", resource_version=start, timeout=5), 1)
    assert event.type == "ADDED" and event.object is not None and event.object.metadata.name == "node-2"


# -- configuration, secrets ------------------------------------------------------------------------

TOKEN = "s3cr3t-t0ken-value"


@pytest.mark.fake_kube(token=TOKEN)
def test_from_config_and_no_secret_in_logs(fake_kube: FakeKubeAPIServer, caplog: pytest.LogCaptureFixture) -> None:
    config = load_config_from_bytes(
        f"apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nspec:\n"
        f"  datastoreType: kubernetes\n  kubeconfig: {fake_kube.kubeconfig_path}\n"
        f"  k8sClientQPS: 7\n  k8sClientBurst: 3\n",
        env={},
    )
    with caplog.at_level(logging.DEBUG), KubernetesBackend.from_config(config) as backend:
        assert backend._transport.limiter.qps == 7.0 and backend._transport.limiter.burst == 3
        backend.create(pool("p1", "10.1.0.0/24"))
        backend.get("IPPool", "p1")
        backend.list("IPPool")
        collect(backend.watch("IPPool", timeout=2), 1)
        backend.delete("IPPool", "p1")
        text = repr(backend)
    assert fake_kube.objects("ippools") == []
    assert TOKEN not in text and TOKEN not in repr(config)
    assert caplog.records and TOKEN not in caplog.text
    assert all(TOKEN not in str(r.args) for r in caplog.records)


@pytest.mark.fake_kube(token=TOKEN)
def test_explicit_token_and_unauthorized(fake_kube: FakeKubeAPIServer, caplog: pytest.LogCaptureFixture) -> None:
    config = load_config_from_bytes(
        "apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nspec:\n  datastoreType: kubernetes\n"
        f"  k8sAPIEndpoint: {fake_kube.url}\n  k8sAPIToken: {TOKEN}\n  calicoAPIGroup: crd.projectcalico.org/v1\n",
        env={},
    )
    with KubernetesBackend.from_config(config) as backend:
        assert backend.list("IPPool").items == []
    wrong = KubeConnection(server=fake_kube.url, bearer_token="wrong-" + TOKEN)
    with caplog.at_level(logging.DEBUG), KubernetesBackend.from_connection(wrong, api_group=GROUP_V1) as backend:
        with pytest.raises(DatastoreError, match=r"^connection is unauthorized: Unauthorized") as info:
            backend.get("IPPool", "p1")
        assert TOKEN not in repr(backend)
    assert TOKEN not in str(info.value) and TOKEN not in caplog.text


def test_from_config_rejects_etcd() -> None:
    config = load_config_from_bytes(
        "apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nspec:\n"
        "  datastoreType: etcdv3\n  etcdEndpoints: http://127.0.0.1:2379\n",
        env={},
    )
    with pytest.raises(ConfigError, match="not 'kubernetes'"):
        KubernetesBackend.from_config(config)


def test_urllib3_retries_are_off(fake_kube: FakeKubeAPIServer) -> None:
    backend, _ = backend_for(fake_kube, retry_policy=RetryPolicy(max_attempts=1))
    assert backend._transport.http.pool_manager.connection_pool_kw["retries"].total is False  # urllib3's Retry(False)
    fault = fake_kube.faults.fail(503, method="GET", path=r"/ippools/p1", retry_after=1, times=5)
    with pytest.raises(DatastoreError):
        backend.get("IPPool", "p1")
    assert fault.hits == 1  # nobody but calicopy's policy retries


def test_importing_calicopy_does_not_import_kubernetes() -> None:
    code = "import sys, calicopy, calicopy.kdd, calicopy.backends; print('kubernetes' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_disabled_tls_verification_is_never_silent(
    fake_kube: FakeKubeAPIServer, caplog: pytest.LogCaptureFixture
) -> None:
    insecure = KubeConnection(server=fake_kube.url, insecure_skip_tls_verify=True)
    with caplog.at_level(logging.WARNING):
        for _ in range(2):
            with KubernetesBackend.from_connection(insecure, api_group=GROUP_V1, sleep=Sleeps()) as backend:
                backend.list("IPPool")
                backend.list("IPPool")
    warnings = [r for r in caplog.records if "verification" in r.getMessage()]
    assert len(warnings) == 2  # once per backend (per Client), not per request
    assert all(r.levelno == logging.WARNING for r in warnings)
    assert fake_kube.url.split("//")[1] in warnings[0].getMessage()
    caplog.clear()
    with (
        caplog.at_level(logging.WARNING),
        KubernetesBackend.from_connection(KubeConnection(server=fake_kube.url), api_group=GROUP_V1) as backend,
    ):
        backend.list("IPPool")
    assert not [r for r in caplog.records if "verification" in r.getMessage()]


# -- deadlines and watch backoff (injected clock: nothing waits) -------------------------------------


class Clock:
    """A clock that moves only when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def clocked_backend(server: FakeKubeAPIServer, **kwargs: Any) -> tuple[KubernetesBackend, Clock]:
    clock = Clock()
    conn = KubeConnection(server=server.url)
    kwargs.setdefault("api_group", GROUP_V1)
    backend = KubernetesBackend.from_connection(conn, sleep=clock.sleep, random=lambda: 0.5, clock=clock, **kwargs)
    return backend, clock


def test_retry_after_3600_fails_the_call_at_once(fake_kube: FakeKubeAPIServer) -> None:
    backend, clock = clocked_backend(fake_kube)
    fault = fake_kube.faults.fail(503, method="GET", path=r"/ippools/p1", retry_after=3600, times=None)
    with pytest.raises(DatastoreError) as info:
        backend.get("IPPool", "p1")
    assert info.value.code == 503  # type: ignore[attr-defined]
    assert fault.hits == 1 and clock.sleeps == []


def test_retries_stop_at_the_policy_deadline(fake_kube: FakeKubeAPIServer) -> None:
    policy = RetryPolicy(max_attempts=50, base_delay=1.0, max_delay=4.0, deadline=10.0)
    backend, clock = clocked_backend(fake_kube, retry_policy=policy)
    fault = fake_kube.faults.fail(503, method="GET", path=r"/ippools", times=None)
    with pytest.raises(DatastoreError):
        backend.list("IPPool")
    # random() is 0.5: 0.5, 1, 2, 2, 2, 2 (capped at 4 * 0.5): 9.5 s; 2 more would pass 10 s
    assert clock.sleeps == pytest.approx([0.5, 1.0, 2.0, 2.0, 2.0, 2.0])
    assert fault.hits == 7


def test_watch_streams_that_end_at_once_back_off(fake_kube: FakeKubeAPIServer) -> None:
    backend, clock = clocked_backend(fake_kube)
    fake_kube.faults.end_watch(after_events=0, times=None)  # every stream ends before any event
    start = backend.list("IPPool").resource_version
    events = list(backend.watch("IPPool", resource_version=start, timeout=20))
    assert events == []
    watches = [t for _, t in fake_kube.requests if "watch=true" in t]
    # Exponential backoff (0.1, 0.2, ... capped at 5 s) instead of ~80 re-opens a second.
    assert 5 <= len(watches) <= 12
    assert clock.sleeps[:4] == pytest.approx([0.1, 0.2, 0.4, 0.8])
    assert all(f"resourceVersion={start}" in t for t in watches)


def test_watch_backoff_resets_after_events(fake_kube: FakeKubeAPIServer) -> None:
    backend, clock = clocked_backend(fake_kube)
    backend.create(pool("p0", "10.0.0.0/24"))
    start = backend.list("IPPool").resource_version
    backend.create(pool("p1", "10.1.0.0/24"))
    backend.create(pool("p2", "10.2.0.0/24"))
    fake_kube.faults.end_watch(after_events=1, times=2)  # two streams with one event each
    events = collect(backend.watch("IPPool", resource_version=start, timeout=20), 2)
    assert [e.object.metadata.name for e in events if e.object] == ["p1", "p2"]
    assert clock.sleeps == []  # a stream that delivered something is re-opened at once


def test_lists_pause_the_cyclic_collector(kdd: KubernetesBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    kdd.create(pool("p1", "10.1.0.0/24"))
    states: list[bool] = []
    real_convert = base_module.convert_item

    def convert(source: Any, raw: Any) -> Any:
        states.append(gc.isenabled())
        return real_convert(source, raw)

    monkeypatch.setattr(base_module, "convert_item", convert)
    assert gc.isenabled()
    assert [p.metadata.name for p in kdd.list("IPPool").items] == ["p1"]
    assert states == [False] and gc.isenabled()  # off while converting, back on after
    with base_module.gc_paused():
        with base_module.gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # nested: the outer pause still holds
    assert gc.isenabled()
    gc.disable()
    try:
        with base_module.gc_paused():
            pass
        assert not gc.isenabled()  # a collector the caller switched off stays off
    finally:
        gc.enable()
