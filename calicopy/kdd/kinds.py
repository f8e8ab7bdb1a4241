"""How libcalico-go v3.32.1's Kubernetes datastore holds each kind: the KDD storage facts.

The kind registry (:mod:`calicopy.resources.registry`) says what a kind *is* (plural, scope, v1
kind name...); this module says how the KDD *stores* it, for the mapping (:mod:`.convert`), the
backend's resource clients and the fake API server's schemas:

* a kind libcalico-go derives from core Kubernetes objects (``backend/k8s/resources/node.go``,
  ``profile.go``, ``workloadendpoint.go``, ``kubenetworkpolicy.go``) is read-only and has no
  custom resource;
* every other kind of the registry is a Calico custom resource (``customresource.go``), in
  ``crd.projectcalico.org/v1`` or the native ``projectcalico.org/v3`` group;
* a few v1 CRDs keep a v3 bool as the strings ``"true"``/``"false"``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

from ..resources.registry import KINDS, KindInfo

__all__ = [
    "DERIVED_KINDS",
    "V1_STRING_BOOLS",
    "custom_resource_kinds",
    "is_custom_resource",
    "is_known",
    "is_namespaced",
    "v1_string_bools",
]

#: Kinds derived from core objects (read-only).  ``KubernetesNetworkPolicy`` is libcalico-go's
#: internal model kind for a networking.k8s.io/v1 NetworkPolicy; it is not in the registry.
DERIVED_KINDS = frozenset({"Node", "Profile", "WorkloadEndpoint", "KubernetesNetworkPolicy"})

#: Scope of the derived kinds the registry does not list.
_INTERNAL_KIND_SCOPE: Mapping[str, bool] = MappingProxyType({"KubernetesNetworkPolicy": True})

#: Spec fields the crd.projectcalico.org/v1 CRD stores as the strings "true"/"false" where the v3
#: type has a bool (BlockAffinity ``deleted``: ``internalapi.BlockAffinitySpec``).
V1_STRING_BOOLS: Mapping[str, tuple[str, ...]] = MappingProxyType({"BlockAffinity": ("deleted",)})


def is_custom_resource(kind: str) -> bool:
    """Whether ``kind`` is stored as a Calico custom resource (every operation is supported)."""
    return kind in KINDS and kind not in DERIVED_KINDS


def custom_resource_kinds() -> Iterator[KindInfo]:
    """The registry entries of the kinds stored as custom resources, in registry order."""
    return (info for info in KINDS.values() if info.kind not in DERIVED_KINDS)


def is_known(kind: str) -> bool:
    """Whether the Kubernetes datastore serves ``kind`` at all."""
    return kind in KINDS or kind in DERIVED_KINDS


def is_namespaced(kind: str) -> bool:
    """The scope of a kind the datastore serves (registry kinds and libcalico-go's internal ones)."""
    info = KINDS.get(kind)
    return info.namespaced if info is not None else _INTERNAL_KIND_SCOPE.get(kind, False)


def v1_string_bools(kind: str) -> tuple[str, ...]:
    """The spec fields of ``kind`` that the v1 CRD keeps as ``"true"``/``"false"`` strings."""
    return V1_STRING_BOOLS.get(kind, ())
