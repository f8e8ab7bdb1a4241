"""``EtcdBackend``: libcalico-go v3.32.1's etcdv3 datastore behind :class:`calicopy.backends.base.Backend`.

``libcalico-go/lib/backend/etcdv3/etcdv3.go`` in calicopy's terms (v3 models in and out):

* resourceVersion is the key's ``mod_revision``; a list's is the response header revision;
* create is a transaction ``If(version(key) == 0) Then(Put)`` (each of its ``requires``,
  a policy's tier, one more compare ``create_revision(key) > 0``); update
  ``If(mod_revision(key) == rv) Then(Put)`` (missing -> not found, else conflict);
  delete ``[If(mod_revision(key) == rv)] Then(Delete, prev_kv)`` and returns the previous value.
  libcalico-go's ``Else(Get)`` is read only when a compare failed, at that transaction's
  revision (:meth:`EtcdBackend._seen_at`);
* a list is a prefix range, read in pages of ``page_size`` at the revision of the first page
  (libcalico-go reads it in one range); label selectors apply on the client, as there;
* the static profile ``projectcalico-default-allow`` (``lib/resources/static.go``, revision
  "1") is returned by a Get and ends every Profile list, with no key in etcd;
* errors read as libcalico-go's: ``resource does not exist: IPPool(p) with error: <nil>``,
  ``resource already exists: ...``, ``update conflict: IPPool(p)``.

Keys and values: :mod:`.keys`, :mod:`.values`, :mod:`.ipam` (pure); I/O: :mod:`.transport`;
watches: :mod:`.watcher`.  ``docs/etcd.md`` describes the behaviour in full.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from typing import Any

from ..backends.base import ListResult, RequirementMissing, Requirements, WatchEvent
from ..backends.gcpause import gc_paused
from ..config import CalicoAPIConfig
from ..errors import (
    ConnectionUnauthorized,
    DatastoreError,
    ErroredField,
    LabelSelectorError,
    OperationNotSupported,
    ResourceAlreadyExists,
    ResourceConflict,
    ResourceExpired,
    ResourceNotFound,
    SelectorError,
    ValidationError,
)
from ..labelselector import LabelSelector, parse_label_selector
from ..resources.meta import Resource
from ..resources.static import DEFAULT_ALLOW_PROFILE, default_allow_profile
from .codecs import Codec, codec_for
from .connection import EtcdConnection, etcd_connection
from .discovery import resolve_endpoints
from .transport import (
    GRPC_OUT_OF_RANGE,
    GRPC_PERMISSION_DENIED,
    GRPC_UNAUTHENTICATED,
    KV,
    EtcdError,
    EtcdTransport,
    EtcdUnavailable,
    b64,
    unb64,
)
from .watcher import Watcher

__all__ = ["DEFAULT_ALLOW_PROFILE", "DEFAULT_PAGE_SIZE", "EtcdBackend", "datastore_error"]

_log = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 500


def datastore_error(exc: EtcdError | EtcdUnavailable, **about: Any) -> DatastoreError:
    """A transport failure as calicopy's error (``ErrorDatastoreError`` wraps etcd's own text)."""
    if isinstance(exc, EtcdUnavailable):
        return DatastoreError(cause=str(exc), **about)
    if exc.code == GRPC_OUT_OF_RANGE:
        return ResourceExpired(cause=exc.message, code=exc.status, server_message=exc.message, **about)
    if exc.code in (GRPC_UNAUTHENTICATED, GRPC_PERMISSION_DENIED):
        return ConnectionUnauthorized(cause=exc.message, code=exc.status, server_message=exc.message, **about)
    return DatastoreError(cause=exc.message, code=exc.status, server_message=exc.message, **about)


def _revision(rv: str, label: str | None) -> int:
    """``parseRevision``: a decimal int64, else ErrorValidation on ``ResourceVersion``."""
    try:
        return int(rv, 10)
    except ValueError:
        raise ValidationError([ErroredField("ResourceVersion", "", rv)], resource=label) from None


def _required_key(kind: str, name: str) -> str:
    keys = codec_for(kind).keys_for_name(name, None)
    if len(keys) != 1:
        raise ValueError(f"a create cannot require a {kind}: it has no single key")
    return keys[0]


def _first_kv(response: dict[str, Any]) -> KV | None:
    """The first key of a txn's single range/delete answer (its ``prev_kvs`` for a delete)."""
    for answer in response.get("responses", ()):
        body = answer.get("response_range") or answer.get("response_delete_range") or {}
        kvs = body.get("kvs") or body.get("prev_kvs") or ()
        if kvs:
            return KV.from_json(kvs[0])
    return None


class EtcdBackend:
    """The etcdv3 datastore (see the module docstring and ``docs/etcd.md``)."""

    def __init__(
        self,
        transport: EtcdTransport,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self.transport = transport
        self.page_size = page_size
        self._sleep = sleep
        self._clock = clock

    @classmethod
    def from_config(cls, config: CalicoAPIConfig, *, verify: bool = True, **kwargs: Any) -> EtcdBackend:
        """calicoctl's etcd connection for ``config`` (``datastoreType: etcdv3``).

        ``verify=False`` turns off the server certificate check (calicoctl cannot); other keyword
        arguments go to :class:`EtcdBackend`.
        """
        return cls.from_connection(etcd_connection(config, verify=verify), **kwargs)

    @classmethod
    def from_connection(cls, connection: EtcdConnection, **kwargs: Any) -> EtcdBackend:
        """A backend on ``connection`` (SRV discovery resolved now, as libcalico-go does it at start)."""
        return cls(EtcdTransport(resolve_endpoints(connection)), **kwargs)

    def __repr__(self) -> str:
        return f"EtcdBackend(endpoints={list(self.transport.connection.endpoints)!r})"

    # -- helpers --------------------------------------------------------------------------------

    def _call(self, about: dict[str, Any], fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        try:
            return fn()
        except (EtcdError, EtcdUnavailable) as exc:
            raise datastore_error(exc, **about) from None

    def _prepared(self, codec: Codec, resource: Resource) -> Resource:
        """What a create stores: ``uid`` and ``creationTimestamp`` filled in where empty (v3 keys only)."""
        meta = resource.metadata
        if not codec.has_metadata or (meta.uid and meta.creation_timestamp):
            return resource
        copy = resource.model_copy(deep=True)
        copy.metadata.uid = meta.uid or str(uuid.uuid4())
        copy.metadata.creation_timestamp = meta.creation_timestamp or self._clock().strftime("%Y-%m-%dT%H:%M:%SZ")
        return copy

    def _seen_at(self, about: dict[str, Any], revision: int, reads: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The answers of the range requests ``reads`` at ``revision``: why a write's compares failed.

        libcalico-go puts these reads in the transaction's Else branch.  etcd's gateway parses
        every branch of every write (measured: ~0.1 ms a create), and the reason is only needed
        when a write fails, so they are read afterwards at the failed transaction's revision,
        which is the state its compares were judged on.  Compacted since (seconds later at the
        very least): read the current state instead.
        """
        try:
            response = self._call(
                about, lambda: self.transport.txn([], [{"request_range": {**r, "revision": revision}} for r in reads])
            )
        except ResourceExpired:
            response = self._call(about, lambda: self.transport.txn([], [{"request_range": r} for r in reads]))
        return [answer.get("response_range") or {} for answer in response.get("responses", ())]

    def _written(self, codec: Codec, key: str, value: str, revision: int) -> Resource:
        resource = codec.decode(key, value.encode(), revision)
        assert resource is not None, key
        return resource

    # -- Backend protocol -------------------------------------------------------------------------

    def create(self, resource: Resource, *, requires: Requirements = ()) -> Resource:
        """The create transaction; each of ``requires`` is one more compare in it (its key's
        ``create_revision`` > 0, i.e. it exists), so the check and the write are one round trip."""
        codec = codec_for(resource.KIND)
        meta = resource.metadata
        about: dict[str, Any] = {"kind": codec.info.kind, "name": meta.name, "namespace": meta.namespace or None}
        if meta.resource_version:
            raise ValidationError(
                [
                    ErroredField(
                        "metadata.resourceVersion", "field must not be set for a Create request", meta.resource_version
                    )
                ],
                resource=resource.label,
            )
        if not meta.name:
            raise ValidationError([ErroredField("metadata.name", "name is required", "")], resource=resource.label)
        if codec.info.kind == "Profile" and meta.name == DEFAULT_ALLOW_PROFILE:
            raise ResourceAlreadyExists(
                identifier=DEFAULT_ALLOW_PROFILE,
                cause=f'{DEFAULT_ALLOW_PROFILE} already exists. The profile "{DEFAULT_ALLOW_PROFILE}" is default '
                "provided by Calico",
                **about,
            )
        resource = self._prepared(codec, resource)
        key, value = codec.key_of(resource), codec.encode(resource)
        required = [(kind, name, _required_key(kind, name)) for kind, name in requires]
        compare: list[dict[str, Any]] = [{"key": b64(key), "target": "VERSION", "result": "EQUAL", "version": 0}]
        compare += [
            {"key": b64(k), "target": "CREATE", "result": "GREATER", "create_revision": 0} for _, _, k in required
        ]
        response = self._call(
            about, lambda: self.transport.txn(compare, [{"request_put": {"key": b64(key), "value": b64(value)}}])
        )
        if not response.get("succeeded"):
            if not required:  # the key's own compare is the only one that can have failed
                raise ResourceAlreadyExists(**about)
            # Which requirement failed, read at the revision the compares were judged at (a
            # missing one wins over an existing object, as reading the requirements first would).
            seen = self._seen_at(
                about,
                int(response["header"]["revision"]),
                [{"key": b64(k), "count_only": True} for _, _, k in required],
            )
            for (kind, name, _), answer in zip(required, seen, strict=False):
                if not int(answer.get("count", 0) or 0):
                    raise RequirementMissing(kind=kind, name=name)
            raise ResourceAlreadyExists(**about)
        return self._written(codec, key, value, int(response["header"]["revision"]))

    def update(self, resource: Resource) -> Resource:
        codec = codec_for(resource.KIND)
        meta = resource.metadata
        about: dict[str, Any] = {"kind": codec.info.kind, "name": meta.name, "namespace": meta.namespace or None}
        if not meta.resource_version:
            raise ValidationError(
                [ErroredField("metadata.resourceVersion", "field must be set for an Update request", "")],
                resource=resource.label,
            )
        if codec.info.kind == "Profile" and meta.name == DEFAULT_ALLOW_PROFILE:
            raise OperationNotSupported(
                operation="Update",
                identifier=DEFAULT_ALLOW_PROFILE,
                detail=f'The profile "{DEFAULT_ALLOW_PROFILE}" is a default provided by Calico and cannot be updated',
                **about,
            )
        revision = _revision(meta.resource_version, resource.label)
        key, value = codec.key_of(resource), codec.encode(resource)
        response = self._call(
            about,
            lambda: self.transport.txn(
                [{"key": b64(key), "target": "MOD", "result": "EQUAL", "mod_revision": revision}],
                [{"request_put": {"key": b64(key), "value": b64(value)}}],
            ),
        )
        if not response.get("succeeded"):
            seen = self._seen_at(about, int(response["header"]["revision"]), [{"key": b64(key), "count_only": True}])
            if not int(seen[0].get("count", 0) or 0):
                raise ResourceNotFound(**about)
            raise ResourceConflict(**about)
        return self._written(codec, key, value, int(response["header"]["revision"]))

    def _find(self, codec: Codec, name: str, namespace: str | None, about: dict[str, Any]) -> KV | None:
        """The stored key for ``name`` (several candidate keys are read in one transaction)."""
        keys = codec.keys_for_name(name, namespace)
        if not keys:
            if codec.searchable_by_list:
                for item, kv in self._list_kvs(codec, None, about)[0]:
                    if item.metadata.name == name:
                        return kv
            return None
        if len(keys) == 1:
            kvs = self._call(about, lambda: self.transport.range(keys[0])).get("kvs") or ()
            return KV.from_json(kvs[0]) if kvs else None
        response = self._call(about, lambda: self.transport.txn([], [{"request_range": {"key": b64(k)}} for k in keys]))
        return _first_kv(response)

    def get(self, kind: str, name: str, namespace: str | None = None) -> Resource:
        codec = codec_for(kind)
        ns = namespace if codec.info.namespaced else None
        about: dict[str, Any] = {"kind": codec.info.kind, "name": name, "namespace": ns or None}
        if codec.info.kind == "Profile" and name == DEFAULT_ALLOW_PROFILE:
            return default_allow_profile()
        kv = self._find(codec, name, ns, about)
        resource = None if kv is None else codec.decode(kv.key, kv.value, kv.mod_revision)
        if resource is None:
            raise ResourceNotFound(**about)
        return resource

    def _list_kvs(
        self, codec: Codec, namespace: str | None, about: dict[str, Any]
    ) -> tuple[list[tuple[Resource, KV]], int]:
        """Every (resource, kv) of the kind's ranges at one revision, read in pages."""
        while True:
            try:
                return self._list_at_one_revision(codec, namespace, about)
            except ResourceExpired:
                _log.debug("etcd list of %s: revision compacted between pages, listing again", codec.info.kind)

    def _list_at_one_revision(
        self, codec: Codec, namespace: str | None, about: dict[str, Any], revision: int = 0
    ) -> tuple[list[tuple[Resource, KV]], int]:
        """One list (at ``revision``, or the current one); the next page is fetched while this one
        is decoded (etcd works meanwhile)."""
        items: list[tuple[Resource, KV]] = []
        with gc_paused(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="calicopy-etcd-list") as prefetch:
            for start, end in codec.ranges(namespace):
                response = self._call(
                    about, partial(self.transport.range, start, end, revision=revision, limit=self.page_size)
                )
                revision = revision or int(response["header"]["revision"])
                while True:
                    raw_kvs = response.get("kvs") or ()
                    upcoming: Future[dict[str, Any]] | None = None
                    if response.get("more") and raw_kvs:
                        after = unb64(raw_kvs[-1]["key"]) + b"\0"
                        upcoming = prefetch.submit(
                            self._call,
                            about,
                            partial(self.transport.range, after, end, revision=revision, limit=self.page_size),
                        )
                    for raw in raw_kvs:
                        kv = KV.from_json(raw)
                        resource = codec.decode_listed(kv.key, kv.value, kv.mod_revision)
                        if resource is not None:
                            items.append((resource, kv))
                    if upcoming is None:
                        break
                    response = upcoming.result()
        if not revision:
            revision = int(self._call(about, lambda: self.transport.range("\0", keys_only=True))["header"]["revision"])
        return items, revision

    def list(self, kind: str, namespace: str | None = None, *, label_selector: str | None = None) -> ListResult:
        codec = codec_for(kind)
        ns = namespace if codec.info.namespaced and namespace else None
        selector = self._selector(label_selector)
        about: dict[str, Any] = {"kind": codec.info.kind, "namespace": ns}
        pairs, revision = self._list_kvs(codec, ns, about)
        items = [resource for resource, _ in pairs]
        if codec.info.kind == "Profile":
            items.append(default_allow_profile())
        if not selector.empty:
            items = [r for r in items if selector.matches(r.metadata.labels)]
        return ListResult(items, str(revision))

    @staticmethod
    def _selector(label_selector: str | None) -> LabelSelector:
        try:
            return parse_label_selector(label_selector)
        except LabelSelectorError as exc:
            raise SelectorError(label_selector or "", str(exc)) from None

    def delete(
        self,
        kind: str,
        name: str,
        namespace: str | None = None,
        *,
        uid: str | None = None,
        resource_version: str | None = None,
    ) -> Resource:
        codec = codec_for(kind)
        ns = namespace if codec.info.namespaced else None
        about: dict[str, Any] = {"kind": codec.info.kind, "name": name, "namespace": ns or None}
        if codec.info.kind == "Profile" and name == DEFAULT_ALLOW_PROFILE:
            raise OperationNotSupported(
                operation="Delete",
                identifier=DEFAULT_ALLOW_PROFILE,
                detail=f'The profile "{DEFAULT_ALLOW_PROFILE}" is a default provided by Calico and cannot be deleted',
                **about,
            )
        revision = _revision(resource_version, None) if resource_version else 0
        keys = codec.keys_for_name(name, ns)
        if uid or len(keys) != 1:
            # A uid precondition (or a name that maps to several candidate keys) needs a read first.
            kv = self._find(codec, name, ns, about)
            current = None if kv is None else codec.decode(kv.key, kv.value, kv.mod_revision)
            if kv is None or current is None:
                raise ResourceNotFound(**about)
            if uid and current.metadata.uid != uid:
                raise ResourceNotFound(precondition="uid", **about)
            keys, revision = [kv.key], revision or kv.mod_revision
        key = keys[0]
        compare = [{"key": b64(key), "target": "MOD", "result": "EQUAL", "mod_revision": revision}] if revision else []
        response = self._call(
            about,
            lambda: self.transport.txn(compare, [{"request_delete_range": {"key": b64(key), "prev_kv": True}}]),
        )
        if not response.get("succeeded"):
            seen = self._seen_at(about, int(response["header"]["revision"]), [{"key": b64(key), "count_only": True}])
            if not int(seen[0].get("count", 0) or 0):
                raise ResourceNotFound(**about)
            raise ResourceConflict(precondition="resourceVersion", **about)
        previous = _first_kv(response)
        if previous is None:
            raise ResourceNotFound(**about)
        deleted = codec.decode_listed(previous.key, previous.value, previous.mod_revision)
        if deleted is None:
            raise ResourceNotFound(**about)
        return deleted

    def watch(
        self,
        kind: str,
        namespace: str | None = None,
        *,
        resource_version: str = "",
        label_selector: str | None = None,
        timeout: float | None = None,
        known: Iterable[Resource] | None = None,
    ) -> Iterator[WatchEvent]:
        """Events from ``resource_version`` on (empty: ADDED for every current object first), with
        the contract of :meth:`calicopy.backends.base.Backend.watch`: from a revision, the consumer
        holds ``known`` (by default the list at that revision, read now); a compacted revision (at
        the start or during the watch) or a dropped connection is not an error: the watch lists
        again and yields what changed, DELETED included (see :mod:`calicopy.etcd.watcher`).

        ``timeout``: stop once no event arrived for that many seconds (``None``: never).
        """
        codec = codec_for(kind)
        ns = namespace if codec.info.namespaced and namespace else None
        selector = self._selector(label_selector)
        start = _revision(resource_version, None) if resource_version not in ("", "0") else 0
        about: dict[str, Any] = {"kind": codec.info.kind, "namespace": ns}

        def relist() -> tuple[list[Resource], int]:
            pairs, revision = self._list_kvs(codec, ns, about)
            return [resource for resource, _ in pairs], revision

        held: Iterable[Resource] = ()
        if start and known is not None:
            held = known
        elif start:
            try:
                held = [resource for resource, _ in self._list_at_one_revision(codec, ns, about, start)[0]]
            except ResourceExpired:
                _log.warning(
                    "watch %s from revision %s: that revision is compacted, so objects deleted before the "
                    "next re-list cannot be reported (pass known= with the objects held)",
                    codec.info.kind,
                    start,
                )
        watcher = Watcher(self.transport, codec, ns, relist=relist, selector=selector, sleep=self._sleep, held=held)
        return watcher.events(start, timeout)

    def close(self) -> None:
        self.transport.close()
