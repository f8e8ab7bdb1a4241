"""What ``calicoctl datastore migrate export`` exports, in its order, and the display names its
help and errors use (``commands/datastore/migrate/export.go``: ``allV3Resources``,
``resourceDisplayMap``).

Standard library only: the ``export --help`` text is built from these without loading a model.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["ALL_V3_RESOURCES", "RESOURCE_DISPLAY", "export_help_resources"]

#: ``allV3Resources``: exported in this order (policies after tiers, configurations after nodes
#: so that node names can be mapped).
ALL_V3_RESOURCES: tuple[str, ...] = (
    "ippools",
    "bgppeers",
    "tiers",
    "globalnetworkpolicies",
    "stagedglobalnetworkpolicies",
    "globalnetworksets",
    "hostendpoints",
    "kubecontrollersconfigurations",
    "networkpolicies",
    "stagednetworkpolicies",
    "stagedkubernetesnetworkpolicies",
    "networksets",
    "nodes",
    "bgpconfigurations",
    "felixconfigurations",
    "ipreservations",
    "bgpfilters",
)

#: ``resourceDisplayMap`` (its "StagedKubernetesNetworkPolicyPolicies" is calicoctl's).
RESOURCE_DISPLAY: Mapping[str, str] = MappingProxyType(
    {
        "ippools": "IPPools",
        "bgpconfigurations": "BGPConfigurations",
        "bgppeers": "BGPPeers",
        "felixconfigurations": "FelixConfigurations",
        "globalnetworkpolicies": "GlobalNetworkPolicies",
        "stagedglobalnetworkpolicies": "StagedGlobalNetworkPolicies",
        "globalnetworksets": "GlobalNetworkSets",
        "hostendpoints": "HostEndpoints",
        "kubecontrollersconfigurations": "KubeControllersConfigurations",
        "networkpolicies": "NetworkPolicies",
        "stagednetworkpolicies": "StagedNetworkPolicies",
        "stagedkubernetesnetworkpolicies": "StagedKubernetesNetworkPolicyPolicies",
        "networksets": "NetworkSets",
        "nodes": "Nodes",
        "ipreservations": "IPReservations",
        "bgpfilters": "BGPFilters",
        "tiers": "Tiers",
    }
)


def export_help_resources() -> str:
    """The ``<RESOURCE_LIST>`` of ``export --help``: one ``    - <Name>`` line per exported kind."""
    return "".join(f"    - {RESOURCE_DISPLAY[plural]}\n" for plural in ALL_V3_RESOURCES)
