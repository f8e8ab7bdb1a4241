"""projectcalico.org/v3 models: one class per kind, named exactly like the kind.

Every model (and every class the generated modules define: specs, nested structs, enums) is
loaded on first access, ``calicopy.resources.IPPool``: importing this package imports neither
pydantic nor any model, and using one kind builds only that kind's schema.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .generated.kinds import CLASS_MODULES, MODELS_PACKAGE

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
    from .generated.bgpconfig import BGPConfiguration as BGPConfiguration
    from .generated.bgpconfig import BGPConfigurationSpec as BGPConfigurationSpec
    from .generated.bgpfilter import BGPFilter as BGPFilter
    from .generated.bgpfilter import BGPFilterSpec as BGPFilterSpec
    from .generated.bgppeer import BGPPeer as BGPPeer
    from .generated.bgppeer import BGPPeerSpec as BGPPeerSpec
    from .generated.blockaffinity import BlockAffinity as BlockAffinity
    from .generated.blockaffinity import BlockAffinitySpec as BlockAffinitySpec
    from .generated.clusterinfo import ClusterInformation as ClusterInformation
    from .generated.clusterinfo import ClusterInformationSpec as ClusterInformationSpec
    from .generated.felixconfig import FelixConfiguration as FelixConfiguration
    from .generated.felixconfig import FelixConfigurationSpec as FelixConfigurationSpec
    from .generated.globalnetworkpolicy import GlobalNetworkPolicy as GlobalNetworkPolicy
    from .generated.globalnetworkpolicy import GlobalNetworkPolicySpec as GlobalNetworkPolicySpec
    from .generated.globalnetworkset import GlobalNetworkSet as GlobalNetworkSet
    from .generated.globalnetworkset import GlobalNetworkSetSpec as GlobalNetworkSetSpec
    from .generated.hostendpoint import HostEndpoint as HostEndpoint
    from .generated.hostendpoint import HostEndpointSpec as HostEndpointSpec
    from .generated.ipamblock import IPAMBlock as IPAMBlock
    from .generated.ipamblock import IPAMBlockSpec as IPAMBlockSpec
    from .generated.ipamconfig import IPAMConfiguration as IPAMConfiguration
    from .generated.ipamconfig import IPAMConfigurationSpec as IPAMConfigurationSpec
    from .generated.ipamhandle import IPAMHandle as IPAMHandle
    from .generated.ipamhandle import IPAMHandleSpec as IPAMHandleSpec
    from .generated.ippool import IPPool as IPPool
    from .generated.ippool import IPPoolSpec as IPPoolSpec
    from .generated.ipreservation import IPReservation as IPReservation
    from .generated.ipreservation import IPReservationSpec as IPReservationSpec
    from .generated.kubecontrollersconfig import KubeControllersConfiguration as KubeControllersConfiguration
    from .generated.kubecontrollersconfig import KubeControllersConfigurationSpec as KubeControllersConfigurationSpec
    from .generated.networkpolicy import NetworkPolicy as NetworkPolicy
    from .generated.networkpolicy import NetworkPolicySpec as NetworkPolicySpec
    from .generated.networkset import NetworkSet as NetworkSet
    from .generated.networkset import NetworkSetSpec as NetworkSetSpec
    from .generated.node import Node as Node
    from .generated.node import NodeSpec as NodeSpec
    from .generated.nodestatus import CalicoNodeStatus as CalicoNodeStatus
    from .generated.nodestatus import CalicoNodeStatusSpec as CalicoNodeStatusSpec
    from .generated.policy_common import EntityRule as EntityRule
    from .generated.policy_common import HTTPMatch as HTTPMatch
    from .generated.policy_common import ICMPFields as ICMPFields
    from .generated.policy_common import Rule as Rule
    from .generated.profile import Profile as Profile
    from .generated.profile import ProfileSpec as ProfileSpec
    from .generated.stagedglobalnetworkpolicy import StagedGlobalNetworkPolicy as StagedGlobalNetworkPolicy
    from .generated.stagedglobalnetworkpolicy import StagedGlobalNetworkPolicySpec as StagedGlobalNetworkPolicySpec
    from .generated.stagedkubernetesnetworkpolicy import StagedKubernetesNetworkPolicy as StagedKubernetesNetworkPolicy
    from .generated.stagedkubernetesnetworkpolicy import (
        StagedKubernetesNetworkPolicySpec as StagedKubernetesNetworkPolicySpec,
    )
    from .generated.stagednetworkpolicy import StagedNetworkPolicy as StagedNetworkPolicy
    from .generated.stagednetworkpolicy import StagedNetworkPolicySpec as StagedNetworkPolicySpec
    from .generated.tier import Tier as Tier
    from .generated.tier import TierSpec as TierSpec
    from .generated.workloadendpoint import WorkloadEndpoint as WorkloadEndpoint
    from .generated.workloadendpoint import WorkloadEndpointSpec as WorkloadEndpointSpec
    from .meta import ListMeta as ListMeta
    from .meta import ObjectMeta as ObjectMeta
    from .meta import Resource as Resource
    from .registry import KINDS as KINDS
    from .registry import KindInfo as KindInfo
    from .registry import kind_for_name as kind_for_name
    from .registry import lookup as lookup
    from .types import Port as Port
