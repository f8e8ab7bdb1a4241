"""The per-kind hook interface of the clientv3 layer, and the batch memo bulk writes share.

libcalico-go's ``lib/clientv3/<kind>.go`` wraps the generic ``resources.go`` pipeline with what
is particular to one kind: IPPool overlap checks and its disable-then-delete, a policy's tier
must exist, the static default-allow Profile, Tier deletion rules, BGPPeer filters, singleton
configuration names.  :class:`KindHooks` is that wrapper with every method a no-op, so the
pipeline calls each hook unconditionally and a kind overrides only what it needs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from ...errors import ErroredField
from ...resources.meta import Resource

if TYPE_CHECKING:
    from ..client import ClientV3

__all__ = ["Batch", "KindHooks", "Operation"]

#: The verbs calicoctl's resource managers distinguish when they refuse a kind.
Operation = Literal["create", "apply", "replace", "delete", "patch"]

R = TypeVar("R", bound=Resource)
T = TypeVar("T")


class Batch:
    """Answers shared by the writes of one bulk operation (``Client.apply_all``).

    :meth:`memo` computes a value once per key; concurrent callers for the same key wait for the
    first one.  A computation that raises is not remembered, so the next caller tries again, as
    a per-write check would.
    """

    def __init__(self) -> None:
        self._values: dict[Hashable, Any] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

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


class KindHooks:
    """What one kind adds to the generic clientv3 pipeline (every method defaults to nothing)."""

    def refuse(self, operation: Operation, kind: str, name: str, identifier: str) -> None:
        """calicoctl's resource-manager refusals (read-only kinds, objects managed elsewhere):
        raise :class:`~calicopy.errors.OperationNotSupported` before anything is read or written."""

    def write_errors(self, resource: Resource) -> list[ErroredField]:
        """clientv3's Create/Update checks that are not validator rules and need no datastore."""
        return []

    def check_create(self, client: ClientV3, resource: R, batch: Batch | None) -> R:
        """Create-time checks that read the datastore; returns the object to store."""
        return resource

    def before_update(self, client: ClientV3, new: R, old: Resource) -> R:
        """Update-time checks before defaulting and validation (immutable fields, refusals)."""
        return new

    def check_update(self, client: ClientV3, new: Resource, old: Resource) -> None:
        """Update-time checks that read the datastore, after validation."""

    def delete(self, client: ClientV3, kind: str, name: str, namespace: str, resource_version: str | None) -> Resource:
        """clientv3's Delete; the default deletes the stored object (with the precondition given)."""
        deleted = client.backend.delete(kind, name, namespace or None, resource_version=resource_version)
        return client.read(deleted)

    def sort(self, items: list[Resource]) -> None:
        """Put listed items in calicoctl's order, in place (default: the datastore's order)."""
