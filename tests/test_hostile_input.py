"""Bad input to calicoctl.cfg, kubeconfigs, token files, manifests and the rate limit settings: always
calicopy's error, never a hang or a raw exception (issue 9, item 10)."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import calicopy
from calicopy import config as cfgmod
from calicopy.config import MAX_CONFIG_BYTES, CalicoAPIConfig, load_config, load_config_from_bytes
from calicopy.errors import CalicoError, ConfigError, ManifestError
from calicopy.kdd.backend import KubernetesBackend
from calicopy.kdd.credentials import read_token
from calicopy.kdd.kubeconfig import KubeConnection, kube_connection
from calicopy.kdd.kubeconfig_files import MAX_TOKEN_BYTES, parse_kubeconfig
from calicopy.retry import RateLimiter

HEAD = "apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\n"
BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{c}: &{c} [{','.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdef", "bcdefg", strict=True)
)
DEEP = "[" * 5000 + "]" * 5000
DEV_ZERO = pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")


@pytest.fixture(autouse=True)
def _no_default_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cfgmod, "DEFAULT_CONFIG_PATH", str(tmp_path / "absent" / "calicoctl.cfg"))


@contextlib.contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail (instead of hanging the suite) when the block takes longer than ``seconds``."""

    def expired(*_: object) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def config_error(fn: Callable[[], Any], seconds: float = 5.0) -> ConfigError:
    with within(seconds), pytest.raises(ConfigError) as info:
        fn()
    return info.value


def k8s_config(**spec: object) -> CalicoAPIConfig:
    return CalicoAPIConfig.model_validate({"spec": {"datastoreType": "kubernetes", **spec}})


# -- calicoctl.cfg -----------------------------------------------------------------------------------


def test_config_alias_bomb_fails_at_once(tmp_path: Path) -> None:
    path = tmp_path / "calicoctl.cfg"
    path.write_text(BOMB)
    assert len(BOMB) < 400
    err = config_error(lambda: load_config(path, env={}), seconds=1.0)
    assert str(err) == (
        f"syntax error in {path}: failed to parse config as YAML/JSON: error converting YAML to JSON: "
        "yaml: document contains excessive aliasing"
    )


@pytest.mark.parametrize("text", [f"spec: {DEEP}\n", "".join("  " * i + f"k{i}:\n" for i in range(300))])
def test_deep_config_is_a_config_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "calicoctl.cfg"
    path.write_text(text)
    err = config_error(lambda: load_config(path, env={}))
    assert str(err).endswith("error converting YAML to JSON: yaml: exceeded max depth of 100")


@DEV_ZERO
def test_config_read_stops_at_the_cap() -> None:
    err = config_error(lambda: load_config("/dev/zero", env={}))
    assert str(err) == f"read /dev/zero: file too large (calicopy reads at most {MAX_CONFIG_BYTES} bytes of it)"
    assert err.source == "/dev/zero"


def test_config_text_over_the_cap() -> None:
    err = config_error(lambda: load_config_from_bytes(HEAD + "#" * MAX_CONFIG_BYTES, env={}))
    assert "the config is too large: input is" in str(err)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff\xfe\x00bad", None),
        (b"a: \xff\n", "yaml: invalid leading UTF-8 octet"),
        (b"a: \x07\n", "yaml: control characters are not allowed"),
        ("a: \udcff\n", "cannot read the document"),
        (b"\x00" * 100, None),
    ],
)
def test_undecodable_config_is_a_config_error(data: bytes | str, reason: str | None) -> None:
    err = config_error(lambda: load_config_from_bytes(data, env={}))
    assert str(err).startswith("failed to parse config as YAML/JSON: ")
    if reason is not None:
        assert reason in str(err)


def test_duplicate_keys_named_as_go_yaml_names_them() -> None:
    err = config_error(lambda: load_config_from_bytes(HEAD + "metadata:\n  labels: {1: a, 1: b}\n", env={}))
    assert str(err).endswith("yaml: unmarshal errors:\n  line 4: key 1 already set in map")  # %#v of an int
    # Keys equal once sigs.k8s.io/yaml made them strings are duplicates too (Go would keep one silently).
    err = config_error(lambda: load_config_from_bytes(HEAD + "metadata:\n  labels: {1: a, '1': b}\n", env={}))
    assert str(err).endswith('yaml: unmarshal errors:\n  line 4: key "1" already set in map')
    # Through a merge, as go-yaml v2's strict mode sets the key twice.
    text = HEAD + "metadata:\n  labels: &l {a: x}\n  annotations:\n    a: y\n    <<: *l\n"
    assert 'key "a" already set in map' in str(config_error(lambda: load_config_from_bytes(text, env={})))


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"K8S_CLIENT_QPS": "NaN"}, "converting 'NaN' to type float32. details: not a finite number"),
        ({"CALICO_K8S_CLIENT_QPS": "-Inf"}, "converting '-Inf' to type float32. details: not a finite number"),
        ({"K8S_CLIENT_QPS": "infinity"}, "not a finite number"),
        ({"K8S_CLIENT_BURST": "1" * 5000}, f'strconv.ParseInt: parsing "{"1" * 5000}": value out of range'),
        ({"K8S_CLIENT_BURST": "-" + "9" * 4400}, "value out of range"),
    ],
)
def test_environment_numbers_go_cannot_hold(env: dict[str, str], message: str) -> None:
    err = config_error(lambda: load_config(env={"DATASTORE_TYPE": "kubernetes", **env}))
    assert message in str(err)
    assert err.source == "environment"


def test_config_file_numbers_past_pythons_digit_limit() -> None:
    err = config_error(lambda: load_config_from_bytes(HEAD + f"spec: {{k8sClientBurst: {'1' * 5000}}}\n", env={}))
    assert "k8sClientBurst of type int" in str(err)


# -- kubeconfigs and token files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"clusters: {DEEP}\n", "yaml: exceeded max depth of 100"),
        (BOMB, "yaml: document contains excessive aliasing"),
        ("clusters: [\n", "yaml: line 2: did not find expected node content"),
        ("a: \x07\n", "yaml: control characters are not allowed"),
    ],
)
def test_hostile_kubeconfig_is_a_config_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "kubeconfig"
    path.write_text(text)
    err = config_error(lambda: kube_connection(k8s_config(kubeconfig=str(path)), env={}), seconds=2.0)
    assert str(err) == f'error loading config file "{path}": {message}'


@DEV_ZERO
def test_kubeconfig_read_stops_at_the_cap() -> None:
    err = config_error(lambda: kube_connection(k8s_config(kubeconfig="/dev/zero"), env={}))
    assert str(err) == (
        f'error loading config file "/dev/zero": file too large (calicopy reads at most {MAX_CONFIG_BYTES} bytes of it)'
    )


def test_kubeconfig_reads_as_client_go_does() -> None:
    # sigs.k8s.io/yaml: go-yaml v2 scalars (timestamps stay text), repeated keys allowed (the last wins).
    text = (
        "clusters:\n- name: c\n  cluster: {server: 'https://old', server: 'https://k:6443'}\n"
        "users:\n- name: u\n  user: {token: 2024-01-02}\n"
        "contexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n"
    )
    kubeconfig = parse_kubeconfig(text, "inline", None)
    assert kubeconfig.clusters["c"]["server"] == "https://k:6443"
    assert kubeconfig.users["u"]["token"] == "2024-01-02"


def _kubeconfig_with_token_file(tmp_path: Path, token_file: str) -> Path:
    path = tmp_path / "kubeconfig"
    path.write_text(
        "clusters:\n- name: c\n  cluster: {server: 'https://k:6443'}\n"
        f"users:\n- name: u\n  user: {{tokenFile: '{token_file}'}}\n"
        "contexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n"
    )
    return path


@DEV_ZERO
def test_token_file_read_stops_at_the_cap(tmp_path: Path) -> None:
    path = _kubeconfig_with_token_file(tmp_path, "/dev/zero")
    err = config_error(lambda: kube_connection(k8s_config(kubeconfig=str(path)), env={}))
    assert str(err) == f"open /dev/zero: file too large (calicopy reads at most {MAX_TOKEN_BYTES} bytes of it)"
    err = config_error(lambda: read_token("/dev/zero"))
    assert "file too large" in str(err)


def test_token_file_that_is_not_text(tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_bytes(b"\xff\xfe token")
    path = _kubeconfig_with_token_file(tmp_path, str(token))
    err = config_error(lambda: kube_connection(k8s_config(kubeconfig=str(path)), env={}))
    assert str(err) == f"open {token}: the token is not UTF-8 text"
    assert "not UTF-8" in str(config_error(lambda: read_token(str(token))))


def test_in_cluster_token_read_stops_at_the_cap(tmp_path: Path) -> None:
    sa_dir = tmp_path / "sa"
    sa_dir.mkdir()
    with open(sa_dir / "token", "wb") as fh:
        fh.truncate(64 * MAX_TOKEN_BYTES)  # sparse: costs no disk
    env = {"KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"}
    err = config_error(lambda: kube_connection(k8s_config(), env=env, service_account_dir=sa_dir))
    assert "file too large" in str(err)


# -- client-side rate limits ---------------------------------------------------------------------------


@pytest.mark.parametrize("qps", [-5.0, 0.0, float("nan"), float("inf"), float("-inf")])
def test_a_qps_that_is_not_positive_turns_rate_limiting_off(qps: float) -> None:
    # client-go's RESTClientFor builds a token bucket only when qps > 0.
    limiter = RateLimiter.for_client(qps, 100)
    assert [limiter.reserve() for _ in range(1000)] == [0.0] * 1000
    assert limiter.try_acquire() and limiter.acquire() == 0.0
    assert RateLimiter.for_client(qps, -3).try_acquire()  # the burst does not matter then


def test_positive_qps_needs_a_positive_burst() -> None:
    with pytest.raises(ConfigError, match=r"qps 5 but burst -1"):
        RateLimiter.for_client(5.0, -1)
    limiter = RateLimiter.for_client(5.0, 2)
    assert (limiter.qps, limiter.burst) == (5.0, 2)


def test_negative_qps_from_the_environment_reaches_no_raw_error() -> None:
    cfg = load_config(env={"DATASTORE_TYPE": "kubernetes", "K8S_CLIENT_QPS": "-5", "K8S_API_ENDPOINT": "http://x:1"})
    connection = kube_connection(cfg, env={})
    assert connection.qps == -5.0
    with KubernetesBackend.from_connection(connection) as backend:
        assert backend._transport.limiter.reserve() == 0.0
    bad_burst = KubeConnection(server="http://x:1", qps=5.0, burst=-1)
    with pytest.raises(ConfigError):
        KubernetesBackend.from_connection(bad_burst)


# -- manifests -------------------------------------------------------------------------------------------


def test_manifest_integer_past_pythons_digit_limit() -> None:
    text = f"apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {{name: p}}\nspec: {{cidr: 10.0.0.0/16, blockSize: {'1' * 5000}}}\n"
    with pytest.raises(ManifestError) as info:
        calicopy.loads(text)
    assert info.value.field == "spec.blockSize"


# -- random and hostile bytes into every reader -------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "[", "]", "{", "}", ": ", "- ", ",", " ", "\n", "  ", "&a ", "*a", "<<: ", "!!int ", "!!binary ",
        "? ", "'", '"', "#", "1", "x", "yes", ".nan", ".inf", "~", "9" * 40, "\x00", "\x07", "é", "---\n",
        "apiVersion: projectcalico.org/v3\n", "kind: IPPool\n", "kind: CalicoAPIConfig\n", "metadata:\n",
        "spec:\n", "  cidr: 10.0.0.0/8\n", "  k8sClientQPS: ", "  blockSize: ", "clusters:\n", "users:\n",
        "- name: c\n", "  cluster: ", "  user: ", "contexts:\n", "current-context: c\n", "items:\n",
        "kind: IPPoolList\n", "kind: GlobalNetworkPolicy\n", "  selector: ", "all()", "has(a)",
    ]
)  # fmt: skip
_HOSTILE = st.one_of(st.lists(_PIECES, max_size=60).map("".join), st.text(max_size=300), st.binary(max_size=300))
_FUZZ = settings(max_examples=200, deadline=5000, suppress_health_check=[HealthCheck.too_slow])


def _only_calicopy_errors(fn: Callable[[], Any], allowed: type[CalicoError]) -> None:
    start = time.perf_counter()
    with contextlib.suppress(allowed):
        fn()
    assert time.perf_counter() - start < 3.0


@_FUZZ
@given(_HOSTILE)
def test_fuzz_config(data: str | bytes) -> None:
    _only_calicopy_errors(lambda: load_config_from_bytes(data, env={}), ConfigError)


@_FUZZ
@given(_HOSTILE)
def test_fuzz_kubeconfig(data: str | bytes) -> None:
    _only_calicopy_errors(lambda: parse_kubeconfig(data, "fuzz", None), ConfigError)
    if isinstance(data, str):
        _only_calicopy_errors(lambda: kube_connection(k8s_config(kubeconfigInline=data), env={}), ConfigError)


@_FUZZ
@given(_HOSTILE)
def test_fuzz_manifests(data: str | bytes) -> None:
    _only_calicopy_errors(lambda: calicopy.loads(data), ManifestError)
