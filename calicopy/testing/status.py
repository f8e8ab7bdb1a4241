"""Error responses of the fake API server: Kubernetes ``Status`` bodies, as the apiserver
writes them, for its own refusals and for the store's failures (from their attributes).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from calicopy.errors import DatastoreError, ResourceAlreadyExists, ResourceConflict, ResourceNotFound

from . import schema as _schema
from .apitypes import ResourceType

__all__ = [
    "REASONS",
    "ApiError",
    "api_error",
    "from_store_error",
    "invalid",
    "not_served",
    "parse_body",
    "status_object",
]


class ApiError(Exception):
    """An error response: ``status`` is the Kubernetes ``Status`` body."""

    def __init__(self, status: dict[str, Any], headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status.get("message", ""))
        self.status = status
        self.code = int(status["code"])
        self.headers = dict(headers or {})


def status_object(
    code: int,
    reason: str,
    message: str,
    *,
    name: str = "",
    group: str = "",
    kind: str = "",
    causes: Sequence[Mapping[str, str]] = (),
    retry_after: int | None = None,
) -> dict[str, Any]:
    """A ``Status`` (kind Status, apiVersion v1, status Failure) as the apiserver writes it."""
    details: dict[str, Any] = {}
    if name:
        details["name"] = name
    if group:
        details["group"] = group
    if kind:
        details["kind"] = kind
    if causes:
        details["causes"] = [dict(c) for c in causes]
    if retry_after is not None:
        details["retryAfterSeconds"] = retry_after
    body: dict[str, Any] = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
    }
    if details or code in (404,):
        body["details"] = details
    body["code"] = code
    return body


REASONS = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    410: "Expired",
    415: "UnsupportedMediaType",
    422: "Invalid",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
    504: "Timeout",
}


def api_error(code: int, message: str, reason: str | None = None) -> ApiError:
    return ApiError(status_object(code, reason or REASONS.get(code, "Unknown"), message))


def from_store_error(exc: DatastoreError, rt: ResourceType, name: str = "") -> ApiError:
    """The Status the apiserver answers for a store failure: its code, reason and text, with the
    details the apiserver fills in for that reason (the object's resource or kind, the causes)."""
    code, reason, message = exc.code or 500, exc.reason or "InternalError", exc.server_message
    name = exc.name or name
    if isinstance(exc, (ResourceNotFound, ResourceAlreadyExists, ResourceConflict)):
        return ApiError(status_object(code, reason, message, name=name, group=rt.group, kind=rt.plural))
    if code == 422:
        return ApiError(
            status_object(code, reason, message, name=name, group=rt.group, kind=rt.kind, causes=exc.causes)
        )
    return ApiError(status_object(code, reason, message))


def invalid(rt: ResourceType, name: str, errors: Sequence[_schema.FieldError]) -> ApiError:
    text = str(errors[0]) if len(errors) == 1 else "[" + ", ".join(str(e) for e in errors) + "]"
    return ApiError(
        status_object(
            422,
            "Invalid",
            f'{rt.qualified_kind} "{name}" is invalid: {text}',
            name=name,
            group=rt.group,
            kind=rt.kind,
            causes=[e.cause() for e in errors],
        )
    )


def not_served() -> ApiError:
    return ApiError(status_object(404, "NotFound", "the server could not find the requested resource"))


def parse_body(body: bytes) -> Any:
    try:
        return json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise api_error(400, f"couldn't get version/kind; json parse error: {exc}") from None
