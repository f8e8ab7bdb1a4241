"""libcalico-go's clientv3 for one resource at a time: the generic write/read pipeline
(``lib/clientv3/resources.go``) with each kind's hooks (:mod:`calicopy.clientv3.kinds`).

Create: metadata preparation (calicoctl's ``prepareMetadataForCreate`` and the uid and
creationTimestamp clientv3 stamps), defaulting, validation, the kind's write checks, then the
kind's datastore checks and the backend's create.  Update: the kind's pre-checks (immutable fields),
defaulting, validation, write checks, datastore checks, then a compare-and-swap on
resourceVersion.  Reads get clientv3's read defaults.  Nothing here knows a kind by name.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import TypeVar

from ..backends.base import Backend, ListResult, RequirementMissing, WatchEvent
from ..errors import CalicoError, ErroredField, ResourceNotFound, ValidationError
from ..resources.defaults import apply_read_defaults, default_in_place, defaultable_copy
from ..resources.meta import ObjectMeta, Resource
from ..resources.registry import KindInfo
from . import initialize
from .kinds import Batch, hooks_for
from .names import check_name, check_namespace

__all__ = ["ClientV3", "default_namespace", "merge_metadata_for_update"]

_log = logging.getLogger("calicopy.clientv3")

R = TypeVar("R", bound=Resource)


def default_namespace(info: KindInfo, namespace: str | None) -> str:
    """The namespace of one object of ``info``: namespaced kinds default to ``default`` (as
    calicoctl's ``handleNamespace`` without flags); a namespace on a cluster-scoped kind is an error."""
    if info.namespaced:
        return namespace or "default"
    if namespace:
        raise ValidationError(
            [ErroredField("metadata.namespace", f"{info.kind} is not namespaced", namespace)], kind=info.kind
        )
    return ""


def merge_metadata_for_update(stored: Resource, resource: R) -> R:
    """calicoctl's ``mergeMetadataForUpdate``: a copy of ``resource`` carrying the stored metadata
    with ``resource``'s labels and annotations (missing labels remove the stored ones)."""
    meta = stored.metadata.model_copy(deep=True)
    meta.labels = dict(resource.metadata.labels)
    meta.annotations = dict(resource.metadata.annotations)
    return resource.model_copy(update={"metadata": meta}, deep=True)


class ClientV3:
    """The pipeline over a :class:`~calicopy.backends.base.Backend`.  ``kdd``: the datastore is
    Kubernetes (EnsureInitialized records the ``kdd`` cluster type).  ``sleep`` is what waits."""

    def __init__(self, backend: Backend, *, kdd: bool = False, sleep: Callable[[float], None] = time.sleep) -> None:
        self.backend = backend
        self.kdd = kdd
        self.sleep = sleep
        self.initialized = False
        self._init_lock = threading.Lock()

    # -- reads -------------------------------------------------------------------------------------

    @staticmethod
    def read(resource: R) -> R:
        """clientv3's read defaults, in place: IPPool storage defaults, the policy tier label."""
        apply_read_defaults(resource)
        return resource

    def get(self, kind: str, name: str, namespace: str) -> Resource:
        check_name(kind, name)
        check_namespace(kind, namespace)
        return self.read(self.backend.get(kind, name, namespace or None))

    def list(self, kind: str, namespace: str | None, label_selector: str | None) -> ListResult:
        check_namespace(kind, namespace)
        result = self.backend.list(kind, namespace or None, label_selector=label_selector)
        items = [self.read(item) for item in result.items]
        hooks_for(kind).sort(items)
        return ListResult(items, result.resource_version)

    def watch(
        self,
        kind: str,
        namespace: str | None,
        resource_version: str,
        label_selector: str | None,
        timeout: float | None,
        known: Iterable[Resource] | None = None,
    ) -> Iterator[WatchEvent]:
        check_namespace(kind, namespace)
        events = self.backend.watch(
            kind,
            namespace or None,
            resource_version=resource_version,
            label_selector=label_selector,
            timeout=timeout,
            known=known,
        )
        return self._read_events(events)

    def _read_events(self, events: Iterator[WatchEvent]) -> Iterator[WatchEvent]:
        for event in events:
            if event.object is not None:
                self.read(event.object)
            yield event

    # -- the write pipeline ---------------------------------------------------------------------

    def prepare(self, resource: R) -> R:
        """Defaulting, validation and the kind's write checks, in place on the caller's private
        object (clientv3's steps common to Create and Update, before the datastore is read)."""
        check_name(resource.KIND, resource.metadata.name)
        check_namespace(resource.KIND, resource.metadata.namespace)
        default_in_place(resource)
        resource.validate_calico()
        errors = hooks_for(resource.KIND).write_errors(resource)
        if errors:
            meta = resource.metadata
            raise ValidationError(
                errors, resource=resource.label, kind=resource.KIND, name=meta.name, namespace=meta.namespace or None
            )
        return resource

    def prepare_create(self, resource: R, info: KindInfo, *, for_apply: bool = False) -> R:
        """calicoctl's ``prepareMetadataForCreate`` and clientv3's stamping, then :meth:`prepare`.

        Returns a defaulted, validated copy that shares nested objects with ``resource`` (which is
        not changed): callers that hand it out or change it in place copy it first.
        ``for_apply``: apply's create attempt, which ignores the given resourceVersion.
        """
        meta = resource.metadata
        who = {"kind": resource.KIND, "name": meta.name, "operation": "create"}
        if meta.resource_version and not for_apply:
            raise ValidationError(
                [
                    ErroredField(
                        "metadata.resourceVersion", "field must not be set for a Create request", meta.resource_version
                    )
                ],
                resource=resource.label,
                **who,
            )
        if not meta.name:
            reason = "field must be set for a Create request"
            if meta.generate_name:
                reason += " (GenerateName is not supported)"
            raise ValidationError([ErroredField("metadata.name", reason, "")], resource=resource.label, **who)
        fresh = ObjectMeta.from_storage(
            {
                "name": meta.name,
                "namespace": default_namespace(info, meta.namespace),
                "labels": dict(meta.labels),
                "annotations": dict(meta.annotations),
                # clientv3's resources.Create stamps both before storing: in Kubernetes the
                # timestamp survives in the projectcalico.org/metadata annotation, while the
                # API server replaces the uid with its own.
                "creationTimestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "uid": str(uuid.uuid4()),
            }
        )
        # Copy-on-write: defaulting writes only what defaultable_copy copies, and nothing after it
        # changes the object or keeps it (the datastores store what they encode; a bulk dry run
        # hands out a deep copy), so the nested objects are shared with ``resource``.
        return self.prepare(defaultable_copy(resource, fresh))

    def check_create(self, prepared: R, batch: Batch | None = None) -> R:
        """Create's datastore checks for an object :meth:`prepare_create` returned; the object to
        store.  ``batch`` shares datastore answers between the writes of one bulk operation.
        Without a batch, the kind's create requirements (a policy's tier) are not read here:
        :meth:`create_prepared` has the backend's create check them."""
        return hooks_for(prepared.KIND).check_create(self, prepared, batch)

    def create_prepared(self, prepared: R, batch: Batch | None = None) -> R:
        """The datastore half of Create: :meth:`check_create`, then the backend's create (which
        checks the kind's requirements when no batch has read them)."""
        hooks = hooks_for(prepared.KIND)
        checked = hooks.check_create(self, prepared, batch)
        requires = hooks.create_requirements(checked) if batch is None else ()
        try:
            created = self.backend.create(checked, requires=requires) if requires else self.backend.create(checked)
        except RequirementMissing as missing:
            # libcalico-go's text for a missing tier, whichever backend noticed it.
            raise ResourceNotFound(kind=missing.kind, name=missing.name) from None
        return self.read(created)  # type: ignore[return-value]

    def check_update(self, new: R, old: Resource, batch: Batch | None = None) -> R:
        """Every check of Update of ``new`` (the caller's private object) over the stored ``old``;
        returns the object to store."""
        hooks = hooks_for(new.KIND)
        filled = self.prepare(hooks.before_update(self, new, old))
        hooks.check_update(self, filled, old, batch)
        return filled

    def update(self, new: R, old: Resource) -> R:
        """clientv3 Update: :meth:`check_update`, then a compare-and-swap on resourceVersion."""
        return self.read(self.backend.update(self.check_update(new, old)))  # type: ignore[return-value]

    def delete(self, kind: str, name: str, namespace: str, resource_version: str | None) -> Resource:
        check_name(kind, name)
        check_namespace(kind, namespace)
        return hooks_for(kind).delete(self, kind, name, namespace, resource_version)

    # -- EnsureInitialized ------------------------------------------------------------------------

    def ensure_initialized(self, calico_version: str = "", cluster_type: str = "") -> None:
        """clientv3's ``EnsureInitialized``; after it succeeds, writes no longer initialise first."""
        initialize.ensure_initialized(self.backend, calico_version, cluster_type, kdd=self.kdd)
        self.initialized = True

    def try_ensure_initialized(self) -> None:
        """calicoctl's ``tryEnsureInitialized`` before the first write, once: failures are only
        logged (a user may be allowed to write some kinds and not ClusterInformation)."""
        if self.initialized:
            return
        with self._init_lock:
            if self.initialized:
                return
            try:
                self.ensure_initialized()
            except CalicoError as exc:
                _log.info("Unable to initialize datastore: %s", exc)
            self.initialized = True

    def cluster_version(self) -> str | None:
        return initialize.cluster_version(self.backend)
