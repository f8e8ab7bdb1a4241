"""The Client's calicoctl semantics, as a contract over backends.

Every test takes the ``client`` fixture; its params name the datastores the contract runs on
("memory" today; the Kubernetes backend on the fake API server joins later).  Tests that need
the backend's raw store use ``client.backend`` only through the Backend protocol.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest

from calicopy.backends.base import Backend
from calicopy.client import ApplyOutcome, Client, LabelError, UnknownKindError, version_supported
from calicopy.errors import (
    OperationNotSupported,
    ResourceAlreadyExists,
    ResourceConflict,
    ResourceNotFound,
    ValidationError,
    VersionMismatchError,
)
from calicopy.resources.bgppeer import BGPPeer
from calicopy.resources.blockaffinity import BlockAffinity
from calicopy.resources.clusterinfo import ClusterInformation
from calicopy.resources.globalnetworkpolicy import GlobalNetworkPolicy
from calicopy.resources.ipamblock import IPAMBlock
from calicopy.resources.ippool import IPPool
from calicopy.resources.kubecontrollersconfig import KubeControllersConfiguration
from calicopy.resources.networkpolicy import NetworkPolicy
from calicopy.resources.profile import Profile
from calicopy.resources.tier import Tier


class Sleeps:
    """An injected sleep that records instead of waiting."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture(params=["memory"])
def client(request: pytest.FixtureRequest, sleeps: Sleeps) -> Iterator[Client]:
    if request.param == "memory":
        c = Client.in_memory(sleep=sleeps)
    else:  # pragma: no cover - other datastores are added by their owners
        raise AssertionError(request.param)
    with c:
        yield c


def pool(name: str = "pool1", cidr: str = "10.1.0.0/16", **spec: object) -> IPPool:
    return IPPool(metadata={"name": name}, spec={"cidr": cidr, **spec})


def gnp(name: str = "gnp1", **spec: object) -> GlobalNetworkPolicy:
    return GlobalNetworkPolicy(metadata={"name": name}, spec={"selector": "all()", **spec})


# -- create -------------------------------------------------------------------------------------


def test_create_returns_stored_resource_with_defaults(client: Client) -> None:
    stored = client.create(pool())
    meta = stored.metadata
    assert meta.uid and meta.resource_version and meta.creation_timestamp
    assert stored.spec.block_size == 26
    assert stored.spec.ipip_mode == "Never" and stored.spec.vxlan_mode == "Never"
    assert stored.spec.node_selector == "all()"
    assert client.get("IPPool", "pool1") == stored


def test_create_refuses_resource_version(client: Client) -> None:
    res = IPPool(metadata={"name": "p", "resourceVersion": "12"}, spec={"cidr": "10.1.0.0/16"})
    with pytest.raises(ValidationError) as err:
        client.create(res)
    assert err.value.fields[0].path == "metadata.resourceVersion"
    assert "metadata.resourceVersion = '12' (field must not be set for a Create request)" in str(err.value)


def test_create_strips_metadata(client: Client) -> None:
    res = IPPool(
        metadata={
            "name": "p",
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


def test_create_existing(client: Client) -> None:
    client.create(pool())
    with pytest.raises(ResourceAlreadyExists, match=r"^resource already exists: IPPool\(pool1\)"):
        client.create(pool())


def test_create_namespace_defaults_to_default(client: Client) -> None:
    np = NetworkPolicy(metadata={"name": "np1"}, spec={"selector": "all()"})
    stored = client.create(np)
    assert stored.metadata.namespace == "default"
    assert client.get("NetworkPolicy", "np1").metadata.namespace == "default"
    assert client.get("networkpolicy", "np1", namespace="default") == stored


def test_namespace_on_cluster_scoped_kind(client: Client) -> None:
    with pytest.raises(ValidationError, match="IPPool is not namespaced"):
        client.get("IPPool", "p", namespace="ns")


def test_pool_overlap(client: Client) -> None:
    client.create(pool("a", "10.1.0.0/16"))
    with pytest.raises(ValidationError, match=r"IPPool\(b\) CIDR overlaps with IPPool\(a\) CIDR 10.1.0.0/16"):
        client.create(pool("b", "10.1.2.0/24"))


def test_pool_block_size_conflicting_with_existing_blocks(client: Client) -> None:
    client.backend.create(
        IPAMBlock.from_storage({"metadata": {"name": "10-9-0-0-28"}, "spec": {"cidr": "10.9.0.0/28"}})
    )
    with pytest.raises(ValidationError, match="conflicts with existing allocations"):
        client.create(pool("p", "10.9.0.0/16"))


def test_pool_strictly_masked(client: Client) -> None:
    with pytest.raises(ValidationError, match="not strictly masked"):
        client.create(pool("p", "10.1.0.1/16"))


def test_policy_tier_must_exist(client: Client) -> None:
    with pytest.raises(ResourceNotFound, match=r"resource does not exist: Tier\(sec\) with error: <nil>"):
        client.create(gnp(tier="sec"))
    client.create(Tier(metadata={"name": "sec"}, spec={"order": 10}))
    stored = client.create(gnp(tier="sec"))
    assert stored.metadata.labels["projectcalico.org/tier"] == "sec"
    assert stored.spec.types == ["Ingress"]


def test_policy_in_default_tier_gets_label_and_tier(client: Client) -> None:
    stored = client.create(gnp())
    assert stored.spec.tier == "default"
    assert stored.metadata.labels == {"projectcalico.org/tier": "default"}


def test_kcc_name_must_be_default(client: Client) -> None:
    with pytest.raises(ValidationError, match='name other than "default"'):
        client.create(KubeControllersConfiguration(metadata={"name": "other"}))


def test_bgppeer_filters_must_exist(client: Client) -> None:
    peer = BGPPeer(metadata={"name": "peer"}, spec={"peerIP": "10.0.0.1", "asNumber": 64512, "filters": ["f1"]})
    with pytest.raises(ValidationError, match=r"BGPFilter\(s\) not found"):
        client.create(peer)


def test_default_allow_profile(client: Client) -> None:
    assert "projectcalico-default-allow" in [p.metadata.name for p in client.list("Profile")]
    with pytest.raises(ResourceAlreadyExists):
        client.create(Profile(metadata={"name": "projectcalico-default-allow"}))
    with pytest.raises(OperationNotSupported, match="cannot be updated"):
        client.apply(Profile(metadata={"name": "projectcalico-default-allow"}))
    with pytest.raises(OperationNotSupported, match="cannot be deleted"):
        client.delete("Profile", "projectcalico-default-allow")


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


def test_knp_prefix_refused(client: Client) -> None:
    np = NetworkPolicy(metadata={"name": "knp.default.x", "namespace": "ns"}, spec={"selector": "all()"})
    with pytest.raises(OperationNotSupported, match="kubernetes network policies must be managed"):
        client.create(np)


# -- EnsureInitialized ----------------------------------------------------------------------------


def test_ensure_initialized_on_first_write(client: Client) -> None:
    with pytest.raises(ResourceNotFound):
        client.get("ClusterInformation", "default")
    assert client.list("Tier") == []
    client.create(pool())
    info = client.get("ClusterInformation", "default")
    assert isinstance(info, ClusterInformation)
    assert len(info.spec.cluster_guid) == 32 and int(info.spec.cluster_guid, 16) >= 0
    assert info.spec.datastore_ready is True
    assert info.spec.calico_version == ""
    tiers = {t.metadata.name: t for t in client.list("Tier")}
    assert set(tiers) == {"default", "kube-admin", "kube-baseline"}
    assert (tiers["default"].spec.default_action, tiers["default"].spec.order) == ("Deny", 1e6)
    assert (tiers["kube-admin"].spec.default_action, tiers["kube-admin"].spec.order) == ("Pass", 1000)
    assert (tiers["kube-baseline"].spec.default_action, tiers["kube-baseline"].spec.order) == ("Pass", 1e7)
    # Listed in calicoctl's order.
    assert [t.metadata.name for t in client.list("Tier")] == ["kube-admin", "default", "kube-baseline"]


def test_ensure_initialized_once_and_keeps_existing(client: Client) -> None:
    client.create(pool())
    guid = client.get("ClusterInformation", "default").spec.cluster_guid
    client.backend.delete("Tier", "kube-admin")
    client.create(pool("p2", "10.2.0.0/16"))
    assert client.get("ClusterInformation", "default").spec.cluster_guid == guid
    with pytest.raises(ResourceNotFound):  # done once per Client
        client.get("Tier", "kube-admin")


def test_ensure_initialized_fills_missing_fields(client: Client) -> None:
    client.backend.create(
        ClusterInformation.from_storage({"metadata": {"name": "default"}, "spec": {"calicoVersion": "v3.30.0"}})
    )
    client.ensure_initialized()
    info = client.get("ClusterInformation", "default")
    assert info.spec.calico_version == "v3.30.0"
    assert info.spec.datastore_ready is True and len(info.spec.cluster_guid) == 32
    client.ensure_initialized(calico_version="v3.31.0", cluster_type="typha")
    info = client.get("ClusterInformation", "default")
    assert info.spec.calico_version == "v3.31.0" and info.spec.cluster_type == "typha"


# -- version check --------------------------------------------------------------------------------


def set_version(client: Client, version: str) -> None:
    client.backend.create(
        ClusterInformation.from_storage({"metadata": {"name": "default"}, "spec": {"calicoVersion": version}})
    )


def test_version_skipped_without_cluster_information(client: Client) -> None:
    assert client.cluster_version() is None
    client.check_version()


def test_version_skipped_when_empty(client: Client) -> None:
    client.ensure_initialized()
    assert client.cluster_version() is None
    client.check_version()


@pytest.mark.parametrize("version", ["v3.26.0", "v3.29.4", "v3.32.1", "3.32.9-rc1", "v3.30.0-0.dev-123"])
def test_version_supported(client: Client, version: str) -> None:
    set_version(client, version)
    assert client.cluster_version() == version
    client.check_version()


@pytest.mark.parametrize(
    ("version", "shown"), [("v3.25.2", "3.25.2"), ("v3.33.0", "3.33.0"), ("v4.0.0", "4.0.0"), ("garbage", "garbage")]
)
def test_version_mismatch(client: Client, version: str, shown: str) -> None:
    set_version(client, version)
    with pytest.raises(VersionMismatchError) as err:
        client.check_version()
    assert str(err.value) == (
        f"version mismatch.\nClient Version:   v3.32.1\nCluster Version:  {shown}\nUse --allow-version-mismatch to override"
    )
    client.check_version(allow_mismatch=True)


def test_version_supported_rule() -> None:
    assert version_supported("3.26")
    assert not version_supported("3")
    assert not version_supported("")


# -- get / list / watch ---------------------------------------------------------------------------


def test_get_missing(client: Client) -> None:
    with pytest.raises(ResourceNotFound, match=r"^resource does not exist: IPPool\(nope\) with error: <nil>$"):
        client.get("IPPool", "nope")
    with pytest.raises(ResourceNotFound, match=r"NetworkPolicy\(ns1/nope\)"):
        client.get("NetworkPolicy", "nope", namespace="ns1")


def test_aliases_and_unknown_kind(client: Client) -> None:
    client.create(pool())
    for alias in ("IPPool", "ippool", "ipp", "pools", "IPPOOLS", IPPool):
        assert client.get(alias, "pool1").metadata.name == "pool1"
    with pytest.raises(UnknownKindError, match="resource type 'somekind' is not supported"):
        client.get("somekind", "x")


def test_list_namespaces_and_labels(client: Client) -> None:
    for ns, name, labels in (("a", "p1", {"app": "x"}), ("b", "p2", {"app": "y"}), ("a", "p3", {})):
        client.create(
            NetworkPolicy(metadata={"name": name, "namespace": ns, "labels": labels}, spec={"selector": "all()"})
        )
    assert sorted(p.metadata.name for p in client.list("NetworkPolicy")) == ["p1", "p2", "p3"]
    assert sorted(p.metadata.name for p in client.list("NetworkPolicy", namespace="a")) == ["p1", "p3"]
    assert [p.metadata.name for p in client.list("NetworkPolicy", label_selector="app=y")] == ["p2"]
    assert [p.metadata.name for p in client.networkpolicies.list("a", label_selector="app in (x,y)")] == ["p1"]


def test_watch(client: Client) -> None:
    client.create(pool("a", "10.1.0.0/16"))
    listed = client.list_result("IPPool")
    client.patch("IPPool", "a", {"spec": {"disabled": True}})
    client.create(pool("b", "10.2.0.0/16"))
    client.delete("IPPool", "b")
    events = list(client.watch("IPPool", resource_version=listed.resource_version, timeout=0.05))
    seen = [(e.type, e.object.metadata.name if e.object else None) for e in events]
    assert seen == [("MODIFIED", "a"), ("ADDED", "b"), ("MODIFIED", "b"), ("DELETED", "b")]
    assert events[0].object is not None and events[0].object.spec.disabled is True
    initial = list(client.ippools.watch(timeout=0.05))
    assert [(e.type, e.object.metadata.name) for e in initial if e.object] == [("ADDED", "a")]


# -- replace / apply --------------------------------------------------------------------------------


def test_replace_requires_existing(client: Client) -> None:
    with pytest.raises(ResourceNotFound):
        client.replace(pool())


def test_replace_takes_only_labels_and_annotations(client: Client) -> None:
    created = client.create(IPPool(metadata={"name": "pool1", "labels": {"old": "1"}}, spec={"cidr": "10.1.0.0/16"}))
    new = IPPool(
        metadata={"name": "pool1", "uid": "bogus", "labels": {"new": "1"}},
        spec={"cidr": "10.1.0.0/16", "natOutgoing": True},
    )
    replaced = client.replace(new)
    assert replaced.metadata.uid == created.metadata.uid
    assert replaced.metadata.labels == {"new": "1"}
    assert replaced.spec.nat_outgoing is True
    assert int(replaced.metadata.resource_version) > int(created.metadata.resource_version)


def test_replace_with_stale_resource_version(client: Client) -> None:
    created = client.create(pool())
    client.patch("IPPool", "pool1", {"spec": {"natOutgoing": True}})
    stale = created.model_copy(deep=True)
    with pytest.raises(ResourceConflict) as err:
        client.replace(stale)
    assert str(err.value) == "update conflict: IPPool(pool1)"
    assert any("is out of date" in note for note in getattr(err.value, "__notes__", []))
    fresh = client.get("IPPool", "pool1")
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


def test_replace_retries_conflicts_without_resource_version(client: Client, sleeps: Sleeps) -> None:
    client.create(pool())
    flaky = FlakyBackend(client.backend, conflicts=4)
    retrying = Client(backend=flaky, sleep=sleeps)  # type: ignore[arg-type]
    retrying._initialized = True
    assert retrying.replace(pool(natOutgoing=True)).spec.nat_outgoing is True
    assert flaky.updates == 5 and sleeps.calls == [1.0] * 4
    flaky.conflicts = 5
    with pytest.raises(ResourceConflict):
        retrying.replace(pool())


def test_ippool_immutable_fields(client: Client) -> None:
    client.create(pool(blockSize=27))
    with pytest.raises(ValidationError, match="IPPool CIDR cannot be modified"):
        client.replace(pool(cidr="10.2.0.0/16", blockSize=27))
    with pytest.raises(ValidationError, match="IPPool BlockSize cannot be modified"):
        client.apply(pool())  # blockSize defaults to 26 before the immutability check


def test_apply_creates_then_updates(client: Client) -> None:
    created = client.apply(pool())
    updated = client.apply(pool(natOutgoing=True))
    assert updated.metadata.uid == created.metadata.uid
    assert updated.spec.nat_outgoing is True


def test_apply_with_stale_resource_version(client: Client) -> None:
    created = client.apply(pool())
    client.apply(pool(natOutgoing=True))
    with pytest.raises(ResourceConflict):
        client.apply(created)


def test_typed_accessors(client: Client) -> None:
    client.ippools.create(
        {
            "apiVersion": "projectcalico.org/v3",
            "kind": "IPPool",
            "metadata": {"name": "p"},
            "spec": {"cidr": "10.5.0.0/16"},
        }
    )
    assert client.ippools.get("p").spec.cidr == "10.5.0.0/16"
    assert [p.metadata.name for p in client.ippools.list()] == ["p"]
    assert client.globalnetworkpolicies.list() == []
    with pytest.raises(TypeError):
        client.ippools.create(gnp())
    with pytest.raises(AttributeError):
        _ = client.nosuchkinds
    assert "bgppeers" in dir(client)


# -- delete -----------------------------------------------------------------------------------------


def test_delete_returns_deleted(client: Client) -> None:
    created = client.create(gnp())
    deleted = client.delete("GlobalNetworkPolicy", "gnp1")
    assert deleted.metadata.uid == created.metadata.uid
    with pytest.raises(ResourceNotFound):
        client.get("gnp", "gnp1")
    with pytest.raises(ResourceNotFound):
        client.delete("gnp", "gnp1")


def test_delete_with_resource_version_precondition(client: Client) -> None:
    created = client.create(gnp())
    client.patch("gnp", "gnp1", {"spec": {"order": 5}})
    with pytest.raises(ResourceConflict):
        client.delete(created)
    client.delete(client.get("gnp", "gnp1"))


def test_tier_delete_rules(client: Client) -> None:
    client.ensure_initialized()
    for name in ("default", "kube-admin", "kube-baseline"):
        with pytest.raises(
            OperationNotSupported, match=f"^operation Delete is not supported on {name}: Cannot delete {name} tier$"
        ):
            client.delete("Tier", name)
    client.create(Tier(metadata={"name": "sec"}, spec={"order": 10}))
    client.create(NetworkPolicy(metadata={"name": "np", "namespace": "ns"}, spec={"tier": "sec", "selector": "all()"}))
    with pytest.raises(
        OperationNotSupported, match=r"^operation delete is not supported on sec: Cannot delete a non-empty tier$"
    ):
        client.delete("Tier", "sec")
    client.delete("NetworkPolicy", "np", namespace="ns")
    assert client.delete("Tier", "sec").metadata.name == "sec"


def test_ippool_delete_flow(client: Client, sleeps: Sleeps) -> None:
    client.create(pool("p", "10.9.0.0/16"))
    backend = client.backend
    # An empty block with an affinity and a used block with an affinity, plus one outside the pool.
    backend.create(
        IPAMBlock.from_storage(
            {
                "metadata": {"name": "10-9-0-0-26"},
                "spec": {"cidr": "10.9.0.0/26", "affinity": "host:n1", "allocations": [None] * 4},
            }
        )
    )
    backend.create(
        IPAMBlock.from_storage(
            {
                "metadata": {"name": "10-9-0-64-26"},
                "spec": {
                    "cidr": "10.9.0.64/26",
                    "affinity": "host:n1",
                    "allocations": [0, None],
                    "attributes": [{"handle_id": "h"}],
                },
            }
        )
    )
    for name, cidr in (
        ("n1-10-9-0-0-26", "10.9.0.0/26"),
        ("n1-10-9-0-64-26", "10.9.0.64/26"),
        ("n1-10-8-0-0-26", "10.8.0.0/26"),
    ):
        backend.create(
            BlockAffinity.from_storage(
                {"metadata": {"name": name}, "spec": {"state": "confirmed", "node": "n1", "type": "host", "cidr": cidr}}
            )
        )
    watch_from = client.list_result("IPPool").resource_version
    deleted = client.delete("IPPool", "p")
    assert deleted.spec.disabled is True  # disabled first, then deleted
    events = [e.type for e in client.watch("IPPool", resource_version=watch_from, timeout=0.05)]
    assert events == ["MODIFIED", "DELETED"]
    assert sleeps.calls == [0.5]
    assert [a.metadata.name for a in client.list("BlockAffinity")] == ["n1-10-8-0-0-26"]
    blocks = {b.metadata.name: b for b in client.list("IPAMBlock")}
    assert list(blocks) == ["10-9-0-64-26"]  # the empty block went, the used one lost its affinity
    assert blocks["10-9-0-64-26"].spec.affinity is None


# -- patch / label ----------------------------------------------------------------------------------


def test_patch_merges_and_unions_labels(client: Client) -> None:
    client.create(IPPool(metadata={"name": "pool1", "labels": {"a": "1"}}, spec={"cidr": "10.1.0.0/16"}))
    patched = client.patch("ipp", "pool1", {"metadata": {"labels": {"b": "2"}}, "spec": {"natOutgoing": True}})
    assert patched.metadata.labels == {"a": "1", "b": "2"}
    assert patched.spec.nat_outgoing is True
    assert client.patch("ipp", "pool1", {"metadata": {"labels": {"a": None}}}).metadata.labels == {"b": "2"}


def test_patch_validates(client: Client) -> None:
    client.create(pool())
    with pytest.raises(ValidationError, match="not recognized"):
        client.patch("IPPool", "pool1", {"spec": {"bogus": 1}})
    with pytest.raises(ValidationError, match="IPPool CIDR cannot be modified"):
        client.patch("IPPool", "pool1", {"spec": {"cidr": "10.2.0.0/16"}})
    with pytest.raises(ResourceNotFound):
        client.patch("IPPool", "nope", {"spec": {"disabled": True}})


def test_label_semantics(client: Client) -> None:
    client.create(pool())
    assert client.label("ippool", "pool1", "k=v").message == "Successfully set label k on ippool pool1"
    with pytest.raises(
        LabelError,
        match=r"^failed to update label of ippool pool1, key k is already present. please use '--overwrite' to set a new value$",
    ):
        client.label("ippool", "pool1", "k", "w")
    assert client.label("ippool", "pool1", "k", "v").message == "Successfully updated label k on ippool pool1"
    result = client.label("ipp", "pool1", "k", "w", overwrite=True)
    assert result.action == "updated" and result.resource.metadata.labels == {"k": "w"}
    assert client.label("ipp", "pool1", "k", remove=True).message == "Successfully removed label k from ipp pool1"
    with pytest.raises(LabelError, match=r"^cannot remove label of ipp pool1, key k does not exist$"):
        client.label("ipp", "pool1", "k", remove=True)
    with pytest.raises(LabelError, match=r"^invalid label a=b=c$"):
        client.label("ipp", "pool1", "a=b=c")
    with pytest.raises(ResourceNotFound, match=r"^ipp nope not found$"):
        client.label("ipp", "nope", "k=v")
    with pytest.raises(LabelError, match=r"^failed to update ipp pool1, label not changed$"):
        client.label("ipp", "pool1", "bad key!", "v")


def test_concurrent_label_updates_lose_nothing(client: Client) -> None:
    client.create(pool())
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def worker(n: int) -> None:
        start.wait()
        try:
            for j in range(5):
                if j % 2:
                    client.patch("IPPool", "pool1", {"metadata": {"labels": {f"t{n}-{j}": "x"}}})
                else:
                    client.label("IPPool", "pool1", f"t{n}-{j}", "x")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    labels = client.get("IPPool", "pool1").metadata.labels
    assert labels == {f"t{n}-{j}": "x" for n in range(8) for j in range(5)}


# -- operator warning -------------------------------------------------------------------------------


def test_operator_managed_pool_warning(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    managed = IPPool(
        metadata={"name": "op", "labels": {"app.kubernetes.io/managed-by": "tigera-operator"}},
        spec={"cidr": "10.1.0.0/16"},
    )
    with caplog.at_level(logging.WARNING, logger="calicopy.client"):
        client.create(managed)
        assert [r.name for r in caplog.records] == ["calicopy.client"]
        assert "tigera-operator" in caplog.records[0].getMessage()
        caplog.clear()
        client.patch("IPPool", "op", {"spec": {"natOutgoing": True}})
        assert len(caplog.records) == 1
        caplog.clear()
        client.create(pool("plain", "10.2.0.0/16"))
        client.patch("IPPool", "plain", {"spec": {"natOutgoing": True}})
        assert caplog.records == []


# -- apply_all --------------------------------------------------------------------------------------


def test_apply_all_outcomes(client: Client) -> None:
    client.create(pool("same", "10.1.0.0/16"))
    client.create(pool("changed", "10.2.0.0/16"))
    progress: list[ApplyOutcome] = []
    outcomes = client.apply_all(
        [
            pool("same", "10.1.0.0/16"),
            pool("changed", "10.2.0.0/16", natOutgoing=True),
            Tier(metadata={"name": "sec"}, spec={"order": 5}),
            gnp("in-sec", tier="sec"),
            pool("new", "10.3.0.0/16"),
        ],
        progress=progress.append,
    )
    assert [o.action for o in outcomes] == ["unchanged", "updated", "created", "created", "created"]
    assert [o.resource.metadata.name for o in outcomes] == ["same", "changed", "sec", "in-sec", "new"]
    assert all(o.error is None and o.result is not None for o in outcomes)
    assert len(progress) == 5
    assert client.get("IPPool", "changed").spec.nat_outgoing is True


def test_apply_all_no_write_if_invalid(client: Client) -> None:
    good, invalid = pool("good", "10.1.0.0/16"), KubeControllersConfiguration(metadata={"name": "other"})
    outcomes = client.apply_all([good, invalid])
    assert [o.action for o in outcomes] == ["skipped", "failed"]
    assert isinstance(outcomes[1].error, ValidationError)
    assert client.list("IPPool") == []
    outcomes = client.apply_all([good, invalid], continue_on_error=True)
    assert [o.action for o in outcomes] == ["created", "failed"]
    assert [p.metadata.name for p in client.list("IPPool")] == ["good"]


def test_apply_all_datastore_failures_are_per_resource(client: Client) -> None:
    outcomes = client.apply_all(
        [pool("a", "10.1.0.0/16"), pool("b", "10.1.2.0/24"), gnp("x", tier="missing")], concurrency=2
    )
    assert [o.action for o in outcomes] == ["created", "failed", "failed"]
    assert "overlaps" in str(outcomes[1].error)
    assert isinstance(outcomes[2].error, ResourceNotFound)
