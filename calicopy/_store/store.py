"""The revisioned object store: objects by resource and key, every version still in the history
window, CRUD with Kubernetes (etcd) semantics, and snapshot lists with paging.

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

Failures are :mod:`calicopy.errors` classes worded as the API server words them
(:mod:`calicopy._store.failures`).
"""

from __future__ import annotations

import uuid
from bisect import bisect_left, bisect_right, insort
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..errors import ResourceExpired
from ..labelselector import LabelSelector
from .failures import (
    already_exists,
    bad_request,
    expired,
    internal_error,
    invalid,
    not_found,
    precondition_failed,
    stale_update,
    too_large_resource_version,
)
from .history import History
from .objects import Event, JSONDict, Key, ListResult, clone_dict
from .query import FieldSelector, decode_continue, encode_continue, parse_field_selector, parse_label_selector
from .watch import Watch

__all__ = ["Store"]


@dataclass(slots=True)
class _Entry:
    """The versions of one key still needed: ``objs[i]`` was written at ``revs[i]`` (None: deleted)."""

    revs: list[int] = field(default_factory=list)
    objs: list[JSONDict | None] = field(default_factory=list)

    def at(self, revision: int) -> JSONDict | None:
        i = bisect_right(self.revs, revision)
        return self.objs[i - 1] if i else None

    @property
    def current(self) -> JSONDict | None:
        return self.objs[-1] if self.objs else None


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _keys_from(order: list[Key], begin: int, namespace: str | None) -> Iterator[Key]:
    """Keys of ``order`` from index ``begin`` on, stopping at the end of ``namespace`` (if given)."""
    for i in range(begin, len(order)):
        key = order[i]
        if namespace is not None and key[0] != namespace:
            return
        yield key


class Store:
    """The revisioned object store (see the module docstring).  All methods are thread-safe.

    Objects are grouped into *resources*: any string, which is also what the error texts name
    (the fake API server uses the qualified resource, ``ippools.crd.projectcalico.org``; the
    memory backend the plural, ``ippools``).  ``window``: how many revisions of history are
    kept for watches, exact-revision lists and continue tokens.  Objects handed in are copied;
    objects handed out are copies unless ``copy=False`` is passed (then they must not be modified).
    """

    def __init__(self, *, window: int = 10_000, clock: Callable[[], str] = _now) -> None:
        self._history = History(window)
        self._lock = self._history.lock
        self._clock = clock
        self._data: dict[str, dict[Key, _Entry]] = {}
        # Each resource's keys in etcd order, kept sorted as keys come and go, so that a paged
        # list is a bisect plus a short scan rather than a sort of every key.
        self._order: dict[str, list[Key]] = {}
        self._tombstones: deque[tuple[int, str, Key]] = deque()

    # -- introspection ----------------------------------------------------------------------

    @property
    def window(self) -> int:
        return self._history.window

    @property
    def revision(self) -> int:
        """The newest revision (the resourceVersion a list returns)."""
        with self._lock:
            return self._history.revision

    @property
    def compacted_revision(self) -> int:
        """Revisions at or below this one are gone from history (410 for watches from before it)."""
        with self._lock:
            return self._history.compacted

    def resources(self) -> list[str]:
        with self._lock:
            return sorted(r for r, entries in self._data.items() if any(e.current for e in entries.values()))

    # -- writes -----------------------------------------------------------------------------

    def _entries(self, resource: str) -> dict[Key, _Entry]:
        entries = self._data.get(resource)
        if entries is None:
            entries = self._data[resource] = {}
        return entries

    def _commit(self, resource: str, key: Key, entry: _Entry, obj: JSONDict | None, event: Event) -> None:
        entry.revs.append(event.revision)
        entry.objs.append(obj)
        if obj is None:
            self._tombstones.append((event.revision, resource, key))
        compacted = self._history.record(event)
        # A key deleted at or before the compacted revision is gone for good.
        while self._tombstones and self._tombstones[0][0] <= compacted:
            _, gone_resource, gone_key = self._tombstones.popleft()
            entries = self._data.get(gone_resource, {})
            gone = entries.get(gone_key)
            if gone is not None and gone.current is None and gone.revs[-1] <= compacted:
                del entries[gone_key]
                order = self._order.get(gone_resource, [])
                i = bisect_left(order, gone_key)
                if i < len(order) and order[i] == gone_key:
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

        Raises :class:`~calicopy.errors.ResourceAlreadyExists`, or a
        :class:`~calicopy.errors.DatastoreError` (500, as the apiserver) when the object carries
        a resourceVersion."""
        new = clone_dict(obj)
        meta = new.setdefault("metadata", {})
        name = meta.get("name") or ""
        if not name:
            raise invalid(
                f"{resource} is invalid: metadata.name: Required value: name or generateName is required",
                resource=resource,
            )
        if meta.get("resourceVersion"):
            raise internal_error("resourceVersion should not be set on objects to be created")
        key = (meta.get("namespace") or "", name)
        with self._lock:
            self._check_open()
            entries = self._entries(resource)
            entry = entries.get(key)
            if entry is not None and entry.current is not None:
                raise already_exists(resource, name, key[0])
            meta["uid"] = uid or str(uuid.uuid4())
            meta["creationTimestamp"] = self._clock()
            meta["generation"] = 1
            meta.pop("deletionTimestamp", None)
            if dry_run:
                meta["resourceVersion"] = ""
                return new
            rev = self._history.next_revision()
            meta["resourceVersion"] = str(rev)
            if entry is None:
                entry = entries[key] = _Entry()
                insort(self._order.setdefault(resource, []), key)
            else:
                self._prune(entry, self._history.compacted)
            self._commit(resource, key, entry, new, Event("ADDED", resource, key[0], rev, new))
            return clone_dict(new) if copy else new

    def get(self, resource: str, name: str, namespace: str = "", *, copy: bool = True) -> JSONDict:
        with self._lock:
            entry = self._data.get(resource, {}).get((namespace, name))
            obj = entry.current if entry is not None else None
            if obj is None:
                raise not_found(resource, name, namespace)
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
                raise not_found(resource, name, namespace)
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
        namespace = old_meta.get("namespace") or ""
        rv = meta.get("resourceVersion") or ""
        if not rv and require_resource_version:
            detail = "Invalid value: 0x0: must be specified for an update"
            raise invalid(
                f'{resource} "{name}" is invalid: metadata.resourceVersion: {detail}',
                resource=resource,
                name=name,
                causes=[{"reason": "FieldValueInvalid", "message": detail, "field": "metadata.resourceVersion"}],
            )
        if rv and rv != old_meta["resourceVersion"]:
            raise stale_update(resource, name, namespace)
        if meta.get("uid") and meta["uid"] != old_meta.get("uid"):
            raise precondition_failed(resource, name, namespace, "uid", meta["uid"], old_meta.get("uid", ""))
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
        rev = self._history.next_revision()
        meta["resourceVersion"] = str(rev)
        self._prune(entry, self._history.compacted)
        key = (meta.get("namespace") or "", name)
        self._commit(resource, key, entry, new, Event("MODIFIED", resource, key[0], rev, new, old))
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
                raise not_found(resource, name, namespace)
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
                raise not_found(resource, name, namespace)
            meta = old["metadata"]
            if uid is not None and uid != meta.get("uid"):
                raise precondition_failed(resource, name, namespace, "uid", uid, meta.get("uid", ""))
            if resource_version is not None and resource_version != meta.get("resourceVersion"):
                raise precondition_failed(
                    resource, name, namespace, "resourceVersion", resource_version, meta.get("resourceVersion", "")
                )
            if meta.get("finalizers"):
                if meta.get("deletionTimestamp"):
                    return clone_dict(old) if copy else old
                marked = clone_dict(old)
                marked["metadata"]["deletionTimestamp"] = self._clock()
                marked["metadata"]["deletionGracePeriodSeconds"] = 0
                if dry_run:
                    return marked
                rev = self._history.next_revision()
                marked["metadata"]["resourceVersion"] = str(rev)
                self._prune(entry, self._history.compacted)
                self._commit(
                    resource, (namespace, name), entry, marked, Event("MODIFIED", resource, namespace, rev, marked, old)
                )
                return clone_dict(marked) if copy else marked
            if dry_run:
                return clone_dict(old)
            return self._remove(resource, entry, old, copy)

    def _remove(self, resource: str, entry: _Entry, last: JSONDict, copy: bool) -> JSONDict:
        rev = self._history.next_revision()
        gone = dict(last)
        gone["metadata"] = dict(last["metadata"], resourceVersion=str(rev))
        meta = gone["metadata"]
        key = (meta.get("namespace") or "", meta.get("name", ""))
        previous = entry.current
        self._prune(entry, self._history.compacted)
        self._commit(resource, key, entry, None, Event("DELETED", resource, key[0], rev, gone, previous))
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
        _check_list_options(continue_, resource_version, resource_version_match)
        with self._lock:
            history = self._history
            start: Key | None = None
            at = history.revision
            if continue_:
                at, start = decode_continue(continue_)
                if at < history.compacted:
                    raise expired(
                        "The provided continue parameter is too old to display a consistent list result. "
                        "You can start a new list without the continue parameter, or use the continue value "
                        "from the response."
                    )
            elif resource_version not in (None, "", "0"):
                rev = _parse_revision(resource_version)
                exact = resource_version_match == "Exact" or (resource_version_match is None and limit > 0)
                if rev > history.revision:
                    raise too_large_resource_version(rev, history.revision)
                if exact:
                    if rev < history.compacted:
                        raise expired("The resourceVersion for the provided list is too old.")
                    at = rev
            entries = self._data.get(resource, {})
            order = self._order.get(resource, [])
            begin = 0 if start is None else bisect_right(order, start)
            if namespace is not None:
                begin = max(begin, bisect_left(order, (namespace, "")))
            keys = _keys_from(order, begin, namespace)
            items: list[JSONDict] = []
            next_key: Key | None = None
            last_read: Key | None = None
            current = at == history.revision
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
                token = encode_continue(at, last_read)
                if labels.empty and fields.empty:
                    # ``keys`` resumes after next_key, which is itself a live object.
                    remaining = 1 + sum(
                        1 for k in keys if (entries[k].current if current else entries[k].at(at)) is not None
                    )
            return ListResult(items, str(at), token, remaining)

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
        current objects first, then changes; a revision: the changes after it (the watch raises
        :class:`~calicopy.errors.ResourceExpired` first if it is older than the window)."""
        labels = label_selector if isinstance(label_selector, LabelSelector) else parse_label_selector(label_selector)
        fields = field_selector if isinstance(field_selector, FieldSelector) else parse_field_selector(field_selector)
        with self._lock:
            self._check_open()
            initial: list[Event] = []
            error: ResourceExpired | None = None
            if resource_version in (None, "", "0"):
                cursor = self._history.revision
                for key, entry in sorted(self._data.get(resource, {}).items()):
                    obj = entry.current
                    if obj is None or (namespace is not None and key[0] != namespace):
                        continue
                    if fields.matches(obj["metadata"]) and labels.matches(obj["metadata"].get("labels")):
                        initial.append(Event("ADDED", resource, key[0], entry.revs[-1], obj))
            else:
                cursor = _parse_revision(resource_version)
                if cursor < self._history.compacted:
                    error = self._history.too_old(cursor)
            return Watch(self._history, resource, namespace, cursor, labels, fields, initial, error)

    # -- lifecycle --------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._history.closed:
            raise internal_error("the store is closed")

    def close(self) -> None:
        """Wake and end every watch (they raise nothing; their iteration stops)."""
        with self._lock:
            self._history.close()

    def reopen(self) -> None:
        with self._lock:
            self._history.reopen()


def _check_list_options(continue_: str | None, resource_version: str | None, match: str | None) -> None:
    """The apiserver's validation of ListOptions (before it reads anything)."""
    if match and match not in ("Exact", "NotOlderThan"):
        raise invalid(
            f'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: '
            f'"{match}": supported values: "Exact", "NotOlderThan"'
        )
    if match and not resource_version:
        raise invalid(
            'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: '
            "resourceVersionMatch is forbidden unless resourceVersion is provided"
        )
    if continue_ and resource_version not in (None, "", "0"):
        raise bad_request("specifying resource version is not allowed when using continue")
    if match == "Exact" and resource_version == "0":
        raise invalid(
            'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: '
            'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'
        )


def _parse_revision(value: str) -> int:
    try:
        rev = int(value)
    except ValueError:
        raise bad_request(f"invalid resource version: {value!r}") from None
    if rev < 0:
        raise bad_request(f"invalid resource version: {value!r}")
    return rev
