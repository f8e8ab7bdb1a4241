"""Calico Nodes, read from core/v1 Nodes (libcalico-go's ``resources/node.go``; conversion in
:mod:`calicopy.kdd.core.node`).

libcalico-go writes a Node's Calico fields as annotations through the Node status; calicopy
does not implement that yet, so Nodes are read-only here.
"""

from __future__ import annotations

from ..requests import Collection
from .derived import DerivedKind

__all__ = ["NODE", "NODES"]

NODES = Collection("/api/v1", "nodes", False, "v1", "Node")

NODE = DerivedKind((NODES,), namespace_scoped=False)
