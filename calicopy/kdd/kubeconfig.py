"""Kubernetes connection settings from a ``CalicoAPIConfig``: kubeconfig files, contexts, overrides, in-cluster.

libcalico-go v3.32.1's ``lib/backend/k8s/client.go`` ``CreateKubernetesClientset`` with client-go's
``clientcmd`` loading rules (merging, contexts, overrides, ``rest.InClusterConfig``),
reimplemented without client-go and without importing ``kubernetes``: the result is a
:class:`KubeConnection`, which :func:`calicopy.kdd.credentials.http_client` turns into a client.
``docs/configuration.md`` describes the rules.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from .._go.url import redacted

# _go_errno_text is Go's syscall.Errno text; it moves to calicopy._go with the other Go helpers.
from ..config import DEFAULT_K8S_BURST, DEFAULT_K8S_QPS, CalicoAPIConfig, _go_errno_text
from ..errors import ConfigError
from .kubeconfig_files import Kubeconfig, load_kubeconfig_files, parse_kubeconfig, read_token_file

__all__ = ["SERVICE_ACCOUNT_DIR", "KubeConnection", "kube_connection"]

_log = logging.getLogger(__name__)

SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"
_EMPTY_CONFIG = (
    "invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable"
)


@dataclass(frozen=True, slots=True, repr=False)
class KubeConnection:
    """How to reach the Kubernetes API server; the bearer token, the client key and the password of
    a server URL (``https://user:pw@host``, redacted as Go's ``url.URL.Redacted``) stay out of ``repr()``."""

    server: str
    ca_file: str = ""
    ca_data: bytes = b""
    cert_file: str = ""
    cert_data: bytes = b""
    key_file: str = ""
    key_data: bytes = field(default=b"", repr=False)
    bearer_token: str = field(default="", repr=False)
    bearer_token_file: str = ""
    insecure_skip_tls_verify: bool = False
    tls_server_name: str = ""
    qps: float = DEFAULT_K8S_QPS
    burst: int = DEFAULT_K8S_BURST
    context: str = ""  # the kubeconfig context used ("" for in-cluster or override-only settings)
    in_cluster: bool = False

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}={redacted(self.server) if f.name == 'server' else getattr(self, f.name)!r}"
            for f in fields(self)
            if f.repr
        )
        return f"KubeConnection({shown})"


def kube_connection(
    config: CalicoAPIConfig,
    context: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
    service_account_dir: str | os.PathLike[str] = SERVICE_ACCOUNT_DIR,
) -> KubeConnection:
    """Resolve the Kubernetes API settings of ``config`` the way libcalico-go builds its client.

    * ``kubeconfigInline`` wins; it is used as it is (its current-context; no overrides, no
      in-cluster fallback), as libcalico-go does.
    * Otherwise ``kubeconfig`` (a path, or an ``os.pathsep``-separated list merged with client-go's
      "first definition wins" rule) is read, then the explicit settings override it: ``context``
      (or ``k8sCurrentContext``), ``k8sAPIEndpoint``, ``k8sCertFile``, ``k8sKeyFile``, ``k8sCAFile``,
      ``k8sAPIToken`` and ``k8sInsecureSkipTLSVerify``.
    * When that leaves no cluster at all, the in-cluster service account is used if
      ``KUBERNETES_SERVICE_HOST``/``KUBERNETES_SERVICE_PORT`` are set (in ``env``, default
      ``os.environ``) and ``<service_account_dir>/token`` exists.
    * QPS and burst come from ``k8sClientQPS``/``k8sClientBurst``, or 50/100 when 0.
    """
    environ: Mapping[str, str] = os.environ if env is None else env
    spec = config.spec
    qps = float(spec.k8s_client_qps) or DEFAULT_K8S_QPS
    burst = spec.k8s_client_burst or DEFAULT_K8S_BURST
    if spec.kubeconfig_inline:
        if context:
            _log.debug("kubeconfigInline is set: the context override is not applied (as in libcalico-go)")
        inline = parse_kubeconfig(spec.kubeconfig_inline, "kubeconfigInline", None)
        try:
            return _direct(inline, "", {}, {}, qps, burst)
        except _EmptyConfig:
            raise ConfigError(_EMPTY_CONFIG) from None

    merged = load_kubeconfig_files(spec.kubeconfig)
    cluster_overrides: dict[str, Any] = {}
    user_overrides: dict[str, Any] = {}
    if spec.k8s_api_endpoint:
        cluster_overrides["server"] = spec.k8s_api_endpoint
    if spec.k8s_ca_file:
        cluster_overrides["certificate-authority"] = spec.k8s_ca_file
    if spec.k8s_insecure_skip_tls_verify:
        cluster_overrides["insecure-skip-tls-verify"] = True
    if spec.k8s_cert_file:
        user_overrides["client-certificate"] = spec.k8s_cert_file
    if spec.k8s_key_file:
        user_overrides["client-key"] = spec.k8s_key_file
    if spec.k8s_api_token:
        user_overrides["token"] = spec.k8s_api_token
    context_override = context or spec.k8s_current_context
    try:
        return _direct(merged, context_override, cluster_overrides, user_overrides, qps, burst)
    except _EmptyConfig:
        pass
    host, port = environ.get("KUBERNETES_SERVICE_HOST", ""), environ.get("KUBERNETES_SERVICE_PORT", "")
    sa_dir = os.fspath(service_account_dir)
    token_file = os.path.join(sa_dir, "token")
    if not (host and port and os.path.isfile(token_file)):
        raise ConfigError(_EMPTY_CONFIG)
    return _in_cluster(host, port, sa_dir, cluster_overrides, user_overrides, qps, burst)


class _EmptyConfig(Exception):
    pass


def _direct(
    kc: Kubeconfig,
    context_override: str,
    cluster_overrides: Mapping[str, Any],
    user_overrides: Mapping[str, Any],
    qps: float,
    burst: int,
) -> KubeConnection:
    """client-go's DirectClientConfig.ClientConfig (the checks and merges calicopy needs)."""
    errors: list[str] = []
    context_name = context_override or kc.current_context
    ctx: Mapping[str, Any] = {}
    if context_name:
        if context_name in kc.contexts:
            ctx = kc.contexts[context_name]
        elif context_override:
            raise ConfigError(f'context "{context_name}" does not exist')
        else:
            errors.append(f"context was not found for specified context: {context_name}")
    cluster_name = str(ctx.get("cluster") or "")
    user_name = str(ctx.get("user") or "")
    cluster = dict(kc.clusters.get(cluster_name, {}))
    user = dict(kc.users.get(user_name, {}))

    cluster.update(cluster_overrides)
    if cluster_overrides.get("insecure-skip-tls-verify") or "certificate-authority" in cluster_overrides:
        cluster.pop("certificate-authority-data", None)
        if "certificate-authority" not in cluster_overrides:
            cluster.pop("certificate-authority", None)
    user.update(user_overrides)
    if "client-certificate" in user_overrides:
        user.pop("client-certificate-data", None)
    if "client-key" in user_overrides:
        user.pop("client-key-data", None)
    if "token" in user_overrides:
        user.pop("tokenFile", None)

    if not any(v not in (None, "", False) for v in cluster.values()):
        if not errors and _user_errors(user, user_name) == []:
            raise _EmptyConfig
        errors.append("cluster has no server defined")
    else:
        if not cluster.get("server"):
            errors.append(f'no server found for cluster "{cluster_name}"')
        ca_file = str(cluster.get("certificate-authority") or "")
        if cluster.get("insecure-skip-tls-verify") and (ca_file or cluster.get("certificate-authority-data")):
            errors.append("specifying a root certificates file with the insecure flag is not allowed")
        if ca_file:
            try:
                with open(ca_file, "rb"):
                    pass
            except OSError as exc:
                errors.append(
                    f"unable to read certificate-authority {ca_file} for {cluster_name} due to "
                    f"open {ca_file}: {_go_errno_text(exc)}"
                )
    errors.extend(_user_errors(user, user_name))
    if errors:
        raise ConfigError(
            "invalid configuration: " + (errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]")
        )

    token = str(user.get("token") or "")
    token_file = str(user.get("tokenFile") or "")
    if not token and token_file:
        try:
            token = read_token_file(token_file)
        except OSError as exc:
            raise ConfigError(f"open {token_file}: {_go_errno_text(exc)}") from None
    return KubeConnection(
        server=str(cluster.get("server") or ""),
        ca_file=str(cluster.get("certificate-authority") or ""),
        ca_data=cluster.get("certificate-authority-data") or b"",
        cert_file=str(user.get("client-certificate") or ""),
        cert_data=user.get("client-certificate-data") or b"",
        key_file=str(user.get("client-key") or ""),
        key_data=user.get("client-key-data") or b"",
        bearer_token=token,
        bearer_token_file=token_file,
        insecure_skip_tls_verify=bool(cluster.get("insecure-skip-tls-verify")),
        tls_server_name=str(cluster.get("tls-server-name") or ""),
        qps=qps,
        burst=burst,
        context=context_name,
    )


def _user_errors(user: Mapping[str, Any], name: str) -> list[str]:
    errors: list[str] = []
    for mechanism in ("exec", "auth-provider"):
        if user.get(mechanism):
            errors.append(f"user {name!r} uses {mechanism} credentials, which calicopy does not support")
    if user.get("username") or user.get("password"):
        errors.append(f"user {name!r} uses basic authentication, which calicopy does not support")
    has_cert = bool(user.get("client-certificate") or user.get("client-certificate-data"))
    has_key = bool(user.get("client-key") or user.get("client-key-data"))
    if has_cert and not has_key:
        errors.append(
            f"client-key-data or client-key must be specified for {name} to use the clientCert authentication method."
        )
    if has_key and not has_cert:
        errors.append(
            f"client-cert-data or client-cert must be specified for {name} to use the clientCert authentication method."
        )
    return errors


def _in_cluster(
    host: str,
    port: str,
    sa_dir: str,
    cluster_overrides: Mapping[str, Any],
    user_overrides: Mapping[str, Any],
    qps: float,
    burst: int,
) -> KubeConnection:
    """client-go's rest.InClusterConfig plus the overrides in-cluster configs accept (server, token, CA)."""
    token_file = os.path.join(sa_dir, "token")
    try:
        token = read_token_file(token_file)
    except OSError as exc:
        raise ConfigError(f"open {token_file}: {_go_errno_text(exc)}") from None
    ca_file = os.path.join(sa_dir, "ca.crt")
    if not os.path.isfile(ca_file):
        _log.error("Expected to load root CA config from %s, but it is missing", ca_file)
        ca_file = ""
    hostport = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    server = "https://" + hostport
    if cluster_overrides.get("server"):
        server = str(cluster_overrides["server"])
    if user_overrides.get("token"):
        token, token_file = str(user_overrides["token"]), ""
    if cluster_overrides.get("certificate-authority"):
        ca_file = str(cluster_overrides["certificate-authority"])
    _log.debug("Using in-cluster configuration")
    return KubeConnection(
        server=server,
        ca_file=ca_file,
        bearer_token=token,
        bearer_token_file=token_file,
        qps=qps,
        burst=burst,
        in_cluster=True,
    )
