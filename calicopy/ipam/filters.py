"""Addresses IPAM must not hand out: IPReservations' CIDRs (``libcalico-go/lib/ipam/addr_filter.go``)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

__all__ = ["AddressFilter"]

_Net = ipaddress.IPv4Network | ipaddress.IPv6Network
_Addr = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressFilter:
    """A set of reserved CIDRs; empty means nothing is reserved (``nilAddrFilter``)."""

    __slots__ = ("_nets",)

    def __init__(self, cidrs: Iterable[_Net] = ()) -> None:
        self._nets: tuple[_Net, ...] = tuple(cidrs)

    def __bool__(self) -> bool:
        return bool(self._nets)

    def matches_ip(self, ip: _Addr) -> bool:
        return any(ip.version == n.version and ip in n for n in self._nets)

    def matches_some(self, cidr: _Net) -> bool:
        return any(n.version == cidr.version and n.overlaps(cidr) for n in self._nets)

    def matches_whole(self, cidr: _Net) -> bool:
        """``MatchesWholeCIDR``: one reservation covers ``cidr``, or the ones inside it add up to it."""
        inside: list[_Net] = []
        for net in self._nets:
            if net.version != cidr.version:
                continue
            if cidr.subnet_of(net):  # type: ignore[arg-type]
                return True
            if net.network_address in cidr:
                inside.append(net)
        if not inside:
            return False
        # Drop reservations nested in larger ones so that no address is counted twice.
        inside.sort(key=lambda n: n.num_addresses)
        distinct = [n for i, n in enumerate(inside) if not any(n.network_address in big for big in inside[i + 1 :])]
        return sum(n.num_addresses for n in distinct) == cidr.num_addresses
