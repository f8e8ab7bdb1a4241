"""The per-kind hook interface of the clientv3 layer, and the batch memo bulk writes share.

libcalico-go's ``lib/clientv3/<kind>.go`` wraps the generic ``resources.go`` pipeline with what
is particular to one kind: IPPool overlap checks and its disable-then-delete, a policy's tier
must exist, the static default-allow Profile, Tier deletion rules, BGPPeer filters, singleton
configuration names.  :class:`KindHooks` is that wrapper with every method a no-op, so the
pipeline calls each hook unconditionally and a kind overrides only what it needs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, Literal, Protocol, TypeVar

from ...backends.base import Backend
from ...errors import ErroredField, ResourceNotFound
from ...resources.meta import Resource

__all__ = ["Batch", "KindHooks", "Operation", "Pipeline", "listed"]

#: The verbs calicoctl's resource managers distinguish when they refuse a kind.
Operation = Literal["create", "apply", "replace", "delete", "patch"]

R = TypeVar("R", bound=Resource)
T = TypeVar("T")


class Pipeline(Protocol):
    """What a hook may use of the clientv3 pipeline that calls it (:class:`calicopy.clientv3.Pipeline`)."""

    backend: Backend
    sleep: Callable[[float], None]

    def read(self, resource: R) -> R:
        """clientv3's read defaults, in place."""
        ...

    def update(self, new: R, old: Resource) -> R:
        """clientv3's Update of ``new`` over the stored ``old``."""
        ...


class Batch:
    """Answers shared by the writes of one bulk operation (``Client.apply_all``), and, while it
    is ``planning``, the objects the operation is going to create.

    :meth:`memo` computes a value once per key; concurrent callers for the same key wait for the
    first one.  A computation that raises is not remembered, so the next caller tries again, as
    a per-write check would.  A planning batch checks every write before any is made: the
    datastore is read once per kind (:meth:`list`) and the objects planned so far
    (:meth:`planned`) count as present, so that a pool overlapping another pool of the same batch,
    or a policy whose tier comes in the same batch, is judged as the writes would judge it.
    """

    def __init__(self, *, planning: bool = False, known: Iterable[Hashable] = ()) -> None:
        self.planning = planning
        self._values: dict[Hashable, Any] = dict.fromkeys(known, True)
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()
        self._planned: dict[str, list[Resource]] = {}

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._guard:
            if key in self._values:
                return self._values[key]  # type: ignore[no-any-return]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                if key in self._values:
                    return self._values[key]  # type: ignore[no-any-return]
            value = compute()
            with self._guard:
                self._values[key] = value
            return value

    def exists(self, client: Pipeline, kind: str, name: str) -> bool:
        """Whether ``kind``/``name`` is stored (read once per batch), or, while planning, planned."""
        if any(r.metadata.name == name for r in self.planned(kind)):
            return True
        return self.memo(("exists", kind, name), lambda: _stored(client, kind, name))

    def known_to_exist(self) -> list[Hashable]:
        """The existence answers that were yes: a later batch of the same operation may start from them."""
        with self._guard:
            return [k for k, v in self._values.items() if isinstance(k, tuple) and k[0] == "exists" and v is True]

    def objects(self, client: Pipeline, kind: str) -> list[Resource]:
        """The stored objects of ``kind`` (read once while planning; fresh otherwise, since the
        batch's own writes change them), followed by the objects planned so far."""
        if not self.planning:
            return client.backend.list(kind).items
        return [*self.memo(("list", kind), lambda: client.backend.list(kind).items), *self.planned(kind)]

    def plan(self, resource: Resource) -> None:
        """Count ``resource`` as present for the checks of the writes planned after it."""
        with self._guard:
            self._planned.setdefault(resource.KIND, []).append(resource)

    def planned(self, kind: str) -> list[Resource]:
        with self._guard:
            return list(self._planned.get(kind, ()))


def _stored(client: Pipeline, kind: str, name: str) -> bool:
    try:
        client.backend.get(kind, name)
    except ResourceNotFound:
        return False
    return True


def listed(client: Pipeline, kind: str, batch: Batch | None) -> list[Resource]:
    """The objects of ``kind`` a check must see: the datastore's, or the batch's view of it."""
    return batch.objects(client, kind) if batch is not None else client.backend.list(kind).items


class KindHooks:
    """What one kind adds to the generic clientv3 pipeline (every method defaults to nothing)."""

    def refuse(self, operation: Operation, kind: str, name: str, identifier: str) -> None:
        """calicoctl's resource-manager refusals (read-only kinds, objects managed elsewhere):
        raise :class:`~calicopy.errors.OperationNotSupported` before anything is read or written."""

    def write_errors(self, resource: Resource) -> list[ErroredField]:
        """clientv3's Create/Update checks that are not validator rules and need no datastore."""
        return []

    def check_create(self, client: Pipeline, resource: R, batch: Batch | None) -> R:
        """Create-time checks that read the datastore; returns the object to store.  Outside a
        batch, what :meth:`create_requirements` names is left to the backend's create."""
        return resource

    def create_requirements(self, resource: Resource) -> Sequence[tuple[str, str]]:
        """Objects that must be stored for a create of ``resource`` to happen, checked by the
        backend's create itself (in its transaction where it has one): (kind, name) pairs."""
        return ()

    def before_update(self, client: Pipeline, new: R, old: Resource) -> R:
        """Update-time checks before defaulting and validation (immutable fields, refusals)."""
        return new

    def check_update(self, client: Pipeline, new: Resource, old: Resource, batch: Batch | None) -> None:
        """Update-time checks that read the datastore, after validation."""

    def delete(self, client: Pipeline, kind: str, name: str, namespace: str, resource_version: str | None) -> Resource:
        """clientv3's Delete; the default deletes the stored object (with the precondition given)."""
        deleted = client.backend.delete(kind, name, namespace or None, resource_version=resource_version)
        return client.read(deleted)

    def sort(self, items: list[Resource]) -> None:
        """Put listed items in calicoctl's order, in place (default: the datastore's order)."""
