"""calicoctl's ``-o ps`` / ``-o wide`` / ``-o custom-columns=...`` tables (``commands/common/printer.go``).

Each kind's columns mirror the ``registerResource`` call of ``calicoctl/calicoctl/resourcemgr/<kind>.go``:
the default and wide headings (:data:`COLUMNS`) and the Go template of every heading the kind
knows (what ``custom-columns`` may name).  A table is one object: a resource fetched by name is a
one-row table, a list (``get <kind>``) one table of its items.  Rows go through Go's
``text/tabwriter`` (minwidth 5, tabwidth 1, padding 3, every cell TAB-terminated), so every line
ends with padding and each table is followed by a blank line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from .._go.fmt import format_v as go_value
from .._go.tabwriter import format_rows
from ..errors import CalicoError
from ..resources.meta import Resource
from ..resources.registry import KindInfo, lookup

__all__ = [
    "COLUMNS",
    "HEADINGS",
    "ConfigLookup",
    "format_label_selector",
    "format_table",
    "go_value",
    "headings_of",
    "render_table",
    "tabwriter",
]

#: ``config "asnumber"`` of calicoctl's templates: the cluster's default AS number as text.
ConfigLookup = Callable[[str], str]


def tabwriter(rows: Sequence[Sequence[str]]) -> str:
    """Go's tabwriter with calicoctl's settings (``NewWriter(w, 5, 1, 3, ' ', 0)``), every cell TAB-terminated."""
    return format_rows(rows, minwidth=5, tabwidth=1, padding=3)


def _join(items: Iterable[Any] | Mapping[str, Any] | None, limit: int | None = None) -> str:
    """calicoctl's ``join`` / ``joinAndTruncate``: ``%v`` of each item, maps as sorted ``k=v``."""
    if items is None:
        return ""
    if isinstance(items, Mapping):
        parts = sorted(f"{go_value(k)}={go_value(v)}" for k, v in items.items())
    else:
        parts = [go_value(i) for i in items]
    text = ",".join(parts)
    if limit is not None and len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def _spec(res: Resource) -> Any:
    return getattr(res, "spec", None)


_ATTRIBUTES: dict[type[Any], dict[str, str]] = {}


def _json(obj: Any, name: str) -> Any:
    """The field Calico's JSON calls ``name`` (``reservedCIDRs``): Python names are derived from
    Go's and not always guessable, the JSON names are the API."""
    model = type(obj)
    attributes = _ATTRIBUTES.get(model)
    if attributes is None:
        attributes = {info.alias or field: field for field, info in model.model_fields.items()}
        _ATTRIBUTES[model] = attributes
    return getattr(obj, attributes[name])


def format_label_selector(selector: Any) -> str:
    """A Kubernetes label selector as kubectl prints it (``app=web,tier in (a,b)``; ``<none>``)."""
    parts: list[tuple[str, str]] = [(k, f"{k}={v}") for k, v in (selector.match_labels or {}).items()]
    for req in selector.match_expressions or []:
        values = ",".join(sorted(req.values or []))
        text = {
            "In": f"{req.key} in ({values})",
            "NotIn": f"{req.key} notin ({values})",
            "Exists": req.key,
            "DoesNotExist": f"!{req.key}",
        }.get(req.operator, f"{req.key} {req.operator} ({values})")
        parts.append((req.key, text))
    return ",".join(text for _, text in sorted(parts, key=lambda p: p[0])) or "<none>"


Column = Callable[[Resource, ConfigLookup], str]


def _node_asn(res: Resource, config: ConfigLookup) -> str:
    bgp = _json(_spec(res), "bgp")
    if bgp is None:
        return ""
    asn = _json(bgp, "asNumber")
    return go_value(asn) if asn is not None else f"({config('asnumber')})"


def _node_address(name: str) -> Column:
    def render(res: Resource, _: ConfigLookup) -> str:
        bgp = _json(_spec(res), "bgp")
        return "" if bgp is None else str(_json(bgp, name) or "")

    return render


def _field(name: str) -> Column:
    """``{{.Spec.<Field>}}``: Go's ``%v`` of the value (a nil pointer prints ``<nil>``)."""
    return lambda r, _: go_value(_json(_spec(r), name))


def _or_dash(name: str) -> Column:
    """``{{if .Spec.X}}{{.Spec.X}}{{ else }}-{{ end }}`` on a pointer: ``-`` when unset."""
    return lambda r, _: "-" if _json(_spec(r), name) is None else go_value(_json(_spec(r), name))


def _or_never(name: str) -> Column:
    """``{{if .Spec.X}}{{.Spec.X}}{{else}}Never{{end}}`` on a string."""
    return lambda r, _: _json(_spec(r), name) or "Never"


def _joined(name: str, limit: int | None = None) -> Column:
    return lambda r, _: _join(_json(_spec(r), name), limit)


def _count(name: str) -> Column:
    return lambda r, _: str(len(_json(_spec(r), name)))


def _name(res: Resource, _: ConfigLookup) -> str:
    return res.metadata.name


def _namespace(res: Resource, _: ConfigLookup) -> str:
    return res.metadata.namespace


def _ip_nat(nat: Any) -> str:
    # ``join`` prints each IPNAT struct with %v: ``{<internal> <external>}``.
    return "{" + f"{_json(nat, 'internalIP')} {_json(nat, 'externalIP')}" + "}"


_POLICY: Mapping[str, Column] = {
    "NAME": _name,
    "ORDER": _field("order"),
    "SELECTOR": _field("selector"),
    "TIER": _field("tier"),
}
_NAMESPACED_POLICY: Mapping[str, Column] = {**_POLICY, "NAMESPACE": _namespace}
_POLICY_DEFAULT = (("NAME", "TIER"), ("NAME", "TIER", "ORDER", "SELECTOR"))

# Per kind: (default headings, wide headings, every heading's template), as registered in calicoctl.
_TABLES: Mapping[str, tuple[tuple[str, ...], tuple[str, ...], Mapping[str, Column]]] = {
    "BGPConfiguration": (
        ("NAME", "LOGSEVERITY", "MESHENABLED", "ASNUMBER"),
        ("NAME", "LOGSEVERITY", "MESHENABLED", "ASNUMBER"),
        {
            "NAME": _name,
            "LOGSEVERITY": _field("logSeverityScreen"),
            "MESHENABLED": _or_dash("nodeToNodeMeshEnabled"),
            "ASNUMBER": _or_dash("asNumber"),
        },
    ),
    "BGPFilter": (
        ("NAME", "NUMEXPORTV4", "NUMIMPORTV4", "NUMEXPORTV6", "NUMIMPORTV6"),
        ("NAME", "NUMEXPORTV4", "NUMIMPORTV4", "NUMEXPORTV6", "NUMIMPORTV6"),
        {
            "NAME": _name,
            "NUMEXPORTV4": _count("exportV4"),
            "NUMIMPORTV4": _count("importV4"),
            "NUMEXPORTV6": _count("exportV6"),
            "NUMIMPORTV6": _count("importV6"),
        },
    ),
    "BGPPeer": (
        ("NAME", "PEERIP", "NODE", "ASN"),
        ("NAME", "PEERIP", "NODE", "ASN"),
        {
            "NAME": _name,
            "PEERIP": _field("peerIP"),
            "NODE": lambda r, _: _spec(r).node or _json(_spec(r), "nodeSelector") or "(global)",
            "ASN": _field("asNumber"),
        },
    ),
    "ClusterInformation": (
        ("NAME", "CLUSTERGUID", "CLUSTERTYPE", "CALICOVERSION", "DATASTOREREADY"),
        ("NAME", "CLUSTERGUID", "CLUSTERTYPE", "CALICOVERSION", "DATASTOREREADY"),
        {
            "NAME": _name,
            "CLUSTERGUID": _field("clusterGUID"),
            "CLUSTERTYPE": _field("clusterType"),
            "CALICOVERSION": _field("calicoVersion"),
            "DATASTOREREADY": _field("datastoreReady"),
        },
    ),
    "FelixConfiguration": (("NAME",), ("NAME",), {"NAME": _name}),
    "GlobalNetworkPolicy": (*_POLICY_DEFAULT, _POLICY),
    "GlobalNetworkSet": (("NAME",), ("NAME", "NETS"), {"NAME": _name, "NETS": _joined("nets", 80)}),
    "HostEndpoint": (
        ("NAME", "NODE"),
        ("NAME", "NODE", "INTERFACE", "IPS", "PROFILES"),
        {
            "NAME": _name,
            "NODE": _field("node"),
            "INTERFACE": _field("interfaceName"),
            "IPS": _joined("expectedIPs"),
            "PROFILES": _joined("profiles"),
        },
    ),
    "IPPool": (
        ("NAME", "CIDR", "SELECTOR"),
        ("NAME", "CIDR", "NAT", "IPIPMODE", "VXLANMODE", "DISABLED", "DISABLEBGPEXPORT", "SELECTOR", "ASSIGNMENTMODE"),
        {
            "NAME": _name,
            "CIDR": _field("cidr"),
            "NAT": _field("natOutgoing"),
            "IPIPMODE": _or_never("ipipMode"),
            "VXLANMODE": _or_never("vxlanMode"),
            "DISABLED": _field("disabled"),
            "DISABLEBGPEXPORT": _field("disableBGPExport"),
            "SELECTOR": _field("nodeSelector"),
            "ASSIGNMENTMODE": _field("assignmentMode"),
        },
    ),
    "IPReservation": (("NAME",), ("NAME", "CIDRS"), {"NAME": _name, "CIDRS": _joined("reservedCIDRs", 80)}),
    "KubeControllersConfiguration": (("NAME",), ("NAME",), {"NAME": _name}),
    "NetworkPolicy": (*_POLICY_DEFAULT, _NAMESPACED_POLICY),
    "NetworkSet": (
        ("NAME",),
        ("NAME", "NETS"),
        {"NAME": _name, "NAMESPACE": _namespace, "NETS": _joined("nets", 80)},
    ),
    "Node": (
        ("NAME",),
        ("NAME", "ASN", "IPV4", "IPV6"),
        {"NAME": _name, "ASN": _node_asn, "IPV4": _node_address("ipv4Address"), "IPV6": _node_address("ipv6Address")},
    ),
    "Profile": (("NAME",), ("NAME", "LABELS"), {"NAME": _name, "LABELS": _joined("labelsToApply")}),
    "StagedGlobalNetworkPolicy": (*_POLICY_DEFAULT, _POLICY),
    "StagedKubernetesNetworkPolicy": (
        ("NAME",),
        ("NAME", "PODSELECTOR"),
        {
            "NAME": _name,
            "NAMESPACE": _namespace,
            "PODSELECTOR": lambda r, _: format_label_selector(_json(_spec(r), "podSelector")),
        },
    ),
    "StagedNetworkPolicy": (*_POLICY_DEFAULT, _NAMESPACED_POLICY),
    "Tier": (("NAME", "ORDER"), ("NAME", "ORDER"), {"NAME": _name, "ORDER": _field("order")}),
    "WorkloadEndpoint": (
        ("WORKLOAD", "NODE", "NETWORKS", "INTERFACE"),
        ("NAME", "WORKLOAD", "NODE", "NETWORKS", "INTERFACE", "PROFILES", "NATS"),
        {
            "NAME": _name,
            "NAMESPACE": _namespace,
            "NODE": _field("node"),
            "ORCHESTRATOR": _field("orchestrator"),
            "WORKLOAD": lambda r, _: _json(_spec(r), "workload") or _json(_spec(r), "pod"),
            "NETWORKS": _joined("ipNetworks"),
            "NATS": lambda r, _: ",".join(_ip_nat(n) for n in _json(_spec(r), "ipNATs")),
            "PROFILES": _joined("profiles"),
            "INTERFACE": _field("interfaceName"),
        },
    ),
}

#: calicoctl's (default, wide) headings per kind.
COLUMNS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = MappingProxyType(
    {kind: (plain, wide) for kind, (plain, wide, _) in _TABLES.items()}
)
#: Every heading each kind knows (what ``-o custom-columns=`` may name).
HEADINGS: Mapping[str, tuple[str, ...]] = MappingProxyType({kind: tuple(cols) for kind, (*_, cols) in _TABLES.items()})
_NAME_ONLY: tuple[tuple[str, ...], tuple[str, ...], Mapping[str, Column]] = (("NAME",), ("NAME",), {"NAME": _name})


def headings_of(kind: str) -> tuple[str, ...]:
    return tuple(_TABLES.get(kind, _NAME_ONLY)[2])


def _no_config(name: str) -> str:
    raise CalicoError(f"unhandled config type {name!r}")


def render_table(
    resources: Sequence[Resource],
    *,
    kind: str | None = None,
    wide: bool = False,
    with_namespace: bool = False,
    headings: Sequence[str] | None = None,
    config: ConfigLookup = _no_config,
) -> str:
    """The table calicoctl prints for these resources of one kind (a list, or one resource).

    ``headings`` (``custom-columns``) replaces the kind's default or wide headings; a heading the
    kind does not know raises calicoctl's ``unknown heading`` error (the valid ones sorted).
    ``with_namespace`` (``-A`` or ``-n``) puts ``NAMESPACE`` first for kinds that have it.
    """
    info: KindInfo = lookup(kind or (resources[0].KIND if resources else ""))
    plain, wide_columns, templates = _TABLES.get(info.kind, _NAME_ONLY)
    columns = tuple(headings) if headings is not None else (wide_columns if wide else plain)
    if with_namespace and "NAMESPACE" in templates:
        columns = ("NAMESPACE", *columns)
    unknown = next((c for c in columns if c not in templates), None)
    if unknown is not None:
        raise CalicoError(f"unknown heading {unknown}, valid values are: {', '.join(sorted(templates))}")
    renderers = [templates[c] for c in columns]
    rows = [list(columns)] + [[render(r, config) for render in renderers] for r in resources]
    return tabwriter(rows) + "\n"


def format_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A calicoctl-style table of arbitrary cells (tabwriter semantics plus the trailing blank line)."""
    return tabwriter([list(headers), *[list(r) for r in rows]]) + "\n"
