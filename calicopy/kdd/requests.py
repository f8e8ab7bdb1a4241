"""Kubernetes API requests and responses as data: building them, decoding them, mapping their errors.

Pure functions, no I/O (:mod:`calicopy.kdd.transport` sends what is built here), after
libcalico-go v3.32.1's ``libcalico-go/lib/backend/k8s``:

* :class:`Collection` and the request builders: REST paths (names quoted), list/watch query
  parameters, ``DeleteOptions`` with preconditions;
* :func:`decode_response` / :func:`decode_watch_line`: a response body, or the ``Status`` of a
  refusal as :class:`ApiError`;
* :func:`calico_error`: ``resources/errors.go`` ``K8sErrorToCalico``, into :mod:`calicopy.errors`;
* :func:`classify` and :func:`parse_retry_after`: what :class:`calicopy.retry.RetryPolicy` needs;
* :func:`holds_content`: whether a stored object holds what a write sent (used to reconcile a
  write whose answer was lost).
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import quote, urlencode

from ..backends.fastjson import loads
from ..errors import (
    ConnectionUnauthorized,
    DatastoreError,
    InvalidRequest,
    ResourceAlreadyExists,
    ResourceConflict,
    ResourceExpired,
    ResourceNotFound,
    resource_identifier,
)
from ..retry import Failure

__all__ = [
    "WATCH_REQUEST_SECONDS",
    "ApiError",
    "Collection",
    "ConnectionFailure",
    "Request",
    "Target",
    "already_exists",
    "calico_error",
    "classify",
    "collection_target",
    "create_request",
    "decode_response",
    "decode_watch_line",
    "delete_request",
    "get_request",
    "holds_content",
    "is_expired",
    "is_not_found",
    "list_request",
    "metadata_of",
    "not_served",
    "parse_retry_after",
    "resource_target",
    "update_request",
    "watch_request",
]

JSONDict = dict[str, Any]

#: Longest single watch request (the watcher re-opens the stream after it ends).
WATCH_REQUEST_SECONDS = 300


# -- where objects live ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Collection:
    """One Kubernetes collection: ``/apis/crd.projectcalico.org/v1/ippools``, ``/api/v1/pods``..."""

    prefix: str  # "/apis/crd.projectcalico.org/v1", "/api/v1", ...
    plural: str
    namespaced: bool
    api_version: str  # filled into list items, which carry no TypeMeta
    kind: str

    @property
    def qualified(self) -> str:
        """``ippools.crd.projectcalico.org``, ``pods`` (as the server names it in messages)."""
        group = self.api_version.rpartition("/")[0]
        return f"{self.plural}.{group}" if group else self.plural

    def path(self, namespace: str | None) -> str:
        if self.namespaced and namespace:
            return f"{self.prefix}/namespaces/{quote(namespace, safe='')}/{self.plural}"
        return f"{self.prefix}/{self.plural}"

    def item_path(self, name: str, namespace: str | None) -> str:
        return f"{self.path(namespace)}/{quote(name, safe='')}"

    def with_type(self, obj: Mapping[str, Any]) -> JSONDict:
        """``obj`` with ``apiVersion``/``kind`` filled in where missing (list items lack them)."""
        return self.fill_type(dict(obj))

    def fill_type(self, obj: JSONDict) -> JSONDict:
        """:meth:`with_type` in place, for an object the caller owns (a list item just decoded)."""
        obj.setdefault("apiVersion", self.api_version)
        obj.setdefault("kind", self.kind)
        return obj


# -- requests --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Request:
    """One HTTP request.  ``verb`` is what the retry policy decides by (``GET``, ``LIST``, ``WATCH``,
    ``CREATE``, ``UPDATE``, ``DELETE``); ``preconditions`` marks a delete that is safe to repeat."""

    verb: str
    method: str
    path: str
    query: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    body: Any = None
    preconditions: bool = False

    @property
    def target(self) -> str:
        """Path and query string, as sent (and logged: it never holds a credential)."""
        return self.path + ("?" + urlencode(self.query) if self.query else "")

    def encoded_body(self) -> bytes | None:
        return None if self.body is None else json.dumps(self.body, separators=(",", ":")).encode()


def get_request(collection: Collection, name: str, namespace: str | None) -> Request:
    return Request("GET", "GET", collection.item_path(name, namespace))


def create_request(collection: Collection, namespace: str | None, body: Mapping[str, Any]) -> Request:
    return Request("CREATE", "POST", collection.path(namespace), body=body)


def update_request(collection: Collection, name: str, namespace: str | None, body: Mapping[str, Any]) -> Request:
    """A PUT; the body's ``metadata.resourceVersion`` makes it conditional."""
    return Request("UPDATE", "PUT", collection.item_path(name, namespace), body=body)


def delete_request(
    collection: Collection, name: str, namespace: str | None, *, uid: str = "", resource_version: str = ""
) -> Request:
    """A DELETE with ``DeleteOptions.preconditions`` (uid and/or resourceVersion, when given)."""
    preconditions: JSONDict = {}
    if uid:
        preconditions["uid"] = uid
    if resource_version:
        preconditions["resourceVersion"] = resource_version
    options = {"apiVersion": "v1", "kind": "DeleteOptions", "preconditions": preconditions}
    return Request(
        "DELETE", "DELETE", collection.item_path(name, namespace), body=options, preconditions=bool(preconditions)
    )


def list_request(
    collection: Collection,
    namespace: str | None,
    *,
    label_selector: str | None = None,
    limit: int | None = None,
    continue_token: str = "",
    resource_version: str = "",
) -> Request:
    """One page (``limit`` + ``continue``), or the whole list when ``limit`` is None;
    ``resource_version``: the list exactly at that version."""
    query: dict[str, str] = {}
    if label_selector:
        query["labelSelector"] = label_selector
    if limit is not None:
        query["limit"] = str(limit)
    if continue_token:
        query["continue"] = continue_token
    if resource_version:
        query["resourceVersion"] = resource_version
        query["resourceVersionMatch"] = "Exact"
    return Request("LIST", "GET", collection.path(namespace), query)


def watch_request(
    collection: Collection,
    namespace: str | None,
    *,
    resource_version: str,
    seconds: int,
    label_selector: str | None = None,
) -> Request:
    """A watch with bookmarks, from ``resource_version`` ("" means "from now"), at most ``seconds`` long."""
    query = {"watch": "true", "allowWatchBookmarks": "true", "timeoutSeconds": str(seconds)}
    if resource_version:
        query["resourceVersion"] = resource_version
    if label_selector:
        query["labelSelector"] = label_selector
    return Request("WATCH", "GET", collection.path(namespace), query)


# -- responses -------------------------------------------------------------------------------------


class ApiError(Exception):
    """A response with an error status; ``status`` is its ``Status`` body (or a stand-in built from
    the status code and text when the server sent none)."""

    def __init__(self, code: int, status: Mapping[str, Any], retry_after: float | None = None) -> None:
        self.code = code
        self.status = dict(status)
        self.reason = str(status.get("reason") or "")
        self.message = str(
            status.get("message")
            or f"the server responded with the status code {code} but did not return more information"
        )
        self.retry_after = retry_after
        super().__init__(self.message)

    def causes(self) -> list[dict[str, str]]:
        """``details.causes`` as ``{"field", "reason", "message"}`` dicts (keys the server sent)."""
        details = self.status.get("details")
        raw = details.get("causes") if isinstance(details, Mapping) else None
        out: list[dict[str, str]] = []
        for cause in raw if isinstance(raw, list) else []:
            if not isinstance(cause, Mapping):
                continue
            # metav1.StatusCause's Type is "reason" in JSON; "type" is accepted from hand-made bodies.
            values = {"field": cause.get("field"), "reason": cause.get("reason") or cause.get("type")}
            values["message"] = cause.get("message")
            out.append({key: str(value) for key, value in values.items() if value is not None})
        return out


class ConnectionFailure(Exception):
    """No (complete) response arrived; ``retryable`` is False for TLS failures (retrying cannot help)."""

    def __init__(self, method: str, url: str, cause: BaseException | str, *, retryable: bool = True) -> None:
        self.retryable = retryable
        # Go's url.Error text: Get "https://host/path": <cause>
        super().__init__(f'{method.title()} "{url}": {cause}')


def decode_response(status: int, payload: bytes, retry_after: str | None = None) -> JSONDict:
    """The JSON object of a successful response; :class:`ApiError` for a status of 400 or more.

    Raises :class:`ValueError` when a successful response is not a JSON object.
    """
    decoded: Any
    try:
        decoded = loads(payload) if payload else {}
    except ValueError:
        decoded = None
    if status >= 400:
        if not isinstance(decoded, Mapping) or decoded.get("kind") != "Status":
            text = payload.decode("utf-8", "replace").strip()
            decoded = {"code": status, "message": text} if text else {"code": status}
        raise ApiError(status, decoded, parse_retry_after(retry_after))
    if not isinstance(decoded, dict):
        raise ValueError("response is not a JSON object")
    return decoded


def decode_watch_line(line: bytes) -> tuple[str, Mapping[str, Any]] | None:
    """One watch event line as (type, object); None when the line is not JSON."""
    try:
        event = loads(line)
    except ValueError:
        return None
    if not isinstance(event, Mapping):
        return None
    obj = event.get("object")
    return str(event.get("type", "")), obj if isinstance(obj, Mapping) else {}


def metadata_of(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = obj.get("metadata")
    return meta if isinstance(meta, Mapping) else {}


def parse_retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """``Retry-After`` as seconds: a number, or an HTTP date (relative to ``now()``)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now())


def classify(exc: BaseException) -> Failure | None:
    """What :class:`calicopy.retry.RetryPolicy` needs to know about a failure (None: not a transport failure)."""
    if isinstance(exc, ApiError):
        return Failure(exc.code, exc.retry_after)
    if isinstance(exc, ConnectionFailure) and exc.retryable:
        return Failure(None)
    return None


def already_exists(collection: Collection, name: str) -> ApiError:
    """The AlreadyExists refusal an API server gives for ``name`` (apimachinery's ``NewAlreadyExists``)."""
    return ApiError(409, {"reason": "AlreadyExists", "message": f'{collection.qualified} "{name}" already exists'})


# -- error mapping (resources/errors.go K8sErrorToCalico) ------------------------------------------

# apimachinery's StatusReason values: a reason outside them makes IsNotFound & co fall back to the code.
_KNOWN_REASONS = frozenset(
    {
        "Unauthorized",
        "Forbidden",
        "NotFound",
        "AlreadyExists",
        "Conflict",
        "Gone",
        "Invalid",
        "ServerTimeout",
        "Timeout",
        "TooManyRequests",
        "BadRequest",
        "MethodNotAllowed",
        "NotAcceptable",
        "RequestEntityTooLarge",
        "UnsupportedMediaType",
        "InternalError",
        "Expired",
        "ServiceUnavailable",
    }
)


def _is(exc: ApiError, reason: str, code: int) -> bool:
    # apimachinery's IsNotFound/IsConflict/...: the reason, or the code when the reason is unknown.
    return exc.reason == reason or (exc.reason not in _KNOWN_REASONS and exc.code == code)


def is_not_found(exc: ApiError) -> bool:
    return _is(exc, "NotFound", 404)


def is_expired(exc: ApiError) -> bool:
    """410 Gone / Expired: a resourceVersion or continue token older than the history the server keeps."""
    return exc.code == 410 or exc.reason in ("Expired", "Gone")


@dataclass(frozen=True, slots=True)
class Target:
    """The object a request is about, for the error it may turn into."""

    kind: str | None = None
    name: str | None = None
    namespace: str | None = None
    identifier: str | None = None  # overrides the Kind(namespace/name) form

    def fields(self) -> dict[str, Any]:
        """Keyword arguments of a :mod:`calicopy.errors` error."""
        return {"kind": self.kind, "name": self.name, "namespace": self.namespace, "identifier": self.identifier}

    @property
    def text(self) -> str:
        return (
            self.identifier
            if self.identifier is not None
            else resource_identifier(self.kind, self.name, self.namespace)
        )


def resource_target(kind: str, name: str, namespace: str | None, namespaced: bool) -> Target:
    """The object as libcalico-go's ``ResourceKey.String()`` names it: ``Kind(name)``, or
    ``Kind(namespace/name)`` for every namespaced kind (with the slash even when the namespace
    is empty, where :func:`calicopy.errors.resource_identifier` would leave it out)."""
    if not namespaced:
        return Target(kind, name)
    if namespace:
        return Target(kind, name, namespace)
    return Target(kind, name, identifier=f"{kind}(/{name})")


def collection_target(kind: str, namespace: str | None) -> Target:
    """A list or watch of ``kind``: libcalico-go's errors name no object (``resource``)."""
    return Target(kind, namespace=namespace or None, identifier="resource")


def calico_error(exc: ApiError | ConnectionFailure, target: Target) -> DatastoreError:
    """The calicopy error for a failed request about ``target`` (libcalico-go's ``K8sErrorToCalico``).

    The error keeps what the server said:
    ``code``, ``reason``, ``server_message`` and ``causes`` (``None``/empty when no answer came).
    """
    about = target.fields()
    if isinstance(exc, ConnectionFailure):
        text = str(exc)
        return DatastoreError(cause=text, server_message=text, **about)
    message = exc.message
    server: dict[str, Any] = {"code": exc.code, "reason": exc.reason, "server_message": message, "causes": exc.causes()}
    if exc.reason == "AlreadyExists":  # IsAlreadyExists has no fallback on the code
        return ResourceAlreadyExists(cause=message, **server, **about)
    if is_not_found(exc):
        return ResourceNotFound(cause=message, **server, **about)
    if _is(exc, "Forbidden", 403) or _is(exc, "Unauthorized", 401):
        return ConnectionUnauthorized(cause=message, **server, **about)
    if _is(exc, "Conflict", 409):
        # libcalico-go matches the API server's precondition text to tell a re-created object
        # (different UID: "does not exist") from a stale resourceVersion.
        if "UID in precondition" in message:
            return ResourceNotFound(cause=message, precondition="uid", **server, **about)
        return ResourceConflict(cause=message, **server, **about)
    if is_expired(exc):
        return ResourceExpired(cause=message, **server, **about)
    # A patch against a re-created object (uid) or a changed one (resourceVersion) names the field.
    fields = {(c.get("field"), c.get("reason")) for c in server["causes"]}
    invalid = {f for f, reason in fields if reason == "FieldValueInvalid"}
    if len(fields) == 1 and invalid == {"metadata.uid"}:
        return ResourceNotFound(cause=message, precondition="uid", **server, **about)
    if len(fields) == 1 and invalid == {"metadata.resourceVersion"}:
        return ResourceConflict(cause=message, precondition="resourceVersion", **server, **about)
    if exc.code in (400, 422):
        return InvalidRequest(cause=message, **server, **about)
    return DatastoreError(cause=message, **server, **about)


def not_served(exc: ApiError, target: Target, collection: Collection) -> DatastoreError:
    """A 404 from a group-version the server does not serve at all (not "does not exist": the
    Calico API group in use is wrong, or Calico is not installed)."""
    return DatastoreError(
        cause=f"the API server does not serve {collection.api_version}: {exc.message}",
        hint="check calicoAPIGroup (empty: discovered) and that Calico's CRDs are installed",
        code=exc.code,
        reason=exc.reason,
        server_message=exc.message,
        causes=exc.causes(),
        **target.fields(),
    )


# -- reconciling a write whose answer was lost -----------------------------------------------------

# Metadata the server sets or changes; left out when checking whether a stored object is "ours".
_VOLATILE_META = ("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink")


def _contains(have: Any, want: Any) -> bool:
    """Whether ``have`` holds everything in ``want`` (the server may add defaults, never remove ours)."""
    if isinstance(want, Mapping):
        return isinstance(have, Mapping) and all(
            v is None or (k in have and _contains(have[k], v)) for k, v in want.items()
        )
    return bool(have == want)


def holds_content(stored: Mapping[str, Any], sent: Mapping[str, Any]) -> bool:
    """Whether ``stored`` holds every field of the body ``sent``, apart from the metadata the server
    sets (uid, resourceVersion, creationTimestamp...)."""
    meta = sent.get("metadata")
    if isinstance(meta, Mapping):
        sent = {**sent, "metadata": {k: v for k, v in meta.items() if k not in _VOLATILE_META}}
    return _contains(stored, sent)
