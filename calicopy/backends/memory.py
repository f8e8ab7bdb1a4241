"""An embedded datastore: the Backend protocol on :class:`calicopy.testing.store.Store`.

The same revisioned store engine runs behind the fake Kubernetes API server, so optimistic
concurrency, resourceVersions, label-selector lists and watches behave as they do against a
real API server.  Objects are kept as projectcalico.org/v3 ``to_dict()`` dicts, one store
resource per kind (the kind's plural, e.g. ``ippools``), keyed by namespace and name, and
come back through ``Model.from_storage`` (unknown fields survive a round trip).

Errors carry libcalico-go's texts, as its etcdv3 backend words them::

    resource does not exist: IPPool(pool1) with error: <nil>
    resource already exists: IPPool(pool1) with error: <nil>
    update conflict: IPPool(pool1)

Like libcalico-go's etcdv3 backend, the static profile ``projectcalico-default-allow`` is
always present: a Get returns it and a Profile list ends with it.

This module imports :mod:`calicopy.testing`; it is loaded only by ``Client.in_memory()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..errors import (
    ErroredField,
    OperationNotSupported,
    ResourceAlreadyExists,
    ResourceConflict,
    ResourceNotFound,
    SelectorError,
    ValidationError,
)
from ..resources.meta import Resource
from ..resources.registry import KINDS, KindInfo
from ..testing.store import (
    AlreadyExists,
    BadRequest,
    Conflict,
    Expired,
    NotFound,
    Store,
    StoreError,
    Watch,
    clone_dict,
    parse_label_selector,
)
from .base import ListResult, WatchEvent

__all__ = ["DEFAULT_ALLOW_PROFILE", "MemoryBackend"]

#: libcalico-go's static profile (``lib/resources/static.go``), revision "1".
DEFAULT_ALLOW_PROFILE = "projectcalico-default-allow"
_DEFAULT_ALLOW: dict[str, Any] = {
    "kind": "Profile",
    "apiVersion": "projectcalico.org/v3",
    "metadata": {"name": DEFAULT_ALLOW_PROFILE, "resourceVersion": "1"},
    "spec": {"ingress": [{"action": "Allow"}], "egress": [{"action": "Allow"}]},
}

# Attempts of the read-then-delete loop when no resourceVersion precondition is given.
_DELETE_ATTEMPTS = 10


def _info(kind: str) -> KindInfo:
    try:
        return KINDS[kind]
    except KeyError:
        raise OperationNotSupported(f"resource type '{kind}' is not supported") from None


def _identifier(kind: str, name: str, namespace: str) -> str:
    return f"{kind}({namespace}/{name})" if namespace else f"{kind}({name})"


def _not_found(kind: str, name: str, namespace: str) -> ResourceNotFound:
    return ResourceNotFound(f"resource does not exist: {_identifier(kind, name, namespace)} with error: <nil>")


def _conflict(kind: str, name: str, namespace: str) -> ResourceConflict:
    return ResourceConflict(f"update conflict: {_identifier(kind, name, namespace)}")


class MemoryBackend:
    """The Backend protocol on an in-process :class:`~calicopy.testing.store.Store`.

    ``store``: share an existing store (e.g. one a test inspects); by default the backend
    makes its own and closes it in :meth:`close`.
    """

    def __init__(self, store: Store | None = None) -> None:
        self._owns_store = store is None
        self.store: Store = store if store is not None else Store()

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

    def create(self, resource: Resource) -> Resource:
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
                f"resource already exists: {DEFAULT_ALLOW_PROFILE} with error: {DEFAULT_ALLOW_PROFILE} already exists. "
                f'The profile "{DEFAULT_ALLOW_PROFILE}" is default provided by Calico'
            )
        uid = meta.pop("uid", None) or None
        try:
            stored = self.store.create(info.plural, data, uid=uid)
        except AlreadyExists:
            raise ResourceAlreadyExists(
                f"resource already exists: {_identifier(info.kind, name, namespace)} with error: <nil>"
            ) from None
        except StoreError as exc:
            raise ValidationError([ErroredField("metadata.name", exc.message, name)], resource=resource.label) from None
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
                f"operation Update is not supported on {DEFAULT_ALLOW_PROFILE}: The profile "
                f'"{DEFAULT_ALLOW_PROFILE}" is a default provided by Calico and cannot be updated'
            )
        try:
            stored = self.store.update(info.plural, data, require_resource_version=True)
        except NotFound:
            raise _not_found(info.kind, name, namespace) from None
        except Conflict as exc:
            if "UID in precondition" in exc.message:  # K8sErrorToCalico: a UID mismatch is "does not exist"
                raise _not_found(info.kind, name, namespace) from None
            raise _conflict(info.kind, name, namespace) from None
        return self._load(info, stored)

    def get(self, kind: str, name: str, namespace: str | None = None) -> Resource:
        info = _info(kind)
        ns = self._namespace(info, namespace)
        try:
            data = self.store.get(info.plural, name, ns)
        except NotFound:
            if info.kind == "Profile" and name == DEFAULT_ALLOW_PROFILE:
                return self._load(info, clone_dict(_DEFAULT_ALLOW))
            raise _not_found(info.kind, name, ns) from None
        return self._load(info, data)

    def list(self, kind: str, namespace: str | None = None, *, label_selector: str | None = None) -> ListResult:
        info = _info(kind)
        ns = self._namespace(info, namespace) if info.namespaced and namespace else None
        try:
            result = self.store.list(info.plural, ns, label_selector=label_selector)
        except BadRequest as exc:
            raise SelectorError(label_selector or "", exc.message) from None
        items = [self._load(info, d) for d in result.items]
        if info.kind == "Profile" and all(p.metadata.name != DEFAULT_ALLOW_PROFILE for p in items):
            default_allow = self._load(info, clone_dict(_DEFAULT_ALLOW))
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
                f"operation Delete is not supported on {DEFAULT_ALLOW_PROFILE}: The profile "
                f'"{DEFAULT_ALLOW_PROFILE}" is a default provided by Calico and cannot be deleted'
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
            except NotFound:
                raise _not_found(info.kind, name, ns) from None
            except Conflict as exc:
                if "UID in precondition" in exc.message:
                    raise _not_found(info.kind, name, ns) from None
                if resource_version:
                    raise _conflict(info.kind, name, ns) from None
                continue
            return self._load(info, before)
        raise _conflict(info.kind, name, ns)

    def watch(
        self,
        kind: str,
        namespace: str | None = None,
        *,
        resource_version: str = "",
        label_selector: str | None = None,
        timeout: float | None = None,
    ) -> Iterator[WatchEvent]:
        """Events from ``resource_version`` on (empty: ADDED for every current object first).

        ``timeout``: stop once no event arrived for that many seconds (``None``: until the
        backend closes).  An expired resourceVersion gives one ERROR event and ends the watch.
        """
        info = _info(kind)
        ns = self._namespace(info, namespace) if info.namespaced and namespace else None
        try:
            watch = self.store.watch(
                info.plural, ns, resource_version=resource_version or None, label_selector=label_selector
            )
        except BadRequest as exc:
            raise SelectorError(label_selector or "", exc.message) from None
        return self._events(info, watch, timeout)

    def _events(self, info: KindInfo, watch: Watch, timeout: float | None) -> Iterator[WatchEvent]:
        try:
            while True:
                try:
                    event = watch.next(timeout)
                except Expired as exc:
                    yield WatchEvent("ERROR", None, watch.resource_version, error=exc.message)
                    return
                if event is None:
                    return
                rv = str(event.revision)
                if event.type == "DELETED":
                    obj = event.previous if event.previous is not None else event.object
                    yield WatchEvent("DELETED", self._load(info, clone_dict(obj)), rv)
                else:
                    yield WatchEvent(event.type, self._load(info, clone_dict(event.object)), rv)
        finally:
            watch.close()

    def close(self) -> None:
        if self._owns_store:
            self.store.close()
