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


# -- client-go's field types: a value of the wrong type is an error, never a guess --------------------


def one_cluster(cluster: str, user: str = "{token: t}") -> str:
    return (
        "current-context: a\ncontexts: [{name: a, context: {cluster: dev, user: me}}]\n"
        f"clusters: [{{name: dev, cluster: {cluster}}}]\nusers: [{{name: me, user: {user}}}]\n"
    )


@pytest.mark.parametrize("value", ['"false"', '"true"', '""', "1", "0", "[true]", "{a: b}"])
def test_insecure_flag_must_be_a_bool(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, one_cluster(f"{{server: 'https://s', insecure-skip-tls-verify: {value}}}"), "kc")
    with pytest.raises(ConfigError) as info:
        kube_connection(k8s_config(kubeconfig=str(path)), env={})
    text = str(info.value)
    assert text.startswith(f'error loading config file "{path}": cluster "dev": ')
    assert "Go struct field Cluster.clusters.cluster.insecure-skip-tls-verify of type bool" in text


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("false", False), ("null", False), ("yes", True)])
def test_insecure_flag_bools(tmp_path: Path, value: str, expected: bool) -> None:
    # YAML 1.1 (go-yaml v2, as sigs.k8s.io/yaml reads kubeconfigs): yes/no are booleans.
    path = write(tmp_path, one_cluster(f"{{server: 'https://s', insecure-skip-tls-verify: {value}}}"), "kc")
    assert kube_connection(k8s_config(kubeconfig=str(path)), env={}).insecure_skip_tls_verify is expected


@pytest.mark.parametrize(
    ("cluster", "user", "message"),
    [
        (
            "{server: 6443}",
            "{token: t}",
            'cluster "dev": json: cannot unmarshal number into Go struct field Cluster.clusters.cluster.server of type string',
        ),
        (
            "{server: 'https://s', tls-server-name: [x]}",
            "{token: t}",
            "cannot unmarshal array into Go struct field Cluster.clusters.cluster.tls-server-name of type string",
        ),
        (
            "{server: 'https://s', certificate-authority-data: 'not base64!'}",
            "{token: t}",
            'cluster "dev": certificate-authority-data: illegal base64 data at input byte 3',
        ),
        (
            "{server: 'https://s', certificate-authority-data: 12}",
            "{token: t}",
            "cannot unmarshal number into Go struct field Cluster.clusters.cluster.certificate-authority-data of type []uint8",
        ),
        (
            "{server: 'https://s'}",
            "{token: [s3cr3t-token]}",
            'user "me": json: cannot unmarshal array into Go struct field AuthInfo.users.user.token of type string',
        ),
        (
            "{server: 'https://s'}",
            "{client-key-data: true}",
            'user "me": json: cannot unmarshal bool into Go struct field AuthInfo.users.user.client-key-data of type []uint8',
        ),
        (
            "{server: 'https://s'}",
            "{exec: some-command}",
            "cannot unmarshal string into Go struct field AuthInfo.users.user.exec of type v1.ExecConfig",
        ),
        (
            "{server: 'https://s'}",
            "{as-groups: admin}",
            "cannot unmarshal string into Go struct field AuthInfo.users.user.as-groups of type []string",
        ),
        (
            "[https://s]",
            "{token: t}",
            "cannot unmarshal array into Go struct field NamedCluster.clusters.cluster of type v1.Cluster",
        ),
    ],
)
def test_kubeconfig_field_types(tmp_path: Path, cluster: str, user: str, message: str) -> None:
    path = write(tmp_path, one_cluster(cluster, user), "kc")
    with pytest.raises(ConfigError) as info:
        kube_connection(k8s_config(kubeconfig=str(path)), env={})
    assert str(info.value).startswith(f'error loading config file "{path}": ')
    assert message in str(info.value)
    assert_no_secret(str(info.value))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "clusters: {dev: {server: x}}\n",
            "cannot unmarshal object into Go struct field Config.clusters of type []v1.NamedCluster",
        ),
        ("current-context: 5\n", "cannot unmarshal number into Go struct field Config.current-context of type string"),
        (
            "contexts: [{name: 7, context: {}}]\n",
            'context "7": json: cannot unmarshal number into Go struct field NamedContext.contexts.name of type string',
        ),
        (
            "contexts: [{name: a, context: {cluster: [c]}}]\n",
            'context "a": json: cannot unmarshal array into Go struct field Context.contexts.context.cluster of type string',
        ),
        ("users: [x]\n", "cannot unmarshal string into Go struct field Config.users of type v1.NamedAuthInfo"),
    ],
)
def test_kubeconfig_structure_types(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text, "kc")
    with pytest.raises(ConfigError, match=r"^error loading config file ") as info:
        kube_connection(k8s_config(kubeconfig=str(path)), env={})
    assert message in str(info.value)


def test_base64_data_as_go_reads_it(tmp_path: Path) -> None:
    # Go's base64 decoder skips line breaks (a wrapped PEM blob is fine).
    data = base64.b64encode(b"CA-BYTES-" * 10).decode()
    wrapped = data[:20] + "\\n" + data[20:]
    path = write(tmp_path, one_cluster(f'{{server: "https://s", certificate-authority-data: "{wrapped}"}}'), "kc")
    assert kube_connection(k8s_config(kubeconfig=str(path)), env={}).ca_data == b"CA-BYTES-" * 10
    # Every entry is decoded, used or not (client-go decodes the whole file).
    unused = (
        "current-context: a\ncontexts: [{name: a, context: {cluster: dev}}]\n"
        "clusters:\n- {name: dev, cluster: {server: 'https://s'}}\n"
        "- {name: other, cluster: {server: 'https://o', insecure-skip-tls-verify: 'no'}}\n"
    )
    with pytest.raises(ConfigError, match='cluster "other": json: cannot unmarshal string'):
        kube_connection(k8s_config(kubeconfig=str(write(tmp_path, unused, "kc2"))), env={})


def test_inline_kubeconfig_field_types() -> None:
    inline = one_cluster("{server: 'https://s', insecure-skip-tls-verify: 'false'}")
    with pytest.raises(ConfigError, match=r'^error loading config file kubeconfigInline: cluster "dev": json: '):
        kube_connection(k8s_config(kubeconfigInline=inline), env={})
