"""An open watch on the store: the events of one resource after a revision, through selectors.

It reads the store's :class:`~calicopy._store.history.History`; the fake API server streams
its events as a watch response, the memory backend turns them into ``WatchEvent``s.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator

from ..errors import ResourceExpired
from ..labelselector import LabelSelector
from .history import History
from .objects import Event, JSONDict
from .query import FieldSelector

__all__ = ["Watch"]


class Watch:
    """An open watch: iterate it, or call :meth:`next` with a timeout.  Yields :class:`Event`s
    already translated for the watch's selectors (an object that stops matching arrives as
    DELETED, one that starts matching as ADDED).  Raises :class:`~calicopy.errors.ResourceExpired`
    (HTTP 410) when its revision is (or falls) out of the history window."""

    def __init__(
        self,
        history: History,
        resource: str,
        namespace: str | None,
        cursor: int,
        labels: LabelSelector,
        fields: FieldSelector,
        initial: list[Event],
        error: ResourceExpired | None,
    ) -> None:
        self._history = history
        self.resource = resource
        self.namespace = namespace
        self.cursor = cursor
        self._labels = labels
        self._fields = fields
        self._pending: deque[Event] = deque(initial)
        self._error = error
        self._closed = False

    @property
    def resource_version(self) -> str:
        """The newest revision this watch has seen (what a BOOKMARK reports)."""
        return str(self.cursor)

    def close(self) -> None:
        self._closed = True
        with self._history.lock:
            self._history.changed.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed or self._history.closed

    def _matches(self, obj: JSONDict | None) -> bool:
        if obj is None:
            return False
        meta = obj["metadata"]
        return self._fields.matches(meta) and self._labels.matches(meta.get("labels"))

    def _translate(self, event: Event) -> Event | None:
        if event.resource != self.resource or (self.namespace is not None and event.namespace != self.namespace):
            return None
        if self._labels.empty and self._fields.empty:
            return event
        if event.type == "ADDED":
            return event if self._matches(event.object) else None
        if event.type == "DELETED":
            return event if self._matches(event.previous) else None
        was, now = self._matches(event.previous), self._matches(event.object)
        if was and now:
            return event
        if now:
            return Event("ADDED", event.resource, event.namespace, event.revision, event.object, event.previous)
        if was:
            return Event("DELETED", event.resource, event.namespace, event.revision, event.object, event.previous)
        return None

    def next(self, timeout: float | None = None) -> Event | None:
        """The next event; None when ``timeout`` passes first or the watch/store is closed."""
        deadline = None if timeout is None else time.monotonic() + timeout
        history = self._history
        while True:
            if self._pending:
                return self._pending.popleft()
            if self._error is not None:
                error, self._error = self._error, None
                self._closed = True
                raise error
            if self.closed:
                return None
            with history.lock:
                events, expired = history.after(self.cursor)
                if expired is not None:
                    self._error = expired
                    continue
                if events:
                    for event in events:
                        translated = self._translate(event)
                        if translated is not None:
                            self._pending.append(translated)
                    self.cursor = events[-1].revision
                    continue
                wait = None if deadline is None else deadline - time.monotonic()
                if wait is not None and wait <= 0:
                    return None
                history.changed.wait(wait)

    def __iter__(self) -> Iterator[Event]:
        while True:
            event = self.next()
            if event is None:
                return
            yield event

    def __enter__(self) -> Watch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
