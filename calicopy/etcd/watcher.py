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

``timeout`` ends the watch once no event has come for that many seconds.  etcd sends the history
of a watch that starts in the past from a background loop (every 100 ms), so until the watch has
caught up with the revision current when it was created the wait is at least ``CATCH_UP`` seconds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator, Iterator
from typing import Any

from ..backends.base import WatchEvent
from ..errors import ConversionError, DatastoreError, ResourceExpired
from ..labelselector import LabelSelector
from ..resources.meta import Resource
from .codecs import Codec
from .transport import KV, EtcdError, EtcdTransport, EtcdUnavailable

__all__ = ["CATCH_UP", "Watcher"]

_log = logging.getLogger(__name__)

#: Seconds to wait for a watch's history before treating the silence as idle.
CATCH_UP = 1.0
#: How long a watch keeps re-opening a stream to an etcd that does not answer.
REOPEN_WINDOW = 10.0
_REOPEN_PAUSE = 0.2

_Key = tuple[str, str]
Relist = Callable[[], tuple[list[Resource], int]]


def _key(resource: Resource) -> _Key:
    return (resource.metadata.namespace or "", resource.metadata.name)


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
    ) -> None:
        self._transport = transport
        self._codec = codec
        self._namespace = namespace
        self._relist = relist
        self._selector = selector
        self._sleep = sleep
        # What this watch has shown, by (namespace, name): the base of the differences after a re-list.
        self._known: dict[_Key, Resource] = {}

    def events(self, start_revision: int = 0, timeout: float | None = None) -> Iterator[WatchEvent]:
        """Events after ``start_revision`` (0: list first); see the module docstring."""
        if start_revision:
            next_revision = start_revision + 1
        else:
            items, revision = self._relist()
            for item in items:
                if self._selector.matches(item.metadata.labels):
                    self._known[_key(item)] = item
                    yield WatchEvent("ADDED", item, item.metadata.resource_version)
            next_revision = revision + 1
        failures = 0
        while True:
            try:
                yield from self._follow(next_revision, timeout)
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

    def _follow(self, revision: int, timeout: float | None) -> Iterator[WatchEvent]:
        """Yield events until ``timeout`` of silence; raises ResourceExpired (compacted) or :class:`_Dropped`."""
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
                wait = timeout if caught_up or timeout is None else max(timeout, CATCH_UP)
                try:
                    result = stream.next(wait)
                except EtcdUnavailable as exc:
                    raise _Dropped(revision, exc, opened=True) from None
                if result is None:
                    if caught_up or timeout is not None:
                        return
                    continue
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
        key = _key(new if new is not None else old)  # type: ignore[arg-type]
        shown = key in self._known
        old_matches = shown or (old is not None and self._selector.matches(old.metadata.labels))
        new_matches = new is not None and self._selector.matches(new.metadata.labels)
        if new_matches:
            assert new is not None
            self._known[key] = new
            created = kv.create_revision == kv.mod_revision
            yield WatchEvent("ADDED" if created or not old_matches else "MODIFIED", new, rv)
        elif old_matches:
            gone = self._known.pop(key, None) or old
            if gone is not None:
                yield WatchEvent("DELETED", gone if new is None else (old or gone), rv)

    def _resync(self, expired: ResourceExpired) -> Generator[WatchEvent, None, int]:
        """List again after a compaction; yield the differences from what was shown; return the list revision."""
        _log.debug("etcd watch of %s: revision compacted, listing again (%s)", self._codec.info.kind, expired)
        items, revision = self._relist()
        current = {_key(r): r for r in items if self._selector.matches(r.metadata.labels)}
        for key, resource in current.items():
            previous = self._known.get(key)
            if previous is None:
                yield WatchEvent("ADDED", resource, resource.metadata.resource_version)
            elif previous.metadata.resource_version != resource.metadata.resource_version:
                yield WatchEvent("MODIFIED", resource, resource.metadata.resource_version)
        for key in [k for k in self._known if k not in current]:
            yield WatchEvent("DELETED", self._known.pop(key), str(revision))
        self._known = current
        return revision
