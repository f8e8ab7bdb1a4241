"""The Kubernetes datastore (KDD): projectcalico.org/v3 resources <-> what libcalico-go stores in Kubernetes.

This package's names are the pure mapping (no I/O; see ``docs/kdd-mapping.md``).  The backend
that talks to an API server, :class:`calicopy.kdd.backend.KubernetesBackend`, and its parts
(``requests``, ``transport``, ``kubeconfig``, ``kubeconfig_files``, ``credentials``, ``resources``,
``watcher``; see ``docs/kdd-backend.md``) are imported only when used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .convert import (
        GROUP_V1,
        GROUP_V3,
        METADATA_ANNOTATION,
        ConversionError,
        from_crd,
        is_ours,
        metadata_annotation,
        read_defaults,
        to_crd,
    )
    from .core import from_core
    from .names import affinity_name, block_affinity_labels, block_name, cidr_to_name, handle_name, hostname_hash
    from .uid import UIDError, convert_uid

# Loaded on first use, so that reading one crd.projectcalico.org/v1 manifest (kdd.convert) does not
# build the models of every core-derived kind (kdd.core).
_LAZY = {
    **dict.fromkeys(
        ("GROUP_V1", "GROUP_V3", "METADATA_ANNOTATION", "ConversionError", "from_crd", "is_ours"), "convert"
    ),
    **dict.fromkeys(("metadata_annotation", "read_defaults", "to_crd"), "convert"),
    "from_core": "core",
    **dict.fromkeys(
        ("affinity_name", "block_affinity_labels", "block_name", "cidr_to_name", "handle_name", "hostname_hash"),
        "names",
    ),
    **dict.fromkeys(("UIDError", "convert_uid"), "uid"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'calicopy.kdd' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "GROUP_V1",
    "GROUP_V3",
    "METADATA_ANNOTATION",
    "ConversionError",
    "UIDError",
    "affinity_name",
    "block_affinity_labels",
    "block_name",
    "cidr_to_name",
    "convert_uid",
    "from_core",
    "from_crd",
    "handle_name",
    "hostname_hash",
    "is_ours",
    "metadata_annotation",
    "read_defaults",
    "to_crd",
]
