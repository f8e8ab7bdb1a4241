"""Validation rules: policy rules (see engine.py for the table conventions).

What libcalico-go v3.32.1 (``libcalico-go/lib/validator/v3/validator.go``) checks for rules,
entity rules, ports, protocols, HTTP matches and rule metadata, and the ``validate`` tags of the
policy family (action, ipVersion, portName, stagedAction, policyType, selector).  The policies
and tiers that hold the rules are checked in policy.py.

Reasons are libcalico-go's texts, verbatim.  Paths are JSON paths
(``spec.ingress[0].source.ports[1]``) where libcalico-go prints Go names (``Source.Ports``).
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
from .common import NAME_SUBDOMAIN_FMT
from .engine import FieldCheck, Report, StructCheck

if TYPE_CHECKING:
    from ..generated.felixconfig import ProtoPort
    from ..generated.hostendpoint import EndpointPort
    from ..generated.policy_common import EntityRule, HTTPMatch, ICMPFields, Rule, RuleMetadata

__all__ = [
    "FIELD_CHECKS",
    "GLOBAL_ENTITY_RULE_MSG",
    "GLOBAL_SELECTOR",
    "LABEL_MAX",
    "STRUCT_CHECKS",
    "SUBDOMAIN_MAX",
    "check_port",
    "check_ports",
    "check_protocol",
    "protocol_supports_ports",
    "valid_port_name",
    "valid_selector",
]

# -- constants (libcalico-go's regexes and messages) ------------------------------------------


SUBDOMAIN_MAX = 253
LABEL_MAX = 63

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
GLOBAL_SELECTOR = "global()"
GLOBAL_ENTITY_RULE_MSG = "global() can only be used in an EntityRule namespaceSelector"
_GLOBAL_ONLY_MSG = "global() cannot be combined with other selectors"
_CATCH_ALL_MSG = "catch-all CIDR in negation creates logical contradiction (matches no traffic)"
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
_DNS_SUBDOMAIN_RE = re.compile(NAME_SUBDOMAIN_FMT)
_DNS_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '" + NAME_SUBDOMAIN_FMT + "')"
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
    if selector and GLOBAL_SELECTOR in selector:
        report.add(json_path(path, "selector"), GLOBAL_ENTITY_RULE_MSG, selector)
    ns_selector = rule.namespace_selector
    if ns_selector and "global(" in ns_selector and ns_selector != GLOBAL_SELECTOR and not _only_global(ns_selector):
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
            if len(prefix) > SUBDOMAIN_MAX:
                errs.append(f"prefix part must be no more than {SUBDOMAIN_MAX} bytes")
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
    elif len(name) > LABEL_MAX:
        errs.append(f"name part must be no more than {LABEL_MAX} bytes")
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
    }
)
