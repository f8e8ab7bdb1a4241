"""Watching one Kubernetes collection as a stream of Calico :class:`~calicopy.backends.base.WatchEvent`.

libcalico-go v3.32.1's ``resources/watcher.go`` with client-go's reflector habits:

* without a starting resourceVersion the collection is listed first and yielded as ADDED;
* a stream that ends or drops is re-opened from the last resourceVersion seen (events or
  BOOKMARKs), after a backoff when it dropped, so nothing is missed or repeated;
* when that version is too old (410 Gone, at open time or as an ERROR event) the collection is
  listed again and the differences from what the watch has yielded are emitted;
* an object that fails conversion yields an ERROR event and the watch goes on; any other ERROR
  from the server is yielded and ends the watch.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Generator, Iterator, Mapping
from typing import Any

from ..backends.base import WatchEvent, WatchEventType
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

__all__ = ["Watcher"]

_log = logging.getLogger(__name__)

#: Seconds a watch request may take beyond its ``timeoutSeconds`` before the read times out.
_READ_GRACE = 30.0

_Key = tuple[str, str]
Relist = Callable[[], tuple[list[Resource], str]]


def _key(resource: Resource) -> _Key:
    return (resource.metadata.namespace or "", resource.metadata.name)


class Watcher:
    """One watch of ``collection`` (objects converted by ``convert``), iterated with :meth:`events`.

    ``relist`` lists the same objects (the initial list and the re-list after a 410);
    ``server_selector`` is sent to the server, ``selector`` filters the converted objects.
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
    ) -> None:
        self._transport = transport
        self._collection = collection
        self._convert = convert
        self._namespace = namespace
        self._kind = kind
        self._relist = relist
        self._selector = selector
        self._server_selector = server_selector
        # What this watch has shown, by (namespace, name): the base of the differences after a 410.
        self._known: dict[_Key, Resource] = {}

    def events(self, resource_version: str = "", timeout: float | None = None) -> Iterator[WatchEvent]:
        """The events from ``resource_version`` ("" lists first) until ``timeout`` seconds have passed."""
        deadline = None if timeout is None else time.monotonic() + timeout
        revision = resource_version
        if not revision:
            items, revision = self._relist()
            for item in items:
                if self._selector.matches(item.metadata.labels):
                    self._known[_key(item)] = item
                    yield WatchEvent("ADDED", item, item.metadata.resource_version)
        failures = 0
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
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
                response = self._transport.call(request, stream=True, read_timeout=seconds + _READ_GRACE)
            except ApiError as exc:
                if exc.code == 410:
                    revision = yield from self._resync()
                    continue
                raise calico_error(exc, collection_target(self._kind, self._namespace)) from None
            except ConnectionFailure as exc:
                raise calico_error(exc, collection_target(self._kind, self._namespace)) from None
            try:
                for line in response.lines():
                    failures = 0
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
                            revision = yield from self._resync()
                            break
                        yield WatchEvent("ERROR", None, revision, error=str(obj.get("message", "watch error")))
                        return
                    new_revision = str(metadata_of(obj).get("resourceVersion") or revision)
                    if event_type == "BOOKMARK":
                        revision = new_revision
                        yield WatchEvent("BOOKMARK", None, revision)
                    elif event_type in ("ADDED", "MODIFIED", "DELETED"):
                        revision = new_revision
                        yield from self._event(event_type, obj, revision)
                    if deadline is not None and time.monotonic() >= deadline:
                        return
            except ConnectionFailure as exc:
                failures += 1
                delay = self._transport.backoff(failures)
                _log.debug("watch %s: stream failed (%s); re-opening in %.3fs", self._collection.qualified, exc, delay)
                self._transport.sleep(delay)
            finally:
                response.close()

    def _event(self, event_type: str, obj: Mapping[str, Any], revision: str) -> Iterator[WatchEvent]:
        meta = metadata_of(obj)
        key = (str(meta.get("namespace") or ""), str(meta.get("name") or ""))
        try:
            resource = self._convert(self._collection.with_type(obj))
        except CONVERSION_ERRORS as exc:
            message = f"unable to convert {self._collection.qualified} {key[1]}: {exc}"
            yield WatchEvent("ERROR", None, revision, error=message)
            return
        if resource is not None:
            key = _key(resource)
        previous = self._known.get(key)
        matches = resource is not None and self._selector.matches(resource.metadata.labels)
        if event_type == "DELETED" or not matches:
            # Deleted, or no longer shown (left the label selection, or e.g. a Pod became host-networked).
            if previous is not None or (event_type == "DELETED" and matches):
                self._known.pop(key, None)
                shown = resource if event_type == "DELETED" and resource is not None else previous
                yield WatchEvent("DELETED", shown, revision)
            return
        assert resource is not None
        self._known[key] = resource
        out_type: WatchEventType = "MODIFIED" if event_type == "MODIFIED" else "ADDED"
        if out_type == "MODIFIED" and previous is None and not self._selector.empty:
            out_type = "ADDED"  # it has just entered the label selection
        yield WatchEvent(out_type, resource, revision)

    def _resync(self) -> Generator[WatchEvent, None, str]:
        """Re-list after a 410 and yield the differences from what was shown; returns the list revision."""
        items, revision = self._relist()
        current = {_key(r): r for r in items if self._selector.matches(r.metadata.labels)}
        for key, resource in current.items():
            previous = self._known.get(key)
            if previous is None:
                yield WatchEvent("ADDED", resource, resource.metadata.resource_version)
            elif previous.metadata.resource_version != resource.metadata.resource_version:
                yield WatchEvent("MODIFIED", resource, resource.metadata.resource_version)
        for key in [k for k in self._known if k not in current]:
            yield WatchEvent("DELETED", self._known.pop(key), revision)
        self._known = current
        return revision
