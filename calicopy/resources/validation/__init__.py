"""libcalico-go's validation (``libcalico-go/lib/validator/v3``) plus the CRD schema rules, for every kind.

Rules live in family modules, each contributing ``FIELD_CHECKS`` (tag name -> check) and
``STRUCT_CHECKS`` (model class name -> struct-level checks); this package joins the tables once,
read-only, and exposes :func:`validate_resource`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING

from ...errors import ErroredField
from . import bgp, common, infra, policy, rules
from .engine import FieldCheck, Report, StructCheck, Validator

if TYPE_CHECKING:
    from ..meta import Resource

__all__ = ["FIELD_CHECKS", "STRUCT_CHECKS", "VALIDATOR", "Report", "validate_resource"]

_FAMILIES = (common, rules, policy, infra, bgp)


def _join_fields() -> Mapping[str, FieldCheck]:
    joined: dict[str, FieldCheck] = {}
    for family in _FAMILIES:
        for tag, check in family.FIELD_CHECKS.items():
            if tag in joined:
                raise RuntimeError(f"validate tag {tag!r} defined twice")
            joined[tag] = check
    return MappingProxyType(joined)


def _join_structs() -> Mapping[str, Sequence[StructCheck]]:
    joined: dict[str, tuple[StructCheck, ...]] = {}
    for family in _FAMILIES:
        for name, checks in family.STRUCT_CHECKS.items():
            joined[name] = joined.get(name, ()) + tuple(checks)
    return MappingProxyType(joined)


FIELD_CHECKS = _join_fields()
STRUCT_CHECKS = _join_structs()
VALIDATOR = Validator(FIELD_CHECKS, STRUCT_CHECKS)


def validate_resource(resource: Resource) -> list[ErroredField]:
    """Every validation failure of ``resource`` (libcalico-go rules, then CRD rules), in walk order."""
    return VALIDATOR.validate(resource)
