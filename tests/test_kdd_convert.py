"""Golden and property tests of the KDD mapping (calicopy.kdd) against Calico v3.32.1.

Each golden case names the Go source it is derived from (paths relative to the Calico monorepo at
tag v3.32.1 unless a tag is given).  Annotation bytes are compared as exact JSON text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calicopy.kdd import (
    METADATA_ANNOTATION,
    UIDError,
    affinity_name,
    block_affinity_labels,
    cidr_to_name,
    convert_uid,
    from_crd,
    handle_name,
    hostname_hash,
    read_defaults,
    to_crd,
)
from calicopy.kdd.kinds import custom_resource_kinds
from calicopy.resources import (
    KINDS,
    BGPPeer,
    BlockAffinity,
    GlobalNetworkPolicy,
    GlobalNetworkSet,
    IPAMBlock,
    IPAMConfiguration,
    IPPool,
    NetworkPolicy,
    NetworkSet,
    StagedKubernetesNetworkPolicy,
    Tier,
)

V1 = "crd.projectcalico.org/v1"
V3 = "projectcalico.org/v3"
TS = "2026-01-02T03:04:05Z"

# ---------------------------------------------------------------------------------------------
# ConvertUID -- libcalico-go/lib/backend/k8s/conversion/conversion.go
# ---------------------------------------------------------------------------------------------

UID_PAIRS = [
    # conversion/conversion_test.go "Test UID conversion": original -> converted.
    ("30316465-6365-4463-ad63-3564622d3638", "0c8c26a6-c6a6-44c6-adc6-ac2646b46c1c"),
    # k8s/resources/customresource_test.go: baseUID -> convertedUID.
    ("41cb1fde-57e7-42c1-a73b-0acaf38c7737", "82d3f87b-eae7-4283-a7dc-5053cf31eeec"),
    # calico-storage.md 2.6 (computed from the algorithm in conversion.go reverseUID).
    ("f81d4fae-7dec-11d0-a765-00a0c91e6bf6", "1fb8f275-be37-110b-a7a6-00059378d66f"),
]


@pytest.mark.parametrize(("original", "converted"), UID_PAIRS)
def test_convert_uid_forward(original: str, converted: str) -> None:
    assert convert_uid(original) == converted


@pytest.mark.parametrize(("original", "converted"), UID_PAIRS)
def test_convert_uid_back(original: str, converted: str) -> None:
    # conversion_test.go "Converting it back".
    assert convert_uid(converted) == original


@pytest.mark.parametrize(
    "form",
    [
        # google/uuid Parse accepts these forms (uuid.go Parse); output is canonical lower case.
        "30316465-6365-4463-AD63-3564622D3638",
        "urn:uuid:30316465-6365-4463-ad63-3564622d3638",
        "{30316465-6365-4463-ad63-3564622d3638}",
        "30316465636544 63ad633564622d3638".replace(" ", ""),
    ],
)
def test_convert_uid_accepts_google_uuid_forms(form: str) -> None:
    assert convert_uid(form) == "0c8c26a6-c6a6-44c6-adc6-ac2646b46c1c"


def test_convert_uid_rejects_invalid() -> None:
    # conversion_test.go "should error on an invalid UID"; google/uuid's length message.
    with pytest.raises(UIDError, match=r"^failed to parse UID for resource: invalid UUID length: 9$"):
        convert_uid("not-a-uid")
    with pytest.raises(UIDError, match="invalid UUID format"):
        convert_uid("3031646x-6365-4463-ad63-3564622d3638")


@given(st.uuids())
def test_convert_uid_is_an_involution(u: Any) -> None:
    text = str(u)
    once = convert_uid(text)
    assert convert_uid(once) == text
    # Bytes 6 and 8 (version, variant) survive (conversion_test.go checks the version nibble).
    assert once[14] == text[14] and once[19] == text[19]


# ---------------------------------------------------------------------------------------------
# IPAM names -- libcalico-go/lib/names/cidr.go, k8s/resources/ipam_*.go, model/block_affinity.go
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cidr", "name"),
    [
        ("10.244.0.0/26", "10-244-0-0-26"),
        ("fd00:10:244::/122", "fd00-10-244---122"),
        ("2001:db8:1:2:3:4:5:0/122", "2001-db8-1-2-3-4-5-0-122"),
    ],
)
def test_cidr_to_name(cidr: str, name: str) -> None:
    assert cidr_to_name(cidr) == name


def test_ipam_object_names() -> None:
    # ipam_handle.go parseKey: strings.ToLower(handleID).
    assert handle_name("k8s-pod-network.ABCdef") == "k8s-pod-network.abcdef"
    # ipam_affinity_v1.go parseKey.
    assert affinity_name("node-1", "10.244.0.0/26") == "node-1-10-244-0-0-26"
    long_name = affinity_name("a" * 250, "10.244.0.0/26")
    assert long_name == "a" * 226 + "-10-244-0-0-26-1c2a4913b3a"
    assert len(long_name) == 252


def test_block_affinity_labels() -> None:
    # model/block_affinity.go EnsureBlockAffinityLabels, hashHostnameForLabel.
    assert hostname_hash("node-1") == "A3XPYDATRKB7Q4SM2O5FN4RXIHBFIL2PITFX26BAIP5XAB2X74CA"
    assert block_affinity_labels("node-1", "host", "fd00::/122")["projectcalico.org/ip-version"] == "6"


# ---------------------------------------------------------------------------------------------
# to_crd golden cases -- k8s/resources/resources.go ConvertCalicoResourceToK8sResource
# ---------------------------------------------------------------------------------------------


def _annotation(cr: dict[str, Any]) -> str:
    value = cr["metadata"]["annotations"][METADATA_ANNOTATION]
    assert isinstance(value, str)
    return value


def test_to_crd_bgppeer_labels_and_annotations() -> None:
    # customresource_test.go "should handle converting labels and annotations from v3 -> v1".
    peer = BGPPeer.from_storage(
        {
            "metadata": {
                "name": "1-2-3-4",
                "resourceVersion": "rv",
                "uid": "82d3f87b-eae7-4283-a7dc-5053cf31eeec",
                "labels": {"foo": "bar", "projectcalico.org/foo": "bar", "operator.tigera.io/foo": "bar"},
                "annotations": {"foo": "bar", "projectcalico.org/foo": "bar", "operator.tigera.io/foo": "bar"},
            },
            "spec": {"peerIP": "1.2.3.4", "asNumber": 1212},
        }
    )
    cr = to_crd(peer)
    assert cr["kind"] == "BGPPeer" and cr["apiVersion"] == V1
    assert cr["metadata"]["uid"] == "41cb1fde-57e7-42c1-a73b-0acaf38c7737"
    assert cr["metadata"]["labels"] == {"operator.tigera.io/foo": "bar", "projectcalico.org/foo": "bar"}
    assert cr["metadata"]["annotations"] == {
        "operator.tigera.io/foo": "bar",
        "projectcalico.org/foo": "bar",
        METADATA_ANNOTATION: (
            '{"creationTimestamp":null,'
            '"labels":{"foo":"bar","operator.tigera.io/foo":"bar","projectcalico.org/foo":"bar"},'
            '"annotations":{"foo":"bar","operator.tigera.io/foo":"bar","projectcalico.org/foo":"bar"}}'
        ),
    }
    assert cr["spec"] == {"peerIP": "1.2.3.4", "asNumber": 1212}


def test_from_crd_bgppeer_labels_added_on_v1() -> None:
    # customresource_test.go: labels/annotations added to the v1 CR are merged on read.
    peer = BGPPeer.from_storage(
        {"metadata": {"name": "1-2-3-4", "labels": {"foo": "bar"}, "annotations": {"foo": "bar"}}}
    )
    cr = to_crd(peer)
    cr["metadata"].setdefault("labels", {})["foo2"] = "bar2"
    cr["metadata"]["annotations"]["foo2"] = "bar2"
    back = from_crd(cr)
    assert back.metadata.labels == {"foo": "bar", "foo2": "bar2"}
    assert back.metadata.annotations == {"foo": "bar", "foo2": "bar2"}
    # Writing again moves the non-"ours" entries back into the annotation only.
    again = to_crd(back)
    assert "labels" not in again["metadata"]
    assert set(again["metadata"]["annotations"]) == {METADATA_ANNOTATION}


def test_to_crd_bgppeer_roundtrip_uid() -> None:
    # customresource_test.go "should convert between a Kubernetes resource and the equivalent KVPair".
    peer = BGPPeer.from_storage(
        {
            "metadata": {"name": "1-2-3-4", "resourceVersion": "rv", "uid": "82d3f87b-eae7-4283-a7dc-5053cf31eeec"},
            "spec": {"peerIP": "1.2.3.4", "asNumber": 1212},
        }
    )
    assert from_crd(to_crd(peer)) == peer


def test_to_crd_ippool_created_by_clientv3() -> None:
    # resources.go: non-policy kinds keep no name in the annotation; clientv3 sets creationTimestamp.
    pool = IPPool.from_storage(
        {"metadata": {"name": "pool1", "creationTimestamp": TS}, "spec": {"cidr": "10.0.0.0/16"}}
    )
    cr = to_crd(pool)
    assert cr["metadata"] == {"name": "pool1", "annotations": {METADATA_ANNOTATION: f'{{"creationTimestamp":"{TS}"}}'}}
    assert cr["spec"] == {"cidr": "10.0.0.0/16"}


def test_to_crd_network_policy_keeps_name_and_tier_label() -> None:
    # resources.go keeps the name for NP/GNP/SNP/SGNP; api/pkg/defaults/networkpolicy.go setTierLabel.
    policy = NetworkPolicy.from_storage(
        {
            "metadata": {
                "name": "allow-dns",
                "namespace": "ns1",
                "creationTimestamp": TS,
                "labels": {"app": "x", "projectcalico.org/tier": "default"},
            },
            "spec": {"tier": "default", "selector": "all()"},
        }
    )
    cr = to_crd(policy)
    assert cr["metadata"]["name"] == "allow-dns"  # v3.32: storage name == v3 name
    assert cr["metadata"]["namespace"] == "ns1"
    assert cr["metadata"]["labels"] == {"projectcalico.org/tier": "default"}
    assert _annotation(cr) == (
        f'{{"name":"allow-dns","creationTimestamp":"{TS}","labels":{{"app":"x","projectcalico.org/tier":"default"}}}}'
    )


def test_to_crd_gnp_non_default_tier() -> None:
    # customresource.go v3.32: tiered names are stored unchanged.
    gnp = GlobalNetworkPolicy.from_storage(
        {"metadata": {"name": "sec.deny", "labels": {"projectcalico.org/tier": "sec"}}, "spec": {"tier": "sec"}}
    )
    cr = to_crd(gnp)
    assert cr["metadata"]["name"] == "sec.deny"
    assert _annotation(cr) == '{"name":"sec.deny","creationTimestamp":null,"labels":{"projectcalico.org/tier":"sec"}}'


def test_to_crd_staged_kubernetes_policy_has_no_name_in_annotation() -> None:
    # resources.go: only the four tiered kinds keep the name (SKNP is not one).
    sknp = StagedKubernetesNetworkPolicy.from_storage({"metadata": {"name": "k", "namespace": "n"}})
    assert _annotation(to_crd(sknp)) == '{"creationTimestamp":null}'


def test_to_crd_owner_references() -> None:
    # resources.go: projectcalico.org/v3 owners -> crd.projectcalico.org/v1 with ConvertUID; others unchanged.
    nset = NetworkSet.from_storage(
        {
            "metadata": {
                "name": "ns",
                "namespace": "n",
                "ownerReferences": [
                    {"apiVersion": V3, "kind": "Tier", "name": "t", "uid": "30316465-6365-4463-ad63-3564622d3638"},
                    {
                        "apiVersion": "apps/v1",
                        "kind": "Deployment",
                        "name": "d",
                        "uid": "41cb1fde-57e7-42c1-a73b-0acaf38c7737",
                        "controller": True,
                    },
                ],
            }
        }
    )
    cr = to_crd(nset)
    assert "ownerReferences" not in cr["metadata"]  # only in the annotation: GC never sees them
    assert _annotation(cr) == (
        '{"creationTimestamp":null,"ownerReferences":['
        '{"apiVersion":"crd.projectcalico.org/v1","kind":"Tier","name":"t","uid":"0c8c26a6-c6a6-44c6-adc6-ac2646b46c1c"},'
        '{"apiVersion":"apps/v1","kind":"Deployment","name":"d","uid":"41cb1fde-57e7-42c1-a73b-0acaf38c7737",'
        '"controller":true}]}'
    )
    assert from_crd(cr) == nset


def test_to_crd_annotation_field_order_and_escaping() -> None:
    # metav1.ObjectMeta field order; Go map keys sorted; HTML-escaped strings (jsoniter std config).
    gns = GlobalNetworkSet.from_storage(
        {
            "metadata": {
                "name": "g",
                "generateName": "g-",
                "generation": 3,
                "creationTimestamp": "2026-01-02T04:04:05.25+01:00",
                "labels": {"z": "1", "a": "<&>"},
                "finalizers": ["f"],
            }
        }
    )
    assert _annotation(to_crd(gns)) == (
        '{"generateName":"g-","generation":3,"creationTimestamp":"2026-01-02T03:04:05Z",'
        '"labels":{"a":"\\u003c\\u0026\\u003e","z":"1"},"finalizers":["f"]}'
    )


def test_to_crd_ipam_block_annotation_is_null_timestamp() -> None:
    # ipam_block.go builds a fresh ObjectMeta (name, resourceVersion): annotation {"creationTimestamp":null}.
    block = IPAMBlock.from_storage({"metadata": {"name": "10-244-0-0-26"}, "spec": {"cidr": "10.244.0.0/26"}})
    cr = to_crd(block)
    assert cr["kind"] == "IPAMBlock"
    assert _annotation(cr) == '{"creationTimestamp":null}'


def test_to_crd_ipamconfiguration_renamed_in_v1() -> None:
    # ipam_config_v3.go getBackingTypeMeta: Kind IPAMConfig in crd.projectcalico.org/v1.
    cfg = IPAMConfiguration.from_storage(
        {"metadata": {"name": "default"}, "spec": {"strictAffinity": True, "autoAllocateBlocks": True}}
    )
    cr = to_crd(cfg)
    assert (cr["kind"], cr["apiVersion"]) == ("IPAMConfig", V1)
    assert cr["spec"] == {"strictAffinity": True, "autoAllocateBlocks": True}
    cr3 = to_crd(cfg, V3)
    assert (cr3["kind"], cr3["apiVersion"]) == ("IPAMConfiguration", V3)


BA_SPEC = {"state": "confirmed", "node": "node-1", "type": "host", "cidr": "10.244.0.0/26", "deleted": False}
BA_LABELS = {
    "projectcalico.org/affinity-type": "host",
    "projectcalico.org/hostname-hash": "A3XPYDATRKB7Q4SM2O5FN4RXIHBFIL2PITFX26BAIP5XAB2X74CA",
    "projectcalico.org/ip-version": "4",
}


def test_to_crd_block_affinity_v1() -> None:
    # ipam_affinity_v3.go buildCRD: name + resourceVersion only, labels computed, deleted "%t" string.
    ba = BlockAffinity.from_storage(
        {
            "metadata": {"name": "node-1-10-244-0-0-26", "resourceVersion": "5", "labels": {"user": "x"}, "uid": "x"},
            "spec": BA_SPEC,
        }
    )
    cr = to_crd(ba)
    assert cr["metadata"] == {
        "name": "node-1-10-244-0-0-26",
        "resourceVersion": "5",
        "labels": BA_LABELS,
        "annotations": {
            METADATA_ANNOTATION: '{"creationTimestamp":null,"labels":'
            + json.dumps(BA_LABELS, separators=(",", ":"))
            + "}",
            **{},
        },
    }
    assert cr["spec"] == {**BA_SPEC, "deleted": "false"}


def test_to_crd_block_affinity_v3() -> None:
    # ipam_affinity_v3.go buildCRD (isV3): bool deleted, labels, no annotation.
    ba = BlockAffinity.from_storage({"metadata": {"name": "n"}, "spec": {**BA_SPEC, "deleted": True}})
    cr = to_crd(ba, V3)
    assert cr == {
        "kind": "BlockAffinity",
        "apiVersion": V3,
        "metadata": {"name": "n", "labels": BA_LABELS},
        "spec": {**BA_SPEC, "deleted": True},
    }


def test_to_crd_v3_group_is_pass_through() -> None:
    # customresource.go convertKVPairToResource: v3 mode sends the v3 object unchanged.
    policy = NetworkPolicy.from_storage(
        {
            "metadata": {
                "name": "p",
                "namespace": "n",
                "uid": "30316465-6365-4463-ad63-3564622d3638",
                "labels": {"app": "x"},
                "creationTimestamp": TS,
            },
            "spec": {"tier": "default"},
        }
    )
    cr = to_crd(policy, V3)
    assert cr == {
        "kind": "NetworkPolicy",
        "apiVersion": V3,
        **{k: v for k, v in policy.to_dict().items() if k not in ("kind", "apiVersion")},
    }
    assert METADATA_ANNOTATION not in cr["metadata"].get("annotations", {})


# ---------------------------------------------------------------------------------------------
# from_crd golden cases -- resources.go ConvertK8sResourceToCalicoResource + clientv3 read paths
# ---------------------------------------------------------------------------------------------


def test_from_crd_v326_written_policy() -> None:
    # v3.26.1 resources.go: labels/annotations on the CR, uid inside the JSON (ignored), name "default.foo".
    cr = {
        "apiVersion": V1,
        "kind": "NetworkPolicy",
        "metadata": {
            "name": "default.foo",
            "namespace": "n",
            "uid": "30316465-6365-4463-ad63-3564622d3638",
            "resourceVersion": "9",
            "creationTimestamp": "2023-06-01T00:00:00Z",
            "labels": {"app": "x"},
            "annotations": {
                "note": "y",
                METADATA_ANNOTATION: '{"uid":"f81d4fae-7dec-11d0-a765-00a0c91e6bf6","creationTimestamp":"2023-06-01T00:00:00Z"}',
            },
        },
        "spec": {"tier": "default", "order": 100, "selector": "all()"},
    }
    policy = from_crd(cr)
    assert policy.metadata.name == "foo"  # determinePolicyName strips default.
    assert policy.metadata.uid == "0c8c26a6-c6a6-44c6-adc6-ac2646b46c1c"  # from the CR, converted
    assert policy.metadata.labels == {"app": "x", "projectcalico.org/tier": "default"}  # defaultTierLabelIfMissing
    assert policy.metadata.annotations == {"note": "y"}
    assert policy.metadata.creation_timestamp == "2023-06-01T00:00:00Z"
    # The next v3.32 write moves the user label/annotation into the JSON and off the CR.
    again = to_crd(policy)
    assert again["metadata"]["name"] == "foo"
    assert again["metadata"]["labels"] == {"projectcalico.org/tier": "default"}
    assert set(again["metadata"]["annotations"]) == {METADATA_ANNOTATION}


def test_from_crd_non_default_tier_keeps_prefix() -> None:
    # resources.go determinePolicyName: only the default tier strips "default.".
    cr = {
        "apiVersion": V1,
        "kind": "GlobalNetworkPolicy",
        "metadata": {"name": "default.x", "annotations": {METADATA_ANNOTATION: '{"creationTimestamp":null}'}},
        "spec": {"tier": "sec"},
    }
    assert from_crd(cr).metadata.name == "default.x"


def test_from_crd_v330_legacy_name_with_annotation_name() -> None:
    # v3.30/v3.31 stored "default.foo" with the v3 name "foo" in the annotation.
    cr = {
        "apiVersion": V1,
        "kind": "StagedNetworkPolicy",
        "metadata": {
            "name": "default.foo",
            "namespace": "n",
            "annotations": {METADATA_ANNOTATION: f'{{"name":"foo","creationTimestamp":"{TS}"}}'},
        },
        "spec": {"tier": "default"},
    }
    assert from_crd(cr).metadata.name == "foo"


def test_from_crd_non_policy_ignores_default_prefix() -> None:
    # resources.go: determinePolicyName applies to the four tiered kinds only.
    cr = {
        "apiVersion": V1,
        "kind": "GlobalNetworkSet",
        "metadata": {"name": "default.x", "annotations": {METADATA_ANNOTATION: "{}"}},
    }
    assert from_crd(cr).metadata.name == "default.x"


def test_from_crd_kubectl_written_ippool() -> None:
    # No annotation: CR metadata kept (uid converted); clientv3/ippool.go convertIpPoolFromStorage defaults.
    cr = {
        "apiVersion": V1,
        "kind": "IPPool",
        "metadata": {
            "name": "p",
            "uid": "41cb1fde-57e7-42c1-a73b-0acaf38c7737",
            "generation": 2,
            "creationTimestamp": TS,
            "labels": {"team": "a"},
            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"},
        },
        "spec": {"cidr": "fd00::/64"},
    }
    pool = from_crd(cr)
    assert pool.to_dict() == {
        "kind": "IPPool",
        "apiVersion": V3,
        "metadata": {
            "name": "p",
            "uid": "82d3f87b-eae7-4283-a7dc-5053cf31eeec",
            "generation": 2,
            "creationTimestamp": TS,
            "labels": {"team": "a"},
            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"},
        },
        "spec": {
            "cidr": "fd00::/64",
            "vxlanMode": "Never",
            "ipipMode": "Never",
            "blockSize": 122,
            "nodeSelector": "all()",
            "allowedUses": ["Workload", "Tunnel"],
            "assignmentMode": "Automatic",
        },
    }


def test_from_crd_ippool_ipv4_block_size() -> None:
    # convertIpPoolFromStorage: blockSize 26 for IPv4.
    cr = {"apiVersion": V1, "kind": "IPPool", "metadata": {"name": "p"}, "spec": {"cidr": "10.0.0.0/16"}}
    assert from_crd(cr).spec.block_size == 26


def test_from_crd_tier_defaults() -> None:
    # k8s/resources/tiers.go tierDefaulter -> DefaultTierFields: order 1000000, defaultAction Deny.
    cr = {"apiVersion": V1, "kind": "Tier", "metadata": {"name": "t"}, "spec": {}}
    tier = from_crd(cr)
    assert isinstance(tier, Tier)
    assert (tier.spec.order, tier.spec.default_action) == (1_000_000.0, "Deny")


def test_from_crd_owner_refs_both_legacy_versions() -> None:
    # resources.go: crd.projectcalico.org/v1 and projectcalico.org/v3 refs both become v3 with ConvertUID.
    meta = {
        "creationTimestamp": None,
        "ownerReferences": [
            {"apiVersion": V1, "kind": "Tier", "name": "a", "uid": "0c8c26a6-c6a6-44c6-adc6-ac2646b46c1c"},
            {"apiVersion": V3, "kind": "Tier", "name": "b", "uid": "0c8c26a6-c6a6-44c6-adc6-ac2646b46c1c"},
            {"apiVersion": "v1", "kind": "Namespace", "name": "c", "uid": "0c8c26a6-c6a6-44c6-adc6-ac2646b46c1c"},
        ],
    }
    cr = {
        "apiVersion": V1,
        "kind": "NetworkSet",
        "metadata": {"name": "s", "namespace": "n", "annotations": {METADATA_ANNOTATION: json.dumps(meta)}},
    }
    refs = [r.to_dict() for r in from_crd(cr).metadata.owner_references]
    assert [(r["apiVersion"], r["uid"]) for r in refs] == [
        (V3, "30316465-6365-4463-ad63-3564622d3638"),
        (V3, "30316465-6365-4463-ad63-3564622d3638"),
        ("v1", "0c8c26a6-c6a6-44c6-adc6-ac2646b46c1c"),
    ]


def test_from_crd_annotation_wins_over_cr_labels() -> None:
    # resources.go: CR labels overlaid with the annotation's labels (annotation wins).
    cr = {
        "apiVersion": V1,
        "kind": "HostEndpoint",
        "metadata": {
            "name": "h",
            "labels": {"projectcalico.org/x": "cr", "only-cr": "1"},
            "annotations": {METADATA_ANNOTATION: '{"creationTimestamp":null,"labels":{"projectcalico.org/x":"meta"}}'},
        },
    }
    assert from_crd(cr).metadata.labels == {"projectcalico.org/x": "meta", "only-cr": "1"}


def test_from_crd_creation_timestamp_from_cr_when_null() -> None:
    # resources.go: a zero creationTimestamp in the JSON is replaced by the CR's (IPAM objects).
    cr = {
        "apiVersion": V1,
        "kind": "IPAMHandle",
        "metadata": {
            "name": "h",
            "creationTimestamp": TS,
            "finalizers": ["on-cr-only"],
            "annotations": {METADATA_ANNOTATION: '{"creationTimestamp":null}'},
        },
        "spec": {"handleID": "H", "block": {"10.0.0.0/26": 1}, "deleted": False},
    }
    handle = from_crd(cr)
    assert handle.metadata.creation_timestamp == TS
    assert handle.metadata.finalizers == []  # the annotation's metadata replaces the CR's


def test_from_crd_block_affinity_v1_deleted_string() -> None:
    # ipam_affinity_v3.go ipamAffinityVersionConverter: Deleted == "true".
    cr = {
        "apiVersion": V1,
        "kind": "BlockAffinity",
        "metadata": {"name": "node-1-10-244-0-0-26"},
        "spec": {**BA_SPEC, "deleted": "true"},
    }
    ba = from_crd(cr)
    assert isinstance(ba, BlockAffinity) and ba.spec.deleted is True


def test_from_crd_ipamconfig_v1_to_ipamconfiguration() -> None:
    # ipam_config_v3.go ipamConfigurationVersionConverter.
    cr = {
        "apiVersion": V1,
        "kind": "IPAMConfig",
        "metadata": {"name": "default"},
        "spec": {"strictAffinity": False, "autoAllocateBlocks": True, "maxBlocksPerHost": 4},
    }
    cfg = from_crd(cr)
    assert isinstance(cfg, IPAMConfiguration)
    assert cfg.spec.max_blocks_per_host == 4 and cfg.spec.auto_allocate_blocks is True


def test_from_crd_v3_group_no_uid_conversion() -> None:
    # customresource.go convertResourceToKVPair: v3 objects are taken as they are.
    cr = {
        "apiVersion": V3,
        "kind": "GlobalNetworkSet",
        "metadata": {"name": "g", "uid": "30316465-6365-4463-ad63-3564622d3638", "labels": {"a": "b"}},
        "spec": {"nets": ["10.0.0.0/8"]},
    }
    gns = from_crd(cr)
    assert gns.metadata.uid == "30316465-6365-4463-ad63-3564622d3638"
    assert gns.metadata.labels == {"a": "b"}


def test_from_crd_unknown_group_or_kind() -> None:
    with pytest.raises(ValueError):
        from_crd({"apiVersion": "v1", "kind": "Pod"})
    with pytest.raises(ValueError):
        from_crd({"apiVersion": V1, "kind": "IPAMConfiguration"})  # v1 uses IPAMConfig
    with pytest.raises(ValueError):
        to_crd(read_defaults(BGPPeer.from_storage({})), "example.com/v1")


# ---------------------------------------------------------------------------------------------
# Round-trip properties
# ---------------------------------------------------------------------------------------------

_name = st.from_regex(r"[a-z][a-z0-9-]{0,20}[a-z0-9]", fullmatch=True)
_label_key = st.one_of(
    st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True),
    st.from_regex(r"(projectcalico\.org|operator\.tigera\.io|x\.projectcalico\.org)/[a-z]{1,6}", fullmatch=True),
)
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_labels = st.dictionaries(_label_key, _text, max_size=4)
_timestamp = st.one_of(
    st.none(),
    st.datetimes(timezones=st.just(__import__("datetime").UTC)).map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")),
)
_owner = st.fixed_dictionaries(
    {
        "apiVersion": st.sampled_from([V3, "v1", "apps/v1"]),
        "kind": st.sampled_from(["Tier", "Namespace"]),
        "name": _name,
        "uid": st.uuids().map(str),
    }
)


@st.composite
def _metadata(draw: st.DrawFn, namespaced: bool) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": draw(_name)}
    if namespaced:
        meta["namespace"] = draw(_name)
    for key, strategy in (
        ("uid", st.uuids().map(str)),
        ("resourceVersion", st.integers(1, 10**9).map(str)),
        ("creationTimestamp", _timestamp),
        ("labels", _labels),
        ("annotations", _labels),
        ("ownerReferences", st.lists(_owner, max_size=2)),
        ("finalizers", st.lists(_name, max_size=2)),
        ("generation", st.integers(0, 10)),
    ):
        if draw(st.booleans()):
            meta[key] = draw(strategy)
    return meta


_SPECS: dict[str, Any] = {
    "GlobalNetworkPolicy": st.fixed_dictionaries(
        {"tier": st.sampled_from(["default", "sec"]), "selector": st.just("all()")}
    ),
    "NetworkPolicy": st.fixed_dictionaries({"tier": st.sampled_from(["default", "sec"]), "order": st.floats(0, 1000)}),
    "NetworkSet": st.fixed_dictionaries({"nets": st.lists(st.just("10.0.0.0/8"), max_size=1)}),
    "IPPool": st.fixed_dictionaries({"cidr": st.sampled_from(["10.0.0.0/16", "fd00::/64"]), "disabled": st.booleans()}),
    "Tier": st.fixed_dictionaries({"order": st.floats(0, 1e6)}),
    "IPAMConfiguration": st.fixed_dictionaries(
        {"strictAffinity": st.booleans(), "autoAllocateBlocks": st.booleans(), "maxBlocksPerHost": st.integers(0, 9)}
    ),
    "BGPPeer": st.fixed_dictionaries({"peerIP": st.just("1.2.3.4"), "asNumber": st.integers(0, 65535)}),
}


@st.composite
def _resources(draw: st.DrawFn) -> Any:
    kind = draw(st.sampled_from(sorted(_SPECS)))
    info = KINDS[kind]
    meta = draw(_metadata(info.namespaced))
    if kind == "IPAMConfiguration":
        meta["name"] = "default"
    return info.model.from_storage({"metadata": meta, "spec": draw(_SPECS[kind])})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_resources(), st.sampled_from([V1, V3]))
def test_roundtrip(resource: Any, group: str) -> None:
    """from_crd(to_crd(x)) is x as calicoctl reads it back (read-side defaults applied)."""
    assert from_crd(to_crd(resource, group)) == read_defaults(resource)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    _name,
    st.sampled_from(["", "host", "virtual"]),
    st.sampled_from(["10.244.0.0/26", "fd00::/122"]),
    st.booleans(),
    st.sampled_from([V1, V3]),
)
def test_roundtrip_block_affinity(name: str, aff_type: str, cidr: str, deleted: bool, group: str) -> None:
    """BlockAffinity writes keep only name, resourceVersion and the computed labels (ipam_affinity_v3.go)."""
    spec = {"state": "confirmed", "node": name, "type": aff_type, "cidr": cidr, "deleted": deleted}
    ba = BlockAffinity.from_storage(
        {
            "metadata": {"name": name, "resourceVersion": "7", "labels": block_affinity_labels(name, aff_type, cidr)},
            "spec": spec,
        }
    )
    assert from_crd(to_crd(ba, group)) == ba


# ---------------------------------------------------------------------------------------------
# Every v1 to_crd output validates against the published v3.32.1 CRD and loses nothing to pruning
# ---------------------------------------------------------------------------------------------


def _load_v1_schemas(crd_dir: Path) -> dict[str, dict[str, Any]]:
    schemas: dict[str, dict[str, Any]] = {}
    for path in sorted((crd_dir / "crd.projectcalico.org").glob("crd.projectcalico.org_*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and doc.get("kind") == "CustomResourceDefinition":
                version = next(v for v in doc["spec"]["versions"] if v.get("storage"))
                schemas[doc["spec"]["names"]["kind"]] = version["schema"]["openAPIV3Schema"]
    return schemas


def _pruned_paths(value: Any, schema: dict[str, Any], path: str) -> list[str]:
    """Paths the API server's structural pruning would drop."""
    if schema.get("x-kubernetes-preserve-unknown-fields") or not isinstance(value, (dict, list)):
        return []
    if isinstance(value, list):
        items = schema.get("items") or {}
        return [p for i, v in enumerate(value) for p in _pruned_paths(v, items, f"{path}[{i}]")]
    if path == ".metadata":
        return []  # ObjectMeta is pruned by its own Go type, not the CRD schema
    props = schema.get("properties")
    extra = schema.get("additionalProperties")
    lost: list[str] = []
    for key, sub in value.items():
        if props is not None and key in props:
            lost += _pruned_paths(sub, props[key], f"{path}.{key}")
        elif isinstance(extra, dict):
            lost += _pruned_paths(sub, extra, f"{path}.{key}")
        elif (path == "" and key in ("kind", "apiVersion")) or sub in ({}, []):
            continue  # an empty struct (Go writes Tier ``status: {}``) loses nothing when pruned
        else:
            lost.append(f"{path}.{key}")
    return lost


def _schema_cases() -> list[Any]:
    return [
        NetworkPolicy.from_storage(
            {
                "metadata": {
                    "name": "p",
                    "namespace": "n",
                    "uid": "30316465-6365-4463-ad63-3564622d3638",
                    "labels": {"projectcalico.org/tier": "default"},
                },
                "spec": {
                    "tier": "default",
                    "order": 10,
                    "selector": "all()",
                    "types": ["Ingress"],
                    "ingress": [{"action": "Allow"}],
                },
            }
        ),
        IPPool.from_storage(
            {
                "metadata": {"name": "p", "creationTimestamp": TS},
                "spec": {"cidr": "10.0.0.0/16", "blockSize": 26, "ipipMode": "Never", "natOutgoing": True},
            }
        ),
        BlockAffinity.from_storage({"metadata": {"name": "n-10-244-0-0-26"}, "spec": BA_SPEC}),
        IPAMConfiguration.from_storage(
            {
                "metadata": {"name": "default"},
                "spec": {"strictAffinity": True, "autoAllocateBlocks": True, "maxBlocksPerHost": 3},
            }
        ),
        IPAMBlock.from_storage(
            {
                "metadata": {"name": "10-244-0-0-30"},
                "spec": {
                    "cidr": "10.244.0.0/30",
                    "allocations": [0, 0, 0, 0],
                    "unallocated": [],
                    "attributes": [{"handle_id": "h", "secondary": {"node": "n"}}],
                    "sequenceNumber": 1,
                    "sequenceNumberForAllocation": {"0": 1},
                    "deleted": False,
                },
            }
        ),
        Tier.from_storage({"metadata": {"name": "t"}, "spec": {"order": 100, "defaultAction": "Pass"}}),
        BGPPeer.from_storage({"metadata": {"name": "b"}, "spec": {"peerIP": "1.2.3.4", "asNumber": 64512}}),
        GlobalNetworkSet.from_storage(
            {"metadata": {"name": "g", "labels": {"a": "b"}}, "spec": {"nets": ["10.0.0.0/8"]}}
        ),
        StagedKubernetesNetworkPolicy.from_storage(
            {"metadata": {"name": "k", "namespace": "n"}, "spec": {"stagedAction": "Set"}}
        ),
    ]


@pytest.mark.parametrize("resource", _schema_cases(), ids=lambda r: r.KIND)
def test_v1_output_matches_crd_schema(crd_dir: Path, resource: Any) -> None:
    import jsonschema

    schemas = _load_v1_schemas(crd_dir)
    cr = to_crd(resource)
    schema = schemas[cr["kind"]]
    jsonschema.Draft7Validator(schema).validate(cr)
    assert _pruned_paths(cr, schema, "") == []
    assert set(cr["metadata"]) <= {"name", "namespace", "uid", "resourceVersion", "labels", "annotations"}


def test_every_crd_kind_has_a_v1_schema(crd_dir: Path) -> None:
    schemas = _load_v1_schemas(crd_dir)
    v1_kinds = {info.v1_kind for info in custom_resource_kinds()}
    assert v1_kinds - set(schemas) == set()


def test_ippool_with_unparsable_cidr_reads_as_stored() -> None:
    # clientv3/ippool.go convertIpPoolFromStorage returns early on a bad CIDR and Get/List ignore
    # that error: the pool is shown without read defaults, never as a failure.
    obj = {
        "apiVersion": "crd.projectcalico.org/v1",
        "kind": "IPPool",
        "metadata": {"name": "broken", "uid": "30316465-6365-4463-ad63-3564622d3638"},
        "spec": {"cidr": "not-a-cidr"},
    }
    pool = from_crd(obj)
    assert pool.to_dict()["spec"] == {"cidr": "not-a-cidr"}


def test_from_crd_shares_nothing_with_its_input() -> None:
    obj = {
        "apiVersion": "crd.projectcalico.org/v1",
        "kind": "GlobalNetworkSet",
        "metadata": {"name": "n", "uid": "30316465-6365-4463-ad63-3564622d3638"},
        "spec": {"nets": ["10.0.0.0/8"], "futureField": {"nested": [1]}},
    }
    res = from_crd(obj)
    obj["spec"]["futureField"]["nested"].append(2)
    obj["spec"]["nets"].append("192.168.0.0/16")
    assert res.to_dict()["spec"] == {"nets": ["10.0.0.0/8"], "futureField": {"nested": [1]}}


@pytest.mark.parametrize(
    "text",
    [
        "2024-01-02T03:04:05Z",
        "2024-13-02T03:04:05Z",  # not a date: left alone either way
        "2024-01-02T03:04:60Z",
        "0005-01-02T03:04:05Z",
        "2024-01-02T03:04:05.123Z",
        "2024-01-02T04:04:05+01:00",
        "2024-01-02 03:04:05Z",
        "yesterday",
        "",
    ],
)
def test_go_time_reads_as_a_parse_would(text: str) -> None:
    # Text already in Go's form skips the parse: the result must be what the parse gives.
    from datetime import UTC, datetime

    from calicopy.kdd.convert import _go_time

    try:
        parsed = datetime.fromisoformat(text) if text else None
    except ValueError:
        parsed = None
    expected = parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if parsed and parsed.tzinfo else text
    assert _go_time(text) == expected
