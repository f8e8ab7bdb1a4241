"""The developer sessions CI runs: the tests on the oldest supported Python and on the newest."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_tests_run_on_python_3_11_and_the_newest() -> None:
    nox = pytest.importorskip("nox")
    spec = importlib.util.spec_from_file_location("calicopy_noxfile", ROOT / "noxfile.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sessions = nox.registry.get()
    assert sessions["tests"].python == ["3.11", "3.13"]
    assert "tests" in module.nox.options.sessions
