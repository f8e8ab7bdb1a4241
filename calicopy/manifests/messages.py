"""How manifest errors show values and name fields: short, quoted, JSON paths."""

from __future__ import annotations

from typing import Any

__all__ = ["clip", "describe", "join_path"]


def clip(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters (an ellipsis says so); a trailing CR dropped."""
    text = text.rstrip("\r")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe(value: Any) -> str:
    """What a value is, for "X is <description>, not ..." messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({'true' if value else 'false'})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({clip(value, 40)!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def join_path(prefix: str, part: str) -> str:
    """``spec`` + ``ingress`` is ``spec.ingress``; ``spec.ingress`` + ``[0]`` is ``spec.ingress[0]``."""
    if not prefix:
        return part
    if part.startswith("["):
        return prefix + part
    return f"{prefix}.{part}"
