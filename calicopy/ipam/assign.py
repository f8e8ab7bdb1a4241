"""Handing addresses out (``AutoAssign``, ``AssignIP`` and their helpers in ``libcalico-go/lib/ipam/ipam.go``).

``auto_assign`` takes addresses from the host's affine blocks first, claims new blocks while
``autoAllocateBlocks`` and the per-host block limit allow, and only then, unless
``strictAffinity`` is on, borrows from other hosts' blocks.  Each block write is a
compare-and-swap, retried from a fresh read when another writer got there first.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..errors import DatastoreError, ResourceConflict, ResourceNotFound
from ..resources.generated.ipamblock import IPAMBlock
from ..resources.generated.ippool import IPPool
from .block import Block, HostReservedAttr, IPAddress, IPNetwork
from .claims import (
    Affinity,
    block_from_affinity,
    claim_affine_block,
    find_usable_block,
    pending_affinity,
    release_block_affinity,
)
from .core import Core, IPAMConfig
from .errors import BlockClaimConflict, BlockLimitReached, IPAMError, MaxRetriesError, NoFreeBlocks, NoQualifiedPool
from .filters import AddressFilter
from .handles import decrement_handle, increment_handle
from .pools import block_cidr_for, enabled_pools, pool_for_ip, pool_network, random_block_generator, selects

__all__ = ["Assignments", "assign_ip", "auto_assign", "decide_hostname"]

_log = logging.getLogger("calicopy.ipam")

#: ``v3.VirtualLoadBalancer``: the pseudo-host that owns LoadBalancer blocks.
VIRTUAL_LOAD_BALANCER = "load-balancer"
#: The default per-host block limit when neither the request nor the configuration sets one.
DEFAULT_MAX_BLOCKS = 20


@dataclass(slots=True)
class Assignments:
    """``IPAMAssignments``: the addresses one version got (``ip/blocksize`` interfaces), and why fewer."""

    version: int
    num_requested: int
    ips: list[ipaddress.IPv4Interface | ipaddress.IPv6Interface] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    host_reserved_handle: str | None = None

    def add_message(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)

    def partial_error(self) -> IPAMError | None:
        """``PartialFulfillmentError``: the error a caller that needs every address raises."""
        if len(self.ips) >= self.num_requested:
            return None
        text = f"Assigned {len(self.ips)} out of {self.num_requested} requested IPv{self.version} addresses"
        text += "".join(f"; {m}" for m in self.messages)
        if self.host_reserved_handle is not None:
            text += f"; HostReservedAttr: {self.host_reserved_handle}"
        return IPAMError(text)

    def __repr__(self) -> str:
        shown = ", ".join(str(ip) for ip in self.ips[:4]) + (", ..." if len(self.ips) > 4 else "")
        return f"Assignments(IPv{self.version}: {len(self.ips)}/{self.num_requested} [{shown}])"


def decide_hostname(host: str) -> str:
    """``decideHostname``: the given host, else this machine's name (lower case, as ``names.Hostname``)."""
    return host or socket.gethostname().lower()


def auto_assign(
    core: Core,
    *,
    num: int,
    version: int,
    handle_id: str | None,
    attrs: Mapping[str, str],
    host: str,
    pools: Sequence[IPNetwork] = (),
    max_blocks_per_host: int = 0,
    reserved: HostReservedAttr | None = None,
    intended_use: str = "Workload",
    namespace_labels: Mapping[str, str] | None = None,
) -> Assignments:
    """``autoAssign`` for one IP version (see the module docstring).

    Raises when no pool qualifies or the block limit stops it; otherwise returns what it got,
    possibly fewer than ``num`` (:meth:`Assignments.partial_error` says why).
    """
    if not intended_use:
        raise IPAMError("must specify the intended use when assigning an IP")
    affinity = Affinity(host, "virtual" if intended_use == "LoadBalancer" else "host")
    reservations = core.reservations()
    usable, affine = _prepare_affinity_blocks(core, pools, version, affinity, reserved, intended_use, namespace_labels)
    owned = len(affine)
    config = core.get_config()
    limit = max_blocks_per_host
    if (config.max_blocks_per_host > 0 and limit > 0 and limit > config.max_blocks_per_host) or limit == 0:
        limit = config.max_blocks_per_host
    if limit == 0:
        limit = DEFAULT_MAX_BLOCKS
    result = Assignments(version, num, host_reserved_handle=reserved.handle if reserved else None)
    state = _ClaimState(core, affinity, usable, list(affine), reserved, reservations)
    while len(result.ips) < num:
        if limit > 0 and owned >= limit:
            state.allow_new_claim = False
        try:
            block, newly_claimed = state.find_or_claim_block(1, config)
        except NoFreeBlocks:
            if config.strict_affinity:
                result.add_message("No more free affine blocks and strict affinity enabled")
            break
        except BlockLimitReached:
            result.add_message(
                f"Need to allocate an IPAM block but could not - limit of {limit} blocks reached for this node"
            )
            raise
        if newly_claimed:
            owned += 1
        got = _assign_with_retries(
            core, block, num - len(result.ips), handle_id, attrs, affinity, config.strict_affinity, reservations
        )
        if got is None:
            result.add_message("Failed to assign IPs in newly allocated block")
            break
        result.ips.extend(got)
    if not config.strict_affinity and len(result.ips) < num:
        _borrow(core, result, num, usable, handle_id, attrs, affinity, reservations)
    return result


def _assign_with_retries(
    core: Core,
    block: IPAMBlock,
    num: int,
    handle_id: str | None,
    attrs: Mapping[str, str],
    affinity: Affinity,
    affinity_check: bool,
    reservations: AddressFilter,
) -> list[ipaddress.IPv4Interface | ipaddress.IPv6Interface] | None:
    """Assign from one block, re-reading it after each lost compare-and-swap; None on another failure."""
    net = ipaddress.ip_network(block.spec.cidr, strict=False)
    for _ in range(core.retries):
        try:
            return _assign_from_block(core, block, num, handle_id, attrs, affinity, affinity_check, reservations)
        except ResourceConflict:
            try:
                block = core.store.get_block(net)
            except DatastoreError:
                return None
        except (ValueError, IPAMError, DatastoreError) as exc:
            _log.warning("Failed to assign IPs in block %s: %s", net, exc)
            return None
    return None


def _assign_from_block(
    core: Core,
    stored: IPAMBlock,
    num: int,
    handle_id: str | None,
    attrs: Mapping[str, str],
    affinity: Affinity,
    affinity_check: bool,
    reservations: AddressFilter,
) -> list[ipaddress.IPv4Interface | ipaddress.IPv6Interface]:
    """``assignFromExistingBlock``: count the handle up, then write the block; undo the count if the write fails."""
    block = Block(stored)
    ips = block.auto_assign(num, handle_id, str(affinity), attrs, affinity_check, reservations)
    if not ips:
        return []
    if handle_id is not None:
        increment_handle(core, handle_id, block.cidr, len(ips))
    try:
        core.store.update_block(block.resource)
    except DatastoreError:
        if handle_id is not None:
            try:
                decrement_handle(core, handle_id, block.cidr, len(ips))
            except (DatastoreError, IPAMError) as exc:
                _log.warning("Failed to decrement handle %s: %s", handle_id, exc)
        raise
    prefix = block.net.prefixlen
    return [ipaddress.ip_interface(f"{ip}/{prefix}") for ip in ips]


def _borrow(
    core: Core,
    result: Assignments,
    num: int,
    pools: Sequence[IPPool],
    handle_id: str | None,
    attrs: Mapping[str, str],
    affinity: Affinity,
    reservations: AddressFilter,
) -> None:
    """The last resort without strict affinity: any existing block of the pools, in a random walk."""
    exhausted: list[str] = []
    for pool in pools:
        for cidr in random_block_generator(pool, affinity.host, core.fresh_seed):
            if len(result.ips) >= num:
                break
            if reservations.matches_whole(cidr):
                continue
            try:
                block = core.store.get_block(cidr)
            except DatastoreError:
                continue
            got = _assign_with_retries(
                core, block, num - len(result.ips), handle_id, attrs, affinity, False, reservations
            )
            if got:
                result.ips.extend(got)
        else:
            exhausted.append(pool.spec.cidr)
    if exhausted and len(result.ips) < num:
        result.add_message(f"No IPs available in pools: [{' '.join(exhausted)}]")


class _ClaimState:
    """``blockAssignState``: the host's remaining affine blocks and whether it may claim more."""

    def __init__(
        self,
        core: Core,
        affinity: Affinity,
        pools: Sequence[IPPool],
        affine: list[IPNetwork],
        reserved: HostReservedAttr | None,
        reservations: AddressFilter,
    ) -> None:
        self.core = core
        self.affinity = affinity
        self.pools = pools
        self.remaining = affine
        self.reserved = reserved
        self.reservations = reservations
        self.allow_new_claim = True

    def find_or_claim_block(self, min_free: int, config: IPAMConfig) -> tuple[IPAMBlock, bool]:
        """``findOrClaimBlock``: an affine block with room, else a newly claimed one."""
        core, store = self.core, self.core.store
        while self.remaining:
            cidr = self.remaining.pop(0)
            if self.reservations.matches_whole(cidr):
                continue
            for _ in range(core.retries):
                try:
                    aff = store.get_affinity(self.affinity.host, self.affinity.type, cidr)
                    block = block_from_affinity(core, aff, self.affinity, self.reserved, config)
                except ResourceConflict:
                    continue
                except (DatastoreError, IPAMError):
                    break
                if Block(block, copy=False).num_free(self.reservations) >= min_free:
                    return block, False
                break
        if not self.allow_new_claim:
            raise BlockLimitReached()
        if not config.auto_allocate_blocks:
            raise IPAMError("failed to find or claim a block")
        for _ in range(core.retries):
            subnet = find_usable_block(core, self.affinity, self.pools, self.reservations)
            for _ in range(core.retries):
                try:
                    aff = pending_affinity(core, self.affinity, subnet)
                    block = block_from_affinity(core, aff, self.affinity, self.reserved, config)
                except ResourceConflict:
                    continue
                except (BlockClaimConflict, IPAMError):
                    break  # taken by someone else, or a stale affinity: find another block
                free = Block(block, copy=False).num_free(self.reservations)
                if free >= min_free:
                    return block, True
                raise IPAMError(f"Block '{subnet}' has {free} free ips which is less than {min_free} ips required.")
        raise MaxRetriesError()


def _prepare_affinity_blocks(
    core: Core,
    requested: Sequence[IPNetwork],
    version: int,
    affinity: Affinity,
    reserved: HostReservedAttr | None,
    use: str,
    namespace_labels: Mapping[str, str] | None,
) -> tuple[list[IPPool], list[IPNetwork]]:
    """``prepareAffinityBlocksForHost``: the pools this request may use and the host's affine
    blocks in them; empty affine blocks of pools that no longer select the host are released."""
    if use == "LoadBalancer":
        node_labels: Mapping[str, str] = {}
        affinity = Affinity(VIRTUAL_LOAD_BALANCER if not affinity.host else affinity.host, "virtual")
    else:
        node_labels = core.store.backend.get("Node", affinity.host).metadata.labels
    max_prefix = _max_prefix_len(version, reserved)
    all_pools = core.pools.list_pools()
    selecting, enabled = _determine_pools(all_pools, requested, version, node_labels, namespace_labels, max_prefix)
    if not selecting:
        raise IPAMError(f"no configured Calico pools for node {affinity.host}")
    allowed = [p for p in selecting if use in (p.spec.allowed_uses or [])]
    if not allowed:
        raise NoQualifiedPool(f"cannot find a qualified ippool, no pools match the required use ({use})")
    affine = [
        ipaddress.ip_network(a.spec.cidr, strict=False)
        for a in core.store.list_affinities(affinity.host, affinity.type, version)
    ]
    in_allowed = [b for b in affine if pool_for_ip(allowed, b.network_address) is not None]
    not_allowed = [b for b in affine if pool_for_ip(allowed, b.network_address) is None]
    for cidr in not_allowed:
        if pool_for_ip(selecting, cidr.network_address) is not None:
            continue
        pool = pool_for_ip(enabled, cidr.network_address)
        if pool is None or selects(pool.spec.node_selector, node_labels):
            continue
        with contextlib.suppress(DatastoreError, IPAMError):
            release_block_affinity(core, affinity, cidr, require_empty=True)
    return allowed, in_allowed


def _max_prefix_len(version: int, reserved: HostReservedAttr | None) -> int:
    bits = 32 if version == 4 else 128
    if reserved is None:
        return bits
    count = reserved.start_of_block + reserved.end_of_block
    prefix = bits - count.bit_length() if count > 0 else 0
    if prefix <= 0:
        raise IPAMError("HostReservedAttr has wrong parameters")
    return prefix


def _determine_pools(
    all_pools: Sequence[IPPool],
    requested: Sequence[IPNetwork],
    version: int,
    node_labels: Mapping[str, str],
    namespace_labels: Mapping[str, str] | None,
    max_prefix: int,
) -> tuple[list[IPPool], list[IPPool]]:
    """``determinePools``: the requested pools (all enabled, else an error), or every enabled,
    automatic pool whose node and namespace selectors match."""
    enabled = enabled_pools(all_pools, version)
    by_cidr = {str(pool_network(p)): p for p in enabled if p.spec.block_size <= max_prefix}
    if not by_cidr:
        raise NoQualifiedPool("cannot find a qualified ippool")
    chosen = []
    for net in requested:
        pool = by_cidr.get(str(ipaddress.ip_network(net, strict=False)))
        if pool is None:
            raise IPAMError(
                f"the given pool ({ipaddress.ip_network(net, strict=False)}) does not exist, or is not enabled"
            )
        chosen.append(pool)
    if chosen:
        return chosen, enabled
    matching = [
        p
        for p in enabled
        if (p.spec.assignment_mode or "Automatic") == "Automatic"
        and selects(p.spec.node_selector, node_labels)
        and selects(p.spec.namespace_selector, namespace_labels or {})
    ]
    return matching, enabled


def assign_ip(
    core: Core,
    ip: IPAddress,
    *,
    handle_id: str | None,
    attrs: Mapping[str, str],
    host: str,
    reserved: HostReservedAttr | None = None,
    intended_use: str = "Workload",
) -> None:
    """``AssignIP``: one given address, claiming its block for ``host`` if the block is new."""
    affinity = Affinity(host, "virtual" if intended_use == "LoadBalancer" else "host")
    pool = pool_for_ip(enabled_pools(core.pools.list_pools(), ip.version), ip)
    if pool is None:
        raise IPAMError("The provided IP address is not in a configured pool\n")
    config = core.get_config()
    cidr = block_cidr_for(ip, pool)
    store = core.store
    for _ in range(core.retries):
        try:
            stored = store.get_block(cidr)
        except ResourceNotFound:
            try:
                aff = pending_affinity(core, affinity, cidr)
                stored = claim_affine_block(core, aff, affinity, reserved)
            except (ResourceConflict, BlockClaimConflict):
                continue
        block = Block(stored)
        block.assign(ip, handle_id, attrs, str(affinity), config.strict_affinity)
        if handle_id is not None:
            increment_handle(core, handle_id, block.cidr, 1)
        try:
            store.update_block(block.resource)
        except ResourceConflict:
            if handle_id is not None:
                decrement_handle(core, handle_id, block.cidr, 1)
            continue
        except DatastoreError:
            if handle_id is not None:
                try:
                    decrement_handle(core, handle_id, block.cidr, 1)
                except (DatastoreError, IPAMError) as exc:
                    _log.warning("Failed to decrement handle %s: %s", handle_id, exc)
            raise
        return
    raise MaxRetriesError()
