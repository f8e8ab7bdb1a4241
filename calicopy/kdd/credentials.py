"""A ``kubernetes.client.ApiClient`` for a :class:`~calicopy.kdd.kubeconfig.KubeConnection`.

The client is configured through the ``kubernetes`` package's public ``Configuration``: server,
TLS (CA, client certificate and key, server name, verification), the bearer token and, for a
token file, a refresh hook that re-reads it (projected service-account tokens rotate, and
client-go re-reads the file too).

Inline client certificate and key data never stay on disk.  The ``ssl`` module reads a key only
from a path, once, into an ``SSLContext``; so the key is loaded here, once, into the context every
connection of the client uses.  On Linux the path is an anonymous in-memory file
(``memfd_create``), so the key is never written anywhere; elsewhere it is a private (0600)
temporary file removed as soon as the key is loaded.  Nothing is left to clean up, whether or
not the client is ever closed.

``kubernetes`` is imported only when a client is built: ``import calicopy.kdd`` stays cheap.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import ssl
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

from urllib3.util.ssl_ import create_urllib3_context

from .._go.url import redacted
from ..errors import ConfigError
from .kubeconfig import KubeConnection
from .kubeconfig_files import read_token_file

__all__ = ["api_client", "read_token"]

_log = logging.getLogger(__name__)


@contextlib.contextmanager
def _readable_paths(*blobs: bytes) -> Iterator[list[str]]:
    """Paths the ssl module can open for ``blobs``, valid only inside the ``with`` block."""
    if hasattr(os, "memfd_create"):
        fds = []
        try:
            for blob in blobs:
                fd = os.memfd_create("calicopy-credential", os.MFD_CLOEXEC)
                fds.append(fd)
                os.write(fd, blob)
            yield [f"/proc/self/fd/{fd}" for fd in fds]
        finally:
            for fd in fds:
                os.close(fd)
        return
    directory = tempfile.mkdtemp(prefix="calicopy-kube-")
    try:
        paths = []
        for index, blob in enumerate(blobs):
            path = os.path.join(directory, f"credential-{index}")
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            paths.append(path)
        yield paths
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _client_tls_context(connection: KubeConnection) -> ssl.SSLContext:
    """The context urllib3 would build for the pool, with the client certificate and key loaded."""
    verify = not connection.insecure_skip_tls_verify
    context = create_urllib3_context(cert_reqs=ssl.CERT_REQUIRED if verify else ssl.CERT_NONE)
    if verify and not (connection.ca_file or connection.ca_data):
        # urllib3 loads the system CAs only into contexts it builds itself.
        context.load_default_certs()
    cert = connection.cert_data
    key = connection.key_data
    try:
        if cert and key:
            with _readable_paths(cert, key) as (cert_path, key_path):
                context.load_cert_chain(cert_path, key_path)
        elif key:  # the certificate is a file of the user's; only the key was inline
            with _readable_paths(key) as (key_path,):
                context.load_cert_chain(connection.cert_file, key_path)
        else:
            with _readable_paths(cert) as (cert_path,):
                context.load_cert_chain(cert_path, connection.key_file)
    except (ssl.SSLError, OSError) as exc:
        reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or type(exc).__name__
        raise ConfigError(f"cannot load the client certificate and key: {reason}") from None
    return context


def api_client(connection: KubeConnection) -> Any:
    """A ``kubernetes.client.ApiClient`` for ``connection`` with urllib3's retries switched off
    (calicopy's retry policy is the only one)."""
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
            redacted(connection.server),
        )
    if connection.ca_file:
        configuration.ssl_ca_cert = connection.ca_file
    if connection.ca_data:
        configuration.ca_cert_data = connection.ca_data.decode("ascii", "replace")
    if connection.tls_server_name:
        configuration.tls_server_name = connection.tls_server_name
    inline = bool(connection.cert_data or connection.key_data)
    if not inline:
        configuration.cert_file = connection.cert_file or None
        configuration.key_file = connection.key_file or None
    if connection.bearer_token or connection.bearer_token_file:
        configuration.api_key_prefix["authorization"] = "Bearer"
        configuration.api_key["authorization"] = connection.bearer_token or read_token(connection.bearer_token_file)
        if connection.bearer_token_file and not connection.bearer_token:
            configuration.refresh_api_key_hook = _token_refresher(connection.bearer_token_file)  # type: ignore[assignment]
    tls_context = _client_tls_context(connection) if inline else None
    api = client.ApiClient(configuration)
    if tls_context is not None:
        # Every pool the manager makes gets this context (PoolManager.connection_pool_kw is
        # urllib3's documented per-pool settings); urllib3 still applies the CA and verification.
        api.rest_client.pool_manager.connection_pool_kw["ssl_context"] = tls_context
    return api


def _token_refresher(token_file: str) -> Callable[[Any], None]:
    def refresh(configuration: Any) -> None:
        # A token file that cannot be read now keeps the last token (the server decides).
        with contextlib.suppress(OSError):
            configuration.api_key["authorization"] = read_token(token_file)

    return refresh


def read_token(path: str) -> str:
    """A bearer token file's content, stripped."""
    try:
        return read_token_file(path).strip()
    except OSError as exc:
        raise ConfigError(f"cannot read the bearer token file {path}: {exc.strerror}") from None
