"""The stored-value writer against the definition it must equal, for every kind (hypothesis).

``calicopy.etcd.values.encode_resource`` writes libcalico-go's stored JSON in one pass over the
model.  What it must write is defined here the slow, obvious way: ``to_dict()`` (Go's omitempty
rules), then jsoniter's shape of that dict (Go field order, sorted map keys, omitzero ignored,
the stored metadata), then ``jsoniter_marshal``.  The goldens in ``test_etcd_goldens.py`` pin
the definition to libcalico-go; this test pins the fast writer to the definition.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from model_strategies import model_strategy

from calicopy._go import json as go_json
from calicopy.errors import ValidationError
from calicopy.etcd.values import METADATA_ANNOTATION, decode_resource, encode_resource
from calicopy.resources import registry
from calicopy.resources.meta import API_VERSION, ObjectMeta, Resource
from calicopy.resources.model import CalicoModel


def _shape(model: type[CalicoModel], data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in model.__calico_plan__.fields:
        if field.alias not in data:
            if field.go.omit == "zero" and field.model is not None and not field.container:
                out[field.alias] = _zero(field.model)
            continue
        value = data[field.alias]
        if value is None:
            out[field.alias] = None
        elif field.container == "map" and isinstance(value, Mapping):
            if field.model is None:
                out[field.alias] = go_json.sort_map(value, deep=True)
            else:
                out[field.alias] = {
                    k: _shape(field.model, v) if isinstance(v, Mapping) else v for k, v in sorted(value.items())
                }
        elif field.container == "list" and field.model is not None and isinstance(value, list):
            out[field.alias] = [_shape(field.model, v) if isinstance(v, Mapping) else v for v in value]
        elif field.model is not None and isinstance(value, Mapping):
            out[field.alias] = _shape(field.model, value)
        else:
            out[field.alias] = value
    for alias, value in data.items():
        if alias not in out and alias not in model.__calico_plan__.by_alias:
            out[alias] = value
    return out


@functools.cache
def _zero(model: type[CalicoModel]) -> dict[str, Any]:
    return _shape(model, model.from_storage({}).to_dict())


def reference_encode(info: registry.KindInfo, resource: Resource) -> str:
    data = resource.to_dict()
    meta = dict(data.get("metadata") or {})
    for dropped in ("resourceVersion", "selfLink") + (() if info.namespaced else ("namespace",)):
        meta.pop(dropped, None)
    if info.is_policy:
        meta["annotations"] = {
            **(meta.get("annotations") or {}),
            METADATA_ANNOTATION: go_json.marshal({"name": meta.get("name", "")}),
        }
    shaped_meta = _shape(ObjectMeta, meta)
    stored_meta: dict[str, Any] = {}
    for field in ObjectMeta.__calico_plan__.fields:
        if field.alias == "creationTimestamp":
            stored_meta[field.alias] = shaped_meta.get(field.alias) or None
        elif field.alias in shaped_meta:
            stored_meta[field.alias] = shaped_meta[field.alias]
    for alias, value in shaped_meta.items():
        stored_meta.setdefault(alias, value)
    rest = _shape(type(resource), {k: v for k, v in data.items() if k != "metadata"})
    rest.pop("kind", None)
    rest.pop("apiVersion", None)
    rest.pop("metadata", None)
    return go_json.jsoniter_marshal({"kind": info.kind, "apiVersion": API_VERSION, "metadata": stored_meta, **rest})


# Strings that take every escaping path: HTML characters, \b and \f, other control characters,
# non-ASCII, the line separators.
_AWKWARD = st.text(alphabet='ab<>&\b\f\x01\n"\\é\u2028\u2029😀', max_size=6)
_EXTRA = st.dictionaries(
    st.sampled_from(["futureB", "futureA", "x<y"]),
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers(-5, 5)
        | st.floats(allow_nan=False, allow_infinity=False).map(lambda f: f + 0.0)  # no -0: it reads back as 0
        | _AWKWARD,
        lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.sampled_from(["z", "a"]), inner, max_size=2),
        max_leaves=4,
    ),
    max_size=2,
)


@pytest.mark.parametrize("info", list(registry.all_kinds()), ids=lambda i: i.kind)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_the_writer_writes_the_definition(info: registry.KindInfo, data: st.DataObject) -> None:
    raw = data.draw(model_strategy(info.model))
    meta = dict(raw.get("metadata") or {})
    meta["name"] = data.draw(_AWKWARD | st.just("p"))
    for key in ("labels", "annotations"):
        if data.draw(st.booleans()):
            meta[key] = data.draw(st.dictionaries(_AWKWARD, _AWKWARD, max_size=3))
    meta.update(data.draw(_EXTRA))
    meta["creationTimestamp"] = data.draw(st.sampled_from([None, "", "2026-12-03T10:00:00Z"]))
    raw["metadata"] = meta
    raw.update(data.draw(_EXTRA))
    if isinstance(raw.get("spec"), dict):
        raw["spec"].update(data.draw(_EXTRA))
    try:
        resource = info.model.from_storage(raw)
    except ValidationError:
        return  # a generated value Go's decoder would refuse too
    expected = reference_encode(info, resource)
    assert encode_resource(info, resource) == expected
    # and it reads back as the same resource
    if info.kind not in ("IPAMBlock", "BlockAffinity", "IPAMHandle", "IPAMConfiguration"):
        again = decode_resource(info, expected, 7)
        assert encode_resource(info, again) == expected
