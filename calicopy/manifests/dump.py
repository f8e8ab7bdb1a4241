"""Printing resources as ``calicoctl get -o yaml`` / ``-o json`` does.

YAML is sigs.k8s.io/yaml over go-yaml v2 (keys sorted at every level, sequences not indented
under their key, strings quoted only when they would read back as something else); JSON is
``json.MarshalIndent`` with two spaces (struct field order, ``<``, ``>`` and ``&`` escaped, no
trailing newline).  Both live in :mod:`calicopy._go`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from .._go.json import marshal_indent
from .._go.yaml_print import marshal
from ..resources.meta import Resource

__all__ = ["dump", "to_go_json", "to_go_yaml"]


def to_go_json(data: Any) -> str:
    """``json.MarshalIndent(data, "", "  ")`` of JSON-shaped data (dict order kept), no trailing newline."""
    return marshal_indent(data, "", "  ")


def to_go_yaml(data: Any) -> str:
    """sigs.k8s.io/yaml's ``Marshal`` of JSON-shaped data (go-yaml v2 output)."""
    return marshal(data)


def dump(resources: Resource | Iterable[Resource], fmt: Literal["yaml", "yml", "json"] = "yaml") -> str:
    """Print resources as ``calicoctl get -o yaml`` / ``-o json`` does.

    One resource prints as that object, several (or none) as a list.  YAML ends with a
    newline; JSON has none (calicoctl v3.32).
    """
    items = [resources] if isinstance(resources, Resource) else list(resources)
    for item in items:
        if not isinstance(item, Resource):
            raise TypeError(f"dump() takes calicopy resources, not {type(item).__name__}")
    data: Any = items[0].to_dict() if len(items) == 1 else [item.to_dict() for item in items]
    if fmt in ("yaml", "yml"):
        return marshal(data)
    if fmt == "json":
        return marshal_indent(data, "", "  ")
    raise ValueError(f"unrecognized output format '{fmt}' (use 'yaml' or 'json')")
