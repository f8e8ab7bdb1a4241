"""What Calico provides without anyone creating it: the static tiers EnsureInitialized writes
(``lib/clientv3/client.go``) and the default-allow profile (``lib/resources/static.go``)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ..resources.defaults.policy import DEFAULT_TIER_ORDER

__all__ = ["DEFAULT_ALLOW_PROFILE", "STATIC_TIERS"]

DEFAULT_ALLOW_PROFILE = "projectcalico-default-allow"

#: name -> (defaultAction, order)
STATIC_TIERS: Mapping[str, tuple[str, float]] = MappingProxyType(
    {
        "default": ("Deny", DEFAULT_TIER_ORDER),
        "kube-admin": ("Pass", 1_000.0),
        "kube-baseline": ("Pass", 10_000_000.0),
    }
)
