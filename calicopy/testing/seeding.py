"""What the fake API server can be seeded with: namespaces, nodes and pods in short forms.

A seed is a mapping with any of the keys ``namespaces``, ``nodes``, ``pods`` and ``objects``
(see :meth:`FakeKubeAPIServer.seed <calicopy.testing.fakeapi.FakeKubeAPIServer.seed>`).  This
module turns the short forms into the Kubernetes objects a real cluster would hold, and parses
the ``serve`` command's ``--namespace``, ``--node`` and ``--pod`` flags and ``--seed`` files.
Building objects is pure; storing them is the server's job.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "DEFAULT_POD_NETWORK",
    "Seed",
    "SeedError",
    "free_addresses",
    "is_object",
    "load_seed_file",
    "namespace_object",
    "node_object",
    "parse_namespace_flag",
    "parse_node_flag",
    "parse_pod_flag",
    "pod_fields",
    "pod_ips",
    "pod_object",
]

#: Where pods without an IP get one when their node has no podCIDR: Calico's default IP pool.
DEFAULT_POD_NETWORK = "192.168.0.0/16"

Spec = str | Mapping[str, Any]


class SeedError(ValueError):
    """A seed entry, flag or file that does not describe a namespace, node or pod."""


@dataclass
class Seed:
    """A seed, normalised: each entry a short-form mapping or a whole Kubernetes object."""

    namespaces: list[Spec] = field(default_factory=list)
    nodes: list[Spec] = field(default_factory=list)
    pods: list[Spec] = field(default_factory=list)
    objects: list[Mapping[str, Any]] = field(default_factory=list)

    @classmethod
    def of(cls, seed: Seed | Mapping[str, Any] | None) -> Seed:
        if seed is None:
            return cls()
        if isinstance(seed, Seed):
            return seed
        unknown = set(seed) - {"namespaces", "nodes", "pods", "objects"}
        if unknown:
            raise SeedError(f"unknown seed keys {sorted(unknown)}: use namespaces, nodes, pods, objects")
        made = cls(
            namespaces=_entries(seed.get("namespaces"), "namespaces"),
            nodes=_entries(seed.get("nodes"), "nodes"),
            pods=_entries(seed.get("pods"), "pods"),
            objects=[_mapping(o, "objects") for o in _entries(seed.get("objects"), "objects")],
        )
        made.check()
        return made

    def check(self) -> None:
        """Raise :class:`SeedError` for the first entry that is not a namespace, node or pod."""
        for namespace in self.namespaces:
            namespace_object(namespace)
        for node in self.nodes:
            node_object(node)
        for pod in self.pods:
            if not is_object(pod):
                pod_ips(pod_fields(pod))

    def extend(self, other: Seed) -> None:
        self.namespaces += other.namespaces
        self.nodes += other.nodes
        self.pods += other.pods
        self.objects += other.objects


def _entries(value: Any, key: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, Mapping)):
        return [value]
    if not isinstance(value, Iterable):
        raise SeedError(f"seed {key!r} must be a list, not {type(value).__name__}")
    return list(value)


def _mapping(value: Any, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise SeedError(f"every entry of seed {key!r} must be a mapping, not {type(value).__name__}")
    return value


def is_object(spec: Spec) -> bool:
    """Whether a seed entry is a whole Kubernetes object (it has ``kind``) rather than a short form."""
    return isinstance(spec, Mapping) and "kind" in spec


def _short(spec: Spec, what: str, allowed: set[str]) -> dict[str, Any]:
    if isinstance(spec, str):
        return {"name": spec}
    if not isinstance(spec, Mapping):
        raise SeedError(f"a {what} is a name or a mapping, not {type(spec).__name__}")
    unknown = set(spec) - allowed
    if unknown:
        raise SeedError(f"unknown {what} fields {sorted(unknown)}: use {', '.join(sorted(allowed))}")
    if not spec.get("name"):
        raise SeedError(f"a {what} needs a name: {dict(spec)!r}")
    return dict(spec)


def _metadata(name: str, labels: Any, annotations: Any, namespace: str | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    if namespace is not None:
        metadata["namespace"] = namespace
    if labels:
        metadata["labels"] = {str(k): str(v) for k, v in dict(labels).items()}
    if annotations:
        metadata["annotations"] = {str(k): str(v) for k, v in dict(annotations).items()}
    return metadata


def namespace_object(spec: Spec) -> dict[str, Any]:
    """A core v1 Namespace from ``"name"`` or ``{"name", "labels", "annotations"}``."""
    if is_object(spec):
        return dict(spec)  # type: ignore[arg-type]
    short = _short(spec, "namespace", {"name", "labels", "annotations"})
    metadata = _metadata(short["name"], short.get("labels"), short.get("annotations"))
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": metadata}


_NODE_FIELDS = {"name", "labels", "annotations", "addresses", "pod_cidr", "pod_cidrs"}


def node_object(spec: Spec) -> dict[str, Any]:
    """A core v1 Node from ``"name"`` or ``{"name", "labels", "annotations", "addresses", "pod_cidr"}``.

    ``addresses`` (one IP or a list) become ``InternalIP`` status addresses, after the node's
    ``Hostname``; ``pod_cidr`` (or a list, ``pod_cidrs``) sets ``spec.podCIDR``/``podCIDRs``.
    """
    if is_object(spec):
        return dict(spec)  # type: ignore[arg-type]
    short = _short(spec, "node", _NODE_FIELDS)
    name = short["name"]
    addresses = [{"type": "Hostname", "address": name}]
    addresses += [{"type": "InternalIP", "address": str(ip)} for ip in _strings(short.get("addresses"))]
    cidrs = _strings(short.get("pod_cidrs")) or _strings(short.get("pod_cidr"))
    node: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": _metadata(name, short.get("labels"), short.get("annotations")),
        "spec": {},
        "status": {"addresses": addresses},
    }
    if cidrs:
        node["spec"] = {"podCIDR": cidrs[0], "podCIDRs": cidrs}
    return node


_POD_FIELDS = {"name", "namespace", "labels", "annotations", "node", "ip", "ips", "service_account"}


def pod_fields(spec: Spec) -> dict[str, Any]:
    """A pod's short form as a dict, ``"ns/name"`` accepted, namespace defaulting to ``default``."""
    if isinstance(spec, str):
        namespace, _, name = spec.rpartition("/")
        if not name:
            raise SeedError(f"a pod needs a name: {spec!r}")
        return {"name": name, "namespace": namespace or "default"}
    short = _short(spec, "pod", _POD_FIELDS)
    short.setdefault("namespace", "default")
    return short


def pod_object(short: Mapping[str, Any], ips: list[str]) -> dict[str, Any]:
    """A running core v1 Pod from its short form (see :func:`pod_fields`) and its IPs.

    The pod is what Calico turns into a WorkloadEndpoint: scheduled on ``node``, not
    host-networked, phase ``Running`` with ``status.podIP``/``podIPs``.
    """
    metadata = _metadata(short["name"], short.get("labels"), short.get("annotations"), short["namespace"])
    pod: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata,
        "spec": {
            "containers": [{"name": "main", "image": "registry.k8s.io/pause:3.10"}],
            "serviceAccountName": str(short.get("service_account") or "default"),
        },
        "status": {"phase": "Running"},
    }
    if short.get("node"):
        pod["spec"]["nodeName"] = str(short["node"])
    if ips:
        pod["status"]["podIP"] = ips[0]
        pod["status"]["podIPs"] = [{"ip": ip} for ip in ips]
    return pod


def _strings(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def pod_ips(short: Mapping[str, Any]) -> list[str]:
    """The IPs a pod's short form names (``ip`` or ``ips``), each checked."""
    ips = _strings(short.get("ips")) or _strings(short.get("ip"))
    for ip in ips:
        try:
            ipaddress.ip_address(ip)
        except ValueError:
            raise SeedError(f"pod {short['namespace']}/{short['name']}: {ip!r} is not an IP address") from None
    return ips


def free_addresses(network: str, used: set[str]) -> Iterator[str]:
    """Host addresses of ``network`` not in ``used``, lowest first."""
    for address in ipaddress.ip_network(network, strict=False).hosts():
        text = str(address)
        if text not in used:
            yield text


# -- the serve command's flags and seed files ------------------------------------------------------


def _labels(items: Iterable[str], flag: str, value: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    for item in items:
        key, sep, label_value = item.partition("=")
        if not sep or not key:
            raise SeedError(f"{flag} {value}: {item!r} is not KEY=VALUE")
        labels[key] = label_value
    return labels


def parse_namespace_flag(value: str) -> dict[str, Any]:
    """``--namespace NAME[,KEY=VALUE...]``."""
    name, *labels = value.split(",")
    if not name:
        raise SeedError(f"--namespace {value}: no name")
    return {"name": name, "labels": _labels(labels, "--namespace", value)}


def parse_node_flag(value: str) -> dict[str, Any]:
    """``--node NAME[:IP[/POD_CIDR]][,KEY=VALUE...]``, e.g. ``node-1:10.0.0.11/10.244.1.0/24,zone=a``.

    The IP is the node's ``InternalIP``; what follows its ``/`` is the node's pod CIDR.
    """
    head, *labels = value.split(",")
    name, _, rest = head.partition(":")
    if not name:
        raise SeedError(f"--node {value}: no name")
    node: dict[str, Any] = {"name": name, "labels": _labels(labels, "--node", value)}
    ip, _, cidr = rest.partition("/")
    if ip:
        node["addresses"] = [ip]
    if cidr:
        node["pod_cidr"] = cidr
    return node


def parse_pod_flag(value: str) -> dict[str, Any]:
    """``--pod [NAMESPACE/]NAME[@NODE][:IP][,KEY=VALUE...]``, e.g. ``prod/web-1@node-1:10.244.1.5,app=web``."""
    head, *labels = value.split(",")
    head, _, ip = head.partition(":")  # names hold no ":", so an IPv6 address may follow whole
    head, _, node = head.partition("@")
    namespace, _, name = head.rpartition("/")
    if not name:
        raise SeedError(f"--pod {value}: no name")
    pod: dict[str, Any] = {"name": name, "namespace": namespace or "default"}
    pod["labels"] = _labels(labels, "--pod", value)
    if node:
        pod["node"] = node
    if ip:
        pod["ip"] = ip
    return pod


def load_seed_file(path: str | Path) -> Seed:
    """A ``--seed`` file: YAML or JSON, one or more documents.

    A document is either a seed mapping (``namespaces``/``nodes``/``pods``/``objects``, as
    :meth:`FakeKubeAPIServer.seed` takes) or a Kubernetes object (``apiVersion`` and ``kind``;
    a ``kind: List`` contributes its ``items``), created as it is.
    """
    text = Path(path).read_text(encoding="utf-8")
    try:
        documents = list(yaml.safe_load_all(text)) if not text.lstrip().startswith("{") else [json.loads(text)]
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise SeedError(f"{path}: {exc}") from None
    seed = Seed()
    for document in documents:
        if document is None:
            continue
        if not isinstance(document, Mapping):
            raise SeedError(f"{path}: a document is a mapping, not {type(document).__name__}")
        if document.get("kind") == "List":
            seed.objects += [_mapping(item, "items") for item in _entries(document.get("items"), "items")]
        elif "kind" in document:
            seed.objects.append(document)
        else:
            seed.extend(Seed.of(document))
    return seed
