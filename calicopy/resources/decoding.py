"""Decoding problems in calicopy's terms: JSON paths and Go-decoder-like reasons.

pydantic reports a location tuple and its own wording; calicoctl users know the field by its
JSON path (``spec.ingress[0].protocol``) and Go's ``encoding/json`` wording (``cannot unmarshal
string into ...``).  Each :class:`~calicopy.errors.ErroredField` also carries the hint a type
gave (a port's forms, an integer type's range).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import pydantic

from ..errors import ErroredField, ValidationError

__all__ = ["errors_from_pydantic", "json_path"]


def json_path(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


# -- pydantic errors in calicopy's terms -------------------------------------------------------

_GO_TYPE_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "bool_type": "a boolean",
        "int_type": "an integer",
        "int_from_float": "an integer",
        "float_type": "a number",
        "string_type": "a string",
        "list_type": "a list",
        "dict_type": "a mapping",
        "model_type": "a mapping",
        "model_attributes_type": "a mapping",
    }
)


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, Mapping):
        return "mapping"
    if value is None:
        return "null"
    return type(value).__name__


def errors_from_pydantic(exc: pydantic.ValidationError, prefix: str = "") -> ValidationError:
    """Turn pydantic's errors into calicopy's: JSON paths, Go-decoder-like reasons and hints."""
    fields: list[ErroredField] = []
    for err in exc.errors(include_url=False):
        path = prefix
        for part in err["loc"]:
            if isinstance(part, str) and (part.startswith("function-") or part in _PYDANTIC_UNION_TAGS):
                continue
            path = json_path(path, part)
        expected = _GO_TYPE_WORDS.get(err["type"])
        value = err.get("input")
        ctx = err.get("ctx") or {}
        hint = ctx.get("hint")
        if expected is not None:
            reason = f"cannot unmarshal {_json_kind(value)} into a field that expects {expected}"
        elif err["type"] == "finite_number":
            # encoding/json refuses to write these at all (sigs.k8s.io/yaml converts YAML to JSON first).
            value = _GO_NON_FINITE.get(repr(value), value)
            reason = f"json: unsupported value: {value}"
            hint = "numbers must be finite: JSON has no NaN or infinity"
        elif err["type"] == "value_error":
            reason = str(ctx.get("error", err["msg"]))
        else:
            reason = err["msg"]
        shown = value if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None
        fields.append(ErroredField(path, reason, shown, hint if isinstance(hint, str) else None))
    return ValidationError(_dedupe(fields))


# strconv.FormatFloat's spelling, which encoding/json's UnsupportedValueError prints.
_GO_NON_FINITE = {"nan": "NaN", "inf": "+Inf", "-inf": "-Inf"}

_PYDANTIC_UNION_TAGS = frozenset({"int", "str", "float", "bool", "list[...]", "dict[...]", "none"})


def _dedupe(fields: list[ErroredField]) -> list[ErroredField]:
    seen: set[tuple[str, str]] = set()
    out = []
    for f in fields:
        if (f.path, f.reason) not in seen:
            seen.add((f.path, f.reason))
            out.append(f)
    return out
