"""The examples run as documented (``python examples/<name>.py``) and print what they promise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_quickstart() -> None:
    result = run("quickstart.py")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "loaded IPPool(pool1): cidr=10.245.1.0/24 ipipMode=Never" in out
    assert "'blockSize': 26" in out
    assert "redis-0  policy applies: True   may connect: False" in out
    assert "web-1    policy applies: False  may connect: True" in out
    assert 'canonical selector: role == "database"' in out
    assert "rejected: IPPool(bad)" in out and "not strictly masked" in out
    assert "apiVersion: projectcalico.org/v3\nkind: IPPool\n" in out


def test_migrate_pool_default_run_on_the_fake_server() -> None:
    result = run("migrate_pool.py")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert "embedded fake Kubernetes API server at http://127.0.0.1:" in out
    assert (
        "created IPPool ipv4-pool-2: cidr=10.248.0.0/16 blockSize=26 ipipMode=Always vxlanMode=Never "
        "natOutgoing=true nodeSelector=all()"
    ) in out
    assert "disabled IPPool default-ipv4-ippool" in out
    rows = [line.split() for line in out.splitlines() if line.startswith("  shop ")]
    assert rows == [["shop", "db-0", "node-2", "192.168.40.7"], ["shop", "web-0", "node-1", "192.168.12.5"]]
    assert "coredns" not in out  # its address is in another pool
    assert "2 workload(s) still use IPPool default-ipv4-ippool" in out
    assert "skipped: 2 workload(s) still use it" in out
    assert "kubectl delete pod -n shop db-0" in out
    assert "kubectl delete pod -n shop web-0" in out
    assert "Migration step complete." in out


def test_migrate_pool_to_the_end_on_the_fake_server() -> None:
    result = run("migrate_pool.py", "--simulate-restarts", "--delete-when-empty")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "(demo) restarting 2 pod(s)" in out
    assert "none: no workload uses IPPool default-ipv4-ippool any more" in out
    assert "deleted IPPool default-ipv4-ippool" in out
    assert "kubectl delete pod" not in out


def test_migrate_pool_errors_are_one_line_and_exit_1() -> None:
    result = run("migrate_pool.py", "--new-cidr", "192.168.128.0/17")
    assert result.returncode == 1
    assert result.stderr.startswith("error: IPPool(ipv4-pool-2)")
    assert "overlaps with IPPool(default-ipv4-ippool)" in result.stderr
    assert "Traceback" not in result.stderr

    missing = run("migrate_pool.py", "--old-pool", "nope")
    assert missing.returncode == 1
    assert missing.stderr == "error: IPPool nope does not exist\n"
