"""libcalico-go's clientv3 layer: the generic resource pipeline and each kind's hooks.

Above the Backend protocol and below the Client facade: it owns meaning (defaulting, validation,
datastore checks, read defaults, EnsureInitialized); backends only store.
"""

from __future__ import annotations

from .client import ClientV3, default_namespace, merge_metadata_for_update
from .kinds import HOOKS, Batch, KindHooks, Operation, hooks_for
from .static import DEFAULT_ALLOW_PROFILE, STATIC_TIERS

__all__ = [
    "DEFAULT_ALLOW_PROFILE",
    "HOOKS",
    "STATIC_TIERS",
    "Batch",
    "ClientV3",
    "KindHooks",
    "Operation",
    "default_namespace",
    "hooks_for",
    "merge_metadata_for_update",
]
