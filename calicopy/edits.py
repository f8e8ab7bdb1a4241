"""What ``patch`` and ``label`` change in a stored object, and the lock that keeps one Client's
read-modify-writes of an object from conflicting with each other.

The functions are pure: they take the stored resource and return the object to write (or raise
the refusal), so that :class:`calicopy.client.Client` only reads, writes and retries.

Sources (Calico v3.32.1): ``calicoctl/calicoctl/commands/patch.go`` (an RFC 7386 merge patch of the
stored object), ``calicoctl/calicoctl/commands/label.go`` (the label refusals).
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator, Mapping
from typing import Any, Literal, TypeVar

from .errors import ErroredField, LabelError, ValidationError
from .resources.meta import Resource

__all__ = ["LabelAction", "ObjectLocks", "json_merge", "merge_patch", "patch_document", "relabel"]

LabelAction = Literal["set", "updated", "removed"]
R = TypeVar("R", bound=Resource)

# The stored object's identity survives a patch whatever the patch says about it.
_KEPT_METADATA = ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")


def json_merge(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch (maps merge, ``None`` deletes, lists and scalars replace)."""
    if not isinstance(patch, Mapping):
        return patch
    result: dict[str, Any] = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = json_merge(result.get(key), value)
    return result


def patch_document(patch: Mapping[str, Any] | str, kind: str, name: str) -> Mapping[str, Any]:
    """A merge patch given as JSON text (calicoctl's ``-p``) decoded, or the mapping as given."""
    if not isinstance(patch, str):
        return patch
    try:
        decoded = json.loads(patch)
    except ValueError as exc:
        raise ValidationError(
            [ErroredField("patch", f"not valid JSON: {exc}", patch)], kind=kind, name=name, operation="patch"
        ) from None
    if not isinstance(decoded, dict):
        raise ValidationError(
            [ErroredField("patch", "a merge patch must be a JSON object", patch)],
            kind=kind,
            name=name,
            operation="patch",
        )
    return decoded


def merge_patch(stored: R, patch: Mapping[str, Any]) -> R:
    """``stored`` with the (key-normalised) merge ``patch`` applied, its identity kept."""
    stored_dict = stored.to_dict()
    stored_meta = stored_dict["metadata"]
    merged = json_merge(stored_dict, patch)
    merged["metadata"] = dict(merged.get("metadata") or {})
    for key in _KEPT_METADATA:
        value = stored_meta.get(key)
        if value:
            merged["metadata"][key] = value
        else:
            merged["metadata"].pop(key, None)
    merged["kind"], merged["apiVersion"] = stored.KIND, stored.API_VERSION
    return type(stored).from_storage(merged)


def relabel(
    stored: R, key: str, value: str | None, *, remove: bool, overwrite: bool, about: Mapping[str, Any]
) -> tuple[R, LabelAction]:
    """A copy of ``stored`` with label ``key`` set to ``value`` (or removed), and what was done;
    calicoctl's refusals are :class:`~calicopy.errors.LabelError` (``about`` names the object)."""
    labels = dict(stored.metadata.labels)
    action: LabelAction
    if remove:
        if key not in labels:
            raise LabelError("missing", key=key, **about)
        del labels[key]
        action = "removed"
    elif key in labels:
        if not (overwrite or labels[key] == value):
            raise LabelError("exists", key=key, value=labels[key], **about)
        labels[key] = value or ""
        action = "updated"
    else:
        labels[key] = value or ""
        action = "set"
    changed = stored.model_copy(deep=True)
    changed.metadata.labels = labels
    return changed, action


class ObjectLocks:
    """One lock per object, held by a Client's read-modify-writes (patch, label).

    Without it, N threads patching one object over a network datastore mostly conflict with each
    other and can run out of retries; with it only writers outside this Client (other processes)
    can conflict, and those are retried.  Every write still carries the resourceVersion it read,
    so the lock is an optimisation, never the guarantee.  A lock lives while someone holds or
    waits for it.
    """

    def __init__(self) -> None:
        self._locks: dict[tuple[str, str, str], tuple[threading.Lock, int]] = {}
        self._guard = threading.Lock()

    @contextlib.contextmanager
    def hold(self, kind: str, name: str, namespace: str) -> Iterator[None]:
        key = (kind, namespace, name)
        with self._guard:
            lock, users = self._locks.get(key, (threading.Lock(), 0))
            self._locks[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._locks[key]
                if users == 1:
                    del self._locks[key]
                else:
                    self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)
