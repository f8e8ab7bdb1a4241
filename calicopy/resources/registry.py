"""One place for each kind's facts: model class, scope, plural, CRD names, calicoctl names.

Code asks this registry; it does not switch on kind names.  The facts come from the generated
kind table (``kinds.py``, read from Calico v3.32.1's CRDs, calicoctl and libcalico-go by
``tools/gen_models.py``).  Importing the registry imports no model: :attr:`KindInfo.model`
loads the kind's module on first access, so a program pays only for the kinds it uses.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

from .generated.kinds import KIND_FACTS, MODELS_PACKAGE, KindFacts

if TYPE_CHECKING:
    from .meta import Resource

__all__ = [
    "KINDS",
    "KindInfo",
    "all_kinds",
    "kind_for_name",
    "lookup",
    "lookup_model",
]


@dataclass(frozen=True)
class KindInfo:
    kind: str
    plural: str
    namespaced: bool
    # crd.projectcalico.org/v1 names (``None``: not stored as a v1 custom resource).
    v1_kind: str | None
    v1_plural: str | None
    calicoctl_names: tuple[str, ...]
    # Where the model lives: ``<module>.<class_name>`` in the generated models package.
    module: str
    class_name: str
    is_policy: bool

    @property
    def list_kind(self) -> str:
        return self.kind + "List"

    @cached_property
    def model(self) -> type[Resource]:
        """The kind's model class; its module (and pydantic schema) is loaded on first access."""
        module = importlib.import_module(f"{MODELS_PACKAGE}.{self.module}")
        model: type[Resource] = getattr(module, self.class_name)
        return model


def _info(facts: KindFacts) -> KindInfo:
    return KindInfo(
        kind=facts.kind,
        plural=facts.plural,
        namespaced=facts.namespaced,
        v1_kind=facts.v1_kind,
        v1_plural=facts.v1_plural,
        calicoctl_names=facts.calicoctl_names,
        module=facts.module,
        class_name=facts.class_name,
        is_policy=facts.is_policy,
    )


KINDS: Mapping[str, KindInfo] = MappingProxyType({facts.kind: _info(facts) for facts in KIND_FACTS})

_BY_LOWER: Mapping[str, KindInfo] = MappingProxyType({k.lower(): v for k, v in KINDS.items()})
_BY_CALICOCTL_NAME: Mapping[str, KindInfo] = MappingProxyType(
    {name: info for info in KINDS.values() for name in info.calicoctl_names}
)


def lookup(kind: str) -> KindInfo:
    """The facts of ``kind`` (exact kind name, as in a manifest); KeyError if calicopy does not know it."""
    return KINDS[kind]


def lookup_model(kind: str) -> type[Resource]:
    return KINDS[kind].model


def kind_for_name(word: str) -> KindInfo | None:
    """Resolve a word typed on a command line (``ippool``, ``gnp``, ``IPPools``) as calicoctl does (case-insensitive)."""
    lowered = word.lower()
    return _BY_CALICOCTL_NAME.get(lowered) or _BY_LOWER.get(lowered)


def all_kinds() -> Iterator[KindInfo]:
    return iter(KINDS.values())
