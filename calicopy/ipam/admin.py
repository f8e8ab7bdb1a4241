"""Operator commands on IPAM: ``calicoctl ipam release`` (one address, or the leaks of check
reports) and ``calicoctl ipam split`` (``calicoctl/calicoctl/commands/ipam/{release,split}.go``).

These functions refuse exactly what calicoctl refuses, with its texts, and return structured
outcomes; :mod:`calicopy.calicoctl.ipam` words the outcomes as calicoctl prints them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..errors import DatastoreError, ResourceConflict, ResourceNotFound
from ..resources.generated.ippool import IPPool
from .block import ReleaseOptions
from .check import CheckReport, HandleInfo
from .core import Core
from .errors import InvalidIPAddress, IPAMError
from .release import release_ips, release_ips_collecting

__all__ = [
    "HandleRelease",
    "PoolWriter",
    "ReleaseRefused",
    "ReportRelease",
    "SplitResult",
    "release_address",
    "release_from_reports",
    "split_cidr",
    "split_pool",
]


def parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """``argutils.ValidateIP``."""
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        raise InvalidIPAddress(text) from None


def release_address(core: Core, text: str) -> str:
    """``calicoctl ipam release --ip``: the address released (as Go prints it), or an error if it was not assigned."""
    ip = parse_ip(text)
    try:
        unallocated, _ = release_ips(core, [ReleaseOptions(str(ip))])
    except (DatastoreError, IPAMError) as exc:
        raise IPAMError(f"error: {exc}", cause=exc) from exc
    if unallocated:
        raise IPAMError(f"IP address {ip} is not assigned")
    return str(ip)


@dataclass(slots=True)
class HandleRelease:
    """One leaked handle's fate: ``"released"``, ``"skipped"`` (missing or changed) or ``"error"``."""

    handle: HandleInfo
    outcome: str
    error: str = ""


@dataclass(slots=True)
class ReportRelease:
    """What ``release --from-report`` did; :func:`calicopy.calicoctl.ipam.release_report_text` prints it."""

    warnings: list[str] = field(default_factory=list)
    ips_requested: int = 0
    ips_already_free: int = 0
    ip_error: str | None = None
    handles: list[HandleRelease] = field(default_factory=list)

    @property
    def ips_released(self) -> int:
        return self.ips_requested - self.ips_already_free

    def count(self, outcome: str) -> int:
        return sum(1 for h in self.handles if h.outcome == outcome)


class ReleaseRefused(IPAMError):
    """``release --from-report`` refused; ``warnings`` are those calicoctl had printed by then."""

    def __init__(self, message: str, warnings: Sequence[str]) -> None:
        super().__init__(message)
        self.warnings = list(warnings)


def release_from_reports(core: Core, reports: Sequence[CheckReport], *, force: bool, version: str) -> ReportRelease:
    """``releaseFromReports``: release the IPs leaked in *every* report and the handles leaked,
    unchanged, in every report, after calicoctl's safety checks (cluster GUID, calicoctl
    version, a current report, a locked datastore; ``force`` waives the last two)."""
    info = core.store.backend.get("ClusterInformation", "default")
    spec = info.spec  # type: ignore[attr-defined]
    outcome = ReportRelease()
    current = False
    for report in reports:
        if spec.cluster_guid != report.cluster_guid:
            raise ReleaseRefused(
                f"cluster does not match the provided report ({report.source}): mismatched cluster GUID. Refusing to release",
                outcome.warnings,
            )
        if version != report.version:
            if not force:
                raise ReleaseRefused(
                    f"the provided report ({report.source}) was produced using a different version "
                    f"({report.version}) of calicoctl. Refusing to release",
                    outcome.warnings,
                )
            outcome.warnings.append(
                "WARNING: Report was produced using a different version of calicoctl. Ignoring due to --force option"
            )
        if info.metadata.resource_version == report.cluster_info_revision:
            current = True
    if not current:
        raise ReleaseRefused(
            "the provided reports are all stale - at least one should be up-to-date. Please generate a new report "
            "while the data store is locked and try again",
            outcome.warnings,
        )
    if spec.datastore_ready is None or spec.datastore_ready:
        if not force:
            raise ReleaseRefused(
                "data store is not locked. Either lock the data store, or re-run with --force", outcome.warnings
            )
        outcome.warnings.append("WARNING: Data store is not locked. Ignoring due to --force option")
    ips, handles = _merge(reports)
    if ips:
        outcome.ips_requested = len(ips)
        unallocated, _, error = release_ips_collecting(core, list(ips.values()))
        outcome.ips_already_free = len(unallocated)
        if error is not None:
            outcome.ip_error = str(error)
    outcome.handles = [_delete_handle(core, h) for h in handles.values()]
    return outcome


def _merge(reports: Sequence[CheckReport]) -> tuple[dict[str, ReleaseOptions], dict[str, HandleInfo]]:
    """``mergeReports``: leaks common to every report (handles also at the same revision)."""
    ips: dict[str, ReleaseOptions] | None = None
    handles: dict[str, HandleInfo] | None = None
    for report in reports:
        merged_ips: dict[str, ReleaseOptions] = {}
        for allocs in report.allocations.values():
            for a in allocs:
                if a.in_use or (ips is not None and a.ip not in ips):
                    continue
                merged_ips[a.ip] = ReleaseOptions(a.ip, a.handle, a.sequence_number)
        ips = merged_ips
        merged_handles: dict[str, HandleInfo] = {}
        for h in report.leaked_handles:
            if handles is None or (h.id in handles and handles[h.id].revision == h.revision):
                merged_handles[h.id] = h
        handles = merged_handles
    return ips or {}, handles or {}


def _delete_handle(core: Core, info: HandleInfo) -> HandleRelease:
    """``deleteHandle``: only the handle the report saw (same revision and UID)."""
    try:
        handle = core.store.get_handle(info.id)
        if handle.metadata.resource_version != info.revision or (handle.metadata.uid or None) != info.uid:
            raise ResourceConflict(kind="IPAMHandle", name=info.id, cause="IPAM handle revision or UID didn't match")
        core.store.delete_handle(handle)
    except (ResourceNotFound, ResourceConflict):
        return HandleRelease(info, "skipped")
    except (DatastoreError, IPAMError) as exc:
        return HandleRelease(info, "error", str(exc))
    return HandleRelease(info, "released")


class PoolWriter(Protocol):
    """The pool writes ``split`` needs from clientv3 (validated update, ``UnsafeCreate``, ``UnsafeDelete``)."""

    def get_pool(self, name: str) -> IPPool: ...

    def list_pools(self) -> list[IPPool]: ...

    def update_pool(self, pool: IPPool) -> IPPool: ...

    def unsafe_create_pool(self, pool: IPPool) -> IPPool: ...

    def unsafe_delete_pool(self, name: str) -> IPPool: ...


@dataclass(frozen=True, slots=True)
class SplitResult:
    """``split``: the pool that was split and the pools that replaced it."""

    pool: str
    created: tuple[IPPool, ...]


def split_cidr(cidr: str, parts: int) -> list[str]:
    """``splitCIDR``: ``cidr`` in ``parts`` equal pieces (a power of two, at least 2)."""
    if parts < 2 or parts & (parts - 1):
        raise IPAMError(f"number to split CIDR into is not a valid power of 2: {parts}")
    try:
        net = ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        raise IPAMError(f"error reading CIDR {cidr} before attempting to split it") from None
    power = parts.bit_length() - 1
    if net.prefixlen + power > net.max_prefixlen:
        raise IPAMError(f"the CIDR {cidr} is not large enough to be split into {parts} parts")
    return [str(n) for n in net.subnets(prefixlen_diff=power)]


def split_pool(core: Core, writer: PoolWriter, number: str | int, *, cidr: str = "", name: str = "") -> SplitResult:
    """``calicoctl ipam split``: disable the pool, create the pieces (unchecked for overlap, as
    ``UnsafeCreate``), delete the old pool keeping its blocks (``UnsafeDelete``).  The datastore
    must be locked."""
    if not cidr and not name:
        raise IPAMError("no name or CIDR provided. Provide a name or CIDR to denote the IP pool to split")
    try:
        ready = core.store.backend.get("ClusterInformation", "default").spec.datastore_ready  # type: ignore[attr-defined]
    except DatastoreError as exc:
        raise IPAMError(
            f"error while checking if datastore was locked: error retrieving ClusterInformation: {exc}"
        ) from exc
    if ready is None or ready:
        raise IPAMError(
            "datastore is not locked. Run the `calicoctl datastore migrate lock` command in order split the IP pools"
        )
    old: IPPool | None = None
    if name:
        try:
            old = writer.get_pool(name)
        except DatastoreError as exc:
            raise IPAMError(f"unable to find IP pool with name {name}: {exc}") from exc
    else:
        for pool in writer.list_pools():
            if pool.spec.cidr == cidr:
                old = pool
    if old is None:
        raise IPAMError(f"unable to find IP pool {name} covering the specified CIDR {cidr}")
    disabled = old.model_copy(deep=True)
    disabled.spec.disabled = True
    try:
        old = writer.update_pool(disabled)
    except (DatastoreError, ValueError) as exc:
        raise IPAMError(f"error disabling IP pool {cidr}") from exc
    try:
        parts = int(number)
    except ValueError:
        raise IPAMError(
            f"error reading number to split IP pools into. {number} is not a valid number: "
            f'strconv.Atoi: parsing "{number}": invalid syntax'
        ) from None
    try:
        pieces = split_cidr(old.spec.cidr, parts)
    except IPAMError as exc:
        raise IPAMError(f"error splitting the CIDR {old.spec.cidr} into {parts} CIDRs: {exc}") from exc
    created = []
    for i, piece in enumerate(pieces):
        new_name = f"split-{old.metadata.name}-{i}"
        if len(new_name) > 253:
            new_name = f"split-{old.metadata.name[:245]}-{i}"
        data = old.to_dict()
        meta = {k: v for k, v in data["metadata"].items() if k in ("labels", "annotations")}
        meta["name"] = new_name
        data["metadata"] = meta
        data["spec"]["cidr"] = piece
        data["spec"]["disabled"] = False
        try:
            created.append(writer.unsafe_create_pool(IPPool.from_storage(data)))
        except (DatastoreError, ValueError) as exc:
            raise IPAMError(f"error using unsafe create to make split pool with cidr {piece}: {exc}") from exc
    try:
        writer.unsafe_delete_pool(old.metadata.name)
    except DatastoreError as exc:
        raise IPAMError(f"error removing the IP pool that was split {old.metadata.name}: {exc}") from exc
    return SplitResult(old.metadata.name, tuple(created))
