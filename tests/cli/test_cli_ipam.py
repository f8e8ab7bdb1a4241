"""``calicopy ipam show|check|release|configure|split``: calicoctl v3.32.1's texts, tables and exit
codes (``calicoctl/calicoctl/commands/ipam.go``, ``commands/ipam/*.go``), plus ``ipam show -o json|yaml``.

Expected tables are olekukonko/tablewriter v0.0.5's (borders, centred upper-case headers, numbers
right-aligned, ``%.5g`` counts, ``%.f`` percentages) for the state of :mod:`.ipam_state`; the
other texts are the ``fmt.Printf``/``fmt.Errorf`` strings of those files.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from calicopy import IPPool
from calicopy.calicoctl.usage import DATASTORE_INTRO
from calicopy.cli import ipam as ipam_module
from calicopy.resources.generated.kubecontrollersconfig import KubeControllersConfiguration

from .conftest import CONFIG, Cli
from .ipam_state import seed_ipam

SHOW_USAGE = (
    "Usage:\n  calicopy ipam show [--ip=<IP> | --show-blocks | --show-borrowed | --show-configuration] "
    "[--config=<CONFIG>] [--allow-version-mismatch]\n"
)
CHECK_USAGE = (
    "Usage:\n  calicopy ipam check [--config=<CONFIG>] [--show-all-ips] [--show-problem-ips] [-o <FILE>] "
    "[--kubeconfig <KUBECONFIG>] [--allow-version-mismatch]\n"
)
RELEASE_USAGE = (
    "Usage:\n  calicopy ipam release [--ip=<IP>] [--from-report=<REPORT>]... [--config=<CONFIG>] [--force] "
    "[--allow-version-mismatch]\n"
)
CONFIGURE_USAGE = """\
Usage:
  calicopy ipam configure [--strictaffinity=<true/false>]
                               [--max-blocks-per-host=<number>]
                               [--kubevirt-ip-persistence=<Enabled|Disabled>]
                               [--config=<CONFIG>]
                               [--allow-version-mismatch]
"""
SPLIT_USAGE = (
    "Usage:\n  calicopy ipam split <NUMBER> [--cidr=<CIDR>] [--name=<POOL_NAME>] [--config=<CONFIG>] "
    "[--allow-version-mismatch]\n"
)

SHOW_HELP = """\
Set the Calico datastore access information in the environment variables or
supply details in a config file.

Usage:
  calicopy ipam show [--ip=<IP> | --show-blocks | --show-borrowed | --show-configuration] [--config=<CONFIG>] \
[--allow-version-mismatch]

Options:
  -h --help                    Show this screen.
     --ip=<IP>                 Report whether this specific IP address is in use.
     --show-blocks             Show detailed information for IP blocks as well as pools.
     --show-borrowed           Show detailed information for "borrowed" IP addresses.
     --show-configuration      Show current Calico IPAM configuration.
  -c --config=<CONFIG>         Path to the file containing connection configuration in
                               YAML or JSON format.
                               [default: /etc/calico/calicoctl.cfg]
     --allow-version-mismatch  Allow client and cluster versions mismatch.

Description:
  The ipam show command prints information about a given IP address, or about
  overall IP usage.

calicopy options:
  -o --output=<OUTPUT FORMAT>  Output format: table (the default), json or yaml.
"""

CHECK_HELP = """\
Set the Calico datastore access information in the environment variables or
supply details in a config file.

Usage:
  calicopy ipam check [--config=<CONFIG>] [--show-all-ips] [--show-problem-ips] [-o <FILE>] \
[--kubeconfig <KUBECONFIG>] [--allow-version-mismatch]

Options:
  -h --help                    Show this screen.
  -o --output=<FILE>           Path to output report file.
     --show-all-ips            Print all IPs that are checked.
     --show-problem-ips        Print all IPs that are leaked or not allocated properly.
  -c --config=<CONFIG>         Path to the file containing connection configuration in
                               YAML or JSON format.
                               [default: /etc/calico/calicoctl.cfg]
     --kubeconfig=<KUBECONFIG> Path to Kubeconfig file
     --allow-version-mismatch  Allow client and cluster versions mismatch.

Description:
  The ipam check command checks the integrity of the IPAM datastructures against Kubernetes.
"""

CONFIGURE_HELP = (
    DATASTORE_INTRO
    + CONFIGURE_USAGE
    + """
Options:
  -h --help                        Show this screen.
     --strictaffinity=<true/false>  Set StrictAffinity to true/false. When StrictAffinity
                                    is true, borrowing IP addresses is not allowed.
     --max-blocks-per-host=<number> Set the maximum number of blocks that can be affine to a host.
     --kubevirt-ip-persistence=<Enabled|Disabled>
                                    Control whether KubeVirt VMs retain persistent IP addresses
                                    across lifecycle events.
  -c --config=<CONFIG>              Path to the file containing connection configuration in
                                    YAML or JSON format.
                                    [default: /etc/calico/calicoctl.cfg]
     --allow-version-mismatch       Allow client and cluster versions mismatch.

Description:
 Modify configuration for Calico IP address management.
"""
)

SPLIT_HELP_TAIL = """\
Description:
  The ipam split command splits an IP pool specified by the specified CIDR or name
  into the specified number of smaller IP pools. Each child IP pool will be of equal
  size. IP pools can only be split into a number of smaller pools that is a power
  of 2.

Examples:
  # Split the IP pool specified by 172.0.0.0/8 into 2 smaller pools
  calicopy ipam split --cidr=172.0.0.0/8 2
"""

RELEASE_HELP_TAIL = """\
Description:
  The ipam release command releases an IP address from the Calico IP Address
  Manager that was been previously assigned to an endpoint.  When an IP address
  is released, it becomes available for assignment to any endpoint.

  Note that this does not remove the IP from any existing endpoints that may be
  using it, so only use this command to clean up addresses from endpoints that
  were not cleanly removed from Calico.
"""

POOLS_TABLE = """\
+----------+---------------+-----------+------------+------------+
| GROUPING |     CIDR      | IPS TOTAL | IPS IN USE |  IPS FREE  |
+----------+---------------+-----------+------------+------------+
| IP Pool  | 10.10.0.0/24  |       256 | 3 (1%)     | 253 (99%)  |
| IP Pool  | fd00:10::/120 |       256 | 1 (0%)     | 255 (100%) |
+----------+---------------+-----------+------------+------------+
"""

# The /28 outside every pool has no pool row (calicoctl's catch-all 0.0.0.0/0 pseudo-pool).
BLOCKS_TABLE = """\
+----------+---------------+-----------+------------+------------+
| GROUPING |     CIDR      | IPS TOTAL | IPS IN USE |  IPS FREE  |
+----------+---------------+-----------+------------+------------+
| IP Pool  | 10.10.0.0/24  |       256 | 3 (1%)     | 253 (99%)  |
| Block    | 10.10.0.0/26  |        64 | 3 (5%)     | 61 (95%)   |
| IP Pool  | fd00:10::/120 |       256 | 1 (0%)     | 255 (100%) |
| Block    | fd00:10::/122 |        64 | 1 (2%)     | 63 (98%)   |
| Block    | 10.99.0.0/28  |        16 | 1 (6%)     | 15 (94%)   |
+----------+---------------+-----------+------------+------------+
"""

BORROWED_TABLE = """\
+-----------+----------------+--------------+-------------+------+--------------+
|    IP     | BORROWING-NODE |    BLOCK     | BLOCK OWNER | TYPE | ALLOCATED-TO |
+-----------+----------------+--------------+-------------+------+--------------+
| 10.10.0.3 | node-2         | 10.10.0.0/26 | node-1      | pod  | prod/db-0    |
| 10.99.0.7 | node-3         | 10.99.0.0/28 |             |      |              |
+-----------+----------------+--------------+-------------+------+--------------+
"""

CONFIG_TABLE = """\
+------------------------------+-----------+
|           PROPERTY           |   VALUE   |
+------------------------------+-----------+
| StrictAffinity               | false     |
| AutoAllocateBlocks           | true      |
| MaxBlocksPerHost             |         0 |
| KubeVirtVMAddressPersistence | "Enabled" |
+------------------------------+-----------+
"""

WEB_1_IP = """\
IP 10.10.0.1 is in use
Handle ID: h1
Active Owner Attributes:
  namespace: default
  node: node-1
  pod: web-1
"""

MISMATCH = (
    "version mismatch.\nClient Version:   v3.32.1\nCluster Version:  3.20.1\nUse --allow-version-mismatch to override\n"
)


@pytest.fixture
def ipam(cli: Cli) -> Cli:
    cli.fake_only("writes IPAM state")
    assert cli.server is not None
    seed_ipam(cli.server, cli.client)
    return cli


def _set_cluster_version(cli: Cli, version: str) -> None:
    cli.client.ensure_initialized()
    info = cli.client.get("ClusterInformation", "default")
    info.spec.calico_version = version  # type: ignore[attr-defined]
    cli.client.backend.update(info)


# -- help and arguments -------------------------------------------------------------------------------------


def test_show_help(offline: Cli) -> None:
    assert tuple(offline("ipam", "show", "--help", config=False)) == (SHOW_HELP, "", 0)


def test_check_help(offline: Cli) -> None:
    assert tuple(offline("ipam", "check", "-h", config=False)) == (CHECK_HELP, "", 0)


def test_configure_help(offline: Cli) -> None:
    assert tuple(offline("ipam", "configure", "--help", config=False)) == (CONFIGURE_HELP, "", 0)


@pytest.mark.parametrize(
    ("command", "usage", "tail"),
    [("release", RELEASE_USAGE, RELEASE_HELP_TAIL), ("split", SPLIT_USAGE, SPLIT_HELP_TAIL)],
)
def test_release_and_split_help(offline: Cli, command: str, usage: str, tail: str) -> None:
    stdout, stderr, code = offline("ipam", command, "--help", config=False)
    assert (stderr, code) == ("", 0)
    assert stdout.startswith(DATASTORE_INTRO + usage + "\nOptions:\n  -h --help                    Show this screen.\n")
    assert stdout.endswith("\n\n" + tail)


USAGE_ERRORS = [
    (["ipam", "show", "--ip"], "--ip requires argument\n" + SHOW_USAGE),
    (["ipam", "show", "--show-blocks", "--show-borrowed"], SHOW_USAGE),
    (["ipam", "show", "--ip=10.0.0.1", "--show-configuration"], SHOW_USAGE),
    (["ipam", "show", "--bogus"], SHOW_USAGE),
    (["ipam", "show", "extra"], SHOW_USAGE),
    (["ipam", "show", "--show-b"], "--show-b is not a unique prefix: --show-blocks, --show-borrowed?\n" + SHOW_USAGE),
    (["ipam", "show", "--show-blocks=yes"], "--show-blocks must not have an argument\n" + SHOW_USAGE),
    (["ipam", "show", "-o"], "-o requires argument\n" + SHOW_USAGE),
    (["ipam", "show", "-c"], "-c requires argument\n" + SHOW_USAGE),
    (["ipam", "check", "-o"], "-o requires argument\n" + CHECK_USAGE),
    (["ipam", "check", "--kubeconfig"], "--kubeconfig requires argument\n" + CHECK_USAGE),
    (["ipam", "check", "--show-all-ips=1"], "--show-all-ips must not have an argument\n" + CHECK_USAGE),
    (["ipam", "check", "extra"], CHECK_USAGE),
    (["ipam", "release", "--ip"], "--ip requires argument\n" + RELEASE_USAGE),
    (["ipam", "release", "--from-report"], "--from-report requires argument\n" + RELEASE_USAGE),
    (["ipam", "release", "10.0.0.1"], RELEASE_USAGE),
    (["ipam", "configure", "--strictaffinity"], "--strictaffinity requires argument\n" + CONFIGURE_USAGE),
    (["ipam", "configure", "--max-blocks-per-host"], "--max-blocks-per-host requires argument\n" + CONFIGURE_USAGE),
    (["ipam", "configure", "--bogus=1"], CONFIGURE_USAGE),
    (["ipam", "split"], SPLIT_USAGE),
    (["ipam", "split", "2", "4"], SPLIT_USAGE),
    (["ipam", "split", "2", "--cidr"], "--cidr requires argument\n" + SPLIT_USAGE),
    (["ipam", "split", "--name"], "--name requires argument\n" + SPLIT_USAGE),
]


@pytest.mark.parametrize(("args", "stderr"), USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS])
def test_usage_errors(offline: Cli, args: list[str], stderr: str) -> None:
    assert tuple(offline(*args, config=False)) == ("", stderr, 1)


def test_long_option_prefixes(ipam: Cli) -> None:
    # docopt accepts a unique prefix of a long option.
    assert tuple(ipam("ipam", "show", "--show-bl")) == (BLOCKS_TABLE, "", 0)
    assert tuple(ipam("ipam", "show", "--i", "10.10.0.1")) == (WEB_1_IP, "", 0)


def test_check_prints_its_version(offline: Cli) -> None:
    # check.go hands its version to docopt, which answers --version before anything else.
    assert tuple(offline("ipam", "check", "--version", config=False)) == ("v3.32.1\n", "", 0)


# -- show -----------------------------------------------------------------------------------------------


def test_show(ipam: Cli) -> None:
    assert tuple(ipam("ipam", "show")) == (POOLS_TABLE, "", 0)


def test_show_blocks(ipam: Cli) -> None:
    assert tuple(ipam("ipam", "show", "--show-blocks")) == (BLOCKS_TABLE, "", 0)


def test_show_without_pools(cli: Cli) -> None:
    cli.fake_only("needs an empty datastore")
    empty = (
        "+----------+------+-----------+------------+----------+\n"
        "| GROUPING | CIDR | IPS TOTAL | IPS IN USE | IPS FREE |\n"
        "+----------+------+-----------+------------+----------+\n"
        "+----------+------+-----------+------------+----------+\n"
    )
    assert tuple(cli("ipam", "show", "--show-blocks")) == (empty, "", 0)


def test_show_rounds_percentages_as_go(cli: Cli) -> None:
    # %.f rounds half to even: 24 of 64 is 37.5 % -> 38 %, 40 of 64 is 62.5 % -> 62 %.
    cli.fake_only("writes IPAM state")
    cli.client.create(IPPool(metadata={"name": "p"}, spec={"cidr": "10.20.0.0/26", "blockSize": 26}))
    for i in range(24):
        cli.client.ipam.assign_ip(f"10.20.0.{i}", handle_id=f"h{i}", attrs={"node": "n"}, host="n")
    table = (
        "+----------+--------------+-----------+------------+----------+\n"
        "| GROUPING |     CIDR     | IPS TOTAL | IPS IN USE | IPS FREE |\n"
        "+----------+--------------+-----------+------------+----------+\n"
        "| IP Pool  | 10.20.0.0/26 |        64 | 24 (38%)   | 40 (62%) |\n"
        "| Block    | 10.20.0.0/26 |        64 | 24 (38%)   | 40 (62%) |\n"
        "+----------+--------------+-----------+------------+----------+\n"
    )
    assert tuple(cli("ipam", "show", "--show-blocks")) == (table, "", 0)


def test_show_borrowed(ipam: Cli) -> None:
    assert tuple(ipam("ipam", "show", "--show-borrowed")) == (BORROWED_TABLE, "", 0)


def test_show_borrowed_counts_allocations_without_a_node(cli: Cli) -> None:
    cli.fake_only("writes IPAM state")
    cli.client.create(IPPool(metadata={"name": "p"}, spec={"cidr": "10.20.0.0/24", "blockSize": 26}))
    cli.client.ipam.assign_ip("10.20.0.1", handle_id="old", attrs={}, host="node-1")
    expected = (
        "+----+----------------+-------+-------------+------+--------------+\n"
        "| IP | BORROWING-NODE | BLOCK | BLOCK OWNER | TYPE | ALLOCATED-TO |\n"
        "+----+----------------+-------+-------------+------+--------------+\n"
        "+----+----------------+-------+-------------+------+--------------+\n"
        "\n"
        "Note: found 1 IP allocations without an explicit node association. Unable to determine if they are "
        "borrowed.\n"
    )
    assert tuple(cli("ipam", "show", "--show-borrowed")) == (expected, "", 0)


def test_show_configuration(ipam: Cli) -> None:
    assert tuple(ipam("ipam", "show", "--show-configuration")) == (CONFIG_TABLE, "", 0)


def test_show_ip(ipam: Cli) -> None:
    assert tuple(ipam("ipam", "show", "--ip=10.10.0.1")) == (WEB_1_IP, "", 0)
    v6 = WEB_1_IP.replace("IP 10.10.0.1", "IP fd00:10::5")
    assert tuple(ipam("ipam", "show", "--ip", "fd00:10:0::5")) == (v6, "", 0)


def test_show_ip_without_attributes(ipam: Cli) -> None:
    expected = (
        "IP 10.10.0.2 is in use\nHandle ID: h2\nActive Owner Attributes:\n  node: node-1\n  type: ipipTunnelAddress\n"
    )
    assert tuple(ipam("ipam", "show", "--ip=10.10.0.2")) == (expected, "", 0)
    ipam.client.ipam.assign_ip("10.10.0.9", host="node-1")
    expected = "IP 10.10.0.9 is in use\nHandle ID: <none>\nNo Active Owner attributes defined\n"
    assert tuple(ipam("ipam", "show", "--ip=10.10.0.9")) == (expected, "", 0)


def test_show_ipv4_mapped_address_is_the_ipv4_address(ipam: Cli) -> None:
    # net.ParseIP keeps ::ffff:a.b.c.d as the IPv4 address, which String() prints.
    stdout, stderr, code = ipam("ipam", "show", "--ip=::ffff:10.10.0.1")
    assert (stdout, stderr, code) == (WEB_1_IP, "", 0)


# 10.99.0.7 is allocated, in a block outside every pool: GetAssignmentAttributes finds no pool for it.
@pytest.mark.parametrize("ip", ["10.10.0.9", "10.98.0.1", "fd00:10::9", "2001:db8::1", "10.99.0.7"])
def test_show_ip_not_assigned(ipam: Cli, ip: str) -> None:
    assert tuple(ipam("ipam", "show", f"--ip={ip}")) == (f"{ip} is not assigned\n", "", 0)


@pytest.mark.parametrize("ip", ["bogus", "10.10.0.300", "010.10.0.1", "fe80::1%eth0", " 10.10.0.1", "10.10.0.0/26"])
def test_show_invalid_ip(ipam: Cli, ip: str) -> None:
    # argutils.ValidateIP prints on stdout and exits 1.
    assert tuple(ipam("ipam", "show", f"--ip={ip}")) == (
        f"Error executing command: invalid IP address specified: {ip}\n",
        "",
        1,
    )


def test_show_version_mismatch(ipam: Cli) -> None:
    _set_cluster_version(ipam, "v3.20.1")
    assert tuple(ipam("ipam", "show")) == ("", MISMATCH, 1)
    assert tuple(ipam("ipam", "show", "--allow-version-mismatch")) == (POOLS_TABLE, "", 0)
    assert tuple(ipam("--allow-version-mismatch", "ipam", "show")) == (POOLS_TABLE, "", 0)


def test_show_config_file_missing(offline: Cli) -> None:
    assert tuple(offline("ipam", "show", "-c", "/nonexistent/calicoctl.cfg", config=False)) == (
        "Error reading config file: /nonexistent/calicoctl.cfg\n",
        "",
        1,
    )


def test_show_client_failure_is_the_error(cli: Cli) -> None:
    # clientmgr.NewClient's error is returned by the command (stderr), not printed on stdout.
    cfg = cli.file(
        "bad.cfg", "apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nspec:\n  datastoreType: bogus\n"
    )
    assert tuple(cli("ipam", "show", "-c", cfg, config=False)) == ("", "unknown datastore type: bogus\n", 1)


# -- show -o json|yaml (calicopy) ---------------------------------------------------------------------------


def test_show_json(ipam: Cli) -> None:
    expected = {
        "pools": [
            {"name": "pool-a", "cidr": "10.10.0.0/24", "capacity": 256, "inUse": 3, "free": 253},
            {"name": "pool-v6", "cidr": "fd00:10::/120", "capacity": 256, "inUse": 1, "free": 255},
        ]
    }
    stdout, stderr, code = ipam("ipam", "show", "-o", "json")
    assert (stderr, code) == ("", 0)
    assert json.loads(stdout) == expected
    assert stdout.startswith('{\n  "pools": [\n    {\n      "name": "pool-a",') and stdout.endswith("}")


def test_show_blocks_yaml(ipam: Cli) -> None:
    expected = """\
orphanBlocks:
- affinity: null
  capacity: 16
  cidr: 10.99.0.0/28
  free: 15
  inUse: 1
  node: null
pools:
- blocks:
  - affinity: host:node-1
    capacity: 64
    cidr: 10.10.0.0/26
    free: 61
    inUse: 3
    node: node-1
  capacity: 256
  cidr: 10.10.0.0/24
  free: 253
  inUse: 3
  name: pool-a
- blocks:
  - affinity: host:node-1
    capacity: 64
    cidr: fd00:10::/122
    free: 63
    inUse: 1
    node: node-1
  capacity: 256
  cidr: fd00:10::/120
  free: 255
  inUse: 1
  name: pool-v6
"""
    assert tuple(ipam("ipam", "show", "--show-blocks", "-o", "yaml")) == (expected, "", 0)
    assert tuple(ipam("ipam", "show", "--show-blocks", "--output=yml")) == (expected, "", 0)


def test_show_json_keeps_exact_ipv6_numbers(cli: Cli) -> None:
    cli.fake_only("writes a pool")
    cli.client.create(IPPool(metadata={"name": "v6"}, spec={"cidr": "fd00::/48", "blockSize": 122}))
    stdout, _, code = cli("ipam", "show", "-o", "json")
    assert code == 0
    assert json.loads(stdout)["pools"] == [
        {"name": "v6", "cidr": "fd00::/48", "capacity": 2**80, "inUse": 0, "free": 2**80}
    ]


def test_show_ip_json(ipam: Cli) -> None:
    assigned = """\
{
  "ip": "10.10.0.1",
  "inUse": true,
  "handleID": "h1",
  "activeOwnerAttributes": {
    "namespace": "default",
    "node": "node-1",
    "pod": "web-1"
  },
  "alternateOwnerAttributes": {},
  "block": "10.10.0.0/26",
  "node": "node-1"
}"""
    assert tuple(ipam("ipam", "show", "--ip=10.10.0.1", "-o", "json")) == (assigned, "", 0)
    free = '{\n  "ip": "10.10.0.9",\n  "inUse": false\n}'
    assert tuple(ipam("ipam", "show", "--ip=10.10.0.9", "-o", "json")) == (free, "", 0)
    assert tuple(ipam("ipam", "show", "--ip=10.10.0.9", "-o", "yaml")) == ("inUse: false\nip: 10.10.0.9\n", "", 0)


def test_show_borrowed_json(ipam: Cli) -> None:
    stdout, stderr, code = ipam("ipam", "show", "--show-borrowed", "-o", "json")
    assert (stderr, code) == ("", 0)
    assert json.loads(stdout) == {
        "borrowed": [
            {
                "ip": "10.10.0.3",
                "borrowingNode": "node-2",
                "block": "10.10.0.0/26",
                "blockOwner": "node-1",
                "type": "pod",
                "allocatedTo": "prod/db-0",
            },
            {
                "ip": "10.99.0.7",
                "borrowingNode": "node-3",
                "block": "10.99.0.0/28",
                "blockOwner": "",
                "type": "",
                "allocatedTo": "",
            },
        ],
        "unclassified": 0,
    }


def test_show_configuration_yaml_and_json(ipam: Cli) -> None:
    yaml_text = (
        "autoAllocateBlocks: true\nkubeVirtVMAddressPersistence: Enabled\nmaxBlocksPerHost: 0\nstrictAffinity: false\n"
    )
    assert tuple(ipam("ipam", "show", "--show-configuration", "-o", "yaml")) == (yaml_text, "", 0)
    stdout, _, _ = ipam("ipam", "show", "--show-configuration", "-o", "json")
    assert json.loads(stdout) == {
        "strictAffinity": False,
        "autoAllocateBlocks": True,
        "maxBlocksPerHost": 0,
        "kubeVirtVMAddressPersistence": "Enabled",
    }


def test_show_unknown_output_format(offline: Cli) -> None:
    # Checked before the datastore is read (offline has none).
    assert tuple(offline("ipam", "show", "-o", "wide")) == ("", "unrecognized output format 'wide'\n", 1)


# -- configure ------------------------------------------------------------------------------------------


def test_configure(ipam: Cli) -> None:
    assert tuple(ipam("ipam", "configure", "--strictaffinity=true", "--max-blocks-per-host=4")) == (
        "Successfully set StrictAffinity to: true\nSuccessfully set MaxBlocksPerHost to: 4\n",
        "",
        0,
    )
    assert tuple(ipam("ipam", "configure", "--kubevirt-ip-persistence=Disabled")) == (
        "Successfully set KubeVirtVMAddressPersistence to: Disabled\n",
        "",
        0,
    )
    expected = """\
+------------------------------+------------+
|           PROPERTY           |   VALUE    |
+------------------------------+------------+
| StrictAffinity               | true       |
| AutoAllocateBlocks           | true       |
| MaxBlocksPerHost             |          4 |
| KubeVirtVMAddressPersistence | "Disabled" |
+------------------------------+------------+
"""
    assert tuple(ipam("ipam", "show", "--show-configuration")) == (expected, "", 0)
    config = ipam.client.ipam.config()
    assert (config.strict_affinity, config.max_blocks_per_host, config.kube_virt_vm_address_persistence) == (
        True,
        4,
        "Disabled",
    )


def test_configure_reads_booleans_as_go(ipam: Cli) -> None:
    # strconv.ParseBool: 1, t, T, TRUE, true, True (and the false forms).
    assert tuple(ipam("ipam", "configure", "--strictaffinity=T")) == (
        "Successfully set StrictAffinity to: true\n",
        "",
        0,
    )
    assert tuple(ipam("ipam", "configure", "--strictaffinity", "0")) == (
        "Successfully set StrictAffinity to: false\n",
        "",
        0,
    )


CONFIGURE_ERRORS = [
    ([], "at least one configuration option must be specified"),
    (["--strictaffinity="], "at least one configuration option must be specified"),
    (["--strictaffinity=yes"], "invalid value. Use true or false to set strictaffinity"),
    (["--max-blocks-per-host=four"], "invalid value for maxblockhost. Use a valid number"),
    (["--max-blocks-per-host=1_0"], "invalid value for maxblockhost. Use a valid number"),
    (["--max-blocks-per-host=0x10"], "invalid value for maxblockhost. Use a valid number"),
    (["--kubevirt-ip-persistence=enabled"], "invalid value for --kubevirt-ip-persistence. Use Enabled or Disabled"),
    # The values are read in this order; the first bad one is reported.
    (["--max-blocks-per-host=x", "--strictaffinity=x"], "invalid value. Use true or false to set strictaffinity"),
    # SetIPAMConfig's refusal, wrapped as updateIPAMConfig wraps it.
    (["--max-blocks-per-host=4"], "error: MaxBlocksPerHost requires StrictAffinity to be enabled"),
]


@pytest.mark.parametrize(("args", "stderr"), CONFIGURE_ERRORS, ids=[" ".join(a) or "none" for a, _ in CONFIGURE_ERRORS])
def test_configure_errors(ipam: Cli, args: list[str], stderr: str) -> None:
    assert tuple(ipam("ipam", "configure", *args)) == ("", stderr + "\n", 1)
    assert ipam.client.ipam.config().max_blocks_per_host == 0


def test_configure_cannot_disable_both(ipam: Cli) -> None:
    ipam.client.backend.update(_ipam_config(ipam, auto_allocate_blocks=False, strict_affinity=True))
    assert tuple(ipam("ipam", "configure", "--strictaffinity=false")) == (
        "",
        "error: Cannot disable 'StrictAffinity' and 'AutoAllocateBlocks' at the same time\n",
        1,
    )


def _ipam_config(cli: Cli, **spec: Any) -> Any:
    cli.client.ipam.config()  # created with the defaults when missing
    stored = cli.client.backend.get("IPAMConfiguration", "default")
    for key, value in spec.items():
        setattr(stored.spec, key, value)
    return stored


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
