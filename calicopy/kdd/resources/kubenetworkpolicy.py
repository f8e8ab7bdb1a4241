"""Kubernetes NetworkPolicies as Calico NetworkPolicies (libcalico-go's ``resources/kubenetworkpolicy.go``;
conversion in :mod:`calicopy.kdd.core.networkpolicy`): the internal kind ``KubernetesNetworkPolicy``.
"""

from __future__ import annotations

from ..requests import Collection
from .derived import DerivedKind

__all__ = ["KUBERNETES_NETWORK_POLICY", "NETWORK_POLICIES"]

NETWORK_POLICIES = Collection(
    "/apis/networking.k8s.io/v1", "networkpolicies", True, "networking.k8s.io/v1", "NetworkPolicy"
)

KUBERNETES_NETWORK_POLICY = DerivedKind((NETWORK_POLICIES,))
