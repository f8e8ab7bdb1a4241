"""Configuration kinds whose name must be ``default`` (``lib/clientv3/kubecontrollersconfig.go``,
``ipamconfig.go``, ``clusterinfo.go``, ``bgpconfig.go``), and calicoctl's read-only
ClusterInformation (``resourcemgr/clusterinfo.go``)."""

from __future__ import annotations

from ...errors import ErroredField, OperationNotSupported
from ...resources.generated.bgpconfig import BGPConfiguration
from ...resources.generated.kubecontrollersconfig import KubeControllersConfiguration
from ...resources.meta import Resource
from .base import KindHooks, Operation

__all__ = ["BGPConfigurationHooks", "ClusterInformationHooks", "IPAMConfigurationHooks", "KubeControllersHooks"]

DEFAULT_NAME = "default"


def _name_error(resource: Resource, what: str) -> list[ErroredField]:
    if resource.metadata.name == DEFAULT_NAME:
        return []
    reason = f'Cannot create {what} resource with a name other than "{DEFAULT_NAME}"'
    return [ErroredField("metadata.name", reason, resource.metadata.name)]


_TEMPLATES = "spec.controllers.node.hostEndpoint.templates"


class KubeControllersHooks(KindHooks):
    def write_errors(self, resource: Resource) -> list[ErroredField]:
        """``validateAndFillDefaults`` (host-endpoint templates), then the name."""
        assert isinstance(resource, KubeControllersConfiguration)
        node = resource.spec.controllers.node
        if node is not None and node.host_endpoint is not None:
            seen: set[str] = set()
            for i, template in enumerate(node.host_endpoint.templates):
                where = f"{_TEMPLATES}[{i}]"
                name = template.generate_name
                if not name:
                    return [ErroredField(_TEMPLATES, "Template name must be specified")]
                if len(name) > 253:
                    return [ErroredField(_TEMPLATES, "Template name must be shorter than 253 characters")]
                if name in seen:
                    return [ErroredField(where, "Template name must be unique", name)]
                seen.add(name)
                if not template.interface_cid_rs and not template.interface_pattern:
                    return [ErroredField(where, "InterfaceCIDRs or InterfacePattern must be specified", name)]
        return _name_error(resource, "a Kube Controllers Configuration")


class IPAMConfigurationHooks(KindHooks):
    def write_errors(self, resource: Resource) -> list[ErroredField]:
        return _name_error(resource, "an IPAMConfiguration")


# Fields only the ``default`` BGPConfiguration may set (``ValidateDefaultOnlyFields``): attribute, Go name.
_BGP_DEFAULT_ONLY = (
    ("node_to_node_mesh_enabled", "nodeToNodeMeshEnabled"),
    ("as_number", "ASNumber"),
    ("service_load_balancer_i_ps", "ServiceLoadBalancerIPs"),
    ("service_external_i_ps", "ServiceExternalIPs"),
    ("service_cluster_i_ps", "ServiceClusterIPs"),
    ("node_mesh_password", "nodeMeshPassword"),
    ("node_mesh_max_restart_time", "nodeMeshMaxRestartTime"),
)


class BGPConfigurationHooks(KindHooks):
    def write_errors(self, resource: Resource) -> list[ErroredField]:
        assert isinstance(resource, BGPConfiguration)
        if resource.metadata.name == DEFAULT_NAME:
            return []
        spec = resource.spec
        return [
            ErroredField(
                f"spec.{spec.__calico_plan__.by_name[attr].alias}",
                f"Cannot set {word} on a non default BGP Configuration.",
            )
            for attr, word in _BGP_DEFAULT_ONLY
            if getattr(spec, attr) is not None and getattr(spec, attr) != []
        ]


# calicoctl's resource manager words the refused verb as the command pair that reaches it.
_READONLY_VERBS = {"create": "create or apply", "replace": "apply or replace"}


class ClusterInformationHooks(KindHooks):
    def refuse(self, operation: Operation, kind: str, name: str, identifier: str) -> None:
        raise OperationNotSupported(
            operation=_READONLY_VERBS.get(operation, operation),
            identifier=kind,
            detail="resource is readonly" if operation == "apply" else "",
            kind=kind,
            name=name,
        )

    def write_errors(self, resource: Resource) -> list[ErroredField]:
        return _name_error(resource, "a Cluster Information")
