"""``calicoctl datastore migrate export | import | lock | unlock``: moving an etcd datastore to Kubernetes.

calicoctl v3.32.1's ``calicoctl/calicoctl/commands/datastore/migrate/`` (``export.go``,
``import.go``, ``lock.go``, ``unlock.go``, ``migrateipam.go``) and ``commands/common/resources.go``
(``CheckLocked``), as a Python API: each operation takes the :class:`~calicopy.Client` of one
datastore, returns what calicoctl prints on stdout, and raises :class:`MigrationError` with
calicoctl's text (its ``output`` holds what was printed before the failure).  The texts and the
file format are pure functions here, so the ``calicopy datastore migrate`` command only wires
them to files and exit codes.

The export file is three sections separated by ``===\\n``: the v3 resources as YAML lists (one per
kind, each followed by ``---\\n``), ClusterInformation ``default`` as indented JSON, and the IPAM
objects as indented JSON in libcalico-go's model form (``{"block_affinities": [{"Key", "Value",
"TTL"}], "blocks": ..., "handles": ..., "config": ...}``).  Differences from calicoctl: the import
does not install Calico's CRDs (install them first), and virtual block affinities (KubeVirt) are
exported with the host ones (calicoctl lists only ``host`` affinities and would drop them).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._go.json import marshal_indent
from .._go.yaml_print import marshal as yaml_marshal
from ..errors import CalicoError
from ..etcd.backend import EtcdBackend
from ..manifests import loads
from ..resources.generated.clusterinfo import ClusterInformation
from ..resources.meta import Resource
from ..resources.registry import KINDS
from .actions import CommandResults, execute
from .migrate_ipam import IPAMExport, export_ipam, import_ipam, ipam_is_empty
from .migrate_texts import (
    ALL_V3_RESOURCES,
    KUBERNETES_NETWORK_POLICY_PREFIX,
    PROTECTED_TIERS,
    RESOURCE_DISPLAY,
    apply_report,
    convert_iptables_fields,
    import_done,
)

if TYPE_CHECKING:
    from ..client import Client

__all__ = [
    "SECTION_SEPARATOR",
    "MigrationError",
    "MigrationExport",
    "check_locked",
    "export_datastore",
    "export_resources",
    "import_datastore",
    "lock_datastore",
    "split_import_file",
    "unlock_datastore",
]

SECTION_SEPARATOR = "===\n"
_ETCD, _KUBERNETES = "etcdv3", "kubernetes"


class MigrationError(CalicoError):
    """A migration step failed; ``str()`` is calicoctl's text, ``output`` what was printed before."""

    def __init__(self, message: str, *, output: str = "", cause: object = None) -> None:
        super().__init__(message, operation="datastore migrate", cause=cause)
        self.output = output


def _datastore_type(client: Client) -> str:
    """The configured datastore type; a Client built on a ready backend is named by its class."""
    if client.config is not None:
        return client.config.spec.datastore_type or _ETCD
    return _ETCD if isinstance(client.backend, EtcdBackend) else type(client.backend).__name__


def check_locked(client: Client) -> bool:
    """``common.CheckLocked``: ClusterInformation ``default`` says the datastore is not ready."""
    try:
        info = client.get(ClusterInformation, "default")
    except CalicoError as exc:
        raise MigrationError(f"error retrieving ClusterInformation: {exc}", cause=exc) from exc
    return info.spec.datastore_ready is False


def _set_ready(client: Client, ready: bool, verb: str) -> None:
    try:
        stored = client.get("ClusterInformation", "default")
    except CalicoError as exc:
        raise MigrationError(f"error retrieving ClusterInformation for {verb}: {exc}", cause=exc) from exc
    changed = stored.model_copy(deep=True)
    changed.spec.datastore_ready = ready  # type: ignore[attr-defined]
    try:
        client.v3.update(changed, stored)
    except CalicoError as exc:
        raise MigrationError(f"error updating ClusterInformation for {verb}: {exc}", cause=exc) from exc


def lock_datastore(client: Client, *, allow_version_mismatch: bool = False) -> str:
    """``calicoctl datastore migrate lock``: ClusterInformation ``datastoreReady: false``."""
    client.check_version(allow_version_mismatch)
    try:
        client.ensure_initialized()
    except CalicoError as exc:
        raise MigrationError(
            f"unable to initialize cluster information for the datastore migration: {exc}", cause=exc
        ) from exc
    _set_ready(client, False, "locking")
    return "Datastore locked.\n"


def unlock_datastore(client: Client, *, allow_version_mismatch: bool = False) -> str:
    """``calicoctl datastore migrate unlock``: ClusterInformation ``datastoreReady: true``."""
    client.check_version(allow_version_mismatch)
    _set_ready(client, True, "unlocking")
    return "Datastore unlocked.\n"


# -- export ------------------------------------------------------------------------------------------


@dataclass
class MigrationExport:
    """The three sections of an export file and the etcd -> Kubernetes node names used."""

    resources: str
    cluster_information: str
    ipam: str
    node_map: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        """The file as ``calicoctl datastore migrate export`` prints it."""
        return (
            self.resources + SECTION_SEPARATOR + self.cluster_information + "\n" + SECTION_SEPARATOR + self.ipam + "\n"
        )


_EXPORT_CLEARED = ("uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds")


def _export_item(data: dict[str, Any]) -> dict[str, Any]:
    meta = dict(data.get("metadata") or {})
    for key in _EXPORT_CLEARED:
        meta.pop(key, None)
    data["metadata"] = meta
    return data


def _k8s_node_name(node: Resource) -> str:
    typed: Any = node
    names: list[str] = [ref.node_name for ref in typed.spec.orch_refs if ref.orchestrator == "k8s"]
    if not names or not names[-1]:
        raise MigrationError(
            "unable to process metadata for export for Node resource: "
            f"node {node.metadata.name} missing a 'k8s' orchestrator reference. "
            "Unable to export data unless every node has a 'k8s' orchestrator reference"
        )
    return names[-1]


def _renamed_per_node(data: dict[str, Any], node_map: Mapping[str, str]) -> None:
    """Felix and BGP configurations named ``node.<etcd node>`` follow the node to its Kubernetes name."""
    name = str(data["metadata"].get("name", ""))
    if name.startswith("node.") and name[5:] in node_map:
        data["metadata"]["name"] = "node." + node_map[name[5:]]


def _list_section(plural: str, items: list[dict[str, Any]], revision: str) -> str:
    info = next(i for i in KINDS.values() if i.plural == plural)
    document = {
        "apiVersion": "projectcalico.org/v3",
        "items": items,
        "kind": info.list_kind,
        "metadata": {"resourceVersion": revision},
    }
    return yaml_marshal(document) + "---\n"


def export_resources(client: Client) -> tuple[str, dict[str, str]]:
    """The first section of the export file, and the etcd -> Kubernetes node names."""
    out: list[str] = []
    node_map: dict[str, str] = {}
    for plural in ALL_V3_RESOURCES:
        info = next(i for i in KINDS.values() if i.plural == plural)
        try:
            listed = client.list_result(info.kind)
        except CalicoError as exc:
            raise MigrationError(str(exc), cause=exc) from exc
        items: list[dict[str, Any]] = []
        for resource in listed.items:
            if plural == "networkpolicies" and resource.metadata.name.startswith(KUBERNETES_NETWORK_POLICY_PREFIX):
                continue  # Kubernetes network policies come back from Kubernetes itself
            data = _export_item(resource.to_dict())
            if plural == "nodes":
                k8s_name = _k8s_node_name(resource)
                node_map[resource.metadata.name] = k8s_name
                data["metadata"]["name"] = k8s_name
            elif plural in ("felixconfigurations", "bgpconfigurations"):
                _renamed_per_node(data, node_map)
                if plural == "felixconfigurations":
                    convert_iptables_fields(data.setdefault("spec", {}))
            items.append(data)
        out.append(_list_section(plural, items, listed.resource_version))
    return "".join(out), node_map


def export_datastore(client: Client, *, allow_version_mismatch: bool = False) -> MigrationExport:
    """``calicoctl datastore migrate export`` of the etcd datastore ``client`` reads.

    The datastore must be locked (:func:`lock_datastore`) and of type etcdv3.
    """
    client.check_version(allow_version_mismatch)
    try:
        locked = check_locked(client)
    except MigrationError as exc:
        raise MigrationError(f"error while checking if datastore was locked: {exc}", cause=exc) from exc
    if not locked:
        raise MigrationError(
            "datastore is not locked. Run the `calicoctl datastore migrate lock` command in order to begin migration"
        )
    datastore = _datastore_type(client)
    if datastore != _ETCD:
        raise MigrationError(
            f"invalid datastore type: {datastore} to export from for datastore migration. Datastore type must be etcdv3"
        )
    resources, node_map = export_resources(client)
    try:
        info = client.get("ClusterInformation", "default")
    except CalicoError as exc:
        raise MigrationError(str(exc), cause=exc) from exc
    cluster_information = marshal_indent(info.to_dict(), "", "  ")
    ipam = export_ipam(client.backend, node_map)
    return MigrationExport(resources, cluster_information, ipam.text(), node_map)


# -- import ------------------------------------------------------------------------------------------


def split_import_file(data: str, filename: str = "-") -> tuple[str, str, str]:
    """``splitImportFile``: the v3 YAML, the ClusterInformation JSON and the IPAM JSON."""
    parts = data.split(SECTION_SEPARATOR)
    if len(parts) != 3:
        raise MigrationError(
            f"imported file: {filename} is improperly formatted. Try recreating with 'calicoctl export'"
        )
    return parts[0], parts[1], parts[2]


def _existing_resource(client: Client) -> str | None:
    """``checkCalicoResourcesNotExist``: the first kind the target already holds, else None."""
    for plural in (*ALL_V3_RESOURCES, "clusterinformations"):
        if plural == "nodes":
            continue  # backed by the Kubernetes nodes
        info = next(i for i in KINDS.values() if i.plural == plural)
        try:
            items = client.list(info.kind)
        except CalicoError as exc:
            raise MigrationError(
                f"failed to retrieve {RESOURCE_DISPLAY.get(plural, '')} resources during datastore check: {exc}",
                cause=exc,
            ) from exc
        if plural == "networkpolicies":
            items = [r for r in items if not r.metadata.name.startswith(KUBERNETES_NETWORK_POLICY_PREFIX)]
        elif plural == "tiers":
            items = [r for r in items if r.metadata.name not in PROTECTED_TIERS]
        if items:
            return f"found existing Calico {info.kind} resource"
    try:
        empty = ipam_is_empty(client.backend)
    except CalicoError as exc:
        raise MigrationError(f"failed to retrieve IPAM resources during datastore check: {exc}", cause=exc) from exc
    return None if empty else "found existing IPAM resources"


def _apply_resources(client: Client, text: str) -> CommandResults:
    return execute(client, loads(text), "apply")


def _update_cluster_information(client: Client, text: str) -> None:
    try:
        migrated = json.loads(text)
        spec = migrated.get("spec") or {}
    except (ValueError, AttributeError) as exc:
        raise MigrationError(f"error reading exported cluster info for migration: {exc}") from None
    try:
        stored = client.get("ClusterInformation", "default")
    except CalicoError as exc:
        raise MigrationError(f"error retrieving current cluster info for migration: {exc}", cause=exc) from exc
    changed = stored.model_copy(deep=True)
    changed.spec.cluster_guid = spec.get("clusterGUID", "")  # type: ignore[attr-defined]
    changed.spec.calico_version = spec.get("calicoVersion", "")  # type: ignore[attr-defined]
    try:
        client.v3.update(changed, stored)
    except CalicoError as exc:
        raise MigrationError(f"error updating current cluster info for migration: {exc}", cause=exc) from exc


def import_datastore(
    client: Client,
    data: str | Callable[[], str],
    *,
    filename: str = "-",
    install_crds: Callable[[], None] | None = None,
) -> str:
    """``calicoctl datastore migrate import`` of an export file into the Kubernetes datastore ``client``.

    ``data`` is the file's text, or what reads it: calicoctl reads the file only after checking
    and locking the target, so a reader's failure (a :class:`~calicopy.errors.CalicoError`
    with Go's text) is reported at that point, after ``Datastore locked.``.
    ``install_crds`` stands for calicoctl's CRD installation (calicopy does not ship the CRDs);
    by default the CRDs must already be installed.  Returns what calicoctl prints.
    """
    output: list[str] = []

    def fail(message: str, cause: object = None) -> MigrationError:
        return MigrationError(message, output="".join(output), cause=cause)

    datastore = _datastore_type(client)
    if datastore != _KUBERNETES:
        raise fail(
            f"invalid datastore type: {datastore} to import to for datastore migration. Datastore type must be kubernetes"
        )
    if install_crds is not None:
        try:
            install_crds()
        except Exception as exc:
            raise fail(f"error applying the CRDs necessary to begin datastore import: {exc}", exc) from exc
    try:
        existing = _existing_resource(client)
    except MigrationError as exc:
        raise fail(
            f"datastore already has Calico resources: {exc}. Clear out all Calico resources by deleting all Calico CRDs",
            exc,
        ) from exc
    if existing is not None:
        raise fail(
            f"datastore already has Calico resources: {existing}. Clear out all Calico resources by deleting all Calico CRDs"
        )
    try:
        client.ensure_initialized()
    except CalicoError as exc:
        raise fail(f"unable to initialize cluster information for the datastore migration: {exc}", exc) from exc
    try:
        locked = check_locked(client)
    except MigrationError as exc:
        raise fail(f"error while checking if datastore was locked: {exc}", exc) from exc
    if not locked:
        try:
            output.append(lock_datastore(client))
        except CalicoError as exc:
            raise fail(f"error while attempting to lock the datastore for import: {exc}", exc) from exc
    try:
        text = data() if callable(data) else data
        v3_yaml, cluster_json, ipam_json = split_import_file(text, filename)
    except CalicoError as exc:
        raise fail(f"error while reading migration file: {exc}", exc) from exc
    try:
        results = _apply_resources(client, v3_yaml)
        printed, error = apply_report(results)
    except CalicoError as exc:  # the file itself cannot be read
        printed, error = "", f"failed to execute command: {exc}"
    output.append(printed)
    if error is not None:
        raise fail(f"failed to import v3 resources: failed to import v3 resources: {error}")
    try:
        _update_cluster_information(client, cluster_json)
    except MigrationError as exc:
        raise fail(f"failed to update cluster information: {exc}", exc) from exc
    output.append("Importing IPAM resources\n")
    try:
        ipam = IPAMExport.parse(ipam_json)
    except ValueError as exc:
        raise fail(f"failed to read IPAM resources: {exc}", exc) from exc
    printed, error = import_ipam(client.backend, ipam)
    output.append(printed)
    if error is not None:
        raise fail(error)
    output.append(import_done())
    return "".join(output)
