"""What ``calicoctl ipam ...`` prints (v3.32.1 ``calicoctl/calicoctl/commands/ipam/*.go``), as
pure functions of :mod:`calicopy.ipam`'s results; the CLI commands only call and print these.

Numbers follow Go: ``%.5g`` for address counts (``65536``, ``1.2089e+24``) and ``%.f`` for
percentages, which rounds half to even (37.5 -> 38, 62.5 -> 62), as Python's ``%`` does.

Also here: how calicoctl reads the commands' arguments (an IP as ``net.ParseIP``, the
``configure`` values as ``strconv``) with its refusals, and calicopy's ``ipam show -o json|yaml``
documents (:func:`show_document`).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .._go.json import marshal_indent
from .._go.strconv import parse_bool, quote, try_parse_int
from .._go.yaml_print import marshal as yaml_marshal
from ..errors import CalicoError
from ..ipam import Allocation, BorrowedIPs, CheckReport, IPAMConfig, ReportRelease, SplitResult, Usage
from .tablewriter import render_table

__all__ = [
    "ADDRESS_NOT_ASSIGNED",
    "NOTHING_TO_CONFIGURE",
    "NO_KUBECONFIG",
    "SHOW_FORMATS",
    "allocation_document",
    "borrowed_document",
    "borrowed_table",
    "check_failure",
    "check_text",
    "config_document",
    "config_table",
    "configure_text",
    "invalid_ip",
    "ip_text",
    "ipam_failure",
    "parse_go_ip",
    "parse_max_blocks",
    "parse_persistence",
    "parse_strict_affinity",
    "release_ip_text",
    "release_report_text",
    "render_document",
    "report_decode_error",
    "report_type_error",
    "split_text",
    "unrecognized_output",
    "usage_document",
    "usage_table",
]

ADDRESS_NOT_ASSIGNED = "{ip} is not assigned\n"


def _count(value: float) -> str:
    return "%.5g" % value  # noqa: UP031 - Go's %.5g, which str.format's 'g' does not match for large values


def _usage_row(kind: str, cidr: str, in_use: float, capacity: float) -> list[str]:
    """``genRow`` of ``showBlockUtilization``."""
    free = capacity - in_use
    return [
        kind,
        cidr,
        _count(capacity),
        f"{_count(in_use)} ({100 * in_use / capacity:.0f}%)",
        f"{_count(free)} ({100 * free / capacity:.0f}%)",
    ]


def usage_table(usage: Usage, *, show_blocks: bool = False) -> str:
    """``calicoctl ipam show`` (``--show-blocks``): a pool row per pool (capacity from its CIDR,
    use summed over its blocks), each followed by its block rows; then, with ``show_blocks``,
    the IPv4 blocks outside every pool (calicoctl's catch-all ``0.0.0.0/0`` pseudo-pool has no
    row of its own and never matches IPv6 blocks)."""
    rows: list[list[str]] = []
    for pool in usage.pools:
        rows.append(_usage_row("IP Pool", pool.cidr, float(pool.in_use), float(pool.capacity)))
        if show_blocks:
            rows += [_usage_row("Block", b.cidr, float(b.in_use), float(b.capacity)) for b in pool.blocks]
    if show_blocks:
        rows += [
            _usage_row("Block", b.cidr, float(b.in_use), float(b.capacity)) for b in usage.orphans if ":" not in b.cidr
        ]
    return render_table(["GROUPING", "CIDR", "IPS TOTAL", "IPS IN USE", "IPS FREE"], rows)


def ip_text(ip: str, allocation: Allocation | None) -> str:
    """``calicoctl ipam show --ip=IP``."""
    if allocation is None:
        return ADDRESS_NOT_ASSIGNED.format(ip=ip)
    lines = [
        f"IP {ip} is in use\n",
        f"Handle ID: {allocation.handle_id}\n" if allocation.handle_id is not None else "Handle ID: <none>\n",
    ]
    if allocation.attributes:
        lines.append("Active Owner Attributes:\n")
        lines += [f"  {k}: {allocation.attributes[k]}\n" for k in sorted(allocation.attributes)]
    else:
        lines.append("No Active Owner attributes defined\n")
    if allocation.alternate_attributes:
        lines.append("Alternate Owner Attributes:\n")
        lines += [f"  {k}: {allocation.alternate_attributes[k]}\n" for k in sorted(allocation.alternate_attributes)]
    return "".join(lines)


def borrowed_table(borrowed: BorrowedIPs) -> str:
    """``calicoctl ipam show --show-borrowed``."""
    text = render_table(
        ["IP", "BORROWING-NODE", "BLOCK", "BLOCK OWNER", "TYPE", "ALLOCATED-TO"],
        [[b.ip, b.borrowing_node, b.block, b.block_owner, b.allocation_type, b.allocated_to] for b in borrowed],
    )
    if borrowed.unclassified:
        text += (
            f"\nNote: found {borrowed.unclassified} IP allocations without an explicit node association. "
            "Unable to determine if they are borrowed.\n"
        )
    return text


def config_table(config: IPAMConfig) -> str:
    """``calicoctl ipam show --show-configuration``: each ``ipam.IPAMConfig`` field with Go's ``%#v``.

    The last field is a pointer; Go prints its address (``(*ipam.VMAddressPersistence)(0xc...)``),
    which means nothing outside that process, so calicopy prints the value it points to.
    """
    persistence = config.kube_virt_vm_address_persistence
    rows = [
        ["StrictAffinity", "true" if config.strict_affinity else "false"],
        ["AutoAllocateBlocks", "true" if config.auto_allocate_blocks else "false"],
        ["MaxBlocksPerHost", str(config.max_blocks_per_host)],
        [
            "KubeVirtVMAddressPersistence",
            "(*ipam.VMAddressPersistence)(nil)" if persistence is None else f'"{persistence}"',
        ],
    ]
    return render_table(["PROPERTY", "VALUE"], rows)


def configure_text(
    *, strict_affinity: bool | None = None, max_blocks_per_host: int | None = None, persistence: str | None = None
) -> str:
    """The lines ``calicoctl ipam configure`` prints after a successful write."""
    lines = []
    if strict_affinity is not None:
        lines.append(f"Successfully set StrictAffinity to: {'true' if strict_affinity else 'false'}\n")
    if max_blocks_per_host is not None:
        lines.append(f"Successfully set MaxBlocksPerHost to: {max_blocks_per_host}\n")
    if persistence is not None:
        lines.append(f"Successfully set KubeVirtVMAddressPersistence to: {persistence}\n")
    return "".join(lines)


def release_ip_text(ip: str) -> str:
    return f"Successfully released IP address {ip}\n"


def release_report_text(outcome: ReportRelease) -> str:
    """``calicoctl ipam release --from-report``: warnings, the IPs, the handles (``.`` released,
    ``x`` skipped), then the closing line."""
    lines = [w + "\n" for w in outcome.warnings]
    if outcome.ips_requested:
        lines.append(f"Releasing {outcome.ips_requested} old IPs...\n")
        if outcome.ip_error is not None:
            lines.append(
                f"An error occurred while releasing some IPs: {outcome.ip_error}.  Problems are often caused by an "
                "out-of-date IPAM report.  Try regenerating the IPAM report and retry.\n"
            )
        else:
            lines.append(f"Released {outcome.ips_released} IPs successfully\n")
        if outcome.ips_already_free:
            lines.append(
                f"{outcome.ips_already_free} addresses marked as leaked in the report had already been cleaned up.\n"
            )
    else:
        lines.append("Report didn't contain any leaked IPs to clean up.\n")
    if outcome.handles:
        lines.append(f"Deleting {len(outcome.handles)} handles...\n")
        lines.append("Key: '.' = Deleted OK; 'x' = skip, handle missing/changed.\n")
        for h in outcome.handles:
            if h.outcome == "released":
                lines.append(".")
            elif h.outcome == "skipped":
                lines.append("x")
            else:
                lines.append(f"\nDeleting handle {h.handle.id} failed: {h.error}.\n")
        lines.append("\n")
        lines.append(
            f"Released {outcome.count('released')} handles; {outcome.count('skipped')} skipped; "
            f"{outcome.count('error')} errors.\n"
        )
    else:
        lines.append("Report didn't contain any handles to clean up.\n")
    lines.append("You may now unlock the data store.\n")
    return "".join(lines)


def split_text(result: SplitResult) -> str:
    """``calicoctl ipam split``'s output, including its missing newlines."""
    text = f"IP Pool {result.pool} was successfully split into {len(result.created)} smaller pools."
    text += "".join(f"Created {p.metadata.name} with CIDR {p.spec.cidr}.\n" for p in result.created)
    return text + "Please refer to the documentation for final steps."


def check_text(report: CheckReport, *, show_all_ips: bool = False, show_problem_ips: bool = False) -> str:
    """Everything ``calicoctl ipam check`` prints, in its order.  Where calicoctl walks a Go map
    (random order), addresses and handles come sorted.

    A report whose check failed (``report.stage`` is the step that failed) gives what calicoctl
    has printed by then: every step before, and the first line of the step that failed.
    """
    show_problem_ips = show_problem_ips or show_all_ips
    steps: list[tuple[str, list[str], Callable[[], list[str]]]] = [
        ("cluster", ["Checking IPAM for inconsistencies...\n", "\n"], list),
        ("blocks", ["Loading all IPAM blocks...\n"], lambda: _check_blocks(report, show_all_ips)),
        ("pools", ["Loading all IPAM pools...\n"], lambda: _check_pools(report)),
        ("nodes", ["Loading all nodes.\n"], lambda: _check_nodes(report, show_all_ips)),
        ("services", ["Loading all service load balancer IPs.\n"], lambda: _check_services(report, show_all_ips)),
        ("workloads", ["Loading all workload endpoints.\n"], lambda: _check_workloads(report, show_all_ips)),
        ("handles", ["Loading all handles\n"], lambda: _check_handles(report, show_all_ips, show_problem_ips)),
    ]
    out: list[str] = []
    for stage, first, rest in steps:
        out += first
        if stage == report.stage:
            break
        out += rest()
    return "".join(out)


#: How ``checkIPAM`` wraps the error of each step (the others it returns as they are).
_CHECK_FAILURES = {
    "blocks": "failed to list IPAM blocks: {}",
    "pools": "failed to load IP pools: {}",
    "nodes": "failed to list nodes: {}",
    "workloads": "failed to list workload endpoints: {}",
    "handles": "failed to list handles: {}",
}


def check_failure(report: CheckReport, error: BaseException) -> str:
    """The error ``calicoctl ipam check`` returns when the step ``report.stage`` failed."""
    return _CHECK_FAILURES.get(report.stage, "{}").format(error)


def _check_blocks(report: CheckReport, show_all_ips: bool) -> list[str]:
    out = [f"Found {len(report.blocks)} IPAM blocks.\n"]
    for block in report.blocks:
        out.append(f" IPAM block {block.cidr} affinity={block.affinity}:\n")
        if show_all_ips:
            for event, ip, text in block.events:
                out.append(
                    f"  {ip} allocated; attrs {text}\n" if event == "allocated" else f"  {ip} belongs to {text}\n"
                )
    return [*out, f"IPAM blocks record {report.num_allocations} allocations.\n", "\n"]


def _check_pools(report: CheckReport) -> list[str]:
    return [
        *(f"  {cidr}\n" for cidr in report.active_pools),
        f"Found {len(report.active_pools)} active IP pools.\n",
        "\n",
    ]


def _check_nodes(report: CheckReport, show_all_ips: bool) -> list[str]:
    return [*_belongs(report.node_ips, show_all_ips), f"Found {len(report.node_ips)} node tunnel IPs.\n", "\n"]


def _check_services(report: CheckReport, show_all_ips: bool) -> list[str]:
    if report.load_balancers is None:
        return ["No configuration for LoadBalancer kubecontroller found, skipping service check\n", "\n"]
    return [
        *_belongs(report.load_balancer_ips, show_all_ips),
        f"Found {report.load_balancers} service load balancer(s).\n",
        "\n",
    ]


def _check_workloads(report: CheckReport, show_all_ips: bool) -> list[str]:
    return [
        *_belongs(report.workload_ips, show_all_ips),
        f"Found {len(report.workload_ips)} workload IPs.\n",
        f"Workloads and nodes are using {len(report.in_use)} IPs.\n",
        "\n",
    ]


def _check_handles(report: CheckReport, show_all_ips: bool, show_problem_ips: bool) -> list[str]:
    out = ["Looking for top (up to 20) nodes by allocations...\n"]
    by_node = report.allocations_by_node()
    ranked = sorted(by_node, key=lambda n: (-len(by_node[n]), n))
    out += [f"  {n} has {len(by_node[n])} allocations\n" for n in ranked[:20]]
    if ranked:
        out.append(
            f"Node with most allocations has {len(by_node[ranked[0]])}; median is {len(by_node[ranked[len(ranked) // 2]])}\n"
        )
    out += ["\n", "Scanning for IPs that are allocated but not actually in use...\n"]
    if show_problem_ips:
        out += [f"  {ip} leaked; attrs {a.attr_text}\n" for ip in report.leaked_ips for a in report.allocations[ip]]
    out.append(f"Found {len(report.leaked_ips)} IPs that are allocated in IPAM but not actually in use.\n")
    out.append("Scanning for IPs that are in use by a workload or node but not allocated in IPAM...\n")
    if show_problem_ips:
        for ip in sorted(report.in_use):
            owners = report.in_use[ip]
            if len(owners) > 1:
                out.append(f"  {ip} has multiple owners.\n")
            if ip in report.non_calico_ips:
                out += [f"  {ip} in use by {o} is not in any active IP pool.\n" for o in owners]
            elif ip in report.not_allocated_ips:
                out += [f"  {ip} in use by {o} and in active IPAM pool but has no IPAM allocation.\n" for o in owners]
    out.append(f"Found {len(report.non_calico_ips)} in-use IPs that are not in active IP pools.\n")
    out.append(
        f"Found {len(report.not_allocated_ips)} in-use IPs that are in active IP pools but have no corresponding "
        "IPAM allocation.\n"
    )
    out += ["\n", "Scanning for IPAM handles with no matching IPs...\n"]
    if show_all_ips:
        out += [f"  {h.id} doesn't have any active IPs.\n" for h in report.leaked_handles]
    out.append(
        f"Found {len(report.leaked_handles)} handles with no matching IPs (and {report.good_handles} handles with matches).\n"
    )
    out.append("Scanning for IPs with missing handle...\n")
    if show_problem_ips:
        out += [f"  {h} is in use in a block but doesn't exist.\n" for h in report.missing_handles]
    out.append(f"Found {len(report.missing_handles)} handles mentioned in blocks with no matching handle resource.\n")
    out.append(f"Check complete; found {report.num_problems} problems.\n")
    return out


def _belongs(records: Sequence[tuple[str, str]], show: bool) -> list[str]:
    return [f"  {ip} belongs to {who}\n" for ip, who in records] if show else []


# -- arguments as calicoctl reads them --------------------------------------------------------------


def parse_go_ip(text: str) -> str | None:
    """``net.ParseIP`` then ``IP.String()``: the address as calicoctl prints it, or None where Go
    refuses the text (surrounding space, a zone, IPv4 octets with leading zeros).  An IPv4-mapped
    IPv6 address is the IPv4 address to Go (``::ffff:10.0.0.1`` prints and looks up as ``10.0.0.1``)."""
    if not text.isascii() or "%" in text or text.strip() != text:
        return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


def invalid_ip(text: str) -> str:
    """``argutils.ValidateIP``'s refusal, printed on stdout before calicoctl exits 1."""
    return f"Error executing command: invalid IP address specified: {text}\n"


def ipam_failure(error: BaseException | str) -> str:
    """How ``ipam configure``, ``show --show-configuration`` and ``release --ip`` word a failure
    of the IPAM client (``fmt.Errorf("error: %v", err)``)."""
    return f"error: {error}"


#: ``ipam check`` on etcd, where calicoctl needs a kubeconfig to read Services.
NO_KUBECONFIG = "KUBECONFIG environment variable or --kubeconfig parameter not set"

#: ``ipam configure`` without any setting.
NOTHING_TO_CONFIGURE = "at least one configuration option must be specified"


def parse_strict_affinity(text: str) -> bool:
    """``--strictaffinity`` as ``strconv.ParseBool`` reads it."""
    try:
        return parse_bool(text)
    except ValueError:
        raise CalicoError("invalid value. Use true or false to set strictaffinity") from None


def parse_max_blocks(text: str) -> int:
    """``--max-blocks-per-host`` as ``strconv.Atoi`` reads it (a sign, decimal digits, 64 bits)."""
    value = try_parse_int(text, 10, 64)
    if value is None:
        raise CalicoError("invalid value for maxblockhost. Use a valid number")
    return value


def parse_persistence(text: str) -> str:
    """``--kubevirt-ip-persistence``: ``Enabled`` or ``Disabled``, exactly."""
    if text not in ("Enabled", "Disabled"):
        raise CalicoError("invalid value for --kubevirt-ip-persistence. Use Enabled or Disabled")
    return text


# encoding/json's syntax errors for what Python's decoder reports (the context after the character).
_JSON_CONTEXT = {
    "Expecting value": "looking for beginning of value",
    "Expecting property name enclosed in double quotes": "looking for beginning of object key string",
    "Expecting ':' delimiter": "after object key",
    "Extra data": "after top-level value",
}


def _go_char(char: str) -> str:
    """encoding/json's ``quoteChar``."""
    if char == "'":
        return "'\\''"
    if char == '"':
        return "'\"'"
    return "'" + quote(char)[1:-1] + "'"


def report_decode_error(data: bytes, error: ValueError) -> str:
    """Why a ``--from-report`` file is not JSON, as ``json.Unmarshal`` says it."""
    if not isinstance(error, json.JSONDecodeError):
        return str(error)
    if error.pos >= len(error.doc.rstrip()):
        return "unexpected end of JSON input"
    context = _JSON_CONTEXT.get(error.msg)
    if context is None:
        return error.msg
    return f"invalid character {_go_char(error.doc[error.pos])} {context}"


def report_type_error(document: Any) -> str:
    """``json.Unmarshal`` of a JSON value that is not an object into calicoctl's ``Report``."""
    if isinstance(document, list):
        kind = "array"
    elif isinstance(document, str):
        kind = "string"
    elif isinstance(document, bool):
        kind = "bool"
    else:
        kind = "number"
    return f"json: cannot unmarshal {kind} into Go value of type ipam.Report"


# -- calicopy's ``ipam show -o json|yaml`` ------------------------------------------------------------

#: What ``ipam show -o`` accepts: calicoctl's table, or a document.
SHOW_FORMATS = ("table", "json", "yaml", "yml")


def unrecognized_output(output: str) -> str:
    return f"unrecognized output format '{output}'"


def _counts(capacity: int, in_use: int) -> dict[str, int]:
    return {"capacity": capacity, "inUse": in_use, "free": capacity - in_use}


def _block_document(block: Any) -> dict[str, Any]:
    return {"cidr": block.cidr, "node": block.node, "affinity": block.affinity, **_counts(block.capacity, block.in_use)}


def usage_document(usage: Usage, *, show_blocks: bool = False) -> dict[str, Any]:
    """``ipam show [--show-blocks] -o json|yaml``: each pool's numbers (exact integers, also for
    IPv6) and, with ``show_blocks``, its blocks and the blocks outside every pool (both IP
    versions: the table shows only the IPv4 ones, as calicoctl's does)."""
    pools = []
    for pool in usage.pools:
        entry: dict[str, Any] = {"name": pool.name, "cidr": pool.cidr, **_counts(pool.capacity, pool.in_use)}
        if show_blocks:
            entry["blocks"] = [_block_document(b) for b in pool.blocks]
        pools.append(entry)
    document: dict[str, Any] = {"pools": pools}
    if show_blocks:
        document["orphanBlocks"] = [_block_document(b) for b in usage.orphans]
    return document


def allocation_document(ip: str, allocation: Allocation | None) -> dict[str, Any]:
    """``ipam show --ip=IP -o json|yaml``."""
    if allocation is None:
        return {"ip": ip, "inUse": False}
    return {
        "ip": ip,
        "inUse": True,
        "handleID": allocation.handle_id,
        "activeOwnerAttributes": dict(sorted(allocation.attributes.items())),
        "alternateOwnerAttributes": dict(sorted(allocation.alternate_attributes.items())),
        "block": allocation.block,
        "node": allocation.node,
    }


def borrowed_document(borrowed: BorrowedIPs) -> dict[str, Any]:
    """``ipam show --show-borrowed -o json|yaml``: the table's rows and the unclassified count."""
    return {
        "borrowed": [
            {
                "ip": b.ip,
                "borrowingNode": b.borrowing_node,
                "block": b.block,
                "blockOwner": b.block_owner,
                "type": b.allocation_type,
                "allocatedTo": b.allocated_to,
            }
            for b in borrowed
        ],
        "unclassified": borrowed.unclassified,
    }


def config_document(config: IPAMConfig) -> dict[str, Any]:
    """``ipam show --show-configuration -o json|yaml``: the IPAMConfiguration spec's field names."""
    return {
        "strictAffinity": config.strict_affinity,
        "autoAllocateBlocks": config.auto_allocate_blocks,
        "maxBlocksPerHost": config.max_blocks_per_host,
        "kubeVirtVMAddressPersistence": config.kube_virt_vm_address_persistence,
    }


def render_document(document: Mapping[str, Any], output: str) -> str:
    """A document as ``get -o json`` (``json.MarshalIndent``, no trailing newline) or ``-o yaml``
    (sigs.k8s.io/yaml, keys sorted) prints one."""
    if output == "json":
        return marshal_indent(document, "", "  ")
    return yaml_marshal(document)
