"""IPPool (``lib/clientv3/ippool.go``): overlap and block-size checks, immutable fields, and the
disable-pause-release-delete sequence of Delete.

The pure rules (CIDR masking, overlap, immutability, read defaults) live in
:mod:`calicopy.resources.defaults.infra`; this hook fetches what they need.  Delete releases the
pool's block affinities as libcalico-go's ``ipam.ReleasePoolAffinities`` does (IPAM proper will
own that step once ``calicopy.ipam`` exists).
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
from typing import TypeVar

from ...errors import ErroredField, OperationNotSupported, ResourceNotFound, ValidationError
from ...resources.defaults.infra import check_ippool_create, check_ippool_update
from ...resources.generated.blockaffinity import BlockAffinity
from ...resources.generated.ipamblock import IPAMBlock
from ...resources.generated.ippool import IPPool
from ...resources.meta import Resource
from .base import Batch, KindHooks, Pipeline, listed

__all__ = ["OPERATOR_LABEL", "IPPoolHooks"]

_log = logging.getLogger("calicopy.clientv3")

R = TypeVar("R", bound=Resource)

#: Pools the tigera-operator manages: writes succeed, but the operator may revert them.
OPERATOR_LABEL = ("app.kubernetes.io/managed-by", "tigera-operator")
_WINDOWS_RESERVED_HANDLE = "windows-reserved-ipam-handle"


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


def _block_empty(block: IPAMBlock) -> bool:
    """``allocationBlock.empty``: no allocation, or only Windows-reserved ones."""
    attributes = block.spec.attributes or []
    for ordinal in block.spec.allocations or []:
        if ordinal is None:
            continue
        attr = attributes[ordinal] if 0 <= ordinal < len(attributes) else None
        if attr is None or attr.handle_id != _WINDOWS_RESERVED_HANDLE:
            return False
    return True


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
        for block in blocks:
            if not isinstance(block, IPAMBlock):
                continue
            try:
                bnet = ipaddress.ip_network(block.spec.cidr, strict=False)
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
    """``ipam.ReleasePoolAffinities``: for each affinity of a block inside the pool, mark it
    pendingDeletion, delete the block if empty (else drop its affinity), delete the affinity."""
    backend = client.backend
    try:
        net = ipaddress.ip_network(pool.spec.cidr, strict=False)
        affinities = [a for a in backend.list("BlockAffinity").items if isinstance(a, BlockAffinity)]
    except (OperationNotSupported, ValueError):
        return
    blocks: dict[str, IPAMBlock] | None = None
    for aff in affinities:
        try:
            bnet = ipaddress.ip_network(aff.spec.cidr, strict=False)
        except ValueError:
            continue
        if aff.spec.deleted or bnet.version != net.version or bnet.network_address not in net:
            continue
        if blocks is None:
            blocks = {
                str(ipaddress.ip_network(b.spec.cidr, strict=False)): b
                for b in backend.list("IPAMBlock").items
                if isinstance(b, IPAMBlock) and b.spec.cidr
            }
        block = blocks.get(str(bnet))
        if block is None:
            continue  # "No such block"
        _release_block_affinity(client, aff, block)


def _release_block_affinity(client: Pipeline, aff: BlockAffinity, block: IPAMBlock) -> None:
    backend = client.backend
    wanted = f"{aff.spec.type or 'host'}:{aff.spec.node}"
    if block.spec.affinity is not None and block.spec.affinity != wanted:
        _log.warning("Mismatched affinity: %s != %s - deleting stale affinity", block.spec.affinity, wanted)
        with contextlib.suppress(ResourceNotFound):
            backend.delete("BlockAffinity", aff.metadata.name)
        return
    pending = aff.model_copy(deep=True)
    pending.spec.state = "pendingDeletion"
    pending = backend.update(pending)  # type: ignore[assignment]
    if _block_empty(block):
        with contextlib.suppress(ResourceNotFound):
            backend.delete("IPAMBlock", block.metadata.name)
    else:
        orphan = block.model_copy(deep=True)
        orphan.spec.affinity = None
        orphan.spec.affinity_claim_time = None
        orphan.spec.sequence_number += 1
        backend.update(orphan)
    with contextlib.suppress(ResourceNotFound):
        backend.delete("BlockAffinity", pending.metadata.name, resource_version=pending.metadata.resource_version)
