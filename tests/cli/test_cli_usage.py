"""The command's texts and argument errors, as calicoctl v3.32.1's docopt prints them.

Expected outputs follow ``calicoctl.go`` (main options, ``Invalid option`` on stdout, unknown
commands, log levels), docopt-go's ``PrintHelpAndExit`` (``-h``: the text on stdout, exit 0; an
argument it cannot match: the ``Usage:`` section on stderr with the problem first, exit 1) and
``calicoctl/tests/st/calicoctl/test_flags.py`` (``Invalid option: '--allow-version-mismatch -m'.``).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from calicopy.calicoctl import usage_texts
from calicopy.calicoctl.usage import DOCS, resource_list
from calicopy.cli.app import COMMANDS

from .conftest import Cli

MAIN_USAGE = "Usage:\n  calicopy [options] <command> [<args>...]\n"
INVALID = "Invalid option: '{}'. Use flag '--help' to read about a specific subcommand.\n"

CREATE_USAGE = (
    "Usage:\n"
    "  calicopy create --filename=<FILENAME> [--recursive] [--skip-empty]\n"
    "                   [--skip-exists] [--config=<CONFIG>] [--namespace=<NS>] [--context=<context>] "
    "[--allow-version-mismatch]\n"
)
APPLY_USAGE = (
    "Usage:\n"
    "  calicopy apply --filename=<FILENAME> [--recursive] [--skip-empty]\n"
    "                  [--config=<CONFIG>] [--namespace=<NS>] [--context=<context>] [--allow-version-mismatch]\n"
)
REPLACE_USAGE = (
    "Usage:\n"
    "  calicopy replace --filename=<FILENAME> [--recursive] [--skip-empty]\n"
    "                    [--config=<CONFIG>] [--namespace=<NS>] [--context=<context>] [--allow-version-mismatch]\n"
)
DELETE_USAGE = (
    "Usage:\n"
    "  calicopy delete ( (<KIND> [<NAME>...]) |\n"
    "                   --filename=<FILE> [--recursive] [--skip-empty] )\n"
    "                   [--skip-not-exists] [--config=<CONFIG>] [--namespace=<NS>] [--context=<context>] "
    "[--allow-version-mismatch]\n"
)
GET_USAGE = (
    "Usage:\n"
    "  calicopy get ( (<KIND> [<NAME>...]) |\n"
    "                --filename=<FILENAME> [--recursive] [--skip-empty] )\n"
    "                [--output=<OUTPUT>] [--config=<CONFIG>] [--namespace=<NS>] [--all-namespaces] [--export] "
    "[--context=<context>] [--allow-version-mismatch]\n"
)
PATCH_USAGE = (
    "Usage:\n"
    "  calicopy patch <KIND> <NAME> --patch=<PATCH> [--type=<TYPE>] [--config=<CONFIG>] [--namespace=<NS>] "
    "[--context=<context>] [--allow-version-mismatch]\n"
)
LABEL_USAGE = (
    "Usage:\n"
    "  calicopy label (<KIND> <NAME>\n"
    "  \t              ( <key>=<value> [--overwrite] |\n"
    "  \t                <key> --remove )\n"
    "                  [--config=<CONFIG>] [--namespace=<NS>] [--context=<context>]) [--allow-version-mismatch]\n"
)
VALIDATE_USAGE = (
    "Usage:\n  calicopy validate --filename=<FILENAME> [--recursive] [--skip-empty] [--allow-version-mismatch]\n"
)
VERSION_USAGE = "Usage:\n  calicopy version [--config=<CONFIG>] [--poll=<POLL>] [--allow-version-mismatch] [--client]\n"
IPAM_USAGE = "Usage:\n  calicopy ipam <command> [<args>...]\n"
DATASTORE_USAGE = "Usage:\n  calicopy datastore <command> [<args>...]\n"
MIGRATE_USAGE = "Usage:\n  calicopy datastore migrate <command> [<args>...]\n"

VERSION_HELP = """\
Usage:
  calicopy version [--config=<CONFIG>] [--poll=<POLL>] [--allow-version-mismatch] [--client]

Options:
  -h --help                    Show this screen.
  -c --config=<CONFIG>         Path to the file containing connection configuration in
                               YAML or JSON format.
                               [default: /etc/calico/calicoctl.cfg]
     --poll=<POLL>             Poll for changes to the cluster information at a frequency specified using POLL duration
                               (e.g. 1s, 10m, 2h etc.). A value of 0 (the default) disables polling.
     --allow-version-mismatch  Allow client and cluster versions mismatch.
     --client                  Display the client version only.
 }

Description:
  Display the version of calicopy.

calicopy options:
  -o --output=<OUTPUT FORMAT>  Output format: text (the default) or json.
"""

IPAM_HELP = """\
Set the Calico datastore access information in the environment variables or
supply details in a config file.

Usage:
  calicopy ipam <command> [<args>...]

    check            Check the integrity of the IPAM datastructures.
    release          Release a Calico assigned IP address.
    show             Show details of a Calico configuration,
                     assigned IP address, or of overall IP usage.
    split            Split the IP pool specified by the CIDR into
                     the specified number of smaller IPPools.
    configure        Configure IPAM

Options:
  -h --help      Show this screen.

Description:
  IP address management commands for Calico.

  See 'calicopy ipam <command> --help' to read about a specific subcommand.
"""

MAIN_HELP_HEAD = """\
Usage:
  calicopy [options] <command> [<args>...]

    create       Create a resource by file, directory or stdin.
    replace      Replace a resource by file, directory or stdin.
"""
MAIN_HELP_TAIL = """\
Description:
  The calicopy command line tool is used to manage Calico network and security
  policy, to view and manage endpoint configuration, and to manage a Calico
  node instance.

  See 'calicopy <command> --help' to read about a specific subcommand.

calicopy commands:
    diff         Show what apply would change, as a unified diff.
    completion   Print a shell completion script.
    demo         A guided tour on an embedded fake cluster.
"""

RESOURCES = """\
    - bgpconfiguration
    - bgpfilter
    - bgppeer
    - clusterinformation
    - felixconfiguration
    - globalnetworkpolicy
    - globalnetworkset
    - hostendpoint
    - ippool
    - ipreservation
    - kubecontrollersconfiguration
    - networkpolicy
    - networkset
    - node
    - profile
    - stagedglobalnetworkpolicy
    - stagedkubernetesnetworkpolicy
    - stagednetworkpolicy
    - tier
    - workloadendpoint
"""


# -- help ----------------------------------------------------------------------------------------------


def test_main_help(offline: Cli) -> None:
    stdout, stderr, code = offline("-h", config=False)
    assert (stdout.startswith(MAIN_HELP_HEAD), stdout.endswith(MAIN_HELP_TAIL), stderr, code) == (True, True, "", 0)
    assert "    node " not in stdout and "    cluster " not in stdout


def test_main_long_help_equals_short(offline: Cli) -> None:
    assert offline("--help", config=False) == offline("-h", config=False)


def test_version_help_is_calicoctls_text_plus_calicopys_options(offline: Cli) -> None:
    assert tuple(offline("version", "-h", config=False)) == (VERSION_HELP, "", 0)


def test_ipam_help(offline: Cli) -> None:
    assert tuple(offline("ipam", "--help", config=False)) == (IPAM_HELP, "", 0)


def test_label_help_keeps_docopt_trailing_spaces(offline: Cli) -> None:
    # label.go's text ends "provided.\n  "; docopt trims only newlines, Println adds one.
    stdout, _, code = offline("label", "-h", config=False)
    assert stdout.endswith("option --overwrite is provided.\n  \n") and code == 0


@pytest.mark.parametrize("command", ["create", "apply", "replace", "delete", "get", "patch", "label", "validate"])
def test_resource_command_help_lists_calicoctls_kinds(offline: Cli, command: str) -> None:
    stdout, stderr, code = offline(command, "-h", config=False)
    assert (stdout, stderr, code) == (DOCS[command].help + "\n", "", 0)
    assert RESOURCES in stdout and "<BINARY_NAME>" not in stdout and "calicoctl " not in stdout


@pytest.mark.parametrize("path", sorted(p for p in DOCS if p))
def test_every_command_prints_its_help(offline: Cli, path: str) -> None:
    assert tuple(offline(*path.split(), "--help", config=False)) == (DOCS[path].help + "\n", "", 0)


def test_help_wins_over_missing_required_option(offline: Cli) -> None:
    assert tuple(offline("create", "-h", config=False)) == (DOCS["create"].help + "\n", "", 0)


def test_help_after_an_unknown_option_still_prints_help(offline: Cli) -> None:
    # docopt records unknown options and shows help before matching.
    assert tuple(offline("get", "--bogus", "-h", config=False)) == (DOCS["get"].help + "\n", "", 0)


def test_resource_list() -> None:
    assert resource_list() == RESOURCES


def test_main_version_flag(offline: Cli) -> None:
    assert tuple(offline("--version", config=False)) == ("Run 'calicopy version' to see version information.\n", "", 0)


# -- calicoctl's texts, byte for byte ------------------------------------------------------------------

CALICO = Path("/work/.mirror/projectcalico+calico/repo")


@pytest.mark.skipif(not CALICO.is_dir(), reason="Calico's source is not here")
@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("CREATE", "commands/create.go"),
        ("APPLY", "commands/apply.go"),
        ("REPLACE", "commands/replace.go"),
        ("DELETE", "commands/delete.go"),
        ("GET", "commands/get.go"),
        ("PATCH", "commands/patch.go"),
        ("LABEL", "commands/label.go"),
        ("VALIDATE", "commands/validate.go"),
    ],
)
def test_texts_are_calicoctls(name: str, path: str) -> None:
    source = subprocess.run(
        ["git", f"--git-dir={CALICO}", "show", f"v3.32.1:calicoctl/calicoctl/{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(
        r"doc := (?:constants\.DatastoreIntro \+ )?`(.*?)`(?: \+ constants\.DefaultConfigPath \+ `(.*?)`)?",
        source,
        re.S,
    )
    assert match is not None
    text = match.group(1) + ("/etc/calico/calicoctl.cfg" + match.group(2) if match.group(2) is not None else "")
    assert getattr(usage_texts, name) == text


# -- the main options ------------------------------------------------------------------------------------

MAIN_ERRORS = [
    ([], MAIN_USAGE, INVALID.format("")),
    (["-m"], MAIN_USAGE, INVALID.format("-m")),
    (["--unknown-flag"], MAIN_USAGE, INVALID.format("--unknown-flag")),
    (["--allow-version-mismatch", "-m"], MAIN_USAGE, INVALID.format("--allow-version-mismatch -m")),
    (["-l"], "-l requires argument\n" + MAIN_USAGE, INVALID.format("-l")),
    (["--log-level"], "--log-level requires argument\n" + MAIN_USAGE, INVALID.format("--log-level")),
    (["--context"], "--context requires argument\n" + MAIN_USAGE, INVALID.format("--context")),
    (["-l", "debug"], MAIN_USAGE, INVALID.format("-l debug")),
    (
        ["--allow-version-mismatch=yes", "get"],
        "--allow-version-mismatch must not have an argument\n" + MAIN_USAGE,
        INVALID.format("--allow-version-mismatch=yes get"),
    ),
]


@pytest.mark.parametrize(("args", "stderr", "stdout"), MAIN_ERRORS)
def test_main_option_errors(offline: Cli, args: list[str], stderr: str, stdout: str) -> None:
    assert tuple(offline(*args, config=False)) == (stdout, stderr, 1)


@pytest.mark.parametrize("level", ["bogus", "verbose", "10"])
def test_unknown_log_level(offline: Cli, level: str) -> None:
    expected = f"Unknown log level: {level}, expected one of: \npanic, fatal, error, warn, info, debug.\n"
    assert tuple(offline("-l", level, "version", "--client", config=False)) == (expected, "", 1)


@pytest.mark.parametrize("level", ["panic", "FATAL", "error", "warn", "warning", "Info", "trace"])
def test_log_levels_logrus_accepts(offline: Cli, level: str) -> None:
    stdout, _, code = offline("--log-level", level, "version", "--client", config=False)
    assert stdout.startswith("Client Version:") and code == 0


def test_debug_log_goes_to_stderr(offline: Cli) -> None:
    stdout, stderr, code = offline("-l", "debug", "version", "--client", config=False)
    assert stdout.startswith("Client Version:") and code == 0
    assert re.fullmatch(r'time="[0-9T:-]+" level=info msg="Log level set to debug"\n', stderr)


@pytest.mark.parametrize("command", ["foo", "node", "cluster", "Get"])
def test_unknown_command(offline: Cli, command: str) -> None:
    expected = f'unknown command: "{command}"\n' + DOCS[""].text + "\n"
    assert tuple(offline(command, "status", config=False)) == ("", expected, 1)


# -- each command's argument errors (docopt: usage section on stderr, exit 1) --------------------------------

USAGE_ERRORS = [
    (["create"], CREATE_USAGE),
    (["create", "-f"], "-f requires argument\n" + CREATE_USAGE),
    (["create", "--filename"], "--filename requires argument\n" + CREATE_USAGE),
    (["create", "--file"], "--filename requires argument\n" + CREATE_USAGE),
    (["create", "-f", "x.yaml", "extra"], CREATE_USAGE),
    (["create", "-f", "x.yaml", "--bogus"], CREATE_USAGE),
    (["create", "-f", "x.yaml", "--recursive=yes"], "--recursive must not have an argument\n" + CREATE_USAGE),
    (
        ["create", "-f", "x.yaml", "--skip"],
        "--skip is not a unique prefix: --skip-empty, --skip-exists?\n" + CREATE_USAGE,
    ),
    (["create", "-f", "x.yaml", "-n"], "-n requires argument\n" + CREATE_USAGE),
    (["apply", "-f", "x.yaml", "--skip-exists"], APPLY_USAGE),
    (["apply"], APPLY_USAGE),
    (["apply", "-f", "x.yaml", "-c"], "-c requires argument\n" + APPLY_USAGE),
    (["replace", "x.yaml"], REPLACE_USAGE),
    (["replace", "-f", "x.yaml", "-o", "yaml"], REPLACE_USAGE),
    (["delete"], DELETE_USAGE),
    (["delete", "-f", "x.yaml", "ippool"], DELETE_USAGE),
    (["delete", "ippool", "p1", "-R"], DELETE_USAGE),
    (["delete", "ippool", "--skip-empty"], DELETE_USAGE),
    (["delete", "ippool", "-s=yes"], DELETE_USAGE),
    (["get"], GET_USAGE),
    (["get", "-o"], "-o requires argument\n" + GET_USAGE),
    (["get", "ippool", "--output"], "--output requires argument\n" + GET_USAGE),
    (["get", "-f", "x.yaml", "ippool"], GET_USAGE),
    (["get", "ippool", "--recursive"], GET_USAGE),
    (["get", "ippool", "--export=1"], "--export must not have an argument\n" + GET_USAGE),
    (["patch", "ippool"], PATCH_USAGE),
    (["patch", "ippool", "p1"], PATCH_USAGE),
    (["patch", "ippool", "p1", "p2", "-p", "{}"], PATCH_USAGE),
    (["patch", "ippool", "p1", "-p"], "-p requires argument\n" + PATCH_USAGE),
    (["patch", "ippool", "p1", "--patch"], "--patch requires argument\n" + PATCH_USAGE),
    (["label", "ippool", "p1"], LABEL_USAGE),
    (["label", "ippool", "p1", "a=b", "c=d"], LABEL_USAGE),
    (["label", "ippool", "p1", "a", "--remove", "--overwrite"], LABEL_USAGE),
    (["label", "ippool", "p1", "a=b", "--skip-empty"], LABEL_USAGE),
    (["validate"], VALIDATE_USAGE),
    (["validate", "-f", "x.yaml", "-c", "cfg"], VALIDATE_USAGE),
    (["validate", "-f", "x.yaml", "-n", "ns"], VALIDATE_USAGE),
    (["version", "extra"], VERSION_USAGE),
    (["version", "--poll"], "--poll requires argument\n" + VERSION_USAGE),
    (["version", "--client=true"], "--client must not have an argument\n" + VERSION_USAGE),
    (["ipam"], IPAM_USAGE),
    (["ipam", "--bogus", "show"], IPAM_USAGE),
    (["datastore"], DATASTORE_USAGE),
    (["datastore", "migrate"], MIGRATE_USAGE),
]


@pytest.mark.parametrize(("args", "stderr"), USAGE_ERRORS, ids=[" ".join(a) or "none" for a, _ in USAGE_ERRORS])
def test_usage_errors(offline: Cli, args: list[str], stderr: str) -> None:
    assert tuple(offline(*args, config=False)) == ("", stderr, 1)


def test_get_accepts_dash_a_for_all_namespaces_before_parsing(offline: Cli) -> None:
    # calicoctl rewrites "-a" to "-A" (backward compatibility); an unknown kind proves -a parsed.
    stdout, stderr, code = offline("get", "nosuchkind", "-a", "--allow-version-mismatch")
    assert (stdout, code) == ("", 1) and stderr.startswith("failed to get resources: resource type 'nosuchkind'")


def test_long_option_prefixes_work_as_in_docopt(cli: Cli) -> None:
    path = cli.file(
        "p.yaml",
        f"apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {{name: {cli.n('p')}}}\nspec: {{cidr: 10.10.0.0/16}}\n",
    )
    assert tuple(cli("create", "--file", path, "--skip-exi")) == (
        "Successfully created 1 'IPPool' resource(s)\n",
        "",
        0,
    )


# -- groups whose subcommands come from other issues --------------------------------------------------------


def test_unknown_ipam_subcommand_prints_the_text(offline: Cli) -> None:
    # ipam.go: default: fmt.Println(doc), nil error.
    assert tuple(offline("ipam", "frobnicate", config=False)) == (DOCS["ipam"].text + "\n", "", 0)


def test_unknown_migrate_subcommand_prints_the_text(offline: Cli) -> None:
    assert tuple(offline("datastore", "migrate", "bogus", config=False)) == (
        DOCS["datastore migrate"].text + "\n",
        "",
        0,
    )


def test_unknown_datastore_subcommand_prints_the_text(offline: Cli) -> None:
    assert tuple(offline("datastore", "bogus", config=False)) == (DOCS["datastore"].text + "\n", "", 0)


def test_every_command_is_registered() -> None:
    assert sorted(COMMANDS) == sorted(
        [
            "create",
            "replace",
            "apply",
            "delete",
            "get",
            "patch",
            "label",
            "validate",
            "version",
            "ipam",
            "datastore",
            "diff",
            "completion",
            "demo",
        ]
    )


def test_click_options_match_the_docopt_texts() -> None:
    # Every option a command's text declares is one its click command accepts, with the same forms.
    from calicopy.cli.base import load_command

    for name, spec in COMMANDS.items():
        command = load_command(spec)
        declared = {(o.short, o.long) for o in DOCS[name].options if o.long != "--help"}
        accepted = set()
        for param in command.params:
            if param.param_type_name != "option" or getattr(param, "hidden", False):
                continue
            shorts = [o for o in param.opts if not o.startswith("--")]
            longs = [o for o in param.opts if o.startswith("--")]
            accepted.add((shorts[0] if shorts else "", longs[0]))
        assert declared == accepted, name


def test_option_table_is_what_docopt_reads() -> None:
    get = {o.long: (o.short, o.takes_value, o.default) for o in DOCS["get"].options}
    assert get["--output"] == ("-o", True, "ps")
    assert get["--config"] == ("-c", True, "/etc/calico/calicoctl.cfg")
    assert get["--all-namespaces"] == ("-A", False, None)
