"""Validation rules: policy family (see engine.py for the table conventions).

What libcalico-go v3.32.1 (``libcalico-go/lib/validator/v3/validator.go``) checks for rules,
entity rules, ports, protocols, HTTP matches, policies, staged policies and tiers, plus the
CEL rules (``x-kubernetes-validations``) of the networkpolicies, globalnetworkpolicies,
stagednetworkpolicies, stagedglobalnetworkpolicies and tiers CRDs.

Reasons are libcalico-go's texts, verbatim.  Paths are JSON paths
(``spec.ingress[0].source.ports[1]``) where libcalico-go prints Go names (``Source.Ports``).
CEL failures are reported after the Go struct-level failures of the same resource, as
libcalico-go's ``Validate`` appends the CRD errors last.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ...errors import SelectorError
from ...selector import Kind, parse_cached, tokenize
from ..model import json_path
from ..types import Port
from .engine import FieldCheck, Report, StructCheck

if TYPE_CHECKING:
    from ..felixconfig import ProtoPort
    from ..globalnetworkpolicy import GlobalNetworkPolicy
    from ..hostendpoint import EndpointPort
    from ..networkpolicy import NetworkPolicy
    from ..policy_common import EntityRule, HTTPMatch, ICMPFields, Rule, RuleMetadata
    from ..stagedglobalnetworkpolicy import StagedGlobalNetworkPolicy
    from ..stagedkubernetesnetworkpolicy import StagedKubernetesNetworkPolicy
    from ..stagednetworkpolicy import StagedNetworkPolicy
    from ..tier import Tier

__all__ = [
    "FIELD_CHECKS",
    "STRUCT_CHECKS",
    "check_port",
    "check_ports",
    "check_protocol",
    "protocol_supports_ports",
    "valid_port_name",
    "valid_selector",
]

# -- constants (libcalico-go's regexes and messages) ------------------------------------------

_NAME_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_NAME_SUBDOMAIN = _NAME_LABEL + r"(\." + _NAME_LABEL + ")*"
_TIER_NAME_RE = re.compile(_NAME_LABEL)
_NP_NAME_RE = re.compile("(" + _NAME_LABEL + r")(\." + _NAME_LABEL + r")?|(?:knp|ossg)\.default\." + _NAME_SUBDOMAIN)
_GNP_NAME_RE = re.compile("(" + _NAME_LABEL + r"\.)?" + _NAME_LABEL)
_POLICY_NAME_MSG = "name must consist of lower case alphanumeric characters or '-' (regex: " + _NAME_LABEL + ")"
_SUBDOMAIN_MAX = 253
_LABEL_MAX = 63

_ACTIONS = frozenset(("Allow", "Deny", "Log", "Pass"))
_STAGED_ACTIONS = frozenset(("Set", "Delete", "Learn", "Ignore"))
_POLICY_TYPES = frozenset(("Ingress", "Egress"))
_PROTOCOL_NAMES = frozenset(("TCP", "UDP", "ICMP", "ICMPv6", "SCTP", "UDPLite"))
_PORT_PROTOCOL_NUMBERS = frozenset((6, 17, 132))
_PORT_PROTOCOL_NAMES = frozenset(("TCP", "UDP", "SCTP", "tcp", "udp", "sctp"))
_PROTO_PORT_PROTOCOLS = frozenset(("TCP", "UDP", "SCTP"))

_PORTS_MSG = "rules that specify ports must set protocol to TCP or UDP or SCTP"
_NUMERIC_PORTS_MSG = "rules with numeric port or port range must set protocol to TCP or UDP or SCTP"
_ICMP_MSG = "rules that specify ICMP fields must set protocol to ICMP"
_HTTP_PROTOCOL_MSG = "rules that specify HTTP fields must set protocol to TCP or empty"
_PORT_RANGE_MSG = "port range invalid, port number must be between 1 and 65535"
_GLOBAL = "global()"
_GLOBAL_ENTITY_RULE_MSG = "global() can only be used in an EntityRule namespaceSelector"
_GLOBAL_ONLY_MSG = "global() cannot be combined with other selectors"
_CATCH_ALL_MSG = "catch-all CIDR in negation creates logical contradiction (matches no traffic)"
_STAGED_DELETE_MSG = "Spec fields, except Tier, should all be zero-value if stagedAction is Delete"

# Built-in tiers: name -> (required order, libcalico-go's message with Go's %v of the float).
_TIER_ORDERS: Mapping[str, tuple[float, str]] = MappingProxyType(
    {
        "default": (1_000_000.0, "default tier order must be 1e+06"),
        "kube-admin": (1_000.0, "kube-admin tier order must be 1000"),
        "kube-baseline": (10_000_000.0, "kube-baseline tier order must be 1e+07"),
    }
)
# CEL on the tiers CRD: name -> (required defaultAction, message).
_TIER_ACTIONS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "kube-admin": ("Pass", "The 'kube-admin' tier must have default action 'Pass'"),
        "kube-baseline": ("Pass", "The 'kube-baseline' tier must have default action 'Pass'"),
        "default": ("Deny", "The 'default' tier must have default action 'Deny'"),
    }
)

# k8s.io/apimachinery IsValidPortName.
_PORT_NAME_CHARS_RE = re.compile(r"[-a-z0-9]+")
_PORT_NAME_LETTER_RE = re.compile(r"[a-z]")

# k8s.io/apimachinery IsQualifiedName (annotation keys of RuleMetadata).
_QUALIFIED_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_QUALIFIED_RE = re.compile(_QUALIFIED_FMT)
_QUALIFIED_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for "
    "validation is '" + _QUALIFIED_FMT + "')"
)
_DNS_SUBDOMAIN_RE = re.compile(_NAME_SUBDOMAIN)
_DNS_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '" + _NAME_SUBDOMAIN + "')"
)
_ANNOTATIONS_LIMIT = 256 * 1024

_DIGITS_RE = re.compile(r"[0-9]+")


# -- field checks (go-playground tags) -----------------------------------------------------------


def valid_selector(value: Any, _param: str = "") -> bool:
    """The ``selector`` tag: the text must parse (the empty selector is valid)."""
    if not isinstance(value, str):
        return False
    try:
        parse_cached(value)
    except (SelectorError, ValueError):
        return False
    return True


def valid_port_name(value: Any, _param: str = "") -> bool:
    """The ``portName`` tag: non-empty and k8s ``IsValidPortName``."""
    if not isinstance(value, str) or not value or len(value) > 15:
        return False
    if not _PORT_NAME_CHARS_RE.fullmatch(value) or not _PORT_NAME_LETTER_RE.search(value):
        return False
    return "--" not in value and value[0] != "-" and value[-1] != "-"


def _in(values: frozenset[Any]) -> FieldCheck:
    def check(value: Any, _param: str) -> bool:
        return value in values

    return check


def _valid_ip_version(value: Any, _param: str) -> bool:
    return value in (4, 6) and not isinstance(value, bool)


FIELD_CHECKS: Mapping[str, FieldCheck] = MappingProxyType(
    {
        "action": _in(_ACTIONS),
        "ipVersion": _valid_ip_version,
        "portName": valid_port_name,
        "stagedAction": _in(_STAGED_ACTIONS),
        "policyType": _in(_POLICY_TYPES),
        "selector": valid_selector,
    }
)


def _tag_failure(go_name: str, tag: str) -> str:
    return f"Reason: failed to validate Field: {go_name} because of Tag: {tag} "


# -- protocols and ports -------------------------------------------------------------------------


def check_protocol(value: Any, path: str, report: Report) -> None:
    """``numorstring.Protocol``: a number 1-255 or one of libcalico-go's protocol names.

    ``None`` stands for Go's zero Protocol (the number 0) on non-pointer fields.
    """
    if value is None or isinstance(value, int):
        if not value:
            report.add(path, "protocol number invalid", 0 if value is None else value)
    elif value not in _PROTOCOL_NAMES:
        report.add(path, "protocol name invalid", value)


def protocol_supports_ports(value: Any) -> bool:
    """``Protocol.SupportsPorts``: TCP, UDP or SCTP by name (either case libcalico-go knows) or number."""
    if isinstance(value, int):
        return value in _PORT_PROTOCOL_NUMBERS
    if isinstance(value, str) and _DIGITS_RE.fullmatch(value):
        return int(value) in _PORT_PROTOCOL_NUMBERS
    return value in _PORT_PROTOCOL_NAMES


def check_port(port: Port, path: str, report: Report) -> None:
    """``numorstring.Port``: the ``portName`` tag of its name, then libcalico-go's ``validatePort``."""
    name = port.port_name
    if name and not valid_port_name(name):
        report.add(path, _tag_failure("PortName", "portName"), name)
    low, high = port.min_port, port.max_port
    if low > high:
        report.add(path, "port range invalid", high)
    if name:
        if low or high:
            report.add(path, "named port invalid, if name is specified, min and max should be 0", name)
    elif low < 1:
        report.add(path, _PORT_RANGE_MSG, low)
    elif high < 1:
        report.add(path, _PORT_RANGE_MSG, high)


def check_ports(ports: Iterable[Port], path: str, report: Report) -> None:
    """:func:`check_port` for each element of a port list at ``path``."""
    for i, port in enumerate(ports):
        check_port(port, f"{path}[{i}]", report)


def _all_named(ports: Sequence[Port]) -> bool:
    return all(port.port_name for port in ports)


# -- nets ----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def _parse_go_cidr(text: str) -> tuple[int, bool] | None:
    """Go's ``net.ParseCIDR``: (IP version as libcalico-go sees it, whether it is a /0 of ::).

    None when Go would fail: a bare IP, a netmask-style or signed prefix, a zone, bad digits.
    """
    addr, sep, prefix = text.partition("/")
    if not sep or not prefix.isascii() or not prefix.isdigit() or "%" in addr:
        return None
    try:
        net = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None
    if net.version == 4:
        return 4, False
    assert isinstance(net, ipaddress.IPv6Network)
    if net.prefixlen == 0:
        return 6, True  # the masked address of any /0 is ::
    # An IPv4-mapped address is IPv4 to libcalico-go (IP.To4() != nil).
    return (4 if net.network_address.ipv4_mapped is not None else 6), False


# -- rules ---------------------------------------------------------------------------------------


def _check_rule(rule: Rule, path: str, report: Report) -> None:
    """``validateRule`` plus the struct validators of the Protocol fields."""
    ip_version = rule.ip_version
    if ip_version == 0:
        # A pointer to 0: go-playground's omitempty does not skip non-nil pointers.
        report.add(json_path(path, "ipVersion"), _tag_failure("IPVersion", "ipVersion"), 0)
    protocol = rule.protocol
    not_protocol = rule.not_protocol
    if protocol is not None:
        check_protocol(protocol, json_path(path, "protocol"), report)
    if not_protocol is not None:
        check_protocol(not_protocol, json_path(path, "notProtocol"), report)

    src = rule.source
    dst = rule.destination
    if protocol is None:
        for key, name, ports in (
            ("source", "ports", src.ports),
            ("source", "notPorts", src.not_ports),
            ("destination", "ports", dst.ports),
            ("destination", "notPorts", dst.not_ports),
        ):
            if ports and not _all_named(ports):
                report.add(_sub(path, key, name), _NUMERIC_PORTS_MSG)
    elif not protocol_supports_ports(protocol):
        for key, name, ports in (
            ("source", "ports", src.ports),
            ("source", "notPorts", src.not_ports),
            ("destination", "ports", dst.ports),
            ("destination", "notPorts", dst.not_ports),
        ):
            if ports:
                report.add(_sub(path, key, name), _PORTS_MSG)

    if rule.http is not None and protocol is not None and protocol != "TCP":
        report.add(json_path(path, "protocol"), _HTTP_PROTOCOL_MSG, protocol)

    if rule.icmp is not None and protocol not in ("ICMP", "ICMPv6"):
        report.add(json_path(path, "icmp"), _ICMP_MSG)

    if ip_version is not None:
        if (protocol == "ICMP" or not_protocol == "ICMP") and ip_version != 4:
            report.add(json_path(path, "ipVersion"), "must set ipversion to '4' with protocol icmp", ip_version)
        if (protocol == "ICMPv6" or not_protocol == "ICMPv6") and ip_version != 6:
            report.add(
                json_path(path, "ipVersion"),
                "must set ipversion to '6' with protocol icmpv6",
                ip_version,
            )

    if src.nets or src.not_nets or dst.nets or dst.not_nets:
        _scan_nets(rule, path, report)

    if rule.http is not None and rule.action != "Allow":
        report.add(json_path(path, "http"), "only valid for Allow rules")

    if dst.services is not None:
        if dst.ports:
            report.add(_sub(path, "destination", "ports"), "cannot specify ports with a service selector")
        if dst.not_ports:
            report.add(
                _sub(path, "destination", "notPorts"),
                "cannot specify notports with a service selector",
            )


def _sub(path: str, key: str, name: str) -> str:
    return f"{path}.{key}.{name}" if path else f"{key}.{name}"


def _scan_nets(rule: Rule, path: str, report: Report) -> None:
    ip_version = rule.ip_version
    seen_v4 = seen_v6 = False
    for key, name, nets in (
        ("source", "nets", rule.source.nets),
        ("source", "notNets", rule.source.not_nets),
        ("destination", "nets", rule.destination.nets),
        ("destination", "notNets", rule.destination.not_nets),
    ):
        if not nets:
            continue
        fpath = _sub(path, key, name)
        negated = name == "notNets"
        v4 = v6 = False
        for i, text in enumerate(nets):
            parsed = _parse_go_cidr(text)
            if parsed is None:
                report.add(f"{fpath}[{i}]", "invalid CIDR", text)
                continue
            version, zero_v6 = parsed
            if version == 4:
                v4 = True
            else:
                v6 = True
            if negated and (text == "0.0.0.0/0" or zero_v6):
                report.add(f"{fpath}[{i}]", _CATCH_ALL_MSG, text)
        if ip_version is not None and ((v4 and ip_version != 4) or (v6 and ip_version != 6)):
            report.add(fpath, "rule IP version doesn't match CIDR version", list(nets))
        if (v4 and seen_v6) or (v6 and seen_v4) or (v4 and v6):
            report.add(fpath, "rule contains both IPv4 and IPv6 CIDRs", list(nets))
        seen_v4 = seen_v4 or v4
        seen_v6 = seen_v6 or v6


def _check_entity_rule(rule: EntityRule, path: str, report: Report) -> None:
    """The Port struct validators of ``ports``/``notPorts``, then ``validateEntityRule``."""
    if rule.ports:
        check_ports(rule.ports, json_path(path, "ports"), report)
    if rule.not_ports:
        check_ports(rule.not_ports, json_path(path, "notPorts"), report)

    selector = rule.selector
    if selector and _GLOBAL in selector:
        report.add(json_path(path, "selector"), _GLOBAL_ENTITY_RULE_MSG, selector)
    ns_selector = rule.namespace_selector
    if ns_selector and "global(" in ns_selector and ns_selector != _GLOBAL and not _only_global(ns_selector):
        report.add(json_path(path, "namespaceSelector"), _GLOBAL_ONLY_MSG, ns_selector)

    if rule.services is not None:
        spath = json_path(path, "services")
        if not rule.services.name:
            report.add(spath, "must specify a service name")
        if ns_selector:
            report.add(spath, "cannot specify NamespaceSelector and Services on the same rule")
        if selector or rule.not_selector:
            report.add(spath, "cannot specify Selector/NotSelector and Services on the same rule")
        if rule.service_accounts is not None:
            report.add(spath, "cannot specify ServiceAccounts and Services on the same rule")
        if rule.nets or rule.not_nets:
            report.add(spath, "cannot specify Nets/NotNets and Services on the same rule")


def _only_global(text: str) -> bool:
    try:
        tokens = tokenize(text)
    except (SelectorError, ValueError):
        return False
    return len(tokens) <= 2 and tokens[0].kind == Kind.GLOBAL


def _check_icmp(icmp: ICMPFields, path: str, report: Report) -> None:
    if icmp.code is not None and icmp.type is None:
        report.add(json_path(path, "code"), "ICMP code specified without an ICMP type", icmp.code)


def _check_http(http: HTTPMatch, path: str, report: Report) -> None:
    methods = http.methods
    if methods and len(set(methods)) != len(methods):
        report.add(
            json_path(path, "methods"),
            "Invalid methods (duplicates): [" + " ".join(methods) + "]",
            list(methods),
        )
    for p in http.paths:
        problem = None
        if p.exact and p.prefix:
            problem = "Invalid path match. Both 'exact' and 'prefix' are set"
        else:
            value = p.exact or p.prefix
            if not value:
                problem = "Invalid path match. Either 'exact' or 'prefix' must be set"
            elif not value.startswith("/") or any(c in value for c in "? #"):
                problem = f"Invalid path {value}. (must start with `/` and not contain `?` or `#`"
        if problem is not None:
            report.add(json_path(path, "paths"), problem)
            break


def _qualified_name_errors(key: str) -> list[str]:
    parts = key.split("/")
    if len(parts) == 1:
        name = parts[0]
        errs: list[str] = []
    elif len(parts) == 2:
        prefix, name = parts
        errs = []
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            if len(prefix) > _SUBDOMAIN_MAX:
                errs.append(f"prefix part must be no more than {_SUBDOMAIN_MAX} bytes")
            if not _DNS_SUBDOMAIN_RE.fullmatch(prefix):
                errs.append("prefix part " + _DNS_SUBDOMAIN_MSG)
    else:
        return [
            "a qualified name "
            + _QUALIFIED_MSG
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > _LABEL_MAX:
        errs.append(f"name part must be no more than {_LABEL_MAX} bytes")
    if not _QUALIFIED_RE.fullmatch(name):
        errs.append("name part " + _QUALIFIED_MSG)
    return errs


def _check_rule_metadata(meta: RuleMetadata, path: str, report: Report) -> None:
    """``validateObjectMetaAnnotations`` on a rule's annotations."""
    annotations = meta.annotations
    if not annotations:
        return
    apath = json_path(path, "annotations")
    total = 0
    for key, value in annotations.items():
        for err in _qualified_name_errors(key.lower()):
            report.add(apath, err, key)
        total += len(key.encode()) + len(value.encode())
    if total > _ANNOTATIONS_LIMIT:
        report.add(
            apath,
            f"total size of annotations is too large by {total - _ANNOTATIONS_LIMIT} bytes",
        )


def _check_proto_port(pp: ProtoPort, path: str, report: Report) -> None:
    if pp.protocol not in _PROTO_PORT_PROTOCOLS:
        report.add(json_path(path, "protocol"), "protocol must be 'TCP' or 'UDP' or 'SCTP'.", pp.protocol)


def _check_endpoint_port(port: EndpointPort, path: str, report: Report) -> None:
    ppath = json_path(path, "protocol")
    check_protocol(port.protocol, ppath, report)
    if not protocol_supports_ports(port.protocol):
        report.add(ppath, "EndpointPort protocol does not support ports.", port.protocol)


# -- policies ------------------------------------------------------------------------------------


def _check_name(name: str, regex: re.Pattern[str], limit: int, message: str, report: Report) -> None:
    size = len(name.encode())
    if size > limit:
        report.add("metadata.name", f"name is too long by {size - limit} bytes", name)
    if not regex.fullmatch(name):
        report.add("metadata.name", message, name)


def _check_policy_spec(spec: Any, report: Report, *, is_global: bool) -> None:
    """``validateNetworkPolicySpec`` / ``validateGlobalNetworkPolicySpec`` (spec at ``spec``)."""
    types = spec.types
    egress = spec.egress
    ingress = spec.ingress
    if is_global:
        if spec.do_not_track and spec.pre_dnat:
            report.add("spec.preDNAT", "PreDNAT and DoNotTrack cannot both be true, for a given PolicySpec", True)
        if spec.pre_dnat and egress:
            report.add("spec.egress", "PreDNAT PolicySpec cannot have any Egress rules")
        if spec.pre_dnat:
            for t in types:
                if t == "Egress":
                    report.add("spec.types", "PreDNAT PolicySpec cannot have 'egress' Type", list(types))
        if not spec.apply_on_forward and (spec.do_not_track or spec.pre_dnat):
            report.add(
                "spec.applyOnForward",
                "ApplyOnForward must be true if either PreDNAT or DoNotTrack is true, for a given PolicySpec",
                False,
            )
    if len(types) > 1:
        seen: set[str] = set()
        for t in types:
            if t in seen:
                report.add("spec.types", f"'{t}' type specified more than once", list(types))
            else:
                seen.add(t)
    alp_msg = "not allowed in egress rules" if is_global else "not allowed in egress rule"
    for i, rule in enumerate(egress):
        if rule.source.services is not None:
            report.add(f"spec.egress[{i}].source.services", "not allowed in egress rule source")
        if rule.http is not None:
            report.add(f"spec.egress[{i}].http", alp_msg)
    for i, rule in enumerate(ingress):
        if rule.destination.services is not None:
            report.add(f"spec.ingress[{i}].destination.services", "not allowed in ingress rule destination")
    if is_global:
        for i, rule in enumerate(egress):
            services = rule.destination.services
            if services is not None and not services.namespace:
                report.add(f"spec.egress[{i}].destination.services.namespace", "must specify a namespace", "")
        for i, rule in enumerate(ingress):
            services = rule.source.services
            if services is not None and not services.namespace:
                report.add(f"spec.ingress[{i}].source.services.namespace", "must specify a namespace", "")
    if _GLOBAL in spec.selector:
        report.add("spec.selector", _GLOBAL_ENTITY_RULE_MSG, spec.selector)
    if _GLOBAL in spec.service_account_selector:
        report.add("spec.serviceAccountSelector", _GLOBAL_ENTITY_RULE_MSG, spec.service_account_selector)
    if is_global and _GLOBAL in spec.namespace_selector:
        report.add("spec.namespaceSelector", _GLOBAL_ENTITY_RULE_MSG, spec.namespace_selector)


def _staged_delete_ok(spec: Any, keep: frozenset[str]) -> bool:
    """Whether every field of ``spec`` other than ``keep`` is Go's zero value."""
    for name in type(spec).model_fields:
        if name in keep:
            continue
        value = getattr(spec, name)
        if value is None or value is False or value == "" or value == []:
            continue
        return False
    return True


_STAGED_KEEP = frozenset(("tier", "staged_action"))
_SKNP_KEEP = frozenset(("staged_action",))


# CEL rules of the policy CRDs ------------------------------------------------------------------

_CEL_ICMP = "ICMP code specified without an ICMP type"


def _cel_rules(spec: Any, report: Report) -> None:
    for direction, rules in (("ingress", spec.ingress), ("egress", spec.egress)):
        for i, rule in enumerate(rules):
            path = f"spec.{direction}[{i}]"
            icmp = rule.icmp
            if icmp is not None and icmp.code is not None and icmp.type is None:
                report.add(path + ".icmp", _CEL_ICMP)
            icmp = rule.not_icmp
            if icmp is not None and icmp.code is not None and icmp.type is None:
                report.add(path + ".notICMP", _CEL_ICMP)
            http = rule.http
            if http is not None:
                protocol = rule.protocol
                if protocol is not None and protocol != "TCP" and protocol != 6:
                    report.add(path, "rules with HTTP match must have protocol TCP or unset")
                if rule.action != "Allow":
                    report.add(path, "HTTP match is only valid on Allow rules")
            dst = rule.destination
            if dst.services is not None and (dst.ports or dst.not_ports):
                report.add(path, "ports and notPorts cannot be specified with services")


def _cel_global_spec(spec: Any, report: Report) -> None:
    pre_dnat = spec.pre_dnat
    do_not_track = spec.do_not_track
    if do_not_track and pre_dnat:
        report.add("spec", "preDNAT and doNotTrack cannot both be true")
    if pre_dnat and spec.egress:
        report.add("spec", "preDNAT policy cannot have any egress rules")
    if pre_dnat and "Egress" in spec.types:
        report.add("spec", "preDNAT policy cannot have 'Egress' type")
    if not spec.apply_on_forward and (do_not_track or pre_dnat):
        report.add("spec", "applyOnForward must be true if either preDNAT or doNotTrack is true")


# Resource-level checks -----------------------------------------------------------------------


def _check_network_policy(policy: NetworkPolicy, _path: str, report: Report) -> None:
    _check_name(policy.metadata.name, _NP_NAME_RE, _SUBDOMAIN_MAX, _POLICY_NAME_MSG, report)
    _check_policy_spec(policy.spec, report, is_global=False)
    _cel_rules(policy.spec, report)


def _check_global_network_policy(policy: GlobalNetworkPolicy, _path: str, report: Report) -> None:
    _check_name(policy.metadata.name, _GNP_NAME_RE, _SUBDOMAIN_MAX, _POLICY_NAME_MSG, report)
    _check_policy_spec(policy.spec, report, is_global=True)
    _cel_rules(policy.spec, report)
    _cel_global_spec(policy.spec, report)


def _check_staged_network_policy(policy: StagedNetworkPolicy, _path: str, report: Report) -> None:
    _check_name(policy.metadata.name, _NP_NAME_RE, _SUBDOMAIN_MAX, _POLICY_NAME_MSG, report)
    spec = policy.spec
    if spec.staged_action == "Delete":
        if not _staged_delete_ok(spec, _STAGED_KEEP):
            report.add("spec", _STAGED_DELETE_MSG)
    else:
        _check_policy_spec(spec, report, is_global=False)
    _cel_rules(spec, report)


def _check_staged_global_network_policy(policy: StagedGlobalNetworkPolicy, _path: str, report: Report) -> None:
    _check_name(policy.metadata.name, _GNP_NAME_RE, _SUBDOMAIN_MAX, _POLICY_NAME_MSG, report)
    spec = policy.spec
    if spec.staged_action == "Delete":
        if not _staged_delete_ok(spec, _STAGED_KEEP):
            report.add("spec", _STAGED_DELETE_MSG)
    else:
        _check_policy_spec(spec, report, is_global=True)
    _cel_rules(spec, report)
    _cel_global_spec(spec, report)


def _check_staged_kubernetes_network_policy(policy: StagedKubernetesNetworkPolicy, _path: str, report: Report) -> None:
    name = policy.metadata.name
    size = len(name.encode())
    if size > _SUBDOMAIN_MAX:
        report.add("metadata.name", f"name is too long by {size - _SUBDOMAIN_MAX} bytes", name)
    spec = policy.spec
    if spec.staged_action == "Delete":
        selector = spec.pod_selector
        if (
            selector.match_labels
            or selector.match_expressions
            or not _staged_delete_ok(spec, _SKNP_KEEP | {"pod_selector"})
        ):
            report.add("spec", "Spec fields should all be zero-value if stagedAction is Delete")


def _check_tier(tier: Tier, _path: str, report: Report) -> None:
    name = tier.metadata.name
    _check_name(
        name,
        _TIER_NAME_RE,
        _LABEL_MAX,
        "name must consist of lower case alphanumeric characters or '-' (regex: " + _NAME_LABEL + ")",
        report,
    )
    order = tier.spec.order
    required = _TIER_ORDERS.get(name)
    if required is not None and order != required[0]:
        report.add("spec.order", required[1], order)
    # CEL, evaluated after the CRD default (defaultAction: Deny) is applied.
    action_rule = _TIER_ACTIONS.get(name)
    if action_rule is not None:
        action = tier.spec.default_action
        if action is None:
            action = "Deny"
        if action != action_rule[0]:
            report.add("spec.defaultAction", action_rule[1], action)


def _checks(*fns: Callable[[Any, str, Report], None]) -> Sequence[StructCheck]:
    return fns


STRUCT_CHECKS: Mapping[str, Sequence[StructCheck]] = MappingProxyType(
    {
        "Rule": _checks(_check_rule),
        "EntityRule": _checks(_check_entity_rule),
        "ICMPFields": _checks(_check_icmp),
        "HTTPMatch": _checks(_check_http),
        "RuleMetadata": _checks(_check_rule_metadata),
        "ProtoPort": _checks(_check_proto_port),
        "EndpointPort": _checks(_check_endpoint_port),
        "NetworkPolicy": _checks(_check_network_policy),
        "GlobalNetworkPolicy": _checks(_check_global_network_policy),
        "StagedNetworkPolicy": _checks(_check_staged_network_policy),
        "StagedGlobalNetworkPolicy": _checks(_check_staged_global_network_policy),
        "StagedKubernetesNetworkPolicy": _checks(_check_staged_kubernetes_network_policy),
        "Tier": _checks(_check_tier),
    }
)
