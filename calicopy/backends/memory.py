"""An embedded datastore: the Backend protocol on :class:`calicopy._store.Store`.

The same revisioned store engine runs behind the fake Kubernetes API server, so optimistic
concurrency, resourceVersions, label-selector lists and watches behave as they do against a
real API server.  Objects are kept as projectcalico.org/v3 ``to_dict()`` dicts, one store
resource per kind (the kind's plural, e.g. ``ippools``), keyed by namespace and name, and
come back through ``Model.from_storage`` (unknown fields survive a round trip).

The store's errors (worded as the API server words them) are re-targeted to the kind and
name asked for, so they read as libcalico-go's etcdv3 backend words them::

    resource does not exist: IPPool(pool1) with error: <nil>
    resource already exists: IPPool(pool1) with error: <nil>
    update conflict: IPPool(pool1)

Like libcalico-go's etcdv3 backend, the static profile ``projectcalico-default-allow`` is
always present: a Get returns it and a Profile list ends with it.
"""

from __future__ import annotations

import builtins
import logging
import time
from collections.abc import Iterable, Iterator
from typing import Any

from .._store import Store, clone_dict
from .._store import parse_label_selector as parse_store_selector
from ..errors import (
    DatastoreError,
    ErroredField,
    InvalidRequest,
    OperationNotSupported,
    ResourceAlreadyExists,
    ResourceConflict,
    ResourceExpired,
    ResourceNotFound,
    SelectorError,
    ValidationError,
)
from ..labelselector import LabelSelector, parse_label_selector
from ..resources.meta import Resource
from ..resources.registry import KINDS, KindInfo
from ..resources.static import DEFAULT_ALLOW_PROFILE, default_allow_profile
from .base import ListResult, Requirements, WatchEvent, check_requirements
from .watchview import WatchView

__all__ = ["DEFAULT_ALLOW_PROFILE", "MemoryBackend"]

_log = logging.getLogger(__name__)


# Attempts of the read-then-delete loop when no resourceVersion precondition is given.
_DELETE_ATTEMPTS = 10


def _info(kind: str) -> KindInfo:
    try:
        return KINDS[kind]
    except KeyError:
        raise OperationNotSupported(f"resource type '{kind}' is not supported") from None


def _refused(exc: ResourceConflict, kind: str, name: str, namespace: str) -> DatastoreError:
    """A failed update/delete precondition as libcalico-go reports it: K8sErrorToCalico makes a
    UID mismatch "does not exist" (the object asked for is gone, even if its name was reused)."""
    if exc.precondition == "uid":
        return ResourceNotFound(kind=kind, name=name, namespace=namespace or None, precondition="uid")
    retargeted: DatastoreError = exc.for_resource(kind, name, namespace)
    return retargeted


class MemoryBackend:
    """The Backend protocol on an in-process :class:`~calicopy._store.Store`.

    ``store``: share an existing store (e.g. one a test inspects); by default the backend
    makes its own and closes it in :meth:`close`.
    """

    def __init__(self, store: Store | None = None) -> None:
        self._owns_store = store is None
        self.store: Store = store if store is not None else Store()

    def __repr__(self) -> str:
        return f"MemoryBackend(revision={self.store.revision})"

    # -- helpers ------------------------------------------------------------------------------

    @staticmethod
    def _namespace(info: KindInfo, namespace: str | None) -> str:
        return (namespace or "") if info.namespaced else ""

    @staticmethod
    def _load(info: KindInfo, data: dict[str, Any]) -> Resource:
        # etcd keeps no generation; the store's bookkeeping field is not part of the object.
        data.get("metadata", {}).pop("generation", None)
        return info.model.from_storage(data)

    def _to_storage(self, info: KindInfo, resource: Resource) -> dict[str, Any]:
        data = resource.to_dict()
        data["kind"] = info.kind
        data["apiVersion"] = resource.API_VERSION
        meta = data.setdefault("metadata", {})
        meta.pop("selfLink", None)
        if not info.namespaced:
            meta.pop("namespace", None)
        return data

    # -- Backend protocol ---------------------------------------------------------------------

    def create(self, resource: Resource, *, requires: Requirements = ()) -> Resource:
        check_requirements(self, requires)
        info = _info(resource.KIND)
        data = self._to_storage(info, resource)
        meta = data["metadata"]
        name, namespace = meta.get("name", ""), meta.get("namespace", "")
        if meta.get("resourceVersion"):
            raise ValidationError(
                [
                    ErroredField(
                        "metadata.resourceVersion",
                        "field must not be set for a Create request",
                        meta["resourceVersion"],
                    )
                ],
                resource=resource.label,
            )
        if info.kind == "Profile" and name == DEFAULT_ALLOW_PROFILE:
            raise ResourceAlreadyExists(
                kind=info.kind,
                name=name,
                identifier=DEFAULT_ALLOW_PROFILE,
                cause=f'{DEFAULT_ALLOW_PROFILE} already exists. The profile "{DEFAULT_ALLOW_PROFILE}" is default provided by Calico',
            )
        uid = meta.pop("uid", None) or None
        try:
            stored = self.store.create(info.plural, data, uid=uid)
        except ResourceAlreadyExists as exc:
            raise exc.for_resource(info.kind, name, namespace) from None
        except DatastoreError as exc:  # the store's own checks of the object (a missing name)
            raise ValidationError(
                [ErroredField("metadata.name", exc.server_message, name)], resource=resource.label
            ) from None
        return self._load(info, stored)

    def update(self, resource: Resource) -> Resource:
        info = _info(resource.KIND)
        data = self._to_storage(info, resource)
        meta = data["metadata"]
        name, namespace = meta.get("name", ""), meta.get("namespace", "")
        if not meta.get("resourceVersion"):
            raise ValidationError(
                [ErroredField("metadata.resourceVersion", "field must be set for an Update request", "")],
                resource=resource.label,
            )
        if info.kind == "Profile" and name == DEFAULT_ALLOW_PROFILE:
            raise OperationNotSupported(
                operation="Update",
                kind=info.kind,
                name=name,
                identifier=DEFAULT_ALLOW_PROFILE,
                detail=f'The profile "{DEFAULT_ALLOW_PROFILE}" is a default provided by Calico and cannot be updated',
            )
        try:
            stored = self.store.update(info.plural, data, require_resource_version=True)
        except ResourceNotFound as exc:
            raise exc.for_resource(info.kind, name, namespace) from None
        except ResourceConflict as exc:
            raise _refused(exc, info.kind, name, namespace) from None
        return self._load(info, stored)

    def get(self, kind: str, name: str, namespace: str | None = None) -> Resource:
        info = _info(kind)
        ns = self._namespace(info, namespace)
        try:
            data = self.store.get(info.plural, name, ns)
        except ResourceNotFound as exc:
            if info.kind == "Profile" and name == DEFAULT_ALLOW_PROFILE:
                return default_allow_profile()
            raise exc.for_resource(info.kind, name, ns) from None
        return self._load(info, data)

    def list(self, kind: str, namespace: str | None = None, *, label_selector: str | None = None) -> ListResult:
        info = _info(kind)
        ns = self._namespace(info, namespace) if info.namespaced and namespace else None
        try:
            result = self.store.list(info.plural, ns, label_selector=label_selector)
        except InvalidRequest as exc:
            raise SelectorError(label_selector or "", exc.server_message) from None
        items = [self._load(info, d) for d in result.items]
        if info.kind == "Profile" and all(p.metadata.name != DEFAULT_ALLOW_PROFILE for p in items):
            default_allow = default_allow_profile()
            if parse_label_selector(label_selector).matches(default_allow.metadata.labels):
                items.append(default_allow)
        return ListResult(items, result.resource_version)

    def delete(
        self,
        kind: str,
        name: str,
        namespace: str | None = None,
        *,
        uid: str | None = None,
        resource_version: str | None = None,
    ) -> Resource:
        info = _info(kind)
        ns = self._namespace(info, namespace)
        if info.kind == "Profile" and name == DEFAULT_ALLOW_PROFILE:
            raise OperationNotSupported(
                operation="Delete",
                kind=info.kind,
                name=name,
                identifier=DEFAULT_ALLOW_PROFILE,
                detail=f'The profile "{DEFAULT_ALLOW_PROFILE}" is a default provided by Calico and cannot be deleted',
            )
        # Return the object as it was before the delete (libcalico-go returns the previous
        # value): read it, then delete with its resourceVersion as precondition, re-reading
        # if a concurrent write got in between.
        for _ in range(_DELETE_ATTEMPTS):
            try:
                before = self.store.get(info.plural, name, ns)
                self.store.delete(
                    info.plural,
                    name,
                    ns,
                    uid=uid or None,
                    resource_version=resource_version or before["metadata"].get("resourceVersion"),
                )
            except ResourceNotFound as exc:
                raise exc.for_resource(info.kind, name, ns) from None
            except ResourceConflict as exc:
                if exc.precondition == "uid" or resource_version:
                    raise _refused(exc, info.kind, name, ns) from None
                continue  # our own read is stale: a concurrent write got in between
            return self._load(info, before)
        raise ResourceConflict(kind=info.kind, name=name, namespace=ns or None)

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
        """Events until ``timeout`` seconds have passed (``None``: until the backend closes), with
        the contract of :meth:`calicopy.backends.base.Backend.watch`: the consumer's view starts
        as the list the watch began from and, when the store's history no longer reaches the
        watch's revision, a re-list yields the differences (DELETED included).

        The list that starts the view is made now; the store watch opens on iteration.
        """
        info = _info(kind)
        ns = self._namespace(info, namespace) if info.namespaced and namespace else None
        try:
            selector = parse_store_selector(label_selector)
        except InvalidRequest as exc:
            raise SelectorError(label_selector or "", exc.server_message) from None
        view = WatchView(selector)
        deadline = None if timeout is None else time.monotonic() + timeout
        initial: Iterator[WatchEvent] = iter(())
        revision = resource_version
        if revision in ("", "0"):  # "0": any version, so the current one (Kubernetes' meaning)
            items, revision = self._list_at(info, ns, selector, "")
            initial = view.listed(items, revision)
        elif known is not None:
            view.seed(known)
        else:
            try:
                view.seed(self._list_at(info, ns, selector, resource_version)[0])
            except ResourceExpired:
                _log.warning(
                    "watch %s from resourceVersion %s: that version is too old to list, so objects deleted "
                    "before the next re-list cannot be reported (pass known= with the objects held)",
                    info.kind,
                    resource_version,
                )
        return self._events(info, ns, selector, view, initial, revision, deadline)

    def _list_at(
        self, info: KindInfo, namespace: str | None, selector: LabelSelector, revision: str
    ) -> tuple[builtins.list[Resource], str]:
        """The objects (as the store holds them: no static profile) now, or exactly at ``revision``."""
        result = self.store.list(
            info.plural,
            namespace,
            label_selector=selector,
            resource_version=revision or None,
            resource_version_match="Exact" if revision else None,
        )
        return [self._load(info, d) for d in result.items], result.resource_version

    def _events(
        self,
        info: KindInfo,
        namespace: str | None,
        selector: LabelSelector,
        view: WatchView,
        initial: Iterator[WatchEvent],
        revision: str,
        deadline: float | None,
    ) -> Iterator[WatchEvent]:
        yield from initial
        while True:
            watch = self.store.watch(info.plural, namespace, resource_version=revision, label_selector=selector)
            try:
                while True:
                    remaining = None if deadline is None else deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        return
                    try:
                        event = watch.next(remaining)
                    except ResourceExpired:
                        # The history no longer reaches the watch's revision: list again (as after a 410).
                        items, revision = self._list_at(info, namespace, selector, "")
                        yield from view.replace(items, revision)
                        break
                    if event is None:
                        return
                    revision = str(event.revision)
                    obj = event.previous if event.type == "DELETED" and event.previous is not None else event.object
                    change = view.change(event.type, self._load(info, clone_dict(obj)), revision)
                    if change is not None:
                        yield change
            finally:
                watch.close()

    def close(self) -> None:
        if self._owns_store:
            self.store.close()
