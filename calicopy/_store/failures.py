"""The store's failures: classes of :mod:`calicopy.errors`, worded as the Kubernetes API server
words them (the store stands in for etcd behind an apiserver).

Each carries the Kubernetes ``Status`` it stands for (``code``, ``reason``, ``causes``), the
server's text (``server_message``, also ``str()``), and what it is about (``resource``, the
store's resource name; ``name``; ``namespace``).  A failed precondition says which one in
``precondition``, so callers never read the text: the fake API server builds its Status bodies
from these attributes, and the memory backend re-targets them to libcalico-go's wording with
``err.for_resource(kind, name, namespace)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..errors import (
    DatastoreError,
    InvalidRequest,
    ResourceAlreadyExists,
    ResourceConflict,
    ResourceExpired,
    ResourceNotFound,
)

__all__ = [
    "already_exists",
    "bad_request",
    "expired",
    "internal_error",
    "invalid",
    "not_found",
    "precondition_failed",
    "stale_update",
    "too_large_resource_version",
]

_MODIFIED = "the object has been modified; please apply your changes to the latest version and try again"


def not_found(resource: str, name: str, namespace: str = "") -> ResourceNotFound:
    text = f'{resource} "{name}" not found'
    return ResourceNotFound(
        text,
        code=404,
        reason="NotFound",
        server_message=text,
        resource=resource,
        name=name,
        namespace=namespace or None,
    )


def already_exists(resource: str, name: str, namespace: str = "") -> ResourceAlreadyExists:
    text = f'{resource} "{name}" already exists'
    return ResourceAlreadyExists(
        text,
        code=409,
        reason="AlreadyExists",
        server_message=text,
        resource=resource,
        name=name,
        namespace=namespace or None,
    )


def _conflict(resource: str, name: str, namespace: str, detail: str, precondition: str) -> ResourceConflict:
    text = f'Operation cannot be fulfilled on {resource} "{name}": {detail}'
    return ResourceConflict(
        text,
        code=409,
        reason="Conflict",
        server_message=text,
        resource=resource,
        name=name,
        namespace=namespace or None,
        precondition=precondition,
    )


def stale_update(resource: str, name: str, namespace: str = "") -> ResourceConflict:
    """An update whose resourceVersion is not the stored one (optimistic concurrency)."""
    return _conflict(resource, name, namespace, _MODIFIED, "resourceVersion")


def precondition_failed(
    resource: str, name: str, namespace: str, precondition: str, expected: str, actual: str
) -> ResourceConflict:
    """A ``uid`` or ``resourceVersion`` precondition the stored object does not meet."""
    label = "UID" if precondition == "uid" else "ResourceVersion"
    detail = f"Precondition failed: {label} in precondition: {expected}, {label} in object meta: {actual}"
    return _conflict(resource, name, namespace, detail, precondition)


def invalid(
    text: str, *, resource: str = "", name: str = "", causes: Sequence[Mapping[str, str]] = ()
) -> InvalidRequest:
    """HTTP 422: ``causes`` are ``{"field", "reason", "message"}`` dicts."""
    return InvalidRequest(
        text,
        code=422,
        reason="Invalid",
        server_message=text,
        resource=resource,
        name=name or None,
        causes=causes,
    )


def bad_request(text: str) -> InvalidRequest:
    """HTTP 400: a malformed selector, continue token or resourceVersion."""
    return InvalidRequest(text, code=400, reason="BadRequest", server_message=text)


def expired(text: str) -> ResourceExpired:
    """HTTP 410: the revision (or continue token) is older than the history window."""
    return ResourceExpired(text, code=410, reason="Expired", server_message=text)


def too_large_resource_version(revision: int, current: int) -> DatastoreError:
    """HTTP 504, as the apiserver answers a resourceVersion newer than its storage."""
    text = f"Too large resource version: {revision}, current: {current}"
    return DatastoreError(text, code=504, reason="Timeout", server_message=text)


def internal_error(text: str) -> DatastoreError:
    return DatastoreError(text, code=500, reason="InternalError", server_message=text)
