"""IPPool (``lib/clientv3/ippool.go``): overlap and block-size checks, immutable fields, and the
disable-pause-release-delete sequence of Delete.

The pure rules (CIDR masking, overlap, immutability, read defaults) live in
:mod:`calicopy.resources.defaults.infra`; this hook fetches what they need.  Delete releases the
pool's block affinities through :mod:`calicopy.ipam` (libcalico-go's ``ipam.ReleasePoolAffinities``).
"""

from __future__ import annotations

import ipaddress
import logging
from typing import TYPE_CHECKING, TypeVar, cast

from ...errors import ErroredField, OperationNotSupported, ValidationError
from ...resources.defaults.infra import check_ippool_create, check_ippool_update
from ...resources.generated.ippool import IPPool
from ...resources.meta import Resource
from ...resources.registry import KINDS
from .base import Batch, KindHooks, Pipeline, listed

if TYPE_CHECKING:
    from ...resources.generated.ipamblock import IPAMBlock

__all__ = ["OPERATOR_LABEL", "IPPoolHooks"]

_log = logging.getLogger("calicopy.clientv3")

R = TypeVar("R", bound=Resource)

#: Pools the tigera-operator manages: writes succeed, but the operator may revert them.
OPERATOR_LABEL = ("app.kubernetes.io/managed-by", "tigera-operator")


def _operator_managed(resource: Resource | None) -> bool:
    return resource is not None and resource.metadata.labels.get(OPERATOR_LABEL[0]) == OPERATOR_LABEL[1]


def _warn_operator(*resources: Resource | None) -> None:
    for res in resources:
        if _operator_managed(res):
            assert res is not None
            _log.warning(
                "IPPool %s is managed by the tigera-operator (label %s=%s): the operator may revert this change; "
                "change the Installation resource instead",
                res.metadata.name,
                *OPERATOR_LABEL,
            )
            return


class IPPoolHooks(KindHooks):
    #: libcalico-go pauses between disabling a pool and releasing its blocks, so that in-flight
    #: assignments from the pool finish first.
    delete_pause = 0.5

    def check_create(self, client: Pipeline, resource: R, batch: Batch | None) -> R:
        assert isinstance(resource, IPPool)
        pools = [p for p in listed(client, "IPPool", batch) if isinstance(p, IPPool)]
        checked = check_ippool_create(resource, pools)
        self._check_existing_blocks(client, checked, batch)
        _warn_operator(checked)
        return checked  # type: ignore[return-value]

    @staticmethod
    def _check_existing_blocks(client: Pipeline, pool: IPPool, batch: Batch | None) -> None:
        """Create only: existing IPAM blocks inside the pool must use its block size."""
        try:
            blocks = listed(client, "IPAMBlock", batch)
        except OperationNotSupported:
            return
        net = ipaddress.ip_network(pool.spec.cidr, strict=False)
        block_model = KINDS["IPAMBlock"].model  # loaded here: reading pools needs no IPAM model
        for block in blocks:
            if not isinstance(block, block_model):
                continue
            try:
                bnet = ipaddress.ip_network(cast("IPAMBlock", block).spec.cidr, strict=False)
            except ValueError:
                continue
            if bnet.version == net.version and bnet.overlaps(net) and bnet.prefixlen != pool.spec.block_size:
                raise ValidationError(
                    [
                        ErroredField(
                            "spec.blockSize",
                            "IPPool blocksSize conflicts with existing allocations that use a different blockSize",
                            pool.spec.block_size,
                        )
                    ],
                    resource=pool.label,
                    kind="IPPool",
                    name=pool.metadata.name,
                    operation="create",
                )

    def before_update(self, client: Pipeline, new: R, old: Resource) -> R:
        assert isinstance(new, IPPool) and isinstance(old, IPPool)
        _warn_operator(old, new)
        return check_ippool_update(old, new)  # type: ignore[return-value]

    def delete(self, client: Pipeline, kind: str, name: str, namespace: str, resource_version: str | None) -> Resource:
        """``ipPools.Delete``: disable the pool, pause, release its block affinities, delete it."""
        pool = client.read(client.backend.get("IPPool", name))
        assert isinstance(pool, IPPool)
        _warn_operator(pool)
        if not pool.spec.disabled:
            disabled = pool.model_copy(deep=True)
            disabled.spec.disabled = True
            if resource_version:
                disabled.metadata.resource_version = resource_version
            pool = client.update(disabled, pool)
            resource_version = None
        client.sleep(self.delete_pause)
        _release_pool_affinities(client, pool)
        return client.read(client.backend.delete("IPPool", name, resource_version=resource_version))


def _release_pool_affinities(client: Pipeline, pool: IPPool) -> None:
    """``ipam.ReleasePoolAffinities`` (:mod:`calicopy.ipam`): every host's affinity to the pool's blocks."""
    # Imported here, deliberately: IPAM (the whole package) is needed by this one step of a pool's
    # Delete, and reading pools (calicopy get ippools) should not pay for importing it.
    from ...ipam import IPAM

    try:
        IPAM(client.backend, sleep=client.sleep).release_pool_affinities(pool.spec.cidr)
    except (OperationNotSupported, ValueError):
        return  # a datastore without IPAM objects, or a pool whose CIDR does not parse
