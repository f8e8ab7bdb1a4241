"""The memory backend on the store engine: libcalico-go's texts, decided from structured errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from calicopy import IPPool
from calicopy.backends.memory import MemoryBackend
from calicopy.errors import ResourceConflict, ResourceNotFound


@pytest.fixture
def backend() -> Iterator[MemoryBackend]:
    b = MemoryBackend()
    yield b
    b.close()


def _pool(name: str = "pool1") -> IPPool:
    return IPPool(metadata={"name": name}, spec={"cidr": "10.245.1.0/24"})


def test_uid_precondition_failure_is_not_found(backend: MemoryBackend) -> None:
    stored = backend.create(_pool())
    with pytest.raises(ResourceNotFound) as delete:
        backend.delete("IPPool", "pool1", uid="not-" + str(stored.metadata.uid))
    assert str(delete.value) == "resource does not exist: IPPool(pool1) with error: <nil>"
    assert (delete.value.kind, delete.value.name, delete.value.precondition) == ("IPPool", "pool1", "uid")
    with pytest.raises(ResourceConflict) as conflict:
        backend.delete("IPPool", "pool1", resource_version="1")
    assert str(conflict.value) == "update conflict: IPPool(pool1)"
    assert conflict.value.precondition == "resourceVersion"
    assert backend.get("IPPool", "pool1").metadata.uid == stored.metadata.uid


def _refusing(precondition: str, text: str) -> Any:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise ResourceConflict(text, code=409, reason="Conflict", server_message=text, precondition=precondition)

    return refuse


@pytest.mark.parametrize("operation", ["update", "delete"])
def test_precondition_is_read_from_the_error_not_its_text(
    backend: MemoryBackend, monkeypatch: pytest.MonkeyPatch, operation: str
) -> None:
    stored = backend.create(_pool())

    def attempt() -> None:
        if operation == "update":
            backend.update(stored)
        else:
            backend.delete("IPPool", "pool1", resource_version=stored.metadata.resource_version)

    # A uid failure worded without "UID in precondition" is still "does not exist"...
    monkeypatch.setattr(backend.store, operation, _refusing("uid", "conflict"))
    with pytest.raises(ResourceNotFound, match=r"^resource does not exist: IPPool\(pool1\) with error: <nil>$"):
        attempt()
    # ...and a resourceVersion failure whose text mentions a UID is still a conflict.
    monkeypatch.setattr(backend.store, operation, _refusing("resourceVersion", "UID in precondition: x"))
    with pytest.raises(ResourceConflict, match=r"^update conflict: IPPool\(pool1\)$"):
        attempt()
