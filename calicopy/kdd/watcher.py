"""Watching one Kubernetes collection as a stream of Calico :class:`~calicopy.backends.base.WatchEvent`.

libcalico-go v3.32.1's ``resources/watcher.go`` with client-go's reflector and informer habits:

* the consumer's view (:class:`~calicopy.backends.watchview.WatchView`) starts as the list the
  watch began from: without a starting resourceVersion the collection is listed and yielded as
  ADDED; from a resourceVersion it is what the caller says it holds (``known``) or, by default,
  the collection listed at exactly that version;
* a stream that ends or drops is re-opened from the last resourceVersion seen (events or
  BOOKMARKs), so nothing is missed or repeated; a stream that dropped, or ended within a second
  without a single event, is re-opened only after an exponential backoff (client-go's "very
  short watch"), so a server that closes every stream at once is not hammered;
* when that version is too old (410 Gone, at open time or as an ERROR event) the collection is
  listed again and the differences from the consumer's view are emitted, DELETED included;
* an object that fails conversion yields an ERROR event and the watch goes on; any other ERROR
  from the server is yielded and ends the watch.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from typing import Any

from ..backends.base import WatchEvent
from ..backends.watchview import WatchView
from ..errors import DatastoreError, ResourceExpired
from ..labelselector import LabelSelector
from ..resources.meta import Resource
from .convert import CONVERSION_ERRORS
from .requests import (
    WATCH_REQUEST_SECONDS,
    ApiError,
    Collection,
    ConnectionFailure,
    calico_error,
    collection_target,
    decode_watch_line,
    metadata_of,
    watch_request,
)
from .transport import Transport

__all__ = ["Relist", "Watcher"]

_log = logging.getLogger(__name__)

#: Seconds a watch request may take beyond its ``timeoutSeconds`` before the read times out.
_READ_GRACE = 30.0
#: A stream that ends sooner than this without an event counts as a failure (client-go's reflector).
_SHORT_STREAM = 1.0

#: Lists the collection: at the current revision (``""``) or exactly at the one given.
Relist = Callable[[str], tuple[list[Resource], str]]


class Watcher:
    """Watches of ``collection`` (objects converted by ``convert``), started with :meth:`start`.

    ``relist`` lists the same objects (the initial list, the seed, the re-list after a 410);
    ``server_selector`` is sent to the server, ``selector`` filters the converted objects;
    ``error`` maps a failure to open a stream to the error raised (default: ``calico_error``).
    """

    def __init__(
        self,
        transport: Transport,
        collection: Collection,
        convert: Callable[[Mapping[str, Any]], Resource | None],
        namespace: str | None,
        *,
        kind: str,
        relist: Relist,
        selector: LabelSelector,
        server_selector: str | None,
        error: Callable[[ApiError | ConnectionFailure], DatastoreError] | None = None,
    ) -> None:
        self._transport = transport
        self._error = error or (lambda exc: calico_error(exc, collection_target(kind, namespace)))
        self._collection = collection
        self._convert = convert
        self._namespace = namespace
        self._kind = kind
        self._relist = relist
        self._selector = selector
        self._server_selector = server_selector

    def start(
        self, resource_version: str = "", timeout: float | None = None, known: Iterable[Resource] | None = None
    ) -> Iterator[WatchEvent]:
        """The events from ``resource_version`` ("" lists first) until ``timeout`` seconds have passed.

        The list that starts the consumer's view is made now (so that the version it is taken at
        cannot expire before the first event is asked for); the stream opens on iteration.
        """
        clock = self._transport.clock
        deadline = None if timeout is None else clock() + timeout
        view = WatchView(self._selector)
        initial: Iterator[WatchEvent] = iter(())
        revision = resource_version
        if revision in ("", "0"):  # "0": any version, so the current one (Kubernetes' meaning)
            items, revision = self._relist("")
            initial = view.listed(items, revision)
        elif known is not None:
            view.seed(known)
        else:
            try:
                view.seed(self._relist(resource_version)[0])
            except ResourceExpired:
                _log.warning(
                    "watch %s from resourceVersion %s: that version is too old to list, so objects deleted "
                    "before the next re-list cannot be reported (pass known= with the objects held)",
                    self._collection.qualified,
                    resource_version,
                )
        return self._events(view, initial, revision, deadline)

    def _remaining(self, deadline: float | None) -> float | None:
        return None if deadline is None else deadline - self._transport.clock()

    def _events(
        self, view: WatchView, initial: Iterator[WatchEvent], revision: str, deadline: float | None
    ) -> Iterator[WatchEvent]:
        yield from initial
        transport = self._transport
        failures = 0
        while True:
            remaining = self._remaining(deadline)
            if remaining is not None and remaining <= 0:
                return
            seconds = (
                WATCH_REQUEST_SECONDS if remaining is None else max(1, math.ceil(min(remaining, WATCH_REQUEST_SECONDS)))
            )
            request = watch_request(
                self._collection,
                self._namespace,
                resource_version=revision,
                seconds=seconds,
                label_selector=self._server_selector,
            )
            try:
                response = transport.call(request, stream=True, read_timeout=seconds + _READ_GRACE)
            except ApiError as exc:
                if exc.code == 410:
                    revision = yield from self._resync(view)
                    continue
                raise self._error(exc) from None
            except ConnectionFailure as exc:
                raise self._error(exc) from None
            opened = transport.clock()
            received = 0
            try:
                for line in response.lines():
                    received += 1
                    decoded = decode_watch_line(line)
                    if decoded is None:
                        _log.warning("watch %s: undecodable event skipped", self._collection.qualified)
                        continue
                    event_type, obj = decoded
                    if event_type == "ERROR":
                        if obj.get("code") == 410 or obj.get("reason") in ("Expired", "Gone"):
                            _log.debug(
                                "watch %s: resourceVersion %s expired, re-listing", self._collection.qualified, revision
                            )
                            revision = yield from self._resync(view)
                            break
                        yield WatchEvent("ERROR", None, revision, error=str(obj.get("message", "watch error")))
                        return
                    new_revision = str(metadata_of(obj).get("resourceVersion") or revision)
                    if event_type == "BOOKMARK":
                        revision = new_revision
                        yield WatchEvent("BOOKMARK", None, revision)
                    elif event_type in ("ADDED", "MODIFIED", "DELETED"):
                        revision = new_revision
                        event = self._event(view, event_type, obj, revision)
                        if event is not None:
                            yield event
                    remaining = self._remaining(deadline)
                    if remaining is not None and remaining <= 0:
                        return
                else:
                    short = received == 0 and transport.clock() - opened < _SHORT_STREAM
                    failures = failures + 1 if short else 0
                    if short:
                        self._back_off(failures, deadline, "ended at once without an event")
            except ConnectionFailure as exc:
                failures = 1 if received else failures + 1
                self._back_off(failures, deadline, f"failed ({exc})")
            finally:
                response.close()

    def _back_off(self, failures: int, deadline: float | None, what: str) -> None:
        delay = self._transport.backoff(failures)
        remaining = self._remaining(deadline)
        if remaining is not None:
            delay = max(0.0, min(delay, remaining))
        _log.debug("watch %s: stream %s; re-opening in %.3fs", self._collection.qualified, what, delay)
        self._transport.sleep(delay)

    def _event(self, view: WatchView, event_type: str, obj: Mapping[str, Any], revision: str) -> WatchEvent | None:
        meta = metadata_of(obj)
        key = (str(meta.get("namespace") or ""), str(meta.get("name") or ""))
        try:
            resource = self._convert(self._collection.with_type(obj))
        except CONVERSION_ERRORS as exc:
            message = f"unable to convert {self._collection.qualified} {key[1]}: {exc}"
            return WatchEvent("ERROR", None, revision, error=message)
        if resource is None:
            # Not shown as this kind at all (e.g. a Pod that became host-networked).
            return view.vanished(key, revision)
        return view.change(event_type, resource, revision)

    def _resync(self, view: WatchView) -> Generator[WatchEvent, None, str]:
        """Re-list after a 410 and yield what changed for the consumer; returns the list revision."""
        items, revision = self._relist("")
        yield from view.replace(items, revision)
        return revision
