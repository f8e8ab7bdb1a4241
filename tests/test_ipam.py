"""client.ipam on both datastores, against the scenarios of Calico v3.32.1's own tests:
``calicoctl/tests/fv/ipam_test.go`` (TestIPAM, TestIPAMCleanup) and
``libcalico-go/lib/ipam/ipam_test.go`` (borrowing, strict affinity, MaxBlocksPerHost,
reservations, release by handle, IPPool delete)."""

from __future__ import annotations

import ipaddress
import json
import re
from pathlib import Path

import pytest
from ipam_support import IPAMDatastore, ipam_store

from calicopy.calicoctl import ipam as texts
from calicopy.errors import ResourceAlreadyExists, ResourceNotFound
from calicopy.ipam import BlockLimitReached, CheckReport, InvalidIPAddress, IPAMError
from calicopy.resources.generated.ipamhandle import IPAMHandle
from calicopy.resources.generated.ipreservation import IPReservation
from calicopy.resources.generated.kubecontrollersconfig import KubeControllersConfiguration

__all__ = ["ipam_store"]


def test_fv_ipam_show(ipam_store: IPAMDatastore) -> None:
    """TestIPAM: 5 IPv4 + 7 IPv6 addresses, then 11 from a /29-block pool, as calicoctl shows them."""
    ds = ipam_store
    ds.pool("ipam-test-v4", "10.65.0.0/16")
    ds.pool("ipam-test-v6", "fd5f:abcd:64::0/48")
    ds.add_node("host")
    ipam = ds.client.ipam
    assert ipam.lookup("10.65.0.2") is None
    assert texts.ip_text("10.65.0.2", None) == "10.65.0.2 is not assigned\n"
    assert "IPS IN USE" in texts.usage_table(ipam.usage())

    got = ipam.assign(5, 7, attrs={"note": "reserved by ipam_test.go"}, host="host")
    assert len(got.v4.ips) == 5 and len(got.v6.ips) == 7  # type: ignore[union-attr]
    out = texts.usage_table(ipam.usage())
    for text in ("10.65.0.0/16", "5 (0%)", "65531 (100%)", "fd5f:abcd:64::/48"):
        assert text in out
    out = texts.usage_table(ipam.usage(), show_blocks=True)
    assert "Block" in out and "5 (8%)" in out and "59 (92%)" in out

    block = re.search(r"(10\.65\.[0-9]+\.)([0-9]+)/26", out)
    assert block is not None
    ip = f"{block.group(1)}{int(block.group(2)) + 2}"
    shown = texts.ip_text(ip, ipam.lookup(ip))
    assert f"{ip} is in use" in shown and "Attributes:" in shown and "note: reserved by ipam_test.go" in shown
    with pytest.raises(InvalidIPAddress, match="invalid IP address"):
        ipam.lookup("10.240.0.300")

    ds.pool("ipam-test-v4-b29", "10.66.0.0/16", blockSize=29)
    more = ipam.assign(11, host="host", ipv4_pools=["10.66.0.0/16"])
    assert len(more.v4.ips) == 11  # type: ignore[union-attr]
    lines = texts.usage_table(ipam.usage(), show_blocks=True).splitlines()
    assert any("Block" in ln and "10.66" in ln and "8 (100%)" in ln and "0 (0%)" in ln for ln in lines)
    assert any("Block" in ln and "10.66" in ln and "3 (38%)" in ln and "5 (62%)" in ln for ln in lines)
    assert any("IP Pool" in ln and "fd5f" in ln and "7 (0%)" in ln for ln in lines)

    usage = ipam.usage()
    assert [p.name for p in usage.pools] == ["ipam-test-v4", "ipam-test-v4-b29", "ipam-test-v6"]  # list order: by name
    assert [p.in_use for p in usage.pools] == [5, 11, 7]
    assert [len(p.blocks) for p in usage.pools] == [1, 2, 1]
    assert usage.nodes[0].name == "host" and usage.nodes[0].in_use == 23
    assert ipam.verify(exact_handles=True) == []

    everything = [str(i.ip) for i in got.ips + more.ips]
    assert ipam.release_ips(*everything) == []
    assert sum(p.in_use for p in ipam.usage().pools) == 0
    assert ipam.verify(exact_handles=True) == []


def test_borrowing_and_strict_affinity(ipam_store: IPAMDatastore) -> None:
    """'should respect IPAMConfig.StrictAffinity when it is changed' and 'should borrow and release borrowed IPs'."""
    ds = ipam_store
    for host in ("host1", "host2"):
        ds.add_node(host, {"foo": "bar"})
    ipam = ds.client.ipam
    ipam.core.set_config(ipam.config().__class__(strict_affinity=False, auto_allocate_blocks=True))
    ds.pool("one-block", "10.0.0.0/28", blockSize=28, nodeSelector='foo == "bar"')
    first = ipam.assign(1, host="host1", handle_id="handle-1", attrs={"node": "host1", "pod": "a", "namespace": "ns"})
    second = ipam.assign(1, host="host2", handle_id="handle-2", attrs={"node": "host2", "pod": "b", "namespace": "ns"})
    assert len(first.ips) == 1 and len(second.ips) == 1
    borrowed = ipam.borrowed()
    assert [(b.ip, b.borrowing_node, b.block_owner, b.allocation_type, b.allocated_to) for b in borrowed] == [
        (str(second.ips[0].ip), "host2", "host1", "pod", "ns/b")
    ]
    table = texts.borrowed_table(borrowed)
    assert "| BORROWING-NODE |" in table and "ns/b" in table

    ipam.configure(strict_affinity=True)
    again1 = ipam.assign(1, host="host1")
    again2 = ipam.assign(1, host="host2")
    assert len(again1.ips) == 1 and len(again2.ips) == 0
    assert again2.v4 is not None and "strict affinity enabled" in str(again2.v4.partial_error())

    ipam.release_by_handle("handle-2")
    ipam.release_by_handle("handle-1")
    assert ipam.borrowed() == []
    with pytest.raises(ResourceNotFound):
        ipam.release_by_handle("handle-1")
    assert ipam.verify(exact_handles=True) == []


def test_max_blocks_per_host(ipam_store: IPAMDatastore) -> None:
    """'should respect MaxBlocksPerHost': /28 pool of /30 blocks, at most 2 blocks per host."""
    ds = ipam_store
    for host in ("host1", "host2"):
        ds.add_node(host, {"foo": "bar"})
    ipam = ds.client.ipam
    ipam.configure(strict_affinity=True, max_blocks_per_host=2)
    ds.pool("small", "10.0.0.0/28", blockSize=30, nodeSelector='foo == "bar"')
    for _ in range(8):
        assert len(ipam.assign(1, host="host1", handle_id="host1").ips) == 1
    with pytest.raises(BlockLimitReached, match="per host block limit"):
        ipam.assign(1, host="host1", handle_id="host1")
    assert len(ipam.assign(1, host="host2", handle_id="host2").ips) == 1
    with pytest.raises(BlockLimitReached):
        ipam.assign(1, host="host1", handle_id="host1", max_blocks_per_host=3)
    ipam.configure(max_blocks_per_host=3)
    with pytest.raises(BlockLimitReached):
        ipam.assign(1, host="host1", handle_id="host1", max_blocks_per_host=2)
    assert len(ipam.assign(1, host="host1", handle_id="host1").ips) == 1
    assert ipam.verify(exact_handles=True) == []


def test_configuration(ipam_store: IPAMDatastore) -> None:
    ipam = ipam_store.client.ipam
    config = ipam.config()  # created with the defaults, as v3.32.1 does
    assert (config.strict_affinity, config.auto_allocate_blocks, config.max_blocks_per_host) == (False, True, 0)
    assert ipam_store.client.backend.get("IPAMConfiguration", "default").spec.auto_allocate_blocks is True  # type: ignore[attr-defined]
    with pytest.raises(IPAMError, match=r"^at least one configuration option must be specified$"):
        ipam.configure()
    with pytest.raises(IPAMError, match=r"^MaxBlocksPerHost requires StrictAffinity to be enabled$"):
        ipam.configure(max_blocks_per_host=2)
    with pytest.raises(IPAMError, match="Use Enabled or Disabled"):
        ipam.configure(kube_virt_vm_address_persistence="Maybe")
    assert ipam.configure(strict_affinity=True, max_blocks_per_host=4).max_blocks_per_host == 4
    assert ipam.config().strict_affinity is True
    assert texts.configure_text(strict_affinity=True, max_blocks_per_host=4) == (
        "Successfully set StrictAffinity to: true\nSuccessfully set MaxBlocksPerHost to: 4\n"
    )


def test_reservations_are_skipped(ipam_store: IPAMDatastore) -> None:
    """'should assign non-reserved IPs only': addresses of an IPReservation are never handed out."""
    ds = ipam_store
    ds.add_node("host1")
    ds.pool("p", "10.1.0.0/29", blockSize=29)
    ds.client.create(IPReservation(metadata={"name": "r"}, spec={"reservedCIDRs": ["10.1.0.0/30", "10.1.0.6"]}))
    got = ds.client.ipam.assign(8, host="host1")
    assert sorted(str(i.ip) for i in got.ips) == ["10.1.0.4", "10.1.0.5", "10.1.0.7"]
    # IPReservations stay in the free list, so calicoctl counts them as free.
    assert ds.client.ipam.usage().pools[0].in_use == 3


def test_assign_ip_and_release(ipam_store: IPAMDatastore) -> None:
    ds = ipam_store
    ds.add_node("host1")
    ds.pool("p", "10.2.0.0/24")
    ipam = ds.client.ipam
    ipam.assign_ip("10.2.0.77", handle_id="h", attrs={"node": "host1"}, host="host1")
    with pytest.raises(ResourceAlreadyExists):
        ipam.assign_ip("10.2.0.77", host="host1")
    found = ipam.lookup("10.2.0.77")
    assert found is not None and found.handle_id == "h" and found.block == "10.2.0.64/26" and found.node == "host1"
    assert [str(i) for i in ipam.ips_by_handle("h")] == ["10.2.0.77"]
    assert ipam.release("10.2.0.77") == "10.2.0.77"
    assert texts.release_ip_text("10.2.0.77") == "Successfully released IP address 10.2.0.77\n"
    with pytest.raises(IPAMError, match=r"^IP address 10\.2\.0\.77 is not assigned$"):
        ipam.release("10.2.0.77")
    assert ipam.verify(exact_handles=True) == []


def test_pool_delete_releases_affinities(ipam_store: IPAMDatastore) -> None:
    ds = ipam_store
    ds.add_node("host1")
    ds.pool("p", "10.3.0.0/24")
    got = ds.client.ipam.assign(2, host="host1")
    ds.client.delete("IPPool", "p")
    assert ds.client.backend.list("BlockAffinity").items == []
    usage = ds.client.ipam.usage()
    assert usage.pools == () and [(b.node, b.in_use) for b in usage.orphans] == [(None, 2)]
    ds.client.ipam.release_ips(*(str(i.ip) for i in got.ips))
    assert ds.client.backend.list("IPAMBlock").items == []  # empty and without affinity: deleted


def test_fv_ipam_cleanup(ipam_store: IPAMDatastore, tmp_path: Path) -> None:
    """TestIPAMCleanup: check finds a leaked handle; release --from-report refuses an unlocked
    datastore, then with --force releases the leaked IP and handle, then skips a changed handle."""
    ds = ipam_store
    client = ds.client
    client.ensure_initialized()
    client.create(
        KubeControllersConfiguration(
            metadata={"name": "default"}, spec={"controllers": {"loadBalancer": {"assignIPs": "AllServices"}}}
        )
    )
    ds.pool("ipam-test-v4-handle-clean", "10.66.0.0/16")
    ds.add_node("host")
    client.ipam.assign(1, handle_id="TestIPAMCleanup", attrs={"note": "reserved by ipam_test.go"}, host="host")

    def leak_handle() -> None:
        client.backend.create(
            IPAMHandle(
                metadata={"name": "leaked-handle"}, spec={"handleID": "leaked-handle", "block": {"10.65.79.0/26": 1}}
            )
        )

    leak_handle()
    report = client.ipam.check()
    out = texts.check_text(report, show_all_ips=True)
    assert "Found 1 handles with no matching IPs (and 1 handles with matches)." in out
    assert "Found 0 service load balancer(s)." in out
    path = tmp_path / "ipam_report.json"
    path.write_text(report.to_json())
    loaded = json.loads(path.read_text())
    assert [h["ID"] for h in loaded["leakedHandles"]] == ["leaked-handle"] and loaded["leakedHandles"][0]["Revision"]
    assert CheckReport.from_json(path.read_text()).leaked_handles == report.leaked_handles

    with pytest.raises(IPAMError, match="not locked"):
        client.ipam.release(reports=[str(path)])
    outcome = client.ipam.release(reports=[str(path)], force=True)
    text = texts.release_report_text(outcome)  # type: ignore[arg-type]
    assert "Released 1 IPs successfully" in text
    assert "Released 1 handles; 0 skipped; 0 errors." in text
    assert text.endswith("You may now unlock the data store.\n")
    assert [h.spec.handle_id for h in client.backend.list("IPAMHandle").items] == []

    leak_handle()
    text = texts.release_report_text(client.ipam.release(reports=[str(path)], force=True))  # type: ignore[arg-type]
    assert re.search(r"Released \d+ IPs", text) is None
    assert "Released 0 handles; 1 skipped; 0 errors." in text
    client.backend.delete("IPAMHandle", "leaked-handle")
    text = texts.release_report_text(client.ipam.release(reports=[str(path)], force=True))  # type: ignore[arg-type]
    assert "Released 0 handles; 1 skipped; 0 errors." in text


def test_split(ipam_store: IPAMDatastore) -> None:
    ds = ipam_store
    client = ds.client
    client.ensure_initialized()
    ds.pool("big", "10.9.0.0/24", natOutgoing=True)
    with pytest.raises(IPAMError, match="datastore is not locked"):
        client.ipam.split(4, cidr="10.9.0.0/24")
    info = client.backend.get("ClusterInformation", "default").model_copy(deep=True)
    info.spec.datastore_ready = False  # type: ignore[attr-defined]
    client.backend.update(info)
    with pytest.raises(IPAMError, match=r"^no name or CIDR provided"):
        client.ipam.split(4)
    result = client.ipam.split(4, name="big")
    assert [(p.metadata.name, p.spec.cidr) for p in result.created] == [
        (f"split-big-{i}", f"10.9.0.{64 * i}/26") for i in range(4)
    ]
    pools = {p.metadata.name: p for p in client.list("IPPool")}
    assert sorted(pools) == [f"split-big-{i}" for i in range(4)]
    assert all(p.spec.nat_outgoing and not p.spec.disabled for p in pools.values())
    assert texts.split_text(result) == (
        "IP Pool big was successfully split into 4 smaller pools.Created split-big-0 with CIDR 10.9.0.0/26.\n"
        "Created split-big-1 with CIDR 10.9.0.64/26.\nCreated split-big-2 with CIDR 10.9.0.128/26.\n"
        "Created split-big-3 with CIDR 10.9.0.192/26.\nPlease refer to the documentation for final steps."
    )
    with pytest.raises(IPAMError, match="not a valid power of 2: 3"):
        client.ipam.split(3, name="split-big-0")


def test_usage_assigns_blocks_to_the_first_overlapping_pool(ipam_store: IPAMDatastore) -> None:
    ds = ipam_store
    ds.add_node("n")
    ds.pool("a", "10.4.0.0/24")
    got = ds.client.ipam.assign(3, host="n")
    usage = ds.client.ipam.usage(pools=["10.4.0.0/24"])
    assert [(b.cidr, b.node, b.capacity, b.in_use, b.free, b.pool) for b in usage.pools[0].blocks] == [
        (str(ipaddress.ip_interface(str(got.ips[0])).network), "n", 64, 3, 61, "a")
    ]
    assert ds.client.ipam.usage(pools=["nope"]).pools == ()
