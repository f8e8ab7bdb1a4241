"""The read-only client of a kind libcalico-go derives from core Kubernetes objects.

Each such kind (``node.py``, ``profile.py``, ``workloadendpoint.py``, ``kubenetworkpolicy.py``
here, after libcalico-go's files of the same names) is described by a :class:`DerivedKind`: the
core collections it is read from, how a Calico name maps to a core object, objects served without
a request and how list revisions combine.  :class:`DerivedClient` does the reads from that
description; every write raises libcalico-go's ``ErrorOperationNotSupported``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ...backends.base import ListResult, WatchEvent
from ...errors import ResourceNotFound
from ...labelselector import LabelSelector
from ...resources.meta import Resource
from ..core import from_core
from ..requests import ApiError, Collection, ConnectionFailure, collection_target, get_request
from ..watcher import Watcher
from .base import Context, Source, list_source, target_of, unsupported

__all__ = ["DerivedClient", "DerivedKind", "ObjectRef", "same_name"]

#: Which core object holds a Calico object: (index into the collections, namespace, name).
ObjectRef = tuple[int, str, str]


def same_name(name: str, namespace: str) -> ObjectRef | None:
    """The core object has the Calico object's name and namespace (in the first collection)."""
    return 0, namespace, name


def _first_revision(*revisions: str) -> str:
    return revisions[0]


@dataclass(frozen=True, slots=True)
class DerivedKind:
    """How libcalico-go reads one derived kind."""

    collections: tuple[Collection, ...]
    # (name, namespace) -> the core object holding it; None: a malformed name.
    target: Callable[[str, str], ObjectRef | None] = same_name
    malformed: str = ""  # the error text for a malformed name ({name} is filled in)
    # Objects served without a request (listed first).
    static: Mapping[str, Callable[[], Resource]] = field(default_factory=lambda: MappingProxyType({}))
    # One revision for a list made of several collections' lists.
    join_revisions: Callable[..., str] = _first_revision
    # Whether list(namespace=...) narrows the namespaced collections (False for cluster-scoped kinds).
    namespace_scoped: bool = True


class DerivedClient:
    """Get, list and (for a single collection) watch a derived kind; writes are not supported."""

    def __init__(self, kind: str, spec: DerivedKind, context: Context) -> None:
        self._kind = kind
        self._spec = spec
        self._context = context
        use_pod_cidr = context.use_pod_cidr

        def convert(obj: Mapping[str, Any]) -> Resource | None:
            return from_core(kind, obj, use_pod_cidr=use_pod_cidr)

        self._sources = tuple(Source(kind, collection, convert) for collection in spec.collections)

    # -- writes: libcalico-go's clients of derived kinds refuse them ------------------------------

    def create(self, resource: Resource) -> Resource:
        raise unsupported("Create", self._kind, resource.metadata.name, resource.metadata.namespace)

    def update(self, resource: Resource) -> Resource:
        raise unsupported("Update", self._kind, resource.metadata.name, resource.metadata.namespace)

    def delete(self, name: str, namespace: str | None, *, uid: str | None, resource_version: str | None) -> Resource:
        raise unsupported("Delete", self._kind, name, namespace)

    # -- reads ------------------------------------------------------------------------------------

    def get(self, name: str, namespace: str | None) -> Resource:
        target = target_of(self._kind, name, namespace)
        static = self._spec.static.get(name)
        if static is not None:
            return static()
        ref = self._spec.target(name, namespace or "")
        if ref is None:
            raise ResourceNotFound(cause=self._spec.malformed.format(name=name), **target.fields())
        index, obj_namespace, obj_name = ref
        source = self._sources[index]
        try:
            raw = self._context.transport.json(get_request(source.collection, obj_name, obj_namespace))
        except (ApiError, ConnectionFailure) as exc:
            raise self._context.error(exc, target, source.collection) from None
        resource = source.convert(source.collection.with_type(raw))
        if resource is None or resource.metadata.name != name:
            # e.g. a host-networked Pod, or a WorkloadEndpoint name that is not this Pod's
            raise ResourceNotFound(f"resource does not exist: {target.text}", **target.fields())
        return resource

    def list(self, namespace: str | None, selector: LabelSelector, label_selector: str | None) -> ListResult:
        """Every object (the static ones first); the selector is applied here, to the Calico labels."""
        items: list[Resource] = [make() for make in self._spec.static.values()]
        revisions: list[str] = []
        for source in self._sources:
            scope = namespace if source.collection.namespaced and self._spec.namespace_scoped else None
            converted, revision = list_source(self._context, source, scope, None)
            items.extend(converted)
            revisions.append(revision)
        revision = self._spec.join_revisions(*revisions)
        return ListResult([r for r in items if selector.matches(r.metadata.labels)], revision)

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
        if len(self._sources) != 1:
            raise unsupported("Watch", self._kind, "", namespace, "watching a kind derived from two collections")
        [source] = self._sources
        watcher = Watcher(
            self._context.transport,
            source.collection,
            source.convert,
            namespace,
            kind=self._kind,
            relist=lambda at: list_source(self._context, source, namespace, None, at),
            selector=selector,
            server_selector=None,
            error=lambda exc: self._context.error(exc, collection_target(source.kind, namespace), source.collection),
        )
        return watcher.start(resource_version, timeout, known)
