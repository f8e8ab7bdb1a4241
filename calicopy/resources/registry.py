"""One place for each kind's facts: model class, scope, plural, CRD names, calicoctl names.

Code asks this registry; it does not switch on kind names.  The facts come from the generated
kind table (``kinds.py``, read from Calico v3.32.1's CRDs, calicoctl and libcalico-go by
``tools/gen_models.py``).  Importing the registry imports no model: :attr:`KindInfo.model`
loads the kind's module on first access, so a program pays only for the kinds it uses.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from .generated.kinds import KIND_FACTS, MODELS_PACKAGE, KindFacts

if TYPE_CHECKING:
    from .meta import Resource

__all__ = [
    "KINDS",
    "KindInfo",
    "Storage",
    "all_kinds",
    "kind_for_name",
    "lookup",
    "lookup_model",
]

# How Kubernetes holds a kind: a Calico custom resource, or derived from a core object (read-only).
Storage = Literal["crd", "core", "none"]


# -- moving to kdd/: removed at merge ----------------------------------------------------------
# KDD storage details: kinds derived from core Kubernetes objects, and spec fields the
# crd.projectcalico.org/v1 CRD stores as the strings "true"/"false" where the v3 type has a
# bool (BlockAffinity ``deleted``: ``internalapi.BlockAffinitySpec``).
_CORE_DERIVED = frozenset({"Profile", "Node", "WorkloadEndpoint"})
_V1_STRING_BOOLS: Mapping[str, tuple[str, ...]] = MappingProxyType({"BlockAffinity": ("deleted",)})

# -- moving to calicoctl/: removed at merge ----------------------------------------------------
# calicoctl's table columns (``registerResource`` in ``calicoctl/calicoctl/resourcemgr/<kind>.go``):
# kind -> (columns, wide columns); kinds not listed show NAME only.
_POLICY_COLUMNS = (("NAME", "TIER"), ("NAME", "TIER", "ORDER", "SELECTOR"))
_COLUMNS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = MappingProxyType(
    {
        "IPPool": (
            ("NAME", "CIDR", "SELECTOR"),
            (
                "NAME",
                "CIDR",
                "NAT",
                "IPIPMODE",
                "VXLANMODE",
                "DISABLED",
                "DISABLEBGPEXPORT",
                "SELECTOR",
                "ASSIGNMENTMODE",
            ),
        ),
        "IPReservation": (("NAME",), ("NAME", "CIDRS")),
        "NetworkPolicy": _POLICY_COLUMNS,
        "GlobalNetworkPolicy": _POLICY_COLUMNS,
        "StagedNetworkPolicy": _POLICY_COLUMNS,
        "StagedGlobalNetworkPolicy": _POLICY_COLUMNS,
        "StagedKubernetesNetworkPolicy": (("NAME",), ("NAME", "PODSELECTOR")),
        "Tier": (("NAME", "ORDER"), ("NAME", "ORDER")),
        "NetworkSet": (("NAME",), ("NAME", "NETS")),
        "GlobalNetworkSet": (("NAME",), ("NAME", "NETS")),
        "HostEndpoint": (("NAME", "NODE"), ("NAME", "NODE", "INTERFACE", "IPS", "PROFILES")),
        "BGPPeer": (("NAME", "PEERIP", "NODE", "ASN"), ("NAME", "PEERIP", "NODE", "ASN")),
        "BGPConfiguration": (
            ("NAME", "LOGSEVERITY", "MESHENABLED", "ASNUMBER"),
            ("NAME", "LOGSEVERITY", "MESHENABLED", "ASNUMBER"),
        ),
        "BGPFilter": (
            ("NAME", "NUMEXPORTV4", "NUMIMPORTV4", "NUMEXPORTV6", "NUMIMPORTV6"),
            ("NAME", "NUMEXPORTV4", "NUMIMPORTV4", "NUMEXPORTV6", "NUMIMPORTV6"),
        ),
        "ClusterInformation": (
            ("NAME", "CLUSTERGUID", "CLUSTERTYPE", "CALICOVERSION", "DATASTOREREADY"),
            ("NAME", "CLUSTERGUID", "CLUSTERTYPE", "CALICOVERSION", "DATASTOREREADY"),
        ),
        "Profile": (("NAME",), ("NAME", "LABELS")),
        "Node": (("NAME",), ("NAME", "ASN", "IPV4", "IPV6")),
        "WorkloadEndpoint": (
            ("WORKLOAD", "NODE", "NETWORKS", "INTERFACE"),
            ("NAME", "WORKLOAD", "NODE", "NETWORKS", "INTERFACE", "PROFILES", "NATS"),
        ),
    }
)
# -- end of the layer supplements --------------------------------------------------------------


@dataclass(frozen=True)
class KindInfo:
    kind: str
    plural: str
    namespaced: bool
    # crd.projectcalico.org/v1 names (``None``: not stored as a v1 custom resource).
    v1_kind: str | None
    v1_plural: str | None
    calicoctl_names: tuple[str, ...]
    # Where the model lives: ``<module>.<class_name>`` in the generated models package.
    module: str
    class_name: str
    is_policy: bool
    storage: Storage = "crd"
    columns: tuple[str, ...] = ("NAME",)
    wide_columns: tuple[str, ...] = ("NAME",)
    v1_string_bools: tuple[str, ...] = ()

    @property
    def list_kind(self) -> str:
        return self.kind + "List"

    @cached_property
    def model(self) -> type[Resource]:
        """The kind's model class; its module (and pydantic schema) is loaded on first access."""
        module = importlib.import_module(f"{MODELS_PACKAGE}.{self.module}")
        model: type[Resource] = getattr(module, self.class_name)
        return model


def _info(facts: KindFacts) -> KindInfo:
    columns, wide = _COLUMNS.get(facts.kind, (("NAME",), ("NAME",)))
    return KindInfo(
        kind=facts.kind,
        plural=facts.plural,
        namespaced=facts.namespaced,
        v1_kind=facts.v1_kind,
        v1_plural=facts.v1_plural,
        calicoctl_names=facts.calicoctl_names,
        module=facts.module,
        class_name=facts.class_name,
        is_policy=facts.is_policy,
        storage="core" if facts.kind in _CORE_DERIVED else "crd",
        columns=columns,
        wide_columns=wide,
        v1_string_bools=_V1_STRING_BOOLS.get(facts.kind, ()),
    )


KINDS: Mapping[str, KindInfo] = MappingProxyType({facts.kind: _info(facts) for facts in KIND_FACTS})

_BY_LOWER: Mapping[str, KindInfo] = MappingProxyType({k.lower(): v for k, v in KINDS.items()})
_BY_CALICOCTL_NAME: Mapping[str, KindInfo] = MappingProxyType(
    {name: info for info in KINDS.values() for name in info.calicoctl_names}
)


def lookup(kind: str) -> KindInfo:
    """The facts of ``kind`` (exact kind name, as in a manifest); KeyError if calicopy does not know it."""
    return KINDS[kind]


def lookup_model(kind: str) -> type[Resource]:
    return KINDS[kind].model


def kind_for_name(word: str) -> KindInfo | None:
    """Resolve a word typed on a command line (``ippool``, ``gnp``, ``IPPools``) as calicoctl does (case-insensitive)."""
    lowered = word.lower()
    return _BY_CALICOCTL_NAME.get(lowered) or _BY_LOWER.get(lowered)


def all_kinds() -> Iterator[KindInfo]:
    return iter(KINDS.values())
