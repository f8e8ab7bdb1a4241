"""One sample of every kind calicoctl manages in Kubernetes mode, with the ps and wide table rows
calicoctl prints for it (from the templates of ``calicoctl/calicoctl/resourcemgr/<kind>.go``)."""

from __future__ import annotations

from dataclasses import dataclass

NETS_20 = [f"10.{i}.0.0/16" for i in range(20)]


@dataclass(frozen=True)
class Sample:
    kind: str
    name: str  # before the test's prefix; singletons keep "default"
    spec: str  # the manifest's spec, flow style
    ps: tuple[str, ...]  # the row after NAME (or the full row for WorkloadEndpoint)
    wide: tuple[str, ...]
    namespaced: bool = False
    singleton: bool = False  # one per cluster: the tests need an empty cluster

    def manifest(self, name: str, namespace: str = "") -> str:
        ns = f", namespace: {namespace}" if namespace else ""
        return (
            f"apiVersion: projectcalico.org/v3\nkind: {self.kind}\nmetadata: {{name: {name}{ns}}}\nspec: {self.spec}\n"
        )


WRITABLE = [
    Sample(
        "IPPool",
        "pool-a",
        "{cidr: 10.10.0.0/16, natOutgoing: true}",
        ("10.10.0.0/16", "all()"),
        ("10.10.0.0/16", "true", "Never", "Never", "false", "false", "all()", "Automatic"),
    ),
    Sample("IPReservation", "resv-a", "{reservedCIDRs: [10.1.0.0/24, 10.2.0.0/24]}", (), ("10.1.0.0/24,10.2.0.0/24",)),
    Sample(
        "NetworkPolicy",
        "np-a",
        "{selector: all(), order: 100}",
        ("default",),
        ("default", "100", "all()"),
        namespaced=True,
    ),
    Sample(
        "GlobalNetworkPolicy",
        "gnp-a",
        "{selector: \"role == 'db'\", order: 1000000}",
        ("default",),
        ("default", "1e+06", "role == 'db'"),
    ),
    Sample(
        "StagedNetworkPolicy",
        "snp-a",
        "{selector: has(app), order: 2.5}",
        ("default",),
        ("default", "2.5", "has(app)"),
        namespaced=True,
    ),
    Sample("StagedGlobalNetworkPolicy", "sgnp-a", "{selector: all()}", ("default",), ("default", "<nil>", "all()")),
    Sample(
        "StagedKubernetesNetworkPolicy",
        "sknp-a",
        "{podSelector: {matchLabels: {app: web}, matchExpressions: [{key: tier, operator: In, values: [b, a]}]}}",
        (),
        ("app=web,tier in (a,b)",),
        namespaced=True,
    ),
    Sample("Tier", "tier-a", "{order: 100}", ("100",), ("100",)),
    Sample(
        "NetworkSet",
        "ns-a",
        "{nets: [10.0.0.0/8, 192.168.0.0/16]}",
        (),
        ("10.0.0.0/8,192.168.0.0/16",),
        namespaced=True,
    ),
    Sample(
        "GlobalNetworkSet",
        "gns-a",
        "{nets: [" + ", ".join(NETS_20) + "]}",
        (),
        (",".join(NETS_20)[:77] + "...",),
    ),
    Sample(
        "HostEndpoint",
        "hep-a",
        "{node: n1, interfaceName: eth0, expectedIPs: [10.0.0.1, 10.0.0.2], profiles: [a, b]}",
        ("n1",),
        ("n1", "eth0", "10.0.0.1,10.0.0.2", "a,b"),
    ),
    Sample(
        "BGPPeer",
        "peer-a",
        "{peerIP: 10.0.0.1, asNumber: 64512, nodeSelector: \"rr == 'true'\"}",
        ("10.0.0.1", "rr == 'true'", "64512"),
        ("10.0.0.1", "rr == 'true'", "64512"),
    ),
    Sample(
        "BGPFilter",
        "filter-a",
        "{exportV4: [{action: Accept, matchOperator: In, cidr: 10.0.0.0/8}], importV6: [{action: Reject, "
        "matchOperator: Equal, cidr: 'fd00::/64'}, {action: Accept, matchOperator: In, cidr: 'fd01::/64'}]}",
        ("1", "0", "0", "2"),
        ("1", "0", "0", "2"),
    ),
    Sample(
        "BGPConfiguration",
        "default",
        "{logSeverityScreen: Info, nodeToNodeMeshEnabled: false, asNumber: 65000}",
        ("Info", "false", "65000"),
        ("Info", "false", "65000"),
        singleton=True,
    ),
    Sample("FelixConfiguration", "default", "{}", (), (), singleton=True),
    Sample("KubeControllersConfiguration", "default", "{controllers: {}}", (), (), singleton=True),
]

BY_KIND = {s.kind: s for s in WRITABLE}

HEADINGS = {
    "IPPool": (
        ("NAME", "CIDR", "SELECTOR"),
        ("NAME", "CIDR", "NAT", "IPIPMODE", "VXLANMODE", "DISABLED", "DISABLEBGPEXPORT", "SELECTOR", "ASSIGNMENTMODE"),
    ),
    "IPReservation": (("NAME",), ("NAME", "CIDRS")),
    "NetworkPolicy": (("NAME", "TIER"), ("NAME", "TIER", "ORDER", "SELECTOR")),
    "GlobalNetworkPolicy": (("NAME", "TIER"), ("NAME", "TIER", "ORDER", "SELECTOR")),
    "StagedNetworkPolicy": (("NAME", "TIER"), ("NAME", "TIER", "ORDER", "SELECTOR")),
    "StagedGlobalNetworkPolicy": (("NAME", "TIER"), ("NAME", "TIER", "ORDER", "SELECTOR")),
    "StagedKubernetesNetworkPolicy": (("NAME",), ("NAME", "PODSELECTOR")),
    "Tier": (("NAME", "ORDER"), ("NAME", "ORDER")),
    "NetworkSet": (("NAME",), ("NAME", "NETS")),
    "GlobalNetworkSet": (("NAME",), ("NAME", "NETS")),
    "HostEndpoint": (("NAME", "NODE"), ("NAME", "NODE", "INTERFACE", "IPS", "PROFILES")),
    "BGPPeer": (("NAME", "PEERIP", "NODE", "ASN"), ("NAME", "PEERIP", "NODE", "ASN")),
    "BGPFilter": (
        ("NAME", "NUMEXPORTV4", "NUMIMPORTV4", "NUMEXPORTV6", "NUMIMPORTV6"),
        ("NAME", "NUMEXPORTV4", "NUMIMPORTV4", "NUMEXPORTV6", "NUMIMPORTV6"),
    ),
    "BGPConfiguration": (
        ("NAME", "LOGSEVERITY", "MESHENABLED", "ASNUMBER"),
        ("NAME", "LOGSEVERITY", "MESHENABLED", "ASNUMBER"),
    ),
    "FelixConfiguration": (("NAME",), ("NAME",)),
    "KubeControllersConfiguration": (("NAME",), ("NAME",)),
}
