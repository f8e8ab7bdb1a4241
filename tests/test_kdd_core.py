"""Golden pairs for calicopy.kdd.from_core, taken from Calico v3.32.1's Go tests.

C = libcalico-go/lib/backend/k8s/conversion/conversion_test.go
N = libcalico-go/lib/backend/k8s/resources/node_test.go
Each case names the Go ``It``/``Entry`` it comes from.
"""

from __future__ import annotations

from typing import Any

import pytest

from calicopy import NetworkPolicy
from calicopy.kdd import ConversionError, from_core
from calicopy.kdd.core import (
    default_allow_profile,
    join_profile_revisions,
    parse_quantity,
    simplify_ports,
    split_profile_revision,
    veth_name_for_workload,
    workload_endpoint_name,
)
from calicopy.resources.types import Port

UID = "30316465-6365-4463-ad63-3564622d3638"
UID_CONVERTED = "0c8c26a6-c6a6-44c6-adc6-ac2646b46c1c"  # C: "should parse a UID to a Calico ID"
ORCH = "projectcalico.org/orchestrator == 'k8s'"


def _pod(
    annotations: dict[str, str] | None = None, status: dict[str, Any] | None = None, **spec: Any
) -> dict[str, Any]:
    return {
        "metadata": {
            "name": "podA",
            "namespace": "default",
            "resourceVersion": "1234",
            "annotations": annotations or {},
        },
        "spec": {"nodeName": "nodeA", **spec},
        "status": status or {},
    }


def _wep(pod: dict[str, Any]) -> dict[str, Any]:
    result = from_core("WorkloadEndpoint", pod)
    assert result is not None
    return result.to_dict()


def _knp(spec: dict[str, Any]) -> dict[str, Any]:
    obj = {"metadata": {"name": "test.policy", "namespace": "default", "uid": UID}, "spec": spec}
    result = from_core("KubernetesNetworkPolicy", obj)
    assert isinstance(result, NetworkPolicy)
    return result.to_dict()["spec"]


_SEL_KV = {"matchLabels": {"k": "v", "k2": "v2"}}
_SEL_LABEL = {"matchLabels": {"label": "value", "label2": "value2"}}


# -- WorkloadEndpoint (C: Describe "Test Pod conversion") ---------------------------------------


def test_pod_with_ip_full_golden() -> None:
    # C: "should parse a Pod with an IP to a WorkloadEndpoint"
    pod = _pod(
        {"arbitrary": "annotation"},
        {"podIP": "192.168.0.1"},
        initContainers=[{"ports": [{"name": "init-port", "containerPort": 3000}]}],
        containers=[
            {"ports": [{"containerPort": 5678}, {"name": "no-proto", "containerPort": 1234}]},
            {
                "ports": [
                    {"name": "tcp-proto", "protocol": "TCP", "containerPort": 1024},
                    {"name": "tcp-proto-with-host-port", "protocol": "TCP", "containerPort": 8080, "hostPort": 5678},
                    {
                        "name": "tcp-proto-with-host-port-and-ip",
                        "protocol": "TCP",
                        "containerPort": 8081,
                        "hostPort": 6789,
                        "hostIP": "1.2.3.4",
                    },
                    {"protocol": "TCP", "containerPort": 500, "hostPort": 5000},
                    {"name": "udp-proto", "protocol": "UDP", "containerPort": 432},
                    {"name": "sctp-proto", "protocol": "SCTP", "containerPort": 891},
                    {"name": "unkn-proto", "protocol": "unknown", "containerPort": 567},
                ]
            },
        ],
    )
    pod["metadata"]["labels"] = {"labelA": "valueA", "labelB": "valueB"}
    before = repr(pod)
    wep = _wep(pod)
    assert repr(pod) == before  # input not modified
    assert wep["metadata"] == {
        "name": "nodeA-k8s-podA-eth0",
        "namespace": "default",
        "resourceVersion": "1234",
        "labels": {
            "labelA": "valueA",
            "labelB": "valueB",
            "projectcalico.org/namespace": "default",
            "projectcalico.org/orchestrator": "k8s",
        },
    }
    spec = wep["spec"]
    assert spec["orchestrator"] == "k8s" and spec["node"] == "nodeA" and spec["pod"] == "podA"
    assert spec["endpoint"] == "eth0"
    assert spec["ipNetworks"] == ["192.168.0.1/32"]
    assert spec["profiles"] == ["kns.default"]
    assert spec["interfaceName"] == "cali7f94ce7c295"
    ports = [(p["name"], p["port"], p["protocol"], p["hostPort"], p["hostIP"]) for p in spec["ports"]]
    assert ports == [
        ("no-proto", 1234, "TCP", 0, ""),
        ("tcp-proto", 1024, "TCP", 0, ""),
        ("tcp-proto-with-host-port", 8080, "TCP", 5678, ""),
        ("tcp-proto-with-host-port-and-ip", 8081, "TCP", 6789, "1.2.3.4"),
        ("", 500, "TCP", 5000, ""),
        ("udp-proto", 432, "UDP", 0, ""),
        ("sctp-proto", 891, "SCTP", 0, ""),
        ("init-port", 3000, "TCP", 0, ""),
    ]


@pytest.mark.parametrize(
    ("case", "annotations", "status", "expected"),
    [
        # C: "should parse a Pod with dual stack IPs to a WorkloadEndpoint"
        ("dual stack", {}, {"podIP": "192.168.0.1", "podIPs": [{"ip": "192.168.0.1"}, {"ip": "fd5f:8067::1"}]},
         ["192.168.0.1/32", "fd5f:8067::1/128"]),
        # C: "should look in the calico annotation for the IP"
        ("calico annotation", {"cni.projectcalico.org/podIP": "192.168.0.1"}, {}, ["192.168.0.1/32"]),
        # C: "should look in the dual stack calico annotation for the IPs"
        ("dual annotation", {"cni.projectcalico.org/podIP": "192.168.0.1",
                             "cni.projectcalico.org/podIPs": "192.168.0.1,fd5f:8067::1"}, {},
         ["192.168.0.1/32", "fd5f:8067::1/128"]),
        # C: "should look for the AWS VPC CNI annotation for pod IPs"
        ("aws", {"vpc.amazonaws.com/pod-ips": "192.168.0.1"}, {}, ["192.168.0.1/32"]),
        # C: "should handle IP annotations with /32 and /128"
        ("with prefix", {"cni.projectcalico.org/podIP": "192.168.0.1/32",
                         "cni.projectcalico.org/podIPs": "192.168.0.1/32,fd5f:8067::1/128"}, {},
         ["192.168.0.1/32", "fd5f:8067::1/128"]),
        # C: "should prioritise PodIP over the calico annotation for the IP"
        ("status wins", {"cni.projectcalico.org/podIP": "192.168.0.1"}, {"podIP": "192.168.0.2"},
         ["192.168.0.2/32"]),
        # C: "should treat running pod with empty podIP annotation and no deletion timestamp as Running"
        ("empty annotation running", {"cni.projectcalico.org/podIP": ""},
         {"podIP": "192.168.0.1", "phase": "Running"}, ["192.168.0.1/32"]),
        # C: "should return a value for a missing pod IP"
        ("no ip", {}, {}, None),
    ],
)  # fmt: skip
def test_pod_ips(case: str, annotations: dict[str, str], status: dict[str, Any], expected: list[str] | None) -> None:
    assert _wep(_pod(annotations, status))["spec"].get("ipNetworks") == expected, case


def test_deleting_pod_with_cleared_annotation_is_finished() -> None:
    # C: "should treat running pod with empty podIP with a deletion timestamp as finished"
    pod = _pod({"cni.projectcalico.org/podIP": ""}, {"podIP": "192.168.0.1", "phase": "Running"})
    pod["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    assert "ipNetworks" not in _wep(pod)["spec"]
    # C: "should treat running pod with no podIP annotation with a deletion timestamp as running"
    pod["metadata"]["annotations"] = {"arbitrary": "annotation"}
    assert _wep(pod)["spec"]["ipNetworks"] == ["192.168.0.1/32"]


@pytest.mark.parametrize(
    ("phase", "has_ip"),
    # C: DescribeTable "PodToDefaultWorkloadEndpoint reject/accept phase tests"
    [("Pending", True), ("Running", True), ("Unknown", True), ("Succeeded", False), ("Failed", False),
     ("Completed", False)],
)  # fmt: skip
def test_pod_phase(phase: str, has_ip: bool) -> None:
    pod = _pod({"cni.projectcalico.org/podIP": "192.168.0.1"}, {"podIP": "192.168.0.1", "phase": phase})
    assert len(_wep(pod)["spec"].get("ipNetworks", [])) == (1 if has_ip else 0)


def test_floating_ips() -> None:
    # C: "should look in the calico annotation for a floating IP"
    pod = _pod({"cni.projectcalico.org/podIP": "192.168.0.1", "cni.projectcalico.org/floatingIPs": '["1.1.1.1"]'})
    assert _wep(pod)["spec"]["ipNATs"] == [{"internalIP": "192.168.0.1", "externalIP": "1.1.1.1"}]
    # C: "should find the right address family target for dual stack floating IPs"
    pod = _pod(
        {
            "cni.projectcalico.org/podIP": "192.168.0.1",
            "cni.projectcalico.org/podIPs": "192.168.0.1,fd5f:8067::1",
            "cni.projectcalico.org/floatingIPs": '["1.1.1.1","fd80:100:100::10"]',
        }
    )
    assert _wep(pod)["spec"]["ipNATs"] == [
        {"internalIP": "192.168.0.1", "externalIP": "1.1.1.1"},
        {"internalIP": "fd5f:8067::1", "externalIP": "fd80:100:100::10"},
    ]


def test_source_prefixes() -> None:
    key = "cni.projectcalico.org/allowedSourcePrefixes"
    base = {"cni.projectcalico.org/podIP": "192.168.0.1"}
    # C: "should look at the source spoofing disabling annotation"
    spec = _wep(_pod({**base, key: '["8.8.8.8/32","1.1.1.0/24"]'}))["spec"]
    assert spec["allowSpoofedSourcePrefixes"] == ["8.8.8.8/32", "1.1.1.0/24"]
    # C: "should normalize CIDRs in the source spoofing disabling annotation"
    assert _wep(_pod({**base, key: '["1.1.1.1/16"]'}))["spec"]["allowSpoofedSourcePrefixes"] == ["1.1.0.0/16"]
    # C: "should error on empty string ..." / "should error on invalid CIDR ..."
    for bad in ('[""]', '["gumbo"]'):
        with pytest.raises(ConversionError):
            from_core("WorkloadEndpoint", _pod({**base, key: bad}))


@pytest.mark.parametrize(
    "annotations",
    [
        {"cni.projectcalico.org/podIP": "foobar"},  # C: "should return an error for a bad pod IP"
        {"cni.projectcalico.org/podIPs": "foobar"},  # C: "should return an error for a bad podIPs annotation"
    ],
)
def test_bad_pod_ip(annotations: dict[str, str]) -> None:
    with pytest.raises(ConversionError):
        from_core("WorkloadEndpoint", _pod(annotations))


def test_pod_without_node_or_host_networked_is_skipped() -> None:
    # C: "should not parse a Pod with no NodeName" (the WEP client skips it: IsValidCalicoWorkloadEndpoint)
    pod = _pod(status={"podIP": "192.168.0.1"})
    pod["spec"] = {}
    assert from_core("WorkloadEndpoint", pod) is None
    assert from_core("WorkloadEndpoint", _pod(hostNetwork=True)) is None


def test_pod_with_no_labels() -> None:
    # C: "should parse a Pod with no labels"
    pod = {"metadata": {"name": "podB", "namespace": "default"}, "spec": {"nodeName": "nodeA"},
           "status": {"podIP": "192.168.0.1"}}  # fmt: skip
    wep = _wep(pod)
    assert wep["metadata"]["name"] == "nodeA-k8s-podB-eth0"
    assert wep["metadata"]["labels"] == {
        "projectcalico.org/namespace": "default",
        "projectcalico.org/orchestrator": "k8s",
    }
    assert wep["spec"]["interfaceName"] == "cali92cf1f5e9f6"


def test_pod_service_accounts() -> None:
    # C: "should parse a Pod with serviceaccount"
    wep = _wep(_pod(status={"podIP": "192.168.0.1"}, serviceAccountName="sa-test"))
    assert wep["spec"]["profiles"] == ["kns.default", "ksa.default.sa-test"]
    assert wep["metadata"]["labels"]["projectcalico.org/serviceaccount"] == "sa-test"
    assert wep["spec"]["serviceAccountName"] == "sa-test"
    # C: "should parse a Pod with long serviceaccount": no label at 63+ characters
    long_name = (
        "serviceaccount-name-that-is-too-long-to-be-used-as-a-kubernetes-label-because-it-exceeds-the-character-limit"
    )
    wep = _wep(_pod(serviceAccountName=long_name))
    assert "projectcalico.org/serviceaccount" not in wep["metadata"]["labels"]
    assert wep["spec"]["profiles"] == ["kns.default", "ksa.default." + long_name]


def test_generate_name_and_network_status() -> None:
    # C: "should parse a Pod with GenerateName set in metadata"
    pod = _pod()
    pod["metadata"]["generateName"] = "generatedname"
    assert _wep(pod)["metadata"]["generateName"] == "generatedname"
    # C: "should pass network-status annotations from pod to workloadendpoint"
    status = '[{"name": "k8s-pod-network", "ips": ["172.16.166.191"], "default": true, "dns": {}}]'
    wep = _wep(_pod({"k8s.v1.cni.cncf.io/network-status": status, "other": "x"}))
    assert wep["metadata"]["annotations"] == {"k8s.v1.cni.cncf.io/network-status": status}


def test_qos_valid() -> None:
    # C: "should parse valid QoSControl annotations"
    q = "qos.projectcalico.org/"
    values = {"ingressBandwidth": "1M", "egressBandwidth": "2M", "ingressBurst": "3M", "egressBurst": "4M",
              "ingressPeakrate": "5M", "egressPeakrate": "6M", "ingressMinburst": "7M", "egressMinburst": "8M",
              "ingressPacketRate": "2k", "egressPacketRate": "9k", "ingressPacketBurst": "1k",
              "egressPacketBurst": "10k", "ingressMaxConnections": "13M", "egressMaxConnections": "14M",
              "dscp": "cs5"}  # fmt: skip
    qos = _wep(_pod({q + k: v for k, v in values.items()}))["spec"]["qosControls"]
    assert qos == {
        "ingressBandwidth": 1000000, "egressBandwidth": 2000000, "ingressBurst": 3000000, "egressBurst": 4000000,
        "ingressPeakrate": 5000000, "egressPeakrate": 6000000, "ingressMinburst": 7000000, "egressMinburst": 8000000,
        "ingressPacketRate": 2000, "egressPacketRate": 9000, "ingressPacketBurst": 1000, "egressPacketBurst": 10000,
        "ingressMaxConnections": 13000000, "egressMaxConnections": 14000000, "dscp": "CS5",
    }  # fmt: skip


def test_qos_capped() -> None:
    # C: "should cap invalid QoSControl annotations to min/max values"
    q = "qos.projectcalico.org/"
    values = {"ingressBandwidth": "1", "egressBandwidth": "20P", "ingressBurst": "3", "egressBurst": "40P",
              "ingressPeakrate": "5", "egressPeakrate": "50P", "ingressMinburst": "7", "egressMinburst": "8Gi",
              "ingressPacketRate": "0", "egressPacketRate": "60P", "ingressPacketBurst": "0",
              "egressPacketBurst": "70P", "ingressMaxConnections": "0", "egressMaxConnections": "80P"}  # fmt: skip
    qos = _wep(_pod({q + k: v for k, v in values.items()}))["spec"]["qosControls"]
    assert qos == {
        "ingressBandwidth": 1000, "egressBandwidth": 1000000000000000, "ingressBurst": 1000,
        "egressBurst": 34359738360, "ingressPeakrate": 1010, "egressPeakrate": 1010000000000000,
        "ingressMinburst": 1000, "egressMinburst": 100000000, "ingressPacketRate": 1, "egressPacketRate": 10000,
        "ingressPacketBurst": 1, "egressPacketBurst": 10000, "ingressMaxConnections": 1,
        "egressMaxConnections": 4294967295,
    }  # fmt: skip


@pytest.mark.parametrize(
    "names",
    [
        ("ingressBurst", "egressBurst"),  # C: "should ignore burst QoSControl annotation if bandwidth is not present"
        ("ingressPeakrate", "egressPeakrate"),  # C: "... peakrate ... if bandwidth is not present"
        ("ingressMinburst", "egressMinburst"),  # C: "... minburst ... if peakrate is not present"
        ("ingressPacketBurst", "egressPacketBurst"),  # C: "... packet burst ... if packet rate is not present"
    ],
)
def test_qos_dependent_settings_dropped(names: tuple[str, str]) -> None:
    annotations = {"qos.projectcalico.org/" + names[0]: "3M", "qos.projectcalico.org/" + names[1]: "4M"}
    assert "qosControls" not in _wep(_pod(annotations))["spec"]


def test_qos_k8s_bandwidth_default_burst_and_bad_values() -> None:
    spec = _wep(_pod({"kubernetes.io/egress-bandwidth": "10M", "qos.projectcalico.org/dscp": "99"}))["spec"]
    assert spec["qosControls"] == {"egressBandwidth": 10_000_000, "egressBurst": 4 * 2**30}
    assert "qosControls" not in _wep(_pod({"qos.projectcalico.org/ingressBandwidth": "lots"}))["spec"]
    assert _wep(_pod({"qos.projectcalico.org/dscp": "40"}))["spec"]["qosControls"] == {"dscp": 40}


def test_names_and_veth() -> None:
    # C: "generate a veth name with the right prefix" (FELIX_INTERFACEPREFIX=eni,veth,foo)
    assert veth_name_for_workload("namespace", "podname", "eni") == "eni82111e10a96"
    assert workload_endpoint_name("ip-10-0-0-1", "nginx-abc") == "ip--10--0--0--1-k8s-nginx--abc-eth0"
    with pytest.raises(ConversionError):
        workload_endpoint_name("node-", "pod")


def test_veth_prefix_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FELIX_INTERFACEPREFIX", "eni,veth,foo")
    assert (
        _wep({"metadata": {"name": "podname", "namespace": "namespace"}, "spec": {"nodeName": "n"}})["spec"][
            "interfaceName"
        ]
        == "eni82111e10a96"
    )


def test_pod_uid_is_raw() -> None:
    pod = _pod()
    pod["metadata"]["uid"] = UID
    assert _wep(pod)["metadata"]["uid"] == UID


# -- Profile (C: "Test Namespace conversion", "Test ServiceAccount conversion") ------------------


def test_namespace_profile() -> None:
    # C: "should parse a Namespace to a Profile"
    ns = {"kind": "Namespace", "metadata": {"name": "default", "labels": {"foo": "bar", "roger": "rabbit"},
          "annotations": {}, "uid": UID, "resourceVersion": "77", "creationTimestamp": "2026-01-02T03:04:05Z"}}  # fmt: skip
    profile = from_core("Profile", ns)
    assert profile is not None
    assert profile.to_dict() == {
        "kind": "Profile",
        "apiVersion": "projectcalico.org/v3",
        "metadata": {"name": "kns.default", "uid": UID_CONVERTED, "resourceVersion": "77/",
                     "creationTimestamp": "2026-01-02T03:04:05Z"},
        "spec": {
            "ingress": [{"action": "Allow"}],
            "egress": [{"action": "Allow"}],
            "labelsToApply": {"pcns.foo": "bar", "pcns.projectcalico.org/name": "default", "pcns.roger": "rabbit"},
        },
    }  # fmt: skip


def test_namespace_profile_no_labels_and_policy_annotation_ignored() -> None:
    # C: "should parse a Namespace to a Profile with no labels", "should ignore the network-policy Namespace
    # annotation", "should not fail for malformed annotation"
    for annotation in ('{"ingress": {"isolation": "DefaultDeny"}}', "invalidJSON", "{}"):
        ns = {"metadata": {"name": "default", "uid": UID,
                           "annotations": {"net.beta.kubernetes.io/network-policy": annotation}}}  # fmt: skip
        spec = from_core("Profile", ns).to_dict()["spec"]  # type: ignore[union-attr]
        assert spec == {"ingress": [{"action": "Allow"}], "egress": [{"action": "Allow"}],
                        "labelsToApply": {"pcns.projectcalico.org/name": "default"}}  # fmt: skip


def test_service_account_profiles() -> None:
    # C: "should parse a ServiceAccount in default namespace to a Profile"
    sa = {"kind": "ServiceAccount", "metadata": {"name": "sa-test", "labels": {"foo": "bar", "roger": "rabbit"},
          "uid": UID, "resourceVersion": "5678"}}  # fmt: skip
    assert from_core("Profile", sa).to_dict() == {  # type: ignore[union-attr]
        "kind": "Profile",
        "apiVersion": "projectcalico.org/v3",
        "metadata": {"name": "ksa.default.sa-test", "uid": UID_CONVERTED, "resourceVersion": "/5678"},
        "spec": {
            "labelsToApply": {"pcsa.foo": "bar", "pcsa.projectcalico.org/name": "sa-test", "pcsa.roger": "rabbit"}
        },
    }
    # C: "should parse a ServiceAccount in Namespace to a Profile" (kind-less list item: namespaced -> SA)
    sa = {"metadata": {"name": "sa-test", "namespace": "test", "uid": UID}}
    profile = from_core("Profile", sa)
    assert profile is not None and profile.to_dict()["metadata"]["name"] == "ksa.test.sa-test"


def test_profile_uid_errors_and_revisions() -> None:
    with pytest.raises(ConversionError, match="failed to parse UID"):
        from_core("Profile", {"metadata": {"name": "x", "uid": "not-a-uid"}})
    # C: "should handle ServiceAccount resource versions"
    assert join_profile_revisions("1234", "5678") == "1234/5678"
    assert join_profile_revisions("", "5678") == "/5678"
    assert split_profile_revision("") == ("", "")
    assert split_profile_revision("/") == ("", "")
    assert split_profile_revision("1234/") == ("1234", "")
    for bad in ("1234", "1234/5678/1313"):
        with pytest.raises(ConversionError, match="ResourceVersion is not valid"):
            split_profile_revision(bad)


def test_default_allow_profile() -> None:
    assert default_allow_profile().to_dict() == {
        "kind": "Profile",
        "apiVersion": "projectcalico.org/v3",
        "metadata": {"name": "projectcalico-default-allow", "resourceVersion": "1"},
        "spec": {"ingress": [{"action": "Allow"}], "egress": [{"action": "Allow"}]},
    }


# -- Node (N: Describe "Test Node conversion") --------------------------------------------------

_ADDRS = [{"type": "InternalIP", "address": "172.17.17.10"}, {"type": "ExternalIP", "address": "192.168.1.100"},
          {"type": "Hostname", "address": "172-17-17-10"}]  # fmt: skip


def _node(annotations: dict[str, str], *, use_pod_cidr: bool = False, **spec: Any) -> dict[str, Any]:
    obj = {"metadata": {"name": "TestNode", "resourceVersion": "1234", "annotations": annotations},
           "status": {"addresses": _ADDRS}, "spec": spec}  # fmt: skip
    result = from_core("Node", obj, use_pod_cidr=use_pod_cidr)
    assert result is not None
    return result.to_dict()


def test_node_basic() -> None:
    # N: "should parse a k8s Node to a Calico Node"
    interfaces = (
        '[{"name":"eth1","addresses":["172.31.11.4"]},{"name":"eth0","addresses":["172.17.17.10","172.17.17.11"]}]'
    )
    node = _node({"projectcalico.org/IPv4Address": "172.17.17.10", "projectcalico.org/ASNumber": "2546",
                  "projectcalico.org/Interfaces": interfaces}, podCIDR="10.0.0.1/24")  # fmt: skip
    assert node == {
        "kind": "Node",
        "apiVersion": "projectcalico.org/v3",
        "metadata": {"name": "TestNode", "resourceVersion": "1234",
                     "annotations": {"projectcalico.org/kube-labels": "null"}},
        "spec": {
            "bgp": {"asNumber": 2546, "ipv4Address": "172.17.17.10"},
            "orchRefs": [{"nodeName": "TestNode", "orchestrator": "k8s"}],
            "addresses": [{"address": "172.17.17.10", "type": "CalicoNodeIP"},
                          {"address": "172.17.17.10", "type": "InternalIP"},
                          {"address": "192.168.1.100", "type": "ExternalIP"}],
            "interfaces": [{"name": "eth1", "addresses": ["172.31.11.4"]},
                           {"name": "eth0", "addresses": ["172.17.17.10", "172.17.17.11"]}],
        },
        "status": {},
    }  # fmt: skip


@pytest.mark.parametrize(
    ("rr", "expected"),
    [
        ("288.0.4.5", None),  # N: "should ignore RR cluster ID if its an invalid IPv4 address"
        ("fd10::10", None),  # N: "should ignore RR cluster ID if it an IPv6 address"
        ("248.0.4.5", "248.0.4.5"),  # N: "should parse a k8s Node to a Calico Node with RR cluster ID"
    ],
)
def test_node_rr_cluster_id(rr: str, expected: str | None) -> None:
    node = _node({"projectcalico.org/IPv4Address": "172.17.17.10",
                  "projectcalico.org/RouteReflectorClusterID": rr}, podCIDR="10.0.0.1/24")  # fmt: skip
    assert node["spec"]["bgp"].get("routeReflectorClusterID") == expected


def test_node_ipv6_and_no_bgp() -> None:
    # N: "should parse a k8s Node to a Calico Node with IPv6"
    node = _node(
        {"projectcalico.org/IPv6Address": "fd10::10", "projectcalico.org/ASNumber": "2546"}, podCIDR="feee::/122"
    )
    assert node["spec"]["bgp"] == {"asNumber": 2546, "ipv6Address": "fd10::10"}
    # N: "should parse a k8s Node to a Calico Node with podCIDR but no BGP config"
    assert "bgp" not in _node({}, podCIDR="10.0.0.0/24")["spec"]


def test_node_shadowed_labels() -> None:
    # N: "Should shadow labels correctly" (the K8sNodeToCalico half)
    obj = {"metadata": {"name": "TestNode", "resourceVersion": "1234",
                        "labels": {"net.beta.kubernetes.io/role": "control-plane", "shadowed": "k8s-value"},
                        "annotations": {"projectcalico.org/labels":
                                        '{"label1":"foo","label2":"bar","shadowed":"calico-value"}'}}}  # fmt: skip
    meta = from_core("Node", obj).to_dict()["metadata"]  # type: ignore[union-attr]
    assert meta["labels"] == {"label1": "foo", "label2": "bar", "net.beta.kubernetes.io/role": "control-plane",
                              "shadowed": "k8s-value"}  # fmt: skip
    assert meta["annotations"] == {
        "projectcalico.org/kube-labels": '{"net.beta.kubernetes.io/role":"control-plane","shadowed":"k8s-value"}'
    }


def test_node_ipip_and_pod_cidr() -> None:
    # N: "should parse a k8s Node to a Calico Node with an IPv4IPIPTunnelAddr"
    node = _node({"projectcalico.org/IPv4Address": "172.17.17.10", "projectcalico.org/IPv4IPIPTunnelAddr": "10.0.0.24",
                  "projectcalico.org/ASNumber": "2546"}, podCIDR="10.0.0.1/24")  # fmt: skip
    assert node["spec"]["bgp"]["ipv4IPIPTunnelAddr"] == "10.0.0.24"
    # N: "... with an IPv4IPIPTunnelAddr and no wireguard tunnel addr if there is no public key"
    node = _node({"projectcalico.org/IPv4Address": "172.17.17.10"}, use_pod_cidr=True, podCIDR="10.0.0.0/24")
    assert node["spec"]["bgp"]["ipv4IPIPTunnelAddr"] == "10.0.0.1" and "wireguard" not in node["spec"]
    # N: "... and a wireguard tunnel addr if there is a public key"
    node = _node({"projectcalico.org/WireguardPublicKey": "abcd"}, use_pod_cidr=True, podCIDR="10.0.0.0/24")
    assert node["spec"]["wireguard"] == {"interfaceIPv4Address": "10.0.0.1"}
    assert node["status"] == {"wireguardPublicKey": "abcd"}
    # N: "should handle an empty pod CIDR"
    node = _node({"projectcalico.org/IPv4Address": "172.17.17.10"}, use_pod_cidr=True)
    assert "ipv4IPIPTunnelAddr" not in node["spec"]["bgp"]
    with pytest.raises(ConversionError):
        _node({}, use_pod_cidr=True, podCIDR="junk")


def test_node_all_addresses_and_tunnels() -> None:
    # N: "should parse addresses of all types into Calico Node"
    node = _node({"projectcalico.org/IPv6Address": "fd10::10", "projectcalico.org/IPv4Address": "172.17.17.10",
                  "projectcalico.org/ASNumber": "2546", "projectcalico.org/IPv4VXLANTunnelAddr": "1.2.3.4",
                  "projectcalico.org/VXLANTunnelMACAddr": "00:11:22:33:44:55",
                  "projectcalico.org/IPv6VXLANTunnelAddr": "fd10::11",
                  "projectcalico.org/VXLANTunnelMACAddrV6": "55:44:33:22:11:00",
                  "projectcalico.org/IPv4IPIPTunnelAddr": "5.4.5.4"})  # fmt: skip
    spec = node["spec"]
    assert spec["addresses"] == [{"address": "172.17.17.10", "type": "CalicoNodeIP"},
                                 {"address": "fd10::10", "type": "CalicoNodeIP"},
                                 {"address": "172.17.17.10", "type": "InternalIP"},
                                 {"address": "192.168.1.100", "type": "ExternalIP"}]  # fmt: skip
    assert spec["ipv4VXLANTunnelAddr"] == "1.2.3.4" and spec["vxlanTunnelMACAddr"] == "00:11:22:33:44:55"
    assert spec["ipv6VXLANTunnelAddr"] == "fd10::11" and spec["vxlanTunnelMACAddrV6"] == "55:44:33:22:11:00"
    assert spec["bgp"]["ipv4IPIPTunnelAddr"] == "5.4.5.4"


def test_node_edge_cases() -> None:
    node = _node({"projectcalico.org/ASNumber": "1.10", "projectcalico.org/VXLANTunnelMACAddr": "zz",
                  "projectcalico.org/IPv4WireguardInterfaceAddr": "10.0.0.1/24",
                  "projectcalico.org/Interfaces": '[{"Name":"e","addresses":["bad","bad2","1.1.1.1"]}]',
                  "projectcalico.org/annotations": '{"a":"b"}'})  # fmt: skip
    assert node["spec"]["bgp"] == {"asNumber": 65546}
    assert "vxlanTunnelMACAddr" not in node["spec"] and "wireguard" not in node["spec"]
    # Go removes while ranging: "bad2" shifts into a visited slot and survives.
    assert node["spec"]["interfaces"] == [{"name": "e", "addresses": ["bad2", "1.1.1.1"]}]
    with pytest.raises(ConversionError, match="panics"):  # Go: slice bounds out of range
        _node({"projectcalico.org/Interfaces": '[{"name":"e","addresses":["bad","1.1.1.1","bad2"]}]'})
    assert "interfaces" not in _node({"projectcalico.org/Interfaces": "{not json"})["spec"]
    assert node["metadata"]["annotations"] == {"a": "b", "projectcalico.org/kube-labels": "null"}
    obj = {"metadata": {"name": "n", "uid": UID, "labels": {}}, "spec": {"podCIDRs": ["10.0.0.0/24", "fd00::/64"]}}
    node = from_core("Node", obj).to_dict()  # type: ignore[union-attr]
    assert node["metadata"]["uid"] == UID  # not converted for Nodes
    assert node["metadata"]["annotations"] == {"projectcalico.org/kube-labels": "{}"}
    assert node["status"] == {"podCIDRs": ["10.0.0.0/24", "fd00::/64"]}


# -- KubernetesNetworkPolicy (C: "Test NetworkPolicy conversion") -------------------------------


def test_knp_basic() -> None:
    # C: "should parse a basic k8s NetworkPolicy to a NetworkPolicy"
    obj = {"metadata": {"name": "test.policy", "namespace": "default", "uid": UID, "resourceVersion": "9"},
           "spec": {"podSelector": _SEL_LABEL, "policyTypes": ["Ingress"],
                    "ingress": [{"ports": [{"port": 80}, {"port": "foo"}], "from": [{"podSelector": _SEL_KV}]}]}}  # fmt: skip
    assert from_core("KubernetesNetworkPolicy", obj).to_dict() == {  # type: ignore[union-attr]
        "kind": "NetworkPolicy",
        "apiVersion": "projectcalico.org/v3",
        "metadata": {"name": "test.policy", "namespace": "default", "uid": UID_CONVERTED, "resourceVersion": "9"},
        "spec": {
            "tier": "default",
            "order": 1000,
            "ingress": [{"action": "Allow", "protocol": "TCP",
                         "source": {"selector": ORCH + " && k == 'v' && k2 == 'v2'"},
                         "destination": {"ports": [80, "foo"]}}],
            "selector": ORCH + " && label == 'value' && label2 == 'value2'",
            "types": ["Ingress"],
        },
    }  # fmt: skip


def test_knp_no_ports_and_blank_ports() -> None:
    # C: "should parse a k8s NetworkPolicy with no ports"
    spec = _knp(
        {"podSelector": _SEL_LABEL, "ingress": [{"from": [{"podSelector": _SEL_KV}]}], "policyTypes": ["Ingress"]}
    )
    assert spec["ingress"] == [{"action": "Allow", "source": {"selector": ORCH + " && k == 'v' && k2 == 'v2'"}}]
    # C: "should parse a k8s NetworkPolicy with blank ports"
    spec = _knp({"podSelector": _SEL_LABEL, "policyTypes": ["Ingress"],
                 "ingress": [{"ports": [{"port": 80}, {}], "from": [{"podSelector": _SEL_KV}]}]})  # fmt: skip
    assert spec["ingress"] == [{"action": "Allow", "protocol": "TCP",
                                "source": {"selector": ORCH + " && k == 'v' && k2 == 'v2'"}}]  # fmt: skip


def test_knp_egress_blank_ports() -> None:
    # C: "should parse a k8s egress NetworkPolicy with blank ports"
    spec = _knp({"podSelector": _SEL_LABEL, "policyTypes": ["Egress"],
                 "egress": [{"ports": [{}, {"port": 80}], "to": [{"podSelector": _SEL_KV}]},
                            {"ports": [{"port": 53, "protocol": "UDP"}]}]})  # fmt: skip
    assert spec["egress"] == [
        {"action": "Allow", "protocol": "TCP", "destination": {"selector": ORCH + " && k == 'v' && k2 == 'v2'"}},
        {"action": "Allow", "protocol": "UDP", "destination": {"ports": [53]}},
    ]
    assert spec["types"] == ["Egress"]


def test_knp_invalid_ports_drop_rule() -> None:
    # C: "should drop rules with invalid ports in a k8s NetworkPolicy" (a bad port drops its whole rule)
    spec = _knp({"podSelector": {}, "ingress": [{"ports": [{"port": 80}, {"port": "-50:-1"}]},
                                                {"ports": [{"port": "foo"}]}]})  # fmt: skip
    assert spec["ingress"] == [{"action": "Allow", "protocol": "TCP", "destination": {"ports": ["foo"]}}]


def test_knp_no_rules_and_default_deny_egress() -> None:
    # C: "should parse a NetworkPolicy with no rules"
    assert _knp({"podSelector": _SEL_LABEL}) == {
        "tier": "default", "order": 1000, "selector": ORCH + " && label == 'value' && label2 == 'value2'",
        "types": ["Ingress"],
    }  # fmt: skip
    # C: "should parse a default-deny egress NetworkPolicy"
    spec = _knp({"podSelector": _SEL_LABEL, "policyTypes": ["Egress"]})
    assert spec["types"] == ["Egress"] and "ingress" not in spec and "egress" not in spec


def test_knp_selectors() -> None:
    # C: "should parse a NetworkPolicy with multiple peers"
    spec = _knp({"podSelector": _SEL_LABEL, "ingress": [{"from": [
        {"podSelector": _SEL_KV}, {"podSelector": {"matchLabels": {"k3": "v3", "k4": "v4"}}}]}]})  # fmt: skip
    assert [r["source"]["selector"] for r in spec["ingress"]] == [ORCH + " && k == 'v' && k2 == 'v2'",
                                                                  ORCH + " && k3 == 'v3' && k4 == 'v4'"]  # fmt: skip
    # C: "should parse a k8s NetworkPolicy with a DoesNotExist expression"
    expr = {"matchExpressions": [{"key": "toast", "operator": "DoesNotExist"}]}
    assert _knp({"podSelector": expr})["selector"] == ORCH + " && ! has(toast)"
    # C: "should parse a NetworkPolicy with empty podSelector"
    assert _knp({"podSelector": {}})["selector"] == ORCH
    # C: "should parse a NetworkPolicy with podSelector.MatchExpressions"
    expr = {"matchExpressions": [{"key": "k", "operator": "In", "values": ["v1", "v2"]}]}
    assert _knp({"podSelector": expr})["selector"] == ORCH + " && k in { 'v1', 'v2' }"
    # C: DescribeTable "Test selector conversion" entries
    expr = {"matchExpressions": [{"key": "k", "operator": "NotIn", "values": ["v1"]},
                                 {"key": "e", "operator": "Exists"}, {"key": "z", "operator": "Bogus"}]}  # fmt: skip
    assert _knp({"podSelector": expr})["selector"] == ORCH + " && k not in { 'v1' } && has(e)"


def test_knp_namespace_selectors() -> None:
    # C: "should parse a NetworkPolicy with a namespaceSelector"
    spec = _knp({"podSelector": _SEL_LABEL, "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"namespaceRole": "dev", "namespaceFoo": "bar"}}}]}]})  # fmt: skip
    assert spec["ingress"][0]["source"] == {"selector": ORCH,
                                            "namespaceSelector": "namespaceFoo == 'bar' && namespaceRole == 'dev'"}  # fmt: skip
    # C: "should parse a NetworkPolicy with an empty namespaceSelector"
    spec = _knp({"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {}}]}]})
    assert spec["ingress"][0]["source"] == {"selector": ORCH, "namespaceSelector": "all()"}
    # C: "should parse a NetworkPolicy with pod and namespace selectors"
    spec = _knp({"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"a": "b"}},
                                                           "podSelector": {"matchLabels": {"c": "d"}}}]}]})  # fmt: skip
    assert spec["ingress"][0]["source"] == {"selector": ORCH + " && c == 'd'", "namespaceSelector": "a == 'b'"}


def test_knp_ports_and_ranges() -> None:
    # C: "should parse a NetworkPolicy with Ports only" / "with Port Range only"
    spec = _knp({"podSelector": {}, "ingress": [{"ports": [{"port": 80, "protocol": "UDP"}, {"port": 32000, "endPort": 32768}]}]})  # fmt: skip
    assert spec["ingress"] == [
        {"action": "Allow", "protocol": "TCP", "destination": {"ports": ["32000:32768"]}},
        {"action": "Allow", "protocol": "UDP", "destination": {"ports": [80]}},
    ]
    # C: "should parse a NetworkPolicy with multiple peers and ports" (one rule per protocol x peer)
    spec = _knp({"podSelector": {}, "ingress": [{"ports": [{"port": 80}, {"port": 81}, {"port": 53, "protocol": "UDP"}],
                                                 "from": [{"podSelector": {}}, {"namespaceSelector": {}}]}]})  # fmt: skip
    assert [(r["protocol"], r["destination"]["ports"]) for r in spec["ingress"]] == [
        ("TCP", ["80:81"]), ("TCP", ["80:81"]), ("UDP", [53]), ("UDP", [53])]  # fmt: skip


def test_knp_ip_blocks() -> None:
    # C: "should parse a NetworkPolicy with an Ingress rule with an IPBlock Peer"
    block = {"ipBlock": {"cidr": "192.168.0.0/16", "except": ["192.168.3.0/24", "192.168.4.0/24"]}}
    spec = _knp({"podSelector": {}, "ingress": [{"from": [block]}]})
    assert spec["ingress"][0]["source"] == {"nets": ["192.168.0.0/16"], "notNets": ["192.168.3.0/24", "192.168.4.0/24"]}
    # C: "should parse a NetworkPolicy with an Egress rule with IPBlock and Ports"
    spec = _knp({"podSelector": {}, "policyTypes": ["Egress"],
                 "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.1/24"}}], "ports": [{"port": 80}]}]})  # fmt: skip
    assert spec["egress"] == [{"action": "Allow", "protocol": "TCP",
                               "destination": {"nets": ["10.0.0.0/24"], "ports": [80]}}]  # fmt: skip
    # C: "should have empty and Nil NetworkPolicyPeerfields when an IPBlock is invalid"
    spec = _knp({"podSelector": {}, "ingress": [{"from": [{"ipBlock": {"cidr": "junk"}}]}]})
    assert spec["ingress"] == [{"action": "Allow"}]  # empty peer: matches every source


def test_knp_both_directions_and_legacy_types() -> None:
    # C: "should parse a NetworkPolicy with both an Egress and an Ingress rule"
    spec = _knp({"podSelector": {}, "policyTypes": ["Egress", "Ingress"],
                 "ingress": [{"ports": [{"port": 80}]}], "egress": [{"ports": [{"port": 443}]}]})  # fmt: skip
    assert spec["types"] == ["Ingress", "Egress"]
    assert spec["egress"] == [{"action": "Allow", "protocol": "TCP", "destination": {"ports": [443]}}]
    # C: "Test NetworkPolicy conversion (k8s <= 1.7, no policyTypes)": Ingress only, egress rules kept
    spec = _knp({"podSelector": {}, "egress": [{"ports": [{"port": 443}]}]})
    assert spec["types"] == ["Ingress"] and len(spec["egress"]) == 1


def test_knp_no_uid() -> None:
    obj = {"kind": "NetworkPolicy", "metadata": {"name": "p", "namespace": "ns"}, "spec": {"podSelector": {}}}
    assert "uid" not in from_core("KubernetesNetworkPolicy", obj).to_dict()["metadata"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("given", "expected"),
    # C: DescribeTable "Test port simplification"
    [("", ""), ("0", "0"), ("1", "1"), ("65535", "65535"), ("0:65535", "0:65535"), ("1,2", "1:2"), ("2,1", "1:2"),
     ("1,2,4", "1:2,4"), ("1,2,3,4,80:81,81:90,9090", "1:4,80:90,9090"),
     ("81:90,4,2,80:81,3,1,9090", "1:4,80:90,9090"),
     ("81:90,4,2,foo,80:81,3,1,9090,http", "foo,http,1:4,80:90,9090"), ("foo", "foo")],
)  # fmt: skip
def test_simplify_ports(given: str, expected: str) -> None:
    ports = [Port.parse(p) for p in given.split(",") if p]
    assert ",".join(str(p) for p in simplify_ports(ports)) == expected


# -- dispatch and misc ----------------------------------------------------------------------------


def test_dispatch_errors() -> None:
    with pytest.raises(ConversionError):
        from_core("IPPool", {})
    with pytest.raises(ConversionError):
        from_core("Node", {"kind": "Pod", "metadata": {"name": "x"}})


def test_parse_quantity() -> None:
    assert parse_quantity("1.01k") == 1010
    assert parse_quantity("4Gi") == 4 * 2**30
    assert parse_quantity("1500m") == 2
    assert parse_quantity("1e3") == 1000
    with pytest.raises(ValueError):
        parse_quantity("1 k")
