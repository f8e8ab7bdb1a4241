"""Benchmark: ``import calicopy; calicopy.IPPool`` in a fresh interpreter (issue 9 item 20).

Runs ``python -X importtime`` several times and prints, for the best run, the time spent in
calicopy's own modules (their self time: pydantic, PyYAML and the standard library excluded)
and the whole import.  The project's budget for calicopy's part is 150 ms.

Run: ``python benchmarks/bench_import.py [RUNS]``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_MS = 150.0
CODE = "import calicopy; calicopy.IPPool"


def one_run() -> tuple[float, float]:
    """(calicopy's self time, the whole import) in milliseconds."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", CODE], capture_output=True, text=True, check=True, env=env
    )
    own = total = 0
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line or "self [us]" in line:
            continue
        self_us, _cumulative, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        total += int(self_us)
        if name.strip().startswith("calicopy"):
            own += int(self_us)
    return own / 1000, total / 1000


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    own, total = min(one_run() for _ in range(runs))
    print(f"{CODE!r}, best of {runs}:")
    print(f"  calicopy's modules: {own:6.1f} ms   (budget {BUDGET_MS:.0f} ms)")
    print(f"  the whole import:   {total:6.1f} ms")


if __name__ == "__main__":
    main()
