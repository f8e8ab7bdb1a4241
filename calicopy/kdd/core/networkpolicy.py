"""KubernetesNetworkPolicy <- networking.k8s.io/v1 NetworkPolicy: libcalico-go v3.32.1's
``conversion.go`` (``K8sNetworkPolicyToCalico``, ``k8sSelectorToCalico``, ``k8sRuleToCalico``,
``SimplifyPorts``).  Pure; see ``docs/kdd-mapping.md``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from ...resources.generated.networkpolicy import NetworkPolicy
from ...resources.meta import Resource
from ...resources.types import Port
from ...resources.validation.common import parse_cidr
from ..convert import _go_time
from .common import LABEL_ORCHESTRATOR, as_list, as_map, as_str, check_kind, convert_k8s_uid, make_resource, string_map

__all__ = ["network_policy_from_k8s", "simplify_ports"]

_log = logging.getLogger(__name__)


def _selector(selector: Any, *, pod: bool) -> str:
    """k8sSelectorToCalico: ``None`` is a nil LabelSelector (matches nothing extra)."""
    terms = [f"{LABEL_ORCHESTRATOR} == 'k8s'"] if pod else []
    if selector is None:
        return " && ".join(terms)
    selector = as_map(selector)
    match_labels = string_map(selector.get("matchLabels"))
    expressions = as_list(selector.get("matchExpressions"))
    if not pod and not match_labels and not expressions:
        return "all()"
    terms += [f"{k} == '{match_labels[k]}'" for k in sorted(match_labels, key=str.encode)]
    for expr in expressions:
        expr = as_map(expr)
        key = as_str(expr.get("key"))
        values = "', '".join(v for v in as_list(expr.get("values")) if isinstance(v, str))
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
        block = as_map(block)
        parsed = parse_cidr(as_str(block.get("cidr")))
        if parsed is None:
            return {}  # libcalico-go logs and leaves the peer empty (it then matches everything)
        fields: dict[str, Any] = {"nets": [str(parsed.network)]}
        not_nets = []
        for exception in as_list(block.get("except")):
            excepted = parse_cidr(as_str(exception))
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
    peers: list[Mapping[str, Any] | None] = [as_map(p) for p in peers_in] or [None]
    # protocol -> ports (None: all ports); protocol "" means no protocol (and no port) match.
    by_protocol: dict[str, list[Port] | None] = {}
    if not ports_in:
        by_protocol[""] = None
    for raw_port in ports_in:
        raw = as_map(raw_port)
        protocol = _protocol(as_str(raw["protocol"]) if raw.get("protocol") is not None else "TCP")
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


def network_policy_from_k8s(obj: Mapping[str, Any]) -> Resource:
    check_kind(obj, "NetworkPolicy")
    meta = as_map(obj.get("metadata"))
    spec_in = as_map(obj.get("spec"))
    rules: dict[str, list[dict[str, Any]]] = {"ingress": [], "egress": []}
    for direction, peers_key, ingress in (("ingress", "from", True), ("egress", "to", False)):
        for rule in as_list(spec_in.get(direction)):
            rule = as_map(rule)
            try:
                rules[direction] += _k8s_rule(as_list(rule.get(peers_key)), as_list(rule.get("ports")), ingress=ingress)
            except ValueError as exc:
                # ErrorPolicyConversion: the List/Watch client ignores it and keeps the other rules.
                _log.warning("dropping k8s rule that couldn't be converted: %s", exc)
    policy_types = as_list(spec_in.get("policyTypes"))
    types = [t for t in ("Ingress", "Egress") if t in policy_types] or ["Ingress"]
    uid = as_str(meta.get("uid"))
    metadata = {
        "name": as_str(meta.get("name")),
        "namespace": as_str(meta.get("namespace")),
        "creationTimestamp": _go_time(meta.get("creationTimestamp")),
        "uid": convert_k8s_uid(uid) if uid else "",
        "resourceVersion": as_str(meta.get("resourceVersion")),
    }
    spec = {
        "order": 1000.0,
        "tier": "default",
        "selector": _selector(spec_in.get("podSelector") or {}, pod=True),
        "ingress": rules["ingress"],
        "egress": rules["egress"],
        "types": types,
    }
    return make_resource(NetworkPolicy, metadata, {k: v for k, v in spec.items() if v != []})
