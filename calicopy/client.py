"""The Client: calicoctl's verbs for one resource at a time, over the clientv3 layer.

The Client resolves kinds and namespaces, applies calicoctl's resource-manager semantics to one
object (``resourcemgr.go``: create, apply = create-or-replace, replace with its retries, patch,
label, the refusals of read-only kinds) and runs the version check.  Meaning (defaulting,
validation, datastore checks, read defaults) is :class:`calicopy.clientv3.ClientV3`'s; storage is
the :class:`~calicopy.backends.base.Backend`'s.  Multi-resource processing and calicoctl's
message texts belong to :mod:`calicopy.calicoctl`; bulk apply to :mod:`calicopy.bulk`.

Sources (Calico v3.32.1): ``calicoctl/calicoctl/resourcemgr/resourcemgr.go``,
``calicoctl/calicoctl/commands/label.go``, ``commands/common/version_mismatch.go``.
"""

from __future__ import annotations

import builtins
import functools
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, overload

from .accessors import KindAccessor, KindAccessors
from .backends.base import Backend, ListResult, WatchEvent
from .bulk import apply_all
from .clientv3 import Batch, ClientV3, default_namespace, hooks_for, merge_metadata_for_update
from .clientv3.kinds import Operation
from .clientv3.pool_writer import IPPoolWriter
from .config import CalicoAPIConfig, load_config
from .edits import LabelAction, ObjectLocks, merge_patch, patch_document, relabel
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
    resource_identifier,
)
from .notebook import ResourceList
from .outcomes import ApplyOutcome, LabelResult
from .resources.meta import Resource
from .resources.model import normalise_keys
from .resources.registry import KINDS, KindInfo, kind_for_name
from .retry import RetryPolicy, retry_on_conflict

if TYPE_CHECKING:
    from .ipam import IPAM

__all__ = [
    "CALICO_VERSION",
    "SUPPORTED_VERSIONS",
    "Client",
    "KindAccessor",
    "LabelResult",
    "version_supported",
]

#: The Calico release whose behaviour calicopy implements: the "Client Version" of the
#: version-mismatch message.
CALICO_VERSION = "v3.32.1"
#: Cluster versions calicopy works with, as (major, minor) bounds, inclusive.  calicoctl demands
#: the exact x.y.z of its own build; calicopy accepts any patch release of v3.26 .. v3.32.
SUPPORTED_VERSIONS: tuple[tuple[int, int], tuple[int, int]] = ((3, 26), (3, 32))

R = TypeVar("R", bound=Resource)


def version_supported(version: str) -> bool:
    """calicopy's rule: ``X.Y[.Z]`` (``v`` prefix and ``-suffix`` dropped) with (X, Y) in :data:`SUPPORTED_VERSIONS`."""
    parts = version.removeprefix("v").split("-")[0].split(".")
    try:
        major, minor = int(parts[0]), int(parts[1])
    except (IndexError, ValueError):
        return False
    low, high = SUPPORTED_VERSIONS
    return low <= (major, minor) <= high


class Client(KindAccessors):
    """calicoctl's verbs from Python (see ``docs/client.md``).

    ``Client(config)`` connects to the datastore ``config`` names; ``Client(backend=...)`` uses a
    ready backend; ``Client()`` loads calicoctl's configuration (``/etc/calico/calicoctl.cfg``,
    then the environment).  ``sleep`` is what waits (IPPool delete pause, replace retries): tests
    inject a fake.  ``retry_policy`` (for a backend the Client builds) sets the retries and the
    per-call deadline of every datastore request.  The Client is thread-safe when its backend is.
    """

    #: calicoctl sleeps 1 s between replace attempts.
    replace_attempts = 5
    replace_retry_delay = 1.0
    #: patch and label retry their read-modify-write on a conflict (calicoctl would fail); within
    #: one Client they are also serialised per object, so its own threads do not conflict.  Writers
    #: in other processes back off exponentially (10 ms doubling to 1 s, each wait stretched by up
    #: to 100 % at random) so that racing clients spread out instead of colliding in step.
    rmw_attempts = 10
    rmw_retry_delay = 0.01
    rmw_max_delay = 1.0

    def __init__(
        self,
        config: CalicoAPIConfig | None = None,
        *,
        backend: Backend | None = None,
        sleep: Callable[[float], None] = time.sleep,
        context: str | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        if backend is None:
            if config is None:
                config = load_config()
            backend = _backend_for(config, context=context, retry_policy=retry_policy)
        self.config = config
        self.backend: Backend = backend
        self._sleep = sleep
        kdd = config is not None and config.spec.datastore_type == "kubernetes"
        self.v3 = ClientV3(backend, kdd=kdd, sleep=sleep)
        self._object_locks = ObjectLocks()

    # -- constructors and lifecycle -----------------------------------------------------------

    @classmethod
    def from_config(
        cls,
        path: str | None = None,
        *,
        env: Mapping[str, str] | None = None,
        context: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        retry_policy: RetryPolicy | None = None,
    ) -> Client:
        """The configuration :func:`calicopy.config.load_config` reads: ``path`` if given, else ``env``
        if given (the default file is then not read), else calicoctl's rules
        (``/etc/calico/calicoctl.cfg``, else ``os.environ``).  ``env`` also replaces ``os.environ``
        for the Kubernetes connection (``KUBERNETES_SERVICE_HOST`` of the in-cluster fallback).
        ``retry_policy``: retries and the per-call deadline of every datastore request (default
        :class:`~calicopy.retry.RetryPolicy()`: 5 attempts within 30 s)."""
        config = load_config(path, env=env)
        backend = _backend_for(config, context=context, env=env, retry_policy=retry_policy)
        return cls(config, backend=backend, sleep=sleep)

    @classmethod
    def in_memory(cls, *, sleep: Callable[[float], None] = time.sleep) -> Client:
        """An embedded datastore (no cluster): :class:`calicopy.backends.memory.MemoryBackend`."""
        # The datastores are imported when one is chosen (see _backend_for).
        from .backends.memory import MemoryBackend

        return cls(backend=MemoryBackend(), sleep=sleep)

    def __repr__(self) -> str:
        # The backend names the datastore and its endpoint; backends keep credentials out of reprs.
        return f"Client({self.backend!r})"

    def close(self) -> None:
        self.backend.close()

    @functools.cached_property
    def ipam(self) -> IPAM:
        """Calico IPAM on this datastore: usage, lookup, borrowed, check, assign... (``docs/ipam.md``)."""
        # Imported on first use: most commands never touch IPAM, and the package is large.
        from .ipam import IPAM

        return IPAM(self.backend, pool_writer=IPPoolWriter(self.v3), version=CALICO_VERSION, sleep=self._sleep)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- kinds and namespaces ------------------------------------------------------------------

    @staticmethod
    def kind_info(kind: str | type[Resource]) -> KindInfo:
        """The registry entry for a kind name, a calicoctl alias (``ipp``, ``gnp``...) or a model class."""
        if isinstance(kind, type):
            kind = kind.KIND
        info = KINDS.get(kind) or kind_for_name(kind)
        if info is None:
            raise UnknownKindError(kind=kind)
        return info

    @staticmethod
    def _scope(info: KindInfo, namespace: str | None) -> str | None:
        """A list/watch scope: ``None`` means every namespace; a cluster-scoped kind takes none."""
        if namespace and not info.namespaced:
            default_namespace(info, namespace)
        return namespace or None

    # -- reads ---------------------------------------------------------------------------------

    @overload
    def get(self, kind: type[R], name: str, namespace: str | None = None) -> R: ...
    @overload
    def get(self, kind: str, name: str, namespace: str | None = None) -> Resource: ...
    def get(self, kind: str | type[Resource], name: str, namespace: str | None = None) -> Resource:
        """One resource; a namespaced kind without ``namespace`` is looked up in ``default`` (calicoctl)."""
        info = self.kind_info(kind)
        if not name:
            raise ValidationError([ErroredField("metadata.name", "resource name may not be empty")], kind=info.kind)
        return self.v3.get(info.kind, name, default_namespace(info, namespace))

    @overload
    def list(
        self,
        kind: type[R],
        namespace: str | None = None,
        label_selector: str | None = None,
        *,
        selector: str | None = None,
    ) -> builtins.list[R]: ...
    @overload
    def list(
        self,
        kind: str,
        namespace: str | None = None,
        label_selector: str | None = None,
        *,
        selector: str | None = None,
    ) -> builtins.list[Resource]: ...
    def list(
        self,
        kind: str | type[Resource],
        namespace: str | None = None,
        label_selector: str | None = None,
        *,
        selector: str | None = None,
    ) -> builtins.list[Any]:
        """Every resource of ``kind`` (``namespace=None``: all namespaces).

        ``label_selector`` is Kubernetes syntax (``app=db,tier in (a,b)``), applied by the datastore
        where it can; ``selector`` is Calico's selector language (``role == 'db' && has(tier)``),
        evaluated here on each resource's labels.  Both may be given.
        """
        return ResourceList(self.list_result(kind, namespace, label_selector, selector=selector).items)

    def list_result(
        self,
        kind: str | type[Resource],
        namespace: str | None = None,
        label_selector: str | None = None,
        *,
        selector: str | None = None,
    ) -> ListResult:
        """As :meth:`list`, with the list's resourceVersion (to continue with :meth:`watch`)."""
        info = self.kind_info(kind)
        matcher = None
        if selector is not None:
            # Parsed before the request, so that a bad selector costs no round trip.  The parser is
            # imported here: a list without a Calico selector (calicopy get) does not load it.
            from .selector import parse_cached

            matcher = parse_cached(selector)
        result = self.v3.list(info.kind, self._scope(info, namespace), label_selector)
        if matcher is None:
            return result
        return ListResult([r for r in result.items if matcher.matches(r.metadata.labels)], result.resource_version)

    def watch(
        self,
        kind: str | type[Resource],
        namespace: str | None = None,
        resource_version: str = "",
        *,
        label_selector: str | None = None,
        timeout: float | None = None,
        known: Iterable[Resource] | None = None,
    ) -> Iterator[WatchEvent]:
        """Changes of ``kind`` from ``resource_version`` (empty: ADDED for each current object first)
        until ``timeout`` seconds have passed.  ``known``: the objects the caller holds at
        ``resource_version`` (a ``list_result()``'s items); after a 410 re-list the watch reports
        every one of them that vanished as DELETED (see ``docs/client.md``, "Watch")."""
        info = self.kind_info(kind)
        return self.v3.watch(info.kind, self._scope(info, namespace), resource_version, label_selector, timeout, known)

    # -- EnsureInitialized and the version check ---------------------------------------------------

    def ensure_initialized(self, calico_version: str = "", cluster_type: str = "") -> None:
        """clientv3's ``EnsureInitialized``: ClusterInformation ``default`` and the three static tiers.

        ``calico_version`` empty (as calicoctl passes it) leaves ``calicoVersion`` alone.  Raises
        the first failure after trying every step.  After a successful call the Client does not
        initialise again before its writes.
        """
        self.v3.ensure_initialized(calico_version, cluster_type)

    def cluster_version(self) -> str | None:
        """ClusterInformation ``default``'s ``spec.calicoVersion``; None when absent or empty."""
        return self.v3.cluster_version()

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
            raise VersionMismatchError(cause=exc) from exc
        if not version:
            return
        cluster = version.removeprefix("v").split("-")[0]
        if not version_supported(cluster):
            raise VersionMismatchError(client_version=CALICO_VERSION, cluster_version=cluster)

    # -- verbs -----------------------------------------------------------------------------------

    def _refuse(self, operation: Operation, info: KindInfo, name: str, namespace: str | None) -> None:
        identifier = resource_identifier(info.kind, name, namespace)
        hooks_for(info.kind).refuse(operation, info.kind, name, identifier)

    def create(self, resource: R) -> R:
        """``calicoctl create``: returns the stored resource (uid, creationTimestamp, resourceVersion filled)."""
        info = KINDS[resource.KIND]
        self._refuse("create", info, resource.metadata.name, resource.metadata.namespace)
        self.v3.try_ensure_initialized()
        return self.v3.create_prepared(self.v3.prepare_create(resource, info))

    def replace(self, resource: R) -> R:
        """``calicoctl replace``: the object must exist.

        With ``metadata.resourceVersion`` it must be the stored one (else
        ``update conflict: <Kind>(<name>)``); without, get+update is retried up to 5 times on a
        conflict.  Only labels and annotations are taken from the given metadata.
        """
        info = KINDS[resource.KIND]
        self._refuse("replace", info, resource.metadata.name, resource.metadata.namespace)
        self.v3.try_ensure_initialized()
        return self._replace(info, resource)

    def _replace(self, info: KindInfo, resource: R) -> R:
        namespace = default_namespace(info, resource.metadata.namespace)
        name = resource.metadata.name
        rv = resource.metadata.resource_version
        if rv:
            stored = self.v3.backend.get(info.kind, name, namespace)
            if stored.metadata.resource_version != rv:
                latest = stored.metadata.resource_version
                exc = ResourceConflict(
                    kind=info.kind,
                    name=name,
                    namespace=namespace or None,
                    operation="replace",
                    # libcalico-go's wrapped error (calicoctl does not print it) ...
                    cause=f"resource version '{rv}' is out of date (latest: {latest}). "
                    "Update the resource YAML/JSON in order to make changes",
                    # ... and what a Python caller should do.
                    hint="read the resource again (client.get) and make the change to that copy, "
                    "or leave metadata.resourceVersion empty to replace whatever is stored",
                )
                exc.add_note(f"resource version {rv!r} is out of date (latest: {latest!r}): {exc.hint}")
                raise exc
            return self.v3.update(merge_metadata_for_update(stored, resource), stored)

        def attempt() -> R:
            stored = self.v3.backend.get(info.kind, name, namespace)
            return self.v3.update(merge_metadata_for_update(stored, resource), stored)

        return self._retry(attempt, self.replace_attempts, self.replace_retry_delay, jitter=0.0)

    def apply(self, resource: R) -> R:
        """``calicoctl apply``: create; if it exists (or the datastore cannot create the kind), replace."""
        info = KINDS[resource.KIND]
        self._refuse("apply", info, resource.metadata.name, resource.metadata.namespace)
        self.v3.try_ensure_initialized()
        return self.apply_prepared(info, resource, self.v3.prepare_create(resource, info, for_apply=True))

    def apply_prepared(self, info: KindInfo, resource: R, prepared: R, batch: Batch | None = None) -> R:
        """:meth:`apply` of ``resource`` whose create attempt (``prepared``) is already defaulted and
        validated; ``batch`` shares datastore reads between the writes of one bulk apply."""
        try:
            return self.v3.create_prepared(prepared, batch)
        except (ResourceAlreadyExists, OperationNotSupported):
            return self._replace(info, resource)

    def apply_over(self, info: KindInfo, resource: R, prepared: R, stored: Resource, batch: Batch | None = None) -> R:
        """:meth:`apply_prepared` of ``resource`` already seen stored as ``stored``: the create
        attempt is skipped (it could only fail) and the update goes over ``stored`` at once.

        The outcome is apply's: a ``stored`` changed since it was read is read again and replaced
        (as apply's replace would), one deleted since is created; a ``resourceVersion`` given by
        the caller is checked by apply's own path.
        """
        if resource.metadata.resource_version:
            return self.apply_prepared(info, resource, prepared, batch)
        try:
            return self.v3.update(merge_metadata_for_update(stored, resource), stored)
        except ResourceConflict:
            return self._replace(info, resource)
        except ResourceNotFound:
            return self.apply_prepared(info, resource, prepared, batch)

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
            raise ValidationError([ErroredField("metadata.name", "resource name may not be empty")], kind=info.kind)
        ns = default_namespace(info, namespace)
        self._refuse("delete", info, name, ns)
        return self.v3.delete(info.kind, name, ns, resource_version or None)

    def patch(
        self, kind: str | type[Resource], name: str, patch: Mapping[str, Any] | str, namespace: str | None = None
    ) -> Resource:
        """``calicoctl patch``: merge ``patch`` (JSON merge patch) into the stored object and update it.

        ``patch`` is a mapping or, as calicoctl's ``-p``, its JSON text.  Maps merge key by key (so
        labels and annotations are unioned, as calicoctl does) and lists are replaced.  The update
        carries the read resourceVersion; on a conflict the read-modify-write is repeated (up to
        ``rmw_attempts``).
        """
        info = self.kind_info(kind)
        ns = default_namespace(info, namespace)
        patch = patch_document(patch, info.kind, name)
        normalised, problems = normalise_keys(info.model, dict(patch), "")
        if problems:
            raise ValidationError(
                problems,
                resource=resource_identifier(info.kind, name, ns),
                kind=info.kind,
                name=name,
                namespace=ns or None,
                operation="patch",
            )

        def attempt() -> Resource:
            stored = self.v3.get(info.kind, name, ns)
            return self.v3.update(merge_patch(stored, normalised), stored)

        with self._object_locks.hold(info.kind, name, ns):
            return self._retry_rmw(attempt)

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

        Refusals are :class:`~calicopy.errors.LabelError` (``problem``: ``invalid``, ``missing``,
        ``exists``, ``not-updated``); a missing object is ResourceNotFound.  ``kind`` is kept as
        given in the result, because calicoctl echoes it.  The read-modify-write is repeated on a
        conflict.
        """
        typed = kind if isinstance(kind, str) else kind.KIND
        info = self.kind_info(kind)
        ns = default_namespace(info, namespace)
        about: dict[str, Any] = {"kind": info.kind, "name": name, "namespace": ns or None}
        if not remove and value is None:
            parts = key.split("=")
            if len(parts) != 2:
                raise LabelError("invalid", key=key, **about)
            key, value = parts

        action: builtins.list[LabelAction] = []

        def attempt() -> Resource:
            stored = self.v3.get(info.kind, name, ns)
            changed, done = relabel(stored, key, value, remove=remove, overwrite=overwrite, about=about)
            action[:] = [done]
            try:
                return self.v3.update(changed, stored)
            except ResourceConflict:
                raise
            except CalicoError as exc:
                raise LabelError("not-updated", key=key, cause=exc, **about) from exc

        with self._object_locks.hold(info.kind, name, ns):
            result = self._retry_rmw(attempt)
        return LabelResult(result, action[0], key, typed, name)

    def apply_all(
        self,
        resources: Iterable[Resource],
        *,
        concurrency: int = 8,
        progress: Callable[[ApplyOutcome], None] | None = None,
        continue_on_error: bool = False,
        dry_run: bool = False,
    ) -> builtins.list[ApplyOutcome]:
        """Apply many resources: check all first (``dry_run``: only that), skip unchanged ones,
        write the rest concurrently (see :func:`calicopy.bulk.apply_all`)."""
        return apply_all(
            self,
            resources,
            concurrency=concurrency,
            progress=progress,
            continue_on_error=continue_on_error,
            dry_run=dry_run,
        )

    # -- read-modify-write helpers ------------------------------------------------------------------

    def _retry(self, fn: Callable[[], R], attempts: int, delay: float, *, jitter: float = 0.1) -> R:
        return retry_on_conflict(fn, attempts, delay=delay, jitter=jitter, sleep=self._sleep)

    def _retry_rmw(self, fn: Callable[[], R]) -> R:
        return retry_on_conflict(
            fn,
            self.rmw_attempts,
            delay=self.rmw_retry_delay,
            factor=2.0,
            jitter=1.0,
            max_delay=self.rmw_max_delay,
            sleep=self._sleep,
        )


def _backend_for(
    config: CalicoAPIConfig,
    *,
    context: str | None,
    env: Mapping[str, str] | None = None,
    retry_policy: RetryPolicy | None = None,
) -> Backend:
    # Each datastore is imported only when a configuration chooses it: a command talks to one,
    # and importing both took longer than the command itself.
    datastore = config.spec.datastore_type or "etcdv3"
    if datastore == "kubernetes":
        from .kdd.backend import KubernetesBackend

        backend: Backend = KubernetesBackend.from_config(config, context=context, env=env, retry_policy=retry_policy)
        return backend
    if datastore == "etcdv3":
        from .etcd.backend import EtcdBackend

        return EtcdBackend.from_config(config)
    raise ConfigError(f"unknown datastore type: {datastore}")
