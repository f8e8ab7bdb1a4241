"""A revisioned, thread-safe in-memory object store with Kubernetes (etcd) semantics.

This is the engine behind :class:`calicopy.testing.FakeKubeAPIServer` and the in-memory
datastore.  It knows nothing about HTTP: objects are JSON-shaped dicts with a ``metadata``
mapping, grouped into *resources* (any string; the fake API server uses the qualified
resource name, e.g. ``ippools.crd.projectcalico.org`` or ``pods``, which is also what the
error messages name).

Semantics, as etcd and the Kubernetes API server have them:

* one global revision counter; every write (create, changing update, delete) takes the next
  revision, which becomes the object's ``metadata.resourceVersion`` (a decimal string);
* ``uid``, ``creationTimestamp`` and ``generation`` are assigned by the store; an update that
  changes nothing writes nothing (no new revision, no watch event);
* updates and deletes take optimistic-concurrency preconditions (resourceVersion, uid);
* lists are consistent snapshots: at the current revision, or at an older one still inside
  the history window (``resourceVersionMatch=Exact``, continue tokens); label and field
  selectors; ``limit``/``continue`` pagination with etcd's key order (namespace, name);
* watches replay history from a revision inside the window; older revisions are *expired*
  (HTTP 410), as after an etcd compaction.

The history window is a number of revisions (``window``); revisions older than the newest
``window`` ones are compacted away.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import threading
import time
import uuid
from bisect import bisect_left, bisect_right, insort
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from ..labelselector import LabelSelector, LabelSelectorError
from ..labelselector import parse_label_selector as _parse_label_selector

__all__ = [
    "AlreadyExists",
    "BadRequest",
    "Conflict",
    "Event",
    "EventType",
    "Expired",
    "FieldSelector",
    "Invalid",
    "LabelSelector",
    "ListResult",
    "NotFound",
    "Store",
    "StoreError",
    "Timeout",
    "Watch",
    "clone",
    "clone_dict",
    "parse_field_selector",
    "parse_label_selector",
]

JSONDict = dict[str, Any]
EventType = Literal["ADDED", "MODIFIED", "DELETED"]


# -- errors -----------------------------------------------------------------------------------


class StoreError(Exception):
    """A failed store operation, with the Kubernetes ``Status`` reason and HTTP code it maps to."""

    code = 500
    reason = "InternalError"

    def __init__(self, message: str, *, resource: str = "", name: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.resource = resource
        self.name = name


class NotFound(StoreError):
    code = 404
    reason = "NotFound"


class AlreadyExists(StoreError):
    code = 409
    reason = "AlreadyExists"


class Conflict(StoreError):
    code = 409
    reason = "Conflict"


class Expired(StoreError):
    """The requested revision (or continue token) is older than the history window (HTTP 410)."""

    code = 410
    reason = "Expired"


class BadRequest(StoreError):
    code = 400
    reason = "BadRequest"


class Timeout(StoreError):
    """A resourceVersion newer than the store's (``Too large resource version``, HTTP 504)."""

    code = 504
    reason = "Timeout"


class Invalid(StoreError):
    """Invalid input (HTTP 422): ``causes`` are ``{"field", "reason", "message"}`` dicts."""

    code = 422
    reason = "Invalid"

    def __init__(
        self, message: str, *, resource: str = "", name: str = "", causes: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(message, resource=resource, name=name)
        self.causes = causes or []


def _not_found(resource: str, name: str) -> NotFound:
    return NotFound(f'{resource} "{name}" not found', resource=resource, name=name)


def _conflict(resource: str, name: str, detail: str) -> Conflict:
    return Conflict(f'Operation cannot be fulfilled on {resource} "{name}": {detail}', resource=resource, name=name)


_MODIFIED = "the object has been modified; please apply your changes to the latest version and try again"


# -- copying ----------------------------------------------------------------------------------


def clone_dict(value: Mapping[str, Any]) -> JSONDict:
    """A deep copy of a JSON-shaped mapping."""
    return {k: clone(v) if isinstance(v, (dict, list)) else v for k, v in value.items()}


def clone(value: Any) -> Any:
    """A deep copy of JSON-shaped data (dicts, lists, scalars); faster than ``copy.deepcopy``."""
    if isinstance(value, dict):
        return {k: clone(v) if isinstance(v, (dict, list)) else v for k, v in value.items()}
    if isinstance(value, list):
        return [clone(v) if isinstance(v, (dict, list)) else v for v in value]
    return value


# -- label selectors: calicopy.labelselector, with parse errors as the API's BadRequest ------


def parse_label_selector(text: str | None) -> LabelSelector:
    """:func:`calicopy.labelselector.parse_label_selector`, raising :class:`BadRequest` (HTTP 400)."""
    try:
        return _parse_label_selector(text)
    except LabelSelectorError as exc:
        raise BadRequest(str(exc)) from None


# -- field selectors --------------------------------------------------------------------------

_FIELD_PATHS = {"metadata.name": ("name",), "metadata.namespace": ("namespace",)}


@dataclass(frozen=True, slots=True)
class FieldSelector:
    """``metadata.name`` / ``metadata.namespace`` equality requirements (``=``, ``==``, ``!=``)."""

    requirements: tuple[tuple[str, bool, str], ...] = ()  # (metadata key, equal?, value)

    def matches(self, meta: Mapping[str, Any]) -> bool:
        return all((meta.get(key, "") == value) is eq for key, eq, value in self.requirements)

    @property
    def empty(self) -> bool:
        return not self.requirements

    def exact_name(self) -> str | None:
        names = {v for k, eq, v in self.requirements if k == "name" and eq}
        return next(iter(names)) if len(names) == 1 else None


def parse_field_selector(
    text: str | None, extra: Mapping[str, Callable[[JSONDict], str]] | None = None
) -> FieldSelector:
    """Parse a field selector; only ``metadata.name`` and ``metadata.namespace`` are known (as for custom resources)."""
    if not text or not text.strip():
        return FieldSelector()
    reqs: list[tuple[str, bool, str]] = []
    for part in text.split(","):
        part = part.strip()
        m = re.fullmatch(r"([^!=\s]+)\s*(!=|==|=)\s*(.*)", part)
        if m is None:
            raise BadRequest(f"invalid selector: '{text}'; can't understand '{part}'")
        path, op, value = m.groups()
        if path not in _FIELD_PATHS:
            raise BadRequest(f'"{path}" is not a known field selector: only "metadata.name", "metadata.namespace"')
        reqs.append((_FIELD_PATHS[path][0], op != "!=", value))
    return FieldSelector(tuple(reqs))


# -- events and watches -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Event:
    """One write: ``object`` is the new object (for DELETED: the object as deleted, carrying the
    deletion's revision); ``previous`` the object before (None for ADDED)."""

    type: EventType
    resource: str
    namespace: str
    revision: int
    object: JSONDict
    previous: JSONDict | None = None


_Key = tuple[str, str]  # (namespace, name): etcd's key order


@dataclass(slots=True)
class _Entry:
    revs: list[int] = field(default_factory=list)
    objs: list[JSONDict | None] = field(default_factory=list)

    def at(self, revision: int) -> JSONDict | None:
        i = bisect_right(self.revs, revision)
        return self.objs[i - 1] if i else None

    @property
    def current(self) -> JSONDict | None:
        return self.objs[-1] if self.objs else None


@dataclass(frozen=True, slots=True)
class ListResult:
    items: list[JSONDict]
    resource_version: str
    continue_: str = ""
    remaining_item_count: int | None = None


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _meta(obj: Mapping[str, Any]) -> dict[str, Any]:
    meta = obj.get("metadata")
    return meta if isinstance(meta, dict) else {}


def _encode_continue(rev: int, last: _Key) -> str:
    # Shaped like the apiserver's token: base64(JSON {"v", "rv", "start"}); start is the last key read + NUL.
    raw = json.dumps({"v": "meta.k8s.io/v1", "rv": rev, "start": f"{last[0]}/{last[1]}\x00"}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_continue(token: str) -> tuple[int, _Key]:
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if data.get("v") != "meta.k8s.io/v1":
            raise ValueError("unknown version")
        rev = int(data["rv"])
        start = str(data["start"])
        if not start.endswith("\x00"):
            raise ValueError("malformed start key")
        ns, _, name = start[:-1].partition("/")
        return rev, (ns, name)
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError, AttributeError) as exc:
        raise BadRequest(f"continue key is not valid: {exc}") from None


def _keys_from(order: list[_Key], begin: int, namespace: str | None) -> Iterator[_Key]:
    """Keys of ``order`` from index ``begin`` on, stopping at the end of ``namespace`` (if given)."""
    for i in range(begin, len(order)):
        key = order[i]
        if namespace is not None and key[0] != namespace:
            return
        yield key


class Store:
    """The revisioned object store (see the module docstring).  All methods are thread-safe.

    ``window``: how many revisions of history are kept for watches, exact-revision lists and
    continue tokens.  Objects handed in are copied; objects handed out are copies unless
    ``copy=False`` is passed (then they must not be modified).
    """

    def __init__(self, *, window: int = 10_000, clock: Callable[[], str] = _now) -> None:
        if window < 1:
            raise ValueError("window must be at least 1")
        self.window = window
        self._clock = clock
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._rev = 1  # etcd starts at 1 before the first write
        self._data: dict[str, dict[_Key, _Entry]] = {}
        # Each resource's keys in etcd order, kept sorted as keys come and go, so that a paged
        # list is a bisect plus a short scan rather than a sort of every key.
        self._order: dict[str, list[_Key]] = {}
        self._events: list[Event] = []  # contiguous revisions: _events[i].revision == _events_base + i
        self._events_base = 2
        self._compacted = 1
        self._tombstones: deque[tuple[int, str, _Key]] = deque()
        self._closed = False

    # -- introspection ----------------------------------------------------------------------

    @property
    def revision(self) -> int:
        """The newest revision (the resourceVersion a list returns)."""
        with self._lock:
            return self._rev

    @property
    def compacted_revision(self) -> int:
        """Revisions at or below this one are gone from history (410 for watches from before it)."""
        with self._lock:
            return self._compacted

    def resources(self) -> list[str]:
        with self._lock:
            return sorted(r for r, entries in self._data.items() if any(e.current for e in entries.values()))

    # -- writes -----------------------------------------------------------------------------

    def _entries(self, resource: str) -> dict[_Key, _Entry]:
        entries = self._data.get(resource)
        if entries is None:
            entries = self._data[resource] = {}
        return entries

    def _commit(self, resource: str, key: _Key, entry: _Entry, obj: JSONDict | None, event: Event) -> None:
        entry.revs.append(event.revision)
        entry.objs.append(obj)
        self._events.append(event)
        if obj is None:
            self._tombstones.append((event.revision, resource, key))
        self._compact()
        self._cond.notify_all()

    def _compact(self) -> None:
        compacted = self._rev - self.window
        if compacted <= self._compacted:
            return
        self._compacted = compacted
        drop = compacted + 1 - self._events_base
        if drop > 0 and len(self._events) > 2 * self.window:
            del self._events[:drop]
            self._events_base += drop
        while self._tombstones and self._tombstones[0][0] <= compacted:
            _, resource, key = self._tombstones.popleft()
            entries = self._data.get(resource, {})
            entry = entries.get(key)
            if entry is not None and entry.current is None and entry.revs[-1] <= compacted:
                del entries[key]
                order = self._order.get(resource, [])
                i = bisect_left(order, key)
                if i < len(order) and order[i] == key:
                    del order[i]

    @staticmethod
    def _prune(entry: _Entry, compacted: int) -> None:
        # Keep the newest version at or below the compacted revision and everything after it.
        i = bisect_right(entry.revs, compacted) - 1
        if i > 0:
            del entry.revs[:i]
            del entry.objs[:i]

    def create(
        self,
        resource: str,
        obj: Mapping[str, Any],
        *,
        copy: bool = True,
        dry_run: bool = False,
        uid: str | None = None,
    ) -> JSONDict:
        """Store a new object; the store sets resourceVersion, uid, creationTimestamp and generation.

        Raises :class:`AlreadyExists`, or :class:`StoreError` (500, as the apiserver) when the object
        carries a resourceVersion."""
        new = clone_dict(obj)
        meta = new.setdefault("metadata", {})
        name = meta.get("name") or ""
        if not name:
            raise Invalid(f"{resource} is invalid: metadata.name: Required value: name or generateName is required")
        if meta.get("resourceVersion"):
            raise StoreError("resourceVersion should not be set on objects to be created")
        key = (meta.get("namespace") or "", name)
        with self._lock:
            self._check_open()
            entries = self._entries(resource)
            entry = entries.get(key)
            if entry is not None and entry.current is not None:
                raise AlreadyExists(f'{resource} "{name}" already exists', resource=resource, name=name)
            meta["uid"] = uid or str(uuid.uuid4())
            meta["creationTimestamp"] = self._clock()
            meta["generation"] = 1
            meta.pop("deletionTimestamp", None)
            if dry_run:
                meta["resourceVersion"] = ""
                return new
            self._rev += 1
            meta["resourceVersion"] = str(self._rev)
            if entry is None:
                entry = entries[key] = _Entry()
                insort(self._order.setdefault(resource, []), key)
            else:
                self._prune(entry, self._compacted)
            self._commit(resource, key, entry, new, Event("ADDED", resource, key[0], self._rev, new))
            return clone_dict(new) if copy else new

    def get(self, resource: str, name: str, namespace: str = "", *, copy: bool = True) -> JSONDict:
        with self._lock:
            entry = self._data.get(resource, {}).get((namespace, name))
            obj = entry.current if entry is not None else None
            if obj is None:
                raise _not_found(resource, name)
            return clone_dict(obj) if copy else obj

    def update(
        self,
        resource: str,
        obj: Mapping[str, Any],
        *,
        require_resource_version: bool = False,
        generation_ignores: tuple[str, ...] = ("metadata",),
        copy: bool = True,
        dry_run: bool = False,
    ) -> JSONDict:
        """Replace an object.  A ``metadata.resourceVersion`` in ``obj`` is a precondition (409 Conflict
        when stale); without one the update is unconditional unless ``require_resource_version``.
        ``uid`` and ``creationTimestamp`` are kept from the stored object; ``generation`` grows when a
        top-level key other than ``generation_ignores`` changed.  An update that changes nothing
        keeps the stored revision and sends no event."""
        new = clone_dict(obj)
        meta = new.setdefault("metadata", {})
        name = meta.get("name") or ""
        namespace = meta.get("namespace") or ""
        with self._lock:
            self._check_open()
            entry = self._data.get(resource, {}).get((namespace, name))
            old = entry.current if entry is not None else None
            if entry is None or old is None:
                raise _not_found(resource, name)
            return self._replace(resource, entry, old, new, require_resource_version, generation_ignores, copy, dry_run)

    def _replace(
        self,
        resource: str,
        entry: _Entry,
        old: JSONDict,
        new: JSONDict,
        require_resource_version: bool,
        generation_ignores: tuple[str, ...],
        copy: bool,
        dry_run: bool,
    ) -> JSONDict:
        meta = new["metadata"]
        old_meta = old["metadata"]
        name = old_meta.get("name", "")
        rv = meta.get("resourceVersion") or ""
        if not rv and require_resource_version:
            raise Invalid(
                f'{resource} "{name}" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
                resource=resource,
                name=name,
                causes=[
                    {
                        "reason": "FieldValueInvalid",
                        "message": "Invalid value: 0x0: must be specified for an update",
                        "field": "metadata.resourceVersion",
                    }
                ],
            )
        if rv and rv != old_meta["resourceVersion"]:
            raise _conflict(resource, name, _MODIFIED)
        if meta.get("uid") and meta["uid"] != old_meta.get("uid"):
            raise _conflict(
                resource,
                name,
                f"Precondition failed: UID in precondition: {meta['uid']}, UID in object meta: {old_meta.get('uid', '')}",
            )
        meta["uid"] = old_meta["uid"]
        meta["creationTimestamp"] = old_meta["creationTimestamp"]
        meta["resourceVersion"] = old_meta["resourceVersion"]
        meta["generation"] = old_meta.get("generation", 1)
        if "deletionTimestamp" in old_meta:
            meta["deletionTimestamp"] = old_meta["deletionTimestamp"]
        if new == old:
            return clone_dict(old) if copy else old
        if any(new.get(k) != old.get(k) for k in set(new) | set(old) if k not in generation_ignores):
            meta["generation"] = int(meta["generation"]) + 1
        if old_meta.get("deletionTimestamp") and not meta.get("finalizers"):
            # The last finalizer is gone from an object being deleted: it goes now.
            if dry_run:
                return new
            return self._remove(resource, entry, new, copy)
        if dry_run:
            return new
        self._rev += 1
        meta["resourceVersion"] = str(self._rev)
        self._prune(entry, self._compacted)
        key = (meta.get("namespace") or "", name)
        self._commit(resource, key, entry, new, Event("MODIFIED", resource, key[0], self._rev, new, old))
        return clone_dict(new) if copy else new

    def guaranteed_update(
        self,
        resource: str,
        name: str,
        namespace: str,
        mutate: Callable[[JSONDict], Mapping[str, Any]],
        *,
        generation_ignores: tuple[str, ...] = ("metadata",),
        copy: bool = True,
        dry_run: bool = False,
    ) -> JSONDict:
        """Read-modify-write under the store lock (what PATCH does): ``mutate`` gets a copy of the
        current object and returns the new one, which may carry a resourceVersion precondition."""
        with self._lock:
            self._check_open()
            entry = self._data.get(resource, {}).get((namespace, name))
            old = entry.current if entry is not None else None
            if entry is None or old is None:
                raise _not_found(resource, name)
            new = clone_dict(mutate(clone_dict(old)))
            meta = new.get("metadata")
            if not isinstance(meta, dict):
                meta = new["metadata"] = {}
            meta["name"] = name
            if namespace:
                meta["namespace"] = namespace
            return self._replace(resource, entry, old, new, False, generation_ignores, copy, dry_run)

    def delete(
        self,
        resource: str,
        name: str,
        namespace: str = "",
        *,
        uid: str | None = None,
        resource_version: str | None = None,
        copy: bool = True,
        dry_run: bool = False,
    ) -> JSONDict:
        """Delete an object, with optional uid / resourceVersion preconditions (409 Conflict).

        Returns the object as deleted (its resourceVersion is the deletion's revision).  An object
        with finalizers is not removed: it gets a ``deletionTimestamp`` and goes when an update
        removes its last finalizer (returned as it then is)."""
        with self._lock:
            self._check_open()
            entry = self._data.get(resource, {}).get((namespace, name))
            old = entry.current if entry is not None else None
            if entry is None or old is None:
                raise _not_found(resource, name)
            meta = old["metadata"]
            if uid is not None and uid != meta.get("uid"):
                raise _conflict(
                    resource,
                    name,
                    f"Precondition failed: UID in precondition: {uid}, UID in object meta: {meta.get('uid', '')}",
                )
            if resource_version is not None and resource_version != meta.get("resourceVersion"):
                raise _conflict(
                    resource,
                    name,
                    "Precondition failed: ResourceVersion in precondition: "
                    f"{resource_version}, ResourceVersion in object meta: {meta.get('resourceVersion', '')}",
                )
            if meta.get("finalizers"):
                if meta.get("deletionTimestamp"):
                    return clone_dict(old) if copy else old
                marked = clone_dict(old)
                marked["metadata"]["deletionTimestamp"] = self._clock()
                marked["metadata"]["deletionGracePeriodSeconds"] = 0
                if dry_run:
                    return marked
                self._rev += 1
                marked["metadata"]["resourceVersion"] = str(self._rev)
                self._prune(entry, self._compacted)
                self._commit(
                    resource,
                    (namespace, name),
                    entry,
                    marked,
                    Event("MODIFIED", resource, namespace, self._rev, marked, old),
                )
                return clone_dict(marked) if copy else marked
            if dry_run:
                return clone_dict(old)
            return self._remove(resource, entry, old, copy)

    def _remove(self, resource: str, entry: _Entry, last: JSONDict, copy: bool) -> JSONDict:
        self._rev += 1
        gone = dict(last)
        gone["metadata"] = dict(last["metadata"], resourceVersion=str(self._rev))
        meta = gone["metadata"]
        key = (meta.get("namespace") or "", meta.get("name", ""))
        previous = entry.current
        self._prune(entry, self._compacted)
        self._commit(resource, key, entry, None, Event("DELETED", resource, key[0], self._rev, gone, previous))
        return clone_dict(gone) if copy else gone

    def delete_collection(self, resource: str, namespace: str | None = None) -> int:
        """Delete every object of ``resource`` (in ``namespace``, or all); returns how many."""
        with self._lock:
            count = 0
            for (ns, _name), entry in sorted(self._data.get(resource, {}).items()):
                if entry.current is not None and (namespace is None or ns == namespace):
                    self._remove(resource, entry, entry.current, False)
                    count += 1
            return count

    # -- reads ------------------------------------------------------------------------------

    def list(
        self,
        resource: str,
        namespace: str | None = None,
        *,
        label_selector: str | LabelSelector | None = None,
        field_selector: str | FieldSelector | None = None,
        limit: int = 0,
        continue_: str | None = None,
        resource_version: str | None = None,
        resource_version_match: str | None = None,
        copy: bool = True,
    ) -> ListResult:
        """List objects (``namespace=None``: all namespaces) in key order, as the apiserver does.

        ``resource_version``: unset (most recent), ``"0"`` (any: most recent here), or a revision
        with ``resource_version_match`` ``NotOlderThan`` (most recent, 504 if newer than the store)
        or ``Exact`` (the snapshot at that revision; 410 if compacted).  A revision without a match
        means ``NotOlderThan``, or ``Exact`` when ``limit`` is set (the legacy rule).
        ``continue_`` resumes a paginated list at its first page's snapshot (410 once compacted)."""
        labels = label_selector if isinstance(label_selector, LabelSelector) else parse_label_selector(label_selector)
        fields = field_selector if isinstance(field_selector, FieldSelector) else parse_field_selector(field_selector)
        if resource_version_match and resource_version_match not in ("Exact", "NotOlderThan"):
            raise Invalid(
                f'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: '
                f'"{resource_version_match}": supported values: "Exact", "NotOlderThan"'
            )
        if resource_version_match and not resource_version:
            raise Invalid(
                'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: '
                "resourceVersionMatch is forbidden unless resourceVersion is provided"
            )
        if continue_ and resource_version not in (None, "", "0"):
            raise BadRequest("specifying resource version is not allowed when using continue")
        if resource_version_match == "Exact" and resource_version == "0":
            raise Invalid(
                'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: '
                'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'
            )
        with self._lock:
            start: _Key | None = None
            at = self._rev
            if continue_:
                at, start = _decode_continue(continue_)
                if at < self._compacted:
                    raise Expired(
                        "The provided continue parameter is too old to display a consistent list result. "
                        "You can start a new list without the continue parameter, or use the continue value "
                        "from the response."
                    )
            elif resource_version not in (None, "", "0"):
                rev = self._parse_rv(resource_version)
                exact = resource_version_match == "Exact" or (resource_version_match is None and limit > 0)
                if rev > self._rev:
                    raise Timeout(f"Too large resource version: {rev}, current: {self._rev}")
                if exact:
                    if rev < self._compacted:
                        raise Expired("The resourceVersion for the provided list is too old.")
                    at = rev
            entries = self._data.get(resource, {})
            order = self._order.get(resource, [])
            begin = 0 if start is None else bisect_right(order, start)
            if namespace is not None:
                begin = max(begin, bisect_left(order, (namespace, "")))
            keys = _keys_from(order, begin, namespace)
            items: list[JSONDict] = []
            next_key: _Key | None = None
            last_read: _Key | None = None
            current = at == self._rev
            for key in keys:
                entry = entries[key]
                obj = entry.current if current else entry.at(at)
                if obj is None:
                    continue
                if limit and len(items) >= limit:
                    next_key = key
                    break
                last_read = key
                meta = obj["metadata"]
                if not fields.empty and not fields.matches(meta):
                    continue
                if not labels.empty and not labels.matches(meta.get("labels")):
                    continue
                items.append(clone_dict(obj) if copy else obj)
            token = ""
            remaining: int | None = None
            if next_key is not None and last_read is not None:
                token = _encode_continue(at, last_read)
                if labels.empty and fields.empty:
                    # ``keys`` resumes after next_key, which is itself a live object.
                    remaining = 1 + sum(
                        1 for k in keys if (entries[k].current if current else entries[k].at(at)) is not None
                    )
            return ListResult(items, str(at), token, remaining)

    def _parse_rv(self, value: str) -> int:
        try:
            rev = int(value)
        except ValueError:
            raise BadRequest(f"invalid resource version: {value!r}") from None
        if rev < 0:
            raise BadRequest(f"invalid resource version: {value!r}")
        return rev

    def watch(
        self,
        resource: str,
        namespace: str | None = None,
        *,
        resource_version: str | None = None,
        label_selector: str | LabelSelector | None = None,
        field_selector: str | FieldSelector | None = None,
    ) -> Watch:
        """Watch ``resource``.  ``resource_version`` unset or ``"0"``: synthetic ADDED events for the
        current objects first, then changes; a revision: the changes after it (the watch yields an
        :class:`Expired` error first if it is older than the window)."""
        labels = label_selector if isinstance(label_selector, LabelSelector) else parse_label_selector(label_selector)
        fields = field_selector if isinstance(field_selector, FieldSelector) else parse_field_selector(field_selector)
        with self._lock:
            self._check_open()
            initial: list[Event] = []
            error: Expired | None = None
            if resource_version in (None, "", "0"):
                cursor = self._rev
                for key, entry in sorted(self._data.get(resource, {}).items()):
                    obj = entry.current
                    if obj is None or (namespace is not None and key[0] != namespace):
                        continue
                    if fields.matches(obj["metadata"]) and labels.matches(obj["metadata"].get("labels")):
                        initial.append(Event("ADDED", resource, key[0], entry.revs[-1], obj))
            else:
                cursor = self._parse_rv(resource_version)
                if cursor < self._compacted:
                    error = Expired(f"too old resource version: {cursor} ({self._compacted})")
            return Watch(self, resource, namespace, cursor, labels, fields, initial, error)

    # -- lifecycle --------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("the store is closed")

    def close(self) -> None:
        """Wake and end every watch (they raise nothing; their iteration stops)."""
        with self._lock:
            self._closed = True
            self._cond.notify_all()

    def reopen(self) -> None:
        with self._lock:
            self._closed = False

    def _events_after(self, cursor: int) -> tuple[Sequence[Event], Expired | None]:
        """Events with revision > cursor (caller holds the lock)."""
        if cursor >= self._rev:
            return [], None
        if cursor < self._compacted or cursor + 1 < self._events_base:
            return [], Expired(f"too old resource version: {cursor} ({self._compacted})")
        return self._events[cursor + 1 - self._events_base :], None


class Watch:
    """An open watch: iterate it, or call :meth:`next` with a timeout.  Yields :class:`Event`s
    already translated for the watch's selectors (an object that stops matching arrives as
    DELETED, one that starts matching as ADDED).  Raises :class:`Expired` when its revision is
    (or falls) out of the history window."""

    def __init__(
        self,
        store: Store,
        resource: str,
        namespace: str | None,
        cursor: int,
        labels: LabelSelector,
        fields: FieldSelector,
        initial: list[Event],
        error: Expired | None,
    ) -> None:
        self._store = store
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
        with self._store._lock:
            self._store._cond.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed or self._store._closed

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
        store = self._store
        while True:
            if self._pending:
                return self._pending.popleft()
            if self._error is not None:
                error, self._error = self._error, None
                self._closed = True
                raise error
            if self.closed:
                return None
            with store._lock:
                events, expired = store._events_after(self.cursor)
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
                store._cond.wait(wait)

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
