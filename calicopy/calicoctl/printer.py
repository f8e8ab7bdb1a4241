"""calicoctl's ``-o ps`` / ``-o wide`` tables (``calicoctl/calicoctl/commands/common/printer.go``).

Which columns a kind has (:data:`COLUMNS`) and how each renders mirror the ``registerResource``
calls and Go templates of ``calicoctl/calicoctl/resourcemgr/<kind>.go``.
Rows go through Go's ``text/tabwriter`` (minwidth 5, tabwidth 1, padding 3, every cell
TAB-terminated), so every line ends with padding and each table is followed by a blank line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from .._go.fmt import format_v as go_value
from .._go.tabwriter import format_rows
from ..resources.meta import Resource
from ..resources.registry import KindInfo, lookup

__all__ = ["COLUMNS", "format_table", "go_value", "render_table", "tabwriter"]


def tabwriter(rows: Sequence[Sequence[str]]) -> str:
    """Go's tabwriter with calicoctl's settings (``NewWriter(w, 5, 1, 3, ' ', 0)``), every cell TAB-terminated."""
    return format_rows(rows, minwidth=5, tabwidth=1, padding=3)


def _join(items: Iterable[Any] | Mapping[str, Any] | None, limit: int | None = None) -> str:
    if items is None:
        return ""
    parts = sorted(f"{k}={v}" for k, v in items.items()) if isinstance(items, Mapping) else [str(i) for i in items]
    text = ",".join(parts)
    if limit is not None and len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def _spec(res: Resource) -> Any:
    return getattr(res, "spec", None)


# calicoctl's table columns per kind: (columns, wide columns); kinds not listed show NAME only.
_NAME_ONLY: tuple[tuple[str, ...], tuple[str, ...]] = (("NAME",), ("NAME",))
_POLICY_COLUMNS = (("NAME", "TIER"), ("NAME", "TIER", "ORDER", "SELECTOR"))
COLUMNS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = MappingProxyType(
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

Column = Callable[[Resource], str]

# Column name -> renderer, shared by every kind that uses the column ...
_COMMON: Mapping[str, Column] = MappingProxyType(
    {
        "NAME": lambda r: r.metadata.name,
        "NAMESPACE": lambda r: r.metadata.namespace,
        "CIDR": lambda r: _spec(r).cidr,
        "NAT": lambda r: go_value(_spec(r).nat_outgoing),
        "IPIPMODE": lambda r: _spec(r).ipip_mode or "Never",
        "VXLANMODE": lambda r: _spec(r).vxlan_mode or "Never",
        "DISABLED": lambda r: go_value(_spec(r).disabled),
        "DISABLEBGPEXPORT": lambda r: go_value(_spec(r).disable_bgp_export),
        "ASSIGNMENTMODE": lambda r: go_value(_spec(r).assignment_mode),
        "TIER": lambda r: _spec(r).tier,
        "ORDER": lambda r: go_value(_spec(r).order),
        "SELECTOR": lambda r: _spec(r).selector,
        "NETS": lambda r: _join(_spec(r).nets, 80),
        "CIDRS": lambda r: _join(_spec(r).reserved_cidrs, 80),
        "NODE": lambda r: _spec(r).node,
        "INTERFACE": lambda r: _spec(r).interface_name,
        "IPS": lambda r: _join(_spec(r).expected_ips),
        "PROFILES": lambda r: _join(_spec(r).profiles),
        "PEERIP": lambda r: _spec(r).peer_ip,
        "ASN": lambda r: go_value(_spec(r).as_number),
        "LOGSEVERITY": lambda r: _spec(r).log_severity_screen,
        "MESHENABLED": lambda r: (
            "-" if _spec(r).node_to_node_mesh_enabled is None else go_value(_spec(r).node_to_node_mesh_enabled)
        ),
        "ASNUMBER": lambda r: "-" if _spec(r).as_number is None else go_value(_spec(r).as_number),
        "NUMEXPORTV4": lambda r: str(len(_spec(r).export_v4)),
        "NUMIMPORTV4": lambda r: str(len(_spec(r).import_v4)),
        "NUMEXPORTV6": lambda r: str(len(_spec(r).export_v6)),
        "NUMIMPORTV6": lambda r: str(len(_spec(r).import_v6)),
        "CLUSTERGUID": lambda r: _spec(r).cluster_guid,
        "CLUSTERTYPE": lambda r: _spec(r).cluster_type,
        "CALICOVERSION": lambda r: _spec(r).calico_version,
        "DATASTOREREADY": lambda r: go_value(_spec(r).datastore_ready),
        "LABELS": lambda r: _join(_spec(r).labels_to_apply),
        "PODSELECTOR": lambda r: go_value(_spec(r).pod_selector),
    }
)

# ... and the columns whose template differs for one kind.
_BY_KIND: Mapping[tuple[str, str], Column] = MappingProxyType(
    {
        ("IPPool", "SELECTOR"): lambda r: _spec(r).node_selector,
        ("BGPPeer", "NODE"): lambda r: _spec(r).node or _spec(r).node_selector or "(global)",
        ("WorkloadEndpoint", "WORKLOAD"): lambda r: _spec(r).workload or _spec(r).pod,
        ("WorkloadEndpoint", "NETWORKS"): lambda r: _join(_spec(r).ip_networks),
        ("WorkloadEndpoint", "NATS"): lambda r: _join(f"{n.internal_ip}:{n.external_ip}" for n in _spec(r).ip_nats),
    }
)


def _columns(info: KindInfo, wide: bool, with_namespace: bool) -> tuple[str, ...]:
    plain, wide_columns = COLUMNS.get(info.kind, _NAME_ONLY)
    columns = wide_columns if wide else plain
    if with_namespace and info.namespaced:
        columns = ("NAMESPACE", *columns)
    return columns


def render_table(
    resources: Sequence[Resource], *, kind: str | None = None, wide: bool = False, with_namespace: bool = False
) -> str:
    """The table ``calicoctl get <kind> [-o wide] [-A]`` prints for these resources (one kind)."""
    info = lookup(kind or (resources[0].KIND if resources else ""))
    columns = _columns(info, wide, with_namespace)
    renderers = [_BY_KIND.get((info.kind, c)) or _COMMON[c] for c in columns]
    rows = [list(columns)] + [[render(r) for render in renderers] for r in resources]
    return tabwriter(rows) + "\n"


def format_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A calicoctl-style table of arbitrary cells (tabwriter semantics plus the trailing blank line)."""
    return tabwriter([list(headers), *[list(r) for r in rows]]) + "\n"
