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
from collections.abc import Mapping
from typing import Any

import pydantic

from .._go import json as go_json
from ..backends.fastjson import loads
from ..errors import ConversionError
from ..resources.meta import API_VERSION, ObjectMeta, Resource
from ..resources.model import CalicoModel
from ..resources.registry import KindInfo

__all__ = [
    "METADATA_ANNOTATION",
    "decode_resource",
    "encode_resource",
    "go_shape",
    "resource_dict",
]

METADATA_ANNOTATION = "projectcalico.org/metadata"
_DEFAULT_TIER_PREFIX = "default."
# metav1.ObjectMeta fields in Go declaration order.
_META_ORDER = tuple(plan.alias for plan in ObjectMeta.__calico_plan__.fields)


def go_shape(model: type[CalicoModel], data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` (a ``to_dict()`` of ``model``) as libcalico-go's jsoniter writes it.

    Struct fields keep the order ``to_dict`` gives them (Go's declaration order); every Go map's
    keys are sorted, at every depth; keys the model does not know (kept from a newer Calico) stay.
    jsoniter (v1.1.12) ignores ``omitzero``, so a zero struct field so tagged (a rule's empty
    ``source``/``destination`` in v3.32.1) is written as ``{}`` where ``encoding/json`` and
    ``to_dict`` leave it out.
    """
    plan = model.__calico_plan__
    out: dict[str, Any] = {}
    for field in plan.fields:
        if field.alias not in data:
            if field.go.omit == "zero" and field.model is not None and not field.container:
                out[field.alias] = _zero_struct(field.model)
            continue
        value = data[field.alias]
        if value is None:
            out[field.alias] = value
        elif field.container == "map" and isinstance(value, Mapping):
            nested = field.model
            if nested is None:
                out[field.alias] = go_json.sort_map(value, deep=True)
            else:
                out[field.alias] = {
                    k: go_shape(nested, v) if isinstance(v, Mapping) else v for k, v in sorted(value.items())
                }
        elif field.container == "list" and field.model is not None and isinstance(value, list):
            nested = field.model
            out[field.alias] = [go_shape(nested, v) if isinstance(v, Mapping) else v for v in value]
        elif field.model is not None and isinstance(value, Mapping):
            out[field.alias] = go_shape(field.model, value)
        else:
            out[field.alias] = value
    for alias, value in data.items():
        if alias not in out and alias not in plan.by_alias:
            out[alias] = value
    return out


@functools.cache
def _zero_struct(model: type[CalicoModel]) -> dict[str, Any]:
    """A struct's zero value as jsoniter writes it (shared: callers only serialise it)."""
    return go_shape(model, model.from_storage({}).to_dict())


def _go_metadata(meta: Mapping[str, Any]) -> dict[str, Any]:
    shaped = go_shape(ObjectMeta, meta)
    out: dict[str, Any] = {}
    for alias in _META_ORDER:
        if alias == "creationTimestamp":
            out[alias] = shaped.get(alias) or None
        elif alias in shaped:
            out[alias] = shaped[alias]
    for alias, value in shaped.items():
        out.setdefault(alias, value)
    return out


def resource_dict(info: KindInfo, resource: Resource) -> dict[str, Any]:
    """The v3 object as libcalico-go's etcdv3 backend stores it (before JSON encoding)."""
    data = resource.to_dict()
    data["kind"] = info.kind
    data["apiVersion"] = API_VERSION
    meta = dict(data.get("metadata") or {})
    meta.pop("resourceVersion", None)
    meta.pop("selfLink", None)
    if not info.namespaced:
        meta.pop("namespace", None)
    if info.is_policy:
        annotations = dict(meta.get("annotations") or {})
        annotations[METADATA_ANNOTATION] = go_json.marshal({"name": meta.get("name", "")})
        meta["annotations"] = annotations
    shaped = go_shape(type(resource), {k: v for k, v in data.items() if k != "metadata"})
    ordered: dict[str, Any] = {}
    for key in ("kind", "apiVersion"):
        ordered[key] = shaped.pop(key)
    ordered["metadata"] = _go_metadata(meta)
    ordered.update(shaped)
    return ordered


def encode_resource(info: KindInfo, resource: Resource) -> str:
    """``model.SerializeValue`` of the v3 object: the exact text libcalico-go puts in etcd."""
    return go_json.jsoniter_marshal(resource_dict(info, resource))


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
    meta.resource_version = str(mod_revision)
    # pydantic's __setattr__ is not free: lists of thousands of objects skip the no-op ones.
    if resource.kind != info.kind:
        resource.kind = info.kind
    if resource.api_version != API_VERSION:
        resource.api_version = API_VERSION
    return resource
