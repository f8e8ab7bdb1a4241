"""``calicoctl ipam check``: cross-check IPAM against what uses addresses, and its JSON report
(``calicoctl/calicoctl/commands/ipam/check.go``).

Allocations are read from every block; addresses in use from Nodes (tunnel addresses),
LoadBalancer Services (when the kube-controllers configuration manages them) and
WorkloadEndpoints.  The result says which allocations nothing uses (leaks), which used
addresses IPAM does not know, and which handles have no address or are missing.
:meth:`CheckReport.to_json` writes calicoctl's report file and :meth:`CheckReport.from_json`
reads one back for ``release``.  What calicoctl prints while checking is
:func:`calicopy.calicoctl.ipam.check_text`.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..resources.generated.ipamblock import IPAMBlock
from . import display
from .block import ATTR_NAMESPACE, ATTR_NODE, ATTR_POD, ATTR_TIMESTAMP, ATTR_TYPE, WINDOWS_RESERVED_HANDLE, Block
from .core import Core

__all__ = [
    "CheckReport",
    "CheckedAllocation",
    "CheckedBlock",
    "HandleInfo",
    "go_json_indent",
    "load_balancer_managed",
    "run_check",
]

#: ``IsCalicoManagedLoadBalancer``'s annotations and class (kube-controllers' loadbalancer controller).
_LB_ANNOTATIONS = ("projectcalico.org/ipv4pools", "projectcalico.org/ipv6pools", "projectcalico.org/loadBalancerIPs")
_LB_CLASS = "calico"


@dataclass(slots=True)
class CheckedAllocation:
    """calicoctl's ``Allocation``: one allocated address, cross-referenced with its users."""

    ip: str
    block: str
    ordinal: int
    attr_text: str
    handle: str = ""
    sequence_number: int | None = None
    pod: str = ""
    namespace: str = ""
    node: str = ""
    type: str = ""
    creation_timestamp: str = ""
    in_use: bool = False
    borrowed: bool = False
    owners: list[str] | None = None

    def to_go(self) -> dict[str, Any]:
        """The report's JSON object (``json`` tags, omitempty applied)."""
        out: dict[str, Any] = {"ip": self.ip}
        if self.handle:
            out["handle"] = self.handle
        if self.sequence_number is not None:
            out["sequenceNumber"] = self.sequence_number
        for key, value in (
            ("pod", self.pod),
            ("namespace", self.namespace),
            ("node", self.node),
            ("type", self.type),
            ("creationTimestamp", self.creation_timestamp),
        ):
            if value:
                out[key] = value
        out["inUse"] = self.in_use
        if self.borrowed:
            out["borrowed"] = True
        out["owners"] = self.owners
        return out


@dataclass(frozen=True, slots=True)
class HandleInfo:
    """A handle as the report records it: its ID, UID (None where the datastore has none) and revision."""

    id: str
    uid: str | None
    revision: str


@dataclass(slots=True)
class CheckedBlock:
    """One block as the check walked it: ``events`` are ``("allocated", ip, attrs)`` and
    ``("belongs", ip, owner)`` in the order calicoctl prints them with ``--show-all-ips``."""

    cidr: str
    affinity: str
    events: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(slots=True)
class CheckReport:
    """Everything ``calicoctl ipam check`` finds (see the module docstring)."""

    version: str = ""
    cluster_guid: str = ""
    datastore_locked: bool = False
    cluster_info_revision: str = ""
    cluster_type: str = ""
    blocks: list[CheckedBlock] = field(default_factory=list)
    allocations: dict[str, list[CheckedAllocation]] = field(default_factory=dict)
    active_pools: list[str] = field(default_factory=list)
    node_ips: list[tuple[str, str]] = field(default_factory=list)
    load_balancers: int | None = None
    load_balancer_ips: list[tuple[str, str]] = field(default_factory=list)
    workload_ips: list[tuple[str, str]] = field(default_factory=list)
    in_use: dict[str, list[str]] = field(default_factory=dict)
    leaked_ips: list[str] = field(default_factory=list)
    not_allocated_ips: list[str] = field(default_factory=list)
    non_calico_ips: list[str] = field(default_factory=list)
    leaked_handles: list[HandleInfo] = field(default_factory=list)
    good_handles: int = 0
    missing_handles: list[str] = field(default_factory=list)
    source: str = ""
    #: The step :func:`run_check` was at ("cluster", "blocks", "pools", "nodes", "services",
    #: "workloads", "handles"; "done" at the end): where a check that failed stopped.
    stage: str = ""

    @property
    def num_allocations(self) -> int:
        return sum(len(a) for a in self.allocations.values())

    @property
    def num_problems(self) -> int:
        return len(self.leaked_ips) + len(self.non_calico_ips) + len(self.not_allocated_ips) + len(self.leaked_handles)

    def allocations_by_node(self) -> dict[str, list[CheckedAllocation]]:
        out: dict[str, list[CheckedAllocation]] = {}
        for allocs in self.allocations.values():
            for alloc in allocs:
                out.setdefault(alloc.node, []).append(alloc)
        return out

    def __repr__(self) -> str:
        return (
            f"CheckReport({len(self.blocks)} blocks, {self.num_allocations} allocations, "
            f"{self.num_problems} problems: {len(self.leaked_ips)} leaked IPs, {len(self.leaked_handles)} leaked handles)"
        )

    def _repr_html_(self) -> str:
        return display.check_html(self)

    # -- calicoctl's report file ----------------------------------------------------------------

    def to_json(self) -> str:
        """The report file of ``calicoctl ipam check -o FILE`` (Go's ``json.MarshalIndent``, two spaces)."""
        document: dict[str, Any] = {
            "version": self.version,
            "clusterGUID": self.cluster_guid,
            "datastoreLocked": self.datastore_locked,
            "clusterInformationRevision": self.cluster_info_revision,
            "clusterType": self.cluster_type,
            "allocations": {ip: [a.to_go() for a in self.allocations[ip]] for ip in sorted(self.allocations)},
        }
        if self.leaked_handles:
            document["leakedHandles"] = [
                {"ID": h.id, "UID": h.uid, "Revision": h.revision} for h in self.leaked_handles
            ]
        return go_json_indent(document)

    @classmethod
    def from_json(cls, text: str | bytes, source: str = "") -> CheckReport:
        """A report file read back (the fields ``release`` uses)."""
        data = json.loads(text)
        report = cls(
            version=data.get("version", ""),
            cluster_guid=data.get("clusterGUID", ""),
            datastore_locked=bool(data.get("datastoreLocked", False)),
            cluster_info_revision=data.get("clusterInformationRevision", ""),
            cluster_type=data.get("clusterType", ""),
            source=source,
        )
        for ip, allocs in (data.get("allocations") or {}).items():
            report.allocations[ip] = [
                CheckedAllocation(
                    ip=a.get("ip", ip),
                    block="",
                    ordinal=0,
                    attr_text="",
                    handle=a.get("handle", ""),
                    sequence_number=a.get("sequenceNumber"),
                    pod=a.get("pod", ""),
                    namespace=a.get("namespace", ""),
                    node=a.get("node", ""),
                    type=a.get("type", ""),
                    creation_timestamp=a.get("creationTimestamp", ""),
                    in_use=bool(a.get("inUse", False)),
                    borrowed=bool(a.get("borrowed", False)),
                    owners=a.get("owners"),
                )
                for a in allocs or []
            ]
        report.leaked_handles = [
            HandleInfo(h.get("ID", ""), h.get("UID"), h.get("Revision", "")) for h in data.get("leakedHandles") or []
        ]
        return report


def go_json_indent(document: Any) -> str:
    """``json.MarshalIndent(v, "", "  ")``: Go escapes ``<``, ``>``, ``&``, U+2028/9 and keeps other text as UTF-8."""
    text = json.dumps(document, indent=2, ensure_ascii=False)
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


def _normalise_ip(text: str) -> str:
    """``normaliseIP``: an address or CIDR, as the address Go prints."""
    return str(ipaddress.ip_interface(text.strip()).ip)


def _attr_text(handle: str | None, active: Mapping[str, str], alternate: Mapping[str, str]) -> str:
    """``formatAttrs``: ``Main:<handle> Extra:k=v,...`` (keys sorted), plus ``Alternate:...``."""
    text = f"Main:{handle if handle is not None else '<none>'} Extra:{','.join(f'{k}={active[k]}' for k in sorted(active))}"
    if alternate:
        text += f" Alternate:{','.join(f'{k}={alternate[k]}' for k in sorted(alternate))}"
    return text


def load_balancer_managed(service: Mapping[str, Any], assign_ips: str) -> bool:
    """``IsCalicoManagedLoadBalancer``."""
    spec = service.get("spec") or {}
    if spec.get("type") != "LoadBalancer":
        return False
    lb_class = spec.get("loadBalancerClass")
    if assign_ips == "AllServices":
        return lb_class is None or lb_class == _LB_CLASS
    if assign_ips == "RequestedServicesOnly":
        if lb_class == _LB_CLASS:
            return True
        annotations = (service.get("metadata") or {}).get("annotations") or {}
        if any(annotations.get(key) for key in _LB_ANNOTATIONS):
            return lb_class is None or lb_class == _LB_CLASS
    return False


class _Checker:
    def __init__(self, report: CheckReport) -> None:
        self.report = report

    def record_in_use(self, ip: str, friendly: str) -> None:
        self.report.in_use.setdefault(ip, []).append(friendly)
        for alloc in self.report.allocations.get(ip, ()):
            alloc.in_use = True
            alloc.owners = [*(alloc.owners or []), friendly]

    def record_block(self, stored: IPAMBlock) -> CheckedBlock:
        block = Block(stored, copy=False)
        affinity = stored.spec.affinity
        checked = CheckedBlock(block.cidr, affinity if affinity is not None else "<none>")
        for ordinal, index in enumerate(block.allocations):
            if index is None:
                continue
            self._record_allocation(block, ordinal, index, checked)
        return checked

    def _record_allocation(self, block: Block, ordinal: int, index: int, checked: CheckedBlock) -> None:
        ip = str(block.ordinal_to_ip(ordinal))
        affinity = block.spec.affinity or ""
        node = owner = affinity[5:] if affinity.startswith("host:") else ""
        alloc = CheckedAllocation(ip=ip, block=block.cidr, ordinal=ordinal, attr_text="<missing>")
        if index < len(block.attributes):
            attr = block.attributes[index]
            alloc.attr_text = _attr_text(attr.handle_id, attr.secondary, attr.alternate_owner_attrs)
            if attr.handle_id == WINDOWS_RESERVED_HANDLE:
                # calicoctl records the owner before the allocation exists, so a reserved
                # address is in use while its own allocation stays inUse=false in the report.
                checked.events.append(("belongs", ip, "Reserved for Windows"))
                self.record_in_use(ip, "Reserved for Windows")
            elif attr.handle_id is not None:
                alloc.handle = attr.handle_id
            active = attr.secondary
            node = active.get(ATTR_NODE) or node
            alloc.pod = active.get(ATTR_POD, "")
            alloc.namespace = active.get(ATTR_NAMESPACE, "")
            alloc.type = active.get(ATTR_TYPE, "")
            alloc.creation_timestamp = active.get(ATTR_TIMESTAMP, "")
        alloc.sequence_number = block.sequence_number_for(ordinal)
        alloc.node = node
        alloc.borrowed = node != owner
        self.report.allocations.setdefault(ip, []).append(alloc)
        checked.events.append(("allocated", ip, alloc.attr_text))


def run_check(
    core: Core,
    version: str,
    services: Iterable[Mapping[str, Any]] | None = None,
    *,
    report: CheckReport | None = None,
) -> CheckReport:
    """Walk the datastore as ``checkIPAM`` does and return what it found (nothing is printed).

    ``report``, when given, is filled in place, so that a caller whose check failed sees how far
    it got (``report.stage``), as calicoctl has printed that much before its error.
    """
    report = report if report is not None else CheckReport()
    report.version, report.stage = version, "cluster"
    backend = core.store.backend
    info = backend.get("ClusterInformation", "default")
    spec = info.spec  # type: ignore[attr-defined]
    report.cluster_guid = spec.cluster_guid
    report.datastore_locked = spec.datastore_ready is not None and not spec.datastore_ready
    report.cluster_info_revision = info.metadata.resource_version
    report.cluster_type = spec.cluster_type
    report.stage = "blocks"
    checker = _Checker(report)
    report.blocks = [checker.record_block(b) for b in core.store.list_blocks()]
    report.stage = "pools"
    for pool in core.pools.list_pools():
        if not pool.spec.disabled:
            report.active_pools.append(pool.spec.cidr)
    report.stage = "nodes"
    for node in backend.list("Node").items:
        nspec = node.spec  # type: ignore[attr-defined]
        candidates = [
            nspec.ipv4_vxlan_tunnel_addr,
            nspec.wireguard.interface_i_pv4_address if nspec.wireguard is not None else "",
            nspec.bgp.ipv4_ipip_tunnel_addr if nspec.bgp is not None else "",
        ]
        for text in candidates:
            if text:
                ip = _normalise_ip(text)
                report.node_ips.append((ip, f"Node({node.metadata.name})"))
                checker.record_in_use(ip, f"Node({node.metadata.name})")
    report.stage = "services"
    kcc = backend.get("KubeControllersConfiguration", "default")
    lb = kcc.spec.controllers.load_balancer  # type: ignore[attr-defined]
    if lb is not None:
        report.load_balancers = 0
        for svc in services or ():
            if load_balancer_managed(svc, lb.assign_i_ps or "AllServices"):
                report.load_balancers += 1
                name = (svc.get("metadata") or {}).get("name", "")
                for ingress in ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []:
                    ip = ingress.get("ip", "")
                    report.load_balancer_ips.append((ip, name))
                    checker.record_in_use(ip, name)
    report.stage = "workloads"
    for wep in backend.list("WorkloadEndpoint").items:
        for text in wep.spec.ip_networks:  # type: ignore[attr-defined]
            ip = _normalise_ip(text)
            friendly = f"Workload({wep.metadata.namespace}/{wep.metadata.name})"
            report.workload_ips.append((ip, friendly))
            checker.record_in_use(ip, friendly)
    report.stage = "handles"
    handles = {h.spec.handle_id: h for h in core.store.list_handles()}
    used_handles = {a.handle for allocs in report.allocations.values() for a in allocs if a.handle}
    report.leaked_ips = sorted(ip for ip in report.allocations if ip not in report.in_use)
    active = [n for n in (_net(c) for c in report.active_pools) if n is not None]
    for ip in sorted(report.in_use):
        if ip in report.allocations:
            continue
        address = ipaddress.ip_address(ip)
        if any(address.version == n.version and address in n for n in active):
            report.not_allocated_ips.append(ip)
        else:
            report.non_calico_ips.append(ip)
    for handle_id in sorted(handles):
        if handle_id in used_handles:
            report.good_handles += 1
            continue
        h = handles[handle_id]
        report.leaked_handles.append(HandleInfo(handle_id, h.metadata.uid or None, h.metadata.resource_version))
    report.missing_handles = sorted(used_handles - set(handles))
    report.stage = "done"
    return report


def _net(cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return None
