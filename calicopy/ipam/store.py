"""IPAM's objects in the datastore: blocks, affinities, handles and the configuration, read and
written through the :class:`~calicopy.backends.base.Backend` (libcalico-go's
``ipam_block_reader_writer.go`` accessors and the KDD clients' ``ipam_*.go`` behaviour).

Every write is a compare-and-swap on the object's resourceVersion; a lost race is
:class:`~calicopy.errors.ResourceConflict` and the caller retries from a fresh read.  Deletes
follow libcalico-go's protocol for IPAM objects, on every backend: mark ``deleted`` with a
compare-and-swap, then delete with that resourceVersion as precondition; a read that finds a
``deleted`` object finishes the delete and reports it absent.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from ..backends.base import Backend
from ..errors import ResourceNotFound
from ..kdd.names import affinity_name, block_affinity_labels, block_name, handle_name, hostname_hash
from ..resources.generated.blockaffinity import BlockAffinity, BlockAffinitySpec
from ..resources.generated.ipamblock import IPAMBlock
from ..resources.generated.ipamconfig import IPAMConfiguration
from ..resources.generated.ipamhandle import IPAMHandle, IPAMHandleSpec
from ..resources.meta import ObjectMeta, Resource
from .block import IPNetwork

__all__ = ["CONFIG_NAME", "IPAMStore"]

#: The one IPAM configuration object (``ipamconfigs/default``).
CONFIG_NAME = "default"


class IPAMStore:
    """Typed reads and compare-and-swap writes of IPAM objects on ``backend``."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    # -- generic ------------------------------------------------------------------------------

    def _get_live(self, kind: str, name: str) -> Resource:
        obj = self.backend.get(kind, name)
        if getattr(obj.spec, "deleted", False):  # type: ignore[attr-defined]
            self._finish_delete(obj)
            raise ResourceNotFound(kind=kind, name=name, cause="Resource was deleted")
        return obj

    def _delete(self, obj: Resource) -> None:
        """Mark deleted (a compare-and-swap), then delete at the marked revision."""
        marked = obj.model_copy(deep=True)
        marked.spec.deleted = True  # type: ignore[attr-defined]
        marked = self.backend.update(marked)
        self._finish_delete(marked)

    def _finish_delete(self, marked: Resource) -> None:
        with contextlib.suppress(ResourceNotFound):
            self.backend.delete(marked.KIND, marked.metadata.name, resource_version=marked.metadata.resource_version)

    # -- blocks -------------------------------------------------------------------------------

    def get_block(self, cidr: IPNetwork) -> IPAMBlock:
        block = self._get_live("IPAMBlock", block_name(str(cidr)))
        assert isinstance(block, IPAMBlock)
        return block

    def list_blocks(self) -> list[IPAMBlock]:
        return [b for b in self.backend.list("IPAMBlock").items if isinstance(b, IPAMBlock) and not b.spec.deleted]

    def create_block(self, block: IPAMBlock) -> IPAMBlock:
        created = self.backend.create(block)
        assert isinstance(created, IPAMBlock)
        return created

    def update_block(self, block: IPAMBlock) -> IPAMBlock:
        """``updateBlock``: every write of a block bumps its sequence number."""
        block.spec.sequence_number += 1
        updated = self.backend.update(block)
        assert isinstance(updated, IPAMBlock)
        return updated

    def delete_block(self, block: IPAMBlock) -> None:
        self._delete(block)

    # -- affinities ---------------------------------------------------------------------------

    @staticmethod
    def affinity_object(host: str, affinity_type: str, cidr: IPNetwork, state: str) -> BlockAffinity:
        text = str(cidr)
        return BlockAffinity(
            metadata=ObjectMeta(
                name=affinity_name(host, text), labels=block_affinity_labels(host, affinity_type, text)
            ),
            spec=BlockAffinitySpec(state=state, node=host, type=affinity_type, cidr=text, deleted=False),
        )

    def get_affinity(self, host: str, affinity_type: str, cidr: IPNetwork) -> BlockAffinity:
        aff = self._get_live("BlockAffinity", affinity_name(host, str(cidr)))
        assert isinstance(aff, BlockAffinity)
        return aff

    def list_affinities(self, host: str = "", affinity_type: str = "", version: int = 0) -> list[BlockAffinity]:
        """``BlockAffinityListOptions``: by the affinity labels, then the spec (as the KDD client)."""
        wanted: dict[str, str] = {}
        if host:
            wanted["projectcalico.org/hostname-hash"] = hostname_hash(host)
        if affinity_type:
            wanted["projectcalico.org/affinity-type"] = affinity_type
        if version:
            wanted["projectcalico.org/ip-version"] = str(version)
        selector = ",".join(f"{k}={v}" for k, v in sorted(wanted.items())) or None
        out: list[BlockAffinity] = []
        for aff in self.backend.list("BlockAffinity", label_selector=selector).items:
            if not isinstance(aff, BlockAffinity) or aff.spec.deleted:
                continue
            spec = aff.spec
            if host and spec.node != host:
                continue
            if affinity_type and (spec.type or "host") != affinity_type:
                continue
            if version and (6 if ":" in spec.cidr else 4) != version:
                continue
            out.append(aff)
        return out

    def create_affinity(self, aff: BlockAffinity) -> BlockAffinity:
        created = self.backend.create(aff)
        assert isinstance(created, BlockAffinity)
        return created

    def update_affinity(self, aff: BlockAffinity, state: str) -> BlockAffinity:
        changed = aff.model_copy(deep=True)
        changed.spec.state = state
        updated = self.backend.update(changed)
        assert isinstance(updated, BlockAffinity)
        return updated

    def delete_affinity(self, aff: BlockAffinity) -> None:
        self._delete(aff)

    # -- handles ------------------------------------------------------------------------------

    def get_handle(self, handle_id: str) -> IPAMHandle:
        handle = self._get_live("IPAMHandle", handle_name(handle_id))
        assert isinstance(handle, IPAMHandle)
        return handle

    def list_handles(self) -> list[IPAMHandle]:
        return [h for h in self.backend.list("IPAMHandle").items if isinstance(h, IPAMHandle) and not h.spec.deleted]

    def create_handle(self, handle_id: str, blocks: dict[str, int]) -> IPAMHandle:
        handle = IPAMHandle(
            metadata=ObjectMeta(name=handle_name(handle_id)), spec=IPAMHandleSpec(handle_id=handle_id, block=blocks)
        )
        created = self.backend.create(handle)
        assert isinstance(created, IPAMHandle)
        return created

    def update_handle(self, handle: IPAMHandle) -> IPAMHandle:
        updated = self.backend.update(handle)
        assert isinstance(updated, IPAMHandle)
        return updated

    def delete_handle(self, handle: IPAMHandle) -> None:
        self._delete(handle)

    # -- configuration ------------------------------------------------------------------------

    def get_config(self) -> IPAMConfiguration:
        cfg = self.backend.get("IPAMConfiguration", CONFIG_NAME)
        assert isinstance(cfg, IPAMConfiguration)
        return cfg

    def write_config(self, cfg: IPAMConfiguration) -> IPAMConfiguration:
        written = self.backend.update(cfg) if cfg.metadata.resource_version else self.backend.create(cfg)
        assert isinstance(written, IPAMConfiguration)
        return written

    # -- other kinds IPAM reads ---------------------------------------------------------------

    def list_kind(self, kind: str) -> list[Resource]:
        return list(self.backend.list(kind).items)

    def reserved_cidrs(self) -> Iterable[str]:
        for res in self.backend.list("IPReservation").items:
            yield from getattr(res.spec, "reserved_cid_rs", [])  # type: ignore[attr-defined]
