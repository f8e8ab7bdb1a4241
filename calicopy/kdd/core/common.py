"""What the conversions of core Kubernetes objects share: lenient field access, labels, resource building.

Inputs are plain dicts in the Kubernetes JSON shape, read leniently: a missing field, or one of
another type, reads as its zero value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..._go.json import jsoniter_marshal as go_marshal
from ..._go.json import sort_map
from ...errors import ConversionError
from ...resources.meta import Resource
from ..convert import GROUP_V3
from ..uid import UIDError, convert_uid

__all__ = [
    "LABEL_NAMESPACE",
    "LABEL_ORCHESTRATOR",
    "LABEL_SERVICE_ACCOUNT",
    "NAME_LABEL",
    "ORCHESTRATOR_K8S",
    "as_list",
    "as_map",
    "as_str",
    "check_kind",
    "convert_k8s_uid",
    "go_marshal",
    "load_json",
    "make_resource",
    "sort_map",
    "string_map",
]

NAME_LABEL = "projectcalico.org/name"
LABEL_NAMESPACE = "projectcalico.org/namespace"
LABEL_ORCHESTRATOR = "projectcalico.org/orchestrator"
LABEL_SERVICE_ACCOUNT = "projectcalico.org/serviceaccount"
ORCHESTRATOR_K8S = "k8s"


def as_map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def as_list(value: Any) -> Sequence[Any]:
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def string_map(value: Any) -> dict[str, str]:
    return {str(k): v for k, v in as_map(value).items() if isinstance(v, str)}


def check_kind(obj: Mapping[str, Any], *expected: str) -> None:
    kind = obj.get("kind")
    if kind and kind not in expected:
        raise ConversionError(f"expected a Kubernetes {' or '.join(expected)}, got kind {kind!r}")


def make_resource(model: type[Resource], metadata: dict[str, Any], spec: dict[str, Any], **extra: Any) -> Resource:
    meta = {k: v for k, v in metadata.items() if v not in (None, "", {}, [])}
    data = {"apiVersion": GROUP_V3, "kind": model.KIND, "metadata": meta, "spec": spec, **extra}
    return model.from_storage(data)


def convert_k8s_uid(uid: str) -> str:
    try:
        return convert_uid(uid)
    except UIDError as exc:
        raise ConversionError(str(exc)) from None


def load_json(text: str) -> Any:
    """Go's json.Unmarshal input check; ValueError for invalid JSON."""
    return json.loads(text)
