"""Per-kind clientv3 behaviour, one module per kind family, registered in :data:`HOOKS`.

The generic pipeline (:mod:`calicopy.clientv3.client`) asks :func:`hooks_for` and calls every
hook; a kind without an entry gets the no-op :class:`KindHooks`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ...resources.registry import KINDS
from .base import Batch, KindHooks, Operation, Pipeline
from .bgppeer import BGPPeerHooks
from .ippool import IPPoolHooks
from .policy import KubernetesManagedPolicyHooks, TieredPolicyHooks
from .profile import ProfileHooks
from .singletons import BGPConfigurationHooks, ClusterInformationHooks, IPAMConfigurationHooks, KubeControllersHooks
from .tier import TierHooks

__all__ = ["HOOKS", "Batch", "KindHooks", "Operation", "Pipeline", "hooks_for"]

_TIERED = TieredPolicyHooks()

HOOKS: Mapping[str, KindHooks] = MappingProxyType(
    {
        **{info.kind: _TIERED for info in KINDS.values() if info.is_policy},
        "NetworkPolicy": KubernetesManagedPolicyHooks(),
        "IPPool": IPPoolHooks(),
        "Tier": TierHooks(),
        "Profile": ProfileHooks(),
        "BGPPeer": BGPPeerHooks(),
        "BGPConfiguration": BGPConfigurationHooks(),
        "KubeControllersConfiguration": KubeControllersHooks(),
        "IPAMConfiguration": IPAMConfigurationHooks(),
        "ClusterInformation": ClusterInformationHooks(),
    }
)
_NONE = KindHooks()


def hooks_for(kind: str) -> KindHooks:
    return HOOKS.get(kind, _NONE)
