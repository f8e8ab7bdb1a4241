"""Watching one kind in etcd as a stream of Calico :class:`~calicopy.backends.base.WatchEvent`.

libcalico-go v3.32.1's ``etcdv3/watcher.go`` and ``conversion.go`` (``convertWatchEvent``), with
the re-list its callers (the watcher-syncer) do when a watch fails:

* without a starting revision the kind is listed first and yielded as ADDED (the static
  default-allow profile is not: ``removeDefaultAllowProfile``); the watch then starts at the
  list's revision + 1, with previous values (``WithPrevKV``);
* a PUT whose ``create_revision`` is its ``mod_revision`` is ADDED, any other PUT MODIFIED, a
  DELETE is DELETED with the previous value; with a label selector an object that enters or
  leaves the selection is ADDED or DELETED;
* a compacted revision (``canceled`` with ``compact_revision``, at the start or later: calicopy's
  :class:`~calicopy.errors.ResourceExpired`) and a dropped stream (etcd restarted) are not errors:
  the stream is re-opened from the last revision seen, and after a compaction the kind is listed
  again and the differences from what the watch has yielded are emitted;
* a value that cannot be parsed yields an ERROR event and the watch goes on; a watch etcd cancels
  for another reason yields ERROR and ends.

``timeout`` is the watch's duration, as on every backend: it ends that many seconds after it
started, however busy the kind is; but a watch that starts in the past first delivers the history
up to the revision current when it was created, which etcd sends from a background loop (every
100 ms), waiting up to ``CATCH_UP`` seconds past the deadline for it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import Any

from ..backends.base import WatchEvent
from ..backends.watchview import WatchView
from ..errors import ConversionError, DatastoreError, ResourceExpired
from ..labelselector import LabelSelector
from ..resources.meta import Resource
from .codecs import Codec
from .transport import KV, EtcdError, EtcdTransport, EtcdUnavailable

__all__ = ["CATCH_UP", "Watcher"]

_log = logging.getLogger(__name__)

#: How long past its deadline a watch waits for the history it asked for.
CATCH_UP = 1.0

#: How long a watch keeps re-opening a stream to an etcd that does not answer.
REOPEN_WINDOW = 10.0
_REOPEN_PAUSE = 0.2

Relist = Callable[[], tuple[list[Resource], int]]


class _Dropped(Exception):
    """The stream failed; ``revision`` is where to continue, ``opened`` whether it had been open."""

    def __init__(self, revision: int, cause: BaseException, *, opened: bool) -> None:
        super().__init__(revision, cause)
        self.revision = revision
        self.cause = cause
        self.opened = opened


class Watcher:
    """One watch of the kind ``codec`` stores; iterate :meth:`events`."""

    def __init__(
        self,
        transport: EtcdTransport,
        codec: Codec,
        namespace: str | None,
        *,
        relist: Relist,
        selector: LabelSelector,
        sleep: Callable[[float], None] = time.sleep,
        held: Iterable[Resource] = (),
    ) -> None:
        self._transport = transport
        self._codec = codec
        self._namespace = namespace
        self._relist = relist
        self._sleep = sleep
        # What the consumer holds (the base of the differences after a re-list): ``held`` when the
        # watch starts from a revision, else the list it starts from.
        self._view = WatchView(selector)
        self._view.seed(held)

    def events(self, start_revision: int = 0, timeout: float | None = None) -> Iterator[WatchEvent]:
        """Events after ``start_revision`` (0: list first); see the module docstring."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if start_revision:
            next_revision = start_revision + 1
        else:
            items, revision = self._relist()
            yield from self._view.listed(items, str(revision))
            next_revision = revision + 1
        failures = 0
        while True:
            try:
                yield from self._follow(next_revision, deadline)
                return
            except ResourceExpired as expired:
                next_revision = (yield from self._resync(expired)) + 1
            except _Dropped as dropped:
                next_revision = dropped.revision
                # Only failures to re-open in a row count against the window; a stream that ran is a fresh start.
                failures = 1 if dropped.opened else failures + 1
                if failures * _REOPEN_PAUSE > REOPEN_WINDOW:
                    raise DatastoreError(cause=str(dropped.cause), kind=self._codec.info.kind) from None
                _log.debug("etcd watch of %s dropped (%s); re-opening", self._codec.info.kind, dropped.cause)
                self._sleep(_REOPEN_PAUSE)

    def _follow(self, revision: int, deadline: float | None) -> Iterator[WatchEvent]:
        """Yield events until ``deadline``; raises ResourceExpired (compacted) or :class:`_Dropped`."""
        start, end = self._codec.watch_range(self._namespace)
        try:
            stream = self._transport.watch(start, end, revision)
        except EtcdUnavailable as exc:
            raise _Dropped(revision, exc, opened=False) from None
        except EtcdError as exc:
            raise DatastoreError(cause=exc.message, kind=self._codec.info.kind) from None
        try:
            current = 0  # the revision when the watch was created: its history ends there
            caught_up = False
            while True:
                wait = None
                if deadline is not None:
                    wait = (deadline if caught_up else deadline + CATCH_UP) - time.monotonic()
                    if wait <= 0:
                        return
                try:
                    result = stream.next(wait)
                except EtcdUnavailable as exc:
                    raise _Dropped(revision, exc, opened=True) from None
                if result is None:
                    continue  # nothing within the wait: the deadline check above decides
                if result.get("created"):
                    current = int(result.get("header", {}).get("revision", 0) or 0)
                    caught_up = revision > current
                    continue
                if result.get("canceled"):
                    compacted = int(result.get("compact_revision", 0) or 0)
                    if compacted:
                        raise ResourceExpired(
                            cause=f"etcdserver: mvcc: required revision {revision} has been compacted (to {compacted})",
                            kind=self._codec.info.kind,
                        )
                    reason = str(result.get("cancel_reason") or "watch canceled by etcd")
                    yield WatchEvent("ERROR", None, str(revision), error=reason)
                    return
                for event in result.get("events") or ():
                    kv = KV.from_json(event.get("kv", {}))
                    revision = max(revision, kv.mod_revision + 1)
                    caught_up = caught_up or kv.mod_revision >= current
                    yield from self._event(event, kv)
        finally:
            stream.close()

    def _decode(self, raw: dict[str, Any] | None) -> Resource | None:
        if not raw:
            return None
        kv = KV.from_json(raw)
        return self._codec.decode(kv.key, kv.value, kv.mod_revision)

    def _event(self, event: dict[str, Any], kv: KV) -> Iterator[WatchEvent]:
        rv = str(kv.mod_revision)
        try:
            new = None if event.get("type") == "DELETE" else self._codec.decode(kv.key, kv.value, kv.mod_revision)
            old = self._decode(event.get("prev_kv"))
        except (ConversionError, ValueError) as exc:
            yield WatchEvent("ERROR", None, rv, error=f"unable to convert etcd key {kv.key}: {exc}")
            return
        if new is None and old is None:
            return  # not one of this kind's keys, or a delete without its previous value
        if new is None:
            assert old is not None
            shown = self._view.change("DELETED", old, rv)
        else:
            created = kv.create_revision == kv.mod_revision
            shown = self._view.change("ADDED" if created else "MODIFIED", new, rv)
        if shown is not None:
            yield shown

    def _resync(self, expired: ResourceExpired) -> Generator[WatchEvent, None, int]:
        """List again after a compaction; yield the differences from what was shown; return the list revision."""
        _log.debug("etcd watch of %s: revision compacted, listing again (%s)", self._codec.info.kind, expired)
        items, revision = self._relist()
        yield from self._view.replace(items, str(revision))
        return revision
