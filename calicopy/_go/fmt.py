"""Go's ``fmt`` verbs as calicoctl and libcalico-go use them in messages and tables."""

from __future__ import annotations

from typing import Any

__all__ = ["format_v"]


def format_v(value: Any) -> str:
    """``fmt.Sprintf("%v", value)`` for JSON-shaped values: ``true``, ``[a b]``, ``map[k:v]``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + " ".join(format_v(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{format_v(v)}" for k, v in sorted(value.items())) + "]"
    return str(value)
