"""What the fake API server serves: one :class:`ResourceType` per resource (group/version,
names, scope, CRD schema, status subresource), the Calico custom resources of either API
group, the core kinds, and each resource's discovery entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from calicopy.kdd.kinds import custom_resource_kinds

from . import schema as _schema

__all__ = ["CORE_TYPES", "GROUP_V1", "GROUP_V3", "KUBE_VERSION", "ResourceType", "calico_resource_types"]

GROUP_V1 = "crd.projectcalico.org/v1"
GROUP_V3 = "projectcalico.org/v3"
KUBE_VERSION = {"major": "1", "minor": "32", "gitVersion": "v1.32.0"}

# Status subresources in Calico v3.32.1's CRDs (shared/reference/calico-storage.md §2.3, §2.14).
_STATUS_SUBRESOURCE = {
    GROUP_V1: frozenset({"KubeControllersConfiguration"}),
    GROUP_V3: frozenset({"IPPool", "KubeControllersConfiguration", "Tier"}),
}
# Short names of the native v3 CRDs (the v1 CRDs define none).
_V3_SHORT_NAMES = {
    "bgpconfigurations": ("bgpconfig", "bgpconfigs"),
    "blockaffinities": ("affinity", "affinities"),
    "clusterinformations": ("clusterinfo", "clusterinfos"),
    "globalnetworkpolicies": ("gnp", "cgnp"),
    "globalnetworksets": ("gns",),
    "hostendpoints": ("hep", "heps"),
    "ipamconfigurations": ("ipamconfig", "ipamconfigs"),
    "kubecontrollersconfigurations": ("kcc", "kccs"),
    "networkpolicies": ("cnp", "caliconetworkpolicy"),
    "stagedglobalnetworkpolicies": ("sgnp",),
    "stagedkubernetesnetworkpolicies": ("sknp",),
    "stagednetworkpolicies": ("scnp", "snp"),
}
_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]


@dataclass(frozen=True, slots=True)
class ResourceType:
    """One served resource: its group/version, names, scope and (custom resources) schema."""

    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool
    custom: bool
    schema: _schema.Schema | None = None
    status_subresource: bool = False
    short_names: tuple[str, ...] = ()

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def qualified(self) -> str:
        """``plural.group`` (``pods`` in the core group): the store key and the name in error messages."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def qualified_kind(self) -> str:
        return f"{self.kind}.{self.group}" if self.group else self.kind

    @property
    def list_kind(self) -> str:
        return self.kind + "List"

    def discovery(self) -> list[dict[str, Any]]:
        entry: dict[str, Any] = {
            "name": self.plural,
            "singularName": self.kind.lower(),
            "namespaced": self.namespaced,
            "kind": self.kind,
            "verbs": list(_VERBS),
        }
        if self.short_names:
            entry["shortNames"] = list(self.short_names)
        out = [entry]
        if self.status_subresource or not self.custom:
            out.append(
                {
                    "name": f"{self.plural}/status",
                    "singularName": "",
                    "namespaced": self.namespaced,
                    "kind": self.kind,
                    "verbs": ["get", "patch", "update"],
                }
            )
        return out


def calico_resource_types(group_version: str) -> list[ResourceType]:
    """The Calico custom resources of ``crd.projectcalico.org/v1`` or ``projectcalico.org/v3``."""
    if group_version not in (GROUP_V1, GROUP_V3):
        raise ValueError(f"unknown Calico API group {group_version!r} (use {GROUP_V1!r} or {GROUP_V3!r})")
    group, _, version = group_version.partition("/")
    out = []
    for info in custom_resource_kinds():
        if group_version == GROUP_V1:
            if info.v1_kind is None or info.v1_plural is None:
                continue
            kind, plural, shorts = info.v1_kind, info.v1_plural, tuple[str, ...]()
        else:
            kind, plural, shorts = info.kind, info.plural, _V3_SHORT_NAMES.get(info.plural, ())
        out.append(
            ResourceType(
                group=group,
                version=version,
                plural=plural,
                kind=kind,
                namespaced=info.namespaced,
                custom=True,
                schema=_schema.kind_schema(info, group_version),
                status_subresource=info.kind in _STATUS_SUBRESOURCE[group_version],
                short_names=shorts,
            )
        )
    return out


CORE_TYPES = (
    ResourceType("", "v1", "namespaces", "Namespace", False, False, short_names=("ns",)),
    ResourceType("", "v1", "nodes", "Node", False, False, short_names=("no",)),
    ResourceType("", "v1", "pods", "Pod", True, False, short_names=("po",)),
    ResourceType("", "v1", "serviceaccounts", "ServiceAccount", True, False, short_names=("sa",)),
    ResourceType("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", True, False, short_names=("netpol",)),
)
