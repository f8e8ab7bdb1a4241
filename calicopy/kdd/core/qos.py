"""WorkloadEndpoint QoS controls from Pod annotations: libcalico-go v3.32.1's
``conversion/workload_endpoint_default.go`` ``handleQoSControlsAnnotations`` and the
``resource.Quantity`` / ``numorstring.DSCP`` parsing it relies on.  Pure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

__all__ = ["parse_quantity", "qos_controls"]

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_QUANTITY = re.compile(r"([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(.*)")


def parse_quantity(text: str) -> int:
    """``resource.ParseQuantity(text).Value()``: the quantity rounded up to an integer; ValueError if malformed."""
    match = _QUANTITY.fullmatch(text)
    if match is None:
        raise ValueError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    sign, number, suffix = match.groups()
    value = Fraction(number)
    if suffix in _BINARY:
        value *= _BINARY[suffix]
    elif suffix in _DECIMAL:
        value *= Fraction(10) ** _DECIMAL[suffix]
    elif re.fullmatch(r"[eE][+-]?[0-9]+", suffix):
        value *= Fraction(10) ** int(suffix[1:])
    else:
        raise ValueError("unable to parse quantity's suffix")
    if sign == "-":
        value = -value
    return math.ceil(value)


# (annotation, field, min, max); k8s annotations first so the Calico ones override them.
_QOS = (
    ("kubernetes.io/ingress-bandwidth", "ingressBandwidth", 1000, 10**15),
    ("kubernetes.io/egress-bandwidth", "egressBandwidth", 1000, 10**15),
    ("qos.projectcalico.org/ingressBandwidth", "ingressBandwidth", 1000, 10**15),
    ("qos.projectcalico.org/egressBandwidth", "egressBandwidth", 1000, 10**15),
    ("qos.projectcalico.org/ingressBurst", "ingressBurst", 1000, 0xFFFFFFFF * 8),
    ("qos.projectcalico.org/egressBurst", "egressBurst", 1000, 0xFFFFFFFF * 8),
    ("qos.projectcalico.org/ingressPeakrate", "ingressPeakrate", 1010, 1010 * 10**12),
    ("qos.projectcalico.org/egressPeakrate", "egressPeakrate", 1010, 1010 * 10**12),
    ("qos.projectcalico.org/ingressMinburst", "ingressMinburst", 1000, 10**8),
    ("qos.projectcalico.org/egressMinburst", "egressMinburst", 1000, 10**8),
    ("qos.projectcalico.org/ingressPacketRate", "ingressPacketRate", 1, 10_000),
    ("qos.projectcalico.org/egressPacketRate", "egressPacketRate", 1, 10_000),
    ("qos.projectcalico.org/ingressPacketBurst", "ingressPacketBurst", 1, 10_000),
    ("qos.projectcalico.org/egressPacketBurst", "egressPacketBurst", 1, 10_000),
    ("qos.projectcalico.org/ingressMaxConnections", "ingressMaxConnections", 1, 0xFFFFFFFF),
    ("qos.projectcalico.org/egressMaxConnections", "egressMaxConnections", 1, 0xFFFFFFFF),
)
_DEFAULT_BURST = 4 * 2**30
_DEFAULT_PACKET_BURST = 5
_DSCP = MappingProxyType(
    {
        "DF": 0, "EF": 46, "AF11": 10, "AF12": 12, "AF13": 14, "AF21": 18, "AF22": 20, "AF23": 22,
        "AF31": 26, "AF32": 28, "AF33": 30, "AF41": 34, "AF42": 36, "AF43": 38,
        "CS0": 0, "CS1": 8, "CS2": 16, "CS3": 24, "CS4": 32, "CS5": 40, "CS6": 48,
    }
)  # fmt: skip


def _dscp(text: str) -> int | str | None:
    """numorstring.DSCPFromString + Validate: a 0-63 number or a known name (canonical case); None if invalid."""
    if re.fullmatch(r"[0-9]+", text):
        return int(text) if int(text) <= 63 else None
    for name in _DSCP:
        if name.lower() == text.lower():
            return name
    return text if text.strip().upper() in _DSCP else None


def _qos_fix_direction(qos: dict[str, Any], direction: str) -> None:
    def get(name: str) -> int:
        value = qos.get(direction + name, 0)
        return value if isinstance(value, int) else 0

    # Dependent settings without their base are dropped, then bursts get their defaults.
    if get("Burst") and not get("Bandwidth"):
        qos[direction + "Burst"] = 0
    if get("Peakrate") and (not get("Bandwidth") or get("Bandwidth") >= get("Peakrate")):
        qos[direction + "Peakrate"] = 0
    if get("Minburst") and not get("Peakrate"):
        qos[direction + "Minburst"] = 0
    if get("PacketBurst") and not get("PacketRate"):
        qos[direction + "PacketBurst"] = 0
    if get("Bandwidth") and not get("Burst"):
        qos[direction + "Burst"] = _DEFAULT_BURST
    if get("PacketRate") and not get("PacketBurst"):
        qos[direction + "PacketBurst"] = _DEFAULT_PACKET_BURST


def qos_controls(annotations: Mapping[str, str]) -> dict[str, Any] | None:
    """handleQoSControlsAnnotations; its errors are only logged by libcalico-go, so never raised here."""
    qos: dict[str, Any] = {}
    for key, field, low, high in _QOS:
        if key not in annotations:
            continue
        try:
            qos[field] = min(max(parse_quantity(annotations[key]), low), high)  # out of range: capped
        except ValueError:
            qos[field] = 0  # unparsable: zero (logged)
    _qos_fix_direction(qos, "ingress")
    _qos_fix_direction(qos, "egress")
    if "qos.projectcalico.org/dscp" in annotations:
        dscp = _dscp(annotations["qos.projectcalico.org/dscp"])
        if dscp is not None:
            qos["dscp"] = dscp
    qos = {k: v for k, v in qos.items() if v != 0 or k == "dscp"}
    return qos or None
