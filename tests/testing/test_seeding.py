"""Seeding the fake API server (API, marker, ``serve`` flags and files), the ``calico_client``
fixture, the request log, and loading the pytest plugin every documented way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from calicopy import Client, IPPool
from calicopy.testing import FakeKubeAPIServer
from calicopy.testing.requestlog import Request, RequestLog
from calicopy.testing.seeding import (
    SeedError,
    load_seed_file,
    parse_namespace_flag,
    parse_node_flag,
    parse_pod_flag,
)

ROOT = Path(__file__).resolve().parents[2]


def _pods(server: FakeKubeAPIServer) -> dict[str, dict[str, Any]]:
    return {f"{p['metadata']['namespace']}/{p['metadata']['name']}": p for p in server.objects("pods")}


# -- the seeding API ------------------------------------------------------------------------------


def test_seed_short_forms_become_real_objects() -> None:
    seed = {
        "namespaces": [{"name": "prod", "labels": {"env": "prod"}}, "staging"],
        "nodes": [{"name": "node-1", "addresses": "10.0.0.11", "pod_cidr": "10.244.1.0/24"}, "node-2"],
        "pods": [
            {"name": "web", "namespace": "prod", "labels": {"app": "web"}, "ip": "10.244.1.7"},
            "prod/api",
            {"name": "db", "node": "node-2"},
            "batch/job-1",
        ],
    }
    with FakeKubeAPIServer(seed=seed) as server:
        namespaces = {ns["metadata"]["name"]: ns for ns in server.objects("namespaces")}
        assert {"default", "kube-system", "prod", "staging", "batch"} <= set(namespaces)
        assert namespaces["prod"]["metadata"]["labels"] == {"env": "prod"}
        nodes = {n["metadata"]["name"]: n for n in server.objects("nodes")}
        assert nodes["node-1"]["spec"] == {"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"]}
        assert {"type": "InternalIP", "address": "10.0.0.11"} in nodes["node-1"]["status"]["addresses"]
        pods = _pods(server)
        web = pods["prod/web"]
        assert web["metadata"]["labels"] == {"app": "web"}
        assert web["spec"]["nodeName"] == "node-1"  # the first node
        assert web["status"] == {"phase": "Running", "podIP": "10.244.1.7", "podIPs": [{"ip": "10.244.1.7"}]}
        # No IP given: the next free address of the node's pod CIDR, or of Calico's default pool.
        assert pods["prod/api"]["status"]["podIP"] == "10.244.1.1"
        assert pods["default/db"]["spec"]["nodeName"] == "node-2"
        assert pods["default/db"]["status"]["podIP"] == "192.168.0.1"
        assert pods["batch/job-1"]["status"]["podIP"] == "10.244.1.2"


def test_seed_method_marker_and_whole_objects() -> None:
    with FakeKubeAPIServer() as server:
        created = server.seed(
            nodes=["n1"],
            pods=[{"name": "p", "ips": ["192.168.0.9", "fd00::9"]}],
            objects=[
                {
                    "apiVersion": "crd.projectcalico.org/v1",
                    "kind": "IPPool",
                    "metadata": {"name": "pool-1"},
                    "spec": {"cidr": "10.9.0.0/16"},
                }
            ],
        )
        assert [o["kind"] for o in created] == ["Node", "Pod", "IPPool"]
        assert _pods(server)["default/p"]["status"]["podIPs"] == [{"ip": "192.168.0.9"}, {"ip": "fd00::9"}]
        assert server.objects("ippools")[0]["spec"]["cidr"] == "10.9.0.0/16"
        # A whole object in any list is created as it is.
        server.seed(pods=[{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "raw", "namespace": "default"}}])
        assert "status" not in _pods(server)["default/raw"]


@pytest.mark.fake_kube(seed={"nodes": ["node-1"], "pods": [{"name": "web", "labels": {"app": "web"}}]})
def test_calico_client_sees_seeded_pods_as_workload_endpoints(
    fake_kube: FakeKubeAPIServer, calico_client: Client
) -> None:
    assert calico_client.config is not None
    assert calico_client.config.spec.datastore_type == "kubernetes"
    assert calico_client.config.spec.kubeconfig == str(fake_kube.kubeconfig_path)
    [wep] = calico_client.list("WorkloadEndpoint", namespace="default")
    assert (wep.spec.pod, wep.spec.node, wep.spec.ip_networks) == ("web", "node-1", ["192.168.0.1/32"])
    assert wep.metadata.labels["app"] == "web"
    assert [n.metadata.name for n in calico_client.list("Node")] == ["node-1"]
    # Through the API server, as calicoctl would go.
    assert any("/pods" in r.target for r in fake_kube.requests)


def test_calico_client_writes_through_the_kubernetes_datastore(
    fake_kube: FakeKubeAPIServer, calico_client: Client
) -> None:
    calico_client.create(IPPool(metadata={"name": "p"}, spec={"cidr": "10.1.0.0/24"}))
    [stored] = fake_kube.objects("ippools")
    assert stored["apiVersion"] == "crd.projectcalico.org/v1"
    assert stored["spec"]["cidr"] == "10.1.0.0/24"


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        ({"pods": [{"nam": "x"}]}, "unknown pod fields ['nam']"),
        ({"nodes": [{"labels": {}}]}, "a node needs a name"),
        ({"pods": [{"name": "x", "ip": "10.0.0.300"}]}, "'10.0.0.300' is not an IP address"),
        ({"podz": []}, "unknown seed keys ['podz']"),
        ({"namespaces": [42]}, "a namespace is a name or a mapping, not int"),
    ],
)
def test_bad_seeds_say_what_is_wrong(seed: dict[str, Any], message: str) -> None:
    with pytest.raises(SeedError, match=message.replace("[", "\\[")):
        FakeKubeAPIServer(seed=seed)  # checked up front where the shape is wrong
    with FakeKubeAPIServer() as server:
        with pytest.raises(SeedError) as info:
            server.seed(seed)
        assert message in str(info.value)


def test_a_failing_seed_stops_the_server() -> None:
    server = FakeKubeAPIServer(seed={"namespaces": ["default"]})  # exists already: 409
    with pytest.raises(Exception, match="already exists"):
        server.start()
    assert server._httpd is None


# -- the request log -------------------------------------------------------------------------------


def test_requests_slice_like_a_list_and_keep_a_bounded_number() -> None:
    with FakeKubeAPIServer(request_log_size=5) as server:
        assert server.requests.maxlen == 5
        for n in range(8):
            urllib.request.urlopen(f"{server.url}/api/v1/namespaces?n={n}", timeout=5).close()
        assert len(server.requests) == 5
        assert server.requests.total == 8
        last = server.requests[-3:]
        assert isinstance(last, list)
        assert [r.target for r in last] == [f"/api/v1/namespaces?n={n}" for n in (5, 6, 7)]
        assert server.requests[-1] == ("GET", "/api/v1/namespaces?n=7")
        assert server.requests[-1].method == "GET"
        assert ("GET", "/api/v1/namespaces?n=3") in server.requests
        mark = server.requests.total
        urllib.request.urlopen(f"{server.url}/version", timeout=5).close()
        assert server.requests.since(mark) == [Request("GET", "/version")]
        server.requests.clear()
        assert (len(server.requests), server.requests.total, server.requests[:]) == (0, 0, [])


def test_request_log_reads_safely_while_it_grows() -> None:
    log = RequestLog(100)
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            log.append("GET", "/x")

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for _ in range(2000):
            assert len(log[-10:]) <= 10
            assert all(r.method == "GET" for r in log)
    finally:
        stop.set()
        thread.join()
    with pytest.raises(ValueError):
        RequestLog(0)


# -- the serve command ------------------------------------------------------------------------------


def test_flags_parse_to_seed_entries() -> None:
    assert parse_namespace_flag("prod,env=prod") == {"name": "prod", "labels": {"env": "prod"}}
    assert parse_node_flag("node-1:10.0.0.11/10.244.1.0/24,zone=a") == {
        "name": "node-1",
        "labels": {"zone": "a"},
        "addresses": ["10.0.0.11"],
        "pod_cidr": "10.244.1.0/24",
    }
    assert parse_node_flag("n6:fd00::11") == {"name": "n6", "labels": {}, "addresses": ["fd00::11"]}
    assert parse_pod_flag("prod/web-1@node-1:10.244.1.5,app=web,tier=") == {
        "name": "web-1",
        "namespace": "prod",
        "labels": {"app": "web", "tier": ""},
        "node": "node-1",
        "ip": "10.244.1.5",
    }
    assert parse_pod_flag("db:fd00::5") == {"name": "db", "namespace": "default", "labels": {}, "ip": "fd00::5"}
    for parse, value in [(parse_pod_flag, "web,app"), (parse_node_flag, ":1.2.3.4"), (parse_namespace_flag, "")]:
        with pytest.raises(SeedError):
            parse(value)


def test_seed_files_take_seed_mappings_and_kubernetes_objects(tmp_path: Path) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            namespaces: [prod]
            nodes: [{name: node-1, pod_cidr: 10.244.1.0/24}]
            pods: [prod/web]
            ---
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: v1, kind: Namespace, metadata: {name: other}}
            ---
            apiVersion: crd.projectcalico.org/v1
            kind: IPPool
            metadata: {name: pool-1}
            spec: {cidr: 10.9.0.0/16}
            """
        )
    )
    seed = load_seed_file(path)
    assert (seed.namespaces, seed.pods) == (["prod"], ["prod/web"])
    assert [o["kind"] for o in seed.objects] == ["Namespace", "IPPool"]
    (tmp_path / "seed.json").write_text(json.dumps({"pods": ["a"]}))
    assert load_seed_file(tmp_path / "seed.json").pods == ["a"]
    (tmp_path / "bad.yaml").write_text("- 1\n")
    with pytest.raises(SeedError, match="a document is a mapping"):
        load_seed_file(tmp_path / "bad.yaml")


def _serve(*args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "calicopy.testing", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    if not first:
        proc.wait(timeout=10)
        return proc, ""
    proc.stdout.readline()  # the kubeconfig line
    return proc, first.strip().rsplit(" ", 1)[-1]


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return json.loads(resp.read())


def test_serve_seeds_from_flags_and_files(tmp_path: Path) -> None:
    seed_file = tmp_path / "seed.yaml"
    seed_file.write_text("pods: [{name: from-file, namespace: prod}]\n")
    proc, url = _serve(
        "--namespace", "prod,env=prod",
        "--node", "node-1:10.0.0.11/10.244.1.0/24",
        "--pod", "prod/web@node-1:10.244.1.5,app=web",
        "--pod", "db",
        "--seed", str(seed_file),
    )  # fmt: skip
    try:
        assert url.startswith("http://127.0.0.1:")
        pods = {p["metadata"]["name"]: p for p in _get(f"{url}/api/v1/pods")["items"]}
        assert pods["web"]["metadata"]["labels"] == {"app": "web"}
        assert pods["web"]["status"]["podIP"] == "10.244.1.5"
        assert pods["db"]["status"]["podIP"] == "10.244.1.1"
        assert pods["from-file"]["metadata"]["namespace"] == "prod"
        prod = _get(f"{url}/api/v1/namespaces/prod")
        assert prod["metadata"]["labels"] == {"env": "prod"}
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0


def test_serve_reports_bad_seeds() -> None:
    proc, url = _serve("--pod", "web,app")
    assert url == "" and proc.returncode == 2
    assert proc.stderr is not None
    assert "'app' is not KEY=VALUE" in proc.stderr.read()
    proc, url = _serve("--namespace", "default")
    assert url == "" and proc.returncode == 2
    assert proc.stderr is not None
    assert "cannot seed" in proc.stderr.read()


# -- loading the plugin -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("conftest", "args", "env"),
    [
        ("", [], {}),
        ('pytest_plugins = ["calicopy.testing.pytest_plugin"]\n', [], {}),
        ("", ["-p", "calicopy.testing.pytest_plugin"], {}),
        ('pytest_plugins = ["calicopy.testing.pytest_plugin"]\n', [], {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}),
        ("", ["-p", "calicopy.testing.pytest_plugin"], {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}),
    ],
    ids=["entry-point", "pytest_plugins", "-p", "pytest_plugins-no-autoload", "-p-no-autoload"],
)
def test_the_plugin_loads_every_documented_way(
    tmp_path: Path, conftest: str, args: list[str], env: dict[str, str]
) -> None:
    entry_point = any(
        ep.value == "calicopy.testing.pytest_plugin"
        for ep in __import__("importlib.metadata").metadata.entry_points(group="pytest11")
    )
    if not conftest and not args and not entry_point:
        pytest.skip("calicopy is not installed, so its pytest11 entry point is not registered")
    (tmp_path / "conftest.py").write_text(conftest)
    (tmp_path / "test_user.py").write_text(
        "def test_fixtures(fake_kube, calico_client):\n    assert calico_client.list('IPPool') == []\n"
    )
    environ = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]), **env}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args, str(tmp_path)],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
