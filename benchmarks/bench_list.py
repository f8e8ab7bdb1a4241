"""Benchmark: ``client.list`` of N NetworkPolicies against a raw paged list with the ``kubernetes`` client.

Both sides read the same N NetworkPolicies (``crd.projectcalico.org/v1``, one namespace, each
with a selector, an order and three rules) from one in-process
:class:`calicopy.testing.FakeKubeAPIServer`, in pages of 500:

* raw: ``CustomObjectsApi.list_namespaced_custom_object(..., limit=500, _continue=...)`` until the
  last page; the items stay the JSON dicts the ``kubernetes`` client decodes;
* calicopy: ``client.list("NetworkPolicy", namespace=...)``: the same pages, converted from the
  stored CRs (metadata annotation, policy name, v3 defaults) into ``NetworkPolicy`` models, with
  clientv3's read defaults and calicoctl's order.

The two alternate, ``--repeat`` times each after a warm-up, in the same run; the script prints
the median and best times and the ratio calicopy/raw (the target is at most 1.3).  ``--profile``
adds a cProfile of one ``client.list`` (the top functions by own time and by cumulative time).

Run: ``python benchmarks/bench_list.py [--objects N] [--repeat R] [--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kubernetes import client as k8s

from calicopy import Client, NetworkPolicy
from calicopy.kdd import GROUP_V1, to_crd
from calicopy.kdd.backend import KubernetesBackend
from calicopy.kdd.kubeconfig import KubeConnection
from calicopy.retry import RateLimiter
from calicopy.testing import FakeKubeAPIServer

GROUP, VERSION, PLURAL = "crd.projectcalico.org", "v1", "networkpolicies"
NAMESPACE = "bench"
PAGE = 500


def policy(i: int) -> NetworkPolicy:
    """A realistic NetworkPolicy: selector, order, two ingress rules and one egress rule."""
    return NetworkPolicy.from_dict(
        {
            "metadata": {"name": f"np-{i:05d}", "namespace": NAMESPACE, "labels": {"team": f"t{i % 7}"}},
            "spec": {
                "order": float(100 + i % 900),
                "selector": f"app == 'app-{i % 97}' && tier in {{'web', 'api'}}",
                "types": ["Ingress", "Egress"],
                "ingress": [
                    {
                        "action": "Allow",
                        "protocol": "TCP",
                        "source": {"selector": f"role == 'client-{i % 13}'", "nets": ["10.0.0.0/8"]},
                        "destination": {"ports": [80, 443, "8000:8100"]},
                    },
                    {"action": "Deny", "protocol": "UDP", "destination": {"ports": [53]}},
                ],
                "egress": [{"action": "Allow", "destination": {"nets": [f"192.168.{i % 250}.0/24"]}}],
            },
        }
    )


def seed(server: FakeKubeAPIServer, count: int) -> None:
    server.add({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}})
    for i in range(count):
        server.add(to_crd(policy(i)))


def raw_list(api: k8s.CustomObjectsApi) -> int:
    """Every policy with the kubernetes client, 500 per page; returns how many."""
    count = 0
    token: str | None = None
    while True:
        kwargs: dict[str, Any] = {"limit": PAGE}
        if token:
            kwargs["_continue"] = token
        page = api.list_namespaced_custom_object(GROUP, VERSION, NAMESPACE, PLURAL, **kwargs)
        count += len(page["items"])
        token = page["metadata"].get("continue")
        if not token:
            return count


def timed(fn: Callable[[], int]) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of ``fn`` (CPU: this process, the fake server's thread included,
    so a busy machine disturbs it less), and what it returned."""
    start, start_cpu = time.perf_counter(), time.process_time()
    count = fn()
    return time.perf_counter() - start, time.process_time() - start_cpu, count


def profile(fn: Callable[[], object], top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objects", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile one client.list")
    parser.add_argument("--top", type=int, default=30, help="functions shown by --profile")
    args = parser.parse_args(argv)

    with FakeKubeAPIServer(groups=[GROUP_V1]) as server:
        started = time.perf_counter()
        seed(server, args.objects)
        print(
            f"{args.objects} NetworkPolicies in namespace {NAMESPACE!r}, fake API server ({GROUP_V1}) "
            f"in this process, pages of {PAGE}; seeded in {time.perf_counter() - started:.1f} s"
        )
        configuration = k8s.Configuration()
        configuration.host = server.url
        raw_api = k8s.CustomObjectsApi(k8s.ApiClient(configuration))
        backend = KubernetesBackend.from_connection(KubeConnection(server=server.url), api_group=GROUP_V1)
        backend._transport.limiter = RateLimiter(1e9, 1_000_000)  # like for like: no client-side throttling
        client = Client(backend=backend)

        def calicopy_list() -> int:
            return len(client.list("NetworkPolicy", namespace=NAMESPACE))

        for fn in (raw_list.__get__(raw_api), calicopy_list):  # warm-up: connections, imports, caches
            fn()
        raw: list[tuple[float, float]] = []
        ours: list[tuple[float, float]] = []
        for _ in range(args.repeat):
            for fn, times in ((lambda: raw_list(raw_api), raw), (calicopy_list, ours)):
                wall, cpu, count = timed(fn)
                assert count == args.objects, count
                times.append((wall, cpu))
        for label, times in (("raw CustomObjectsApi, paged", raw), ("calicopy client.list", ours)):
            walls, cpus = [w for w, _ in times], [c for _, c in times]
            print(
                f"  {label:30s} wall: median {statistics.median(walls):.3f} s, best {min(walls):.3f} s;"
                f"  CPU: median {statistics.median(cpus):.3f} s, best {min(cpus):.3f} s"
            )
        for what, index in (("wall", 0), ("CPU", 1)):
            raw_med = statistics.median(t[index] for t in raw)
            ours_med = statistics.median(t[index] for t in ours)
            raw_best, ours_best = min(t[index] for t in raw), min(t[index] for t in ours)
            print(f"  ratio calicopy/raw ({what}): median x{ours_med / raw_med:.2f}, best x{ours_best / raw_best:.2f}")
        if args.profile:
            print(profile(calicopy_list, args.top))
        client.close()
        raw_api.api_client.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
