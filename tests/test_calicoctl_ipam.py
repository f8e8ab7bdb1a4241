"""calicoctl ipam's exact texts (calicopy.calicoctl.ipam, calicopy.calicoctl.tablewriter).

Expected tables come from calicoctl v3.32.1: the example in ``calicoctl/tests/fv/ipam_test.go``
and the code of ``commands/ipam/{show,check,release,split}.go`` with tablewriter v0.0.5's
rendering rules (numeric cells right-aligned, headers centred, 30-column wrapping).
"""

from __future__ import annotations

import json

from calicopy.calicoctl.ipam import borrowed_table, check_text, config_table, ip_text, release_report_text, usage_table
from calicopy.calicoctl.tablewriter import render_table
from calicopy.ipam import Allocation, BlockUsage, BorrowedIP, BorrowedIPs, IPAMConfig, PoolUsage, Usage
from calicopy.ipam.admin import HandleRelease, ReportRelease
from calicopy.ipam.check import CheckedAllocation, CheckedBlock, CheckReport, HandleInfo, go_json_indent

# calicoctl/tests/fv/ipam_test.go, the comment in TestIPAM.
FV_TABLE = """\
+----------+-------------------------------------------+------------+------------+-------------------+
| GROUPING |                   CIDR                    | IPS TOTAL  | IPS IN USE |     IPS FREE      |
+----------+-------------------------------------------+------------+------------+-------------------+
| IP Pool  | 10.65.0.0/16                              |      65536 | 5 (0%)     | 65531 (100%)      |
| Block    | 10.65.79.0/26                             |         64 | 5 (8%)     | 59 (92%)          |
| IP Pool  | 10.66.0.0/16                              |      65536 | 11 (0%)    | 65525 (100%)      |
| Block    | 10.66.137.224/29                          |          8 | 8 (100%)   | 0 (0%)            |
| Block    | 10.66.137.232/29                          |          8 | 3 (38%)    | 5 (62%)           |
| IP Pool  | fd5f:abcd:64::/48                         | 1.2089e+24 | 7 (0%)     | 1.2089e+24 (100%) |
| Block    | fd5f:abcd:64:4f2c:ec1b:27b9:1989:77c0/122 |         64 | 7 (11%)    | 57 (89%)          |
+----------+-------------------------------------------+------------+------------+-------------------+
"""


def fv_usage() -> Usage:
    def b(cidr: str, cap: int, used: int) -> BlockUsage:
        return BlockUsage(cidr, "host", cap, used)

    return Usage(
        (
            PoolUsage("ipam-test-v4", "10.65.0.0/16", 65536, 5, (b("10.65.79.0/26", 64, 5),)),
            PoolUsage(
                "ipam-test-v4-b29",
                "10.66.0.0/16",
                65536,
                11,
                (b("10.66.137.224/29", 8, 8), b("10.66.137.232/29", 8, 3)),
            ),
            PoolUsage(
                "ipam-test-v6", "fd5f:abcd:64::/48", 2**80, 7, (b("fd5f:abcd:64:4f2c:ec1b:27b9:1989:77c0/122", 64, 7),)
            ),
        ),
        (),
    )


def test_fv_show_blocks_table() -> None:
    assert usage_table(fv_usage(), show_blocks=True) == FV_TABLE


def test_show_pools_only_and_orphans() -> None:
    # Column widths come from the rows printed: without block rows the CIDR column narrows.
    assert usage_table(fv_usage()) == (
        "+----------+-------------------+------------+------------+-------------------+\n"
        "| GROUPING |       CIDR        | IPS TOTAL  | IPS IN USE |     IPS FREE      |\n"
        "+----------+-------------------+------------+------------+-------------------+\n"
        "| IP Pool  | 10.65.0.0/16      |      65536 | 5 (0%)     | 65531 (100%)      |\n"
        "| IP Pool  | 10.66.0.0/16      |      65536 | 11 (0%)    | 65525 (100%)      |\n"
        "| IP Pool  | fd5f:abcd:64::/48 | 1.2089e+24 | 7 (0%)     | 1.2089e+24 (100%) |\n"
        "+----------+-------------------+------------+------------+-------------------+\n"
    )
    # Orphan blocks follow the pools with --show-blocks; calicoctl's 0.0.0.0/0 pseudo-pool never matches IPv6 ones.
    usage = Usage((), (), (BlockUsage("10.9.0.0/26", None, 64, 1), BlockUsage("fd00::/122", None, 64, 1)))
    assert usage_table(usage, show_blocks=True) == (
        "+----------+-------------+-----------+------------+----------+\n"
        "| GROUPING |    CIDR     | IPS TOTAL | IPS IN USE | IPS FREE |\n"
        "+----------+-------------+-----------+------------+----------+\n"
        "| Block    | 10.9.0.0/26 |        64 | 1 (2%)     | 63 (98%) |\n"
        "+----------+-------------+-----------+------------+----------+\n"
    )


def test_go_rounding_and_g_format() -> None:
    # %.f rounds half to even (Go and Python alike); %.5g switches to exponents past 5 digits.
    row = usage_table(Usage((PoolUsage("p", "10.0.0.0/12", 2**20, 2**19 + 1),), ()))
    assert "| 1.0486e+06 | 5.2429e+05 (50%) | 5.2429e+05 (50%) |" in row
    half = usage_table(
        Usage((PoolUsage("p", "10.0.0.0/29", 8, 3, (BlockUsage("10.0.0.0/29", "n", 8, 3),)),), ()), show_blocks=True
    )
    assert "3 (38%)" in half and "5 (62%)" in half


def test_tablewriter_wraps_wide_cells_and_titles_headers() -> None:
    # 39 characters: capped at 30 columns, wrapped at a space; the header's odd gap puts the
    # extra space on the right (Go's Pad: gapLeft = gap/2).
    text = render_table(["a_b", "x.y"], [["one two three four five six seven eight", "1.5"]])
    assert text == (
        "+--------------------------------+-----+\n"
        "|              A B               | X Y |\n"
        "+--------------------------------+-----+\n"
        "| one two three four five six    | 1.5 |\n"
        "| seven eight                    |     |\n"
        "+--------------------------------+-----+\n"
    )


def test_show_ip() -> None:
    alloc = Allocation("10.65.79.2", "h1", {"note": "x", "a": "b"}, "10.65.79.0/26", "host", {"pod": "p"})
    assert ip_text("10.65.79.2", alloc) == (
        "IP 10.65.79.2 is in use\nHandle ID: h1\nActive Owner Attributes:\n  a: b\n  note: x\n"
        "Alternate Owner Attributes:\n  pod: p\n"
    )
    bare = Allocation("10.65.79.3", None, {}, "10.65.79.0/26", None)
    assert (
        ip_text("10.65.79.3", bare)
        == "IP 10.65.79.3 is in use\nHandle ID: <none>\nNo Active Owner attributes defined\n"
    )


def test_show_borrowed() -> None:
    borrowed = BorrowedIPs([BorrowedIP("10.0.0.5", "host2", "10.0.0.0/28", "host1", "pod", "ns/b")], unclassified=2)
    assert borrowed_table(borrowed) == (
        "+----------+----------------+-------------+-------------+------+--------------+\n"
        "|    IP    | BORROWING-NODE |    BLOCK    | BLOCK OWNER | TYPE | ALLOCATED-TO |\n"
        "+----------+----------------+-------------+-------------+------+--------------+\n"
        "| 10.0.0.5 | host2          | 10.0.0.0/28 | host1       | pod  | ns/b         |\n"
        "+----------+----------------+-------------+-------------+------+--------------+\n"
        "\nNote: found 2 IP allocations without an explicit node association. Unable to determine if they are borrowed.\n"
    )


def test_show_configuration() -> None:
    assert config_table(IPAMConfig()) == (
        "+------------------------------+-----------+\n"
        "|           PROPERTY           |   VALUE   |\n"
        "+------------------------------+-----------+\n"
        "| StrictAffinity               | false     |\n"
        "| AutoAllocateBlocks           | true      |\n"
        "| MaxBlocksPerHost             |         0 |\n"
        '| KubeVirtVMAddressPersistence | "Enabled" |\n'
        "+------------------------------+-----------+\n"
    )


def _report() -> CheckReport:
    leaked = CheckedAllocation(
        "10.0.0.2", "10.0.0.0/30", 2, "Main:h2 Extra:node=n1", handle="h2", sequence_number=7, node="n1"
    )
    used = CheckedAllocation(
        "10.0.0.1", "10.0.0.0/30", 1, "Main:h1 Extra:node=n1,pod=p", handle="h1", sequence_number=7, node="n1",
        pod="p", namespace="ns", in_use=True, owners=["Workload(ns/n1-k8s-p-eth0)"],
    )  # fmt: skip
    return CheckReport(
        version="v3.32.1",
        cluster_guid="guid",
        cluster_info_revision="12",
        cluster_type="k8s,kdd",
        blocks=[
            CheckedBlock(
                "10.0.0.0/30",
                "host:n1",
                [("allocated", "10.0.0.1", used.attr_text), ("allocated", "10.0.0.2", leaked.attr_text)],
            )
        ],
        allocations={"10.0.0.1": [used], "10.0.0.2": [leaked]},
        active_pools=["10.0.0.0/24"],
        workload_ips=[("10.0.0.1", "Workload(ns/n1-k8s-p-eth0)"), ("10.0.9.9", "Workload(ns/other)")],
        in_use={"10.0.0.1": ["Workload(ns/n1-k8s-p-eth0)"], "10.0.9.9": ["Workload(ns/other)"]},
        leaked_ips=["10.0.0.2"],
        non_calico_ips=["10.0.9.9"],
        leaked_handles=[HandleInfo("h3", "uid-3", "40")],
        good_handles=2,
    )


def test_check_text() -> None:
    assert check_text(_report(), show_problem_ips=True) == (
        "Checking IPAM for inconsistencies...\n\n"
        "Loading all IPAM blocks...\nFound 1 IPAM blocks.\n IPAM block 10.0.0.0/30 affinity=host:n1:\n"
        "IPAM blocks record 2 allocations.\n\n"
        "Loading all IPAM pools...\n  10.0.0.0/24\nFound 1 active IP pools.\n\n"
        "Loading all nodes.\nFound 0 node tunnel IPs.\n\n"
        "Loading all service load balancer IPs.\n"
        "No configuration for LoadBalancer kubecontroller found, skipping service check\n\n"
        "Loading all workload endpoints.\nFound 2 workload IPs.\nWorkloads and nodes are using 2 IPs.\n\n"
        "Loading all handles\nLooking for top (up to 20) nodes by allocations...\n  n1 has 2 allocations\n"
        "Node with most allocations has 2; median is 2\n\n"
        "Scanning for IPs that are allocated but not actually in use...\n"
        "  10.0.0.2 leaked; attrs Main:h2 Extra:node=n1\n"
        "Found 1 IPs that are allocated in IPAM but not actually in use.\n"
        "Scanning for IPs that are in use by a workload or node but not allocated in IPAM...\n"
        "  10.0.9.9 in use by Workload(ns/other) is not in any active IP pool.\n"
        "Found 1 in-use IPs that are not in active IP pools.\n"
        "Found 0 in-use IPs that are in active IP pools but have no corresponding IPAM allocation.\n\n"
        "Scanning for IPAM handles with no matching IPs...\n"
        "Found 1 handles with no matching IPs (and 2 handles with matches).\n"
        "Scanning for IPs with missing handle...\n"
        "Found 0 handles mentioned in blocks with no matching handle resource.\n"
        "Check complete; found 3 problems.\n"
    )
    verbose = check_text(_report(), show_all_ips=True)
    assert "  10.0.0.1 allocated; attrs Main:h1 Extra:node=n1,pod=p\n" in verbose
    assert "  10.0.0.1 belongs to Workload(ns/n1-k8s-p-eth0)\n" in verbose
    assert "  h3 doesn't have any active IPs.\n" in verbose


def test_check_report_json_is_calicoctls() -> None:
    text = _report().to_json()
    data = json.loads(text)
    assert list(data) == [
        "version",
        "clusterGUID",
        "datastoreLocked",
        "clusterInformationRevision",
        "clusterType",
        "allocations",
        "leakedHandles",
    ]
    assert data["allocations"]["10.0.0.2"] == [
        {"ip": "10.0.0.2", "handle": "h2", "sequenceNumber": 7, "node": "n1", "inUse": False, "owners": None}
    ]
    assert data["leakedHandles"] == [{"ID": "h3", "UID": "uid-3", "Revision": "40"}]
    assert text.startswith('{\n  "version": "v3.32.1",\n')
    assert go_json_indent({"a": "<&>", "b": []}) == '{\n  "a": "\\u003c\\u0026\\u003e",\n  "b": []\n}'


def test_release_report_text() -> None:
    outcome = ReportRelease(
        warnings=["WARNING: Data store is not locked. Ignoring due to --force option"],
        ips_requested=3,
        ips_already_free=1,
        handles=[
            HandleRelease(HandleInfo("a", None, "1"), "released"),
            HandleRelease(HandleInfo("b", None, "2"), "skipped"),
        ],
    )
    assert release_report_text(outcome) == (
        "WARNING: Data store is not locked. Ignoring due to --force option\n"
        "Releasing 3 old IPs...\nReleased 2 IPs successfully\n"
        "1 addresses marked as leaked in the report had already been cleaned up.\n"
        "Deleting 2 handles...\nKey: '.' = Deleted OK; 'x' = skip, handle missing/changed.\n.x\n"
        "Released 1 handles; 1 skipped; 0 errors.\nYou may now unlock the data store.\n"
    )
    assert release_report_text(ReportRelease()) == (
        "Report didn't contain any leaked IPs to clean up.\nReport didn't contain any handles to clean up.\n"
        "You may now unlock the data store.\n"
    )
