"""pytest fixtures for the fake Kubernetes API server.

Installing calicopy registers this plugin with pytest (the ``pytest11`` entry point
``calicopy``): the fixtures are there in every test, with nothing to add to a ``conftest.py``.
Where plugin autoloading is off (``PYTEST_DISABLE_PLUGIN_AUTOLOAD``), load it with
``-p calicopy.testing.pytest_plugin`` or ``pytest_plugins = ["calicopy.testing.pytest_plugin"]``;
either is also harmless when the entry point has loaded it already.

``fake_kube`` is a running :class:`~calicopy.testing.fakeapi.FakeKubeAPIServer`, new for each
test.  Configure it per test with the ``fake_kube`` marker, whose keyword arguments go to the
server: ``@pytest.mark.fake_kube(groups=["projectcalico.org/v3"], tls=True, token="t")``, or
``@pytest.mark.fake_kube(seed={"nodes": ["node-1"], "pods": ["default/web"]})``.
``fake_kube_api_client`` is a ``kubernetes.client.ApiClient`` for it, and ``calico_client`` a
:class:`calicopy.Client` reaching it through its kubeconfig (``datastoreType: kubernetes``).

``simulated_cluster`` is a :class:`~calicopy.testing.simulate.Simulation` on ``fake_kube``: nodes,
pods and the IPAM state Calico would have written (``sim.client`` reaches it); size it with
``@pytest.mark.simulated_cluster(nodes=6, pods=40, seed=0, leaks=2)`` (those are the defaults).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest

from calicopy.client import Client
from calicopy.config import CalicoAPIConfig, CalicoAPIConfigSpec

from .fakeapi import FakeKubeAPIServer
from .simulate import Simulation, simulate

__all__ = [
    "calico_client",
    "fake_kube",
    "fake_kube_api_client",
    "pytest_configure",
    "pytest_plugin_registered",
    "simulated_cluster",
]

#: The name the ``pytest11`` entry point registers this module under (pyproject.toml).
ENTRY_POINT_NAME = "calicopy"


def pytest_plugin_registered(plugin: object, manager: pytest.PytestPluginManager) -> None:
    """Once this module is registered under one of its names, block the other.

    pytest registers a plugin module once per name: the entry point's ``calicopy`` and the
    module name that ``pytest_plugins``/``-p`` use.  Loading it both ways would register the
    same module twice, which pluggy refuses ("Plugin already registered under a different
    name"); a blocked name is skipped instead.
    """
    if plugin is not sys.modules[__name__]:
        return
    name = manager.get_name(plugin)
    for alias in (ENTRY_POINT_NAME, __name__):
        if alias != name and manager.get_plugin(alias) is None and not manager.is_blocked(alias):
            manager.set_blocked(alias)


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
def calico_client(fake_kube: FakeKubeAPIServer) -> Iterator[Client]:
    """A :class:`calicopy.Client` on ``fake_kube``, as calicoctl would connect to a cluster.

    It reads the server's kubeconfig (``datastoreType: kubernetes``), so requests take the real
    Kubernetes datastore path; it is closed after the test.
    """
    spec = CalicoAPIConfigSpec(datastore_type="kubernetes", kubeconfig=str(fake_kube.kubeconfig_path))
    client = Client(CalicoAPIConfig(spec=spec))
    try:
        yield client
    finally:
        client.close()


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
