"""Requests per second of the fake Kubernetes API server on loopback.

Creates, gets and lists 1,000 IPPools over one keep-alive HTTP/1.1 connection per client
thread and prints requests/s.  Run: ``python benchmarks/bench_fakeapi.py [--clients N]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import threading
import time
from collections.abc import Callable

from calicopy.testing.fakeapi import FakeKubeAPIServer

PATH = "/apis/crd.projectcalico.org/v1/ippools"
HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


def _pool(i: int) -> bytes:
    return json.dumps(
        {
            "apiVersion": "crd.projectcalico.org/v1",
            "kind": "IPPool",
            "metadata": {"name": f"pool-{i}", "labels": {"i": str(i % 10)}},
            "spec": {"cidr": f"10.{i // 256}.{i % 256}.0/24", "ipipMode": "Never", "natOutgoing": True},
        }
    ).encode()


def _run(port: int, clients: int, n: int, request: Callable[[http.client.HTTPConnection, int], None]) -> float:
    def work(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        for i in range(k, n, clients):
            request(conn, i)
        conn.close()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return n / (time.perf_counter() - started)


def _check(conn: http.client.HTTPConnection, expected: int) -> bytes:
    resp = conn.getresponse()
    body = resp.read()
    if resp.status != expected:
        raise RuntimeError(f"{resp.status}: {body[:200]!r}")
    return body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--objects", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--lists", type=int, default=50, help="full lists of all objects")
    args = parser.parse_args()
    with FakeKubeAPIServer() as server:

        def create(conn: http.client.HTTPConnection, i: int) -> None:
            conn.request("POST", PATH, _pool(i), HEADERS)
            _check(conn, 201)

        def get(conn: http.client.HTTPConnection, i: int) -> None:
            conn.request("GET", f"{PATH}/pool-{i}", headers=HEADERS)
            _check(conn, 200)

        def list_page(conn: http.client.HTTPConnection, i: int) -> None:
            conn.request("GET", f"{PATH}?limit=10&labelSelector=i%3D{i % 10}", headers=HEADERS)
            _check(conn, 200)

        def list_all(conn: http.client.HTTPConnection, i: int) -> None:
            conn.request("GET", PATH, headers=HEADERS)
            _check(conn, 200)

        n = args.objects
        print(f"fake kube API on {server.url}, {args.clients} client connection(s), {n} objects")
        print(f"create          {_run(server.port, args.clients, n, create):8.0f} req/s")
        print(f"get             {_run(server.port, args.clients, n, get):8.0f} req/s")
        print(f"list (limit 10) {_run(server.port, args.clients, n, list_page):8.0f} req/s")
        rate = _run(server.port, args.clients, args.lists, list_all)
        print(f"list (all {n})  {rate:8.1f} req/s  ({rate * n:.0f} objects/s)")


if __name__ == "__main__":
    main()
