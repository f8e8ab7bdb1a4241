"""Per-kind clientv3 behaviour, one module per kind family, registered in :data:`HOOKS`.

The generic pipeline (:mod:`calicopy.clientv3.client`) asks :func:`hooks_for` and calls every
hook; a kind without an entry gets the no-op :class:`KindHooks`.  A kind's hooks module (and
the models it checks against) is imported the first time the kind is handled.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..._lazy import LazyTable
from ...resources.registry import KINDS
from .base import Batch, KindHooks, Operation, Pipeline

__all__ = ["HOOKS", "Batch", "KindHooks", "Operation", "Pipeline", "hooks_for"]

_HERE = __name__

#: Each kind's hooks, an instance of the class named (kinds naming the same class share it).
HOOKS: Mapping[str, KindHooks] = LazyTable(
    {
        **{info.kind: f"{_HERE}.policy:TieredPolicyHooks" for info in KINDS.values() if info.is_policy},
        "NetworkPolicy": f"{_HERE}.policy:KubernetesManagedPolicyHooks",
        "IPPool": f"{_HERE}.ippool:IPPoolHooks",
        "Tier": f"{_HERE}.tier:TierHooks",
        "Profile": f"{_HERE}.profile:ProfileHooks",
        "BGPPeer": f"{_HERE}.bgppeer:BGPPeerHooks",
        "BGPConfiguration": f"{_HERE}.singletons:BGPConfigurationHooks",
        "KubeControllersConfiguration": f"{_HERE}.singletons:KubeControllersHooks",
        "IPAMConfiguration": f"{_HERE}.singletons:IPAMConfigurationHooks",
        "ClusterInformation": f"{_HERE}.singletons:ClusterInformationHooks",
    },
    build=lambda hooks_class: hooks_class(),
)
_NONE = KindHooks()


def hooks_for(kind: str) -> KindHooks:
    return HOOKS.get(kind, _NONE)
