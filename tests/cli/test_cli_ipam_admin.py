"""``calicopy ipam check``, ``ipam release`` and ``ipam split``: calicoctl v3.32.1's output, refusals
and exit codes (``commands/ipam/{check,release,split}.go``) on the state of :mod:`.ipam_state`, and
every view on ``calicopy.testing``'s simulated cluster.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from calicopy import IPPool
from calicopy.cli import ipam as ipam_module
from calicopy.resources.generated.kubecontrollersconfig import KubeControllersConfiguration

from .conftest import CONFIG, Cli
from .ipam_state import seed_ipam

# -- release --------------------------------------------------------------------------------------------


def test_release_ip(ipam: Cli) -> None:
    assert tuple(ipam("ipam", "release", "--ip=10.10.0.3")) == ("Successfully released IP address 10.10.0.3\n", "", 0)
    assert tuple(ipam("ipam", "show", "--ip=10.10.0.3")) == ("10.10.0.3 is not assigned\n", "", 0)
    assert tuple(ipam("ipam", "release", "--ip=10.10.0.3")) == ("", "IP address 10.10.0.3 is not assigned\n", 1)


def test_release_ipv6(ipam: Cli) -> None:
    assert tuple(ipam("ipam", "release", "--ip", "FD00:10::5")) == (
        "Successfully released IP address fd00:10::5\n",
        "",
        0,
    )


def test_release_invalid_ip(ipam: Cli) -> None:
    assert tuple(ipam("ipam", "release", "--ip=10.10.0")) == (
        "Error executing command: invalid IP address specified: 10.10.0\n",
        "",
        1,
    )


def test_release_nothing(ipam: Cli) -> None:
    # Neither --ip nor --from-report: calicoctl does nothing and succeeds.
    assert tuple(ipam("ipam", "release")) == ("", "", 0)


def _report(cli: Cli, name: str = "report.json", **changes: Any) -> str:
    path = str(cli.workdir / name)
    _stdout, stderr, code = cli("ipam", "check", "-o", path)
    assert (stderr, code) == ("", 0), stderr
    if changes:
        document = json.loads(Path(path).read_text())
        document.update(changes)
        Path(path).write_text(json.dumps(document))
    return path


RELEASED = """\
Releasing 2 old IPs...
Released 2 IPs successfully
Deleting 1 handles...
Key: '.' = Deleted OK; 'x' = skip, handle missing/changed.
.
Released 1 handles; 0 skipped; 0 errors.
You may now unlock the data store.
"""


def test_release_from_report(ipam: Cli) -> None:
    assert ipam("datastore", "migrate", "lock").code == 0
    report = _report(ipam)
    assert tuple(ipam("ipam", "release", f"--from-report={report}")) == (RELEASED, "", 0)
    assert ipam.client.ipam.lookup("fd00:10::5") is None and ipam.client.ipam.lookup("10.99.0.7") is None
    assert "h-leaked" not in {h.metadata.name for h in ipam.client.backend.list("IPAMHandle").items}
    # The same report again: the handle is gone (skipped); the IPv6 address's sequence number in
    # its block no longer matches the report (ReleaseIPs refuses it as an update conflict) and the
    # emptied /28, affine to no host, was deleted with its last address (already free).
    again = (
        "Releasing 2 old IPs...\n"
        "An error occurred while releasing some IPs: update conflict: fd00:10::5.  Problems are often caused by an "
        "out-of-date IPAM report.  Try regenerating the IPAM report and retry.\n"
        "1 addresses marked as leaked in the report had already been cleaned up.\n"
        "Deleting 1 handles...\n"
        "Key: '.' = Deleted OK; 'x' = skip, handle missing/changed.\n"
        "x\n"
        "Released 0 handles; 1 skipped; 0 errors.\n"
        "You may now unlock the data store.\n"
    )
    assert tuple(ipam("ipam", "release", "--from-report", report)) == (again, "", 0)


def test_release_from_a_clean_report(cli: Cli) -> None:
    cli.fake_only("locks the datastore")
    cli.client.create(KubeControllersConfiguration(metadata={"name": "default"}, spec={"controllers": {"node": {}}}))
    assert cli("datastore", "migrate", "lock").code == 0
    report = _report(cli)
    assert tuple(cli("ipam", "release", "--from-report", report)) == (
        "Report didn't contain any leaked IPs to clean up.\n"
        "Report didn't contain any handles to clean up.\n"
        "You may now unlock the data store.\n",
        "",
        0,
    )


def test_release_from_reports_takes_common_leaks(ipam: Cli) -> None:
    assert ipam("datastore", "migrate", "lock").code == 0
    first = _report(ipam, "first.json")
    # An hour later the IPv6 address is in use by a new pod: only 10.99.0.7 is leaked in both reports.
    assert ipam.server is not None
    ipam.server.seed(pods=[{"name": "web-2", "node": "node-1", "ip": "fd00:10::5"}])
    second = _report(ipam, "second.json")
    expected = RELEASED.replace("Releasing 2 old IPs...\nReleased 2 IPs", "Releasing 1 old IPs...\nReleased 1 IPs")
    assert tuple(ipam("ipam", "release", "--from-report", first, "--from-report", second)) == (expected, "", 0)
    assert ipam.client.ipam.lookup("fd00:10::5") is not None
    assert ipam.client.ipam.lookup("10.99.0.7") is None


def test_release_refuses_an_unlocked_datastore(ipam: Cli) -> None:
    report = _report(ipam)
    assert tuple(ipam("ipam", "release", "--from-report", report)) == (
        "",
        "data store is not locked. Either lock the data store, or re-run with --force\n",
        1,
    )
    assert tuple(ipam("ipam", "release", "--from-report", report, "--force")) == (
        "WARNING: Data store is not locked. Ignoring due to --force option\n" + RELEASED,
        "",
        0,
    )


def test_release_refuses_stale_reports(ipam: Cli) -> None:
    report = _report(ipam)
    assert ipam("datastore", "migrate", "lock").code == 0  # ClusterInformation changes: the report is stale
    stale = (
        "the provided reports are all stale - at least one should be up-to-date. Please generate a new report "
        "while the data store is locked and try again\n"
    )
    assert tuple(ipam("ipam", "release", "--from-report", report, "--force")) == ("", stale, 1)


def test_release_refuses_another_calicoctl_version(ipam: Cli) -> None:
    assert ipam("datastore", "migrate", "lock").code == 0
    report = _report(ipam, version="v3.31.0")
    assert tuple(ipam("ipam", "release", "--from-report", report)) == (
        "",
        f"the provided report ({report}) was produced using a different version (v3.31.0) of calicoctl. "
        "Refusing to release\n",
        1,
    )
    warning = "WARNING: Report was produced using a different version of calicoctl. Ignoring due to --force option\n"
    assert tuple(ipam("ipam", "release", "--from-report", report, "--force")) == (warning + RELEASED, "", 0)


def test_release_prints_warnings_before_a_refusal(ipam: Cli) -> None:
    # calicoctl prints each warning as it goes: the version warning is out before the stale refusal.
    report = _report(ipam, version="v3.31.0")
    assert ipam("datastore", "migrate", "lock").code == 0
    assert tuple(ipam("ipam", "release", "--from-report", report, "--force")) == (
        "WARNING: Report was produced using a different version of calicoctl. Ignoring due to --force option\n",
        "the provided reports are all stale - at least one should be up-to-date. Please generate a new report "
        "while the data store is locked and try again\n",
        1,
    )


def test_release_refuses_another_cluster(ipam: Cli) -> None:
    assert ipam("datastore", "migrate", "lock").code == 0
    report = _report(ipam, clusterGUID="0123456789abcdef")
    assert tuple(ipam("ipam", "release", "--from-report", report, "--force")) == (
        "",
        f"cluster does not match the provided report ({report}): mismatched cluster GUID. Refusing to release\n",
        1,
    )


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("", "unexpected end of JSON input"),
        ('{"version": ', "unexpected end of JSON input"),
        ("hello", "invalid character 'h' looking for beginning of value"),
        ('{"version": "x"} }', "invalid character '}' after top-level value"),
        ("{version: 1}", "invalid character 'v' looking for beginning of object key string"),
        ("[1, 2]", "json: cannot unmarshal array into Go value of type ipam.Report"),
        ('"report"', "json: cannot unmarshal string into Go value of type ipam.Report"),
    ],
)
def test_release_unreadable_report(ipam: Cli, content: str, error: str) -> None:
    path = ipam.file("bad.json", content)
    assert tuple(ipam("ipam", "release", "--from-report", path)) == ("", error + "\n", 1)


def test_release_missing_report(ipam: Cli) -> None:
    missing = str(ipam.workdir / "missing.json")
    assert tuple(ipam("ipam", "release", "--from-report", missing)) == (
        "",
        f"open {missing}: no such file or directory\n",
        1,
    )
    directory = str(ipam.workdir)
    assert tuple(ipam("ipam", "release", "--from-report", directory)) == (
        "",
        f"read {directory}: is a directory\n",
        1,
    )


# -- check ----------------------------------------------------------------------------------------------

CHECK_HEAD = """\
Checking IPAM for inconsistencies...

Loading all IPAM blocks...
Found 3 IPAM blocks.
 IPAM block 10.10.0.0/26 affinity=host:node-1:
{blocks_10}\
 IPAM block 10.99.0.0/28 affinity=<none>:
{blocks_99}\
 IPAM block fd00:10::/122 affinity=host:node-1:
{blocks_fd}\
IPAM blocks record 5 allocations.

Loading all IPAM pools...
  10.10.0.0/24
  fd00:10::/120
Found 2 active IP pools.

Loading all nodes.
"""

CHECK_REST = """\
Found 1 node tunnel IPs.

Loading all service load balancer IPs.
No configuration for LoadBalancer kubecontroller found, skipping service check

Loading all workload endpoints.
{workloads}\
Found 4 workload IPs.
Workloads and nodes are using 5 IPs.

Loading all handles
Looking for top (up to 20) nodes by allocations...
  node-1 has 3 allocations
  node-2 has 1 allocations
  node-3 has 1 allocations
Node with most allocations has 3; median is 1

Scanning for IPs that are allocated but not actually in use...
{leaked}\
Found 2 IPs that are allocated in IPAM but not actually in use.
Scanning for IPs that are in use by a workload or node but not allocated in IPAM...
{unallocated}\
Found 1 in-use IPs that are not in active IP pools.
Found 1 in-use IPs that are in active IP pools but have no corresponding IPAM allocation.

Scanning for IPAM handles with no matching IPs...
{leaked_handles}\
Found 1 handles with no matching IPs (and 3 handles with matches).
Scanning for IPs with missing handle...
{missing_handles}\
Found 1 handles mentioned in blocks with no matching handle resource.
Check complete; found 5 problems.
"""

ALLOCATED = {
    "blocks_10": (
        "  10.10.0.1 allocated; attrs Main:h1 Extra:namespace=default,node=node-1,pod=web-1\n"
        "  10.10.0.2 allocated; attrs Main:h2 Extra:node=node-1,type=ipipTunnelAddress\n"
        "  10.10.0.3 allocated; attrs Main:h3 Extra:namespace=prod,node=node-2,pod=db-0\n"
    ),
    "blocks_99": "  10.99.0.7 allocated; attrs Main:h4 Extra:node=node-3\n",
    "blocks_fd": "  fd00:10::5 allocated; attrs Main:h1 Extra:namespace=default,node=node-1,pod=web-1\n",
}
WORKLOADS = (
    "  172.16.0.9 belongs to Workload(default/node--2-k8s-outside-eth0)\n"
    "  10.10.0.50 belongs to Workload(default/node--2-k8s-stray-eth0)\n"
    "  10.10.0.1 belongs to Workload(default/node--1-k8s-web--1-eth0)\n"
    "  10.10.0.3 belongs to Workload(prod/node--2-k8s-db--0-eth0)\n"
)
PROBLEMS = {
    "leaked": (
        "  10.99.0.7 leaked; attrs Main:h4 Extra:node=node-3\n"
        "  fd00:10::5 leaked; attrs Main:h1 Extra:namespace=default,node=node-1,pod=web-1\n"
    ),
    "unallocated": (
        "  10.10.0.50 in use by Workload(default/node--2-k8s-stray-eth0) and in active IPAM pool but has no IPAM "
        "allocation.\n"
        "  172.16.0.9 in use by Workload(default/node--2-k8s-outside-eth0) is not in any active IP pool.\n"
    ),
    "missing_handles": "  h4 is in use in a block but doesn't exist.\n",
}
QUIET = {"blocks_10": "", "blocks_99": "", "blocks_fd": ""}
QUIET_REST = {"workloads": "", "leaked": "", "unallocated": "", "leaked_handles": "", "missing_handles": ""}


def test_check(ipam: Cli) -> None:
    expected = CHECK_HEAD.format(**QUIET) + CHECK_REST.format(**QUIET_REST)
    assert tuple(ipam("ipam", "check")) == (expected, "", 0)


def test_check_show_problem_ips(ipam: Cli) -> None:
    expected = CHECK_HEAD.format(**QUIET) + CHECK_REST.format(**{**QUIET_REST, **PROBLEMS})
    assert tuple(ipam("ipam", "check", "--show-problem-ips")) == (expected, "", 0)


def test_check_show_all_ips(ipam: Cli) -> None:
    expected = (
        CHECK_HEAD.format(**ALLOCATED)
        + "  10.10.0.2 belongs to Node(node-1)\n"
        + CHECK_REST.format(workloads=WORKLOADS, leaked_handles="  h-leaked doesn't have any active IPs.\n", **PROBLEMS)
    )
    assert tuple(ipam("ipam", "check", "--show-all-ips")) == (expected, "", 0)


def test_check_writes_its_report(ipam: Cli) -> None:
    path = ipam.workdir / "report.json"
    stdout, stderr, code = ipam("ipam", "check", "--output", str(path))
    assert (stdout, stderr, code) == (CHECK_HEAD.format(**QUIET) + CHECK_REST.format(**QUIET_REST), "", 0)
    text = path.read_text()
    assert text.startswith('{\n  "version": "v3.32.1",\n  "clusterGUID": "') and not text.endswith("\n")
    assert path.stat().st_mode & 0o777 == 0o777 & ~_umask()
    report = json.loads(text)
    info = ipam.client.get("ClusterInformation", "default")
    handle = ipam.client.backend.get("IPAMHandle", "h-leaked")
    assert {k: v for k, v in report.items() if k != "allocations"} == {
        "version": "v3.32.1",
        "clusterGUID": info.spec.cluster_guid,  # type: ignore[attr-defined]
        "datastoreLocked": False,
        "clusterInformationRevision": info.metadata.resource_version,
        "clusterType": info.spec.cluster_type,  # type: ignore[attr-defined]
        "leakedHandles": [{"ID": "h-leaked", "UID": handle.metadata.uid, "Revision": handle.metadata.resource_version}],
    }
    allocations = report["allocations"]
    assert sorted(allocations) == ["10.10.0.1", "10.10.0.2", "10.10.0.3", "10.99.0.7", "fd00:10::5"]
    for entries in allocations.values():
        assert isinstance(entries[0].pop("sequenceNumber"), int)
    assert allocations["10.10.0.3"] == [
        {
            "ip": "10.10.0.3",
            "handle": "h3",
            "pod": "db-0",
            "namespace": "prod",
            "node": "node-2",
            "inUse": True,
            "borrowed": True,
            "owners": ["Workload(prod/node--2-k8s-db--0-eth0)"],
        }
    ]
    assert allocations["10.10.0.2"] == [
        {
            "ip": "10.10.0.2",
            "handle": "h2",
            "node": "node-1",
            "type": "ipipTunnelAddress",
            "inUse": True,
            "owners": ["Node(node-1)"],
        }
    ]
    assert allocations["10.99.0.7"] == [
        {"ip": "10.99.0.7", "handle": "h4", "node": "node-3", "inUse": False, "borrowed": True, "owners": None}
    ]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_check_without_cluster_information(cli: Cli) -> None:
    # Printed as calicoctl prints as it goes: the first lines, then the error.
    cli.fake_only("needs an empty datastore")
    assert tuple(cli("ipam", "check")) == (
        "Checking IPAM for inconsistencies...\n\n",
        "resource does not exist: ClusterInformation(default) with error: "
        'clusterinformations.crd.projectcalico.org "default" not found\n',
        1,
    )


def test_check_without_kube_controllers_configuration(cli: Cli) -> None:
    cli.fake_only("writes IPAM state")
    assert cli.server is not None
    seed_ipam(cli.server, cli.client, workloads=False)
    stdout, stderr, code = cli("ipam", "check")
    assert stdout == (
        CHECK_HEAD.format(**QUIET) + "Found 0 node tunnel IPs.\n\nLoading all service load balancer IPs.\n"
    )
    assert (stderr, code) == (
        "resource does not exist: KubeControllersConfiguration(default) with error: "
        'kubecontrollersconfigurations.crd.projectcalico.org "default" not found\n',
        1,
    )


def _with_load_balancers(cli: Cli) -> None:
    stored = cli.client.get("KubeControllersConfiguration", "default")
    stored.spec.controllers.load_balancer = {"assignIPs": "AllServices"}  # type: ignore[attr-defined]
    cli.client.replace(stored)


SERVICES = [
    {
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"type": "LoadBalancer"},
        "status": {"loadBalancer": {"ingress": [{"ip": "10.10.0.60"}]}},
    },
    {
        "metadata": {"name": "other-class", "namespace": "default"},
        "spec": {"type": "LoadBalancer", "loadBalancerClass": "metallb"},
        "status": {"loadBalancer": {"ingress": [{"ip": "10.10.0.61"}]}},
    },
    {"metadata": {"name": "cluster-ip", "namespace": "default"}, "spec": {"type": "ClusterIP"}},
]


def test_check_counts_calico_load_balancers(ipam: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _with_load_balancers(ipam)
    seen: list[Any] = []

    def services(connection: Any) -> Iterator[Mapping[str, Any]]:
        seen.append(connection)
        yield from SERVICES

    monkeypatch.setattr(ipam_module, "_services", services)
    stdout, stderr, code = ipam("ipam", "check", "--show-all-ips")
    assert (stderr, code) == ("", 0)
    assert (
        "Loading all service load balancer IPs.\n  10.10.0.60 belongs to web\nFound 1 service load balancer(s).\n\n"
        in stdout
    )
    assert "Workloads and nodes are using 6 IPs.\n" in stdout
    assert "  10.10.0.60 in use by web and in active IPAM pool but has no IPAM allocation.\n" in stdout
    assert stdout.endswith("Check complete; found 6 problems.\n")
    # The Services are read from the Kubernetes datastore's own API server.
    assert seen[0].server == ipam.client.backend._transport.host  # type: ignore[attr-defined]


def test_check_fails_where_services_cannot_be_listed(ipam: Cli) -> None:
    # The fake API server serves no Services: the request's error is the command's, after the
    # lines calicoctl printed before listing them.
    _with_load_balancers(ipam)
    stdout, stderr, code = ipam("ipam", "check")
    assert stdout.endswith("Found 1 node tunnel IPs.\n\nLoading all service load balancer IPs.\n")
    assert (stderr, code) == ("the server could not find the requested resource\n", 1)


def test_check_on_etcd_needs_a_kubeconfig(etcd_cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    # check.go reads Services with a client built from --kubeconfig or KUBECONFIG (before checking).
    cli = etcd_cli
    tmp_path = cli.workdir
    monkeypatch.delenv("KUBECONFIG", raising=False)
    assert tuple(cli("ipam", "check")) == (
        "",
        "KUBECONFIG environment variable or --kubeconfig parameter not set\n",
        1,
    )
    missing = str(tmp_path / "nope")
    assert tuple(cli("ipam", "check", "--kubeconfig", missing)) == (
        "",
        f"stat {missing}: no such file or directory\n",
        1,
    )
    monkeypatch.setenv("KUBECONFIG", missing)
    assert tuple(cli("ipam", "check")) == ("", f"stat {missing}: no such file or directory\n", 1)


# -- split ----------------------------------------------------------------------------------------------


def test_split(ipam: Cli) -> None:
    assert tuple(ipam("ipam", "split", "2", "--name=pool-a")) == (
        "",
        "datastore is not locked. Run the `calicoctl datastore migrate lock` command in order split the IP pools\n",
        1,
    )
    assert ipam("datastore", "migrate", "lock").code == 0
    assert tuple(ipam("ipam", "split", "--name=pool-a", "2")) == (
        "IP Pool pool-a was successfully split into 2 smaller pools.Created split-pool-a-0 with CIDR 10.10.0.0/25.\n"
        "Created split-pool-a-1 with CIDR 10.10.0.128/25.\n"
        "Please refer to the documentation for final steps.",
        "",
        0,
    )
    pools = {p.metadata.name: (p.spec.cidr, p.spec.disabled) for p in ipam.client.list(IPPool)}
    assert pools == {
        "pool-v6": ("fd00:10::/120", False),
        "split-pool-a-0": ("10.10.0.0/25", False),
        "split-pool-a-1": ("10.10.0.128/25", False),
    }
    # The blocks and their affinities stay (UnsafeDelete).
    assert ipam.client.ipam.lookup("10.10.0.1") is not None


def test_split_by_cidr(ipam: Cli) -> None:
    assert ipam("datastore", "migrate", "lock").code == 0
    stdout, stderr, code = ipam("ipam", "split", "4", "--cidr", "fd00:10::/120")
    assert (stderr, code) == ("", 0)
    assert stdout.startswith("IP Pool pool-v6 was successfully split into 4 smaller pools.Created split-pool-v6-0 ")
    assert stdout.endswith(
        "Created split-pool-v6-3 with CIDR fd00:10::c0/122.\nPlease refer to the documentation for final steps."
    )


SPLIT_ERRORS = [
    ([], "no name or CIDR provided. Provide a name or CIDR to denote the IP pool to split"),
    (["--cidr="], "no name or CIDR provided. Provide a name or CIDR to denote the IP pool to split"),
    (["--cidr=10.1.0.0/16"], "unable to find IP pool  covering the specified CIDR 10.1.0.0/16"),
    (
        ["--name=nope"],
        "unable to find IP pool with name nope: resource does not exist: IPPool(nope) with error: "
        'ippools.crd.projectcalico.org "nope" not found',
    ),
]


@pytest.mark.parametrize(("args", "stderr"), SPLIT_ERRORS, ids=[" ".join(a) or "none" for a, _ in SPLIT_ERRORS])
def test_split_refusals(ipam: Cli, args: list[str], stderr: str) -> None:
    assert ipam("datastore", "migrate", "lock").code == 0
    assert tuple(ipam("ipam", "split", "2", *args)) == ("", stderr + "\n", 1)


@pytest.mark.parametrize(
    ("number", "stderr"),
    [
        (
            "3",
            "error splitting the CIDR 10.10.0.0/24 into 3 CIDRs: number to split CIDR into is not a valid power of 2: 3",
        ),
        (
            "1",
            "error splitting the CIDR 10.10.0.0/24 into 1 CIDRs: number to split CIDR into is not a valid power of 2: 1",
        ),
        (
            "512",
            "error splitting the CIDR 10.10.0.0/24 into 512 CIDRs: the CIDR 10.10.0.0/24 is not large enough to be "
            "split into 512 parts",
        ),
        (
            "two",
            'error reading number to split IP pools into. two is not a valid number: strconv.Atoi: parsing "two": '
            "invalid syntax",
        ),
    ],
)
def test_split_bad_numbers(ipam: Cli, number: str, stderr: str) -> None:
    # As calicoctl, the pool is disabled before the number is looked at, and stays disabled.
    assert ipam("datastore", "migrate", "lock").code == 0
    assert tuple(ipam("ipam", "split", number, "--name", "pool-a")) == ("", stderr + "\n", 1)
    assert ipam.client.get(IPPool, "pool-a").spec.disabled is True


# -- a simulated cluster --------------------------------------------------------------------------------


@pytest.fixture
def simulated(simulated_cluster: Any, tmp_path: Path) -> tuple[Cli, Any]:
    """The command against ``calicopy.testing``'s simulated cluster (nodes, pods, IPAM, leaks)."""
    server = simulated_cluster.server
    config = tmp_path / "calicoctl.cfg"
    config.write_text(CONFIG.format(kubeconfig=server.kubeconfig_path))
    return Cli(tmp_path, config, str(server.kubeconfig_path), server=server), simulated_cluster


@pytest.mark.simulated_cluster(nodes=4, pods=30, seed=3, leaks=3)
def test_every_view_on_a_simulated_cluster(simulated: tuple[Cli, Any]) -> None:
    cli, sim = simulated
    usage = sim.client.ipam.usage()
    stdout, stderr, code = cli("ipam", "show", "--show-blocks", "-o", "json")
    assert (stderr, code) == ("", 0)
    shown = json.loads(stdout)
    assert [(p["name"], p["inUse"]) for p in shown["pools"]] == [(p.name, p.in_use) for p in usage.pools]
    assert sum(len(p["blocks"]) for p in shown["pools"]) + len(shown["orphanBlocks"]) == len(usage.blocks)
    table, stderr, code = cli("ipam", "show", "--show-blocks")
    assert (stderr, code) == ("", 0)
    # One row per pool and per block, between a header and borders.
    assert table.count("\n| IP Pool ") == len(usage.pools) and table.count("\n| Block ") == len(usage.blocks)
    # Every pod's address is in use, as its pod and node say.
    for name, (node, addresses) in sorted(sim.pods.items())[:3]:
        namespace, pod = name.split("/")
        for address in addresses:
            stdout, _, code = cli("ipam", "show", "--ip", address)
            assert code == 0 and stdout.startswith(f"IP {address} is in use\nHandle ID: k8s-pod-network.")
            assert (
                f"  namespace: {namespace}\n" in stdout
                and f"  node: {node}\n" in stdout
                and f"  pod: {pod}\n" in stdout
            )
    # The check finds the simulation's leaks (each leaked pod's addresses, from both pools).
    stdout, stderr, code = cli("ipam", "check", "--show-problem-ips")
    assert (stderr, code) == ("", 0)
    assert f"Found {len(sim.leaked)} IPs that are allocated in IPAM but not actually in use.\n" in stdout
    for address in sim.leaked:
        assert f"\n  {address} leaked; attrs Main:" in stdout
    assert stdout.endswith(f"Check complete; found {len(sim.leaked)} problems.\n")
    borrowed, stderr, code = cli("ipam", "show", "--show-borrowed", "-o", "yaml")
    assert (stderr, code) == ("", 0) and borrowed.startswith("borrowed:")
