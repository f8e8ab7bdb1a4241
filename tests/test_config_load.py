"""load_config: calicoctl's file-or-environment rules (kube_connection: tests/test_kdd_kubeconfig.py)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from calicopy import config as cfgmod
from calicopy.config import (
    load_config,
    load_config_from_bytes,
    load_config_from_environment,
)
from calicopy.errors import ConfigError
from calicopy.kdd.kubeconfig import kube_connection

SECRETS = ("hunter2-pw", "s3cr3t-token", "PRIVATE-KEY-MATERIAL", "inline-tok-123", "etcd-cert-body")
HEAD = "apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\n"


@pytest.fixture(autouse=True)
def _no_default_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cfgmod, "DEFAULT_CONFIG_PATH", str(tmp_path / "absent" / "calicoctl.cfg"))


def write(tmp_path: Path, text: str, name: str = "calicoctl.cfg") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


# --- file --------------------------------------------------------------------------------------


def test_file_yaml(tmp_path: Path) -> None:
    path = write(
        tmp_path, HEAD + "metadata: {}\nspec:\n  datastoreType: kubernetes\n  kubeconfig: /root/.kube/config\n"
    )
    cfg = load_config(path, env={"DATASTORE_TYPE": "etcdv3", "KUBECONFIG": "/other"})
    assert cfg.spec.datastore_type == "kubernetes"
    assert cfg.spec.kubeconfig == "/root/.kube/config"  # the environment is not merged in


def test_file_json_and_case_insensitive_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '{"APIVERSION": "projectcalico.org/v3", "Kind": "CalicoAPIConfig", '
        '"spec": {"EtcdEndpoints": "https://e:2379", "k8sclientqps": 7.5, "k8sClientBurst": 20}}',
    )
    cfg = load_config(str(path), env={})
    assert cfg.spec.etcd_endpoints == "https://e:2379"
    assert cfg.spec.datastore_type == "etcdv3"  # detected from etcdEndpoints
    assert cfg.spec.k8s_client_qps == 7.5 and cfg.spec.k8s_client_burst == 20


def test_file_yaml_scalars_coerced_for_string_fields(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "spec:\n  etcdUsername: 123\n  etcdDiscoverySrv: yes\n  calicoAPIGroup: 1.5\n")
    spec = load_config(path, env={}).spec
    assert (spec.etcd_username, spec.etcd_discovery_srv, spec.calico_api_group) == ("123", "true", "1.5")


def test_default_datastore_and_home_kubeconfig(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD)
    home = tmp_path / "home"
    assert load_config(path, env={"HOME": str(home)}).spec.kubeconfig == ""  # no file there
    (home / ".kube").mkdir(parents=True)
    (home / ".kube" / "config").write_text("")
    cfg = load_config(path, env={"HOME": str(home)})
    assert cfg.spec.datastore_type == "kubernetes"
    assert cfg.spec.kubeconfig == str(home / ".kube" / "config")
    cfg = load_config_from_bytes(HEAD + "spec: {k8sAPIEndpoint: https://k:6443}", env={"HOME": str(home)})
    assert cfg.spec.kubeconfig == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "apiVersion: projectcalico.org/v2\nkind: CalicoAPIConfig\n",
            "invalid config file: unknown APIVersion 'projectcalico.org/v2'",
        ),
        ("kind: CalicoAPIConfig\n", "invalid config file: unknown APIVersion ''"),
        (
            "apiVersion: projectcalico.org/v3\nkind: IPPool\n",
            "invalid config file: expected kind 'CalicoAPIConfig', got 'IPPool'",
        ),
        ("", "invalid config file: unknown APIVersion ''"),
        (HEAD + "spec:\n  foo: 1\n", 'json: unknown field "foo"'),
        (HEAD + "extra: 1\n", 'json: unknown field "extra"'),
        (
            HEAD + "spec:\n  k8sClientBurst: many\n",
            "json: cannot unmarshal string into Go struct field CalicoAPIConfigSpec.spec.k8sClientBurst of type int",
        ),
        (
            HEAD + "spec:\n  k8sClientBurst: 1.5\n",
            "cannot unmarshal number 1.5 into Go struct field CalicoAPIConfigSpec.spec.k8sClientBurst of type int",
        ),
        (
            HEAD + "spec:\n  usePodCIDR: 'true'\n",
            "cannot unmarshal string into Go struct field CalicoAPIConfigSpec.spec.usePodCIDR of type bool",
        ),
        (
            HEAD + "spec:\n  k8sClientQPS: [1]\n",
            "cannot unmarshal array into Go struct field CalicoAPIConfigSpec.spec.k8sClientQPS of type float32",
        ),
        (
            HEAD + "spec: [1]\n",
            "cannot unmarshal array into Go struct field CalicoAPIConfig.spec of type apiconfig.CalicoAPIConfigSpec",
        ),
        ("- a\n", "cannot unmarshal array into Go value of type apiconfig.CalicoAPIConfig"),
        (HEAD + "kind: CalicoAPIConfig\n", 'line 3: key "kind" already set in map'),
        (HEAD + "spec: {a: [}\n", "error converting YAML to JSON: yaml: line 3:"),
    ],
)
def test_file_errors(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    assert str(info.value).startswith(f"syntax error in {path}: ")
    assert message in str(info.value)


def test_parse_error_prefix() -> None:
    with pytest.raises(
        ConfigError,
        match=r"^failed to parse config as YAML/JSON: error unmarshaling JSON: while decoding JSON: json: unknown field \"x\"$",
    ):
        load_config_from_bytes(HEAD + "x: 1\n", env={})


def test_missing_explicit_file_vs_default(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^Error reading config file: .*nope\.cfg$"):
        load_config(tmp_path / "nope.cfg", env={"DATASTORE_TYPE": "etcdv3"})
    # The default path (given or implied) falls back to the environment.
    assert load_config(env={"DATASTORE_TYPE": "etcdv3"}).spec.datastore_type == "etcdv3"
    assert load_config(cfgmod.DEFAULT_CONFIG_PATH, env={"ETCD_ENDPOINTS": "x"}).spec.datastore_type == "etcdv3"


def test_default_file_used_when_present(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, HEAD + "spec: {datastoreType: etcdv3, etcdEndpoints: 'http://a:2379'}\n")
    monkeypatch.setattr(cfgmod, "DEFAULT_CONFIG_PATH", str(path))
    monkeypatch.setenv("DATASTORE_TYPE", "kubernetes")
    assert load_config().spec.etcd_endpoints == "http://a:2379"  # calicoctl: the file, not os.environ


def test_explicit_env_wins_over_default_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A test that points a Client at a fake server through env= must never reach the real
    # cluster of /etc/calico/calicoctl.cfg.
    path = write(tmp_path, HEAD + "spec: {datastoreType: kubernetes, k8sAPIEndpoint: 'https://real:6443'}\n")
    monkeypatch.setattr(cfgmod, "DEFAULT_CONFIG_PATH", str(path))
    env = {"DATASTORE_TYPE": "kubernetes", "K8S_API_ENDPOINT": "https://fake:6443"}
    assert load_config(env=env).spec.k8s_api_endpoint == "https://fake:6443"
    assert load_config(env={}).spec.k8s_api_endpoint == ""  # an empty environment is still explicit
    # An explicit path wins over both; env= then only supplies HOME.
    assert load_config(path, env=env).spec.k8s_api_endpoint == "https://real:6443"


def test_directory_is_read_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^read .*: is a directory$"):
        load_config(tmp_path, env={})


# --- environment -------------------------------------------------------------------------------


def test_env_basic_and_prefix_precedence() -> None:
    env = {
        "DATASTORE_TYPE": "kubernetes",
        "CALICO_DATASTORE_TYPE": "etcdv3",
        "ETCD_ENDPOINTS": "http://plain:2379",
        "KUBECONFIG": "/k/config",
        "K8S_INSECURE_SKIP_TLS_VERIFY": "T",
        "CALICO_K8S_CLIENT_QPS": "0x1p4",
        "K8S_CLIENT_BURST": "0o17",
        "CALICO_API_GROUP": "crd.projectcalico.org/v1",
        "CALICO_CALICO_API_GROUP": "projectcalico.org/v3",
    }
    spec = load_config(env=env).spec
    assert spec.datastore_type == "etcdv3"
    assert spec.etcd_endpoints == "http://plain:2379"
    assert spec.kubeconfig == "/k/config"
    assert spec.k8s_insecure_skip_tls_verify is True
    assert spec.k8s_client_qps == 16.0
    assert spec.k8s_client_burst == 15
    assert (
        spec.calico_api_group == "projectcalico.org/v3"
    )  # CALICO_CALICO_API_GROUP is the key, CALICO_API_GROUP the alt


def test_env_ignored_fields_and_token_quirk() -> None:
    env = {
        "CALICO_ETCDKEY": "PRIVATE-KEY-MATERIAL",
        "ETCD_KEY": "PRIVATE-KEY-MATERIAL",
        "CALICO_KUBECONFIGINLINE": "inline-tok-123",
        "K8S_API_TOKEN": "not-read",
        "CALICO_K8SAPITOKEN": "s3cr3t-token",
    }
    spec = load_config_from_environment(env).spec
    assert spec.etcd_key == "" and spec.kubeconfig_inline == ""
    assert spec.k8s_api_token == "s3cr3t-token"  # `ignore:"true"` is not envconfig's `ignored`
    assert_no_secret(repr(spec), str(spec))


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"K8S_CLIENT_QPS": "fast"},
            "failed to load config from env vars: envconfig.Process: assigning CALICO_K8S_CLIENT_QPS to K8sClientQPS: "
            "converting 'fast' to type float32. details: strconv.ParseFloat: parsing \"fast\": invalid syntax "
            "(value read from K8S_CLIENT_QPS)",
        ),
        (
            {"CALICO_K8S_INSECURE_SKIP_TLS_VERIFY": ""},
            "assigning CALICO_K8S_INSECURE_SKIP_TLS_VERIFY to K8sInsecureSkipTLSVerify: converting '' to type bool. "
            'details: strconv.ParseBool: parsing "": invalid syntax',
        ),
        ({"USE_POD_CIDR": "yes"}, 'strconv.ParseBool: parsing "yes": invalid syntax'),
        ({"K8S_CLIENT_BURST": "1.0"}, 'strconv.ParseInt: parsing "1.0": invalid syntax'),
        ({"K8S_CLIENT_BURST": "99999999999999999999"}, "value out of range"),
        ({"K8S_CLIENT_QPS": "1e39"}, 'strconv.ParseFloat: parsing "1e39": value out of range'),
        ({"K8S_CLIENT_QPS": " 1"}, "invalid syntax"),
    ],
)
def test_env_parse_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(env=env)
    assert message in str(info.value)


def test_env_number_forms() -> None:
    spec = load_config(env={"K8S_CLIENT_QPS": "1_000.5", "K8S_CLIENT_BURST": "-0b11"}).spec
    assert spec.k8s_client_qps == 1000.5 and spec.k8s_client_burst == -3
    assert load_config(env={"K8S_CLIENT_QPS": "0.1"}).spec.k8s_client_qps == pytest.approx(0.1, rel=1e-7)


# --- secrets -----------------------------------------------------------------------------------


def test_secrets_never_in_errors_repr_or_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    body = (
        HEAD + "spec:\n  etcdPassword: hunter2-pw\n  k8sAPIToken: s3cr3t-token\n  etcdKey: PRIVATE-KEY-MATERIAL\n"
        "  etcdCert: etcd-cert-body\n  kubeconfigInline: 'users: [{name: u, user: {token: inline-tok-123}}]'\n"
    )
    cfg = load_config(write(tmp_path, body), env={})
    assert cfg.spec.etcd_password == "hunter2-pw"
    texts = [repr(cfg), str(cfg)]
    for bad in (
        body + "  bogus: 1\n",
        body + "  k8sClientBurst: x\n",
        body.replace("etcdKey:", "etcdKey: ["),
        body + "  etcdPassword: again\n",
        body.replace("projectcalico.org/v3", "v9"),
    ):
        with pytest.raises(ConfigError) as info:
            load_config(write(tmp_path, bad, "bad.cfg"), env={})
        texts.append(str(info.value))
    conn_cfg = cfg.model_copy(update={"spec": cfg.spec.model_copy(update={"kubeconfig_inline": ""})})
    with pytest.raises(ConfigError) as info:
        kube_connection(conn_cfg, env={})
    texts.append(str(info.value))
    texts.extend(r.getMessage() for r in caplog.records)
    assert_no_secret(*texts)


def test_config_errors_say_where(tmp_path: Path) -> None:
    # issue 8: errors carry what they are about (the file, the variable), not only a text.
    missing = tmp_path / "nope.cfg"
    with pytest.raises(ConfigError) as err:
        load_config(missing)
    assert err.value.source == str(missing)
    bad = tmp_path / "bad.cfg"
    bad.write_text("apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nspec: {bogus: 1}\n")
    with pytest.raises(ConfigError) as err:
        load_config(bad)
    assert err.value.source == str(bad) and str(err.value).startswith(f"syntax error in {bad}: ")
    with pytest.raises(ConfigError) as err:
        load_config(env={"K8S_CLIENT_QPS": "many"})
    assert err.value.source == "environment" and err.value.field == "K8S_CLIENT_QPS"
