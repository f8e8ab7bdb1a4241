"""calicoctl's resource-manager layer: handleNamespace, multi-resource accounting and the texts
(expected outputs written from calicoctl v3.32.1's ``commands/{create,apply,replace,delete,patch,
label}.go`` and ``commands/common/resources.go``)."""

from __future__ import annotations

import pytest

from calicopy import Client, GlobalNetworkPolicy, IPPool, NetworkPolicy
from calicopy.calicoctl import error_list, execute, handle_namespace, label_message, massage_error, summary
from calicopy.errors import NamespaceError
from calicopy.resources.registry import KINDS


def pool(name: str, cidr: str) -> IPPool:
    return IPPool(metadata={"name": name}, spec={"cidr": cidr})


def policy(name: str, namespace: str = "") -> NetworkPolicy:
    meta = {"name": name, **({"namespace": namespace} if namespace else {})}
    return NetworkPolicy(metadata=meta, spec={"selector": "all()"})


@pytest.fixture
def client() -> Client:
    return Client.in_memory(sleep=lambda _: None)


# -- handleNamespace ----------------------------------------------------------------------------------

NP, POOL = KINDS["NetworkPolicy"], KINDS["IPPool"]


@pytest.mark.parametrize(
    ("info", "resource_ns", "cli_ns", "all_ns", "expected"),
    [
        (NP, "", "", False, "default"),
        (NP, "", "prod", False, "prod"),
        (NP, "prod", "", False, "prod"),
        (NP, "prod", "prod", False, "prod"),
        (NP, "prod", "", True, ""),
        (NP, "", "", True, ""),
        (POOL, "", "", False, ""),
    ],
)
def test_handle_namespace(info: object, resource_ns: str, cli_ns: str, all_ns: bool, expected: str) -> None:
    assert handle_namespace(info, resource_ns, cli_ns, all_ns) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("info", "resource_ns", "cli_ns", "all_ns", "text"),
    [
        (NP, "", "prod", True, "cannot use both --namespace and --all-namespaces flags at the same time"),
        (NP, "a", "b", False, "resource namespace does not match client namespace. a != b"),
        (
            POOL,
            "a",
            "",
            False,
            "namespace should not be specified for a non-namespaced resource. IPPool is not a namespaced resource",
        ),
        (POOL, "", "a", False, "IPPool is not namespaced"),
        (POOL, "", "", True, "IPPool is not namespaced"),
    ],
)
def test_handle_namespace_refusals(info: object, resource_ns: str, cli_ns: str, all_ns: bool, text: str) -> None:
    with pytest.raises(NamespaceError) as err:
        handle_namespace(info, resource_ns, cli_ns, all_ns)  # type: ignore[arg-type]
    assert str(err.value) == text
    assert err.value.kind == info.kind  # type: ignore[attr-defined]


# -- create / apply -----------------------------------------------------------------------------------


def test_create_success_single_kind(client: Client) -> None:
    results = execute(client, [pool("a", "10.1.0.0/16"), pool("b", "10.2.0.0/16")], "create")
    assert (results.num_resources, results.num_handled, results.single_kind) == (2, 2, "IPPool")
    assert [o.status for o in results.outcomes] == ["created", "created"]
    assert summary("create", results).stdout == "Successfully created 2 'IPPool' resource(s)\n"
    assert summary("create", results).error is None


def test_create_mixed_kinds_has_no_single_kind(client: Client) -> None:
    results = execute(client, [pool("a", "10.1.0.0/16"), policy("p")], "create")
    assert results.single_kind == ""
    assert summary("create", results).stdout == "Successfully created 2 resource(s)\n"


def test_create_partial_success(client: Client) -> None:
    client.create(pool("b", "10.2.0.0/16"))
    results = execute(client, [pool("a", "10.1.0.0/16"), pool("b", "10.2.0.0/16")], "create")
    # calicoctl: a failed create is not "handled", and the partial-success line needs
    # handled - failed > 0, so one success and one failure print no such line.
    assert (results.num_handled, len(results.errors)) == (1, 1)
    report = summary("create", results)
    assert report.stdout == ""
    assert report.error == "hit error: [resource already exists: IPPool(b) with error: <nil>]"
    more = execute(client, [pool("c", "10.3.0.0/16"), pool("d", "10.4.0.0/16"), pool("b", "10.2.0.0/16")], "create")
    assert summary("create", more).stdout == "Partial success: created the first 2 out of 3 'IPPool' resources:\n"


def test_create_all_failed(client: Client) -> None:
    client.create(pool("a", "10.1.0.0/16"))
    one = execute(client, [pool("a", "10.1.0.0/16")], "create")
    assert (
        summary("create", one).error
        == "failed to create 'IPPool' resource: [resource already exists: IPPool(a) with error: <nil>]"
    )
    two = execute(client, [pool("a", "10.1.0.0/16"), pool("a", "10.1.0.0/16")], "create")
    assert summary("create", two).error == (
        "failed to create any 'IPPool' resources: [resource already exists: IPPool(a) with error: <nil> "
        "resource already exists: IPPool(a) with error: <nil>]"
    )


def test_create_skip_exists(client: Client) -> None:
    client.create(pool("a", "10.1.0.0/16"))
    results = execute(client, [pool("a", "10.1.0.0/16")], "create", skip_exists=True)
    assert [o.status for o in results.outcomes] == ["skipped"]
    assert summary("create", results).stdout == "Successfully created 1 'IPPool' resource(s)\n"


def test_apply_texts(client: Client) -> None:
    results = execute(client, [pool("a", "10.1.0.0/16"), pool("a", "10.1.0.0/16")], "apply")
    assert summary("apply", results).stdout == "Successfully applied 2 'IPPool' resource(s)\n"
    bad = execute(
        client, [pool("b", "10.2.0.0/16"), GlobalNetworkPolicy(metadata={"name": "x.p"}, spec={"tier": "x"})], "apply"
    )
    report = summary("apply", bad)
    assert report.stdout == ""
    assert report.error == "hit error(s): [resource does not exist: Tier(x) with error: <nil>]"


# -- namespace errors are never "handled" --------------------------------------------------------------


def test_namespace_error_is_collected_and_not_counted(client: Client) -> None:
    results = execute(client, [policy("p", "a")], "create", namespace="b")
    assert (results.num_handled, len(results.errors)) == (0, 1)
    assert summary("create", results).error == (
        "failed to create 'NetworkPolicy' resource: [resource namespace does not match client namespace. a != b]"
    )


# -- replace: failures count as handled, the last one is the command's error ----------------------


def test_replace_partial_success(client: Client) -> None:
    client.create(pool("a", "10.1.0.0/16"))
    results = execute(client, [pool("a", "10.1.0.0/16"), pool("missing", "10.2.0.0/16")], "replace")
    assert (results.num_handled, results.errors) == (2, [])
    assert results.error is not None
    report = summary("replace", results)
    assert report.stdout == "Partial success: replaced the first 2 out of 2 'IPPool' resources:\n"
    assert report.error == "hit error: resource does not exist: IPPool(missing) with error: <nil>"


def test_replace_single_failure(client: Client) -> None:
    results = execute(client, [pool("missing", "10.2.0.0/16")], "replace")
    report = summary("replace", results)
    assert report.stdout == "Partial success: replaced the first 1 out of 1 'IPPool' resources:\n"


# -- delete ---------------------------------------------------------------------------------------------


def test_delete_texts(client: Client) -> None:
    client.create(pool("a", "10.1.0.0/16"))
    results = execute(client, [pool("a", "10.1.0.0/16"), pool("gone", "10.2.0.0/16")], "delete")
    report = summary("delete", results)
    assert report.stdout == "Successfully deleted 1 'IPPool' resource(s)\n"
    assert (
        report.error == "Failed to delete 'IPPool' resource: resource does not exist: IPPool(gone) with error: <nil>\n"
    )
    skipped = execute(client, [pool("gone", "10.2.0.0/16")], "delete", skip_not_exists=True)
    assert summary("delete", skipped) == summary("delete", skipped)  # stable
    assert summary("delete", skipped).stdout == "Successfully deleted 1 'IPPool' resource(s)\n"


def test_no_resources() -> None:
    empty = execute(Client.in_memory(), [], "create")
    assert summary("create", empty).stdout == "No resources specified\n"
    assert summary("delete", empty).stdout == "No resources specified\n"
    assert summary("patch", empty).error == "no resources specified"


def test_patch_texts(client: Client) -> None:
    client.create(pool("a", "10.1.0.0/16"))
    results = execute(
        client,
        [IPPool.from_storage({"metadata": {"name": "a"}})],
        "patch",
        patch={"spec": {"disabled": True}},
        from_arguments=True,
    )
    assert summary("patch", results).stdout == "Successfully patched 1 'IPPool' resource\n"
    assert client.get(IPPool, "a").spec.disabled is True


def test_get_lists_and_flattens(client: Client) -> None:
    client.create(pool("a", "10.1.0.0/16"))
    client.create(pool("b", "10.2.0.0/16"))
    results = execute(client, [IPPool.from_storage({"metadata": {}})], "get", from_arguments=True)
    assert [r.metadata.name for r in results.resources] == ["a", "b"]


# -- label, massageError, %v of errors ------------------------------------------------------------------


def test_label_messages(client: Client) -> None:
    client.create(pool("a", "10.1.0.0/16"))
    assert label_message(client.label("ipp", "a", "k=v")) == "Successfully set label k on ipp a"
    assert (
        label_message(client.label("IPPool", "a", "k", "w", overwrite=True))
        == "Successfully updated label k on IPPool a"
    )
    assert label_message(client.label("pools", "a", "k", remove=True)) == "Successfully removed label k from pools a"


def test_massage_error() -> None:
    assert (
        massage_error("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal x") == "cannot unmarshal x"
    )
    assert massage_error('json: unknown field "spec.bogus"') == (
        "field in document is not recognized or is in the wrong location: spec.bogus"
    )
    assert massage_error("plain") == "plain"


def test_error_list_is_go_percent_v() -> None:
    assert error_list([ValueError("a"), ValueError("b c")]) == "[a b c]"
    assert error_list([]) == "[]"


def test_error_list_prints_libcalico_gos_text_without_python_hints() -> None:
    from calicopy.errors import ErroredField, ValidationError

    err = ValidationError([ErroredField("spec.ipipMode", "why", "X", hint="allowed values: ...")], resource="IPPool(p)")
    assert "hint" in str(err)
    assert error_list([err]) == "[IPPool(p): error with field spec.ipipMode = 'X' (why)]"
