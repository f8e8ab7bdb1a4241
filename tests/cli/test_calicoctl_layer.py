"""Units of the calicoctl layer the command is built on: docopt's option table and argv errors,
every kind's table headings, selectors and durations as calicoctl prints and reads them, when
apply may go in bulk."""

from __future__ import annotations

import re

import pytest

from calicopy.calicoctl.bulk_apply import bulk_equivalent
from calicopy.calicoctl.main_texts import invalid_option, massage_error, unknown_command, unknown_log_level
from calicopy.calicoctl.printer import HEADINGS, format_label_selector, render_table
from calicopy.calicoctl.usage import DOCS, CommandDoc
from calicopy.calicoctl.version import ClusterVersion, client_lines, cluster_lines, parse_duration
from calicopy.config import DEFAULT_CONFIG_PATH
from calicopy.errors import CalicoError
from calicopy.manifests import loads
from calicopy.resources.k8s_networking import LabelSelector
from calicopy.resources.registry import KINDS


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["-f"], "-f requires argument"),
        (["-f", "--"], "-f requires argument"),
        (["-fx.yaml"], None),
        (["-Rf", "x"], None),
        (["-Rf"], "-f requires argument"),
        (["--filename=x", "--recursive"], None),
        (["--rec"], None),
        (["--recursive=1"], "--recursive must not have an argument"),
        (["--skip"], "--skip is not a unique prefix: --skip-empty, --skip-exists?"),
        (["--bogus", "-z"], None),
        (["--", "-f"], None),
        (["x", "-f"], "-f requires argument"),
    ],
)
def test_docopt_argv_problems(argv: list[str], problem: str | None) -> None:
    assert DOCS["create"].argv_problem(argv) == problem


def test_options_first_stops_at_the_command() -> None:
    assert DOCS[""].argv_problem(["get", "-l"], options_first=True) is None
    assert DOCS[""].argv_problem(["-l"], options_first=True) == "-l requires argument"


def test_usage_error_text() -> None:
    doc = CommandDoc("x", "Usage:\n  p x <a>\n\nOptions:\n  -h --help  Help.\n")
    assert doc.usage_error() == "Usage:\n  p x <a>"
    assert doc.usage_error("--y requires argument") == "--y requires argument\nUsage:\n  p x <a>"
    assert doc.expand_long("--he") == "--help" and doc.expand_long("--q") is None


def test_default_config_path_is_the_configs() -> None:
    assert DOCS["get"].default("--config") == DEFAULT_CONFIG_PATH


def test_main_texts() -> None:
    assert (
        invalid_option(["-m", "x"])
        == "Invalid option: '-m x'. Use flag '--help' to read about a specific subcommand.\n"
    )
    assert (
        unknown_log_level("x") == "Unknown log level: x, expected one of: \npanic, fatal, error, warn, info, debug.\n"
    )
    assert unknown_command('a"b', "DOC\n") == 'unknown command: "a\\"b"\nDOC\n'
    assert (
        massage_error('json: unknown field "x"') == "field in document is not recognized or is in the wrong location: x"
    )


@pytest.mark.parametrize("kind", sorted(HEADINGS))
def test_every_heading_of_every_kind_renders(kind: str) -> None:
    info = KINDS[kind]
    resource = info.model.from_storage({"metadata": {"name": "x", "namespace": "ns" if info.namespaced else ""}})
    text = render_table([resource], headings=HEADINGS[kind], config=lambda _: "64512")
    assert text.splitlines()[0].split() == list(HEADINGS[kind])


def test_calicoctl_kinds_have_tables() -> None:
    assert sorted(HEADINGS) == sorted(k for k, i in KINDS.items() if i.calicoctl_names)


@pytest.mark.parametrize(
    ("selector", "text"),
    [
        ({}, "<none>"),
        ({"matchLabels": {"b": "2", "a": "1"}}, "a=1,b=2"),
        ({"matchExpressions": [{"key": "t", "operator": "NotIn", "values": ["y", "x"]}]}, "t notin (x,y)"),
        ({"matchExpressions": [{"key": "e", "operator": "Exists"}, {"key": "d", "operator": "DoesNotExist"}]}, "!d,e"),
    ],
)
def test_label_selector_as_kubectl_prints_it(selector: dict[str, object], text: str) -> None:
    assert format_label_selector(LabelSelector.from_dict(selector)) == text


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("0", 0.0), ("1s", 1.0), ("1.5h", 5400.0), ("2h45m", 9900.0), ("300ms", 0.3), ("-1m", -60.0), ("1us", 1e-06)],
)
def test_go_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "1", "s", "1.s.", "1d", "+"])
def test_bad_go_durations(text: str) -> None:
    with pytest.raises(CalicoError, match=f"^invalid poll duration specified: {re.escape(text)}$"):
        parse_duration(text)


def test_version_lines_start_at_column_19() -> None:
    assert client_lines().splitlines()[0].index("v3") == 19
    first = cluster_lines(ClusterVersion.of("", "k8s"))
    assert first == "Cluster Version:   unknown\nCluster Type:      k8s\n"
    assert cluster_lines(ClusterVersion.of("", "k8s"), ClusterVersion.of("", "k8s")) == ""


def _gnp(name: str) -> str:
    return f"apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {{name: {name}}}\nspec: {{}}\n"


def _tier(name: str) -> str:
    return f"apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {{name: {name}}}\nspec: {{}}\n"


@pytest.mark.parametrize(
    ("texts", "bulk"),
    [
        ([_gnp("a")], False),
        ([_gnp("a"), _gnp("b")], True),
        ([_tier("t"), _gnp("t.a"), _gnp("t.b")], True),
        ([_gnp("a"), _tier("t")], False),
        ([_gnp("a"), _gnp("a")], False),
    ],
)
def test_when_apply_goes_in_bulk(texts: list[str], bulk: bool) -> None:
    resources = loads("---\n".join(texts))
    assert bulk_equivalent(resources) is bulk
