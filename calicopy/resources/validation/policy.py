"""Validation rules: policies, staged policies and tiers (see engine.py for the table conventions).

What libcalico-go v3.32.1 (``libcalico-go/lib/validator/v3/validator.go``) checks for
NetworkPolicy, GlobalNetworkPolicy, their staged forms, StagedKubernetesNetworkPolicy and Tier
as a whole (names, spec combinations, staged deletes, tier orders), plus the CEL rules
(``x-kubernetes-validations``) of the networkpolicies, globalnetworkpolicies,
stagednetworkpolicies, stagedglobalnetworkpolicies and tiers CRDs.  Their rules are checked in
rules.py.

Reasons are libcalico-go's texts, verbatim.  CEL failures are reported after the Go
struct-level failures of the same resource, as libcalico-go's ``Validate`` appends the CRD
errors last.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .common import NAME_LABEL_FMT, NAME_SUBDOMAIN_FMT
from .engine import FieldCheck, Report, StructCheck
from .rules import GLOBAL_ENTITY_RULE_MSG, GLOBAL_SELECTOR, LABEL_MAX, SUBDOMAIN_MAX

if TYPE_CHECKING:
    from ..generated.globalnetworkpolicy import GlobalNetworkPolicy
    from ..generated.networkpolicy import NetworkPolicy
    from ..generated.stagedglobalnetworkpolicy import StagedGlobalNetworkPolicy
    from ..generated.stagedkubernetesnetworkpolicy import StagedKubernetesNetworkPolicy
    from ..generated.stagednetworkpolicy import StagedNetworkPolicy
    from ..generated.tier import Tier

__all__ = ["FIELD_CHECKS", "STRUCT_CHECKS"]

_NAME_LABEL = NAME_LABEL_FMT
_NAME_SUBDOMAIN = NAME_SUBDOMAIN_FMT
_TIER_NAME_RE = re.compile(_NAME_LABEL)
_NP_NAME_RE = re.compile("(" + _NAME_LABEL + r")(\." + _NAME_LABEL + r")?|(?:knp|ossg)\.default\." + _NAME_SUBDOMAIN)
_GNP_NAME_RE = re.compile("(" + _NAME_LABEL + r"\.)?" + _NAME_LABEL)
_POLICY_NAME_MSG = "name must consist of lower case alphanumeric characters or '-' (regex: " + _NAME_LABEL + ")"
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

# Policies and tiers carry no validate tags of their own (their fields' tags are in rules.py).
FIELD_CHECKS: Mapping[str, FieldCheck] = MappingProxyType({})


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
    if GLOBAL_SELECTOR in spec.selector:
        report.add("spec.selector", GLOBAL_ENTITY_RULE_MSG, spec.selector)
    if GLOBAL_SELECTOR in spec.service_account_selector:
        report.add("spec.serviceAccountSelector", GLOBAL_ENTITY_RULE_MSG, spec.service_account_selector)
    if is_global and GLOBAL_SELECTOR in spec.namespace_selector:
        report.add("spec.namespaceSelector", GLOBAL_ENTITY_RULE_MSG, spec.namespace_selector)


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
    _check_name(policy.metadata.name, _NP_NAME_RE, SUBDOMAIN_MAX, _POLICY_NAME_MSG, report)
    _check_policy_spec(policy.spec, report, is_global=False)
    _cel_rules(policy.spec, report)


def _check_global_network_policy(policy: GlobalNetworkPolicy, _path: str, report: Report) -> None:
    _check_name(policy.metadata.name, _GNP_NAME_RE, SUBDOMAIN_MAX, _POLICY_NAME_MSG, report)
    _check_policy_spec(policy.spec, report, is_global=True)
    _cel_rules(policy.spec, report)
    _cel_global_spec(policy.spec, report)


def _check_staged_network_policy(policy: StagedNetworkPolicy, _path: str, report: Report) -> None:
    _check_name(policy.metadata.name, _NP_NAME_RE, SUBDOMAIN_MAX, _POLICY_NAME_MSG, report)
    spec = policy.spec
    if spec.staged_action == "Delete":
        if not _staged_delete_ok(spec, _STAGED_KEEP):
            report.add("spec", _STAGED_DELETE_MSG)
    else:
        _check_policy_spec(spec, report, is_global=False)
    _cel_rules(spec, report)


def _check_staged_global_network_policy(policy: StagedGlobalNetworkPolicy, _path: str, report: Report) -> None:
    _check_name(policy.metadata.name, _GNP_NAME_RE, SUBDOMAIN_MAX, _POLICY_NAME_MSG, report)
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
    if size > SUBDOMAIN_MAX:
        report.add("metadata.name", f"name is too long by {size - SUBDOMAIN_MAX} bytes", name)
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
        LABEL_MAX,
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
        "NetworkPolicy": _checks(_check_network_policy),
        "GlobalNetworkPolicy": _checks(_check_global_network_policy),
        "StagedNetworkPolicy": _checks(_check_staged_network_policy),
        "StagedGlobalNetworkPolicy": _checks(_check_staged_global_network_policy),
        "StagedKubernetesNetworkPolicy": _checks(_check_staged_kubernetes_network_policy),
        "Tier": _checks(_check_tier),
    }
)
