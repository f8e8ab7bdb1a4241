"""Kubernetes API behaviours the KDD adapter relies on, written against the official client.

They run against the fake by default and against a real server when CALICOPY_TEST_KUBECONFIG
is set (see conftest.py).  Where the fake is not faithful, the test says so.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
from kubernetes import client, watch

from .conftest import GROUP, VERSION, Kube, status_of


def _expect_error(code: int, fn: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    with pytest.raises(client.ApiException) as info:
        fn(*args, **kwargs)
    assert info.value.status == code, info.value.body
    body = status_of(info.value)
    assert body["kind"] == "Status" and body["apiVersion"] == "v1" and body["status"] == "Failure"
    assert body["code"] == code
    return body


# -- discovery -----------------------------------------------------------------------------------


def test_discovery_lists_calico_group_and_kinds(kube: Kube) -> None:
    groups = {g.name: g for g in client.ApisApi(kube.api).get_api_versions().groups}
    assert GROUP in groups
    assert groups[GROUP].preferred_version.group_version == f"{GROUP}/{VERSION}"
    resources = client.CustomObjectsApi(kube.api).get_api_resources(GROUP, VERSION).resources
    by_name = {r.name: r for r in resources}
    assert by_name["ippools"].kind == "IPPool" and by_name["ippools"].namespaced is False
    assert by_name["networkpolicies"].namespaced is True
    assert by_name["ipamconfigs"].kind == "IPAMConfig"
    assert "watch" in by_name["ippools"].verbs and "patch" in by_name["ippools"].verbs
    assert client.CoreApi(kube.api).get_api_versions().versions == ["v1"]
    assert client.VersionApi(kube.api).get_code().major == "1"


def test_discovery_of_core_kinds(kube: Kube) -> None:
    names = {r.name for r in kube.core.get_api_resources().resources}
    assert {"namespaces", "nodes", "pods", "serviceaccounts"} <= names
    names = {r.name for r in client.NetworkingV1Api(kube.api).get_api_resources().resources}
    assert "networkpolicies" in names


def test_unknown_path_is_404(kube: Kube) -> None:
    body = _expect_error(404, kube.co.list_cluster_custom_object, GROUP, VERSION, "nosuchthings")
    assert body["reason"] == "NotFound"


# -- create / get ----------------------------------------------------------------------------------


def test_create_assigns_server_fields(kube: Kube) -> None:
    pool = kube.pool("create")
    meta = pool["metadata"]
    assert meta["uid"] and meta["creationTimestamp"].endswith("Z")
    assert int(meta["resourceVersion"]) > 0 and meta["generation"] == 1
    assert pool["apiVersion"] == f"{GROUP}/{VERSION}" and pool["kind"] == "IPPool"
    got = kube.co.get_cluster_custom_object(GROUP, VERSION, "ippools", meta["name"])
    assert got == pool


def test_create_twice_is_already_exists(kube: Kube) -> None:
    pool = kube.pool("dup")
    name = pool["metadata"]["name"]
    body = {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": "IPPool",
        "metadata": {"name": name},
        "spec": {"cidr": "10.2.0.0/24"},
    }
    status = _expect_error(409, kube.co.create_cluster_custom_object, GROUP, VERSION, "ippools", body)
    assert status["reason"] == "AlreadyExists"
    assert status["message"] == f'ippools.{GROUP} "{name}" already exists'
    assert status["details"] == {"name": name, "group": GROUP, "kind": "ippools"}


def test_create_with_resource_version_is_rejected(kube: Kube) -> None:
    body = {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": "IPPool",
        "metadata": {"name": kube.name("rv"), "resourceVersion": "5"},
        "spec": {"cidr": "10.2.0.0/24"},
    }
    status = _expect_error(500, kube.co.create_cluster_custom_object, GROUP, VERSION, "ippools", body)
    assert "resourceVersion should not be set on objects to be created" in status["message"]


def test_get_missing_is_not_found(kube: Kube) -> None:
    name = kube.name("missing")
    status = _expect_error(404, kube.co.get_cluster_custom_object, GROUP, VERSION, "ippools", name)
    assert status["reason"] == "NotFound"
    assert status["message"] == f'ippools.{GROUP} "{name}" not found'
    assert status["details"] == {"name": name, "group": GROUP, "kind": "ippools"}


def test_generate_name(kube: Kube) -> None:
    body = {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": "IPPool",
        "metadata": {"generateName": kube.name("gen-")},
        "spec": {"cidr": "10.3.0.0/24"},
    }
    obj = kube.co.create_cluster_custom_object(GROUP, VERSION, "ippools", body)
    name = obj["metadata"]["name"]
    kube.track("ippools", name)
    assert name.startswith(kube.name("gen-")) and len(name) == len(kube.name("gen-")) + 5


def test_invalid_name_is_invalid(kube: Kube) -> None:
    body = {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": "IPPool",
        "metadata": {"name": "Bad_Name"},
        "spec": {"cidr": "10.3.0.0/24"},
    }
    status = _expect_error(422, kube.co.create_cluster_custom_object, GROUP, VERSION, "ippools", body)
    assert status["reason"] == "Invalid"
    assert status["details"]["causes"][0]["field"] == "metadata.name"
    assert status["message"].startswith(
        f'IPPool.{GROUP} "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"'
    )


# -- update ----------------------------------------------------------------------------------------


def test_update_with_current_version_bumps_it(kube: Kube) -> None:
    pool = kube.pool("upd")
    pool["spec"]["blockSize"] = 26
    updated = kube.co.replace_cluster_custom_object(GROUP, VERSION, "ippools", pool["metadata"]["name"], pool)
    assert int(updated["metadata"]["resourceVersion"]) > int(pool["metadata"]["resourceVersion"])
    assert updated["metadata"]["uid"] == pool["metadata"]["uid"]
    assert updated["metadata"]["generation"] == 2
    assert updated["spec"]["blockSize"] == 26


def test_update_with_stale_version_is_conflict(kube: Kube) -> None:
    pool = kube.pool("stale")
    name = pool["metadata"]["name"]
    fresh = dict(pool, spec={**pool["spec"], "blockSize": 27})
    kube.co.replace_cluster_custom_object(GROUP, VERSION, "ippools", name, fresh)
    pool["spec"]["blockSize"] = 28
    status = _expect_error(409, kube.co.replace_cluster_custom_object, GROUP, VERSION, "ippools", name, pool)
    assert status["reason"] == "Conflict"
    assert status["message"] == (
        f'Operation cannot be fulfilled on ippools.{GROUP} "{name}": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )


def test_update_without_resource_version_is_invalid_for_custom_resources(kube: Kube) -> None:
    # Real servers reject it (customResourceStrategy.AllowUnconditionalUpdate is false); core kinds allow it.
    pool = kube.pool("norv")
    name = pool["metadata"]["name"]
    del pool["metadata"]["resourceVersion"]
    status = _expect_error(422, kube.co.replace_cluster_custom_object, GROUP, VERSION, "ippools", name, pool)
    assert status["message"].endswith("metadata.resourceVersion: Invalid value: 0x0: must be specified for an update")
    assert status["details"]["causes"] == [
        {
            "reason": "FieldValueInvalid",
            "message": "Invalid value: 0x0: must be specified for an update",
            "field": "metadata.resourceVersion",
        }
    ]


def test_update_missing_object_is_not_found(kube: Kube) -> None:
    name = kube.name("ghost")
    body = {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": "IPPool",
        "metadata": {"name": name, "resourceVersion": "1"},
        "spec": {"cidr": "10.3.0.0/24"},
    }
    _expect_error(404, kube.co.replace_cluster_custom_object, GROUP, VERSION, "ippools", name, body)


def test_update_name_mismatch_is_bad_request(kube: Kube) -> None:
    pool = kube.pool("mism")
    status = _expect_error(
        400, kube.co.replace_cluster_custom_object, GROUP, VERSION, "ippools", kube.name("other"), pool
    )
    assert "does not match the name on the URL" in status["message"]


def test_noop_update_keeps_resource_version(kube: Kube) -> None:
    pool = kube.pool("noop")
    same = kube.co.replace_cluster_custom_object(GROUP, VERSION, "ippools", pool["metadata"]["name"], pool)
    assert same["metadata"]["resourceVersion"] == pool["metadata"]["resourceVersion"]


def test_core_update_without_resource_version_is_unconditional(kube: Kube) -> None:
    name = kube.name("ns")
    kube.core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name)))
    kube.track("namespaces", name, group="")
    ns = kube.core.replace_namespace(name, {"metadata": {"name": name, "labels": {"x": "y"}}})
    assert ns.metadata.labels["x"] == "y"


# -- delete ----------------------------------------------------------------------------------------


def test_delete_with_preconditions(kube: Kube) -> None:
    pool = kube.pool("del")
    name, uid, rv = pool["metadata"]["name"], pool["metadata"]["uid"], pool["metadata"]["resourceVersion"]
    wrong_uid = "00000000-0000-0000-0000-000000000000"
    status = _expect_error(
        409,
        kube.co.delete_cluster_custom_object,
        GROUP,
        VERSION,
        "ippools",
        name,
        body=client.V1DeleteOptions(preconditions=client.V1Preconditions(uid=wrong_uid)),
    )
    assert status["reason"] == "Conflict"
    assert f"Precondition failed: UID in precondition: {wrong_uid}, UID in object meta: {uid}" in status["message"]
    status = _expect_error(
        409,
        kube.co.delete_cluster_custom_object,
        GROUP,
        VERSION,
        "ippools",
        name,
        body=client.V1DeleteOptions(preconditions=client.V1Preconditions(resource_version="1")),
    )
    assert "Precondition failed: ResourceVersion in precondition: 1" in status["message"]
    deleted = kube.co.delete_cluster_custom_object(
        GROUP,
        VERSION,
        "ippools",
        name,
        body=client.V1DeleteOptions(preconditions=client.V1Preconditions(uid=uid, resource_version=rv)),
    )
    assert deleted["metadata"]["name"] == name  # custom resources return the deleted object
    _expect_error(404, kube.co.get_cluster_custom_object, GROUP, VERSION, "ippools", name)
    _expect_error(404, kube.co.delete_cluster_custom_object, GROUP, VERSION, "ippools", name)


def test_delete_with_finalizer_marks_deletion(kube: Kube) -> None:
    pool = kube.pool("fin")
    name = pool["metadata"]["name"]
    pool["metadata"]["finalizers"] = ["example.com/hold"]
    pool = kube.co.replace_cluster_custom_object(GROUP, VERSION, "ippools", name, pool)
    marked = kube.co.delete_cluster_custom_object(GROUP, VERSION, "ippools", name)
    assert marked["metadata"]["deletionTimestamp"]
    still = kube.co.get_cluster_custom_object(GROUP, VERSION, "ippools", name)
    still["metadata"]["finalizers"] = []
    kube.co.replace_cluster_custom_object(GROUP, VERSION, "ippools", name, still)
    _expect_error(404, kube.co.get_cluster_custom_object, GROUP, VERSION, "ippools", name)


# -- patch -----------------------------------------------------------------------------------------


def test_merge_patch(kube: Kube) -> None:
    pool = kube.pool("mp", labels={"a": "1", "b": "2"})
    name = pool["metadata"]["name"]
    patched = kube.co.patch_cluster_custom_object(
        GROUP, VERSION, "ippools", name, {"metadata": {"labels": {"a": None, "c": "3"}}, "spec": {"disabled": True}}
    )
    assert patched["metadata"]["labels"] == {"b": "2", "c": "3"}
    assert patched["spec"]["disabled"] is True and patched["spec"]["cidr"] == pool["spec"]["cidr"]
    assert int(patched["metadata"]["resourceVersion"]) > int(pool["metadata"]["resourceVersion"])


def test_merge_patch_with_stale_resource_version_conflicts(kube: Kube) -> None:
    pool = kube.pool("mprv")
    name = pool["metadata"]["name"]
    kube.co.patch_cluster_custom_object(GROUP, VERSION, "ippools", name, {"spec": {"disabled": True}})
    patch = {"metadata": {"resourceVersion": pool["metadata"]["resourceVersion"]}, "spec": {"disabled": False}}
    status = _expect_error(409, kube.co.patch_cluster_custom_object, GROUP, VERSION, "ippools", name, patch)
    assert status["reason"] == "Conflict"


def test_json_patch(kube: Kube) -> None:
    pool = kube.pool("jp")
    name = pool["metadata"]["name"]
    ops = [
        {"op": "add", "path": "/spec/blockSize", "value": 28},
        {"op": "replace", "path": "/spec/cidr", "value": "10.9.0.0/24"},
    ]
    jp = "application/json-patch+json"
    patched = kube.co.patch_cluster_custom_object(GROUP, VERSION, "ippools", name, ops, _content_type=jp)
    assert patched["spec"]["blockSize"] == 28 and patched["spec"]["cidr"] == "10.9.0.0/24"
    test_op = [{"op": "test", "path": "/spec/blockSize", "value": 1}]
    _expect_error(422, kube.co.patch_cluster_custom_object, GROUP, VERSION, "ippools", name, test_op, _content_type=jp)


def test_strategic_merge_patch_is_unsupported_for_custom_resources(kube: Kube) -> None:
    pool = kube.pool("smp")
    name = pool["metadata"]["name"]
    with pytest.raises(client.ApiException) as info:
        kube.co.patch_cluster_custom_object(
            GROUP,
            VERSION,
            "ippools",
            name,
            {"spec": {"disabled": True}},
            _content_type="application/strategic-merge-patch+json",
        )
    assert info.value.status == 415
    assert status_of(info.value)["reason"] == "UnsupportedMediaType"


def test_patch_missing_object_is_not_found(kube: Kube) -> None:
    _expect_error(
        404, kube.co.patch_cluster_custom_object, GROUP, VERSION, "ippools", kube.name("nopatch"), {"spec": {}}
    )


# -- custom resource schema ------------------------------------------------------------------------


def test_unknown_fields_are_pruned_and_defaults_applied(kube: Kube) -> None:
    pool = kube.pool("prune", bogusField=1)
    assert "bogusField" not in pool["spec"]
    assert pool["spec"]["assignmentMode"] == "Automatic"  # schema default


def test_enum_type_and_bounds_are_validated(kube: Kube) -> None:
    name = kube.name("bad")
    body = {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": "IPPool",
        "metadata": {"name": name},
        "spec": {"cidr": "10.4.0.0/24", "vxlanMode": "Sometimes", "blockSize": 200, "natOutgoing": "yes"},
    }
    status = _expect_error(422, kube.co.create_cluster_custom_object, GROUP, VERSION, "ippools", body)
    assert status["reason"] == "Invalid"
    causes = {c["field"]: c for c in status["details"]["causes"]}
    assert causes["spec.vxlanMode"]["reason"] == "FieldValueNotSupported"
    assert (
        causes["spec.vxlanMode"]["message"]
        == 'Unsupported value: "Sometimes": supported values: "Never", "Always", "CrossSubnet"'
    )
    assert (
        causes["spec.blockSize"]["message"]
        == "Invalid value: 200: spec.blockSize in body should be less than or equal to 128"
    )
    assert causes["spec.natOutgoing"]["reason"] == "FieldValueTypeInvalid"
    assert status["details"]["kind"] == "IPPool" and status["details"]["group"] == GROUP
    assert status["message"].startswith(f'IPPool.{GROUP} "{name}" is invalid: [')


def test_required_field(kube: Kube) -> None:
    body = {"apiVersion": f"{GROUP}/{VERSION}", "kind": "IPPool", "metadata": {"name": kube.name("req")}, "spec": {}}
    status = _expect_error(422, kube.co.create_cluster_custom_object, GROUP, VERSION, "ippools", body)
    assert status["details"]["causes"] == [
        {"reason": "FieldValueRequired", "message": "Required value", "field": "spec.cidr"}
    ]


def test_ipam_config_v1_kind_and_defaults(kube: Kube) -> None:
    obj = kube.create("ipamconfigs", "IPAMConfig", kube.name("ipam"), {})
    assert obj["kind"] == "IPAMConfig"
    assert obj["spec"]["autoAllocateBlocks"] is True and obj["spec"]["strictAffinity"] is False


def test_block_affinity_v1_deleted_is_a_string(kube: Kube) -> None:
    spec = {"state": "confirmed", "node": "n1", "cidr": "10.5.0.0/26", "deleted": "false"}
    obj = kube.create("blockaffinities", "BlockAffinity", kube.name("aff"), spec)
    assert obj["spec"]["deleted"] == "false"
    body = {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": "BlockAffinity",
        "metadata": {"name": kube.name("aff2")},
        "spec": {**spec, "deleted": False},
    }
    _expect_error(422, kube.co.create_cluster_custom_object, GROUP, VERSION, "blockaffinities", body)


# -- namespaced ------------------------------------------------------------------------------------


def test_namespaced_custom_resources(kube: Kube) -> None:
    ns = kube.name("ns")
    kube.core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=ns)))
    kube.track("namespaces", ns, group="")
    spec = {"selector": "all()", "types": ["Ingress"]}
    kube.create("networkpolicies", "NetworkPolicy", kube.name("np"), spec, namespace=ns)
    kube.create("networkpolicies", "NetworkPolicy", kube.name("np2"), spec, namespace="default")
    in_ns = kube.co.list_namespaced_custom_object(GROUP, VERSION, ns, "networkpolicies")["items"]
    assert [i["metadata"]["name"] for i in in_ns] == [kube.name("np")]
    assert in_ns[0]["metadata"]["namespace"] == ns
    everywhere = kube.co.list_cluster_custom_object(GROUP, VERSION, "networkpolicies")["items"]
    assert {kube.name("np"), kube.name("np2")} <= {i["metadata"]["name"] for i in everywhere}
    got = kube.co.get_namespaced_custom_object(GROUP, VERSION, ns, "networkpolicies", kube.name("np"))
    assert got["spec"]["selector"] == "all()"


def test_create_in_missing_namespace_is_not_found(kube: Kube) -> None:
    ns = kube.name("nons")
    body = {"apiVersion": f"{GROUP}/{VERSION}", "kind": "NetworkSet", "metadata": {"name": "x"}, "spec": {}}
    status = _expect_error(404, kube.co.create_namespaced_custom_object, GROUP, VERSION, ns, "networksets", body)
    assert status["message"] == f'namespaces "{ns}" not found'


def test_namespace_mismatch_is_bad_request(kube: Kube) -> None:
    body = {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": "NetworkSet",
        "metadata": {"name": kube.name("x"), "namespace": "kube-system"},
        "spec": {},
    }
    _expect_error(400, kube.co.create_namespaced_custom_object, GROUP, VERSION, "default", "networksets", body)


# -- core kinds ------------------------------------------------------------------------------------


def test_core_kinds_crud(kube: Kube) -> None:
    kube.fake_only("creates Nodes and Pods, which a real cluster's controllers act on")
    core = kube.core
    node = core.create_node(client.V1Node(metadata=client.V1ObjectMeta(name="node-1", labels={"zone": "a"})))
    assert node.metadata.uid
    pod = client.V1Pod(
        metadata=client.V1ObjectMeta(name="pod-1"),
        spec=client.V1PodSpec(node_name="node-1", containers=[client.V1Container(name="c", image="busybox")]),
    )
    created = core.create_namespaced_pod("default", pod)
    assert created.metadata.namespace == "default"
    assert [p.metadata.name for p in core.list_pod_for_all_namespaces().items] == ["pod-1"]
    sa = core.create_namespaced_service_account(
        "default", client.V1ServiceAccount(metadata=client.V1ObjectMeta(name="sa-1"))
    )
    assert sa.metadata.name == "sa-1"
    assert [n.metadata.name for n in core.list_node(label_selector="zone=a").items] == ["node-1"]
    np = client.V1NetworkPolicy(
        metadata=client.V1ObjectMeta(name="k8s-np"),
        spec=client.V1NetworkPolicySpec(pod_selector=client.V1LabelSelector()),
    )
    client.NetworkingV1Api(kube.api).create_namespaced_network_policy("default", np)
    assert len(client.NetworkingV1Api(kube.api).list_namespaced_network_policy("default").items) == 1
    core.delete_namespaced_pod("pod-1", "default")
    assert core.list_namespaced_pod("default").items == []
    with pytest.raises(client.ApiException) as info:
        core.read_node("node-2")
    assert info.value.status == 404 and status_of(info.value)["message"] == 'nodes "node-2" not found'


def test_namespace_delete_removes_its_objects(kube: Kube) -> None:
    kube.fake_only("real namespace deletion is asynchronous (Terminating)")
    kube.core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="gone")))
    kube.create("networksets", "NetworkSet", "ns1", {}, namespace="gone")
    kube.core.delete_namespace("gone")
    assert kube.co.list_cluster_custom_object(GROUP, VERSION, "networksets")["items"] == []


# -- list ------------------------------------------------------------------------------------------


SELECTOR_CASES = [
    ("app=web", {"web", "web-prod"}),
    ("app==web", {"web", "web-prod"}),
    ("app!=web", {"db", "bare"}),
    ("app in (web,db)", {"web", "web-prod", "db"}),
    ("app notin (web)", {"db", "bare"}),
    ("app", {"web", "web-prod", "db"}),
    ("!app", {"bare"}),
    ("app=web,tier=prod", {"web-prod"}),
    ("app in (web), !tier", {"web"}),
]


@pytest.mark.parametrize(("selector", "expected"), SELECTOR_CASES)
def test_list_label_selector(kube: Kube, selector: str, expected: set[str]) -> None:
    mark = f"suite={kube.prefix}"
    labels = {"web": {"app": "web"}, "web-prod": {"app": "web", "tier": "prod"}, "db": {"app": "db"}, "bare": {}}
    for base, extra in labels.items():
        kube.pool(base, labels={"suite": kube.prefix, **extra})
    items = kube.co.list_cluster_custom_object(GROUP, VERSION, "ippools", label_selector=f"{mark},{selector}")["items"]
    assert {i["metadata"]["name"].removeprefix(kube.prefix + "-") for i in items} == expected


def test_list_bad_label_selector_is_bad_request(kube: Kube) -> None:
    _expect_error(400, kube.co.list_cluster_custom_object, GROUP, VERSION, "ippools", label_selector="app in (a")


def test_list_field_selector(kube: Kube) -> None:
    a = kube.pool("fa")
    kube.pool("fb")
    name = a["metadata"]["name"]
    items = kube.co.list_cluster_custom_object(GROUP, VERSION, "ippools", field_selector=f"metadata.name={name}")[
        "items"
    ]
    assert [i["metadata"]["name"] for i in items] == [name]
    items = kube.co.list_cluster_custom_object(GROUP, VERSION, "ippools", field_selector=f"metadata.name!={name}")[
        "items"
    ]
    assert name not in {i["metadata"]["name"] for i in items}
    _expect_error(400, kube.co.list_cluster_custom_object, GROUP, VERSION, "ippools", field_selector="spec.cidr=x")


def test_list_resource_version_and_kind(kube: Kube) -> None:
    pool = kube.pool("lrv")
    listed = kube.co.list_cluster_custom_object(GROUP, VERSION, "ippools")
    assert listed["kind"] == "IPPoolList" and listed["apiVersion"] == f"{GROUP}/{VERSION}"
    assert int(listed["metadata"]["resourceVersion"]) >= int(pool["metadata"]["resourceVersion"])


def test_pagination_is_a_consistent_snapshot(kube: Kube) -> None:
    mark = f"suite={kube.prefix}"
    for i in range(5):
        kube.pool(f"page{i}", labels={"suite": kube.prefix})
    first = kube.co.list_cluster_custom_object(GROUP, VERSION, "ippools", label_selector=mark, limit=2)
    assert len(first["items"]) == 2 and first["metadata"]["continue"]
    kube.pool("page9", labels={"suite": kube.prefix})  # after the snapshot: not in later pages
    names = [i["metadata"]["name"] for i in first["items"]]
    token = first["metadata"]["continue"]
    while token:
        page = kube.co.list_cluster_custom_object(
            GROUP, VERSION, "ippools", label_selector=mark, limit=2, _continue=token
        )
        assert page["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]
        names += [i["metadata"]["name"] for i in page["items"]]
        token = page["metadata"].get("continue")
    assert names == sorted(kube.name(f"page{i}") for i in range(5))


def test_pagination_remaining_item_count(kube: Kube) -> None:
    kube.fake_only("other pools in a real cluster change the count")
    for i in range(3):
        kube.pool(f"r{i}")
    page = kube.co.list_cluster_custom_object(GROUP, VERSION, "ippools", limit=1)
    assert page["metadata"]["remainingItemCount"] == 2


def test_invalid_continue_token_is_bad_request(kube: Kube) -> None:
    _expect_error(400, kube.co.list_cluster_custom_object, GROUP, VERSION, "ippools", limit=1, _continue="not-a-token")


def test_list_at_exact_resource_version(kube: Kube) -> None:
    pool = kube.pool("exact")
    name = pool["metadata"]["name"]
    rv = pool["metadata"]["resourceVersion"]
    kube.co.patch_cluster_custom_object(GROUP, VERSION, "ippools", name, {"spec": {"blockSize": 30}})
    old = kube.co.list_cluster_custom_object(
        GROUP,
        VERSION,
        "ippools",
        resource_version=rv,
        resource_version_match="Exact",
        field_selector=f"metadata.name={name}",
    )
    assert old["metadata"]["resourceVersion"] == rv
    assert "blockSize" not in old["items"][0]["spec"]
    new = kube.co.list_cluster_custom_object(
        GROUP,
        VERSION,
        "ippools",
        resource_version=rv,
        resource_version_match="NotOlderThan",
        field_selector=f"metadata.name={name}",
    )
    assert new["items"][0]["spec"]["blockSize"] == 30
    _expect_error(422, kube.co.list_cluster_custom_object, GROUP, VERSION, "ippools", resource_version_match="Exact")


# -- watch -----------------------------------------------------------------------------------------


def _watch_events(kube: Kube, count: int, timeout: int = 5, **kwargs: Any) -> list[dict[str, Any]]:
    events = []
    w = watch.Watch()
    for event in w.stream(
        kube.co.list_cluster_custom_object, GROUP, VERSION, "ippools", timeout_seconds=timeout, **kwargs
    ):
        events.append(event)
        if len(events) >= count:
            w.stop()
    return events


def test_watch_from_resource_version(kube: Kube) -> None:
    pool = kube.pool("w")
    name = pool["metadata"]["name"]
    rv = pool["metadata"]["resourceVersion"]
    kube.co.patch_cluster_custom_object(GROUP, VERSION, "ippools", name, {"spec": {"disabled": True}})
    kube.co.delete_cluster_custom_object(GROUP, VERSION, "ippools", name)
    events = _watch_events(kube, 2, resource_version=rv, field_selector=f"metadata.name={name}")
    assert [e["type"] for e in events] == ["MODIFIED", "DELETED"]
    assert events[0]["object"]["spec"]["disabled"] is True
    assert int(events[1]["object"]["metadata"]["resourceVersion"]) > int(
        events[0]["object"]["metadata"]["resourceVersion"]
    )


def test_watch_without_resource_version_starts_with_added(kube: Kube) -> None:
    pool = kube.pool("wa")
    name = pool["metadata"]["name"]
    events = _watch_events(kube, 1, field_selector=f"metadata.name={name}")
    assert events[0]["type"] == "ADDED" and events[0]["object"]["metadata"]["name"] == name


def test_watch_sees_live_changes_and_label_transitions(kube: Kube) -> None:
    pool = kube.pool("wl", labels={"suite": kube.prefix, "color": "red"})
    name = pool["metadata"]["name"]
    rv = pool["metadata"]["resourceVersion"]

    def writer() -> None:
        time.sleep(0.3)
        kube.co.patch_cluster_custom_object(
            GROUP, VERSION, "ippools", name, {"metadata": {"labels": {"color": "blue"}}}
        )
        kube.co.patch_cluster_custom_object(GROUP, VERSION, "ippools", name, {"metadata": {"labels": {"color": "red"}}})

    thread = threading.Thread(target=writer)
    thread.start()
    events = _watch_events(kube, 2, resource_version=rv, label_selector=f"suite={kube.prefix},color=red")
    thread.join()
    assert [e["type"] for e in events] == ["DELETED", "ADDED"]


def test_watch_bookmarks(kube: Kube) -> None:
    kube.fake_only("a real server sends bookmarks about once a minute")
    pool = kube.pool("bm")
    events = _watch_events(
        kube, 1, timeout=5, resource_version=pool["metadata"]["resourceVersion"], allow_watch_bookmarks=True
    )
    assert events[0]["type"] == "BOOKMARK"
    assert int(events[0]["raw_object"]["metadata"]["resourceVersion"]) >= int(pool["metadata"]["resourceVersion"])


def test_watch_timeout_ends_stream(kube: Kube) -> None:
    started = time.monotonic()
    pool = kube.pool("wt")
    events = _watch_events(kube, 100, timeout=1, resource_version=pool["metadata"]["resourceVersion"])
    assert events == [] and time.monotonic() - started < 10


def test_watch_raw_stream_shape(kube: Kube) -> None:
    pool = kube.pool("raw")
    name = pool["metadata"]["name"]
    resp = kube.co.list_cluster_custom_object(
        GROUP,
        VERSION,
        "ippools",
        watch=True,
        field_selector=f"metadata.name={name}",
        timeout_seconds=1,
        _preload_content=False,
    )
    lines = [json.loads(line) for line in resp.read().decode().splitlines() if line.strip()]
    assert lines[0]["type"] == "ADDED" and lines[0]["object"]["kind"] == "IPPool"


# -- status subresource ----------------------------------------------------------------------------


def test_status_subresource_v1_kube_controllers_configuration(kube: Kube) -> None:
    name = kube.name("kcc")
    obj = kube.create("kubecontrollersconfigurations", "KubeControllersConfiguration", name, {"controllers": {}})
    obj["status"] = {"runningConfig": {"controllers": {}}}
    main = kube.co.replace_cluster_custom_object(GROUP, VERSION, "kubecontrollersconfigurations", name, obj)
    assert "status" not in main  # the main resource ignores status
    obj["metadata"]["resourceVersion"] = main["metadata"]["resourceVersion"]
    with_status = kube.co.replace_cluster_custom_object_status(
        GROUP, VERSION, "kubecontrollersconfigurations", name, obj
    )
    assert with_status["status"]["runningConfig"]["controllers"] == {}
    assert with_status["metadata"]["generation"] == main["metadata"]["generation"]
    # IPPool has no status subresource in crd.projectcalico.org/v1.
    pool = kube.pool("nostatus")
    _expect_error(404, kube.co.get_cluster_custom_object_status, GROUP, VERSION, "ippools", pool["metadata"]["name"])
