"""Multi-resource commands: calicoctl's accounting and texts (``commands/{create,apply,replace,
delete,validate}.go``, ``commands/common/resources.go``), files, directories and stdin
(``commands/file/iter.go``), namespaces (``handleNamespace``) and bulk apply."""

from __future__ import annotations

import os

import pytest

from .conftest import Cli, pool


def _np(name: str, namespace: str = "") -> str:
    ns = f", namespace: {namespace}" if namespace else ""
    return f"apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {{name: {name}{ns}}}\nspec: {{selector: all()}}\n"


def _gnp(name: str, tier: str = "") -> str:
    spec = f"{{selector: all(), tier: {tier}}}" if tier else "{selector: all()}"
    full = f"{tier}.{name}" if tier else name
    return f"apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {{name: {full}}}\nspec: {spec}\n"


def _tier(name: str, order: int = 100) -> str:
    return f"apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {{name: {name}}}\nspec: {{order: {order}}}\n"


def docs(*texts: str) -> str:
    return "---\n".join(texts)


def exists(kind: str, name: str, plural: str) -> str:
    return f'resource already exists: {kind}({name}) with error: {plural}.crd.projectcalico.org "{name}" already exists'


def overlap(name: str, cidr: str, other: str, other_cidr: str) -> str:
    """libcalico-go ippool.go: the overlap is a validation error on the CIDR field."""
    return f"IPPool({name}): error with field spec.cidr = '{cidr}' (IPPool({name}) CIDR overlaps with IPPool({other}) CIDR {other_cidr})"


def missing(kind: str, name: str, plural: str, ns: str = "") -> str:
    where = f"{ns}/{name}" if ns else name
    return f'resource does not exist: {kind}({where}) with error: {plural}.crd.projectcalico.org "{name}" not found'


# -- create: calicoctl's accounting ------------------------------------------------------------------------


def test_create_several_of_one_kind(cli: Cli) -> None:
    a, b = cli.n("a"), cli.n("b")
    path = cli.file("p.yaml", docs(pool(a, "10.11.0.0/16"), pool(b, "10.12.0.0/16")))
    assert tuple(cli("create", "-f", path)) == ("Successfully created 2 'IPPool' resource(s)\n", "", 0)


def test_create_mixed_kinds_names_no_kind(cli: Cli) -> None:
    path = cli.file("m.yaml", docs(pool(cli.n("a"), "10.11.0.0/16"), _gnp(cli.n("g"))))
    assert tuple(cli("create", "-f", path)) == ("Successfully created 2 resource(s)\n", "", 0)


def test_create_partial_success_when_more_succeed_than_fail(cli: Cli) -> None:
    a, b, c = cli.n("a"), cli.n("b"), cli.n("c")
    cli("create", "-f", cli.file("a.yaml", pool(a, "10.11.0.0/16")))
    path = cli.file("p.yaml", docs(pool(a, "10.11.0.0/16"), pool(b, "10.12.0.0/16"), pool(c, "10.13.0.0/16")))
    stdout, stderr, code = cli("create", "-f", path)
    # create.go: NumHandled counts successes (2); "Partial success" only when successes exceed failures.
    assert (stdout, stderr, code) == (
        "Partial success: created the first 2 out of 3 'IPPool' resources:\n",
        f"hit error: [{exists('IPPool', a, 'ippools')}]\n",
        1,
    )


def test_create_no_partial_line_when_failures_are_not_fewer(cli: Cli) -> None:
    a, b = cli.n("a"), cli.n("b")
    cli("create", "-f", cli.file("a.yaml", pool(a, "10.11.0.0/16")))
    path = cli.file("p.yaml", docs(pool(a, "10.11.0.0/16"), pool(b, "10.12.0.0/16")))
    assert tuple(cli("create", "-f", path)) == ("", f"hit error: [{exists('IPPool', a, 'ippools')}]\n", 1)


def test_create_all_failing_lists_every_error(cli: Cli) -> None:
    a, b = cli.n("a"), cli.n("b")
    path = cli.file("p.yaml", docs(pool(a, "10.11.0.0/16"), pool(b, "10.12.0.0/16")))
    cli("create", "-f", path)
    expected = f"failed to create any 'IPPool' resources: [{exists('IPPool', a, 'ippools')} {exists('IPPool', b, 'ippools')}]\n"
    assert tuple(cli("create", "-f", path)) == ("", expected, 1)


def test_create_all_failing_mixed_kinds(cli: Cli) -> None:
    a, g = cli.n("a"), cli.n("g")
    path = cli.file("m.yaml", docs(pool(a, "10.11.0.0/16"), _gnp(g)))
    cli("create", "-f", path)
    expected = (
        f"failed to create any resources: [{exists('IPPool', a, 'ippools')} "
        f"{exists('GlobalNetworkPolicy', g, 'globalnetworkpolicies')}]\n"
    )
    assert tuple(cli("create", "-f", path)) == ("", expected, 1)


def test_create_overlapping_pool_fails_and_others_go_on(cli: Cli) -> None:
    a, b, c = cli.n("a"), cli.n("b"), cli.n("c")
    path = cli.file("p.yaml", docs(pool(a, "10.11.0.0/16"), pool(b, "10.11.128.0/17"), pool(c, "10.13.0.0/16")))
    stdout, stderr, code = cli("create", "-f", path)
    assert (stdout, stderr, code) == (
        "Partial success: created the first 2 out of 3 'IPPool' resources:\n",
        f"hit error: [{overlap(b, '10.11.128.0/17', a, '10.11.0.0/16')}]\n",
        1,
    )


def test_policy_in_missing_tier(cli: Cli) -> None:
    tier = cli.n("t")
    path = cli.file("g.yaml", _gnp(cli.n("g"), tier=tier))
    expected = (
        f"failed to create 'GlobalNetworkPolicy' resource: [resource does not exist: Tier({tier}) with error: <nil>]\n"
    )
    assert tuple(cli("create", "-f", path)) == ("", expected, 1)


# -- apply, replace, delete, validate ---------------------------------------------------------------------


def test_apply_partial_and_all_failing(cli: Cli) -> None:
    a, b = cli.n("a"), cli.n("b")
    path = cli.file("p.yaml", docs(pool(a, "10.11.0.0/16"), pool(b, "10.11.0.0/17")))
    assert tuple(cli("apply", "-f", path)) == (
        "",
        f"hit error(s): [{overlap(b, '10.11.0.0/17', a, '10.11.0.0/16')}]\n",
        1,
    )


def test_apply_is_idempotent(cli: Cli) -> None:
    path = cli.file("p.yaml", docs(pool(cli.n("a"), "10.11.0.0/16"), pool(cli.n("b"), "10.12.0.0/16")))
    for _ in range(2):
        assert tuple(cli("apply", "-f", path)) == ("Successfully applied 2 'IPPool' resource(s)\n", "", 0)


def test_apply_changes_an_existing_pool(cli: Cli) -> None:
    a = cli.n("a")
    cli("apply", "-f", cli.file("a.yaml", pool(a, "10.11.0.0/16")))
    assert tuple(cli("apply", "-f", cli.file("b.yaml", pool(a, "10.11.0.0/16", disabled="true")))) == (
        "Successfully applied 1 'IPPool' resource(s)\n",
        "",
        0,
    )
    assert cli.client.get("IPPool", a).spec.disabled is True  # type: ignore[attr-defined]


def test_apply_immutable_cidr(cli: Cli) -> None:
    a = cli.n("a")
    cli("apply", "-f", cli.file("a.yaml", pool(a, "10.11.0.0/16")))
    expected = f"failed to apply 'IPPool' resource: [IPPool({a}): error with field spec.cidr = '10.12.0.0/16' (IPPool CIDR cannot be modified)]\n"
    assert tuple(cli("apply", "-f", cli.file("b.yaml", pool(a, "10.12.0.0/16")))) == ("", expected, 1)


def test_replace_several_with_one_missing(cli: Cli) -> None:
    a, b = cli.n("a"), cli.n("b")
    cli("create", "-f", cli.file("a.yaml", pool(a, "10.11.0.0/16")))
    path = cli.file("p.yaml", docs(pool(a, "10.11.0.0/16"), pool(b, "10.12.0.0/16")))
    assert tuple(cli("replace", "-f", path)) == (
        "Partial success: replaced the first 2 out of 2 'IPPool' resources:\n",
        f"hit error: {missing('IPPool', b, 'ippools')}\n",
        1,
    )


def test_replace_stale_resource_version(cli: Cli) -> None:
    a = cli.n("a")
    cli("create", "-f", cli.file("a.yaml", pool(a, "10.11.0.0/16")))
    stored = cli.client.get("IPPool", a)
    text = pool(a, "10.11.0.0/16").replace(f"name: {a}\n", f"name: {a}\n  resourceVersion: '1'\n")
    assert stored.metadata.resource_version != "1"
    assert tuple(cli("replace", "-f", cli.file("b.yaml", text))) == (
        "Partial success: replaced the first 1 out of 1 'IPPool' resources:\n",
        f"hit error: update conflict: IPPool({a})\n",
        1,
    )


def test_delete_several_with_one_missing(cli: Cli) -> None:
    a, b = cli.n("a"), cli.n("b")
    cli("create", "-f", cli.file("a.yaml", pool(a, "10.11.0.0/16")))
    # delete.go: the successes first, then each failure on its own line (so stderr ends blank).
    assert tuple(cli("delete", "ippool", a, b)) == (
        "Successfully deleted 1 'IPPool' resource(s)\n",
        f"Failed to delete 'IPPool' resource: {missing('IPPool', b, 'ippools')}\n\n",
        1,
    )


def test_delete_missing_only(cli: Cli) -> None:
    a, b = cli.n("a"), cli.n("b")
    expected = (
        f"Failed to delete 'IPPool' resource: {missing('IPPool', a, 'ippools')}\n"
        f"Failed to delete 'IPPool' resource: {missing('IPPool', b, 'ippools')}\n\n"
    )
    assert tuple(cli("delete", "ippools", a, b)) == ("", expected, 1)


def test_delete_skip_not_exists(cli: Cli) -> None:
    a = cli.n("a")
    assert tuple(cli("delete", "ippool", a, "--skip-not-exists")) == (
        "Successfully deleted 1 'IPPool' resource(s)\n",
        "",
        0,
    )
    assert tuple(cli("delete", "ippool", a, "-s")) == ("Successfully deleted 1 'IPPool' resource(s)\n", "", 0)


def test_delete_mixed_kinds_from_file(cli: Cli) -> None:
    path = cli.file("m.yaml", docs(pool(cli.n("a"), "10.11.0.0/16"), _gnp(cli.n("g"))))
    cli("create", "-f", path)
    assert tuple(cli("delete", "-f", path)) == ("Successfully deleted 2 resource(s)\n", "", 0)
    expected = (
        f"Failed to delete resource: {missing('IPPool', cli.n('a'), 'ippools')}\n"
        f"Failed to delete resource: {missing('GlobalNetworkPolicy', cli.n('g'), 'globalnetworkpolicies')}\n\n"
    )
    assert tuple(cli("delete", "-f", path)) == ("", expected, 1)


def test_delete_with_stale_resource_version_is_refused(cli: Cli) -> None:
    a = cli.n("a")
    cli("create", "-f", cli.file("a.yaml", pool(a, "10.11.0.0/16")))
    text = pool(a, "10.11.0.0/16").replace(f"name: {a}\n", f"name: {a}\n  resourceVersion: '1'\n")
    expected = f"Failed to delete 'IPPool' resource: update conflict: IPPool({a})\n\n"
    assert tuple(cli("delete", "-f", cli.file("b.yaml", text))) == ("", expected, 1)


def test_delete_kind_without_name(cli: Cli) -> None:
    assert tuple(cli("delete", "ippool")) == (
        "",
        "Failed to delete 'IPPool' resource: resource name may not be empty\n\n",
        1,
    )


def test_validate_several_kinds(offline: Cli) -> None:
    path = offline.file("m.yaml", docs(pool("a", "10.11.0.0/16"), _gnp("g")))
    assert tuple(offline("validate", "-f", path, config=False)) == ("Successfully validated 2 resource(s)\n", "", 0)


def test_validate_does_not_connect(offline: Cli) -> None:
    # No datastore is reachable from `offline`; validate needs none.
    path = offline.file("p.yaml", pool("a", "10.11.0.0/16"))
    assert tuple(offline("validate", "-f", path, "--allow-version-mismatch", config=False)) == (
        "Successfully validated 1 'IPPool' resource(s)\n",
        "",
        0,
    )


# -- files, directories, stdin --------------------------------------------------------------------------------


def test_stdin(cli: Cli) -> None:
    text = pool(cli.n("a"), "10.11.0.0/16")
    assert tuple(cli("create", "-f", "-", input=text)) == ("Successfully created 1 'IPPool' resource(s)\n", "", 0)


def test_empty_stdin(cli: Cli) -> None:
    assert tuple(cli("create", "-f", "-", input="")) == ("", "no resources specified in file -\n", 1)


def test_empty_file(cli: Cli) -> None:
    path = cli.file("e.yaml", "# nothing\n")
    assert tuple(cli("apply", "-f", path)) == ("", f"no resources specified in file {path}\n", 1)


def test_empty_file_skip_empty(cli: Cli) -> None:
    path = cli.file("e.yaml", "")
    assert tuple(cli("create", "-f", path, "--skip-empty")) == ("No resources specified\n", "", 0)


def test_missing_file(cli: Cli) -> None:
    path = str(cli.workdir / "nope.yaml")
    expected = f"failed to execute command: open {path}: no such file or directory\n"
    assert tuple(cli("create", "-f", path)) == ("", expected, 1)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file(cli: Cli) -> None:
    path = cli.file("r.yaml", pool("a", "10.11.0.0/16"))
    os.chmod(path, 0)
    assert tuple(cli("create", "-f", path)) == ("", f"failed to execute command: open {path}: permission denied\n", 1)


def test_directory(cli: Cli) -> None:
    cli.file("d/b.yaml", pool(cli.n("b"), "10.12.0.0/16"))
    cli.file("d/a.yml", pool(cli.n("a"), "10.11.0.0/16"))
    cli.file(
        "d/c.json",
        f'{{"apiVersion": "projectcalico.org/v3", "kind": "IPPool", "metadata": {{"name": "{cli.n("c")}"}}, "spec": {{"cidr": "10.13.0.0/16"}}}}',
    )
    cli.file("d/notes.txt", "not a manifest")
    cli.file("d/sub/d.yaml", pool(cli.n("d"), "10.14.0.0/16"))
    assert tuple(cli("create", "-f", str(cli.workdir / "d"))) == (
        "Successfully created 3 'IPPool' resource(s)\n",
        "",
        0,
    )
    names = sorted(p.metadata.name for p in cli.client.list("IPPool") if p.metadata.name.startswith(cli.prefix))
    assert {cli.n("a"), cli.n("b"), cli.n("c")} <= set(names) and cli.n("d") not in names


def test_directory_recursive(cli: Cli) -> None:
    cli.file("d/a.yaml", pool(cli.n("a"), "10.11.0.0/16"))
    cli.file("d/sub/deeper/b.yaml", pool(cli.n("b"), "10.12.0.0/16"))
    assert tuple(cli("create", "-f", str(cli.workdir / "d"), "-R")) == (
        "Successfully created 2 'IPPool' resource(s)\n",
        "",
        0,
    )


def test_empty_directory(cli: Cli) -> None:
    (cli.workdir / "d").mkdir()
    path = str(cli.workdir / "d")
    assert tuple(cli("create", "-f", path)) == ("", f"no resources specified in directory {path}\n", 1)
    assert tuple(cli("create", "-f", path, "--skip-empty")) == ("No resources specified\n", "", 0)


def test_directory_with_an_empty_file(cli: Cli) -> None:
    cli.file("d/a.yaml", pool(cli.n("a"), "10.11.0.0/16"))
    empty = cli.file("d/b.yaml", "")
    assert tuple(cli("create", "-f", str(cli.workdir / "d"))) == ("", f"no resources specified in file {empty}\n", 1)


def test_a_bad_file_in_a_directory_stops_everything(cli: Cli) -> None:
    cli.file("d/a.yaml", pool(cli.n("a"), "10.11.0.0/16"))
    bad = cli.file(
        "d/b.yaml",
        "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: x}\nspec: {cidr: 10.0.0.0/8, bogus: 1}\n",
    )
    stdout, stderr, code = cli("create", "-f", str(cli.workdir / "d"))
    assert (stdout, code) == ("", 1)
    assert stderr.startswith(f"failed to execute command: {bad}, document 1, field spec.bogus: ")
    assert cli.client.list("IPPool") == [] or all(
        not p.metadata.name.startswith(cli.n("a")) for p in cli.client.list("IPPool")
    )


BAD_DOCUMENTS = [
    (
        "unknown kind",
        "apiVersion: projectcalico.org/v3\nkind: Bogus\nmetadata: {name: x}\n",
        "document 1, field kind: unknown resource type (Bogus) and/or version (projectcalico.org/v3)",
    ),
    (
        "wrong version",
        "apiVersion: projectcalico.org/v7\nkind: BGPPeer\nmetadata: {name: x}\n",
        "document 1, field apiVersion: unknown resource type (BGPPeer) and/or version (projectcalico.org/v7)",
    ),
    (
        "not registered with calicoctl",
        "apiVersion: projectcalico.org/v3\nkind: IPAMBlock\nmetadata: {name: x}\nspec: {cidr: 10.0.0.0/26}\n",
        None,
    ),
    ("bad yaml", "kind: [\n", "document 1"),
    (
        "bad value",
        "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: x}\nspec: {cidr: 10.0.0.0/8, disabled: maybe}\n",
        "field spec.disabled",
    ),
    (
        "invalid peer",
        "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: x}\nspec: {peerIP: badpeerIP}\n",
        "PeerIP",
    ),
]


@pytest.mark.parametrize(
    ("text", "needle"), [(t, n) for _, t, n in BAD_DOCUMENTS], ids=[i for i, _, _ in BAD_DOCUMENTS]
)
def test_a_document_that_cannot_be_read_is_a_file_error(cli: Cli, text: str, needle: str | None) -> None:
    path = cli.file("bad.yaml", text)
    stdout, stderr, code = cli("apply", "-f", path)
    assert (stdout, code) == ("", 1) and stderr.startswith("failed to execute command: ")
    if needle is None:
        assert (
            stderr
            == "failed to execute command: unknown resource type (IPAMBlock) and/or version (projectcalico.org/v3)\n"
        )
    else:
        assert needle in stderr


def test_bad_file_for_get_and_delete(cli: Cli) -> None:
    path = cli.file("bad.yaml", "apiVersion: projectcalico.org/v3\nkind: Bogus\nmetadata: {name: x}\n")
    for verb in ("get", "delete"):
        stdout, stderr, code = cli(verb, "-f", path)
        assert (stdout, code) == ("", 1) and stderr.startswith("failed to execute command: ")


def test_crd_v1_manifests_are_accepted(cli: Cli) -> None:
    text = f"apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata: {{name: {cli.n('v1pool')}}}\nspec: {{cidr: 10.15.0.0/16}}\n"
    assert tuple(cli("create", "-f", cli.file("v1.yaml", text))) == (
        "Successfully created 1 'IPPool' resource(s)\n",
        "",
        0,
    )


def test_typed_list_and_sequence_documents(cli: Cli) -> None:
    a, b, c = cli.n("a"), cli.n("b"), cli.n("c")
    typed = (
        "apiVersion: projectcalico.org/v3\nkind: IPPoolList\nitems:\n"
        f"- {{apiVersion: projectcalico.org/v3, kind: IPPool, metadata: {{name: {a}}}, spec: {{cidr: 10.11.0.0/16}}}}\n"
        f"- {{apiVersion: projectcalico.org/v3, kind: IPPool, metadata: {{name: {b}}}, spec: {{cidr: 10.12.0.0/16}}}}\n"
    )
    sequence = (
        f"- {{apiVersion: projectcalico.org/v3, kind: IPPool, metadata: {{name: {c}}}, spec: {{cidr: 10.13.0.0/16}}}}\n"
    )
    path = cli.file("l.yaml", docs(typed, sequence))
    assert tuple(cli("create", "-f", path)) == ("Successfully created 3 'IPPool' resource(s)\n", "", 0)


# -- namespaces (handleNamespace) --------------------------------------------------------------------------------


def test_namespace_defaults_to_default(cli: Cli) -> None:
    np = cli.n("np")
    cli("create", "-f", cli.file("np.yaml", _np(np)))
    assert cli.client.get("NetworkPolicy", np, "default").metadata.namespace == "default"


def test_namespace_from_the_command_line(cli: Cli) -> None:
    ns = cli.ns("prod")
    path = cli.file("np.yaml", _np(cli.n("np")))
    assert tuple(cli("create", "-f", path, "-n", ns)) == ("Successfully created 1 'NetworkPolicy' resource(s)\n", "", 0)
    assert cli.client.get("NetworkPolicy", cli.n("np"), ns).metadata.namespace == ns


def test_namespace_mismatch(cli: Cli) -> None:
    ns = cli.ns("prod")
    path = cli.file("np.yaml", _np(cli.n("np"), ns))
    expected = f"failed to create 'NetworkPolicy' resource: [resource namespace does not match client namespace. {ns} != other]\n"
    assert tuple(cli("create", "-f", path, "--namespace", "other")) == ("", expected, 1)


def test_namespace_on_a_cluster_scoped_kind_in_the_file(cli: Cli) -> None:
    path = cli.file("p.yaml", pool(cli.n("a"), "10.11.0.0/16").replace("metadata:\n", "metadata:\n  namespace: prod\n"))
    expected = (
        "failed to create 'IPPool' resource: [namespace should not be specified for a non-namespaced resource. "
        "IPPool is not a namespaced resource]\n"
    )
    assert tuple(cli("create", "-f", path)) == ("", expected, 1)


def test_namespace_flag_on_a_cluster_scoped_kind(cli: Cli) -> None:
    path = cli.file("p.yaml", pool(cli.n("a"), "10.11.0.0/16"))
    assert tuple(cli("apply", "-f", path, "-n", "prod")) == (
        "",
        "failed to apply 'IPPool' resource: [IPPool is not namespaced]\n",
        1,
    )


def test_namespace_errors_are_not_counted_for_replace(cli: Cli) -> None:
    path = cli.file("p.yaml", pool(cli.n("a"), "10.11.0.0/16"))
    # resources.go: a namespace error returns no object, so replace counts nothing handled.
    assert tuple(cli("replace", "-f", path, "-n", "prod")) == (
        "",
        "failed to replace 'IPPool' resource: IPPool is not namespaced\n",
        1,
    )


def test_missing_namespace_is_the_api_servers_error(cli: Cli) -> None:
    np, ns = cli.n("np"), cli.n("nowhere")
    path = cli.file("np.yaml", _np(np, ns))
    expected = (
        f"failed to apply 'NetworkPolicy' resource: [resource does not exist: NetworkPolicy({ns}/{np}) with error: "
        f'namespaces "{ns}" not found]\n'
    )
    assert tuple(cli("apply", "-f", path)) == ("", expected, 1)


# -- bulk apply --------------------------------------------------------------------------------------------------


def _policies(cli: Cli, count: int, tier: str = "") -> str:
    return docs(*(_gnp(cli.n(f"p{i}"), tier) for i in range(count)))


def test_bulk_apply_output_is_calicoctls(cli: Cli) -> None:
    path = cli.file("p.yaml", _policies(cli, 12))
    assert tuple(cli("apply", "-f", path)) == ("Successfully applied 12 'GlobalNetworkPolicy' resource(s)\n", "", 0)
    assert tuple(cli("apply", "-f", path)) == ("Successfully applied 12 'GlobalNetworkPolicy' resource(s)\n", "", 0)


def test_bulk_and_sequential_agree_on_failures(cli: Cli) -> None:
    a, b, c = cli.n("a"), cli.n("b"), cli.n("c")
    text = docs(pool(a, "10.11.0.0/16"), pool(b, "10.11.0.0/17"), pool(c, "10.13.0.0/16"))
    bulk = cli("apply", "-f", cli.file("p.yaml", text))
    for name in (a, c):
        cli("delete", "ippool", name)
    sequential = cli("apply", "-f", cli.file("p.yaml", text), "--sequential")
    assert (
        tuple(bulk)
        == tuple(sequential)
        == (
            "Partial success: applied the first 2 out of 3 'IPPool' resources:\n",
            f"hit error(s): [{overlap(b, '10.11.0.0/17', a, '10.11.0.0/16')}]\n",
            1,
        )
    )


def test_policy_before_its_tier_goes_one_at_a_time(cli: Cli) -> None:
    # calicoctl applies in file order: the policy fails (no tier yet), then the Tier is created.
    tier = cli.n("t")
    path = cli.file("p.yaml", docs(_gnp(cli.n("g"), tier), _tier(tier)))
    stdout, stderr, code = cli("apply", "-f", path)
    assert (stdout, code) == ("", 1)
    assert stderr.startswith("hit error(s): [") and tier in stderr
    assert [t.metadata.name for t in cli.client.list("Tier") if t.metadata.name == tier] == [tier]


def test_tier_before_its_policies_is_fine(cli: Cli) -> None:
    tier = cli.n("t")
    path = cli.file("p.yaml", docs(_tier(tier), _policies(cli, 3, tier)))
    assert tuple(cli("apply", "-f", path)) == ("Successfully applied 4 resource(s)\n", "", 0)


def test_the_same_object_twice_in_one_apply(cli: Cli) -> None:
    a = cli.n("a")
    path = cli.file("p.yaml", docs(pool(a, "10.11.0.0/16"), pool(a, "10.11.0.0/16", disabled="true")))
    assert tuple(cli("apply", "-f", path)) == ("Successfully applied 2 'IPPool' resource(s)\n", "", 0)
    assert cli.client.get("IPPool", a).spec.disabled is True  # type: ignore[attr-defined]
