"""A cluster to explore offline: nodes, namespaces, pods and the IPAM state Calico would have
written for them, made through :mod:`calicopy.ipam`'s assignment code.

:func:`simulate` fills either a :class:`~calicopy.testing.FakeKubeAPIServer` (pods, nodes and
namespaces as core objects; every IPAM write goes through a Kubernetes-datastore Client, the
KDD path calicoctl uses) or an in-memory Client (Calico's Node and WorkloadEndpoint objects,
as etcd mode stores them).  It is deterministic for a seed: the same arguments give the same
pools, blocks, addresses and leaks.

What it builds, by default: 3 pools (``default-ipv4`` 10.244.0.0/16 in /26 blocks,
``batch-ipv4`` 10.250.0.0/24 in /28 blocks for namespaces labelled ``tier=batch``, and
``default-ipv6`` fd00:10:244::/48 in /122 blocks, used by dual-stack namespaces), IPIP tunnel
addresses for the nodes, pods spread over the nodes; the small batch pool runs out of blocks,
so pods of later nodes borrow addresses from other nodes' blocks (with more than 16 nodes); ``leaks`` pods are then deleted
without releasing their addresses, as after a lost CNI DEL, for ``ipam check`` to find.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from calicopy._store import clone_dict
from calicopy.client import Client
from calicopy.config import CalicoAPIConfig, CalicoAPIConfigSpec
from calicopy.ipam import IPAM
from calicopy.kdd.core.workloadendpoint import workload_endpoint_name
from calicopy.resources.generated.ippool import IPPool
from calicopy.resources.generated.kubecontrollersconfig import KubeControllersConfiguration
from calicopy.resources.generated.node import Node
from calicopy.resources.generated.workloadendpoint import WorkloadEndpoint

from .fakeapi import FakeKubeAPIServer

__all__ = ["DEFAULT_POOLS", "Simulation", "kube_client", "simulate"]

#: The pools a simulation creates unless told otherwise.
DEFAULT_POOLS: tuple[dict[str, Any], ...] = (
    {"metadata": {"name": "default-ipv4"}, "spec": {"cidr": "10.244.0.0/16", "blockSize": 26, "natOutgoing": True}},
    {"metadata": {"name": "batch-ipv4"}, "spec": {"cidr": "10.250.0.0/24", "blockSize": 28, "namespaceSelector": "tier == 'batch'", "allowedUses": ["Workload"]}},
    {"metadata": {"name": "default-ipv6"}, "spec": {"cidr": "fd00:10:244::/48", "blockSize": 122, "ipipMode": "Never"}},
)  # fmt: skip
_NAMESPACES = (
    ("frontend", {"tier": "web"}, True),
    ("backend", {"tier": "app"}, True),
    ("payments", {"tier": "app", "pci": "true"}, False),
    ("batch", {"tier": "batch"}, False),
    ("monitoring", {"tier": "ops"}, False),
)
_APPS = ("web", "api", "worker", "cache", "db", "queue", "auth", "search")
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
_BATCH_POOL = "10.250.0.0/24"


@dataclass
class Simulation:
    """What :func:`simulate` made: ``pods`` maps ``namespace/name`` to ``(node, addresses)``;
    ``leaked`` the addresses of pods deleted without release."""

    client: Client
    nodes: list[str] = field(default_factory=list)
    namespaces: dict[str, dict[str, str]] = field(default_factory=dict)
    pods: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    leaked: list[str] = field(default_factory=list)
    server: FakeKubeAPIServer | None = None

    def __repr__(self) -> str:
        where = "fake API server" if self.server is not None else "memory"
        return (
            f"Simulation({where}: {len(self.nodes)} nodes, {len(self.pods)} pods, {len(self.leaked)} leaked addresses)"
        )


def kube_client(server: FakeKubeAPIServer) -> Client:
    """A Kubernetes-datastore Client on ``server`` without client-side throttling."""
    spec = CalicoAPIConfigSpec(
        datastore_type="kubernetes",
        kubeconfig=str(server.kubeconfig_path),
        k8s_client_qps=100_000,
        k8s_client_burst=100_000,
    )
    return Client(CalicoAPIConfig(spec=spec))


class _Clock:
    """Simulated time: each reading is one second after the last, from 2026-01-01."""

    def __init__(self) -> None:
        self.now = _EPOCH

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


class _CachedPools:
    """The pools do not change while a simulation assigns: read them once."""

    def __init__(self, pools: list[IPPool]) -> None:
        self._pools = pools

    def list_pools(self) -> list[IPPool]:
        return [p.model_copy(deep=True) for p in self._pools]


def simulate(
    target: Client | FakeKubeAPIServer,
    *,
    nodes: int = 50,
    pods: int = 2000,
    seed: int = 0,
    leaks: int = 5,
    pools: tuple[Mapping[str, Any], ...] = DEFAULT_POOLS,
) -> Simulation:
    """Fill ``target`` (see the module docstring) and return what was made."""
    rng = random.Random(seed)
    server = target if isinstance(target, FakeKubeAPIServer) else None
    client = kube_client(server) if server is not None else target
    assert isinstance(client, Client)
    sim = Simulation(client, server=server)
    client.ensure_initialized()
    client.apply(
        KubeControllersConfiguration.from_dict({"metadata": {"name": "default"}, "spec": {"controllers": {"node": {}}}})
    )
    for pool in pools:
        client.create(IPPool.from_dict({"metadata": dict(pool["metadata"]), "spec": dict(pool["spec"])}))
    clock = _Clock()
    ipam = IPAM(client.backend, pools=_CachedPools(client.ipam.core.pools.list_pools()), now=clock, rng=rng)
    world = _KubeWorld(server) if server is not None else _MemoryWorld(client)
    for name, labels, _ in _NAMESPACES:
        sim.namespaces[name] = dict(labels)
        world.add_namespace(name, labels)
    for i in range(nodes):
        name = f"node-{i:02d}"
        sim.nodes.append(name)
        world.add_node(name, {"topology.kubernetes.io/zone": f"zone-{'abc'[i % 3]}", "kubernetes.io/os": "linux"})
        got = ipam.assign(
            1, host=name, handle_id=f"ipip-tunnel-addr-{name}", attrs={"node": name, "type": "ipipTunnelAddress"}
        )
        world.set_tunnel_address(name, str(got.ips[0].ip))
    weights = [8, 6, 3, 2, 1]
    dual = {name: dual_stack for name, _, dual_stack in _NAMESPACES}
    for i in range(pods):
        namespace = rng.choices([n for n, _, _ in _NAMESPACES], weights)[0]
        node = sim.nodes[min(int(rng.random() ** 1.3 * nodes), nodes - 1)]
        pod = f"{rng.choice(_APPS)}-{i:05d}-{rng.getrandbits(20):05x}"
        container = f"{rng.getrandbits(128):032x}{rng.getrandbits(128):032x}"
        attrs = {
            "namespace": namespace,
            "node": node,
            "pod": pod,
            "timestamp": clock().strftime("%Y-%m-%d %H:%M:%S.000000000 +0000 UTC"),
        }
        result = ipam.assign(
            1,
            1 if dual[namespace] else 0,
            handle_id=f"k8s-pod-network.{container}",
            attrs=attrs,
            host=node,
            # As the CNI plugin does for a namespace annotated cni.projectcalico.org/ipv4pools.
            ipv4_pools=[_BATCH_POOL] if namespace == "batch" else (),
            namespace_labels=sim.namespaces[namespace],
        )
        addresses = [str(ip.ip) for ip in result.ips]
        if not addresses:
            continue
        world.add_pod(namespace, pod, node, container, addresses)
        sim.pods[f"{namespace}/{pod}"] = (node, addresses)
    for key in rng.sample(sorted(sim.pods), min(leaks, len(sim.pods))):
        namespace, pod = key.split("/", 1)
        node, addresses = sim.pods.pop(key)
        world.remove_pod(namespace, pod, node)
        sim.leaked += addresses
    return sim


class _MemoryWorld:
    """Nodes and workloads as Calico objects in a Client's datastore (etcd mode's shape)."""

    def __init__(self, client: Client) -> None:
        self.backend = client.backend

    def add_namespace(self, name: str, labels: Mapping[str, str]) -> None:
        """Namespaces are Kubernetes objects; in memory their labels live in the simulation only."""

    def add_node(self, name: str, labels: Mapping[str, str]) -> None:
        self.backend.create(Node.from_dict({"metadata": {"name": name, "labels": dict(labels)}}))

    def set_tunnel_address(self, name: str, address: str) -> None:
        node = self.backend.get("Node", name).model_copy(deep=True)
        node.spec = Node.model_validate({"spec": {"bgp": {"ipv4IPIPTunnelAddr": address}}}).spec
        self.backend.update(node)

    def add_pod(self, namespace: str, pod: str, node: str, container: str, addresses: list[str]) -> None:
        nets = [f"{a}/{128 if ':' in a else 32}" for a in addresses]
        wep = WorkloadEndpoint.from_dict(
            {
                "metadata": {
                    "name": workload_endpoint_name(node, pod),
                    "namespace": namespace,
                    "labels": {"projectcalico.org/namespace": namespace, "projectcalico.org/orchestrator": "k8s"},
                },
                "spec": {
                    "orchestrator": "k8s",
                    "node": node,
                    "containerID": container,
                    "pod": pod,
                    "endpoint": "eth0",
                    "ipNetworks": nets,
                    "profiles": [f"kns.{namespace}"],
                    "interfaceName": f"cali{container[:11]}",
                },
            }
        )
        self.backend.create(wep)

    def remove_pod(self, namespace: str, pod: str, node: str) -> None:
        self.backend.delete("WorkloadEndpoint", workload_endpoint_name(node, pod), namespace)


class _KubeWorld:
    """Nodes, namespaces and pods as core objects of the fake API server (what kubelet and the
    scheduler would have written; Calico derives its Nodes and WorkloadEndpoints from them)."""

    def __init__(self, server: FakeKubeAPIServer) -> None:
        self.server = server

    def add_namespace(self, name: str, labels: Mapping[str, str]) -> None:
        self.server.add({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": dict(labels)}})

    def add_node(self, name: str, labels: Mapping[str, str]) -> None:
        self.server.add({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": dict(labels)}})

    def set_tunnel_address(self, name: str, address: str) -> None:
        resource = self.server.resource_type("nodes").qualified
        node = clone_dict(self.server.store.get(resource, name))
        node["metadata"].setdefault("annotations", {})["projectcalico.org/IPv4IPIPTunnelAddr"] = address
        self.server.store.update(resource, node)

    def add_pod(self, namespace: str, pod: str, node: str, container: str, addresses: list[str]) -> None:
        self.server.add(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {
                    "name": pod,
                    "namespace": namespace,
                    "labels": {"app": pod.split("-", 1)[0]},
                    "annotations": {
                        "cni.projectcalico.org/containerID": container,
                        "cni.projectcalico.org/podIP": f"{addresses[0]}/{128 if ':' in addresses[0] else 32}",
                        "cni.projectcalico.org/podIPs": ",".join(f"{a}/{128 if ':' in a else 32}" for a in addresses),
                    },
                },
                "spec": {"nodeName": node, "containers": [{"name": "main", "image": "registry.example/app:1"}]},
                "status": {"phase": "Running", "podIP": addresses[0], "podIPs": [{"ip": a} for a in addresses]},
            }
        )

    def remove_pod(self, namespace: str, pod: str, node: str) -> None:
        del node
        self.server.store.delete(self.server.resource_type("pods").qualified, pod, namespace)
