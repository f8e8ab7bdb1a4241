"""``FakeKubeAPIServer``: a real HTTP server speaking the Kubernetes REST API for Calico's CRDs.

It serves discovery, CRUD, patch, list (selectors, pagination, resource versions) and watch for
every Calico custom resource of :data:`calicopy.resources.registry.KINDS` (in
``crd.projectcalico.org/v1``, native ``projectcalico.org/v3``, or both) and for core v1
Namespaces, Nodes, Pods, ServiceAccounts and networking.k8s.io/v1 NetworkPolicies, on
127.0.0.1 with an ephemeral port, optionally over TLS with bearer-token authentication.
Objects live in a :class:`calicopy._store.Store`.  Faults can be injected
(:attr:`FakeKubeAPIServer.faults`).  See ``docs/testing.md`` for what differs from a real server.

This module is the server itself: its lifecycle, seeding and request routing (authentication,
faults, discovery, then a verb).  The rest sits beside it: :mod:`.apitypes` (what is served),
:mod:`.verbs` (the verbs on the store), :mod:`.status` (Status bodies), :mod:`.faults`,
:mod:`.jsonpatch`, :mod:`.certs` (TLS), :mod:`.httpserver` (the HTTP layer), :mod:`.seeding`
(namespaces, nodes and pods in short forms) and :mod:`.requestlog` (:attr:`requests`).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from calicopy._store import Store, clone_dict

from .apitypes import CORE_TYPES, GROUP_V1, GROUP_V3, KUBE_VERSION, ResourceType, calico_resource_types
from .certs import generate_certificates
from .faults import Fault, FaultInjector
from .httpserver import APIHTTPServer, APIRequestHandler, DropConnection
from .requestlog import DEFAULT_REQUEST_LOG_SIZE, Request, RequestLog
from .seeding import (
    DEFAULT_POD_NETWORK,
    Seed,
    free_addresses,
    is_object,
    namespace_object,
    node_object,
    pod_fields,
    pod_ips,
    pod_object,
)
from .status import REASONS, ApiError, api_error, not_served, parse_body, status_object
from .verbs import Verbs, query_param, truthy

__all__ = [
    "GROUP_V1",
    "GROUP_V3",
    "ApiError",
    "FakeKubeAPIServer",
    "Fault",
    "FaultInjector",
    "Request",
    "RequestLog",
    "ResourceType",
    "Seed",
    "generate_certificates",
]

DEFAULT_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")


class FakeKubeAPIServer:
    """A Kubernetes API server for Calico's CRDs, in this process (see the module docstring).

    ``groups``: the Calico API groups served: ``"crd.projectcalico.org/v1"``,
    ``"projectcalico.org/v3"`` or both.  ``tls``: serve HTTPS with a generated CA
    (:attr:`ca_path`).  ``token``: require ``Authorization: Bearer <token>``.
    ``window``: revisions of history kept (watch / exact list / continue).  ``bookmark_interval``:
    seconds between BOOKMARK events of watches that allow them.  ``store``: share a store.
    ``seed``: namespaces, nodes, pods and other objects to create at :meth:`start` (see
    :meth:`seed`).  ``request_log_size``: how many requests :attr:`requests` keeps.

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
        seed: Seed | Mapping[str, Any] | None = None,
        request_log_size: int = DEFAULT_REQUEST_LOG_SIZE,
    ) -> None:
        self.groups = (groups,) if isinstance(groups, str) else tuple(groups)
        self.host = host
        self.requested_port = port
        self.tls = tls
        self.token = token
        self.store = store if store is not None else Store(window=window)
        self.bookmark_interval = bookmark_interval
        self.faults = FaultInjector()
        #: The last ``request_log_size`` requests (``Request(method, target)``), oldest first;
        #: index and slice it like a list.
        self.requests = RequestLog(request_log_size)
        self._create_default_namespaces = create_default_namespaces
        self._initial_seed = Seed.of(seed)
        self._types: dict[tuple[str, str], dict[str, ResourceType]] = {}
        for rt in [*CORE_TYPES, *(t for g in self.groups for t in calico_resource_types(g))]:
            self._types.setdefault((rt.group, rt.version), {})[rt.plural] = rt
        self._httpd: APIHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._verbs = Verbs(self.store, self.resource_types, self._stopping)
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
        httpd = APIHTTPServer((self.host, self.requested_port), self._handle, self._connections)
        if self.tls:
            ca, cert, key = generate_certificates(self._tmpdir)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)
            httpd.ssl_context = context
            self.ca_path = ca
        self._httpd = httpd
        self._ensure_default_namespaces()
        self.kubeconfig_path = self._tmpdir / "kubeconfig"
        self.kubeconfig_path.write_text(json.dumps(self.kubeconfig(), indent=2))
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True, name="fake-kube"
        )
        self._thread.start()
        try:
            self.seed(self._initial_seed)
        except BaseException:
            self.stop()
            raise
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
        return self._verbs.create(rt, namespace, clone_dict(obj), dry_run=False)

    def seed(
        self,
        seed: Seed | Mapping[str, Any] | None = None,
        *,
        namespaces: Iterable[str | Mapping[str, Any]] = (),
        nodes: Iterable[str | Mapping[str, Any]] = (),
        pods: Iterable[str | Mapping[str, Any]] = (),
        objects: Iterable[Mapping[str, Any]] = (),
    ) -> list[dict[str, Any]]:
        """Create namespaces, nodes, pods and other objects; returns them as stored.

        Each entry is a short form or a whole Kubernetes object (a mapping with ``kind``):

        * a namespace: ``"prod"`` or ``{"name", "labels", "annotations"}``;
        * a node: ``"node-1"`` or ``{"name", "labels", "annotations", "addresses", "pod_cidr"}``
          (``addresses``: one IP or a list, the node's ``InternalIP``s; ``pod_cidr``: its
          ``spec.podCIDR``, or ``pod_cidrs`` for several);
        * a pod: ``"ns/name"`` or ``{"name", "namespace", "labels", "annotations", "node", "ip",
          "service_account"}`` (``ips`` for several).  A pod runs on ``node``, by default the first
          node the server holds; without an IP it gets the next free address of its node's pod
          CIDR, or of ``192.168.0.0/16`` (Calico's default pool).  A pod's namespace is created if
          it does not exist.  Such a pod is what Calico shows as a WorkloadEndpoint;
        * ``objects``: any served objects (Calico resources too), created as they are.

        ``seed`` is the same as a mapping (``{"namespaces": [...], "pods": [...]}``), as the
        constructor's ``seed=`` and a ``serve --seed`` file take it.  Objects go through the
        create pipeline, so a name that exists already raises :class:`ApiError` (409).
        """
        plan = Seed.of(seed)
        plan.extend(Seed(list(namespaces), list(nodes), list(pods), list(objects)))
        plan.check()  # every entry's shape before anything is created
        self._ensure_default_namespaces()
        created = [self.add(namespace_object(ns)) for ns in plan.namespaces]
        created += [self.add(node_object(node)) for node in plan.nodes]
        for pod in plan.pods:
            created.append(self.add(pod if is_object(pod) else self._pod(pod_fields(pod))))  # type: ignore[arg-type]
        created += [self.add(obj) for obj in plan.objects]
        return created

    def _ensure_default_namespaces(self) -> None:
        if not self._create_default_namespaces:
            return
        existing = {ns["metadata"]["name"] for ns in self.store.list("namespaces", None).items}
        for name in DEFAULT_NAMESPACES:
            if name not in existing:
                with contextlib.suppress(ApiError):
                    self.add(namespace_object(name))

    def _pod(self, short: dict[str, Any]) -> dict[str, Any]:
        """A seeded pod's object: namespace created, node and IP filled in when not given."""
        namespace = short["namespace"]
        if not any(ns["metadata"]["name"] == namespace for ns in self.store.list("namespaces", None).items):
            self.add(namespace_object(namespace))
        nodes = self.store.list("nodes", None).items
        if not short.get("node") and nodes:
            short["node"] = nodes[0]["metadata"]["name"]
        ips = pod_ips(short)
        if not ips and short.get("node"):
            node = next((n for n in nodes if n["metadata"]["name"] == short["node"]), None)
            network = ((node or {}).get("spec") or {}).get("podCIDR") or DEFAULT_POD_NETWORK
            used = {
                entry.get("ip", "")
                for pod in self.store.list("pods", None).items
                for entry in (pod.get("status") or {}).get("podIPs") or []
            }
            ips = [next(free_addresses(network, used))]
        return pod_object(short, ips)

    # -- request handling -------------------------------------------------------------------

    def _handle(
        self, method: str, target: str, headers: Any, body: bytes, handler: APIRequestHandler
    ) -> tuple[int, Any] | None:
        self.requests.append(method, target)
        if self.token is not None and headers.get("Authorization", "") != f"Bearer {self.token}":
            raise api_error(401, "Unauthorized")
        split = urlsplit(target)
        path = split.path.rstrip("/") or "/"
        query = parse_qs(split.query, keep_blank_values=True)
        watch = truthy(query_param(query, "watch")) or "/watch/" in path
        end_watch_after: int | None = None
        for fault in self.faults.take(method, target, watch=watch):
            if fault.action == "delay":
                time.sleep(fault.seconds)
            elif fault.action == "drop":
                raise DropConnection
            elif fault.action == "end_watch":
                end_watch_after = fault.after_events
            else:
                code = fault.status
                reason = REASONS.get(code, "InternalError")
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
                    raise not_served()
                return 200, {"kind": "APIGroup", "apiVersion": "v1", **self._group_doc(parts[1])}
            group, version, rest = parts[1], parts[2], parts[3:]
        else:
            raise not_served()
        types = self._types.get((group, version))
        if types is None:
            raise not_served()
        if not rest:
            if method != "GET":
                raise api_error(
                    405, "the server does not allow this method on the requested resource", "MethodNotAllowed"
                )
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
            raise not_served()
        name = rest[1] if len(rest) >= 2 else None
        sub = rest[2] if len(rest) == 3 else None
        if sub is not None and (sub != "status" or not (rt.status_subresource or not rt.custom)):
            raise not_served()
        if rt.namespaced and name is not None and namespace is None:
            raise not_served()
        dry_run = query_param(query, "dryRun") == "All"
        ns = namespace or ""
        if name is None:
            if method == "GET":
                if watch:
                    self._verbs.watch(rt, namespace, query, handler, end_watch_after, self.bookmark_interval)
                    return None
                return 200, self._verbs.list(rt, namespace, query)
            if method == "POST":
                return 201, self._verbs.create(rt, ns, parse_body(body), dry_run=dry_run)
            if method == "DELETE":
                return 200, self._verbs.delete_collection(rt, namespace, query)
            raise api_error(405, "the server does not allow this method on the requested resource", "MethodNotAllowed")
        if method == "GET":
            if watch:
                query = {**query, "fieldSelector": [f"metadata.name={name}"]}
                self._verbs.watch(rt, namespace, query, handler, end_watch_after, self.bookmark_interval)
                return None
            return 200, self._verbs.get(rt, ns, name)
        if method == "PUT":
            return 200, self._verbs.update(rt, ns, name, parse_body(body), status=sub == "status", dry_run=dry_run)
        if method == "PATCH":
            content_type = (handler.headers.get("Content-Type") or "").split(";")[0].strip()
            return 200, self._verbs.patch(rt, ns, name, content_type, body, status=sub == "status", dry_run=dry_run)
        if method == "DELETE" and sub is None:
            return 200, self._verbs.delete(rt, ns, name, body, query, dry_run=dry_run)
        raise api_error(405, "the server does not allow this method on the requested resource", "MethodNotAllowed")

    def _group_names(self) -> list[str]:
        return sorted({g for g, _ in self._types if g}, key=lambda g: (g.startswith(("crd.", "projectcalico")), g))

    def _group_doc(self, group: str) -> dict[str, Any]:
        versions = [{"groupVersion": f"{g}/{v}", "version": v} for g, v in self._types if g == group]
        return {"name": group, "versions": versions, "preferredVersion": versions[0]}


def environ_kubeconfig() -> str | None:
    """The kubeconfig of a real cluster for the contract tests (``CALICOPY_TEST_KUBECONFIG``), if set."""
    return os.environ.get("CALICOPY_TEST_KUBECONFIG") or None
