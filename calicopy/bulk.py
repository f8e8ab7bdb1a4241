"""``Client.apply_all``: many resources applied with calicoctl's per-resource semantics, checked
first, unchanged ones skipped, the rest written concurrently."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

from .clientv3 import Batch, ClientV3, hooks_for, merge_metadata_for_update
from .clientv3.initialize import static_tiers
from .errors import CalicoError, resource_identifier
from .outcomes import ApplyAction, ApplyOutcome
from .resources.meta import Resource
from .resources.registry import KINDS, KindInfo

R = TypeVar("R", bound=Resource)

__all__ = ["Applier", "ApplyAction", "ApplyOutcome", "apply_all"]

# Written before everything else, one at a time: the kinds other resources refer to (a
# policy's Tier, a BGPPeer's BGPFilters).
_REFERENCED_KINDS = frozenset({"Tier", "BGPFilter"})
# Written one at a time, in input order, so that each overlap check sees the pools written before.
_SERIAL_KINDS = frozenset({"IPPool"})


class Applier(Protocol):
    """What a bulk apply needs of the Client (one layer up): the clientv3 pipeline and apply's
    create-or-replace for an object already prepared."""

    v3: ClientV3

    def apply_prepared(self, info: KindInfo, resource: R, prepared: R, batch: Batch | None = None) -> R: ...

    def apply_over(
        self, info: KindInfo, resource: R, prepared: R, stored: Resource, batch: Batch | None = None
    ) -> R: ...


def apply_all(
    client: Applier,
    resources: Iterable[Resource],
    *,
    concurrency: int = 8,
    progress: Callable[[ApplyOutcome], None] | None = None,
    continue_on_error: bool = False,
    dry_run: bool = False,
) -> list[ApplyOutcome]:
    """Apply many resources: check all first, skip unchanged ones, write the rest concurrently.

    * Every resource is defaulted, validated and put through the checks that read the datastore
      (pool overlap, a policy's tier, BGPPeer filters, immutable fields of existing objects)
      before anything is written.  The checks see the datastore as the batch will leave it: a
      pool overlapping another pool of the batch fails, a policy whose Tier comes in the batch
      passes.  If any resource fails, nothing is written (the others come back ``skipped``)
      unless ``continue_on_error``.
    * ``dry_run``: stop after the checks and write nothing (not even the datastore
      initialisation); each outcome says what would happen (``created``, ``updated``,
      ``unchanged``) and ``result`` is the object that would be stored.
    * Existing objects are listed once per kind; a resource whose spec, labels and
      annotations (after defaulting) equal the stored object's is ``unchanged``.
    * Writes run on up to ``concurrency`` threads.  Tiers and BGPFilters are written before
      the resources that may refer to them; IPPools are written one at a time, in input
      order, so that the overlap check sees the pools written before.
    * Each resource is written as ``Client.apply`` writes it, from the object prepared in the
      first step (not defaulted and validated again); a policy's tier is read once per
      distinct tier in the batch (after the batch's own Tiers are written), not per policy.
      A resource the list found stored is updated over that object at once, without apply's
      create attempt (one request instead of three: create, read, update); if it changed or
      vanished since the list, apply's own path decides (:meth:`calicopy.Client.apply_over`).
    * Returns one :class:`ApplyOutcome` per input, in input order; ``progress`` is called
      with each outcome as it is decided.
    """
    items = list(resources)
    outcomes: list[ApplyOutcome | None] = [None] * len(items)
    lock = threading.Lock()

    def decide(i: int, outcome: ApplyOutcome) -> None:
        with lock:
            outcomes[i] = outcome
        if progress is not None:
            progress(outcome)

    def finished() -> list[ApplyOutcome]:
        return [o for o in outcomes if o is not None]

    prepared: dict[int, Resource] = {}
    for i, res in enumerate(items):
        try:
            info = KINDS[res.KIND]
            meta = res.metadata
            identifier = resource_identifier(res.KIND, meta.name, meta.namespace)
            hooks_for(res.KIND).refuse("apply", res.KIND, meta.name, identifier)
            prepared[i] = client.v3.prepare_create(res, info, for_apply=True)
        except (CalicoError, ValueError) as exc:
            decide(i, ApplyOutcome(res, "failed", exc))

    existing: dict[tuple[str, str, str], Resource] = {}
    for kind in sorted({items[i].KIND for i in prepared}):
        for obj in client.v3.list(kind, None, None).items:
            existing[(kind, obj.metadata.namespace, obj.metadata.name)] = obj

    def stored_of(i: int) -> Resource | None:
        filled = prepared[i]
        return existing.get((filled.KIND, filled.metadata.namespace, filled.metadata.name))

    # calicoctl initialises the datastore before it processes resources; a dry run writes nothing,
    # so it plans as if the initialisation had happened (the static tiers exist).
    plan = Batch(planning=True)
    if prepared and not dry_run:
        client.v3.try_ensure_initialized()
    elif not client.v3.initialized:
        for tier in static_tiers():
            plan.plan(tier)

    # The plan: every datastore check, in the order the writes will happen.
    planned: dict[int, tuple[ApplyAction, Resource]] = {}
    for i in _write_order(items, list(prepared)):
        stored = stored_of(i)
        try:
            if stored is None:
                checked = client.v3.check_create(prepared[i].model_copy(deep=True), plan)
                plan.plan(checked)
                planned[i] = ("created", checked)
            elif _unchanged(prepared[i], stored):
                planned[i] = ("unchanged", stored)
            else:
                merged = merge_metadata_for_update(stored, items[i])
                planned[i] = ("updated", client.v3.check_update(merged, stored, plan))
        except (CalicoError, ValueError) as exc:
            decide(i, ApplyOutcome(items[i], "failed", exc))

    failed = len(planned) < len(items)
    if dry_run or (failed and not continue_on_error):
        for i, (action, would) in sorted(planned.items()):
            if dry_run:
                decide(i, ApplyOutcome(items[i], action, result=would))
            else:
                decide(i, ApplyOutcome(items[i], "skipped"))
        return finished()

    for i, (action, would) in planned.items():
        if action == "unchanged":
            decide(i, ApplyOutcome(items[i], "unchanged", result=would))
    to_write = [i for i in planned if planned[i][0] != "unchanged"]
    # Stored objects the plan found stay found (a policy's tier is not read a second time).
    batch = Batch(known=plan.known_to_exist())

    def write(indexes: Sequence[int]) -> None:
        for i in indexes:
            res = items[i]
            stored = stored_of(i)
            try:
                if stored is None:
                    result = client.apply_prepared(KINDS[res.KIND], res, prepared[i], batch)
                else:  # the plan says "updated": a create attempt could only fail
                    result = client.apply_over(KINDS[res.KIND], res, prepared[i], stored, batch)
                decide(i, ApplyOutcome(res, "updated" if stored is not None else "created", result=result))
            except Exception as exc:
                decide(i, ApplyOutcome(res, "failed", exc))

    first = [i for i in to_write if items[i].KIND in _REFERENCED_KINDS]
    serial = [i for i in to_write if items[i].KIND in _SERIAL_KINDS]
    rest = [i for i in to_write if items[i].KIND not in _REFERENCED_KINDS | _SERIAL_KINDS]
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        list(pool.map(lambda i: write([i]), first))
        tasks = [pool.submit(write, serial)] if serial else []
        tasks += [pool.submit(write, [i]) for i in rest]
        for task in tasks:
            task.result()
    return finished()


def _write_order(items: Sequence[Resource], indexes: Sequence[int]) -> list[int]:
    """The order writes happen in: referenced kinds first, then the rest in input order."""
    return sorted(indexes, key=lambda i: (items[i].KIND not in _REFERENCED_KINDS, i))


def _unchanged(filled: Resource, stored: Resource) -> bool:
    new, old = filled.to_dict(), stored.to_dict()
    if new.get("spec") != old.get("spec"):
        return False
    new_meta, old_meta = new.get("metadata", {}), old.get("metadata", {})
    return all(new_meta.get(k, {}) == old_meta.get(k, {}) for k in ("labels", "annotations"))
