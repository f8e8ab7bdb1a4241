"""``calicoctl validate`` for Python: libcalico-go's validator on each resource as it is.

``calicoctl validate -f`` decodes each resource and runs ``validator.Validate`` on it, with no
defaulting and no datastore, so it is stricter than ``create``: an IPv6 pool without
``ipipMode`` fails it (clientv3 would have defaulted ``Never`` first).  :func:`validate` gives that
verdict for one resource or many, every resource checked, each failure naming its resource.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import ValidationError
from .meta import Resource

__all__ = ["ResourceVerdict", "ValidationResult", "validate"]


@dataclass(frozen=True, slots=True)
class ResourceVerdict:
    """One resource and, when it failed, the :class:`~calicopy.ValidationError` naming it."""

    resource: Resource
    error: ValidationError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """The verdict on every resource, in the order given (calicoctl's accounting: how many were
    given, how many passed, and the kind when all are of one kind)."""

    outcomes: tuple[ResourceVerdict, ...]

    @property
    def ok(self) -> bool:
        return all(outcome.ok for outcome in self.outcomes)

    @property
    def num_resources(self) -> int:
        return len(self.outcomes)

    @property
    def num_valid(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.ok)

    @property
    def valid(self) -> list[Resource]:
        return [outcome.resource for outcome in self.outcomes if outcome.ok]

    @property
    def errors(self) -> list[ValidationError]:
        """One error per failing resource, each naming it (``kind``, ``name``, ``namespace``)."""
        return [outcome.error for outcome in self.outcomes if outcome.error is not None]

    @property
    def single_kind(self) -> str:
        """The kind of every resource when they share one (calicoctl words its summary by it), else ``""``."""
        kinds = {outcome.resource.KIND for outcome in self.outcomes}
        return kinds.pop() if len(kinds) == 1 else ""

    def raise_for_errors(self) -> None:
        """Raise the first failing resource's :class:`~calicopy.ValidationError`, if any."""
        for error in self.errors:
            raise error


def validate(resources: Resource | Iterable[Resource]) -> ValidationResult:
    """``calicoctl validate``'s verdict on ``resources``: libcalico-go's validator only, on each
    resource as written (no defaulting, no datastore)."""
    items = [resources] if isinstance(resources, Resource) else list(resources)
    outcomes = []
    for resource in items:
        problems = resource.validation_errors()
        outcomes.append(ResourceVerdict(resource, resource.error_for(problems) if problems else None))
    return ValidationResult(tuple(outcomes))
