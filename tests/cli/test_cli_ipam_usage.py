"""``calicopy ipam <command> --help`` and the arguments docopt refuses: calicoctl v3.32.1's texts
(``calicoctl/calicoctl/commands/ipam/*.go``) and docopt-go's ``PrintHelpAndExit`` (``-h``: the text
on stdout, exit 0; arguments it cannot match: the ``Usage:`` section on stderr, exit 1)."""

from __future__ import annotations

import pytest

from calicopy.calicoctl.usage import DATASTORE_INTRO

from .conftest import Cli

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


def test_check_prints_its_version(offline: Cli) -> None:
    # check.go hands its version to docopt, which answers --version before anything else.
    assert tuple(offline("ipam", "check", "--version", config=False)) == ("v3.32.1\n", "", 0)
