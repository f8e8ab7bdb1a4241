"""Behaviours that need the fake's knobs: small history windows, fault injection, TLS, v3 group, CLI, fixture."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from kubernetes import client, watch

from calicopy.testing.fakeapi import GROUP_V3, FakeKubeAPIServer, generate_certificates

G, V = "crd.projectcalico.org", "v1"


def _pool(name: str, cidr: str = "10.0.0.0/24") -> dict[str, Any]:
    return {"apiVersion": f"{G}/{V}", "kind": "IPPool", "metadata": {"name": name}, "spec": {"cidr": cidr}}


@pytest.fixture
def small() -> Any:
    with FakeKubeAPIServer(window=3, bookmark_interval=0.2) as server:
        api = server.api_client()
        yield server, client.CustomObjectsApi(api)
        api.close()


def test_watch_from_compacted_version_gets_410_error_event(small: Any) -> None:
    _server, co = small
    first = co.create_cluster_custom_object(G, V, "ippools", _pool("p0"))
    for i in range(1, 6):
        co.create_cluster_custom_object(G, V, "ippools", _pool(f"p{i}"))
    rv = first["metadata"]["resourceVersion"]
    resp = co.list_cluster_custom_object(
        G, V, "ippools", watch=True, resource_version=rv, timeout_seconds=2, _preload_content=False
    )
    assert resp.status == 200
    lines = [json.loads(x) for x in resp.read().decode().splitlines() if x.strip()]
    assert lines[0]["type"] == "ERROR"
    status = lines[0]["object"]
    assert (
        status["code"] == 410
        and status["reason"] == "Expired"
        and status["message"].startswith(f"too old resource version: {rv} (")
    )
    # The official client raises ApiException(410) for it.
    with pytest.raises(client.ApiException) as info:
        for _ in watch.Watch().stream(
            co.list_cluster_custom_object, G, V, "ippools", resource_version=rv, timeout_seconds=2
        ):
            pass
    assert info.value.status == 410


def test_expired_continue_token_is_410(small: Any) -> None:
    _server, co = small
    for i in range(3):
        co.create_cluster_custom_object(G, V, "ippools", _pool(f"c{i}"))
    page = co.list_cluster_custom_object(G, V, "ippools", limit=1)
    for i in range(5):
        co.patch_cluster_custom_object(G, V, "ippools", "c0", {"spec": {"blockSize": 20 + i}})
    with pytest.raises(client.ApiException) as info:
        co.list_cluster_custom_object(G, V, "ippools", limit=1, _continue=page["metadata"]["continue"])
    assert info.value.status == 410
    body = json.loads(info.value.body)
    assert body["reason"] == "Expired" and "continue parameter is too old" in body["message"]
    with pytest.raises(client.ApiException) as info:
        co.list_cluster_custom_object(
            G, V, "ippools", resource_version=page["metadata"]["resourceVersion"], resource_version_match="Exact"
        )
    assert info.value.status == 410


def test_list_too_large_resource_version(small: Any) -> None:
    _, co = small
    with pytest.raises(client.ApiException) as info:
        co.list_cluster_custom_object(G, V, "ippools", resource_version="999999", resource_version_match="NotOlderThan")
    assert info.value.status == 504 and "Too large resource version" in json.loads(info.value.body)["message"]


# -- faults ----------------------------------------------------------------------------------------


def test_fault_status_with_retry_after(fake_kube: FakeKubeAPIServer, fake_kube_api_client: Any) -> None:
    fault = fake_kube.faults.fail(429, method="GET", path=r"/ippools", times=2, retry_after=3)
    for _ in range(2):
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(f"{fake_kube.url}/apis/{G}/{V}/ippools", timeout=5)
        assert info.value.code == 429
        assert info.value.headers["Retry-After"] == "3"
        body = json.loads(info.value.read())
        assert body["reason"] == "TooManyRequests" and body["details"]["retryAfterSeconds"] == 3
    assert fault.hits == 2 and fake_kube.faults.active == []
    co = client.CustomObjectsApi(fake_kube_api_client)
    # urllib3 (under the official client) honours Retry-After on a 429 for a GET: it retries.
    fake_kube.faults.fail(429, method="GET", path=r"/ippools", times=1, retry_after=1)
    started = time.monotonic()
    assert co.list_cluster_custom_object(G, V, "ippools")["items"] == []
    assert time.monotonic() - started >= 1
    fake_kube.faults.fail(503, method="POST", times=1)
    with pytest.raises(client.ApiException) as api_info:
        co.create_cluster_custom_object(G, V, "ippools", _pool("x"))
    assert api_info.value.status == 503 and json.loads(api_info.value.body)["reason"] == "ServiceUnavailable"
    assert fake_kube.objects("ippools") == []  # the failed request did not write
    fake_kube.faults.fail(500, path="nomatch")
    co.create_cluster_custom_object(G, V, "ippools", _pool("x"))
    assert len(fake_kube.faults.active) == 1
    fake_kube.faults.clear()
    assert fake_kube.faults.active == []


def test_fault_delay(fake_kube: FakeKubeAPIServer, fake_kube_api_client: Any) -> None:
    co = client.CustomObjectsApi(fake_kube_api_client)
    fake_kube.faults.delay(0.3, method="GET", times=1)
    started = time.monotonic()
    co.list_cluster_custom_object(G, V, "ippools")
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    co.list_cluster_custom_object(G, V, "ippools")
    assert time.monotonic() - started < 0.3


def test_fault_drop_connection(fake_kube: FakeKubeAPIServer) -> None:
    fake_kube.faults.drop(path=r"/version")
    with pytest.raises((ConnectionError, OSError, Exception)) as info:
        urllib.request.urlopen(f"{fake_kube.url}/version", timeout=5)
    assert not isinstance(info.value, urllib.error.HTTPError)
    with urllib.request.urlopen(f"{fake_kube.url}/version", timeout=5) as resp:
        assert json.loads(resp.read())["major"] == "1"


def test_fault_end_watch_early(fake_kube: FakeKubeAPIServer, fake_kube_api_client: Any) -> None:
    co = client.CustomObjectsApi(fake_kube_api_client)
    for i in range(3):
        co.create_cluster_custom_object(G, V, "ippools", _pool(f"e{i}"))
    fake_kube.faults.end_watch(after_events=1)
    started = time.monotonic()
    events = list(watch.Watch().stream(co.list_cluster_custom_object, G, V, "ippools", timeout_seconds=30))
    assert len(events) == 1 and time.monotonic() - started < 10


# -- TLS, tokens, groups ---------------------------------------------------------------------------


@pytest.mark.fake_kube(tls=True, token="s3cret")
def test_tls_and_bearer_token(fake_kube: FakeKubeAPIServer, fake_kube_api_client: Any) -> None:
    assert fake_kube.url.startswith("https://127.0.0.1:")
    co = client.CustomObjectsApi(fake_kube_api_client)
    co.create_cluster_custom_object(G, V, "ippools", _pool("tls"))
    assert [p["metadata"]["name"] for p in fake_kube.objects("IPPool")] == ["tls"]
    configuration = client.Configuration()
    configuration.host = fake_kube.url
    configuration.ssl_ca_cert = str(fake_kube.ca_path)
    configuration.api_key = {"authorization": "Bearer wrong"}
    with client.ApiClient(configuration) as bad, pytest.raises(client.ApiException) as info:
        client.CustomObjectsApi(bad).list_cluster_custom_object(G, V, "ippools")
    assert info.value.status == 401 and json.loads(info.value.body)["reason"] == "Unauthorized"


def test_certificates_with_openssl(tmp_path: Path) -> None:
    import shutil
    import ssl

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    ca, cert, key = generate_certificates(tmp_path, method="openssl")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    ssl.create_default_context(cafile=str(ca))


@pytest.mark.fake_kube(groups=[GROUP_V3])
def test_native_v3_group(fake_kube: FakeKubeAPIServer, fake_kube_api_client: Any) -> None:
    groups = {g.name for g in client.ApisApi(fake_kube_api_client).get_api_versions().groups}
    assert "projectcalico.org" in groups and "crd.projectcalico.org" not in groups
    co = client.CustomObjectsApi(fake_kube_api_client)
    resources = {r.name: r for r in co.get_api_resources("projectcalico.org", "v3").resources}
    assert resources["ipamconfigurations"].kind == "IPAMConfiguration"
    assert "ippools/status" in resources and "gnp" in resources["globalnetworkpolicies"].short_names
    body = {
        "apiVersion": "projectcalico.org/v3",
        "kind": "BlockAffinity",
        "metadata": {"name": "a"},
        "spec": {"node": "n", "cidr": "10.0.0.0/26", "state": "confirmed", "deleted": False},
    }
    assert (
        co.create_cluster_custom_object("projectcalico.org", "v3", "blockaffinities", body)["spec"]["deleted"] is False
    )
    pool = co.create_cluster_custom_object(
        "projectcalico.org", "v3", "ippools", {**_pool("p"), "apiVersion": "projectcalico.org/v3"}
    )
    pool["status"] = {"conditions": []}
    updated = co.replace_cluster_custom_object_status("projectcalico.org", "v3", "ippools", "p", pool)
    assert updated["status"] == {"conditions": []}


@pytest.mark.fake_kube(groups=["crd.projectcalico.org/v1", GROUP_V3])
def test_both_groups_are_separate(fake_kube: FakeKubeAPIServer) -> None:
    fake_kube.add(_pool("v1pool"))
    assert fake_kube.objects("ippools", group="crd.projectcalico.org") != []
    assert fake_kube.objects("ippools", group="projectcalico.org") == []
    with pytest.raises(KeyError):
        fake_kube.objects("ippools")


def test_requests_are_recorded_and_kubeconfig_written(fake_kube: FakeKubeAPIServer, fake_kube_api_client: Any) -> None:
    client.CustomObjectsApi(fake_kube_api_client).list_cluster_custom_object(G, V, "ippools")
    assert ("GET", f"/apis/{G}/{V}/ippools") in fake_kube.requests
    assert fake_kube.kubeconfig_path is not None
    assert json.loads(fake_kube.kubeconfig_path.read_text())["clusters"][0]["cluster"]["server"] == fake_kube.url


def test_stop_ends_open_watches() -> None:
    server = FakeKubeAPIServer().start()
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.sendall(f"GET /apis/{G}/{V}/ippools?watch=1 HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert sock.recv(100).startswith(b"HTTP/1.1 200")
    started = time.monotonic()
    server.stop()
    sock.settimeout(5)
    while sock.recv(4096):
        pass
    assert time.monotonic() - started < 5
    sock.close()


def test_cli_serve() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "calicopy.testing", "serve", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        url = first.strip().rsplit(" ", 1)[-1]
        assert url.startswith("http://127.0.0.1:")
        assert proc.stdout.readline().startswith("kubeconfig: ")
        with urllib.request.urlopen(f"{url}/apis", timeout=5) as resp:
            assert "crd.projectcalico.org" in {g["name"] for g in json.loads(resp.read())["groups"]}
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0


def test_ipam_block_allocations_keep_null_entries() -> None:
    # Go's []*int: free slots are null, and the v3.32.1 CRD marks the items nullable.
    from calicopy.testing import FakeKubeAPIServer

    with FakeKubeAPIServer() as server:
        stored = server.add(
            {
                "apiVersion": "crd.projectcalico.org/v1",
                "kind": "IPAMBlock",
                "metadata": {"name": "10-245-1-0-26"},
                "spec": {
                    "cidr": "10.245.1.0/26",
                    "allocations": [0, None, None],
                    "unallocated": [1, 2],
                    "attributes": [],
                },
            }
        )
        assert stored["spec"]["allocations"] == [0, None, None]
