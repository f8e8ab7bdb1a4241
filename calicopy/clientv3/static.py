"""The static tiers EnsureInitialized writes (``lib/clientv3/client.go``); the default-allow profile
is :mod:`calicopy.resources.static`'s."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ..resources.defaults.policy import DEFAULT_TIER_ORDER
from ..resources.static import DEFAULT_ALLOW_PROFILE

__all__ = ["DEFAULT_ALLOW_PROFILE", "STATIC_TIERS"]


#: name -> (defaultAction, order)
STATIC_TIERS: Mapping[str, tuple[str, float]] = MappingProxyType(
    {
        "default": ("Deny", DEFAULT_TIER_ORDER),
        "kube-admin": ("Pass", 1_000.0),
        "kube-baseline": ("Pass", 10_000_000.0),
    }
)
