"""calicoctl's multi-resource processing (``commands/common/resources.go`` ``ExecuteConfigCommand``
and ``ExecuteResourceAction``): each resource in order through the Client, with the namespace
rules, the ``--skip-exists``/``--skip-not-exists`` flags and calicoctl's accounting of what was
handled and what failed.

The accounting is calicoctl's, quirks included, because its messages are built on it: a failed
create/apply/delete/get is listed in ``errors`` and not counted as handled; a failed
replace/patch is counted as handled and recorded as ``error`` (the last one wins); a namespace
error is never counted.  :mod:`calicopy.calicoctl.messages` words the result.

``get`` of a resource without a name lists its kind: the result is one :class:`KindList` (what
calicoctl prints as a ``<Kind>List`` object, or as one table); with ``export`` the cluster-specific
metadata of each object is cleared (``--export``, which calicoctl applies to named gets only).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, cast

from ..errors import CalicoError, ResourceAlreadyExists, ResourceNotFound, ValidationError
from ..resources.meta import API_VERSION, Resource
from ..resources.registry import KINDS
from ..resources.verdict import validate
from .namespace import handle_namespace

if TYPE_CHECKING:
    from ..client import Client

__all__ = ["Action", "CommandResults", "KindList", "ResourceOutcome", "Status", "execute", "exported"]

Action = Literal["apply", "create", "replace", "delete", "get", "patch", "validate"]
# A patch as ``-p`` gives it (JSON text) or as a mapping.
Patch = Mapping[str, Any] | str | None
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
class KindList:
    """A list of one kind as calicoctl's clientv3 returns it (``IPPoolList``): the items and the
    list's resourceVersion."""

    kind: str
    items: list[Resource]
    resource_version: str = ""

    @property
    def list_kind(self) -> str:
        return self.kind + "List"

    def to_dict(self) -> dict[str, Any]:
        """The list as Go's encoding/json writes it (TypeMeta, ListMeta, then ``items``)."""
        meta = {"resourceVersion": self.resource_version} if self.resource_version else {}
        return {
            "kind": self.list_kind,
            "apiVersion": API_VERSION,
            "metadata": meta,
            "items": [item.to_dict() for item in self.items],
        }


@dataclass(frozen=True, slots=True)
class ResourceOutcome:
    """What happened to one resource: ``result`` is the stored object (or, for ``get`` without a
    name, the :class:`KindList`), ``error`` why it failed."""

    resource: Resource
    status: Status
    result: Resource | KindList | None = None
    error: Exception | None = None


@dataclass
class CommandResults:
    """calicoctl's ``CommandResults`` with one :class:`ResourceOutcome` per input resource.

    ``error`` with ``file_invalid``: a file could not be read or decoded, nothing was done."""

    num_resources: int = 0
    num_handled: int = 0
    single_kind: str = ""
    outcomes: list[ResourceOutcome] = field(default_factory=list)
    errors: list[Exception] = field(default_factory=list)
    error: Exception | None = None
    file_invalid: bool = False

    @property
    def resources(self) -> list[Resource]:
        """Every object the command produced, lists flattened."""
        out: list[Resource] = []
        for obj in self.objects:
            if isinstance(obj, KindList):
                out.extend(obj.items)
            else:
                out.append(obj)
        return out

    @property
    def objects(self) -> list[Resource | KindList]:
        """What calicoctl's ``get`` prints: each resource fetched by name and each list, in order."""
        return [o.result for o in self.outcomes if o.result is not None and o.status != "failed"]


def execute(
    client: Client,
    resources: Iterable[Resource],
    action: Action,
    *,
    namespace: str = "",
    all_namespaces: bool = False,
    skip_exists: bool = False,
    skip_not_exists: bool = False,
    patch: Patch = None,
    from_arguments: bool = False,
    export: bool = False,
    progress: Callable[[ResourceOutcome], None] | None = None,
) -> CommandResults:
    """Run ``action`` on each resource in order, as calicoctl does.  ``from_arguments``: the
    resources name a kind (and names) on the command line rather than coming from files, which
    makes the command single-kind whatever it finds.  ``export``: clear the cluster-specific
    metadata of what ``get`` returns.  ``progress`` is called with each outcome."""
    items: Sequence[Resource] = list(resources)
    results = CommandResults(num_resources=len(items))
    kinds = {r.KIND for r in items}
    if items and (len(kinds) == 1 or from_arguments):
        results.single_kind = items[-1].KIND
    for resource in items:
        outcome, handled = _execute_one(
            client, resource, action, namespace, all_namespaces, skip_exists, skip_not_exists, patch
        )
        if export and outcome.result is not None:
            outcome = replace(outcome, result=exported(outcome.result))
        results.outcomes.append(outcome)
        if progress is not None:
            progress(outcome)
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
    patch: Patch,
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


def _get(client: Client, resource: Resource, _: Patch) -> Resource | KindList:
    meta = resource.metadata
    info = KINDS[resource.KIND]
    if meta.name:
        if info.namespaced and not meta.namespace:
            raise CalicoError("cannot use --all-namespace flag for getting a single resource", kind=info.kind)
        return client.get(resource.KIND, meta.name, meta.namespace or None)
    listed = client.list_result(resource.KIND, meta.namespace or None)
    items = list(listed.items)
    sort_key = _LIST_ORDER.get(info.kind)
    if sort_key is not None:
        items.sort(key=sort_key)
    return KindList(info.kind, items, listed.resource_version)


def _tier_order(tier: Resource) -> tuple[bool, float]:
    order = cast(Any, tier).spec.order
    return (order is None, 0.0 if order is None else float(order))


# calicoctl sorts some lists itself (``resourcemgr/tier.go``: tiers by order, unset last, stable).
_LIST_ORDER: Mapping[str, Callable[[Resource], Any]] = {"Tier": _tier_order}


def _delete(client: Client, resource: Resource) -> Resource:
    if not resource.metadata.name:
        # What client-go answers for a request without a name (``delete <kind>`` names none).
        raise CalicoError("resource name may not be empty", kind=resource.KIND)
    return client.delete(resource)


def _patch(client: Client, resource: Resource, patch: Patch) -> Resource:
    """``resourcemgr.go`` ``Patch``: read, merge the patch, decode, update; calicoctl words a
    failure by the step that failed (a missing object is reported as the read reports it)."""
    meta = resource.metadata
    namespace = meta.namespace or None
    document: Mapping[str, Any] | str = patch or {}
    if isinstance(patch, str):
        try:
            document = _patch_document(patch)
        except ValueError as exc:
            client.get(resource.KIND, meta.name, namespace)
            raise CalicoError(f"performing strategic merge patch: {exc}", kind=resource.KIND, name=meta.name) from None
    try:
        return client.patch(resource.KIND, meta.name, document, namespace)
    except ResourceNotFound:
        raise
    except ValidationError as exc:
        if exc.operation != "patch":
            raise CalicoError(f"updating existing resource: {exc}", kind=resource.KIND, name=meta.name) from exc
        raise CalicoError(f"creating resource from patched data: {exc}", kind=resource.KIND, name=meta.name) from exc
    except CalicoError as exc:
        raise CalicoError(f"updating existing resource: {exc}", kind=resource.KIND, name=meta.name) from exc


def _patch_document(text: str) -> Mapping[str, Any]:
    decoded = json.loads(text)
    if not isinstance(decoded, dict):
        raise ValueError(f"a patch must be a JSON object, not {type(decoded).__name__}")
    return decoded


def _validate(client: Client, resource: Resource, _: Patch) -> Resource:
    # calicoctl validate's verdict: libcalico-go's validator on the resource as written (no defaulting).
    validate(resource).raise_for_errors()
    return resource


def exported(result: Resource | KindList) -> Resource | KindList:
    """``--export``: the object without namespace, uid, resourceVersion, creation and deletion data."""
    if isinstance(result, KindList):
        return replace(result, items=[_exported(item) for item in result.items])
    return _exported(result)


def _exported(resource: Resource) -> Resource:
    cleared = {
        "namespace": "",
        "uid": "",
        "resource_version": "",
        "creation_timestamp": None,
        "deletion_timestamp": None,
        "deletion_grace_period_seconds": None,
    }
    return resource.model_copy(update={"metadata": resource.metadata.model_copy(update=cleared)})


_Runner = Callable[["Client", Resource, Patch], "Resource | KindList"]
# calicoctl's resource-manager call per action (``ExecuteResourceAction``).
_RUNNERS: Mapping[Action, _Runner] = {
    "apply": lambda client, resource, _: client.apply(resource),
    "create": lambda client, resource, _: client.create(resource),
    "replace": lambda client, resource, _: client.replace(resource),
    "delete": lambda client, resource, _: _delete(client, resource),
    "get": _get,
    "patch": _patch,
    "validate": _validate,
}
