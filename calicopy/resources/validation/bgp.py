"""Validation rules for BGP: peers, the BGP configuration and BGP filters.

Struct checks follow the struct-level validators of libcalico-go's
``lib/validator/v3/validator.go`` (v3.32.1) and then the CEL rules
(``x-kubernetes-validations``) of the bgppeers and bgpconfigurations CRDs in ``api/config/crd``.
Reasons are libcalico-go's (and the CRDs') texts verbatim, typos included; paths are JSON paths.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..model import json_path
from .common import matching, one_of, parse_cidr_or_ip, parse_ip
from .engine import FieldCheck, Report, StructCheck

if TYPE_CHECKING:
    from ..generated.bgpconfig import BGPConfigurationSpec
    from ..generated.bgpfilter import BGPFilterOperation, BGPFilterRuleV4, BGPFilterRuleV6
    from ..generated.bgppeer import BGPPeerSpec

__all__ = ["FIELD_CHECKS", "STRUCT_CHECKS", "split_ip_port"]

# -- field checks --------------------------------------------------------------------------------

_BGP_FILTER_INTERFACE = re.compile("[a-zA-Z0-9_.*-]{1,15}")
_PREFIX_LENGTH_V4 = re.compile("[0-9]|[12][0-9]|3[0-2]")
_PREFIX_LENGTH_V6 = re.compile("[0-9]|[1-9][0-9]|1[0-1][0-9]|12[0-8]")
_IPV4_PORT = re.compile(r"(\d+).(\d+).(\d+).(\d+):(\d+)", re.ASCII)
_IPV6_PORT = re.compile(r"\[[0-9a-fA-F:.]+\]:(\d+)", re.ASCII)


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


FIELD_CHECKS: Mapping[str, FieldCheck] = {
    "IP:port": _check_ip_port,
    "reachableBy": _check_reachable_by,
    "sourceAddress": one_of("UseNodeIP", "None"),
    "filterAction": one_of("Accept", "Reject"),
    "matchOperator": one_of("Equal", "In", "NotEqual", "NotIn"),
    "bgpFilterInterface": matching(_BGP_FILTER_INTERFACE, star=True),
    "bgpFilterPrefixLengthV4": matching(_PREFIX_LENGTH_V4, star=True),
    "bgpFilterPrefixLengthV6": matching(_PREFIX_LENGTH_V6, star=True),
}


# -- struct checks -------------------------------------------------------------------------------


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


STRUCT_CHECKS: Mapping[str, Sequence[StructCheck]] = {
    "BGPPeerSpec": (_check_bgp_peer_spec, _cel_bgp_peer_spec),
    "BGPConfigurationSpec": (_check_bgp_configuration_spec, _cel_bgp_configuration_spec),
    "BGPFilterRuleV4": (_check_bgp_filter_rule,),
    "BGPFilterRuleV6": (_check_bgp_filter_rule,),
    "BGPFilterOperation": (_check_bgp_filter_operation,),
}
