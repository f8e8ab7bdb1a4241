"""What calicopy adds to calicoctl: ``--dry-run``, ``diff``, ``get --watch``, shell completion,
progress on a terminal, and failures that never show a Python traceback (docs/cli.md)."""

from __future__ import annotations

import io
import threading
import time

import pytest
from click.shell_completion import BashComplete

from calicopy.cli import get as get_module
from calicopy.cli import main
from calicopy.cli import resources as resources_module
from calicopy.cli.base import CliState
from calicopy.manifests import loads

from .conftest import Cli, pool, table


def _seed(cli: Cli, name: str, cidr: str, **spec: str) -> None:
    (resource,) = loads(pool(name, cidr, **spec))
    cli.client.create(resource)


# -- --dry-run ----------------------------------------------------------------------------------------------


def test_create_dry_run_writes_nothing(cli: Cli) -> None:
    a, b = cli.n("a"), cli.n("b")
    _seed(cli, a, "10.41.0.0/16")
    path = cli.file("p.yaml", pool(a, "10.41.0.0/16") + "---\n" + pool(b, "10.42.0.0/16"))
    assert tuple(cli("create", "-f", path, "--dry-run")) == (
        f"IPPool({b}) would be created (dry run)\n",
        f"hit error(s): [resource already exists: IPPool({a}) with error: <nil>]\n",
        1,
    )
    assert all(p.metadata.name != b for p in cli.client.list("IPPool"))


def test_create_dry_run_skip_exists(cli: Cli) -> None:
    a = cli.n("a")
    _seed(cli, a, "10.41.0.0/16")
    path = cli.file("p.yaml", pool(a, "10.41.0.0/16"))
    assert tuple(cli("create", "-f", path, "--dry-run", "--skip-exists")) == (
        f"IPPool({a}) would be skipped (dry run)\n",
        "",
        0,
    )


def test_apply_dry_run(cli: Cli) -> None:
    a, b, c = cli.n("a"), cli.n("b"), cli.n("c")
    _seed(cli, a, "10.41.0.0/16")
    _seed(cli, b, "10.42.0.0/16")
    path = cli.file(
        "p.yaml",
        pool(a, "10.41.0.0/16")
        + "---\n"
        + pool(b, "10.42.0.0/16", disabled="true")
        + "---\n"
        + pool(c, "10.43.0.0/16"),
    )
    assert tuple(cli("apply", "-f", path, "--dry-run")) == (
        f"IPPool({a}) is unchanged (dry run)\nIPPool({b}) would be updated (dry run)\nIPPool({c}) would be created (dry run)\n",
        "",
        0,
    )
    assert cli.client.get("IPPool", b).spec.disabled is False  # type: ignore[attr-defined]


def test_apply_dry_run_reports_what_would_fail(cli: Cli) -> None:
    a, c = cli.n("a"), cli.n("c")
    _seed(cli, a, "10.41.0.0/16")
    path = cli.file("p.yaml", pool(c, "10.41.0.0/17"))
    expected = (
        f"hit error(s): [IPPool({c}): error with field spec.cidr = '10.41.0.0/17' "
        f"(IPPool({c}) CIDR overlaps with IPPool({a}) CIDR 10.41.0.0/16)]\n"
    )
    assert tuple(cli("apply", "-f", path, "--dry-run")) == ("", expected, 1)


def test_replace_dry_run(cli: Cli) -> None:
    a, b = cli.n("a"), cli.n("b")
    _seed(cli, a, "10.41.0.0/16")
    path = cli.file("p.yaml", pool(a, "10.41.0.0/16") + "---\n" + pool(b, "10.42.0.0/16"))
    assert tuple(cli("replace", "-f", path, "--dry-run")) == (
        f"IPPool({a}) would be replaced (dry run)\n",
        f"hit error(s): [resource does not exist: IPPool({b}) with error: <nil>]\n",
        1,
    )


def test_delete_dry_run(cli: Cli) -> None:
    a, b = cli.n("a"), cli.n("b")
    _seed(cli, a, "10.41.0.0/16")
    assert tuple(cli("delete", "ippool", a, b, "--dry-run", "--skip-not-exists")) == (
        f"IPPool({a}) would be deleted (dry run)\nIPPool({b}) would be skipped (dry run)\n",
        "",
        0,
    )
    assert cli.client.get("IPPool", a).metadata.name == a
    expected = f'hit error(s): [resource does not exist: IPPool({b}) with error: ippools.crd.projectcalico.org "{b}" not found]\n'
    assert tuple(cli("delete", "ippool", a, b, "--dry-run")) == (
        f"IPPool({a}) would be deleted (dry run)\n",
        expected,
        1,
    )


def test_delete_dry_run_knows_refusals(cli: Cli) -> None:
    cli.fake_only("reads ClusterInformation")
    cli.client.ensure_initialized()
    expected = "hit error(s): [operation delete is not supported on ClusterInformation]\n"
    assert tuple(cli("delete", "clusterinformation", "default", "--dry-run")) == ("", expected, 1)


# -- diff ------------------------------------------------------------------------------------------------------

NEW_POOL = """\
--- /dev/null
+++ apply IPPool({name})
@@ -0,0 +1,14 @@
+apiVersion: projectcalico.org/v3
+kind: IPPool
+metadata:
+  name: {name}
+spec:
+  allowedUses:
+  - Workload
+  - Tunnel
+  assignmentMode: Automatic
+  blockSize: 26
+  cidr: {cidr}
+  ipipMode: Never
+  nodeSelector: all()
+  vxlanMode: Never
"""

CHANGED_POOL = """\
--- live IPPool({name})
+++ apply IPPool({name})
@@ -9,6 +9,7 @@
   assignmentMode: Automatic
   blockSize: 26
   cidr: {cidr}
+  disabled: true
   ipipMode: Never
   nodeSelector: all()
   vxlanMode: Never
"""


def test_diff_of_a_new_resource(cli: Cli) -> None:
    b = cli.n("b")
    path = cli.file("p.yaml", pool(b, "10.42.0.0/16"))
    assert tuple(cli("diff", "-f", path)) == (NEW_POOL.format(name=b, cidr="10.42.0.0/16"), "", 0)


def test_diff_of_a_change(cli: Cli) -> None:
    a = cli.n("a")
    _seed(cli, a, "10.41.0.0/16")
    path = cli.file("p.yaml", pool(a, "10.41.0.0/16", disabled="true"))
    assert tuple(cli("diff", "-f", path)) == (CHANGED_POOL.format(name=a, cidr="10.41.0.0/16"), "", 0)
    assert tuple(cli("diff", "-f", path, "--exit-code")) == (CHANGED_POOL.format(name=a, cidr="10.41.0.0/16"), "", 2)


def test_diff_without_changes(cli: Cli) -> None:
    a = cli.n("a")
    _seed(cli, a, "10.41.0.0/16")
    path = cli.file("p.yaml", pool(a, "10.41.0.0/16"))
    assert tuple(cli("diff", "-f", path, "--exit-code")) == ("", "", 0)


def test_diff_reports_what_apply_would_refuse(cli: Cli) -> None:
    a = cli.n("a")
    _seed(cli, a, "10.41.0.0/16")
    path = cli.file("p.yaml", pool(a, "10.49.0.0/16"))
    expected = (
        f"hit error(s): [IPPool({a}): error with field spec.cidr = '10.49.0.0/16' (IPPool CIDR cannot be modified)]\n"
    )
    assert tuple(cli("diff", "-f", path)) == ("", expected, 1)


def test_diff_of_a_bad_file(cli: Cli) -> None:
    path = cli.file("p.yaml", "")
    assert tuple(cli("diff", "-f", path)) == ("", f"no resources specified in file {path}\n", 1)


# -- get --watch -------------------------------------------------------------------------------------------------


def test_watch_prints_changes(cli: Cli) -> None:
    a = cli.n("a")
    _seed(cli, a, "10.41.0.0/16")

    def later() -> None:
        time.sleep(0.5)
        cli.client.patch("IPPool", a, {"spec": {"disabled": True}})

    thread = threading.Thread(target=later)
    thread.start()
    stdout, stderr, code = cli("get", "ippool", a, "-o", "wide", "-w", "--watch-timeout", "3")
    thread.join()
    headings = (
        "NAME",
        "CIDR",
        "NAT",
        "IPIPMODE",
        "VXLANMODE",
        "DISABLED",
        "DISABLEBGPEXPORT",
        "SELECTOR",
        "ASSIGNMENTMODE",
    )
    first = table(headings, (a, "10.41.0.0/16", "false", "Never", "Never", "false", "false", "all()", "Automatic"))
    changed = table(headings, (a, "10.41.0.0/16", "false", "Never", "Never", "true", "false", "all()", "Automatic"))
    header, row = changed.splitlines()[:2]
    # Each change: the object's row behind an EVENT column.
    assert (stdout, stderr, code) == (first + table(("EVENT", header), ("MODIFIED", row)), "", 0)


def test_watch_yaml_documents(cli: Cli) -> None:
    cli.fake_only("watches every pool")
    _seed(cli, "a", "10.41.0.0/16")

    def later() -> None:
        time.sleep(0.5)
        cli.client.delete("IPPool", "a")

    thread = threading.Thread(target=later)
    thread.start()
    stdout, _, code = cli("get", "ippool", "-o", "yaml", "--watch", "--watch-timeout", "3")
    thread.join()
    assert code == 0
    assert stdout.count("kind: IPPoolList") == 1 and "\n---\napiVersion: projectcalico.org/v3\nkind: IPPool\n" in stdout


def test_watch_needs_a_kind(cli: Cli) -> None:
    a = cli.n("a")
    _seed(cli, a, "10.41.0.0/16")
    path = cli.file("p.yaml", pool(a, "10.41.0.0/16"))
    _stdout, stderr, code = cli("get", "-f", path, "-w")
    assert (stderr, code) == ("--watch needs a kind (get <KIND> [<NAME>...] --watch), not --filename\n", 1)


# -- shell completion -------------------------------------------------------------------------------------------


def _complete(args: list[str], incomplete: str) -> list[str]:
    return [c.value for c in BashComplete(main, {}, "calicopy", "_CALICOPY_COMPLETE").get_completions(args, incomplete)]


def test_complete_commands() -> None:
    assert _complete([], "ap") == ["apply"]
    assert _complete([], "d") == ["datastore", "delete", "demo", "diff"]


def test_complete_kinds() -> None:
    assert _complete(["get"], "ipp") == ["ipp", "ippool", "ippools", "ipps"]
    assert _complete(["delete"], "GlobalNetworkS") == ["globalnetworkset", "globalnetworksets"]


def test_complete_names_from_the_datastore(cli: Cli) -> None:
    a, b = cli.n("complete-a"), cli.n("complete-b")
    _seed(cli, a, "10.41.0.0/16")
    _seed(cli, b, "10.42.0.0/16")
    assert _complete(["get", "ippool", "-c", str(cli.config)], cli.n("complete-")) == [a, b]
    assert _complete(["label", "ippool", a, "-c", str(cli.config)], cli.n("complete-")) == [b]


def test_complete_names_without_a_datastore_is_quiet(offline: Cli) -> None:
    assert _complete(["get", "ippool", "-c", str(offline.config)], "") == []
    assert _complete(["get", "nosuchkind"], "") == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(offline: Cli, shell: str) -> None:
    stdout, stderr, code = offline("completion", shell, config=False)
    assert (stderr, code) == ("", 0) and "_CALICOPY_COMPLETE" in stdout


def test_completion_unknown_shell(offline: Cli) -> None:
    assert tuple(offline("completion", "tcsh", config=False)) == (
        "",
        "unsupported shell 'tcsh' (use bash, zsh or fish)\n",
        1,
    )


# -- progress on a terminal only ---------------------------------------------------------------------------------


def test_progress_on_a_terminal(cli: Cli) -> None:
    cli.file("d/a.yaml", pool(cli.n("a"), "10.41.0.0/16"))
    cli.file("d/b.yaml", pool(cli.n("b"), "10.42.0.0/16"))
    terminal = io.StringIO()
    state = CliState(sleep=lambda _: None, stderr=lambda: terminal, progress=True)
    stdout, stderr, code = cli("create", "-f", str(cli.workdir / "d"), state=state)
    assert (stdout, stderr, code) == ("Successfully created 2 'IPPool' resource(s)\n", "", 0)
    shown = terminal.getvalue()
    assert f"\r\x1b[Kreading files: 1/2 ({cli.workdir / 'd' / 'a.yaml'})" in shown
    assert "\r\x1b[Kresources done: 2" in shown and shown.endswith("\r\x1b[K")


def test_no_progress_in_a_pipe(cli: Cli) -> None:
    cli.file("d/a.yaml", pool(cli.n("a"), "10.41.0.0/16"))
    cli.file("d/b.yaml", pool(cli.n("b"), "10.42.0.0/16"))
    pipe = io.StringIO()
    state = CliState(sleep=lambda _: None, stderr=lambda: pipe)
    assert tuple(cli("create", "-f", str(cli.workdir / "d"), state=state)) == (
        "Successfully created 2 'IPPool' resource(s)\n",
        "",
        0,
    )
    assert pipe.getvalue() == ""


# -- no tracebacks, Ctrl-C ------------------------------------------------------------------------------------------


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom")


def test_a_bug_is_reported_without_a_traceback(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_module, "execute_config_command", _boom)
    expected = (
        "calicopy: unexpected error (RuntimeError: boom); run with --log-level=debug for details and please report it\n"
    )
    assert tuple(cli("get", "ippool")) == ("", expected, 1)


def test_debug_shows_the_traceback(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_module, "execute_config_command", _boom)
    _stdout, stderr, code = cli("-l", "debug", "get", "ippool")
    assert code == 1 and "Traceback (most recent call last)" in stderr and "RuntimeError: boom" in stderr


def test_ctrl_c_exits_130(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(resources_module, "execute_config_command", interrupted)
    path = cli.file("p.yaml", pool("a", "10.0.0.0/8"))
    stdout, stderr, code = cli("apply", "-f", path)
    assert (stdout, stderr.strip(), code) == ("", "", 130)
