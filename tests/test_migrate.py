"""``calicoctl datastore migrate``: the texts (exact), the file format, and a migration from a real
etcd into the fake Kubernetes API server, compared resource by resource.

Sources: calicoctl v3.32.1 ``commands/datastore/migrate/{export,import,lock,unlock,migrateipam}.go``
and their tests (``export_test.go``: iptables values; ``migrateipam_test.go``: node names).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from calicopy import Client
from calicopy.calicoctl.actions import CommandResults
from calicopy.calicoctl.migrate import (
    MigrationError,
    check_locked,
    export_datastore,
    import_datastore,
    lock_datastore,
    split_import_file,
    unlock_datastore,
)
from calicopy.calicoctl.migrate_ipam import IPAMEntry, IPAMExport, export_ipam, import_ipam
from calicopy.calicoctl.migrate_texts import (
    ALL_V3_RESOURCES,
    RESOURCE_DISPLAY,
    apply_report,
    convert_iptables_fields,
    export_help_resources,
    ipam_import_report,
)
from calicopy.config import load_config_from_bytes
from calicopy.errors import ResourceNotFound, ValidationError
from calicopy.resources.generated.blockaffinity import BlockAffinity
from calicopy.resources.generated.ipamblock import IPAMBlock
from calicopy.resources.generated.ipamconfig import IPAMConfiguration
from calicopy.resources.generated.ipamhandle import IPAMHandle
from calicopy.resources.registry import KINDS
from calicopy.testing import FakeKubeAPIServer
from calicopy.testing.etcd import EtcdServer

# -- texts ----------------------------------------------------------------------------------------------


def test_export_order_and_names_cover_each_other() -> None:
    # export_test.go "should have names for all resources".
    assert sorted(RESOURCE_DISPLAY) == sorted(ALL_V3_RESOURCES)
    assert ALL_V3_RESOURCES.index("tiers") < ALL_V3_RESOURCES.index("globalnetworkpolicies")
    assert ALL_V3_RESOURCES.index("nodes") < ALL_V3_RESOURCES.index("felixconfigurations")
    assert export_help_resources().splitlines()[:3] == ["    - IPPools", "    - BGPPeers", "    - Tiers"]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # export_test.go: v1 API values are converted, v3 ones kept, empty ones left alone.
        (
            {
                "defaultEndpointToHostAction": "DROP",
                "iptablesFilterAllowAction": "ACCEPT",
                "iptablesMangleAllowAction": "RETURN",
                "iptablesFilterDenyAction": "DROP",
            },
            {
                "defaultEndpointToHostAction": "Drop",
                "iptablesFilterAllowAction": "Accept",
                "iptablesMangleAllowAction": "Return",
                "iptablesFilterDenyAction": "Drop",
            },
        ),
        (
            {"defaultEndpointToHostAction": "Drop", "iptablesFilterAllowAction": "ACCEPT"},
            {"defaultEndpointToHostAction": "Drop", "iptablesFilterAllowAction": "Accept"},
        ),
        ({}, {}),
    ],
)
def test_convert_iptables_fields(given: dict[str, str], expected: dict[str, str]) -> None:
    convert_iptables_fields(given)
    assert given == expected


def test_apply_report_texts() -> None:
    ok = CommandResults(num_resources=3, num_handled=3, single_kind="")
    assert apply_report(ok) == ("Successfully applied 3 resource(s)\n", None)
    single = CommandResults(num_resources=2, num_handled=2, single_kind="IPPool")
    assert apply_report(single) == ("Successfully applied 2 'IPPool' resource(s)\n", None)
    nothing = CommandResults(num_resources=1, num_handled=0, errors=[ValueError("boom")])
    assert apply_report(nothing) == ("", "failed to apply any resources: [boom]")
    missing_node = ResourceNotFound(kind="Node", name="etcd-node")
    mixed = CommandResults(num_resources=3, num_handled=2, errors=[missing_node])
    assert apply_report(mixed) == (
        "[WARNING] Attempted to import node Node(etcd-node) from etcd that references a nonexistent Kubernetes node. "
        "Skipping that node. Non-Kubernetes nodes are not supported in the Kubernetes datastore and will be skipped.",
        None,
    )
    worse = CommandResults(num_resources=3, num_handled=2, errors=[missing_node, ValueError("x")])
    assert apply_report(worse)[1] == "hit error(s): [x]"


def test_ipam_import_report_texts() -> None:
    assert ipam_import_report(0, 0, []) == ("", "no IPAM resources specified in file")
    assert ipam_import_report(4, 4, []) == ("Successfully applied 4 IPAM resource(s)\n", None)
    # calicoctl counts failed creates as handled, so a partial failure reads "the first 4 out of 4".
    assert ipam_import_report(4, 4, ["e1", "e2"]) == (
        "Partial success: applied the first 4 out of 4 resources:\n",
        "hit error(s): [e1 e2]",
    )


def test_split_import_file() -> None:
    assert split_import_file("a\n===\nb\n===\nc\n") == ("a\n", "b\n", "c\n")
    with pytest.raises(MigrationError) as err:
        split_import_file("a\n===\nb\n", "export.yaml")
    assert (
        str(err.value) == "imported file: export.yaml is improperly formatted. Try recreating with 'calicoctl export'"
    )


def test_ipam_section_format() -> None:
    ipam = IPAMExport(handles=[IPAMEntry("/calico/ipam/v2/handle/h", {"block": {"10.0.0.0/26": 1}, "deleted": False})])
    text = ipam.text()
    assert text == (
        '{\n  "handles": [\n    {\n      "Key": "/calico/ipam/v2/handle/h",\n      "Value": {\n'
        '        "block": {\n          "10.0.0.0/26": 1\n        },\n        "deleted": false\n      },\n'
        '      "TTL": 0\n    }\n  ]\n}'
    )
    assert IPAMExport.parse(text) == ipam
    assert IPAMExport().text() == "{}"


def test_node_names_are_mapped_in_ipam() -> None:
    """migrateipam_test.go: node, handle and affinity names follow the node map."""
    with Client.in_memory() as client:
        backend = client.backend
        backend.create(
            IPAMBlock.from_storage(
                {
                    "metadata": {"name": "192-168-201-0-26"},
                    "spec": {
                        "cidr": "192.168.201.0/26",
                        "affinity": "host:etcdNodeName",
                        "attributes": [
                            {
                                "handle_id": "ipip-tunnel-addr-etcdNodeName",
                                "secondary": {"node": "etcdNodeName", "type": "ipipTunnelAddress"},
                                "alternateOwnerAttrs": {"node": "etcdNodeName", "type": "ipipTunnelAddress"},
                            }
                        ],
                    },
                }
            )
        )
        backend.create(
            BlockAffinity.from_storage(
                {
                    "metadata": {"name": "etcdnodename-192-168-201-0-26"},
                    "spec": {"state": "confirmed", "node": "etcdNodeName", "type": "host", "cidr": "192.168.201.0/26"},
                }
            )
        )
        backend.create(
            IPAMHandle.from_storage(
                {
                    "metadata": {"name": "ipip-tunnel-addr-etcdnodename"},
                    "spec": {"handleID": "ipip-tunnel-addr-etcdNodeName", "block": {"192.168.201.0/26": 1}},
                }
            )
        )
        mapped = export_ipam(backend, {"etcdNodeName": "k8sNodeName"})
        same = export_ipam(backend, {"etcdNodeName": "etcdNodeName"})
    block = mapped.blocks[0].value
    assert block["affinity"] == "host:k8sNodeName"
    assert block["attributes"][0]["handle_id"] == "ipip-tunnel-addr-k8sNodeName"
    assert block["attributes"][0]["secondary"]["node"] == "k8sNodeName"
    assert block["attributes"][0]["alternateOwnerAttrs"]["node"] == "k8sNodeName"
    assert mapped.block_affinities[0].key == "/calico/ipam/v2/host/k8sNodeName/ipv4/block/192.168.201.0-26"
    assert mapped.handles[0].key == "/calico/ipam/v2/handle/ipip-tunnel-addr-k8sNodeName"
    assert same.block_affinities[0].key == "/calico/ipam/v2/host/etcdNodeName/ipv4/block/192.168.201.0-26"
    assert same.blocks[0].value["affinity"] == "host:etcdNodeName"


def test_ipam_import_errors_name_the_model_key() -> None:
    ipam = IPAMExport(handles=[IPAMEntry("/calico/ipam/v2/handle/h", {"block": {}, "deleted": False})])
    with Client.in_memory() as client:
        assert import_ipam(client.backend, ipam) == ("Successfully applied 1 IPAM resource(s)\n", None)
        printed, error = import_ipam(client.backend, ipam)
    assert printed == "Partial success: applied the first 1 out of 1 resources:\n"
    # calicoctl says "block affinity" for every kind of IPAM object.
    assert (
        error
        == "hit error(s): [error trying to create block affinity IPAMHandleKey(id=h): resource already exists: IPAMHandle(h) with error: <nil>]"
    )


# -- lock / unlock / export checks ----------------------------------------------------------------------------


def test_lock_and_unlock(etcd: EtcdServer) -> None:
    with Client(etcd.config()) as client:
        assert lock_datastore(client) == "Datastore locked.\n"
        assert check_locked(client) is True
        assert client.get("ClusterInformation", "default").spec.datastore_ready is False  # type: ignore[attr-defined]
        assert unlock_datastore(client) == "Datastore unlocked.\n"
        assert check_locked(client) is False


def test_export_needs_a_locked_etcd_datastore(etcd: EtcdServer) -> None:
    with Client(etcd.config()) as client:
        with pytest.raises(MigrationError) as err:
            export_datastore(client)
        assert str(err.value) == (
            "error while checking if datastore was locked: error retrieving ClusterInformation: "
            "resource does not exist: ClusterInformation(default) with error: <nil>"
        )
        client.ensure_initialized()
        with pytest.raises(MigrationError) as err:
            export_datastore(client)
        assert str(err.value) == (
            "datastore is not locked. Run the `calicoctl datastore migrate lock` command in order to begin migration"
        )
    with Client.in_memory() as memory:
        lock_datastore(memory)
        with pytest.raises(MigrationError, match=r"^invalid datastore type: MemoryBackend to export from"):
            export_datastore(memory)


def test_export_refuses_a_node_without_a_kubernetes_name(etcd: EtcdServer) -> None:
    with Client(etcd.config()) as client:
        client.backend.create(KINDS["Node"].model.from_storage({"metadata": {"name": "bare"}, "spec": {}}))
        lock_datastore(client)
        with pytest.raises(MigrationError) as err:
            export_datastore(client)
    assert str(err.value) == (
        "unable to process metadata for export for Node resource: node bare missing a 'k8s' orchestrator reference. "
        "Unable to export data unless every node has a 'k8s' orchestrator reference"
    )


# -- a whole migration ---------------------------------------------------------------------------------------------


@pytest.fixture
def kube() -> Iterator[tuple[FakeKubeAPIServer, Client]]:
    with FakeKubeAPIServer() as server:
        for namespace in ("prod", "dev"):
            server.add({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
        config = load_config_from_bytes(
            "apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\n"
            f"spec:\n  datastoreType: kubernetes\n  kubeconfig: {server.kubeconfig_path}\n",
            env={},
        )
        with Client(config) as client:
            yield server, client


def _populate(client: Client) -> None:
    documents: list[dict[str, Any]] = [
        {"kind": "IPPool", "metadata": {"name": "pool-a"}, "spec": {"cidr": "10.9.0.0/16", "natOutgoing": True}},
        {
            "kind": "IPPool",
            "metadata": {"name": "pool-b", "labels": {"x": "y"}},
            "spec": {"cidr": "fd00:9::/64", "ipipMode": "Never"},
        },
        {"kind": "Tier", "metadata": {"name": "security"}, "spec": {"order": 10}},
        {
            "kind": "GlobalNetworkPolicy",
            "metadata": {"name": "deny-all"},
            "spec": {"selector": "all()", "types": ["Ingress"]},
        },
        {
            "kind": "GlobalNetworkPolicy",
            "metadata": {"name": "security.allow-dns"},
            "spec": {
                "tier": "security",
                "selector": "has(app) && app != 'x'",
                "egress": [{"action": "Allow", "protocol": "UDP", "destination": {"ports": [53]}}],
            },
        },
        {
            "kind": "NetworkPolicy",
            "metadata": {"name": "db", "namespace": "prod"},
            "spec": {
                "selector": "role == 'db'",
                "ingress": [{"action": "Allow", "source": {"selector": "role == 'app'"}}],
            },
        },
        {
            "kind": "NetworkSet",
            "metadata": {"name": "ext", "namespace": "dev", "labels": {"k": "v"}},
            "spec": {"nets": ["192.0.2.0/24"]},
        },
        {"kind": "GlobalNetworkSet", "metadata": {"name": "corp"}, "spec": {"nets": ["198.51.100.0/24"]}},
        {"kind": "BGPPeer", "metadata": {"name": "rr"}, "spec": {"peerIP": "10.0.0.1", "asNumber": 64512}},
        {"kind": "IPReservation", "metadata": {"name": "keep"}, "spec": {"reservedCIDRs": ["10.9.0.0/30"]}},
    ]
    for document in documents:
        info = KINDS[document.pop("kind")]
        client.create(info.model.from_dict(document))
    backend = client.backend
    # Written by an old Calico with the v1 API's iptables value (export converts it).
    backend.create(
        KINDS["FelixConfiguration"].model.from_storage(
            {"metadata": {"name": "default"}, "spec": {"iptablesFilterAllowAction": "ACCEPT"}}
        )
    )
    # kube-controllers' copy of a Kubernetes network policy (calicoctl refuses to write these).
    backend.create(
        KINDS["NetworkPolicy"].model.from_storage(
            {"metadata": {"name": "knp.default.from-k8s", "namespace": "prod"}, "spec": {"selector": "all()"}}
        )
    )
    backend.create(
        IPAMBlock.from_storage(
            {
                "metadata": {"name": "10-9-1-0-30"},
                "spec": {
                    "cidr": "10.9.1.0/30",
                    "affinity": "host:node-1",
                    "allocations": [0, None, 1, None],
                    "unallocated": [1, 3],
                    "attributes": [
                        {
                            "handle_id": "k8s-pod-network.abc",
                            "secondary": {"node": "node-1", "pod": "p", "namespace": "prod"},
                        },
                        {
                            "handle_id": "ipip-tunnel-addr-node-1",
                            "secondary": {"node": "node-1", "type": "ipipTunnelAddress"},
                        },
                    ],
                    "sequenceNumber": 3,
                    "sequenceNumberForAllocation": {"0": 1, "2": 2},
                },
            }
        )
    )
    backend.create(
        BlockAffinity.from_storage(
            {
                "metadata": {"name": "x"},
                "spec": {"state": "confirmed", "node": "node-1", "type": "host", "cidr": "10.9.1.0/30"},
            }
        )
    )
    for handle, count in (("k8s-pod-network.abc", 1), ("ipip-tunnel-addr-node-1", 1)):
        backend.create(
            IPAMHandle.from_storage(
                {"metadata": {"name": handle}, "spec": {"handleID": handle, "block": {"10.9.1.0/30": count}}}
            )
        )
    backend.create(
        IPAMConfiguration(metadata={"name": "default"}, spec={"strictAffinity": True, "autoAllocateBlocks": True})
    )


def _comparable(resource: Any) -> dict[str, Any]:
    data = resource.to_dict()
    meta = data["metadata"]
    for key in ("uid", "resourceVersion", "creationTimestamp", "annotations"):
        meta.pop(key, None)
    return data


def test_migration_from_etcd_to_kubernetes(etcd: EtcdServer, kube: tuple[FakeKubeAPIServer, Client]) -> None:
    server, target = kube
    with Client(etcd.config()) as source:
        _populate(source)
        assert lock_datastore(source) == "Datastore locked.\n"
        exported = export_datastore(source)
        text = exported.text()
        assert text.count("===\n") == 2 and "knp.default.from-k8s" not in text
        output = import_datastore(target, text, filename="export.yaml")
        assert output == (
            "Datastore locked.\n"
            "Successfully applied 14 resource(s)\n"
            "Importing IPAM resources\n"
            "Successfully applied 5 IPAM resource(s)\n"
            "Datastore information successfully imported. Please refer to the datastore migration documentation for "
            "next steps.\n"
        )
        for plural in ALL_V3_RESOURCES:
            kind = next(i for i in KINDS.values() if i.plural == plural).kind
            if kind == "Node":
                continue
            expected = [_comparable(r) for r in source.list(kind) if not r.metadata.name.startswith("knp.default.")]
            if kind == "FelixConfiguration":
                for item in expected:
                    item["spec"]["iptablesFilterAllowAction"] = "Accept"  # ConvertIptablesFields
            got = {
                (r["metadata"].get("namespace"), r["metadata"]["name"]): r for r in map(_comparable, target.list(kind))
            }
            assert sorted(got) == sorted((e["metadata"].get("namespace"), e["metadata"]["name"]) for e in expected), (
                kind
            )
            for item in expected:
                moved = got[(item["metadata"].get("namespace"), item["metadata"]["name"])]
                assert moved["metadata"] == item["metadata"], kind
                # Everything stored survives; the API server may add its schema defaults (Felix's
                # nftablesMode...), as libcalico-go's clientv3 itself does in etcd mode.
                assert {**moved.get("spec", {}), **item.get("spec", {})} == moved.get("spec", {}), kind
        for kind in ("IPAMBlock", "BlockAffinity", "IPAMHandle", "IPAMConfiguration"):
            expected_specs = sorted(
                (r.metadata.name, json.dumps(r.spec.to_dict(), sort_keys=True)) for r in source.list(kind)
            )
            got_specs = sorted(
                (r.metadata.name, json.dumps(r.spec.to_dict(), sort_keys=True)) for r in target.list(kind)
            )
            assert got_specs == expected_specs, kind
        source_info = source.get("ClusterInformation", "default").spec
        target_info = target.get("ClusterInformation", "default").spec
        assert target_info.cluster_guid == source_info.cluster_guid  # type: ignore[attr-defined]
        assert target_info.datastore_ready is False  # type: ignore[attr-defined]  # still locked: unlock after checking
    assert unlock_datastore(target) == "Datastore unlocked.\n"
    # The CRs are there (crd.projectcalico.org/v1), not only readable through calicopy.
    assert {o["metadata"]["name"] for o in server.objects("ippools")} == {"pool-a", "pool-b"}


def test_import_refuses_a_datastore_with_calico_resources(kube: tuple[FakeKubeAPIServer, Client]) -> None:
    _, target = kube
    target.create(KINDS["IPPool"].model.from_dict({"metadata": {"name": "existing"}, "spec": {"cidr": "10.1.0.0/16"}}))
    with pytest.raises(MigrationError) as err:
        import_datastore(target, "x\n===\ny\n===\nz\n")
    assert str(err.value) == (
        "datastore already has Calico resources: found existing Calico IPPool resource. "
        "Clear out all Calico resources by deleting all Calico CRDs"
    )


def test_import_needs_kubernetes(etcd: EtcdServer) -> None:
    with Client(etcd.config()) as client, pytest.raises(MigrationError) as err:
        import_datastore(client, "")
    assert str(err.value) == (
        "invalid datastore type: etcdv3 to import to for datastore migration. Datastore type must be kubernetes"
    )


def test_import_reports_a_bad_file_after_locking(kube: tuple[FakeKubeAPIServer, Client]) -> None:
    _, target = kube
    with pytest.raises(MigrationError) as err:
        import_datastore(target, "only one section", filename="f.yaml")
    assert str(err.value) == (
        "error while reading migration file: imported file: f.yaml is improperly formatted. "
        "Try recreating with 'calicoctl export'"
    )
    assert err.value.output == "Datastore locked.\n"


def test_bad_resources_in_the_file_fail_the_import(kube: tuple[FakeKubeAPIServer, Client]) -> None:
    _, target = kube
    bad = "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\nspec:\n  cidr: nonsense\n"
    with pytest.raises((MigrationError, ValidationError)) as err:
        import_datastore(target, bad + "===\n{}\n===\n{}\n")
    assert str(err.value).startswith("failed to import v3 resources: failed to import v3 resources: ")
