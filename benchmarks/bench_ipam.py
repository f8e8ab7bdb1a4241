"""Benchmark: ``client.ipam.usage()`` and ``calicopy ipam show --show-blocks`` on N IPAM blocks.

An in-process :class:`calicopy.testing.FakeKubeAPIServer` (``crd.projectcalico.org/v1``) holds
3 pools and N blocks (a quarter of each block in use), one affinity per block and one handle per
block; they are written straight into the server, so only the reads are timed.  One run prints
every number and ratio:

1. ``usage()`` against a raw paged list of the same IPAM objects, one list per kind (blocks,
   affinities, handles), no per-block request: time and peak memory (tracemalloc), both with
   the ``kubernetes`` client (JSON dicts) and with calicopy's Backend (models).  Targets:
   time <= 1.5x, memory <= 2x.
2. ``ipam show --show-blocks`` (``usage()`` then :func:`calicopy.calicoctl.ipam.usage_table`)
   against the same table built through a sequential path (pools listed, then blocks, then
   the table).  Target: ratio <= 1.0.
3. The command itself, ``calicopy ipam show --show-blocks -c <config>``, as a user runs it: in a
   process of its own (the API server is another process, as a real one is), arguments parsed,
   a Client built from the configuration file, the version check, the table written to stdout;
   against the same steps done sequentially in that process (Client from the file, version
   check, pools listed, then blocks, the table, written), which is calicoctl's order.  The two
   alternate, ``--repeat`` times each after a warm-up, and the medians are compared.  Target:
   ratio <= 1.0.  One run of ``python -m calicopy ipam show --show-blocks`` in a new process is
   timed as well, for the whole cost a user sees (interpreter start and imports included).

Run: ``python benchmarks/bench_ipam.py [--blocks N] [--repeat R]`` (default 10,000 blocks).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import ipaddress
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kubernetes import client as k8s

from calicopy import Client, IPPool
from calicopy.calicoctl.ipam import usage_table
from calicopy.cli import main as calicopy_main
from calicopy.ipam.usage import usage_of
from calicopy.kdd import affinity_name, block_affinity_labels, block_name, to_crd
from calicopy.resources.generated.blockaffinity import BlockAffinity
from calicopy.resources.generated.ipamblock import IPAMBlock
from calicopy.resources.generated.ipamhandle import IPAMHandle
from calicopy.testing import FakeKubeAPIServer
from calicopy.testing.simulate import kube_client

ROOT = Path(__file__).resolve().parents[1]
GROUP, VERSION = "crd.projectcalico.org", "v1"
CONFIG = """\
apiVersion: projectcalico.org/v3
kind: CalicoAPIConfig
metadata: {{}}
spec:
  datastoreType: kubernetes
  kubeconfig: {kubeconfig}
"""
KINDS = ("ipamblocks", "blockaffinities", "ipamhandles")


def populate(server: FakeKubeAPIServer, client: Client, blocks: int) -> None:
    client.create(IPPool(metadata={"name": "big-ipv4"}, spec={"cidr": "10.0.0.0/9", "blockSize": 26}))
    client.create(IPPool(metadata={"name": "small-ipv4"}, spec={"cidr": "192.168.0.0/16", "blockSize": 26}))
    client.create(IPPool(metadata={"name": "ipv6"}, spec={"cidr": "fd00::/48", "blockSize": 122, "ipipMode": "Never"}))
    base = int(ipaddress.ip_network("10.0.0.0/9").network_address)
    for i in range(blocks):
        cidr = str(ipaddress.ip_network((base + i * 64, 26)))
        node = f"node-{i % 500:03d}"
        handle = f"k8s-pod-network.{i:012x}"
        block = IPAMBlock(
            metadata={"name": block_name(cidr)},
            spec={
                "cidr": cidr,
                "affinity": f"host:{node}",
                "allocations": [0] * 16 + [None] * 48,
                "unallocated": list(range(16, 64)),
                "attributes": [
                    {"handle_id": handle, "secondary": {"node": node, "namespace": "default", "pod": f"p{i}"}}
                ],
                "sequenceNumber": 1,
                "sequenceNumberForAllocation": {str(o): 1 for o in range(16)},
            },
        )
        server.add(to_crd(block, api_group=f"{GROUP}/{VERSION}"))
        aff = BlockAffinity(
            metadata={"name": affinity_name(node, cidr), "labels": block_affinity_labels(node, "host", cidr)},
            spec={"state": "confirmed", "node": node, "type": "host", "cidr": cidr, "deleted": False},
        )
        server.add(to_crd(aff, api_group=f"{GROUP}/{VERSION}"))
        server.add(
            to_crd(
                IPAMHandle(metadata={"name": handle}, spec={"handleID": handle, "block": {cidr: 16}}),
                api_group=f"{GROUP}/{VERSION}",
            )
        )


def measure(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """(median seconds, peak MB of one traced run)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak / 1e6


def command_side(config: str, repeat: int) -> dict[str, list[float]]:
    """Run :func:`measure_command` in a process of its own (see the module docstring, point 3)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    script = f"import bench_ipam, json; print(json.dumps(bench_ipam.measure_command({config!r}, {repeat})))"
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=Path(__file__).parent, check=True, capture_output=True, text=True
    )
    measured: dict[str, list[float]] = json.loads(done.stdout.splitlines()[-1])
    return measured


def measure_command(config: str, repeat: int) -> dict[str, list[float]]:
    """In this process: the command, and the same steps sequentially, alternating (after a warm-up
    of each, which also checks that they print the same table)."""
    command = ["ipam", "show", "--show-blocks", "-c", config]

    def run_command() -> str:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = calicopy_main.main(command, standalone_mode=False)
        assert code == 0, code
        return out.getvalue()

    def run_sequential() -> str:
        out = io.StringIO()
        with Client.from_config(config) as fresh:
            fresh.check_version()
            pools = fresh.ipam.core.pools.list_pools()
            blocks = fresh.ipam.core.store.list_blocks()
            out.write(usage_table(usage_of(pools, blocks), show_blocks=True))
        return out.getvalue()

    assert run_command() == run_sequential()
    times: dict[str, list[float]] = {"command": [], "sequential": []}
    for _ in range(repeat):
        for name, fn in (("command", run_command), ("sequential", run_sequential)):
            gc.collect()
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
    return times


def process_run(command: list[str]) -> float:
    """Wall time of ``python -m calicopy <command>`` in a new process (output discarded)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "calicopy", *command], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--blocks", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with FakeKubeAPIServer() as server:
        client = kube_client(server)
        started = time.perf_counter()
        populate(server, client, args.blocks)
        print(f"{args.blocks} blocks, affinities and handles written in {time.perf_counter() - started:.1f}s")
        api = k8s.CustomObjectsApi(server.api_client())

        def raw_lists() -> list[Any]:
            items: list[Any] = []
            for plural in KINDS:
                token = None
                while True:
                    page = api.list_cluster_custom_object(GROUP, VERSION, plural, limit=500, _continue=token)
                    items += page["items"]
                    token = page["metadata"].get("continue")
                    if not token:
                        break
            return items

        def backend_lists() -> list[Any]:
            return [
                item
                for kind in ("IPAMBlock", "BlockAffinity", "IPAMHandle")
                for item in client.backend.list(kind).items
            ]

        def usage() -> Any:
            return client.ipam.usage()

        def show_blocks() -> str:
            return usage_table(client.ipam.usage(), show_blocks=True)

        def show_blocks_sequential() -> str:
            pools = client.ipam.core.pools.list_pools()
            blocks = client.ipam.core.store.list_blocks()
            return usage_table(usage_of(pools, blocks), show_blocks=True)

        config = Path(tempfile.mkdtemp()) / "calicoctl.cfg"
        config.write_text(CONFIG.format(kubeconfig=server.kubeconfig_path))
        command = ["ipam", "show", "--show-blocks", "-c", str(config)]
        assert show_blocks() == show_blocks_sequential()
        results = {
            name: measure(fn, args.repeat)
            for name, fn in (
                ("raw kubernetes lists (3 kinds)", raw_lists),
                ("calicopy Backend lists (3 kinds)", backend_lists),
                ("client.ipam.usage()", usage),
                ("ipam show --show-blocks", show_blocks),
                ("same, sequential path", show_blocks_sequential),
            )
        }
        for name, (seconds, peak) in results.items():
            print(f"{name:34s} {seconds:7.2f}s  peak {peak:7.1f} MB")
        u_t, u_m = results["client.ipam.usage()"]
        for base in ("raw kubernetes lists (3 kinds)", "calicopy Backend lists (3 kinds)"):
            b_t, b_m = results[base]
            print(f"usage() / {base}: time {u_t / b_t:.2f}x (target <= 1.5), memory {u_m / b_m:.2f}x (target <= 2)")
        s_t = results["ipam show --show-blocks"][0] / results["same, sequential path"][0]
        print(f"ipam show --show-blocks / sequential path: time {s_t:.2f}x (target <= 1.0)")
        measured = command_side(str(config), args.repeat)
        for name in ("command", "sequential"):
            times = measured[name]
            label = "calicopy ipam show --show-blocks" if name == "command" else "same steps, sequential"
            print(f"{label:34s} {statistics.median(times):7.2f}s  (min {min(times):.2f}s, {len(times)} runs)")
        c_t = statistics.median(measured["command"]) / statistics.median(measured["sequential"])
        print(f"calicopy ipam show --show-blocks (command) / sequential steps: time {c_t:.2f}x (target <= 1.0)")
        print(f"python -m calicopy ipam show --show-blocks, new process: {process_run(command):.2f}s")
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
