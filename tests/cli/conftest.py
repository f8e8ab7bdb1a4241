"""Fixtures for the ``calicopy`` command's tests: the command run in-process (click's CliRunner)
against a datastore, and helpers that build calicoctl's expected output.

``cli`` runs against :class:`~calicopy.testing.FakeKubeAPIServer` (a fresh server per test), or,
when ``CALICOPY_TEST_KUBECONFIG`` names a kubeconfig, against that real cluster (it needs Calico's
CRDs).  On a real cluster every name a test makes is prefixed (``cli.n("pool1")``), the
namespaces it uses are created (``cli.ns("prod")``), everything is deleted afterwards, and tests
that need an empty or modifiable cluster are skipped (``cli.fake_only(...)``).  Expected output is
written with those names, so the same assertions hold on both.
"""

from __future__ import annotations

import contextlib
import os
import textwrap
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from calicopy.cli import main
from calicopy.cli.base import CliState
from calicopy.client import Client
from calicopy.config import load_config_from_bytes
from calicopy.kdd.backend import KubernetesBackend
from calicopy.kdd.kinds import is_custom_resource
from calicopy.resources.registry import KINDS
from calicopy.testing import FakeKubeAPIServer
from calicopy.testing.etcd import EtcdServer

from .ipam_state import seed_ipam

REAL_KUBECONFIG = os.environ.get("CALICOPY_TEST_KUBECONFIG")

CONFIG = """\
apiVersion: projectcalico.org/v3
kind: CalicoAPIConfig
metadata: {{}}
spec:
  datastoreType: kubernetes
  kubeconfig: {kubeconfig}
"""


def table(*rows: Sequence[str]) -> str:
    """What calicoctl's tabwriter prints: each cell padded to its column's widest cell + 3
    (at least 5), every cell (the last too) padded, and a blank line after the table."""
    widths = [max(max(len(row[i]) + 3, 5) for row in rows) for i in range(len(rows[0]))]
    return "".join("".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + "\n" for row in rows) + "\n"


@dataclass(frozen=True)
class Outcome:
    stdout: str
    stderr: str
    code: int
    exception: BaseException | None = None

    def __iter__(self) -> Iterator[Any]:
        return iter((self.stdout, self.stderr, self.code))


@dataclass
class Cli:
    """The ``calicopy`` command against one datastore, and the test's names."""

    workdir: Path
    config: Path
    kubeconfig: str
    server: FakeKubeAPIServer | None = None
    prefix: str = ""
    namespaces: list[str] = field(default_factory=list)
    _client: Client | None = None

    @property
    def real(self) -> bool:
        return self.server is None

    def fake_only(self, why: str) -> None:
        if self.real:
            pytest.skip(f"not on a real cluster: {why}")

    def n(self, name: str) -> str:
        return self.prefix + name

    def ns(self, name: str) -> str:
        """A namespace that exists."""
        namespace = self.n(name)
        if namespace in self.namespaces:
            return namespace
        body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
        if self.server is not None:
            self.server.add(body)
        else:
            from kubernetes import client, config

            api = config.new_client_from_config(config_file=self.kubeconfig)
            try:
                client.CoreV1Api(api).create_namespace(body)
            finally:
                api.close()
        self.namespaces.append(namespace)
        return namespace

    @property
    def client(self) -> Client:
        """A library Client on the same datastore (to seed and check)."""
        if self._client is None:
            config = load_config_from_bytes(
                "apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\n"
                f"spec:\n  datastoreType: kubernetes\n  kubeconfig: {self.kubeconfig}\n",
                env={},
            )
            backend = KubernetesBackend.from_config(config, env={}, sleep=lambda _: None)
            self._client = Client(config, backend=backend, sleep=lambda _: None)
        return self._client

    def file(self, name: str, text: str) -> str:
        """Write ``text`` (dedented) to ``name`` in the test's directory; returns its path."""
        path = self.workdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
        return str(path)

    def __call__(
        self, *args: str, input: str | None = None, config: bool = True, state: CliState | None = None
    ) -> Outcome:
        """Run ``calicopy <args>`` (with ``-c <this datastore's config>`` unless ``config=False``)."""
        argv = [*args, "-c", str(self.config)] if config else list(args)
        result = CliRunner().invoke(main, argv, input=input, obj=state or CliState(sleep=lambda _: None))
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Outcome(result.stdout, result.stderr, result.exit_code, result.exception)

    def cleanup(self) -> None:
        if not self.real:
            return
        backend = self.client.backend
        for info in KINDS.values():
            if not is_custom_resource(info.kind) or info.kind == "ClusterInformation":
                continue
            with contextlib.suppress(Exception):
                for item in backend.list(info.kind).items:
                    meta = item.metadata
                    if meta.name.startswith(self.prefix) or meta.namespace in self.namespaces:
                        with contextlib.suppress(Exception):
                            backend.delete(info.kind, meta.name, meta.namespace or None)
        if self.namespaces:
            from kubernetes import client, config

            api = config.new_client_from_config(config_file=self.kubeconfig)
            try:
                for namespace in self.namespaces:
                    with contextlib.suppress(Exception):
                        client.CoreV1Api(api).delete_namespace(namespace)
            finally:
                api.close()


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[Cli]:
    if REAL_KUBECONFIG:
        config = tmp_path / "calicoctl.cfg"
        config.write_text(CONFIG.format(kubeconfig=REAL_KUBECONFIG))
        env = Cli(tmp_path, config, REAL_KUBECONFIG, prefix="t" + uuid.uuid4().hex[:6] + "-")
        try:
            yield env
        finally:
            env.cleanup()
            if env._client is not None:
                env._client.close()
        return
    with FakeKubeAPIServer() as server:
        assert server.kubeconfig_path is not None
        config = tmp_path / "calicoctl.cfg"
        config.write_text(CONFIG.format(kubeconfig=server.kubeconfig_path))
        env = Cli(tmp_path, config, str(server.kubeconfig_path), server=server)
        try:
            yield env
        finally:
            if env._client is not None:
                env._client.close()


ETCD_CONFIG = """\
apiVersion: projectcalico.org/v3
kind: CalicoAPIConfig
metadata: {{}}
spec:
  datastoreType: etcdv3
  etcdEndpoints: {endpoint}
"""


@pytest.fixture
def etcd_cli(etcd: EtcdServer, tmp_path: Path) -> Cli:
    """The command against the tests' real etcd (emptied for the test); ``Cli.client`` is not
    for it (it reaches a Kubernetes datastore): use ``Client(etcd.config())``."""
    config = tmp_path / "etcd.cfg"
    config.write_text(ETCD_CONFIG.format(endpoint=etcd.endpoint))
    return Cli(tmp_path, config, "")


@pytest.fixture
def ipam(cli: Cli) -> Cli:
    """``cli`` on a datastore holding :mod:`.ipam_state`'s IPAM state (fake API server only)."""
    cli.fake_only("writes IPAM state")
    assert cli.server is not None
    seed_ipam(cli.server, cli.client)
    return cli


@pytest.fixture
def offline(tmp_path: Path) -> Cli:
    """The command without a datastore (help, usage errors, validate): nothing listens on the
    kubeconfig's address, so a command that tried to connect would fail."""
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(
        "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'http://127.0.0.1:9'}}]\n"
        "users: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n"
    )
    config = tmp_path / "calicoctl.cfg"
    config.write_text(CONFIG.format(kubeconfig=kubeconfig))
    return Cli(tmp_path, config, str(kubeconfig))


POOL = """\
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: {name}
spec:
  cidr: {cidr}
"""


def pool(name: str, cidr: str, **spec: str) -> str:
    extra = "".join(f"  {k}: {v}\n" for k, v in spec.items())
    return POOL.format(name=name, cidr=cidr) + extra
