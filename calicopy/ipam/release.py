"""Giving addresses and blocks back (``ReleaseIPs``, ``ReleaseByHandle``, ``ReleasePoolAffinities``,
``ReleaseHostAffinities`` and ``ensureConsistentAffinity`` of ``libcalico-go/lib/ipam/ipam.go``).
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
from collections.abc import Iterable, Sequence

from ..errors import DatastoreError, ResourceConflict, ResourceNotFound
from ..resources.generated.ipamblock import IPAMBlock
from ..resources.generated.ipamhandle import IPAMHandle
from .block import Block, IPAddress, IPNetwork, ReleaseOptions, sanitize_handle
from .claims import Affinity, release_block_affinity
from .core import Core
from .errors import BlockClaimConflict, BlockNotEmpty, IPAMError, MaxRetriesError
from .handles import decrement_handle
from .pools import block_cidr_for, enabled_pools, pool_for_ip, selects

__all__ = [
    "ensure_consistent_affinity",
    "release_by_handle",
    "release_host_affinities",
    "release_ips",
    "release_ips_collecting",
    "release_pool_affinities",
]

_log = logging.getLogger("calicopy.ipam")


def release_ips(core: Core, options: Sequence[ReleaseOptions]) -> tuple[list[IPAddress], list[ReleaseOptions]]:
    """``ReleaseIPs``: free the given addresses, block by block (one write per block).

    Returns the addresses that were not allocated and the options that were handled.  The
    first failure is raised after every block was tried.
    """
    unallocated, released, error = release_ips_collecting(core, options)
    if error is not None:
        raise error
    return unallocated, released


def release_ips_collecting(
    core: Core, options: Sequence[ReleaseOptions]
) -> tuple[list[IPAddress], list[ReleaseOptions], BaseException | None]:
    """:func:`release_ips` that returns its first failure with what it did (as Go's ``ReleaseIPs`` does)."""
    cleaned = []
    for opt in options:
        if not opt.address:
            raise IPAMError(f"No IP address specified in options: {opt}")
        cleaned.append(ReleaseOptions(opt.address, sanitize_handle(opt.handle), opt.sequence_number))
    pools = core.pools.list_pools()
    unallocated: list[IPAddress] = []
    by_block: dict[str, list[ReleaseOptions]] = {}
    cached_blocks: list[IPAMBlock] | None = None
    for opt in cleaned:
        try:
            ip = ipaddress.ip_address(opt.address)
        except ValueError:
            raise IPAMError(f"failed to parse IP: {opt.address}") from None
        pool = pool_for_ip(pools, ip)
        if pool is not None:
            cidr = str(block_cidr_for(ip, pool))
        else:
            if cached_blocks is None:
                cached_blocks = core.store.list_blocks()
            found = next((b.spec.cidr for b in cached_blocks if _contains(b.spec.cidr, ip)), None)
            if found is None:
                unallocated.append(ip)
                continue
            cidr = str(ipaddress.ip_network(found, strict=False))
        by_block.setdefault(cidr, []).append(opt)
    handles: dict[str, IPAMHandle] = {}
    if len(cleaned) > 2:
        # Many addresses: one list of the handles beats a read per address.
        handles = {sanitize_handle(h.spec.handle_id): h for h in core.store.list_handles()}
    error: BaseException | None = None
    released: list[ReleaseOptions] = []
    for cidr, opts in by_block.items():
        try:
            unallocated.extend(_release_from_block(core, ipaddress.ip_network(cidr), opts, handles))
            released.extend(opts)
        except (DatastoreError, IPAMError) as exc:
            _log.error("Error releasing IPs: %s", exc)
            error = error or exc
    return unallocated, released, error


def _contains(cidr: str, ip: IPAddress) -> bool:
    try:
        net = ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False
    return net.version == ip.version and ip in net


def _release_from_block(
    core: Core, cidr: IPNetwork, opts: list[ReleaseOptions], handles: dict[str, IPAMHandle]
) -> list[IPAddress]:
    store = core.store
    for _ in range(core.retries):
        try:
            stored = store.get_block(cidr)
        except ResourceNotFound:
            return [ipaddress.ip_address(o.address) for o in opts]
        block = Block(stored)
        unallocated, counts = block.release(opts)
        if len(unallocated) == len({o.address for o in opts}):
            return unallocated
        try:
            if block.empty() and block.spec.affinity is None:
                store.delete_block(block.resource)
            else:
                store.update_block(block.resource)
        except ResourceConflict:
            continue
        for handle_id, amount in counts.items():
            try:
                decrement_handle(core, handle_id, block.cidr, amount, handles.get(handle_id))
            except (DatastoreError, IPAMError) as exc:
                _log.warning("Failed to decrement handle %s: %s", handle_id, exc)
        _ensure_quietly(core, block)
        return unallocated
    raise MaxRetriesError()


def _ensure_quietly(core: Core, block: Block) -> None:
    try:
        ensure_consistent_affinity(core, block)
    except (DatastoreError, IPAMError) as exc:
        _log.warning("Error ensuring consistent affinity but IP already released: %s", exc)


def release_by_handle(core: Core, handle_id: str) -> None:
    """``ReleaseByHandle``: every address of ``handle_id``; ResourceNotFound if there is no such handle."""
    handle_id = sanitize_handle(handle_id)
    handle = core.store.get_handle(handle_id)
    for cidr in list(handle.spec.block or {}):
        _release_by_handle_from_block(core, ipaddress.ip_network(cidr, strict=False), handle_id)


def _release_by_handle_from_block(core: Core, cidr: IPNetwork, handle_id: str) -> None:
    store = core.store
    for _ in range(core.retries):
        try:
            stored = store.get_block(cidr)
        except ResourceNotFound:
            return  # the handle overcounted: nothing of it is left in this block
        block = Block(stored)
        num = block.release_by_handle(handle_id)
        if num == 0:
            return
        try:
            if block.empty() and block.spec.affinity is None:
                store.delete_block(block.resource)
            else:
                store.update_block(block.resource)
        except ResourceNotFound:
            pass
        except ResourceConflict:
            continue
        try:
            decrement_handle(core, handle_id, block.cidr, num)
        except (DatastoreError, IPAMError) as exc:
            _log.warning("Failed to decrement handle %s: %s", handle_id, exc)
        _ensure_quietly(core, block)
        return
    raise MaxRetriesError("Hit max retries")


def ensure_consistent_affinity(core: Core, block: Block) -> None:
    """``ensureConsistentAffinity``: an empty block whose pool no longer selects its host gives
    its affinity up."""
    owner = Affinity.of_block(block.spec.affinity)
    if owner is None or not owner.host:
        return
    try:
        node = core.store.backend.get("Node", owner.host)
    except ResourceNotFound:
        return
    pool = pool_for_ip(enabled_pools(core.pools.list_pools(), block.net.version), block.net.network_address)
    if pool is None or selects(pool.spec.node_selector, node.metadata.labels):
        return
    with contextlib.suppress(BlockClaimConflict, BlockNotEmpty, ResourceNotFound):
        release_block_affinity(core, owner, block.net, require_empty=True)


def release_pool_affinities(core: Core, pool_cidr: IPNetwork) -> None:
    """``ReleasePoolAffinities``: every block affinity inside the pool, across all hosts (IPPool delete)."""
    for _ in range(core.retries):
        pairs: dict[str, Affinity] = {}
        for aff in core.store.list_affinities():
            try:
                net = ipaddress.ip_network(aff.spec.cidr, strict=False)
            except ValueError:
                continue
            if net.version == pool_cidr.version and net.network_address in pool_cidr:
                pairs[str(net)] = Affinity(aff.spec.node, aff.spec.type or "host")
        if not pairs:
            return
        again = False
        for cidr, owner in pairs.items():
            again = _release_with_retries(core, owner, ipaddress.ip_network(cidr), again_on_conflict=True) or again
        if not again:
            return
    raise MaxRetriesError()


def _release_with_retries(
    core: Core, owner: Affinity, cidr: IPNetwork, *, require_empty: bool = False, again_on_conflict: bool = False
) -> bool:
    """One affinity released, retrying lost compare-and-swaps; True when the block turned out to
    belong to someone else and ``again_on_conflict`` asks the caller to look again."""
    for _ in range(core.retries):
        try:
            release_block_affinity(core, owner, cidr, require_empty=require_empty)
        except BlockClaimConflict:
            return again_on_conflict
        except (ResourceNotFound, BlockNotEmpty):
            return False
        except ResourceConflict:
            continue
        return False
    raise MaxRetriesError()


def release_host_affinities(core: Core, host: str, affinity_type: str = "host", must_be_empty: bool = False) -> None:
    """``ReleaseHostAffinities``: every block affine to ``host``; the first failure is raised at the end."""
    stored_error: BaseException | None = None
    for version in (4, 6):
        for aff in core.store.list_affinities(host, affinity_type, version):
            try:
                _release_with_retries(
                    core,
                    Affinity(host, affinity_type),
                    ipaddress.ip_network(aff.spec.cidr, strict=False),
                    require_empty=must_be_empty,
                )
            except (DatastoreError, IPAMError) as exc:
                stored_error = exc
    if stored_error is not None:
        raise stored_error


def release_blocks_of(core: Core, cidrs: Iterable[IPNetwork], host: str, must_be_empty: bool) -> None:
    """``ReleaseAffinity`` over already-computed block CIDRs of one host."""
    for cidr in cidrs:
        _release_with_retries(core, Affinity(host), cidr, require_empty=must_be_empty)
