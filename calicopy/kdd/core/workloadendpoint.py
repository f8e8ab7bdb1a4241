"""WorkloadEndpoint <- Pod: libcalico-go v3.32.1's ``conversion/workload_endpoint_default.go``,
``conversion.go`` (``getPodIPs``, ``IsFinished``, ``IsValidCalicoWorkloadEndpoint``) and
``lib/names/workloadendpoint.go``.  Pure; see ``docs/kdd-mapping.md``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from ...errors import ConversionError
from ...resources.generated.workloadendpoint import WorkloadEndpoint
from ...resources.meta import Resource
from ...resources.validation.common import parse_cidr, parse_cidr_or_ip
from ..convert import _go_time
from .common import (
    LABEL_NAMESPACE,
    LABEL_ORCHESTRATOR,
    LABEL_SERVICE_ACCOUNT,
    ORCHESTRATOR_K8S,
    as_list,
    as_map,
    as_str,
    check_kind,
    load_json,
    make_resource,
    sort_map,
    string_map,
)
from .profile import NAMESPACE_PROFILE_PREFIX, service_account_profile_name
from .qos import qos_controls

__all__ = [
    "ANNOTATION_AWS_POD_IPS",
    "ANNOTATION_CONTAINER_ID",
    "ANNOTATION_FLOATING_IPS",
    "ANNOTATION_NETWORK_STATUS",
    "ANNOTATION_POD_IP",
    "ANNOTATION_POD_IPS",
    "ANNOTATION_SOURCE_PREFIXES",
    "is_finished",
    "is_ready_calico_pod",
    "is_valid_calico_workload_endpoint",
    "veth_name_for_workload",
    "workload_endpoint_from_pod",
    "workload_endpoint_name",
]

ANNOTATION_POD_IP = "cni.projectcalico.org/podIP"
ANNOTATION_POD_IPS = "cni.projectcalico.org/podIPs"
ANNOTATION_AWS_POD_IPS = "vpc.amazonaws.com/pod-ips"
ANNOTATION_CONTAINER_ID = "cni.projectcalico.org/containerID"
ANNOTATION_FLOATING_IPS = "cni.projectcalico.org/floatingIPs"
ANNOTATION_SOURCE_PREFIXES = "cni.projectcalico.org/allowedSourcePrefixes"
ANNOTATION_NETWORK_STATUS = "k8s.v1.cni.cncf.io/network-status"


def workload_endpoint_name(node: str, pod: str, endpoint: str = "eth0") -> str:
    """names.CalculateWorkloadEndpointName for k8s: ``<node>-k8s-<pod>-<endpoint>``, ``-`` doubled in each part."""
    parts = []
    for field, value in (("node", node), ("orchestrator", ORCHESTRATOR_K8S), ("pod", pod), ("endpoint", endpoint)):
        if not value:
            raise ConversionError(f"{field}: field should be assigned")
        if value.startswith("-"):
            raise ConversionError(f"{field}: field must not begin with a '-'")
        if value.endswith("-"):
            raise ConversionError(f"{field}: field must not end with a '-'")
        parts.append(value.replace("-", "--"))
    return "-".join(parts)


def veth_name_for_workload(namespace: str, pod: str, prefix: str | None = None) -> str:
    """The host-side interface name: prefix + first 11 hex digits of sha1("<ns>.<pod>").

    The prefix defaults to the first entry of ``$FELIX_INTERFACEPREFIX``, else ``cali``.
    """
    if prefix is None:
        env = os.environ.get("FELIX_INTERFACEPREFIX", "")
        prefix = env.split(",")[0] if env else "cali"
    return prefix + hashlib.sha1(f"{namespace}.{pod}".encode()).hexdigest()[:11]  # sha1: a name, not security


def is_valid_calico_workload_endpoint(pod: Mapping[str, Any]) -> bool:
    """IsValidCalicoWorkloadEndpoint: not host-networked and scheduled (``spec.nodeName`` set)."""
    spec = as_map(pod.get("spec"))
    return spec.get("hostNetwork") is not True and bool(as_str(spec.get("nodeName")))


def _has_ip_address(pod: Mapping[str, Any]) -> bool:
    annotations = string_map(as_map(pod.get("metadata")).get("annotations"))
    return bool(
        as_str(as_map(pod.get("status")).get("podIP"))
        or annotations.get(ANNOTATION_POD_IP)
        or annotations.get(ANNOTATION_AWS_POD_IPS)
    )


def is_ready_calico_pod(pod: Mapping[str, Any]) -> bool:
    """IsReadyCalicoPod: a valid workload endpoint that also has an IP (Felix's filter, not calicoctl's)."""
    return is_valid_calico_workload_endpoint(pod) and _has_ip_address(pod)


def is_finished(pod: Mapping[str, Any]) -> bool:
    """conversion.IsFinished: Failed/Succeeded/Completed, or deleting with the CNI IP annotation set to ""."""
    meta = as_map(pod.get("metadata"))
    annotations = string_map(meta.get("annotations"))
    if meta.get("deletionTimestamp") is not None and (
        annotations.get(ANNOTATION_POD_IP, None) == "" or annotations.get(ANNOTATION_AWS_POD_IPS, None) == ""
    ):
        return True
    return as_map(pod.get("status")).get("phase") in ("Failed", "Succeeded", "Completed")


def _pod_ips(pod: Mapping[str, Any]) -> list[Any]:
    status = as_map(pod.get("status"))
    annotations = string_map(as_map(pod.get("metadata")).get("annotations"))
    texts: list[str]
    pod_ips = as_list(status.get("podIPs"))
    if pod_ips:
        texts = [as_str(as_map(entry).get("ip")) for entry in pod_ips]
    elif as_str(status.get("podIP")):
        texts = [status["podIP"]]
    elif annotations.get(ANNOTATION_POD_IPS):
        texts = annotations[ANNOTATION_POD_IPS].split(",")
    elif annotations.get(ANNOTATION_POD_IP):
        texts = [annotations[ANNOTATION_POD_IP]]
    elif annotations.get(ANNOTATION_AWS_POD_IPS):
        texts = annotations[ANNOTATION_AWS_POD_IPS].split(",")
    else:
        return []
    nets = []
    for text in texts:
        parsed = parse_cidr_or_ip(text)
        if parsed is None:
            raise ConversionError(f"invalid CIDR address: {text}")
        nets.append(parsed)
    return nets


def _json_string_list(text: str) -> list[str]:
    try:
        decoded = load_json(text)
    except ValueError as exc:
        raise ConversionError(f"failed to parse '{text}' as JSON: {exc}") from None
    if decoded is None:
        return []
    if not isinstance(decoded, list) or not all(isinstance(v, str) for v in decoded):
        raise ConversionError(f"failed to parse '{text}' as JSON: not a list of strings")
    return decoded


def _floating_ips(annotations: Mapping[str, str], nets: list[Any]) -> list[dict[str, str]]:
    if ANNOTATION_FLOATING_IPS not in annotations or not nets:
        return []
    targets = _json_string_list(annotations[ANNOTATION_FLOATING_IPS])
    v4 = v6 = None
    for net in nets:
        full = 32 if net.version == 4 else 128
        if net.network.prefixlen != full:
            family = "IPv4" if net.version == 4 else "IPv6"
            raise ConversionError(
                f"PodIP {net.network} is not a valid {family}: Mask size is {net.network.prefixlen}, not {full}"
            )
        if net.version == 4:
            v4 = net
        else:
            v6 = net
    nats = []
    for external in targets:
        internal = v6 if ":" in external else v4
        if internal is not None:
            nats.append({"internalIP": str(internal.network.network_address), "externalIP": external})
    return nats


def _source_prefixes(annotations: Mapping[str, str]) -> list[str]:
    text = annotations.get(ANNOTATION_SOURCE_PREFIXES, "")
    if not text:
        return []
    prefixes = []
    for prefix in _json_string_list(text):
        parsed = parse_cidr(prefix)
        if parsed is None:
            raise ConversionError(f"failed to parse '{prefix}' as a CIDR: invalid CIDR address: {prefix}")
        prefixes.append(str(parsed.network))
    return prefixes


_POD_PROTOCOLS = MappingProxyType({"": "TCP", "TCP": "TCP", "UDP": "UDP", "SCTP": "SCTP"})


def _endpoint_ports(containers: Sequence[Any]) -> list[dict[str, Any]]:
    ports = []
    for container in containers:
        for port in as_list(as_map(container).get("ports")):
            port = as_map(port)
            number = port.get("containerPort") or 0
            host_port = port.get("hostPort") or 0
            name = as_str(port.get("name"))
            if not number or not (host_port or name):
                continue
            protocol = _POD_PROTOCOLS.get(as_str(port.get("protocol")))
            if protocol is None:
                continue  # unknown protocol: ignored
            ports.append(
                {
                    "name": name,
                    "protocol": protocol,
                    "port": int(number) & 0xFFFF,
                    "hostPort": int(host_port) & 0xFFFF,
                    "hostIP": as_str(port.get("hostIP")),
                }
            )
    return ports


def workload_endpoint_from_pod(obj: Mapping[str, Any]) -> Resource | None:
    check_kind(obj, "Pod")
    if not is_valid_calico_workload_endpoint(obj):
        return None  # host-networked or unscheduled: libcalico-go never shows these
    meta = as_map(obj.get("metadata"))
    spec_in = as_map(obj.get("spec"))
    name = as_str(meta.get("name"))
    namespace = as_str(meta.get("namespace"))
    node = as_str(spec_in.get("nodeName"))
    service_account = as_str(spec_in.get("serviceAccountName"))
    annotations = string_map(meta.get("annotations"))

    profiles = [NAMESPACE_PROFILE_PREFIX + namespace]
    if service_account:
        profiles.append(service_account_profile_name(service_account, namespace))
    wep_name = workload_endpoint_name(node, name)
    nets = _pod_ips(obj)
    if is_finished(obj):
        nets = []  # the IPs have gone back to the pool; the endpoint is still listed

    labels = string_map(meta.get("labels"))
    labels[LABEL_NAMESPACE] = namespace
    labels[LABEL_ORCHESTRATOR] = ORCHESTRATOR_K8S
    if service_account and len(service_account) < 63:
        labels[LABEL_SERVICE_ACCOUNT] = service_account

    spec: dict[str, Any] = {
        "orchestrator": ORCHESTRATOR_K8S,
        "node": node,
        "pod": name,
        "containerID": annotations.get(ANNOTATION_CONTAINER_ID, ""),
        "endpoint": "eth0",
        "interfaceName": veth_name_for_workload(namespace, name),
        "profiles": profiles,
        "ipNetworks": [str(net.network) for net in nets],
        "ports": _endpoint_ports(as_list(spec_in.get("containers")))
        + _endpoint_ports(as_list(spec_in.get("initContainers"))),
        "ipNATs": _floating_ips(annotations, nets),
        "serviceAccountName": service_account,
        "allowSpoofedSourcePrefixes": _source_prefixes(annotations),
        "qosControls": qos_controls(annotations),
    }
    metadata = {
        "name": wep_name,
        "namespace": namespace,
        "generateName": as_str(meta.get("generateName")),
        "creationTimestamp": _go_time(meta.get("creationTimestamp")),
        "uid": as_str(meta.get("uid")),  # the raw pod UID
        "resourceVersion": as_str(meta.get("resourceVersion")),
        "labels": sort_map(labels),
    }
    if ANNOTATION_NETWORK_STATUS in annotations:
        metadata["annotations"] = {ANNOTATION_NETWORK_STATUS: annotations[ANNOTATION_NETWORK_STATUS]}
    return make_resource(WorkloadEndpoint, metadata, {k: v for k, v in spec.items() if v not in ("", None, [])})
