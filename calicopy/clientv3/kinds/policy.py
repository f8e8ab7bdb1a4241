"""The tiered policy kinds (``lib/clientv3/{,global,staged,stagedglobal}networkpolicy.go``): a
policy's tier must exist when it is created; calicoctl refuses the Kubernetes policies that
libcalico-go's etcd mode shows as NetworkPolicies named ``knp.default.*``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from ...errors import OperationNotSupported
from ...resources.defaults.policy import check_tier_exists, tier_of
from ...resources.meta import Resource
from .base import Batch, KindHooks, Operation, Pipeline

__all__ = ["KNP_PREFIX", "KubernetesManagedPolicyHooks", "TieredPolicyHooks"]

R = TypeVar("R", bound=Resource)

#: etcd mode multiplexes Kubernetes NetworkPolicies into NetworkPolicies with this name prefix.
KNP_PREFIX = "knp.default."
# calicoctl's resource manager words the refused verb as the command pair that reaches it.
_KNP_VERBS = {"create": "create or apply", "apply": "create or apply", "replace": "apply or replace"}


class TieredPolicyHooks(KindHooks):
    def check_create(self, client: Pipeline, resource: R, batch: Batch | None) -> R:
        # In a batch: one read per distinct tier (after the batch's own Tiers are written).  A
        # single create leaves the check to the backend's create (create_requirements): one
        # round trip on etcd instead of two.
        if batch is not None:
            tier = tier_of(resource)
            check_tier_exists(resource, {tier} if batch.exists(client, "Tier", tier) else set())
        return resource

    def create_requirements(self, resource: Resource) -> Sequence[tuple[str, str]]:
        return (("Tier", tier_of(resource)),)


class KubernetesManagedPolicyHooks(TieredPolicyHooks):
    """NetworkPolicy: also refuses ``knp.default.*`` (``resourcemgr/networkpolicy.go``)."""

    def refuse(self, operation: Operation, kind: str, name: str, identifier: str) -> None:
        if name.startswith(KNP_PREFIX):
            raise OperationNotSupported(
                operation=_KNP_VERBS.get(operation, operation),
                identifier=identifier,
                detail="kubernetes network policies must be managed through the kubernetes API",
                kind=kind,
                name=name,
            )
