"""``calicopy datastore migrate export|import|lock|unlock``: calicoctl v3.32.1's texts and exit codes
(``commands/datastore/migrate/{export,import,lock,unlock}.go``), and a whole migration run as a user
runs it: a real etcd -> ``lock`` -> ``export > file`` -> ``import -f file`` into the fake
Kubernetes API server -> ``unlock``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from calicopy import Client
from calicopy.calicoctl.migrate_kinds import ALL_V3_RESOURCES
from calicopy.manifests import loads
from calicopy.resources.registry import KINDS
from calicopy.testing.etcd import EtcdServer

from .conftest import Cli, pool

EXPORT_USAGE = "Usage:\n  calicopy datastore migrate export [--config=<CONFIG>] [--allow-version-mismatch]\n"
IMPORT_USAGE = (
    "Usage:\n  calicopy datastore migrate import --filename=<FILENAME> [--config=<CONFIG>] [--allow-version-mismatch]\n"
)
LOCK_USAGE = "Usage:\n  calicopy datastore migrate lock [--config=<CONFIG>] [--allow-version-mismatch]\n"
UNLOCK_USAGE = "Usage:\n  calicopy datastore migrate unlock [--config=<CONFIG>] [--allow-version-mismatch]\n"

LOCK_HELP = """\
Usage:
  calicopy datastore migrate lock [--config=<CONFIG>] [--allow-version-mismatch]

Options:
  -h --help                    Show this screen.
  -c --config=<CONFIG>         Path to the file containing connection
                               configuration in YAML or JSON format.
                               [default: /etc/calico/calicoctl.cfg]
     --allow-version-mismatch  Allow client and cluster versions mismatch.

Description:
  Lock the datastore to prepare it for migration. This prevents any new
  Calico resources from affecting the cluster but does not prevent updating
  or creating new Calico resources.
"""

EXPORT_HELP = """\
Usage:
  calicopy datastore migrate export [--config=<CONFIG>] [--allow-version-mismatch]

Options:
  -h --help                    Show this screen.
  -c --config=<CONFIG>         Path to the file containing connection
                               configuration in YAML or JSON format.
                               [default: /etc/calico/calicoctl.cfg]
     --allow-version-mismatch  Allow client and cluster versions mismatch.

Description:
  Export the contents of the etcdv3 datastore.  Resources will be exported
  in yaml and json format. Save the results of this command to a file for
  later use with the import command.

  The following resources are exported:

    - IPPools
    - BGPPeers
    - Tiers
    - GlobalNetworkPolicies
    - StagedGlobalNetworkPolicies
    - GlobalNetworkSets
    - HostEndpoints
    - KubeControllersConfigurations
    - NetworkPolicies
    - StagedNetworkPolicies
    - StagedKubernetesNetworkPolicyPolicies
    - NetworkSets
    - Nodes
    - BGPConfigurations
    - FelixConfigurations
    - IPReservations
    - BGPFilters


  The following resources are not exported:

    - WorkloadEndpoints
    - Profiles
"""

IMPORT_HELP = """\
Usage:
  calicopy datastore migrate import --filename=<FILENAME> [--config=<CONFIG>] [--allow-version-mismatch]

Options:
  -h --help                    Show this screen.
  -f --filename=<FILENAME>     Filename to use to import resources.  If set to
                               "-" loads from stdin.
  -c --config=<CONFIG>         Path to the file containing connection
                               configuration in YAML or JSON format.
                               [default: /etc/calico/calicoctl.cfg]
     --allow-version-mismatch  Allow client and cluster versions mismatch.

Description:
  Import the contents of the etcdv3 datastore from the file created by the
  export command.
"""

UNLOCK_DESCRIPTION = """\
Description:
  Unlock the datastore to complete migration. This once again allows
  Calico resources to take effect in the cluster.
"""

LOCKED = "Datastore locked.\n"
DONE = (
    "Datastore information successfully imported. Please refer to the datastore migration documentation for "
    "next steps.\n"
)
MISMATCH = (
    "version mismatch.\nClient Version:   v3.32.1\nCluster Version:  3.20.1\nUse --allow-version-mismatch to override\n"
)


# -- help and arguments -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("command", "text"), [("lock", LOCK_HELP), ("export", EXPORT_HELP), ("import", IMPORT_HELP)])
def test_help(offline: Cli, command: str, text: str) -> None:
    # The migrate subcommands have no DatastoreIntro, unlike the others.
    assert tuple(offline("datastore", "migrate", command, "--help", config=False)) == (text, "", 0)


def test_unlock_help(offline: Cli) -> None:
    stdout, stderr, code = offline("datastore", "migrate", "unlock", "-h", config=False)
    assert (stderr, code) == ("", 0)
    assert stdout.startswith(UNLOCK_USAGE + "\nOptions:\n") and stdout.endswith("\n\n" + UNLOCK_DESCRIPTION)


USAGE_ERRORS = [
    (["datastore", "migrate", "import"], IMPORT_USAGE),
    (["datastore", "migrate", "import", "-f"], "-f requires argument\n" + IMPORT_USAGE),
    (["datastore", "migrate", "import", "--filename"], "--filename requires argument\n" + IMPORT_USAGE),
    (["datastore", "migrate", "import", "-f", "x", "y"], IMPORT_USAGE),
    (["datastore", "migrate", "export", "extra"], EXPORT_USAGE),
    (["datastore", "migrate", "export", "-o", "yaml"], EXPORT_USAGE),
    (["datastore", "migrate", "lock", "--bogus"], LOCK_USAGE),
    (["datastore", "migrate", "lock", "-c"], "-c requires argument\n" + LOCK_USAGE),
    (["datastore", "migrate", "unlock", "now"], UNLOCK_USAGE),
    (
        ["datastore", "migrate", "unlock", "--allow-version-mismatch=1"],
        ("--allow-version-mismatch must not have an argument\n" + UNLOCK_USAGE),
    ),
]


@pytest.mark.parametrize(("args", "stderr"), USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS])
def test_usage_errors(offline: Cli, args: list[str], stderr: str) -> None:
    assert tuple(offline(*args, config=False)) == ("", stderr, 1)


# -- lock and unlock ------------------------------------------------------------------------------------


def _ready(client: Client) -> Any:
    return client.get("ClusterInformation", "default").spec.datastore_ready  # type: ignore[attr-defined]


def test_lock_and_unlock(cli: Cli) -> None:
    cli.fake_only("locks the datastore")
    # A datastore never written to: lock initialises ClusterInformation first (EnsureInitialized).
    assert tuple(cli("datastore", "migrate", "lock")) == (LOCKED, "", 0)
    assert _ready(cli.client) is False
    assert tuple(cli("datastore", "migrate", "lock")) == (LOCKED, "", 0)
    assert tuple(cli("datastore", "migrate", "unlock")) == ("Datastore unlocked.\n", "", 0)
    assert _ready(cli.client) is True


def test_unlock_needs_cluster_information(cli: Cli) -> None:
    cli.fake_only("needs an empty datastore")
    assert tuple(cli("datastore", "migrate", "unlock")) == (
        "",
        "error retrieving ClusterInformation for unlocking: resource does not exist: ClusterInformation(default) "
        'with error: clusterinformations.crd.projectcalico.org "default" not found\n',
        1,
    )


def test_lock_checks_the_version(cli: Cli) -> None:
    cli.fake_only("sets the cluster's Calico version")
    cli.client.ensure_initialized()
    info = cli.client.get("ClusterInformation", "default")
    info.spec.calico_version = "v3.20.1"  # type: ignore[attr-defined]
    cli.client.backend.update(info)
    assert tuple(cli("datastore", "migrate", "lock")) == ("", MISMATCH, 1)
    assert tuple(cli("datastore", "migrate", "unlock")) == ("", MISMATCH, 1)
    assert tuple(cli("datastore", "migrate", "lock", "--allow-version-mismatch")) == (LOCKED, "", 0)


def test_lock_with_a_config_file_that_does_not_exist(offline: Cli) -> None:
    assert tuple(offline("datastore", "migrate", "lock", "-c", "/nonexistent.cfg", config=False)) == (
        "Error reading config file: /nonexistent.cfg\n",
        "",
        1,
    )


# -- what export and import refuse ------------------------------------------------------------------------


def test_export_needs_a_locked_etcd_datastore(cli: Cli) -> None:
    cli.fake_only("locks the datastore")
    cli.client.ensure_initialized()
    assert tuple(cli("datastore", "migrate", "export")) == (
        "",
        "datastore is not locked. Run the `calicoctl datastore migrate lock` command in order to begin migration\n",
        1,
    )
    assert cli("datastore", "migrate", "lock").code == 0
    assert tuple(cli("datastore", "migrate", "export")) == (
        "",
        "invalid datastore type: kubernetes to export from for datastore migration. Datastore type must be etcdv3\n",
        1,
    )


def test_export_without_cluster_information(etcd_cli: Cli) -> None:
    assert tuple(etcd_cli("datastore", "migrate", "export")) == (
        "",
        "error while checking if datastore was locked: error retrieving ClusterInformation: resource does not "
        "exist: ClusterInformation(default) with error: <nil>\n",
        1,
    )


def test_import_needs_a_kubernetes_datastore(etcd_cli: Cli) -> None:
    path = etcd_cli.file("export.yaml", "---\n===\n{}\n===\n{}\n")
    assert tuple(etcd_cli("datastore", "migrate", "import", "-f", path)) == (
        "",
        "invalid datastore type: etcdv3 to import to for datastore migration. Datastore type must be kubernetes\n",
        1,
    )


def test_import_refuses_a_datastore_with_calico_resources(cli: Cli) -> None:
    cli.fake_only("needs a datastore it can fill")
    (resource,) = loads(pool("existing", "10.77.0.0/16"))
    cli.client.create(resource)
    path = cli.file("export.yaml", "---\n===\n{}\n===\n{}\n")
    assert tuple(cli("datastore", "migrate", "import", "-f", path)) == (
        "",
        "datastore already has Calico resources: found existing Calico IPPool resource. Clear out all Calico "
        "resources by deleting all Calico CRDs\n",
        1,
    )


def test_import_reads_its_file_after_locking(cli: Cli) -> None:
    # import.go checks and locks the target first, then reads the file.
    cli.fake_only("locks the datastore")
    missing = str(cli.workdir / "missing.yaml")
    assert tuple(cli("datastore", "migrate", "import", "-f", missing)) == (
        LOCKED,
        f"error while reading migration file: open {missing}: no such file or directory\n",
        1,
    )
    assert _ready(cli.client) is False


def test_import_of_a_file_that_is_not_an_export(cli: Cli) -> None:
    cli.fake_only("locks the datastore")
    path = cli.file("pools.yaml", pool("p", "10.1.0.0/16"))
    assert tuple(cli("datastore", "migrate", "import", "-f", path)) == (
        LOCKED,
        f"error while reading migration file: imported file: {path} is improperly formatted. "
        "Try recreating with 'calicoctl export'\n",
        1,
    )
    # A second try finds the ClusterInformation the first one made (calicoctl checks it too).
    assert tuple(cli("datastore", "migrate", "import", "-f", path)) == (
        "",
        "datastore already has Calico resources: found existing Calico ClusterInformation resource. Clear out all "
        "Calico resources by deleting all Calico CRDs\n",
        1,
    )


def test_import_names_stdin_as_calicoctl_does(cli: Cli) -> None:
    cli.fake_only("locks the datastore")
    assert tuple(cli("datastore", "migrate", "import", "-f", "-", input="nothing here\n")) == (
        LOCKED,
        "error while reading migration file: imported file: /dev/stdin is improperly formatted. "
        "Try recreating with 'calicoctl export'\n",
        1,
    )


def test_import_without_ipam_resources(cli: Cli) -> None:
    cli.fake_only("imports into the datastore")
    text = (
        "apiVersion: projectcalico.org/v3\nitems:\n- apiVersion: projectcalico.org/v3\n  kind: IPPool\n"
        "  metadata:\n    name: p\n  spec:\n    cidr: 10.1.0.0/16\nkind: IPPoolList\nmetadata:\n  resourceVersion: '1'\n"
        "---\n===\n"
        + json.dumps({"spec": {"clusterGUID": "abc", "calicoVersion": "v3.32.1"}})
        + "\n===\n"
        + json.dumps({"block_affinities": [], "blocks": [], "handles": [], "config": None})
        + "\n"
    )
    assert tuple(cli("datastore", "migrate", "import", "-f", "-", input=text)) == (
        LOCKED + "Successfully applied 1 'IPPool' resource(s)\nImporting IPAM resources\n",
        "no IPAM resources specified in file\n",
        1,
    )
    assert cli.client.get("ClusterInformation", "default").spec.cluster_guid == "abc"  # type: ignore[attr-defined]


# -- a whole migration ----------------------------------------------------------------------------------

POLICIES = """\
apiVersion: projectcalico.org/v3
kind: Tier
metadata:
  name: security
spec:
  order: 10
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: security.allow-dns
spec:
  tier: security
  selector: has(app)
  egress:
  - action: Allow
    protocol: UDP
    destination:
      ports: [53]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: db
  namespace: prod
spec:
  selector: role == 'db'
  ingress:
  - action: Allow
    source:
      selector: role == 'app'
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata:
  name: corp
spec:
  nets: [198.51.100.0/24]
---
apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: etcd-host-1
spec:
  orchRefs:
  - orchestrator: k8s
    nodeName: node-1
---
apiVersion: projectcalico.org/v3
kind: FelixConfiguration
metadata:
  name: node.etcd-host-1
spec:
  logSeverityScreen: Debug
"""


@pytest.fixture
def etcd_source(etcd: EtcdServer, etcd_cli: Cli) -> Iterator[Client]:
    """The etcd datastore to move: pools, a tier and its policy, a namespaced policy, a network
    set, a node (etcd's name, Kubernetes' in its orchRef) with its per-node Felix configuration,
    and IPAM state (blocks, affinities, handles) written by the library's IPAM."""
    path = etcd_cli.file("resources.yaml", pool("pool-a", "10.9.0.0/16") + "---\n" + POLICIES)
    assert etcd_cli("create", "-f", path).stderr == ""
    with Client(etcd.config()) as client:
        client.ipam.assign_ip("10.9.0.1", handle_id="k8s-pod-network.web", attrs={"node": "node-1"}, host="node-1")
        client.ipam.assign_ip("10.9.0.2", handle_id="k8s-pod-network.db", attrs={"node": "node-1"}, host="node-1")
        yield client


def _comparable(resource: Any) -> dict[str, Any]:
    data = resource.to_dict()
    for key in ("uid", "resourceVersion", "creationTimestamp", "annotations"):
        data["metadata"].pop(key, None)
    return data


def test_migration(etcd_cli: Cli, etcd_source: Client, cli: Cli) -> None:
    cli.fake_only("imports into the datastore")
    # calicopy's Kubernetes datastore cannot write Nodes yet (they are read-only there), so the
    # cluster has no node-1: the etcd node is skipped as calicoctl skips a non-Kubernetes node.
    assert cli.server is not None
    cli.server.seed(namespaces=["prod"])
    assert tuple(etcd_cli("datastore", "migrate", "export")) == (
        "",
        "datastore is not locked. Run the `calicoctl datastore migrate lock` command in order to begin migration\n",
        1,
    )
    assert tuple(etcd_cli("datastore", "migrate", "lock")) == (LOCKED, "", 0)
    exported, stderr, code = etcd_cli("datastore", "migrate", "export")
    assert (stderr, code) == ("", 0)
    resources, cluster_information, ipam = exported.split("===\n")
    assert resources.count("---\n") == len(ALL_V3_RESOURCES)
    assert "name: node-1\n" in resources and "name: node.node-1\n" in resources  # etcd's node names mapped
    assert json.loads(cluster_information)["spec"]["datastoreReady"] is False
    assert sorted(json.loads(ipam)) == ["block_affinities", "blocks", "config", "handles"]

    path = cli.file("export.yaml", exported)
    stdout, stderr, code = cli("datastore", "migrate", "import", "-f", path)
    assert (stderr, code) == ("", 0)
    # The etcd node's Kubernetes node (node-1) does not exist in this cluster: applyV3 warns and
    # skips it (without a newline, and without the "Successfully applied" line, as calicoctl).
    assert stdout == (
        LOCKED + "[WARNING] Attempted to import node Node(node-1) from etcd that references a nonexistent Kubernetes "
        "node. Skipping that node. Non-Kubernetes nodes are not supported in the Kubernetes datastore and will be "
        "skipped.Importing IPAM resources\nSuccessfully applied 5 IPAM resource(s)\n" + DONE
    )
    target = cli.client
    for plural in ALL_V3_RESOURCES:
        kind = next(i for i in KINDS.values() if i.plural == plural).kind
        if kind in ("Node", "FelixConfiguration"):
            continue  # renamed: checked below
        expected = sorted((_comparable(r) for r in etcd_source.list(kind)), key=str)
        got = sorted((_comparable(r) for r in target.list(kind)), key=str)
        assert [g["metadata"] for g in got] == [e["metadata"] for e in expected], kind
        for moved, item in zip(got, expected, strict=True):
            # Everything stored survives; the API server may add its schema defaults.
            assert {**moved.get("spec", {}), **item.get("spec", {})} == moved.get("spec", {}), kind
    assert target.list("Node") == []
    felix = target.get("FelixConfiguration", "node.node-1")
    assert felix.spec.log_severity_screen == "Debug"  # type: ignore[attr-defined]
    # One block, its affinity, two handles and the IPAM configuration: 5 IPAM resources.
    for kind in ("IPAMBlock", "BlockAffinity", "IPAMHandle", "IPAMConfiguration"):
        assert sorted(r.metadata.name for r in target.list(kind)) == sorted(
            r.metadata.name for r in etcd_source.list(kind)
        ), kind
    assert target.ipam.lookup("10.9.0.2") is not None
    source_info = etcd_source.get("ClusterInformation", "default").spec
    assert target.get("ClusterInformation", "default").spec.cluster_guid == source_info.cluster_guid  # type: ignore[attr-defined]
    assert _ready(target) is False  # still locked until the operator has checked
    assert tuple(cli("datastore", "migrate", "unlock")) == ("Datastore unlocked.\n", "", 0)
    # A second import finds the resources the first one wrote.
    stdout, stderr, code = cli("datastore", "migrate", "import", "-f", "-", input=exported)
    assert (stdout, code) == ("", 1)
    assert stderr.startswith("datastore already has Calico resources: found existing Calico IPPool resource.")


def test_export_refuses_a_node_without_a_kubernetes_name(etcd_cli: Cli, etcd: EtcdServer) -> None:
    path = etcd_cli.file("node.yaml", "apiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: bare\n")
    assert etcd_cli("create", "-f", path).stderr == ""
    assert etcd_cli("datastore", "migrate", "lock").code == 0
    assert tuple(etcd_cli("datastore", "migrate", "export")) == (
        "",
        "unable to process metadata for export for Node resource: node bare missing a 'k8s' orchestrator "
        "reference. Unable to export data unless every node has a 'k8s' orchestrator reference\n",
        1,
    )
