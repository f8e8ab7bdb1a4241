"""The Backend protocol: the narrow interface the Client uses, as libcalico-go's ``backend/api``.

A backend stores and returns v3 resources; storage formats (CRDs, etcd keys) never leak above
it.  Semantics every backend keeps:

* ``create`` fails with :class:`~calicopy.errors.ResourceAlreadyExists`; the backend assigns
  ``resourceVersion`` (and ``uid``/``creationTimestamp`` when the caller left them empty).
  ``requires`` names cluster-scoped objects that must be stored for the create to happen (a
  policy's Tier: libcalico-go's "the tier must exist at create"); a missing one is
  :class:`RequirementMissing`, checked before the object's own existence.  A backend with
  transactions checks them in the create's own transaction (etcd); others read them first.
* ``update`` needs ``metadata.resourceVersion``; a stale one is
  :class:`~calicopy.errors.ResourceConflict`, a missing object
  :class:`~calicopy.errors.ResourceNotFound`.
* ``delete`` takes optional ``uid``/``resource_version`` preconditions and returns the deleted object.
* ``list`` returns every item (paging is the backend's business) and the list's resourceVersion,
  from which ``watch`` can continue; a kind the datastore does not hold lists empty.
* Kinds a backend derives from other objects (Kubernetes Nodes, Profiles...) raise
  :class:`~calicopy.errors.OperationNotSupported` on writes.
* ``watch`` keeps the consumer's view right, as an informer does (see :meth:`Backend.watch`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

from ..errors import ResourceNotFound
from ..resources.meta import Resource

__all__ = ["Backend", "ListResult", "RequirementMissing", "WatchEvent", "WatchEventType", "check_requirements"]

#: What a create requires to be stored: (kind, name) of cluster-scoped objects.
Requirements = Sequence[tuple[str, str]]


class RequirementMissing(ResourceNotFound):
    """An object a create requires (``requires=``) is not stored; ``kind``/``name`` name it.

    The layer that asked for the requirement turns it into its own error."""


def check_requirements(backend: Backend, requires: Requirements) -> None:
    """``requires`` checked by reading each object (for backends without transactions)."""
    for kind, name in requires:
        try:
            backend.get(kind, name)
        except ResourceNotFound:
            raise RequirementMissing(kind=kind, name=name) from None


WatchEventType = Literal["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]


@dataclass(frozen=True, slots=True)
class ListResult:
    items: list[Resource]
    resource_version: str = ""


@dataclass(frozen=True, slots=True)
class WatchEvent:
    """One change.  ``object`` is None for BOOKMARK and ERROR; ``resource_version`` is where to resume."""

    type: WatchEventType
    object: Resource | None
    resource_version: str = ""
    error: str = field(default="")


@runtime_checkable
class Backend(Protocol):
    """What the Client needs from a datastore."""

    def create(self, resource: Resource, *, requires: Requirements = ()) -> Resource: ...

    def update(self, resource: Resource) -> Resource: ...

    def get(self, kind: str, name: str, namespace: str | None = None) -> Resource: ...

    def list(self, kind: str, namespace: str | None = None, *, label_selector: str | None = None) -> ListResult: ...

    def delete(
        self,
        kind: str,
        name: str,
        namespace: str | None = None,
        *,
        uid: str | None = None,
        resource_version: str | None = None,
    ) -> Resource: ...

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
        """Changes of ``kind`` until ``timeout`` seconds have passed (``None``: until the caller stops).

        The watch keeps the consumer's *view*, the objects it holds, as client-go's informers do:

        * without ``resource_version`` the current objects are listed and yielded as ADDED first:
          the view is that list;
        * from a ``resource_version`` (a list's) the view is ``known`` (the objects the caller
          holds, e.g. that list's items) or, when ``known`` is None, the objects listed at exactly
          that version (one more list; if the version is already too old for that, the view starts
          empty, with a warning);
        * every event changes the view; when the watch's resourceVersion expires (410 Gone) the kind
          is listed again and the differences are yielded: ADDED (new to the view), MODIFIED (a new
          resourceVersion) and DELETED for every object the view holds that vanished in the gap.
          ADDED may therefore name an object the caller already had (treat it as an upsert).
        """
        ...

    def close(self) -> None: ...
