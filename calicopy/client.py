"""The Client: calicoctl's verbs on top of a Backend, with libcalico-go clientv3's meaning.

Layering (see ``docs/client.md``): the Client owns defaulting, validation, the checks that need
the datastore (pool overlap, tier existence, immutability), calicoctl's metadata handling, the
cluster-version check and conflict retries; a :class:`~calicopy.backends.base.Backend` only
stores v3 models.

Sources (Calico v3.32.1): ``calicoctl/calicoctl/resourcemgr/resourcemgr.go`` (create, replace,
apply, patch), ``calicoctl/calicoctl/commands/common/resources.go`` (``handleNamespace``,
``tryEnsureInitialized``), ``commands/label.go``, ``commands/common/version_mismatch.go`` and
``libcalico-go/lib/clientv3/*.go`` (``client.go`` ``EnsureInitialized``, ``ippool.go``,
``tier.go``, ``profile.go``, ``bgppeer.go``, ``resources.go``).
"""

from __future__ import annotations

import builtins
import contextlib
import ipaddress
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from .backends.base import Backend, ListResult, WatchEvent
from .errors import (
    CalicoError,
    ConfigError,
    ErroredField,
    LabelError,
    OperationNotSupported,
    ResourceAlreadyExists,
    ResourceConflict,
    ResourceNotFound,
    UnknownKindError,
    ValidationError,
    VersionMismatchError,
)
from .resources.defaults import apply_read_defaults, default, default_in_place
from .resources.defaults.infra import check_ippool_create, check_ippool_update, check_write
from .resources.defaults.policy import DEFAULT_TIER_ORDER, check_tier_exists, tier_of
from .resources.generated.blockaffinity import BlockAffinity
from .resources.generated.clusterinfo import ClusterInformation
from .resources.generated.ipamblock import IPAMBlock
from .resources.generated.ippool import IPPool
from .resources.generated.tier import Tier
from .resources.meta import ObjectMeta, Resource
from .resources.model import normalise_keys
from .resources.registry import KINDS, KindInfo, kind_for_name

if TYPE_CHECKING:
    from .config import CalicoAPIConfig

__all__ = [
    "CALICO_VERSION",
    "SUPPORTED_VERSIONS",
    "ApplyAction",
    "ApplyOutcome",
    "Client",
    "KindAccessor",
    "LabelError",
    "LabelResult",
    "UnknownKindError",
]

_log = logging.getLogger("calicopy.client")

#: The Calico release whose behaviour calicopy implements: the "Client Version" of the
#: version-mismatch message.
CALICO_VERSION = "v3.32.1"
#: Cluster versions calicopy works with, as (major, minor) bounds, inclusive.  calicoctl demands
#: the exact x.y.z of its own build; calicopy accepts any patch release of v3.26 .. v3.32.
SUPPORTED_VERSIONS: tuple[tuple[int, int], tuple[int, int]] = ((3, 26), (3, 32))

DEFAULT_ALLOW_PROFILE = "projectcalico-default-allow"
STATIC_TIERS: Mapping[str, tuple[str, float]] = {
    "default": ("Deny", DEFAULT_TIER_ORDER),
    "kube-admin": ("Pass", 1_000.0),
    "kube-baseline": ("Pass", 10_000_000.0),
}
OPERATOR_LABEL = ("app.kubernetes.io/managed-by", "tigera-operator")
KNP_PREFIX = "knp.default."  # etcd mode multiplexes Kubernetes NetworkPolicies under this prefix
_WINDOWS_RESERVED_HANDLE = "windows-reserved-ipam-handle"
_POLICY_KINDS = frozenset(info.kind for info in KINDS.values() if info.is_policy)

R = TypeVar("R", bound=Resource)
ApplyAction = Literal["created", "updated", "unchanged", "failed", "skipped"]


@dataclass(frozen=True, slots=True)
class ApplyOutcome:
    """What :meth:`Client.apply_all` did with one input resource.

    ``action``: ``created``, ``updated``, ``unchanged`` (the stored object already matched),
    ``failed`` (``error`` says why) or ``skipped`` (valid, but not written because another
    resource failed validation and ``continue_on_error`` was false).  ``result`` is the stored
    object after the write (or the unchanged stored object).
    """

    resource: Resource
    action: ApplyAction
    error: Exception | None = None
    result: Resource | None = None


@dataclass(frozen=True, slots=True)
class LabelResult:
    """The outcome of :meth:`Client.label`: the stored resource, what happened and calicoctl's message."""

    resource: Resource
    action: Literal["set", "updated", "removed"]
    message: str


def _identifier(resource: Resource) -> str:
    return resource.label


def _ident(kind: str, name: str, namespace: str) -> str:
    return f"{kind}({namespace}/{name})" if namespace else f"{kind}({name})"


def _json_merge(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch (maps merge, ``None`` deletes, lists and scalars replace)."""
    if not isinstance(patch, Mapping):
        return patch
    result: dict[str, Any] = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _json_merge(result.get(key), value)
    return result


def _default_allow_refused(operation: str, verb: str) -> OperationNotSupported:
    """clientv3 ``profiles.Update``/``Delete``: the static profile is refused before any datastore
    access (so every backend, including the Kubernetes datastore, words it the same way)."""
    return OperationNotSupported(
        f"operation {operation} is not supported on {DEFAULT_ALLOW_PROFILE}: The profile "
        f'"{DEFAULT_ALLOW_PROFILE}" is a default provided by Calico and cannot be {verb}'
    )


def _operator_managed(resource: Resource | None) -> bool:
    return resource is not None and resource.metadata.labels.get(OPERATOR_LABEL[0]) == OPERATOR_LABEL[1]


class KindAccessor:
    """The Client's verbs for one kind: ``client.ippools.get("pool1")``, ``client.networkpolicies.list("ns")``."""

    def __init__(self, client: Client, info: KindInfo) -> None:
        self._client = client
        self.info = info

    def __repr__(self) -> str:
        return f"<KindAccessor {self.info.kind}>"

    def _model(self, resource: Resource | Mapping[str, Any]) -> Resource:
        if isinstance(resource, Resource):
            if self.info.kind != resource.KIND:
                raise TypeError(f"expected a {self.info.kind}, got a {resource.KIND}")
            return resource
        return self.info.model.from_dict(resource)

    def get(self, name: str, namespace: str | None = None) -> Resource:
        return self._client.get(self.info.kind, name, namespace=namespace)

    def list(self, namespace: str | None = None, *, label_selector: str | None = None) -> builtins.list[Resource]:
        return self._client.list(self.info.kind, namespace=namespace, label_selector=label_selector)

    def create(self, resource: Resource | Mapping[str, Any]) -> Resource:
        return self._client.create(self._model(resource))

    def apply(self, resource: Resource | Mapping[str, Any]) -> Resource:
        return self._client.apply(self._model(resource))

    def replace(self, resource: Resource | Mapping[str, Any]) -> Resource:
        return self._client.replace(self._model(resource))

    def delete(self, name: str, namespace: str | None = None, *, resource_version: str | None = None) -> Resource:
        return self._client.delete(self.info.kind, name, namespace=namespace, resource_version=resource_version)

    def patch(self, name: str, patch: Mapping[str, Any], namespace: str | None = None) -> Resource:
        return self._client.patch(self.info.kind, name, patch, namespace=namespace)

    def label(
        self,
        name: str,
        key: str,
        value: str | None = None,
        *,
        remove: bool = False,
        overwrite: bool = False,
        namespace: str | None = None,
    ) -> LabelResult:
        return self._client.label(
            self.info.kind, name, key, value, remove=remove, overwrite=overwrite, namespace=namespace
        )

    def watch(
        self, namespace: str | None = None, resource_version: str = "", *, timeout: float | None = None
    ) -> Iterator[WatchEvent]:
        return self._client.watch(
            self.info.kind, namespace=namespace, resource_version=resource_version, timeout=timeout
        )


_ACCESSORS: Mapping[str, KindInfo] = MappingProxyType({info.plural: info for info in KINDS.values()})


class Client:
    """calicoctl's verbs from Python (see ``docs/client.md``).

    ``Client(config)`` connects to the datastore ``config`` names; ``Client(backend=...)`` uses a
    ready backend; ``Client()`` loads calicoctl's configuration (``/etc/calico/calicoctl.cfg``,
    then the environment).  ``sleep`` is what waits (IPPool delete pause, replace retries): tests
    inject a fake.  The Client is thread-safe when its backend is.
    """

    #: calicoctl sleeps 1 s between replace attempts and libcalico-go 500 ms before releasing
    #: a deleted pool's block affinities.
    replace_attempts = 5
    replace_retry_delay = 1.0
    pool_delete_pause = 0.5
    #: patch and label retry their read-modify-write on a conflict (calicoctl would fail); within
    #: one Client they are also serialised per object, so its own threads do not conflict.
    rmw_attempts = 10
    rmw_retry_delay = 0.01

    def __init__(
        self,
        config: CalicoAPIConfig | None = None,
        *,
        backend: Backend | None = None,
        sleep: Callable[[float], None] = time.sleep,
        context: str | None = None,
    ) -> None:
        if backend is None:
            if config is None:
                from .config import load_config

                config = load_config()
            backend = _backend_for(config, context=context)
        self.config = config
        self.backend: Backend = backend
        self._sleep = sleep
        self._init_lock = threading.Lock()
        self._rmw_locks: dict[tuple[str, str, str], tuple[threading.Lock, int]] = {}
        self._rmw_locks_guard = threading.Lock()
        self._initialized = False
        self._accessors: dict[str, KindAccessor] = {}

    # -- constructors and lifecycle -----------------------------------------------------------

    @classmethod
    def from_config(
        cls,
        path: str | None = None,
        *,
        env: Mapping[str, str] | None = None,
        context: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> Client:
        """calicoctl's rules: ``path`` (default ``/etc/calico/calicoctl.cfg``), else the environment."""
        from .config import load_config

        config = load_config(path, env=env)
        return cls(config, backend=_backend_for(config, context=context), sleep=sleep)

    @classmethod
    def in_memory(cls, *, sleep: Callable[[float], None] = time.sleep) -> Client:
        """An embedded datastore (no cluster): :class:`calicopy.backends.memory.MemoryBackend`."""
        from .backends.memory import MemoryBackend

        return cls(backend=MemoryBackend(), sleep=sleep)

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- typed accessors ------------------------------------------------------------------------

    def __getattr__(self, name: str) -> KindAccessor:
        info = _ACCESSORS.get(name)
        if info is None or name.startswith("_"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        accessors: dict[str, KindAccessor] = self.__dict__.setdefault("_accessors", {})
        accessor = accessors.get(name)
        if accessor is None:
            accessor = accessors.setdefault(name, KindAccessor(self, info))
        return accessor

    def __dir__(self) -> builtins.list[str]:
        return sorted(set(super().__dir__()) | set(_ACCESSORS))

    # -- kinds and namespaces ------------------------------------------------------------------

    @staticmethod
    def kind_info(kind: str | type[Resource]) -> KindInfo:
        """The registry entry for a kind name, a calicoctl alias (``ipp``, ``gnp``...) or a model class."""
        if isinstance(kind, type):
            kind = kind.KIND
        info = KINDS.get(kind) or kind_for_name(kind)
        if info is None:
            raise UnknownKindError(f"resource type '{kind}' is not supported")
        return info

    @staticmethod
    def _namespace(info: KindInfo, namespace: str | None) -> str:
        """calicoctl's ``handleNamespace``: namespaced kinds default to ``default``."""
        if info.namespaced:
            return namespace or "default"
        if namespace:
            raise ValidationError(
                [ErroredField("metadata.namespace", f"{info.kind} is not namespaced", namespace)],
            )
        return ""

    # -- reads ---------------------------------------------------------------------------------

    def _read(self, resource: R) -> R:
        """What clientv3 does to objects read back: IPPool storage defaults, the policy tier label."""
        apply_read_defaults(resource)
        return resource

    def get(self, kind: str | type[Resource], name: str, namespace: str | None = None) -> Resource:
        """One resource; a namespaced kind without ``namespace`` is looked up in ``default`` (calicoctl)."""
        info = self.kind_info(kind)
        if not name:
            raise ValidationError([ErroredField("metadata.name", "resource name may not be empty")])
        return self._read(self.backend.get(info.kind, name, self._namespace(info, namespace)))

    def list(
        self, kind: str | type[Resource], namespace: str | None = None, label_selector: str | None = None
    ) -> builtins.list[Resource]:
        """Every resource of ``kind`` (``namespace=None``: all namespaces); ``label_selector`` is Kubernetes syntax."""
        return self.list_result(kind, namespace, label_selector).items

    def list_result(
        self, kind: str | type[Resource], namespace: str | None = None, label_selector: str | None = None
    ) -> ListResult:
        """As :meth:`list`, with the list's resourceVersion (to continue with :meth:`watch`)."""
        info = self.kind_info(kind)
        if namespace and not info.namespaced:
            self._namespace(info, namespace)
        result = self.backend.list(info.kind, namespace or None, label_selector=label_selector)
        items = [self._read(item) for item in result.items]
        if info.kind == "Tier":
            items.sort(key=_tier_order)  # calicoctl's order
        return ListResult(items, result.resource_version)

    def watch(
        self,
        kind: str | type[Resource],
        namespace: str | None = None,
        resource_version: str = "",
        *,
        label_selector: str | None = None,
        timeout: float | None = None,
    ) -> Iterator[WatchEvent]:
        """Changes of ``kind`` from ``resource_version`` (empty: ADDED for each current object first)."""
        info = self.kind_info(kind)
        if namespace and not info.namespaced:
            self._namespace(info, namespace)
        events = self.backend.watch(
            info.kind,
            namespace or None,
            resource_version=resource_version,
            label_selector=label_selector,
            timeout=timeout,
        )
        for event in events:
            if event.object is not None:
                self._read(event.object)
            yield event

    # -- EnsureInitialized ---------------------------------------------------------------------

    def ensure_initialized(self, calico_version: str = "", cluster_type: str = "") -> None:
        """clientv3's ``EnsureInitialized``: ClusterInformation ``default`` and the three static tiers.

        ``calico_version`` empty (as calicoctl passes it) leaves ``calicoVersion`` alone.  Raises
        the first failure after trying every step (writes calicoctl's readonly rules do not apply).
        A tier is read before it is created (libcalico-go creates and ignores AlreadyExists): same
        outcome, but an initialised datastore gets no write requests.  After a successful call the
        Client does not initialise again before its writes.
        """
        errors: builtins.list[Exception] = []
        try:
            self._ensure_cluster_information(calico_version, cluster_type)
        except CalicoError as exc:
            _log.info("Unable to initialize ClusterInformation: %s", exc)
            errors.append(exc)
        for name, (action, order) in STATIC_TIERS.items():
            tier = Tier.from_storage({"metadata": {"name": name}, "spec": {"order": order, "defaultAction": action}})
            try:
                try:
                    self.backend.get("Tier", name)
                except ResourceNotFound:
                    self.backend.create(tier)
            except ResourceAlreadyExists:
                pass
            except CalicoError as exc:
                _log.info("Unable to initialize %s Tier: %s", name, exc)
                errors.append(exc)
        if errors:
            raise errors[0]
        self._initialized = True

    def _ensure_cluster_information(self, calico_version: str, cluster_type: str) -> None:
        if self.config is not None and self.config.spec.datastore_type == "kubernetes":
            cluster_type = f"{cluster_type.rstrip(',')},kdd" if cluster_type else "kdd"
        for _ in range(5):
            try:
                info = self.backend.get("ClusterInformation", "default")
            except ResourceNotFound:
                new = ClusterInformation.from_storage(
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
                    self.backend.create(new)
                except ResourceAlreadyExists:
                    continue  # another client got there first
                return
            assert isinstance(info, ClusterInformation)
            spec = info.spec
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
                self.backend.update(info)
                return
            except ResourceConflict:
                continue

    def _try_ensure_initialized(self) -> None:
        """calicoctl's ``tryEnsureInitialized`` before the first write, once per Client; failures are logged."""
        if self._initialized:
            return
        with self._init_lock:
            if self._initialized:
                return
            try:
                self.ensure_initialized()
            except CalicoError as exc:
                _log.info("Unable to initialize datastore: %s", exc)
            self._initialized = True

    # -- version check ---------------------------------------------------------------------------

    def cluster_version(self) -> str | None:
        """ClusterInformation ``default``'s ``spec.calicoVersion``; None when absent or empty."""
        try:
            info = self.backend.get("ClusterInformation", "default")
        except ResourceNotFound:
            return None
        assert isinstance(info, ClusterInformation)
        return info.spec.calico_version or None

    def check_version(self, allow_mismatch: bool = False) -> None:
        """calicoctl's ``CheckVersionMismatch`` with calicopy's range rule (see ``docs/client.md``).

        Skipped with ``allow_mismatch``, or when ClusterInformation or its calicoVersion is
        missing.  Raises :class:`~calicopy.errors.VersionMismatchError` when the cluster's
        major.minor is outside :data:`SUPPORTED_VERSIONS` (or cannot be parsed).
        """
        if allow_mismatch:
            return
        try:
            version = self.cluster_version()
        except CalicoError as exc:
            raise VersionMismatchError(
                f"unable to get Cluster Information to verify version mismatch: {exc}\n"
                "Use --allow-version-mismatch to override"
            ) from exc
        if not version:
            return
        cluster = version.removeprefix("v").split("-")[0]
        if not version_supported(cluster):
            raise VersionMismatchError(
                f"version mismatch.\nClient Version:   {CALICO_VERSION}\nCluster Version:  {cluster}\n"
                "Use --allow-version-mismatch to override"
            )

    # -- write pipeline --------------------------------------------------------------------------

    def _refuse(self, info: KindInfo, resource_id: str, name: str, operation: str) -> None:
        """calicoctl's resource managers' refusals (ClusterInformation, ``knp.default.`` policies)."""
        if info.kind == "ClusterInformation":
            reason = ": resource is readonly" if operation == "apply" else ""
            word = {"create": "create or apply", "replace": "apply or replace"}.get(operation, operation)
            raise OperationNotSupported(f"operation {word} is not supported on ClusterInformation{reason}")
        if info.kind == "NetworkPolicy" and name.startswith(KNP_PREFIX):
            word = {"create": "create or apply", "apply": "create or apply", "replace": "apply or replace"}.get(
                operation, operation
            )
            raise OperationNotSupported(
                f"operation {word} is not supported on {resource_id}: "
                "kubernetes network policies must be managed through the kubernetes API"
            )

    def _warn_operator(self, *resources: Resource | None) -> None:
        for res in resources:
            if res is not None and _operator_managed(res):
                _log.warning(
                    "IPPool %s is managed by the tigera-operator (label %s=%s): the operator may revert this change; "
                    "change the Installation resource instead",
                    res.metadata.name,
                    *OPERATOR_LABEL,
                )
                return

    def _validated(self, resource: R, *, in_place: bool = False) -> R:
        """clientv3's defaulting and validation common to Create and Update (not the datastore checks).

        ``in_place``: ``resource`` is the caller's private object, defaulted without a copy.
        """
        filled = default_in_place(resource) if in_place else default(resource)
        filled.validate_calico()
        check_write(filled)
        return filled

    def _prepare_create(self, resource: R, *, for_apply: bool = False) -> R:
        """calicoctl's ``prepareMetadataForCreate`` + clientv3's Create-time checks that need no datastore.

        Returns a defaulted, validated copy (the only copy made; ``resource`` is not changed).
        ``for_apply``: apply's create attempt, which ignores the given resourceVersion.
        """
        info = KINDS[resource.KIND]
        meta = resource.metadata
        if meta.resource_version and not for_apply:
            raise ValidationError(
                [
                    ErroredField(
                        "metadata.resourceVersion", "field must not be set for a Create request", meta.resource_version
                    )
                ],
                resource=resource.label,
            )
        if not meta.name:
            reason = "field must be set for a Create request"
            if meta.generate_name:
                reason += " (GenerateName is not supported)"
            raise ValidationError([ErroredField("metadata.name", reason, "")], resource=resource.label)
        fresh = ObjectMeta.from_storage(
            {
                "name": meta.name,
                "namespace": self._namespace(info, meta.namespace),
                "labels": dict(meta.labels),
                "annotations": dict(meta.annotations),
                # clientv3's resources.Create stamps both before storing: in Kubernetes the
                # timestamp survives in the projectcalico.org/metadata annotation, while the
                # API server replaces the uid with its own.
                "creationTimestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "uid": str(uuid.uuid4()),
            }
        )
        # A deep copy of everything but the metadata, which is replaced (as assigning it would).
        copy = resource.model_copy(update={"metadata": fresh}, deep=True)
        return self._validated(copy, in_place=True)

    def _datastore_checks_create(self, resource: R, tiers: _TierCheck | None = None) -> R:
        """clientv3's Create checks that read the datastore; returns the object to store.

        ``tiers``: :meth:`apply_all`'s per-batch answers (one read per distinct tier); without,
        the policy's tier is read for this create, as clientv3 does.
        """
        if isinstance(resource, IPPool):
            pools = [p for p in self.backend.list("IPPool").items if isinstance(p, IPPool)]
            resource = check_ippool_create(resource, pools)  # type: ignore[assignment]
            assert isinstance(resource, IPPool)
            self._check_pool_blocks(resource)
        elif resource.KIND in _POLICY_KINDS:
            tier = tier_of(resource)
            if tiers is not None:
                existing = {tier} if tiers.exists(tier) else set()
            else:
                try:
                    self.backend.get("Tier", tier)
                    existing = {tier}
                except ResourceNotFound:
                    existing = set()
            check_tier_exists(resource, existing)
        elif resource.KIND == "Profile" and resource.metadata.name == DEFAULT_ALLOW_PROFILE:
            raise ResourceAlreadyExists(
                f"resource already exists: {DEFAULT_ALLOW_PROFILE} with error: {DEFAULT_ALLOW_PROFILE} already exists. "
                f'The profile "{DEFAULT_ALLOW_PROFILE}" is default provided by Calico'
            )
        self._check_bgp_filters(resource)
        return resource

    def _check_pool_blocks(self, pool: IPPool) -> None:
        """Create only: existing IPAM blocks inside the pool must use its block size."""
        try:
            blocks = self.backend.list("IPAMBlock").items
        except OperationNotSupported:
            return
        net = ipaddress.ip_network(pool.spec.cidr, strict=False)
        for block in blocks:
            if not isinstance(block, IPAMBlock):
                continue
            try:
                bnet = ipaddress.ip_network(block.spec.cidr, strict=False)
            except ValueError:
                continue
            if bnet.version == net.version and bnet.overlaps(net) and bnet.prefixlen != pool.spec.block_size:
                raise ValidationError(
                    [
                        ErroredField(
                            "spec.blockSize",
                            "IPPool blocksSize conflicts with existing allocations that use a different blockSize",
                            pool.spec.block_size,
                        )
                    ],
                    resource=pool.label,
                )

    def _check_bgp_filters(self, resource: Resource) -> None:
        filters = getattr(resource.spec, "filters", None) if resource.KIND == "BGPPeer" else None  # type: ignore[attr-defined]
        if not filters:
            return
        known = {f.metadata.name for f in self.backend.list("BGPFilter").items}
        missing = [f for f in filters if f not in known]
        if missing:
            raise ValidationError(
                [ErroredField("spec.filters", "BGPFilter(s) not found", missing)], resource=resource.label
            )

    def _create(self, resource: R, *, for_apply: bool = False) -> R:
        return self._store_new(self._prepare_create(resource, for_apply=for_apply))

    def _store_new(self, prepared: R, tiers: _TierCheck | None = None) -> R:
        """The datastore half of a create, for an object :meth:`_prepare_create` returned."""
        prepared = self._datastore_checks_create(prepared, tiers)
        if isinstance(prepared, IPPool):
            self._warn_operator(prepared)
        stored = self.backend.create(prepared)
        return self._read(stored)  # type: ignore[return-value]

    def _update(self, new: R, old: Resource) -> R:
        """clientv3 Update: defaulting, validation, kind checks, then the backend's CAS write.

        ``new`` is always a private object of the caller (a merged or patched copy), so it is
        defaulted in place.
        """
        if new.KIND == "Profile" and new.metadata.name == DEFAULT_ALLOW_PROFILE:
            raise _default_allow_refused("Update", "updated")
        if isinstance(new, IPPool):
            assert isinstance(old, IPPool)
            self._warn_operator(old, new)
            new = check_ippool_update(old, new)  # type: ignore[assignment]
        filled = self._validated(new, in_place=True)
        self._check_bgp_filters(filled)
        return self._read(self.backend.update(filled))  # type: ignore[return-value]

    @staticmethod
    def _merge_for_update(stored: Resource, resource: R) -> R:
        """calicoctl's ``mergeMetadataForUpdate``: the stored metadata with the file's labels and annotations."""
        meta = stored.metadata.model_copy(deep=True)
        meta.labels = dict(resource.metadata.labels)
        meta.annotations = dict(resource.metadata.annotations)
        return resource.model_copy(update={"metadata": meta}, deep=True)

    # -- verbs -----------------------------------------------------------------------------------

    def create(self, resource: R) -> R:
        """``calicoctl create``: returns the stored resource (uid, creationTimestamp, resourceVersion filled)."""
        info = KINDS[resource.KIND]
        self._refuse(info, _identifier(resource), resource.metadata.name, "create")
        self._try_ensure_initialized()
        return self._create(resource)

    def replace(self, resource: R) -> R:
        """``calicoctl replace``: the object must exist.

        With ``metadata.resourceVersion`` it must be the stored one (else
        ``update conflict: <Kind>(<name>)``); without, get+update is retried up to 5 times on a
        conflict.  Only labels and annotations are taken from the given metadata.
        """
        info = KINDS[resource.KIND]
        self._refuse(info, _identifier(resource), resource.metadata.name, "replace")
        self._try_ensure_initialized()
        return self._replace(info, resource)

    def _replace(self, info: KindInfo, resource: R) -> R:
        namespace = self._namespace(info, resource.metadata.namespace)
        name = resource.metadata.name
        rv = resource.metadata.resource_version
        if rv:
            stored = self.backend.get(info.kind, name, namespace)
            if stored.metadata.resource_version != rv:
                exc = ResourceConflict(f"update conflict: {_ident(info.kind, name, namespace)}")
                exc.add_note(
                    f"resource version '{rv}' is out of date (latest: {stored.metadata.resource_version}). "
                    "Update the resource YAML/JSON in order to make changes"
                )
                raise exc
            return self._update(self._merge_for_update(stored, resource), stored)

        def attempt() -> R:
            stored = self.backend.get(info.kind, name, namespace)
            return self._update(self._merge_for_update(stored, resource), stored)

        return self._retry(attempt, self.replace_attempts, self.replace_retry_delay, jitter=0.0)

    @contextlib.contextmanager
    def _object_lock(self, kind: str, name: str, namespace: str) -> Iterator[None]:
        """Serialise this Client's read-modify-writes of one object (patch, label).

        Without it, N threads patching one object over a network datastore mostly conflict with
        each other and can run out of retries; with it only writers outside this Client (other
        processes) can conflict, and those are retried.  Every write still carries the
        resourceVersion it read, so the lock is an optimisation, never the guarantee.
        """
        key = (kind, namespace, name)
        with self._rmw_locks_guard:
            lock, users = self._rmw_locks.get(key, (threading.Lock(), 0))
            self._rmw_locks[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._rmw_locks_guard:
                lock, users = self._rmw_locks[key]
                if users == 1:
                    del self._rmw_locks[key]
                else:
                    self._rmw_locks[key] = (lock, users - 1)

    def _retry(self, fn: Callable[[], R], attempts: int, delay: float, *, jitter: float = 0.1) -> R:
        from .retry import retry_on_conflict

        return retry_on_conflict(fn, attempts, delay=delay, jitter=jitter, sleep=self._sleep)

    def apply(self, resource: R) -> R:
        """``calicoctl apply``: create; if it exists (or the datastore cannot create the kind), replace."""
        info = KINDS[resource.KIND]
        self._refuse(info, _identifier(resource), resource.metadata.name, "apply")
        self._try_ensure_initialized()
        try:
            return self._create(resource, for_apply=True)
        except (ResourceAlreadyExists, OperationNotSupported):
            return self._replace(info, resource)

    def _apply_prepared(self, info: KindInfo, resource: R, prepared: R, tiers: _TierCheck) -> R:
        """:meth:`apply` of ``resource`` whose create attempt :meth:`_prepare_create` has already made."""
        try:
            return self._store_new(prepared, tiers)
        except (ResourceAlreadyExists, OperationNotSupported):
            return self._replace(info, resource)

    def delete(
        self,
        kind: str | type[Resource] | Resource,
        name: str | None = None,
        namespace: str | None = None,
        *,
        resource_version: str | None = None,
    ) -> Resource:
        """``calicoctl delete``: returns the deleted resource.  ``kind`` may be a resource (``delete -f``):
        its name, namespace and resourceVersion (a precondition) are used."""
        if isinstance(kind, Resource):
            res = kind
            info = KINDS[res.KIND]
            name = res.metadata.name
            namespace = res.metadata.namespace or namespace
            resource_version = res.metadata.resource_version or resource_version
        else:
            info = self.kind_info(kind)
        if not name:
            raise ValidationError([ErroredField("metadata.name", "resource name may not be empty")])
        ns = self._namespace(info, namespace)
        self._refuse(info, _ident(info.kind, name, ns), name, "delete")
        if info.kind == "Profile" and name == DEFAULT_ALLOW_PROFILE:
            raise _default_allow_refused("Delete", "deleted")
        if info.kind == "Tier":
            self._check_tier_delete(name)
        if info.kind == "IPPool":
            return self._delete_pool(name, resource_version or None)
        deleted = self.backend.delete(info.kind, name, ns or None, resource_version=resource_version or None)
        return self._read(deleted)

    def _check_tier_delete(self, name: str) -> None:
        if name in STATIC_TIERS:
            raise OperationNotSupported(f"operation Delete is not supported on {name}: Cannot delete {name} tier")
        for kind in _POLICY_KINDS:
            for policy in self.backend.list(kind).items:
                if tier_of(policy) == name:
                    raise OperationNotSupported(
                        f"operation delete is not supported on {name}: Cannot delete a non-empty tier"
                    )

    def _delete_pool(self, name: str, resource_version: str | None) -> Resource:
        """clientv3 ``ipPools.Delete``: disable, pause, release the pool's block affinities, delete."""
        pool = self._read(self.backend.get("IPPool", name))
        assert isinstance(pool, IPPool)
        self._warn_operator(pool)
        if not pool.spec.disabled:
            disabled = pool.model_copy(deep=True)
            disabled.spec.disabled = True
            if resource_version:
                disabled.metadata.resource_version = resource_version
            pool = self._update(disabled, pool)
            resource_version = None
        self._sleep(self.pool_delete_pause)
        self._release_pool_affinities(pool)
        return self._read(self.backend.delete("IPPool", name, resource_version=resource_version))

    def _release_pool_affinities(self, pool: IPPool) -> None:
        """``ipam.ReleasePoolAffinities``: for each affinity of a block inside the pool, mark it
        pendingDeletion, delete the block if empty (else drop its affinity), delete the affinity."""
        try:
            net = ipaddress.ip_network(pool.spec.cidr, strict=False)
            affinities = [a for a in self.backend.list("BlockAffinity").items if isinstance(a, BlockAffinity)]
        except (OperationNotSupported, ValueError):
            return
        blocks: dict[str, IPAMBlock] | None = None
        for aff in affinities:
            try:
                bnet = ipaddress.ip_network(aff.spec.cidr, strict=False)
            except ValueError:
                continue
            if aff.spec.deleted or bnet.version != net.version or bnet.network_address not in net:
                continue
            if blocks is None:
                blocks = {
                    str(ipaddress.ip_network(b.spec.cidr, strict=False)): b
                    for b in self.backend.list("IPAMBlock").items
                    if isinstance(b, IPAMBlock) and b.spec.cidr
                }
            block = blocks.get(str(bnet))
            if block is None:
                continue  # "No such block"
            self._release_block_affinity(aff, block)

    def _release_block_affinity(self, aff: BlockAffinity, block: IPAMBlock) -> None:
        wanted = f"{aff.spec.type or 'host'}:{aff.spec.node}"
        if block.spec.affinity is not None and block.spec.affinity != wanted:
            _log.warning("Mismatched affinity: %s != %s - deleting stale affinity", block.spec.affinity, wanted)
            with contextlib.suppress(ResourceNotFound):
                self.backend.delete("BlockAffinity", aff.metadata.name)
            return
        pending = aff.model_copy(deep=True)
        pending.spec.state = "pendingDeletion"
        pending = self.backend.update(pending)  # type: ignore[assignment]
        if _block_empty(block):
            with contextlib.suppress(ResourceNotFound):
                self.backend.delete("IPAMBlock", block.metadata.name)
        else:
            orphan = block.model_copy(deep=True)
            orphan.spec.affinity = None
            orphan.spec.affinity_claim_time = None
            orphan.spec.sequence_number += 1
            self.backend.update(orphan)
        with contextlib.suppress(ResourceNotFound):
            self.backend.delete(
                "BlockAffinity", pending.metadata.name, resource_version=pending.metadata.resource_version
            )

    def patch(
        self, kind: str | type[Resource], name: str, patch: Mapping[str, Any], namespace: str | None = None
    ) -> Resource:
        """``calicoctl patch``: merge ``patch`` (JSON merge patch) into the stored object and update it.

        Maps merge key by key (so labels and annotations are unioned, as calicoctl does) and
        lists are replaced.  The update carries the read resourceVersion; on a conflict the
        read-modify-write is repeated (up to ``rmw_attempts``).
        """
        info = self.kind_info(kind)
        ns = self._namespace(info, namespace)
        normalised, problems = normalise_keys(info.model, dict(patch), "")
        if problems:
            raise ValidationError(problems, resource=_ident(info.kind, name, ns))

        def attempt() -> Resource:
            stored = self._read(self.backend.get(info.kind, name, ns))
            merged = _json_merge(stored.to_dict(), normalised)
            merged["metadata"] = dict(merged.get("metadata") or {})
            for key in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp"):
                value = stored.to_dict()["metadata"].get(key)
                if value:
                    merged["metadata"][key] = value
                else:
                    merged["metadata"].pop(key, None)
            merged["kind"], merged["apiVersion"] = info.kind, stored.API_VERSION
            new = info.model.from_storage(merged)
            return self._update(new, stored)

        with self._object_lock(info.kind, name, ns):
            return self._retry(attempt, self.rmw_attempts, self.rmw_retry_delay)

    def label(
        self,
        kind: str | type[Resource],
        name: str,
        key: str,
        value: str | None = None,
        *,
        remove: bool = False,
        overwrite: bool = False,
        namespace: str | None = None,
    ) -> LabelResult:
        """``calicoctl label``: set (``key``, ``value``; or ``key="k=v"``) or ``remove`` one label.

        Errors are :class:`LabelError` (or ResourceNotFound) with calicoctl's texts; ``kind`` is
        echoed as given.  The read-modify-write is repeated on a conflict.
        """
        typed = kind if isinstance(kind, str) else kind.KIND
        info = self.kind_info(kind)
        ns = self._namespace(info, namespace)
        if not remove and value is None:
            parts = key.split("=")
            if len(parts) != 2:
                raise LabelError(f"invalid label {key}")
            key, value = parts

        action: builtins.list[Literal["set", "updated", "removed"]] = []

        def attempt() -> Resource:
            try:
                stored = self._read(self.backend.get(info.kind, name, ns))
            except ResourceNotFound:
                raise ResourceNotFound(f"{typed} {name} not found") from None
            labels = dict(stored.metadata.labels)
            if remove:
                if key not in labels:
                    raise LabelError(f"cannot remove label of {typed} {name}, key {key} does not exist")
                del labels[key]
                action[:] = ["removed"]
            elif key in labels:
                if not (overwrite or labels[key] == value):
                    raise LabelError(
                        f"failed to update label of {typed} {name}, key {key} is already present. "
                        "please use '--overwrite' to set a new value"
                    )
                labels[key] = value or ""
                action[:] = ["updated"]
            else:
                labels[key] = value or ""
                action[:] = ["set"]
            changed = stored.model_copy(deep=True)
            changed.metadata.labels = labels
            try:
                return self._update(changed, stored)
            except ResourceConflict:
                raise
            except CalicoError as exc:
                raise LabelError(f"failed to update {typed} {name}, label not changed") from exc

        with self._object_lock(info.kind, name, ns):
            result = self._retry(attempt, self.rmw_attempts, self.rmw_retry_delay)
        done = action[0]
        message = {
            "removed": f"Successfully removed label {key} from {typed} {name}",
            "updated": f"Successfully updated label {key} on {typed} {name}",
            "set": f"Successfully set label {key} on {typed} {name}",
        }[done]
        return LabelResult(result, done, message)

    # -- bulk ------------------------------------------------------------------------------------

    def apply_all(
        self,
        resources: Iterable[Resource],
        *,
        concurrency: int = 8,
        progress: Callable[[ApplyOutcome], None] | None = None,
        continue_on_error: bool = False,
    ) -> builtins.list[ApplyOutcome]:
        """Apply many resources: validate all first, skip unchanged ones, write the rest concurrently.

        * Every resource is defaulted and validated before anything is written; if any fails,
          nothing is written (the others come back ``skipped``) unless ``continue_on_error``.
        * Existing objects are listed once per kind; a resource whose spec, labels and
          annotations (after defaulting) equal the stored object's is ``unchanged``.
        * Writes run on up to ``concurrency`` threads.  Tiers and BGPFilters are written before
          the resources that may refer to them; IPPools are written one at a time, in input
          order, so that the overlap check sees the pools written before.
        * Each resource is written as :meth:`apply` writes it, from the object prepared in the
          first step (not defaulted and validated again); a policy's tier is read once per
          distinct tier in the batch (after the batch's own Tiers are written), not per policy.
        * Returns one :class:`ApplyOutcome` per input, in input order; ``progress`` is called
          with each outcome as it is decided.
        """
        items = list(resources)
        outcomes: builtins.list[ApplyOutcome | None] = [None] * len(items)
        lock = threading.Lock()

        def decide(i: int, outcome: ApplyOutcome) -> None:
            with lock:
                outcomes[i] = outcome
            if progress is not None:
                progress(outcome)

        prepared: dict[int, Resource] = {}
        invalid = False
        for i, res in enumerate(items):
            try:
                info = KINDS[res.KIND]
                self._refuse(info, _identifier(res), res.metadata.name, "apply")
                prepared[i] = self._prepare_create(res, for_apply=True)
            except (CalicoError, ValueError) as exc:
                invalid = True
                decide(i, ApplyOutcome(res, "failed", exc))
        if invalid and not continue_on_error:
            for i in prepared:
                decide(i, ApplyOutcome(items[i], "skipped"))
            return [o for o in outcomes if o is not None]
        if prepared:
            self._try_ensure_initialized()

        existing: dict[tuple[str, str, str], Resource] = {}
        for kind in sorted({items[i].KIND for i in prepared}):
            for obj in self.list(kind):
                existing[(kind, obj.metadata.namespace, obj.metadata.name)] = obj

        to_write: builtins.list[int] = []
        for i, filled in prepared.items():
            stored = existing.get((filled.KIND, filled.metadata.namespace, filled.metadata.name))
            if stored is not None and _unchanged(filled, stored):
                decide(i, ApplyOutcome(items[i], "unchanged", result=stored))
            else:
                to_write.append(i)

        # Tiers are checked when the first policy of each is written, after the batch's own Tier writes.
        tiers = _TierCheck(self.backend)

        def write(indexes: Sequence[int]) -> None:
            for i in indexes:
                res = items[i]
                stored = existing.get((res.KIND, prepared[i].metadata.namespace, res.metadata.name))
                try:
                    result = self._apply_prepared(KINDS[res.KIND], res, prepared[i], tiers)
                    decide(i, ApplyOutcome(res, "updated" if stored is not None else "created", result=result))
                except Exception as exc:
                    decide(i, ApplyOutcome(res, "failed", exc))

        first = [i for i in to_write if items[i].KIND in ("Tier", "BGPFilter")]
        pools = [i for i in to_write if items[i].KIND == "IPPool"]
        rest = [i for i in to_write if i not in set(first) | set(pools)]
        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            list(pool.map(lambda i: write([i]), first))
            tasks = [pool.submit(write, pools)] if pools else []
            tasks += [pool.submit(write, [i]) for i in rest]
            for task in tasks:
                task.result()
        return [o for o in outcomes if o is not None]


class _TierCheck:
    """Whether tiers exist, read once per distinct tier for one :meth:`Client.apply_all` batch.

    The first caller for a tier reads it (``GET``, as clientv3's per-create check); callers for
    the same tier wait for that answer.  A failed read (other than NotFound) is not remembered:
    the next policy of that tier reads again, as a per-create check would.
    """

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self._known: dict[str, bool] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def exists(self, tier: str) -> bool:
        with self._guard:
            known = self._known.get(tier)
            if known is not None:
                return known
            lock = self._locks.setdefault(tier, threading.Lock())
        with lock:
            with self._guard:
                known = self._known.get(tier)
            if known is not None:
                return known
            try:
                self._backend.get("Tier", tier)
                found = True
            except ResourceNotFound:
                found = False
            with self._guard:
                self._known[tier] = found
            return found


def version_supported(version: str) -> bool:
    """calicopy's rule: ``X.Y[.Z]`` (``v`` prefix and ``-suffix`` dropped) with (X, Y) in :data:`SUPPORTED_VERSIONS`."""
    parts = version.removeprefix("v").split("-")[0].split(".")
    try:
        major, minor = int(parts[0]), int(parts[1])
    except (IndexError, ValueError):
        return False
    low, high = SUPPORTED_VERSIONS
    return low <= (major, minor) <= high


def _tier_order(tier: Resource) -> tuple[bool, float]:
    order = tier.spec.order if isinstance(tier, Tier) else None
    return (order is None, order or 0.0)


def _unchanged(filled: Resource, stored: Resource) -> bool:
    new, old = filled.to_dict(), stored.to_dict()
    if new.get("spec") != old.get("spec"):
        return False
    new_meta, old_meta = new.get("metadata", {}), old.get("metadata", {})
    return all(new_meta.get(k, {}) == old_meta.get(k, {}) for k in ("labels", "annotations"))


def _block_empty(block: IPAMBlock) -> bool:
    """``allocationBlock.empty``: no allocation, or only Windows-reserved ones."""
    attributes = block.spec.attributes or []
    for ordinal in block.spec.allocations or []:
        if ordinal is None:
            continue
        attr = attributes[ordinal] if 0 <= ordinal < len(attributes) else None
        if attr is None or attr.handle_id != _WINDOWS_RESERVED_HANDLE:
            return False
    return True


def _backend_for(config: CalicoAPIConfig, *, context: str | None) -> Backend:
    datastore = config.spec.datastore_type or "etcdv3"
    if datastore == "kubernetes":
        from .kdd.backend import KubernetesBackend  # type: ignore[import-not-found,unused-ignore]

        backend: Backend = KubernetesBackend.from_config(config, context=context)
        return backend
    if datastore == "etcdv3":
        raise ConfigError("etcdv3 datastore is not supported yet")
    raise ConfigError(f"unknown datastore type: {datastore}")
