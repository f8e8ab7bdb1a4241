"""What every resource client of the Kubernetes datastore shares (libcalico-go's ``resources/client.go``).

* :class:`ResourceClient`: the operations one kind supports (libcalico-go's ``K8sResourceClient``);
* :class:`Context`: the transport and settings a client works with;
* :class:`Source`: a Kubernetes collection and the conversion of its objects to a Calico kind;
* :func:`list_source`: a paged list converted item by item, unconvertible items skipped;
* :func:`unsupported`: libcalico-go's ``ErrorOperationNotSupported``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from ...backends.base import ListResult, WatchEvent
from ...backends.gcpause import gc_paused
from ...errors import DatastoreError, OperationNotSupported, ResourceNotFound
from ...labelselector import LabelSelector
from ...resources.meta import Resource
from ..convert import CONVERSION_ERRORS
from ..kinds import is_namespaced
from ..requests import (
    ApiError,
    Collection,
    ConnectionFailure,
    Target,
    calico_error,
    collection_target,
    is_not_found,
    metadata_of,
    not_served,
    resource_target,
)
from ..transport import Transport
from .list_pager import iter_pages

__all__ = [
    "Context",
    "ResourceClient",
    "Source",
    "convert_one",
    "gc_paused",
    "list_source",
    "target_of",
    "unsupported",
]

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Context:
    """What a resource client works with.  ``api_group`` discovers the group on its first call;
    ``serves`` tells whether the server serves an API path (``/apis/<group>/<version>``)."""

    transport: Transport
    api_group: Callable[[], str]
    page_size: int
    use_pod_cidr: bool
    serves: Callable[[str], bool]

    def error(self, exc: ApiError | ConnectionFailure, target: Target, collection: Collection) -> DatastoreError:
        """The calicopy error for a failed request to ``collection`` about ``target``
        (:func:`~calicopy.kdd.requests.calico_error`), except that a 404 from a group-version the
        server does not serve at all says so, rather than "does not exist"."""
        if isinstance(exc, ApiError) and is_not_found(exc):
            try:
                served = self.serves(collection.prefix)
            except (ApiError, ConnectionFailure) as failed:
                return calico_error(failed, target)
            if not served:
                return not_served(exc, target, collection)
        return calico_error(exc, target)


@dataclass(frozen=True, slots=True)
class Source:
    """One Kubernetes collection a Calico kind is read from, and how its objects convert."""

    kind: str  # the Calico kind
    collection: Collection
    convert: Callable[[Mapping[str, Any]], Resource | None]


class ResourceClient(Protocol):
    """One kind's operations; the backend dispatches to it (``K8sResourceClient``)."""

    def create(self, resource: Resource) -> Resource: ...

    def update(self, resource: Resource) -> Resource: ...

    def delete(
        self, name: str, namespace: str | None, *, uid: str | None, resource_version: str | None
    ) -> Resource: ...

    def get(self, name: str, namespace: str | None) -> Resource: ...

    def list(self, namespace: str | None, selector: LabelSelector, label_selector: str | None) -> ListResult: ...

    def watch(
        self,
        namespace: str | None,
        *,
        resource_version: str,
        selector: LabelSelector,
        label_selector: str | None,
        timeout: float | None,
        known: Iterable[Resource] | None = None,
    ) -> Iterator[WatchEvent]: ...


def target_of(kind: str, name: str, namespace: str | None) -> Target:
    """The error target of one object of ``kind`` (see :func:`calicopy.kdd.requests.resource_target`)."""
    return resource_target(kind, name, namespace, is_namespaced(kind))


def unsupported(operation: str, kind: str, name: str, namespace: str | None, detail: str = "") -> OperationNotSupported:
    """``operation <op> is not supported on <Kind(name)>[: <detail>]``."""
    return OperationNotSupported(operation=operation, detail=detail, **target_of(kind, name, namespace).fields())


def convert_one(source: Source, raw: Mapping[str, Any]) -> Resource:
    """The resource for an object the server returned; :class:`ResourceNotFound` when the kind does
    not show it (a host-networked Pod...)."""
    resource = source.convert(source.collection.with_type(raw))
    if resource is None:
        meta = metadata_of(raw)
        namespace = meta.get("namespace") if source.collection.namespaced else None
        target = resource_target(source.kind, meta.get("name", ""), namespace, source.collection.namespaced)
        raise ResourceNotFound(f"resource does not exist: {target.text}", **target.fields())
    return resource


def convert_item(source: Source, raw: Mapping[str, Any]) -> Resource | None:
    """A list item as a resource; None (with a warning) when it cannot be converted, as libcalico-go's
    ``pagedList`` skips such items."""
    try:
        return source.convert(raw)
    except CONVERSION_ERRORS as exc:
        meta = metadata_of(raw)
        _log.warning(
            "unable to process resource, skipping: %s %s/%s: %s",
            source.collection.qualified,
            meta.get("namespace", ""),
            meta.get("name", ""),
            exc,
        )
        return None


def list_source(
    context: Context, source: Source, namespace: str | None, label_selector: str | None, resource_version: str = ""
) -> tuple[list[Resource], str]:
    """Every convertible object of ``source`` (paged) and the list's revision; ``resource_version``:
    as they were at exactly that version."""
    collection = source.collection
    with gc_paused():
        return _list_converted(context, source, collection, namespace, label_selector, resource_version)


def _list_converted(
    context: Context,
    source: Source,
    collection: Collection,
    namespace: str | None,
    label_selector: str | None,
    resource_version: str,
) -> tuple[list[Resource], str]:
    out: list[Resource] = []
    revision = ""
    try:
        # Each page is converted as it arrives (iter_pages).
        for page in iter_pages(
            context.transport, collection, namespace, label_selector, context.page_size, resource_version
        ):
            if page.restart:
                out = []
            revision = page.revision
            for raw in page.items:
                resource = convert_item(source, raw)
                if resource is not None:
                    out.append(resource)
    except ApiError as exc:
        # libcalico-go lists a kind whose CRD is not installed as empty; calicopy does so only
        # where the group-version is served (else the API group is wrong, or Calico is absent).
        if is_not_found(exc) and context.serves(collection.prefix):
            _log.debug("list %s: not found, treated as empty", collection.qualified)
            return [], ""
        raise context.error(exc, collection_target(source.kind, namespace), collection) from None
    except ConnectionFailure as exc:
        raise calico_error(exc, collection_target(source.kind, namespace)) from None
    return out, revision
