"""What constructors, ``from_dict`` and ``load()`` accept (issue 9 items 1, 6, 7, 9).

Constructors accept exactly what ``calicoctl create``/``apply`` accepts: libcalico-go's rules run on
the object as clientv3 sees it after create-time defaulting, while the object stays as written.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

import calicopy
from calicopy import GlobalNetworkPolicy, IPPool, NetworkPolicy, Tier, ValidationError

POOL6 = {"cidr": "fd00:10:245::/64"}
LB_POOL = {"cidr": "10.245.8.0/24", "allowedUses": ["LoadBalancer"]}


def _manifest(spec: str, kind: str = "IPPool", meta: str = "{name: p}") -> str:
    return f"apiVersion: projectcalico.org/v3\nkind: {kind}\nmetadata: {meta}\nspec: {spec}\n"


# -- item 1: create-time defaulting before the rules ---------------------------------------------


@pytest.mark.parametrize("spec", [POOL6, LB_POOL], ids=["ipv6", "loadbalancer"])
def test_constructor_accepts_what_calicoctl_create_accepts(spec: dict[str, Any]) -> None:
    pool = IPPool(metadata={"name": "pool6"}, spec=spec)
    # The object stays as written: nothing defaulted into it.
    assert pool.to_dict()["spec"] == spec
    assert IPPool.from_dict({"metadata": {"name": "pool6"}, "spec": spec}).to_dict()["spec"] == spec


def test_load_accepts_an_ipv6_pool_and_a_loadbalancer_pool() -> None:
    loaded = calicopy.loads(
        _manifest("{cidr: 'fd00:10:245::/64'}")
        + "---\n"
        + _manifest("{cidr: 10.245.8.0/24, allowedUses: [LoadBalancer]}")
    )
    assert [p.spec.cidr for p in loaded] == ["fd00:10:245::/64", "10.245.8.0/24"]
    assert loaded[0].spec.ipip_mode == ""  # as written


@pytest.mark.parametrize("spec", [POOL6, LB_POOL], ids=["ipv6", "loadbalancer"])
def test_client_create_from_a_dict(spec: dict[str, Any]) -> None:
    client = calicopy.Client.in_memory()
    stored = client.ippools.create({"metadata": {"name": "p"}, "spec": spec})
    assert stored.spec.node_selector == "all()"


def test_constructor_still_rejects_what_create_rejects() -> None:
    # Invalid after defaulting too: an explicit IPIP mode on an IPv6 pool (clientv3's own check,
    # which runs before the validator and is what calicoctl create reports).
    with pytest.raises(ValidationError, match="IPIP is not supported on an IPv6 IP pool"):
        IPPool(metadata={"name": "p"}, spec={"cidr": "fd00::/64", "ipipMode": "Always"})
    # clientv3 rejects a CIDR with host bits while defaulting.
    with pytest.raises(ValidationError, match="not strictly masked"):
        IPPool(metadata={"name": "p"}, spec={"cidr": "10.9.0.1/16"})


@pytest.mark.parametrize("spec", [POOL6, LB_POOL], ids=["ipv6", "loadbalancer"])
def test_validate_gives_calicoctl_validates_verdict(spec: dict[str, Any]) -> None:
    pool = IPPool(metadata={"name": "pool6"}, spec=spec)
    result = calicopy.validate(pool)
    assert not result.ok
    assert result.num_resources == 1 and result.num_valid == 0
    [error] = result.errors
    assert isinstance(error, ValidationError)
    assert error.kind == "IPPool" and error.name == "pool6"
    assert str(error).startswith("IPPool(pool6): error with field spec.")
    with pytest.raises(ValidationError):
        result.raise_for_errors()


def test_validate_many_names_each_failing_resource() -> None:
    good = IPPool(metadata={"name": "good"}, spec={"cidr": "10.0.0.0/24", "ipipMode": "Never", "vxlanMode": "Never"})
    bad6 = IPPool(metadata={"name": "bad6"}, spec=POOL6)
    gnp = GlobalNetworkPolicy(metadata={"name": "g"}, spec={"selector": "all()"})
    result = calicopy.validate([good, bad6, gnp])
    assert result.num_resources == 3
    assert result.valid == [good, gnp]
    assert [(o.resource.metadata.name, o.ok) for o in result.outcomes] == [("good", True), ("bad6", False), ("g", True)]
    assert [e.name for e in result.errors] == ["bad6"]
    assert result.single_kind == ""
    assert calicopy.validate([good]).single_kind == "IPPool"
    assert calicopy.validate([good]).ok
    calicopy.validate(good).raise_for_errors()


# -- item 6: NaN and infinities ------------------------------------------------------------------


@pytest.mark.parametrize("text", [".nan", ".inf", "-.inf"])
def test_non_finite_numbers_are_rejected_on_input(text: str) -> None:
    with pytest.raises(calicopy.ManifestError, match=r"spec\.order"):
        calicopy.loads(_manifest(f"{{selector: all(), order: {text}}}", "NetworkPolicy", "{name: a, namespace: n}"))
    with pytest.raises(ValidationError, match=r"spec\.order"):
        NetworkPolicy(metadata={"name": "a", "namespace": "n"}, spec={"order": float(text.replace(".", ""))})
    with pytest.raises(ValidationError, match=r"spec\.order"):
        Tier.from_dict({"metadata": {"name": "t"}, "spec": {"order": math.inf}})


def test_non_finite_assignment_is_rejected() -> None:
    policy = NetworkPolicy(metadata={"name": "a", "namespace": "n"}, spec={"selector": "all()"})
    with pytest.raises(ValidationError, match="order"):
        policy.spec.order = math.nan
    assert policy.spec.order is None


# -- item 7: assignment is validated -------------------------------------------------------------


def test_assigning_an_int_to_a_float_field_serialises() -> None:
    policy = NetworkPolicy(metadata={"name": "a", "namespace": "n"}, spec={"selector": "all()"})
    policy.spec.order = 30
    assert policy.to_dict()["spec"]["order"] == 30
    assert '"order": 30' in calicopy.dump(policy, fmt="json")


def test_assignment_of_a_wrong_type_is_a_validation_error() -> None:
    pool = IPPool(metadata={"name": "p"}, spec={"cidr": "10.0.0.0/24"})
    with pytest.raises(ValidationError, match="blockSize"):
        pool.spec.block_size = "big"  # type: ignore[assignment]
    assert pool.spec.block_size == 0
    with pytest.raises(ValueError):
        pool.spec.nat_outgoing = "yes"  # type: ignore[assignment]


# -- item 9: kind/apiVersion and timestamps on strict input --------------------------------------


def test_from_dict_rejects_another_kind() -> None:
    with pytest.raises(ValidationError, match="kind") as info:
        IPPool.from_dict({"kind": "GlobalNetworkPolicy", "metadata": {"name": "a"}, "spec": {"cidr": "10.0.0.0/24"}})
    assert info.value.fields[0].path == "kind"
    with pytest.raises(ValidationError, match="kind"):
        IPPool(kind="GlobalNetworkPolicy", metadata={"name": "a"}, spec={"cidr": "10.0.0.0/24"})


def test_from_dict_rejects_another_api_version() -> None:
    with pytest.raises(ValidationError, match="apiVersion") as info:
        IPPool.from_dict({"apiVersion": "v1", "metadata": {"name": "a"}, "spec": {"cidr": "10.0.0.0/24"}})
    assert info.value.fields[0].path == "apiVersion"


def test_matching_or_absent_type_meta_is_fine() -> None:
    spec = {"cidr": "10.0.0.0/24"}
    IPPool.from_dict({"kind": "IPPool", "apiVersion": "projectcalico.org/v3", "metadata": {"name": "a"}, "spec": spec})
    assert IPPool.from_dict({"metadata": {"name": "a"}, "spec": spec}).kind == "IPPool"


@pytest.mark.parametrize("field", ["creationTimestamp", "deletionTimestamp"])
def test_a_timestamp_must_be_rfc3339(field: str) -> None:
    with pytest.raises(ValidationError, match=f"metadata.{field}") as info:
        IPPool.from_dict({"metadata": {"name": "a", field: "yesterday"}, "spec": {"cidr": "10.0.0.0/24"}})
    assert "yesterday" in str(info.value)
    with pytest.raises(calicopy.ManifestError, match=field):
        calicopy.loads(_manifest("{cidr: 10.0.0.0/24}", meta=f"{{name: a, {field}: yesterday}}"))


@pytest.mark.parametrize(
    "stamp",
    ["2024-05-01T10:00:00Z", "2024-05-01T10:00:00+02:00", "2024-05-01T10:00:00.123456Z", "2024-05-01T10:00:00.5-07:30"],
)
def test_rfc3339_timestamps_pass(stamp: str) -> None:
    pool = IPPool.from_dict({"metadata": {"name": "a", "creationTimestamp": stamp}, "spec": {"cidr": "10.0.0.0/24"}})
    assert pool.metadata.creation_timestamp == stamp


def test_constructor_runs_clientv3s_checks_that_need_no_datastore() -> None:
    with pytest.raises(ValidationError, match="IP pool size is too small"):
        IPPool(metadata={"name": "p"}, spec={"cidr": "10.0.0.0/30"})
    with pytest.raises(ValidationError, match="IPv4 block size must be between 20 and 32"):
        IPPool(metadata={"name": "p"}, spec={"cidr": "10.0.0.0/16", "blockSize": 19})
    IPPool(metadata={"name": "p"}, spec={"cidr": "10.0.0.0/30", "blockSize": 30})
    assert IPPool.from_dict({"metadata": {"name": "p"}, "spec": {"cidr": "10.0.0.0/30"}}, check=False)


def test_create_semantics_differ_from_the_validators_both_ways() -> None:
    # clientv3 defaults allowedUses to [Workload, Tunnel] before validating: a namespaceSelector
    # then fails create (libcalico-go's rule for tunnel pools), while the validator alone passes it.
    data = {"metadata": {"name": "p"}, "spec": {"cidr": "10.0.0.0/24", "namespaceSelector": "has(team)"}}
    with pytest.raises(ValidationError, match="Tunnel cannot have namespaceSelector"):
        IPPool.from_dict(data)
    assert calicopy.validate(IPPool.from_dict(data, check=False)).ok
    # The default tier without an order: create fills 1e6; the validator alone refuses.
    tier = Tier(metadata={"name": "default"}, spec={"defaultAction": "Deny"})
    assert tier.spec.order is None
    assert not calicopy.validate(tier).ok


def test_from_dict_without_check_still_decodes_strictly() -> None:
    with pytest.raises(ValidationError, match="not recognized"):
        IPPool.from_dict({"metadata": {"name": "p"}, "spec": {"cidr": "fd00::/64", "bogus": 1}}, check=False)
    assert IPPool.from_dict({"metadata": {"name": "p"}, "spec": POOL6}, check=False).spec.cidr == POOL6["cidr"]
