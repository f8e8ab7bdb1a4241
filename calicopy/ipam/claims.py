"""Block affinities: finding a block for a host, claiming it, confirming and releasing the claim
(``libcalico-go/lib/ipam/ipam_block_reader_writer.go`` and ``getBlockFromAffinity`` of ``ipam.go``).

A host's claim on a block is a BlockAffinity that goes ``pending`` -> ``confirmed`` once the
block carrying ``affinity: host:<name>`` exists; a release marks it ``pendingDeletion``, empties
or deletes the block, then deletes the affinity.  Each step is one compare-and-swap, so a crash
between steps leaves an affinity that the next reader repairs.
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..errors import ResourceAlreadyExists, ResourceNotFound
from ..kdd.names import block_name
from ..resources.generated.blockaffinity import BlockAffinity
from ..resources.generated.ipamblock import IPAMBlock
from ..resources.generated.ippool import IPPool
from .block import Block, HostReservedAttr, IPNetwork, block_resource
from .core import Core, IPAMConfig
from .errors import BlockClaimConflict, BlockNotEmpty, IPAMError, NoFreeBlocks, StaleAffinity
from .filters import AddressFilter
from .pools import random_block_generator

__all__ = [
    "EMPTY_BLOCK_MIN_RECLAIM_AGE",
    "Affinity",
    "block_from_affinity",
    "claim_affine_block",
    "find_usable_block",
    "pending_affinity",
    "release_block_affinity",
]

#: ``EmptyBlockMinReclaimAge``: an empty block claimed less than this long ago is not taken
#: from its host, so that two hosts do not hand one block back and forth.
EMPTY_BLOCK_MIN_RECLAIM_AGE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Affinity:
    """``AffinityConfig``: who claims blocks, ``host:<node>`` or ``virtual:<name>``."""

    host: str
    type: str = "host"

    def __str__(self) -> str:
        return f"{self.type}:{self.host}"

    @classmethod
    def of_block(cls, affinity: str | None) -> Affinity | None:
        """``getAffinityConfig``: parse a block's ``affinity``."""
        for kind in ("host", "virtual"):
            if affinity and affinity.startswith(kind + ":"):
                return cls(affinity[len(kind) + 1 :], kind)
        return None


def find_usable_block(
    core: Core, affinity: Affinity, pools: Sequence[IPPool], reservations: AddressFilter
) -> IPNetwork:
    """``findUsableBlock``: a block of ``pools`` that does not exist yet, or exists, is affine to
    ``affinity`` and has room; failing those, an empty block another host claimed long enough ago
    (its affinity is released first)."""
    if not pools:
        raise IPAMError(f"no configured Calico pools for {affinity.type}:{affinity.host}")
    existing: dict[str, tuple[Block, Affinity | None, int]] = {}
    for stored in core.store.list_blocks():
        block = Block(stored, copy=False)
        existing[block.cidr] = (block, Affinity.of_block(stored.spec.affinity), block.num_free(reservations))
    empty: list[Block] = []
    for pool in pools:
        for subnet in random_block_generator(pool, affinity.host, core.fresh_seed):
            if reservations.matches_whole(subnet):
                continue
            found = existing.get(str(subnet))
            if found is None:
                return subnet
            block, owner, free = found
            if owner == affinity and free:
                return subnet
            if free and block.empty():
                empty.append(block)
    now = core.now()
    for block in empty:
        claimed = _parse_time(block.spec.affinity_claim_time)
        if claimed is not None and now - claimed < EMPTY_BLOCK_MIN_RECLAIM_AGE:
            continue
        owner = Affinity.of_block(block.spec.affinity)
        if owner is None:
            continue
        try:
            release_block_affinity(
                core, owner, block.net, require_empty=True, required_sequence=block.spec.sequence_number
            )
        except (IPAMError, ResourceNotFound, ResourceAlreadyExists):
            continue
        except Exception:
            continue
        return block.net
    raise NoFreeBlocks("No Free Blocks")


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def pending_affinity(core: Core, affinity: Affinity, cidr: IPNetwork) -> BlockAffinity:
    """``getPendingAffinity``: create the affinity as ``pending``; an existing unconfirmed one
    is marked pending again, a confirmed one is returned as it is."""
    store = core.store
    try:
        return store.create_affinity(store.affinity_object(affinity.host, affinity.type, cidr, "pending"))
    except ResourceAlreadyExists:
        pass
    aff = store.get_affinity(affinity.host, affinity.type, cidr)
    if aff.spec.state != "confirmed":
        return store.update_affinity(aff, "pending")
    return aff


def claim_affine_block(
    core: Core, aff: BlockAffinity, affinity: Affinity, reserved: HostReservedAttr | None
) -> IPAMBlock:
    """``claimAffineBlock``: create the block with this affinity, then confirm the affinity.  If
    the block exists already it is ours (confirm) or someone else's (drop our pending claim and
    raise :class:`BlockClaimConflict`)."""
    cidr = ipaddress.ip_network(aff.spec.cidr, strict=False)
    store = core.store
    fresh = block_resource(
        cidr,
        name=block_name(str(cidr)),
        affinity=str(affinity),
        claim_time=core.claim_time(),
        sequence_number=core.new_sequence_number(),
        reserved=reserved,
    )
    try:
        created = store.create_block(fresh)
    except ResourceAlreadyExists:
        current = store.get_block(cidr)
        if current.spec.affinity == str(affinity):
            _confirm(core, aff, affinity)
            return current
        with contextlib.suppress(Exception):
            store.delete_affinity(aff)
        raise BlockClaimConflict(str(cidr), current.spec.affinity) from None
    _confirm(core, aff, affinity)
    return created


def _confirm(core: Core, aff: BlockAffinity, affinity: Affinity) -> BlockAffinity:
    """``confirmAffinity``; if our update loses, another process of this host may have confirmed it."""
    try:
        return core.store.update_affinity(aff, "confirmed")
    except Exception:
        try:
            current = core.store.get_affinity(affinity.host, affinity.type, ipaddress.ip_network(aff.spec.cidr))
        except Exception:
            current = None
        if current is not None and current.spec.state == "confirmed":
            return current
        raise


def release_block_affinity(
    core: Core,
    affinity: Affinity,
    cidr: IPNetwork,
    *,
    require_empty: bool = False,
    required_sequence: int | None = None,
) -> None:
    """``releaseBlockAffinity``: mark the affinity ``pendingDeletion``, delete the block if it is
    empty (else clear its affinity), then delete the affinity.

    Raises :class:`BlockClaimConflict` when the block belongs to another host (our stale affinity
    is deleted first), :class:`BlockNotEmpty` when ``require_empty`` and it is not, and
    :class:`~calicopy.errors.ResourceNotFound` when the affinity or the block does not exist.
    """
    if not affinity.host:
        raise IPAMError("Hostname must be specified to release block affinity")
    store = core.store
    aff = store.get_affinity(affinity.host, affinity.type, cidr)
    stored = store.get_block(cidr)
    block = Block(stored)
    if required_sequence is not None and required_sequence != block.spec.sequence_number:
        raise IPAMError("IPAM block updated since we last read it")
    if block.spec.affinity is not None and block.spec.affinity != str(affinity):
        with contextlib.suppress(Exception):
            store.delete_affinity(aff)
        raise BlockClaimConflict(block.cidr, block.spec.affinity)
    if require_empty and not block.empty():
        raise BlockNotEmpty(block.cidr)
    aff = store.update_affinity(aff, "pendingDeletion")
    if block.empty():
        with contextlib.suppress(ResourceNotFound):
            store.delete_block(block.resource)
    else:
        block.spec.affinity = None
        block.spec.affinity_claim_time = None
        store.update_block(block.resource)
    with contextlib.suppress(ResourceNotFound):
        store.delete_affinity(aff)


def block_from_affinity(
    core: Core, aff: BlockAffinity, affinity: Affinity, reserved: HostReservedAttr | None, config: IPAMConfig
) -> IPAMBlock:
    """``getBlockFromAffinity``: the block an affinity points at, created if missing; an affinity
    whose block belongs to someone else is deleted (:class:`StaleAffinity`); an unconfirmed one
    is confirmed after a write that invalidates concurrent users of the block."""
    del config  # libcalico-go reads it here only to pass it on; claiming needs none of it
    store = core.store
    cidr = ipaddress.ip_network(aff.spec.cidr, strict=False)
    try:
        stored = store.get_block(cidr)
    except ResourceNotFound:
        pending = store.update_affinity(aff, "pending")
        return claim_affine_block(core, pending, affinity, reserved)
    if stored.spec.affinity != str(affinity):
        store.delete_affinity(aff)
        raise StaleAffinity(f"Affinity is stale: {aff.metadata.name}")
    if aff.spec.state not in ("confirmed", ""):
        pending = store.update_affinity(aff, "pending")
        stored = store.update_block(stored.model_copy(deep=True))
        store.update_affinity(pending, "confirmed")
    return stored
