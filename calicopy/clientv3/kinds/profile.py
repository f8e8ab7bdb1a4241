"""Profile (``lib/clientv3/profile.go``): the static ``projectcalico-default-allow`` profile is
provided by Calico; clientv3 refuses to create, update or delete it before touching the datastore."""

from __future__ import annotations

from typing import TypeVar

from ...errors import OperationNotSupported, ResourceAlreadyExists
from ...resources.meta import Resource
from ..static import DEFAULT_ALLOW_PROFILE
from .base import Batch, KindHooks, Pipeline

__all__ = ["ProfileHooks"]

R = TypeVar("R", bound=Resource)


def _refused(operation: str, verb: str) -> OperationNotSupported:
    return OperationNotSupported(
        operation=operation,
        identifier=DEFAULT_ALLOW_PROFILE,
        detail=f'The profile "{DEFAULT_ALLOW_PROFILE}" is a default provided by Calico and cannot be {verb}',
        kind="Profile",
        name=DEFAULT_ALLOW_PROFILE,
    )


class ProfileHooks(KindHooks):
    def check_create(self, client: Pipeline, resource: R, batch: Batch | None) -> R:
        if resource.metadata.name == DEFAULT_ALLOW_PROFILE:
            raise ResourceAlreadyExists(
                identifier=DEFAULT_ALLOW_PROFILE,
                cause=f"{DEFAULT_ALLOW_PROFILE} already exists. "
                f'The profile "{DEFAULT_ALLOW_PROFILE}" is default provided by Calico',
                kind="Profile",
                name=DEFAULT_ALLOW_PROFILE,
                operation="create",
            )
        return resource

    def before_update(self, client: Pipeline, new: R, old: Resource) -> R:
        if new.metadata.name == DEFAULT_ALLOW_PROFILE:
            raise _refused("Update", "updated")
        return new

    def delete(self, client: Pipeline, kind: str, name: str, namespace: str, resource_version: str | None) -> Resource:
        if name == DEFAULT_ALLOW_PROFILE:
            raise _refused("Delete", "deleted")
        return super().delete(client, kind, name, namespace, resource_version)
