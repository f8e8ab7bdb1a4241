"""Fixtures of the calicopy.testing suite.

The contract tests use ``kube``: by default a fresh :class:`FakeKubeAPIServer` per test; when
``CALICOPY_TEST_KUBECONFIG`` names a kubeconfig, that real cluster (with Calico's
crd.projectcalico.org/v1 CRDs installed) instead.  Names are unique per test and everything a
test creates is deleted afterwards.  Tests of things only the fake has call ``kube.fake_only()``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from calicopy.testing.fakeapi import FakeKubeAPIServer

# The plugin's fixtures and marker, without a pytest11 entry point or a root conftest change.
from calicopy.testing.pytest_plugin import calico_client, fake_kube, fake_kube_api_client, pytest_configure  # noqa: F401

kubernetes = pytest.importorskip("kubernetes")
from kubernetes import client, config  # noqa: E402

GROUP = "crd.projectcalico.org"
VERSION = "v1"
REAL_KUBECONFIG = os.environ.get("CALICOPY_TEST_KUBECONFIG")


@dataclass
class Kube:
    api: Any
    fake: FakeKubeAPIServer | None
    created: list[tuple[str, str, str | None, str]] = field(default_factory=list)
    prefix: str = field(default_factory=lambda: "cpt-" + uuid.uuid4().hex[:6])

    @property
    def co(self) -> Any:
        return client.CustomObjectsApi(self.api)

    @property
    def core(self) -> Any:
        return client.CoreV1Api(self.api)

    @property
    def is_fake(self) -> bool:
        return self.fake is not None

    def fake_only(self, why: str = "needs the fake's knobs") -> FakeKubeAPIServer:
        if self.fake is None:
            pytest.skip(f"fake-only: {why}")
        return self.fake

    def name(self, base: str) -> str:
        return f"{self.prefix}-{base}"

    def track(self, plural: str, name: str, namespace: str | None = None, group: str = GROUP) -> None:
        self.created.append((group, plural, namespace, name))

    def create(
        self,
        plural: str,
        kind: str,
        name: str,
        spec: dict[str, Any] | None = None,
        *,
        labels: dict[str, str] | None = None,
        namespace: str | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"apiVersion": f"{GROUP}/{VERSION}", "kind": kind, "metadata": {"name": name}}
        if labels:
            body["metadata"]["labels"] = labels
        if spec is not None:
            body["spec"] = spec
        if namespace is None:
            obj = self.co.create_cluster_custom_object(GROUP, VERSION, plural, body)
        else:
            obj = self.co.create_namespaced_custom_object(GROUP, VERSION, namespace, plural, body)
        self.track(plural, name, namespace)
        return dict(obj)

    def pool(
        self, base: str, cidr: str = "10.1.0.0/24", labels: dict[str, str] | None = None, **spec: Any
    ) -> dict[str, Any]:
        return self.create("ippools", "IPPool", self.name(base), {"cidr": cidr, **spec}, labels=labels)

    def cleanup(self) -> None:
        for group, plural, namespace, name in reversed(self.created):
            try:
                if group == "":
                    if plural == "namespaces":
                        self.core.delete_namespace(name)
                elif namespace is None:
                    self.co.delete_cluster_custom_object(group, VERSION, plural, name)
                else:
                    self.co.delete_namespaced_custom_object(group, VERSION, namespace, plural, name)
            except client.ApiException:
                pass


@pytest.fixture
def kube() -> Iterator[Kube]:
    if REAL_KUBECONFIG:
        configuration = client.Configuration()
        config.load_kube_config(config_file=REAL_KUBECONFIG, client_configuration=configuration)
        api = client.ApiClient(configuration)
        k = Kube(api, None)
        try:
            yield k
        finally:
            k.cleanup()
            api.close()
        return
    with FakeKubeAPIServer(bookmark_interval=0.2) as server:
        api = server.api_client()
        try:
            yield Kube(api, server)
        finally:
            api.close()


def status_of(exc: Any) -> dict[str, Any]:
    """The Status body of a kubernetes.client.ApiException."""
    import json

    body = json.loads(exc.body)
    assert isinstance(body, dict)
    return body
