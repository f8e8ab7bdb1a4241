"""Key/value goldens of the etcdv3 datastore, derived from libcalico-go v3.32.1's code and tests.

Sources (``git show v3.32.1:<path>`` in github.com/projectcalico/calico):

* keys: ``libcalico-go/lib/backend/model/resource.go`` (``registerResourceInfo`` plurals,
  ``ResourceKey.defaultPath``), ``lib/namespace/resource.go`` (``IsNamespaced``), ``model/name.go``
  (``unescapeName``) and the key tables of ``model/keys_test.go``;
* values: ``model/keys.go`` ``SerializeValue`` (jsoniter ``ConfigCompatibleWithStandardLibrary``:
  struct fields in declaration order, map keys sorted, ``<``/``>``/``&`` escaped, and ``omitzero``
  ignored, so the empty ``source`` of a rule is written), ``etcdv3/etcdv3.go``
  (``defaultPolicyName``/``storePolicyName``: the ``projectcalico.org/metadata`` annotation), and the
  Go struct tags of ``api/pkg/apis/projectcalico/v3``;
* IPAM: ``model/block.go`` (``AllocationBlock``: ``affinity`` is not omitempty),
  ``model/block_affinity.go``, ``model/ipam_handle.go`` (the handle ID is the key, not in the value),
  ``model/ipam_config.go`` (snake_case, every field omitempty) and
  ``calicoctl/.../datastore/migrate/migrateipam_test.go`` (the keys of its block, affinity and handle).
"""

from __future__ import annotations

from typing import Any

import pytest

from calicopy.errors import ConversionError
from calicopy.etcd.codecs import codec_for
from calicopy.etcd.ipam import name_to_cidr
from calicopy.etcd.keys import parse_resource_key, prefix_range_end
from calicopy.resources.registry import KINDS

ROOT = "/calico/resources/v3/projectcalico.org"

#: Every v3 kind kept under a resource key: kind -> its key for name "n" (namespace "ns").
RESOURCE_KEYS = {
    "IPPool": f"{ROOT}/ippools/n",
    "IPReservation": f"{ROOT}/ipreservations/n",
    "NetworkPolicy": f"{ROOT}/networkpolicies/ns/n",
    "GlobalNetworkPolicy": f"{ROOT}/globalnetworkpolicies/n",
    "StagedNetworkPolicy": f"{ROOT}/stagednetworkpolicies/ns/n",
    "StagedGlobalNetworkPolicy": f"{ROOT}/stagedglobalnetworkpolicies/n",
    "StagedKubernetesNetworkPolicy": f"{ROOT}/stagedkubernetesnetworkpolicies/ns/n",
    "Tier": f"{ROOT}/tiers/n",
    "NetworkSet": f"{ROOT}/networksets/ns/n",
    "GlobalNetworkSet": f"{ROOT}/globalnetworksets/n",
    "HostEndpoint": f"{ROOT}/hostendpoints/n",
    "BGPPeer": f"{ROOT}/bgppeers/n",
    "BGPConfiguration": f"{ROOT}/bgpconfigurations/n",
    # registerResourceInfo[apiv3.BGPFilter](..., "BGPFilters"): lower-cased on registration.
    "BGPFilter": f"{ROOT}/bgpfilters/n",
    "FelixConfiguration": f"{ROOT}/felixconfigurations/n",
    "KubeControllersConfiguration": f"{ROOT}/kubecontrollersconfigurations/n",
    "ClusterInformation": f"{ROOT}/clusterinformations/n",
    "Profile": f"{ROOT}/profiles/n",
    "Node": f"{ROOT}/nodes/n",
    "WorkloadEndpoint": f"{ROOT}/workloadendpoints/ns/n",
    "CalicoNodeStatus": f"{ROOT}/caliconodestatuses/n",
}
IPAM = {"IPAMBlock", "BlockAffinity", "IPAMHandle", "IPAMConfiguration"}

#: The value of each kind with only a name (and namespace): Go's zero values of fields that are
#: not omitempty, ``creationTimestamp`` (a struct) as null, the policy annotation.
EMPTY = '"metadata":{"name":"n","creationTimestamp":null}'
EMPTY_NS = '"metadata":{"name":"n","namespace":"ns","creationTimestamp":null}'
POLICY_NOTE = '"annotations":{"projectcalico.org/metadata":"{\\"name\\":\\"n\\"}"}'
MINIMAL_VALUES = {
    "IPPool": EMPTY + ',"spec":{"cidr":""}',  # IPPoolSpec.CIDR has no omitempty
    "IPReservation": EMPTY + ',"spec":{}',
    "NetworkPolicy": '"metadata":{"name":"n","namespace":"ns","creationTimestamp":null,' + POLICY_NOTE + '},"spec":{}',
    "GlobalNetworkPolicy": '"metadata":{"name":"n","creationTimestamp":null,' + POLICY_NOTE + '},"spec":{}',
    "StagedNetworkPolicy": '"metadata":{"name":"n","namespace":"ns","creationTimestamp":null,'
    + POLICY_NOTE
    + '},"spec":{}',
    "StagedGlobalNetworkPolicy": '"metadata":{"name":"n","creationTimestamp":null,' + POLICY_NOTE + '},"spec":{}',
    # No tier, so no name annotation (defaultPolicyName covers the four tiered kinds only);
    # PodSelector is a metav1.LabelSelector struct without omitempty.
    "StagedKubernetesNetworkPolicy": EMPTY_NS + ',"spec":{"podSelector":{}}',
    "Tier": EMPTY + ',"spec":{},"status":{}',
    "NetworkSet": EMPTY_NS + ',"spec":{}',
    "GlobalNetworkSet": EMPTY + ',"spec":{}',
    "HostEndpoint": EMPTY + ',"spec":{}',
    "BGPPeer": EMPTY + ',"spec":{}',
    "BGPConfiguration": EMPTY + ',"spec":{}',
    "BGPFilter": EMPTY + ',"spec":{}',
    "FelixConfiguration": EMPTY + ',"spec":{"bpfLogLevel":""}',
    "KubeControllersConfiguration": EMPTY + ',"spec":{"controllers":{}},"status":{}',
    "ClusterInformation": EMPTY + ',"spec":{}',
    "Profile": EMPTY + ',"spec":{}',
    "Node": EMPTY + ',"spec":{},"status":{}',
    "WorkloadEndpoint": EMPTY_NS + ',"spec":{}',
}


def test_the_tables_cover_every_kind() -> None:
    assert set(RESOURCE_KEYS) | IPAM == set(KINDS)


@pytest.mark.parametrize("kind", sorted(RESOURCE_KEYS))
def test_resource_key_and_minimal_value(kind: str) -> None:
    info = KINDS[kind]
    meta = {"name": "n", "namespace": "ns"} if info.namespaced else {"name": "n"}
    resource = info.model.from_storage({"metadata": meta})
    codec = codec_for(kind)
    assert codec.key_of(resource) == RESOURCE_KEYS[kind]
    if kind in MINIMAL_VALUES:
        expected = f'{{"kind":"{kind}","apiVersion":"projectcalico.org/v3",{MINIMAL_VALUES[kind]}}}'
        assert codec.encode(resource) == expected
    decoded = codec.decode(RESOURCE_KEYS[kind], codec.encode(resource).encode(), 42)
    assert decoded is not None
    assert decoded.metadata.name == "n" and decoded.metadata.resource_version == "42"


def test_list_prefixes_end_in_a_slash() -> None:
    # calculateListKeyAndOptions: a trailing "/" so that /ippools does not match /ippools2.
    assert codec_for("IPPool").ranges(None) == [(f"{ROOT}/ippools/", f"{ROOT}/ippools0".encode())]
    assert codec_for("NetworkPolicy").ranges("prod")[0][0] == f"{ROOT}/networkpolicies/prod/"
    assert codec_for("NetworkPolicy").ranges(None)[0][0] == f"{ROOT}/networkpolicies/"
    assert prefix_range_end("/calico/") == b"/calico0"


@pytest.mark.parametrize(
    ("key", "kind", "expected"),
    [
        # model/keys_test.go's table.
        (f"{ROOT}/felixconfigurations/default", "FelixConfiguration", ("felixconfigurations", "", "default")),
        (
            f"{ROOT}/networkpolicies/default/my-network-policy",
            "NetworkPolicy",
            ("networkpolicies", "default", "my-network-policy"),
        ),
        (f"{ROOT}/networkpolicies", "NetworkPolicy", None),
        (f"{ROOT}/felixconfigurations/default/my-network-policy", "FelixConfiguration", "wrong scope"),
        # model/name.go: %2f and %25 are unescaped on read.
        (f"{ROOT}/globalnetworksets/a%2fb%25c", "GlobalNetworkSet", ("globalnetworksets", "", "a/b%c")),
    ],
)
def test_parse_resource_key(key: str, kind: str, expected: Any) -> None:
    parsed = parse_resource_key(key)
    if expected is None:
        assert parsed is None
        return
    if expected == "wrong scope":
        assert codec_for(kind).decode(key, b"{}", 1) is None
        return
    assert parsed is not None and (parsed.plural, parsed.namespace, parsed.name) == expected


def test_policy_value_golden() -> None:
    """A tiered policy as calicoctl v3.32.1 stores it (values from the Go struct order)."""
    gnp = KINDS["GlobalNetworkPolicy"].model.from_storage(
        {
            "metadata": {
                "name": "allow-db",
                "uid": "2a4e8c1f-0000-4000-8000-000000000001",
                "creationTimestamp": "2026-01-02T03:04:05Z",
                "resourceVersion": "17",  # never stored: it is the key's mod_revision
                "labels": {"zone": "b", "app": "db", "projectcalico.org/tier": "default"},
                "annotations": {"note": "<a & b>"},
            },
            "spec": {
                "types": ["Ingress"],
                "selector": "role == 'db' && has(app)",
                "tier": "default",
                "order": 100,
                "ingress": [{"action": "Allow", "protocol": "TCP", "destination": {"ports": [5432]}}],
            },
        }
    )
    assert codec_for("GlobalNetworkPolicy").encode(gnp) == (
        '{"kind":"GlobalNetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"allow-db",'
        '"uid":"2a4e8c1f-0000-4000-8000-000000000001","creationTimestamp":"2026-01-02T03:04:05Z",'
        '"labels":{"app":"db","projectcalico.org/tier":"default","zone":"b"},'
        '"annotations":{"note":"\\u003ca \\u0026 b\\u003e","projectcalico.org/metadata":"{\\"name\\":\\"allow-db\\"}"}},'
        '"spec":{"tier":"default","order":100,"ingress":[{"action":"Allow","protocol":"TCP","source":{},'
        '"destination":{"ports":[5432]}}],"selector":"role == \'db\' \\u0026\\u0026 has(app)","types":["Ingress"]}}'
    )


def test_cluster_scoped_value_drops_namespace_and_sorts_maps() -> None:
    pool = KINDS["IPPool"].model.from_storage(
        {"metadata": {"name": "pool1", "namespace": "x"}, "spec": {"natOutgoing": True, "cidr": "10.1.0.0/16"}}
    )
    profile = KINDS["Profile"].model.from_storage(
        {"metadata": {"name": "p"}, "spec": {"labelsToApply": {"z": "1", "a": "2"}}}
    )
    assert codec_for("IPPool").encode(pool) == (
        '{"kind":"IPPool","apiVersion":"projectcalico.org/v3","metadata":{"name":"pool1","creationTimestamp":null},'
        '"spec":{"cidr":"10.1.0.0/16","natOutgoing":true}}'
    )
    assert codec_for("Profile").encode(profile).endswith('"spec":{"labelsToApply":{"a":"2","z":"1"}}}')


@pytest.mark.parametrize(
    ("stored_name", "annotation", "tier", "read_as"),
    [
        # model/keys.go determinePolicyName.
        ("allow-dns", '{"name":"allow-dns"}', "default", "allow-dns"),
        ("default.allow-dns", '{"name":"allow-dns"}', "default", "allow-dns"),
        ("default.allow-dns", None, "default", "allow-dns"),  # written by v3.30 or older
        ("default.allow-dns", None, "", "allow-dns"),
        ("sec.allow-dns", None, "sec", "sec.allow-dns"),
    ],
)
def test_policy_names_read_back(stored_name: str, annotation: str | None, tier: str, read_as: str) -> None:
    import json

    meta: dict[str, Any] = {"name": stored_name}
    if annotation is not None:
        meta["annotations"] = {"projectcalico.org/metadata": annotation, "keep": "me"}
    value = json.dumps({"kind": "GlobalNetworkPolicy", "metadata": meta, "spec": {"tier": tier}})
    policy = codec_for("GlobalNetworkPolicy").decode(f"{ROOT}/globalnetworkpolicies/{stored_name}", value.encode(), 5)
    assert policy is not None and policy.metadata.name == read_as
    if annotation is not None:
        assert policy.metadata.annotations == {"keep": "me"}  # the name annotation is dropped


def test_bad_policy_annotation_is_a_conversion_error() -> None:
    value = b'{"metadata":{"name":"x","annotations":{"projectcalico.org/metadata":"{oops"}},"spec":{}}'
    with pytest.raises(ConversionError, match=r"projectcalico.org/metadata"):
        codec_for("GlobalNetworkPolicy").decode(f"{ROOT}/globalnetworkpolicies/x", value, 1)


# -- IPAM ---------------------------------------------------------------------------------------------


def test_block_golden() -> None:
    block = KINDS["IPAMBlock"].model.from_storage(
        {
            "metadata": {"name": "10-244-0-0-30"},
            "spec": {
                "cidr": "10.244.0.0/30",
                "affinity": "host:node-1",
                "allocations": [0, None, None, 1],
                "unallocated": [1, 2],
                "attributes": [
                    {
                        "handle_id": "k8s-pod-network.abc",
                        "secondary": {"pod": "p", "namespace": "ns", "node": "node-1"},
                    },
                    {
                        "handle_id": "ipip-tunnel-addr-node-1",
                        "secondary": {"type": "ipipTunnelAddress", "node": "node-1"},
                    },
                ],
                "sequenceNumber": 7,
                "sequenceNumberForAllocation": {"3": 6, "0": 5},
                "strictAffinity": False,  # v3 only: no such model field
            },
        }
    )
    codec = codec_for("IPAMBlock")
    key, value = codec.key_of(block), codec.encode(block)
    assert key == "/calico/ipam/v2/assignment/ipv4/block/10.244.0.0-30"
    assert value == (
        '{"cidr":"10.244.0.0/30","affinity":"host:node-1","allocations":[0,null,null,1],"unallocated":[1,2],'
        '"attributes":[{"handle_id":"k8s-pod-network.abc","secondary":{"namespace":"ns","node":"node-1","pod":"p"}},'
        '{"handle_id":"ipip-tunnel-addr-node-1","secondary":{"node":"node-1","type":"ipipTunnelAddress"}}],'
        '"sequenceNumber":7,"sequenceNumberForAllocation":{"0":5,"3":6},"deleted":false}'
    )
    back = codec.decode(key, value.encode(), 9)
    assert back is not None and back.metadata.name == "10-244-0-0-30" and back.metadata.resource_version == "9"
    assert back.spec == block.spec


def test_empty_ipv6_block_golden() -> None:
    block = KINDS["IPAMBlock"].model.from_storage({"metadata": {"name": "x"}, "spec": {"cidr": "fd00:10:244::/122"}})
    codec = codec_for("IPAMBlock")
    assert codec.key_of(block) == "/calico/ipam/v2/assignment/ipv6/block/fd00:10:244::-122"
    # Nil slices and maps are null; affinity is a pointer without omitempty.
    assert codec.encode(block) == (
        '{"cidr":"fd00:10:244::/122","affinity":null,"allocations":null,"unallocated":null,"attributes":null,'
        '"sequenceNumber":0,"sequenceNumberForAllocation":null,"deleted":false}'
    )
    assert codec.decode(codec.key_of(block), codec.encode(block).encode(), 1).metadata.name == "fd00-10-244---122"  # type: ignore[union-attr]


def test_block_keeps_fields_the_model_has_and_v3_lacks() -> None:
    codec = codec_for("IPAMBlock")
    key = "/calico/ipam/v2/assignment/ipv4/block/10.0.0.0-26"
    value = b'{"cidr":"10.0.0.0/26","affinity":null,"affinity_claim_time":"2026-01-02T03:04:05Z","hostAffinity":"old","deleted":false}'
    block = codec.decode(key, value, 3)
    assert block is not None and block.spec.affinity_claim_time == "2026-01-02T03:04:05Z"
    assert '"hostAffinity":"old"' in codec.encode(block)
    assert '"affinity_claim_time":"2026-01-02T03:04:05Z"' in codec.encode(block)


def test_affinity_golden_and_v3_view() -> None:
    codec = codec_for("BlockAffinity")
    # migrateipam_test.go: BlockAffinityKey{CIDR: 192.168.201.0/26, Host: etcdNodeName, AffinityType: host}.
    key = "/calico/ipam/v2/host/etcdNodeName/ipv4/block/192.168.201.0-26"
    affinity = codec.decode(key, b'{"state":"confirmed","deleted":false}', 4)
    assert affinity is not None
    assert affinity.metadata.name == "etcdNodeName-192-168-201-0-26"
    assert (
        affinity.spec.node == "etcdNodeName"
        and affinity.spec.type == "host"
        and affinity.spec.cidr == "192.168.201.0/26"
    )
    assert affinity.metadata.labels == {
        "projectcalico.org/affinity-type": "host",
        "projectcalico.org/hostname-hash": affinity.metadata.labels["projectcalico.org/hostname-hash"],
        "projectcalico.org/ip-version": "4",
    }
    assert codec.key_of(affinity) == key
    assert codec.encode(affinity) == '{"state":"confirmed","deleted":false}'
    # Block affinities used to be stored with no value (BlockAffinityKey.parseValue).
    old = codec.decode("/calico/ipam/v2/host/node-1/ipv6/block/fd00::-122", b"", 2)
    assert old is not None and old.spec.state == "" and old.spec.cidr == "fd00::/122"
    assert codec.decode("/calico/ipam/v2/virtual/vm-1/ipv4/block/10.0.0.0-26", b"{}", 2).spec.type == "virtual"  # type: ignore[union-attr]


def test_hostname_hash_label() -> None:
    # Value from ../shared/reference/calico-storage.md §3.4 (SHA3-256, base32 without padding).
    affinity = codec_for("BlockAffinity").decode("/calico/ipam/v2/host/node-1/ipv4/block/10.0.0.0-26", b"{}", 1)
    assert affinity is not None
    assert (
        affinity.metadata.labels["projectcalico.org/hostname-hash"]
        == "A3XPYDATRKB7Q4SM2O5FN4RXIHBFIL2PITFX26BAIP5XAB2X74CA"
    )


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        (
            "node-1-10-244-0-0-26",
            [
                "/calico/ipam/v2/host/node-1/ipv4/block/10.244.0.0-26",
                "/calico/ipam/v2/virtual/node-1/ipv4/block/10.244.0.0-26",
            ],
        ),
        ("not-an-affinity", []),
    ],
)
def test_affinity_names_map_back_to_keys(name: str, keys: list[str]) -> None:
    assert codec_for("BlockAffinity").keys_for_name(name, None) == keys


def test_handle_golden() -> None:
    codec = codec_for("IPAMHandle")
    handle = KINDS["IPAMHandle"].model.from_storage(
        {
            "metadata": {"name": "x"},
            "spec": {"handleID": "ipip-tunnel-addr-etcdNodeName", "block": {"192.168.201.0/26": 1}},
        }
    )
    assert codec.key_of(handle) == "/calico/ipam/v2/handle/ipip-tunnel-addr-etcdNodeName"
    assert codec.encode(handle) == '{"block":{"192.168.201.0/26":1},"deleted":false}'
    back = codec.decode(codec.key_of(handle), codec.encode(handle).encode(), 3)
    # The KDD name is the lower-cased ID; spec.handleID keeps the case.
    assert back is not None and back.metadata.name == "ipip-tunnel-addr-etcdnodename"
    assert back.spec.handle_id == "ipip-tunnel-addr-etcdNodeName"


def test_ipam_config_golden() -> None:
    codec = codec_for("IPAMConfiguration")
    config = KINDS["IPAMConfiguration"].model.from_storage(
        {
            "metadata": {"name": "default"},
            "spec": {"strictAffinity": True, "autoAllocateBlocks": True, "maxBlocksPerHost": 4},
        }
    )
    assert codec.key_of(config) == "/calico/ipam/v2/config"
    assert codec.encode(config) == '{"strict_affinity":true,"auto_allocate_blocks":true,"maxBlocksPerHost":4}'
    off = KINDS["IPAMConfiguration"].model.from_storage(
        {"metadata": {"name": "default"}, "spec": {"autoAllocateBlocks": True}}
    )
    assert codec.encode(off) == '{"auto_allocate_blocks":true}'  # omitempty drops false and 0
    back = codec.decode("/calico/ipam/v2/config", b'{"auto_allocate_blocks":true}', 8)
    assert back is not None and back.spec.strict_affinity is False and back.spec.auto_allocate_blocks is True
    assert codec.keys_for_name("other", None) == []


@pytest.mark.parametrize(
    ("name", "cidr"),
    [
        ("10-244-0-0-26", "10.244.0.0/26"),
        ("fd00-10-244---122", "fd00:10:244::/122"),
        ("2001-db8-1-2-3-4-5-0-122", "2001:db8:1:2:3:4:5:0/122"),
        ("nope", None),
    ],
)
def test_block_names_map_back_to_cidrs(name: str, cidr: str | None) -> None:
    # names.CIDRToName examples of ../shared/reference/calico-storage.md §3.1.
    assert name_to_cidr(name) == cidr
