"""The command on a TLS cluster: kubeconfig TLS settings reach the connection, and an insecure
cluster is used without urllib3's warning on every request (calicoctl prints nothing)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from calicopy.cli import main
from calicopy.cli.base import CliState
from calicopy.testing import FakeKubeAPIServer

from .conftest import CONFIG

TOKEN = "s3cret-token"
EMPTY_POOLS = "NAME   CIDR   SELECTOR   \n\n"  # calicoctl ends a table with a blank line
KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: {server}
    {tls}
users:
- name: u
  user:
    token: {token}
contexts:
- name: x
  context: {{cluster: c, user: u}}
current-context: x
"""


@pytest.fixture
def tls_server() -> Iterator[FakeKubeAPIServer]:
    with FakeKubeAPIServer(tls=True, token=TOKEN) as server:
        yield server


def run(tmp_path: Path, server: FakeKubeAPIServer, tls: str) -> tuple[str, str, int, list[str]]:
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(KUBECONFIG.format(server=server.url, tls=tls, token=TOKEN))
    config = tmp_path / "calicoctl.cfg"
    config.write_text(CONFIG.format(kubeconfig=kubeconfig))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = CliRunner().invoke(main, ["get", "ippools", "-c", str(config)], obj=CliState(sleep=lambda _: None))
    return result.stdout, result.stderr, result.exit_code, [str(w.message) for w in caught]


def test_insecure_cluster_without_warnings(tls_server: FakeKubeAPIServer, tmp_path: Path) -> None:
    stdout, stderr, code, caught = run(tmp_path, tls_server, "insecure-skip-tls-verify: true")
    assert (stdout, stderr, code) == (EMPTY_POOLS, "", 0)
    assert caught == []
    assert TOKEN not in stdout + stderr


def test_certificate_authority_from_kubeconfig(tls_server: FakeKubeAPIServer, tmp_path: Path) -> None:
    stdout, stderr, code, _ = run(tmp_path, tls_server, f"certificate-authority: {tls_server.ca_path}")
    assert (stdout, stderr, code) == (EMPTY_POOLS, "", 0)


def test_unknown_authority_fails_cleanly(tls_server: FakeKubeAPIServer, tmp_path: Path) -> None:
    stdout, stderr, code, _ = run(tmp_path, tls_server, "")
    assert code == 1 and stdout == ""
    assert "certificate" in stderr.lower() and "Traceback" not in stderr
