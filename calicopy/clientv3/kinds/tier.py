"""Tier (``lib/clientv3/tier.go``): the static tiers cannot be deleted, nor a tier that still
holds policies; calicoctl lists tiers by order."""

from __future__ import annotations

from ...errors import OperationNotSupported
from ...resources.defaults.policy import tier_of
from ...resources.generated.tier import Tier
from ...resources.meta import Resource
from ...resources.registry import KINDS
from ..static import STATIC_TIERS
from .base import KindHooks, Pipeline

__all__ = ["TierHooks"]

_POLICY_KINDS = tuple(sorted(info.kind for info in KINDS.values() if info.is_policy))


def _order(tier: Resource) -> tuple[bool, float]:
    order = tier.spec.order if isinstance(tier, Tier) else None
    return (order is None, order or 0.0)


class TierHooks(KindHooks):
    def delete(self, client: Pipeline, kind: str, name: str, namespace: str, resource_version: str | None) -> Resource:
        if name in STATIC_TIERS:
            raise OperationNotSupported(
                operation="Delete", identifier=name, detail=f"Cannot delete {name} tier", kind=kind, name=name
            )
        for policy_kind in _POLICY_KINDS:
            for policy in client.backend.list(policy_kind).items:
                if tier_of(policy) == name:
                    raise OperationNotSupported(
                        operation="delete",
                        identifier=name,
                        detail="Cannot delete a non-empty tier",
                        kind=kind,
                        name=name,
                    )
        return super().delete(client, kind, name, namespace, resource_version)

    def sort(self, items: list[Resource]) -> None:
        items.sort(key=_order)
