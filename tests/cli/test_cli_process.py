"""The installed ``calicopy`` command and ``python -m calicopy`` as a user runs them (subprocesses),
and the demo running exactly the commands it shows."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from calicopy.cli import demo as demo_module
from calicopy.cli import main

from .conftest import Cli, pool, table

ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    # The tree under test first (the venv's editable install may point elsewhere).
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def _run(argv: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, env=_env(), timeout=120, check=False)


COMMANDS = [[sys.executable, "-m", "calicopy"]]
if shutil.which("calicopy"):
    COMMANDS.append([str(shutil.which("calicopy"))])


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(Path(a).name for a in c))
def test_help_and_client_version(command: list[str]) -> None:
    helped = _run([*command, "--help"])
    assert (helped.returncode, helped.stderr) == (0, "") and helped.stdout.startswith(
        "Usage:\n  calicopy [options] <command>"
    )
    version = _run([*command, "version", "--client"])
    assert (version.returncode, version.stdout, version.stderr) == (
        0,
        "Client Version:    v3.32.1\nGit commit:        calicopy-0.1.0\n",
        "",
    )


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(Path(a).name for a in c))
def test_errors_and_exit_codes(command: list[str]) -> None:
    bad = _run([*command, "-m"])
    assert (bad.returncode, bad.stdout, bad.stderr) == (
        1,
        "Invalid option: '-m'. Use flag '--help' to read about a specific subcommand.\n",
        "Usage:\n  calicopy [options] <command> [<args>...]\n",
    )
    usage = _run([*command, "get"])
    assert usage.returncode == 1 and usage.stderr.startswith("Usage:\n  calicopy get ( (<KIND> [<NAME>...]) |")


def test_a_session_against_a_datastore(cli: Cli) -> None:
    command = [sys.executable, "-m", "calicopy"]
    a = cli.n("a")
    created = _run([*command, "apply", "-f", "-", "-c", str(cli.config)], stdin=pool(a, "10.51.0.0/16"))
    assert (created.returncode, created.stdout, created.stderr) == (
        0,
        "Successfully applied 1 'IPPool' resource(s)\n",
        "",
    )
    listed = _run([*command, "get", "ippool", a, "-c", str(cli.config)])
    assert (listed.returncode, listed.stdout, listed.stderr) == (
        0,
        table(("NAME", "CIDR", "SELECTOR"), (a, "10.51.0.0/16", "all()")),
        "",
    )
    deleted = _run([*command, "delete", "ippool", a, a, "-c", str(cli.config)])
    assert deleted.returncode == 1 and deleted.stdout == "Successfully deleted 1 'IPPool' resource(s)\n"
    assert deleted.stderr.startswith(f"Failed to delete 'IPPool' resource: resource does not exist: IPPool({a})")
    assert "Traceback" not in created.stderr + listed.stderr + deleted.stderr


def test_the_demo_runs_exactly_what_it_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[list[str]] = []
    real = demo_module._run_in_process

    def recording(args: list[str]) -> int:
        ran.append(list(args))
        return real(args)

    monkeypatch.setattr(demo_module, "_run_in_process", recording)
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    shown = [
        shlex.split(line.split("#")[0])[2:] for line in result.output.splitlines() if line.startswith("$ calicopy ")
    ]
    assert ran == shown and len(ran) == 8
    # What each command printed follows its line (here: the policy, as the YAML get prints it).
    after = result.output.split(
        "$ calicopy get networkpolicy allow-tcp-6379 -n production -o yaml -c calicoctl.cfg\n", 1
    )[1]
    assert after.startswith("apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n")
