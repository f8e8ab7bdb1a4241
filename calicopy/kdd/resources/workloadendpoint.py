"""WorkloadEndpoints, read from Pods (libcalico-go's ``resources/workloadendpoint.go``; conversion in
:mod:`calicopy.kdd.core.workloadendpoint`).

A WorkloadEndpoint's name ``<node>-k8s-<pod>-<endpoint>`` is parsed back to its Pod's name.
"""

from __future__ import annotations

from ..requests import Collection
from .derived import DerivedKind, ObjectRef

__all__ = ["PODS", "WORKLOAD_ENDPOINT", "parse_workload_endpoint_name", "pod_of"]

PODS = Collection("/api/v1", "pods", True, "v1", "Pod")


def parse_workload_endpoint_name(name: str) -> tuple[str, str, str] | None:
    """names.ParseWorkloadEndpointName for k8s: ``<node>-k8s-<pod>-<endpoint>`` with ``-`` doubled
    inside each part; returns (node, pod, endpoint) or None."""
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(name):
        ch = name[i]
        if ch == "-":
            if i + 1 < len(name) and name[i + 1] == "-":
                current.append("-")
                i += 2
                continue
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    if len(parts) != 4 or parts[1] != "k8s" or not all(parts):
        return None
    return parts[0], parts[2], parts[3]


def pod_of(name: str, namespace: str) -> ObjectRef | None:
    """The Pod behind a WorkloadEndpoint name (None when the name does not parse)."""
    parsed = parse_workload_endpoint_name(name)
    return None if parsed is None else (0, namespace, parsed[1])


WORKLOAD_ENDPOINT = DerivedKind(
    (PODS,),
    target=pod_of,
    malformed="malformed WorkloadEndpoint name - unable to determine Pod name",
)
