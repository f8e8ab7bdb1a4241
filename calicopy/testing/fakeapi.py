"""``FakeKubeAPIServer``: a real HTTP server speaking the Kubernetes REST API for Calico's CRDs.

It serves discovery, CRUD, patch, list (selectors, pagination, resource versions) and watch for
every Calico custom resource of :data:`calicopy.resources.registry.KINDS` (in
``crd.projectcalico.org/v1``, native ``projectcalico.org/v3``, or both) and for core v1
Namespaces, Nodes, Pods, ServiceAccounts and networking.k8s.io/v1 NetworkPolicies, on
127.0.0.1 with an ephemeral port, optionally over TLS with bearer-token authentication.
Objects live in a :class:`calicopy._store.Store`.  Faults can be injected
(:attr:`FakeKubeAPIServer.faults`).  See ``docs/testing.md`` for what differs from a real server.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from calicopy._store import Store, clone, clone_dict, parse_field_selector, parse_label_selector
from calicopy.errors import (
    DatastoreError,
    InvalidRequest,
    ResourceAlreadyExists,
    ResourceConflict,
    ResourceExpired,
    ResourceNotFound,
)
from calicopy.resources.registry import KINDS

from . import schema as _schema

__all__ = [
    "GROUP_V1",
    "GROUP_V3",
    "ApiError",
    "FakeKubeAPIServer",
    "Fault",
    "FaultInjector",
    "ResourceType",
    "generate_certificates",
]

GROUP_V1 = "crd.projectcalico.org/v1"
GROUP_V3 = "projectcalico.org/v3"
KUBE_VERSION = {"major": "1", "minor": "32", "gitVersion": "v1.32.0"}

# Status subresources in Calico v3.32.1's CRDs (shared/reference/calico-storage.md §2.3, §2.14).
_STATUS_SUBRESOURCE = {
    GROUP_V1: frozenset({"KubeControllersConfiguration"}),
    GROUP_V3: frozenset({"IPPool", "KubeControllersConfiguration", "Tier"}),
}
# Short names of the native v3 CRDs (the v1 CRDs define none).
_V3_SHORT_NAMES = {
    "bgpconfigurations": ("bgpconfig", "bgpconfigs"),
    "blockaffinities": ("affinity", "affinities"),
    "clusterinformations": ("clusterinfo", "clusterinfos"),
    "globalnetworkpolicies": ("gnp", "cgnp"),
    "globalnetworksets": ("gns",),
    "hostendpoints": ("hep", "heps"),
    "ipamconfigurations": ("ipamconfig", "ipamconfigs"),
    "kubecontrollersconfigurations": ("kcc", "kccs"),
    "networkpolicies": ("cnp", "caliconetworkpolicy"),
    "stagedglobalnetworkpolicies": ("sgnp",),
    "stagedkubernetesnetworkpolicies": ("sknp",),
    "stagednetworkpolicies": ("scnp", "snp"),
}
_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_GENERATE_CHARS = "bcdfghjklmnpqrstvwxz2456789"
_UNSUPPORTED_PATCH = (
    "the body of the request was in an unknown format - accepted media types include: "
    "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
)


@dataclass(frozen=True, slots=True)
class ResourceType:
    """One served resource: its group/version, names, scope and (custom resources) schema."""

    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool
    custom: bool
    schema: _schema.Schema | None = None
    status_subresource: bool = False
    short_names: tuple[str, ...] = ()

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def qualified(self) -> str:
        """``plural.group`` (``pods`` in the core group): the store key and the name in error messages."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def qualified_kind(self) -> str:
        return f"{self.kind}.{self.group}" if self.group else self.kind

    @property
    def list_kind(self) -> str:
        return self.kind + "List"

    def discovery(self) -> list[dict[str, Any]]:
        entry: dict[str, Any] = {
            "name": self.plural,
            "singularName": self.kind.lower(),
            "namespaced": self.namespaced,
            "kind": self.kind,
            "verbs": list(_VERBS),
        }
        if self.short_names:
            entry["shortNames"] = list(self.short_names)
        out = [entry]
        if self.status_subresource or not self.custom:
            out.append(
                {
                    "name": f"{self.plural}/status",
                    "singularName": "",
                    "namespaced": self.namespaced,
                    "kind": self.kind,
                    "verbs": ["get", "patch", "update"],
                }
            )
        return out


def calico_resource_types(group_version: str) -> list[ResourceType]:
    """The Calico custom resources of ``crd.projectcalico.org/v1`` or ``projectcalico.org/v3``."""
    if group_version not in (GROUP_V1, GROUP_V3):
        raise ValueError(f"unknown Calico API group {group_version!r} (use {GROUP_V1!r} or {GROUP_V3!r})")
    group, _, version = group_version.partition("/")
    out = []
    for info in KINDS.values():
        if info.storage != "crd":
            continue
        if group_version == GROUP_V1:
            if info.v1_kind is None or info.v1_plural is None:
                continue
            kind, plural, shorts = info.v1_kind, info.v1_plural, tuple[str, ...]()
        else:
            kind, plural, shorts = info.kind, info.plural, _V3_SHORT_NAMES.get(info.plural, ())
        out.append(
            ResourceType(
                group=group,
                version=version,
                plural=plural,
                kind=kind,
                namespaced=info.namespaced,
                custom=True,
                schema=_schema.kind_schema(info, group_version),
                status_subresource=info.kind in _STATUS_SUBRESOURCE[group_version],
                short_names=shorts,
            )
        )
    return out


CORE_TYPES = (
    ResourceType("", "v1", "namespaces", "Namespace", False, False, short_names=("ns",)),
    ResourceType("", "v1", "nodes", "Node", False, False, short_names=("no",)),
    ResourceType("", "v1", "pods", "Pod", True, False, short_names=("po",)),
    ResourceType("", "v1", "serviceaccounts", "ServiceAccount", True, False, short_names=("sa",)),
    ResourceType("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", True, False, short_names=("netpol",)),
)


# -- errors as Status objects -----------------------------------------------------------------


class ApiError(Exception):
    """An error response: ``status`` is the Kubernetes ``Status`` body."""

    def __init__(self, status: dict[str, Any], headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status.get("message", ""))
        self.status = status
        self.code = int(status["code"])
        self.headers = dict(headers or {})


def status_object(
    code: int,
    reason: str,
    message: str,
    *,
    name: str = "",
    group: str = "",
    kind: str = "",
    causes: Sequence[Mapping[str, str]] = (),
    retry_after: int | None = None,
) -> dict[str, Any]:
    """A ``Status`` (kind Status, apiVersion v1, status Failure) as the apiserver writes it."""
    details: dict[str, Any] = {}
    if name:
        details["name"] = name
    if group:
        details["group"] = group
    if kind:
        details["kind"] = kind
    if causes:
        details["causes"] = [dict(c) for c in causes]
    if retry_after is not None:
        details["retryAfterSeconds"] = retry_after
    body: dict[str, Any] = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
    }
    if details or code in (404,):
        body["details"] = details
    body["code"] = code
    return body


_REASONS = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    410: "Expired",
    415: "UnsupportedMediaType",
    422: "Invalid",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
    504: "Timeout",
}


def _error(code: int, message: str, reason: str | None = None) -> ApiError:
    return ApiError(status_object(code, reason or _REASONS.get(code, "Unknown"), message))


def _from_store(exc: DatastoreError, rt: ResourceType, name: str = "") -> ApiError:
    """The Status the apiserver answers for a store failure: its code, reason and text, with the
    details the apiserver fills in for that reason (the object's resource or kind, the causes)."""
    code, reason, message = exc.code or 500, exc.reason or "InternalError", exc.server_message
    name = exc.name or name
    if isinstance(exc, (ResourceNotFound, ResourceAlreadyExists, ResourceConflict)):
        return ApiError(status_object(code, reason, message, name=name, group=rt.group, kind=rt.plural))
    if code == 422:
        return ApiError(
            status_object(code, reason, message, name=name, group=rt.group, kind=rt.kind, causes=exc.causes)
        )
    return ApiError(status_object(code, reason, message))


def _invalid(rt: ResourceType, name: str, errors: Sequence[_schema.FieldError]) -> ApiError:
    text = str(errors[0]) if len(errors) == 1 else "[" + ", ".join(str(e) for e in errors) + "]"
    return ApiError(
        status_object(
            422,
            "Invalid",
            f'{rt.qualified_kind} "{name}" is invalid: {text}',
            name=name,
            group=rt.group,
            kind=rt.kind,
            causes=[e.cause() for e in errors],
        )
    )


# -- fault injection --------------------------------------------------------------------------

FaultAction = Literal["status", "delay", "drop", "end_watch"]


@dataclass(slots=True)
class Fault:
    """One injected fault; ``times`` left (None: forever), ``hits`` so far."""

    action: FaultAction
    method: str | None = None
    path: re.Pattern[str] | None = None
    times: int | None = 1
    status: int = 500
    message: str = ""
    retry_after: int | None = None
    seconds: float = 0.0
    after_events: int = 0
    hits: int = 0

    def matches(self, method: str, target: str) -> bool:
        if self.method is not None and self.method.upper() != method:
            return False
        return self.path is None or self.path.search(target) is not None


@dataclass
class FaultInjector:
    """Make matching requests fail.  ``path`` is a regex searched in the request target (path and
    query string, e.g. ``r"/ippools"`` or ``r"watch=(1|true)"``); ``method`` an HTTP method."""

    _faults: list[Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def fail(
        self,
        status: int = 500,
        *,
        method: str | None = None,
        path: str | None = None,
        times: int | None = 1,
        message: str = "",
        retry_after: int | None = None,
    ) -> Fault:
        """The next ``times`` matching requests get ``status`` (a Status body; ``Retry-After`` when given)."""
        return self._add(
            Fault("status", method, _compile(path), times, status=status, message=message, retry_after=retry_after)
        )

    def delay(
        self, seconds: float, *, method: str | None = None, path: str | None = None, times: int | None = None
    ) -> Fault:
        """Add ``seconds`` of latency to matching requests (then serve them normally)."""
        return self._add(Fault("delay", method, _compile(path), times, seconds=seconds))

    def drop(self, *, method: str | None = None, path: str | None = None, times: int | None = 1) -> Fault:
        """Close the connection of matching requests without answering."""
        return self._add(Fault("drop", method, _compile(path), times))

    def end_watch(self, *, after_events: int = 0, path: str | None = None, times: int | None = 1) -> Fault:
        """End matching watch streams (cleanly, as at a server timeout) after ``after_events`` events."""
        return self._add(Fault("end_watch", "GET", _compile(path), times, after_events=after_events))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def active(self) -> list[Fault]:
        with self._lock:
            return [f for f in self._faults if f.times is None or f.times > 0]

    def take(self, method: str, target: str, *, watch: bool) -> list[Fault]:
        """The faults that apply to one request (their counters are consumed)."""
        out: list[Fault] = []
        with self._lock:
            for fault in self._faults:
                if fault.times is not None and fault.times <= 0:
                    continue
                if fault.action == "end_watch" and not watch:
                    continue
                if not fault.matches(method, target):
                    continue
                if fault.times is not None:
                    fault.times -= 1
                fault.hits += 1
                out.append(fault)
                if fault.action in ("status", "drop"):
                    break
        return out


def _compile(path: str | None) -> re.Pattern[str] | None:
    return re.compile(path) if path is not None else None


# -- JSON patch / merge patch -----------------------------------------------------------------


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return clone(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise _error(
            422,
            f'the server rejected our request due to an error in our request: invalid JSON pointer "{path}"',
            "Invalid",
        )
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _resolve(doc: Any, parts: list[str], path: str) -> tuple[Any, str]:
    for part in parts[:-1]:
        if isinstance(doc, dict) and part in doc:
            doc = doc[part]
        elif isinstance(doc, list) and part.isdigit() and int(part) < len(doc):
            doc = doc[int(part)]
        else:
            raise _error(
                422,
                f'the server rejected our request due to an error in our request: doc is missing path: "{path}"',
                "Invalid",
            )
    return doc, parts[-1]


def json_patch(doc: Any, ops: Any) -> Any:
    """RFC 6902 JSON patch (add, remove, replace, move, copy, test)."""
    if not isinstance(ops, list):
        raise _error(400, "json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    doc = clone(doc)

    def get(path: str) -> Any:
        parts = _pointer(path)
        if not parts:
            return doc
        parent, last = _resolve(doc, parts, path)
        if isinstance(parent, dict) and last in parent:
            return parent[last]
        if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
            return parent[int(last)]
        raise _error(
            422,
            f'the server rejected our request due to an error in our request: doc is missing key: "{path}"',
            "Invalid",
        )

    def add(path: str, value: Any) -> None:
        nonlocal doc
        parts = _pointer(path)
        if not parts:
            doc = value
            return
        parent, last = _resolve(doc, parts, path)
        if isinstance(parent, dict):
            parent[last] = value
        elif isinstance(parent, list):
            if last == "-":
                parent.append(value)
            elif last.isdigit() and int(last) <= len(parent):
                parent.insert(int(last), value)
            else:
                raise _error(
                    422,
                    f'the server rejected our request due to an error in our request: invalid index in "{path}"',
                    "Invalid",
                )
        else:
            raise _error(
                422,
                f'the server rejected our request due to an error in our request: doc is missing path: "{path}"',
                "Invalid",
            )

    def remove(path: str) -> Any:
        parts = _pointer(path)
        parent, last = _resolve(doc, parts, path)
        if isinstance(parent, dict) and last in parent:
            return parent.pop(last)
        if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
            return parent.pop(int(last))
        raise _error(
            422,
            f"the server rejected our request due to an error in our request: Unable to remove nonexistent key: {last}: missing value",
            "Invalid",
        )

    for op in ops:
        if not isinstance(op, dict) or "op" not in op or "path" not in op:
            raise _error(400, "invalid JSON patch operation")
        kind, path = op["op"], op["path"]
        if kind == "add":
            add(path, clone(op.get("value")))
        elif kind == "remove":
            remove(path)
        elif kind == "replace":
            get(path)
            remove(path) if _pointer(path) else None
            add(path, clone(op.get("value")))
        elif kind == "move":
            value = remove(op["from"])
            add(path, value)
        elif kind == "copy":
            add(path, clone(get(op["from"])))
        elif kind == "test":
            if get(path) != op.get("value"):
                raise _error(
                    422,
                    f"the server rejected our request due to an error in our request: testing value {path} failed: test failed",
                    "Invalid",
                )
        else:
            raise _error(400, f"Unexpected kind: {kind}")
    return doc


# -- TLS --------------------------------------------------------------------------------------


def generate_certificates(
    directory: Path, *, method: Literal["auto", "cryptography", "openssl"] = "auto"
) -> tuple[Path, Path, Path]:
    """Write a self-signed CA and a server certificate for 127.0.0.1/localhost into ``directory``.

    Returns (ca.crt, server.crt, server.key).  Uses the ``cryptography`` package when it is
    installed, else the ``openssl`` command; raises RuntimeError when neither is available."""
    directory.mkdir(parents=True, exist_ok=True)
    if method in ("auto", "cryptography"):
        try:
            return _certs_cryptography(directory)
        except ImportError:
            if method == "cryptography":
                raise RuntimeError("the cryptography package is not installed") from None
    if shutil.which("openssl") is None:
        raise RuntimeError("TLS is unavailable: neither the cryptography package nor the openssl command is installed")
    return _certs_openssl(directory)


def _certs_cryptography(directory: Path) -> tuple[Path, Path, Path]:
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "calicopy-fake-kube-ca")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_path, cert_path, key_path = directory / "ca.crt", directory / "server.crt", directory / "server.key"
    ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return ca_path, cert_path, key_path


def _certs_openssl(directory: Path) -> tuple[Path, Path, Path]:
    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)

    ext = directory / "server.ext"
    ext.write_text(
        "basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n"
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nauthorityKeyIdentifier=keyid\n"
    )
    ca_ext = directory / "ca.ext"
    ca_ext.write_text(
        "[v3_ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\n"
        "subjectKeyIdentifier=hash\n"
    )
    curve = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    run("req", "-x509", *curve, "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
        "-subj", "/CN=calicopy-fake-kube-ca", "-config", str(ca_ext), "-extensions", "v3_ca")  # fmt: skip
    run("req", *curve, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.crt", "-days", "2", "-extfile", str(ext))  # fmt: skip
    return directory / "ca.crt", directory / "server.crt", directory / "server.key"


# -- the HTTP layer ---------------------------------------------------------------------------


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    owner: FakeKubeAPIServer
    ssl_context: ssl.SSLContext | None = None

    def finish_request(self, request: Any, client_address: Any) -> None:
        # Runs in the connection's thread: the TLS handshake does not block the accept loop.
        if self.ssl_context is not None:
            try:
                request = self.ssl_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
        self.owner._connections.add(request)
        try:
            super().finish_request(request, client_address)
        finally:
            self.owner._connections.discard(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that go away mid-request are normal here; do not print tracebacks.
        pass


class _DropConnection(Exception):
    pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "calicopy-fake-kube"
    sys_version = ""
    server: _HTTPServer

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
        owner = self.server.owner
        body = self._read_body()
        target = self.path
        owner._record(method, target)
        try:
            result = owner._handle(method, target, self.headers, body, self)
        except _DropConnection:
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


def _q(query: Mapping[str, list[str]], key: str) -> str | None:
    values = query.get(key)
    return values[0] if values else None


def _truthy(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "t", "yes")


class FakeKubeAPIServer:
    """A Kubernetes API server for Calico's CRDs, in this process (see the module docstring).

    ``groups``: the Calico API groups served: ``"crd.projectcalico.org/v1"``,
    ``"projectcalico.org/v3"`` or both.  ``tls``: serve HTTPS with a generated CA
    (:attr:`ca_path`).  ``token``: require ``Authorization: Bearer <token>``.
    ``window``: revisions of history kept (watch / exact list / continue).  ``bookmark_interval``:
    seconds between BOOKMARK events of watches that allow them.  ``store``: share a store.

    Use as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    def __init__(
        self,
        groups: Iterable[str] | str = (GROUP_V1,),
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: bool = False,
        token: str | None = None,
        store: Store | None = None,
        window: int = 10_000,
        bookmark_interval: float = 5.0,
        create_default_namespaces: bool = True,
    ) -> None:
        self.groups = (groups,) if isinstance(groups, str) else tuple(groups)
        self.host = host
        self.requested_port = port
        self.tls = tls
        self.token = token
        self.store = store if store is not None else Store(window=window)
        self.bookmark_interval = bookmark_interval
        self.faults = FaultInjector()
        self.requests: deque[tuple[str, str]] = deque(maxlen=10_000)
        self._create_default_namespaces = create_default_namespaces
        self._types: dict[tuple[str, str], dict[str, ResourceType]] = {}
        for rt in [*CORE_TYPES, *(t for g in self.groups for t in calico_resource_types(g))]:
            self._types.setdefault((rt.group, rt.version), {})[rt.plural] = rt
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._connections: set[Any] = set()
        self._tmpdir: Path | None = None
        self.ca_path: Path | None = None
        self.kubeconfig_path: Path | None = None

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> FakeKubeAPIServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        self._tmpdir = Path(tempfile.mkdtemp(prefix="calicopy-fake-kube-"))
        httpd = _HTTPServer((self.host, self.requested_port), _Handler)
        httpd.owner = self
        if self.tls:
            ca, cert, key = generate_certificates(self._tmpdir)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)
            httpd.ssl_context = context
            self.ca_path = ca
        self._httpd = httpd
        if self._create_default_namespaces:
            for ns in ("default", "kube-system", "kube-public", "kube-node-lease"):
                with contextlib.suppress(ApiError):
                    self.add({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        self.kubeconfig_path = self._tmpdir / "kubeconfig"
        self.kubeconfig_path.write_text(json.dumps(self.kubeconfig(), indent=2))
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True, name="fake-kube"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        for conn in list(self._connections):
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def __enter__(self) -> FakeKubeAPIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the server is not running")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    def kubeconfig(self) -> dict[str, Any]:
        """A kubeconfig (as a dict) pointing at this server."""
        cluster: dict[str, Any] = {"server": self.url}
        if self.ca_path is not None:
            cluster["certificate-authority"] = str(self.ca_path)
        user: dict[str, Any] = {"token": self.token} if self.token else {}
        return {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "fake", "cluster": cluster}],
            "users": [{"name": "fake", "user": user}],
            "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "fake"}}],
            "current-context": "fake",
        }

    def api_client(self) -> Any:
        """A ``kubernetes.client.ApiClient`` configured for this server (imports ``kubernetes``)."""
        from kubernetes import client, config

        configuration = client.Configuration()
        config.load_kube_config(  # type: ignore[no-untyped-call]
            config_file=str(self.kubeconfig_path), client_configuration=configuration
        )
        return client.ApiClient(configuration)

    # -- assertions and seeding -------------------------------------------------------------

    def resource_types(self) -> list[ResourceType]:
        return [rt for types in self._types.values() for rt in types.values()]

    def resource_type(self, name: str, group: str | None = None) -> ResourceType:
        """A served type by plural, kind or short name (case-insensitive); ``group`` narrows it down."""
        word = name.lower()
        found = [
            rt
            for rt in self.resource_types()
            if word in (rt.plural, rt.kind.lower(), *rt.short_names)
            and (group is None or group in (rt.group, rt.api_version))
        ]
        if not found:
            raise KeyError(f"no served resource {name!r}" + (f" in {group!r}" if group else ""))
        if len(found) > 1:
            custom = [rt for rt in found if rt.custom] if group is None else found
            if len(custom) != 1:
                raise KeyError(f"{name!r} is ambiguous: pass group= ({', '.join(rt.api_version for rt in found)})")
            found = custom
        return found[0]

    def objects(
        self, name: str, *, group: str | None = None, namespace: str | None = None, label_selector: str | None = None
    ) -> list[dict[str, Any]]:
        """The stored objects of a resource (plural, kind or short name), as the server returns them."""
        rt = self.resource_type(name, group)
        return self.store.list(rt.qualified, namespace, label_selector=label_selector).items

    def add(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        """Create ``obj`` (with apiVersion and kind) through the server's create pipeline; returns it as stored."""
        api_version, kind = obj.get("apiVersion", ""), obj.get("kind", "")
        group, _, version = str(api_version).rpartition("/")
        types = self._types.get((group, version), {})
        rt = next((t for t in types.values() if t.kind == kind), None)
        if rt is None:
            raise KeyError(f"{api_version} {kind} is not served")
        namespace = (obj.get("metadata") or {}).get("namespace") or ("default" if rt.namespaced else "")
        return self._create(rt, namespace, clone_dict(obj), dry_run=False)

    def _record(self, method: str, target: str) -> None:
        self.requests.append((method, target))

    # -- request handling -------------------------------------------------------------------

    def _handle(self, method: str, target: str, headers: Any, body: bytes, handler: _Handler) -> tuple[int, Any] | None:
        if self.token is not None and headers.get("Authorization", "") != f"Bearer {self.token}":
            raise _error(401, "Unauthorized")
        split = urlsplit(target)
        path = split.path.rstrip("/") or "/"
        query = parse_qs(split.query, keep_blank_values=True)
        watch = _truthy(_q(query, "watch")) or "/watch/" in path
        end_watch_after: int | None = None
        for fault in self.faults.take(method, target, watch=watch):
            if fault.action == "delay":
                time.sleep(fault.seconds)
            elif fault.action == "drop":
                raise _DropConnection
            elif fault.action == "end_watch":
                end_watch_after = fault.after_events
            else:
                code = fault.status
                reason = _REASONS.get(code, "InternalError")
                message = fault.message or {
                    429: "Too many requests, please try again later.",
                    503: "the server is currently unable to handle the request",
                    504: "the server was unable to return a response in the time allotted, but may still be processing the request",
                }.get(code, "Internal error occurred: injected fault")
                extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
                raise ApiError(status_object(code, reason, message, retry_after=fault.retry_after), extra)
        if path in ("/healthz", "/readyz", "/livez"):
            return 200, b"ok"
        if path == "/version":
            return 200, {**KUBE_VERSION, "gitCommit": "calicopy", "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z",
                         "goVersion": "go1.23.0", "compiler": "gc", "platform": "linux/amd64"}  # fmt: skip
        parts = [p for p in path.split("/") if p]
        if parts == ["api"]:
            return 200, {
                "kind": "APIVersions",
                "versions": ["v1"],
                "serverAddressByClientCIDRs": [
                    {"clientCIDR": "0.0.0.0/0", "serverAddress": f"{self.host}:{self.port}"}
                ],
            }
        if parts == ["apis"]:
            return 200, {
                "kind": "APIGroupList",
                "apiVersion": "v1",
                "groups": [self._group_doc(g) for g in self._group_names()],
            }
        if parts and parts[0] == "api" and len(parts) >= 2:
            group, version, rest = "", parts[1], parts[2:]
        elif parts and parts[0] == "apis" and len(parts) >= 2:
            if len(parts) == 2:
                if parts[1] not in self._group_names():
                    raise _not_served()
                return 200, {"kind": "APIGroup", "apiVersion": "v1", **self._group_doc(parts[1])}
            group, version, rest = parts[1], parts[2], parts[3:]
        else:
            raise _not_served()
        types = self._types.get((group, version))
        if types is None:
            raise _not_served()
        if not rest:
            if method != "GET":
                raise _error(405, "the server does not allow this method on the requested resource", "MethodNotAllowed")
            return 200, {
                "kind": "APIResourceList",
                "apiVersion": "v1",
                "groupVersion": f"{group}/{version}" if group else version,
                "resources": [e for rt in types.values() for e in rt.discovery()],
            }
        if rest[0] == "watch":
            watch, rest = True, rest[1:]
        namespace: str | None = None
        if len(rest) >= 3 and rest[0] == "namespaces" and rest[2] in types and types[rest[2]].namespaced:
            namespace, rest = rest[1], rest[2:]
        rt = types.get(rest[0]) if rest else None
        if rt is None or len(rest) > 3 or (namespace is not None and not rt.namespaced):
            raise _not_served()
        name = rest[1] if len(rest) >= 2 else None
        sub = rest[2] if len(rest) == 3 else None
        if sub is not None and (sub != "status" or not (rt.status_subresource or not rt.custom)):
            raise _not_served()
        if rt.namespaced and name is not None and namespace is None:
            raise _not_served()
        dry_run = _q(query, "dryRun") == "All"
        ns = namespace or ""
        if name is None:
            if method == "GET":
                if watch:
                    self._watch(rt, namespace, query, handler, end_watch_after)
                    return None
                return 200, self._list(rt, namespace, query)
            if method == "POST":
                return 201, self._create(rt, ns, _parse(body), dry_run=dry_run)
            if method == "DELETE":
                return 200, self._delete_collection(rt, namespace, query)
            raise _error(405, "the server does not allow this method on the requested resource", "MethodNotAllowed")
        if method == "GET":
            if watch:
                query = {**query, "fieldSelector": [f"metadata.name={name}"]}
                self._watch(rt, namespace, query, handler, end_watch_after)
                return None
            try:
                return 200, self.store.get(rt.qualified, name, ns, copy=False)
            except DatastoreError as exc:
                raise _from_store(exc, rt, name) from None
        if method == "PUT":
            return 200, self._update(rt, ns, name, _parse(body), status=sub == "status", dry_run=dry_run)
        if method == "PATCH":
            content_type = (handler.headers.get("Content-Type") or "").split(";")[0].strip()
            return 200, self._patch(rt, ns, name, content_type, body, status=sub == "status", dry_run=dry_run)
        if method == "DELETE" and sub is None:
            return 200, self._delete(rt, ns, name, body, query, dry_run=dry_run)
        raise _error(405, "the server does not allow this method on the requested resource", "MethodNotAllowed")

    def _group_names(self) -> list[str]:
        return sorted({g for g, _ in self._types if g}, key=lambda g: (g.startswith(("crd.", "projectcalico")), g))

    def _group_doc(self, group: str) -> dict[str, Any]:
        versions = [{"groupVersion": f"{g}/{v}", "version": v} for g, v in self._types if g == group]
        return {"name": group, "versions": versions, "preferredVersion": versions[0]}

    # -- verbs ------------------------------------------------------------------------------

    def _prepare(self, rt: ResourceType, namespace: str, obj: Any, name: str) -> dict[str, Any]:
        """Type checks and the CRD pipeline shared by create and update."""
        if not isinstance(obj, dict):
            raise _error(400, f"the object provided is unrecognized (must be of type {rt.kind})")
        api_version, kind = obj.get("apiVersion"), obj.get("kind")
        if rt.custom and not kind:
            raise _error(400, f"Object 'Kind' is missing in '{json.dumps(obj, separators=(',', ':'))}'")
        if rt.custom and not api_version:
            raise _error(400, f"Object 'apiVersion' is missing in '{json.dumps(obj, separators=(',', ':'))}'")
        if api_version and api_version != rt.api_version:
            raise _error(
                400,
                f"the API version in the data ({api_version}) does not match the expected API version ({rt.api_version})",
            )
        if kind and kind != rt.kind:
            raise _error(400, f"the kind in the data ({kind}) does not match the expected kind ({rt.kind})")
        obj["apiVersion"], obj["kind"] = rt.api_version, rt.kind
        meta = obj.get("metadata")
        if meta is None:
            meta = obj["metadata"] = {}
        if not isinstance(meta, dict):
            raise _error(400, "metadata: expected an object")
        if rt.namespaced:
            if meta.get("namespace") and meta["namespace"] != namespace:
                raise _error(
                    400, "the namespace of the provided object does not match the namespace sent on the request"
                )
            meta["namespace"] = namespace
        else:
            meta.pop("namespace", None)
        for key in ("selfLink", "managedFields"):
            meta.pop(key, None)
        if rt.custom and rt.schema is not None:
            processed, errors = _schema.process(rt.schema, obj)
            if errors:
                raise _invalid(rt, name, errors)
            if isinstance(processed, dict):
                return processed
        return obj

    def _check_name(self, rt: ResourceType, name: str) -> None:
        if rt.plural == "namespaces" and not rt.group:
            if len(name) <= 63 and _DNS_LABEL.match(name):
                return
            detail = (
                f"Invalid value: {json.dumps(name)}: a lowercase RFC 1123 label must consist of lower case alphanumeric "
                "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
                f"'123-abc', regex used for validation is '{_DNS_LABEL.pattern.strip('^$')}')"
            )
        else:
            if len(name) <= 253 and _DNS_SUBDOMAIN.match(name):
                return
            detail = (
                f"Invalid value: {json.dumps(name)}: a lowercase RFC 1123 subdomain must consist of lower case "
                "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
                f"'example.com', regex used for validation is '{_DNS_SUBDOMAIN.pattern.strip('^$')}')"
            )
        raise _invalid(rt, name, [_schema.FieldError("metadata.name", "FieldValueInvalid", detail)])

    def _create(self, rt: ResourceType, namespace: str, obj: Any, *, dry_run: bool) -> dict[str, Any]:
        meta = obj.get("metadata") if isinstance(obj, dict) else None
        if isinstance(meta, dict) and not meta.get("name") and meta.get("generateName"):
            meta["name"] = meta["generateName"] + "".join(random.choice(_GENERATE_CHARS) for _ in range(5))
        name = meta.get("name", "") if isinstance(meta, dict) else ""
        obj = self._prepare(rt, namespace, obj, name)
        if not name:
            raise _invalid(
                rt,
                name,
                [
                    _schema.FieldError(
                        "metadata.name", "FieldValueRequired", "Required value: name or generateName is required"
                    )
                ],
            )
        self._check_name(rt, name)
        if rt.namespaced:
            try:
                self.store.get("namespaces", namespace, copy=False)
            except ResourceNotFound:
                raise ApiError(
                    status_object(
                        404, "NotFound", f'namespaces "{namespace}" not found', name=namespace, kind="namespaces"
                    )
                ) from None
        if rt.plural == "namespaces" and not rt.group:
            obj.setdefault("spec", {"finalizers": ["kubernetes"]})
            obj["status"] = {"phase": "Active"}
        if rt.custom and rt.status_subresource:
            obj.pop("status", None)  # the main resource ignores status when the status subresource is enabled
        try:
            return self.store.create(rt.qualified, obj, copy=False, dry_run=dry_run)
        except DatastoreError as exc:
            raise _from_store(exc, rt, name) from None

    def _update(
        self, rt: ResourceType, namespace: str, name: str, obj: Any, *, status: bool, dry_run: bool
    ) -> dict[str, Any]:
        meta = obj.get("metadata") if isinstance(obj, dict) else None
        body_name = meta.get("name", "") if isinstance(meta, dict) else ""
        if body_name != name:
            raise _error(400, f"the name of the object ({body_name}) does not match the name on the URL ({name})")
        obj = self._prepare(rt, namespace, obj, name)
        meta = obj["metadata"]
        if rt.custom and not meta.get("resourceVersion"):
            # Custom resources do not allow unconditional updates (customResourceStrategy.AllowUnconditionalUpdate).
            raise _invalid(
                rt,
                name,
                [
                    _schema.FieldError(
                        "metadata.resourceVersion",
                        "FieldValueInvalid",
                        "Invalid value: 0x0: must be specified for an update",
                    )
                ],
            )
        ignores = ("metadata", "status") if rt.status_subresource or not rt.custom else ("metadata",)
        try:
            if not (status or rt.status_subresource or not rt.custom):
                return self.store.update(rt.qualified, obj, generation_ignores=ignores, copy=False, dry_run=dry_run)
            # Atomically keep the stored status (or, for /status, everything but status); the
            # resourceVersion of the body stays the precondition.
            return self.store.guaranteed_update(
                rt.qualified,
                name,
                namespace,
                lambda current: self._merge_subresource(rt, current, obj, status),
                generation_ignores=ignores,
                copy=False,
                dry_run=dry_run,
            )
        except DatastoreError as exc:
            raise _from_store(exc, rt, name) from None

    @staticmethod
    def _merge_subresource(
        rt: ResourceType, current: dict[str, Any], new: dict[str, Any], status: bool
    ) -> dict[str, Any]:
        """Main resource writes keep the stored status; /status writes change only status."""
        if status:
            merged = clone_dict(current)
            if "status" in new:
                merged["status"] = new["status"]
            else:
                merged.pop("status", None)
            merged["metadata"]["resourceVersion"] = new["metadata"].get("resourceVersion", "")
            return merged
        merged = dict(new)
        if "status" in current:
            merged["status"] = current["status"]
        else:
            merged.pop("status", None)
        return merged

    def _patch(
        self,
        rt: ResourceType,
        namespace: str,
        name: str,
        content_type: str,
        body: bytes,
        *,
        status: bool,
        dry_run: bool,
    ) -> dict[str, Any]:
        if content_type == "application/strategic-merge-patch+json" and not rt.custom:
            content_type = "application/merge-patch+json"  # approximation: lists are replaced, not merged by key
        if content_type not in ("application/merge-patch+json", "application/json-patch+json"):
            raise _error(415, _UNSUPPORTED_PATCH, "UnsupportedMediaType")
        patch = _parse(body)
        if content_type == "application/merge-patch+json" and not isinstance(patch, dict):
            raise _error(
                400, f"json: cannot unmarshal {type(patch).__name__} into Go value of type map[string]interface {{}}"
            )
        ignores = ("metadata", "status") if rt.status_subresource or not rt.custom else ("metadata",)

        def mutate(current: dict[str, Any]) -> dict[str, Any]:
            if content_type == "application/json-patch+json":
                patched = json_patch(current, patch)
            else:
                patched = merge_patch(current, patch)
            if not isinstance(patched, dict):
                raise _error(422, "the patched object is not an object", "Invalid")
            meta = patched.setdefault("metadata", {})
            if isinstance(meta, dict):
                meta["name"] = name
            prepared = self._prepare(rt, namespace, patched, name)
            if status or (rt.custom and rt.status_subresource):
                prepared = self._merge_subresource(rt, current, prepared, status)
            return prepared

        try:
            return self.store.guaranteed_update(
                rt.qualified, name, namespace, mutate, generation_ignores=ignores, copy=False, dry_run=dry_run
            )
        except DatastoreError as exc:
            raise _from_store(exc, rt, name) from None

    def _delete(
        self, rt: ResourceType, namespace: str, name: str, body: bytes, query: Mapping[str, list[str]], *, dry_run: bool
    ) -> Any:
        options = _parse(body) if body.strip() else {}
        if not isinstance(options, dict):
            raise _error(400, "DeleteOptions: expected an object")
        pre = options.get("preconditions") or {}
        dry_run = dry_run or options.get("dryRun") == ["All"]
        try:
            deleted = self.store.delete(
                rt.qualified,
                name,
                namespace,
                uid=pre.get("uid"),
                resource_version=pre.get("resourceVersion"),
                copy=False,
                dry_run=dry_run,
            )
        except DatastoreError as exc:
            raise _from_store(exc, rt, name) from None
        if rt.plural == "namespaces" and not rt.group and not dry_run:
            for other in self.resource_types():
                if other.namespaced:
                    self.store.delete_collection(other.qualified, name)
        if rt.custom or rt.plural == "pods":
            return deleted
        return {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Success",
            "details": {"name": name, "group": rt.group, "kind": rt.plural, "uid": deleted["metadata"].get("uid", "")},
        }

    def _delete_collection(
        self, rt: ResourceType, namespace: str | None, query: Mapping[str, list[str]]
    ) -> dict[str, Any]:
        listed = self._list(rt, namespace, {k: v for k, v in query.items() if k in ("labelSelector", "fieldSelector")})
        items = []
        for item in listed["items"]:
            meta = item["metadata"]
            try:
                items.append(self.store.delete(rt.qualified, meta["name"], meta.get("namespace", ""), copy=False))
            except ResourceNotFound:
                continue
        return {
            "apiVersion": rt.api_version,
            "kind": rt.list_kind,
            "metadata": {"resourceVersion": str(self.store.revision)},
            "items": items,
        }

    def _list(self, rt: ResourceType, namespace: str | None, query: Mapping[str, list[str]]) -> dict[str, Any]:
        limit_text = _q(query, "limit")
        try:
            limit = max(int(limit_text), 0) if limit_text else 0
        except ValueError:
            raise _error(400, f"invalid limit: {limit_text!r}") from None
        try:
            result = self.store.list(
                rt.qualified,
                namespace,
                label_selector=_q(query, "labelSelector"),
                field_selector=_q(query, "fieldSelector"),
                limit=limit,
                continue_=_q(query, "continue"),
                resource_version=_q(query, "resourceVersion"),
                resource_version_match=_q(query, "resourceVersionMatch"),
                copy=False,
            )
        except DatastoreError as exc:
            raise _from_store(exc, rt) from None
        meta: dict[str, Any] = {"resourceVersion": result.resource_version}
        if result.continue_:
            meta["continue"] = result.continue_
        if result.remaining_item_count is not None:
            meta["remainingItemCount"] = result.remaining_item_count
        items = result.items
        if not rt.custom:  # typed lists carry no TypeMeta on their items
            items = [{k: v for k, v in item.items() if k not in ("apiVersion", "kind")} for item in items]
        return {"apiVersion": rt.api_version, "kind": rt.list_kind, "metadata": meta, "items": items}

    def _watch(
        self,
        rt: ResourceType,
        namespace: str | None,
        query: Mapping[str, list[str]],
        handler: _Handler,
        end_after: int | None,
    ) -> None:
        timeout_text = _q(query, "timeoutSeconds")
        try:
            timeout = float(timeout_text) if timeout_text else None
        except ValueError:
            raise _error(400, f"invalid timeoutSeconds: {timeout_text!r}") from None
        bookmarks = _truthy(_q(query, "allowWatchBookmarks"))
        try:
            labels = parse_label_selector(_q(query, "labelSelector"))
            fields = parse_field_selector(_q(query, "fieldSelector"))
            watch = self.store.watch(
                rt.qualified,
                namespace,
                resource_version=_q(query, "resourceVersion"),
                label_selector=labels,
                field_selector=fields,
            )
        except InvalidRequest as exc:
            raise _from_store(exc, rt) from None
        deadline = None if timeout is None else time.monotonic() + timeout
        next_bookmark = time.monotonic() + self.bookmark_interval
        sent = 0
        handler.start_stream()
        try:
            while not self._stopping.is_set():
                if end_after is not None and sent >= end_after:
                    break
                now = time.monotonic()
                if deadline is not None and now >= deadline:
                    break
                wait = 0.2
                if deadline is not None:
                    wait = min(wait, deadline - now)
                if bookmarks:
                    wait = min(wait, max(next_bookmark - now, 0.0))
                try:
                    event = watch.next(timeout=wait)
                except ResourceExpired as exc:
                    error = status_object(410, "Expired", exc.server_message)
                    handler.write_chunk(json.dumps({"type": "ERROR", "object": error}).encode() + b"\n")
                    break
                if event is not None:
                    handler.write_chunk(
                        json.dumps({"type": event.type, "object": event.object}, separators=(",", ":")).encode() + b"\n"
                    )
                    sent += 1
                elif bookmarks and time.monotonic() >= next_bookmark:
                    bookmark = {
                        "kind": rt.kind,
                        "apiVersion": rt.api_version,
                        "metadata": {"resourceVersion": watch.resource_version},
                    }
                    handler.write_chunk(json.dumps({"type": "BOOKMARK", "object": bookmark}).encode() + b"\n")
                    next_bookmark = time.monotonic() + self.bookmark_interval
            if not self._stopping.is_set():
                handler.end_stream()
        except OSError:
            handler.close_connection = True
        finally:
            watch.close()
        if self._stopping.is_set():
            handler.close_connection = True


def _not_served() -> ApiError:
    return ApiError(status_object(404, "NotFound", "the server could not find the requested resource"))


def _parse(body: bytes) -> Any:
    try:
        return json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise _error(400, f"couldn't get version/kind; json parse error: {exc}") from None


def environ_kubeconfig() -> str | None:
    """The kubeconfig of a real cluster for the contract tests (``CALICOPY_TEST_KUBECONFIG``), if set."""
    return os.environ.get("CALICOPY_TEST_KUBECONFIG") or None
