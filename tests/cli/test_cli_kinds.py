"""Every kind calicoctl manages in Kubernetes mode, through every verb, with calicoctl's exact output
(``commands/{create,apply,replace,delete,get}.go``; tables from ``resourcemgr/<kind>.go``)."""

from __future__ import annotations

import pytest

from calicopy.manifests import loads
from calicopy.resources.registry import KINDS

from .conftest import Cli, table
from .kinds import BY_KIND, HEADINGS, WRITABLE, Sample

IDS = [s.kind for s in WRITABLE]


def _name(cli: Cli, sample: Sample) -> str:
    if sample.singleton:
        cli.fake_only(f"{sample.kind} is one per cluster")
        return sample.name
    return cli.n(sample.name)


def _seed(cli: Cli, sample: Sample) -> str:
    name = _name(cli, sample)
    (resource,) = loads(sample.manifest(name))
    cli.client.create(resource)
    return name


def _row(sample: Sample, name: str, wide: bool) -> tuple[str, ...]:
    return (name, *(sample.wide if wide else sample.ps))


@pytest.mark.parametrize("sample", WRITABLE, ids=IDS)
def test_create(cli: Cli, sample: Sample) -> None:
    path = cli.file("r.yaml", sample.manifest(_name(cli, sample)))
    assert tuple(cli("create", "-f", path)) == (f"Successfully created 1 '{sample.kind}' resource(s)\n", "", 0)


@pytest.mark.parametrize("sample", WRITABLE, ids=IDS)
def test_create_existing_fails(cli: Cli, sample: Sample) -> None:
    name = _seed(cli, sample)
    path = cli.file("r.yaml", sample.manifest(name))
    ns = "default/" if sample.namespaced else ""
    stdout, stderr, code = cli("create", "-f", path)
    assert (stdout, code) == ("", 1)
    # The cause is the API server's own text: '<plural>.crd.projectcalico.org "<name>" already exists'.
    assert stderr.startswith(
        f"failed to create '{sample.kind}' resource: [resource already exists: {sample.kind}({ns}{name}) with error: "
    )
    assert stderr.endswith(f'"{name}" already exists]\n')


@pytest.mark.parametrize("sample", WRITABLE, ids=IDS)
def test_create_skip_exists(cli: Cli, sample: Sample) -> None:
    name = _seed(cli, sample)
    path = cli.file("r.yaml", sample.manifest(name))
    expected = f"Successfully created 1 '{sample.kind}' resource(s)\n"
    assert tuple(cli("create", "-f", path, "--skip-exists")) == (expected, "", 0)


@pytest.mark.parametrize("sample", WRITABLE, ids=IDS)
def test_get_by_name(cli: Cli, sample: Sample) -> None:
    name = _seed(cli, sample)
    plain, _ = HEADINGS[sample.kind]
    assert tuple(cli("get", sample.kind.lower(), name)) == (table(plain, _row(sample, name, False)), "", 0)


@pytest.mark.parametrize("sample", WRITABLE, ids=IDS)
def test_get_wide(cli: Cli, sample: Sample) -> None:
    name = _seed(cli, sample)
    _, wide = HEADINGS[sample.kind]
    assert tuple(cli("get", sample.kind, name, "-o", "wide")) == (table(wide, _row(sample, name, True)), "", 0)


@pytest.mark.parametrize("sample", [s for s in WRITABLE if s.kind not in ("Tier",)], ids=lambda s: s.kind)
def test_get_list(cli: Cli, sample: Sample) -> None:
    cli.fake_only("lists the whole kind")
    name = _seed(cli, sample)
    plain, _ = HEADINGS[sample.kind]
    plural = KINDS[sample.kind].calicoctl_names[1]
    assert tuple(cli("get", plural)) == (table(plain, _row(sample, name, False)), "", 0)


@pytest.mark.parametrize("sample", WRITABLE, ids=IDS)
def test_delete_by_name(cli: Cli, sample: Sample) -> None:
    name = _seed(cli, sample)
    expected = f"Successfully deleted 1 '{sample.kind}' resource(s)\n"
    assert tuple(cli("delete", sample.kind.lower(), name)) == (expected, "", 0)


@pytest.mark.parametrize("sample", WRITABLE, ids=IDS)
def test_delete_by_file(cli: Cli, sample: Sample) -> None:
    name = _seed(cli, sample)
    path = cli.file("r.yaml", sample.manifest(name))
    assert tuple(cli("delete", "-f", path)) == (f"Successfully deleted 1 '{sample.kind}' resource(s)\n", "", 0)


@pytest.mark.parametrize("sample", WRITABLE, ids=IDS)
def test_apply_creates_then_updates(cli: Cli, sample: Sample) -> None:
    path = cli.file("r.yaml", sample.manifest(_name(cli, sample)))
    expected = (f"Successfully applied 1 '{sample.kind}' resource(s)\n", "", 0)
    assert tuple(cli("apply", "-f", path)) == expected
    assert tuple(cli("apply", "-f", path)) == expected


@pytest.mark.parametrize("sample", WRITABLE, ids=IDS)
def test_replace(cli: Cli, sample: Sample) -> None:
    name = _seed(cli, sample)
    path = cli.file("r.yaml", sample.manifest(name))
    assert tuple(cli("replace", "-f", path)) == (f"Successfully replaced 1 '{sample.kind}' resource(s)\n", "", 0)


@pytest.mark.parametrize("sample", WRITABLE, ids=IDS)
def test_replace_missing_counts_as_handled(cli: Cli, sample: Sample) -> None:
    # replace.go: a failed replace is still counted ("Partial success ... 1 out of 1").
    name = _name(cli, sample)
    path = cli.file("r.yaml", sample.manifest(name))
    stdout, stderr, code = cli("replace", "-f", path)
    ns = "default/" if sample.namespaced else ""
    assert (stdout, code) == (f"Partial success: replaced the first 1 out of 1 '{sample.kind}' resources:\n", 1)
    assert stderr.startswith(f"hit error: resource does not exist: {sample.kind}({ns}{name}) with error: ")


@pytest.mark.parametrize("sample", WRITABLE, ids=IDS)
def test_validate(offline: Cli, sample: Sample) -> None:
    path = offline.file("r.yaml", sample.manifest(sample.name))
    expected = f"Successfully validated 1 '{sample.kind}' resource(s)\n"
    assert tuple(offline("validate", "-f", path, config=False)) == (expected, "", 0)


@pytest.mark.parametrize("sample", WRITABLE, ids=IDS)
def test_calicoctl_names_and_case(cli: Cli, sample: Sample) -> None:
    name = _seed(cli, sample)
    plain, _ = HEADINGS[sample.kind]
    expected = (table(plain, _row(sample, name, False)), "", 0)
    for word in (sample.kind.upper(), sample.kind.lower()):
        assert tuple(cli("get", word, name)) == expected


# -- kinds Calico manages itself in Kubernetes mode ------------------------------------------------------


def test_cluster_information_is_read_only(cli: Cli) -> None:
    cli.fake_only("writes ClusterInformation")
    path = cli.file(
        "ci.yaml", "apiVersion: projectcalico.org/v3\nkind: ClusterInformation\nmetadata: {name: default}\nspec: {}\n"
    )
    assert tuple(cli("create", "-f", path)) == (
        "",
        "failed to create 'ClusterInformation' resource: [operation create or apply is not supported on ClusterInformation]\n",
        1,
    )
    assert tuple(cli("apply", "-f", path)) == (
        "",
        "failed to apply 'ClusterInformation' resource: [operation apply is not supported on ClusterInformation: "
        "resource is readonly]\n",
        1,
    )
    assert tuple(cli("delete", "clusterinfo", "default")) == (
        "",
        "Failed to delete 'ClusterInformation' resource: operation delete is not supported on ClusterInformation\n\n",
        1,
    )


def test_cluster_information_table(cli: Cli) -> None:
    cli.fake_only("reads the cluster's ClusterInformation")
    cli.client.ensure_initialized()
    info = cli.client.get("ClusterInformation", "default").spec  # type: ignore[attr-defined]
    expected = table(
        ("NAME", "CLUSTERGUID", "CLUSTERTYPE", "CALICOVERSION", "DATASTOREREADY"),
        ("default", info.cluster_guid, info.cluster_type, info.calico_version, "true"),
    )
    assert tuple(cli("get", "clusterinformations")) == (expected, "", 0)


PROFILE_WRITES = [
    ("create", "", "failed to create 'Profile' resource: [operation Create is not supported on Profile({name})]\n"),
    # apply falls back to an update when create is not supported; the update reads the profile,
    # which in Kubernetes mode only exists as kns.<namespace> / ksa.<namespace>.<account>.
    (
        "apply",
        "",
        "failed to apply 'Profile' resource: [resource does not exist: Profile({name}) with error: Invalid name {name}]\n",
    ),
    (
        "replace",
        "Partial success: replaced the first 1 out of 1 'Profile' resources:\n",
        "hit error: resource does not exist: Profile({name}) with error: Invalid name {name}\n",
    ),
]


@pytest.mark.parametrize(("verb", "stdout", "stderr"), PROFILE_WRITES, ids=[v for v, _, _ in PROFILE_WRITES])
def test_profiles_are_read_only_in_kubernetes_mode(cli: Cli, verb: str, stdout: str, stderr: str) -> None:
    name = cli.n("pro")
    path = cli.file(
        "pro.yaml", f"apiVersion: projectcalico.org/v3\nkind: Profile\nmetadata: {{name: {name}}}\nspec: {{}}\n"
    )
    assert tuple(cli(verb, "-f", path)) == (stdout, stderr.format(name=name), 1)


def test_profile_list_has_the_default_allow_profile_and_namespaces(cli: Cli) -> None:
    cli.fake_only("lists every profile")
    expected = table(
        ("NAME",),
        ("projectcalico-default-allow",),
        ("kns.default",),
        ("kns.kube-node-lease",),
        ("kns.kube-public",),
        ("kns.kube-system",),
    )
    assert tuple(cli("get", "profiles")) == (expected, "", 0)


def test_profile_wide_shows_labels(cli: Cli) -> None:
    cli.fake_only("adds a namespace with labels")
    assert cli.server is not None
    cli.server.add(
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "prod", "labels": {"team": "a", "env": "p"}}}
    )
    expected = table(
        ("NAME", "LABELS"),
        ("kns.prod", "pcns.env=p,pcns.projectcalico.org/name=prod,pcns.team=a"),
    )
    assert tuple(cli("get", "profile", "kns.prod", "-o", "wide")) == (expected, "", 0)


def _node(cli: Cli, name: str, **annotations: str) -> None:
    assert cli.server is not None
    cli.server.add({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "annotations": annotations}})


def test_node_tables(cli: Cli) -> None:
    cli.fake_only("adds Kubernetes nodes")
    _node(cli, "n1", **{"projectcalico.org/IPv4Address": "10.0.0.1/24", "projectcalico.org/ASNumber": "65001"})
    _node(cli, "n2", **{"projectcalico.org/IPv4Address": "10.0.0.2/24"})
    _node(cli, "n3")
    assert tuple(cli("get", "nodes")) == (table(("NAME",), ("n1",), ("n2",), ("n3",)), "", 0)
    # ASN: the node's own, else the cluster's in parentheses (64512 without a BGPConfiguration).
    expected = table(
        ("NAME", "ASN", "IPV4", "IPV6"),
        ("n1", "65001", "10.0.0.1/24", ""),
        ("n2", "(64512)", "10.0.0.2/24", ""),
        ("n3", "", "", ""),
    )
    assert tuple(cli("get", "nodes", "-o", "wide")) == (expected, "", 0)


def test_node_asn_follows_the_default_bgp_configuration(cli: Cli) -> None:
    cli.fake_only("sets the cluster's AS number")
    _node(cli, "n2", **{"projectcalico.org/IPv4Address": "10.0.0.2/24"})
    (config,) = loads(BY_KIND["BGPConfiguration"].manifest("default"))
    cli.client.create(config)
    expected = table(("NAME", "ASN", "IPV4", "IPV6"), ("n2", "(65000)", "10.0.0.2/24", ""))
    assert tuple(cli("get", "node", "n2", "-o", "wide")) == (expected, "", 0)


@pytest.mark.parametrize("verb", ["create", "apply"])
def test_nodes_are_not_created_in_kubernetes_mode(cli: Cli, verb: str) -> None:
    path = cli.file(
        "n.yaml", f"apiVersion: projectcalico.org/v3\nkind: Node\nmetadata: {{name: {cli.n('n9')}}}\nspec: {{}}\n"
    )
    stdout, stderr, code = cli(verb, "-f", path)
    words = {"create": "create", "apply": "apply"}[verb]
    assert (stdout, code) == ("", 1) and stderr.startswith(f"failed to {words} 'Node' resource: [")


def _pod(cli: Cli, name: str, ip: str, namespace: str = "default") -> None:
    assert cli.server is not None
    cli.server.add(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace, "labels": {"app": name}},
            "spec": {"nodeName": "node-1", "containers": [{"name": "c", "image": "i"}]},
            "status": {"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}]},
        }
    )


def test_workload_endpoint_tables(cli: Cli) -> None:
    cli.fake_only("adds pods")
    _pod(cli, "web", "10.245.0.5")
    (wep,) = cli.client.list("WorkloadEndpoint", namespace="default")
    name, interface = wep.metadata.name, wep.spec.interface_name  # type: ignore[attr-defined]
    plain = table(("WORKLOAD", "NODE", "NETWORKS", "INTERFACE"), ("web", "node-1", "10.245.0.5/32", interface))
    assert tuple(cli("get", "weps")) == (plain, "", 0)
    wide = table(
        ("NAME", "WORKLOAD", "NODE", "NETWORKS", "INTERFACE", "PROFILES", "NATS"),
        (name, "web", "node-1", "10.245.0.5/32", interface, "kns.default", ""),
    )
    assert tuple(cli("get", "workloadendpoint", name, "-o", "wide")) == (wide, "", 0)


def test_workload_endpoints_across_namespaces(cli: Cli) -> None:
    cli.fake_only("adds pods")
    assert cli.server is not None
    cli.server.add({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "prod"}})
    _pod(cli, "db", "10.245.0.6", "prod")
    _pod(cli, "web", "10.245.0.5")
    weps = {w.metadata.namespace: w.spec.interface_name for w in cli.client.list("WorkloadEndpoint")}  # type: ignore[attr-defined]
    expected = table(
        ("NAMESPACE", "WORKLOAD", "NODE", "NETWORKS", "INTERFACE"),
        ("default", "web", "node-1", "10.245.0.5/32", weps["default"]),
        ("prod", "db", "node-1", "10.245.0.6/32", weps["prod"]),
    )
    assert tuple(cli("get", "wep", "-A")) == (expected, "", 0)
