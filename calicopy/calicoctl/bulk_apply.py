"""``apply`` of many resources through :func:`calicopy.bulk.apply_all`, where that is calicoctl's
outcome: every resource checked first, unchanged ones left alone, the rest written concurrently,
and the same successes, failures, texts and counts as calicoctl's one-at-a-time loop.

They are the same when the order of the writes cannot matter.  ``apply_all`` writes Tiers and
BGPFilters before everything else, so a batch in which such a resource comes after a resource
of another kind (a policy before its Tier: calicoctl fails the policy, then creates the Tier)
goes one at a time; so does a batch naming one object twice (calicoctl creates, then replaces).
Everything else is independent: IPPools are checked and written in input order by ``apply_all``
too, and a resource that fails does not stop the others (calicoctl collects the error and goes
on).  A single resource goes one at a time (there is nothing to gain).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..bulk import ApplyOutcome
from ..errors import CalicoError
from ..resources.meta import Resource
from ..resources.registry import KINDS
from .actions import CommandResults, ResourceOutcome, execute
from .namespace import handle_namespace

if TYPE_CHECKING:
    from ..client import Client

__all__ = ["REFERENCED_KINDS", "apply", "bulk_equivalent"]

_log = logging.getLogger(__name__)

#: Kinds ``apply_all`` writes before all others (other resources refer to them).
REFERENCED_KINDS = frozenset({"Tier", "BGPFilter"})


def bulk_equivalent(resources: Sequence[Resource]) -> bool:
    """Whether applying ``resources`` in bulk ends as applying them one at a time would."""
    if len(resources) < 2:
        return False
    keys = {(r.KIND, r.metadata.namespace, r.metadata.name) for r in resources}
    if len(keys) < len(resources):
        return False
    seen_other = False
    for resource in resources:
        if resource.KIND in REFERENCED_KINDS:
            if seen_other:
                return False
        else:
            seen_other = True
    return True


def apply(
    client: Client,
    resources: Sequence[Resource],
    *,
    namespace: str = "",
    all_namespaces: bool = False,
    progress: Callable[[ResourceOutcome], None] | None = None,
) -> CommandResults:
    """calicoctl's ``apply`` of ``resources``: in bulk when :func:`bulk_equivalent` after the
    namespace rules, else one at a time; the results are calicoctl's either way."""
    placed: list[Resource | CalicoError] = []
    for resource in resources:
        info = KINDS[resource.KIND]
        try:
            ns = handle_namespace(info, resource.metadata.namespace, namespace, all_namespaces)
        except CalicoError as exc:
            placed.append(exc)
            continue
        if ns != resource.metadata.namespace:
            resource = resource.model_copy(update={"metadata": resource.metadata.model_copy(update={"namespace": ns})})
        placed.append(resource)
    valid = [r for r in placed if isinstance(r, Resource)]
    if not bulk_equivalent(valid):
        return execute(
            client, resources, "apply", namespace=namespace, all_namespaces=all_namespaces, progress=progress
        )

    def report(outcome: ApplyOutcome) -> None:
        if progress is not None:
            progress(_outcome(outcome))

    # calicoctl's tryEnsureInitialized, before any resource is looked at: the plan must see the
    # default tier (and the other static objects) a fresh datastore gets on its first write.
    try:
        client.ensure_initialized()
    except CalicoError as exc:
        _log.info("Unable to initialize datastore: %s", exc)
    applied = iter(client.apply_all(valid, continue_on_error=True, progress=report))
    results = CommandResults(num_resources=len(resources))
    if len({r.KIND for r in resources}) == 1:
        results.single_kind = resources[-1].KIND
    for original, item in zip(resources, placed, strict=True):
        if isinstance(item, CalicoError):
            results.outcomes.append(ResourceOutcome(original, "failed", error=item))
            results.errors.append(item)
            continue
        outcome = _outcome(next(applied))
        results.outcomes.append(outcome)
        if outcome.error is not None:
            results.errors.append(outcome.error)
        else:
            results.num_handled += 1
    return results


def _outcome(outcome: ApplyOutcome) -> ResourceOutcome:
    if outcome.action == "failed" or outcome.error is not None:
        return ResourceOutcome(outcome.resource, "failed", error=outcome.error)
    return ResourceOutcome(outcome.resource, "applied", outcome.result)
