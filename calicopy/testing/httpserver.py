"""The HTTP layer of the fake API server: a threading HTTP/1.1 server (TLS handshakes in the
connection's thread) whose handler passes every request to a responder and writes its answer.
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .status import ApiError, status_object

__all__ = ["APIHTTPServer", "APIRequestHandler", "DropConnection", "Responder"]

#: Answers one request: ``(method, target, headers, body, handler)`` -> ``(code, payload)``, or
#: None when it streamed the response itself through the handler (a watch).
Responder = Callable[[str, str, Any, bytes, "APIRequestHandler"], "tuple[int, Any] | None"]


class DropConnection(Exception):
    """Raised by a responder: close the connection without answering (an injected fault)."""


class APIHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    ssl_context: ssl.SSLContext | None = None

    def __init__(self, address: tuple[str, int], respond: Responder, connections: set[Any]) -> None:
        self.respond = respond
        # Open connections, so that stopping the server can shut down its long-running watches.
        self.connections = connections
        super().__init__(address, APIRequestHandler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        # Runs in the connection's thread: the TLS handshake does not block the accept loop.
        if self.ssl_context is not None:
            try:
                request = self.ssl_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
        self.connections.add(request)
        try:
            super().finish_request(request, client_address)
        finally:
            self.connections.discard(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that go away mid-request are normal here; do not print tracebacks.
        pass


class APIRequestHandler(BaseHTTPRequestHandler):
    """One connection: reads each request, hands it to the server's responder, writes the answer
    (JSON, a Status for an :class:`ApiError`, or a chunked watch stream the responder drives)."""

    protocol_version = "HTTP/1.1"
    server_version = "calicopy-fake-kube"
    sys_version = ""
    server: APIHTTPServer

    def setup(self) -> None:
        super().setup()
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _send(
        self, code: int, body: bytes, content_type: str = "application/json", headers: Mapping[str, str] | None = None
    ) -> None:
        lines = [
            f"HTTP/1.1 {code} {self.responses.get(code, ('',))[0]}",
            f"Content-Type: {content_type}",
            f"Content-Length: {len(body)}",
        ]
        for key, value in (headers or {}).items():
            lines.append(f"{key}: {value}")
        if self.close_connection:
            lines.append("Connection: close")
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _dispatch(self, method: str) -> None:
        body = self._read_body()
        try:
            result = self.server.respond(method, self.path, self.headers, body, self)
        except DropConnection:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        except ApiError as exc:
            self._send(exc.code, json.dumps(exc.status).encode(), headers=exc.headers)
            return
        except Exception as exc:  # pragma: no cover - a bug in the fake: answer as the apiserver would
            status = status_object(500, "InternalError", f"Internal error occurred: {exc!r}")
            self._send(500, json.dumps(status).encode())
            return
        if result is None:  # already streamed (watch)
            return
        code, payload = result
        if isinstance(payload, bytes):
            self._send(code, payload, "text/plain; charset=utf-8")
        else:
            self._send(code, json.dumps(payload, separators=(",", ":")).encode())

    # -- watch streaming -------------------------------------------------------------------

    def start_stream(self) -> None:
        self.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
            b"Cache-Control: no-cache, private\r\n\r\n"
        )

    def write_chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def end_stream(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
