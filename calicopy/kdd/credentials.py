"""A ``kubernetes.client.ApiClient`` for a :class:`~calicopy.kdd.kubeconfig.KubeConnection`.

The client is configured through the ``kubernetes`` package's public ``Configuration``: server,
TLS (CA, client certificate and key, server name, verification), the bearer token and, for a
token file, a refresh hook that re-reads it (projected service-account tokens rotate, and
client-go re-reads the file too).  urllib3 needs file paths, so inline certificate and key data
go to private temporary files that the returned cleanup function removes.

``kubernetes`` is imported only when a client is built: ``import calicopy.kdd`` stays cheap.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from typing import Any

from ..errors import ConfigError
from .kubeconfig import KubeConnection
from .requests import redact_url

__all__ = ["api_client", "read_token"]

_log = logging.getLogger(__name__)


class _PrivateFiles:
    """Files only this user can read, in one temporary directory created on first use."""

    def __init__(self) -> None:
        self._dir: str | None = None

    def write(self, name: str, data: bytes) -> str:
        if self._dir is None:
            self._dir = tempfile.mkdtemp(prefix="calicopy-kube-")
        path = os.path.join(self._dir, name)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return path

    def remove(self) -> None:
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)


def api_client(connection: KubeConnection) -> tuple[Any, Callable[[], None]]:
    """A ``kubernetes.client.ApiClient`` for ``connection`` with urllib3's retries switched off
    (calicopy's retry policy is the only one), and the function that removes its temporary files."""
    # Lazy: kubernetes is slow to import and only a live connection needs it.
    from kubernetes import client

    configuration = client.Configuration()
    configuration.host = connection.server.rstrip("/")
    configuration.retries = False
    configuration.client_go_retries = False
    configuration.verify_ssl = not connection.insecure_skip_tls_verify
    if connection.insecure_skip_tls_verify:
        # Said once per client built (one per Client), never per request.
        _log.warning(
            "TLS verification of %s is disabled (insecure-skip-tls-verify): the server's identity is not checked",
            redact_url(connection.server),
        )
    if connection.ca_file:
        configuration.ssl_ca_cert = connection.ca_file
    if connection.ca_data:
        configuration.ca_cert_data = connection.ca_data.decode("ascii", "replace")
    if connection.tls_server_name:
        configuration.tls_server_name = connection.tls_server_name
    files = _PrivateFiles()
    configuration.cert_file = connection.cert_file or (
        files.write("client.crt", connection.cert_data) if connection.cert_data else None
    )
    configuration.key_file = connection.key_file or (
        files.write("client.key", connection.key_data) if connection.key_data else None
    )
    if connection.bearer_token or connection.bearer_token_file:
        configuration.api_key_prefix["authorization"] = "Bearer"
        configuration.api_key["authorization"] = connection.bearer_token or read_token(connection.bearer_token_file)
        if connection.bearer_token_file and not connection.bearer_token:
            configuration.refresh_api_key_hook = _token_refresher(connection.bearer_token_file)  # type: ignore[assignment]
    return client.ApiClient(configuration), files.remove


def _token_refresher(token_file: str) -> Callable[[Any], None]:
    def refresh(configuration: Any) -> None:
        # A token file that cannot be read now keeps the last token (the server decides).
        with contextlib.suppress(OSError):
            configuration.api_key["authorization"] = read_token(token_file)

    return refresh


def read_token(path: str) -> str:
    """A bearer token file's content, stripped."""
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read().strip()
    except OSError as exc:
        raise ConfigError(f"cannot read the bearer token file {path}: {exc.strerror}") from None
