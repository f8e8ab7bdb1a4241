"""One place for each kind's facts: model class, scope, plural, CRD names, calicoctl names and columns.

Code asks this registry; it does not switch on kind names.  Facts come from Calico v3.32.1:
scope from ``libcalico-go/lib/namespace/resource.go``, plurals from the CRDs in
``api/config/crd`` and ``libcalico-go/config/crd``, calicoctl's names and table columns from
``calicoctl/calicoctl/resourcemgr/<kind>.go``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from .bgpconfig import BGPConfiguration
from .bgpfilter import BGPFilter
from .bgppeer import BGPPeer
from .blockaffinity import BlockAffinity
from .clusterinfo import ClusterInformation
from .felixconfig import FelixConfiguration
from .globalnetworkpolicy import GlobalNetworkPolicy
from .globalnetworkset import GlobalNetworkSet
from .hostendpoint import HostEndpoint
from .ipamblock import IPAMBlock
from .ipamconfig import IPAMConfiguration
from .ipamhandle import IPAMHandle
from .ippool import IPPool
from .ipreservation import IPReservation
from .kubecontrollersconfig import KubeControllersConfiguration
from .meta import Resource
from .networkpolicy import NetworkPolicy
from .networkset import NetworkSet
from .node import Node
from .nodestatus import CalicoNodeStatus
from .profile import Profile
from .stagedglobalnetworkpolicy import StagedGlobalNetworkPolicy
from .stagedkubernetesnetworkpolicy import StagedKubernetesNetworkPolicy
from .stagednetworkpolicy import StagedNetworkPolicy
from .tier import Tier
from .workloadendpoint import WorkloadEndpoint

__all__ = [
    "KINDS",
    "KindInfo",
    "Storage",
    "all_kinds",
    "kind_for_name",
    "lookup",
    "lookup_model",
]

# How Kubernetes holds a kind: a Calico custom resource, or derived from a core object (read-only).
Storage = Literal["crd", "core", "none"]


@dataclass(frozen=True, slots=True)
class KindInfo:
    kind: str
    model: type[Resource]
    plural: str
    namespaced: bool
    # crd.projectcalico.org/v1 names (``None``: not stored as a v1 custom resource).
    v1_kind: str | None
    v1_plural: str | None
    storage: Storage
    calicoctl_names: tuple[str, ...] = ()
    columns: tuple[str, ...] = ("NAME",)
    wide_columns: tuple[str, ...] = ("NAME",)
    is_policy: bool = False
    # Spec fields the crd.projectcalico.org/v1 CRD stores as the strings "true"/"false" where the
    # v3 type has a bool (BlockAffinity ``deleted``: ``internalapi.BlockAffinitySpec``).
    v1_string_bools: tuple[str, ...] = ()

    @property
    def list_kind(self) -> str:
        return self.kind + "List"


def _info(
    model: type[Resource],
    plural: str,
    *,
    namespaced: bool = False,
    v1_kind: str | None = "",
    v1_plural: str | None = "",
    storage: Storage = "crd",
    names: tuple[str, ...] = (),
    columns: tuple[str, ...] = ("NAME",),
    wide: tuple[str, ...] | None = None,
    is_policy: bool = False,
    v1_string_bools: tuple[str, ...] = (),
) -> KindInfo:
    kind = model.KIND
    return KindInfo(
        kind=kind,
        model=model,
        plural=plural,
        namespaced=namespaced,
        v1_kind=kind if v1_kind == "" else v1_kind,
        v1_plural=plural if v1_plural == "" else v1_plural,
        storage=storage,
        calicoctl_names=names,
        columns=columns,
        wide_columns=wide if wide is not None else columns,
        is_policy=is_policy,
        v1_string_bools=v1_string_bools,
    )


_POLICY_COLUMNS = ("NAME", "TIER")
_POLICY_WIDE = ("NAME", "TIER", "ORDER", "SELECTOR")

KINDS: Mapping[str, KindInfo] = MappingProxyType(
    {
        info.kind: info
        for info in (
            _info(
                IPPool,
                "ippools",
                names=("ippool", "ippools", "ipp", "ipps", "pool", "pools"),
                columns=("NAME", "CIDR", "SELECTOR"),
                wide=(
                    "NAME",
                    "CIDR",
                    "NAT",
                    "IPIPMODE",
                    "VXLANMODE",
                    "DISABLED",
                    "DISABLEBGPEXPORT",
                    "SELECTOR",
                    "ASSIGNMENTMODE",
                ),
            ),
            _info(
                IPReservation,
                "ipreservations",
                names=(
                    "ipreservation",
                    "ipreservations",
                    "reservation",
                    "reservations",
                ),
                wide=("NAME", "CIDRS"),
            ),
            _info(
                NetworkPolicy,
                "networkpolicies",
                namespaced=True,
                names=(
                    "networkpolicy",
                    "networkpolicies",
                    "policy",
                    "np",
                    "policies",
                    "pol",
                    "pols",
                ),
                columns=_POLICY_COLUMNS,
                wide=_POLICY_WIDE,
                is_policy=True,
            ),
            _info(
                GlobalNetworkPolicy,
                "globalnetworkpolicies",
                names=("globalnetworkpolicy", "globalnetworkpolicies", "gnp", "gnps"),
                columns=_POLICY_COLUMNS,
                wide=_POLICY_WIDE,
                is_policy=True,
            ),
            _info(
                StagedNetworkPolicy,
                "stagednetworkpolicies",
                namespaced=True,
                names=(
                    "stagednetworkpolicy",
                    "stagednetworkpolicies",
                    "stagedpolicy",
                    "snp",
                    "stagedpolicies",
                    "spol",
                    "spols",
                ),
                columns=_POLICY_COLUMNS,
                wide=_POLICY_WIDE,
                is_policy=True,
            ),
            _info(
                StagedGlobalNetworkPolicy,
                "stagedglobalnetworkpolicies",
                names=(
                    "stagedglobalnetworkpolicy",
                    "stagedglobalnetworkpolicies",
                    "sgnp",
                    "sgnps",
                ),
                columns=_POLICY_COLUMNS,
                wide=_POLICY_WIDE,
                is_policy=True,
            ),
            _info(
                StagedKubernetesNetworkPolicy,
                "stagedkubernetesnetworkpolicies",
                namespaced=True,
                names=(
                    "stagedkubernetesnetworkpolicy",
                    "stagedkubernetesnetworkpolicies",
                    "stagedkubernetespolicy",
                    "sknp",
                    "stagedkubernetespolicies",
                    "skpol",
                    "skpols",
                ),
                wide=("NAME", "PODSELECTOR"),
            ),
            _info(Tier, "tiers", names=("tier", "tiers"), columns=("NAME", "ORDER")),
            _info(
                NetworkSet,
                "networksets",
                namespaced=True,
                names=("networkset", "networksets", "netsets"),
                wide=("NAME", "NETS"),
            ),
            _info(
                GlobalNetworkSet,
                "globalnetworksets",
                names=("globalnetworkset", "globalnetworksets", "gnetsets"),
                wide=("NAME", "NETS"),
            ),
            _info(
                HostEndpoint,
                "hostendpoints",
                names=("hostendpoint", "hostendpoints", "hep", "heps"),
                columns=("NAME", "NODE"),
                wide=("NAME", "NODE", "INTERFACE", "IPS", "PROFILES"),
            ),
            _info(
                BGPPeer,
                "bgppeers",
                names=("bgppeer", "bgppeers", "bgpp", "bgpps", "bp", "bps"),
                columns=("NAME", "PEERIP", "NODE", "ASN"),
            ),
            _info(
                BGPConfiguration,
                "bgpconfigurations",
                names=(
                    "bgpconfiguration",
                    "bgpconfigurations",
                    "bgpconfig",
                    "bgpconfigs",
                ),
                columns=("NAME", "LOGSEVERITY", "MESHENABLED", "ASNUMBER"),
            ),
            _info(
                BGPFilter,
                "bgpfilters",
                names=("bgpfilter", "bgpfilters", "bgpf", "bgpfs", "bf", "bfs"),
                columns=(
                    "NAME",
                    "NUMEXPORTV4",
                    "NUMIMPORTV4",
                    "NUMEXPORTV6",
                    "NUMIMPORTV6",
                ),
            ),
            _info(
                FelixConfiguration,
                "felixconfigurations",
                names=(
                    "felixconfiguration",
                    "felixconfigurations",
                    "felixconfig",
                    "felixconfigs",
                ),
            ),
            _info(
                KubeControllersConfiguration,
                "kubecontrollersconfigurations",
                names=(
                    "kubecontrollersconfiguration",
                    "kubecontrollersconfigurations",
                    "kubecontrollersconfig",
                    "kubecontrollersconfigs",
                ),
            ),
            _info(
                ClusterInformation,
                "clusterinformations",
                names=(
                    "clusterinformation",
                    "clusterinformations",
                    "clusterinfo",
                    "clusterinfos",
                ),
                columns=(
                    "NAME",
                    "CLUSTERGUID",
                    "CLUSTERTYPE",
                    "CALICOVERSION",
                    "DATASTOREREADY",
                ),
            ),
            _info(
                Profile,
                "profiles",
                v1_kind=None,
                v1_plural=None,
                storage="core",
                names=("profile", "profiles", "pro", "pros"),
                wide=("NAME", "LABELS"),
            ),
            _info(
                Node,
                "nodes",
                v1_kind=None,
                v1_plural=None,
                storage="core",
                names=("node", "nodes", "no", "nos"),
                wide=("NAME", "ASN", "IPV4", "IPV6"),
            ),
            _info(
                WorkloadEndpoint,
                "workloadendpoints",
                namespaced=True,
                v1_kind=None,
                v1_plural=None,
                storage="core",
                names=("workloadendpoint", "workloadendpoints", "wep", "weps"),
                columns=("WORKLOAD", "NODE", "NETWORKS", "INTERFACE"),
                wide=(
                    "NAME",
                    "WORKLOAD",
                    "NODE",
                    "NETWORKS",
                    "INTERFACE",
                    "PROFILES",
                    "NATS",
                ),
            ),
            _info(
                IPAMConfiguration,
                "ipamconfigurations",
                v1_kind="IPAMConfig",
                v1_plural="ipamconfigs",
            ),
            _info(BlockAffinity, "blockaffinities", v1_string_bools=("deleted",)),
            _info(CalicoNodeStatus, "caliconodestatuses"),
            _info(IPAMBlock, "ipamblocks"),
            _info(IPAMHandle, "ipamhandles"),
        )
    }
)

_BY_LOWER: Mapping[str, KindInfo] = MappingProxyType({k.lower(): v for k, v in KINDS.items()})
_BY_CALICOCTL_NAME: Mapping[str, KindInfo] = MappingProxyType(
    {name: info for info in KINDS.values() for name in info.calicoctl_names}
)


def lookup(kind: str) -> KindInfo:
    """The facts of ``kind`` (exact kind name, as in a manifest); KeyError if calicopy does not know it."""
    return KINDS[kind]


def lookup_model(kind: str) -> type[Resource]:
    return KINDS[kind].model


def kind_for_name(word: str) -> KindInfo | None:
    """Resolve a word typed on a command line (``ippool``, ``gnp``, ``IPPools``) as calicoctl does (case-insensitive)."""
    lowered = word.lower()
    return _BY_CALICOCTL_NAME.get(lowered) or _BY_LOWER.get(lowered)


def all_kinds() -> Iterator[KindInfo]:
    return iter(KINDS.values())
