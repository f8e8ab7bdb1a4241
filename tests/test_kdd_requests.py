"""The pure parts of the Kubernetes datastore, without a server: request building, response decoding,
K8sErrorToCalico (libcalico-go v3.32.1 ``resources/errors.go``), Retry-After, reconciliation checks,
derived-kind name parsing and the KDD storage facts."""

from __future__ import annotations

import email.utils
import json
import pickle
from typing import Any

import pytest

from calicopy.errors import (
    ConnectionUnauthorized,
    DatastoreError,
    InvalidRequest,
    ResourceAlreadyExists,
    ResourceConflict,
    ResourceExpired,
    ResourceNotFound,
)
from calicopy.kdd.kinds import (
    DERIVED_KINDS,
    V1_STRING_BOOLS,
    custom_resource_kinds,
    is_custom_resource,
    is_known,
    is_namespaced,
    v1_string_bools,
)
from calicopy.kdd.requests import (
    ApiError,
    Collection,
    ConnectionFailure,
    already_exists,
    calico_error,
    classify,
    collection_target,
    create_request,
    decode_response,
    decode_watch_line,
    delete_request,
    get_request,
    holds_content,
    list_request,
    parse_retry_after,
    resource_target,
    update_request,
    watch_request,
)
from calicopy.kdd.resources import CLIENTS, DERIVED
from calicopy.kdd.resources.customresource import crd_collection
from calicopy.kdd.resources.profile import profile_source
from calicopy.kdd.resources.workloadendpoint import parse_workload_endpoint_name, pod_of
from calicopy.resources.registry import KINDS
from calicopy.retry import Failure

IPPOOLS = Collection("/apis/crd.projectcalico.org/v1", "ippools", False, "crd.projectcalico.org/v1", "IPPool")
POLICIES = Collection("/apis/projectcalico.org/v3", "networkpolicies", True, "projectcalico.org/v3", "NetworkPolicy")
PODS = Collection("/api/v1", "pods", True, "v1", "Pod")


# -- paths and requests ----------------------------------------------------------------------------


def test_collection_paths_quote_names_and_namespaces() -> None:
    assert IPPOOLS.path("ignored") == "/apis/crd.projectcalico.org/v1/ippools"  # cluster-scoped
    assert IPPOOLS.item_path("p/1 x", None) == "/apis/crd.projectcalico.org/v1/ippools/p%2F1%20x"
    assert POLICIES.path(None) == "/apis/projectcalico.org/v3/networkpolicies"  # all namespaces
    assert POLICIES.item_path("a", "ns/x") == "/apis/projectcalico.org/v3/namespaces/ns%2Fx/networkpolicies/a"
    assert (IPPOOLS.qualified, POLICIES.qualified, PODS.qualified) == (
        "ippools.crd.projectcalico.org",
        "networkpolicies.projectcalico.org",
        "pods",
    )


def test_list_items_get_their_type_filled_in() -> None:
    assert PODS.with_type({"metadata": {"name": "p"}}) == {"metadata": {"name": "p"}, "apiVersion": "v1", "kind": "Pod"}
    typed = {"apiVersion": "x/v9", "kind": "Other"}
    assert IPPOOLS.with_type(typed) == typed


def test_crd_collection_per_api_group() -> None:
    config = KINDS["IPAMConfiguration"]
    assert crd_collection(config, "crd.projectcalico.org/v1") == Collection(
        "/apis/crd.projectcalico.org/v1", "ipamconfigs", False, "crd.projectcalico.org/v1", "IPAMConfig"
    )
    assert crd_collection(config, "projectcalico.org/v3") == Collection(
        "/apis/projectcalico.org/v3", "ipamconfigurations", False, "projectcalico.org/v3", "IPAMConfiguration"
    )


def test_crud_requests() -> None:
    get = get_request(POLICIES, "a", "ns")
    assert (get.verb, get.method, get.target, get.body) == (
        "GET",
        "GET",
        "/apis/projectcalico.org/v3/namespaces/ns/networkpolicies/a",
        None,
    )
    body = {"kind": "NetworkPolicy", "metadata": {"name": "a", "namespace": "ns"}}
    create = create_request(POLICIES, "ns", body)
    assert (create.verb, create.method, create.target) == (
        "CREATE",
        "POST",
        "/apis/projectcalico.org/v3/namespaces/ns/networkpolicies",
    )
    assert create.encoded_body() == b'{"kind":"NetworkPolicy","metadata":{"name":"a","namespace":"ns"}}'
    update = update_request(POLICIES, "a", "ns", body)
    assert (update.verb, update.method, update.path) == ("UPDATE", "PUT", get.path)
    assert not create.preconditions and not update.preconditions


def test_delete_request_carries_preconditions() -> None:
    request = delete_request(IPPOOLS, "p1", None, uid="u-1", resource_version="42")
    assert (request.verb, request.method, request.target) == (
        "DELETE",
        "DELETE",
        "/apis/crd.projectcalico.org/v1/ippools/p1",
    )
    assert request.body == {
        "apiVersion": "v1",
        "kind": "DeleteOptions",
        "preconditions": {"uid": "u-1", "resourceVersion": "42"},
    }
    assert request.preconditions  # safe to repeat after an unknown outcome
    bare = delete_request(IPPOOLS, "p1", None)
    assert bare.body["preconditions"] == {} and not bare.preconditions


def test_list_and_watch_queries() -> None:
    page = list_request(IPPOOLS, None, label_selector="a=b", limit=500, continue_token="tok")
    assert (page.verb, page.target) == (
        "LIST",
        "/apis/crd.projectcalico.org/v1/ippools?labelSelector=a%3Db&limit=500&continue=tok",
    )
    assert list_request(IPPOOLS, None).target == "/apis/crd.projectcalico.org/v1/ippools"  # the full list
    watch = watch_request(PODS, "shop", resource_version="17", seconds=300, label_selector="app in (web)")
    assert (watch.verb, watch.method) == ("WATCH", "GET")
    assert watch.target == (
        "/api/v1/namespaces/shop/pods?watch=true&allowWatchBookmarks=true&timeoutSeconds=300"
        "&resourceVersion=17&labelSelector=app+in+%28web%29"
    )
    assert "resourceVersion" not in watch_request(PODS, None, resource_version="", seconds=5).query


# -- responses -------------------------------------------------------------------------------------


def status(code: int, reason: str, message: str, causes: list[dict[str, str]] | None = None) -> bytes:
    body: dict[str, Any] = {"kind": "Status", "status": "Failure", "code": code, "reason": reason, "message": message}
    if causes is not None:
        body["details"] = {"causes": causes}
    return json.dumps(body).encode()


def test_decode_success_and_status() -> None:
    assert decode_response(200, b'{"kind":"IPPool"}') == {"kind": "IPPool"}
    assert decode_response(200, b"") == {}
    with pytest.raises(ValueError, match="not a JSON object"):
        decode_response(200, b"[1]")
    with pytest.raises(ApiError) as info:
        decode_response(404, status(404, "NotFound", 'ippools.crd.projectcalico.org "p" not found'))
    assert (info.value.code, info.value.reason, info.value.message) == (
        404,
        "NotFound",
        'ippools.crd.projectcalico.org "p" not found',
    )
    assert info.value.retry_after is None


def test_decode_error_without_status_body() -> None:
    with pytest.raises(ApiError) as info:
        decode_response(502, b"<html>bad gateway</html>\n", "7")
    assert (info.value.code, info.value.reason, info.value.message) == (502, "", "<html>bad gateway</html>")
    assert info.value.retry_after == 7.0
    with pytest.raises(ApiError) as empty:
        decode_response(503, b"")
    assert empty.value.message == "the server responded with the status code 503 but did not return more information"


def test_status_causes_are_normalised() -> None:
    causes = [{"field": "spec.x", "reason": "FieldValueInvalid", "message": "bad"}, {"type": "FieldValueRequired"}, 7]
    with pytest.raises(ApiError) as info:
        decode_response(422, status(422, "Invalid", "invalid", causes))  # type: ignore[arg-type]
    assert info.value.causes() == [
        {"field": "spec.x", "reason": "FieldValueInvalid", "message": "bad"},
        {"reason": "FieldValueRequired"},
    ]


def test_watch_lines() -> None:
    assert decode_watch_line(b'{"type":"ADDED","object":{"metadata":{"name":"a"}}}') == (
        "ADDED",
        {"metadata": {"name": "a"}},
    )
    assert decode_watch_line(b'{"type":"BOOKMARK"}') == ("BOOKMARK", {})
    assert decode_watch_line(b"{not json") is None
    assert decode_watch_line(b"[]") is None


def test_retry_after() -> None:
    assert parse_retry_after(None) is None and parse_retry_after("") is None
    assert parse_retry_after("3") == 3.0 and parse_retry_after("-2") == 0.0
    when = email.utils.formatdate(1_000_100.0, usegmt=True)
    assert parse_retry_after(when, now=lambda: 1_000_000.0) == 100.0
    assert parse_retry_after(when, now=lambda: 2_000_000.0) == 0.0  # in the past
    assert parse_retry_after("soon") is None


def test_classify_for_the_retry_policy() -> None:
    assert classify(ApiError(429, {}, 2.5)) == Failure(429, 2.5)
    assert classify(ConnectionFailure("GET", "https://h/x", "reset")) == Failure(None)
    assert classify(ConnectionFailure("GET", "https://h/x", "bad certificate", retryable=False)) is None
    assert classify(KeyError("x")) is None


# -- K8sErrorToCalico ------------------------------------------------------------------------------

POOL = resource_target("IPPool", "p1", None, False)
NOT_FOUND = 'ippools.crd.projectcalico.org "p1" not found'


def mapped(code: int, reason: str, message: str, causes: list[dict[str, str]] | None = None) -> DatastoreError:
    with pytest.raises(ApiError) as info:
        decode_response(code, status(code, reason, message, causes))
    return calico_error(info.value, POOL)


def test_not_found_and_already_exists() -> None:
    err = mapped(404, "NotFound", NOT_FOUND)
    assert type(err) is ResourceNotFound
    assert str(err) == f"resource does not exist: IPPool(p1) with error: {NOT_FOUND}"
    assert (err.kind, err.name, err.namespace, err.code, err.reason, err.server_message) == (
        "IPPool",
        "p1",
        None,
        404,
        "NotFound",
        NOT_FOUND,
    )
    exists = mapped(409, "AlreadyExists", 'ippools.crd.projectcalico.org "p1" already exists')
    assert type(exists) is ResourceAlreadyExists
    assert str(exists) == (
        'resource already exists: IPPool(p1) with error: ippools.crd.projectcalico.org "p1" already exists'
    )


def test_conflicts() -> None:
    stale = mapped(409, "Conflict", "the object has been modified; please apply your changes to the latest version")
    assert type(stale) is ResourceConflict and str(stale) == "update conflict: IPPool(p1)"
    # libcalico-go matches the server's text: a UID precondition failure means "re-created".
    message = "Precondition failed: UID in precondition: a, UID in object meta: b"
    recreated = mapped(409, "Conflict", message)
    assert type(recreated) is ResourceNotFound and recreated.precondition == "uid"
    assert str(recreated) == f"resource does not exist: IPPool(p1) with error: {message}"


def test_reason_decides_before_code() -> None:
    # apimachinery's IsNotFound & co: the reason first; the code only for an unknown reason.
    assert type(mapped(404, "Conflict", "x")) is ResourceConflict
    assert type(mapped(404, "SomethingNew", "x")) is ResourceNotFound
    assert type(mapped(409, "", "x")) is ResourceConflict
    assert type(mapped(409, "SomethingNew", "x")) is ResourceConflict  # AlreadyExists needs the reason


def test_unauthorized_expired_invalid_and_others() -> None:
    for code, reason in ((401, "Unauthorized"), (403, "Forbidden")):
        err = mapped(code, reason, reason)
        assert type(err) is ConnectionUnauthorized and str(err) == f"connection is unauthorized: {reason}"
    gone = mapped(410, "Expired", "too old resource version: 1 (5)")
    assert type(gone) is ResourceExpired and str(gone) == "too old resource version: 1 (5)"
    invalid = mapped(422, "Invalid", 'IPPool "p1" is invalid', [{"field": "spec.cidr", "reason": "FieldValueInvalid"}])
    assert type(invalid) is InvalidRequest and str(invalid) == 'IPPool "p1" is invalid'
    assert invalid.causes == [{"field": "spec.cidr", "reason": "FieldValueInvalid"}]
    assert type(mapped(400, "BadRequest", "bad")) is InvalidRequest
    server = mapped(503, "ServiceUnavailable", "currently unable to handle the request")
    assert type(server) is DatastoreError and str(server) == "currently unable to handle the request"
    assert server.code == 503


def test_patch_causes_name_the_failed_precondition() -> None:
    uid = mapped(422, "Invalid", "uid changed", [{"field": "metadata.uid", "reason": "FieldValueInvalid"}])
    assert type(uid) is ResourceNotFound and uid.precondition == "uid"
    revision = [{"field": "metadata.resourceVersion", "reason": "FieldValueInvalid"}]
    rv = mapped(422, "Invalid", "rv changed", revision)
    assert type(rv) is ResourceConflict and rv.precondition == "resourceVersion"
    both = mapped(422, "Invalid", "x", [*revision, {"field": "spec.a", "reason": "FieldValueInvalid"}])
    assert type(both) is InvalidRequest


def test_connection_failure() -> None:
    failure = ConnectionFailure("GET", "https://k8s:6443/apis/x", ConnectionResetError("reset by peer"))
    err = calico_error(failure, POOL)
    assert type(err) is DatastoreError and str(err) == 'Get "https://k8s:6443/apis/x": reset by peer'
    assert (err.code, err.reason, err.server_message) == (None, "", str(err))


def test_identifiers_follow_resource_key_string() -> None:
    message = "x"
    for target, text in (
        (resource_target("IPPool", "p", "ignored", False), "IPPool(p)"),
        (resource_target("NetworkPolicy", "a", "ns", True), "NetworkPolicy(ns/a)"),
        (resource_target("NetworkPolicy", "a", None, True), "NetworkPolicy(/a)"),  # Go keeps the slash
        (collection_target("IPPool", None), "resource"),
    ):
        err = calico_error(ApiError(404, {"reason": "NotFound", "message": message}), target)
        assert str(err) == f"resource does not exist: {text} with error: {message}"
        assert target.text == text


def test_mapped_errors_survive_pickling() -> None:
    err = mapped(422, "Invalid", "bad", [{"field": "spec.a", "reason": "FieldValueInvalid"}])
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is InvalidRequest and str(again) == str(err) and again.causes == err.causes


# -- reconciliation --------------------------------------------------------------------------------


def test_holds_content_ignores_server_metadata_and_defaults() -> None:
    sent = {
        "kind": "IPPool",
        "metadata": {"name": "p", "resourceVersion": "3", "uid": "u", "labels": {"a": "b"}},
        "spec": {"cidr": "10.0.0.0/24", "natOutgoing": None},
    }
    stored = {
        "kind": "IPPool",
        "metadata": {"name": "p", "resourceVersion": "9", "uid": "other", "labels": {"a": "b"}, "generation": 1},
        "spec": {"cidr": "10.0.0.0/24", "blockSize": 26},
    }
    assert holds_content(stored, sent)
    assert not holds_content({**stored, "spec": {"cidr": "10.9.0.0/24"}}, sent)
    assert not holds_content({**stored, "metadata": {"name": "p"}}, sent)  # our label is missing
    assert sent["metadata"]["uid"] == "u"  # the body is not changed


def test_already_exists_is_the_servers_refusal() -> None:
    err = calico_error(already_exists(IPPOOLS, "p1"), POOL)
    assert type(err) is ResourceAlreadyExists
    assert str(err) == (
        'resource already exists: IPPool(p1) with error: ippools.crd.projectcalico.org "p1" already exists'
    )


# -- derived kinds ---------------------------------------------------------------------------------


def test_profile_names() -> None:
    assert profile_source("kns.shop", "") == (0, "", "shop")
    assert profile_source("ksa.shop.web", "") == (1, "shop", "web")
    assert profile_source("ksa.shop.web.x", "") == (1, "shop", "web.x")
    for malformed in ("kns.", "ksa.shop", "ksa..web", "other"):
        assert profile_source(malformed, "") is None


def test_workload_endpoint_names() -> None:
    assert parse_workload_endpoint_name("node--1-k8s-my--pod-eth0") == ("node-1", "my-pod", "eth0")
    assert pod_of("node--1-k8s-nginx-eth0", "shop") == (0, "shop", "nginx")
    for malformed in ("nginx", "n-cni-p-eth0", "n-k8s--eth0", "a-k8s-b-c-d"):
        assert parse_workload_endpoint_name(malformed) is None


# -- KDD storage facts -----------------------------------------------------------------------------


def test_storage_facts() -> None:
    assert {"Node", "Profile", "WorkloadEndpoint", "KubernetesNetworkPolicy"} == DERIVED_KINDS
    # Every registry kind not derived from core objects is a custom resource with a v1 CRD.
    crds = {info.kind for info in custom_resource_kinds()}
    assert crds == {info.kind for info in KINDS.values() if info.v1_kind is not None}
    assert crds == set(KINDS) - DERIVED_KINDS
    assert is_custom_resource("IPPool") and not is_custom_resource("Profile") and not is_custom_resource("Nope")
    assert is_known("KubernetesNetworkPolicy") and not is_known("Nope")
    assert is_namespaced("KubernetesNetworkPolicy") and is_namespaced("WorkloadEndpoint")
    assert not is_namespaced("Node") and not is_namespaced("Nope")
    assert dict(V1_STRING_BOOLS) == {"BlockAffinity": ("deleted",)}
    assert v1_string_bools("BlockAffinity") == ("deleted",) and v1_string_bools("IPPool") == ()


def test_every_served_kind_has_a_client() -> None:
    assert set(DERIVED) == DERIVED_KINDS
    assert set(CLIENTS) == set(KINDS) | DERIVED_KINDS
