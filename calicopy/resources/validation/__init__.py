"""libcalico-go's validation (``libcalico-go/lib/validator/v3``) plus the CRD schema rules, for every kind.

Rules live in family modules, each contributing ``FIELD_CHECKS`` (tag name -> check) and
``STRUCT_CHECKS`` (model class name -> struct-level checks); this package joins the tables once,
read-only, and exposes :func:`validate_resource`.

The families (and the selector parser they use) are imported when the tables are first needed,
not with the package: reading objects (``calicopy get``) needs the package's ``common`` helpers,
never the rules.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping, Sequence
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any

from ...errors import ErroredField
from .engine import FieldCheck, Report, StructCheck, Validator

if TYPE_CHECKING:
    from ..meta import Resource

__all__ = ["FIELD_CHECKS", "STRUCT_CHECKS", "VALIDATOR", "Report", "validate_resource"]

_FAMILIES = ("common", "rules", "policy", "infra", "bgp")


def _families() -> tuple[ModuleType, ...]:
    return tuple(importlib.import_module(f"{__name__}.{family}") for family in _FAMILIES)


def _join_fields(families: Sequence[ModuleType]) -> Mapping[str, FieldCheck]:
    joined: dict[str, FieldCheck] = {}
    for family in families:
        for tag, check in family.FIELD_CHECKS.items():
            if tag in joined:
                raise RuntimeError(f"validate tag {tag!r} defined twice")
            joined[tag] = check
    return MappingProxyType(joined)


def _join_structs(families: Sequence[ModuleType]) -> Mapping[str, Sequence[StructCheck]]:
    joined: dict[str, tuple[StructCheck, ...]] = {}
    for family in families:
        for name, checks in family.STRUCT_CHECKS.items():
            joined[name] = joined.get(name, ()) + tuple(checks)
    return MappingProxyType(joined)


@functools.cache
def _tables() -> tuple[Mapping[str, FieldCheck], Mapping[str, Sequence[StructCheck]], Validator]:
    families = _families()
    fields, structs = _join_fields(families), _join_structs(families)
    return fields, structs, Validator(fields, structs)


_TABLES = ("FIELD_CHECKS", "STRUCT_CHECKS", "VALIDATOR")


def __getattr__(name: str) -> Any:
    # FIELD_CHECKS, STRUCT_CHECKS and VALIDATOR, built on first use.
    if name not in _TABLES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return _tables()[_TABLES.index(name)]


def validate_resource(resource: Resource) -> list[ErroredField]:
    """Every validation failure of ``resource`` (libcalico-go rules, then CRD rules), in walk order."""
    return _tables()[2].validate(resource)
