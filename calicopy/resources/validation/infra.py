"""Validation rules for the non-policy kinds: pools, endpoints, nodes, BGP, Felix and friends.

Struct checks follow the struct-level validators of libcalico-go's
``lib/validator/v3/validator.go`` (v3.32.1) and then the CEL rules
(``x-kubernetes-validations``) of the matching CRDs in ``api/config/crd``.  Reasons are
libcalico-go's (and the CRDs') texts verbatim, typos included; paths are JSON paths.
Field checks cover the remaining ``validate`` tags (BGP filters, Felix, kube-controllers).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..model import json_path
from .common import compiles_as_go_regexp, parse_cidr_or_ip, parse_ip
from .engine import FieldCheck, Report, StructCheck

if TYPE_CHECKING:
    from ..bgpconfig import BGPConfigurationSpec
    from ..bgpfilter import BGPFilterOperation, BGPFilterRuleV4, BGPFilterRuleV6
    from ..bgppeer import BGPPeerSpec
    from ..blockaffinity import BlockAffinitySpec
    from ..clusterinfo import ClusterInformation
    from ..felixconfig import (
        FelixConfiguration,
        FelixConfigurationSpec,
        HealthTimeoutOverride,
        RouteTableIDRange,
        RouteTableRange,
    )
    from ..globalnetworkset import GlobalNetworkSet
    from ..hostendpoint import HostEndpointSpec
    from ..ipamconfig import IPAMConfigurationSpec
    from ..ippool import IPPoolSpec
    from ..networkset import NetworkSet
    from ..node import NodeSpec
    from ..workloadendpoint import IPNAT, WorkloadEndpointPort, WorkloadEndpointSpec

__all__ = ["FIELD_CHECKS", "STRUCT_CHECKS", "split_ip_port"]

# -- field checks --------------------------------------------------------------------------------

_BGP_FILTER_INTERFACE = re.compile("[a-zA-Z0-9_.*-]{1,15}")
_PREFIX_LENGTH_V4 = re.compile("[0-9]|[12][0-9]|3[0-2]")
_PREFIX_LENGTH_V6 = re.compile("[0-9]|[1-9][0-9]|1[0-1][0-9]|12[0-8]")
_INTERFACE = re.compile("[a-zA-Z0-9_.-]{1,15}")
_PROMETHEUS_HOST = re.compile("[a-zA-Z0-9:._+-]{1,64}")
_KEY_VALUE = re.compile(r"\s*(\w+)=(.*)", re.ASCII | re.DOTALL)
_IPV4_PORT = re.compile(r"(\d+).(\d+).(\d+).(\d+):(\d+)", re.ASCII)
_IPV6_PORT = re.compile(r"\[[0-9a-fA-F:.]+\]:(\d+)", re.ASCII)


def _one_of(*values: str) -> FieldCheck:
    allowed = frozenset(values)

    def check(value: Any, _: str) -> bool:
        return str(value) in allowed

    return check


def _matches(pattern: re.Pattern[str], *, star: bool = False) -> FieldCheck:
    def check(value: Any, _: str) -> bool:
        text = str(value)
        return (star and text == "*") or pattern.fullmatch(text) is not None

    return check


def split_ip_port(text: str) -> tuple[str, int] | None:
    """``processIPPort``: ``IP``, ``IPv4:port`` or ``[IPv6]:port`` -> (ip, port); None when invalid."""
    if not text:
        return None
    ip_text, port = text, 0
    if _IPV4_PORT.fullmatch(text) or _IPV6_PORT.fullmatch(text):
        host, _, port_text = text.rpartition(":")
        if host.startswith("["):
            host = host[1:-1]
        elif ":" in host:
            return None  # net.SplitHostPort: too many colons
        if not port_text.isdigit() or int(port_text) > 0xFFFF or int(port_text) < 1:
            return None
        ip_text, port = host, int(port_text)
    if parse_ip(ip_text) is None:
        return None
    return ip_text, port


def _check_ip_port(value: Any, _: str) -> bool:
    return split_ip_port(str(value)) is not None


def _check_reachable_by(value: Any, _: str) -> bool:
    text = str(value)
    return not text or parse_ip(text) is not None


def _check_key_value_list(value: Any, _: str) -> bool:
    text = str(value)
    if not text.strip():
        return True
    return all(not item or _KEY_VALUE.fullmatch(item) for item in text.split(","))


def _check_bpf_log_filters(value: Any, _: str) -> bool:
    if not isinstance(value, Mapping):
        return False
    return all(_INTERFACE.fullmatch(str(k)) is not None for k in value)


def _check_wireguard_key(value: Any, _: str) -> bool:
    try:
        raw = base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        return False
    return len(raw) == 32


def _check_regexp(value: Any, _: str) -> bool:
    return compiles_as_go_regexp(str(value))


def _check_iptables_backend(value: Any, _: str) -> bool:
    return str(value) in ("", "Auto", "NFT", "Legacy")


def _must_be_nil(value: Any, _: str) -> bool:
    return value is None


def _must_be_false(value: Any, _: str) -> bool:
    return not value


FIELD_CHECKS: Mapping[str, FieldCheck] = {
    "IP:port": _check_ip_port,
    "reachableBy": _check_reachable_by,
    "sourceAddress": _one_of("UseNodeIP", "None"),
    "filterAction": _one_of("Accept", "Reject"),
    "matchOperator": _one_of("Equal", "In", "NotEqual", "NotIn"),
    "bgpFilterInterface": _matches(_BGP_FILTER_INTERFACE, star=True),
    "bgpFilterPrefixLengthV4": _matches(_PREFIX_LENGTH_V4, star=True),
    "bgpFilterPrefixLengthV6": _matches(_PREFIX_LENGTH_V6, star=True),
    "assignIPs": _one_of("AllServices", "RequestedServicesOnly"),
    "createDefaultHostEndpoint": _one_of("Enabled", "Disabled"),
    "ipType": _one_of("CalicoNodeIP", "InternalIP", "ExternalIP"),
    "wireguardPublicKey": _check_wireguard_key,
    "prometheusHost": _matches(_PROMETHEUS_HOST),
    "keyValueList": _check_key_value_list,
    "iptablesBackend": _check_iptables_backend,
    "bpfLogLevel": _one_of("Debug", "Info", "Off"),
    "bpfLogFilters": _check_bpf_log_filters,
    "bpfServiceMode": _one_of("Tunnel", "DSR"),
    "bpfConnectTimeLoadBalancing": _one_of("Disabled", "Enabled", "TCP"),
    "bpfHostNetworkedNATWithoutCTLB": _one_of("Disabled", "Enabled"),
    "dropAcceptReturn": _one_of("Drop", "Accept", "Return"),
    "acceptReturn": _one_of("Accept", "Return"),
    "dropReject": _one_of("Drop", "Reject"),
    # libcalico-go validates routeSource by compiling it as a regexp (sic).
    "routeSource": _check_regexp,
    "datastoreType": _one_of("etcdv3", "kubernetes"),
    "mustBeNil": _must_be_nil,
    "mustBeFalse": _must_be_false,
}

# -- IPPool ---------------------------------------------------------------------------------------

_V4_LINK_LOCAL = ipaddress.ip_network("169.254.0.0/16")
_V6_LINK_LOCAL = ipaddress.ip_network("fe80::/10")
_ENABLED_MODES = ("Always", "CrossSubnet")
_POOL_TOO_SMALL = (
    "IP pool size is too small for use with Calico IPAM. It must be equal to or greater than the block size."
)


def _check_ippool_spec(spec: IPPoolSpec, path: str, report: Report) -> None:
    """``validateIPPoolSpec`` (the validator's rules; clientv3's live in defaults/infra.py)."""
    cidr_path = json_path(path, "cidr")
    if not spec.cidr:
        report.add(cidr_path, "IPPool CIDR must be specified")
        return
    parsed = parse_cidr_or_ip(spec.cidr)
    if parsed is None:
        report.add(cidr_path, "IPPool CIDR must be a valid subnet", spec.cidr)
        return
    network = parsed.network
    masked = str(network)
    uses = spec.allowed_uses
    load_balancer = "LoadBalancer" in uses
    ipip_on = spec.ipip_mode in _ENABLED_MODES
    vxlan_on = spec.vxlan_mode in _ENABLED_MODES
    ipip_path = json_path(path, "ipipMode")
    if network.version == 6 and spec.ipip_mode != "Never":
        report.add(
            ipip_path,
            "IPIPMode other than 'Never' is not supported on an IPv6 IP pool",
            spec.ipip_mode,
        )
    if ipip_on and vxlan_on:
        report.add(
            ipip_path,
            "IPIPMode and VXLANMode cannot be enabled on LoadBalancer IP pool",
            spec.ipip_mode,
        )
    if load_balancer and (ipip_on or vxlan_on):
        report.add(
            ipip_path,
            "Neither IPIPMode nor VXLANMode can be enabled on AllowedUses LoadBalancer IP pool",
            spec.ipip_mode,
        )
    block_size = spec.block_size or (26 if parsed.ip.version == 4 else 122)
    if not spec.disabled and network.prefixlen > block_size:
        report.add(cidr_path, _POOL_TOO_SMALL, masked)
    if not parsed.strictly_masked:
        report.add(cidr_path, "IP pool CIDR is not strictly masked", masked)
    if network.version == 4 and network.overlaps(_V4_LINK_LOCAL):
        report.add(
            cidr_path,
            "IP pool range overlaps with IPv4 Link Local range 169.254.0.0/16",
            masked,
        )
    if network.version == 6 and network.overlaps(_V6_LINK_LOCAL):
        report.add(
            cidr_path,
            "IP pool range overlaps with IPv6 Link Local range fe80::/10",
            masked,
        )
    uses_path = json_path(path, "allowedUses")
    for use in uses:
        if use == "LoadBalancer":
            continue
        if use in ("Workload", "Tunnel"):
            if load_balancer:
                report.add(
                    uses_path,
                    f"LoadBalancer cannot be used at the same time as: {use}",
                    list(uses),
                )
        else:
            report.add(uses_path, f"unknown use: {use}", list(uses))
    if load_balancer and spec.disable_bgp_export:
        report.add(
            json_path(path, "disableBGPExport"),
            "IP Pool with AllowedUse LoadBalancer must have DisableBGPExport set to true",
            masked,
        )
    if load_balancer and spec.node_selector != "all()":
        report.add(
            json_path(path, "nodeSelector"),
            "IP Pool with AllowedUse LoadBalancer must have node selector set to all()",
            masked,
        )
    if "Tunnel" in uses and spec.namespace_selector:
        report.add(
            json_path(path, "namespaceSelector"),
            "IP Pool with AllowedUse Tunnel cannot have namespaceSelector specified - "
            "tunnel IPs are not namespaced resources",
            spec.namespace_selector,
        )
    if "global(" in spec.node_selector:
        report.add(
            json_path(path, "nodeSelector"),
            "global() selector is not valid for IPPool nodeSelector - use all() instead",
            spec.node_selector,
        )
    if "global(" in spec.namespace_selector:
        report.add(
            json_path(path, "namespaceSelector"),
            "global() selector is not valid for IPPool namespaceSelector - use all() instead",
            spec.namespace_selector,
        )


def _mode_on(mode: str | None) -> bool:
    return bool(mode) and mode != "Never"


def _cel_ippool_spec(spec: IPPoolSpec, path: str, report: Report) -> None:
    ipip, vxlan = _mode_on(spec.ipip_mode), _mode_on(spec.vxlan_mode)
    if ipip and vxlan:
        report.add(path, "ipipMode and vxlanMode cannot both be enabled")
    uses = spec.allowed_uses
    if "LoadBalancer" in uses:
        if ipip or vxlan:
            report.add(path, "LoadBalancer IP pool cannot have IPIP or VXLAN enabled")
        if "Workload" in uses or "Tunnel" in uses:
            report.add(path, "LoadBalancer cannot be combined with Workload or Tunnel allowed uses")
    if ":" in spec.cidr and ipip:
        report.add(path, "IPIP is not supported on IPv6 pools")


# -- network sets -------------------------------------------------------------------------------

_NAMESPACE_LABEL = "projectcalico.org/namespace"


def _check_networkset_labels(obj: NetworkSet | GlobalNetworkSet, path: str, report: Report) -> None:
    if _NAMESPACE_LABEL in obj.metadata.labels:
        report.add(
            json_path(json_path(path, "metadata.labels"), _NAMESPACE_LABEL),
            "projectcalico.org/namespace is not a valid label name",
            _NAMESPACE_LABEL,
        )


# -- endpoints ---------------------------------------------------------------------------------------


def _check_host_endpoint_spec(spec: HostEndpointSpec, path: str, report: Report) -> None:
    if not spec.interface_name and not spec.expected_i_ps:
        report.add(
            json_path(path, "interfaceName"),
            "no interface or expected IPs have been specified",
            spec.interface_name,
        )
    if not spec.node:
        report.add(json_path(path, "node"), "no node has been specified", spec.node)


def _cel_host_endpoint_spec(spec: HostEndpointSpec, path: str, report: Report) -> None:
    if not spec.interface_name and not spec.expected_i_ps:
        report.add(path, "at least one of interfaceName or expectedIPs must be specified")
    if not spec.node:
        report.add(path, "node must be specified")


def _check_workload_endpoint_spec(spec: WorkloadEndpointSpec, path: str, report: Report) -> None:
    nets_path = json_path(path, "ipNetworks")
    networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    for i, text in enumerate(spec.ip_networks):
        parsed = parse_cidr_or_ip(text)
        if parsed is None:
            report.add(json_path(nets_path, i), "invalid CIDR", text)
            continue
        networks.append(parsed.network)
        if parsed.network.prefixlen != parsed.network.max_prefixlen:
            report.add(nets_path, "IP network contains multiple addresses", list(spec.ip_networks))
    for attr, alias, version in (
        ("ipv4_gateway", "ipv4Gateway", 4),
        ("ipv6_gateway", "ipv6Gateway", 6),
    ):
        text = getattr(spec, attr)
        if not text:
            continue
        gateway = parse_cidr_or_ip(text)
        gw_path = json_path(path, alias)
        if gateway is None:
            report.add(gw_path, "invalid CIDR", text)
        elif gateway.version != version:
            report.add(gw_path, f"invalid IPv{version} gateway address specified", text)
    if spec.ip_na_ts:
        valid = False
        for i, nat in enumerate(spec.ip_na_ts):
            internal = parse_cidr_or_ip(nat.internal_ip)
            if internal is None:
                report.add(
                    json_path(json_path(path, "ipNATs"), i),
                    "invalid InternalIP CIDR",
                    nat.internal_ip,
                )
                valid = False
                break
            valid = any(internal.ip in n for n in networks if n.version == internal.ip.version)
            if not valid:
                break
        if not valid:
            report.add(json_path(path, "ipNATs"), "NAT is not in the endpoint networks")


def _check_ipnat(nat: IPNAT, path: str, report: Report) -> None:
    internal = parse_cidr_or_ip(nat.internal_ip)
    external = parse_cidr_or_ip(nat.external_ip)
    if internal is None:
        report.add(json_path(path, "internalIP"), "invalid IP address", nat.external_ip)
    if external is None:
        report.add(json_path(path, "internalIP"), "invalid IP address", nat.external_ip)
    if internal is not None and external is not None and internal.version != external.version:
        report.add(json_path(path, "externalIP"), "mismatched IP versions", nat.external_ip)


_PROTOCOL_NAMES = frozenset({"TCP", "UDP", "ICMP", "ICMPv6", "SCTP", "UDPLite"})
_PORT_PROTOCOLS = frozenset({"TCP", "UDP", "SCTP", "tcp", "udp", "sctp", 6, 17, 132})


def _protocol_number(value: int | str) -> int | None:
    if isinstance(value, int):
        return value
    return int(value) if value.isdigit() else None


def _check_workload_endpoint_port(port: WorkloadEndpointPort, path: str, report: Report) -> None:
    proto_path = json_path(path, "protocol")
    proto: Any = port.protocol
    if proto is not None:
        number = _protocol_number(proto)
        if number == 0:
            report.add(proto_path, "protocol number invalid", 0)
        elif number is None and str(proto) not in _PROTOCOL_NAMES:
            report.add(proto_path, "protocol name invalid", proto)
        key = number if number is not None else proto
        supports = key in _PORT_PROTOCOLS
    else:
        supports = False
    if not supports:
        report.add(proto_path, "WorkloadEndpointPort protocol does not support ports.", proto)
    if not port.name and port.host_port == 0:
        report.add(
            json_path(path, "name"),
            "WorkloadEndpointPort name must not be empty if no HostPort is specified",
            port.name,
        )


# -- Node, IPAM, block affinities, cluster information ------------------------------------------


def _check_node_spec(spec: NodeSpec, path: str, report: Report) -> None:
    bgp = spec.bgp
    if bgp is not None and not any(getattr(bgp, f.name) for f in type(bgp).__calico_plan__.fields):
        report.add(json_path(path, "bgp"), "Spec.BGP should not be empty")


def _check_ipam_config_spec(spec: IPAMConfigurationSpec, path: str, report: Report) -> None:
    if spec.max_blocks_per_host < 0:
        report.add(
            json_path(path, "maxBlocksPerHost"),
            "must be greater than or equal to 0",
            spec.max_blocks_per_host,
        )


def _check_block_affinity_spec(spec: BlockAffinitySpec, path: str, report: Report) -> None:
    if spec.deleted:
        report.add(json_path(path, "deleted"), 'spec.Deleted cannot be set to "true"')


def _check_cluster_information(obj: ClusterInformation, path: str, report: Report) -> None:
    if obj.metadata.name != "default":
        report.add(
            json_path(path, "metadata.name"),
            'Cannot create a Cluster Information resource with a name other than "default"',
            obj.metadata.name,
        )


# -- BGP ---------------------------------------------------------------------------------------------


def _reachable_by_problem(reachable_by: str, peer_ip: str) -> str | None:
    if not reachable_by:
        return None
    if not peer_ip:
        return "ReachablyBy field must be empty when PeerIP is empty"
    reachable = parse_ip(reachable_by)
    if reachable is None:
        return "ReachableBy is invalid address"
    split = split_ip_port(peer_ip)
    if split is None:
        return "PeerIP is invalid address"
    peer = parse_ip(split[0])
    if peer is None:
        return "PeerIP is invalid IP address"
    if reachable.version != peer.version:
        return "ReachableBy and PeerIP address family mismatched"
    return None


def _check_bgp_peer_spec(spec: BGPPeerSpec, path: str, report: Report) -> None:
    if spec.node and spec.node_selector:
        report.add(
            json_path(path, "node"),
            "Node field must be empty when NodeSelector is specified",
            spec.node,
        )
    if spec.peer_ip and spec.peer_selector:
        report.add(
            json_path(path, "peerIP"),
            "PeerIP field must be empty when PeerSelector is specified",
            spec.peer_ip,
        )
    if spec.as_number and spec.peer_selector:
        report.add(
            json_path(path, "asNumber"),
            "ASNumber field must be empty when PeerSelector is specified",
            spec.as_number,
        )
    if not spec.as_number and spec.local_workload_selector:
        report.add(
            json_path(path, "asNumber"),
            "ASNumber field must NOT be empty when LocalWorkloadSelector is specified",
            spec.as_number,
        )
    if spec.peer_ip and spec.local_workload_selector:
        report.add(
            json_path(path, "peerIP"),
            "PeerIP field must be empty when LocalWorkloadSelector is specified",
            spec.peer_ip,
        )
    if spec.peer_selector and spec.local_workload_selector:
        report.add(
            json_path(path, "peerSelector"),
            "PeerSelector field must be empty when LocalWorkloadSelector is specified",
            spec.peer_ip,
        )
    problem = _reachable_by_problem(spec.reachable_by, spec.peer_ip)
    if problem is not None:
        report.add(json_path(path, "reachableBy"), problem, spec.reachable_by)
    if spec.keep_original_next_hop and spec.next_hop_mode is not None:
        report.add(
            json_path(path, "keepOriginalNextHop"),
            "The KeepOriginalNextHop field is deprecated. It must not be set to true when NextHopMode is configured.",
            spec.peer_ip,
        )


def _cel_bgp_peer_spec(spec: BGPPeerSpec, path: str, report: Report) -> None:
    if spec.node and spec.node_selector:
        report.add(path, "node and nodeSelector cannot both be set")
    if spec.peer_ip and spec.peer_selector:
        report.add(path, "peerIP and peerSelector cannot both be set")
    if spec.peer_selector and spec.as_number:
        report.add(path, "asNumber must be empty when peerSelector is set")
    if spec.local_workload_selector:
        if spec.peer_ip:
            report.add(path, "peerIP must be empty when localWorkloadSelector is set")
        if spec.peer_selector:
            report.add(path, "peerSelector must be empty when localWorkloadSelector is set")
        if not spec.as_number:
            report.add(path, "asNumber is required when localWorkloadSelector is set")


_STANDARD_COMMUNITY = re.compile(r"(\d+):(\d+)", re.ASCII)
_LARGE_COMMUNITY = re.compile(r"(\d+):(\d+):(\d+)", re.ASCII)


def _valid_community(value: str, path: str, report: Report) -> bool:
    """``isValidCommunity``: False when not in community format; out-of-range parts are reported."""
    if _STANDARD_COMMUNITY.fullmatch(value):
        bits = 16
    elif _LARGE_COMMUNITY.fullmatch(value):
        bits = 32
    else:
        return False
    for part in value.split(":"):
        if int(part) >= 1 << bits:
            report.add(path, f"invalid community value, expected {bits} bit value", value)
    return True


def _check_bgp_configuration_spec(spec: BGPConfigurationSpec, path: str, report: Report) -> None:
    communities_path = json_path(path, "communities")
    for i, community in enumerate(spec.communities):
        value_path = json_path(json_path(communities_path, i), "value")
        if not _valid_community(community.value, value_path, report):
            report.add(value_path, "invalid community value or format used.", community.value)
    if spec.communities and not spec.prefix_advertisements:
        report.add(
            communities_path,
            "communities are defined but not used in Spec.PrefixAdvertisement[].",
        )
    defined = {c.name for c in spec.communities}
    for i, advert in enumerate(spec.prefix_advertisements):
        advert_path = json_path(json_path(path, "prefixAdvertisements"), i)
        if parse_cidr_or_ip(advert.cidr) is None:
            report.add(json_path(advert_path, "cidr"), "invalid CIDR value.", advert.cidr)
        for j, value in enumerate(advert.communities):
            value_path = json_path(json_path(advert_path, "communities"), j)
            if not _valid_community(value, value_path, report) and value not in defined:
                report.add(value_path, "community used is invalid or not defined.", value)
    mesh_off = spec.node_to_node_mesh_enabled is False
    if mesh_off and spec.node_mesh_password is not None:
        report.add(
            json_path(path, "nodeMeshPassword"),
            "spec.NodeMeshPassword cannot be set if spec.NodeToNodeMesh is disabled",
        )
    if mesh_off and spec.node_mesh_max_restart_time is not None:
        report.add(
            json_path(path, "nodeMeshMaxRestartTime"),
            "spec.NodeMeshMaxRestartTime cannot be set if spec.NodeToNodeMesh is disabled",
        )


def _cel_bgp_configuration_spec(spec: BGPConfigurationSpec, path: str, report: Report) -> None:
    if spec.node_to_node_mesh_enabled is False:
        if spec.node_mesh_password is not None:
            report.add(path, "nodeMeshPassword cannot be set when nodeToNodeMeshEnabled is false")
        if spec.node_mesh_max_restart_time is not None:
            report.add(path, "nodeMeshMaxRestartTime cannot be set when nodeToNodeMeshEnabled is false")


def _check_bgp_filter_rule(rule: BGPFilterRuleV4 | BGPFilterRuleV6, path: str, report: Report) -> None:
    if rule.cidr and not rule.match_operator:
        report.add(json_path(path, "cidr"), "MatchOperator cannot be empty when CIDR is not", rule.cidr)
    if not rule.cidr and rule.match_operator:
        report.add(
            json_path(path, "matchOperator"),
            "CIDR cannot be empty when MatchOperator is not",
            rule.match_operator,
        )
    if not rule.cidr and rule.prefix_length is not None:
        report.add(json_path(path, "prefixLength"), "CIDR cannot be empty when PrefixLength is not")
    # CEL rules of the BGPFilter CRD.
    if bool(rule.cidr) != bool(rule.match_operator):
        report.add(path, "cidr and matchOperator must both be set or both be empty")
    if rule.prefix_length is not None and not rule.cidr:
        report.add(path, "cidr is required when prefixLength is set")
    if rule.operations and rule.action != "Accept":
        report.add(path, "operations may only be used with action Accept")


def _check_bgp_filter_operation(op: BGPFilterOperation, path: str, report: Report) -> None:
    count = sum(x is not None for x in (op.add_community, op.prepend_as_path, op.set_priority))
    if count != 1:
        report.add(path, "exactly one operation must be set")


# -- Felix ---------------------------------------------------------------------------------------------

_DNS1123_LABEL = re.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_MAX_REGION = 63 - len("openstack-region-")
_HTO_NAME = re.compile("[a-zA-Z0-9_ -]+")
_ROUTE_TABLE_MAX = 0xFFFFFFFF
_ROUTE_TABLE_MAX_TABLES = 0xFFFF


def _check_felix_spec(spec: FelixConfigurationSpec, path: str, report: Report) -> None:
    ranges = spec.kube_node_port_ranges
    if ranges is not None:
        ranges_path = json_path(path, "kubeNodePortRanges")
        shown = [str(p) for p in ranges]
        if len(ranges) > 7:
            report.add(ranges_path, "node port ranges list is too long (max 7)", shown)
        for port in ranges:
            if port.port_name:
                report.add(ranges_path, "node port ranges should not contain named ports", shown)
    external = spec.external_nodes_list
    if external is not None:
        ext_path = json_path(path, "externalNodesList")
        for cidr in external:
            parsed = parse_cidr_or_ip(cidr)
            if parsed is None:
                report.add(ext_path, "has invalid CIDR(s)", cidr)
            elif parsed.ip.version != 4:
                report.add(ext_path, "has invalid IPv6 CIDR", cidr)
    region = spec.openstack_region
    if len(region) > _MAX_REGION:
        report.add(json_path(path, "openstackRegion"), "is too long", region)
    elif region and _DNS1123_LABEL.fullmatch(region) is None:
        report.add(json_path(path, "openstackRegion"), "must be a valid DNS label", region)
    for attr, alias, version in (
        ("nat_outgoing_address", "natOutgoingAddress", 4),
        ("device_route_source_address", "deviceRouteSourceAddress", 4),
        ("device_route_source_address_i_pv6", "deviceRouteSourceAddressIPv6", 6),
    ):
        text = getattr(spec, attr)
        if text:
            addr = parse_ip(text)
            if addr is None or addr.version != version:
                report.add(json_path(path, alias), f"is not a valid IPv{version} address", text)
    if spec.route_table_range is not None and spec.route_table_ranges is not None:
        report.add(
            json_path(path, "routeTableRange"),
            "cannot be set when `RouteTableRanges` is also set",
        )
        report.add(path, "routeTableRange and routeTableRanges cannot both be set")
    if spec.route_table_ranges is not None:
        tables = sum(r.max - r.min + 1 for r in spec.route_table_ranges)
        if tables > _ROUTE_TABLE_MAX_TABLES:
            report.add(json_path(path, "routeTableRanges"), "targets too many tables")


def _cel_felix_configuration(obj: FelixConfiguration, path: str, report: Report) -> None:
    name = obj.metadata.name
    if (name == "default" or name.startswith("node.")) and obj.spec.node_selector is not None:
        report.add(
            json_path(path, "spec.nodeSelector") if path else "FelixConfiguration",
            "nodeSelector must not be set on the 'default' or per-node ('node.*') FelixConfiguration",
        )


def _check_route_table_range(rng: RouteTableRange, path: str, report: Report) -> None:
    if not (rng.min >= 1 and rng.max >= rng.min and rng.max <= 250):
        report.add(path, "must be a range of route table indices within 1..250")


def _check_route_table_id_range(rng: RouteTableIDRange, path: str, report: Report) -> None:
    if rng.min > rng.max:
        report.add(path, "min value cannot be greater than max value")
    if rng.min <= 0:
        report.add(path, "cannot target indices < 1")
    if rng.max > _ROUTE_TABLE_MAX:
        report.add(path, "max index too high")


_NEGATIVE_DURATION = re.compile(r"\s*-.*[1-9].*")


def _check_health_timeout_override(hto: HealthTimeoutOverride, path: str, report: Report) -> None:
    if _HTO_NAME.fullmatch(hto.name) is None:
        report.add(json_path(path, "name"), "name should match regex ^[a-zA-Z0-9_ -]+$")
    if _NEGATIVE_DURATION.fullmatch(str(hto.timeout)):
        report.add(json_path(path, "timeout"), "Timeout should not be negative")


STRUCT_CHECKS: Mapping[str, Sequence[StructCheck]] = {
    "IPPoolSpec": (_check_ippool_spec, _cel_ippool_spec),
    "NetworkSet": (_check_networkset_labels,),
    "GlobalNetworkSet": (_check_networkset_labels,),
    "HostEndpointSpec": (_check_host_endpoint_spec, _cel_host_endpoint_spec),
    "WorkloadEndpointSpec": (_check_workload_endpoint_spec,),
    "WorkloadEndpointPort": (_check_workload_endpoint_port,),
    "IPNAT": (_check_ipnat,),
    "NodeSpec": (_check_node_spec,),
    "IPAMConfigurationSpec": (_check_ipam_config_spec,),
    "BlockAffinitySpec": (_check_block_affinity_spec,),
    "ClusterInformation": (_check_cluster_information,),
    "BGPPeerSpec": (_check_bgp_peer_spec, _cel_bgp_peer_spec),
    "BGPConfigurationSpec": (_check_bgp_configuration_spec, _cel_bgp_configuration_spec),
    "BGPFilterRuleV4": (_check_bgp_filter_rule,),
    "BGPFilterRuleV6": (_check_bgp_filter_rule,),
    "BGPFilterOperation": (_check_bgp_filter_operation,),
    "FelixConfigurationSpec": (_check_felix_spec,),
    "FelixConfiguration": (_cel_felix_configuration,),
    "RouteTableRange": (_check_route_table_range,),
    "RouteTableIDRange": (_check_route_table_id_range,),
    "HealthTimeoutOverride": (_check_health_timeout_override,),
}
