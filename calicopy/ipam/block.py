"""One allocation block, pure (``libcalico-go/lib/ipam/ipam_block.go``, ``backend/model/block.go``).

A block is an :class:`~calicopy.resources.generated.ipamblock.IPAMBlock` whose spec holds, per
ordinal (``IP = block network + ordinal``), the index of its attribute or None
(``allocations``), the free ordinals in hand-out order (``unallocated``: new blocks count up,
released ordinals go to the back), the attributes (handle and owner attributes) and sequence
numbers.  :class:`Block` changes a private copy; the caller writes it back with a
compare-and-swap.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..errors import ResourceAlreadyExists, ResourceConflict, ResourceNotFound
from ..resources.generated.ipamblock import AllocationAttribute, IPAMBlock, IPAMBlockSpec
from ..resources.meta import ObjectMeta
from .filters import AddressFilter

__all__ = [
    "ATTR_NAMESPACE",
    "ATTR_NODE",
    "ATTR_POD",
    "ATTR_TIMESTAMP",
    "ATTR_TYPE",
    "ATTR_VMI_NAME",
    "WINDOWS_RESERVED_HANDLE",
    "Block",
    "HostReservedAttr",
    "IPAddress",
    "IPNetwork",
    "ReleaseOptions",
    "block_resource",
    "sanitize_handle",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Owner attribute keys (``model.IPAMBlockAttribute*``).
ATTR_POD = "pod"
ATTR_NAMESPACE = "namespace"
ATTR_NODE = "node"
ATTR_TYPE = "type"
ATTR_TIMESTAMP = "timestamp"
ATTR_VMI_NAME = "vmi-name"
#: Addresses Windows networking needs, pre-allocated in blocks a Windows node claims.
WINDOWS_RESERVED_HANDLE = "windows-reserved-ipam-handle"


@dataclass(frozen=True, slots=True)
class HostReservedAttr:
    """Addresses a host keeps out of every block it claims (``HostReservedAttr``: Windows' x.0-x.2 and broadcast)."""

    start_of_block: int
    end_of_block: int
    handle: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class ReleaseOptions:
    """One address to release; ``handle``/``sequence_number``, when given, must match the allocation."""

    address: str
    handle: str = ""
    sequence_number: int | None = None


def sanitize_handle(handle_id: str) -> str:
    """``sanitizeHandle``: host-local migration once wrote handles with a trailing ``\\r...``."""
    return handle_id.split("\r", 1)[0]


def block_resource(
    cidr: IPNetwork,
    *,
    name: str,
    affinity: str | None,
    claim_time: str | None,
    sequence_number: int,
    reserved: HostReservedAttr | None = None,
) -> IPAMBlock:
    """``newBlock``: every ordinal free (less the host's reserved ones), stamped with ``sequence_number``."""
    size = cidr.num_addresses
    allocations: list[int | None] = [None] * size
    unallocated = list(range(size))
    attributes: list[AllocationAttribute] = []
    if reserved is not None:
        unallocated = unallocated[reserved.start_of_block : size - reserved.end_of_block]
        for ordinal in [*range(reserved.start_of_block), *range(size - reserved.end_of_block, size)]:
            allocations[ordinal] = 0
        attributes.append(AllocationAttribute(handle_id=reserved.handle, secondary={"note": reserved.note}))
    spec = IPAMBlockSpec(
        cidr=str(cidr),
        affinity=affinity,
        affinity_claim_time=claim_time,
        allocations=allocations,
        unallocated=unallocated,
        attributes=attributes,
        sequence_number=sequence_number,
        sequence_number_for_allocation={},
    )
    return IPAMBlock(metadata=ObjectMeta(name=name), spec=spec)


class Block:
    """A private, mutable copy of one stored block and libcalico-go's operations on it."""

    __slots__ = ("_base", "net", "resource", "spec")

    def __init__(self, resource: IPAMBlock, *, copy: bool = True) -> None:
        self.resource = resource.model_copy(deep=True) if copy else resource
        self.spec = self.resource.spec
        self.net: IPNetwork = ipaddress.ip_network(self.spec.cidr, strict=False)
        self._base = int(self.net.network_address)
        if self.spec.allocations is None:
            self.spec.allocations = [None] * self.net.num_addresses
        if self.spec.unallocated is None:
            self.spec.unallocated = []
        if self.spec.attributes is None:
            self.spec.attributes = []

    # -- addresses ----------------------------------------------------------------------------

    @property
    def cidr(self) -> str:
        return str(self.net)

    @property
    def size(self) -> int:
        return self.net.num_addresses

    def ordinal_to_ip(self, ordinal: int) -> IPAddress:
        return (
            ipaddress.ip_address(self._base + ordinal)
            if self.net.version == 4
            else ipaddress.IPv6Address(self._base + ordinal)
        )

    def ip_to_ordinal(self, ip: IPAddress) -> int:
        ordinal = int(ip) - self._base
        if ip.version != self.net.version or not 0 <= ordinal < self.size:
            raise ValueError(f"IP {ip} not in block {self.cidr}")
        return ordinal

    @property
    def allocations(self) -> list[int | None]:
        assert self.spec.allocations is not None
        return self.spec.allocations

    @property
    def unallocated(self) -> list[int]:
        assert self.spec.unallocated is not None
        return self.spec.unallocated

    @property
    def attributes(self) -> list[AllocationAttribute]:
        assert self.spec.attributes is not None
        return self.spec.attributes

    # -- state --------------------------------------------------------------------------------

    def host(self) -> str:
        """``AllocationBlock.Host``: the affinity's host, for ``host:`` and ``virtual:`` affinities."""
        affinity = self.spec.affinity or ""
        for prefix in ("host:", "virtual:"):
            if affinity.startswith(prefix):
                return affinity[len(prefix) :]
        return ""

    def empty(self) -> bool:
        """No allocation other than Windows-reserved ones (``containsOnlyReservedIPs``)."""
        for index in self.allocations:
            if index is None:
                continue
            handle = self.attributes[index].handle_id
            if handle is None or handle.lower() != WINDOWS_RESERVED_HANDLE:
                return False
        return True

    def in_use_ips(self) -> list[str]:
        return [str(self.ordinal_to_ip(o)) for o, index in enumerate(self.allocations) if index is not None]

    def num_free(self, reservations: AddressFilter) -> int:
        """``NumFreeAddresses``: free ordinals not covered by an IPReservation."""
        if reservations.matches_whole(self.net):
            return 0
        if reservations.matches_some(self.net):
            return sum(1 for o in self.unallocated if not reservations.matches_ip(self.ordinal_to_ip(o)))
        return len(self.unallocated)

    def sequence_number_for(self, ordinal: int) -> int:
        return (self.spec.sequence_number_for_allocation or {}).get(str(ordinal), 0)

    def _stamp(self, ordinal: int) -> None:
        if self.spec.sequence_number_for_allocation is None:
            self.spec.sequence_number_for_allocation = {}
        self.spec.sequence_number_for_allocation[str(ordinal)] = self.spec.sequence_number

    # -- assignment ---------------------------------------------------------------------------

    def _check_affinity(self, affinity_check: bool, affinity: str) -> None:
        if affinity_check and self.spec.affinity is not None and self.spec.affinity != affinity:
            raise ValueError(f"Block affinity ({self.spec.affinity}) does not match provided ({affinity})")
        if affinity_check and self.spec.affinity is None:
            raise ValueError(f"Attempt to assign from block {self.cidr} with no affinity")

    def find_or_add_attribute(self, handle_id: str | None, attrs: Mapping[str, str]) -> int:
        for index, existing in enumerate(self.attributes):
            if existing.handle_id == handle_id and existing.secondary == attrs and not existing.alternate_owner_attrs:
                return index
        self.attributes.append(AllocationAttribute(handle_id=handle_id, secondary=dict(attrs)))
        return len(self.attributes) - 1

    def auto_assign(
        self,
        num: int,
        handle_id: str | None,
        affinity: str,
        attrs: Mapping[str, str],
        affinity_check: bool,
        reservations: AddressFilter,
    ) -> list[IPAddress]:
        """``allocationBlock.autoAssign``: the first ``num`` free, unreserved ordinals, in order.

        All addresses of one call share one attribute entry.
        """
        self._check_affinity(affinity_check, affinity)
        ips: list[IPAddress] = []
        kept: list[int] = []
        attr_index: int | None = None
        free = self.unallocated
        for position, ordinal in enumerate(free):
            if len(ips) >= num:
                kept.extend(free[position:])
                break
            address = self.ordinal_to_ip(ordinal)
            if reservations.matches_ip(address):
                kept.append(ordinal)
                continue
            if attr_index is None:
                attr_index = self.find_or_add_attribute(handle_id, attrs)
            self.allocations[ordinal] = attr_index
            ips.append(address)
            self._stamp(ordinal)
        self.spec.unallocated = kept
        return ips

    def assign(
        self, ip: IPAddress, handle_id: str | None, attrs: Mapping[str, str], affinity: str, affinity_check: bool
    ) -> None:
        """``allocationBlock.assign``: one given address; ResourceAlreadyExists if it is taken."""
        if affinity_check and self.spec.affinity is not None and self.spec.affinity != affinity:
            raise ValueError("Block host affinity does not match")
        if affinity_check and self.spec.affinity is None:
            raise ValueError(f"Attempt to assign from block {self.cidr} with no affinity")
        ordinal = self.ip_to_ordinal(ip)
        self._stamp(ordinal)
        if self.allocations[ordinal] is not None:
            raise ResourceAlreadyExists(identifier=str(ip), cause="Address already assigned in block")
        self.allocations[ordinal] = self.find_or_add_attribute(handle_id, attrs)
        self.unallocated.remove(ordinal)

    # -- release ------------------------------------------------------------------------------

    def release(self, options: Iterable[ReleaseOptions]) -> tuple[list[IPAddress], dict[str, int]]:
        """``allocationBlock.release``: free the given addresses; returns those that were not
        allocated and, per handle, how many addresses were released.

        A handle or sequence number that does not match fails the whole request with
        :class:`~calicopy.errors.ResourceConflict` (the caller's view is out of date).  Unlike
        v3.32.1, which counts one per handle and block however many of its addresses go (its
        handles then overcount until they are released by handle), each address is counted.
        """
        unique = {opt.address: opt for opt in options}
        unallocated: list[IPAddress] = []
        counts: dict[str, int] = {}
        ordinals: list[int] = []
        released_refs: dict[int, int] = {}
        for text, opt in unique.items():
            ip = ipaddress.ip_address(text)
            ordinal = self.ip_to_ordinal(ip)
            if opt.sequence_number is not None and opt.sequence_number != self.sequence_number_for(ordinal):
                raise ResourceConflict(
                    identifier=text,
                    cause=f"requested sequence number {opt.sequence_number}, expected {self.sequence_number_for(ordinal)}",
                )
            index = self.allocations[ordinal]
            if index is None:
                unallocated.append(ip)
                continue
            ordinals.append(ordinal)
            stored = self.attributes[index].handle_id
            handle = sanitize_handle(stored) if stored is not None else ""
            if opt.handle and handle != opt.handle:
                raise ResourceConflict(identifier=text, cause=f"requested handle {opt.handle}, expected {handle}")
            released_refs[index] = released_refs.get(index, 0) + 1
            if handle:
                counts[handle] = counts.get(handle, 0) + 1
        ref_counts = self._attribute_ref_counts()
        unused = [index for index, refs in released_refs.items() if ref_counts.get(index) == refs]
        if unused:
            self._delete_attributes(unused)
        seqs = self.spec.sequence_number_for_allocation
        for ordinal in ordinals:
            self.allocations[ordinal] = None
            self.unallocated.append(ordinal)
            if seqs is not None:
                seqs.pop(str(ordinal), None)
        return unallocated, counts

    def release_by_handle(self, handle_id: str, sequence_number: int | None = None) -> int:
        """``allocationBlock.releaseByHandle``: free every address of ``handle_id``; how many."""
        indexes = self._attribute_indexes(handle_id)
        if not indexes:
            return 0
        wanted = set(indexes)
        ordinals = [
            o
            for o, index in enumerate(self.allocations)
            if index in wanted and (sequence_number is None or sequence_number == self.sequence_number_for(o))
        ]
        self._delete_attributes(indexes)
        for ordinal in ordinals:
            self.allocations[ordinal] = None
            self.unallocated.append(ordinal)
        return len(ordinals)

    def ips_by_handle(self, handle_id: str) -> list[IPAddress]:
        wanted = set(self._attribute_indexes(handle_id))
        return [self.ordinal_to_ip(o) for o, index in enumerate(self.allocations) if index in wanted]

    def attribute_for(self, ip: IPAddress) -> AllocationAttribute:
        """``allocationAttributesForIP`` (handle sanitised); ResourceNotFound when the address is free."""
        index = self.allocations[self.ip_to_ordinal(ip)]
        if index is None:
            raise ResourceNotFound(identifier=str(ip), cause="IP is unassigned")
        attr = self.attributes[index]
        handle = sanitize_handle(attr.handle_id) if attr.handle_id is not None else None
        return AllocationAttribute(
            handle_id=handle, secondary=dict(attr.secondary), alternate_owner_attrs=dict(attr.alternate_owner_attrs)
        )

    def _attribute_indexes(self, handle_id: str) -> list[int]:
        return [
            i
            for i, attr in enumerate(self.attributes)
            if attr.handle_id is not None and sanitize_handle(attr.handle_id) == handle_id
        ]

    def _attribute_ref_counts(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for index in self.allocations:
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        return counts

    def _delete_attributes(self, delete: Iterable[int]) -> None:
        gone = set(delete)
        renumber: dict[int, int] = {}
        kept: list[AllocationAttribute] = []
        for old, attr in enumerate(self.attributes):
            if old not in gone:
                renumber[old] = len(kept)
                kept.append(attr)
        self.spec.attributes = kept
        allocations = self.allocations
        for ordinal, index in enumerate(allocations):
            if index is not None:
                allocations[ordinal] = renumber.get(index)
