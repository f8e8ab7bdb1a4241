"""``calicopy ipam show`` and ``ipam configure``: calicoctl v3.32.1's tables, texts and exit codes
(``commands/ipam/{show,configure}.go``), plus calicopy's ``ipam show -o json|yaml``.

Expected tables are olekukonko/tablewriter v0.0.5's (borders, centred upper-case headers, numbers
right-aligned, ``%.5g`` counts, ``%.f`` percentages) for the state of :mod:`.ipam_state`; the
other texts are the ``fmt.Printf``/``fmt.Errorf`` strings of those files.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from calicopy import IPPool

from .conftest import Cli

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


def _set_cluster_version(cli: Cli, version: str) -> None:
    cli.client.ensure_initialized()
    info = cli.client.get("ClusterInformation", "default")
    info.spec.calico_version = version  # type: ignore[attr-defined]
    cli.client.backend.update(info)


def test_long_option_prefixes(ipam: Cli) -> None:
    # docopt accepts a unique prefix of a long option.
    assert tuple(ipam("ipam", "show", "--show-bl")) == (BLOCKS_TABLE, "", 0)
    assert tuple(ipam("ipam", "show", "--i", "10.10.0.1")) == (WEB_1_IP, "", 0)


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
