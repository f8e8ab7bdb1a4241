"""Reading IPAM state: utilisation per pool, block and node (``GetUtilization``), one address
(``GetAssignmentAttributes``) and borrowed addresses (``calicoctl ipam show --show-borrowed``).

Numbers are calicoctl's: a block's capacity is ``2^(bits-prefix)`` and its use is capacity
minus its free list, so Windows-reserved addresses count as used and addresses an
IPReservation keeps back count as free; a block belongs to the first pool (in list order)
that overlaps it.  Results are plain frozen dataclasses with a short ``repr``, an HTML
rendering for notebooks, ``to_dataframe()`` and, for utilisation, ``plot()``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import notebook
from ..resources.generated.ipamblock import IPAMBlock
from ..resources.generated.ippool import IPPool
from . import display
from .block import ATTR_NAMESPACE, ATTR_NODE, ATTR_POD, ATTR_TYPE, ATTR_VMI_NAME, Block, IPNetwork
from .claims import Affinity
from .pools import pool_network

__all__ = ["Allocation", "BlockUsage", "BorrowedIP", "BorrowedIPs", "NodeUsage", "PoolUsage", "Usage", "usage_of"]


def _percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


@dataclass(frozen=True, slots=True)
class BlockUsage:
    """One block: ``node`` is its affinity's host (None when it has no host affinity)."""

    cidr: str
    node: str | None
    capacity: int
    in_use: int
    affinity: str | None = None
    pool: str | None = None

    @property
    def free(self) -> int:
        return self.capacity - self.in_use

    @property
    def utilisation(self) -> float:
        """Percent of the block in use."""
        return _percent(self.in_use, self.capacity)

    def __repr__(self) -> str:
        return f"BlockUsage({self.cidr} node={self.node} {self.in_use}/{self.capacity})"


@dataclass(frozen=True, slots=True)
class PoolUsage:
    """One pool and its blocks (``capacity`` counts every address of the pool's CIDR)."""

    name: str
    cidr: str
    capacity: int
    in_use: int
    blocks: tuple[BlockUsage, ...] = ()
    disabled: bool = False

    @property
    def free(self) -> int:
        return self.capacity - self.in_use

    @property
    def utilisation(self) -> float:
        return _percent(self.in_use, self.capacity)

    def __repr__(self) -> str:
        return f"PoolUsage({self.name} {self.cidr} {self.in_use}/{self.capacity} in {len(self.blocks)} blocks)"


@dataclass(frozen=True, slots=True)
class NodeUsage:
    """The blocks affine to one node and how much of them is used."""

    name: str
    blocks: tuple[BlockUsage, ...]

    @property
    def capacity(self) -> int:
        return sum(b.capacity for b in self.blocks)

    @property
    def in_use(self) -> int:
        return sum(b.in_use for b in self.blocks)

    @property
    def free(self) -> int:
        return self.capacity - self.in_use

    def __repr__(self) -> str:
        return f"NodeUsage({self.name} {len(self.blocks)} blocks, {self.in_use}/{self.capacity})"


@dataclass(frozen=True, slots=True)
class Usage:
    """``client.ipam.usage()``: ``pools`` (in list order), ``nodes`` (by name) and ``orphans``
    (blocks outside every pool, both IP versions)."""

    pools: tuple[PoolUsage, ...]
    nodes: tuple[NodeUsage, ...]
    orphans: tuple[BlockUsage, ...] = ()

    @property
    def blocks(self) -> tuple[BlockUsage, ...]:
        """Every block: the pools' in pool order, then the orphans."""
        return tuple(b for p in self.pools for b in p.blocks) + self.orphans

    def pool(self, name_or_cidr: str) -> PoolUsage:
        for pool in self.pools:
            if name_or_cidr in (pool.name, pool.cidr):
                return pool
        raise KeyError(name_or_cidr)

    def __repr__(self) -> str:
        return (
            f"Usage({len(self.pools)} pools, {len(self.blocks)} blocks, {len(self.nodes)} nodes, "
            f"{sum(p.in_use for p in self.pools)} addresses in use)"
        )

    def _repr_html_(self) -> str:
        return display.usage_html(self)

    def to_dataframe(self, level: str = "pools") -> Any:
        """One row per pool (``level="pools"``), block (``"blocks"``) or node (``"nodes"``); needs pandas."""
        return notebook.usage_dataframe(self, level)

    def plot(self, kind: str = "pools", *, pool: str | None = None, ax: Any = None) -> Any:
        """A matplotlib chart: ``"pools"`` (use per pool), ``"nodes"`` (blocks per node) or
        ``"map"`` (a pool's blocks as cells coloured by use; ``pool`` names it)."""
        return notebook.plot_usage(self, kind, pool=pool, ax=ax)


def usage_of(pools: Sequence[IPPool], blocks: Iterable[IPAMBlock]) -> Usage:
    """``GetUtilization`` for every pool, plus the nodes and the orphan blocks."""
    nets: list[tuple[IPPool, IPNetwork | None]] = [(p, pool_network(p)) for p in pools]
    per_pool: list[list[BlockUsage]] = [[] for _ in nets]
    orphans: list[BlockUsage] = []
    for stored in blocks:
        spec = stored.spec
        try:
            net = ipaddress.ip_network(spec.cidr, strict=False)
        except ValueError:
            continue
        capacity = net.num_addresses
        owner = Affinity.of_block(spec.affinity)
        node = owner.host if owner is not None and owner.type == "host" else None
        in_use = capacity - len(spec.unallocated or ())
        for index, (pool, pool_net) in enumerate(nets):
            if pool_net is not None and pool_net.version == net.version and pool_net.overlaps(net):
                per_pool[index].append(BlockUsage(str(net), node, capacity, in_use, spec.affinity, pool.metadata.name))
                break
        else:
            orphans.append(BlockUsage(str(net), node, capacity, in_use, spec.affinity, None))
    pool_rows = []
    for (pool, pool_net), rows in zip(nets, per_pool, strict=True):
        capacity = pool_net.num_addresses if pool_net is not None else 0
        pool_rows.append(
            PoolUsage(
                pool.metadata.name,
                str(pool_net) if pool_net is not None else pool.spec.cidr,
                capacity,
                sum(b.in_use for b in rows),
                tuple(rows),
                pool.spec.disabled,
            )
        )
    by_node: dict[str, list[BlockUsage]] = {}
    for pool_usage in pool_rows:
        for b in pool_usage.blocks:
            if b.node is not None:
                by_node.setdefault(b.node, []).append(b)
    for b in orphans:
        if b.node is not None:
            by_node.setdefault(b.node, []).append(b)
    nodes = tuple(NodeUsage(name, tuple(by_node[name])) for name in sorted(by_node))
    return Usage(tuple(pool_rows), nodes, tuple(orphans))


@dataclass(frozen=True, slots=True)
class Allocation:
    """``client.ipam.lookup(ip)``: who holds one address (``calicoctl ipam show --ip``)."""

    ip: str
    handle_id: str | None
    attributes: dict[str, str]
    block: str
    node: str | None
    alternate_attributes: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Allocation({self.ip} handle={self.handle_id} node={self.node})"

    def _repr_html_(self) -> str:
        return display.allocation_html(self)


@dataclass(frozen=True, slots=True)
class BorrowedIP:
    """An address a node took from a block affine to another node (or to none)."""

    ip: str
    borrowing_node: str
    block: str
    block_owner: str
    allocation_type: str = ""
    allocated_to: str = ""


class BorrowedIPs(list[BorrowedIP]):
    """``client.ipam.borrowed()``: the borrowed addresses; ``unclassified`` counts allocations
    without a node attribute, which cannot be classified."""

    def __init__(self, items: Iterable[BorrowedIP] = (), unclassified: int = 0) -> None:
        super().__init__(items)
        self.unclassified = unclassified

    def __repr__(self) -> str:
        return f"BorrowedIPs({len(self)} borrowed, {self.unclassified} unclassified)"

    def _repr_html_(self) -> str:
        return display.borrowed_html(self)

    def to_dataframe(self) -> Any:
        return notebook.records_dataframe(
            [
                {
                    "ip": b.ip,
                    "borrowing_node": b.borrowing_node,
                    "block": b.block,
                    "block_owner": b.block_owner,
                    "allocation_type": b.allocation_type,
                    "allocated_to": b.allocated_to,
                }
                for b in self
            ],
            ["ip", "borrowing_node", "block", "block_owner", "allocation_type", "allocated_to"],
        )


def borrowed_of(blocks: Iterable[IPAMBlock]) -> BorrowedIPs:
    """``getBorrowedIPs`` of calicoctl's ``show.go``."""
    out: list[BorrowedIP] = []
    unclassified = 0
    for stored in blocks:
        block = Block(stored, copy=False)
        affinity = stored.spec.affinity
        owner = ""
        if affinity is not None:
            parts = affinity.split(":")
            owner = parts[1] if len(parts) == 2 else parts[0]
        attributes = block.attributes
        for ordinal, index in enumerate(block.allocations):
            if index is None or index >= len(attributes):
                continue
            attrs = attributes[index].secondary
            borrowing = attrs.get(ATTR_NODE)
            if borrowing is None:
                unclassified += 1
                continue
            if borrowing == owner:
                continue
            namespace = attrs.get(ATTR_NAMESPACE, "")
            if ATTR_VMI_NAME in attrs:
                kind, to = "vmi", f"{namespace}/{attrs[ATTR_VMI_NAME]}"
            elif ATTR_POD in attrs:
                kind, to = "pod", f"{namespace}/{attrs[ATTR_POD]}"
            else:
                kind, to = attrs.get(ATTR_TYPE, ""), ""
            out.append(BorrowedIP(str(block.ordinal_to_ip(ordinal)), borrowing, block.cidr, owner, kind, to))
    return BorrowedIPs(out, unclassified)
