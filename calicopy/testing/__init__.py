"""calicopy.testing: a faithful fake Kubernetes API server for Calico's CRDs, and the store behind it.

* :class:`FakeKubeAPIServer` (``calicopy.testing.fakeapi``): a real HTTP(S) server speaking the
  Kubernetes REST API for Calico's custom resources and a few core kinds;
* :class:`Store`: the revisioned, thread-safe object store, usable without HTTP (the core's
  :class:`calicopy._store.Store`, which also backs ``Client.in_memory()``);
* seeding with namespaces, nodes and pods (:meth:`FakeKubeAPIServer.seed`, ``seed=``;
  :mod:`calicopy.testing.seeding`);
* the ``fake_kube``, ``fake_kube_api_client`` and ``calico_client`` pytest fixtures
  (``calicopy.testing.pytest_plugin``, loaded through calicopy's ``pytest11`` entry point);
* ``python -m calicopy.testing serve --port N [--namespace ...] [--node ...] [--pod ...] [--seed FILE]``.

Nothing in the core package imports this one; names load on first use, so using :class:`Store`
does not import the models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._store import Store
    from .fakeapi import GROUP_V1, GROUP_V3, FakeKubeAPIServer, FaultInjector
    from .requestlog import Request, RequestLog
    from .seeding import Seed, SeedError

__all__ = [
    "GROUP_V1",
    "GROUP_V3",
    "FakeKubeAPIServer",
    "FaultInjector",
    "Request",
    "RequestLog",
    "Seed",
    "SeedError",
    "Store",
]

_LAZY = {
    "FakeKubeAPIServer": "calicopy.testing.fakeapi",
    "FaultInjector": "calicopy.testing.fakeapi",
    "GROUP_V1": "calicopy.testing.fakeapi",
    "GROUP_V3": "calicopy.testing.fakeapi",
    "Request": "calicopy.testing.requestlog",
    "RequestLog": "calicopy.testing.requestlog",
    "Seed": "calicopy.testing.seeding",
    "SeedError": "calicopy.testing.seeding",
    "Store": "calicopy._store",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'calicopy.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
