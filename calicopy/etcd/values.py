"""etcd values of projectcalico.org/v3 resources, byte for byte as libcalico-go v3.32.1 writes them.

``model.SerializeValue`` is ``json.Marshal`` of the whole v3 object (libcalico-go's ``lib/json``:
jsoniter, standard-library compatible): ``kind``, ``apiVersion``, ``metadata``, ``spec`` (and
``status``) in Go's field order, every Go map with sorted keys, HTML-safe escapes, compact.
clientv3 has moved ``resourceVersion`` into the KVPair before the write, so it is never stored:
the key's ``mod_revision`` is the resourceVersion.  ``metav1.ObjectMeta``'s ``creationTimestamp``
is a struct, so it is always written (``null`` when zero).

Tiered policies (``etcdv3.go`` ``defaultPolicyName``/``storePolicyName``) carry their v3 name in
the annotation ``projectcalico.org/metadata`` (``{"name":"<name>"}``); a read takes the name from
it and drops it, and a policy without it in the default tier loses a ``default.`` prefix
(``model/keys.go`` ``determinePolicyName``: how v3.30 and older stored default-tier names).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import pydantic
from pydantic_core import to_jsonable_python

from .._go import json as go_json
from .._go.json import format_float, jsoniter_quote
from ..backends.fastjson import loads
from ..errors import ConversionError
from ..resources.meta import API_VERSION, ObjectMeta, Resource
from ..resources.model import CalicoModel, FieldPlan, set_checked
from ..resources.registry import KindInfo
from ..resources.types import Port

__all__ = [
    "METADATA_ANNOTATION",
    "decode_resource",
    "encode_resource",
]

METADATA_ANNOTATION = "projectcalico.org/metadata"
_DEFAULT_TIER_PREFIX = "default."
# clientv3 moves resourceVersion into the KVPair before a write; selfLink is the server's.
_NOT_STORED = ("resourceVersion", "selfLink")
_WRITTEN_FIRST = frozenset(("kind", "apiVersion", "metadata"))
_KIND_KEY, _METADATA_KEY = '"kind":', '"metadata":'
_API_VERSION_TEXT = f'"apiVersion":"{API_VERSION}"'


def _text(value: Any, sort_maps: bool) -> str:
    """A value that is not a model field's own struct, as jsoniter writes it; ``sort_maps``: it
    is (in) a Go map, whose keys are written sorted at every depth."""
    kind = type(value)
    if kind is str:
        return jsoniter_quote(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        return format_float(value)
    if kind is list or kind is tuple:
        return "[" + ",".join([_text(item, sort_maps) for item in value]) + "]"
    if kind is dict:
        keys = sorted(value) if sort_maps else value
        return "{" + ",".join([_key(k) + _text(value[k], sort_maps) for k in keys]) + "}"
    if kind is Port:
        return _text(value.to_json(), False)
    if isinstance(value, CalicoModel):
        return _model_text(value)[0]
    # Anything else a model may hold is written as pydantic serialises it.
    return _text(to_jsonable_python(value), sort_maps)


def _key(name: Any) -> str:
    return jsoniter_quote(name if type(name) is str else str(name)) + ":"


# Values whose truth is Go's zero test (models and Ports are never false: they are tested as
# serialised).
_PLAIN_ZEROABLE = frozenset((str, int, float, bool, list, dict))


@dataclass(frozen=True, slots=True)
class _Slot:
    """One field as the writer needs it (built once per model class)."""

    field: FieldPlan
    name: str
    key: str  # '"alias":'
    never_omitted: bool  # no omitempty/omitzero: a nil pointer is written as null
    zero_omitted: bool  # omitempty/omitzero: the zero value is left out
    # omitzero on a struct: left out by to_dict(), yet written as the zero struct (jsoniter
    # ignores omitzero, so a rule's empty ``source`` is ``{}``).
    zero_struct: type[CalicoModel] | None


@functools.cache
def _slots(model: type[CalicoModel]) -> tuple[_Slot, ...]:
    return tuple(
        _Slot(
            field,
            field.name,
            _key(field.alias),
            field.go.omit == "never",
            field.go.omit in ("empty", "zero"),
            field.model if field.go.omit == "zero" and not field.container else None,
        )
        for field in model.__calico_plan__.fields
    )


def _field_text(field: FieldPlan, value: Any) -> tuple[str, bool]:
    """A field's non-None value as jsoniter writes it, and whether it is zero as ``to_dict()``
    serialises it (the test omitempty and omitzero apply)."""
    if field.container == "map" and type(value) is dict:  # a Go map: keys sorted (its models keep Go order)
        return _text(value, True), not value
    if field.container == "list" and type(value) is list:
        return _text(value, False), not value
    if isinstance(value, CalicoModel):
        return _model_text(value)
    serialised = value.to_json() if type(value) is Port else value
    return _text(serialised, False), not serialised  # a JSON value's falsiness is Go's zero test


def _fields_text(model: CalicoModel, parts: list[str], skip: frozenset[str] = frozenset()) -> bool:
    """Append ``model``'s fields (Go's order) and unknown keys to ``parts``; whether any of them
    is in ``to_dict()`` (which decides whether an omitempty field holding ``model`` is written)."""
    values = model.__dict__
    written = False
    for slot in _slots(type(model)):
        if skip and slot.field.alias in skip:
            continue
        value = values[slot.name]
        if value is None:
            if slot.never_omitted:
                parts.append(slot.key + "null")
                written = True
                continue
        elif not (slot.zero_omitted and not value and type(value) in _PLAIN_ZEROABLE):
            text, zero = _field_text(slot.field, value)
            if not (zero and slot.zero_omitted):
                parts.append(slot.key + text)
                written = True
                continue
        if slot.zero_struct is not None:
            parts.append(slot.key + _zero_struct(slot.zero_struct))
    extra = model.__pydantic_extra__
    if extra:
        written = True
        parts.extend([_key(k) + _text(v, False) for k, v in extra.items()])
    return written


def _model_text(model: CalicoModel) -> tuple[str, bool]:
    """``model`` as jsoniter writes it, and whether ``to_dict()`` of it is empty."""
    parts: list[str] = []
    written = _fields_text(model, parts)
    return "{" + ",".join(parts) + "}", not written


@functools.cache
def _zero_struct(model: type[CalicoModel]) -> str:
    return _model_text(model.from_storage({}))[0]


def _metadata_text(info: KindInfo, meta: ObjectMeta) -> str:
    """The stored metadata: without resourceVersion (the key's revision) and selfLink, without
    a namespace for a cluster-wide kind, ``creationTimestamp`` always (a Go struct: ``null``
    when zero), and a tiered policy's v3 name in the metadata annotation."""
    parts: list[str] = []
    values = meta.__dict__
    for slot in _slots(ObjectMeta):
        alias = slot.field.alias
        value = values[slot.name]
        if alias in _NOT_STORED or (alias == "namespace" and not info.namespaced):
            continue
        if alias == "creationTimestamp":
            parts.append(slot.key + (_text(value, False) if value else "null"))
            continue
        if alias == "annotations" and info.is_policy:
            value = {**(value or {}), METADATA_ANNOTATION: go_json.marshal({"name": meta.name or ""})}
        if value is None:
            continue  # every other ObjectMeta field is omitempty
        text, zero = _field_text(slot.field, value)
        if not (zero and slot.zero_omitted):
            parts.append(slot.key + text)
    if meta.__pydantic_extra__:
        parts.extend([_key(k) + _text(v, False) for k, v in meta.__pydantic_extra__.items()])
    return "{" + ",".join(parts) + "}"


def encode_resource(info: KindInfo, resource: Resource) -> str:
    """``model.SerializeValue`` of the v3 object: the exact text libcalico-go puts in etcd.

    jsoniter's output of what ``to_dict()`` holds, written in one pass over the model (a create
    spends much of its Python time here): ``kind``, ``apiVersion``, the stored metadata, then
    the rest in Go's field order; every Go map's keys sorted at every depth; unknown keys (kept
    from a newer Calico) where ``to_dict()`` has them.
    """
    parts = [_KIND_KEY + jsoniter_quote(info.kind), _API_VERSION_TEXT]
    parts.append(_METADATA_KEY + _metadata_text(info, resource.metadata))
    _fields_text(resource, parts, _WRITTEN_FIRST)
    return "{" + ",".join(parts) + "}"


def _policy_name(name: str, annotations: dict[str, str], tier: str) -> str:
    """``determinePolicyName``: the v3 name from the annotation (which is dropped), else without a
    ``default.`` prefix in the default tier."""
    stored = annotations.get(METADATA_ANNOTATION)
    if stored:
        try:
            parsed = loads(stored)
        except ValueError as exc:
            raise ConversionError(f'CRD annotation "{METADATA_ANNOTATION}" contained invalid JSON: {exc}') from None
        del annotations[METADATA_ANNOTATION]
        return str(parsed.get("name", "")) if isinstance(parsed, dict) else ""
    if tier in ("", "default"):
        return name.removeprefix(_DEFAULT_TIER_PREFIX)
    return name


def decode_resource(info: KindInfo, value: bytes | str, mod_revision: int) -> Resource:
    """The v3 resource an etcd value holds, with ``resourceVersion`` = the key's ``mod_revision``.

    The value is parsed and validated in one pass (pydantic's JSON mode, twice as fast as
    ``json.loads`` then validation: lists of thousands of objects depend on it).  Raises
    :class:`~calicopy.errors.ConversionError` when the value is not a resource.
    """
    try:
        resource = info.model.model_validate_json(value, by_alias=True, by_name=False)
    except pydantic.ValidationError as exc:
        raise ConversionError(f"cannot parse the {info.kind} stored in etcd: {exc}") from None
    meta = resource.metadata
    if info.is_policy:
        spec = getattr(resource, "spec", None)
        name = _policy_name(meta.name, meta.annotations, str(getattr(spec, "tier", "") or ""))
        if name != meta.name:
            meta.name = name
    # pydantic's __setattr__ is not free: lists of thousands of objects skip the no-op ones.
    set_checked(meta, "resource_version", str(mod_revision))
    if resource.kind != info.kind:
        resource.kind = info.kind
    if resource.api_version != API_VERSION:
        resource.api_version = API_VERSION
    return resource
