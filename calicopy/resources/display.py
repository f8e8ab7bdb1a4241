"""HTML for notebooks, pure: compact tables, utilisation bars, and one resource as a two-column
table of the fields it actually sets (dotted paths, Go's omitempty already applied by
``to_dict``), so that a model shows a few lines rather than a wall of empty fields.

Nothing here imports a model: it works on ``to_dict()`` output and plain values, so every
layer above (models, resource lists, IPAM results) can use it.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["bar", "flatten", "html_table", "resource_html", "resources_html"]

_STYLE = "border-collapse:collapse;font-size:90%"
_CELL = "padding:2px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top"
#: A list of more resources than this shows its first rows and says how many were left out.
MAX_ROWS = 200


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested mappings as dotted keys (``spec.cidr``); lists and scalars stay as they are."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping) and value:
            out.update(flatten(value, path))
        else:
            out[path] = value
    return out


def _cell(value: Any) -> str:
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        text = json.dumps(value, separators=(",", ":"))
        if len(text) > 120:
            text = text[:117] + "..."
        return f"<code>{html.escape(text)}</code>"
    if value is None:
        return ""
    return html.escape(str(value))


def bar(percent: float, width: int = 120) -> str:
    """A horizontal utilisation bar (green, amber from 70 %, red from 90 %) with the figure."""
    pct = max(0.0, min(100.0, percent))
    colour = "#d9534f" if pct >= 90 else "#f0ad4e" if pct >= 70 else "#5cb85c"
    return (
        f'<div style="display:flex;align-items:center;gap:6px">'
        f'<div style="width:{width}px;height:10px;background:#eee;border-radius:2px">'
        f'<div style="width:{pct * width / 100:.1f}px;height:10px;background:{colour};border-radius:2px"></div></div>'
        f"<span>{percent:.1f}%</span></div>"
    )


def html_table(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, raw: Iterable[int] = (), caption: str = ""
) -> str:
    """A compact HTML table; cells of the ``raw`` column indexes are HTML already (bars)."""
    raw_columns = set(raw)
    head = "".join(f'<th style="{_CELL}">{html.escape(h)}</th>' for h in headers)
    body = []
    for row in rows:
        cells = "".join(
            f'<td style="{_CELL}">{value if i in raw_columns else _cell(value)}</td>' for i, value in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    cap = f"<caption style='text-align:left'>{html.escape(caption)}</caption>" if caption else ""
    return f'<table style="{_STYLE}">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def resource_html(resource: Any) -> str:
    """One resource: a caption ``Kind name`` and the fields it sets (status and bookkeeping too)."""
    data = resource.to_dict()
    meta = data.get("metadata") or {}
    namespace = meta.get("namespace") or ""
    title = f"{data.get('kind', '')} {namespace + '/' if namespace else ''}{meta.get('name', '')}"
    rows = [(path, value) for path, value in flatten(data).items() if path not in ("kind", "apiVersion")]
    return html_table(("field", "value"), rows, caption=title)


def resources_html(resources: Sequence[Any]) -> str:
    """A list of resources: one row each, one column per field any of them sets."""
    flat = [
        {k: v for k, v in flatten(r.to_dict()).items() if k not in ("kind", "apiVersion")} for r in resources[:MAX_ROWS]
    ]
    columns: dict[str, None] = {"metadata.name": None}
    if any("metadata.namespace" in f for f in flat):
        columns["metadata.namespace"] = None
    for f in flat:
        columns.update(dict.fromkeys(k for k in f if not k.startswith("metadata.")))
    kinds = sorted({type(r).__name__ for r in resources})
    caption = f"{len(resources)} {'/'.join(kinds) or 'resources'}"
    if len(resources) > MAX_ROWS:
        caption += f" (first {MAX_ROWS} shown)"
    return html_table(list(columns), ([f.get(c, "") for c in columns] for f in flat), caption=caption)
