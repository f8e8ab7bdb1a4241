"""The per-kind clients of the Kubernetes datastore, after libcalico-go's ``backend/k8s/resources/``.

:data:`CLIENTS` maps every kind the datastore serves to the function that builds its client:
a :class:`~.customresource.CustomResourceClient` for each Calico custom resource, a
:class:`~.derived.DerivedClient` for the kinds read from core objects (Node, Profile,
WorkloadEndpoint, KubernetesNetworkPolicy).  A derived kind's description, and the conversions
and models behind it (:mod:`calicopy.kdd.core`), are imported when that kind is first used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING

from ..._lazy import LazyTable
from ..kinds import DERIVED_KINDS, custom_resource_kinds
from .base import Context, ResourceClient
from .customresource import CustomResourceClient

if TYPE_CHECKING:
    from .derived import DerivedKind

__all__ = ["CLIENTS", "DERIVED", "ClientFactory", "Context", "ResourceClient"]

ClientFactory = Callable[[Context], ResourceClient]

#: How each derived kind is read (libcalico-go's node.go, profile.go, workloadendpoint.go,
#: kubenetworkpolicy.go).
DERIVED: Mapping[str, DerivedKind] = LazyTable(
    {
        "Node": f"{__name__}.node:NODE",
        "Profile": f"{__name__}.profile:PROFILE",
        "WorkloadEndpoint": f"{__name__}.workloadendpoint:WORKLOAD_ENDPOINT",
        "KubernetesNetworkPolicy": f"{__name__}.kubenetworkpolicy:KUBERNETES_NETWORK_POLICY",
    }
)


def _derived_client(kind: str, context: Context) -> ResourceClient:
    derived = importlib.import_module(f"{__name__}.derived")
    client: ResourceClient = derived.DerivedClient(kind, DERIVED[kind], context)
    return client


CLIENTS: Mapping[str, ClientFactory] = MappingProxyType(
    {
        **{info.kind: partial(CustomResourceClient, info) for info in custom_resource_kinds()},
        # kdd.kinds decides which kinds are derived; each must have its description here.
        **{kind: partial(_derived_client, kind) for kind in sorted(DERIVED_KINDS)},
    }
)
