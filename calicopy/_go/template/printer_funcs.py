"""The functions calicoctl adds to its templates (``commands/common/printer.go``).

``join`` and ``joinAndTruncate`` print a list (or a map as sorted ``k=v`` pairs, or any other
value as a list of one) with a separator, cut at a byte length with ``...``; ``config "asnumber"``
is the cluster's default AS number, read through a callback the caller supplies (calicoctl
reads BGPConfiguration ``default``; ``64512`` when it has none, ``unknown`` when it cannot be
read).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..fmt import go_kind, sprint
from .values import FuncError, GoFunc, GoMap, GoSlice

__all__ = ["DEFAULT_AS_NUMBER", "printer_funcs"]

DEFAULT_AS_NUMBER = "64512"


def _items(value: Any) -> list[Any]:
    kind = go_kind(value)
    if kind == "map":
        data = value.data if isinstance(value, GoMap) else value
        return sorted(f"{sprint(k)}={sprint(v)}" for k, v in data.items())
    if kind == "slice":
        return list(value.items if isinstance(value, GoSlice) else value)
    return [value]


def join_and_truncate(items: Any, separator: str, max_len: int) -> str:
    """calicoctl's ``joinAndTruncate``: each item as ``fmt.Fprint`` prints it."""
    if items is None:
        return ""
    out = bytearray()
    sep = separator.encode("utf-8", "surrogatepass")
    for i, item in enumerate(_items(items)):
        if i:
            out += sep
        out += sprint(item).encode("utf-8", "surrogatepass")
        if max_len > 0 and len(out) > max_len:
            keep = max_len - 3
            if keep < 0:
                # bytes.Buffer.Truncate panics; text/template reports the panic.
                raise FuncError("bytes.Buffer: truncation out of range")
            del out[keep:]
            out += b"..."
            break
    return out.decode("utf-8", "replace")


def _join(items: Any, separator: str) -> str:
    return join_and_truncate(items, separator, 0)


def printer_funcs(as_number: Callable[[], str] | None = None) -> dict[str, GoFunc]:
    """``join``, ``joinAndTruncate`` and ``config`` as calicoctl registers them.

    ``as_number`` answers ``config "asnumber"`` (asked at most once per set of functions, as
    calicoctl caches it); without one the answer is calicoctl's default, ``64512``.
    """
    cache: list[str] = []

    def config(name: str) -> str:
        if name.lower() == "asnumber":
            if not cache:
                cache.append(as_number() if as_number is not None else DEFAULT_AS_NUMBER)
            return cache[0]
        raise FuncError("unhandled config type")

    funcs: Mapping[str, GoFunc] = {
        "join": GoFunc(_join, ("any", "string"), None, "func(interface {}, string) string"),
        "joinAndTruncate": GoFunc(
            join_and_truncate, ("any", "string", "int"), None, "func(interface {}, string, int) string"
        ),
        "config": GoFunc(config, ("string",), None, "func(string) string"),
    }
    return dict(funcs)
