"""Validation rules for the non-policy kinds: pools, endpoints, nodes, Felix and friends (BGP: bgp.py).

Struct checks follow the struct-level validators of libcalico-go's
``lib/validator/v3/validator.go`` (v3.32.1) and then the CEL rules
(``x-kubernetes-validations``) of the matching CRDs in ``api/config/crd``.  Reasons are
libcalico-go's (and the CRDs') texts verbatim, typos included; paths are JSON paths.
Field checks cover the remaining ``validate`` tags (Felix, kube-controllers, nodes).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..model import json_path
from .common import compiles_as_go_regexp, matching, one_of, parse_cidr_or_ip, parse_ip
from .engine import FieldCheck, Report, StructCheck

if TYPE_CHECKING:
    from ..generated.blockaffinity import BlockAffinitySpec
    from ..generated.clusterinfo import ClusterInformation
    from ..generated.felixconfig import (
        FelixConfiguration,
        FelixConfigurationSpec,
        HealthTimeoutOverride,
        RouteTableIDRange,
        RouteTableRange,
    )
    from ..generated.globalnetworkset import GlobalNetworkSet
    from ..generated.hostendpoint import HostEndpointSpec
    from ..generated.ipamconfig import IPAMConfigurationSpec
    from ..generated.ippool import IPPoolSpec
    from ..generated.networkset import NetworkSet
    from ..generated.node import NodeSpec
    from ..generated.workloadendpoint import IPNAT, WorkloadEndpointPort, WorkloadEndpointSpec

__all__ = ["FIELD_CHECKS", "STRUCT_CHECKS"]

# -- field checks --------------------------------------------------------------------------------

_INTERFACE = re.compile("[a-zA-Z0-9_.-]{1,15}")
_PROMETHEUS_HOST = re.compile("[a-zA-Z0-9:._+-]{1,64}")
_KEY_VALUE = re.compile(r"\s*(\w+)=(.*)", re.ASCII | re.DOTALL)


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
    "assignIPs": one_of("AllServices", "RequestedServicesOnly"),
    "createDefaultHostEndpoint": one_of("Enabled", "Disabled"),
    "ipType": one_of("CalicoNodeIP", "InternalIP", "ExternalIP"),
    "wireguardPublicKey": _check_wireguard_key,
    "prometheusHost": matching(_PROMETHEUS_HOST),
    "keyValueList": _check_key_value_list,
    "iptablesBackend": _check_iptables_backend,
    "bpfLogLevel": one_of("Debug", "Info", "Off"),
    "bpfLogFilters": _check_bpf_log_filters,
    "bpfServiceMode": one_of("Tunnel", "DSR"),
    "bpfConnectTimeLoadBalancing": one_of("Disabled", "Enabled", "TCP"),
    "bpfHostNetworkedNATWithoutCTLB": one_of("Disabled", "Enabled"),
    "dropAcceptReturn": one_of("Drop", "Accept", "Return"),
    "acceptReturn": one_of("Accept", "Return"),
    "dropReject": one_of("Drop", "Reject"),
    # libcalico-go validates routeSource by compiling it as a regexp (sic).
    "routeSource": _check_regexp,
    "datastoreType": one_of("etcdv3", "kubernetes"),
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
    "FelixConfigurationSpec": (_check_felix_spec,),
    "FelixConfiguration": (_cel_felix_configuration,),
    "RouteTableRange": (_check_route_table_range,),
    "RouteTableIDRange": (_check_route_table_id_range,),
    "HealthTimeoutOverride": (_check_health_timeout_override,),
}
