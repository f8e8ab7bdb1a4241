"""Name conversions shared by the models and their generator (standard library only)."""

from __future__ import annotations

import re

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake_case(json_name: str) -> str:
    """``disableBGPExport`` -> ``disable_bgp_export``, ``peerIP`` -> ``peer_ip``."""
    return _CAMEL_BOUNDARY.sub("_", json_name).lower()
