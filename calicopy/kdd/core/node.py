"""Node <- core/v1 Node: libcalico-go v3.32.1's ``k8s/resources/node.go`` (``K8sNodeToCalico``) and
``resources.go`` (``SetCalicoMetadataFromK8sAnnotations``).  Pure; see ``docs/kdd-mapping.md``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

from ...errors import ConversionError
from ...resources.generated.node import Node
from ...resources.meta import Resource
from ...resources.validation.common import parse_cidr, parse_cidr_or_ip, parse_ip
from ..convert import _go_time
from .common import (
    ORCHESTRATOR_K8S,
    as_list,
    as_map,
    as_str,
    check_kind,
    go_marshal,
    load_json,
    make_resource,
    sort_map,
    string_map,
)

__all__ = ["node_from_k8s"]

_log = logging.getLogger(__name__)

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
        decoded = load_json(raw)
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


def node_from_k8s(obj: Mapping[str, Any], *, use_pod_cidr: bool = False) -> Resource:
    check_kind(obj, "Node")
    meta = as_map(obj.get("metadata"))
    spec_in = as_map(obj.get("spec"))
    status_in = as_map(obj.get("status"))
    name = as_str(meta.get("name"))
    annotations = string_map(meta.get("annotations"))

    # resources.go SetCalicoMetadataFromK8sAnnotations: Calico labels/annotations come from the
    # two JSON annotations only (the k8s annotations themselves are not copied).
    labels: dict[str, str] | None = None
    cal_annotations: dict[str, str] | None = None
    for key, target in ((_NODE_LABELS, "labels"), (_NODE_ANNOTATIONS, "annotations")):
        if key not in annotations:
            continue
        try:
            decoded = load_json(annotations[key])
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
    k8s_labels = string_map(raw_k8s_labels)
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
    pod_cidr = as_str(spec_in.get("podCIDR"))
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
    for entry in as_list(status_in.get("addresses")):
        entry_type = as_map(entry).get("type")
        if entry_type in ("InternalIP", "ExternalIP"):
            addresses.append({"address": as_str(as_map(entry).get("address")), "type": entry_type})
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
        "podCIDRs": [c for c in as_list(spec_in.get("podCIDRs")) if isinstance(c, str)],
    }
    metadata = {
        "name": name,
        "resourceVersion": as_str(meta.get("resourceVersion")),
        "creationTimestamp": _go_time(meta.get("creationTimestamp")),
        "uid": as_str(meta.get("uid")),  # Nodes keep the raw k8s UID (no ConvertUID)
        "labels": sort_map(merged_labels),
        "annotations": sort_map(out_annotations),
    }
    return make_resource(Node, metadata, spec, status={k: v for k, v in status.items() if v})
