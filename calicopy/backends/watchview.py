"""What the consumer of a watch holds, and the events that keep it right across a re-list.

Every backend's ``watch`` keeps the same contract (``docs/client.md``, "Watch"), the one
client-go's informers keep: the consumer's view starts as the list the watch began from and
changes with every event it is given.  When the watch's resourceVersion expires (410 Gone) the
backend lists again and :meth:`WatchView.replace` yields what turns the view into that list, as
an informer's ``Replace`` does: ADDED for new objects, MODIFIED for a new resourceVersion and
DELETED for every object the consumer holds that vanished in the gap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..labelselector import LabelSelector, parse_label_selector
from ..resources.meta import Resource
from .base import WatchEvent, WatchEventType

__all__ = ["Key", "WatchView", "key_of"]

Key = tuple[str, str]

_EVERYTHING = parse_label_selector(None)


def key_of(resource: Resource) -> Key:
    """(namespace, name): how a view tells objects apart."""
    return (resource.metadata.namespace or "", resource.metadata.name)


class WatchView:
    """The objects the consumer of one watch holds, by (namespace, name).

    ``selector`` is the watch's label selection when the backend applies it here (an object that
    leaves it is DELETED, one that enters it ADDED); a backend whose store already translates
    selections passes none.
    """

    def __init__(self, selector: LabelSelector = _EVERYTHING) -> None:
        self._selector = selector
        self._held: dict[Key, Resource] = {}

    def __len__(self) -> int:
        return len(self._held)

    def seed(self, items: Iterable[Resource]) -> None:
        """The consumer holds ``items`` (those in the selection): what the watch started from."""
        for item in items:
            if self._selector.matches(item.metadata.labels):
                self._held[key_of(item)] = item

    def listed(self, items: Iterable[Resource], revision: str) -> Iterator[WatchEvent]:
        """ADDED for each of ``items`` in the selection, which the consumer then holds."""
        for item in items:
            if self._selector.matches(item.metadata.labels):
                self._held[key_of(item)] = item
                yield WatchEvent("ADDED", item, item.metadata.resource_version or revision)

    def change(self, event_type: str, resource: Resource, revision: str, key: Key | None = None) -> WatchEvent | None:
        """The event to give the consumer for a change the server reported (None: nothing it sees).

        ``key`` names the object when ``resource`` is not shown at all (e.g. a Pod that became
        host-networked is no WorkloadEndpoint): the consumer loses it if it held it.
        """
        key = key_of(resource) if key is None else key
        previous = self._held.get(key)
        matches = self._selector.matches(resource.metadata.labels)
        if event_type == "DELETED" or not matches:
            # Deleted, or no longer in the selection.
            if previous is None and not (event_type == "DELETED" and matches):
                return None
            del self._held[key]
            return WatchEvent("DELETED", resource if event_type == "DELETED" else previous, revision)
        self._held[key] = resource
        out: WatchEventType = "MODIFIED" if event_type == "MODIFIED" else "ADDED"
        if out == "MODIFIED" and previous is None and not self._selector.empty:
            out = "ADDED"  # it has just entered the selection
        return WatchEvent(out, resource, revision)

    def vanished(self, key: Key, revision: str) -> WatchEvent | None:
        """DELETED for an object the consumer held that is no longer shown at all (None: it held none)."""
        previous = self._held.pop(key, None)
        return None if previous is None else WatchEvent("DELETED", previous, revision)

    def replace(self, items: Iterable[Resource], revision: str) -> Iterator[WatchEvent]:
        """After a re-list at ``revision``: the events that turn the view into ``items``."""
        current = {key_of(r): r for r in items if self._selector.matches(r.metadata.labels)}
        for key, resource in current.items():
            previous = self._held.get(key)
            if previous is None:
                yield WatchEvent("ADDED", resource, resource.metadata.resource_version or revision)
            elif previous.metadata.resource_version != resource.metadata.resource_version:
                yield WatchEvent("MODIFIED", resource, resource.metadata.resource_version or revision)
        for key in [k for k in self._held if k not in current]:
            yield WatchEvent("DELETED", self._held.pop(key), revision)
        self._held = current
