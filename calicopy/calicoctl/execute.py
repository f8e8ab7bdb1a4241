"""calicoctl's multi-resource processing (``commands/common/resources.go`` ``ExecuteConfigCommand``
and ``ExecuteResourceAction``): each resource in order through the Client, with the namespace
rules, the ``--skip-exists``/``--skip-not-exists`` flags and calicoctl's accounting of what was
handled and what failed.

The accounting is calicoctl's, quirks included, because its messages are built on it: a failed
create/apply/delete/get is listed in ``errors`` and not counted as handled; a failed
replace/patch is counted as handled and recorded as ``error`` (the last one wins); a namespace
error is never counted.  :mod:`calicopy.calicoctl.messages` words the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..errors import ResourceAlreadyExists, ResourceNotFound
from ..resources.meta import Resource
from ..resources.registry import KINDS
from ..resources.verdict import validate
from .namespace import handle_namespace

if TYPE_CHECKING:
    from ..client import Client

__all__ = ["Action", "CommandResults", "ResourceOutcome", "Status", "execute"]

Action = Literal["apply", "create", "replace", "delete", "get", "patch", "validate"]
Status = Literal["created", "applied", "replaced", "deleted", "patched", "read", "valid", "skipped", "failed"]

_DONE: Mapping[Action, Status] = {
    "apply": "applied",
    "create": "created",
    "replace": "replaced",
    "delete": "deleted",
    "get": "read",
    "patch": "patched",
    "validate": "valid",
}
# Actions whose per-resource failures calicoctl collects and skips past (the others record the
# failure as the command's error and still count the resource as handled).
_COLLECTED: frozenset[Action] = frozenset({"apply", "create", "delete", "get", "validate"})


@dataclass(frozen=True, slots=True)
class ResourceOutcome:
    """What happened to one resource: ``result`` is the stored object (or, for ``get`` without a
    name, the list), ``error`` why it failed."""

    resource: Resource
    status: Status
    result: Resource | list[Resource] | None = None
    error: Exception | None = None


@dataclass
class CommandResults:
    """calicoctl's ``CommandResults`` with one :class:`ResourceOutcome` per input resource."""

    num_resources: int = 0
    num_handled: int = 0
    single_kind: str = ""
    outcomes: list[ResourceOutcome] = field(default_factory=list)
    errors: list[Exception] = field(default_factory=list)
    error: Exception | None = None

    @property
    def resources(self) -> list[Resource]:
        """Every object the command produced, lists flattened (what ``get`` prints)."""
        out: list[Resource] = []
        for outcome in self.outcomes:
            if isinstance(outcome.result, list):
                out.extend(outcome.result)
            elif outcome.result is not None:
                out.append(outcome.result)
        return out


def execute(
    client: Client,
    resources: Iterable[Resource],
    action: Action,
    *,
    namespace: str = "",
    all_namespaces: bool = False,
    skip_exists: bool = False,
    skip_not_exists: bool = False,
    patch: Mapping[str, Any] | None = None,
    from_arguments: bool = False,
) -> CommandResults:
    """Run ``action`` on each resource in order, as calicoctl does.  ``from_arguments``: the
    resources name a kind (and names) on the command line rather than coming from files, which
    makes the command single-kind whatever it finds."""
    items: Sequence[Resource] = list(resources)
    results = CommandResults(num_resources=len(items))
    kinds = {r.KIND for r in items}
    if items and (len(kinds) == 1 or from_arguments):
        results.single_kind = items[-1].KIND
    for resource in items:
        outcome, handled = _execute_one(
            client, resource, action, namespace, all_namespaces, skip_exists, skip_not_exists, patch
        )
        results.outcomes.append(outcome)
        if outcome.error is not None:
            if action in _COLLECTED:
                results.errors.append(outcome.error)
                continue
            results.error = outcome.error
        results.num_handled += handled
    return results


def _execute_one(
    client: Client,
    resource: Resource,
    action: Action,
    cli_namespace: str,
    all_namespaces: bool,
    skip_exists: bool,
    skip_not_exists: bool,
    patch: Mapping[str, Any] | None,
) -> tuple[ResourceOutcome, int]:
    info = KINDS[resource.KIND]
    try:
        namespace = handle_namespace(info, resource.metadata.namespace, cli_namespace, all_namespaces)
    except ValueError as exc:
        return ResourceOutcome(resource, "failed", error=exc), 0
    if namespace != resource.metadata.namespace:
        meta = resource.metadata.model_copy(update={"namespace": namespace})
        resource = resource.model_copy(update={"metadata": meta})
    try:
        result = _RUNNERS[action](client, resource, patch)
    except ResourceAlreadyExists as exc:
        if skip_exists:
            return ResourceOutcome(resource, "skipped", resource), 1
        return ResourceOutcome(resource, "failed", error=exc), 1
    except ResourceNotFound as exc:
        if skip_not_exists:
            return ResourceOutcome(resource, "skipped", resource), 1
        return ResourceOutcome(resource, "failed", error=exc), 1
    except Exception as exc:
        return ResourceOutcome(resource, "failed", error=exc), 1
    return ResourceOutcome(resource, _DONE[action], result), 1


def _get(client: Client, resource: Resource, _: Mapping[str, Any] | None) -> Resource | list[Resource]:
    meta = resource.metadata
    if meta.name:
        return client.get(resource.KIND, meta.name, meta.namespace or None)
    return client.list(resource.KIND, meta.namespace or None)


def _patch(client: Client, resource: Resource, patch: Mapping[str, Any] | None) -> Resource:
    meta = resource.metadata
    return client.patch(resource.KIND, meta.name, patch or {}, meta.namespace or None)


def _validate(client: Client, resource: Resource, _: Mapping[str, Any] | None) -> Resource:
    validate(resource).raise_for_errors()
    return resource


_Runner = Callable[["Client", Resource, "Mapping[str, Any] | None"], "Resource | list[Resource]"]
# calicoctl's resource-manager call per action (``ExecuteResourceAction``).
_RUNNERS: Mapping[Action, _Runner] = {
    "apply": lambda client, resource, _: client.apply(resource),
    "create": lambda client, resource, _: client.create(resource),
    "replace": lambda client, resource, _: client.replace(resource),
    "delete": lambda client, resource, _: client.delete(resource),
    "get": _get,
    "patch": _patch,
    "validate": _validate,
}
