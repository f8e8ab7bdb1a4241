"""A small, fully known IPAM state for the ``calicopy ipam`` tests, written through the library
(as Calico's CNI plugin and kube-controllers would have written it).

Pools: ``pool-a`` 10.10.0.0/24 (blocks of /26), ``pool-v6`` fd00:10::/120 (blocks of /122), and
``gone`` 10.99.0.0/24 (/28 blocks), deleted after use so that its block is outside every pool
and without affinity.  Addresses:

=============  ======  ========  =========================  ==========================
address        handle  assigned  attributes                 used by
=============  ======  ========  =========================  ==========================
10.10.0.1      h1      node-1    default/web-1 on node-1    pod default/web-1
10.10.0.2      h2      node-1    ipipTunnelAddress, node-1  node-1's IPIP tunnel
10.10.0.3      h3      node-2    prod/db-0 on node-2        pod prod/db-0 (borrowed)
fd00:10::5     h1      node-1    default/web-1 on node-1    nothing (leaked)
10.99.0.7      h4      node-3    node-3                     nothing (leaked; h4 deleted)
=============  ======  ========  =========================  ==========================

Also: pods ``default/stray`` (10.10.0.50, in a pool but not allocated) and ``default/outside``
(172.16.0.9, in no pool), a handle ``h-leaked`` without addresses, and KubeControllersConfiguration
``default`` without a LoadBalancer controller.
"""

from __future__ import annotations

from calicopy import Client, IPPool
from calicopy.resources.generated.ipamhandle import IPAMHandle
from calicopy.resources.generated.kubecontrollersconfig import KubeControllersConfiguration
from calicopy.testing import FakeKubeAPIServer

__all__ = ["seed_ipam"]

NODE_1 = {
    "name": "node-1",
    "annotations": {
        "projectcalico.org/IPv4Address": "192.0.2.1/24",
        "projectcalico.org/IPv4IPIPTunnelAddr": "10.10.0.2",
    },
}
PODS = [
    {"name": "web-1", "node": "node-1", "ip": "10.10.0.1"},
    {"name": "db-0", "namespace": "prod", "node": "node-2", "ip": "10.10.0.3"},
    {"name": "stray", "node": "node-2", "ip": "10.10.0.50"},
    {"name": "outside", "node": "node-2", "ip": "172.16.0.9"},
]
WEB_1 = {"namespace": "default", "pod": "web-1", "node": "node-1"}


def seed_ipam(server: FakeKubeAPIServer, client: Client, *, workloads: bool = True) -> None:
    """Write the state above (``workloads=False``: no nodes or pods, no kube-controllers configuration)."""
    if workloads:
        server.seed(nodes=[NODE_1, "node-2"], pods=PODS)
    client.create(IPPool(metadata={"name": "pool-a"}, spec={"cidr": "10.10.0.0/24", "blockSize": 26}))
    client.create(IPPool(metadata={"name": "pool-v6"}, spec={"cidr": "fd00:10::/120", "blockSize": 122}))
    client.create(IPPool(metadata={"name": "gone"}, spec={"cidr": "10.99.0.0/24", "blockSize": 28}))
    ipam = client.ipam
    ipam.assign_ip("10.10.0.1", handle_id="h1", attrs=WEB_1, host="node-1")
    ipam.assign_ip("10.10.0.2", handle_id="h2", attrs={"node": "node-1", "type": "ipipTunnelAddress"}, host="node-1")
    ipam.assign_ip(
        "10.10.0.3", handle_id="h3", attrs={"namespace": "prod", "pod": "db-0", "node": "node-2"}, host="node-2"
    )
    ipam.assign_ip("fd00:10::5", handle_id="h1", attrs=WEB_1, host="node-1")
    ipam.assign_ip("10.99.0.7", handle_id="h4", attrs={"node": "node-3"}, host="node-3")
    client.delete("IPPool", "gone")
    if workloads:
        client.create(KubeControllersConfiguration(metadata={"name": "default"}, spec={"controllers": {"node": {}}}))
        client.backend.create(
            IPAMHandle.from_storage({"metadata": {"name": "h-leaked"}, "spec": {"handleID": "h-leaked", "block": {}}})
        )
        client.backend.delete("IPAMHandle", "h4")
