"""The simulator on the fake API server (the simulated_cluster fixture) and serve --populate's option."""

from __future__ import annotations

import argparse

import pytest

from calicopy.testing.__main__ import _populate_spec
from calicopy.testing.simulate import Simulation


@pytest.mark.simulated_cluster(nodes=18, pods=90, seed=5, leaks=3)
def test_simulated_cluster_through_kdd(simulated_cluster: Simulation) -> None:
    sim = simulated_cluster
    client = sim.client
    assert sim.server is not None and len(sim.nodes) == 18
    # Pods and nodes are core objects; Calico derives its WorkloadEndpoints and Nodes from them.
    weps = client.list("WorkloadEndpoint")
    assert len(weps) == len(sim.pods)
    assert {w.spec.pod for w in weps} == {key.split("/", 1)[1] for key in sim.pods}
    node = client.get("Node", "node-00")
    assert node.spec.bgp is not None and node.spec.bgp.ipv4_ipip_tunnel_addr
    usage = client.ipam.usage()
    assert [p.name for p in usage.pools] == ["batch-ipv4", "default-ipv4", "default-ipv6"]
    assert sum(p.in_use for p in usage.pools) == sum(len(a) for _, a in sim.pods.values()) + len(sim.leaked) + 18
    report = client.ipam.check()
    assert sorted(report.leaked_ips) == sorted(sim.leaked) and report.missing_handles == []
    assert client.ipam.verify(exact_handles=True) == []
    pod, (node_name, addresses) = sorted(sim.pods.items())[0]
    found = client.ipam.lookup(addresses[0])
    assert found is not None and found.attributes["pod"] == pod.split("/", 1)[1] and found.node == node_name


def test_populate_option() -> None:
    assert _populate_spec("") == {}
    assert _populate_spec("nodes=3,pods=10") == {"nodes": 3, "pods": 10}
    with pytest.raises(argparse.ArgumentTypeError):
        _populate_spec("nodes=many")
