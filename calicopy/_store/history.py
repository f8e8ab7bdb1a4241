"""The store's history: the revision counter, the log of recent writes, and compaction.

As in etcd, one global revision counts every write; the log keeps the events of the newest
``window`` revisions, which is how far back a watch can start (older revisions are *compacted*:
a watch from there gets HTTP 410 Expired).  The log's lock is the store's lock, and its
condition is what open watches wait on.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from ..errors import ResourceExpired
from .failures import expired
from .objects import Event

__all__ = ["History"]


class History:
    """Revisions and the event log of one store; callers hold :attr:`lock` around every use."""

    def __init__(self, window: int) -> None:
        if window < 1:
            raise ValueError("window must be at least 1")
        self.window = window
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.revision = 1  # etcd starts at 1 before the first write
        self.compacted = 1  # revisions at or below this one are gone
        self.closed = False
        self._events: list[Event] = []  # contiguous revisions: _events[i].revision == _base + i
        self._base = 2

    def next_revision(self) -> int:
        """Take the revision of a new write."""
        self.revision += 1
        return self.revision

    def record(self, event: Event) -> int:
        """Log the write at the newest revision and wake the watches; returns the compacted revision."""
        self._events.append(event)
        compacted = self.revision - self.window
        if compacted > self.compacted:
            self.compacted = compacted
            drop = compacted + 1 - self._base
            # Trimming copies the list: do it once per window of writes, not on every write.
            if drop > 0 and len(self._events) > 2 * self.window:
                del self._events[:drop]
                self._base += drop
        self.changed.notify_all()
        return self.compacted

    def after(self, cursor: int) -> tuple[Sequence[Event], ResourceExpired | None]:
        """The events with a revision above ``cursor``, or the 410 when they are compacted away."""
        if cursor >= self.revision:
            return [], None
        if cursor < self.compacted or cursor + 1 < self._base:
            return [], self.too_old(cursor)
        return self._events[cursor + 1 - self._base :], None

    def too_old(self, cursor: int) -> ResourceExpired:
        return expired(f"too old resource version: {cursor} ({self.compacted})")

    def close(self) -> None:
        """Wake and end every watch."""
        self.closed = True
        self.changed.notify_all()

    def reopen(self) -> None:
        self.closed = False
