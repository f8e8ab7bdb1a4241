"""libcalico-go's defaulting (what clientv3 and the CRD schema fill in on create), per kind.

Family modules contribute ``DEFAULTERS``: model class name -> function that fills defaults *in
place* on a copy; :func:`default` returns that copy and never touches the caller's object.
:func:`default_in_place` fills an object the caller owns (one it has just copied or built),
for internal pipelines that would otherwise copy the same resource twice.
Keyed by name like the validation rules, and importing no model and not the registry, so that
the models' own strict input path (:class:`~calicopy.resources.meta.Resource`) can default
before it validates, as clientv3 does.
Datastore-dependent checks (pool overlap, immutability, tier existence) are pure functions in
the same family modules, so the Client only has to fetch the objects and call them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from ...errors import ErroredField
from ..model import CalicoModel, shallow_copy
from . import infra, policy

if TYPE_CHECKING:
    from ..meta import ObjectMeta, Resource

__all__ = [
    "DEFAULTERS",
    "READ_DEFAULTERS",
    "apply_read_defaults",
    "create_errors",
    "create_view",
    "default",
    "default_in_place",
    "defaultable_copy",
]

R = TypeVar("R", bound="Resource")


def _join() -> Mapping[str, tuple[Callable[[Resource], None], ...]]:
    joined: dict[str, tuple[Callable[[Resource], None], ...]] = {}
    for family in (policy, infra):
        for name, fn in family.DEFAULTERS.items():
            joined[name] = (*joined.get(name, ()), fn)
    return MappingProxyType(joined)


DEFAULTERS = _join()


def _read_defaulters() -> Mapping[str, Callable[[Any], None]]:
    fills: dict[str, Callable[[Any], None]] = {"IPPool": infra.ippool_read_defaults}
    fills.update(dict.fromkeys(policy.TIERED_POLICY_KINDS, policy.ensure_tier_label))
    return MappingProxyType(fills)


# Kind name -> what clientv3 fills in on every Get/List/Watch of that kind.
READ_DEFAULTERS = _read_defaulters()


def default(resource: R) -> R:
    """A deep copy of ``resource`` with libcalico-go's create-time defaults filled in."""
    return default_in_place(resource.model_copy(deep=True))


def defaultable_copy(resource: R, metadata: ObjectMeta | None = None) -> R:
    """A copy of ``resource`` that defaulting may fill without touching ``resource``.

    It copies only what defaulting writes: the resource, its metadata (with fresh ``labels``;
    or ``metadata`` itself, which the caller owns) and its spec, each shallowly; everything
    nested is shared.  That holds because the defaulters rebind attributes and never change a
    nested object in place (a nested struct they fill is replaced by a filled copy); ``labels``
    is the one container they write into.
    """
    copy = shallow_copy(resource)
    if metadata is None:
        metadata = shallow_copy(resource.metadata)
        metadata.__dict__["labels"] = dict(metadata.labels)
    copy.__dict__["metadata"] = metadata
    spec = getattr(resource, "spec", None)
    if isinstance(spec, CalicoModel):
        copy.__dict__["spec"] = shallow_copy(spec)
    return copy


def create_view(resource: R) -> R:
    """``resource`` as clientv3 validates it on create: defaulted, without touching ``resource``
    (every model construction runs this: see :func:`defaultable_copy`).  A kind without
    create-time defaults is its own view."""
    fills = DEFAULTERS.get(type(resource).__name__)
    if not fills:
        return resource
    view = defaultable_copy(resource)
    for fill in fills:
        fill(view)
    return view


def create_errors(view: Resource) -> list[ErroredField]:
    """clientv3's create-time checks that need no datastore, on a :func:`create_view`: they run
    before (and, when they fail, instead of) the validator."""
    check = infra.CREATE_CHECKS.get(type(view).__name__)
    return check(view) if check is not None else []


def default_in_place(resource: R) -> R:
    """Fill libcalico-go's create-time defaults into ``resource`` itself and return it.

    For objects the caller owns (a private copy, or one built from data nothing else holds);
    :func:`default` is the copying form for everyone else.
    """
    for fill in DEFAULTERS.get(type(resource).__name__, ()):
        fill(resource)
    return resource


def apply_read_defaults(resource: Resource) -> None:
    """What clientv3 fills in on every Get/List/Watch, in place: IPPool storage defaults
    (``convertIpPoolFromStorage``) and a policy's missing tier label (``defaultTierLabelIfMissing``)."""
    fill = READ_DEFAULTERS.get(resource.KIND)
    if fill is not None:
        fill(resource)
