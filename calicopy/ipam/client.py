"""``client.ipam``: Calico IPAM as a Python API (libcalico-go's ``ipam.Interface`` plus what
``calicoctl ipam`` does with it).  See ``docs/ipam.md``.
"""

from __future__ import annotations

import ipaddress
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..backends.base import Backend
from ..errors import DatastoreError, ResourceNotFound
from ..resources.generated.ipamblock import IPAMBlock
from ..resources.generated.ippool import IPPool
from . import admin, assign, release
from .block import Block, HostReservedAttr, IPAddress, ReleaseOptions
from .check import CheckReport, run_check
from .core import Core, IPAMConfig
from .errors import InvalidIPAddress, IPAMError
from .invariants import violations
from .pools import BackendPools, PoolSource, block_cidr_for, enabled_pools, pool_for_ip
from .store import IPAMStore
from .usage import Allocation, BorrowedIPs, Usage, borrowed_of, usage_of

__all__ = ["IPAM", "AssignResult"]


@dataclass(frozen=True, slots=True)
class AssignResult:
    """``AutoAssign``'s two answers: the IPv4 and the IPv6 assignments (None when not asked for)."""

    v4: assign.Assignments | None
    v6: assign.Assignments | None

    @property
    def ips(self) -> list[ipaddress.IPv4Interface | ipaddress.IPv6Interface]:
        return [*(self.v4.ips if self.v4 else ()), *(self.v6.ips if self.v6 else ())]

    def raise_for_partial(self) -> None:
        """Raise when either version got fewer addresses than asked for."""
        for part in (self.v4, self.v6):
            error = part.partial_error() if part is not None else None
            if error is not None:
                raise error


def _ip(value: str | IPAddress) -> IPAddress:
    if isinstance(value, ipaddress.IPv4Address | ipaddress.IPv6Address):
        return value
    try:
        return ipaddress.ip_address(str(value).strip())
    except ValueError:
        raise InvalidIPAddress(str(value)) from None


class IPAM:
    """IPAM on one datastore (``backend``), as libcalico-go's IPAM client: it reads and writes
    blocks, affinities and handles directly, each write a compare-and-swap.

    ``pools`` is where pools are read (default: the backend, with clientv3's read defaults);
    ``pool_writer`` the clientv3 pool writes :meth:`split` needs (the Client passes one).
    ``now``, ``rng`` and ``sleep`` make time, block choice and waits reproducible in tests and
    the simulator.  ``version`` is the calicoctl version check reports carry.
    """

    def __init__(
        self,
        backend: Backend,
        *,
        pools: PoolSource | None = None,
        pool_writer: admin.PoolWriter | None = None,
        version: str = "v3.32.1",
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        rng: random.Random | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.backend = backend
        self.version = version
        self._pool_writer = pool_writer
        self.core = Core(IPAMStore(backend), pools or BackendPools(backend), now=now, rng=rng, sleep=sleep)

    def __repr__(self) -> str:
        return f"IPAM({self.backend!r})"

    # -- reading --------------------------------------------------------------------------------

    def usage(self, pools: Sequence[str] = ()) -> Usage:
        """Utilisation per pool and block (``calicoctl ipam show [--show-blocks]``), per node, and
        the blocks outside every pool.  ``pools`` (names or CIDRs) narrows it down.

        One list of pools and one of blocks, read concurrently; no per-block request.
        """
        listed: list[IPPool] = []
        failure: list[BaseException] = []

        def read_pools() -> None:
            try:
                listed.extend(self.core.pools.list_pools())
            except BaseException as exc:
                failure.append(exc)

        reader = threading.Thread(target=read_pools, name="ipam-usage-pools")
        reader.start()
        try:
            blocks: list[IPAMBlock] = self.core.store.list_blocks()
        finally:
            reader.join()
        if failure:
            raise failure[0]
        if pools:
            wanted = set(pools)
            chosen = [p for p in listed if p.metadata.name in wanted or p.spec.cidr in wanted]
            return usage_of(chosen, blocks)
        return usage_of(listed, blocks)

    def lookup(self, ip: str | IPAddress) -> Allocation | None:
        """Who holds ``ip`` (``calicoctl ipam show --ip``); None when it is not assigned."""
        address = _ip(ip)
        pool = pool_for_ip(enabled_pools(self.core.pools.list_pools(), address.version), address)
        if pool is None:
            return None
        cidr = block_cidr_for(address, pool)
        try:
            block = self.core.store.get_block(cidr)
        except ResourceNotFound:
            return None
        try:
            attr = Block(block, copy=False).attribute_for(address)
        except ResourceNotFound:
            return None
        affinity = block.spec.affinity or ""
        node = attr.secondary.get("node") or (affinity.split(":", 1)[1] if ":" in affinity else None)
        return Allocation(
            str(address), attr.handle_id, dict(attr.secondary), str(cidr), node, dict(attr.alternate_owner_attrs)
        )

    def borrowed(self) -> BorrowedIPs:
        """Addresses taken from blocks affine to another node (``--show-borrowed``)."""
        return borrowed_of(self.core.store.list_blocks())

    def config(self) -> IPAMConfig:
        """The IPAM configuration (``--show-configuration``); created with the defaults when missing, as v3.32.1 does."""
        return self.core.get_config()

    def configure(
        self,
        *,
        strict_affinity: bool | None = None,
        max_blocks_per_host: int | None = None,
        kube_virt_vm_address_persistence: str | None = None,
    ) -> IPAMConfig:
        """``calicoctl ipam configure``: at least one setting; returns the configuration written."""
        if strict_affinity is None and max_blocks_per_host is None and kube_virt_vm_address_persistence is None:
            raise IPAMError("at least one configuration option must be specified")
        return self.core.configure(
            strict_affinity=strict_affinity,
            max_blocks_per_host=max_blocks_per_host,
            kube_virt_vm_address_persistence=kube_virt_vm_address_persistence,
        )

    def check(
        self, *, services: Iterable[Mapping[str, Any]] | None = None, report: CheckReport | None = None
    ) -> CheckReport:
        """``calicoctl ipam check``.  Kubernetes Services are not part of calicopy's datastores:
        pass them (dicts, e.g. from the ``kubernetes`` client) to count LoadBalancer addresses.
        ``report`` is filled in place when given (``report.stage``: where a failed check stopped)."""
        return run_check(self.core, self.version, services, report=report)

    def verify(self, *, exact_handles: bool = False) -> list[str]:
        """The IPAM invariants this datastore breaks (:mod:`calicopy.ipam.invariants`); empty when consistent."""
        return violations(self.backend, exact_handles=exact_handles)

    def ips_by_handle(self, handle_id: str) -> list[IPAddress]:
        """``IPsByHandle``: every address of a handle (ResourceNotFound when there is no such handle)."""
        handle = self.core.store.get_handle(handle_id)
        out: list[IPAddress] = []
        for cidr in handle.spec.block or {}:
            try:
                block = self.core.store.get_block(ipaddress.ip_network(cidr, strict=False))
            except DatastoreError:
                continue
            out += Block(block, copy=False).ips_by_handle(handle_id)
        return out

    # -- assigning --------------------------------------------------------------------------------

    def assign(
        self,
        num4: int = 0,
        num6: int = 0,
        *,
        handle_id: str | None = None,
        attrs: Mapping[str, str] | None = None,
        host: str = "",
        ipv4_pools: Sequence[str] = (),
        ipv6_pools: Sequence[str] = (),
        max_blocks_per_host: int = 0,
        intended_use: str = "Workload",
        namespace_labels: Mapping[str, str] | None = None,
        reserved_v4: HostReservedAttr | None = None,
        reserved_v6: HostReservedAttr | None = None,
    ) -> AssignResult:
        """``AutoAssign``: ``num4`` IPv4 and ``num6`` IPv6 addresses for ``host`` (default: this machine).

        Fewer than asked is not an error (see :meth:`AssignResult.raise_for_partial`); no usable
        pool, or the per-host block limit, is.
        """
        hostname = assign.decide_hostname(host)
        nets4 = [ipaddress.ip_network(p, strict=False) for p in ipv4_pools]
        nets6 = [ipaddress.ip_network(p, strict=False) for p in ipv6_pools]
        if any(n.version != 4 for n in nets4):
            raise IPAMError("provided IPv4 IPPools list contains one or more IPv6 IPPools")
        if any(n.version != 6 for n in nets6):
            raise IPAMError("provided IPv6 IPPools list contains one or more IPv4 IPPools")
        common: dict[str, Any] = {
            "handle_id": handle_id,
            "attrs": dict(attrs or {}),
            "host": hostname,
            "max_blocks_per_host": max_blocks_per_host,
            "intended_use": intended_use,
            "namespace_labels": namespace_labels,
        }
        v4 = (
            assign.auto_assign(self.core, num=num4, version=4, pools=nets4, reserved=reserved_v4, **common)
            if num4
            else None
        )
        v6 = (
            assign.auto_assign(self.core, num=num6, version=6, pools=nets6, reserved=reserved_v6, **common)
            if num6
            else None
        )
        return AssignResult(v4, v6)

    def assign_ip(
        self,
        ip: str | IPAddress,
        *,
        handle_id: str | None = None,
        attrs: Mapping[str, str] | None = None,
        host: str = "",
        intended_use: str = "Workload",
    ) -> None:
        """``AssignIP``: this address (ResourceAlreadyExists when it is taken)."""
        assign.assign_ip(
            self.core,
            _ip(ip),
            handle_id=handle_id,
            attrs=dict(attrs or {}),
            host=assign.decide_hostname(host),
            intended_use=intended_use,
        )

    # -- releasing ------------------------------------------------------------------------------

    def release_ips(self, *addresses: str | ReleaseOptions) -> list[IPAddress]:
        """``ReleaseIPs``: the addresses among those given that were not assigned."""
        options = [a if isinstance(a, ReleaseOptions) else ReleaseOptions(str(_ip(a))) for a in addresses]
        unallocated, _ = release.release_ips(self.core, options)
        return unallocated

    def release_by_handle(self, handle_id: str) -> None:
        """``ReleaseByHandle``: every address of the handle; the handle goes with the last one."""
        release.release_by_handle(self.core, handle_id)

    def release(
        self, ip: str | None = None, *, reports: Sequence[CheckReport | str] = (), force: bool = False
    ) -> admin.ReportRelease | str:
        """``calicoctl ipam release``: ``ip`` (returns it; an error when it is not assigned) or
        the leaks of ``reports`` (reports or paths of report files; returns what was done)."""
        if reports:
            loaded = [r if isinstance(r, CheckReport) else _read_report(r) for r in reports]
            return admin.release_from_reports(self.core, loaded, force=force, version=self.version)
        if ip is None:
            raise IPAMError("release needs an IP address or at least one report")
        return admin.release_address(self.core, ip)

    def release_pool_affinities(self, cidr: str) -> None:
        """``ReleasePoolAffinities``: every host's affinity to blocks of the pool (IPPool delete does this)."""
        release.release_pool_affinities(self.core, ipaddress.ip_network(cidr, strict=False))

    def release_host_affinities(self, host: str, *, must_be_empty: bool = False) -> None:
        """``ReleaseHostAffinities``: every block affine to ``host``."""
        release.release_host_affinities(self.core, host, "host", must_be_empty)

    def split(self, number: int | str, *, cidr: str = "", name: str = "") -> admin.SplitResult:
        """``calicoctl ipam split``: the pool (by ``name`` or ``cidr``) in ``number`` pools; the datastore must be locked."""
        if self._pool_writer is None:
            raise IPAMError("split needs the Client's pool writes: use client.ipam.split")
        return admin.split_pool(self.core, self._pool_writer, number, cidr=cidr, name=name)


def _read_report(path: str) -> CheckReport:
    with open(path, "rb") as handle:
        return CheckReport.from_json(handle.read(), source=path)
