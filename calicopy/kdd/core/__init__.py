"""The read-only kinds libcalico-go v3.32.1's Kubernetes backend derives from core Kubernetes objects.

Pure functions, no I/O; inputs are plain dicts in the Kubernetes JSON shape (what the API server
returns), never ``kubernetes`` client objects.  One module per kind:

* :mod:`.node`: Node <- core/v1 Node;
* :mod:`.profile`: Profile <- Namespace / ServiceAccount, and the static
  ``projectcalico-default-allow`` profile;
* :mod:`.workloadendpoint` (with :mod:`.qos`): WorkloadEndpoint <- Pod;
* :mod:`.networkpolicy`: KubernetesNetworkPolicy <- networking.k8s.io/v1 NetworkPolicy.

``docs/kdd-mapping.md`` ("Core-derived kinds (read-only)") explains each rule with an example.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from ...errors import ConversionError
from ...resources.meta import Resource
from .networkpolicy import network_policy_from_k8s, simplify_ports
from .node import node_from_k8s
from .profile import (
    DEFAULT_ALLOW_PROFILE,
    NAMESPACE_LABEL_PREFIX,
    NAMESPACE_PROFILE_PREFIX,
    SERVICE_ACCOUNT_LABEL_PREFIX,
    SERVICE_ACCOUNT_PROFILE_PREFIX,
    default_allow_profile,
    join_profile_revisions,
    profile_from_k8s,
    split_profile_revision,
)
from .qos import parse_quantity
from .workloadendpoint import (
    is_finished,
    is_ready_calico_pod,
    is_valid_calico_workload_endpoint,
    veth_name_for_workload,
    workload_endpoint_from_pod,
    workload_endpoint_name,
)

__all__ = [
    "DEFAULT_ALLOW_PROFILE",
    "NAMESPACE_LABEL_PREFIX",
    "NAMESPACE_PROFILE_PREFIX",
    "SERVICE_ACCOUNT_LABEL_PREFIX",
    "SERVICE_ACCOUNT_PROFILE_PREFIX",
    "default_allow_profile",
    "from_core",
    "is_finished",
    "is_ready_calico_pod",
    "is_valid_calico_workload_endpoint",
    "join_profile_revisions",
    "parse_quantity",
    "simplify_ports",
    "split_profile_revision",
    "veth_name_for_workload",
    "workload_endpoint_name",
]

_Converter = Callable[[Mapping[str, Any], bool], "Resource | None"]
_CONVERTERS: Mapping[str, _Converter] = MappingProxyType(
    {
        "Node": lambda obj, use_pod_cidr: node_from_k8s(obj, use_pod_cidr=use_pod_cidr),
        "Profile": lambda obj, _: profile_from_k8s(obj),
        "WorkloadEndpoint": lambda obj, _: workload_endpoint_from_pod(obj),
        "KubernetesNetworkPolicy": lambda obj, _: network_policy_from_k8s(obj),
    }
)


def from_core(kind: str, obj: Mapping[str, Any], *, use_pod_cidr: bool = False) -> Resource | None:
    """The Calico resource libcalico-go v3.32.1's Kubernetes backend derives from core object ``obj``.

    ``kind`` names the Calico kind: ``Node`` (from a core/v1 Node), ``Profile`` (from a Namespace
    or ServiceAccount; ``obj["kind"]`` decides, or, for kind-less list items, whether the object is
    namespaced), ``WorkloadEndpoint`` (from a Pod) or ``KubernetesNetworkPolicy`` (from a
    networking.k8s.io/v1 NetworkPolicy; returned as a :class:`~calicopy.NetworkPolicy`).

    Returns None for a Pod libcalico-go does not show (host-networked, or not scheduled to a
    node).  Pods without an IP, or finished ones, are shown with no ``ipNetworks``, as in Go.
    ``use_pod_cidr`` is the client's ``usePodCIDR`` (host-local IPAM) setting, used for Nodes.
    Raises :class:`ConversionError` where libcalico-go fails (bad UID on a Namespace or
    ServiceAccount, malformed pod IP or CNI annotation, unparsable podCIDR with ``use_pod_cidr``).
    """
    converter = _CONVERTERS.get(kind)
    if converter is None:
        raise ConversionError(f"{kind} is not derived from a core Kubernetes object")
    return converter(obj, use_pod_cidr)
