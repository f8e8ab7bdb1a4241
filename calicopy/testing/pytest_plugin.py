"""pytest fixtures for the fake Kubernetes API server.

Load them with ``pytest_plugins = ["calicopy.testing.pytest_plugin"]`` in a ``conftest.py``, or
import the fixtures (``from calicopy.testing.pytest_plugin import fake_kube``).

``fake_kube`` is a running :class:`~calicopy.testing.fakeapi.FakeKubeAPIServer`, new for each
test.  Configure it per test with the ``fake_kube`` marker, whose keyword arguments go to the
server: ``@pytest.mark.fake_kube(groups=["projectcalico.org/v3"], tls=True, token="t")``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .fakeapi import FakeKubeAPIServer

__all__ = ["fake_kube", "fake_kube_api_client", "pytest_configure"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fake_kube(**kwargs): arguments for the fake_kube fixture's FakeKubeAPIServer")


@pytest.fixture
def fake_kube(request: pytest.FixtureRequest) -> Iterator[FakeKubeAPIServer]:
    """A running fake Kubernetes API server (stopped after the test)."""
    kwargs: dict[str, Any] = {}
    marker = request.node.get_closest_marker("fake_kube")
    if marker is not None:
        kwargs.update(marker.kwargs)
    with FakeKubeAPIServer(**kwargs) as server:
        yield server


@pytest.fixture
def fake_kube_api_client(fake_kube: FakeKubeAPIServer) -> Iterator[Any]:
    """A ``kubernetes.client.ApiClient`` for ``fake_kube``."""
    api = fake_kube.api_client()
    try:
        yield api
    finally:
        api.close()
