"""What every IPAM operation shares: the store, the pools, the clock, randomness, and the IPAM
configuration (``GetIPAMConfig``/``SetIPAMConfig`` of ``libcalico-go/lib/ipam/ipam.go``).
"""

from __future__ import annotations

import ipaddress
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from ..errors import ResourceAlreadyExists, ResourceNotFound
from ..resources.generated.ipamconfig import IPAMConfiguration, IPAMConfigurationSpec
from ..resources.meta import ObjectMeta
from .display import config_html
from .errors import IPAMError
from .filters import AddressFilter
from .pools import PoolSource
from .store import CONFIG_NAME, IPAMStore

__all__ = ["DATASTORE_RETRIES", "Core", "IPAMConfig"]

#: ``datastoreRetries``: compare-and-swap attempts before an operation gives up.
DATASTORE_RETRIES = 100


@dataclass(frozen=True, slots=True)
class IPAMConfig:
    """The global IPAM settings (``ipam.IPAMConfig``), as ``calicoctl ipam show --show-configuration`` lists them."""

    strict_affinity: bool = False
    auto_allocate_blocks: bool = True
    max_blocks_per_host: int = 0
    kube_virt_vm_address_persistence: str | None = "Enabled"

    def _repr_html_(self) -> str:
        return config_html(self)


class Core:
    """The shared state of one IPAM client; every write goes through :attr:`store`."""

    def __init__(
        self,
        store: IPAMStore,
        pools: PoolSource,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        rng: random.Random | None = None,
        sleep: Callable[[float], None] = time.sleep,
        retries: int = DATASTORE_RETRIES,
    ) -> None:
        self.store = store
        self.pools = pools
        self.now = now
        self.rng = rng if rng is not None else random.Random()
        self.sleep = sleep
        self.retries = retries

    def fresh_seed(self) -> int:
        return self.rng.getrandbits(63)

    def claim_time(self) -> str:
        """``metav1.Time`` as it is serialised: RFC 3339 to the second, UTC."""
        return self.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def new_sequence_number(self) -> int:
        """A new block starts at the time in nanoseconds, so a re-created block never reuses numbers."""
        moment = self.now()
        return int(moment.timestamp()) * 1_000_000_000 + moment.microsecond * 1000

    def reservations(self) -> AddressFilter:
        """``getReservedIPs``: every CIDR or address of every IPReservation."""
        nets = []
        for text in self.store.reserved_cidrs():
            text = text.strip()
            if not text:
                continue
            try:
                nets.append(ipaddress.ip_network(text, strict=False))
            except ValueError:
                continue
        return AddressFilter(nets)

    # -- configuration ------------------------------------------------------------------------

    def get_config(self) -> IPAMConfig:
        """``GetIPAMConfig``: the stored configuration; when there is none, the default one is
        created (as v3.32.1 does, so that every component agrees on it from then on)."""
        for _ in range(4):
            try:
                stored = self.store.get_config()
            except ResourceNotFound:
                default = IPAMConfiguration(
                    metadata=ObjectMeta(name=CONFIG_NAME),
                    spec=IPAMConfigurationSpec(auto_allocate_blocks=True, kube_virt_vm_address_persistence="Enabled"),
                )
                try:
                    stored = self.store.write_config(default)
                except ResourceAlreadyExists:
                    self.sleep(1.0)
                    continue
            spec = stored.spec
            return IPAMConfig(
                strict_affinity=spec.strict_affinity,
                auto_allocate_blocks=spec.auto_allocate_blocks,
                max_blocks_per_host=int(spec.max_blocks_per_host),
                kube_virt_vm_address_persistence=spec.kube_virt_vm_address_persistence,
            )
        raise IPAMError("failed to get ipam config after 4 retries")

    def set_config(self, config: IPAMConfig) -> None:
        """``SetIPAMConfig``: refuses what libcalico-go refuses, then writes (create or update)."""
        if self.get_config() == config:
            return
        if not config.strict_affinity and not config.auto_allocate_blocks:
            raise IPAMError("Cannot disable 'StrictAffinity' and 'AutoAllocateBlocks' at the same time")
        if config.max_blocks_per_host > 0 and not config.strict_affinity:
            raise IPAMError("MaxBlocksPerHost requires StrictAffinity to be enabled")
        try:
            current = self.store.get_config()
        except ResourceNotFound:
            current = IPAMConfiguration(metadata=ObjectMeta(name=CONFIG_NAME))
        changed = current.model_copy(deep=True)
        changed.spec.strict_affinity = config.strict_affinity
        changed.spec.auto_allocate_blocks = config.auto_allocate_blocks
        changed.spec.max_blocks_per_host = config.max_blocks_per_host
        changed.spec.kube_virt_vm_address_persistence = config.kube_virt_vm_address_persistence
        self.store.write_config(changed)

    def configure(
        self,
        *,
        strict_affinity: bool | None = None,
        max_blocks_per_host: int | None = None,
        kube_virt_vm_address_persistence: str | None = None,
        auto_allocate_blocks: bool | None = None,
    ) -> IPAMConfig:
        """``calicoctl ipam configure``: change the given settings, keep the others."""
        config = self.get_config()
        if strict_affinity is not None:
            config = replace(config, strict_affinity=strict_affinity)
        if max_blocks_per_host is not None:
            config = replace(config, max_blocks_per_host=max_blocks_per_host)
        if kube_virt_vm_address_persistence is not None:
            if kube_virt_vm_address_persistence not in ("Enabled", "Disabled"):
                raise IPAMError("invalid value for --kubevirt-ip-persistence. Use Enabled or Disabled")
            config = replace(config, kube_virt_vm_address_persistence=kube_virt_vm_address_persistence)
        if auto_allocate_blocks is not None:
            config = replace(config, auto_allocate_blocks=auto_allocate_blocks)
        self.set_config(config)
        return config
