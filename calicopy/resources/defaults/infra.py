"""Defaulting and datastore checks: infra family (pools, Felix, kube-controllers, BGP, IPAM).

Sources (Calico v3.32.1): ``libcalico-go/lib/clientv3/ippool.go`` (``validateAndSetDefaults``),
``felixconfig.go`` (``setDefaults``), ``kubecontrollersconfig.go`` (``validateAndFillDefaults``),
``bgpconfig.go`` (``ValidateDefaultOnlyFields``), ``ipamconfig.go``, ``clusterinfo.go`` and the
CRD schema defaults of ``api/config/crd``.

IPPool: clientv3 normalises the CIDR to its masked network and *then* rejects a CIDR that had
host bits, showing the masked value.  Normalising loses that information, so the defaulter
raises :class:`~calicopy.errors.ValidationError` itself for an empty, unparsable or
not-strictly-masked CIDR (``spec.cidr = '10.9.0.0/16' (IPPool CIDR is not strictly masked)``).
The rest of clientv3's IPPool checks need the datastore (overlap, old object) and live in
:func:`check_ippool_create` / :func:`check_ippool_update`, which report every clientv3 error
in clientv3's order.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ...errors import ErroredField, ValidationError
from ..validation.common import GoNetwork, parse_cidr

if TYPE_CHECKING:
    from ..generated.bgpconfig import BGPConfiguration
    from ..generated.felixconfig import FelixConfiguration
    from ..generated.ipamconfig import IPAMConfiguration
    from ..generated.ippool import IPPool
    from ..generated.kubecontrollersconfig import KubeControllersConfiguration

__all__ = [
    "CREATE_CHECKS",
    "DEFAULTERS",
    "check_ippool_create",
    "check_ippool_update",
    "ippool_read_defaults",
]

_CIDR = "spec.cidr"
_V4_LINK_LOCAL = ipaddress.ip_network("169.254.0.0/16")
_V6_LINK_LOCAL = ipaddress.ip_network("fe80::/10")


def _fail(path: str, reason: str, value: Any = None) -> ValidationError:
    return ValidationError([ErroredField(path, reason, value)])


# -- IPPool ---------------------------------------------------------------------------------------


def _parse_pool_cidr(pool: IPPool) -> GoNetwork:
    """Steps 1-2 of ``validateAndSetDefaults``; both return at once."""
    if not pool.spec.cidr:
        raise _fail(_CIDR, "IPPool CIDR must be specified").with_resource(pool.label)
    parsed = parse_cidr(pool.spec.cidr)
    if parsed is None:
        raise _fail(_CIDR, "IPPool CIDR must be a valid subnet", pool.spec.cidr).with_resource(pool.label)
    return parsed


def _fill_ippool(pool: IPPool) -> None:
    parsed = _parse_pool_cidr(pool)
    spec = pool.spec
    spec.cidr = str(parsed.network)
    if not parsed.strictly_masked:
        raise _fail(_CIDR, "IPPool CIDR is not strictly masked", spec.cidr).with_resource(pool.label)
    if not spec.node_selector:
        spec.node_selector = "all()"
    if spec.block_size == 0:
        spec.block_size = 26 if parsed.version == 4 else 122
    if not spec.allowed_uses:
        spec.allowed_uses = ["Workload", "Tunnel"]
    if spec.assignment_mode is None:
        spec.assignment_mode = "Automatic"
    if not spec.ipip_mode:
        spec.ipip_mode = "Never"
    if not spec.vxlan_mode:
        spec.vxlan_mode = "Never"


def ippool_read_defaults(pool: IPPool) -> None:
    """clientv3's ``convertIpPoolFromStorage``: what every Get/List/Watch of an IPPool fills in.

    Unlike create-time defaulting it never fails: Go returns early on an unparsable CIDR and
    its callers ignore that error, so such a pool is shown as stored.
    """
    spec = pool.spec
    if spec.block_size == 0:
        parsed = parse_cidr(spec.cidr)
        if parsed is None:
            return
        spec.block_size = 26 if parsed.version == 4 else 122
    if not spec.allowed_uses:
        spec.allowed_uses = ["Workload", "Tunnel"]
    if not spec.node_selector:
        spec.node_selector = "all()"
    if not spec.ipip_mode:
        spec.ipip_mode = "Never"
    if not spec.vxlan_mode:
        spec.vxlan_mode = "Never"
    if spec.assignment_mode is None:
        spec.assignment_mode = "Automatic"


def _cidr_change_ok(old: str, new: str) -> bool:
    """``cidrChangeOK``: same text, or the same network with the new text already canonical."""
    if old == new:
        return True
    old_net, new_net = parse_cidr(old), parse_cidr(new)
    if old_net is None or new_net is None:
        return False
    return old_net.network == new_net.network and str(new_net.network) == new


def _ippool_errors(new: IPPool, old: IPPool | None, existing: Iterable[IPPool] | None) -> list[ErroredField]:
    """clientv3's ``validateAndSetDefaults`` after defaulting, in its order (``new`` is mutated)."""
    parsed = _parse_pool_cidr(new)
    errors: list[ErroredField] = []
    spec = new.spec
    spec.cidr = str(parsed.network)
    if not spec.node_selector:
        spec.node_selector = "all()"
    if old is not None and not _cidr_change_ok(old.spec.cidr, spec.cidr):
        errors.append(ErroredField(_CIDR, "IPPool CIDR cannot be modified", spec.cidr))
    if spec.block_size == 0:
        spec.block_size = 26 if parsed.version == 4 else 122
    if not spec.allowed_uses:
        spec.allowed_uses = ["Workload", "Tunnel"]
    old_lb = old is not None and "LoadBalancer" in old.spec.allowed_uses
    if old_lb and any(u != "LoadBalancer" for u in spec.allowed_uses):
        raise ValidationError(
            [
                ErroredField(
                    "spec.allowedUses",
                    "IPPool allowed use cannot be changed from LoadBalacer to Workload or Tunnel",
                    list(spec.allowed_uses),
                )
            ],
            resource=new.label,
        )
    if spec.assignment_mode is None:
        spec.assignment_mode = "Automatic"
    if old is not None and old.spec.block_size != spec.block_size:
        errors.append(ErroredField("spec.blockSize", "IPPool BlockSize cannot be modified", spec.block_size))
    if parsed.version == 4 and not 20 <= spec.block_size <= 32:
        errors.append(ErroredField("spec.blockSize", "IPv4 block size must be between 20 and 32", spec.block_size))
    if parsed.version == 6 and not 116 <= spec.block_size <= 128:
        errors.append(ErroredField("spec.blockSize", "IPv6 block size must be between 116 and 128", spec.block_size))
    if not spec.disabled and parsed.network.prefixlen > spec.block_size:
        errors.append(
            ErroredField(
                _CIDR,
                "IP pool size is too small for use with Calico IPAM. It must be equal to or "
                "greater than the block size.",
                spec.cidr,
            )
        )
    if old is None and existing is not None:
        for other in existing:
            if other.metadata.name == new.metadata.name:
                continue
            other_net = parse_cidr(other.spec.cidr)
            if other_net is None:
                continue
            if other_net.network.overlaps(parsed.network):
                errors.append(
                    ErroredField(
                        _CIDR,
                        f"IPPool({new.metadata.name}) CIDR overlaps with "
                        f"IPPool({other.metadata.name}) CIDR {other.spec.cidr}",
                        spec.cidr,
                    )
                )
    if not spec.ipip_mode:
        spec.ipip_mode = "Never"
    if not spec.vxlan_mode:
        spec.vxlan_mode = "Never"
    if spec.vxlan_mode != "Never" and spec.ipip_mode != "Never":
        errors.append(
            ErroredField(
                "spec.vxlanMode",
                "Cannot enable both VXLAN and IPIP on the same IPPool",
                spec.vxlan_mode,
            )
        )
    if parsed.version == 6 and spec.ipip_mode != "Never":
        errors.append(ErroredField("spec.ipipMode", "IPIP is not supported on an IPv6 IP pool", spec.ipip_mode))
    if not parsed.strictly_masked:
        errors.append(ErroredField(_CIDR, "IPPool CIDR is not strictly masked", spec.cidr))
    if parsed.version == 4 and parsed.network.overlaps(_V4_LINK_LOCAL):
        errors.append(ErroredField(_CIDR, "IPPool CIDR overlaps with IPv4 Link Local range 169.254.0.0/16", spec.cidr))
    if parsed.version == 6 and parsed.network.overlaps(_V6_LINK_LOCAL):
        errors.append(ErroredField(_CIDR, "IPPool CIDR overlaps with IPv6 Link Local range fe80::/10", spec.cidr))
    return errors


def check_ippool_create(new: IPPool, existing_pools: Iterable[IPPool]) -> IPPool:
    """clientv3's Create-time IPPool checks; returns the defaulted copy, or raises ValidationError.

    Reports, in clientv3's order: block size range (20..32 / 116..128), pool smaller than a
    block, overlap with any other pool (different name; disabled pools count), both
    encapsulations, IPIP on IPv6, host bits, link-local overlap.
    """
    pool = new.model_copy(deep=True)
    errors = _ippool_errors(pool, None, list(existing_pools))
    if errors:
        raise ValidationError(errors, resource=new.label)
    return pool


def _ippool_create_errors(view: IPPool) -> list[ErroredField]:
    # Everything but the overlap, which needs the other pools (``view`` is defaulted already).
    return _ippool_errors(view, None, None)


def check_ippool_update(old: IPPool, new: IPPool) -> IPPool:
    """clientv3's Update-time IPPool checks (CIDR, blockSize and LoadBalancer immutability included).

    Returns the defaulted copy of ``new``, or raises ValidationError.
    """
    pool = new.model_copy(deep=True)
    errors = _ippool_errors(pool, old, None)
    if errors:
        raise ValidationError(errors, resource=new.label)
    return pool


# -- other kinds -----------------------------------------------------------------------------------


def _fill_felix(fc: FelixConfiguration) -> None:
    spec = fc.spec
    if spec.floating_i_ps is None:
        spec.floating_i_ps = "Disabled"
    if spec.bpf_connect_time_load_balancing is None:
        spec.bpf_connect_time_load_balancing = "TCP"
    if spec.bpf_host_networked_nat_without_ctlb is None:
        spec.bpf_host_networked_nat_without_ctlb = "Enabled"
    if spec.bpf_connect_time_load_balancing_enabled is not None:
        spec.bpf_host_networked_nat_without_ctlb = "Disabled"
        spec.bpf_connect_time_load_balancing = "Enabled" if spec.bpf_connect_time_load_balancing_enabled else "Disabled"


def _fill_kube_controllers(kcc: KubeControllersConfiguration) -> None:
    spec = kcc.spec
    if spec.prometheus_metrics_port is None:
        spec.prometheus_metrics_port = 9094
    if not spec.health_checks:
        spec.health_checks = "Enabled"  # CRD default
    # Nested structs are replaced by filled copies, never changed in place (see ``create_view``).
    controllers = spec.controllers.model_copy()
    spec.controllers = controllers
    if controllers.node is not None and controllers.node.leak_grace_period is None:
        controllers.node = controllers.node.model_copy(update={"leak_grace_period": "15m0s"})
    if controllers.load_balancer is not None and not controllers.load_balancer.assign_i_ps:
        controllers.load_balancer = controllers.load_balancer.model_copy(update={"assign_i_ps": "AllServices"})
    if controllers.policy_migration is not None and not controllers.policy_migration.enabled:
        controllers.policy_migration = controllers.policy_migration.model_copy(
            update={"enabled": "Enabled"}
        )  # CRD default


def _fill_bgp_configuration(bgp: BGPConfiguration) -> None:
    spec = bgp.spec
    if not spec.log_severity_screen:
        spec.log_severity_screen = "Info"  # CRD default
    if spec.service_load_balancer_aggregation is None:
        spec.service_load_balancer_aggregation = "Enabled"  # CRD default


def _fill_ipam_configuration(cfg: IPAMConfiguration) -> None:
    # CRD defaults (strictAffinity false, autoAllocateBlocks true, maxBlocksPerHost 0) are the
    # model's own defaults already; nothing is left to fill.
    del cfg


# Kind name -> clientv3's create-time checks that need no other object, on the defaulted object
# (``validateAndSetDefaults`` runs them before the validator, and returns their errors alone).
CREATE_CHECKS: Mapping[str, Callable[[Any], list[ErroredField]]] = MappingProxyType({"IPPool": _ippool_create_errors})

DEFAULTERS: Mapping[str, Callable[[Any], None]] = MappingProxyType(
    {
        "IPPool": _fill_ippool,
        "FelixConfiguration": _fill_felix,
        "KubeControllersConfiguration": _fill_kube_controllers,
        "BGPConfiguration": _fill_bgp_configuration,
        "IPAMConfiguration": _fill_ipam_configuration,
    }
)
