"""calicoctl's ``datastore migrate`` facts and texts, as pure functions (``commands/datastore/migrate/``, v3.32.1).

What gets exported and in which order, and the display names of its help and errors
(:mod:`.migrate_kinds`, re-exported here), and every line the commands print.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import ResourceNotFound
from .actions import CommandResults
from .messages import error_list
from .migrate_kinds import ALL_V3_RESOURCES, RESOURCE_DISPLAY, export_help_resources

__all__ = [
    "ALL_V3_RESOURCES",
    "KUBERNETES_NETWORK_POLICY_PREFIX",
    "PROTECTED_TIERS",
    "RESOURCE_DISPLAY",
    "apply_report",
    "convert_iptables_fields",
    "export_help_resources",
    "import_done",
    "ipam_import_report",
]

#: ``converter.KubernetesNetworkPolicyEtcdPrefix``: Calico's copies of Kubernetes network policies.
KUBERNETES_NETWORK_POLICY_PREFIX = "knp.default."
#: ``names.ProtectedTierNames``: present in every Kubernetes datastore, so they do not block an import.
PROTECTED_TIERS = frozenset({"default", "kube-admin", "kube-baseline"})

_IPTABLES_FIELDS = (
    "defaultEndpointToHostAction",
    "iptablesFilterAllowAction",
    "iptablesMangleAllowAction",
    "iptablesFilterDenyAction",
)


def convert_iptables_fields(spec: dict[str, Any]) -> None:
    """``ConvertIptablesFields``: v1-style ``DROP``/``ACCEPT``/``RETURN`` become ``Drop``/``Accept``/``Return``."""
    for key in _IPTABLES_FIELDS:
        value = spec.get(key)
        if isinstance(value, str) and value:
            spec[key] = value.lower().title()


def apply_report(results: CommandResults) -> tuple[str, str | None]:
    """``applyV3``: what it prints and its error (None on success).

    A failed Node (no Kubernetes node of that name) is a warning, not an error.
    """
    if results.num_handled == 0:
        return "", f"failed to apply any resources: {error_list(results.errors)}"
    if not results.errors:
        if results.single_kind:
            return f"Successfully applied {results.num_handled} '{results.single_kind}' resource(s)\n", None
        return f"Successfully applied {results.num_handled} resource(s)\n", None
    printed: list[str] = []
    errors: list[BaseException] = []
    for error in results.errors:
        if isinstance(error, ResourceNotFound) and error.kind == "Node":
            identifier = error.identifier
            printed.append(
                f"[WARNING] Attempted to import node {identifier} from etcd that references a nonexistent "
                "Kubernetes node. Skipping that node. Non-Kubernetes nodes are not supported in the Kubernetes "
                "datastore and will be skipped."
            )
            continue
        errors.append(error)
    if errors:
        return "".join(printed), f"hit error(s): {error_list(errors)}"
    return "".join(printed), None


def ipam_import_report(num_resources: int, num_handled: int, errors: Sequence[str]) -> tuple[str, str | None]:
    """The IPAM part of ``Import``: what it prints and its error (None on success).

    calicoctl counts a resource as handled even when its create failed, so a partial failure
    reports every resource as applied; the texts keep that.
    """
    if num_handled == 0:
        if num_resources == 0:
            return "", "no IPAM resources specified in file"
        return "", f"failed to import any IPAM resources: [{' '.join(errors)}]"
    if not errors:
        return f"Successfully applied {num_handled} IPAM resource(s)\n", None
    return (
        f"Partial success: applied the first {num_handled} out of {num_resources} resources:\n",
        f"hit error(s): [{' '.join(errors)}]",
    )


def import_done() -> str:
    return (
        "Datastore information successfully imported. Please refer to the datastore migration documentation for "
        "next steps.\n"
    )
