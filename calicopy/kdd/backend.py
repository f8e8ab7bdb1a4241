"""``KubernetesBackend``: the Kubernetes-datastore (KDD) implementation of :class:`calicopy.backends.base.Backend`.

A thin facade, as libcalico-go v3.32.1's ``libcalico-go/lib/backend/k8s/client.go``: it builds the
transport, finds the API group (``discovery.go``) and hands each operation to the client of the
kind (:data:`calicopy.kdd.resources.CLIENTS`).  The parts:

* :mod:`calicopy.kdd.kubeconfig` (with :mod:`calicopy.kdd.kubeconfig_files`) and
  :mod:`calicopy.kdd.credentials`: connection settings and the HTTP client (urllib3) built from them;
* :mod:`calicopy.kdd.requests` (pure): request building, response decoding, error mapping;
* :mod:`calicopy.kdd.transport`: HTTP, rate limiting and retries;
* :mod:`calicopy.kdd.resources`: one client per kind (custom resources; Node, Profile,
  WorkloadEndpoint and KubernetesNetworkPolicy derived from core objects, read-only);
* :mod:`calicopy.kdd.watcher`: watches.

``docs/kdd-backend.md`` describes the behaviour in full.  The backend does not use the
``kubernetes`` package (a caller may still hand it a ``kubernetes.client.ApiClient``).
"""

from __future__ import annotations

import logging
import random as _random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ..backends.base import ListResult, Requirements, WatchEvent, check_requirements
from ..config import CalicoAPIConfig
from ..errors import ConfigError, DatastoreError, OperationNotSupported
from ..labelselector import LabelSelector, LabelSelectorError, parse_label_selector
from ..resources.meta import Resource
from ..retry import RateLimiter, RetryPolicy
from .convert import GROUP_V1
from .credentials import http_client
from .discovery import api_group_from_setting, choose_api_group, group_names
from .kubeconfig import KubeConnection, kube_connection
from .requests import ApiError, ConnectionFailure, Request, is_not_found
from .resources import CLIENTS, Context, ResourceClient
from .transport import Transport

__all__ = ["DEFAULT_PAGE_SIZE", "KubernetesBackend"]

_log = logging.getLogger(__name__)

#: libcalico-go's list page size (``list_pager.go`` via client-go's pager).
DEFAULT_PAGE_SIZE = 500


class KubernetesBackend:
    """The Kubernetes datastore (see the module docstring and ``docs/kdd-backend.md``).

    ``api_client`` is the HTTP client: calicopy's own (:class:`calicopy.kdd.credentials.KubeHTTP`,
    what :meth:`from_config` and :meth:`from_connection` build) or a ``kubernetes.client.ApiClient``
    (only its configuration, auth and connection pool are used).  ``api_group``: ``"crd.projectcalico.org/v1"``,
    ``"projectcalico.org/v3"`` (any other non-empty value means v1, as libcalico-go's
    ``calicoAPIGroup``), or ``None`` to discover it on first use.  ``retry_policy``,
    ``rate_limiter``, ``sleep``, ``random`` and ``clock`` make retries, deadlines and throttling testable;
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
        clock: Callable[[], float] = time.monotonic,
        use_pod_cidr: bool = False,
        page_size: int = DEFAULT_PAGE_SIZE,
        request_timeout: float = 60.0,
        owns_client: bool = False,
    ) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self._api_group = api_group_from_setting(api_group) if api_group else None
        self._transport = Transport(
            api_client,
            limiter=rate_limiter if rate_limiter is not None else RateLimiter(50.0, 100, clock=clock, sleep=sleep),
            policy=retry_policy if retry_policy is not None else RetryPolicy(),
            sleep=sleep,
            random=random,
            clock=clock,
            request_timeout=request_timeout,
            owns_client=owns_client,
        )
        self._context = Context(self._transport, lambda: self.api_group, page_size, use_pod_cidr, self._serves)
        self._clients: dict[str, ResourceClient] = {}
        self._served: set[str] = set()  # API paths the server answered for (a group-version is not withdrawn)

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
        explicit endpoint/certificates/token, or in-cluster; see :func:`calicopy.kdd.kubeconfig.kube_connection`).

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
        """A backend for resolved connection settings (builds and owns its HTTP client)."""
        client = http_client(connection)
        limiter = RateLimiter.for_client(connection.qps, connection.burst, clock=clock, sleep=sleep)
        return cls(
            client,
            api_group=api_group,
            retry_policy=retry_policy,
            rate_limiter=limiter,
            sleep=sleep,
            random=random,
            clock=clock,
            use_pod_cidr=use_pod_cidr,
            owns_client=True,
        )

    def __repr__(self) -> str:
        return f"KubernetesBackend(server={self._transport.host!r}, api_group={self._api_group!r})"

    def __enter__(self) -> KubernetesBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release connections (and close the HTTP client this backend built)."""
        self._transport.close()

    # -- API group --------------------------------------------------------------------------------

    @property
    def api_group(self) -> str:
        """``crd.projectcalico.org/v1`` or ``projectcalico.org/v3``; discovered (``GET /api``,
        ``GET /apis``) on first use when not configured, as libcalico-go's ``UsingV3CRDs``.

        A discovery that fails (the server is unreachable, or answers 5xx after the retries) falls
        back to v1 for this use, with libcalico-go's warning, and is **not** remembered: the next
        use asks again.  v1 is the only group a failed discovery can pick, and it is v3 only where
        v1 is not served, so the fallback never writes to the wrong group; a read there finds the
        group unserved and fails (see :meth:`_serves`) instead of answering empty.
        """
        group = self._api_group
        if group is None:
            group, settled = self._discover_api_group()
            if settled:
                self._api_group = group
        return group

    def _discover_api_group(self) -> tuple[str, bool]:
        """The group, and whether the server's answer decided it (False: the fallback after a failure)."""
        try:
            for path in ("/api", "/apis"):
                try:
                    document = self._transport.json(Request("GET", "GET", path))
                except ApiError as exc:  # ServerGroups tolerates NotFound/Forbidden per prefix
                    if exc.code in (403, 404):
                        document = {}
                    else:
                        raise
                if path == "/apis":
                    return choose_api_group(group_names(document)), True
        except (ApiError, ConnectionFailure) as exc:
            _log.warning(
                "Failed to query API server for supported API groups, cannot autodiscover API group, "
                "defaulting to %s: %s",
                GROUP_V1,
                exc,
            )
        return GROUP_V1, False

    def _serves(self, prefix: str) -> bool:
        """Whether the server serves the API path ``prefix`` (``/apis/crd.projectcalico.org/v1``,
        ``/api/v1``): asked when a request there met 404, remembered once it answered.

        Raises ``ApiError``/``ConnectionFailure`` when the server cannot tell.
        """
        if prefix in self._served:
            return True
        try:
            self._transport.json(Request("GET", "GET", prefix))
        except ApiError as exc:
            if is_not_found(exc):
                return False
            raise
        self._served.add(prefix)
        return True

    # -- dispatch ---------------------------------------------------------------------------------

    def _client(self, kind: str) -> ResourceClient:
        client = self._clients.get(kind)
        if client is None:
            factory = CLIENTS.get(kind)
            if factory is None:
                raise OperationNotSupported(
                    f"resource kind {kind} is not supported by the Kubernetes datastore", kind=kind
                )
            client = self._clients.setdefault(kind, factory(self._context))
        return client

    # -- Backend ----------------------------------------------------------------------------------

    def create(self, resource: Resource, *, requires: Requirements = ()) -> Resource:
        """POST the resource's custom resource (see :class:`~calicopy.kdd.resources.customresource.CustomResourceClient`);
        ``requires`` is read first (Kubernetes has no transactions across objects)."""
        check_requirements(self, requires)
        return self._client(resource.KIND).create(resource)

    def update(self, resource: Resource) -> Resource:
        """PUT with ``metadata.resourceVersion`` (optimistic concurrency; a stale one is a conflict)."""
        return self._client(resource.KIND).update(resource)

    def delete(
        self,
        kind: str,
        name: str,
        namespace: str | None = None,
        *,
        uid: str | None = None,
        resource_version: str | None = None,
    ) -> Resource:
        """Get, then DELETE with a UID precondition; returns the object as it was."""
        return self._client(kind).delete(name, namespace, uid=uid, resource_version=resource_version)

    def get(self, kind: str, name: str, namespace: str | None = None) -> Resource:
        return self._client(kind).get(name, namespace)

    def list(self, kind: str, namespace: str | None = None, *, label_selector: str | None = None) -> ListResult:
        """Every item (pages of 500 with ``continue``); a kind whose CRD is not installed lists empty.

        Items that fail conversion are skipped with a warning, as libcalico-go's ``pagedList``.
        ``label_selector`` (Kubernetes syntax) applies to the v3 labels; it is also sent to the
        server where the stored labels are the v3 labels (native v3 CRDs, and in v1 mode when every
        key is one libcalico-go copies onto the CR).
        """
        client = self._client(kind)
        return client.list(namespace, _parse_selector(label_selector), label_selector)

    def watch(
        self,
        kind: str,
        namespace: str | None = None,
        *,
        resource_version: str = "",
        label_selector: str | None = None,
        timeout: float | None = None,
        known: Iterable[Resource] | None = None,
    ) -> Iterator[WatchEvent]:
        """Changes to ``kind`` as :class:`WatchEvent` objects, until ``timeout`` seconds have passed
        (``None``: until the caller stops iterating).  The contract every backend keeps is
        :meth:`calicopy.backends.base.Backend.watch`'s; here:

        * the list that starts the consumer's view (the current objects, yielded as ADDED, without
          ``resource_version``; else ``known`` or the list exactly at ``resource_version``) is made
          when ``watch`` is called; the stream opens on iteration;
        * a stream that ends or drops is re-opened from the last resourceVersion seen (events or
          BOOKMARKs), so nothing is missed or repeated; one that dropped or ended at once without
          an event only after a backoff;
        * on 410 Gone the kind is listed again and the differences from the consumer's view are
          yielded: ADDED, MODIFIED, and DELETED for what vanished in the gap;
        * an object that fails conversion yields an ERROR event and the watch goes on; any other
          ERROR from the server is yielded and ends the watch.
        """
        client = self._client(kind)
        return client.watch(
            namespace,
            resource_version=resource_version,
            selector=_parse_selector(label_selector),
            label_selector=label_selector,
            timeout=timeout,
            known=known,
        )


def _parse_selector(text: str | None) -> LabelSelector:
    try:
        return parse_label_selector(text)
    except LabelSelectorError as exc:
        raise DatastoreError(f"invalid label selector {text!r}: {exc}", cause=exc) from None
