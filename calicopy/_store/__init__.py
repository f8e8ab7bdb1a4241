"""The revisioned object store engine: etcd's semantics behind a Kubernetes API server, in memory.

One engine for everything in calicopy that stores objects itself:

* :class:`calicopy.backends.memory.MemoryBackend` (``Client.in_memory()``) keeps v3 resources in it;
* :class:`calicopy.testing.FakeKubeAPIServer` serves it over HTTP as the Kubernetes REST API;
* an etcd-like test double is to build on it next.

Pure Python, no I/O, thread-safe.  Objects are JSON-shaped dicts; failures are classes of
:mod:`calicopy.errors` that carry the Kubernetes ``Status`` they stand for.

Modules: :mod:`.store` (the :class:`Store`: revisions, CRUD, snapshot lists and paging),
:mod:`.history` (the revision counter, event log and compaction), :mod:`.watch` (:class:`Watch`),
:mod:`.query` (label and field selectors, continue tokens), :mod:`.failures` (the errors, worded
as the apiserver words them), :mod:`.objects` (events, list pages, copies).
"""

from __future__ import annotations

from .objects import Event, EventType, JSONDict, ListResult, clone, clone_dict
from .query import FieldSelector, LabelSelector, parse_field_selector, parse_label_selector
from .store import Store
from .watch import Watch

__all__ = [
    "Event",
    "EventType",
    "FieldSelector",
    "JSONDict",
    "LabelSelector",
    "ListResult",
    "Store",
    "Watch",
    "clone",
    "clone_dict",
    "parse_field_selector",
    "parse_label_selector",
]
