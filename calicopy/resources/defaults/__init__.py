"""libcalico-go's defaulting (what clientv3 and the CRD schema fill in on create), per kind.

Family modules contribute ``DEFAULTERS``: model class -> function that fills defaults *in
place* on a copy; :func:`default` returns that copy and never touches the caller's object.
:func:`default_in_place` fills an object the caller owns (one it has just copied or built),
for internal pipelines that would otherwise copy the same resource twice.
Datastore-dependent checks (pool overlap, immutability, tier existence) are pure functions in
the same family modules, so the Client only has to fetch the objects and call them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TypeVar

from ..ippool import IPPool
from ..meta import Resource
from ..registry import KINDS
from . import infra, policy

__all__ = ["DEFAULTERS", "apply_read_defaults", "default", "default_in_place"]

R = TypeVar("R", bound=Resource)


def _join() -> Mapping[type, tuple[Callable[[Resource], None], ...]]:
    joined: dict[type, tuple[Callable[[Resource], None], ...]] = {}
    for family in (policy, infra):
        for cls, fn in family.DEFAULTERS.items():
            joined[cls] = (*joined.get(cls, ()), fn)
    return MappingProxyType(joined)


DEFAULTERS = _join()


def default(resource: R) -> R:
    """A deep copy of ``resource`` with libcalico-go's create-time defaults filled in."""
    return default_in_place(resource.model_copy(deep=True))


def default_in_place(resource: R) -> R:
    """Fill libcalico-go's create-time defaults into ``resource`` itself and return it.

    For objects the caller owns (a private copy, or one built from data nothing else holds);
    :func:`default` is the copying form for everyone else.
    """
    for fill in DEFAULTERS.get(type(resource), ()):
        fill(resource)
    return resource


def apply_read_defaults(resource: Resource) -> None:
    """What clientv3 fills in on every Get/List/Watch, in place: IPPool storage defaults
    (``convertIpPoolFromStorage``) and a policy's missing tier label (``defaultTierLabelIfMissing``)."""
    if isinstance(resource, IPPool):
        infra.ippool_read_defaults(resource)
    elif KINDS[resource.KIND].is_policy:
        policy.ensure_tier_label(resource)
