"""clientv3's ``EnsureInitialized`` (``lib/clientv3/client.go``): ClusterInformation ``default``
and the static tiers, and reading the cluster's Calico version back."""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, cast

from ..backends.base import Backend
from ..errors import CalicoError, ResourceAlreadyExists, ResourceConflict, ResourceNotFound
from ..resources.registry import KINDS
from .static import STATIC_TIERS

if TYPE_CHECKING:
    # The models load through the registry when first used: a command that only reads (and
    # checks the version) never builds the Tier model.
    from ..resources.generated.clusterinfo import ClusterInformation
    from ..resources.generated.tier import Tier

__all__ = ["cluster_version", "ensure_initialized", "static_tiers"]

_log = logging.getLogger("calicopy.clientv3")

# A concurrent initialiser may win a race on ClusterInformation; libcalico-go retries.
_CLUSTER_INFO_ATTEMPTS = 5


def ensure_initialized(backend: Backend, calico_version: str = "", cluster_type: str = "", *, kdd: bool) -> None:
    """Write ClusterInformation ``default`` and the three static tiers where missing.

    ``calico_version`` empty (as calicoctl passes it) leaves ``calicoVersion`` alone; ``kdd``
    adds the ``kdd`` cluster type as libcalico-go's Kubernetes datastore does.  Every step is
    tried; the first failure is raised afterwards.  A tier is read before it is created
    (libcalico-go creates and ignores AlreadyExists): same outcome, but an initialised
    datastore receives no write.
    """
    errors: list[Exception] = []
    try:
        _ensure_cluster_information(backend, calico_version, cluster_type, kdd=kdd)
    except CalicoError as exc:
        _log.info("Unable to initialize ClusterInformation: %s", exc)
        errors.append(exc)
    for tier in static_tiers():
        name = tier.metadata.name
        try:
            try:
                backend.get("Tier", name)
            except ResourceNotFound:
                backend.create(tier)
        except ResourceAlreadyExists:
            pass
        except CalicoError as exc:
            _log.info("Unable to initialize %s Tier: %s", name, exc)
            errors.append(exc)
    if errors:
        raise errors[0]


def static_tiers() -> list[Tier]:
    """The tiers EnsureInitialized writes: ``default``, ``kube-admin``, ``kube-baseline``."""
    tier = KINDS["Tier"].model
    return [
        cast("Tier", tier.from_storage({"metadata": {"name": name}, "spec": {"order": order, "defaultAction": action}}))
        for name, (action, order) in STATIC_TIERS.items()
    ]


def _ensure_cluster_information(backend: Backend, calico_version: str, cluster_type: str, *, kdd: bool) -> None:
    if kdd:
        cluster_type = f"{cluster_type.rstrip(',')},kdd" if cluster_type else "kdd"
    for _ in range(_CLUSTER_INFO_ATTEMPTS):
        try:
            info = backend.get("ClusterInformation", "default")
        except ResourceNotFound:
            new = KINDS["ClusterInformation"].model.from_storage(
                {
                    "metadata": {"name": "default"},
                    "spec": {
                        "calicoVersion": calico_version,
                        "clusterType": cluster_type,
                        "clusterGUID": uuid.uuid4().hex,
                        "datastoreReady": True,
                    },
                }
            )
            try:
                backend.create(new)
            except ResourceAlreadyExists:
                continue
            return
        assert isinstance(info, KINDS["ClusterInformation"].model)
        spec = cast("ClusterInformation", info).spec
        changed = False
        if calico_version and spec.calico_version != calico_version:
            spec.calico_version, changed = calico_version, True
        if not spec.cluster_guid:
            spec.cluster_guid, changed = uuid.uuid4().hex, True
        if spec.datastore_ready is None:
            spec.datastore_ready, changed = True, True
        if cluster_type:
            have = spec.cluster_type.split(",") if spec.cluster_type else []
            merged = have + [t for t in cluster_type.split(",") if t and t not in have]
            if merged != have:
                spec.cluster_type, changed = ",".join(merged), True
        if not changed:
            return
        try:
            backend.update(info)
            return
        except ResourceConflict:
            continue


def cluster_version(backend: Backend) -> str | None:
    """ClusterInformation ``default``'s ``spec.calicoVersion``; None when absent or empty."""
    try:
        info = backend.get("ClusterInformation", "default")
    except ResourceNotFound:
        return None
    assert isinstance(info, KINDS["ClusterInformation"].model)
    return cast("ClusterInformation", info).spec.calico_version or None
