"""Units of what the ``ipam`` and ``datastore migrate`` commands are built on: Go's argument
readers (``net.ParseIP``, ``strconv``), Go's error texts (``os.ReadFile``, ``json.Unmarshal``),
``ipam check``'s output when a step fails, the ``-o json|yaml`` documents, and the docopt texts
every subcommand's click options must agree with."""

from __future__ import annotations

import json
import re

import pytest

from calicopy._go.os import path_error
from calicopy.calicoctl import ipam as texts
from calicopy.calicoctl.usage import DOCS
from calicopy.cli.base import load_command
from calicopy.cli.groups import IPAM_COMMANDS, MIGRATE_COMMANDS
from calicopy.errors import CalicoError
from calicopy.ipam import CheckReport, IPAMConfig
from calicopy.ipam.check import CheckedBlock
from calicopy.ipam.usage import BlockUsage, PoolUsage, Usage


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("10.0.0.1", "10.0.0.1"),
        ("0.0.0.0", "0.0.0.0"),
        ("fd00:0:0::1", "fd00::1"),
        ("FD00::A", "fd00::a"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("::ffff:10.1.2.3", "10.1.2.3"),  # an IPv4-mapped address is IPv4 to Go
        ("::10.1.2.3", "::a01:203"),
        ("10.0.0.01", None),  # leading zeros (Go 1.17+)
        ("10.0.0", None),
        ("10.0.0.256", None),
        ("10.0.0.1/32", None),
        ("fe80::1%eth0", None),  # no zones in net.ParseIP
        (" 10.0.0.1", None),
        ("10.0.0.1\n", None),
        ("１０.0.0.1", None),
        ("", None),
    ],
)
def test_parse_go_ip(text: str, printed: str | None) -> None:
    assert texts.parse_go_ip(text) == printed


def test_configure_values_as_strconv_reads_them() -> None:
    for text in ("1", "t", "T", "TRUE", "true", "True"):
        assert texts.parse_strict_affinity(text) is True
    for text in ("0", "f", "F", "FALSE", "false", "False"):
        assert texts.parse_strict_affinity(text) is False
    for text in ("yes", "tRUE", " true"):
        with pytest.raises(
            CalicoError, match=f"^{re.escape('invalid value. Use true or false to set strictaffinity')}$"
        ):
            texts.parse_strict_affinity(text)
    assert [texts.parse_max_blocks(t) for t in ("0", "+7", "-3", "0012", "9223372036854775807")] == [
        0,
        7,
        -3,
        12,
        2**63 - 1,
    ]
    for text in ("", "1.0", "0x1", "1_000", " 1", "9223372036854775808"):
        with pytest.raises(CalicoError, match=f"^{re.escape('invalid value for maxblockhost. Use a valid number')}$"):
            texts.parse_max_blocks(text)
    assert texts.parse_persistence("Enabled") == "Enabled"
    with pytest.raises(
        CalicoError, match=f"^{re.escape('invalid value for --kubevirt-ip-persistence. Use Enabled or Disabled')}$"
    ):
        texts.parse_persistence("disabled")


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (FileNotFoundError(2, "No such file or directory"), "open /r.json: no such file or directory"),
        (PermissionError(13, "Permission denied"), "open /r.json: permission denied"),
        (IsADirectoryError(21, "Is a directory"), "read /r.json: is a directory"),
    ],
)
def test_go_path_errors(error: OSError, text: str) -> None:
    assert path_error("open", "/r.json", error) == text


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("", "unexpected end of JSON input"),
        ("   \n", "unexpected end of JSON input"),
        ("[1,", "unexpected end of JSON input"),
        ("x", "invalid character 'x' looking for beginning of value"),
        ("'a'", "invalid character '\\'' looking for beginning of value"),
        ("{1: 2}", "invalid character '1' looking for beginning of object key string"),
        ('{"a" 1}', "invalid character '1' after object key"),
        ("{} {}", "invalid character '{' after top-level value"),
        ("\x01", "invalid character '\\x01' looking for beginning of value"),
    ],
)
def test_report_decode_errors_are_go_texts(data: str, text: str) -> None:
    with pytest.raises(ValueError) as caught:
        json.loads(data)
    assert texts.report_decode_error(data.encode(), caught.value) == text


def test_report_type_errors() -> None:
    assert texts.report_type_error([]) == "json: cannot unmarshal array into Go value of type ipam.Report"
    assert texts.report_type_error("x") == "json: cannot unmarshal string into Go value of type ipam.Report"
    assert texts.report_type_error(True) == "json: cannot unmarshal bool into Go value of type ipam.Report"
    assert texts.report_type_error(1.5) == "json: cannot unmarshal number into Go value of type ipam.Report"


STEPS = [
    ("cluster", "Checking IPAM for inconsistencies...\n\n"),
    ("blocks", "Loading all IPAM blocks...\n"),
    ("pools", "Loading all IPAM pools...\n"),
    ("nodes", "Loading all nodes.\n"),
    ("services", "Loading all service load balancer IPs.\n"),
    ("workloads", "Loading all workload endpoints.\n"),
    ("handles", "Loading all handles\n"),
]


@pytest.mark.parametrize(("stage", "last_line"), STEPS)
def test_check_text_of_a_failed_check_stops_at_the_failed_step(stage: str, last_line: str) -> None:
    report = CheckReport(stage=stage, blocks=[CheckedBlock("10.0.0.0/26", "host:n1")], active_pools=["10.0.0.0/16"])
    whole = texts.check_text(CheckReport(blocks=report.blocks, active_pools=report.active_pools, stage="done"))
    partial = texts.check_text(report)
    assert partial.endswith(last_line) and whole.startswith(partial)
    assert whole.count(last_line) == 1 and whole.index(last_line) + len(last_line) == len(partial)


def test_check_failures_are_wrapped_as_calicoctl_wraps_them() -> None:
    error = CalicoError("boom")
    wrapped = {stage: texts.check_failure(CheckReport(stage=stage), error) for stage, _ in STEPS}
    assert wrapped == {
        "cluster": "boom",
        "blocks": "failed to list IPAM blocks: boom",
        "pools": "failed to load IP pools: boom",
        "nodes": "failed to list nodes: boom",
        "services": "boom",
        "workloads": "failed to list workload endpoints: boom",
        "handles": "failed to list handles: boom",
    }


def test_usage_documents() -> None:
    block = BlockUsage("10.0.0.0/26", "n1", 64, 10, "host:n1", "p")
    orphan = BlockUsage("fd00:9::/122", None, 64, 1, None, None)
    usage = Usage((PoolUsage("p", "10.0.0.0/24", 256, 10, (block,)),), (), (orphan,))
    assert texts.usage_document(usage) == {
        "pools": [{"name": "p", "cidr": "10.0.0.0/24", "capacity": 256, "inUse": 10, "free": 246}]
    }
    # IPv6 orphans are in the document (calicoctl's table has no row for them).
    assert texts.usage_document(usage, show_blocks=True)["orphanBlocks"] == [
        {"cidr": "fd00:9::/122", "node": None, "affinity": None, "capacity": 64, "inUse": 1, "free": 63}
    ]
    assert texts.config_document(IPAMConfig(kube_virt_vm_address_persistence=None)) == {
        "strictAffinity": False,
        "autoAllocateBlocks": True,
        "maxBlocksPerHost": 0,
        "kubeVirtVMAddressPersistence": None,
    }
    assert texts.render_document({"b": 1, "a": [True]}, "json") == '{\n  "b": 1,\n  "a": [\n    true\n  ]\n}'
    assert texts.render_document({"b": 1, "a": [True]}, "yaml") == "a:\n- true\nb: 1\n"


SUBCOMMANDS = {
    **{f"ipam {k}": v for k, v in IPAM_COMMANDS.items()},
    **{f"datastore migrate {k}": v for k, v in MIGRATE_COMMANDS.items()},
}


def test_every_subcommand_is_registered() -> None:
    assert sorted(SUBCOMMANDS) == [
        "datastore migrate export",
        "datastore migrate import",
        "datastore migrate lock",
        "datastore migrate unlock",
        "ipam check",
        "ipam configure",
        "ipam release",
        "ipam show",
        "ipam split",
    ]


@pytest.mark.parametrize("path", sorted(SUBCOMMANDS))
def test_subcommand_options_match_the_docopt_texts(path: str) -> None:
    # Every option a subcommand's text declares is one its click command accepts, with the same forms.
    command = load_command(SUBCOMMANDS[path])
    declared = {(o.short, o.long) for o in DOCS[path].options if o.long != "--help"}
    accepted = set()
    for param in command.params:
        if param.param_type_name != "option" or getattr(param, "hidden", False):
            continue
        shorts = [o for o in param.opts if not o.startswith("--")]
        longs = [o for o in param.opts if o.startswith("--")]
        accepted.add((shorts[0] if shorts else "", longs[0]))
    assert declared == accepted
