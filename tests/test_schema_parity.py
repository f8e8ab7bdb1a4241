"""Every kind's model matches Calico v3.32.1's published CRD schema, field for field.

For each projectcalico.org/v3 CRD in ../shared/calico-crds/v3.32.1/projectcalico.org: every
property path exists in the model under the same JSON name with a compatible type, and the
model has no JSON name the schema lacks.  Skips when ../shared is absent.
"""

from __future__ import annotations

import typing
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin

import pytest
import yaml

from calicopy.kdd.kinds import is_custom_resource
from calicopy.resources import registry
from calicopy.resources.model import CalicoModel, GoField
from calicopy.resources.types import Port

# Fields the Resource envelope provides; the CRD schema describes metadata only as an object.
ENVELOPE = {"apiVersion", "kind", "metadata"}


def _schema_for(crd_dir: Path, plural: str) -> dict[str, Any]:
    path = crd_dir / "projectcalico.org" / f"projectcalico.org_{plural}.yaml"
    doc = yaml.safe_load(path.read_text())
    (version,) = [v for v in doc["spec"]["versions"] if v["name"] == "v3"]
    schema: dict[str, Any] = version["schema"]["openAPIV3Schema"]
    return schema


def _strip(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, UnionType):
            args = [a for a in get_args(annotation) if a is not NoneType]
            if len(args) == 1:
                annotation = args[0]
            else:
                return tuple(_strip(a) for a in args)
        else:
            return annotation


def _compatible(annotation: Any, schema: dict[str, Any], path: str, problems: list[str]) -> None:
    tp = _strip(annotation)
    if schema.get("x-kubernetes-int-or-string"):
        ok = tp == (int, str) or tp is Port or tp == (str, int)
        if not ok:
            problems.append(f"{path}: schema int-or-string, model {tp}")
        return
    kind = schema.get("type")
    origin = get_origin(tp)
    if kind == "string":
        if tp is Port or tp == (int, str):  # numorstring types are schema'd as strings by Calico's OpenAPI hooks
            return
        if tp is not str:
            problems.append(f"{path}: schema string, model {tp}")
    elif kind == "integer":
        if tp is not int:
            problems.append(f"{path}: schema integer, model {tp}")
    elif kind == "number":
        if tp is not float:
            problems.append(f"{path}: schema number, model {tp}")
    elif kind == "boolean":
        if tp is not bool:
            problems.append(f"{path}: schema boolean, model {tp}")
    elif kind == "array":
        if origin is not list:
            problems.append(f"{path}: schema array, model {tp}")
            return
        _compatible(get_args(tp)[0], schema.get("items", {}), path + "[]", problems)
    elif kind == "object":
        if "properties" in schema:
            if not (isinstance(tp, type) and issubclass(tp, CalicoModel)):
                problems.append(f"{path}: schema object with properties, model {tp}")
                return
            _compare_model(tp, schema, path, problems)
        elif "additionalProperties" in schema:
            if origin is not dict:
                problems.append(f"{path}: schema map, model {tp}")
                return
            _compatible(get_args(tp)[1], schema["additionalProperties"], path + "{}", problems)
        else:
            ok = origin is dict or (isinstance(tp, type) and issubclass(tp, CalicoModel))
            if not ok:
                problems.append(f"{path}: schema free-form object, model {tp}")


def _compare_markers(metadata: list[Any], schema: dict[str, Any], path: str, problems: list[str]) -> None:
    """The constraints calicopy enforces are the schema's: pattern, enum, limits."""
    go = next((m for m in metadata if isinstance(m, GoField)), None)
    if go is None:
        return
    if "pattern" in schema and schema["pattern"] != "^.*" and go.pattern != schema["pattern"]:
        problems.append(f"{path}: pattern {go.pattern!r} != schema {schema['pattern']!r}")
    if "enum" in schema and go.enum is not None and set(go.enum) != {str(v) for v in schema["enum"]}:
        problems.append(f"{path}: enum {go.enum} != schema {schema['enum']}")
    for marker, key in (
        ("maximum", "maximum"),
        ("minimum", "minimum"),
        ("max_length", "maxLength"),
        ("max_items", "maxItems"),
    ):
        if key in schema and getattr(go, marker) is not None and getattr(go, marker) != schema[key]:
            problems.append(f"{path}: {marker} {getattr(go, marker)} != schema {schema[key]}")


def _compare_model(model: type[CalicoModel], schema: dict[str, Any], path: str, problems: list[str]) -> None:
    props: dict[str, Any] = schema.get("properties", {})
    fields = {info.alias or name: info for name, info in model.model_fields.items()}
    for name, sub in props.items():
        if path == "" and name in ENVELOPE:
            continue
        if name not in fields:
            problems.append(f"{path}.{name}: in the CRD schema, missing from {model.__name__}")
            continue
        _compatible(fields[name].annotation, sub, f"{path}.{name}", problems)
        _compare_markers(fields[name].metadata, sub, f"{path}.{name}", problems)
    for name in fields:
        if path == "" and name in ENVELOPE:
            continue
        if name not in props:
            problems.append(f"{path}.{name}: in {model.__name__}, not in the CRD schema")


CRD_KINDS = [info for info in registry.all_kinds() if is_custom_resource(info.kind)]


@pytest.mark.parametrize("info", CRD_KINDS, ids=lambda i: i.kind)
def test_model_matches_crd_schema(info: registry.KindInfo, crd_dir: Path) -> None:
    schema = _schema_for(crd_dir, info.plural)
    problems: list[str] = []
    _compare_model(info.model, schema, "", problems)
    assert not problems, "\n".join(problems)


def test_every_crd_kind_is_in_the_registry(crd_dir: Path) -> None:
    plurals = {
        p.name.removeprefix("projectcalico.org_").removesuffix(".yaml")
        for p in (crd_dir / "projectcalico.org").glob("*.yaml")
    }
    assert plurals == {info.plural for info in CRD_KINDS}
