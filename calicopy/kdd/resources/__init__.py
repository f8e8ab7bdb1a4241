"""The per-kind clients of the Kubernetes datastore, after libcalico-go's ``backend/k8s/resources/``.

:data:`CLIENTS` maps every kind the datastore serves to the function that builds its client:
a :class:`~.customresource.CustomResourceClient` for each Calico custom resource, a
:class:`~.derived.DerivedClient` for the kinds read from core objects (Node, Profile,
WorkloadEndpoint, KubernetesNetworkPolicy).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from types import MappingProxyType

from ..kinds import DERIVED_KINDS, custom_resource_kinds
from .base import Context, ResourceClient
from .customresource import CustomResourceClient
from .derived import DerivedClient, DerivedKind
from .kubenetworkpolicy import KUBERNETES_NETWORK_POLICY
from .node import NODE
from .profile import PROFILE
from .workloadendpoint import WORKLOAD_ENDPOINT

__all__ = ["CLIENTS", "DERIVED", "ClientFactory", "Context", "ResourceClient"]

ClientFactory = Callable[[Context], ResourceClient]

#: How each derived kind is read (libcalico-go's node.go, profile.go, workloadendpoint.go,
#: kubenetworkpolicy.go).
DERIVED: Mapping[str, DerivedKind] = MappingProxyType(
    {
        "Node": NODE,
        "Profile": PROFILE,
        "WorkloadEndpoint": WORKLOAD_ENDPOINT,
        "KubernetesNetworkPolicy": KUBERNETES_NETWORK_POLICY,
    }
)

CLIENTS: Mapping[str, ClientFactory] = MappingProxyType(
    {
        **{info.kind: partial(CustomResourceClient, info) for info in custom_resource_kinds()},
        # kdd.kinds decides which kinds are derived; each must have its description here.
        **{kind: partial(DerivedClient, kind, DERIVED[kind]) for kind in sorted(DERIVED_KINDS)},
    }
)
