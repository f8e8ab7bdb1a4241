"""projectcalico.org/v3 models: one class per kind, named exactly like the kind."""

from __future__ import annotations

from .bgpconfig import BGPConfiguration, BGPConfigurationSpec
from .bgpfilter import BGPFilter, BGPFilterSpec
from .bgppeer import BGPPeer, BGPPeerSpec
from .blockaffinity import BlockAffinity, BlockAffinitySpec
from .clusterinfo import ClusterInformation, ClusterInformationSpec
from .felixconfig import FelixConfiguration, FelixConfigurationSpec
from .globalnetworkpolicy import GlobalNetworkPolicy, GlobalNetworkPolicySpec
from .globalnetworkset import GlobalNetworkSet, GlobalNetworkSetSpec
from .hostendpoint import HostEndpoint, HostEndpointSpec
from .ipamblock import IPAMBlock, IPAMBlockSpec
from .ipamconfig import IPAMConfiguration, IPAMConfigurationSpec
from .ipamhandle import IPAMHandle, IPAMHandleSpec
from .ippool import IPPool, IPPoolSpec
from .ipreservation import IPReservation, IPReservationSpec
from .kubecontrollersconfig import (
    KubeControllersConfiguration,
    KubeControllersConfigurationSpec,
)
from .meta import ListMeta, ObjectMeta, Resource
from .networkpolicy import NetworkPolicy, NetworkPolicySpec
from .networkset import NetworkSet, NetworkSetSpec
from .node import Node, NodeSpec
from .nodestatus import CalicoNodeStatus, CalicoNodeStatusSpec
from .policy_common import EntityRule, HTTPMatch, ICMPFields, Rule
from .profile import Profile, ProfileSpec
from .registry import KINDS, KindInfo, kind_for_name, lookup
from .stagedglobalnetworkpolicy import (
    StagedGlobalNetworkPolicy,
    StagedGlobalNetworkPolicySpec,
)
from .stagedkubernetesnetworkpolicy import (
    StagedKubernetesNetworkPolicy,
    StagedKubernetesNetworkPolicySpec,
)
from .stagednetworkpolicy import StagedNetworkPolicy, StagedNetworkPolicySpec
from .tier import Tier, TierSpec
from .types import Port
from .workloadendpoint import WorkloadEndpoint, WorkloadEndpointSpec

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
