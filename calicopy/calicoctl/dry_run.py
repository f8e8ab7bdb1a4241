"""calicopy's ``--dry-run`` (create, apply, replace, delete) and ``diff``: what a command would do,
decided by the same checks as the real command, with nothing written.

A dry run checks each resource as :func:`calicopy.bulk.apply_all` plans an apply (defaulting,
validation, the checks that read the datastore, against the datastore as the batch would leave
it) and words the plan per verb: ``create`` of an existing object fails (``resource already
exists``, or skipped with ``--skip-exists``), ``replace`` of a missing one fails; ``delete`` looks
each object up.  :func:`diff` prints the plan as a unified diff of YAML.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ..clientv3 import hooks_for
from ..errors import CalicoError, ResourceAlreadyExists, ResourceNotFound, resource_identifier
from ..manifests import to_go_yaml
from ..resources.meta import Resource
from ..resources.registry import KINDS
from .actions import Action
from .messages import Summary, error_list
from .namespace import handle_namespace

if TYPE_CHECKING:
    from ..client import Client

__all__ = ["Planned", "diff", "dry_run", "dry_run_report"]

Verdict = Literal["created", "updated", "unchanged", "replaced", "deleted", "skipped", "failed"]


@dataclass(frozen=True, slots=True)
class Planned:
    """What the command would do with one resource; ``result`` is what would be stored (or is
    stored, for ``unchanged`` and ``deleted``)."""

    resource: Resource
    verdict: Verdict
    error: Exception | None = None
    result: Resource | None = None
    live: Resource | None = None

    @property
    def identifier(self) -> str:
        meta = self.resource.metadata
        return resource_identifier(self.resource.KIND, meta.name, meta.namespace)


def _placed(resource: Resource, namespace: str, all_namespaces: bool) -> Resource:
    info = KINDS[resource.KIND]
    ns = handle_namespace(info, resource.metadata.namespace, namespace, all_namespaces)
    if ns == resource.metadata.namespace:
        return resource
    return resource.model_copy(update={"metadata": resource.metadata.model_copy(update={"namespace": ns})})


def dry_run(
    client: Client,
    action: Action,
    resources: Sequence[Resource],
    *,
    namespace: str = "",
    all_namespaces: bool = False,
    skip_exists: bool = False,
    skip_not_exists: bool = False,
) -> list[Planned]:
    """The plan of ``action`` (create, apply, replace or delete) for ``resources``, in order."""
    placed: list[Resource | CalicoError] = []
    for resource in resources:
        try:
            placed.append(_placed(resource, namespace, all_namespaces))
        except CalicoError as exc:
            placed.append(exc)
    valid = [r for r in placed if isinstance(r, Resource)]
    if action == "delete":
        planned = iter([_plan_delete(client, r, skip_not_exists) for r in valid])
    else:
        plans = client.apply_all(valid, dry_run=True, continue_on_error=True)
        planned = iter(
            [_plan_write(client, action, o.resource, o.action, o.error, o.result, skip_exists) for o in plans]
        )
    out: list[Planned] = []
    for original, item in zip(resources, placed, strict=True):
        out.append(Planned(original, "failed", item) if isinstance(item, CalicoError) else next(planned))
    return out


def _plan_write(
    client: Client,
    action: Action,
    resource: Resource,
    verdict: str,
    error: Exception | None,
    result: Resource | None,
    skip_exists: bool,
) -> Planned:
    meta = resource.metadata
    kind, name, namespace = resource.KIND, meta.name, meta.namespace or None
    if error is not None or verdict == "failed":
        return Planned(resource, "failed", error)
    live = None if verdict == "created" else _live(client, resource)
    if action == "create" and verdict != "created":
        if skip_exists:
            return Planned(resource, "skipped", result=live, live=live)
        return Planned(resource, "failed", ResourceAlreadyExists(kind=kind, name=name, namespace=namespace))
    if action == "replace":
        if verdict == "created":
            return Planned(resource, "failed", ResourceNotFound(kind=kind, name=name, namespace=namespace))
        return Planned(resource, "replaced", result=result, live=live)
    return Planned(resource, "updated" if verdict == "updated" else verdict, result=result, live=live)  # type: ignore[arg-type]


def _live(client: Client, resource: Resource) -> Resource | None:
    meta = resource.metadata
    try:
        return client.get(resource.KIND, meta.name, meta.namespace or None)
    except ResourceNotFound:
        return None


def _plan_delete(client: Client, resource: Resource, skip_not_exists: bool) -> Planned:
    meta = resource.metadata
    try:
        hooks_for(resource.KIND).refuse(
            "delete", resource.KIND, meta.name, resource_identifier(resource.KIND, meta.name, meta.namespace)
        )
        live = client.get(resource.KIND, meta.name, meta.namespace or None)
    except ResourceNotFound as exc:
        return Planned(resource, "skipped") if skip_not_exists else Planned(resource, "failed", exc)
    except CalicoError as exc:
        return Planned(resource, "failed", exc)
    return Planned(resource, "deleted", result=live, live=live)


_WOULD = {
    "created": "would be created",
    "updated": "would be updated",
    "replaced": "would be replaced",
    "deleted": "would be deleted",
    "unchanged": "is unchanged",
    "skipped": "would be skipped",
}


def dry_run_report(planned: Sequence[Planned]) -> Summary:
    """One line per resource that would succeed; the failures as ``hit error(s): [...]``."""
    lines = "".join(f"{p.identifier} {_WOULD[p.verdict]} (dry run)\n" for p in planned if p.verdict != "failed")
    errors = [p.error for p in planned if p.error is not None]
    return Summary(lines, f"hit error(s): {error_list(errors)}" if errors else None)


# Metadata the datastore sets; it differs between any two writes and says nothing about the change.
_MANAGED = ("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields")


def _yaml_lines(resource: Resource | None) -> list[str]:
    if resource is None:
        return []
    data: dict[str, Any] = resource.to_dict()
    data["metadata"] = {k: v for k, v in data.get("metadata", {}).items() if k not in _MANAGED}
    return to_go_yaml(data).splitlines(keepends=True)


def diff(planned: Sequence[Planned]) -> tuple[str, bool]:
    """The unified diff of each planned apply (live object -> object apply would store) and
    whether anything would change."""
    out: list[str] = []
    for p in planned:
        if p.verdict not in ("created", "updated", "unchanged"):
            continue
        before, after = _yaml_lines(p.live), _yaml_lines(p.result)
        out.extend(
            difflib.unified_diff(
                before,
                after,
                fromfile=f"live {p.identifier}" if p.live is not None else "/dev/null",
                tofile=f"apply {p.identifier}",
            )
        )
    return "".join(out), bool(out)
