"""Defaulting and datastore checks: policy family."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

DEFAULTERS: Mapping[type, Callable[[Any], None]] = {}
