"""HTML renderings of IPAM results for notebooks (pure; the results call these from ``_repr_html_``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..resources.display import bar, html_table

if TYPE_CHECKING:
    from .check import CheckReport
    from .usage import Allocation, BorrowedIPs, Usage

__all__ = ["allocation_html", "borrowed_html", "check_html", "config_html", "usage_html"]

#: Block rows shown per pool before the table says "... and N more".
MAX_BLOCK_ROWS = 50


def usage_html(usage: Usage) -> str:
    pools = html_table(
        ("pool", "cidr", "in use", "free", "capacity", "blocks", "utilisation"),
        ((p.name, p.cidr, p.in_use, p.free, p.capacity, len(p.blocks), bar(p.utilisation)) for p in usage.pools),
        raw=(6,),
        caption="IP pools",
    )
    nodes = html_table(
        ("node", "blocks", "in use", "free", "utilisation"),
        (
            (n.name, len(n.blocks), n.in_use, n.free, bar(100.0 * n.in_use / n.capacity if n.capacity else 0.0))
            for n in usage.nodes[:MAX_BLOCK_ROWS]
        ),
        raw=(4,),
        caption=f"Nodes ({len(usage.nodes)})",
    )
    parts = [pools, nodes]
    if usage.orphans:
        parts.append(
            html_table(
                ("block", "node", "in use", "capacity"),
                ((b.cidr, b.node or "", b.in_use, b.capacity) for b in usage.orphans[:MAX_BLOCK_ROWS]),
                caption=f"Blocks outside every pool ({len(usage.orphans)})",
            )
        )
    return "".join(parts)


def allocation_html(allocation: Allocation) -> str:
    rows: list[tuple[str, Any]] = [
        ("ip", allocation.ip),
        ("handle", allocation.handle_id or "<none>"),
        ("block", allocation.block),
        ("node", allocation.node or ""),
    ]
    rows += [(f"attribute {k}", v) for k, v in sorted(allocation.attributes.items())]
    rows += [(f"alternate {k}", v) for k, v in sorted(allocation.alternate_attributes.items())]
    return html_table(("field", "value"), rows, caption=f"{allocation.ip} is in use")


def borrowed_html(borrowed: BorrowedIPs) -> str:
    caption = f"{len(borrowed)} borrowed addresses"
    if borrowed.unclassified:
        caption += f" ({borrowed.unclassified} allocations without a node attribute)"
    return html_table(
        ("ip", "borrowing node", "block", "block owner", "type", "allocated to"),
        ((b.ip, b.borrowing_node, b.block, b.block_owner, b.allocation_type, b.allocated_to) for b in borrowed),
        caption=caption,
    )


def config_html(config: Any) -> str:
    return html_table(
        ("setting", "value"),
        (
            ("strictAffinity", config.strict_affinity),
            ("autoAllocateBlocks", config.auto_allocate_blocks),
            ("maxBlocksPerHost", config.max_blocks_per_host),
            ("kubeVirtVMAddressPersistence", config.kube_virt_vm_address_persistence or ""),
        ),
        caption="IPAM configuration",
    )


def check_html(report: CheckReport) -> str:
    summary = html_table(
        ("check", "count"),
        (
            ("IPAM blocks", len(report.blocks)),
            ("allocations", report.num_allocations),
            ("allocated but not in use (leaked)", len(report.leaked_ips)),
            ("in use but not allocated", len(report.not_allocated_ips)),
            ("in use outside active pools", len(report.non_calico_ips)),
            ("handles with no address", len(report.leaked_handles)),
            ("handles named in blocks but missing", len(report.missing_handles)),
            ("problems", report.num_problems),
        ),
        caption="calicoctl ipam check",
    )
    leaked = html_table(
        ("ip", "handle", "node", "pod"),
        (
            (a.ip, a.handle, a.node, f"{a.namespace}/{a.pod}" if a.pod else "")
            for ip in report.leaked_ips[:MAX_BLOCK_ROWS]
            for a in report.allocations[ip]
        ),
        caption="Leaked addresses",
    )
    return summary + (leaked if report.leaked_ips else "")
