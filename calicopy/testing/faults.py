"""Fault injection for the fake API server: make matching requests fail, wait, drop, or end
their watch stream early (:attr:`FakeKubeAPIServer.faults <calicopy.testing.FakeKubeAPIServer.faults>`).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Fault", "FaultAction", "FaultInjector"]

FaultAction = Literal["status", "delay", "drop", "end_watch"]


@dataclass(slots=True)
class Fault:
    """One injected fault; ``times`` left (None: forever), ``hits`` so far."""

    action: FaultAction
    method: str | None = None
    path: re.Pattern[str] | None = None
    times: int | None = 1
    status: int = 500
    message: str = ""
    retry_after: int | None = None
    seconds: float = 0.0
    after_events: int = 0
    hits: int = 0

    def matches(self, method: str, target: str) -> bool:
        if self.method is not None and self.method.upper() != method:
            return False
        return self.path is None or self.path.search(target) is not None


@dataclass
class FaultInjector:
    """Make matching requests fail.  ``path`` is a regex searched in the request target (path and
    query string, e.g. ``r"/ippools"`` or ``r"watch=(1|true)"``); ``method`` an HTTP method."""

    _faults: list[Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def fail(
        self,
        status: int = 500,
        *,
        method: str | None = None,
        path: str | None = None,
        times: int | None = 1,
        message: str = "",
        retry_after: int | None = None,
    ) -> Fault:
        """The next ``times`` matching requests get ``status`` (a Status body; ``Retry-After`` when given)."""
        return self._add(
            Fault("status", method, _compile(path), times, status=status, message=message, retry_after=retry_after)
        )

    def delay(
        self, seconds: float, *, method: str | None = None, path: str | None = None, times: int | None = None
    ) -> Fault:
        """Add ``seconds`` of latency to matching requests (then serve them normally)."""
        return self._add(Fault("delay", method, _compile(path), times, seconds=seconds))

    def drop(self, *, method: str | None = None, path: str | None = None, times: int | None = 1) -> Fault:
        """Close the connection of matching requests without answering."""
        return self._add(Fault("drop", method, _compile(path), times))

    def end_watch(self, *, after_events: int = 0, path: str | None = None, times: int | None = 1) -> Fault:
        """End matching watch streams (cleanly, as at a server timeout) after ``after_events`` events."""
        return self._add(Fault("end_watch", "GET", _compile(path), times, after_events=after_events))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def active(self) -> list[Fault]:
        with self._lock:
            return [f for f in self._faults if f.times is None or f.times > 0]

    def take(self, method: str, target: str, *, watch: bool) -> list[Fault]:
        """The faults that apply to one request (their counters are consumed)."""
        out: list[Fault] = []
        with self._lock:
            for fault in self._faults:
                if fault.times is not None and fault.times <= 0:
                    continue
                if fault.action == "end_watch" and not watch:
                    continue
                if not fault.matches(method, target):
                    continue
                if fault.times is not None:
                    fault.times -= 1
                fault.hits += 1
                out.append(fault)
                if fault.action in ("status", "drop"):
                    break
        return out


def _compile(path: str | None) -> re.Pattern[str] | None:
    return re.compile(path) if path is not None else None
