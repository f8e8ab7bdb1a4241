"""Structural (OpenAPI v3) schemas derived from calicopy's own models, and the CRD pipeline that uses them.

The schemas are built from the pydantic models (field aliases, Python types) and the
:class:`~calicopy.resources.model.GoField` metadata (kubebuilder markers: enums, bounds,
lengths, patterns, formats, defaults, required), not from copied CRD manifests.

:func:`process` applies what the API server does to a custom resource on write, in its order:
prune ``null`` values of non-nullable fields, apply defaults, prune unknown fields, then
validate (types, enums, bounds, lengths, items, patterns, formats, required).  Errors are
``field.Error``-like :class:`FieldError`\\ s whose text matches the real server's.
"""

from __future__ import annotations

import ipaddress
import json
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from types import NoneType, UnionType
from typing import Any, Literal, Union, get_args, get_origin

from calicopy.kdd.kinds import v1_string_bools
from calicopy.resources.meta import ObjectMeta
from calicopy.resources.model import CalicoModel, GoField
from calicopy.resources.registry import KindInfo
from calicopy.resources.types import ASNumber, Duration, Port

__all__ = ["FieldError", "Schema", "kind_schema", "model_schema", "process"]

Schema = dict[str, Any]

_ASNUMBER_MARKERS = tuple(get_args(ASNumber)[1:])
_DURATION_MARKERS = tuple(get_args(Duration)[1:])
_INT_OR_STRING: Schema = {"x-kubernetes-int-or-string": True}
_PRESERVE: Schema = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}


def _marker_in(metadata: typing.Iterable[Any], markers: tuple[Any, ...]) -> bool:
    return any(any(m is k for k in markers) for m in metadata)


def _type_schema(tp: Any, metadata: tuple[Any, ...], building: set[type]) -> Schema:
    """The schema of one Python type (``metadata``: the Annotated extras seen on the way)."""
    origin = get_origin(tp)
    if origin is typing.Annotated:
        args = get_args(tp)
        return _type_schema(args[0], metadata + tuple(args[1:]), building)
    if _marker_in(metadata, _ASNUMBER_MARKERS):
        return {"type": "integer", "format": "int32"}
    if _marker_in(metadata, _DURATION_MARKERS):
        return {"type": "string"}
    if origin in (Union, UnionType):
        members = [a for a in get_args(tp) if a is not NoneType]
        if len(members) == 1:
            return _type_schema(members[0], metadata, building)
        bare = {get_origin(a) or a for a in members}
        if bare <= {int, str, typing.Annotated}:
            return dict(_INT_OR_STRING)
        return dict(_PRESERVE)
    if origin is list:
        (item,) = get_args(tp)
        items = _type_schema(item, (), building)
        if get_origin(item) in (Union, UnionType) and NoneType in get_args(item):
            items = dict(items, nullable=True)  # Go's []*T: nil elements are data (IPAMBlock allocations)
        return {"type": "array", "items": items}
    if origin is dict:
        _, value = get_args(tp)
        if value is Any:
            return dict(_PRESERVE)
        return {"type": "object", "additionalProperties": _type_schema(value, (), building)}
    if origin is Literal:
        values = list(get_args(tp))
        return {"type": "string", "enum": values}
    if tp is Any:
        return {"x-kubernetes-preserve-unknown-fields": True}
    if tp is Port:
        return dict(_INT_OR_STRING)
    if isinstance(tp, type):
        if issubclass(tp, CalicoModel):
            return model_schema(tp, building)
        if issubclass(tp, bool):
            return {"type": "boolean"}
        if issubclass(tp, Enum):
            return {"type": "string", "enum": [m.value for m in tp]}
        if issubclass(tp, int):
            return {"type": "integer"}
        if issubclass(tp, float):
            return {"type": "number"}
        if issubclass(tp, str):
            return {"type": "string"}
    if any(type(m).__name__ == "WithJsonSchema" for m in metadata):
        return dict(_INT_OR_STRING)
    return {"x-kubernetes-preserve-unknown-fields": True}


def _apply_markers(schema: Schema, go: GoField) -> Schema:
    if go.enum:
        schema["enum"] = list(go.enum)
    if go.item_enum and isinstance(schema.get("items"), dict):
        schema["items"] = dict(schema["items"], enum=list(go.item_enum))
    for attr, key in (
        ("minimum", "minimum"),
        ("maximum", "maximum"),
        ("min_length", "minLength"),
        ("max_length", "maxLength"),
        ("min_items", "minItems"),
        ("max_items", "maxItems"),
        ("pattern", "pattern"),
        ("format", "format"),
    ):
        value = getattr(go, attr)
        if value is not None:
            schema[key] = value
    if go.default is not None:
        schema["default"] = go.default
    if go.list_set:
        schema["x-kubernetes-list-type"] = "set"
    return schema


_CACHE: dict[type[CalicoModel], Schema] = {}


def model_schema(model: type[CalicoModel], building: set[type] | None = None) -> Schema:
    """The structural schema of a model class (cached; recursive references preserve unknown fields)."""
    cached = _CACHE.get(model)
    if cached is not None:
        return cached
    building = building if building is not None else set()
    if model in building:
        return dict(_PRESERVE)
    building.add(model)
    try:
        properties: dict[str, Schema] = {}
        required: list[str] = []
        for plan in model.__calico_plan__.fields:
            info = model.model_fields[plan.name]
            schema = _type_schema(info.annotation, tuple(info.metadata), building)
            properties[plan.alias] = _apply_markers(schema, plan.go)
            if plan.go.required:
                required.append(plan.alias)
        result: Schema = {"type": "object", "properties": properties}
        if required:
            result["required"] = required
    finally:
        building.discard(model)
    _CACHE[model] = result
    return result


def kind_schema(info: KindInfo, group: str = "crd.projectcalico.org/v1") -> Schema:
    """The openAPIV3Schema of ``info``'s custom resource in ``group`` (``crd.projectcalico.org/v1``:
    the v3 spec, plain ObjectMeta, and the v1 string-typed bools; ``projectcalico.org/v3``: the v3 object)."""
    full = model_schema(info.model)
    properties: dict[str, Schema] = {
        "apiVersion": {"type": "string"},
        "kind": {"type": "string"},
        "metadata": model_schema(ObjectMeta),
    }
    for key in ("spec", "status"):
        if key in full["properties"]:
            properties[key] = json.loads(json.dumps(full["properties"][key]))
    string_bools = v1_string_bools(info.kind)
    if group.startswith("crd.") and string_bools and "spec" in properties:
        spec_props = properties["spec"].get("properties", {})
        for name in string_bools:
            if name in spec_props:
                spec_props[name] = {"type": "string"}
    return {"type": "object", "properties": properties}


# -- the write pipeline -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldError:
    """One ``field.Error``: ``reason`` is the StatusCause type (``FieldValueInvalid`` ...)."""

    field: str
    reason: str
    detail: str

    def __str__(self) -> str:
        return f"{self.field}: {self.detail}"

    def cause(self) -> dict[str, str]:
        return {"reason": self.reason, "message": self.detail, "field": self.field}


def _go_value(value: Any) -> str:
    """Go's ``%#v``-ish rendering of a value in field errors."""
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return json.dumps(value, separators=(",", ":"))


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _type_ok(expected: str, value: Any) -> bool:
    actual = _json_type(value)
    if expected == actual:
        return True
    if expected == "number" and actual == "integer":
        return True
    return expected == "integer" and isinstance(value, float) and value.is_integer()


def _format_ok(fmt: str, value: str) -> bool:
    try:
        if fmt == "cidr":
            ipaddress.ip_network(value, strict=False)
            return "/" in value
        if fmt == "ipv4":
            return isinstance(ipaddress.ip_address(value), ipaddress.IPv4Address)
        if fmt == "ipv6":
            return isinstance(ipaddress.ip_address(value), ipaddress.IPv6Address)
        if fmt == "ip":
            ipaddress.ip_address(value)
            return True
    except ValueError:
        return False
    return True  # formats the apiserver does not check (or that calicopy does not know) pass


def _child(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def process(schema: Schema, value: Any, path: str = "") -> tuple[Any, list[FieldError]]:
    """Prune, default and validate ``value`` against ``schema``; returns the new value and the errors."""
    errors: list[FieldError] = []
    result = _walk(schema, value, path, errors)
    return result, errors


def _walk(schema: Mapping[str, Any], value: Any, path: str, errors: list[FieldError]) -> Any:
    if schema.get("x-kubernetes-int-or-string"):
        if not isinstance(value, (int, str)) or isinstance(value, bool):
            errors.append(
                FieldError(
                    path,
                    "FieldValueTypeInvalid",
                    f'Invalid value: "{_json_type(value)}": {path} in body must be of type integer,string: {_go_value(value)}',
                )
            )
        return value
    expected = schema.get("type")
    if expected is not None and not _type_ok(expected, value):
        errors.append(
            FieldError(
                path,
                "FieldValueTypeInvalid",
                f'Invalid value: "{_json_type(value)}": {path} in body must be of type {expected}: {_go_value(value)}',
            )
        )
        return value
    if expected == "integer" and isinstance(value, float):
        value = int(value)
    if isinstance(value, dict):
        value = _walk_object(schema, value, path, errors)
    elif isinstance(value, list):
        value = _walk_array(schema, value, path, errors)
    _check_scalar(schema, value, path, errors)
    return value


def _walk_object(schema: Mapping[str, Any], value: dict[str, Any], path: str, errors: list[FieldError]) -> Any:
    properties: Mapping[str, Any] | None = schema.get("properties")
    additional: Mapping[str, Any] | None = schema.get("additionalProperties")
    preserve = bool(schema.get("x-kubernetes-preserve-unknown-fields"))
    out: dict[str, Any] = {}
    for key, item in value.items():
        sub = properties.get(key) if properties is not None else None
        if sub is None and additional is not None:
            sub = additional
        if item is None and not (sub or {}).get("nullable"):
            continue  # null values of non-nullable fields are pruned
        if sub is None:
            if preserve:
                out[key] = item
            continue  # unknown field: pruned
        out[key] = _walk(sub, item, _child(path, key), errors)
    if properties is not None:
        for key, sub in properties.items():
            if key not in out and "default" in sub:
                out[key] = json.loads(json.dumps(sub["default"]))
        for key in schema.get("required", ()):
            if key not in out:
                errors.append(FieldError(_child(path, key), "FieldValueRequired", "Required value"))
    return out


def _walk_array(schema: Mapping[str, Any], value: list[Any], path: str, errors: list[FieldError]) -> Any:
    items: Mapping[str, Any] | None = schema.get("items")
    if items is None:
        return value
    out: list[Any] = []
    for i, item in enumerate(value):
        if item is None and items.get("nullable"):
            out.append(None)
            continue
        if item is None:
            errors.append(
                FieldError(
                    f"{path}[{i}]",
                    "FieldValueTypeInvalid",
                    f'Invalid value: "null": {path}[{i}] in body must be of type {items.get("type", "object")}: "null"',
                )
            )
            out.append(item)
            continue
        out.append(_walk(items, item, f"{path}[{i}]", errors))
    if schema.get("x-kubernetes-list-type") == "set":
        seen: list[Any] = []
        for i, item in enumerate(out):
            if item in seen:
                errors.append(FieldError(f"{path}[{i}]", "FieldValueDuplicate", f"Duplicate value: {_go_value(item)}"))
            else:
                seen.append(item)
    return out


def _check_scalar(schema: Mapping[str, Any], value: Any, path: str, errors: list[FieldError]) -> None:
    enum = schema.get("enum")
    if enum is not None and value not in enum:
        supported = ", ".join(_go_value(v) for v in enum)
        errors.append(
            FieldError(
                path, "FieldValueNotSupported", f"Unsupported value: {_go_value(value)}: supported values: {supported}"
            )
        )
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(
                FieldError(
                    path,
                    "FieldValueInvalid",
                    f"Invalid value: {_go_value(value)}: {path} in body should be less than or equal to {_num(schema['maximum'])}",
                )
            )
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(
                FieldError(
                    path,
                    "FieldValueInvalid",
                    f"Invalid value: {_go_value(value)}: {path} in body should be greater than or equal to {_num(schema['minimum'])}",
                )
            )
    if isinstance(value, str):
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(
                FieldError(path, "FieldValueTooLong", f"Too long: may not be more than {schema['maxLength']} bytes")
            )
        if "minLength" in schema and len(value) < schema["minLength"]:
            errors.append(
                FieldError(
                    path,
                    "FieldValueInvalid",
                    f"Invalid value: {_go_value(value)}: {path} in body should be at least {schema['minLength']} chars long",
                )
            )
        pattern = schema.get("pattern")
        if pattern is not None and _go_pattern(pattern).search(value) is None:
            errors.append(
                FieldError(
                    path,
                    "FieldValueInvalid",
                    f"Invalid value: {_go_value(value)}: {path} in body should match '{pattern}'",
                )
            )
        fmt = schema.get("format")
        if fmt is not None and not _format_ok(fmt, value):
            errors.append(
                FieldError(
                    path,
                    "FieldValueInvalid",
                    f"Invalid value: {_go_value(value)}: {path} in body must be of type {fmt}: {_go_value(value)}",
                )
            )
    if isinstance(value, list):
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append(
                FieldError(
                    path, "FieldValueTooMany", f"Too many: {len(value)}: must have at most {schema['maxItems']} items"
                )
            )
        if "minItems" in schema and len(value) < schema["minItems"]:
            errors.append(
                FieldError(
                    path,
                    "FieldValueInvalid",
                    f"Invalid value: {len(value)}: {path} in body should have at least {schema['minItems']} items",
                )
            )


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


_GO_FLAGS = re.compile(r"\(\?i\)")


def _go_pattern(pattern: str) -> re.Pattern[str]:
    """An OpenAPI ``pattern`` (Go RE2 syntax) for Python's ``re``: RE2 allows a flag group such as
    ``(?i)`` anywhere (Calico's CRDs have ``^(?i)(Info|Debug)?$``); Python only at the start."""
    if "(?i)" in pattern:
        return re.compile(_GO_FLAGS.sub("", pattern), re.IGNORECASE)
    return re.compile(pattern)
