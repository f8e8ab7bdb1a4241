"""The HTTP client of the Kubernetes datastore for a :class:`~calicopy.kdd.kubeconfig.KubeConnection`.

:class:`KubeHTTP` is what talking to one API server takes, on ``urllib3`` alone: the server URL,
a connection pool with the connection's TLS (CA file or data, client certificate and key,
server name, verification) and the bearer token, re-read from a token file for every request
(projected service-account tokens rotate, and client-go re-reads the file too).  It does what
the ``kubernetes`` package's ``ApiClient`` did for calicopy (configuration, auth, pool) without
importing that package, whose import alone took longer than a whole ``calicopy get``.

Inline client certificate and key data never stay on disk.  The ``ssl`` module reads a key only
from a path, once, into an ``SSLContext``; so the key is loaded here, once, into the context every
connection of the client uses.  On Linux the path is an anonymous in-memory file
(``memfd_create``), so the key is never written anywhere; elsewhere it is a private (0600)
temporary file removed as soon as the key is loaded.  Nothing is left to clean up, whether or
not the client is ever closed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import ssl
import tempfile
from collections.abc import Iterator, Mapping
from typing import Any

import urllib3
from urllib3.util.ssl_ import create_urllib3_context

from .. import __version__
from .._go.url import redacted
from ..errors import ConfigError
from .kubeconfig import KubeConnection
from .kubeconfig_files import read_token_file

__all__ = ["USER_AGENT", "KubeHTTP", "http_client", "read_token"]

_log = logging.getLogger(__name__)

#: What every request says it is (the API server logs it, as client-go's default user agent).
USER_AGENT = f"calicopy/{__version__}"
# As many pooled connections per host as the kubernetes package kept (5 per CPU).
_POOL_SIZE = (os.cpu_count() or 1) * 5


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


class KubeHTTP:
    """One API server's URL, connection pool (TLS settings included) and request headers (auth).

    urllib3's own retries are off (calicopy's retry policy is the only one).  The token of a
    token file is read when the client is built (an unreadable file is a ``ConfigError``) and
    again before every request; a file that cannot be read then keeps the last token.
    """

    def __init__(self, connection: KubeConnection) -> None:
        self.host = connection.server.rstrip("/")
        verify = not connection.insecure_skip_tls_verify
        if not verify:
            # Said once per client built (one per Client), never per request.
            _log.warning(
                "TLS verification of %s is disabled (insecure-skip-tls-verify): the server's identity is not checked",
                redacted(connection.server),
            )
        inline = bool(connection.cert_data or connection.key_data)
        pool: dict[str, Any] = {
            "cert_reqs": ssl.CERT_REQUIRED if verify else ssl.CERT_NONE,
            "ca_certs": connection.ca_file or None,
            "cert_file": None if inline else connection.cert_file or None,
            "key_file": None if inline else connection.key_file or None,
            "ca_cert_data": connection.ca_data.decode("ascii", "replace") if connection.ca_data else None,
            "retries": False,
            "maxsize": _POOL_SIZE,
        }
        if connection.tls_server_name:
            pool["server_hostname"] = connection.tls_server_name
        if inline:
            # Every pool the manager makes gets this context; urllib3 still applies the CA and
            # the verification settings to it.
            pool["ssl_context"] = _client_tls_context(connection)
        self.pool_manager = urllib3.PoolManager(**pool)
        self._token = connection.bearer_token
        self._token_file = "" if connection.bearer_token else connection.bearer_token_file
        if self._token_file:
            self._token = read_token(self._token_file)

    def __repr__(self) -> str:
        return f"KubeHTTP(host={redacted(self.host)!r})"

    def prepare(self, method: str, target: str, headers: Mapping[str, str]) -> tuple[str, dict[str, str]]:
        """The URL of ``target`` (a path with its query) and the headers to send with ``headers``."""
        full = {**headers, "User-Agent": USER_AGENT}
        if self._token_file:
            with contextlib.suppress(ConfigError):
                self._token = read_token(self._token_file)
        if self._token:
            full["authorization"] = f"Bearer {self._token}"
        return self.host + target, full

    def close(self) -> None:
        self.pool_manager.clear()


def http_client(connection: KubeConnection) -> KubeHTTP:
    """The HTTP client for ``connection`` (a key that cannot be loaded is a ``ConfigError``)."""
    return KubeHTTP(connection)


def read_token(path: str) -> str:
    """A bearer token file's content, stripped."""
    try:
        return read_token_file(path).strip()
    except OSError as exc:
        raise ConfigError(f"cannot read the bearer token file {path}: {exc.strerror}") from None
