"""The REST verbs of the fake API server on its store: create (with ``generateName`` and the
CRD pipeline: pruning, defaulting, schema checks), get, update and patch (status subresources
kept apart), delete (preconditions, finalizers, a namespace takes its objects along),
deletecollection, list (selectors, paging, resource versions) and watch (streamed, with
bookmarks).  Store failures become the apiserver's Status bodies (:mod:`.status`).
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from calicopy._store import Store, clone_dict, parse_field_selector, parse_label_selector
from calicopy.errors import DatastoreError, InvalidRequest, ResourceExpired, ResourceNotFound

from . import schema as _schema
from .apitypes import ResourceType
from .httpserver import APIRequestHandler
from .jsonpatch import json_patch, merge_patch
from .status import ApiError, api_error, from_store_error, invalid, parse_body, status_object

__all__ = ["Query", "Verbs", "query_param", "truthy"]

#: A parsed query string (``urllib.parse.parse_qs``).
Query = Mapping[str, list[str]]

_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_GENERATE_CHARS = "bcdfghjklmnpqrstvwxz2456789"
_UNSUPPORTED_PATCH = (
    "the body of the request was in an unknown format - accepted media types include: "
    "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
)


def query_param(query: Query, key: str) -> str | None:
    values = query.get(key)
    return values[0] if values else None


def truthy(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "t", "yes")


class Verbs:
    """The verbs on ``store`` for the served ``resource_types``; a watch ends when ``stopping`` is set."""

    def __init__(
        self, store: Store, resource_types: Callable[[], list[ResourceType]], stopping: threading.Event
    ) -> None:
        self.store = store
        self._resource_types = resource_types
        self._stopping = stopping

    def get(self, rt: ResourceType, namespace: str, name: str) -> dict[str, Any]:
        try:
            return self.store.get(rt.qualified, name, namespace, copy=False)
        except DatastoreError as exc:
            raise from_store_error(exc, rt, name) from None

    def _prepare(self, rt: ResourceType, namespace: str, obj: Any, name: str) -> dict[str, Any]:
        """Type checks and the CRD pipeline shared by create and update."""
        if not isinstance(obj, dict):
            raise api_error(400, f"the object provided is unrecognized (must be of type {rt.kind})")
        api_version, kind = obj.get("apiVersion"), obj.get("kind")
        if rt.custom and not kind:
            raise api_error(400, f"Object 'Kind' is missing in '{json.dumps(obj, separators=(',', ':'))}'")
        if rt.custom and not api_version:
            raise api_error(400, f"Object 'apiVersion' is missing in '{json.dumps(obj, separators=(',', ':'))}'")
        if api_version and api_version != rt.api_version:
            raise api_error(
                400,
                f"the API version in the data ({api_version}) does not match the expected API version ({rt.api_version})",
            )
        if kind and kind != rt.kind:
            raise api_error(400, f"the kind in the data ({kind}) does not match the expected kind ({rt.kind})")
        obj["apiVersion"], obj["kind"] = rt.api_version, rt.kind
        meta = obj.get("metadata")
        if meta is None:
            meta = obj["metadata"] = {}
        if not isinstance(meta, dict):
            raise api_error(400, "metadata: expected an object")
        if rt.namespaced:
            if meta.get("namespace") and meta["namespace"] != namespace:
                raise api_error(
                    400, "the namespace of the provided object does not match the namespace sent on the request"
                )
            meta["namespace"] = namespace
        else:
            meta.pop("namespace", None)
        for key in ("selfLink", "managedFields"):
            meta.pop(key, None)
        if rt.custom and rt.schema is not None:
            processed, errors = _schema.process(rt.schema, obj)
            if errors:
                raise invalid(rt, name, errors)
            if isinstance(processed, dict):
                return processed
        return obj

    def _check_name(self, rt: ResourceType, name: str) -> None:
        if rt.plural == "namespaces" and not rt.group:
            if len(name) <= 63 and _DNS_LABEL.match(name):
                return
            detail = (
                f"Invalid value: {json.dumps(name)}: a lowercase RFC 1123 label must consist of lower case alphanumeric "
                "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
                f"'123-abc', regex used for validation is '{_DNS_LABEL.pattern.strip('^$')}')"
            )
        else:
            if len(name) <= 253 and _DNS_SUBDOMAIN.match(name):
                return
            detail = (
                f"Invalid value: {json.dumps(name)}: a lowercase RFC 1123 subdomain must consist of lower case "
                "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
                f"'example.com', regex used for validation is '{_DNS_SUBDOMAIN.pattern.strip('^$')}')"
            )
        raise invalid(rt, name, [_schema.FieldError("metadata.name", "FieldValueInvalid", detail)])

    def create(self, rt: ResourceType, namespace: str, obj: Any, *, dry_run: bool) -> dict[str, Any]:
        meta = obj.get("metadata") if isinstance(obj, dict) else None
        if isinstance(meta, dict) and not meta.get("name") and meta.get("generateName"):
            meta["name"] = meta["generateName"] + "".join(random.choice(_GENERATE_CHARS) for _ in range(5))
        name = meta.get("name", "") if isinstance(meta, dict) else ""
        obj = self._prepare(rt, namespace, obj, name)
        if not name:
            raise invalid(
                rt,
                name,
                [
                    _schema.FieldError(
                        "metadata.name", "FieldValueRequired", "Required value: name or generateName is required"
                    )
                ],
            )
        self._check_name(rt, name)
        if rt.namespaced:
            try:
                self.store.get("namespaces", namespace, copy=False)
            except ResourceNotFound:
                raise ApiError(
                    status_object(
                        404, "NotFound", f'namespaces "{namespace}" not found', name=namespace, kind="namespaces"
                    )
                ) from None
        if rt.plural == "namespaces" and not rt.group:
            obj.setdefault("spec", {"finalizers": ["kubernetes"]})
            obj["status"] = {"phase": "Active"}
        if rt.custom and rt.status_subresource:
            obj.pop("status", None)  # the main resource ignores status when the status subresource is enabled
        try:
            return self.store.create(rt.qualified, obj, copy=False, dry_run=dry_run)
        except DatastoreError as exc:
            raise from_store_error(exc, rt, name) from None

    def update(
        self, rt: ResourceType, namespace: str, name: str, obj: Any, *, status: bool, dry_run: bool
    ) -> dict[str, Any]:
        meta = obj.get("metadata") if isinstance(obj, dict) else None
        body_name = meta.get("name", "") if isinstance(meta, dict) else ""
        if body_name != name:
            raise api_error(400, f"the name of the object ({body_name}) does not match the name on the URL ({name})")
        obj = self._prepare(rt, namespace, obj, name)
        meta = obj["metadata"]
        if rt.custom and not meta.get("resourceVersion"):
            # Custom resources do not allow unconditional updates (customResourceStrategy.AllowUnconditionalUpdate).
            raise invalid(
                rt,
                name,
                [
                    _schema.FieldError(
                        "metadata.resourceVersion",
                        "FieldValueInvalid",
                        "Invalid value: 0x0: must be specified for an update",
                    )
                ],
            )
        ignores = ("metadata", "status") if rt.status_subresource or not rt.custom else ("metadata",)
        try:
            if not (status or rt.status_subresource or not rt.custom):
                return self.store.update(rt.qualified, obj, generation_ignores=ignores, copy=False, dry_run=dry_run)
            # Atomically keep the stored status (or, for /status, everything but status); the
            # resourceVersion of the body stays the precondition.
            return self.store.guaranteed_update(
                rt.qualified,
                name,
                namespace,
                lambda current: self._merge_subresource(rt, current, obj, status),
                generation_ignores=ignores,
                copy=False,
                dry_run=dry_run,
            )
        except DatastoreError as exc:
            raise from_store_error(exc, rt, name) from None

    @staticmethod
    def _merge_subresource(
        rt: ResourceType, current: dict[str, Any], new: dict[str, Any], status: bool
    ) -> dict[str, Any]:
        """Main resource writes keep the stored status; /status writes change only status."""
        if status:
            merged = clone_dict(current)
            if "status" in new:
                merged["status"] = new["status"]
            else:
                merged.pop("status", None)
            merged["metadata"]["resourceVersion"] = new["metadata"].get("resourceVersion", "")
            return merged
        merged = dict(new)
        if "status" in current:
            merged["status"] = current["status"]
        else:
            merged.pop("status", None)
        return merged

    def patch(
        self,
        rt: ResourceType,
        namespace: str,
        name: str,
        content_type: str,
        body: bytes,
        *,
        status: bool,
        dry_run: bool,
    ) -> dict[str, Any]:
        if content_type == "application/strategic-merge-patch+json" and not rt.custom:
            content_type = "application/merge-patch+json"  # approximation: lists are replaced, not merged by key
        if content_type not in ("application/merge-patch+json", "application/json-patch+json"):
            raise api_error(415, _UNSUPPORTED_PATCH, "UnsupportedMediaType")
        patch = parse_body(body)
        if content_type == "application/merge-patch+json" and not isinstance(patch, dict):
            raise api_error(
                400, f"json: cannot unmarshal {type(patch).__name__} into Go value of type map[string]interface {{}}"
            )
        ignores = ("metadata", "status") if rt.status_subresource or not rt.custom else ("metadata",)

        def mutate(current: dict[str, Any]) -> dict[str, Any]:
            if content_type == "application/json-patch+json":
                patched = json_patch(current, patch)
            else:
                patched = merge_patch(current, patch)
            if not isinstance(patched, dict):
                raise api_error(422, "the patched object is not an object", "Invalid")
            meta = patched.setdefault("metadata", {})
            if isinstance(meta, dict):
                meta["name"] = name
            prepared = self._prepare(rt, namespace, patched, name)
            if status or (rt.custom and rt.status_subresource):
                prepared = self._merge_subresource(rt, current, prepared, status)
            return prepared

        try:
            return self.store.guaranteed_update(
                rt.qualified, name, namespace, mutate, generation_ignores=ignores, copy=False, dry_run=dry_run
            )
        except DatastoreError as exc:
            raise from_store_error(exc, rt, name) from None

    def delete(self, rt: ResourceType, namespace: str, name: str, body: bytes, query: Query, *, dry_run: bool) -> Any:
        options = parse_body(body) if body.strip() else {}
        if not isinstance(options, dict):
            raise api_error(400, "DeleteOptions: expected an object")
        pre = options.get("preconditions") or {}
        dry_run = dry_run or options.get("dryRun") == ["All"]
        try:
            deleted = self.store.delete(
                rt.qualified,
                name,
                namespace,
                uid=pre.get("uid"),
                resource_version=pre.get("resourceVersion"),
                copy=False,
                dry_run=dry_run,
            )
        except DatastoreError as exc:
            raise from_store_error(exc, rt, name) from None
        if rt.plural == "namespaces" and not rt.group and not dry_run:
            for other in self._resource_types():
                if other.namespaced:
                    self.store.delete_collection(other.qualified, name)
        if rt.custom or rt.plural == "pods":
            return deleted
        return {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Success",
            "details": {"name": name, "group": rt.group, "kind": rt.plural, "uid": deleted["metadata"].get("uid", "")},
        }

    def delete_collection(self, rt: ResourceType, namespace: str | None, query: Query) -> dict[str, Any]:
        listed = self.list(rt, namespace, {k: v for k, v in query.items() if k in ("labelSelector", "fieldSelector")})
        items = []
        for item in listed["items"]:
            meta = item["metadata"]
            try:
                items.append(self.store.delete(rt.qualified, meta["name"], meta.get("namespace", ""), copy=False))
            except ResourceNotFound:
                continue
        return {
            "apiVersion": rt.api_version,
            "kind": rt.list_kind,
            "metadata": {"resourceVersion": str(self.store.revision)},
            "items": items,
        }

    def list(self, rt: ResourceType, namespace: str | None, query: Query) -> dict[str, Any]:
        limit_text = query_param(query, "limit")
        try:
            limit = max(int(limit_text), 0) if limit_text else 0
        except ValueError:
            raise api_error(400, f"invalid limit: {limit_text!r}") from None
        try:
            result = self.store.list(
                rt.qualified,
                namespace,
                label_selector=query_param(query, "labelSelector"),
                field_selector=query_param(query, "fieldSelector"),
                limit=limit,
                continue_=query_param(query, "continue"),
                resource_version=query_param(query, "resourceVersion"),
                resource_version_match=query_param(query, "resourceVersionMatch"),
                copy=False,
            )
        except DatastoreError as exc:
            raise from_store_error(exc, rt) from None
        meta: dict[str, Any] = {"resourceVersion": result.resource_version}
        if result.continue_:
            meta["continue"] = result.continue_
        if result.remaining_item_count is not None:
            meta["remainingItemCount"] = result.remaining_item_count
        items = result.items
        if not rt.custom:  # typed lists carry no TypeMeta on their items
            items = [{k: v for k, v in item.items() if k not in ("apiVersion", "kind")} for item in items]
        return {"apiVersion": rt.api_version, "kind": rt.list_kind, "metadata": meta, "items": items}

    def watch(
        self,
        rt: ResourceType,
        namespace: str | None,
        query: Query,
        handler: APIRequestHandler,
        end_after: int | None,
        bookmark_interval: float,
    ) -> None:
        timeout_text = query_param(query, "timeoutSeconds")
        try:
            timeout = float(timeout_text) if timeout_text else None
        except ValueError:
            raise api_error(400, f"invalid timeoutSeconds: {timeout_text!r}") from None
        bookmarks = truthy(query_param(query, "allowWatchBookmarks"))
        try:
            labels = parse_label_selector(query_param(query, "labelSelector"))
            fields = parse_field_selector(query_param(query, "fieldSelector"))
            watch = self.store.watch(
                rt.qualified,
                namespace,
                resource_version=query_param(query, "resourceVersion"),
                label_selector=labels,
                field_selector=fields,
            )
        except InvalidRequest as exc:
            raise from_store_error(exc, rt) from None
        deadline = None if timeout is None else time.monotonic() + timeout
        next_bookmark = time.monotonic() + bookmark_interval
        sent = 0
        handler.start_stream()
        try:
            while not self._stopping.is_set():
                if end_after is not None and sent >= end_after:
                    break
                now = time.monotonic()
                if deadline is not None and now >= deadline:
                    break
                wait = 0.2
                if deadline is not None:
                    wait = min(wait, deadline - now)
                if bookmarks:
                    wait = min(wait, max(next_bookmark - now, 0.0))
                try:
                    event = watch.next(timeout=wait)
                except ResourceExpired as exc:
                    error = from_store_error(exc, rt).status
                    handler.write_chunk(json.dumps({"type": "ERROR", "object": error}).encode() + b"\n")
                    break
                if event is not None:
                    handler.write_chunk(
                        json.dumps({"type": event.type, "object": event.object}, separators=(",", ":")).encode() + b"\n"
                    )
                    sent += 1
                elif bookmarks and time.monotonic() >= next_bookmark:
                    bookmark = {
                        "kind": rt.kind,
                        "apiVersion": rt.api_version,
                        "metadata": {"resourceVersion": watch.resource_version},
                    }
                    handler.write_chunk(json.dumps({"type": "BOOKMARK", "object": bookmark}).encode() + b"\n")
                    next_bookmark = time.monotonic() + bookmark_interval
            if not self._stopping.is_set():
                handler.end_stream()
        except OSError:
            handler.close_connection = True
        finally:
            watch.close()
        if self._stopping.is_set():
            handler.close_connection = True
