"""The invariants IPAM keeps in the datastore whatever fails half-way, checked from one snapshot.

* every live block is well formed: one allocation slot per address; the free list holds
  exactly the unallocated ordinals, once each; every allocation points at an attribute;
* blocks do not overlap, so no address is allocated twice;
* every allocation with a handle is counted by that handle: the handle exists and its count
  for the block is at least the block's number of addresses with that handle (assignment
  counts the handle before writing the block and release after, so a failure in between can
  only leave a handle that overcounts, which ``ipam check`` then reports);
* a block with a host affinity has that host's BlockAffinity object.

:func:`violations` returns the broken ones as sentences; an empty list means consistent.
"""

from __future__ import annotations

import ipaddress
import itertools
from collections import Counter

from ..backends.base import Backend
from ..resources.generated.blockaffinity import BlockAffinity
from ..resources.generated.ipamblock import IPAMBlock
from ..resources.generated.ipamhandle import IPAMHandle
from .block import sanitize_handle

__all__ = ["violations"]


def violations(backend: Backend, *, exact_handles: bool = False) -> list[str]:
    """The invariants (module docstring) ``backend``'s IPAM objects break; ``exact_handles``
    also demands that no handle overcounts (true after a run without failures)."""
    problems: list[str] = []
    blocks = [b for b in backend.list("IPAMBlock").items if isinstance(b, IPAMBlock) and not b.spec.deleted]
    handles = {
        h.spec.handle_id: h
        for h in backend.list("IPAMHandle").items
        if isinstance(h, IPAMHandle) and not h.spec.deleted
    }
    affinities = {
        (a.spec.node, str(ipaddress.ip_network(a.spec.cidr, strict=False)))
        for a in backend.list("BlockAffinity").items
        if isinstance(a, BlockAffinity) and not a.spec.deleted
    }
    nets = []
    counted: Counter[tuple[str, str]] = Counter()
    for block in blocks:
        net = ipaddress.ip_network(block.spec.cidr, strict=False)
        nets.append(net)
        problems += _block_problems(block, net)
        attrs = block.spec.attributes or []
        for index in block.spec.allocations or []:
            if index is not None and index < len(attrs) and attrs[index].handle_id is not None:
                counted[(sanitize_handle(attrs[index].handle_id or ""), str(net))] += 1
        affinity = block.spec.affinity or ""
        if affinity.startswith("host:") and (affinity[5:], str(net)) not in affinities:
            problems.append(f"block {net} is affine to {affinity[5:]} but that host has no BlockAffinity for it")
    nets.sort(key=lambda n: (n.version, int(n.network_address)))
    for a, b in itertools.pairwise(nets):
        if a.version == b.version and a.overlaps(b):
            problems.append(f"blocks {a} and {b} overlap")
    for (handle_id, cidr), count in sorted(counted.items()):
        if handle_id == "windows-reserved-ipam-handle":
            continue
        handle = handles.get(handle_id)
        held = (handle.spec.block or {}).get(cidr, 0) if handle is not None else 0
        if held < count or (exact_handles and held != count):
            problems.append(f"handle {handle_id} counts {held} addresses in {cidr} but the block holds {count}")
    if exact_handles:
        for handle_id, handle in sorted(handles.items()):
            for cidr, held in sorted((handle.spec.block or {}).items()):
                if counted.get((handle_id, cidr), 0) == 0:
                    problems.append(f"handle {handle_id} counts {held} addresses in {cidr} but the block holds 0")
    return problems


def _block_problems(block: IPAMBlock, net: ipaddress.IPv4Network | ipaddress.IPv6Network) -> list[str]:
    spec = block.spec
    allocations = spec.allocations or []
    problems = []
    if len(allocations) != net.num_addresses:
        problems.append(f"block {net} has {len(allocations)} allocation slots for {net.num_addresses} addresses")
    free = spec.unallocated or []
    if len(set(free)) != len(free):
        problems.append(f"block {net} lists a free ordinal twice")
    expected = {o for o, index in enumerate(allocations) if index is None}
    if set(free) != expected:
        problems.append(f"block {net}: free list and allocations disagree on {sorted(set(free) ^ expected)[:5]}")
    attrs = spec.attributes or []
    if any(index is not None and not 0 <= index < len(attrs) for index in allocations):
        problems.append(f"block {net} has an allocation without an attribute")
    return problems
