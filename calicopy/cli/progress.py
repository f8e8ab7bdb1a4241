"""Progress of multi-file and bulk operations on stderr, only when stderr is a terminal (never in
a pipe or a file, so that output stays calicoctl's byte for byte)."""

from __future__ import annotations

import threading

from ..calicoctl.actions import ResourceOutcome
from .base import CliState

__all__ = ["Progress"]


class Progress:
    """``\\r``-rewritten status lines: files read, resources done."""

    def __init__(self, state: CliState) -> None:
        self._state = state
        self._enabled = state.show_progress()
        self._lock = threading.Lock()
        self._done = 0
        self._multi_file = False
        self._shown = False

    def files(self, done: int, total: int, path: str) -> None:
        self._multi_file = total > 1
        self._write(f"reading files: {done}/{total} ({path})")

    def resource(self, outcome: ResourceOutcome) -> None:
        if not self._multi_file:
            return
        with self._lock:
            self._done += 1
            done = self._done
        self._write(f"resources done: {done}")

    def _write(self, text: str) -> None:
        if not self._enabled:
            return
        with self._lock:
            stream = self._state.stderr()
            stream.write("\r\x1b[K" + text)
            stream.flush()
            self._shown = True

    def finish(self) -> None:
        """Clear the status line (before calicoctl's own output)."""
        if self._shown:
            stream = self._state.stderr()
            stream.write("\r\x1b[K")
            stream.flush()
            self._shown = False
