"""Jupyter support: :class:`ResourceList` (what ``Client.list`` returns), DataFrames and charts.

pandas and matplotlib are optional (``pip install calicopy[notebook]``) and imported only
when a DataFrame or a chart is asked for; HTML renderings need neither.  Nothing here is
asynchronous: calicopy's API is synchronous and never starts an event loop, so it runs as
it is inside Jupyter's running loop.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from .resources.display import flatten, resources_html

__all__ = ["ResourceList", "plot_usage", "records_dataframe", "resources_dataframe", "usage_dataframe"]

T = TypeVar("T")

#: Go's zero value for a column whose cells are of one Python type (what an omitted field means).
_ZERO: Mapping[type, Any] = {bool: False, int: 0, float: 0.0, str: ""}


def _require(module: str) -> Any:
    """A heavy optional dependency, imported on first use (with an install hint if it is missing)."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(f"{module} is needed for this: pip install 'calicopy[notebook]'") from exc


class ResourceList(list[T]):
    """A list of resources that renders as one table in Jupyter and converts to a DataFrame.

    It is a plain ``list`` in every other respect.
    """

    def _repr_html_(self) -> str:
        return resources_html(self)

    def to_dataframe(self) -> Any:
        """One row per resource, nested fields as dotted columns (``spec.cidr``); see :func:`resources_dataframe`."""
        return resources_dataframe(self)


def _zero_for(values: Iterable[Any]) -> Any:
    kinds = {type(v) for v in values if v is not None}
    if len(kinds) == 1:
        kind = kinds.pop()
        if kind in _ZERO:
            return _ZERO[kind]
    return None


def records_dataframe(records: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> Any:
    """A DataFrame from dicts.  A cell missing from a record gets the Go zero value of its
    column's type (``False``, ``0``, ``""``), so omitted fields do not become NaN, and bool/int
    columns keep their dtype."""
    pandas = _require("pandas")
    names: list[str] = list(columns) if columns is not None else list(dict.fromkeys(k for r in records for k in r))
    data: dict[str, list[Any]] = {}
    for name in names:
        present = [r[name] for r in records if name in r]
        zero = _zero_for(present)
        data[name] = [r.get(name, zero) for r in records]
    frame = pandas.DataFrame(data, columns=names)
    for name in names:
        zero = _zero_for(data[name])
        if isinstance(zero, bool):
            frame[name] = frame[name].astype(bool)
        elif isinstance(zero, int) and all(isinstance(v, int) and abs(v) < 2**63 for v in data[name]):
            frame[name] = frame[name].astype("int64")
    return frame


def resources_dataframe(resources: Sequence[Any]) -> Any:
    """One row per resource: ``name`` (and ``namespace``) first, then every field any of them
    sets, nested ones with dotted names; ``kind``/``apiVersion`` are left out."""
    rows = []
    for resource in resources:
        flat = flatten(resource.to_dict())
        row: dict[str, Any] = {"name": resource.metadata.name}
        if resource.metadata.namespace:
            row["namespace"] = resource.metadata.namespace
        row.update(
            (k, v) for k, v in flat.items() if k not in ("kind", "apiVersion", "metadata.name", "metadata.namespace")
        )
        rows.append(row)
    return records_dataframe(rows)


def usage_dataframe(usage: Any, level: str) -> Any:
    """IPAM utilisation (:class:`calicopy.ipam.Usage`) per ``pools``, ``blocks`` or ``nodes``."""
    if level == "pools":
        rows = [
            {"name": p.name, "cidr": p.cidr, "capacity": p.capacity, "in_use": p.in_use, "free": p.free,
             "blocks": len(p.blocks), "utilisation": p.utilisation}
            for p in usage.pools
        ]  # fmt: skip
    elif level == "blocks":
        rows = [
            {"cidr": b.cidr, "pool": b.pool or "", "node": b.node or "", "capacity": b.capacity, "in_use": b.in_use,
             "free": b.free, "utilisation": b.utilisation}
            for b in usage.blocks
        ]  # fmt: skip
    elif level == "nodes":
        rows = [
            {"node": n.name, "blocks": len(n.blocks), "capacity": n.capacity, "in_use": n.in_use, "free": n.free}
            for n in usage.nodes
        ]
    else:
        raise ValueError(f"level must be 'pools', 'blocks' or 'nodes', not {level!r}")
    frame = records_dataframe(rows)
    if level == "pools":
        # IPv6 pools hold more than 2^63 addresses: keep exact Python ints there.
        for column in ("capacity", "free"):
            frame[column] = frame[column].astype(object)
    return frame


def plot_usage(usage: Any, kind: str, *, pool: str | None = None, ax: Any = None) -> Any:
    """The chart behind :meth:`calicopy.ipam.Usage.plot`; returns the matplotlib Axes."""
    plt = _require("matplotlib.pyplot")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.5))
    if kind == "pools":
        names = [p.name for p in usage.pools]
        ax.barh(names, [p.utilisation for p in usage.pools], color="#5cb85c")
        for y, p in enumerate(usage.pools):
            ax.text(p.utilisation, y, f" {p.in_use} / {p.capacity:.3g}", va="center", fontsize=8)
        ax.set_xlabel("addresses in use (%)")
        ax.set_xlim(0, 100)
        ax.set_title("Utilisation per IP pool")
    elif kind == "nodes":
        nodes = list(usage.nodes)
        ax.bar([n.name for n in nodes], [len(n.blocks) for n in nodes], color="#337ab7")
        ax.set_ylabel("affine blocks")
        ax.set_title("Blocks per node")
        ax.tick_params(axis="x", labelrotation=90, labelsize=6)
    elif kind == "map":
        _plot_map(usage, pool, ax)
    else:
        raise ValueError(f"kind must be 'pools', 'nodes' or 'map', not {kind!r}")
    ax.figure.tight_layout()
    return ax


def _plot_map(usage: Any, pool_name: str | None, ax: Any) -> None:
    """A pool's existing blocks as a grid of cells, coloured by the share of each block in use."""
    pools = [p for p in usage.pools if pool_name in (None, p.name, p.cidr) and p.blocks]
    if not pools:
        raise ValueError(f"no pool with blocks named {pool_name!r}")
    chosen = pools[0]
    blocks = sorted(chosen.blocks, key=lambda b: b.cidr)
    width = max(1, int(len(blocks) ** 0.5 + 0.999))
    rows = (len(blocks) + width - 1) // width
    grid = [[float("nan")] * width for _ in range(rows)]
    for i, block in enumerate(blocks):
        grid[i // width][i % width] = block.utilisation
    image = ax.imshow(grid, cmap="RdYlGn_r", vmin=0, vmax=100)
    ax.figure.colorbar(image, ax=ax, label="% in use")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"Blocks of {chosen.name} ({chosen.cidr})")
