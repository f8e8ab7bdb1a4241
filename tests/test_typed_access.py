"""Typed access: ``client.get(IPPool, ...)`` is an IPPool and ``client.ippools`` a
``KindAccessor[IPPool]`` to a type checker (mypy --strict over tests/typing/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from calicopy import Client
from calicopy.accessors import KindAccessor, KindAccessors
from calicopy.resources.registry import KINDS

HERE = Path(__file__).parent / "typing"


def test_accessor_declarations_match_the_registry() -> None:
    declared = {name for name in vars(KindAccessors) if not name.startswith("_")}
    assert declared == {info.plural for info in KINDS.values()}
    client = Client.in_memory()
    for info in KINDS.values():
        accessor = getattr(client, info.plural)
        assert isinstance(accessor, KindAccessor) and accessor.info is info
        assert getattr(client, info.plural) is accessor  # one per Client


def test_typed_access_type_checks_and_wrong_types_are_reported() -> None:
    api = pytest.importorskip("mypy.api")
    right, wrong = HERE / "typed_access.py", HERE / "typed_access_wrong.py"
    stdout, stderr, status = api.run(
        ["--strict", "--no-incremental", "--follow-imports=silent", str(right), str(wrong)]
    )
    output = stdout + stderr
    assert status == 1, output
    errors = [line for line in output.splitlines() if ": error:" in line]
    assert [Path(line.split(":")[0]).name for line in errors] == [wrong.name] * 2, output
    assert all("Incompatible types in assignment" in line for line in errors), output
