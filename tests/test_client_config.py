"""Client.from_config and the Client's datastore options: which configuration wins, deadlines."""

from __future__ import annotations

from pathlib import Path

import pytest

from calicopy import config as cfgmod
from calicopy.client import Client
from calicopy.config import load_config
from calicopy.kdd.backend import KubernetesBackend
from calicopy.retry import RetryPolicy
from calicopy.testing import FakeKubeAPIServer

HEAD = "apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\n"


@pytest.fixture
def real_cluster_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """/etc/calico/calicoctl.cfg pointing at a "real" cluster (an address nothing listens on)."""
    path = tmp_path / "calicoctl.cfg"
    path.write_text(HEAD + "spec: {datastoreType: kubernetes, k8sAPIEndpoint: 'https://127.0.0.1:9'}\n")
    monkeypatch.setattr(cfgmod, "DEFAULT_CONFIG_PATH", str(path))
    return path


def test_from_config_explicit_env_wins_over_default_file(
    real_cluster_file: Path, fake_kube: FakeKubeAPIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The in-cluster fallback must read env= too, never os.environ.
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1")
    env = {
        "DATASTORE_TYPE": "kubernetes",
        "K8S_API_ENDPOINT": fake_kube.url,
        "CALICO_API_GROUP": "crd.projectcalico.org/v1",
    }
    with Client.from_config(env=env) as client:
        assert isinstance(client.backend, KubernetesBackend)
        assert client.config is not None and client.config.spec.k8s_api_endpoint == fake_kube.url
        assert client.list("IPPool") == []
    assert any("/ippools" in target for _, target in fake_kube.requests)


def test_from_config_without_env_reads_the_default_file(real_cluster_file: Path) -> None:
    with Client.from_config() as client:
        assert client.config is not None and client.config.spec.k8s_api_endpoint == "https://127.0.0.1:9"


def test_client_retry_policy_and_deadline(fake_kube: FakeKubeAPIServer) -> None:
    env = {
        "DATASTORE_TYPE": "kubernetes",
        "K8S_API_ENDPOINT": fake_kube.url,
        "CALICO_API_GROUP": "crd.projectcalico.org/v1",
    }
    with Client.from_config(env=env) as client:
        assert isinstance(client.backend, KubernetesBackend)
        assert client.backend._transport.policy == RetryPolicy()  # the default: 5 attempts within 30 s
        assert client.backend._transport.policy.deadline == 30.0
    policy = RetryPolicy(max_attempts=3, deadline=5.0)
    with Client.from_config(env=env, retry_policy=policy) as client:
        assert isinstance(client.backend, KubernetesBackend)
        assert client.backend._transport.policy is policy
    config = load_config(env=env)
    with Client(config, retry_policy=policy) as client:
        assert isinstance(client.backend, KubernetesBackend)
        assert client.backend._transport.policy is policy
