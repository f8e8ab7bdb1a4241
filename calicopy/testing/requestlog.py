"""The fake API server's record of the requests it received, for assertions."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator, Sequence
from typing import NamedTuple, overload

__all__ = ["DEFAULT_REQUEST_LOG_SIZE", "Request", "RequestLog"]

#: How many requests a server remembers unless told otherwise.
DEFAULT_REQUEST_LOG_SIZE = 10_000


class Request(NamedTuple):
    """One request: its method and its target (path and query string, as sent)."""

    method: str
    target: str


class RequestLog(Sequence[Request]):
    """The last ``maxlen`` requests, oldest first: a read-only sequence, safe to read while the
    server appends from its threads.

    Index and slice it like a list (``log[-1]``, ``log[-3:]``, each slice a new list); ``total``
    counts every request since the server was made (or :meth:`clear`), also those no longer
    kept, so ``log.since(mark)`` with ``mark = log.total`` gives the requests after a point.
    """

    def __init__(self, maxlen: int = DEFAULT_REQUEST_LOG_SIZE) -> None:
        if maxlen < 1:
            raise ValueError(f"a request log keeps at least one request, not {maxlen}")
        self._items: deque[Request] = deque(maxlen=maxlen)
        self._lock = threading.Lock()
        self.total = 0

    @property
    def maxlen(self) -> int:
        """How many requests are kept; older ones are dropped first."""
        return self._items.maxlen or 0

    def append(self, method: str, target: str) -> None:
        with self._lock:
            self._items.append(Request(method, target))
            self.total += 1

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.total = 0

    def since(self, mark: int) -> list[Request]:
        """The requests received after ``total`` was ``mark`` (those still kept)."""
        with self._lock:
            missed = self.total - mark
            if missed <= 0:
                return []
            items = list(self._items)
        return items[-missed:]

    def _snapshot(self) -> list[Request]:
        with self._lock:
            return list(self._items)

    @overload
    def __getitem__(self, index: int) -> Request: ...

    @overload
    def __getitem__(self, index: slice) -> list[Request]: ...

    def __getitem__(self, index: int | slice) -> Request | list[Request]:
        return self._snapshot()[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Request]:
        return iter(self._snapshot())

    def __contains__(self, value: object) -> bool:
        return value in self._snapshot()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RequestLog):
            return self._snapshot() == other._snapshot()
        if isinstance(other, Sequence) and not isinstance(other, (str, bytes)):
            return self._snapshot() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RequestLog({self._snapshot()!r}, maxlen={self.maxlen})"
