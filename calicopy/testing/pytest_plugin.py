"""pytest fixtures for the fake Kubernetes API server.

Load them with ``pytest_plugins = ["calicopy.testing.pytest_plugin"]`` in a ``conftest.py``, or
import the fixtures (``from calicopy.testing.pytest_plugin import fake_kube``).

``fake_kube`` is a running :class:`~calicopy.testing.fakeapi.FakeKubeAPIServer`, new for each
test.  Configure it per test with the ``fake_kube`` marker, whose keyword arguments go to the
server: ``@pytest.mark.fake_kube(groups=["projectcalico.org/v3"], tls=True, token="t")``.

``simulated_cluster`` is a :class:`~calicopy.testing.simulate.Simulation` on ``fake_kube``: nodes,
pods and the IPAM state Calico would have written (``sim.client`` reaches it); size it with
``@pytest.mark.simulated_cluster(nodes=6, pods=40, seed=0, leaks=2)`` (those are the defaults).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .fakeapi import FakeKubeAPIServer
from .simulate import Simulation, simulate

__all__ = ["fake_kube", "fake_kube_api_client", "pytest_configure", "simulated_cluster"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fake_kube(**kwargs): arguments for the fake_kube fixture's FakeKubeAPIServer")
    config.addinivalue_line("markers", "simulated_cluster(**kwargs): size of the simulated_cluster fixture's cluster")


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


@pytest.fixture
def simulated_cluster(request: pytest.FixtureRequest, fake_kube: FakeKubeAPIServer) -> Iterator[Simulation]:
    """``fake_kube`` filled by :func:`calicopy.testing.simulate.simulate` (small by default)."""
    kwargs: dict[str, Any] = {"nodes": 6, "pods": 40, "seed": 0, "leaks": 2}
    marker = request.node.get_closest_marker("simulated_cluster")
    if marker is not None:
        kwargs.update(marker.kwargs)
    sim = simulate(fake_kube, **kwargs)
    try:
        yield sim
    finally:
        sim.client.close()
