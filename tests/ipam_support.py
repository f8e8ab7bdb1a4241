"""Shared helpers of the IPAM tests: a Client on either datastore, and nodes for it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from calicopy import Client, IPPool
from calicopy.resources.generated.node import Node
from calicopy.testing import FakeKubeAPIServer
from calicopy.testing.simulate import kube_client


@dataclass
class IPAMDatastore:
    """A Client on the memory backend or on a fake API server (KDD, crd.projectcalico.org/v1)."""

    client: Client
    server: FakeKubeAPIServer | None = None

    def add_node(self, name: str, labels: Mapping[str, str] | None = None) -> None:
        if self.server is not None:
            self.server.add(
                {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": dict(labels or {})}}
            )
        else:
            self.client.backend.create(Node(metadata={"name": name, "labels": dict(labels or {})}))

    def pool(self, name: str, cidr: str, **spec: Any) -> IPPool:
        body: dict[str, Any] = {"cidr": cidr, **spec}
        if ":" in cidr:
            body.setdefault("ipipMode", "Never")
        return self.client.create(IPPool(metadata={"name": name}, spec=body))


@pytest.fixture(params=["memory", "kubernetes"])
def ipam_store(request: pytest.FixtureRequest) -> Iterator[IPAMDatastore]:
    if request.param == "memory":
        client = Client.in_memory(sleep=lambda _: None)
        yield IPAMDatastore(client)
        client.close()
        return
    with FakeKubeAPIServer() as server:
        client = kube_client(server)
        try:
            yield IPAMDatastore(client, server)
        finally:
            client.close()
