"""Defaulting and datastore checks: policy family.

What libcalico-go v3.32.1 fills in when a policy or tier is created:

* ``api/pkg/defaults`` (called by clientv3 before validation): ``spec.types`` from the rules
  when empty, and the ``projectcalico.org/tier`` label set to the policy's tier;
* clientv3 for staged NP/GNP with ``stagedAction: Delete``: ``spec.types`` cleared;
* the CRD schema defaults (applied by ``validator.Validate`` in etcd mode, by the API server in
  Kubernetes mode): ``spec.tier: default``, ``spec.stagedAction: Set``, Tier
  ``spec.defaultAction: Deny``;
* ``libcalico-go/lib/resources/tier.go`` ``DefaultTierFields``: Tier ``order`` 1e6 and
  ``defaultAction`` Deny.

``order`` of a policy is never defaulted (unset means "last").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ...errors import ResourceNotFound

if TYPE_CHECKING:
    from ..generated.globalnetworkpolicy import GlobalNetworkPolicy
    from ..generated.networkpolicy import NetworkPolicy
    from ..generated.stagedglobalnetworkpolicy import StagedGlobalNetworkPolicy
    from ..generated.stagedkubernetesnetworkpolicy import StagedKubernetesNetworkPolicy
    from ..generated.stagednetworkpolicy import StagedNetworkPolicy
    from ..generated.tier import Tier

__all__ = [
    "DEFAULTERS",
    "DEFAULT_TIER",
    "DEFAULT_TIER_ORDER",
    "LABEL_TIER",
    "TIERED_POLICY_KINDS",
    "check_tier_exists",
    "default_policy_types",
    "ensure_tier_label",
    "tier_of",
]

LABEL_TIER = "projectcalico.org/tier"
DEFAULT_TIER = "default"
DEFAULT_TIER_ORDER = 1_000_000.0

# The kinds that belong to a tier (the kind table's ``is_policy``; a test holds the two together).
TIERED_POLICY_KINDS = ("NetworkPolicy", "GlobalNetworkPolicy", "StagedNetworkPolicy", "StagedGlobalNetworkPolicy")

_INGRESS = "Ingress"
_EGRESS = "Egress"


def tier_of(policy: Any) -> str:
    """The tier a NP/GNP/SNP/SGNP belongs to (``names.TierOrDefault``)."""
    return str(policy.spec.tier) or DEFAULT_TIER


def default_policy_types(ingress: list[Any], egress: list[Any]) -> list[str]:
    """The ``types`` libcalico-go infers from the rules: egress rules decide, by list length."""
    if not egress:
        return [_INGRESS]  # also when there are no rules at all
    if not ingress:
        return [_EGRESS]
    return [_INGRESS, _EGRESS]


def _set_tier_label(policy: Any, tier: str) -> None:
    labels = policy.metadata.labels
    if labels.get(LABEL_TIER) != tier:
        labels[LABEL_TIER] = tier


def _default_tiered_policy(policy: Any) -> None:
    spec = policy.spec
    if not spec.types:
        spec.types = default_policy_types(spec.ingress, spec.egress)
    _set_tier_label(policy, tier_of(policy))


def _default_policy(policy: NetworkPolicy | GlobalNetworkPolicy) -> None:
    _default_tiered_policy(policy)
    if not policy.spec.tier:
        policy.spec.tier = DEFAULT_TIER  # CRD schema default


def _default_staged_policy(policy: StagedNetworkPolicy | StagedGlobalNetworkPolicy) -> None:
    _default_tiered_policy(policy)
    spec = policy.spec
    if spec.staged_action == "Delete":
        spec.types = []
    # CRD schema defaults.
    if not spec.tier:
        spec.tier = DEFAULT_TIER
    if not spec.staged_action:
        spec.staged_action = "Set"


def _default_staged_kubernetes_policy(policy: StagedKubernetesNetworkPolicy) -> None:
    # clientv3 does no defaulting for this kind; only the CRD schema default applies.
    if not policy.spec.staged_action:
        policy.spec.staged_action = "Set"


def _default_tier(tier: Tier) -> None:
    spec = tier.spec
    if spec.order is None:
        spec.order = DEFAULT_TIER_ORDER
    if spec.default_action is None:
        spec.default_action = "Deny"


DEFAULTERS: Mapping[str, Callable[[Any], None]] = MappingProxyType(
    {
        "NetworkPolicy": _default_policy,
        "GlobalNetworkPolicy": _default_policy,
        "StagedNetworkPolicy": _default_staged_policy,
        "StagedGlobalNetworkPolicy": _default_staged_policy,
        "StagedKubernetesNetworkPolicy": _default_staged_kubernetes_policy,
        "Tier": _default_tier,
    }
)


# -- datastore checks (pure: the Client fetches, these decide) --------------------------------


def check_tier_exists(policy: Any, existing_tier_names: Iterable[str]) -> None:
    """Create of a NP/GNP/SNP/SGNP: its tier must exist.

    Raises :class:`~calicopy.errors.ResourceNotFound` with libcalico-go's text
    (``resource does not exist: Tier(<name>) with error: <nil>``, as the etcd backend reports it).
    """
    tier = tier_of(policy)
    names = existing_tier_names if isinstance(existing_tier_names, (set, frozenset)) else set(existing_tier_names)
    if tier not in names:
        raise ResourceNotFound(kind="Tier", name=tier)


def ensure_tier_label(policy: Any) -> None:
    """What clientv3 does to NP/GNP/SNP/SGNP read back (Get/List/Watch): add ``projectcalico.org/tier: default`` if missing.

    An existing label is left alone, whatever it says.  Mutates ``policy`` in place.
    """
    labels = policy.metadata.labels
    if LABEL_TIER not in labels:
        labels[LABEL_TIER] = DEFAULT_TIER
