"""Go's ``fmt`` verbs as calicoctl and libcalico-go use them in messages and tables.

``%v`` is what Go prints for a value in an error text (``Invalid value: 1e+06``), in a
``{{.Field}}`` of a ``text/template`` (calicoctl's ``-o ps`` columns) and inside ``%v`` of a
slice or map.  ``%.Ng`` is how calicoctl prints percentages (``ipam show``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .strconv import format_float

__all__ = ["format_g", "format_v"]


def format_v(value: Any) -> str:
    """``fmt.Sprint(value)`` for JSON-shaped values.

    ``<nil>`` for ``None`` (a nil pointer or interface), ``true``/``false``, floats in ``%g``'s
    shortest form (``1e+06``, ``100``, ``0.5``), ``[a b]`` for a list and ``map[k:v]`` with
    sorted keys for a mapping.
    """
    if value is None:
        return "<nil>"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return format_float(value, "g", -1, 64)
    if isinstance(value, (list, tuple)):
        return "[" + " ".join(format_v(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "map[" + " ".join(f"{format_v(k)}:{format_v(v)}" for k, v in sorted(value.items())) + "]"
    return str(value)


def format_g(value: float, precision: int) -> str:
    """``fmt.Sprintf("%.<precision>g", value)``: ``format_g(33.33333, 5)`` is ``33.333``."""
    return format_float(float(value), "g", precision, 64)
