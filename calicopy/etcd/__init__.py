"""The etcdv3 datastore: projectcalico.org/v3 resources <-> what libcalico-go stores in etcd.

The pure mapping (no I/O): :mod:`.keys` (resource keys), :mod:`.values` (v3 values, byte for
byte), :mod:`.ipam` (the IPAM kinds <-> ``/calico/ipam/v2/`` model keys), :mod:`.connection`
(calicoctl's etcd settings).  The backend, :class:`calicopy.etcd.backend.EtcdBackend`, with its
:mod:`.transport` (the only I/O) and :mod:`.watcher`, is imported when first used.
``docs/etcd.md`` describes it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .backend import EtcdBackend
    from .connection import EtcdConnection, etcd_connection
    from .ipam import IPAM_KINDS
    from .keys import parse_resource_key, resource_key, resource_prefix
    from .values import decode_resource, encode_resource

_LAZY = {
    "EtcdBackend": "backend",
    "EtcdConnection": "connection",
    "etcd_connection": "connection",
    "IPAM_KINDS": "ipam",
    "parse_resource_key": "keys",
    "resource_key": "keys",
    "resource_prefix": "keys",
    "decode_resource": "values",
    "encode_resource": "values",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'calicopy.etcd' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "IPAM_KINDS",
    "EtcdBackend",
    "EtcdConnection",
    "decode_resource",
    "encode_resource",
    "etcd_connection",
    "parse_resource_key",
    "resource_key",
    "resource_prefix",
]
