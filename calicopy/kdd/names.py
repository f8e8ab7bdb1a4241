"""Kubernetes object names of IPAM custom resources (``libcalico-go/lib/names/cidr.go``,
``k8s/resources/ipam_block.go``, ``ipam_handle.go``, ``ipam_affinity_v1.go``; the same in v3.26.1).

Also the three labels libcalico-go (v3.31+) puts on every BlockAffinity
(``model/block_affinity.go`` ``EnsureBlockAffinityLabels``).
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress

__all__ = [
    "LABEL_AFFINITY_TYPE",
    "LABEL_HOSTNAME_HASH",
    "LABEL_IP_VERSION",
    "affinity_name",
    "block_affinity_labels",
    "block_name",
    "cidr_to_name",
    "handle_name",
    "hostname_hash",
]

LABEL_HOSTNAME_HASH = "projectcalico.org/hostname-hash"
LABEL_AFFINITY_TYPE = "projectcalico.org/affinity-type"
LABEL_IP_VERSION = "projectcalico.org/ip-version"

_MAX_NAME = 253


def cidr_to_name(cidr: str) -> str:
    """``names.CIDRToName``: the canonical network (host bits cleared, IPv6 compressed) with ``.``/``:``/``/`` as ``-``.

    ``10.244.0.0/26`` -> ``10-244-0-0-26``; ``fd00:10:244::/122`` -> ``fd00-10-244---122``.
    """
    network = ipaddress.ip_network(cidr, strict=False)
    return str(network).replace(".", "-").replace(":", "-").replace("/", "-")


def block_name(cidr: str) -> str:
    """The IPAMBlock CR name for a block CIDR."""
    return cidr_to_name(cidr)


def handle_name(handle_id: str) -> str:
    """The IPAMHandle CR name: the handle ID lower-cased (``spec.handleID`` keeps the case)."""
    return handle_id.lower()


def affinity_name(host: str, cidr: str) -> str:
    """The BlockAffinity CR name: ``<host>-<cidr name>``, shortened with a hash at 253 characters and above."""
    cidr_name = cidr_to_name(cidr)
    name = f"{host}-{cidr_name}"
    if len(name) >= _MAX_NAME:
        digest = hashlib.sha256(f"{host}+{cidr_name}".encode()).hexdigest()[:11]
        name = f"{host[: _MAX_NAME - 1 - len(cidr_name) - 13]}-{cidr_name}-{digest}"
    return name


def hostname_hash(hostname: str) -> str:
    """Label value for a hostname: base32 (standard alphabet, no padding) of SHA3-256, 52 characters."""
    return base64.b32encode(hashlib.sha3_256(hostname.encode()).digest()).decode().rstrip("=")


def block_affinity_labels(node: str, affinity_type: str, cidr: str) -> dict[str, str]:
    """The labels every BlockAffinity write sets (the affinity-type label is the spec type as given, even empty)."""
    return {
        LABEL_HOSTNAME_HASH: hostname_hash(node),
        LABEL_AFFINITY_TYPE: affinity_type,
        LABEL_IP_VERSION: "6" if ":" in cidr else "4",
    }
