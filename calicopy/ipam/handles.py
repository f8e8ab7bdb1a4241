"""IPAM handles: per handle ID, how many addresses it holds in each block
(``libcalico-go/lib/ipam/ipam_handle.go``, ``incrementHandle``/``decrementHandle`` of ``ipam.go``).

Assignment counts the handle up *before* it writes the block and release counts it down
*after*, so a failure between the two leaves a handle that overcounts (a harmless leak that
``ipam check`` reports) and never one that undercounts.
"""

from __future__ import annotations

import contextlib

from ..errors import ResourceAlreadyExists, ResourceConflict, ResourceNotFound
from ..resources.generated.ipamhandle import IPAMHandle
from .core import Core
from .errors import IPAMError, MaxRetriesError

__all__ = ["decrement_handle", "increment_handle"]


def increment_handle(core: Core, handle_id: str, block_cidr: str, num: int) -> None:
    """Count ``num`` more addresses of ``handle_id`` in ``block_cidr`` (creating the handle)."""
    store = core.store
    for _ in range(core.retries):
        try:
            handle: IPAMHandle | None = store.get_handle(handle_id)
        except ResourceNotFound:
            handle = None
        blocks = dict((handle.spec.block or {}) if handle is not None else {})
        blocks[block_cidr] = blocks.get(block_cidr, 0) + num
        try:
            if handle is None:
                store.create_handle(handle_id, blocks)
            else:
                changed = handle.model_copy(deep=True)
                changed.spec.block = blocks
                store.update_handle(changed)
        except (ResourceConflict, ResourceAlreadyExists):
            continue
        return
    raise MaxRetriesError()


def decrement_handle(core: Core, handle_id: str, block_cidr: str, num: int, handle: IPAMHandle | None = None) -> None:
    """Count ``num`` fewer; a handle left with no address is deleted."""
    store = core.store
    for attempt in range(core.retries):
        if handle is None or attempt:
            handle = store.get_handle(handle_id)
        blocks = dict(handle.spec.block or {})
        current = blocks.get(block_cidr)
        if current is None:
            raise IPAMError(f"Tried to decrement block {block_cidr} by {num} but it isn't linked to handle {handle_id}")
        if current - num < 0:
            raise IPAMError(
                f"Tried to decrement block {block_cidr} by {num} but it only has {current} addresses on handle {handle_id}"
            )
        if current - num == 0:
            del blocks[block_cidr]
        else:
            blocks[block_cidr] = current - num
        changed = handle.model_copy(deep=True)
        changed.spec.block = blocks
        try:
            if blocks:
                store.update_handle(changed)
            else:
                with contextlib.suppress(ResourceNotFound):
                    store.delete_handle(handle)
        except ResourceConflict:
            continue
        return
    raise MaxRetriesError()
