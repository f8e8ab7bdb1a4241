"""The client of every Calico kind stored as a custom resource (libcalico-go's ``resources/customresource.go``).

Objects go through :func:`calicopy.kdd.convert.to_crd` / ``from_crd`` in
``crd.projectcalico.org/v1`` or the native ``projectcalico.org/v3`` group (the backend's API
group, discovered on first use).  A create or update whose outcome is unknown (5xx, lost
connection) is reconciled by reading the object back rather than repeated blindly; a delete
carries a UID precondition, so it is safe to repeat.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from ...backends.base import ListResult, WatchEvent
from ...errors import OperationNotSupported
from ...labelselector import LabelSelector
from ...resources.meta import Resource
from ...resources.registry import KindInfo
from ...retry import Done, Resolution
from ..convert import GROUP_V1, GROUP_V3, from_crd_shared, is_ours, to_crd
from ..requests import (
    ApiError,
    Collection,
    ConnectionFailure,
    Request,
    Target,
    already_exists,
    collection_target,
    create_request,
    delete_request,
    get_request,
    holds_content,
    metadata_of,
    resource_target,
    update_request,
)
from ..uid import convert_uid
from ..watcher import Watcher
from .base import Context, Source, convert_one, list_source

__all__ = ["CustomResourceClient"]

_log = logging.getLogger(__name__)


def crd_collection(info: KindInfo, api_group: str) -> Collection:
    """Where ``info``'s custom resources live in ``api_group``."""
    if api_group == GROUP_V3:
        plural, item_kind = info.plural, info.kind
    else:
        if info.v1_plural is None or info.v1_kind is None:  # pragma: no cover - registry invariant
            raise OperationNotSupported(f"{info.kind} has no crd.projectcalico.org/v1 resource")
        plural, item_kind = info.v1_plural, info.v1_kind
    return Collection(f"/apis/{api_group}", plural, info.namespaced, api_group, item_kind)


class CustomResourceClient:
    """Create, update, delete, get, list and watch one custom-resource kind."""

    def __init__(self, info: KindInfo, context: Context) -> None:
        self._info = info
        self._context = context
        self._transport = context.transport
        # By API group: a discovery that failed may give another group than the next one.
        self._sources: dict[str, Source] = {}

    def _resolved(self) -> tuple[Source, str]:
        group = self._context.api_group()
        source = self._sources.get(group)
        if source is None:
            # Responses are decoded per request and dropped after conversion: no defensive copy.
            source = self._sources.setdefault(
                group, Source(self._info.kind, crd_collection(self._info, group), from_crd_shared)
            )
        return source, group

    def _target(self, name: str, namespace: str | None) -> Target:
        return resource_target(self._info.kind, name, namespace, self._info.namespaced)

    # -- writes -----------------------------------------------------------------------------------

    def create(self, resource: Resource) -> Resource:
        """POST the custom resource; the result carries the server's resourceVersion and uid.

        After a connection failure or 5xx the object is read back: if it exists with our content
        the create happened (success); if it does not exist the create is sent again; if it exists
        with other content, :class:`~calicopy.errors.ResourceAlreadyExists`.
        """
        source, group = self._resolved()
        collection = source.collection
        meta = resource.metadata
        body = to_crd(resource, api_group=group)
        target = self._target(meta.name, meta.namespace)
        read = get_request(collection, meta.name, meta.namespace)
        post = create_request(collection, meta.namespace, body)
        ambiguous = False

        def read_back() -> Done[Any] | Resolution:
            try:
                current = self._transport.json(read)
            except ApiError as exc:
                return Resolution.RETRY if exc.code == 404 else Resolution.GIVE_UP
            except ConnectionFailure:
                return Resolution.GIVE_UP
            if holds_content(current, body):
                _log.debug("create of %s: the object exists with our content after an unknown outcome", target.text)
                return Done(current)
            raise already_exists(collection, meta.name)

        def send() -> Any:
            nonlocal ambiguous
            try:
                return self._transport.send(post)
            except ApiError as exc:
                if ambiguous and exc.reason == "AlreadyExists":
                    # An earlier attempt whose answer was lost may have created it.
                    decision = read_back()
                    if isinstance(decision, Done):
                        return decision.value
                if exc.code >= 500:
                    ambiguous = True
                raise
            except ConnectionFailure:
                ambiguous = True
                raise

        try:
            created = self._transport.call(post, send=send, reconcile=lambda exc: read_back())
        except (ApiError, ConnectionFailure) as exc:
            raise self._context.error(exc, target, collection) from None
        return convert_one(source, created)

    def update(self, resource: Resource) -> Resource:
        """PUT with ``metadata.resourceVersion`` (optimistic concurrency; a stale one is a conflict).

        After a connection failure or 5xx the object is read back: a new resourceVersion with our
        content means the update happened; otherwise it is sent again (the resourceVersion makes
        that safe: a lost race becomes :class:`~calicopy.errors.ResourceConflict`).
        """
        source, group = self._resolved()
        meta = resource.metadata
        body = to_crd(resource, api_group=group)
        read = get_request(source.collection, meta.name, meta.namespace)

        def reconcile(exc: BaseException) -> Done[Any] | Resolution:
            try:
                current = self._transport.json(read)
            except (ApiError, ConnectionFailure):
                return Resolution.RETRY
            if metadata_of(current).get("resourceVersion") != meta.resource_version and holds_content(current, body):
                return Done(current)
            return Resolution.RETRY

        put = update_request(source.collection, meta.name, meta.namespace, body)
        try:
            updated = self._transport.call(put, reconcile=reconcile)
        except (ApiError, ConnectionFailure) as exc:
            raise self._context.error(exc, self._target(meta.name, meta.namespace), source.collection) from None
        return convert_one(source, updated)

    def delete(self, name: str, namespace: str | None, *, uid: str | None, resource_version: str | None) -> Resource:
        """Get, then DELETE with a UID precondition; returns the object as it was.

        The precondition is the caller's ``uid`` (converted with ``ConvertUID`` in v1 mode, as
        libcalico-go) or, when none is given, the uid just read, so a re-created object is never
        deleted by mistake and the request can be retried safely.  ``resource_version`` is sent
        as a precondition too when given (libcalico-go's KDD ignores it).
        """
        source, group = self._resolved()
        target = self._target(name, namespace)
        try:
            raw = self._transport.json(get_request(source.collection, name, namespace))
        except (ApiError, ConnectionFailure) as exc:
            raise self._context.error(exc, target, source.collection) from None
        existing = convert_one(source, raw)
        if uid:
            precondition_uid = convert_uid(uid) if group == GROUP_V1 else uid
        else:
            precondition_uid = str(metadata_of(raw).get("uid") or "")
        request = delete_request(
            source.collection, name, namespace, uid=precondition_uid, resource_version=resource_version or ""
        )
        try:
            self._transport.call(request, send=self._delete_sender(request))
        except (ApiError, ConnectionFailure) as exc:
            raise self._context.error(exc, target, source.collection) from None
        return existing

    def _delete_sender(self, request: Request) -> Any:
        ambiguous = False

        def send() -> Any:
            nonlocal ambiguous
            try:
                return self._transport.send(request)
            except ApiError as exc:
                if ambiguous and exc.code == 404:
                    return {}  # an earlier attempt whose answer was lost deleted it
                if exc.code >= 500:
                    ambiguous = True
                raise
            except ConnectionFailure:
                ambiguous = True
                raise

        return send

    # -- reads ------------------------------------------------------------------------------------

    def get(self, name: str, namespace: str | None) -> Resource:
        source, _ = self._resolved()
        try:
            raw = self._transport.json(get_request(source.collection, name, namespace))
        except (ApiError, ConnectionFailure) as exc:
            raise self._context.error(exc, self._target(name, namespace), source.collection) from None
        return convert_one(source, raw)

    def list(self, namespace: str | None, selector: LabelSelector, label_selector: str | None) -> ListResult:
        """Every item; ``label_selector`` is also sent to the server where it gives the same answer there."""
        source, group = self._resolved()
        server_selector = label_selector if _server_side(selector, group) else None
        items, revision = list_source(self._context, source, namespace, server_selector)
        if not selector.empty:
            items = [r for r in items if selector.matches(r.metadata.labels)]
        return ListResult(items, revision)

    def watch(
        self,
        namespace: str | None,
        *,
        resource_version: str,
        selector: LabelSelector,
        label_selector: str | None,
        timeout: float | None,
        known: Iterable[Resource] | None = None,
    ) -> Iterator[WatchEvent]:
        source, group = self._resolved()
        server_selector = label_selector if _server_side(selector, group) else None
        watcher = Watcher(
            self._transport,
            source.collection,
            source.convert,
            namespace,
            kind=source.kind,
            relist=lambda at: list_source(self._context, source, namespace, server_selector, at),
            selector=selector,
            server_selector=server_selector,
            error=lambda exc: self._context.error(exc, collection_target(source.kind, namespace), source.collection),
        )
        return watcher.start(resource_version, timeout, known)


def _server_side(selector: LabelSelector, group: str) -> bool:
    """Whether the server can filter by ``selector``: the stored labels are the v3 labels (native v3
    CRDs), or every key is one libcalico-go copies onto the v1 CR."""
    if selector.empty:
        return False
    return group == GROUP_V3 or all(is_ours(r.key) for r in selector.requirements)
