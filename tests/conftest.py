"""Shared test fixtures: where the published Calico CRDs are (they live outside the repository)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CRDS = SHARED / "calico-crds"


@pytest.fixture(scope="session")
def crd_dir() -> Path:
    """The v3.32.1 CRD manifests; tests that need them skip when ../shared is absent (a user's clone)."""
    path = CRDS / "v3.32.1"
    if not path.is_dir():
        pytest.skip("../shared/calico-crds is not present")
    return path
