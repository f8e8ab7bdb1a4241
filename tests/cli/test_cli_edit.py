"""``patch``, ``label``, ``version``, the configuration and the version check (``commands/patch.go``,
``label.go``, ``version.go``, ``clientmgr/client.go``, ``common/version_mismatch.go``)."""

from __future__ import annotations

import json

import pytest

from calicopy.cli.base import CliState
from calicopy.manifests import loads

from .conftest import Cli, pool

CLIENT = "Client Version:    v3.32.1\nGit commit:        calicopy-0.1.0\n"


def _pool(cli: Cli, name: str = "a", **labels: str) -> str:
    full = cli.n(name)
    (resource,) = loads(pool(full, "10.31.0.0/16"))
    resource.metadata.labels = dict(labels)
    cli.client.create(resource)
    return full


def _missing(name: str) -> str:
    return f'resource does not exist: IPPool({name}) with error: ippools.crd.projectcalico.org "{name}" not found'


# -- patch ------------------------------------------------------------------------------------------------------


def test_patch(cli: Cli) -> None:
    a = _pool(cli)
    assert tuple(cli("patch", "ippool", a, "-p", '{"spec":{"disabled":true}}')) == (
        "Successfully patched 1 'IPPool' resource\n",
        "",
        0,
    )
    assert cli.client.get("IPPool", a).spec.disabled is True  # type: ignore[attr-defined]


def test_patch_type_is_accepted_and_ignored(cli: Cli) -> None:
    a = _pool(cli)
    for kind in ("json", "merge", "strategic"):
        assert tuple(cli("patch", "pools", a, "--patch", '{"spec":{"natOutgoing":true}}', "--type", kind)) == (
            "Successfully patched 1 'IPPool' resource\n",
            "",
            0,
        )


def test_patch_merges_labels(cli: Cli) -> None:
    a = _pool(cli, x="1")
    cli("patch", "ippool", a, "-p", '{"metadata":{"labels":{"y":"2"}}}')
    assert cli.client.get("IPPool", a).metadata.labels == {"x": "1", "y": "2"}


def test_patch_namespaced(cli: Cli) -> None:
    ns = cli.ns("prod")
    (np,) = loads(
        f"apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {{name: {cli.n('np')}, namespace: {ns}}}\nspec: {{selector: all()}}\n"
    )
    cli.client.create(np)
    assert tuple(cli("patch", "np", cli.n("np"), "-n", ns, "-p", '{"spec":{"order":5}}')) == (
        "Successfully patched 1 'NetworkPolicy' resource\n",
        "",
        0,
    )


def test_patch_missing(cli: Cli) -> None:
    z = cli.n("zz")
    assert tuple(cli("patch", "ippool", z, "-p", "{}")) == ("", f"hit error: {_missing(z)}\n", 1)


def test_patch_missing_with_bad_json_reports_the_read_first(cli: Cli) -> None:
    z = cli.n("zz")
    assert tuple(cli("patch", "ippool", z, "-p", "{bad")) == ("", f"hit error: {_missing(z)}\n", 1)


def test_patch_bad_json(cli: Cli) -> None:
    a = _pool(cli)
    expected = "hit error: performing strategic merge patch: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)\n"
    assert tuple(cli("patch", "ippool", a, "-p", "{bad")) == ("", expected, 1)


def test_patch_not_an_object(cli: Cli) -> None:
    a = _pool(cli)
    expected = "hit error: performing strategic merge patch: a patch must be a JSON object, not list\n"
    assert tuple(cli("patch", "ippool", a, "-p", "[1]")) == ("", expected, 1)


def test_patch_unknown_field(cli: Cli) -> None:
    a = _pool(cli)
    expected = (
        f"hit error: creating resource from patched data: IPPool({a}): error with field spec.bogus "
        "(field in document is not recognized or is in the wrong location: bogus)\n"
    )
    assert tuple(cli("patch", "ippool", a, "-p", '{"spec":{"bogus":1}}')) == ("", expected, 1)


def test_patch_invalid_value(cli: Cli) -> None:
    a = _pool(cli)
    expected = (
        f"hit error: updating existing resource: IPPool({a}): error with field spec.cidr = '10.32.0.0/16' "
        "(IPPool CIDR cannot be modified)\n"
    )
    assert tuple(cli("patch", "ippool", a, "-p", '{"spec":{"cidr":"10.32.0.0/16"}}')) == ("", expected, 1)


def test_patch_unknown_kind(cli: Cli) -> None:
    assert tuple(cli("patch", "foo", "x", "-p", "{}")) == ("", "resource type 'foo' is not supported\n", 1)


def test_patch_empty_name(cli: Cli) -> None:
    assert tuple(cli("patch", "ippool", "", "-p", "{}")) == ("", "resource name may not be empty\n", 1)


# -- label ------------------------------------------------------------------------------------------------------


def test_label_set_update_remove(cli: Cli) -> None:
    a = _pool(cli)
    assert tuple(cli("label", "ippool", a, "app=web")) == (f"Successfully set label app on ippool {a}\n", "", 0)
    assert tuple(cli("label", "IPPools", a, "app=db", "--overwrite")) == (
        f"Successfully updated label app on IPPools {a}\n",
        "",
        0,
    )
    # The same value again is an update, even without --overwrite (label.go).
    assert tuple(cli("label", "ipp", a, "app=db")) == (f"Successfully updated label app on ipp {a}\n", "", 0)
    assert tuple(cli("label", "ippool", a, "app", "--remove")) == (
        f"Successfully removed label app from ippool {a}\n",
        "",
        0,
    )
    assert cli.client.get("IPPool", a).metadata.labels == {}


def test_label_existing_key_needs_overwrite(cli: Cli) -> None:
    a = _pool(cli, app="web")
    expected = f"failed to update label of ippool {a}, key app is already present. please use '--overwrite' to set a new value\n"
    assert tuple(cli("label", "ippool", a, "app=db")) == ("", expected, 1)


def test_label_remove_missing_key(cli: Cli) -> None:
    a = _pool(cli)
    assert tuple(cli("label", "ippool", a, "app", "--remove")) == (
        "",
        f"cannot remove label of ippool {a}, key app does not exist\n",
        1,
    )


@pytest.mark.parametrize("key_value", ["a=b=c", "novalue", "a=b="])
def test_label_invalid(offline: Cli, key_value: str) -> None:
    # Checked before anything is read (offline has no datastore).
    assert tuple(offline("label", "ippool", "a", key_value)) == ("", f"invalid label {key_value}\n", 1)


def test_label_not_found(cli: Cli) -> None:
    z = cli.n("zz")
    assert tuple(cli("label", "ippool", z, "a=b")) == ("", f"ippool {z} not found\n", 1)


def test_label_namespace_on_cluster_kind_reads_as_not_found(cli: Cli) -> None:
    a = _pool(cli)
    assert tuple(cli("label", "ippool", a, "a=b", "-n", "x")) == ("", f"ippool {a} not found\n", 1)


def test_label_unknown_kind(cli: Cli) -> None:
    expected = "failed to get foo zz, error resource type 'foo' is not supported\n"
    assert tuple(cli("label", "foo", "zz", "a=b")) == ("", expected, 1)


def test_label_empty_name(cli: Cli) -> None:
    assert tuple(cli("label", "ippool", "", "a=b")) == (
        "",
        "failed to get ippool , error resource name may not be empty\n",
        1,
    )


def test_label_refused_by_validation(cli: Cli) -> None:
    a = _pool(cli)
    assert tuple(cli("label", "ippool", a, "in valid=x")) == (
        "",
        f"failed to update ippool {a}, label not changed\n",
        1,
    )


def test_label_namespaced(cli: Cli) -> None:
    ns = cli.ns("prod")
    name = cli.n("set")
    (netset,) = loads(
        f"apiVersion: projectcalico.org/v3\nkind: NetworkSet\nmetadata: {{name: {name}, namespace: {ns}}}\nspec: {{}}\n"
    )
    cli.client.create(netset)
    assert tuple(cli("label", "networksets", name, "k=v", "--namespace", ns)) == (
        f"Successfully set label k on networksets {name}\n",
        "",
        0,
    )


# -- version ------------------------------------------------------------------------------------------------------


def test_version_client(offline: Cli) -> None:
    assert tuple(offline("version", "--client", config=False)) == (CLIENT, "", 0)


def test_version_client_json(offline: Cli) -> None:
    expected = '{\n  "clientVersion": "v3.32.1",\n  "gitCommit": "calicopy-0.1.0"\n}'
    assert tuple(offline("version", "--client", "-o", "json", config=False)) == (expected, "", 0)


def test_version_cluster(cli: Cli) -> None:
    cli.fake_only("needs ClusterInformation as calicopy writes it")
    cli.client.ensure_initialized()
    expected = CLIENT + "Cluster Version:   unknown\nCluster Type:      kdd\n"
    assert tuple(cli("version")) == (expected, "", 0)


def test_version_cluster_json(cli: Cli) -> None:
    cli.fake_only("needs ClusterInformation as calicopy writes it")
    cli.client.ensure_initialized()
    stdout, stderr, code = cli("version", "--output", "json")
    assert json.loads(stdout) == {
        "clientVersion": "v3.32.1",
        "gitCommit": "calicopy-0.1.0",
        "clusterVersion": "unknown",
        "clusterType": "kdd",
    }
    assert (stderr, code) == ("", 0) and not stdout.endswith("\n")


def test_version_without_cluster_information(cli: Cli) -> None:
    cli.fake_only("needs a datastore without ClusterInformation")
    expected = (
        "unable to retrieve Cluster Version or Type: resource does not exist: ClusterInformation(default) with error: "
        'clusterinformations.crd.projectcalico.org "default" not found\n'
    )
    assert tuple(cli("version")) == (CLIENT, expected, 1)


def test_version_bad_output(offline: Cli) -> None:
    assert tuple(offline("version", "-o", "yaml", config=False)) == ("", "unrecognized output format 'yaml'\n", 1)


@pytest.mark.parametrize("poll", ["abc", "5", "1x", "-"])
def test_version_bad_poll(offline: Cli, poll: str) -> None:
    # calicoctl prints the zero duration ("0s") it failed to parse; calicopy prints the value given.
    assert tuple(offline("version", f"--poll={poll}", config=False)) == (
        "",
        f"invalid poll duration specified: {poll}\n",
        1,
    )


def test_version_poll_prints_changes_until_interrupted(cli: Cli) -> None:
    cli.fake_only("changes ClusterInformation")
    cli.client.ensure_initialized()
    calls: list[float] = []

    def sleep(seconds: float) -> None:
        calls.append(seconds)
        if len(calls) == 1:
            info = cli.client.get("ClusterInformation", "default")
            info.spec.calico_version = "v3.31.0"  # type: ignore[attr-defined]
            cli.client.backend.update(info)
            return
        raise KeyboardInterrupt

    stdout, _stderr, code = cli("version", "--poll", "1.5s", state=CliState(sleep=sleep))
    assert (stdout, code) == (
        CLIENT + "Cluster Version:   unknown\nCluster Type:      kdd\nCluster Version:   v3.31.0\n",
        130,
    )
    assert calls == [1.5, 1.5]


# -- configuration and the version check ---------------------------------------------------------------------------


def test_config_file_that_does_not_exist(cli: Cli) -> None:
    assert tuple(cli("get", "ippool", "-c", "/nonexistent.cfg", config=False)) == (
        "Error reading config file: /nonexistent.cfg\n",
        "",
        1,
    )


def test_config_file_that_does_not_exist_for_version(cli: Cli) -> None:
    assert tuple(cli("version", "-c", "/nonexistent.cfg", config=False)) == (
        CLIENT + "Error reading config file: /nonexistent.cfg\n",
        "",
        1,
    )


def test_unknown_datastore_type(cli: Cli) -> None:
    cfg = cli.file(
        "bad.cfg", "apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nspec:\n  datastoreType: bogus\n"
    )
    assert tuple(cli("get", "ippool", "-c", cfg, config=False)) == (
        "Failed to create Calico API client: unknown datastore type: bogus\n",
        "",
        1,
    )


def test_missing_kubeconfig(cli: Cli) -> None:
    cfg = cli.file(
        "bad.cfg",
        "apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nspec:\n  datastoreType: kubernetes\n  kubeconfig: /nope/kubeconfig\n",
    )
    expected = "Failed to create Calico API client: stat /nope/kubeconfig: no such file or directory\n"
    assert tuple(cli("apply", "-f", "-", "-c", cfg, input=pool("a", "10.0.0.0/8"), config=False)) == (expected, "", 1)
    assert tuple(cli("version", "-c", cfg, config=False)) == (
        CLIENT,
        "stat /nope/kubeconfig: no such file or directory\n",
        1,
    )


def test_config_with_unknown_field(cli: Cli) -> None:
    cfg = cli.file("bad.cfg", "apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nspec:\n  bogus: 1\n")
    expected = (
        f"Failed to create Calico API client: syntax error in {cfg}: failed to parse config as YAML/JSON: "
        'error unmarshaling JSON: while decoding JSON: json: unknown field "bogus"\n'
    )
    assert tuple(cli("get", "ippool", "-c", cfg, config=False)) == (expected, "", 1)


def test_file_errors_come_before_client_errors_with_allow_mismatch(cli: Cli) -> None:
    # resources.go: files are read before the client is built (the version check is skipped).
    cfg = cli.file(
        "bad.cfg", "apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nspec:\n  datastoreType: bogus\n"
    )
    assert tuple(cli("create", "-f", "-", "-c", cfg, "--allow-version-mismatch", input="", config=False)) == (
        "",
        "no resources specified in file -\n",
        1,
    )


def _set_cluster_version(cli: Cli, version: str) -> None:
    cli.client.ensure_initialized()
    info = cli.client.get("ClusterInformation", "default")
    info.spec.calico_version = version  # type: ignore[attr-defined]
    cli.client.backend.update(info)


MISMATCH = (
    "version mismatch.\nClient Version:   v3.32.1\nCluster Version:  {}\nUse --allow-version-mismatch to override"
)


def test_cluster_outside_the_supported_versions(cli: Cli) -> None:
    cli.fake_only("sets the cluster's Calico version")
    _set_cluster_version(cli, "v3.20.1")
    path = cli.file("p.yaml", pool("a", "10.0.0.0/8"))
    assert tuple(cli("create", "-f", path)) == ("", MISMATCH.format("3.20.1") + "\n", 1)
    assert tuple(cli("get", "ippool")) == ("", "failed to get resources: " + MISMATCH.format("3.20.1") + "\n", 1)
    assert tuple(cli("label", "ippool", "a", "x=y")) == (
        "",
        "failed to get ippool a, error " + MISMATCH.format("3.20.1") + "\n",
        1,
    )
    assert tuple(cli("patch", "ippool", "a", "-p", "{}")) == ("", MISMATCH.format("3.20.1") + "\n", 1)
    assert tuple(cli("delete", "ippool", "a")) == ("", MISMATCH.format("3.20.1") + "\n", 1)


def test_version_suffix_is_dropped(cli: Cli) -> None:
    cli.fake_only("sets the cluster's Calico version")
    _set_cluster_version(cli, "v3.33.0-0.dev-123")
    assert tuple(cli("get", "ippool")) == ("", "failed to get resources: " + MISMATCH.format("3.33.0") + "\n", 1)


@pytest.mark.parametrize("version", ["v3.26.0", "v3.29.4", "v3.32.1", "3.30.2"])
def test_supported_cluster_versions_pass(cli: Cli, version: str) -> None:
    cli.fake_only("sets the cluster's Calico version")
    _set_cluster_version(cli, version)
    _stdout, stderr, code = cli("get", "ippool")
    assert (stderr, code) == ("", 0)


def test_allow_version_mismatch(cli: Cli) -> None:
    cli.fake_only("sets the cluster's Calico version")
    _set_cluster_version(cli, "v2.6.0")
    for args in (["get", "ippool", "--allow-version-mismatch"], ["--allow-version-mismatch", "get", "ippool"]):
        _stdout, stderr, code = cli(*args)
        assert (stderr, code) == ("", 0)


def test_validate_skips_the_version_check(cli: Cli) -> None:
    cli.fake_only("sets the cluster's Calico version")
    _set_cluster_version(cli, "v2.6.0")
    path = cli.file("p.yaml", pool("a", "10.0.0.0/8"))
    assert tuple(cli("validate", "-f", path, config=False)) == (
        "Successfully validated 1 'IPPool' resource(s)\n",
        "",
        0,
    )


def test_version_command_skips_the_version_check(cli: Cli) -> None:
    cli.fake_only("sets the cluster's Calico version")
    _set_cluster_version(cli, "v2.6.0")
    assert tuple(cli("version")) == (CLIENT + "Cluster Version:   v2.6.0\nCluster Type:      kdd\n", "", 0)


def test_unreachable_datastore(offline: Cli) -> None:
    stdout, stderr, code = offline("get", "ippool")
    assert (stdout, code) == ("", 1)
    assert stderr.startswith("failed to get resources: unable to get Cluster Information to verify version mismatch: ")
    assert stderr.endswith("\nUse --allow-version-mismatch to override\n")


def test_context_selects_the_kubeconfig_context(cli: Cli) -> None:
    cli.fake_only("the fake server's kubeconfig has one context, 'fake'")
    expected = ('Failed to create Calico API client: context "nope" does not exist\n', "", 1)
    assert tuple(cli("get", "ippool", "--context", "nope")) == expected
    assert tuple(cli("--context", "nope", "get", "ippool")) == expected
    _stdout, stderr, code = cli("get", "ippool", "--context", "fake")
    assert (stderr, code) == ("", 0)
