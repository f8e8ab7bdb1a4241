"""Tables whose values are imported on first use, so that a command pays only for what it touches.

``calicopy get ippools`` needs the IPPool model and its hooks, not the models, conversions and
hooks of twenty other kinds; a :class:`LazyTable` names where each value lives
(``"package.module:attribute"``) and imports that module when the value is first asked for.
Keys, ``len`` and ``in`` need no import.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar

__all__ = ["LazyTable"]

V = TypeVar("V")


def _as_is(value: Any) -> Any:
    return value


class LazyTable(Mapping[str, V], Generic[V]):
    """A read-only mapping of ``key -> "module:attribute"``, each value loaded on first access.

    ``build`` turns the attribute into the value (e.g. a class into its instance); keys naming
    the same attribute share one value.
    """

    def __init__(self, where: Mapping[str, str], build: Callable[[Any], V] = _as_is) -> None:
        self._where = dict(where)
        self._build = build
        self._values: dict[str, V] = {}
        self._lock = threading.Lock()

    def __getitem__(self, key: str) -> V:
        target = self._where[key]
        value = self._values.get(target)
        if value is None:
            with self._lock:
                value = self._values.get(target)
                if value is None:
                    module, _, attribute = target.partition(":")
                    value = self._values[target] = self._build(getattr(importlib.import_module(module), attribute))
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, key: object) -> bool:
        return key in self._where

    def __repr__(self) -> str:
        return f"LazyTable({self._where!r})"
