"""Benchmark: calicopy.loads of 10,000 NetworkPolicies against plain PyYAML (CSafeLoader).

Builds one YAML stream in memory (10,000 ``---``-separated NetworkPolicies, three rules each,
varied selectors, ports and nets), then times, best of three in the same run:

* ``list(yaml.load_all(text, Loader=yaml.CSafeLoader))``: parsing only (the stream has many
  documents, so ``yaml.load_all`` is the plain-PyYAML equivalent of ``yaml.load``);
* ``calicopy.loads(text)``: parsing, strict decoding and libcalico-go validation.

It also times the same policies as one document holding a YAML sequence, against
``yaml.load``.  Prints both times and the ratios; the project's budget is 2.5x.

Run: ``python benchmarks/bench_load.py [N]``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml

import calicopy

BUDGET = 2.5


def policy(i: int) -> str:
    return f"""apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: policy-{i}
  namespace: ns-{i % 13}
  labels:
    team: t{i % 7}
spec:
  order: {i % 1000}
  selector: app == 'app-{i % 97}' && tier in {{'web', 'api'}}
  types:
  - Ingress
  - Egress
  ingress:
  - action: Allow
    protocol: TCP
    source:
      selector: role == 'frontend-{i % 11}'
      namespaceSelector: has(env)
    destination:
      ports:
      - {1000 + i % 5000}
      - "{2000 + i % 300}:{2400 + i % 300}"
  - action: Deny
    protocol: UDP
    source:
      nets:
      - 10.{i % 256}.0.0/16
    destination:
      ports: [53, {5000 + i % 100}]
  egress:
  - action: Allow
    protocol: TCP
    destination:
      selector: role == 'db' || role == 'cache-{i % 5}'
      ports: [5432, 6379]
"""


def build_stream(n: int) -> str:
    return "---\n".join(policy(i) for i in range(n))


def build_sequence(n: int) -> str:
    return "".join("- " + policy(i).replace("\n", "\n  ").rstrip() + "\n" for i in range(n))


def best_of(fn: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    best = float("inf")
    result: Any = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main(n: int = 10_000) -> int:
    stream = build_stream(n)
    print(f"{n} NetworkPolicies, {len(stream) / 1e6:.1f} MB of YAML in one {n}-document stream")
    base, docs = best_of(lambda: list(yaml.load_all(stream, Loader=yaml.CSafeLoader)))
    ours, resources = best_of(lambda: calicopy.loads(stream))
    assert len(docs) == n and len(resources) == n, (len(docs), len(resources))
    ratio = ours / base
    print(f"  yaml.load_all(CSafeLoader): {base:.3f} s")
    print(f"  calicopy.loads:             {ours:.3f} s   ratio {ratio:.2f}x (budget {BUDGET}x)")

    sequence = build_sequence(n)
    base_seq, data = best_of(lambda: yaml.load(sequence, Loader=yaml.CSafeLoader))
    ours_seq, resources_seq = best_of(lambda: calicopy.loads(sequence))
    assert len(data) == n and len(resources_seq) == n
    ratio_seq = ours_seq / base_seq
    print("same policies as one document holding a YAML sequence:")
    print(f"  yaml.load(CSafeLoader):     {base_seq:.3f} s")
    print(f"  calicopy.loads:             {ours_seq:.3f} s   ratio {ratio_seq:.2f}x (budget {BUDGET}x)")
    return 0 if max(ratio, ratio_seq) <= BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
