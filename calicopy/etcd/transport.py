"""The one module of the etcd datastore that does I/O: etcd's v3 JSON gateway over HTTP(S).

etcd serves its gRPC KV, watch and auth services as JSON on the client port (``/v3/kv/range``,
``/v3/kv/txn``, ``/v3/watch``, ``/v3/auth/authenticate``; keys and values base64).  calicopy talks
to it with ``urllib3`` (already a dependency through ``kubernetes``) rather than through a Python
etcd library: ``etcd3gw``, the maintained pure-Python gateway client networking-calico uses, ignores
the ``canceled``/``compact_revision`` answer of a compacted watch (its iterator then waits forever),
swallows watch-thread errors, has no username/password auth and one endpoint only; the gRPC
``etcd3`` package is unmaintained since 2020.  See ``docs/etcd.md``.

* Endpoints are tried in turn; a request that could not reach any is retried with backoff until
  ``retry_timeout`` seconds have passed (libcalico-go's 10 s dial timeout), so a restarting etcd
  is waited for.  A request whose answer was lost is repeated only if it reads, or if the
  connection was a pooled one the server had already closed (as Go's HTTP transport does).
* With a username and password the transport authenticates and sends the token; an expired
  token is renewed once per request.
* TLS: the server certificate is verified against the configured CA (else the system's roots)
  unless ``verify=False`` is passed explicitly; TLS 1.2 or later.
* Answers are dicts as etcd sends them; :class:`EtcdError` carries etcd's gRPC code and message.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import logging
import os
import queue
import ssl
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import urllib3

from ..backends.fastjson import loads
from .connection import EtcdConnection

__all__ = [
    "GRPC_OUT_OF_RANGE",
    "GRPC_UNAUTHENTICATED",
    "KV",
    "EtcdError",
    "EtcdTransport",
    "EtcdUnavailable",
    "WatchStream",
    "b64",
    "unb64",
]

_log = logging.getLogger(__name__)

#: gRPC status codes etcd answers with (``google.golang.org/grpc/codes``).
GRPC_OUT_OF_RANGE = 11  # "mvcc: required revision has been compacted" / "... is a future revision"
GRPC_PERMISSION_DENIED = 7
GRPC_UNAVAILABLE = 14
GRPC_UNAUTHENTICATED = 16
_AUTH_RETRY_MESSAGES = ("invalid auth token", "auth: invalid auth token")

JSON = dict[str, Any]


def b64(data: str | bytes) -> str:
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()


def unb64(data: str | None) -> bytes:
    return base64.b64decode(data) if data else b""


class EtcdError(Exception):
    """etcd answered with an error: ``code`` is its gRPC code, ``message`` its text, ``status`` the HTTP status."""

    def __init__(self, code: int, message: str, status: int) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class EtcdUnavailable(Exception):
    """No endpoint answered (``cause`` is the last connection failure); the text names no secret."""

    def __init__(self, message: str, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.cause = cause


@dataclass(frozen=True, slots=True)
class KV:
    """One key as etcd returns it (``mvccpb.KeyValue``)."""

    key: str
    value: bytes
    create_revision: int
    mod_revision: int
    version: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> KV:
        return cls(
            unb64(data.get("key")).decode(),
            unb64(data.get("value")),
            int(data.get("create_revision", 0)),
            int(data.get("mod_revision", 0)),
            int(data.get("version", 0)),
        )


def _ssl_context(connection: EtcdConnection) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=connection.ca_cert_file or None, cadata=connection.ca_cert or None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if connection.cert_file and connection.key_file:
        context.load_cert_chain(connection.cert_file, connection.key_file)
    elif connection.cert and connection.key:
        # ssl loads a client key only from a file: a private one, removed as soon as it is read.
        with tempfile.TemporaryDirectory(prefix="calicopy-etcd-") as directory:
            cert_path, key_path = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
            for path, text in ((cert_path, connection.cert), (key_path, connection.key)):
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "w") as handle:
                    handle.write(text)
            context.load_cert_chain(cert_path, key_path)
    if not connection.verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _stale_connection(exc: BaseException) -> bool:
    """A pooled connection the server closed before reading the request (safe to send again)."""
    reason = getattr(exc, "reason", None) or (exc.args[1] if len(getattr(exc, "args", ())) > 1 else None)
    return isinstance(reason, http.client.RemoteDisconnected | ConnectionResetError | BrokenPipeError)


_CONNECT_ERRORS = (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError)


class EtcdTransport:
    """JSON requests to etcd's gateway (see the module docstring).

    ``timeout``: seconds a request may take; ``retry_timeout``: how long to keep trying
    endpoints that cannot be reached; ``sleep``: what waits between tries (tests inject one).
    """

    def __init__(
        self,
        connection: EtcdConnection,
        *,
        timeout: float = 30.0,
        retry_timeout: float = 10.0,
        pool_size: int = 16,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not connection.endpoints:
            raise ValueError("no etcd endpoints specified")
        self.connection = connection
        self._endpoints = list(connection.endpoints)
        self._current = 0
        self._timeout = timeout
        self._retry_timeout = retry_timeout
        self._sleep = sleep
        self._token: str | None = None
        self._lock = threading.Lock()
        tls = any(e.startswith("https://") for e in self._endpoints)
        self._pool = urllib3.PoolManager(
            num_pools=max(4, len(self._endpoints)),
            maxsize=pool_size,
            retries=False,
            ssl_context=_ssl_context(connection) if tls else None,
        )

    def __repr__(self) -> str:
        return f"EtcdTransport(endpoints={self._endpoints!r})"

    @property
    def endpoint(self) -> str:
        return self._endpoints[self._current]

    # -- requests ------------------------------------------------------------------------------

    def call(self, path: str, body: Mapping[str, Any], *, idempotent: bool) -> JSON:
        """POST ``body`` to ``/v3/<path>`` and return the decoded answer (see the module docstring)."""
        renewed = False
        while True:
            try:
                return self._call_any_endpoint(path, body, idempotent=idempotent)
            except EtcdError as exc:
                if renewed or not self._token_expired(exc):
                    raise
                renewed = True
                with self._lock:
                    self._token = None

    def _token_expired(self, exc: EtcdError) -> bool:
        return self.connection.authenticates and (
            exc.code == GRPC_UNAUTHENTICATED or any(m in exc.message for m in _AUTH_RETRY_MESSAGES)
        )

    def _call_any_endpoint(self, path: str, body: Mapping[str, Any], *, idempotent: bool) -> JSON:
        deadline = time.monotonic() + self._retry_timeout
        attempt = 0
        last: BaseException | None = None
        while True:
            for _ in range(len(self._endpoints)):
                endpoint = self.endpoint
                try:
                    headers = self._headers(endpoint)
                    response = self._pool.request(
                        "POST",
                        f"{endpoint}/v3/{path}",
                        body=json.dumps(body).encode(),
                        headers=headers,
                        timeout=urllib3.Timeout(connect=min(self._timeout, 10.0), read=self._timeout),
                        retries=False,
                    )
                except _CONNECT_ERRORS as exc:
                    last = exc
                except (urllib3.exceptions.HTTPError, OSError) as exc:
                    last = exc
                    if not (idempotent or _stale_connection(exc)):
                        raise EtcdUnavailable(f"etcd request to {endpoint} failed: {_describe(exc)}", exc) from None
                else:
                    return _decode(response)
                _log.debug("etcd %s unreachable (%s)", endpoint, _describe(last))
                self._current = (self._current + 1) % len(self._endpoints)
            attempt += 1
            if time.monotonic() >= deadline:
                raise EtcdUnavailable(
                    f"etcd unreachable at {', '.join(self._endpoints)}: {_describe(last)}", last
                ) from None
            self._sleep(min(0.05 * 2 ** min(attempt, 5), 1.0))

    def _headers(self, endpoint: str) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if self.connection.authenticates:
            with self._lock:
                if self._token is None:
                    self._token = self._authenticate(endpoint)
                headers["Authorization"] = self._token
        return headers

    def _authenticate(self, endpoint: str) -> str:
        response = self._pool.request(
            "POST",
            f"{endpoint}/v3/auth/authenticate",
            body=json.dumps({"name": self.connection.username, "password": self.connection.password}).encode(),
            headers={"Content-Type": "application/json"},
            timeout=urllib3.Timeout(connect=min(self._timeout, 10.0), read=self._timeout),
            retries=False,
        )
        token = _decode(response).get("token")
        if not token:
            raise EtcdError(GRPC_UNAUTHENTICATED, "etcd returned no auth token", response.status)
        return str(token)

    # -- the KV service ---------------------------------------------------------------------------

    def range(
        self,
        key: str | bytes,
        range_end: bytes | None = None,
        *,
        revision: int = 0,
        limit: int = 0,
        keys_only: bool = False,
    ) -> JSON:
        body: dict[str, Any] = {"key": b64(key)}
        if range_end is not None:
            body["range_end"] = b64(range_end)
        if revision:
            body["revision"] = revision
        if limit:
            body["limit"] = limit
        if keys_only:
            body["keys_only"] = True
        return self.call("kv/range", body, idempotent=True)

    def txn(self, compare: list[JSON], success: list[JSON], failure: list[JSON] | None = None) -> JSON:
        body: JSON = {"compare": compare, "success": success}
        if failure:
            body["failure"] = failure
        reads_only = all("request_range" in op for op in success + (failure or []))
        return self.call("kv/txn", body, idempotent=reads_only)

    def put(self, key: str, value: str | bytes) -> JSON:
        return self.call("kv/put", {"key": b64(key), "value": b64(value)}, idempotent=False)

    def delete_range(self, key: str, range_end: bytes | None = None) -> JSON:
        body: dict[str, Any] = {"key": b64(key)}
        if range_end is not None:
            body["range_end"] = b64(range_end)
        return self.call("kv/deleterange", body, idempotent=False)

    def compact(self, revision: int, *, physical: bool = True) -> JSON:
        return self.call("kv/compaction", {"revision": revision, "physical": physical}, idempotent=True)

    def watch(self, key: str, range_end: bytes | None, start_revision: int) -> WatchStream:
        """A watch of ``key``..``range_end`` from ``start_revision`` with previous values."""
        try:
            return self._watch(key, range_end, start_revision)
        except EtcdError as exc:
            if not self._token_expired(exc):
                raise
            with self._lock:
                self._token = None
            return self._watch(key, range_end, start_revision)

    def _watch(self, key: str, range_end: bytes | None, start_revision: int) -> WatchStream:
        create: dict[str, Any] = {"key": b64(key), "prev_kv": True, "start_revision": start_revision}
        if range_end is not None:
            create["range_end"] = b64(range_end)
        last: BaseException | None = None
        for _ in range(len(self._endpoints)):
            endpoint = self.endpoint
            try:
                response = self._pool.request(
                    "POST",
                    f"{endpoint}/v3/watch",
                    body=json.dumps({"create_request": create}).encode(),
                    headers=self._headers(endpoint),
                    timeout=urllib3.Timeout(connect=min(self._timeout, 10.0), read=None),
                    retries=False,
                    preload_content=False,
                )
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                last = exc
                self._current = (self._current + 1) % len(self._endpoints)
                continue
            if response.status != 200:
                _decode(response)
            return WatchStream(response)
        raise EtcdUnavailable(f"etcd unreachable at {', '.join(self._endpoints)}: {_describe(last)}", last)

    def close(self) -> None:
        self._pool.clear()


def _describe(exc: BaseException | None) -> str:
    if exc is None:
        return "no endpoint"
    reason = getattr(exc, "reason", None)
    return str(reason or exc)


def _decode(response: Any) -> JSON:
    data = response.data if hasattr(response, "data") else b""
    try:
        decoded = loads(data) if data else {}
    except ValueError:
        decoded = {}
    if response.status != 200 or ("error" in decoded and "code" in decoded):
        message = str(decoded.get("message") or decoded.get("error") or data[:200].decode(errors="replace"))
        raise EtcdError(int(decoded.get("code", 0) or 0), message, response.status)
    if not isinstance(decoded, dict):
        raise EtcdError(0, "etcd answered with something that is not a JSON object", response.status)
    return decoded


_CLOSED = object()


class WatchStream:
    """The answers of one watch, read on a thread so that :meth:`next` can wait with any timeout."""

    def __init__(self, response: Any) -> None:
        self._response = response
        self._queue: queue.Queue[Any] = queue.Queue()
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._read, name="calicopy-etcd-watch", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        buffer = b""
        try:
            for chunk in self._response.stream(None, decode_content=True):
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    if line.strip():
                        self._queue.put(loads(line))
            if buffer.strip():
                self._queue.put(loads(buffer))
            self._queue.put(EtcdUnavailable("etcd closed the watch stream"))
        except Exception as exc:
            if not self._closed.is_set():
                self._queue.put(EtcdUnavailable(f"etcd watch stream failed: {_describe(exc)}", exc))
        finally:
            self._queue.put(_CLOSED)

    def next(self, timeout: float | None) -> JSON | None:
        """The next answer (``result``), None after ``timeout`` seconds without one.

        A dropped stream raises :class:`EtcdUnavailable`; an error answer :class:`EtcdError`.
        """
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
        if item is _CLOSED:
            self._queue.put(_CLOSED)
            raise EtcdUnavailable("etcd closed the watch stream")
        if isinstance(item, Exception):
            raise item
        if "error" in item and "result" not in item:
            error = item["error"]
            raise EtcdError(int(error.get("grpc_code", error.get("code", 0)) or 0), str(error.get("message")), 200)
        result = item.get("result", {})
        assert isinstance(result, dict)
        return result

    def close(self) -> None:
        self._closed.set()
        with contextlib.suppress(Exception):
            sock = self._response._connection.sock if self._response._connection else None
            if sock is not None:
                sock.shutdown(2)
        with contextlib.suppress(Exception):
            self._response.release_conn()
        with contextlib.suppress(Exception):
            self._response.close()
