"""The IPPool writes ``calicoctl ipam split`` makes through clientv3 (libcalico-go's ``IPPools()``
Update, ``UnsafeCreate`` and ``UnsafeDelete``), for :class:`calicopy.ipam.admin.PoolWriter`."""

from __future__ import annotations

from ..resources.generated.ippool import IPPool
from ..resources.registry import KINDS
from .client import ClientV3

__all__ = ["IPPoolWriter"]


class IPPoolWriter:
    """The pool writes ``calicoctl ipam split`` makes through clientv3 (:class:`calicopy.ipam.admin.PoolWriter`):
    a validated update, ``UnsafeCreate`` (defaulted and validated, no overlap check) and
    ``UnsafeDelete`` (disable, then delete without releasing the pool's blocks)."""

    def __init__(self, client: ClientV3) -> None:
        self._client = client

    def get_pool(self, name: str) -> IPPool:
        pool = self._client.read(self._client.backend.get("IPPool", name))
        assert isinstance(pool, IPPool)
        return pool

    def list_pools(self) -> list[IPPool]:
        return [p for p in self._client.list("IPPool", None, None).items if isinstance(p, IPPool)]

    def update_pool(self, pool: IPPool) -> IPPool:
        updated = self._client.update(pool, self.get_pool(pool.metadata.name))
        assert isinstance(updated, IPPool)
        return updated

    def unsafe_create_pool(self, pool: IPPool) -> IPPool:
        prepared = self._client.prepare_create(pool, KINDS["IPPool"])
        created = self._client.read(self._client.backend.create(prepared))
        assert isinstance(created, IPPool)
        return created

    def unsafe_delete_pool(self, name: str) -> IPPool:
        pool = self.get_pool(name)
        if not pool.spec.disabled:
            disabled = pool.model_copy(deep=True)
            disabled.spec.disabled = True
            self.update_pool(disabled)
        deleted = self._client.read(self._client.backend.delete("IPPool", name))
        assert isinstance(deleted, IPPool)
        return deleted
