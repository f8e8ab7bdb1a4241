"""IP pools as IPAM sees them (``libcalico-go/lib/ipam/pools.go``, clientv3's ``poolAccessor``,
the pool helpers of ``ipam_block.go`` and ``ipam_block_reader_writer.go``).

Pools are read with clientv3's read defaults (block size, node selector, allowed uses,
assignment mode), so IPAM sees them exactly as ``calicoctl get ippools`` does.
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Protocol

from ..backends.base import Backend
from ..resources.defaults import apply_read_defaults
from ..resources.generated.ippool import IPPool
from ..selector import parse_cached
from .block import IPAddress, IPNetwork

__all__ = [
    "BackendPools",
    "PoolSource",
    "block_cidr_for",
    "block_generator",
    "enabled_pools",
    "pool_for_ip",
    "pool_network",
    "random_block_generator",
    "selects",
]


class PoolSource(Protocol):
    """Where IPAM reads pools from (libcalico-go's ``PoolAccessorInterface``)."""

    def list_pools(self) -> list[IPPool]: ...


class BackendPools:
    """Pools straight from a backend, with clientv3's read defaults."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def list_pools(self) -> list[IPPool]:
        pools = []
        for pool in self._backend.list("IPPool").items:
            if isinstance(pool, IPPool):
                apply_read_defaults(pool)
                pools.append(pool)
        return pools


def pool_network(pool: IPPool) -> IPNetwork | None:
    try:
        return ipaddress.ip_network(pool.spec.cidr, strict=False)
    except ValueError:
        return None


def enabled_pools(pools: Sequence[IPPool], version: int) -> list[IPPool]:
    """``filterIPPool``: not being deleted, not disabled, not marked unallocatable, of ``version``."""
    out = []
    for pool in pools:
        if pool.metadata.deletion_timestamp or pool.spec.disabled:
            continue
        status = getattr(pool, "status", None)
        conditions = getattr(status, "conditions", None) or []
        if any(getattr(c, "type", "") == "Allocatable" and getattr(c, "status", "") == "False" for c in conditions):
            continue
        net = pool_network(pool)
        if net is not None and net.version == version:
            out.append(pool)
    return out


def pool_for_ip(pools: Sequence[IPPool], ip: IPAddress) -> IPPool | None:
    """``getPoolForIP``: the first of ``pools`` containing ``ip``."""
    for pool in pools:
        net = pool_network(pool)
        if net is not None and net.version == ip.version and ip in net:
            return pool
    return None


def block_cidr_for(ip: IPAddress, pool: IPPool) -> IPNetwork:
    """``getBlockCIDRForAddress``: the pool-sized block around ``ip``."""
    return ipaddress.ip_network(f"{ip}/{pool.spec.block_size}", strict=False)


def selects(selector: str, labels: Mapping[str, str]) -> bool:
    """``SelectsNode``/``SelectsNamespace``: an empty selector selects everything."""
    return not selector or parse_cached(selector).matches(labels)


def block_generator(pool: IPPool, cidr: IPNetwork) -> Iterator[IPNetwork]:
    """``blockGenerator``: the pool-sized blocks of ``cidr``, in address order."""
    if pool.spec.block_size <= cidr.prefixlen:
        yield ipaddress.ip_network(f"{cidr.network_address}/{pool.spec.block_size}", strict=False)
        return
    yield from cidr.subnets(new_prefix=pool.spec.block_size)


def _fnv32(text: str) -> int:
    """FNV-1 32-bit (Go's ``hash/fnv.New32``), the per-host seed of the block search."""
    value = 0x811C9DC5
    for byte in text.encode():
        value = (value * 0x01000193) & 0xFFFFFFFF
        value ^= byte
    return value


def random_block_generator(
    pool: IPPool, host: str, fresh_seed: Callable[[], int] = lambda: random.getrandbits(63)
) -> Iterator[IPNetwork]:
    """``randomBlockGenerator``: every block of the pool once, from a random start, wrapping around.

    As in libcalico-go the start is seeded from the host name (FNV-1 32), so one host keeps
    probing the same part of the pool and concurrent requests from one host tend to meet in
    the same block; single-address blocks use a fresh seed.  The generator is Python's, so
    the start differs from the one Go's ``math/rand`` picks for the same host.
    """
    net = pool_network(pool)
    if net is None:
        return
    size = pool.spec.block_size
    bits = 32 if net.version == 4 else 128
    count = 1 << max(size - net.prefixlen, 0)
    step = 1 << (bits - size)
    seed = fresh_seed() if size == bits else _fnv32(host)
    index = random.Random(seed).randrange(count)
    base = int(net.network_address)
    factory = ipaddress.IPv4Network if net.version == 4 else ipaddress.IPv6Network
    for _ in range(count):
        yield factory((base + index * step, size))
        index = 0 if index + 1 >= count else index + 1
