"""The Client's calicoctl semantics, as a contract over backends.

Every test takes the ``client`` fixture, parametrised over the datastores the contract runs on:

* ``memory``: :meth:`Client.in_memory` (etcd-like semantics on the shared store engine);
* ``etcd``: :class:`~calicopy.etcd.backend.EtcdBackend` (``datastoreType: etcdv3``) on a real etcd
  started once per session (``calicopy.testing.etcd``), emptied before each test;
* ``kubernetes``: :class:`~calicopy.kdd.backend.KubernetesBackend` (``datastoreType: kubernetes``,
  crd.projectcalico.org/v1) on a :class:`~calicopy.testing.FakeKubeAPIServer` started per test;
  when ``CALICOPY_TEST_KUBECONFIG`` names a kubeconfig, on that real cluster instead (it needs
  Calico's CRDs; the test CIDRs are 10.1.0.0/16 .. 10.9.0.0/16 and must not overlap its pools).

Tests that need more than the client take ``ds`` (:class:`Datastore`): unique names
(``ds.n("pool1")``; a per-test prefix on the kubernetes param, none on memory), namespaces that
exist (``ds.ns("a")``: Kubernetes refuses objects in a missing namespace), seeding objects
through the backend, ``ds.mine()`` to ignore a real cluster's own objects, and ``ds.fake_only()``
for tests that need an empty or modifiable cluster (ClusterInformation, the static tiers).  On a
real cluster everything a test created is deleted afterwards.

Where the Kubernetes datastore legitimately differs from the in-memory one (as libcalico-go's KDD
differs from its etcdv3 backend) the expectation depends on ``ds.kdd`` and a comment says why.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest

from calicopy.backends.base import Backend
from calicopy.bulk import ApplyOutcome
from calicopy.calicoctl import label_error, label_message
from calicopy.client import Client, version_supported
from calicopy.errors import (
    LabelError,
    OperationNotSupported,
    ResourceAlreadyExists,
    ResourceConflict,
    ResourceNotFound,
    SelectorError,
    UnknownKindError,
    ValidationError,
    VersionMismatchError,
)
from calicopy.kdd.kinds import is_custom_resource
from calicopy.resources.generated.bgppeer import BGPPeer
from calicopy.resources.generated.blockaffinity import BlockAffinity
from calicopy.resources.generated.clusterinfo import ClusterInformation
from calicopy.resources.generated.globalnetworkpolicy import GlobalNetworkPolicy
from calicopy.resources.generated.globalnetworkset import GlobalNetworkSet
from calicopy.resources.generated.ipamblock import IPAMBlock
from calicopy.resources.generated.ippool import IPPool
from calicopy.resources.generated.kubecontrollersconfig import KubeControllersConfiguration
from calicopy.resources.generated.networkpolicy import NetworkPolicy
from calicopy.resources.generated.profile import Profile
from calicopy.resources.generated.tier import Tier
from calicopy.resources.meta import Resource
from calicopy.resources.registry import KINDS
from calicopy.testing import FakeKubeAPIServer
from calicopy.testing.etcd import EtcdServer

REAL_KUBECONFIG = os.environ.get("CALICOPY_TEST_KUBECONFIG")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_R = TypeVar("_R", bound=Resource)


class Sleeps:
    """An injected sleep that records instead of waiting."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@dataclass
class Datastore:
    """The datastore behind ``client`` and what tests need to stay backend-independent."""

    param: str  # "memory", "etcd" or "kubernetes"
    client: Client
    server: FakeKubeAPIServer | None = None  # the fake API server (kubernetes param, no real cluster)
    etcd: EtcdServer | None = None  # the etcd param's server
    kubeconfig: str = ""  # the kubeconfig the Kubernetes client reads
    prefix: str = ""
    namespaces: list[str] = field(default_factory=list)
    seeded: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, name, namespace)

    @property
    def kdd(self) -> bool:
        return self.param == "kubernetes"

    @property
    def real(self) -> bool:
        return self.kdd and self.server is None

    def n(self, name: str) -> str:
        """A name unique to this test (cluster-scoped objects of a real cluster are shared)."""
        return self.prefix + name

    def fake_only(self, why: str) -> None:
        if self.real:
            pytest.skip(f"not on a real cluster: {why}")

    def mine(self, items: Iterable[_R]) -> list[_R]:
        """The items this test made (by name prefix); a real cluster has objects of its own."""
        return [r for r in items if r.metadata.name.startswith(self.prefix)]

    def ns(self, name: str) -> str:
        """A namespace that exists (Kubernetes refuses namespaced objects in a missing namespace)."""
        namespace = self.n(name)
        if not self.kdd or namespace in self.namespaces:
            return namespace
        body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
        if self.server is not None:
            self.server.add(body)
        else:
            with self._core_api() as core:
                core.create_namespace(body)
        self.namespaces.append(namespace)
        return namespace

    def seed(self, resource: _R) -> _R:
        """Store ``resource`` as it is through the backend (bypassing the Client), as existing data."""
        stored = self.client.backend.create(resource)
        self.seeded.append((resource.KIND, resource.metadata.name, resource.metadata.namespace))
        return stored  # type: ignore[return-value]

    def another_client(self) -> Client:
        """A second Client on the same datastore (as another calicoctl process would be)."""
        if self.kdd:
            return _kubernetes_client(self.kubeconfig, Sleeps())
        if self.etcd is not None:
            return Client(self.etcd.config(), sleep=Sleeps())
        from calicopy.backends.memory import MemoryBackend

        assert isinstance(self.client.backend, MemoryBackend)
        return Client(backend=MemoryBackend(store=self.client.backend.store), sleep=Sleeps())

    def write_requests(self) -> int:
        """Write requests the fake API server has received so far."""
        assert self.server is not None
        return sum(1 for method, _ in list(self.server.requests) if method in WRITE_METHODS)

    @contextlib.contextmanager
    def _core_api(self) -> Iterator[Any]:
        from kubernetes import client, config

        api = config.new_client_from_config(config_file=self.kubeconfig)
        try:
            yield client.CoreV1Api(api)
        finally:
            api.close()

    def cleanup(self) -> None:
        """Delete what the test created on a real cluster: prefixed objects, seeded ones, namespaces."""
        backend = self.client.backend
        for kind, name, namespace in reversed(self.seeded):
            with contextlib.suppress(Exception):
                backend.delete(kind, name, namespace or None)
        for info in KINDS.values():
            if not is_custom_resource(info.kind) or info.kind == "ClusterInformation":
                continue
            try:
                items = backend.list(info.kind).items
            except Exception:
                continue
            for item in items:
                meta = item.metadata
                if meta.name.startswith(self.prefix) or meta.namespace in self.namespaces:
                    with contextlib.suppress(Exception):
                        backend.delete(info.kind, meta.name, meta.namespace or None)
        if self.namespaces:
            with self._core_api() as core:
                for namespace in self.namespaces:
                    with contextlib.suppress(Exception):
                        core.delete_namespace(namespace)


def _kubernetes_client(kubeconfig: str, sleeps: Sleeps) -> Client:
    """A Client as calicoctl builds it for ``datastoreType: kubernetes``.

    The backend gets its own recording sleep (retry backoff, rate limiter), so nothing waits and
    the Client's ``sleeps`` sees only the Client's own pauses.
    """
    from calicopy.config import load_config_from_bytes
    from calicopy.kdd.backend import KubernetesBackend

    config = load_config_from_bytes(
        "apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\n"
        f"spec:\n  datastoreType: kubernetes\n  kubeconfig: {kubeconfig}\n",
        env={},
    )
    backend = KubernetesBackend.from_config(config, env={}, sleep=Sleeps(), random=lambda: 0.5)
    return Client(config, backend=backend, sleep=sleeps)


@pytest.fixture(params=["memory", "etcd", "kubernetes"])
def ds(request: pytest.FixtureRequest, sleeps: Sleeps) -> Iterator[Datastore]:
    if request.param == "memory":
        with Client.in_memory(sleep=sleeps) as c:
            yield Datastore("memory", c)
        return
    if request.param == "etcd":
        etcd: EtcdServer = request.getfixturevalue("etcd")
        with Client(etcd.config(), sleep=sleeps) as c:
            yield Datastore("etcd", c, etcd=etcd)
        return
    prefix = "t" + uuid.uuid4().hex[:6] + "-"
    if REAL_KUBECONFIG:
        with _kubernetes_client(REAL_KUBECONFIG, sleeps) as c:
            store = Datastore("kubernetes", c, kubeconfig=REAL_KUBECONFIG, prefix=prefix)
            try:
                yield store
            finally:
                store.cleanup()
        return
    with FakeKubeAPIServer() as server:
        assert server.kubeconfig_path is not None
        with _kubernetes_client(str(server.kubeconfig_path), sleeps) as c:
            yield Datastore("kubernetes", c, server=server, kubeconfig=str(server.kubeconfig_path), prefix=prefix)


@pytest.fixture
def client(ds: Datastore) -> Client:
    return ds.client


def pool(name: str = "pool1", cidr: str = "10.1.0.0/16", **spec: object) -> IPPool:
    return IPPool(metadata={"name": name}, spec={"cidr": cidr, **spec})


def gnp(name: str = "gnp1", **spec: object) -> GlobalNetworkPolicy:
    return GlobalNetworkPolicy(metadata={"name": name}, spec={"selector": "all()", **spec})


def not_found_cause(ds: Datastore, plural: str, name: str) -> str:
    """What follows ``with error: `` in a ResourceNotFound.

    libcalico-go's etcdv3 backend has no underlying error (``<nil>``); its KDD backend wraps the
    API server's NotFound (``K8sErrorToCalico``), whose message names the custom resource.
    """
    return f'{plural}.crd.projectcalico.org "{name}" not found' if ds.kdd else "<nil>"


# -- create -------------------------------------------------------------------------------------


def test_create_returns_stored_resource_with_defaults(ds: Datastore, client: Client) -> None:
    stored = client.create(pool(ds.n("pool1")))
    meta = stored.metadata
    assert meta.uid and meta.resource_version and meta.creation_timestamp
    assert stored.spec.block_size == 26
    assert stored.spec.ipip_mode == "Never" and stored.spec.vxlan_mode == "Never"
    assert stored.spec.node_selector == "all()"
    assert client.get("IPPool", ds.n("pool1")) == stored


def test_create_stamps_creation_time_like_clientv3(ds: Datastore, client: Client) -> None:
    # clientv3 resources.go Create sets creationTimestamp (and a uid) before storing; in the KDD
    # the timestamp lives in the projectcalico.org/metadata annotation, the uid is the server's.
    stored = client.create(pool(ds.n("pool1")))
    if ds.server is not None and ds.kdd:
        (raw,) = [o for o in ds.server.objects("ippools") if o["metadata"]["name"] == ds.n("pool1")]
        annotation = raw["metadata"]["annotations"]["projectcalico.org/metadata"]
        assert annotation == '{"creationTimestamp":"' + str(stored.metadata.creation_timestamp) + '"}'
        from calicopy.kdd import convert_uid

        assert stored.metadata.uid == convert_uid(raw["metadata"]["uid"])


def test_create_refuses_resource_version(ds: Datastore, client: Client) -> None:
    res = IPPool(metadata={"name": ds.n("p"), "resourceVersion": "12"}, spec={"cidr": "10.1.0.0/16"})
    with pytest.raises(ValidationError) as err:
        client.create(res)
    assert err.value.fields[0].path == "metadata.resourceVersion"
    assert "metadata.resourceVersion = '12' (field must not be set for a Create request)" in str(err.value)


def test_create_strips_metadata(ds: Datastore, client: Client) -> None:
    res = IPPool(
        metadata={
            "name": ds.n("p"),
            "uid": "abc",
            "labels": {"a": "b"},
            "annotations": {"x": "y"},
            "creationTimestamp": "2001-01-01T00:00:00Z",
            "finalizers": ["f"],
        },
        spec={"cidr": "10.1.0.0/16"},
    )
    stored = client.create(res)
    assert stored.metadata.uid != "abc"
    assert stored.metadata.creation_timestamp != "2001-01-01T00:00:00Z"
    assert stored.metadata.finalizers == []
    assert stored.metadata.labels == {"a": "b"} and stored.metadata.annotations == {"x": "y"}


def test_create_existing(ds: Datastore, client: Client) -> None:
    client.create(pool(ds.n("pool1")))
    with pytest.raises(ResourceAlreadyExists, match=rf"^resource already exists: IPPool\({ds.n('pool1')}\)"):
        client.create(pool(ds.n("pool1")))


def test_create_namespace_defaults_to_default(ds: Datastore, client: Client) -> None:
    np = NetworkPolicy(metadata={"name": ds.n("np1")}, spec={"selector": "all()"})
    stored = client.create(np)
    assert stored.metadata.namespace == "default"
    assert client.get("NetworkPolicy", ds.n("np1")).metadata.namespace == "default"
    assert client.get("networkpolicy", ds.n("np1"), namespace="default") == stored


def test_namespace_on_cluster_scoped_kind(client: Client) -> None:
    with pytest.raises(ValidationError, match="IPPool is not namespaced"):
        client.get("IPPool", "p", namespace="ns")


def test_pool_overlap(ds: Datastore, client: Client) -> None:
    a, b = ds.n("a"), ds.n("b")
    client.create(pool(a, "10.1.0.0/16"))
    with pytest.raises(ValidationError, match=rf"IPPool\({b}\) CIDR overlaps with IPPool\({a}\) CIDR 10.1.0.0/16"):
        client.create(pool(b, "10.1.2.0/24"))


def empty_block(ds: Datastore, name: str, cidr: str, **spec: Any) -> IPAMBlock:
    """An IPAMBlock as Calico stores it: one ``null`` allocation per free address."""
    block = IPAMBlock.from_storage({"metadata": {"name": name}, "spec": {"cidr": cidr, **spec}})
    return ds.seed(block)


def test_pool_block_size_conflicting_with_existing_blocks(ds: Datastore, client: Client) -> None:
    empty_block(ds, "10-9-0-0-28", "10.9.0.0/28")
    with pytest.raises(ValidationError, match="conflicts with existing allocations"):
        client.create(pool(ds.n("p"), "10.9.0.0/16"))


def test_pool_strictly_masked(ds: Datastore, client: Client) -> None:
    with pytest.raises(ValidationError, match="not strictly masked"):
        client.create(pool(ds.n("p"), "10.1.0.1/16"))


def test_policy_tier_must_exist(ds: Datastore, client: Client) -> None:
    sec = ds.n("sec")
    with pytest.raises(ResourceNotFound, match=rf"resource does not exist: Tier\({sec}\) with error: <nil>"):
        client.create(gnp(ds.n("gnp1"), tier=sec))
    client.create(Tier(metadata={"name": sec}, spec={"order": 10}))
    stored = client.create(gnp(ds.n("gnp1"), tier=sec))
    assert stored.metadata.labels["projectcalico.org/tier"] == sec
    assert stored.spec.types == ["Ingress"]


def test_a_missing_tier_is_reported_before_an_existing_policy(ds: Datastore, client: Client) -> None:
    # The tier check is the create's own (a compare of etcd's create transaction, a read elsewhere):
    # it still comes first, as libcalico-go's read before the create does.
    sec = ds.n("sec")
    client.create(Tier(metadata={"name": sec}, spec={"order": 10}))
    client.create(gnp(ds.n("gnp1"), tier=sec))
    with pytest.raises(ResourceAlreadyExists):
        client.create(gnp(ds.n("gnp1"), tier=sec))
    client.delete("GlobalNetworkPolicy", ds.n("gnp1"))
    client.create(gnp(ds.n("gnp1"), tier=sec))
    with contextlib.suppress(OperationNotSupported):  # a non-empty tier cannot be deleted through the client
        client.delete("Tier", sec)
    client.backend.delete("Tier", sec)
    with pytest.raises(ResourceNotFound, match=rf"^resource does not exist: Tier\({sec}\) with error: <nil>$") as info:
        client.create(gnp(ds.n("gnp1"), tier=sec))
    assert type(info.value) is ResourceNotFound and (info.value.kind, info.value.name) == ("Tier", sec)


def test_policy_in_default_tier_gets_label_and_tier(ds: Datastore, client: Client) -> None:
    stored = client.create(gnp(ds.n("gnp1")))
    assert stored.spec.tier == "default"
    assert stored.metadata.labels == {"projectcalico.org/tier": "default"}


def test_kcc_name_must_be_default(client: Client) -> None:
    with pytest.raises(ValidationError, match='name other than "default"'):
        client.create(KubeControllersConfiguration(metadata={"name": "other"}))


def test_bgppeer_filters_must_exist(ds: Datastore, client: Client) -> None:
    peer = BGPPeer(
        metadata={"name": ds.n("peer")}, spec={"peerIP": "10.0.0.1", "asNumber": 64512, "filters": [ds.n("f1")]}
    )
    with pytest.raises(ValidationError, match=r"BGPFilter\(s\) not found"):
        client.create(peer)


def test_default_allow_profile(ds: Datastore, client: Client) -> None:
    assert "projectcalico-default-allow" in [p.metadata.name for p in client.list("Profile")]
    assert client.get("Profile", "projectcalico-default-allow").spec.ingress[0].action == "Allow"
    with pytest.raises(ResourceAlreadyExists, match="is default provided by Calico"):
        client.create(Profile(metadata={"name": "projectcalico-default-allow"}))
    with pytest.raises(OperationNotSupported, match="cannot be updated"):
        client.apply(Profile(metadata={"name": "projectcalico-default-allow"}))
    with pytest.raises(LabelError, match="not changed") as err:  # the cause is kept
        client.label("Profile", "projectcalico-default-allow", "k=v")
    assert isinstance(err.value.__cause__, OperationNotSupported) and "cannot be updated" in str(err.value.__cause__)
    with pytest.raises(OperationNotSupported, match="cannot be deleted"):
        client.delete("Profile", "projectcalico-default-allow")


def test_profiles_are_read_only_in_kdd(ds: Datastore, client: Client) -> None:
    """Profiles: stored objects in etcd; in KDD derived from Namespaces and ServiceAccounts, read-only
    (libcalico-go's ``k8s/resources/profile.go`` refuses Create, Update and Delete)."""
    namespace = ds.ns("team")
    profile = Profile(metadata={"name": ds.n("prof")}, spec={"labelsToApply": {"team": "a"}})
    if not ds.kdd:
        client.create(profile)
        assert client.patch("Profile", ds.n("prof"), {"spec": {"labelsToApply": {"team": "b"}}}).spec.labels_to_apply
        assert client.delete("Profile", ds.n("prof")).metadata.name == ds.n("prof")
        return
    with pytest.raises(
        OperationNotSupported, match=rf"^operation Create is not supported on Profile\({ds.n('prof')}\)"
    ):
        client.create(profile)
    derived = client.get("Profile", f"kns.{namespace}")
    assert derived.metadata.name == f"kns.{namespace}"
    assert f"kns.{namespace}" in [p.metadata.name for p in client.list("Profile")]
    with pytest.raises(LabelError, match="not changed") as err:
        client.label("Profile", f"kns.{namespace}", "k=v")
    assert re.match(r"^operation Update is not supported on Profile\(kns\.", str(err.value.__cause__))
    with pytest.raises(OperationNotSupported, match=r"^operation Delete is not supported on Profile\(kns\."):
        client.delete("Profile", f"kns.{namespace}")


def test_cluster_information_writes_refused(client: Client) -> None:
    info = ClusterInformation(metadata={"name": "default"})
    with pytest.raises(
        OperationNotSupported, match=r"^operation create or apply is not supported on ClusterInformation$"
    ):
        client.create(info)
    with pytest.raises(
        OperationNotSupported, match=r"^operation apply is not supported on ClusterInformation: resource"
    ):
        client.apply(info)
    with pytest.raises(OperationNotSupported, match=r"^operation apply or replace is not supported"):
        client.replace(info)
    with pytest.raises(OperationNotSupported, match=r"^operation delete is not supported on ClusterInformation$"):
        client.delete("ClusterInformation", "default")


def test_knp_prefix_refused(ds: Datastore, client: Client) -> None:
    np = NetworkPolicy(metadata={"name": "knp.default.x", "namespace": ds.ns("ns")}, spec={"selector": "all()"})
    with pytest.raises(OperationNotSupported, match="kubernetes network policies must be managed"):
        client.create(np)


# -- EnsureInitialized ----------------------------------------------------------------------------


def test_ensure_initialized_on_first_write(ds: Datastore, client: Client) -> None:
    ds.fake_only("needs a datastore without ClusterInformation and tiers")
    with pytest.raises(ResourceNotFound):
        client.get("ClusterInformation", "default")
    assert client.list("Tier") == []
    client.create(pool(ds.n("pool1")))
    info = client.get("ClusterInformation", "default")
    assert isinstance(info, ClusterInformation)
    assert len(info.spec.cluster_guid) == 32 and int(info.spec.cluster_guid, 16) >= 0
    assert info.spec.datastore_ready is True
    assert info.spec.calico_version == ""
    # clientv3's EnsureInitialized adds "kdd" to the cluster type for datastoreType: kubernetes.
    assert info.spec.cluster_type == ("kdd" if ds.kdd else "")
    tiers = {t.metadata.name: t for t in client.list("Tier")}
    assert set(tiers) == {"default", "kube-admin", "kube-baseline"}
    assert (tiers["default"].spec.default_action, tiers["default"].spec.order) == ("Deny", 1e6)
    assert (tiers["kube-admin"].spec.default_action, tiers["kube-admin"].spec.order) == ("Pass", 1000)
    assert (tiers["kube-baseline"].spec.default_action, tiers["kube-baseline"].spec.order) == ("Pass", 1e7)
    # Listed in calicoctl's order.
    assert [t.metadata.name for t in client.list("Tier")] == ["kube-admin", "default", "kube-baseline"]
    if ds.server is not None:  # stored as custom resources on the API server
        assert sorted(t["metadata"]["name"] for t in ds.server.objects("tiers")) == [
            "default",
            "kube-admin",
            "kube-baseline",
        ]
        assert [c["metadata"]["name"] for c in ds.server.objects("clusterinformations")] == ["default"]


def test_ensure_initialized_once_and_keeps_existing(ds: Datastore, client: Client) -> None:
    ds.fake_only("deletes a static tier")
    client.create(pool(ds.n("pool1")))
    guid = client.get("ClusterInformation", "default").spec.cluster_guid
    client.backend.delete("Tier", "kube-admin")
    client.create(pool(ds.n("p2"), "10.2.0.0/16"))
    assert client.get("ClusterInformation", "default").spec.cluster_guid == guid
    with pytest.raises(ResourceNotFound):  # done once per Client
        client.get("Tier", "kube-admin")
    client.ensure_initialized()  # an explicit call re-creates it and keeps the rest
    assert client.get("Tier", "kube-admin").spec.order == 1000
    assert client.get("ClusterInformation", "default").spec.cluster_guid == guid


def test_ensure_initialized_fills_missing_fields(ds: Datastore, client: Client) -> None:
    ds.fake_only("modifies ClusterInformation")
    ds.seed(ClusterInformation.from_storage({"metadata": {"name": "default"}, "spec": {"calicoVersion": "v3.30.0"}}))
    client.ensure_initialized()
    info = client.get("ClusterInformation", "default")
    assert info.spec.calico_version == "v3.30.0"
    assert info.spec.datastore_ready is True and len(info.spec.cluster_guid) == 32
    client.ensure_initialized(calico_version="v3.31.0", cluster_type="typha")
    info = client.get("ClusterInformation", "default")
    assert info.spec.calico_version == "v3.31.0"
    # In KDD the first call set "kdd" (see test_ensure_initialized_on_first_write); new types are appended.
    assert info.spec.cluster_type == ("kdd,typha" if ds.kdd else "typha")


# -- version check --------------------------------------------------------------------------------


def set_version(ds: Datastore, version: str) -> None:
    ds.fake_only("sets the cluster's ClusterInformation")
    ds.seed(ClusterInformation.from_storage({"metadata": {"name": "default"}, "spec": {"calicoVersion": version}}))


def test_version_skipped_without_cluster_information(ds: Datastore, client: Client) -> None:
    ds.fake_only("needs a datastore without ClusterInformation")
    assert client.cluster_version() is None
    client.check_version()


def test_version_skipped_when_empty(ds: Datastore, client: Client) -> None:
    ds.fake_only("needs a datastore without ClusterInformation")
    client.ensure_initialized()
    assert client.cluster_version() is None
    client.check_version()


@pytest.mark.parametrize(
    "version", ["v3.26.0", "v3.26.3", "v3.29.4", "v3.32.0", "v3.32.1", "3.32.9-rc1", "v3.30.0-0.dev-123"]
)
def test_version_supported(ds: Datastore, client: Client, version: str) -> None:
    set_version(ds, version)
    assert client.cluster_version() == version
    client.check_version()


@pytest.mark.parametrize(
    ("version", "shown"),
    [
        ("v3.25.2", "3.25.2"),
        ("v3.25.0-0.dev", "3.25.0"),
        ("v3.33.0", "3.33.0"),
        ("v3.33.1", "3.33.1"),
        ("v4.0.0", "4.0.0"),
        ("garbage", "garbage"),
    ],
)
def test_version_mismatch(ds: Datastore, client: Client, version: str, shown: str) -> None:
    set_version(ds, version)
    with pytest.raises(VersionMismatchError) as err:
        client.check_version()
    assert str(err.value) == (
        f"version mismatch.\nClient Version:   v3.32.1\nCluster Version:  {shown}\nUse --allow-version-mismatch to override"
    )
    client.check_version(allow_mismatch=True)


def test_version_supported_rule() -> None:
    assert version_supported("3.26")
    assert version_supported("3.32.1")
    assert not version_supported("3.25.9")
    assert not version_supported("3.33.0")
    assert not version_supported("3")
    assert not version_supported("")


# -- get / list / watch ---------------------------------------------------------------------------


def test_get_missing(ds: Datastore, client: Client) -> None:
    nope = ds.n("nope")
    with pytest.raises(ResourceNotFound) as err:
        client.get("IPPool", nope)
    assert (
        str(err.value) == f"resource does not exist: IPPool({nope}) with error: {not_found_cause(ds, 'ippools', nope)}"
    )
    with pytest.raises(ResourceNotFound, match=rf"NetworkPolicy\(ns1/{nope}\)"):
        client.get("NetworkPolicy", nope, namespace="ns1")


def test_aliases_and_unknown_kind(ds: Datastore, client: Client) -> None:
    client.create(pool(ds.n("pool1")))
    for alias in ("IPPool", "ippool", "ipp", "pools", "IPPOOLS", IPPool):
        assert client.get(alias, ds.n("pool1")).metadata.name == ds.n("pool1")
    with pytest.raises(UnknownKindError, match="resource type 'somekind' is not supported"):
        client.get("somekind", "x")


def test_list_namespaces_and_labels(ds: Datastore, client: Client) -> None:
    a, b = ds.ns("a"), ds.ns("b")
    for ns, name, labels in ((a, "p1", {"app": "x"}), (b, "p2", {"app": "y"}), (a, "p3", {})):
        client.create(
            NetworkPolicy(metadata={"name": ds.n(name), "namespace": ns, "labels": labels}, spec={"selector": "all()"})
        )
    names = [ds.n("p1"), ds.n("p2"), ds.n("p3")]
    assert sorted(p.metadata.name for p in ds.mine(client.list("NetworkPolicy"))) == names
    assert sorted(p.metadata.name for p in client.list("NetworkPolicy", namespace=a)) == [names[0], names[2]]
    assert [p.metadata.name for p in ds.mine(client.list("NetworkPolicy", label_selector="app=y"))] == [names[1]]
    assert [p.metadata.name for p in client.networkpolicies.list(a, label_selector="app in (x,y)")] == [names[0]]


def test_watch(ds: Datastore, client: Client) -> None:
    a, b = ds.n("a"), ds.n("b")
    client.create(pool(a, "10.1.0.0/16"))
    listed = client.list_result("IPPool")
    client.patch("IPPool", a, {"spec": {"disabled": True}})
    client.create(pool(b, "10.2.0.0/16"))
    client.delete("IPPool", b)
    events = list(client.watch("IPPool", resource_version=listed.resource_version, timeout=0.05))
    seen = [(e.type, e.object.metadata.name) for e in events if e.object and e.object.metadata.name in (a, b)]
    assert seen == [("MODIFIED", a), ("ADDED", b), ("MODIFIED", b), ("DELETED", b)]
    assert events[0].object is not None and events[0].object.spec.disabled is True
    initial = list(client.ippools.watch(timeout=0.05))
    assert [(e.type, e.object.metadata.name) for e in initial if e.object and e.object.metadata.name in (a, b)] == [
        ("ADDED", a)
    ]


# -- replace / apply --------------------------------------------------------------------------------


def test_replace_requires_existing(ds: Datastore, client: Client) -> None:
    with pytest.raises(ResourceNotFound):
        client.replace(pool(ds.n("pool1")))


def test_replace_takes_only_labels_and_annotations(ds: Datastore, client: Client) -> None:
    name = ds.n("pool1")
    created = client.create(IPPool(metadata={"name": name, "labels": {"old": "1"}}, spec={"cidr": "10.1.0.0/16"}))
    new = IPPool(
        metadata={"name": name, "uid": "bogus", "labels": {"new": "1"}},
        spec={"cidr": "10.1.0.0/16", "natOutgoing": True},
    )
    replaced = client.replace(new)
    assert replaced.metadata.uid == created.metadata.uid
    assert replaced.metadata.labels == {"new": "1"}
    assert replaced.spec.nat_outgoing is True
    assert int(replaced.metadata.resource_version) > int(created.metadata.resource_version)


def test_replace_with_stale_resource_version(ds: Datastore, client: Client) -> None:
    name = ds.n("pool1")
    created = client.create(pool(name))
    client.patch("IPPool", name, {"spec": {"natOutgoing": True}})
    stale = created.model_copy(deep=True)
    with pytest.raises(ResourceConflict) as err:
        client.replace(stale)
    assert str(err.value) == f"update conflict: IPPool({name})"
    assert any("is out of date" in note for note in getattr(err.value, "__notes__", []))
    fresh = client.get("IPPool", name)
    fresh.spec.disabled = True
    assert client.replace(fresh).spec.disabled is True


class FlakyBackend:
    """Wraps a backend: the first ``conflicts`` updates fail with a conflict."""

    def __init__(self, inner: Backend, conflicts: int) -> None:
        self.inner = inner
        self.conflicts = conflicts
        self.updates = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def update(self, resource: object) -> object:
        self.updates += 1
        if self.conflicts:
            self.conflicts -= 1
            raise ResourceConflict("update conflict: test")
        return self.inner.update(resource)  # type: ignore[arg-type]


def test_replace_retries_conflicts_without_resource_version(ds: Datastore, client: Client, sleeps: Sleeps) -> None:
    name = ds.n("pool1")
    client.create(pool(name))
    flaky = FlakyBackend(client.backend, conflicts=4)
    retrying = Client(backend=flaky, sleep=sleeps)  # type: ignore[arg-type]
    retrying.v3.initialized = True
    assert retrying.replace(pool(name, natOutgoing=True)).spec.nat_outgoing is True
    assert flaky.updates == 5 and sleeps.calls == [1.0] * 4
    flaky.conflicts = 5
    with pytest.raises(ResourceConflict):
        retrying.replace(pool(name))


def test_ippool_immutable_fields(ds: Datastore, client: Client) -> None:
    name = ds.n("pool1")
    client.create(pool(name, blockSize=27))
    with pytest.raises(ValidationError, match="IPPool CIDR cannot be modified"):
        client.replace(pool(name, cidr="10.2.0.0/16", blockSize=27))
    with pytest.raises(ValidationError, match="IPPool BlockSize cannot be modified"):
        client.apply(pool(name))  # blockSize defaults to 26 before the immutability check


def test_apply_creates_then_updates(ds: Datastore, client: Client) -> None:
    created = client.apply(pool(ds.n("pool1")))
    updated = client.apply(pool(ds.n("pool1"), natOutgoing=True))
    assert updated.metadata.uid == created.metadata.uid
    assert updated.spec.nat_outgoing is True


def test_apply_with_stale_resource_version(ds: Datastore, client: Client) -> None:
    created = client.apply(pool(ds.n("pool1")))
    client.apply(pool(ds.n("pool1"), natOutgoing=True))
    with pytest.raises(ResourceConflict):
        client.apply(created)


def test_typed_accessors(ds: Datastore, client: Client) -> None:
    client.ippools.create(
        {
            "apiVersion": "projectcalico.org/v3",
            "kind": "IPPool",
            "metadata": {"name": ds.n("p")},
            "spec": {"cidr": "10.5.0.0/16"},
        }
    )
    assert client.ippools.get(ds.n("p")).spec.cidr == "10.5.0.0/16"
    assert [p.metadata.name for p in ds.mine(client.ippools.list())] == [ds.n("p")]
    assert ds.mine(client.globalnetworkpolicies.list()) == []
    with pytest.raises(TypeError):
        client.ippools.create(gnp())
    with pytest.raises(AttributeError):
        _ = client.nosuchkinds
    assert "bgppeers" in dir(client)


# -- delete -----------------------------------------------------------------------------------------


def test_delete_returns_deleted(ds: Datastore, client: Client) -> None:
    name = ds.n("gnp1")
    created = client.create(gnp(name))
    deleted = client.delete("GlobalNetworkPolicy", name)
    assert deleted.metadata.uid == created.metadata.uid
    with pytest.raises(ResourceNotFound):
        client.get("gnp", name)
    with pytest.raises(ResourceNotFound):
        client.delete("gnp", name)


def test_delete_with_resource_version_precondition(ds: Datastore, client: Client) -> None:
    name = ds.n("gnp1")
    created = client.create(gnp(name))
    client.patch("gnp", name, {"spec": {"order": 5}})
    with pytest.raises(ResourceConflict):
        client.delete(created)
    client.delete(client.get("gnp", name))
    with pytest.raises(ResourceNotFound):
        client.get("gnp", name)


def test_tier_delete_rules(ds: Datastore, client: Client) -> None:
    client.ensure_initialized()
    for name in ("default", "kube-admin", "kube-baseline"):
        with pytest.raises(
            OperationNotSupported, match=f"^operation Delete is not supported on {name}: Cannot delete {name} tier$"
        ):
            client.delete("Tier", name)
    sec, ns = ds.n("sec"), ds.ns("ns")
    client.create(Tier(metadata={"name": sec}, spec={"order": 10}))
    client.create(
        NetworkPolicy(metadata={"name": ds.n("np"), "namespace": ns}, spec={"tier": sec, "selector": "all()"})
    )
    with pytest.raises(
        OperationNotSupported, match=rf"^operation delete is not supported on {sec}: Cannot delete a non-empty tier$"
    ):
        client.delete("Tier", sec)
    client.delete("NetworkPolicy", ds.n("np"), namespace=ns)
    assert client.delete("Tier", sec).metadata.name == sec


def test_ippool_delete_flow(ds: Datastore, client: Client, sleeps: Sleeps) -> None:
    name, node = ds.n("p"), ds.n("n1")
    client.create(pool(name, "10.9.0.0/16"))
    # An empty block with an affinity and a used block with an affinity, plus one outside the pool.
    empty_block(ds, "10-9-0-0-26", "10.9.0.0/26", affinity=f"host:{node}", allocations=[None] * 4)
    empty_block(
        ds,
        "10-9-0-64-26",
        "10.9.0.64/26",
        affinity=f"host:{node}",
        # No null entries: the Client updates this block, and the fake refuses nulls (see empty_block).
        allocations=[0],
        attributes=[{"handle_id": "h"}],
    )
    for aff_name, cidr in (
        (f"{node}-10-9-0-0-26", "10.9.0.0/26"),
        (f"{node}-10-9-0-64-26", "10.9.0.64/26"),
        (f"{node}-10-8-0-0-26", "10.8.0.0/26"),
    ):
        ds.seed(
            BlockAffinity.from_storage(
                {
                    "metadata": {"name": aff_name},
                    "spec": {"state": "confirmed", "node": node, "type": "host", "cidr": cidr},
                }
            )
        )
    watch_from = client.list_result("IPPool").resource_version
    deleted = client.delete("IPPool", name)
    assert deleted.spec.disabled is True  # disabled first, then deleted
    events = [
        e.type
        for e in client.watch("IPPool", resource_version=watch_from, timeout=0.05)
        if e.object is not None and e.object.metadata.name == name
    ]
    assert events == ["MODIFIED", "DELETED"]
    assert sleeps.calls == [0.5]
    assert [a.metadata.name for a in ds.mine(client.list("BlockAffinity"))] == [f"{node}-10-8-0-0-26"]
    blocks = {b.metadata.name: b for b in client.list("IPAMBlock") if b.metadata.name.startswith("10-9-0-")}
    assert list(blocks) == ["10-9-0-64-26"]  # the empty block went, the used one lost its affinity
    assert blocks["10-9-0-64-26"].spec.affinity is None
    with pytest.raises(ResourceNotFound):
        client.get("IPPool", name)


# -- patch / label ----------------------------------------------------------------------------------


def test_patch_merges_and_unions_labels(ds: Datastore, client: Client) -> None:
    name = ds.n("pool1")
    client.create(IPPool(metadata={"name": name, "labels": {"a": "1"}}, spec={"cidr": "10.1.0.0/16"}))
    patched = client.patch("ipp", name, {"metadata": {"labels": {"b": "2"}}, "spec": {"natOutgoing": True}})
    assert patched.metadata.labels == {"a": "1", "b": "2"}
    assert patched.spec.nat_outgoing is True
    assert client.patch("ipp", name, {"metadata": {"labels": {"a": None}}}).metadata.labels == {"b": "2"}
    assert client.get("ipp", name).metadata.labels == {"b": "2"}


def test_patch_validates(ds: Datastore, client: Client) -> None:
    name = ds.n("pool1")
    client.create(pool(name))
    with pytest.raises(ValidationError, match="not recognized"):
        client.patch("IPPool", name, {"spec": {"bogus": 1}})
    with pytest.raises(ValidationError, match="IPPool CIDR cannot be modified"):
        client.patch("IPPool", name, {"spec": {"cidr": "10.2.0.0/16"}})
    with pytest.raises(ResourceNotFound):
        client.patch("IPPool", ds.n("nope"), {"spec": {"disabled": True}})


def _refused(call: Callable[[], object], kind: str, name: str) -> tuple[Exception, str]:
    """The error ``call`` raises and calicoctl's text for it."""
    with pytest.raises((LabelError, ResourceNotFound)) as err:
        call()
    return err.value, label_error(err.value, kind, name)


def test_label_semantics(ds: Datastore, client: Client) -> None:
    p, nope = ds.n("pool1"), ds.n("nope")
    client.create(pool(p))
    assert label_message(client.label("ippool", p, "k=v")) == f"Successfully set label k on ippool {p}"
    err, cli = _refused(lambda: client.label("ippool", p, "k", "w"), "ippool", p)
    assert (
        cli
        == f"failed to update label of ippool {p}, key k is already present. please use '--overwrite' to set a new value"
    )
    # issue 9.16: the Python text says what to pass, in Python
    assert str(err) == f"label 'k' of IPPool({p}) already has the value 'v': pass overwrite=True to change it"
    assert label_message(client.label("ippool", p, "k", "v")) == f"Successfully updated label k on ippool {p}"
    result = client.label("ipp", p, "k", "w", overwrite=True)
    assert result.action == "updated" and result.resource.metadata.labels == {"k": "w"}
    assert label_message(client.label("ipp", p, "k", remove=True)) == f"Successfully removed label k from ipp {p}"
    err, cli = _refused(lambda: client.label("ipp", p, "k", remove=True), "ipp", p)
    assert cli == f"cannot remove label of ipp {p}, key k does not exist"
    assert isinstance(err, LabelError) and err.problem == "missing" and err.key == "k" and err.name == p
    err, cli = _refused(lambda: client.label("ipp", p, "a=b=c"), "ipp", p)
    assert cli == "invalid label a=b=c" and "expected 'key=value'" in str(err)
    err, cli = _refused(lambda: client.label("ipp", nope, "k=v"), "ipp", nope)
    assert cli == f"ipp {nope} not found" and isinstance(err, ResourceNotFound)
    err, cli = _refused(lambda: client.label("ipp", p, "bad key!", "v"), "ipp", p)
    assert cli == f"failed to update ipp {p}, label not changed"
    assert isinstance(err, LabelError) and isinstance(err.cause, ValidationError)


def test_concurrent_label_updates_lose_nothing(ds: Datastore, client: Client) -> None:
    name = ds.n("pool1")
    client.create(pool(name))
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def worker(n: int) -> None:
        start.wait()
        try:
            for j in range(5):
                if j % 2:
                    client.patch("IPPool", name, {"metadata": {"labels": {f"t{n}-{j}": "x"}}})
                else:
                    client.label("IPPool", name, f"t{n}-{j}", "x")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    labels = client.get("IPPool", name).metadata.labels
    assert labels == {f"t{n}-{j}": "x" for n in range(8) for j in range(5)}


def test_concurrent_label_updates_from_two_clients_lose_nothing(ds: Datastore, client: Client) -> None:
    """Two Clients on one datastore do conflict; their read-modify-writes retry and nothing is lost."""
    name = ds.n("pool1")
    client.create(pool(name))
    other = ds.another_client()
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def worker(c: Client, n: int) -> None:
        start.wait()
        try:
            # 5 writes each: a label fails an attempt only when the other Client wrote in between,
            # so it needs at most 6 of its 10 attempts.
            for j in range(5):
                c.label("IPPool", name, f"c{n}-{j}", "x")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    with other:
        threads = [threading.Thread(target=worker, args=(c, n)) for n, c in enumerate((client, other))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    labels = client.get("IPPool", name).metadata.labels
    assert labels == {f"c{n}-{j}": "x" for n in range(2) for j in range(5)}


# -- operator warning -------------------------------------------------------------------------------


def test_operator_managed_pool_warning(ds: Datastore, client: Client, caplog: pytest.LogCaptureFixture) -> None:
    op, plain = ds.n("op"), ds.n("plain")
    managed = IPPool(
        metadata={"name": op, "labels": {"app.kubernetes.io/managed-by": "tigera-operator"}},
        spec={"cidr": "10.1.0.0/16"},
    )
    with caplog.at_level(logging.WARNING, logger="calicopy.clientv3"):
        client.create(managed)
        assert [r.name for r in caplog.records] == ["calicopy.clientv3"]
        assert "tigera-operator" in caplog.records[0].getMessage()
        caplog.clear()
        client.patch("IPPool", op, {"spec": {"natOutgoing": True}})
        assert len(caplog.records) == 1
        caplog.clear()
        client.create(pool(plain, "10.2.0.0/16"))
        client.patch("IPPool", plain, {"spec": {"natOutgoing": True}})
        assert caplog.records == []


# -- apply_all --------------------------------------------------------------------------------------


def test_apply_all_outcomes(ds: Datastore, client: Client) -> None:
    same, changed, sec, new = ds.n("same"), ds.n("changed"), ds.n("sec"), ds.n("new")
    client.create(pool(same, "10.1.0.0/16"))
    client.create(pool(changed, "10.2.0.0/16"))
    progress: list[ApplyOutcome] = []
    outcomes = client.apply_all(
        [
            pool(same, "10.1.0.0/16"),
            pool(changed, "10.2.0.0/16", natOutgoing=True),
            Tier(metadata={"name": sec}, spec={"order": 5}),
            gnp(ds.n("in-sec"), tier=sec),
            pool(new, "10.3.0.0/16"),
        ],
        progress=progress.append,
    )
    assert [o.action for o in outcomes] == ["unchanged", "updated", "created", "created", "created"]
    assert [o.resource.metadata.name for o in outcomes] == [same, changed, sec, ds.n("in-sec"), new]
    assert all(o.error is None and o.result is not None for o in outcomes)
    assert len(progress) == 5
    assert client.get("IPPool", changed).spec.nat_outgoing is True


def test_apply_all_no_write_if_invalid(ds: Datastore, client: Client) -> None:
    good, invalid = pool(ds.n("good"), "10.1.0.0/16"), KubeControllersConfiguration(metadata={"name": "other"})
    outcomes = client.apply_all([good, invalid])
    assert [o.action for o in outcomes] == ["skipped", "failed"]
    assert isinstance(outcomes[1].error, ValidationError)
    assert ds.mine(client.list("IPPool")) == []
    outcomes = client.apply_all([good, invalid], continue_on_error=True)
    assert [o.action for o in outcomes] == ["created", "failed"]
    assert [p.metadata.name for p in ds.mine(client.list("IPPool"))] == [ds.n("good")]


def test_apply_all_checks_the_datastore_before_writing(ds: Datastore, client: Client) -> None:
    # issue 9.8: a datastore check failing (pool overlap, missing tier) stops every write.
    batch = [pool(ds.n("a"), "10.1.0.0/16"), pool(ds.n("b"), "10.1.2.0/24"), gnp(ds.n("x"), tier=ds.n("missing"))]
    outcomes = client.apply_all(batch, concurrency=2)
    assert [o.action for o in outcomes] == ["skipped", "failed", "failed"]
    assert "overlaps" in str(outcomes[1].error)
    assert isinstance(outcomes[2].error, ResourceNotFound)
    assert ds.mine(client.list("IPPool")) == []
    outcomes = client.apply_all(batch, concurrency=2, continue_on_error=True)
    assert [o.action for o in outcomes] == ["created", "failed", "failed"]
    assert [p.metadata.name for p in ds.mine(client.list("IPPool"))] == [ds.n("a")]


def test_apply_all_plan_sees_the_batch(ds: Datastore, client: Client) -> None:
    # A policy whose tier comes in the same batch passes; two pools of the batch overlapping fail.
    sec = ds.n("sec")
    outcomes = client.apply_all(
        [gnp(ds.n("in-sec"), tier=sec), Tier(metadata={"name": sec}, spec={"order": 5})], dry_run=True
    )
    assert [o.action for o in outcomes] == ["created", "created"]
    outcomes = client.apply_all([pool(ds.n("p1"), "10.7.0.0/16"), pool(ds.n("p2"), "10.7.1.0/24")], dry_run=True)
    assert [o.action for o in outcomes] == ["created", "failed"]


def test_apply_all_dry_run_writes_nothing(ds: Datastore, client: Client) -> None:
    same, changed, new = ds.n("same"), ds.n("changed"), ds.n("new")
    client.create(pool(same, "10.1.0.0/16"))
    client.create(pool(changed, "10.2.0.0/16"))
    if ds.server is not None:
        before = ds.write_requests()
    outcomes = client.apply_all(
        [pool(same, "10.1.0.0/16"), pool(changed, "10.2.0.0/16", natOutgoing=True), pool(new, "10.3.0.0/16")],
        dry_run=True,
    )
    assert [o.action for o in outcomes] == ["unchanged", "updated", "created"]
    assert outcomes[1].result is not None and outcomes[1].result.spec.nat_outgoing is True
    assert outcomes[2].result is not None and outcomes[2].result.spec.block_size == 26  # as it would be stored
    assert client.get("IPPool", changed).spec.nat_outgoing is False
    assert [p.metadata.name for p in ds.mine(client.list("IPPool"))] == sorted([same, changed])
    if ds.server is not None:
        assert ds.write_requests() == before
    # Immutable fields are checked against the stored object too.
    outcomes = client.apply_all([pool(changed, "10.2.0.0/16", blockSize=28)], dry_run=True)
    assert [o.action for o in outcomes] == ["failed"] and "cannot be modified" in str(outcomes[0].error)


def many_resources(ds: Datastore, namespace: str) -> list[Resource]:
    """200 resources of four kinds, with labels, annotations and defaulted fields."""
    out: list[Resource] = []
    out += [
        GlobalNetworkSet(
            metadata={"name": ds.n(f"gns-{i}"), "labels": {"set": str(i % 3)}, "annotations": {"n": str(i)}},
            spec={"nets": [f"10.{100 + i // 250}.{i % 250}.0/24"]},
        )
        for i in range(100)
    ]
    out += [
        NetworkPolicy(
            metadata={"name": ds.n(f"np-{i}"), "namespace": namespace, "labels": {"app": f"a{i % 4}"}},
            spec={"selector": f"app == 'a{i}'", "ingress": [{"action": "Allow", "protocol": "TCP"}]},
        )
        for i in range(60)
    ]
    out += [gnp(ds.n(f"gnp-{i}"), order=float(i)) for i in range(20)]
    out += [pool(ds.n(f"pool-{i}"), f"10.{200 + i}.0.0/24", natOutgoing=bool(i % 2)) for i in range(20)]
    assert len(out) == 200
    return out


def test_apply_all_200_resources_then_all_unchanged(ds: Datastore, client: Client) -> None:
    ns = ds.ns("bulk")
    client.ensure_initialized()  # its writes are not apply_all's
    writes_before = ds.write_requests() if ds.server is not None else 0
    outcomes = client.apply_all(many_resources(ds, ns), concurrency=8)
    assert [o.action for o in outcomes] == ["created"] * 200, [o.error for o in outcomes if o.error][:3]
    assert all(o.error is None and o.result is not None for o in outcomes)
    if ds.server is not None:
        assert ds.write_requests() - writes_before == 200  # one POST each
    assert len(ds.mine(client.list("GlobalNetworkSet"))) == 100
    assert len(client.list("NetworkPolicy", namespace=ns)) == 60

    # The second run is a new Client, as a second `calicoctl apply` would be: its EnsureInitialized
    # only reads, and every resource is found unchanged.
    writes_before = ds.write_requests() if ds.server is not None else 0
    progress: list[ApplyOutcome] = []
    with ds.another_client() as second:
        again = second.apply_all(many_resources(ds, ns), concurrency=8, progress=progress.append)
    assert [o.action for o in again] == ["unchanged"] * 200
    assert len(progress) == 200
    assert [o.result.metadata.uid for o in again if o.result] == [o.result.metadata.uid for o in outcomes if o.result]
    if ds.server is not None:
        assert ds.write_requests() == writes_before  # the second run only reads


def test_apply_all_reads_each_tier_once_per_batch(ds: Datastore, client: Client) -> None:
    # clientv3 checks the tier on every policy create; apply_all asks once per distinct tier.
    if ds.server is None:
        pytest.skip("counts requests on the fake API server")
    client.ensure_initialized()
    before = len(ds.server.requests)
    outcomes = client.apply_all([gnp(ds.n(f"g{i}"), selector="all()") for i in range(20)])
    assert {o.action for o in outcomes} == {"created"}
    tier_reads = [p for m, p in list(ds.server.requests)[before:] if m == "GET" and "/tiers/" in p]
    assert len(tier_reads) == 1


def test_apply_all_updates_what_it_found_without_a_create_attempt(ds: Datastore, client: Client) -> None:
    # issue 10: an object the plan found stored is updated at once (no POST that can only fail,
    # no second read): one write request per changed object.
    names = [ds.n(f"g{i}") for i in range(6)]
    client.ensure_initialized()
    client.apply_all([gnp(name, order=1.0) for name in names])
    before = len(ds.server.requests) if ds.server is not None else 0
    outcomes = client.apply_all([gnp(name, order=2.0 if i % 2 else 1.0) for i, name in enumerate(names)])
    if ds.server is not None:
        seen = list(ds.server.requests)[before:]
        assert [m for m, _ in seen if m in WRITE_METHODS] == ["PUT"] * 3
        assert not [p for m, p in seen if m == "GET" and "/globalnetworkpolicies/" in p]
    assert [o.action for o in outcomes] == ["unchanged", "updated"] * 3
    assert all(o.error is None for o in outcomes)
    assert [client.get("GlobalNetworkPolicy", name).spec.order for name in names] == [1.0, 2.0] * 3


def test_apply_over_a_stale_or_vanished_object_is_apply(ds: Datastore, client: Client) -> None:
    # What the bulk write does with an object it listed: if the object changed since, apply's
    # replace reads it again; if it was deleted since, apply creates it.
    changed, gone = ds.n("changed"), ds.n("gone")
    info = KINDS["GlobalNetworkPolicy"]
    client.create(gnp(changed, order=1.0))
    client.create(gnp(gone, order=1.0))
    listed = {r.metadata.name: r for r in client.list("GlobalNetworkPolicy") if r.metadata.name in (changed, gone)}
    client.patch("GlobalNetworkPolicy", changed, {"spec": {"order": 5.0}})
    client.delete("GlobalNetworkPolicy", gone)
    for name in (changed, gone):
        wanted = gnp(name, order=3.0)
        prepared = client.v3.prepare_create(wanted, info, for_apply=True)
        stored = client.apply_over(info, wanted, prepared, listed[name])
        assert stored.spec.order == 3.0
        assert client.get("GlobalNetworkPolicy", name).spec.order == 3.0
    assert client.get("GlobalNetworkPolicy", gone).metadata.uid != listed[gone].metadata.uid  # created anew
    # A resourceVersion given by the caller is apply's precondition, as ever.
    wanted = gnp(changed, order=4.0)
    wanted.metadata.resource_version = listed[changed].metadata.resource_version
    with pytest.raises(ResourceConflict):
        client.apply_over(info, wanted, client.v3.prepare_create(wanted, info, for_apply=True), listed[changed])


# -- issue 9.19: Calico selectors on list, JSON-text patches -------------------------------------------


def test_list_with_a_calico_selector(ds: Datastore, client: Client) -> None:
    a, b, c = ds.n("a"), ds.n("b"), ds.n("c")
    client.create(IPPool(metadata={"name": a, "labels": {"role": "db", "tier": "x"}}, spec={"cidr": "10.1.0.0/16"}))
    client.create(IPPool(metadata={"name": b, "labels": {"role": "db"}}, spec={"cidr": "10.2.0.0/16"}))
    client.create(IPPool(metadata={"name": c, "labels": {"role": "web"}}, spec={"cidr": "10.3.0.0/16"}))
    names = lambda items: sorted(p.metadata.name for p in ds.mine(items))  # noqa: E731
    assert names(client.list("IPPool", selector="role == 'db'")) == [a, b]
    assert names(client.list("IPPool", selector="role == 'db' && has(tier)")) == [a]
    assert names(client.ippools.list(selector="role != 'db'")) == [c]
    assert names(client.list("IPPool", label_selector="role=db", selector="!has(tier)")) == [b]
    with pytest.raises(SelectorError):
        client.list("IPPool", selector="role ==")


def test_patch_accepts_json_text(ds: Datastore, client: Client) -> None:
    name = ds.n("p")
    client.create(pool(name, "10.1.0.0/16"))
    patched = client.patch("IPPool", name, '{"spec": {"disabled": true}}')
    assert patched.spec.disabled is True
    with pytest.raises(ValidationError, match="not valid JSON"):
        client.patch("IPPool", name, '{"spec": ')
    with pytest.raises(ValidationError, match="must be a JSON object"):
        client.patch("IPPool", name, "[1]")


def test_read_modify_write_backs_off_with_jitter(ds: Datastore, client: Client, sleeps: Sleeps) -> None:
    # issue 9.13: racing Clients back off exponentially (with jitter) instead of 10 tries 10 ms apart.
    name = ds.n("pool1")
    client.create(pool(name))
    flaky = FlakyBackend(client.backend, conflicts=9)
    racing = Client(backend=flaky, sleep=sleeps)  # type: ignore[arg-type]
    racing.v3.initialized = True
    assert racing.label("IPPool", name, "k=v").action == "set"
    assert len(sleeps.calls) == 9
    bases = [min(0.01 * 2**i, 1.0) for i in range(9)]
    assert all(base <= pause <= 2 * base for base, pause in zip(bases, sleeps.calls, strict=True)), sleeps.calls
    assert sum(sleeps.calls) >= sum(bases)


def test_repr_names_the_datastore_without_secrets(ds: Datastore, client: Client) -> None:
    # issue 9.16: repr(client) says where it connects; no token or password.
    text = repr(client)
    if ds.kdd:
        assert "KubernetesBackend" in text and "server=" in text
        if ds.server is not None and ds.server.token:
            assert ds.server.token not in text
    elif ds.etcd is not None:
        assert text == f"Client(EtcdBackend(endpoints=['{ds.etcd.endpoint}']))"
    else:
        assert text.startswith("Client(MemoryBackend(")


def test_apply_all_on_an_uninitialised_datastore(ds: Datastore) -> None:
    # The static tiers come from EnsureInitialized: a policy in tier "default" plans and writes
    # on a datastore nothing has initialised yet (dry run included, which writes nothing).
    fresh = ds.another_client()
    if ds.kdd:
        ds.fake_only("needs a datastore without the static tiers")
    policy = gnp(ds.n("first"), selector="all()")
    assert [o.action for o in fresh.apply_all([policy], dry_run=True)] == ["created"]
    assert fresh.list("Tier") == []
    assert [o.action for o in fresh.apply_all([policy])] == ["created"]
    assert [t.metadata.name for t in fresh.list("Tier")] == ["kube-admin", "default", "kube-baseline"]
