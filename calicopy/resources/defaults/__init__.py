"""libcalico-go's defaulting (what clientv3 and the CRD schema fill in on create), per kind.

Family modules contribute ``DEFAULTERS``: model class name -> function that fills defaults *in
place* on a copy; :func:`default` returns that copy and never touches the caller's object.
:func:`default_in_place` fills an object the caller owns (one it has just copied or built),
for internal pipelines that would otherwise copy the same resource twice.
Datastore-dependent checks (pool overlap, immutability, tier existence) are pure functions in
the same family modules, so the Client only has to fetch the objects and call them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from ..registry import KINDS
from . import infra, policy

if TYPE_CHECKING:
    from ..meta import Resource

__all__ = ["DEFAULTERS", "READ_DEFAULTERS", "apply_read_defaults", "default", "default_in_place"]

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
    for info in KINDS.values():
        if info.is_policy:
            fills[info.kind] = policy.ensure_tier_label
    return MappingProxyType(fills)


# Kind name -> what clientv3 fills in on every Get/List/Watch of that kind.
READ_DEFAULTERS = _read_defaulters()


def default(resource: R) -> R:
    """A deep copy of ``resource`` with libcalico-go's create-time defaults filled in."""
    return default_in_place(resource.model_copy(deep=True))


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
