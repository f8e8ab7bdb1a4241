"""examples/explore_pools.ipynb runs top to bottom without an error, and its outputs hold HTML
tables and PNG charts (a screenshot-free check of what a reader sees).

Needs the ``notebook`` and ``notebook-test`` extras (pandas, matplotlib, nbclient, nbformat,
ipykernel); skipped cleanly without them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "explore_pools.ipynb"

for module in ("pandas", "matplotlib", "nbclient", "nbformat", "ipykernel"):
    pytest.importorskip(module)


def test_notebook_executes_with_tables_and_charts() -> None:
    import nbclient
    import nbformat

    notebook = nbformat.read(str(NOTEBOOK), as_version=4)
    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env_path) if p)
    try:
        nbclient.NotebookClient(
            notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
        ).execute()
    finally:
        os.environ["PYTHONPATH"] = env_path
    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    html = [out.data["text/html"] for out in outputs if "data" in out and "text/html" in out.data]
    pngs = [out for out in outputs if "data" in out and "image/png" in out.data]
    assert sum("<table" in h for h in html) >= 6, (
        "usage, DataFrames, lookup, borrowed, check and pools render as tables"
    )
    assert len(pngs) >= 3, "utilisation per pool, blocks per node and the pool map are charts"
    assert any("default-ipv4" in h and "%" in h for h in html)
    texts = [out.data.get("text/plain", "") for out in outputs if "data" in out]
    assert "True" in texts, "check finds exactly the leaks the simulation made"
