"""Validation rules: infra family (see engine.py for the table conventions)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .engine import FieldCheck, StructCheck

FIELD_CHECKS: Mapping[str, FieldCheck] = {}
STRUCT_CHECKS: Mapping[type, Sequence[StructCheck]] = {}
