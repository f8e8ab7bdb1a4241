"""kube_connection: Kubernetes connection settings from a CalicoAPIConfig (kubeconfig files, contexts,
overrides, in-cluster), as libcalico-go's CreateKubernetesClientset with client-go's loading rules."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from calicopy.config import CalicoAPIConfig
from calicopy.errors import ConfigError
from calicopy.kdd.kubeconfig import KubeConnection, kube_connection

SECRETS = ("hunter2-pw", "s3cr3t-token", "PRIVATE-KEY-MATERIAL", "inline-tok-123", "etcd-cert-body")


def write(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


KUBECONFIG = """\
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev-cluster
  cluster: {server: "https://dev:6443", certificate-authority: ca.crt}
- name: prod-cluster
  cluster: {server: "https://prod:6443", certificate-authority-data: CA_DATA}
users:
- name: dev-user
  user: {token: s3cr3t-token}
- name: prod-user
  user: {client-certificate: /pki/c.crt, client-key-data: KEY_DATA}
contexts:
- name: dev
  context: {cluster: dev-cluster, user: dev-user}
- name: prod
  context: {cluster: prod-cluster, user: prod-user}
""".replace("CA_DATA", base64.b64encode(b"CA").decode()).replace(
    "KEY_DATA", base64.b64encode(b"PRIVATE-KEY-MATERIAL").decode()
)


def k8s_config(**spec: object) -> CalicoAPIConfig:
    return CalicoAPIConfig.model_validate({"spec": {"datastoreType": "kubernetes", **spec}})


def test_kubeconfig_current_and_given_context(tmp_path: Path) -> None:
    path = write(tmp_path, KUBECONFIG, "kubeconfig")
    (tmp_path / "ca.crt").write_text("CA")
    conn = kube_connection(k8s_config(kubeconfig=str(path)), env={})
    assert conn.server == "https://dev:6443" and conn.context == "dev"
    assert conn.ca_file == str(tmp_path / "ca.crt")  # relative to the kubeconfig file
    assert conn.bearer_token == "s3cr3t-token"
    assert (conn.qps, conn.burst) == (50.0, 100)
    prod = kube_connection(k8s_config(kubeconfig=str(path), k8sClientQPS=5.0, k8sClientBurst=7), "prod", env={})
    assert prod.server == "https://prod:6443" and prod.ca_data == b"CA"
    assert prod.cert_file == "/pki/c.crt" and prod.key_data == b"PRIVATE-KEY-MATERIAL"
    assert (prod.qps, prod.burst) == (5.0, 7)
    via_spec = kube_connection(k8s_config(kubeconfig=str(path), k8sCurrentContext="prod"), env={})
    assert via_spec.context == "prod"
    assert_no_secret(repr(conn), repr(prod))
    with pytest.raises(ConfigError, match='context "nope" does not exist'):
        kube_connection(k8s_config(kubeconfig=str(path)), "nope", env={})


def test_kubeconfig_path_list_first_wins(tmp_path: Path) -> None:
    first = write(
        tmp_path,
        "current-context: a\ncontexts: [{name: a, context: {cluster: c}}]\nclusters: [{name: c, cluster: {server: 'https://one'}}]\n",
        "one",
    )
    second = write(tmp_path, "current-context: b\nclusters: [{name: c, cluster: {server: 'https://two'}}]\n", "two")
    missing = tmp_path / "missing"
    conn = kube_connection(k8s_config(kubeconfig=f"{missing}:{first}:{second}:{first}"), env={})
    assert conn.server == "https://one" and conn.context == "a"


def test_explicit_overrides(tmp_path: Path) -> None:
    path = write(tmp_path, KUBECONFIG, "kubeconfig")
    conn = kube_connection(
        k8s_config(
            kubeconfig=str(path),
            k8sAPIEndpoint="https://override:6443",
            k8sAPIToken="tok2",
            k8sInsecureSkipTLSVerify=True,
            k8sCertFile="/c",
            k8sKeyFile="/k",
        ),
        env={},
    )
    assert conn.server == "https://override:6443" and conn.bearer_token == "tok2"
    assert conn.insecure_skip_tls_verify and conn.ca_file == "" and conn.ca_data == b""
    assert (conn.cert_file, conn.key_file) == ("/c", "/k")
    only = kube_connection(k8s_config(k8sAPIEndpoint="https://direct:6443", k8sAPIToken="t"), env={})
    assert only.server == "https://direct:6443" and not only.in_cluster


def test_missing_explicit_kubeconfig(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file or directory"):
        kube_connection(k8s_config(kubeconfig=str(tmp_path / "none")), env={})


def test_inline_kubeconfig_ignores_overrides() -> None:
    inline = "current-context: x\ncontexts: [{name: x, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: 'https://inline'}}]\nusers: [{name: u, user: {token: inline-tok-123}}]\n"
    conn = kube_connection(
        k8s_config(kubeconfigInline=inline, k8sAPIEndpoint="https://ignored", k8sCurrentContext="y"), env={}
    )
    assert conn.server == "https://inline" and conn.bearer_token == "inline-tok-123"
    assert "inline-tok-123" not in repr(conn)
    with pytest.raises(ConfigError) as info:
        kube_connection(k8s_config(kubeconfigInline="users: [{name: u, user: {token: inline-tok-123}}]"), env={})
    assert "no configuration has been provided" in str(info.value)
    assert_no_secret(str(info.value))


def test_in_cluster(tmp_path: Path) -> None:
    sa = tmp_path / "sa"
    sa.mkdir()
    (sa / "token").write_text("s3cr3t-token")
    (sa / "ca.crt").write_text("CA")
    env = {"KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"}
    conn = kube_connection(k8s_config(), env=env, service_account_dir=sa)
    assert conn == KubeConnection(
        server="https://10.0.0.1:443",
        ca_file=str(sa / "ca.crt"),
        bearer_token="s3cr3t-token",
        bearer_token_file=str(sa / "token"),
        in_cluster=True,
    )
    v6 = kube_connection(
        k8s_config(k8sAPIToken="t2"), env={**env, "KUBERNETES_SERVICE_HOST": "fd00::1"}, service_account_dir=sa
    )
    assert v6.server == "https://[fd00::1]:443" and v6.bearer_token == "t2" and v6.bearer_token_file == ""
    assert "s3cr3t-token" not in repr(conn)
    with pytest.raises(ConfigError, match="no configuration has been provided"):
        kube_connection(k8s_config(), env={}, service_account_dir=sa)
    with pytest.raises(ConfigError, match='no server found for cluster ""'):
        kube_connection(k8s_config(k8sCAFile="/ca"), env=env, service_account_dir=sa)


def test_unsupported_credentials(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "current-context: a\ncontexts: [{name: a, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: 'https://s'}}]\nusers: [{name: u, user: {exec: {command: aws}}}]\n",
        "kc",
    )
    with pytest.raises(ConfigError, match="exec credentials"):
        kube_connection(k8s_config(kubeconfig=str(path)), env={})
