"""The read-only kinds libcalico-go v3.32.1's Kubernetes backend derives from core Kubernetes objects.

Pure functions, no I/O; inputs are plain dicts in the Kubernetes JSON shape (what the API server
returns), never ``kubernetes`` client objects.  Sources (Calico v3.32.1):

* Node <- core/v1 Node: ``libcalico-go/lib/backend/k8s/resources/node.go`` (``K8sNodeToCalico``),
  ``resources.go`` (``SetCalicoMetadataFromK8sAnnotations``).
* Profile <- Namespace / ServiceAccount: ``k8s/conversion/conversion.go`` (``NamespaceToProfile``,
  ``ServiceAccountToProfile``, ``JoinProfileRevisions``), ``conversion/constants.go``; the static
  ``projectcalico-default-allow`` profile: ``libcalico-go/lib/resources/static.go``.
* WorkloadEndpoint <- Pod: ``conversion/workload_endpoint_default.go``, ``conversion.go``
  (``getPodIPs``, ``IsFinished``, ``IsValidCalicoWorkloadEndpoint``), ``lib/names/workloadendpoint.go``.
* KubernetesNetworkPolicy <- networking.k8s.io/v1 NetworkPolicy: ``conversion.go``
  (``K8sNetworkPolicyToCalico``, ``k8sSelectorToCalico``, ``k8sRuleToCalico``, ``SimplifyPorts``).

``docs/kdd-mapping.md`` ("Core-derived kinds (read-only)") explains each rule with an example.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from .._go.json import jsoniter_marshal as go_marshal
from .._go.json import sort_map
from ..resources.meta import Resource
from ..resources.networkpolicy import NetworkPolicy
from ..resources.node import Node
from ..resources.profile import Profile
from ..resources.types import Port
from ..resources.validation.common import parse_cidr, parse_cidr_or_ip, parse_ip
from ..resources.workloadendpoint import WorkloadEndpoint
from .convert import GROUP_V3, ConversionError, _go_time
from .uid import UIDError, convert_uid

__all__ = [
    "DEFAULT_ALLOW_PROFILE",
    "NAMESPACE_LABEL_PREFIX",
    "NAMESPACE_PROFILE_PREFIX",
    "SERVICE_ACCOUNT_LABEL_PREFIX",
    "SERVICE_ACCOUNT_PROFILE_PREFIX",
    "default_allow_profile",
    "from_core",
    "is_finished",
    "is_ready_calico_pod",
    "is_valid_calico_workload_endpoint",
    "join_profile_revisions",
    "parse_quantity",
    "simplify_ports",
    "split_profile_revision",
    "veth_name_for_workload",
    "workload_endpoint_name",
]

_log = logging.getLogger(__name__)

NAMESPACE_LABEL_PREFIX = "pcns."
NAMESPACE_PROFILE_PREFIX = "kns."
SERVICE_ACCOUNT_LABEL_PREFIX = "pcsa."
SERVICE_ACCOUNT_PROFILE_PREFIX = "ksa."
NAME_LABEL = "projectcalico.org/name"
DEFAULT_ALLOW_PROFILE = "projectcalico-default-allow"

LABEL_NAMESPACE = "projectcalico.org/namespace"
LABEL_ORCHESTRATOR = "projectcalico.org/orchestrator"
LABEL_SERVICE_ACCOUNT = "projectcalico.org/serviceaccount"
ORCHESTRATOR_K8S = "k8s"

ANNOTATION_POD_IP = "cni.projectcalico.org/podIP"
ANNOTATION_POD_IPS = "cni.projectcalico.org/podIPs"
ANNOTATION_AWS_POD_IPS = "vpc.amazonaws.com/pod-ips"
ANNOTATION_CONTAINER_ID = "cni.projectcalico.org/containerID"
ANNOTATION_FLOATING_IPS = "cni.projectcalico.org/floatingIPs"
ANNOTATION_SOURCE_PREFIXES = "cni.projectcalico.org/allowedSourcePrefixes"
ANNOTATION_NETWORK_STATUS = "k8s.v1.cni.cncf.io/network-status"

# k8s/resources/node.go and resources.go annotation keys.
_NODE_LABELS = "projectcalico.org/labels"
_NODE_ANNOTATIONS = "projectcalico.org/annotations"
_NODE_KUBE_LABELS = "projectcalico.org/kube-labels"
_NODE_IPV4 = "projectcalico.org/IPv4Address"
_NODE_IPV6 = "projectcalico.org/IPv6Address"
_NODE_ASN = "projectcalico.org/ASNumber"
_NODE_RR_CLUSTER_ID = "projectcalico.org/RouteReflectorClusterID"
_NODE_IPIP = "projectcalico.org/IPv4IPIPTunnelAddr"
_NODE_VXLAN_V4 = "projectcalico.org/IPv4VXLANTunnelAddr"
_NODE_VXLAN_MAC = "projectcalico.org/VXLANTunnelMACAddr"
_NODE_VXLAN_V6 = "projectcalico.org/IPv6VXLANTunnelAddr"
_NODE_VXLAN_MAC_V6 = "projectcalico.org/VXLANTunnelMACAddrV6"
_NODE_WG_V4 = "projectcalico.org/IPv4WireguardInterfaceAddr"
_NODE_WG_V6 = "projectcalico.org/IPv6WireguardInterfaceAddr"
_NODE_WG_KEY = "projectcalico.org/WireguardPublicKey"
_NODE_WG_KEY_V6 = "projectcalico.org/WireguardPublicKeyV6"
_NODE_INTERFACES = "projectcalico.org/Interfaces"


# -- small helpers ------------------------------------------------------------------------------


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> Sequence[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _string_map(value: Any) -> dict[str, str]:
    return {str(k): v for k, v in _map(value).items() if isinstance(v, str)}


def _check_kind(obj: Mapping[str, Any], *expected: str) -> None:
    kind = obj.get("kind")
    if kind and kind not in expected:
        raise ConversionError(f"expected a Kubernetes {' or '.join(expected)}, got kind {kind!r}")


def _resource(model: type[Resource], metadata: dict[str, Any], spec: dict[str, Any], **extra: Any) -> Resource:
    meta = {k: v for k, v in metadata.items() if v not in (None, "", {}, [])}
    data = {"apiVersion": GROUP_V3, "kind": model.KIND, "metadata": meta, "spec": spec, **extra}
    return model.from_storage(data)


def _convert_uid(uid: str) -> str:
    try:
        return convert_uid(uid)
    except UIDError as exc:
        raise ConversionError(str(exc)) from None


def _load_json(text: str) -> Any:
    """Go's json.Unmarshal input check; ValueError for invalid JSON."""
    return json.loads(text)


def _valid_mac(text: str) -> bool:
    """Go's ``net.ParseMAC``: 6, 8 or 20 octets as ``xx:xx``, ``xx-xx`` or ``xxxx.xxxx`` groups."""
    hexdigits = "0123456789abcdefABCDEF"
    if len(text) < 14:
        return False
    if text[2] in ":-":
        if (len(text) + 1) % 3:
            return False
        count = (len(text) + 1) // 3
        sep = text[2]
        groups = [text[i * 3 : i * 3 + 2] for i in range(count)]
        seps = [text[i * 3 + 2] for i in range(count - 1)]
        width = 2
    elif text[4] == ".":
        if (len(text) + 1) % 5:
            return False
        count = 2 * (len(text) + 1) // 5
        sep = "."
        groups = [text[i * 5 : i * 5 + 4] for i in range((len(text) + 1) // 5)]
        seps = [text[i * 5 + 4] for i in range((len(text) + 1) // 5 - 1)]
        width = 4
    else:
        return False
    if count not in (6, 8, 20):
        return False
    return all(s == sep for s in seps) and all(len(g) == width and all(c in hexdigits for c in g) for g in groups)


# -- Node ---------------------------------------------------------------------------------------


def _validate_cidr_v4(value: str) -> bool:  # validator ValidateCIDRv4 (not strictly masked)
    parsed = parse_cidr_or_ip(value)
    return parsed is not None and parsed.ip.version == 4


def _validate_cidr_v6(value: str) -> bool:
    parsed = parse_cidr_or_ip(value)
    return parsed is not None and parsed.ip.version == 6


def _validate_net_v4(value: str) -> bool:  # ValidateIPv4Network (strictly masked)
    parsed = parse_cidr_or_ip(value)
    return parsed is not None and parsed.ip.version == 4 and parsed.strictly_masked


def _validate_net_v6(value: str) -> bool:
    parsed = parse_cidr_or_ip(value)
    return parsed is not None and parsed.ip.version == 6 and parsed.strictly_masked


def _node_annotation(annotations: Mapping[str, str], key: str, valid: Callable[[str], bool]) -> str:
    # node.go getAnnotation: an invalid value is logged and ignored.
    value = annotations.get(key, "")
    if not value:
        return ""
    if not valid(value):
        _log.info("Annotation %s=%s is invalid, ignoring it.", key, value)
        return ""
    return value


def _as_number(text: str) -> int | None:
    """numorstring.ASNumberFromString: a uint32, or the dotted ``a.b`` form (two uint16)."""
    if re.fullmatch(r"[0-9]+", text) and int(text) <= 0xFFFFFFFF:
        return int(text)
    parts = text.split(".")
    if len(parts) != 2 or not all(re.fullmatch(r"[0-9]+", p) and int(p) <= 0xFFFF for p in parts):
        return None
    return (int(parts[0]) << 16) + int(parts[1])


def _static_tunnel_address(pod_cidr: str) -> str:
    # node.go getStaticTunnelAddress: the CIDR's *address as written* with the last byte + 1
    # (wrapping, no carry); "" for IPv6; an unparsable podCIDR fails the conversion.
    parsed = parse_cidr(pod_cidr)
    if parsed is None:
        raise ConversionError(f"invalid CIDR address: {pod_cidr}")
    if parsed.ip.version != 4:
        return ""
    octets = bytearray(parsed.ip.packed)
    octets[3] = (octets[3] + 1) % 256
    return ".".join(str(b) for b in octets)


def _node_interfaces(raw: str) -> list[dict[str, Any]] | None:
    """The ``projectcalico.org/Interfaces`` annotation (node.go ``fillAllInterfaces``); None when unusable."""
    try:
        decoded = _load_json(raw)
    except ValueError:
        _log.error("Failed to unmarshal node interface annotation")
        return None
    if decoded is None:
        return []
    if not isinstance(decoded, list):
        return None
    interfaces: list[dict[str, Any]] = []
    for item in decoded:
        if item is None:
            interfaces.append({"name": "", "addresses": []})
            continue
        if not isinstance(item, dict):
            return None
        name: Any = ""
        addresses: Any = []
        for key, value in item.items():  # encoding/json matches field names case-insensitively
            if key.lower() == "name":
                name = value
            elif key.lower() == "addresses":
                addresses = value
        if name is None:
            name = ""
        if addresses is None:
            addresses = []
        if (
            not isinstance(name, str)
            or not isinstance(addresses, list)
            or not all(isinstance(a, str) for a in addresses)
        ):
            return None
        interfaces.append({"name": name, "addresses": _drop_invalid_addresses(addresses)})
    return interfaces


def _drop_invalid_addresses(addresses: list[str]) -> list[str]:
    # fillAllInterfaces removes invalid addresses with append(s[:j], s[j+1:]...) while ranging
    # over the original slice: the backing array shifts under the loop, so an element moved into
    # an already-visited slot is not re-checked.  Reproduce that exactly; where Go would panic
    # (slice bounds out of range), fail the conversion.
    backing = list(addresses)
    length = len(backing)
    for j in range(len(addresses)):
        if parse_ip(backing[j]) is not None:
            continue
        if j + 1 > length:
            raise ConversionError("projectcalico.org/Interfaces: slice bounds out of range (libcalico-go panics)")
        backing[j : length - 1] = backing[j + 1 : length]
        length -= 1
    return backing[:length]


def _node(obj: Mapping[str, Any], *, use_pod_cidr: bool = False) -> Resource:
    _check_kind(obj, "Node")
    meta = _map(obj.get("metadata"))
    spec_in = _map(obj.get("spec"))
    status_in = _map(obj.get("status"))
    name = _str(meta.get("name"))
    annotations = _string_map(meta.get("annotations"))

    # resources.go SetCalicoMetadataFromK8sAnnotations: Calico labels/annotations come from the
    # two JSON annotations only (the k8s annotations themselves are not copied).
    labels: dict[str, str] | None = None
    cal_annotations: dict[str, str] | None = None
    for key, target in ((_NODE_LABELS, "labels"), (_NODE_ANNOTATIONS, "annotations")):
        if key not in annotations:
            continue
        try:
            decoded = _load_json(annotations[key])
        except ValueError:
            decoded = False
        if decoded is not None and not (
            isinstance(decoded, dict) and all(isinstance(v, str) or v is None for v in decoded.values())
        ):
            _log.warning("unable to parse %s annotation", target)
            continue
        parsed = {k: v or "" for k, v in (decoded or {}).items()}
        if target == "labels":
            labels = parsed
        else:
            cal_annotations = parsed

    # mergeCalicoAndK8sLabels: k8s labels win; the k8s labels are stashed as JSON (null when nil).
    raw_k8s_labels = meta.get("labels")
    k8s_labels = _string_map(raw_k8s_labels)
    merged_labels = {**(labels or {}), **k8s_labels}
    out_annotations = dict(cal_annotations or {})
    out_annotations[_NODE_KUBE_LABELS] = go_marshal(sort_map(k8s_labels)) if raw_k8s_labels is not None else "null"

    bgp: dict[str, Any] = {}
    bgp["ipv4Address"] = _node_annotation(annotations, _NODE_IPV4, _validate_cidr_v4)
    bgp["ipv6Address"] = _node_annotation(annotations, _NODE_IPV6, _validate_cidr_v6)
    bgp["routeReflectorClusterID"] = _node_annotation(annotations, _NODE_RR_CLUSTER_ID, _validate_net_v4)
    if _NODE_ASN in annotations:
        asn = _as_number(annotations[_NODE_ASN])
        if asn is None:
            _log.info("failed to read node AS number from annotation: %s", _NODE_ASN)
        else:
            bgp["asNumber"] = asn
    wireguard: dict[str, Any] = {}
    pod_cidr = _str(spec_in.get("podCIDR"))
    if use_pod_cidr and pod_cidr:
        tunnel = _static_tunnel_address(pod_cidr)
        bgp["ipv4IPIPTunnelAddr"] = tunnel
        if annotations.get(_NODE_WG_KEY):
            wireguard["interfaceIPv4Address"] = tunnel
    else:
        bgp["ipv4IPIPTunnelAddr"] = _node_annotation(annotations, _NODE_IPIP, _validate_net_v4)
        wireguard["interfaceIPv4Address"] = _node_annotation(annotations, _NODE_WG_V4, _validate_net_v4)
        wireguard["interfaceIPv6Address"] = _node_annotation(annotations, _NODE_WG_V6, _validate_net_v6)
    bgp = {k: v for k, v in bgp.items() if v not in ("", None)}
    wireguard = {k: v for k, v in wireguard.items() if v}

    spec: dict[str, Any] = {}
    if bgp:
        spec["bgp"] = bgp
    spec["ipv4VXLANTunnelAddr"] = _node_annotation(annotations, _NODE_VXLAN_V4, _validate_net_v4)
    spec["vxlanTunnelMACAddr"] = _node_annotation(annotations, _NODE_VXLAN_MAC, _valid_mac)
    spec["ipv6VXLANTunnelAddr"] = _node_annotation(annotations, _NODE_VXLAN_V6, _validate_net_v6)
    spec["vxlanTunnelMACAddrV6"] = _node_annotation(annotations, _NODE_VXLAN_MAC_V6, _valid_mac)
    spec["orchRefs"] = [{"nodeName": name, "orchestrator": ORCHESTRATOR_K8S}]
    if wireguard:
        spec["wireguard"] = wireguard

    # fillAllAddresses: the BGP addresses first, then InternalIP/ExternalIP in k8s order.
    addresses = [
        {"address": bgp[key], "type": "CalicoNodeIP"} for key in ("ipv4Address", "ipv6Address") if bgp.get(key)
    ]
    for entry in _list(status_in.get("addresses")):
        entry_type = _map(entry).get("type")
        if entry_type in ("InternalIP", "ExternalIP"):
            addresses.append({"address": _str(_map(entry).get("address")), "type": entry_type})
    if addresses:
        spec["addresses"] = addresses
    if _NODE_INTERFACES in annotations:
        interfaces = _node_interfaces(annotations[_NODE_INTERFACES])
        if interfaces:
            spec["interfaces"] = interfaces
    spec = {k: v for k, v in spec.items() if v not in ("", None)}

    status = {
        "wireguardPublicKey": annotations.get(_NODE_WG_KEY, ""),
        "wireguardPublicKeyV6": annotations.get(_NODE_WG_KEY_V6, ""),
        "podCIDRs": [c for c in _list(spec_in.get("podCIDRs")) if isinstance(c, str)],
    }
    metadata = {
        "name": name,
        "resourceVersion": _str(meta.get("resourceVersion")),
        "creationTimestamp": _go_time(meta.get("creationTimestamp")),
        "uid": _str(meta.get("uid")),  # Nodes keep the raw k8s UID (no ConvertUID)
        "labels": sort_map(merged_labels),
        "annotations": sort_map(out_annotations),
    }
    return _resource(Node, metadata, spec, status={k: v for k, v in status.items() if v})


# -- Profile ------------------------------------------------------------------------------------


def join_profile_revisions(ns_revision: str, sa_revision: str) -> str:
    """conversion.JoinProfileRevisions: ``"<nsRV>/<saRV>"``."""
    return f"{ns_revision}/{sa_revision}"


def split_profile_revision(revision: str) -> tuple[str, str]:
    """conversion.SplitProfileRevision: ``""``/``"0"`` -> both empty; otherwise exactly one ``/``."""
    if revision in ("", "0"):
        return "", ""
    parts = revision.split("/")
    if len(parts) != 2:
        raise ConversionError(f"ResourceVersion is not valid: {revision}")
    return parts[0], parts[1]


def _allow_all() -> list[dict[str, Any]]:
    return [{"action": "Allow"}]


def _namespace_profile(obj: Mapping[str, Any]) -> Resource:
    meta = _map(obj.get("metadata"))
    name = _str(meta.get("name"))
    labels = {NAMESPACE_LABEL_PREFIX + k: v for k, v in _string_map(meta.get("labels")).items()}
    labels[NAMESPACE_LABEL_PREFIX + NAME_LABEL] = name
    metadata = {
        "name": NAMESPACE_PROFILE_PREFIX + name,
        "creationTimestamp": _go_time(meta.get("creationTimestamp")),
        "uid": _convert_uid(_str(meta.get("uid"))),
        "resourceVersion": join_profile_revisions(_str(meta.get("resourceVersion")), ""),
    }
    spec = {"ingress": _allow_all(), "egress": _allow_all(), "labelsToApply": sort_map(labels)}
    return _resource(Profile, metadata, spec)


def _service_account_name_to_profile(sa: str, namespace: str) -> str:
    return f"{SERVICE_ACCOUNT_PROFILE_PREFIX}{namespace or 'default'}.{sa}"


def _service_account_profile(obj: Mapping[str, Any]) -> Resource:
    meta = _map(obj.get("metadata"))
    name = _str(meta.get("name"))
    labels = {SERVICE_ACCOUNT_LABEL_PREFIX + k: v for k, v in _string_map(meta.get("labels")).items()}
    labels[SERVICE_ACCOUNT_LABEL_PREFIX + NAME_LABEL] = name
    metadata = {
        "name": _service_account_name_to_profile(name, _str(meta.get("namespace"))),
        "creationTimestamp": _go_time(meta.get("creationTimestamp")),
        "uid": _convert_uid(_str(meta.get("uid"))),
        "resourceVersion": join_profile_revisions("", _str(meta.get("resourceVersion"))),
    }
    return _resource(Profile, metadata, {"labelsToApply": sort_map(labels)})


def _profile(obj: Mapping[str, Any]) -> Resource:
    # List items carry no kind: a namespaced object is a ServiceAccount, a cluster one a Namespace.
    _check_kind(obj, "Namespace", "ServiceAccount")
    kind = obj.get("kind") or ("ServiceAccount" if _map(obj.get("metadata")).get("namespace") else "Namespace")
    return _service_account_profile(obj) if kind == "ServiceAccount" else _namespace_profile(obj)


def default_allow_profile() -> Profile:
    """The static ``projectcalico-default-allow`` profile (``lib/resources/static.go``, revision ``"1"``)."""
    metadata = {"name": DEFAULT_ALLOW_PROFILE, "resourceVersion": "1"}
    profile = _resource(Profile, metadata, {"ingress": _allow_all(), "egress": _allow_all()})
    assert isinstance(profile, Profile)
    return profile


# -- WorkloadEndpoint ---------------------------------------------------------------------------


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
    spec = _map(pod.get("spec"))
    return spec.get("hostNetwork") is not True and bool(_str(spec.get("nodeName")))


def _has_ip_address(pod: Mapping[str, Any]) -> bool:
    annotations = _string_map(_map(pod.get("metadata")).get("annotations"))
    return bool(
        _str(_map(pod.get("status")).get("podIP"))
        or annotations.get(ANNOTATION_POD_IP)
        or annotations.get(ANNOTATION_AWS_POD_IPS)
    )


def is_ready_calico_pod(pod: Mapping[str, Any]) -> bool:
    """IsReadyCalicoPod: a valid workload endpoint that also has an IP (Felix's filter, not calicoctl's)."""
    return is_valid_calico_workload_endpoint(pod) and _has_ip_address(pod)


def is_finished(pod: Mapping[str, Any]) -> bool:
    """conversion.IsFinished: Failed/Succeeded/Completed, or deleting with the CNI IP annotation set to ""."""
    meta = _map(pod.get("metadata"))
    annotations = _string_map(meta.get("annotations"))
    if meta.get("deletionTimestamp") is not None and (
        annotations.get(ANNOTATION_POD_IP, None) == "" or annotations.get(ANNOTATION_AWS_POD_IPS, None) == ""
    ):
        return True
    return _map(pod.get("status")).get("phase") in ("Failed", "Succeeded", "Completed")


def _pod_ips(pod: Mapping[str, Any]) -> list[Any]:
    status = _map(pod.get("status"))
    annotations = _string_map(_map(pod.get("metadata")).get("annotations"))
    texts: list[str]
    pod_ips = _list(status.get("podIPs"))
    if pod_ips:
        texts = [_str(_map(entry).get("ip")) for entry in pod_ips]
    elif _str(status.get("podIP")):
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
        decoded = _load_json(text)
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
        for port in _list(_map(container).get("ports")):
            port = _map(port)
            number = port.get("containerPort") or 0
            host_port = port.get("hostPort") or 0
            name = _str(port.get("name"))
            if not number or not (host_port or name):
                continue
            protocol = _POD_PROTOCOLS.get(_str(port.get("protocol")))
            if protocol is None:
                continue  # unknown protocol: ignored
            ports.append(
                {
                    "name": name,
                    "protocol": protocol,
                    "port": int(number) & 0xFFFF,
                    "hostPort": int(host_port) & 0xFFFF,
                    "hostIP": _str(port.get("hostIP")),
                }
            )
    return ports


# -- QoS annotations (workload_endpoint_default.go handleQoSControlsAnnotations) ----------------

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_QUANTITY = re.compile(r"([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(.*)")


def parse_quantity(text: str) -> int:
    """``resource.ParseQuantity(text).Value()``: the quantity rounded up to an integer; ValueError if malformed."""
    match = _QUANTITY.fullmatch(text)
    if match is None:
        raise ValueError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    sign, number, suffix = match.groups()
    value = Fraction(number)
    if suffix in _BINARY:
        value *= _BINARY[suffix]
    elif suffix in _DECIMAL:
        value *= Fraction(10) ** _DECIMAL[suffix]
    elif re.fullmatch(r"[eE][+-]?[0-9]+", suffix):
        value *= Fraction(10) ** int(suffix[1:])
    else:
        raise ValueError("unable to parse quantity's suffix")
    if sign == "-":
        value = -value
    return math.ceil(value)


# (annotation, field, min, max); k8s annotations first so the Calico ones override them.
_QOS = (
    ("kubernetes.io/ingress-bandwidth", "ingressBandwidth", 1000, 10**15),
    ("kubernetes.io/egress-bandwidth", "egressBandwidth", 1000, 10**15),
    ("qos.projectcalico.org/ingressBandwidth", "ingressBandwidth", 1000, 10**15),
    ("qos.projectcalico.org/egressBandwidth", "egressBandwidth", 1000, 10**15),
    ("qos.projectcalico.org/ingressBurst", "ingressBurst", 1000, 0xFFFFFFFF * 8),
    ("qos.projectcalico.org/egressBurst", "egressBurst", 1000, 0xFFFFFFFF * 8),
    ("qos.projectcalico.org/ingressPeakrate", "ingressPeakrate", 1010, 1010 * 10**12),
    ("qos.projectcalico.org/egressPeakrate", "egressPeakrate", 1010, 1010 * 10**12),
    ("qos.projectcalico.org/ingressMinburst", "ingressMinburst", 1000, 10**8),
    ("qos.projectcalico.org/egressMinburst", "egressMinburst", 1000, 10**8),
    ("qos.projectcalico.org/ingressPacketRate", "ingressPacketRate", 1, 10_000),
    ("qos.projectcalico.org/egressPacketRate", "egressPacketRate", 1, 10_000),
    ("qos.projectcalico.org/ingressPacketBurst", "ingressPacketBurst", 1, 10_000),
    ("qos.projectcalico.org/egressPacketBurst", "egressPacketBurst", 1, 10_000),
    ("qos.projectcalico.org/ingressMaxConnections", "ingressMaxConnections", 1, 0xFFFFFFFF),
    ("qos.projectcalico.org/egressMaxConnections", "egressMaxConnections", 1, 0xFFFFFFFF),
)
_DEFAULT_BURST = 4 * 2**30
_DEFAULT_PACKET_BURST = 5
_DSCP = MappingProxyType(
    {
        "DF": 0, "EF": 46, "AF11": 10, "AF12": 12, "AF13": 14, "AF21": 18, "AF22": 20, "AF23": 22,
        "AF31": 26, "AF32": 28, "AF33": 30, "AF41": 34, "AF42": 36, "AF43": 38,
        "CS0": 0, "CS1": 8, "CS2": 16, "CS3": 24, "CS4": 32, "CS5": 40, "CS6": 48,
    }
)  # fmt: skip


def _dscp(text: str) -> int | str | None:
    """numorstring.DSCPFromString + Validate: a 0-63 number or a known name (canonical case); None if invalid."""
    if re.fullmatch(r"[0-9]+", text):
        return int(text) if int(text) <= 63 else None
    for name in _DSCP:
        if name.lower() == text.lower():
            return name
    return text if text.strip().upper() in _DSCP else None


def _qos_fix_direction(qos: dict[str, Any], direction: str) -> None:
    def get(name: str) -> int:
        value = qos.get(direction + name, 0)
        return value if isinstance(value, int) else 0

    # Dependent settings without their base are dropped, then bursts get their defaults.
    if get("Burst") and not get("Bandwidth"):
        qos[direction + "Burst"] = 0
    if get("Peakrate") and (not get("Bandwidth") or get("Bandwidth") >= get("Peakrate")):
        qos[direction + "Peakrate"] = 0
    if get("Minburst") and not get("Peakrate"):
        qos[direction + "Minburst"] = 0
    if get("PacketBurst") and not get("PacketRate"):
        qos[direction + "PacketBurst"] = 0
    if get("Bandwidth") and not get("Burst"):
        qos[direction + "Burst"] = _DEFAULT_BURST
    if get("PacketRate") and not get("PacketBurst"):
        qos[direction + "PacketBurst"] = _DEFAULT_PACKET_BURST


def _qos_controls(annotations: Mapping[str, str]) -> dict[str, Any] | None:
    """handleQoSControlsAnnotations; its errors are only logged by libcalico-go, so never raised here."""
    qos: dict[str, Any] = {}
    for key, field, low, high in _QOS:
        if key not in annotations:
            continue
        try:
            qos[field] = min(max(parse_quantity(annotations[key]), low), high)  # out of range: capped
        except ValueError:
            qos[field] = 0  # unparsable: zero (logged)
    _qos_fix_direction(qos, "ingress")
    _qos_fix_direction(qos, "egress")
    if "qos.projectcalico.org/dscp" in annotations:
        dscp = _dscp(annotations["qos.projectcalico.org/dscp"])
        if dscp is not None:
            qos["dscp"] = dscp
    qos = {k: v for k, v in qos.items() if v != 0 or k == "dscp"}
    return qos or None


def _workload_endpoint(obj: Mapping[str, Any]) -> Resource | None:
    _check_kind(obj, "Pod")
    if not is_valid_calico_workload_endpoint(obj):
        return None  # host-networked or unscheduled: libcalico-go never shows these
    meta = _map(obj.get("metadata"))
    spec_in = _map(obj.get("spec"))
    name = _str(meta.get("name"))
    namespace = _str(meta.get("namespace"))
    node = _str(spec_in.get("nodeName"))
    service_account = _str(spec_in.get("serviceAccountName"))
    annotations = _string_map(meta.get("annotations"))

    profiles = [NAMESPACE_PROFILE_PREFIX + namespace]
    if service_account:
        profiles.append(_service_account_name_to_profile(service_account, namespace))
    wep_name = workload_endpoint_name(node, name)
    nets = _pod_ips(obj)
    if is_finished(obj):
        nets = []  # the IPs have gone back to the pool; the endpoint is still listed

    labels = _string_map(meta.get("labels"))
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
        "ports": _endpoint_ports(_list(spec_in.get("containers")))
        + _endpoint_ports(_list(spec_in.get("initContainers"))),
        "ipNATs": _floating_ips(annotations, nets),
        "serviceAccountName": service_account,
        "allowSpoofedSourcePrefixes": _source_prefixes(annotations),
        "qosControls": _qos_controls(annotations),
    }
    metadata = {
        "name": wep_name,
        "namespace": namespace,
        "generateName": _str(meta.get("generateName")),
        "creationTimestamp": _go_time(meta.get("creationTimestamp")),
        "uid": _str(meta.get("uid")),  # the raw pod UID
        "resourceVersion": _str(meta.get("resourceVersion")),
        "labels": sort_map(labels),
    }
    if ANNOTATION_NETWORK_STATUS in annotations:
        metadata["annotations"] = {ANNOTATION_NETWORK_STATUS: annotations[ANNOTATION_NETWORK_STATUS]}
    return _resource(WorkloadEndpoint, metadata, {k: v for k, v in spec.items() if v not in ("", None, [])})


# -- Kubernetes NetworkPolicy -------------------------------------------------------------------


def _selector(selector: Any, *, pod: bool) -> str:
    """k8sSelectorToCalico: ``None`` is a nil LabelSelector (matches nothing extra)."""
    terms = [f"{LABEL_ORCHESTRATOR} == 'k8s'"] if pod else []
    if selector is None:
        return " && ".join(terms)
    selector = _map(selector)
    match_labels = _string_map(selector.get("matchLabels"))
    expressions = _list(selector.get("matchExpressions"))
    if not pod and not match_labels and not expressions:
        return "all()"
    terms += [f"{k} == '{match_labels[k]}'" for k in sorted(match_labels, key=str.encode)]
    for expr in expressions:
        expr = _map(expr)
        key = _str(expr.get("key"))
        values = "', '".join(v for v in _list(expr.get("values")) if isinstance(v, str))
        operator = expr.get("operator")
        if operator == "In":
            terms.append(f"{key} in {{ '{values}' }}")
        elif operator == "NotIn":
            terms.append(f"{key} not in {{ '{values}' }}")
        elif operator == "Exists":
            terms.append(f"has({key})")
        elif operator == "DoesNotExist":
            terms.append(f"! has({key})")
    return " && ".join(terms)


_PROTOCOL_NAMES = ("UDP", "TCP", "ICMP", "ICMPv6", "SCTP", "UDPLite")


def _protocol(text: str) -> str:
    # numorstring.ProtocolFromString: known names case-insensitively canonicalised, others verbatim.
    return next((name for name in _PROTOCOL_NAMES if name.lower() == text.lower()), text)


def _port_text(value: Any) -> str:
    if isinstance(value, bool):
        raise ValueError(f"invalid port {value!r}")
    return str(value)


def simplify_ports(ports: list[Port]) -> list[Port]:
    """conversion.SimplifyPorts: named ports first, then the numeric ports merged into sorted ranges."""
    if len(ports) <= 1:
        return ports
    named = [p for p in ports if p.port_name]
    numbers = sorted(n for p in ports if not p.port_name for n in range(p.min_port, p.max_port + 1))
    if len(numbers) <= 1:
        return ports
    out = list(named)
    start = end = numbers[0]
    for number in numbers[1:]:
        if number > end + 1:
            out.append(Port(start, end))
            start = number
        end = number
    out.append(Port(start, end))
    return out


def _peer_fields(peer: Mapping[str, Any] | None) -> dict[str, Any]:
    if peer is None:
        return {}
    block = peer.get("ipBlock")
    if block is not None:
        block = _map(block)
        parsed = parse_cidr(_str(block.get("cidr")))
        if parsed is None:
            return {}  # libcalico-go logs and leaves the peer empty (it then matches everything)
        fields: dict[str, Any] = {"nets": [str(parsed.network)]}
        not_nets = []
        for exception in _list(block.get("except")):
            excepted = parse_cidr(_str(exception))
            if excepted is None:
                break  # the exceptions parsed so far are kept
            not_nets.append(str(excepted.network))
        if not_nets:
            fields["notNets"] = not_nets
        return fields
    return {
        "selector": _selector(peer.get("podSelector"), pod=True),
        "namespaceSelector": _selector(peer.get("namespaceSelector"), pod=False),
    }


def _k8s_rule(peers_in: Sequence[Any], ports_in: Sequence[Any], *, ingress: bool) -> list[dict[str, Any]]:
    """k8sRuleToCalico; ValueError when a port cannot be converted (the whole k8s rule is dropped)."""
    peers: list[Mapping[str, Any] | None] = [_map(p) for p in peers_in] or [None]
    # protocol -> ports (None: all ports); protocol "" means no protocol (and no port) match.
    by_protocol: dict[str, list[Port] | None] = {}
    if not ports_in:
        by_protocol[""] = None
    for raw_port in ports_in:
        raw = _map(raw_port)
        protocol = _protocol(_str(raw["protocol"]) if raw.get("protocol") is not None else "TCP")
        ports: list[Port] | None = None
        if raw.get("port") is not None:
            text = _port_text(raw["port"])
            if raw.get("endPort") is not None:
                text = f"{text}:{_port_text(raw['endPort'])}"
            try:
                ports = [Port.parse(text)]
            except ValueError as exc:
                raise ValueError(f"failed to parse k8s port: invalid port {text}: {exc}") from None
        if ports is None:
            by_protocol[protocol] = None
        elif protocol not in by_protocol or by_protocol[protocol]:
            by_protocol[protocol] = [*(by_protocol.get(protocol) or []), *ports]
    rules = []
    for protocol in sorted(by_protocol, key=str.encode):
        port_list = simplify_ports(by_protocol[protocol] or [])
        port_json = [p.to_json() for p in port_list]
        for peer in peers:
            entity = _peer_fields(peer)
            rule: dict[str, Any] = {"action": "Allow"}
            if protocol:
                rule["protocol"] = protocol
            if ingress:
                rule["source"] = entity
                rule["destination"] = {"ports": port_json} if port_json else {}
            else:
                rule["destination"] = {**({"ports": port_json} if port_json else {}), **entity}
            rules.append(rule)
    return rules


def _k8s_network_policy(obj: Mapping[str, Any]) -> Resource:
    _check_kind(obj, "NetworkPolicy")
    meta = _map(obj.get("metadata"))
    spec_in = _map(obj.get("spec"))
    rules: dict[str, list[dict[str, Any]]] = {"ingress": [], "egress": []}
    for direction, peers_key, ingress in (("ingress", "from", True), ("egress", "to", False)):
        for rule in _list(spec_in.get(direction)):
            rule = _map(rule)
            try:
                rules[direction] += _k8s_rule(_list(rule.get(peers_key)), _list(rule.get("ports")), ingress=ingress)
            except ValueError as exc:
                # ErrorPolicyConversion: the List/Watch client ignores it and keeps the other rules.
                _log.warning("dropping k8s rule that couldn't be converted: %s", exc)
    policy_types = _list(spec_in.get("policyTypes"))
    types = [t for t in ("Ingress", "Egress") if t in policy_types] or ["Ingress"]
    uid = _str(meta.get("uid"))
    metadata = {
        "name": _str(meta.get("name")),
        "namespace": _str(meta.get("namespace")),
        "creationTimestamp": _go_time(meta.get("creationTimestamp")),
        "uid": _convert_uid(uid) if uid else "",
        "resourceVersion": _str(meta.get("resourceVersion")),
    }
    spec = {
        "order": 1000.0,
        "tier": "default",
        "selector": _selector(spec_in.get("podSelector") or {}, pod=True),
        "ingress": rules["ingress"],
        "egress": rules["egress"],
        "types": types,
    }
    return _resource(NetworkPolicy, metadata, {k: v for k, v in spec.items() if v != []})


# -- dispatch -----------------------------------------------------------------------------------

_Converter = Callable[[Mapping[str, Any], bool], "Resource | None"]
_CONVERTERS: Mapping[str, _Converter] = MappingProxyType(
    {
        "Node": lambda obj, use_pod_cidr: _node(obj, use_pod_cidr=use_pod_cidr),
        "Profile": lambda obj, _: _profile(obj),
        "WorkloadEndpoint": lambda obj, _: _workload_endpoint(obj),
        "KubernetesNetworkPolicy": lambda obj, _: _k8s_network_policy(obj),
    }
)


def from_core(kind: str, obj: Mapping[str, Any], *, use_pod_cidr: bool = False) -> Resource | None:
    """The Calico resource libcalico-go v3.32.1's Kubernetes backend derives from core object ``obj``.

    ``kind`` names the Calico kind: ``Node`` (from a core/v1 Node), ``Profile`` (from a Namespace
    or ServiceAccount; ``obj["kind"]`` decides, or, for kind-less list items, whether the object is
    namespaced), ``WorkloadEndpoint`` (from a Pod) or ``KubernetesNetworkPolicy`` (from a
    networking.k8s.io/v1 NetworkPolicy; returned as a :class:`~calicopy.NetworkPolicy`).

    Returns None for a Pod libcalico-go does not show (host-networked, or not scheduled to a
    node).  Pods without an IP, or finished ones, are shown with no ``ipNetworks``, as in Go.
    ``use_pod_cidr`` is the client's ``usePodCIDR`` (host-local IPAM) setting, used for Nodes.
    Raises :class:`ConversionError` where libcalico-go fails (bad UID on a Namespace or
    ServiceAccount, malformed pod IP or CNI annotation, unparsable podCIDR with ``use_pod_cidr``).
    """
    converter = _CONVERTERS.get(kind)
    if converter is None:
        raise ConversionError(f"{kind} is not derived from a core Kubernetes object")
    return converter(obj, use_pod_cidr)
