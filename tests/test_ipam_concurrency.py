"""IPAM under concurrency and failures.

16 threads assign and release addresses of one small pool at once, on the memory backend and
through the fake API server: no address is ever held by two callers, and after every release
nothing is left behind (no lost release).  Then faults from the fake server's injector
(conflicts, 500s, dropped connections, lasting outages of one kind of write) hit assignments
and releases mid-operation; after each, the IPAM invariants hold
(:func:`calicopy.ipam.violations`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

import pytest
from ipam_support import IPAMDatastore

from calicopy import Client
from calicopy.config import CalicoAPIConfig, CalicoAPIConfigSpec
from calicopy.errors import CalicoError
from calicopy.kdd.backend import KubernetesBackend
from calicopy.retry import RetryPolicy
from calicopy.testing import FakeKubeAPIServer
from calicopy.testing.faults import Fault as InjectedFault

THREADS = 16


def _hammer(client: Client, rounds: int) -> None:
    held: dict[str, int] = {}
    guard = threading.Lock()
    failures: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def worker(n: int) -> None:
        try:
            start.wait()
            for r in range(rounds):
                handle = f"t{n}-r{r}"
                got = client.ipam.assign(2, host=f"host{n % 4}", handle_id=handle, attrs={"node": f"host{n % 4}"})
                ips = [str(i.ip) for i in got.ips]
                assert len(ips) == 2
                with guard:
                    for ip in ips:
                        assert ip not in held, f"{ip} handed out to thread {n} while thread {held[ip]} holds it"
                        held[ip] = n
                with guard:
                    for ip in ips:
                        del held[ip]
                if r % 2:
                    client.ipam.release_by_handle(handle)
                else:
                    assert client.ipam.release_ips(*ips) == []
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    usage = client.ipam.usage()
    assert sum(p.in_use for p in usage.pools) == 0, "a release was lost"
    assert client.backend.list("IPAMHandle").items == []
    assert client.ipam.verify(exact_handles=True) == []


def _prepare(ds: IPAMDatastore) -> None:
    for n in range(4):
        ds.add_node(f"host{n}")
    # Small blocks: the threads share a few blocks, claim new ones and borrow from each other.
    ds.pool("shared", "10.80.0.0/25", blockSize=29)


def test_sixteen_threads_memory() -> None:
    client = Client.in_memory(sleep=lambda _: None)
    ds = IPAMDatastore(client)
    _prepare(ds)
    _hammer(client, rounds=10)


@pytest.fixture
def fast_kube() -> Iterator[tuple[FakeKubeAPIServer, Client]]:
    """A fake API server and a Client whose transport retries quickly (faults end in seconds, not minutes)."""
    with FakeKubeAPIServer() as server:
        spec = CalicoAPIConfigSpec(
            datastore_type="kubernetes",
            kubeconfig=str(server.kubeconfig_path),
            k8s_client_qps=100_000,
            k8s_client_burst=100_000,
        )
        backend = KubernetesBackend.from_config(
            CalicoAPIConfig(spec=spec), retry_policy=RetryPolicy(max_attempts=3, base_delay=0.0), sleep=lambda _: None
        )
        client = Client(CalicoAPIConfig(spec=spec), backend=backend, sleep=lambda _: None)
        try:
            yield server, client
        finally:
            client.close()


def test_sixteen_threads_fake_api_server(fast_kube: tuple[FakeKubeAPIServer, Client]) -> None:
    server, client = fast_kube
    _prepare(IPAMDatastore(client, server))
    _hammer(client, rounds=3)


Fault = Callable[[FakeKubeAPIServer], InjectedFault]
FAULTS: dict[str, Fault] = {
    "conflict on a block write": lambda s: s.faults.fail(
        409, method="PUT", path="/ipamblocks/", times=2, message="conflict"
    ),
    "500 on a block write": lambda s: s.faults.fail(500, method="PUT", path="/ipamblocks/", times=1),
    "500 on a handle create": lambda s: s.faults.fail(500, method="POST", path="/ipamhandles", times=1),
    "dropped handle update": lambda s: s.faults.drop(method="PUT", path="/ipamhandles/", times=1),
    "dropped block delete": lambda s: s.faults.drop(method="DELETE", path="/ipamblocks/", times=1),
    "dropped affinity create": lambda s: s.faults.drop(method="POST", path="/blockaffinities", times=1),
    "dropped handle delete": lambda s: s.faults.drop(method="DELETE", path="/ipamhandles/", times=1),
    "conflict on an affinity update": lambda s: s.faults.fail(409, method="PUT", path="/blockaffinities/", times=1),
    "block writes down": lambda s: s.faults.fail(503, method="PUT", path="/ipamblocks/", times=None),
    "handle writes down": lambda s: s.faults.fail(500, method="PUT", path="/ipamhandles/", times=None),
    "deletes down": lambda s: s.faults.fail(500, method="DELETE", times=None),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_faults_leave_ipam_consistent(fast_kube: tuple[FakeKubeAPIServer, Client], fault: str) -> None:
    server, client = fast_kube
    ds = IPAMDatastore(client, server)
    _prepare(ds)
    ipam = client.ipam
    steady = ipam.assign(3, host="host0", handle_id="steady", attrs={"node": "host0"})
    held = {"steady": [str(i.ip) for i in steady.ips]}
    injected = FAULTS[fault](server)
    for step in range(4):
        handle = f"h{step}"
        try:
            got = ipam.assign(2, host=f"host{step % 2}", handle_id=handle, attrs={"node": f"host{step % 2}"})
            held[handle] = [str(i.ip) for i in got.ips]
        except CalicoError:
            pass
        assert ipam.verify() == [], f"after assign {step} with {fault}"
        victim = sorted(held)[0]
        try:
            if step % 2:
                ipam.release_by_handle(victim)
            else:
                ipam.release_ips(*held[victim])
            held.pop(victim)
        except CalicoError:
            pass
        assert ipam.verify() == [], f"after release {step} with {fault}"
    for host in ("host0", "host1"):  # empties and deletes blocks, drops affinities
        with contextlib.suppress(CalicoError):
            ipam.release_host_affinities(host, must_be_empty=True)
        assert ipam.verify() == [], f"after releasing {host}'s affinities with {fault}"
    assert injected.hits > 0, "the fault never met a request"
    server.faults.clear()
    # Once the datastore answers again, everything still held can be released and nothing stays allocated.
    for handle in sorted(held):
        try:
            ipam.release_by_handle(handle)
        except CalicoError:
            ipam.release_ips(*held[handle])
    leftovers = [a for b in client.backend.list("IPAMBlock").items for a in (b.spec.allocations or []) if a is not None]  # type: ignore[attr-defined]
    assert ipam.verify() == []
    # Whatever a fault stranded is what `ipam check` reports as leaked; a fault-free run strands nothing.
    if not fault.endswith("down"):
        assert leftovers == []
