"""The store's data: JSON-shaped objects, their copies, and what writes and lists hand back.

Objects are dicts with a ``metadata`` mapping, as the Kubernetes API and libcalico-go's
etcdv3 backend exchange them; a key is ``(namespace, name)``, which sorts in etcd's key order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Event", "EventType", "JSONDict", "Key", "ListResult", "clone", "clone_dict"]

JSONDict = dict[str, Any]
EventType = Literal["ADDED", "MODIFIED", "DELETED"]
Key = tuple[str, str]  # (namespace, name): etcd's key order


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


@dataclass(frozen=True, slots=True)
class ListResult:
    """One page of a list: the items, the revision it was read at, and where the next page starts
    (``continue_``; empty on the last page) with how many items remain after it (when known)."""

    items: list[JSONDict]
    resource_version: str
    continue_: str = ""
    remaining_item_count: int | None = None
