"""Benchmark: ``Client.apply_all`` of GlobalNetworkPolicies against the raw ``kubernetes`` client.

Everything runs against an in-process :class:`calicopy.testing.FakeKubeAPIServer` serving
``crd.projectcalico.org/v1``; a fresh server is started for every create phase, so each one
starts from an empty datastore.  Requests are counted from the server's request log.

Phase (a), creating N GlobalNetworkPolicies (selector, order, three rules with ports, nets and
selectors):

* raw, sequential: ``CustomObjectsApi.create_cluster_custom_object`` once per policy, with the
  bodies :func:`calicopy.kdd.to_crd` produces for the defaulted policies (the same objects
  calicopy stores, so both sides send the same bytes' worth of JSON);
* raw, concurrent: the same creates on a ``ThreadPoolExecutor`` of C workers sharing one
  ``ApiClient`` whose urllib3 pool holds at least C connections
  (``configuration.connection_pool_maxsize``);
* calicopy: ``client.apply_all(policies, concurrency=C)`` with the client-side rate limiter
  lifted (``k8sClientQPS``/``k8sClientBurst`` set very high), the like-for-like comparison;
* calicopy with calicoctl's default limits (50 requests/s, burst 100), what a user gets
  without tuning ``k8sClientQPS`` (skip it with ``--no-throttled``).

Phase (b), re-applying the same N unchanged policies:

* calicopy: ``apply_all`` again on the server holding the policies; it lists them once and
  writes nothing (the script checks that no POST/PUT/PATCH/DELETE of a policy was sent);
* raw baseline: what an idempotent script does with the plain client, one
  ``get_cluster_custom_object`` per policy and a comparison of the spec, sequentially and on
  C threads.

Prints requests, seconds, requests/s and the ratios calicopy/raw for each phase.

Run: ``python benchmarks/bench_client.py [--quick] [--objects N] [--concurrency C]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kubernetes import client as k8s
from kubernetes import config as k8s_config

import calicopy
from calicopy import Client, GlobalNetworkPolicy
from calicopy.bulk import ApplyOutcome
from calicopy.testing import FakeKubeAPIServer

GROUP, VERSION, PLURAL = "crd.projectcalico.org", "v1", "globalnetworkpolicies"
API_GROUP = f"{GROUP}/{VERSION}"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

CALICOCTL_CFG = """\
apiVersion: projectcalico.org/v3
kind: CalicoAPIConfig
metadata: {{}}
spec:
  datastoreType: kubernetes
  kubeconfig: {kubeconfig}
{limits}"""
UNTHROTTLED = "  k8sClientQPS: 100000\n  k8sClientBurst: 100000\n"


def policy(i: int) -> GlobalNetworkPolicy:
    """A realistic GlobalNetworkPolicy: selector, order, two ingress rules and one egress rule."""
    return GlobalNetworkPolicy.from_dict(
        {
            "apiVersion": "projectcalico.org/v3",
            "kind": "GlobalNetworkPolicy",
            "metadata": {"name": f"gnp-{i:05d}", "labels": {"team": f"t{i % 7}"}},
            "spec": {
                "order": float(100 + i % 900),
                "selector": f"app == 'app-{i % 97}' && tier in {{'web', 'api'}}",
                "types": ["Ingress", "Egress"],
                "ingress": [
                    {
                        "action": "Allow",
                        "protocol": "TCP",
                        "source": {"selector": f"role == 'frontend-{i % 11}'", "namespaceSelector": "has(env)"},
                        "destination": {"ports": [1000 + i % 5000, f"{2000 + i % 300}:{2400 + i % 300}"]},
                    },
                    {
                        "action": "Deny",
                        "protocol": "UDP",
                        "source": {"nets": [f"10.{i % 256}.0.0/16"]},
                        "destination": {"ports": [53, 5000 + i % 100]},
                    },
                ],
                "egress": [
                    {
                        "action": "Allow",
                        "protocol": "TCP",
                        "destination": {"selector": f"role == 'db' || role == 'cache-{i % 5}'", "ports": [5432, 6379]},
                    }
                ],
            },
        }
    )


@dataclass
class Result:
    label: str
    requests: int
    writes: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else float("inf")


def _api_client(server: FakeKubeAPIServer, pool_size: int) -> Any:
    """A ``kubernetes`` ApiClient for ``server`` whose urllib3 pool keeps ``pool_size`` connections."""
    configuration = k8s.Configuration()
    k8s_config.load_kube_config(config_file=str(server.kubeconfig_path), client_configuration=configuration)
    configuration.connection_pool_maxsize = max(pool_size, configuration.connection_pool_maxsize or 0)
    return k8s.ApiClient(configuration)


def _measure(label: str, server: FakeKubeAPIServer, work: Callable[[], None]) -> Result:
    server.requests.clear()
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    log = list(server.requests)
    if server.requests.maxlen is not None and len(log) >= server.requests.maxlen:
        raise RuntimeError(f"{label}: the server's request log overflowed; use fewer objects")
    writes = sum(1 for method, _ in log if method in WRITES)
    return Result(label, len(log), writes, seconds)


def _run_threads(fn: Callable[[Any], object], items: Sequence[Any], concurrency: int) -> None:
    if concurrency <= 1:
        for item in items:
            fn(item)
        return
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for _ in pool.map(fn, items):
            pass


def raw_create(bodies: Sequence[dict[str, Any]], concurrency: int) -> tuple[Result, FakeKubeAPIServer]:
    server = FakeKubeAPIServer(groups=[API_GROUP]).start()
    api = _api_client(server, concurrency)
    objects = k8s.CustomObjectsApi(api)

    def create(body: dict[str, Any]) -> object:
        return objects.create_cluster_custom_object(GROUP, VERSION, PLURAL, body)

    label = "raw create, sequential" if concurrency <= 1 else f"raw create, {concurrency} threads"
    try:
        result = _measure(label, server, lambda: _run_threads(create, bodies, concurrency))
    finally:
        api.close()
    return result, server


def raw_reapply(server: FakeKubeAPIServer, bodies: Sequence[dict[str, Any]], concurrency: int) -> tuple[Result, int]:
    """GET each policy and compare its spec with the body (an idempotent raw script's re-apply)."""
    api = _api_client(server, concurrency)
    objects = k8s.CustomObjectsApi(api)
    differ: list[str] = []

    def check(body: dict[str, Any]) -> None:
        name = body["metadata"]["name"]
        stored = objects.get_cluster_custom_object(GROUP, VERSION, PLURAL, name)
        if stored.get("spec") != body["spec"]:
            differ.append(name)

    label = "raw get+compare, sequential" if concurrency <= 1 else f"raw get+compare, {concurrency} threads"
    try:
        result = _measure(label, server, lambda: _run_threads(check, bodies, concurrency))
    finally:
        api.close()
    return result, len(differ)


def _client(server: FakeKubeAPIServer, workdir: Path, *, throttled: bool) -> Client:
    cfg = workdir / ("throttled.cfg" if throttled else "calicoctl.cfg")
    limits = "" if throttled else UNTHROTTLED
    cfg.write_text(CALICOCTL_CFG.format(kubeconfig=server.kubeconfig_path, limits=limits))
    return Client.from_config(str(cfg))


def calicopy_apply(
    client: Client, server: FakeKubeAPIServer, policies: Sequence[GlobalNetworkPolicy], concurrency: int, label: str
) -> tuple[Result, dict[str, int]]:
    outcomes: list[ApplyOutcome] = []

    def work() -> None:
        outcomes.extend(client.apply_all(policies, concurrency=concurrency))

    result = _measure(label, server, work)
    actions: dict[str, int] = {}
    for outcome in outcomes:
        actions[outcome.action] = actions.get(outcome.action, 0) + 1
    failed = [o for o in outcomes if o.action == "failed"]
    if failed:
        raise RuntimeError(f"{label}: {len(failed)} failed, first: {failed[0].error}")
    return result, actions


def _row(result: Result, raws: Sequence[Result] = ()) -> str:
    text = (
        f"  {result.label:42} {result.requests:6d} req ({result.writes:5d} writes) "
        f"{result.seconds:8.3f} s {result.rate:8.0f} req/s"
    )
    for raw in raws:
        text += f"\n  {'':42} vs {raw.label}: time x{result.seconds / raw.seconds:.2f}, "
        text += f"requests x{result.requests / raw.requests:.2f}" if raw.requests else "requests n/a"
    return text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objects", type=int, default=1000, help="GlobalNetworkPolicies to create (default 1000)")
    parser.add_argument("--quick", action="store_true", help="100 objects")
    parser.add_argument("--concurrency", type=int, default=8, help="worker threads C (default 8)")
    parser.add_argument(
        "--no-throttled", action="store_true", help="skip the run with calicoctl's default 50 QPS / burst 100 limits"
    )
    args = parser.parse_args(argv)
    n = 100 if args.quick else args.objects
    c = max(1, args.concurrency)

    start = time.perf_counter()
    policies = [policy(i) for i in range(n)]
    built = time.perf_counter() - start
    start = time.perf_counter()
    defaulted = [calicopy.default(p) for p in policies]
    for p in defaulted:
        p.validate_calico()
    checked = time.perf_counter() - start
    bodies = [calicopy.kdd.to_crd(p, api_group=API_GROUP) for p in defaulted]
    print(f"{n} GlobalNetworkPolicies, concurrency {c}, fake API server ({API_GROUP}) in this process")
    print(f"  local work: building the models {built:.3f} s, defaulting + validating them once {checked:.3f} s")
    pool = k8s.Configuration().connection_pool_maxsize
    print(
        f"  urllib3 pool: raw client sized to {max(c, pool)} connections; calicopy's ApiClient keeps the default {pool}"
    )
    if pool < c:
        print(f"  WARNING: calicopy's pool ({pool}) is smaller than the concurrency ({c}): connections get discarded")

    servers: list[FakeKubeAPIServer] = []
    try:
        with tempfile.TemporaryDirectory(prefix="calicopy-bench-") as tmp:
            workdir = Path(tmp)
            print(f"\n(a) create {n} policies (fresh server each)")
            raw_seq, server = raw_create(bodies, 1)
            servers.append(server)
            raw_par, server = raw_create(bodies, c)
            servers.append(server)
            print(_row(raw_seq))
            print(_row(raw_par))

            ours_server = FakeKubeAPIServer(groups=[API_GROUP]).start()
            servers.append(ours_server)
            with _client(ours_server, workdir, throttled=False) as client:
                ours, actions = calicopy_apply(client, ours_server, policies, c, f"calicopy apply_all, {c} threads")
                print(_row(ours, [raw_seq, raw_par]))
                print(f"  {'':42} outcomes: {actions}")
                if actions.get("created") != n:
                    raise RuntimeError(f"expected {n} created, got {actions}")
                kinds = _request_mix(ours_server)
                print(f"  {'':42} requests by method and resource: {kinds}")

            if not args.no_throttled:
                throttled_server = FakeKubeAPIServer(groups=[API_GROUP]).start()
                servers.append(throttled_server)
                with _client(throttled_server, workdir, throttled=True) as client:
                    label = f"calicopy apply_all, {c} thr, 50 QPS default"
                    slow, _ = calicopy_apply(client, throttled_server, policies, c, label)
                print(_row(slow, [raw_par]))

            print(f"\n(b) re-apply the same {n} unchanged policies")
            raw_seq_b, differ = raw_reapply(servers[0], bodies, 1)
            raw_par_b, _ = raw_reapply(servers[1], bodies, c)
            if differ:
                raise RuntimeError(f"raw re-apply: {differ} stored policies differ from their bodies")
            print(_row(raw_seq_b))
            print(_row(raw_par_b))
            with _client(ours_server, workdir, throttled=False) as client:
                again, actions = calicopy_apply(client, ours_server, policies, c, f"calicopy apply_all, {c} threads")
            print(_row(again, [raw_seq_b, raw_par_b]))
            print(f"  {'':42} outcomes: {actions}")
            print(f"  {'':42} requests by method and resource: {_request_mix(ours_server)}")
            writes = [(m, t) for m, t in ours_server.requests if m in WRITES]
            policy_writes = [t for _, t in writes if f"/{PLURAL}" in t]
            print(f"  write requests for policies in (b): {len(policy_writes)}")
            others = sorted({f"{m} {t}" for m, t in writes if f"/{PLURAL}" not in t})
            if others:
                print(f"  other writes in (b): {len(writes) - len(policy_writes)} ({', '.join(others)}),")
                print("    calicoctl's tryEnsureInitialized creating the static tiers once per Client (409 if present)")
            if policy_writes or actions.get("unchanged") != n:
                print("  FAIL: re-applying unchanged policies wrote to the datastore")
                return 1
    finally:
        for server in servers:
            server.stop()
    return 0


def _request_mix(server: FakeKubeAPIServer) -> dict[str, int]:
    """Requests in the server's log grouped by method and last path segment (resource or name class)."""
    mix: dict[str, int] = {}
    for method, target in server.requests:
        path = target.split("?", 1)[0].rstrip("/")
        parts = path.split("/")
        if "apis" in parts and len(parts) > parts.index("apis") + 3:
            resource = parts[parts.index("apis") + 3]
            tail = resource if len(parts) == parts.index("apis") + 4 else f"{resource}/<name>"
        else:
            tail = path or "/"
        key = f"{method} {tail}"
        mix[key] = mix.get(key, 0) + 1
    return dict(sorted(mix.items(), key=lambda kv: -kv[1]))


if __name__ == "__main__":
    raise SystemExit(main())
