"""projectcalico.org/v3 models: one class per kind, named exactly like the kind.

Every model (and every class the generated modules define: specs, nested structs, enums) is
loaded on first access, ``calicopy.resources.IPPool``: importing this package imports neither
pydantic nor any model, and using one kind builds only that kind's schema.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .kinds import CLASS_MODULES, MODELS_PACKAGE

# Hand-written names offered here too, by module of this package.
_HAND_WRITTEN = {
    "ListMeta": "meta",
    "ObjectMeta": "meta",
    "Resource": "meta",
    "Port": "types",
    "KINDS": "registry",
    "KindInfo": "registry",
    "kind_for_name": "registry",
    "lookup": "registry",
}

__all__ = [
    "KINDS",
    "BGPConfiguration",
    "BGPConfigurationSpec",
    "BGPFilter",
    "BGPFilterSpec",
    "BGPPeer",
    "BGPPeerSpec",
    "BlockAffinity",
    "BlockAffinitySpec",
    "CalicoNodeStatus",
    "CalicoNodeStatusSpec",
    "ClusterInformation",
    "ClusterInformationSpec",
    "EntityRule",
    "FelixConfiguration",
    "FelixConfigurationSpec",
    "GlobalNetworkPolicy",
    "GlobalNetworkPolicySpec",
    "GlobalNetworkSet",
    "GlobalNetworkSetSpec",
    "HTTPMatch",
    "HostEndpoint",
    "HostEndpointSpec",
    "ICMPFields",
    "IPAMBlock",
    "IPAMBlockSpec",
    "IPAMConfiguration",
    "IPAMConfigurationSpec",
    "IPAMHandle",
    "IPAMHandleSpec",
    "IPPool",
    "IPPoolSpec",
    "IPReservation",
    "IPReservationSpec",
    "KindInfo",
    "KubeControllersConfiguration",
    "KubeControllersConfigurationSpec",
    "ListMeta",
    "NetworkPolicy",
    "NetworkPolicySpec",
    "NetworkSet",
    "NetworkSetSpec",
    "Node",
    "NodeSpec",
    "ObjectMeta",
    "Port",
    "Profile",
    "ProfileSpec",
    "Resource",
    "Rule",
    "StagedGlobalNetworkPolicy",
    "StagedGlobalNetworkPolicySpec",
    "StagedKubernetesNetworkPolicy",
    "StagedKubernetesNetworkPolicySpec",
    "StagedNetworkPolicy",
    "StagedNetworkPolicySpec",
    "Tier",
    "TierSpec",
    "WorkloadEndpoint",
    "WorkloadEndpointSpec",
    "kind_for_name",
    "lookup",
]


def __getattr__(name: str) -> Any:
    if name in CLASS_MODULES:
        module = importlib.import_module(f"{MODELS_PACKAGE}.{CLASS_MODULES[name]}")
    elif name in _HAND_WRITTEN:
        module = importlib.import_module(f"{__name__}.{_HAND_WRITTEN[name]}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*__all__, *CLASS_MODULES})


if TYPE_CHECKING:
    from .bgpconfig import BGPConfiguration as BGPConfiguration
    from .bgpconfig import BGPConfigurationSpec as BGPConfigurationSpec
    from .bgpfilter import BGPFilter as BGPFilter
    from .bgpfilter import BGPFilterSpec as BGPFilterSpec
    from .bgppeer import BGPPeer as BGPPeer
    from .bgppeer import BGPPeerSpec as BGPPeerSpec
    from .blockaffinity import BlockAffinity as BlockAffinity
    from .blockaffinity import BlockAffinitySpec as BlockAffinitySpec
    from .clusterinfo import ClusterInformation as ClusterInformation
    from .clusterinfo import ClusterInformationSpec as ClusterInformationSpec
    from .felixconfig import FelixConfiguration as FelixConfiguration
    from .felixconfig import FelixConfigurationSpec as FelixConfigurationSpec
    from .globalnetworkpolicy import GlobalNetworkPolicy as GlobalNetworkPolicy
    from .globalnetworkpolicy import GlobalNetworkPolicySpec as GlobalNetworkPolicySpec
    from .globalnetworkset import GlobalNetworkSet as GlobalNetworkSet
    from .globalnetworkset import GlobalNetworkSetSpec as GlobalNetworkSetSpec
    from .hostendpoint import HostEndpoint as HostEndpoint
    from .hostendpoint import HostEndpointSpec as HostEndpointSpec
    from .ipamblock import IPAMBlock as IPAMBlock
    from .ipamblock import IPAMBlockSpec as IPAMBlockSpec
    from .ipamconfig import IPAMConfiguration as IPAMConfiguration
    from .ipamconfig import IPAMConfigurationSpec as IPAMConfigurationSpec
    from .ipamhandle import IPAMHandle as IPAMHandle
    from .ipamhandle import IPAMHandleSpec as IPAMHandleSpec
    from .ippool import IPPool as IPPool
    from .ippool import IPPoolSpec as IPPoolSpec
    from .ipreservation import IPReservation as IPReservation
    from .ipreservation import IPReservationSpec as IPReservationSpec
    from .kubecontrollersconfig import KubeControllersConfiguration as KubeControllersConfiguration
    from .kubecontrollersconfig import KubeControllersConfigurationSpec as KubeControllersConfigurationSpec
    from .meta import ListMeta as ListMeta
    from .meta import ObjectMeta as ObjectMeta
    from .meta import Resource as Resource
    from .networkpolicy import NetworkPolicy as NetworkPolicy
    from .networkpolicy import NetworkPolicySpec as NetworkPolicySpec
    from .networkset import NetworkSet as NetworkSet
    from .networkset import NetworkSetSpec as NetworkSetSpec
    from .node import Node as Node
    from .node import NodeSpec as NodeSpec
    from .nodestatus import CalicoNodeStatus as CalicoNodeStatus
    from .nodestatus import CalicoNodeStatusSpec as CalicoNodeStatusSpec
    from .policy_common import EntityRule as EntityRule
    from .policy_common import HTTPMatch as HTTPMatch
    from .policy_common import ICMPFields as ICMPFields
    from .policy_common import Rule as Rule
    from .profile import Profile as Profile
    from .profile import ProfileSpec as ProfileSpec
    from .registry import KINDS as KINDS
    from .registry import KindInfo as KindInfo
    from .registry import kind_for_name as kind_for_name
    from .registry import lookup as lookup
    from .stagedglobalnetworkpolicy import StagedGlobalNetworkPolicy as StagedGlobalNetworkPolicy
    from .stagedglobalnetworkpolicy import StagedGlobalNetworkPolicySpec as StagedGlobalNetworkPolicySpec
    from .stagedkubernetesnetworkpolicy import StagedKubernetesNetworkPolicy as StagedKubernetesNetworkPolicy
    from .stagedkubernetesnetworkpolicy import StagedKubernetesNetworkPolicySpec as StagedKubernetesNetworkPolicySpec
    from .stagednetworkpolicy import StagedNetworkPolicy as StagedNetworkPolicy
    from .stagednetworkpolicy import StagedNetworkPolicySpec as StagedNetworkPolicySpec
    from .tier import Tier as Tier
    from .tier import TierSpec as TierSpec
    from .types import Port as Port
    from .workloadendpoint import WorkloadEndpoint as WorkloadEndpoint
    from .workloadendpoint import WorkloadEndpointSpec as WorkloadEndpointSpec
