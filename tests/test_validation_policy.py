"""Policy-family validation and defaulting.

The table rows are the ``Entry`` cases of libcalico-go v3.32.1
``libcalico-go/lib/validator/v3/validator_test.go`` (plus ``crd_validation_test.go`` for the
tier CEL rules, and a few facts from ``validator.go`` that have no Go test, marked "fact"),
re-expressed as projectcalico.org/v3 documents.  A Go sub-structure (a Rule, an EntityRule,
ICMPFields, an HTTPMatch) is wrapped in the smallest NetworkPolicy that carries it, so the
expected path is where it sits in that policy.

Each row: (id, kind, document, expected) with expected ``None`` (valid) or
``(path, reason substring)`` that must be among ``exc.fields``.
"""

from __future__ import annotations

from typing import Any

import pytest

import calicopy
from calicopy.errors import ResourceNotFound, ValidationError
from calicopy.resources.defaults import default
from calicopy.resources.defaults.policy import check_tier_exists, ensure_tier_label
from calicopy.resources.generated.felixconfig import FelixConfiguration
from calicopy.resources.generated.globalnetworkpolicy import GlobalNetworkPolicy
from calicopy.resources.generated.hostendpoint import HostEndpoint
from calicopy.resources.generated.networkpolicy import NetworkPolicy
from calicopy.resources.generated.stagedglobalnetworkpolicy import StagedGlobalNetworkPolicy
from calicopy.resources.generated.stagedkubernetesnetworkpolicy import StagedKubernetesNetworkPolicy
from calicopy.resources.generated.stagednetworkpolicy import StagedNetworkPolicy
from calicopy.resources.generated.tier import Tier
from calicopy.resources.types import Port

KINDS: dict[str, Any] = {
    "NP": NetworkPolicy,
    "GNP": GlobalNetworkPolicy,
    "SNP": StagedNetworkPolicy,
    "SGNP": StagedGlobalNetworkPolicy,
    "SKNP": StagedKubernetesNetworkPolicy,
    "Tier": Tier,
    "HEP": HostEndpoint,
    "Felix": FelixConfiguration,
}

R0 = "spec.ingress[0]"
TAG = "because of Tag: "
NAME_MSG = "name must consist of lower case alphanumeric characters or '-'"
LONG = "x" * 300


def doc(spec: dict[str, Any], name: str = "thing", namespace: str | None = "default") -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    return {"metadata": meta, "spec": spec}


def np(spec: dict[str, Any] | None = None, name: str = "thing") -> tuple[str, dict[str, Any]]:
    return "NP", doc(spec or {}, name)


def gnp(spec: dict[str, Any] | None = None, name: str = "thing") -> tuple[str, dict[str, Any]]:
    return "GNP", doc(spec or {}, name, None)


def snp(spec: dict[str, Any], name: str = "thing") -> tuple[str, dict[str, Any]]:
    return "SNP", doc(spec, name)


def sgnp(spec: dict[str, Any], name: str = "thing") -> tuple[str, dict[str, Any]]:
    return "SGNP", doc(spec, name, None)


def tier(name: str, order: float | None = 100.0, action: str | None = None) -> tuple[str, dict[str, Any]]:
    spec: dict[str, Any] = {}
    if order is not None:
        spec["order"] = order
    if action is not None:
        spec["defaultAction"] = action
    return "Tier", doc(spec, name, None)


def rule(**fields: Any) -> tuple[str, dict[str, Any]]:
    """An ingress rule in a NetworkPolicy (``api.Rule{...}`` rows)."""
    return np({"ingress": [fields]})


def allow(**fields: Any) -> tuple[str, dict[str, Any]]:
    return rule(action="Allow", **fields)


def entity(**fields: Any) -> tuple[str, dict[str, Any]]:
    """An ingress source EntityRule (``api.EntityRule{...}`` rows)."""
    return allow(source=fields)


def proto(value: Any) -> tuple[str, dict[str, Any]]:
    """A protocol on an ingress rule (``numorstring.Protocol`` rows)."""
    return allow(protocol=value)


def icmp(**fields: Any) -> tuple[str, dict[str, Any]]:
    return allow(protocol="ICMP", icmp=fields)


def http(**fields: Any) -> tuple[str, dict[str, Any]]:
    return allow(http=fields)


def svc(ns: str | None = "default") -> dict[str, Any]:
    out: dict[str, Any] = {"name": "service1"}
    if ns:
        out["namespace"] = ns
    return out


def hep(*ports: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "HEP", doc({"interfaceName": "eth0", "node": "node01", "ports": list(ports)}, "hep1", None)


def protoport(protocol: str, port: int) -> tuple[str, dict[str, Any]]:
    return "Felix", doc({"failsafeInboundHostPorts": [{"protocol": protocol, "port": port}]}, "default", None)


def err(path: str, reason: str) -> tuple[str, str]:
    return (path, reason)


OK = None
# fmt: off
CASES: list[tuple[str, tuple[str, dict[str, Any]], tuple[str, str] | None]] = [
    # (API) Actions.
    ("action allow", rule(action="Allow"), OK),
    ("action deny", rule(action="Deny"), OK),
    ("action log", rule(action="Log"), OK),
    ("action pass", rule(action="Pass"), OK),
    ("action unknown", rule(action="unknown"), err(R0 + ".action", TAG + "action")),
    ("action allowfoo", rule(action="allowfoo"), err(R0 + ".action", TAG + "action")),
    ("action lower-case allow", rule(action="allow"), err(R0 + ".action", TAG + "action")),
    ("rule with no action", rule(), err(R0 + ".action", TAG + "action")),
    # (API) IP version.
    ("ip version 4", allow(ipVersion=4), OK),
    ("ip version 6", allow(ipVersion=6), OK),
    ("ip version 0", allow(ipVersion=0), err(R0 + ".ipVersion", TAG + "ipVersion")),
    ("ip version 5", allow(ipVersion=5), err(R0 + ".ipVersion", TAG + "ipVersion")),
    # (API) ProtoPort.
    ("protoport UDP", protoport("UDP", 0), OK),
    ("protoport TCP", protoport("TCP", 20), OK),
    ("protoport SCTP", protoport("SCTP", 20), OK),
    ("protoport jolly-UDP", protoport("jolly-UDP", 0),
     err("spec.failsafeInboundHostPorts[0].protocol", "protocol must be 'TCP' or 'UDP' or 'SCTP'.")),
    ("protoport lower-case tcp (fact)", protoport("tcp", 22),
     err("spec.failsafeInboundHostPorts[0].protocol", "protocol must be 'TCP' or 'UDP' or 'SCTP'.")),
    # (API) Selectors.
    ("valid selector", entity(selector='foo == "bar"'), OK),
    ("selector has() with /", entity(selector="has(calico/k8s_ns)"), OK),
    ("selector has() with two /", entity(selector="has(calico/k8s_ns/role)"), OK),
    ("selector has() with -.", entity(selector="has(calico/k8s_NS-.1/role)"), OK),
    ("invalid selector", entity(selector="thing=hello &"), err(R0 + ".source.selector", TAG + "selector")),
    ("invalid notSelector", entity(notSelector="thing=hello &"), err(R0 + ".source.notSelector", TAG + "selector")),
    ("invalid namespaceSelector", entity(namespaceSelector="a =="), err(R0 + ".source.namespaceSelector", TAG + "selector")),
    ("invalid policy selector", np({"selector": "x ==="}), err("spec.selector", TAG + "selector")),
    ("empty policy selector", np({"selector": ""}), OK),
    ("invalid serviceAccountSelector", np({"serviceAccountSelector": "!"}), err("spec.serviceAccountSelector", TAG + "selector")),
    ("invalid serviceAccounts.selector", entity(serviceAccounts={"selector": "a in"}),
     err(R0 + ".source.serviceAccounts.selector", TAG + "selector")),
    # (API) Protocol.
    ("protocol TCP", proto("TCP"), OK),
    ("protocol UDP", proto("UDP"), OK),
    ("protocol ICMP", proto("ICMP"), OK),
    ("protocol ICMPv6", proto("ICMPv6"), OK),
    ("protocol SCTP", proto("SCTP"), OK),
    ("protocol UDPLite", proto("UDPLite"), OK),
    ("protocol 1 as int", proto(1), OK),
    ("protocol 255 as int", proto(255), OK),
    ("protocol 255 as string", proto("255"), OK),
    ("protocol 1 as string", proto("1"), OK),
    ("protocol 0 as int", proto(0), err(R0 + ".protocol", "protocol number invalid")),
    ("protocol 256 as string", proto("256"), err(R0 + ".protocol", "protocol name invalid")),
    ("protocol 0 as string", proto("0"), err(R0 + ".protocol", "protocol number invalid")),
    ("protocol tcpfoo", proto("tcpfoo"), err(R0 + ".protocol", "protocol name invalid")),
    ("protocol footcp", proto("footcp"), err(R0 + ".protocol", "protocol name invalid")),
    ("protocol tcp", proto("tcp"), err(R0 + ".protocol", "protocol name invalid")),
    ("notProtocol tcp", allow(notProtocol="tcp"), err(R0 + ".notProtocol", "protocol name invalid")),
    ("notProtocol 0", allow(notProtocol=0), err(R0 + ".notProtocol", "protocol number invalid")),
    ("notProtocol UDP", allow(notProtocol="UDP"), OK),
    # (API) ICMPFields.
    ("icmp no config", icmp(), OK),
    ("icmp type min", icmp(type=0), OK),
    ("icmp type max", icmp(type=254), OK),
    ("icmp type and code min", icmp(type=128, code=0), OK),
    ("icmp type and code max", icmp(type=128, code=255), OK),
    ("icmp code and no type", icmp(code=0), err(R0 + ".icmp.code", "ICMP code specified without an ICMP type")),
    ("icmp code and no type (CEL)", icmp(code=0), err(R0 + ".icmp", "ICMP code specified without an ICMP type")),
    ("icmp type too high", icmp(type=255), err(R0 + ".icmp.type", TAG + "lte")),
    ("icmp code too high", icmp(type=128, code=256), err(R0 + ".icmp.code", TAG + "lte")),
    ("notICMP code and no type", allow(notICMP={"code": 3}), err(R0 + ".notICMP.code", "ICMP code specified without an ICMP type")),
    ("notICMP code and no type (CEL)", allow(notICMP={"code": 3}), err(R0 + ".notICMP", "ICMP code specified without an ICMP type")),
    ("notICMP without protocol (fact)", allow(notICMP={"type": 3}), OK),
    # (API) Rule.
    ("protocol SCTP and no other config", proto("SCTP"), OK),
    ("source ports and protocol 6", allow(protocol=6, source={"ports": [1]}), OK),
    ("source named ports and protocol 6", allow(protocol=6, source={"ports": ["foo"]}), OK),
    ("source named ports and protocol TCP", allow(protocol="TCP", source={"ports": ["foo"]}), OK),
    ("source named ports and protocol UDP", allow(protocol="UDP", source={"ports": ["foo"]}), OK),
    ("empty source ports and protocol 7", allow(protocol=7, source={"ports": []}), OK),
    ("source notPorts and protocol 17", allow(protocol=17, source={"notPorts": [1]}), OK),
    ("empty source notPorts and protocol 100", allow(protocol=100, source={"notPorts": []}), OK),
    ("dest ports and protocol TCP", allow(protocol="TCP", destination={"ports": [1]}), OK),
    ("dest ports and no protocol", allow(destination={"ports": [1]}),
     err(R0 + ".destination.ports", "rules with numeric port or port range must set protocol to TCP or UDP or SCTP")),
    ("source port range and no protocol", allow(source={"ports": ["1:2"]}),
     err(R0 + ".source.ports", "rules with numeric port or port range must set protocol")),
    ("source notPorts numeric and no protocol", allow(source={"notPorts": [80]}),
     err(R0 + ".source.notPorts", "rules with numeric port or port range must set protocol")),
    ("dest notPorts mixed named and numeric, no protocol", allow(destination={"notPorts": ["foo", 80]}),
     err(R0 + ".destination.notPorts", "rules with numeric port or port range must set protocol")),
    ("dest named ports and no protocol", allow(destination={"ports": ["foo"]}), OK),
    ("source named notPorts and no protocol", allow(source={"notPorts": ["foo"]}), OK),
    ("invalid port (port 0)", allow(protocol="TCP", destination={"notPorts": [0]}),
     err(R0 + ".destination.notPorts[0]", "port range invalid, port number must be between 1 and 65535")),
    ("invalid port (0:456) golden", allow(protocol="TCP", destination={"notPorts": ["0:456"]}),
     err(R0 + ".destination.notPorts[0]", "port range invalid, port number must be between 1 and 65535")),
    ("invalid port (name + number)", allow(protocol="TCP", destination={"notPorts": [Port(123, 456, "foo")]}),
     err(R0 + ".destination.notPorts[0]", "named port invalid, if name is specified, min and max should be 0")),
    ("named port with invalid protocol", allow(protocol="unknown", destination={"notPorts": ["foo"]}),
     err(R0 + ".destination.notPorts", "rules that specify ports must set protocol to TCP or UDP or SCTP")),
    ("named port with invalid protocol (protocol)", allow(protocol="unknown", destination={"notPorts": ["foo"]}),
     err(R0 + ".protocol", "protocol name invalid")),
    ("empty dest ports and protocol SCTP", allow(protocol="SCTP", destination={"ports": []}), OK),
    ("empty dest notPorts and protocol ICMPv6", allow(ipVersion=6, protocol="ICMPv6", destination={"notPorts": []}), OK),
    ("icmp fields and no protocol", allow(ipVersion=4, icmp={"type": 0}),
     err(R0 + ".icmp", "rules that specify ICMP fields must set protocol to ICMP")),
    ("icmp fields and numeric protocol 1 (fact)", allow(protocol=1, icmp={"type": 0}),
     err(R0 + ".icmp", "rules that specify ICMP fields must set protocol to ICMP")),
    ("icmp fields and no ipversion", allow(protocol="ICMP", icmp={"type": 0}), OK),
    ("icmpv6 fields and no ipversion", allow(protocol="ICMPv6", icmp={"type": 0}), OK),
    ("mismatched ipversion for icmp", allow(protocol="ICMP", ipVersion=6),
     err(R0 + ".ipVersion", "must set ipversion to '4' with protocol icmp")),
    ("mismatched ipversion for icmpv6", allow(protocol="ICMPv6", ipVersion=4),
     err(R0 + ".ipVersion", "must set ipversion to '6' with protocol icmpv6")),
    ("mismatched ipversion for notProtocol icmp (fact)", allow(notProtocol="ICMP", ipVersion=6),
     err(R0 + ".ipVersion", "must set ipversion to '4' with protocol icmp")),
    ("correct ipversion for icmp", allow(ipVersion=4, protocol="ICMP", icmp={"type": 0}), OK),
    ("correct ipversion for icmpv6", allow(ipVersion=6, protocol="ICMPv6", icmp={"type": 0}), OK),
    ("source ports and protocol 7", allow(protocol=7, source={"ports": [1]}),
     err(R0 + ".source.ports", "rules that specify ports must set protocol to TCP or UDP or SCTP")),
    ("source notPorts and protocol 100", allow(protocol=100, source={"notPorts": [1]}),
     err(R0 + ".source.notPorts", "rules that specify ports must set protocol to TCP or UDP or SCTP")),
    ("dest ports and protocol SCTP", allow(protocol="SCTP", destination={"ports": [1]}), OK),
    ("dest notPorts and protocol ICMP", allow(ipVersion=4, protocol="ICMP", destination={"notPorts": [1]}),
     err(R0 + ".destination.notPorts", "rules that specify ports must set protocol to TCP or UDP or SCTP")),
    ("invalid source ports range 200:100", allow(protocol="TCP", source={"ports": [Port(200, 100)]}),
     err(R0 + ".source.ports[0]", "port range invalid")),
    ("invalid source notPorts range 200:100", allow(protocol="TCP", source={"notPorts": [Port(200, 100)]}),
     err(R0 + ".source.notPorts[0]", "port range invalid")),
    ("invalid dest ports range 200:100", allow(protocol="TCP", destination={"ports": [Port(200, 100)]}),
     err(R0 + ".destination.ports[0]", "port range invalid")),
    ("invalid dest notPorts range 200:100", allow(protocol="TCP", destination={"notPorts": [Port(200, 100)]}),
     err(R0 + ".destination.notPorts[0]", "port range invalid")),
    ("one invalid port in range (MinPort 0)", allow(protocol="TCP", destination={"notPorts": ["0:100"]}),
     err(R0 + ".destination.notPorts[0]", "port number must be between 1 and 65535")),
    ("named port not a k8s port name", allow(protocol="TCP", destination={"ports": ["Foo_Bar"]}),
     err(R0 + ".destination.ports[0]", TAG + "portName")),
    ("named port too long for k8s", allow(protocol="TCP", destination={"ports": ["a" * 16]}),
     err(R0 + ".destination.ports[0]", TAG + "portName")),
    ("port range 1:65535", allow(protocol="TCP", destination={"ports": ["1:65535"]}), OK),
    ("mixed IPv4 (src) and IPv6 (dest)", allow(protocol="TCP", source={"nets": ["1.2.3.0/26"]}, destination={"nets": ["aabb:aabb::0000/122"]}),
     err(R0 + ".destination.nets", "rule contains both IPv4 and IPv6 CIDRs")),
    ("mixed IPv6 (src) and IPv4 (dest)", allow(protocol="TCP", source={"nets": ["aabb:aabb::/128"]}, destination={"nets": ["1.2.0.0/32"]}),
     err(R0 + ".destination.nets", "rule contains both IPv4 and IPv6 CIDRs")),
    ("IPv6 version and IPv4 nets", allow(protocol="TCP", ipVersion=6, source={"nets": ["1.0.0.0/10"]}, destination={"nets": ["1.2.0.0/32"]}),
     err(R0 + ".source.nets", "rule IP version doesn't match CIDR version")),
    ("IPVersion 6 and source net v4", allow(protocol="TCP", ipVersion=6, source={"nets": ["1.2.3.4/32"]}),
     err(R0 + ".source.nets", "rule IP version doesn't match CIDR version")),
    ("IPVersion 4 and dest net v6", allow(protocol="TCP", ipVersion=4, destination={"nets": ["aabb:aabb::ffff/128"]}),
     err(R0 + ".destination.nets", "rule IP version doesn't match CIDR version")),
    ("net list: IPv6 version and IPv4 notNets", allow(protocol="TCP", ipVersion=6, source={"nets": ["1.0.0.0/10"]}, destination={"notNets": ["1.2.0.0/32"]}),
     err(R0 + ".destination.notNets", "rule IP version doesn't match CIDR version")),
    ("net list: v4 and v6 in one list", allow(source={"nets": ["10.0.0.0/8", "fd00::/8"]}),
     err(R0 + ".source.nets", "rule contains both IPv4 and IPv6 CIDRs")),
    ("net list: v4 nets, v6 notNets", allow(source={"nets": ["10.0.0.0/8"], "notNets": ["fd00::/8"]}),
     err(R0 + ".source.notNets", "rule contains both IPv4 and IPv6 CIDRs")),
    ("nets v4 with ipVersion 4", allow(ipVersion=4, source={"nets": ["10.0.0.0/8"]}, destination={"notNets": ["10.1.0.0/16"]}), OK),
    ("nets v6 with ipVersion 6", allow(ipVersion=6, destination={"nets": ["fd00::/8"]}), OK),
    ("bare IP in rule nets (fact)", allow(source={"nets": ["10.0.0.1"]}), err(R0 + ".source.nets[0]", "invalid CIDR")),
    ("bare IPv6 in rule notNets (fact)", allow(destination={"notNets": ["fd00::1"]}), err(R0 + ".destination.notNets[0]", "invalid CIDR")),
    ("garbage in rule nets (fact)", allow(source={"nets": ["foo"]}), err(R0 + ".source.nets[0]", "invalid CIDR")),
    ("netmask-style prefix (fact)", allow(source={"nets": ["10.0.0.0/255.0.0.0"]}), err(R0 + ".source.nets[0]", "invalid CIDR")),
    ("IPv6 protocol with IPVersion 4", allow(protocol="ICMPv6", ipVersion=4),
     err(R0 + ".ipVersion", "must set ipversion to '6' with protocol icmpv6")),
    ("IPv4 protocol with IPVersion 6", allow(protocol="ICMP", ipVersion=6),
     err(R0 + ".ipVersion", "must set ipversion to '4' with protocol icmp")),
    ("Allow rule with HTTP", http(methods=["GET"]), OK),
    ("Deny rule with HTTP", rule(action="Deny", http={"methods": ["GET"]}), err(R0 + ".http", "only valid for Allow rules")),
    ("Deny rule with HTTP (CEL)", rule(action="Deny", http={"methods": ["GET"]}), err(R0, "HTTP match is only valid on Allow rules")),
    ("non-TCP protocol with HTTP", allow(protocol="UDP", http={"methods": ["GET"]}),
     err(R0 + ".protocol", "rules that specify HTTP fields must set protocol to TCP or empty")),
    ("non-TCP protocol with HTTP (CEL)", allow(protocol="UDP", http={"methods": ["GET"]}),
     err(R0, "rules with HTTP match must have protocol TCP or unset")),
    ("numeric 6 with HTTP fails the Go rule (fact)", allow(protocol=6, http={"methods": ["GET"]}),
     err(R0 + ".protocol", "rules that specify HTTP fields must set protocol to TCP or empty")),
    ("TCP protocol with HTTP", allow(protocol="TCP", http={"methods": ["GET"]}), OK),
    ("missing protocol with HTTP", http(methods=["GET"]), OK),
    ("rule with valid annotations", allow(metadata={"annotations": {"foo": "bar"}}), OK),
    ("rule with upper-case annotation key", allow(metadata={"annotations": {"Example.COM/Foo": "bar"}}), OK),
    ("rule with invalid annotations", allow(metadata={"annotations": {"...": "bar"}}),
     err(R0 + ".metadata.annotations", "name part must consist of alphanumeric characters")),
    ("rule annotations too large", allow(metadata={"annotations": {"k": "v" * (256 * 1024)}}),
     err(R0 + ".metadata.annotations", "total size of annotations is too large by 1 bytes")),
    # GlobalNetworkPolicy validation.
    ("GNP name with invalid character", gnp(name="t~!s.h.i.ng"), err("metadata.name", NAME_MSG)),
    ("GNP name with mixed case", gnp(name="tHiNg"), err("metadata.name", NAME_MSG)),
    ("GNP valid name", gnp(name="thing"), OK),
    ("GNP k8s policy name", gnp(name="knp.default.thing"), err("metadata.name", NAME_MSG)),
    ("GNP name with dots", gnp(name="t.h.i.ng"), err("metadata.name", NAME_MSG)),
    ("GNP name with one dot", gnp(name="th.ing"), OK),
    ("GNP name of 254 chars", gnp(name=LONG[:254]), err("metadata.name", "name is too long by 1 bytes")),
    ("GNP PreDNAT and DoNotTrack", gnp({"preDNAT": True, "doNotTrack": True, "applyOnForward": True}),
     err("spec.preDNAT", "PreDNAT and DoNotTrack cannot both be true, for a given PolicySpec")),
    ("GNP PreDNAT and DoNotTrack (CEL)", gnp({"preDNAT": True, "doNotTrack": True, "applyOnForward": True}),
     err("spec", "preDNAT and doNotTrack cannot both be true")),
    ("GNP PreDNAT not DoNotTrack", gnp({"preDNAT": True, "applyOnForward": True}), OK),
    ("GNP DoNotTrack not PreDNAT", gnp({"preDNAT": False, "doNotTrack": True, "applyOnForward": True}), OK),
    ("GNP pre-DNAT egress rules", gnp({"preDNAT": True, "applyOnForward": True, "egress": [{"action": "Allow"}]}),
     err("spec.egress", "PreDNAT PolicySpec cannot have any Egress rules")),
    ("GNP pre-DNAT egress rules (CEL)", gnp({"preDNAT": True, "applyOnForward": True, "egress": [{"action": "Allow"}]}),
     err("spec", "preDNAT policy cannot have any egress rules")),
    ("GNP pre-DNAT ingress rules", gnp({"preDNAT": True, "applyOnForward": True, "ingress": [{"action": "Allow"}]}), OK),
    ("GNP ApplyOnForward not PreDNAT", gnp({"preDNAT": False, "applyOnForward": True}), OK),
    ("GNP ApplyOnForward not DoNotTrack", gnp({"doNotTrack": False, "applyOnForward": True}), OK),
    ("GNP ApplyOnForward and PreDNAT", gnp({"preDNAT": True, "applyOnForward": True}), OK),
    ("GNP ApplyOnForward and DoNotTrack", gnp({"doNotTrack": True, "applyOnForward": True}), OK),
    ("GNP none of ApplyOnForward DoNotTrack PreDNAT", gnp({"preDNAT": False, "doNotTrack": False, "applyOnForward": False}), OK),
    ("GNP PreDNAT not ApplyOnForward", gnp({"preDNAT": True, "applyOnForward": False}),
     err("spec.applyOnForward", "ApplyOnForward must be true if either PreDNAT or DoNotTrack is true, for a given PolicySpec")),
    ("GNP DoNotTrack not ApplyOnForward", gnp({"doNotTrack": True}),
     err("spec.applyOnForward", "ApplyOnForward must be true if either PreDNAT or DoNotTrack is true")),
    ("GNP DoNotTrack not ApplyOnForward (CEL)", gnp({"doNotTrack": True}),
     err("spec", "applyOnForward must be true if either preDNAT or doNotTrack is true")),
    ("GNP missing Types", gnp({}), OK),
    ("GNP empty Types", gnp({"types": []}), OK),
    ("GNP ingress Types", gnp({"types": ["Ingress"]}), OK),
    ("GNP egress Types", gnp({"types": ["Egress"]}), OK),
    ("GNP ingress+egress Types", gnp({"types": ["Ingress", "Egress"]}), OK),
    ("GNP repeated egress Types", gnp({"types": ["Egress", "Egress"]}), err("spec.types", "'Egress' type specified more than once")),
    ("GNP unexpected Types value", gnp({"types": ["unexpected"]}), err("spec.types[0]", TAG + "policyType")),
    ("GNP lower-case Types value", gnp({"types": ["ingress"]}), err("spec.types[0]", TAG + "policyType")),
    ("GNP Types egress with Ingress rules", gnp({"ingress": [{"action": "Allow"}], "types": ["Egress"]}), OK),
    ("GNP Types ingress with Egress rules", gnp({"egress": [{"action": "Allow"}], "types": ["Ingress"]}), OK),
    ("GNP Types ingress with Ingress rules", gnp({"ingress": [{"action": "Allow"}], "types": ["Ingress"]}), OK),
    ("GNP Types both with Ingress rules", gnp({"ingress": [{"action": "Allow"}], "types": ["Ingress", "Egress"]}), OK),
    ("GNP Types egress with Egress rules", gnp({"egress": [{"action": "Allow"}], "types": ["Egress"]}), OK),
    ("GNP Types both with Egress rules", gnp({"egress": [{"action": "Allow"}], "types": ["Ingress", "Egress"]}), OK),
    ("GNP ingress Types with pre-DNAT", gnp({"preDNAT": True, "applyOnForward": True, "types": ["Ingress"]}), OK),
    ("GNP egress Types with pre-DNAT", gnp({"preDNAT": True, "applyOnForward": True, "types": ["Egress"]}),
     err("spec.types", "PreDNAT PolicySpec cannot have 'egress' Type")),
    ("GNP ingress+egress Types with pre-DNAT", gnp({"preDNAT": True, "applyOnForward": True, "types": ["Ingress", "Egress"]}),
     err("spec.types", "PreDNAT PolicySpec cannot have 'egress' Type")),
    ("GNP egress Types with pre-DNAT (CEL)", gnp({"preDNAT": True, "applyOnForward": True, "types": ["Egress"]}),
     err("spec", "preDNAT policy cannot have 'Egress' type")),
    ("GNP HTTP in egress rule", gnp({"egress": [{"action": "Allow", "http": {"methods": ["GET"]}}], "types": ["Ingress", "Egress"]}),
     err("spec.egress[0].http", "not allowed in egress rules")),
    ("GNP global() in namespaceSelector", gnp({"namespaceSelector": "global()"}),
     err("spec.namespaceSelector", "global() can only be used in an EntityRule namespaceSelector")),
    ("GNP global() in selector", gnp({"selector": "global()"}),
     err("spec.selector", "global() can only be used in an EntityRule namespaceSelector")),
    ("GNP global() in serviceAccountSelector", gnp({"serviceAccountSelector": "global()"}),
     err("spec.serviceAccountSelector", "global() can only be used in an EntityRule namespaceSelector")),
    ("GNP global() in EntityRule selector", gnp({"ingress": [{"action": "Allow", "source": {"selector": "global()"}}]}),
     err("spec.ingress[0].source.selector", "global() can only be used in an EntityRule namespaceSelector")),
    ("GNP global() in EntityRule namespaceSelector", gnp({"ingress": [{"action": "Allow", "source": {"namespaceSelector": "global()"},
                                                            "destination": {"namespaceSelector": "projectcalico.org/name == 'test'"}}]}), OK),
    ("GNP performanceHints junk", gnp({"performanceHints": ["junk"]}), err("spec.performanceHints[0]", TAG + "oneof")),
    ("GNP performanceHints AssumeNeededOnEveryNode", gnp({"performanceHints": ["AssumeNeededOnEveryNode"]}), OK),
    ("GNP performanceHints dupes", gnp({"performanceHints": ["AssumeNeededOnEveryNode", "AssumeNeededOnEveryNode"]}),
     err("spec.performanceHints", TAG + "unique")),
    ("GNP service match", gnp({"ingress": [{"action": "Allow", "destination": {"services": svc()}}]}),
     err("spec.ingress[0].destination.services", "not allowed in ingress rule destination")),
    ("GNP service match in egress destination", gnp({"egress": [{"action": "Allow", "destination": {"services": svc()}}]}), OK),
    ("GNP service match without a namespace", gnp({"egress": [{"action": "Allow", "destination": {"services": svc(None)}}]}),
     err("spec.egress[0].destination.services.namespace", "must specify a namespace")),
    ("GNP ingress source service without a namespace", gnp({"ingress": [{"action": "Allow", "source": {"services": svc(None)}}]}),
     err("spec.ingress[0].source.services.namespace", "must specify a namespace")),
    ("GNP service match and namespaceSelector", gnp({"ingress": [{"action": "Allow", "destination": {"namespaceSelector": "x == 'y'", "services": svc()}}]}),
     err("spec.ingress[0].destination.services", "cannot specify NamespaceSelector and Services on the same rule")),
    # StagedGlobalNetworkPolicy.
    ("SGNP name with invalid character", sgnp({"stagedAction": "Set", "selector": 'foo == "bar"'}, "t~!s.h.i.ng"), err("metadata.name", NAME_MSG)),
    ("SGNP name with mixed case", sgnp({"stagedAction": "Set", "selector": 'foo == "bar"'}, "tHiNg"), err("metadata.name", NAME_MSG)),
    ("SGNP valid name", sgnp({"stagedAction": "Set", "selector": 'foo == "bar"'}), OK),
    ("SGNP k8s policy name", sgnp({"stagedAction": "Set", "selector": 'foo == "bar"'}, "knp.default.thing"), err("metadata.name", NAME_MSG)),
    ("SGNP name with dots", sgnp({"stagedAction": "Set", "selector": 'foo == "bar"'}, "t.h.i.ng"), err("metadata.name", NAME_MSG)),
    ("SGNP StagedAction Set", sgnp({"stagedAction": "Set", "selector": 'foo == "bar"'}), OK),
    ("SGNP unset StagedAction", sgnp({"selector": 'foo == "bar"'}), OK),
    ("SGNP StagedAction Delete", sgnp({"stagedAction": "Delete", "tier": "eng"}, "eng.thing"), OK),
    ("SGNP Delete with another field set", sgnp({"stagedAction": "Delete", "selector": 'foo == "bar"'}),
     err("spec", "Spec fields, except Tier, should all be zero-value if stagedAction is Delete")),
    ("SGNP Delete with doNotTrack (fact)", sgnp({"stagedAction": "Delete", "doNotTrack": True, "applyOnForward": True}),
     err("spec", "should all be zero-value if stagedAction is Delete")),
    ("SGNP StagedAction Warning", sgnp({"stagedAction": "Warning", "selector": 'foo == "bar"'}), err("spec.stagedAction", TAG + "stagedAction")),
    ("SGNP empty StagedAction", sgnp({"stagedAction": "", "selector": 'foo == "bar"'}), OK),
    ("SGNP Delete with empty selector", sgnp({"stagedAction": "Delete"}), OK),
    ("SGNP PreDNAT and DoNotTrack (fact)", sgnp({"preDNAT": True, "doNotTrack": True, "applyOnForward": True}),
     err("spec.preDNAT", "PreDNAT and DoNotTrack cannot both be true")),
    ("SGNP Learn with repeated types (fact)", sgnp({"stagedAction": "Learn", "types": ["Ingress", "Ingress"]}),
     err("spec.types", "'Ingress' type specified more than once")),
    # Tiers.
    ("Tier valid name", tier("foo"), OK),
    ("Tier valid name with dash", tier("fo-o"), OK),
    ("Tier dot in name", tier("fo.o"), err("metadata.name", "name must consist of lower case alphanumeric characters or '-' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?)")),
    ("Tier name of 63 chars", tier(LONG[:63]), OK),
    ("Tier name of 64 chars", tier(LONG[:64]), err("metadata.name", "name is too long by 1 bytes")),
    ("Tier other chars", tier("t~!s.h.i.ng"), err("metadata.name", NAME_MSG)),
    ("Tier default with invalid order", tier("default", 10.0, "Deny"), err("spec.order", "default tier order must be 1e+06")),
    ("Tier default without order (fact)", tier("default", None, "Deny"), err("spec.order", "default tier order must be 1e+06")),
    ("Tier default with invalid default action", tier("default", 1e6, "Pass"), err("spec.defaultAction", "The 'default' tier must have default action 'Deny'")),
    ("Tier default predefined", tier("default", 1e6, "Deny"), OK),
    ("Tier default predefined, action from CRD default", tier("default", 1e6), OK),
    ("Tier kube-admin with invalid order", tier("kube-admin", 10.0, "Pass"), err("spec.order", "kube-admin tier order must be 1000")),
    ("Tier kube-admin with invalid default action", tier("kube-admin", 1000.0, "Deny"),
     err("spec.defaultAction", "The 'kube-admin' tier must have default action 'Pass'")),
    ("Tier kube-admin without default action", tier("kube-admin", 1000.0),
     err("spec.defaultAction", "The 'kube-admin' tier must have default action 'Pass'")),
    ("Tier kube-admin predefined", tier("kube-admin", 1000.0, "Pass"), OK),
    ("Tier kube-baseline with invalid order", tier("kube-baseline", 10.0, "Pass"), err("spec.order", "kube-baseline tier order must be 1e+07")),
    ("Tier kube-baseline with invalid default action", tier("kube-baseline", 1e7, "Deny"),
     err("spec.defaultAction", "The 'kube-baseline' tier must have default action 'Pass'")),
    ("Tier kube-baseline predefined", tier("kube-baseline", 1e7, "Pass"), OK),
    ("Tier with a valid order", tier("platform"), OK),
    ("Tier empty spec", tier("valid-tier", None), OK),
    ("Tier custom with Pass", tier("my-tier", 100.0, "Pass"), OK),
    ("Tier defaultAction Allow", tier("my-tier", 100.0, "Allow"), err("spec.defaultAction", TAG + "oneof")),
    # NetworkPolicy.
    ("NP valid name", np(name="thing"), OK),
    ("NP name with dots", np(name="t.h.i.ng"), err("metadata.name", NAME_MSG)),
    ("NP name with mixed case", np(name="tHiNg"), err("metadata.name", NAME_MSG)),
    ("NP name of 253 chars", np(name=LONG[:253]), OK),
    ("NP name of 254 chars", np(name=LONG[:254]), err("metadata.name", "name is too long by 1 bytes")),
    ("NP k8s policy name", np(name="knp.default.thing"), OK),
    ("NP ossg policy name", np(name="ossg.default.a.b.c"), OK),
    ("NP name with single dot - tier", np(name="th.ing"), OK),
    ("NP missing Types", np({}), OK),
    ("NP empty Types", np({"types": []}), OK),
    ("NP ingress Types", np({"types": ["Ingress"]}), OK),
    ("NP egress Types", np({"types": ["Egress"]}), OK),
    ("NP ingress+egress Types", np({"types": ["Ingress", "Egress"]}), OK),
    ("NP repeated egress Types", np({"types": ["Egress", "Egress"]}), err("spec.types", "'Egress' type specified more than once")),
    ("NP unexpected Types value", np({"types": ["unexpected"]}), err("spec.types[0]", TAG + "policyType")),
    ("NP Types egress with Ingress rules", np({"ingress": [{"action": "Allow"}], "types": ["Egress"]}), OK),
    ("NP Types ingress with Egress rules", np({"egress": [{"action": "Allow"}], "types": ["Ingress"]}), OK),
    ("NP Types ingress with Ingress rules", np({"ingress": [{"action": "Allow"}], "types": ["Ingress"]}), OK),
    ("NP Types both with Ingress rules", np({"ingress": [{"action": "Allow"}], "types": ["Ingress", "Egress"]}), OK),
    ("NP Types egress with Egress rules", np({"egress": [{"action": "Allow"}], "types": ["Egress"]}), OK),
    ("NP Types both with Egress rules", np({"egress": [{"action": "Allow"}], "types": ["Ingress", "Egress"]}), OK),
    ("NP HTTP in egress rule", np({"egress": [{"action": "Allow", "http": {"methods": ["GET"]}}], "types": ["Ingress", "Egress"]}),
     err("spec.egress[0].http", "not allowed in egress rule")),
    ("NP global() in selector", np({"selector": "global()"}), err("spec.selector", "global() can only be used in an EntityRule namespaceSelector")),
    ("NP global() in serviceAccountSelector", np({"serviceAccountSelector": "global()"}),
     err("spec.serviceAccountSelector", "global() can only be used in an EntityRule namespaceSelector")),
    ("NP performanceHints junk", np({"performanceHints": ["junk"]}), err("spec.performanceHints[0]", TAG + "oneof")),
    ("NP performanceHints AssumeNeededOnEveryNode", np({"performanceHints": ["AssumeNeededOnEveryNode"]}), OK),
    ("NP performanceHints dupes", np({"performanceHints": ["AssumeNeededOnEveryNode", "AssumeNeededOnEveryNode"]}),
     err("spec.performanceHints", TAG + "unique")),
    ("NP global() in EntityRule namespaceSelector", np({"ingress": [{"action": "Allow", "source": {"namespaceSelector": "global()"},
                                                         "destination": {"namespaceSelector": "projectcalico.org/name == 'test'"}}]}), OK),
    ("NP service in egress destination", np({"egress": [{"action": "Allow", "destination": {"services": svc()}}]}), OK),
    ("NP service in egress source", np({"egress": [{"action": "Allow", "source": {"services": svc()}}]}),
     err("spec.egress[0].source.services", "not allowed in egress rule source")),
    ("NP service in ingress source", np({"ingress": [{"action": "Allow", "source": {"services": svc()}}]}), OK),
    ("NP service in ingress destination", np({"ingress": [{"action": "Allow", "destination": {"services": svc()}}]}),
     err("spec.ingress[0].destination.services", "not allowed in ingress rule destination")),
    ("NP service without a namespace (NP does not need one)", np({"egress": [{"action": "Allow", "destination": {"services": svc(None)}}]}), OK),
    ("NP service without a name", np({"egress": [{"action": "Allow", "destination": {"services": {"namespace": "default"}}}]}),
     err("spec.egress[0].destination.services", "must specify a service name")),
    ("NP service and serviceAccount", np({"ingress": [{"action": "Allow", "source": {"serviceAccounts": {"names": ["serviceaccount"]}, "services": svc()}}]}),
     err(R0 + ".source.services", "cannot specify ServiceAccounts and Services on the same rule")),
    ("NP service and ports on egress destination", np({"egress": [{"action": "Allow", "protocol": "TCP", "destination": {"ports": [80], "services": svc()}}]}),
     err("spec.egress[0].destination.ports", "cannot specify ports with a service selector")),
    ("NP service and ports on egress destination (CEL)", np({"egress": [{"action": "Allow", "protocol": "TCP", "destination": {"ports": [80], "services": svc()}}]}),
     err("spec.egress[0]", "ports and notPorts cannot be specified with services")),
    ("NP service and notPorts on egress destination", np({"egress": [{"action": "Allow", "protocol": "TCP", "destination": {"notPorts": [80], "services": svc()}}]}),
     err("spec.egress[0].destination.notPorts", "cannot specify notports with a service selector")),
    ("NP service and ports on ingress source", np({"ingress": [{"action": "Allow", "protocol": "TCP", "source": {"ports": [80], "services": svc()}}]}), OK),
    ("NP service and notPorts on ingress source", np({"ingress": [{"action": "Allow", "protocol": "TCP", "source": {"notPorts": [80], "services": svc()}}]}), OK),
    ("NP service and nets", np({"ingress": [{"action": "Allow", "source": {"nets": ["10.0.0.0/8"], "services": svc()}}]}),
     err(R0 + ".source.services", "cannot specify Nets/NotNets and Services on the same rule")),
    ("NP service and notNets", np({"ingress": [{"action": "Allow", "source": {"notNets": ["10.0.0.0/8"], "services": svc()}}]}),
     err(R0 + ".source.services", "cannot specify Nets/NotNets and Services on the same rule")),
    ("NP service and selector", np({"ingress": [{"action": "Allow", "source": {"selector": "x == 'y'", "services": svc()}}]}),
     err(R0 + ".source.services", "cannot specify Selector/NotSelector and Services on the same rule")),
    ("NP service and notSelector", np({"ingress": [{"action": "Allow", "source": {"notSelector": "x == 'y'", "services": svc()}}]}),
     err(R0 + ".source.services", "cannot specify Selector/NotSelector and Services on the same rule")),
    ("NP service and namespaceSelector", np({"ingress": [{"action": "Allow", "source": {"namespaceSelector": "x == 'y'", "services": svc()}}]}),
     err(R0 + ".source.services", "cannot specify NamespaceSelector and Services on the same rule")),
    # StagedNetworkPolicy.
    ("SNP valid name", snp({"stagedAction": "Delete"}), OK),
    ("SNP name with dots", snp({"stagedAction": "Delete"}, "t.h.i.ng"), err("metadata.name", NAME_MSG)),
    ("SNP name with mixed case", snp({"stagedAction": "Delete"}, "tHiNg"), err("metadata.name", NAME_MSG)),
    ("SNP name of 253 chars", snp({"stagedAction": "Delete"}, LONG[:253]), OK),
    ("SNP name of 254 chars", snp({"stagedAction": "Delete"}, LONG[:254]), err("metadata.name", "name is too long by 1 bytes")),
    ("SNP k8s policy name", snp({"stagedAction": "Delete"}, "knp.default.thing"), OK),
    ("SNP missing Types", snp({"stagedAction": "Delete", "tier": "eng"}, "eng.thing"), OK),
    ("SNP StagedAction Set", snp({"stagedAction": "Set", "selector": 'foo == "bar"'}), OK),
    ("SNP StagedAction not set", snp({"selector": 'foo == "bar"'}), OK),
    ("SNP StagedAction Delete", snp({"stagedAction": "Delete", "tier": "eng"}, "eng.thing"), OK),
    ("SNP Delete with another field set", snp({"stagedAction": "Delete", "selector": 'foo == "bar"'}),
     err("spec", "Spec fields, except Tier, should all be zero-value if stagedAction is Delete")),
    ("SNP Delete with order (fact)", snp({"stagedAction": "Delete", "order": 0}),
     err("spec", "Spec fields, except Tier, should all be zero-value if stagedAction is Delete")),
    ("SNP StagedAction Warning", snp({"stagedAction": "Warning", "selector": 'foo == "bar"'}), err("spec.stagedAction", TAG + "stagedAction")),
    ("SNP empty StagedAction", snp({"stagedAction": "", "selector": 'foo == "bar"'}), OK),
    ("SNP Delete with empty selector", snp({"stagedAction": "Delete", "tier": "eng"}, "eng.thing"), OK),
    ("SNP Set with source service on egress (fact)", snp({"stagedAction": "Set", "egress": [{"action": "Allow", "source": {"services": svc()}}]}),
     err("spec.egress[0].source.services", "not allowed in egress rule source")),
    # StagedKubernetesNetworkPolicy (facts from validateStagedKubernetesNetworkPolicy).
    ("SKNP Delete with empty spec", ("SKNP", doc({"stagedAction": "Delete"})), OK),
    ("SKNP Delete with a podSelector", ("SKNP", doc({"stagedAction": "Delete", "podSelector": {"matchLabels": {"a": "b"}}})),
     err("spec", "Spec fields should all be zero-value if stagedAction is Delete")),
    ("SKNP Set", ("SKNP", doc({"stagedAction": "Set", "podSelector": {"matchLabels": {"a": "b"}}})), OK),
    ("SKNP name of 254 chars", ("SKNP", doc({}, LONG[:254])), err("metadata.name", "name is too long by 1 bytes")),
    ("SKNP StagedAction Warning", ("SKNP", doc({"stagedAction": "Warning"})), err("spec.stagedAction", TAG + "stagedAction")),
    # EntityRule and global().
    ("global() in EntityRule selector", entity(selector="  global()  "),
     err(R0 + ".source.selector", "global() can only be used in an EntityRule namespaceSelector")),
    ("global() in EntityRule namespaceSelector", entity(namespaceSelector="  global()  "), OK),
    ("global() AND'd in namespaceSelector", entity(namespaceSelector=" global() && all()"),
     err(R0 + ".source.namespaceSelector", "global() cannot be combined with other selectors")),
    ("global() OR'd in namespaceSelector", entity(namespaceSelector="global()||all()"),
     err(R0 + ".source.namespaceSelector", "global() cannot be combined with other selectors")),
    ("negated global() in namespaceSelector", entity(namespaceSelector="!global()"),
     err(R0 + ".source.namespaceSelector", "global() cannot be combined with other selectors")),
    ("bad selector with global() in EntityRule selector", entity(selector="global() && bad"),
     err(R0 + ".source.selector", TAG + "selector")),
    ("bad selector with global(): the global() check too", entity(selector="global() && bad"),
     err(R0 + ".source.selector", "global() can only be used in an EntityRule namespaceSelector")),
    # HTTP match.
    ("HTTP paths with permitted match clauses", http(paths=[{"exact": "/foo"}, {"prefix": "/bar"}]), OK),
    ("HTTP path exact and prefix", http(paths=[{"exact": "/foo", "prefix": "/bar"}, {"prefix": "/bar"}]),
     err(R0 + ".http.paths", "Invalid path match. Both 'exact' and 'prefix' are set")),
    ("HTTP path with ?", http(paths=[{"exact": "/fo?o"}]), err(R0 + ".http.paths", "Invalid path /fo?o. (must start with `/` and not contain `?` or `#`")),
    ("HTTP path with space", http(paths=[{"exact": "/fo o"}]), err(R0 + ".http.paths", "Invalid path /fo o.")),
    ("HTTP path with #", http(paths=[{"exact": "/f#oo"}]), err(R0 + ".http.paths", "Invalid path /f#oo.")),
    ("HTTP path with #!?", http(paths=[{"exact": "/fo#!?o"}]), err(R0 + ".http.paths", "Invalid path /fo#!?o.")),
    ("HTTP prefix not starting with /", http(paths=[{"prefix": "foo"}]), err(R0 + ".http.paths", "Invalid path foo.")),
    ("HTTP path with empty match clauses", http(paths=[{}]), err(R0 + ".http.paths", "Invalid path match. Either 'exact' or 'prefix' must be set")),
    ("HTTP duplicate methods", http(methods=["GET", "GET", "Foo"]), err(R0 + ".http.methods", "Invalid methods (duplicates): [GET GET Foo]")),
    ("HTTP 21 methods (CRD maxItems)", http(methods=[f"M{i}" for i in range(21)]), err(R0 + ".http.methods", "must have at most 20 items")),
    # NotNets catch-all.
    ("NotNets catch-all IPv4", np({"ingress": [{"action": "Allow", "destination": {"notNets": ["0.0.0.0/0"]}}]}),
     err(R0 + ".destination.notNets[0]", "catch-all CIDR in negation creates logical contradiction (matches no traffic)")),
    ("NotNets catch-all IPv6", np({"ingress": [{"action": "Allow", "source": {"notNets": ["::0/0"]}}]}),
     err(R0 + ".source.notNets[0]", "catch-all CIDR in negation")),
    ("NotNets catch-all IPv6 non-standard", np({"ingress": [{"action": "Allow", "source": {"notNets": ["0:0:0::/0"]}}]}),
     err(R0 + ".source.notNets[0]", "catch-all CIDR in negation")),
    ("Nets catch-all IPv4 is fine", np({"ingress": [{"action": "Allow", "destination": {"nets": ["0.0.0.0/0"]}}]}), OK),
    ("NotNets 10/8 is fine", np({"ingress": [{"action": "Allow", "destination": {"notNets": ["10.0.0.0/8"]}}]}), OK),
    # (API) HostEndpointSpec / EndpointPort.
    ("HEP with a port", hep({"name": "a-valid-port", "protocol": "TCP", "port": 1234}), OK),
    ("HEP with an unnamed port", hep({"protocol": "TCP", "port": 1234}), err("spec.ports[0].name", TAG + "portName")),
    ("HEP with name-clashing ports", hep({"name": "a-valid-port", "protocol": "TCP", "port": 1234},
                                         {"name": "a-valid-port", "protocol": "UDP", "port": 5456}), OK),
    ("EndpointPort with sctp protocol", hep({"name": "a-valid-port", "protocol": "SCTP", "port": 1234}), OK),
    ("EndpointPort with no protocol", hep({"name": "a-valid-port", "port": 1234}), err("spec.ports[0].protocol", "protocol number invalid")),
    ("EndpointPort with numeric protocol", hep({"name": "a-valid-port", "protocol": 123, "port": 1234}),
     err("spec.ports[0].protocol", "EndpointPort protocol does not support ports.")),
    ("EndpointPort with ICMP", hep({"name": "a-valid-port", "protocol": "ICMP", "port": 1234}),
     err("spec.ports[0].protocol", "EndpointPort protocol does not support ports.")),
    ("EndpointPort with no port", hep({"name": "a-valid-port", "protocol": "TCP"}), err("spec.ports[0].port", TAG + "gt")),
]
# fmt: on


def _build(kind: str, data: dict[str, Any]) -> Any:
    # The table holds the validator's verdicts (``calicoctl validate``: no defaulting first).
    resource = KINDS[kind].from_dict(data, check=False)
    calicopy.validate(resource).raise_for_errors()
    return resource


@pytest.mark.parametrize(("case", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_validation_table(case: tuple[str, dict[str, Any]], expected: tuple[str, str] | None) -> None:
    kind, data = case
    if expected is None:
        _build(kind, data)
        return
    with pytest.raises(ValidationError) as info:
        _build(kind, data)
    path, reason = expected
    fields = info.value.fields
    assert any(f.path == path and reason in f.reason for f in fields), [str(f) for f in fields]


def test_table_is_big_enough() -> None:
    assert len(CASES) >= 170
    assert len({c[0] for c in CASES}) == len(CASES)


def test_golden_port_message() -> None:
    """validator_test.go "Validator errors": the one exact message in the Go table."""
    kind, data = allow(protocol="TCP", destination={"notPorts": ["0:456"]})
    with pytest.raises(ValidationError) as info:
        _build(kind, data)
    assert [str(f) for f in info.value.fields] == [
        "spec.ingress[0].destination.notPorts[0] = '0' (port range invalid, port number must be between 1 and 65535)"
    ]


def test_constructor_runs_the_same_checks() -> None:
    with pytest.raises(ValidationError) as info:
        GlobalNetworkPolicy(metadata={"name": "thing"}, spec={"preDNAT": True})
    assert [f.path for f in info.value.fields] == ["spec.applyOnForward", "spec"]


def test_cel_after_go_checks() -> None:
    kind, data = rule(action="Deny", protocol="UDP", http={"methods": ["GET"]})
    with pytest.raises(ValidationError) as info:
        _build(kind, data)
    reasons = [f.reason for f in info.value.fields]
    assert reasons == [
        "rules that specify HTTP fields must set protocol to TCP or empty",
        "only valid for Allow rules",
        "rules with HTTP match must have protocol TCP or unset",
        "HTTP match is only valid on Allow rules",
    ]


# -- defaults -------------------------------------------------------------------------------------

SEED = {
    "apiVersion": "projectcalico.org/v3",
    "kind": "NetworkPolicy",
    "metadata": {"name": "allow-tcp-6379", "namespace": "production"},
    "spec": {
        "selector": "role == 'database'",
        "ingress": [
            {
                "action": "Allow",
                "protocol": "TCP",
                "source": {"selector": "role == 'frontend'"},
                "destination": {"ports": [6379]},
            }
        ],
        "egress": [{"action": "Allow"}],
    },
}


def test_seed_policy_validates_and_defaults() -> None:
    policy = NetworkPolicy.from_dict(SEED)
    assert policy.validation_errors() == []
    filled = default(policy)
    assert filled.spec.types == ["Ingress", "Egress"]
    assert filled.spec.tier == "default"
    assert filled.metadata.labels == {"projectcalico.org/tier": "default"}
    assert filled.spec.order is None
    assert policy.spec.types == [] and policy.metadata.labels == {}  # the input is untouched
    assert filled.validation_errors() == []
    assert filled.to_dict()["spec"]["types"] == ["Ingress", "Egress"]


@pytest.mark.parametrize("cls", [NetworkPolicy, GlobalNetworkPolicy, StagedNetworkPolicy, StagedGlobalNetworkPolicy])
@pytest.mark.parametrize(
    ("ingress", "egress", "types"),
    [
        (0, 0, ["Ingress"]),
        (1, 0, ["Ingress"]),
        (0, 1, ["Egress"]),
        (1, 1, ["Ingress", "Egress"]),
    ],
)
def test_default_types(cls: Any, ingress: int, egress: int, types: list[str]) -> None:
    spec = {"ingress": [{"action": "Allow"}] * ingress, "egress": [{"action": "Allow"}] * egress}
    meta: dict[str, Any] = {"name": "test"}
    if cls in (NetworkPolicy, StagedNetworkPolicy):
        meta["namespace"] = "ns"
    assert default(cls.from_dict({"metadata": meta, "spec": spec})).spec.types == types


def test_default_types_not_overwritten() -> None:
    p = NetworkPolicy.from_dict({"metadata": {"name": "t", "namespace": "n"}, "spec": {"types": ["Egress"]}})
    assert default(p).spec.types == ["Egress"]


@pytest.mark.parametrize(
    ("tier_name", "existing", "expected"),
    [
        ("", None, "default"),
        ("net-sec", None, "net-sec"),
        ("net-sec", "net-sec", "net-sec"),
        ("", "default", "default"),
        ("net-sec", "other", "net-sec"),
    ],
)
def test_default_tier_label(tier_name: str, existing: str | None, expected: str) -> None:
    meta: dict[str, Any] = {"name": "net-sec.test" if tier_name else "test"}
    if existing is not None:
        meta["labels"] = {"projectcalico.org/tier": existing}
    spec: dict[str, Any] = {"types": ["Ingress"]}
    if tier_name:
        spec["tier"] = tier_name
    p = GlobalNetworkPolicy.from_dict({"metadata": meta, "spec": spec})
    filled = default(p)
    assert filled.metadata.labels["projectcalico.org/tier"] == expected
    assert filled.spec.tier == (tier_name or "default")


def test_default_staged() -> None:
    s = StagedNetworkPolicy.from_dict({"metadata": {"name": "t", "namespace": "n"}, "spec": {"selector": "all()"}})
    filled = default(s)
    assert filled.spec.staged_action == "Set"
    assert filled.spec.types == ["Ingress"]
    assert filled.spec.tier == "default"
    d = StagedGlobalNetworkPolicy.from_dict({"metadata": {"name": "t"}, "spec": {"stagedAction": "Delete"}})
    filled_d = default(d)
    assert filled_d.spec.types == []
    assert filled_d.spec.staged_action == "Delete"
    assert filled_d.metadata.labels == {"projectcalico.org/tier": "default"}
    assert filled_d.validation_errors() == []
    k = StagedKubernetesNetworkPolicy.from_dict({"metadata": {"name": "t", "namespace": "n"}, "spec": {}})
    assert default(k).spec.staged_action == "Set"
    assert default(k).spec.policy_types == []


def test_default_tier() -> None:
    t = Tier.from_dict({"metadata": {"name": "platform"}, "spec": {}})
    filled = default(t)
    assert filled.spec.order == 1_000_000.0
    assert filled.spec.default_action == "Deny"
    kept = default(Tier.from_dict({"metadata": {"name": "p"}, "spec": {"order": 5, "defaultAction": "Pass"}}))
    assert (kept.spec.order, kept.spec.default_action) == (5, "Pass")


def test_check_tier_exists() -> None:
    p = NetworkPolicy.from_dict({"metadata": {"name": "eng.x", "namespace": "n"}, "spec": {"tier": "eng"}})
    check_tier_exists(p, ["default", "eng"])
    with pytest.raises(ResourceNotFound, match=r"^resource does not exist: Tier\(eng\) with error: <nil>$"):
        check_tier_exists(p, ["default"])
    q = NetworkPolicy.from_dict({"metadata": {"name": "x", "namespace": "n"}, "spec": {}})
    check_tier_exists(q, {"default"})
    with pytest.raises(ResourceNotFound, match=r"Tier\(default\)"):
        check_tier_exists(q, [])


def test_ensure_tier_label() -> None:
    p = NetworkPolicy.from_storage({"metadata": {"name": "x", "namespace": "n"}, "spec": {"tier": "eng"}})
    ensure_tier_label(p)
    assert p.metadata.labels == {"projectcalico.org/tier": "default"}  # libcalico-go adds "default", whatever the tier
    q = NetworkPolicy.from_storage(
        {"metadata": {"name": "x", "namespace": "n", "labels": {"projectcalico.org/tier": "eng"}}}
    )
    ensure_tier_label(q)
    assert q.metadata.labels == {"projectcalico.org/tier": "eng"}
