"""``KubernetesBackend``: the Kubernetes-datastore (KDD) implementation of :class:`calicopy.backends.base.Backend`.

It reimplements libcalico-go v3.32.1's ``libcalico-go/lib/backend/k8s`` (``client.go``,
``discovery.go``, ``resources/customresource.go``, ``resources/errors.go``, ``list_pager.go``,
``watcher.go``, ``node.go``, ``profile.go``, ``workloadendpoint.go``, ``kubenetworkpolicy.go``)
over the official ``kubernetes`` package's ``ApiClient``, used only as a configured HTTP
transport: requests are raw REST calls, responses are decoded with :func:`json.loads` and
converted with :func:`calicopy.kdd.convert.from_crd_shared` / :func:`calicopy.kdd.core.from_core`.

* Calico kinds stored as custom resources (``storage == "crd"`` in the registry) support every
  operation, in ``crd.projectcalico.org/v1`` or native ``projectcalico.org/v3`` (see
  :mod:`calicopy.kdd.discovery`).
* Kinds derived from core objects (Node, Profile, WorkloadEndpoint and the internal
  ``KubernetesNetworkPolicy``) are read-only: writes raise
  :class:`~calicopy.errors.OperationNotSupported`.
* Every request passes the rate limiter; failures are retried by :class:`calicopy.retry.RetryPolicy`
  (urllib3's own retries are switched off), and a create or update whose outcome is unknown is
  reconciled by reading the object back instead of being repeated blindly.

``docs/kdd-backend.md`` describes the behaviour in full.  Importing this module does not import
``kubernetes``; only :meth:`KubernetesBackend.from_config` / :meth:`KubernetesBackend.from_connection` do.
"""

from __future__ import annotations

import contextlib
import copy
import email.utils
import json
import logging
import math
import os
import random as _random
import tempfile
import time
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import quote, urlencode

import urllib3

from ..backends.base import ListResult, WatchEvent, WatchEventType
from ..config import CalicoAPIConfig, KubeConnection, kube_connection
from ..errors import (
    CalicoError,
    ConfigError,
    DatastoreError,
    OperationNotSupported,
    ResourceAlreadyExists,
    ResourceConflict,
    ResourceNotFound,
)
from ..labelselector import LabelSelector, LabelSelectorError, parse_label_selector
from ..resources.meta import Resource
from ..resources.registry import KINDS, KindInfo
from ..retry import Done, Failure, RateLimiter, Resolution, RetryPolicy
from .convert import GROUP_V1, GROUP_V3, from_crd_shared, is_ours, to_crd
from .core import (
    DEFAULT_ALLOW_PROFILE,
    NAMESPACE_PROFILE_PREFIX,
    SERVICE_ACCOUNT_PROFILE_PREFIX,
    default_allow_profile,
    from_core,
    join_profile_revisions,
)
from .discovery import api_group_from_setting, choose_api_group, group_names
from .uid import convert_uid

__all__ = ["DEFAULT_PAGE_SIZE", "KubernetesBackend"]

_log = logging.getLogger(__name__)

#: libcalico-go's list page size (``list_pager.go`` via client-go's pager).
DEFAULT_PAGE_SIZE = 500
#: Longest single watch request (the stream is re-opened after it ends).
_WATCH_REQUEST_SECONDS = 300
_JSON = "application/json"

JSONDict = dict[str, Any]
# Aliases: inside KubernetesBackend the name ``list`` is the method.
_Resources = list[Resource]
_Raws = list[JSONDict]
_Strs = list[str]


# -- internal transport errors --------------------------------------------------------------------


class _ApiError(Exception):
    """A response with an error status; ``status`` is the Kubernetes ``Status`` body (or a stand-in)."""

    def __init__(self, code: int, status: Mapping[str, Any], retry_after: float | None) -> None:
        self.code = code
        self.status = dict(status)
        self.reason = str(status.get("reason") or "")
        self.message = str(
            status.get("message")
            or f"the server responded with the status code {code} but did not return more information"
        )
        self.retry_after = retry_after
        super().__init__(self.message)

    def causes(self) -> list[Mapping[str, Any]]:
        details = self.status.get("details") or {}
        return [c for c in (details.get("causes") or []) if isinstance(c, Mapping)]


class _ConnectionFailure(Exception):
    """No (complete) response arrived; ``retryable`` is False for TLS failures (retrying cannot help)."""

    def __init__(self, method: str, url: str, cause: BaseException, *, retryable: bool = True) -> None:
        self.retryable = retryable
        super().__init__(f'{method.title()} "{url}": {cause}')


def _classify(exc: BaseException) -> Failure | None:
    if isinstance(exc, _ApiError):
        return Failure(exc.code, exc.retry_after)
    if isinstance(exc, _ConnectionFailure) and exc.retryable:
        return Failure(None)
    return None


def _retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds: a number, or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


# -- error mapping (resources/errors.go K8sErrorToCalico) ------------------------------------------

_KNOWN_REASONS = frozenset(
    {
        "Unauthorized",
        "Forbidden",
        "NotFound",
        "AlreadyExists",
        "Conflict",
        "Gone",
        "Invalid",
        "ServerTimeout",
        "Timeout",
        "TooManyRequests",
        "BadRequest",
        "MethodNotAllowed",
        "NotAcceptable",
        "RequestEntityTooLarge",
        "UnsupportedMediaType",
        "InternalError",
        "Expired",
        "ServiceUnavailable",
    }
)


def _is(exc: _ApiError, reason: str, code: int) -> bool:
    # apimachinery's IsNotFound/IsConflict/...: the reason, or the code when the reason is unknown.
    return exc.reason == reason or (exc.reason not in _KNOWN_REASONS and exc.code == code)


def _calico_error(exc: _ApiError | _ConnectionFailure, ident: str | None) -> DatastoreError:
    """The calicopy error for a failed request; libcalico-go's wording, the server's message kept.

    The error carries ``code``, ``reason`` and ``server_message`` attributes (``None``/``""`` for
    connection failures).
    """
    if isinstance(exc, _ConnectionFailure):
        err = DatastoreError(str(exc))
        err.code, err.reason, err.server_message = None, "", str(exc)
        return err
    msg = exc.message
    who = ident or "resource"
    result: DatastoreError
    if _is(exc, "AlreadyExists", 409) and exc.reason == "AlreadyExists":
        result = ResourceAlreadyExists(f"resource already exists: {who} with error: {msg}")
    elif _is(exc, "NotFound", 404):
        result = ResourceNotFound(f"resource does not exist: {who} with error: {msg}")
    elif _is(exc, "Forbidden", 403) or _is(exc, "Unauthorized", 401):
        result = DatastoreError(f"connection is unauthorized: {msg}")
    elif _is(exc, "Conflict", 409):
        if "UID in precondition" in msg:
            result = ResourceNotFound(f"resource does not exist: {who} with error: {msg}")
        else:
            result = ResourceConflict(f"update conflict: {who}")
    elif exc.reason in ("Expired", "Gone") or exc.code == 410:
        result = DatastoreError(msg)
    else:
        fields = {(c.get("field"), c.get("reason") or c.get("type")) for c in exc.causes()}
        invalid = {f for f, t in fields if t == "FieldValueInvalid"}
        if fields and invalid == {"metadata.uid"} and len(fields) == 1:
            result = ResourceNotFound(f"resource does not exist: {who} with error: {msg}")
        elif fields and invalid == {"metadata.resourceVersion"} and len(fields) == 1:
            result = ResourceConflict(f"update conflict: {who}")
        else:
            result = DatastoreError(msg)
    result.code, result.reason, result.server_message = exc.code, exc.reason, msg
    return result


def _ident(kind: str, name: str, namespace: str | None, namespaced: bool) -> str:
    """model.ResourceKey.String(): ``Kind(name)`` or ``Kind(namespace/name)``."""
    return f"{kind}({namespace or ''}/{name})" if namespaced else f"{kind}({name})"


# -- where each kind lives -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Source:
    """One Kubernetes collection a Calico kind is read from."""

    kind: str  # the Calico kind
    prefix: str  # "/apis/crd.projectcalico.org/v1", "/api/v1", ...
    plural: str
    namespaced: bool
    qualified: str  # "ippools.crd.projectcalico.org", "pods" (for messages)
    item_api_version: str  # filled into list items, which may lack TypeMeta
    item_kind: str
    convert: Callable[[Mapping[str, Any]], Resource | None]

    def collection(self, namespace: str | None) -> str:
        if self.namespaced and namespace:
            return f"{self.prefix}/namespaces/{quote(namespace, safe='')}/{self.plural}"
        return f"{self.prefix}/{self.plural}"

    def item(self, name: str, namespace: str | None) -> str:
        return f"{self.collection(namespace)}/{quote(name, safe='')}"

    def with_type(self, obj: Mapping[str, Any]) -> JSONDict:
        out = dict(obj)
        out.setdefault("apiVersion", self.item_api_version)
        out.setdefault("kind", self.item_kind)
        return out


@dataclass(frozen=True, slots=True)
class _CoreCollection:
    prefix: str
    plural: str
    namespaced: bool
    api_version: str
    kind: str


_NODES = _CoreCollection("/api/v1", "nodes", False, "v1", "Node")
_NAMESPACES = _CoreCollection("/api/v1", "namespaces", False, "v1", "Namespace")
_SERVICE_ACCOUNTS = _CoreCollection("/api/v1", "serviceaccounts", True, "v1", "ServiceAccount")
_PODS = _CoreCollection("/api/v1", "pods", True, "v1", "Pod")
_K8S_NETWORK_POLICIES = _CoreCollection(
    "/apis/networking.k8s.io/v1", "networkpolicies", True, "networking.k8s.io/v1", "NetworkPolicy"
)


def _same_name(name: str, namespace: str) -> tuple[int, str, str] | None:
    return 0, namespace, name


def _profile_target(name: str, namespace: str) -> tuple[int, str, str] | None:
    # profile.go Get: "kns.<namespace>" -> Namespace, "ksa.<namespace>.<sa>" -> ServiceAccount.
    if name.startswith(NAMESPACE_PROFILE_PREFIX) and len(name) > len(NAMESPACE_PROFILE_PREFIX):
        return 0, "", name[len(NAMESPACE_PROFILE_PREFIX) :]
    if name.startswith(SERVICE_ACCOUNT_PROFILE_PREFIX):
        sa_namespace, _, sa = name[len(SERVICE_ACCOUNT_PROFILE_PREFIX) :].partition(".")
        if sa_namespace and sa:
            return 1, sa_namespace, sa
    return None


def _wep_target(name: str, namespace: str) -> tuple[int, str, str] | None:
    parsed = _parse_wep_name(name)
    return None if parsed is None else (0, namespace, parsed[1])


@dataclass(frozen=True, slots=True)
class _DerivedKind:
    """A read-only kind libcalico-go derives from core objects."""

    collections: tuple[_CoreCollection, ...]
    # name, namespace -> (index into collections, object namespace, object name); None: malformed name
    target: Callable[[str, str], tuple[int, str, str] | None] = _same_name
    malformed: str = ""
    # Objects served without a request (listed first, unless the list is namespace-scoped).
    static: Mapping[str, Callable[[], Resource]] = field(default_factory=lambda: MappingProxyType({}))
    join_revisions: Callable[..., str] = lambda *revisions: str(revisions[0])
    # Whether list(namespace=...) narrows the namespaced collections (False for cluster-scoped kinds).
    namespace_scoped: bool = True


#: libcalico-go's node.go, profile.go, workloadendpoint.go, kubenetworkpolicy.go.
_DERIVED: Mapping[str, _DerivedKind] = MappingProxyType(
    {
        "Node": _DerivedKind((_NODES,), namespace_scoped=False),
        "Profile": _DerivedKind(
            (_NAMESPACES, _SERVICE_ACCOUNTS),
            target=_profile_target,
            malformed="Invalid name {name}",
            static=MappingProxyType({DEFAULT_ALLOW_PROFILE: default_allow_profile}),
            join_revisions=join_profile_revisions,
            namespace_scoped=False,
        ),
        "WorkloadEndpoint": _DerivedKind(
            (_PODS,),
            target=_wep_target,
            malformed="malformed WorkloadEndpoint name - unable to determine Pod name",
        ),
        "KubernetesNetworkPolicy": _DerivedKind((_K8S_NETWORK_POLICIES,)),
    }
)
#: Scope of derived kinds the registry does not list (libcalico-go's internal model kinds).
_INTERNAL_KIND_SCOPE: Mapping[str, bool] = MappingProxyType({"KubernetesNetworkPolicy": True})
# Metadata the server sets or changes; left out when checking whether a stored object is "ours".
_VOLATILE_META = ("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink")


def _contains(have: Any, want: Any) -> bool:
    """Whether ``have`` holds everything in ``want`` (the server may add defaults, never remove ours)."""
    if isinstance(want, Mapping):
        return isinstance(have, Mapping) and all(
            v is None or (k in have and _contains(have[k], v)) for k, v in want.items()
        )
    return bool(have == want)


def _comparable(body: Mapping[str, Any]) -> JSONDict:
    out = copy.deepcopy(dict(body))
    meta = out.get("metadata")
    if isinstance(meta, dict):
        for key in _VOLATILE_META:
            meta.pop(key, None)
    return out


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = obj.get("metadata")
    return meta if isinstance(meta, Mapping) else {}


def _key(resource: Resource) -> tuple[str, str]:
    return (resource.metadata.namespace or "", resource.metadata.name)


def _parse_wep_name(name: str) -> tuple[str, str, str] | None:
    """names.ParseWorkloadEndpointName for k8s: ``<node>-k8s-<pod>-<endpoint>`` with ``-`` doubled
    inside each part; returns (node, pod, endpoint) or None."""
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(name):
        ch = name[i]
        if ch == "-":
            if i + 1 < len(name) and name[i + 1] == "-":
                current.append("-")
                i += 2
                continue
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    if len(parts) != 4 or parts[1] != "k8s" or not all(parts):
        return None
    return parts[0], parts[2], parts[3]


class _Response:
    """A streamed response body, read line by line (watch)."""

    def __init__(self, raw: Any, method: str, url: str) -> None:
        self._raw = raw
        self._method = method
        self._url = url

    def lines(self) -> Iterator[bytes]:
        buffer = b""
        try:
            for chunk in self._raw.stream(65536, decode_content=True):
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    if line.strip():
                        yield line
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise _ConnectionFailure(self._method, self._url, exc) from exc
        if buffer.strip():
            yield buffer

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._raw.release_conn()
        with contextlib.suppress(Exception):
            self._raw.close()


# -- the backend -----------------------------------------------------------------------------------


class KubernetesBackend:
    """The Kubernetes datastore (see the module docstring and ``docs/kdd-backend.md``).

    ``api_client`` is a ``kubernetes.client.ApiClient`` (only its configuration, auth and
    connection pool are used).  ``api_group``: ``"crd.projectcalico.org/v1"``,
    ``"projectcalico.org/v3"`` (any other non-empty value means v1, as libcalico-go's
    ``calicoAPIGroup``), or ``None`` to discover it on first use.  ``retry_policy``,
    ``rate_limiter``, ``sleep`` and ``random`` make retries and throttling testable;
    ``request_timeout`` is the (connect, read) timeout of ordinary requests in seconds.
    """

    def __init__(
        self,
        api_client: Any,
        *,
        api_group: str | None = None,
        retry_policy: RetryPolicy | None = None,
        rate_limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
        use_pod_cidr: bool = False,
        page_size: int = DEFAULT_PAGE_SIZE,
        request_timeout: float = 60.0,
        owns_client: bool = False,
        cleanup: Callable[[], None] | None = None,
    ) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self._api = api_client
        self._api_group = api_group_from_setting(api_group) if api_group else None
        self._policy = retry_policy if retry_policy is not None else RetryPolicy()
        self._limiter = rate_limiter if rate_limiter is not None else RateLimiter(50.0, 100, sleep=sleep)
        self._sleep = sleep
        self._random = random
        self._use_pod_cidr = use_pod_cidr
        self._page_size = page_size
        self._timeout = request_timeout
        self._owns_client = owns_client
        self._cleanup = cleanup
        self._closed = False

    # -- construction from configuration ----------------------------------------------------------

    @classmethod
    def from_config(
        cls,
        config: CalicoAPIConfig,
        *,
        context: str | None = None,
        env: Mapping[str, str] | None = None,
        retry_policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
        clock: Callable[[], float] = time.monotonic,
    ) -> KubernetesBackend:
        """A backend for a ``datastoreType: kubernetes`` configuration (kubeconfig file or inline,
        explicit endpoint/certificates/token, or in-cluster; see :func:`calicopy.config.kube_connection`).

        ``calicoAPIGroup`` picks the API group; when empty it is discovered on first use.
        QPS/burst come from ``k8sClientQPS``/``k8sClientBurst`` (default 50/100).
        """
        spec = config.spec
        if spec.datastore_type not in ("", "kubernetes"):
            raise ConfigError(f"datastoreType is {spec.datastore_type!r}, not 'kubernetes'")
        connection = kube_connection(config, context, env=env)
        return cls.from_connection(
            connection,
            api_group=spec.calico_api_group or None,
            use_pod_cidr=spec.use_pod_cidr,
            retry_policy=retry_policy,
            sleep=sleep,
            random=random,
            clock=clock,
        )

    @classmethod
    def from_connection(
        cls,
        connection: KubeConnection,
        *,
        api_group: str | None = None,
        use_pod_cidr: bool = False,
        retry_policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
        clock: Callable[[], float] = time.monotonic,
    ) -> KubernetesBackend:
        """A backend for resolved connection settings (builds and owns the ``ApiClient``)."""
        api_client, cleanup = _api_client(connection)
        limiter = RateLimiter(connection.qps, connection.burst, clock=clock, sleep=sleep)
        return cls(
            api_client,
            api_group=api_group,
            retry_policy=retry_policy,
            rate_limiter=limiter,
            sleep=sleep,
            random=random,
            use_pod_cidr=use_pod_cidr,
            owns_client=True,
            cleanup=cleanup,
        )

    def __repr__(self) -> str:
        host = getattr(getattr(self._api, "configuration", None), "host", "?")
        return f"KubernetesBackend(server={host!r}, api_group={self._api_group!r})"

    def __enter__(self) -> KubernetesBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release connections (and, for a client this backend built, its temporary credential files)."""
        if self._closed:
            return
        self._closed = True
        if self._owns_client:
            with contextlib.suppress(Exception):
                self._api.close()
        if self._cleanup is not None:
            self._cleanup()

    # -- API group --------------------------------------------------------------------------------

    @property
    def api_group(self) -> str:
        """``crd.projectcalico.org/v1`` or ``projectcalico.org/v3``; discovered (``GET /api``,
        ``GET /apis``) on first use when not configured, as libcalico-go's ``UsingV3CRDs``."""
        if self._api_group is None:
            self._api_group = self._discover_api_group()
        return self._api_group

    def _discover_api_group(self) -> str:
        try:
            for path in ("/api", "/apis"):
                try:
                    document = self._call("GET", "GET", path)
                except _ApiError as exc:  # ServerGroups tolerates NotFound/Forbidden per prefix
                    if exc.code in (403, 404):
                        document = {}
                    else:
                        raise
                if path == "/apis":
                    return choose_api_group(group_names(document))
        except (_ApiError, _ConnectionFailure) as exc:
            _log.warning(
                "Failed to query API server for supported API groups, cannot autodiscover API group, "
                "defaulting to %s: %s",
                GROUP_V1,
                exc,
            )
        return GROUP_V1

    # -- HTTP -------------------------------------------------------------------------------------

    def _url_and_headers(self, method: str, target: str, has_body: bool) -> tuple[str, dict[str, str]]:
        headers = {"Accept": _JSON}
        if has_body:
            headers["Content-Type"] = _JSON
        # param_serialize adds the host, default headers (User-Agent), cookies and the bearer token
        # (refreshing it through the configuration's hook when one is set).
        _, url, full_headers, _, _ = self._api.param_serialize(
            method, target, header_params=headers, auth_settings=["BearerToken"]
        )
        return str(url), dict(full_headers)

    def _send(
        self,
        method: str,
        path: str,
        query: Mapping[str, str] | None = None,
        body: Any = None,
        *,
        stream: bool = False,
        read_timeout: float | None = None,
    ) -> Any:
        """One HTTP request (rate-limited, no retries): the decoded JSON, or a :class:`_Response`."""
        target = path + ("?" + urlencode(query) if query else "")
        url, headers = self._url_and_headers(method, target, body is not None)
        data = None if body is None else json.dumps(body, separators=(",", ":")).encode()
        self._limiter.acquire()
        timeout = urllib3.Timeout(connect=min(self._timeout, 30.0), read=read_timeout or self._timeout)
        _log.debug("%s %s", method, target)
        try:
            raw = self._api.rest_client.pool_manager.request(
                method,
                url,
                body=data,
                headers=headers,
                timeout=timeout,
                retries=False,
                preload_content=False,
                redirect=False,
            )
        except urllib3.exceptions.SSLError as exc:
            raise _ConnectionFailure(method, url.split("?", 1)[0], exc, retryable=False) from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise _ConnectionFailure(method, url.split("?", 1)[0], exc) from exc
        status = int(raw.status)
        if stream and status < 400:
            return _Response(raw, method, url.split("?", 1)[0])
        try:
            payload = raw.read()
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise _ConnectionFailure(method, url.split("?", 1)[0], exc) from exc
        finally:
            with contextlib.suppress(Exception):
                raw.release_conn()
        _log.debug("%s %s -> %d (%d bytes)", method, target, status, len(payload))
        decoded: Any
        try:
            decoded = json.loads(payload) if payload else {}
        except ValueError:
            decoded = None
        if status >= 400:
            if not isinstance(decoded, Mapping) or decoded.get("kind") != "Status":
                text = payload.decode("utf-8", "replace").strip()
                decoded = {"code": status, "message": text} if text else {"code": status}
            raise _ApiError(status, decoded, _retry_after(raw.headers.get("Retry-After")))
        if not isinstance(decoded, Mapping):
            raise _ConnectionFailure(method, url.split("?", 1)[0], ValueError("response is not a JSON object"))
        return decoded

    def _call(
        self,
        verb: str,
        method: str,
        path: str,
        query: Mapping[str, str] | None = None,
        body: Any = None,
        *,
        preconditions: bool = False,
        reconcile: Callable[[BaseException], Done[Any] | Resolution] | None = None,
        stream: bool = False,
        read_timeout: float | None = None,
        send: Callable[[], Any] | None = None,
    ) -> Any:
        """:meth:`_send` under the retry policy; raises :class:`_ApiError`/:class:`_ConnectionFailure`."""

        def attempt() -> Any:
            if send is not None:
                return send()
            return self._send(method, path, query, body, stream=stream, read_timeout=read_timeout)

        return self._policy.call(
            attempt,
            verb=verb,
            classify=_classify,
            preconditions=preconditions,
            reconcile=reconcile,
            sleep=self._sleep,
            random=self._random,
        )

    # -- kinds ------------------------------------------------------------------------------------

    def _info(self, kind: str) -> KindInfo | None:
        return KINDS.get(kind)

    def _namespaced(self, kind: str) -> bool:
        info = KINDS.get(kind)
        return info.namespaced if info is not None else _INTERNAL_KIND_SCOPE.get(kind, False)

    def _crd_source(self, info: KindInfo) -> _Source:
        group = self.api_group
        if group == GROUP_V3:
            plural, item_kind = info.plural, info.kind
        else:
            if info.v1_plural is None or info.v1_kind is None:  # pragma: no cover - registry invariant
                raise OperationNotSupported(f"{info.kind} has no crd.projectcalico.org/v1 resource")
            plural, item_kind = info.v1_plural, info.v1_kind
        group_name = group.split("/", 1)[0]
        return _Source(
            kind=info.kind,
            prefix=f"/apis/{group}",
            plural=plural,
            namespaced=info.namespaced,
            qualified=f"{plural}.{group_name}",
            item_api_version=group,
            item_kind=item_kind,
            # Responses are decoded per request and dropped after conversion: no defensive copy.
            convert=from_crd_shared,
        )

    def _core_source(self, kind: str, collection: _CoreCollection) -> _Source:
        use_pod_cidr = self._use_pod_cidr

        def convert(obj: Mapping[str, Any]) -> Resource | None:
            return from_core(kind, obj, use_pod_cidr=use_pod_cidr)

        group = collection.api_version.rpartition("/")[0]
        return _Source(
            kind=kind,
            prefix=collection.prefix,
            plural=collection.plural,
            namespaced=collection.namespaced,
            qualified=f"{collection.plural}.{group}" if group else collection.plural,
            item_api_version=collection.api_version,
            item_kind=collection.kind,
            convert=convert,
        )

    def _crd_info(self, kind: str) -> KindInfo | None:
        info = KINDS.get(kind)
        return info if info is not None and info.storage == "crd" else None

    def _unsupported(self, operation: str, kind: str, name: str, namespace: str | None, reason: str = "") -> None:
        ident = _ident(kind, name, namespace, self._namespaced(kind))
        raise OperationNotSupported(
            f"operation {operation} is not supported on {ident}" + (f": {reason}" if reason else "")
        )

    def _check_known(self, kind: str) -> None:
        if kind not in KINDS and kind not in _DERIVED:
            raise OperationNotSupported(f"resource kind {kind} is not supported by the Kubernetes datastore")

    # -- Backend: writes --------------------------------------------------------------------------

    def create(self, resource: Resource) -> Resource:
        """POST the resource's custom resource; the result carries the server's resourceVersion and uid.

        After a connection failure or 5xx the object is read back: if it exists with our content
        the create happened (success); if it does not exist the create is sent again; if it exists
        with other content, :class:`ResourceAlreadyExists`.
        """
        meta = resource.metadata
        info = self._write_info("Create", resource)
        source = self._crd_source(info)
        body = to_crd(resource, api_group=self.api_group)
        ident = _ident(info.kind, meta.name, meta.namespace, info.namespaced)
        item_path = source.item(meta.name, meta.namespace)
        state = {"ambiguous": False}

        def read_back() -> Done[Any] | Resolution:
            try:
                current = self._call("GET", "GET", item_path)
            except _ApiError as exc:
                return Resolution.RETRY if exc.code == 404 else Resolution.GIVE_UP
            except _ConnectionFailure:
                return Resolution.GIVE_UP
            if _contains(current, _comparable(body)):
                _log.debug("create of %s: the object exists with our content after an unknown outcome", ident)
                return Done(current)
            raise _ApiError(
                409, {"reason": "AlreadyExists", "message": f'{source.qualified} "{meta.name}" already exists'}, None
            )

        def send() -> Any:
            try:
                return self._send("POST", source.collection(meta.namespace), None, body)
            except _ApiError as exc:
                if state["ambiguous"] and exc.reason == "AlreadyExists":
                    # An earlier attempt whose answer was lost may have created it.
                    decision = read_back()
                    if isinstance(decision, Done):
                        return decision.value
                if exc.code >= 500:
                    state["ambiguous"] = True
                raise
            except _ConnectionFailure:
                state["ambiguous"] = True
                raise

        def reconcile(exc: BaseException) -> Done[Any] | Resolution:
            return read_back()

        try:
            created = self._call("CREATE", "POST", "", send=send, reconcile=reconcile)
        except (_ApiError, _ConnectionFailure) as exc:
            raise _calico_error(exc, ident) from None
        return self._convert_one(source, created)

    def update(self, resource: Resource) -> Resource:
        """PUT with ``metadata.resourceVersion`` (optimistic concurrency; a stale one is a conflict).

        After a connection failure or 5xx the object is read back: a new resourceVersion with our
        content means the update happened; otherwise it is sent again (the resourceVersion makes
        that safe: a lost race becomes :class:`ResourceConflict`).
        """
        meta = resource.metadata
        info = self._write_info("Update", resource)
        source = self._crd_source(info)
        body = to_crd(resource, api_group=self.api_group)
        ident = _ident(info.kind, meta.name, meta.namespace, info.namespaced)
        item_path = source.item(meta.name, meta.namespace)

        def reconcile(exc: BaseException) -> Done[Any] | Resolution:
            try:
                current = self._call("GET", "GET", item_path)
            except (_ApiError, _ConnectionFailure):
                return Resolution.RETRY
            if _meta(current).get("resourceVersion") != meta.resource_version and _contains(current, _comparable(body)):
                return Done(current)
            return Resolution.RETRY

        try:
            updated = self._call("UPDATE", "PUT", item_path, None, body, reconcile=reconcile)
        except (_ApiError, _ConnectionFailure) as exc:
            raise _calico_error(exc, ident) from None
        return self._convert_one(source, updated)

    def delete(
        self,
        kind: str,
        name: str,
        namespace: str | None = None,
        *,
        uid: str | None = None,
        resource_version: str | None = None,
    ) -> Resource:
        """Get, then DELETE with a UID precondition; returns the object as it was.

        The precondition is the caller's ``uid`` (converted with ``ConvertUID`` in v1 mode, as
        libcalico-go) or, when none is given, the uid just read, so a re-created object is never
        deleted by mistake and the request can be retried safely.  ``resource_version`` is sent
        as a precondition too when given (libcalico-go's KDD ignores it).
        """
        self._check_known(kind)
        info = self._crd_info(kind)
        if info is None:
            self._unsupported("Delete", kind, name, namespace)
            raise AssertionError("unreachable")  # pragma: no cover
        source = self._crd_source(info)
        ident = _ident(kind, name, namespace, info.namespaced)
        item_path = source.item(name, namespace)
        try:
            raw = self._call("GET", "GET", item_path)
        except (_ApiError, _ConnectionFailure) as exc:
            raise _calico_error(exc, ident) from None
        existing = self._convert_one(source, raw)
        preconditions: JSONDict = {}
        if uid:
            preconditions["uid"] = convert_uid(uid) if self.api_group == GROUP_V1 else uid
        elif _meta(raw).get("uid"):
            preconditions["uid"] = _meta(raw)["uid"]
        if resource_version:
            preconditions["resourceVersion"] = resource_version
        options = {"apiVersion": "v1", "kind": "DeleteOptions", "preconditions": preconditions}
        state = {"ambiguous": False}

        def send() -> Any:
            try:
                return self._send("DELETE", item_path, None, options)
            except _ApiError as exc:
                if state["ambiguous"] and exc.code == 404:
                    return {}  # an earlier attempt whose answer was lost deleted it
                if exc.code >= 500:
                    state["ambiguous"] = True
                raise
            except _ConnectionFailure:
                state["ambiguous"] = True
                raise

        try:
            self._call("DELETE", "DELETE", "", send=send, preconditions=bool(preconditions))
        except (_ApiError, _ConnectionFailure) as exc:
            raise _calico_error(exc, ident) from None
        return existing

    def _write_info(self, operation: str, resource: Resource) -> KindInfo:
        kind = resource.KIND
        self._check_known(kind)
        info = self._crd_info(kind)
        if info is None:
            meta = resource.metadata
            self._unsupported(operation, kind, meta.name, meta.namespace)
            raise AssertionError("unreachable")  # pragma: no cover
        return info

    # -- Backend: reads ---------------------------------------------------------------------------

    def get(self, kind: str, name: str, namespace: str | None = None) -> Resource:
        self._check_known(kind)
        info = self._crd_info(kind)
        ident = _ident(kind, name, namespace, self._namespaced(kind))
        if info is None:
            return self._get_core(kind, name, namespace, ident)
        source = self._crd_source(info)
        try:
            raw = self._call("GET", "GET", source.item(name, namespace))
        except (_ApiError, _ConnectionFailure) as exc:
            raise _calico_error(exc, ident) from None
        return self._convert_one(source, raw)

    def _convert_one(self, source: _Source, raw: Mapping[str, Any]) -> Resource:
        resource = source.convert(source.with_type(raw))
        if resource is None:
            name = _meta(raw).get("name", "")
            raise ResourceNotFound(
                f"resource does not exist: {_ident(source.kind, name, _meta(raw).get('namespace'), source.namespaced)}"
            )
        return resource

    def _get_core(self, kind: str, name: str, namespace: str | None, ident: str) -> Resource:
        derived = _DERIVED[kind]
        static = derived.static.get(name)
        if static is not None:
            return static()
        target = derived.target(name, namespace or "")
        if target is None:
            reason = derived.malformed.format(name=name)
            raise ResourceNotFound(f"resource does not exist: {ident} with error: {reason}")
        index, obj_namespace, obj_name = target
        source = self._core_source(kind, derived.collections[index])
        try:
            raw = self._call("GET", "GET", source.item(obj_name, obj_namespace))
        except (_ApiError, _ConnectionFailure) as exc:
            raise _calico_error(exc, ident) from None
        resource = source.convert(source.with_type(raw))
        if resource is None or resource.metadata.name != name:
            # e.g. a host-networked Pod, or a WorkloadEndpoint name that is not this Pod's
            raise ResourceNotFound(f"resource does not exist: {ident}")
        return resource

    def list(self, kind: str, namespace: str | None = None, *, label_selector: str | None = None) -> ListResult:
        """Every item (pages of 500 with ``continue``); a kind whose CRD is not installed lists empty.

        Items that fail conversion are skipped with a warning, as libcalico-go's ``pagedList``.
        ``label_selector`` (Kubernetes syntax) applies to the v3 labels; it is also sent to the
        server where the stored labels are the v3 labels (native v3 CRDs, and in v1 mode when every
        key is one libcalico-go copies onto the CR).
        """
        self._check_known(kind)
        selector = self._parse_selector(label_selector)
        info = self._crd_info(kind)
        if info is None:
            return self._list_core(kind, namespace, selector)
        source = self._crd_source(info)
        server_selector = label_selector if self._server_side_selector(selector) else None
        items, revision = self._list_source(source, namespace, server_selector)
        return ListResult([r for r in items if selector.matches(r.metadata.labels)], revision)

    def _parse_selector(self, text: str | None) -> LabelSelector:
        try:
            return parse_label_selector(text)
        except LabelSelectorError as exc:
            raise DatastoreError(f"invalid label selector {text!r}: {exc}") from None

    def _server_side_selector(self, selector: LabelSelector) -> bool:
        if selector.empty:
            return False
        return self.api_group == GROUP_V3 or all(is_ours(r.key) for r in selector.requirements)

    def _list_core(self, kind: str, namespace: str | None, selector: LabelSelector) -> ListResult:
        derived = _DERIVED[kind]
        items: _Resources = [make() for make in derived.static.values()]
        revisions: _Strs = []
        for collection in derived.collections:
            source = self._core_source(kind, collection)
            scope = namespace if collection.namespaced and derived.namespace_scoped else None
            converted, revision = self._list_source(source, scope, None)
            items.extend(converted)
            revisions.append(revision)
        revision = derived.join_revisions(*revisions)
        return ListResult([r for r in items if selector.matches(r.metadata.labels)], revision)

    def _list_raw(self, source: _Source, namespace: str | None, label_selector: str | None) -> tuple[_Raws, str]:
        """client-go's pager: ``limit`` pages with ``continue``; a 410 on a later page falls back to
        one full list; NotFound means an empty list."""
        path = source.collection(namespace)
        base: dict[str, str] = {}
        if label_selector:
            base["labelSelector"] = label_selector
        items: _Raws = []
        revision = ""
        token = ""
        first = True
        while True:
            query = {**base, "limit": str(self._page_size)}
            if token:
                query["continue"] = token
            try:
                page = self._call("LIST", "GET", path, query)
            except _ApiError as exc:
                if _is(exc, "NotFound", 404):
                    _log.debug("list %s: not found, treated as empty", source.qualified)
                    return items, revision
                if token and (exc.code == 410 or exc.reason in ("Expired", "Gone")):
                    _log.debug("list %s: continue token expired, falling back to a full list", source.qualified)
                    page = self._call("LIST", "GET", path, base)
                    full = [source.with_type(i) for i in page.get("items") or []]
                    return full, str(_meta(page).get("resourceVersion", ""))
                raise
            if first:
                revision = str(_meta(page).get("resourceVersion", ""))
                first = False
            items.extend(source.with_type(i) for i in page.get("items") or [])
            token = str(_meta(page).get("continue") or "")
            if not token:
                return items, revision

    def _list_source(
        self, source: _Source, namespace: str | None, label_selector: str | None
    ) -> tuple[_Resources, str]:
        try:
            raw_items, revision = self._list_raw(source, namespace, label_selector)
        except (_ApiError, _ConnectionFailure) as exc:
            raise _calico_error(exc, None) from None
        out: _Resources = []
        for raw in raw_items:
            resource = self._convert_item(source, raw)
            if resource is not None:
                out.append(resource)
        return out, revision

    def _convert_item(self, source: _Source, raw: Mapping[str, Any]) -> Resource | None:
        try:
            return source.convert(raw)
        except (CalicoError, ValueError, TypeError, KeyError, AttributeError) as exc:
            meta = _meta(raw)
            _log.warning(
                "unable to process resource, skipping: %s %s/%s: %s",
                source.qualified,
                meta.get("namespace", ""),
                meta.get("name", ""),
                exc,
            )
            return None

    # -- Backend: watch ---------------------------------------------------------------------------

    def watch(
        self,
        kind: str,
        namespace: str | None = None,
        *,
        resource_version: str = "",
        label_selector: str | None = None,
        timeout: float | None = None,
    ) -> Iterator[WatchEvent]:
        """Changes to ``kind`` as :class:`WatchEvent` objects, until ``timeout`` seconds have passed
        (``None``: until the caller stops iterating).

        * Without ``resource_version`` the current objects are listed first and yielded as ADDED.
        * A stream that ends or drops is re-opened from the last resourceVersion seen (events or
          BOOKMARKs), so nothing is missed or repeated.
        * When that version is too old (410 Gone) the kind is listed again and the differences from
          what this watch has yielded are emitted (ADDED / MODIFIED / DELETED); objects it never
          yielded are ADDED, so consumers should treat ADDED as "upsert".
        * An object that fails conversion yields an ERROR event and the watch goes on; any other
          ERROR from the server is yielded and ends the watch.
        """
        self._check_known(kind)
        selector = self._parse_selector(label_selector)
        info = self._crd_info(kind)
        if info is not None:
            source = self._crd_source(info)
            server_selector = label_selector if self._server_side_selector(selector) else None
        else:
            collections = _DERIVED[kind].collections
            if len(collections) != 1:
                self._unsupported("Watch", kind, "", namespace, "watching a kind derived from two collections")
            source = self._core_source(kind, collections[0])
            server_selector = None
        return self._watch(source, namespace, resource_version, selector, server_selector, timeout)

    def _watch(
        self,
        source: _Source,
        namespace: str | None,
        resource_version: str,
        selector: LabelSelector,
        server_selector: str | None,
        timeout: float | None,
    ) -> Iterator[WatchEvent]:
        deadline = None if timeout is None else time.monotonic() + timeout
        known: dict[tuple[str, str], Resource] = {}
        revision = resource_version
        if not revision:
            items, revision = self._list_source(source, namespace, server_selector)
            for item in items:
                if selector.matches(item.metadata.labels):
                    known[_key(item)] = item
                    yield WatchEvent("ADDED", item, item.metadata.resource_version)
        failures = 0
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return
            seconds = _WATCH_REQUEST_SECONDS if remaining is None else max(1, math.ceil(min(remaining, 300)))
            query = {"watch": "true", "allowWatchBookmarks": "true", "timeoutSeconds": str(seconds)}
            if revision:
                query["resourceVersion"] = revision
            if server_selector:
                query["labelSelector"] = server_selector
            try:
                response = self._call(
                    "WATCH", "GET", source.collection(namespace), query, stream=True, read_timeout=seconds + 30.0
                )
            except _ApiError as exc:
                if exc.code == 410:
                    revision = yield from self._resync(source, namespace, server_selector, selector, known)
                    continue
                raise _calico_error(exc, None) from None
            except _ConnectionFailure as exc:
                raise _calico_error(exc, None) from None
            try:
                for line in response.lines():
                    failures = 0
                    try:
                        event = json.loads(line)
                    except ValueError:
                        _log.warning("watch %s: undecodable event skipped", source.qualified)
                        continue
                    kind = str(event.get("type", ""))
                    obj = event.get("object") if isinstance(event.get("object"), Mapping) else {}
                    if kind == "ERROR":
                        if obj.get("code") == 410 or obj.get("reason") in ("Expired", "Gone"):
                            _log.debug("watch %s: resourceVersion %s expired, re-listing", source.qualified, revision)
                            revision = yield from self._resync(source, namespace, server_selector, selector, known)
                            break
                        yield WatchEvent("ERROR", None, revision, error=str(obj.get("message", "watch error")))
                        return
                    new_revision = str(_meta(obj).get("resourceVersion") or revision)
                    if kind == "BOOKMARK":
                        revision = new_revision
                        yield WatchEvent("BOOKMARK", None, revision)
                    elif kind in ("ADDED", "MODIFIED", "DELETED"):
                        revision = new_revision
                        yield from self._event(source, kind, obj, selector, known, revision)
                    if deadline is not None and time.monotonic() >= deadline:
                        return
            except _ConnectionFailure as exc:
                failures += 1
                delay = self._policy.backoff(failures, self._random())
                _log.debug("watch %s: stream failed (%s); re-opening in %.3fs", source.qualified, exc, delay)
                self._sleep(delay)
            finally:
                response.close()

    def _event(
        self,
        source: _Source,
        kind: str,
        obj: Mapping[str, Any],
        selector: LabelSelector,
        known: dict[tuple[str, str], Resource],
        revision: str,
    ) -> Iterator[WatchEvent]:
        meta = _meta(obj)
        key = (str(meta.get("namespace") or ""), str(meta.get("name") or ""))
        try:
            resource = source.convert(source.with_type(obj))
        except (CalicoError, ValueError, TypeError, KeyError, AttributeError) as exc:
            yield WatchEvent("ERROR", None, revision, error=f"unable to convert {source.qualified} {key[1]}: {exc}")
            return
        if resource is not None:
            key = _key(resource)
        previous = known.get(key)
        matches = resource is not None and selector.matches(resource.metadata.labels)
        if kind == "DELETED" or not matches:
            # Deleted, or no longer shown (left the label selection, or e.g. a Pod became host-networked).
            if previous is not None or (kind == "DELETED" and matches):
                known.pop(key, None)
                yield WatchEvent(
                    "DELETED", resource if kind == "DELETED" and resource is not None else previous, revision
                )
            return
        assert resource is not None
        known[key] = resource
        event_type: WatchEventType = "MODIFIED" if kind == "MODIFIED" else "ADDED"
        if event_type == "MODIFIED" and previous is None and not selector.empty:
            event_type = "ADDED"  # it has just entered the label selection
        yield WatchEvent(event_type, resource, revision)

    def _resync(
        self,
        source: _Source,
        namespace: str | None,
        server_selector: str | None,
        selector: LabelSelector,
        known: dict[tuple[str, str], Resource],
    ) -> Generator[WatchEvent, None, str]:
        """Re-list after a 410 and yield the differences from ``known``; returns the list revision."""
        items, revision = self._list_source(source, namespace, server_selector)
        current = {_key(r): r for r in items if selector.matches(r.metadata.labels)}
        for key, resource in current.items():
            previous = known.get(key)
            if previous is None:
                yield WatchEvent("ADDED", resource, resource.metadata.resource_version)
            elif previous.metadata.resource_version != resource.metadata.resource_version:
                yield WatchEvent("MODIFIED", resource, resource.metadata.resource_version)
        for key in [k for k in known if k not in current]:
            yield WatchEvent("DELETED", known.pop(key), revision)
        known.clear()
        known.update(current)
        return revision


# -- ApiClient construction ------------------------------------------------------------------------


def _api_client(connection: KubeConnection) -> tuple[Any, Callable[[], None]]:
    """A ``kubernetes.client.ApiClient`` for ``connection`` with urllib3's retries switched off.

    Inline client certificate/key data go to private temporary files (urllib3 needs paths),
    removed by the returned cleanup function.
    """
    from kubernetes import client

    configuration = client.Configuration()
    configuration.host = connection.server.rstrip("/")
    configuration.retries = False
    configuration.client_go_retries = False
    configuration.verify_ssl = not connection.insecure_skip_tls_verify
    if connection.ca_file:
        configuration.ssl_ca_cert = connection.ca_file
    if connection.ca_data:
        configuration.ca_cert_data = connection.ca_data.decode("ascii", "replace")
    if connection.tls_server_name:
        configuration.tls_server_name = connection.tls_server_name
    tmpdir: str | None = None

    def write(name: str, data: bytes) -> str:
        nonlocal tmpdir
        if tmpdir is None:
            tmpdir = tempfile.mkdtemp(prefix="calicopy-kube-")
        path = os.path.join(tmpdir, name)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return path

    configuration.cert_file = connection.cert_file or (
        write("client.crt", connection.cert_data) if connection.cert_data else None
    )
    configuration.key_file = connection.key_file or (
        write("client.key", connection.key_data) if connection.key_data else None
    )
    if connection.bearer_token or connection.bearer_token_file:
        configuration.api_key_prefix["authorization"] = "Bearer"
        configuration.api_key["authorization"] = connection.bearer_token or _read_token(connection.bearer_token_file)
        if connection.bearer_token_file and not connection.bearer_token:
            token_file = connection.bearer_token_file

            def refresh(conf: Any) -> None:  # client-go re-reads a token file (projected tokens rotate)
                with contextlib.suppress(OSError):
                    conf.api_key["authorization"] = _read_token(token_file)

            configuration.refresh_api_key_hook = refresh  # type: ignore[assignment]

    def cleanup() -> None:
        if tmpdir is not None:
            import shutil

            shutil.rmtree(tmpdir, ignore_errors=True)

    return client.ApiClient(configuration), cleanup


def _read_token(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read().strip()
    except OSError as exc:
        raise ConfigError(f"cannot read the bearer token file {path}: {exc.strerror}") from None
