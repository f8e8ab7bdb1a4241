"""BGPPeer (``lib/clientv3/bgppeer.go``): the BGPFilters a peer names must exist."""

from __future__ import annotations

from typing import TypeVar

from ...errors import ErroredField, ValidationError
from ...resources.generated.bgppeer import BGPPeer
from ...resources.meta import Resource
from .base import Batch, KindHooks, Pipeline, listed

__all__ = ["BGPPeerHooks"]

R = TypeVar("R", bound=Resource)


def _check_filters(client: Pipeline, peer: Resource, batch: Batch | None) -> None:
    assert isinstance(peer, BGPPeer)
    filters = peer.spec.filters
    if not filters:
        return
    known = {f.metadata.name for f in listed(client, "BGPFilter", batch)}
    missing = [f for f in filters if f not in known]
    if missing:
        raise ValidationError(
            [ErroredField("spec.filters", "BGPFilter(s) not found", missing)],
            resource=peer.label,
            kind="BGPPeer",
            name=peer.metadata.name,
        )


class BGPPeerHooks(KindHooks):
    def check_create(self, client: Pipeline, resource: R, batch: Batch | None) -> R:
        _check_filters(client, resource, batch)
        return resource

    def check_update(self, client: Pipeline, new: Resource, old: Resource, batch: Batch | None) -> None:
        _check_filters(client, new, batch)
