"""calicopy's error hierarchy.

Every error calicopy raises on purpose derives from :class:`CalicoError`.  Errors about
bad input also derive from :class:`ValueError`, so callers that only know the standard
library can still catch them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CalicoError",
    "ConfigError",
    "DatastoreError",
    "ErroredField",
    "ManifestError",
    "OperationNotSupported",
    "ResourceAlreadyExists",
    "ResourceConflict",
    "ResourceNotFound",
    "SelectorError",
    "ValidationError",
    "VersionMismatchError",
]


class CalicoError(Exception):
    """Base class of every error calicopy raises deliberately."""


@dataclass(frozen=True, slots=True)
class ErroredField:
    """One failing field: its JSON path (``spec.ingress[0].protocol``), the offending value and why.

    ``value`` is ``None`` when the failure is about the structure rather than a value
    (libcalico-go prints such fields without ``= '...'``).
    """

    path: str
    reason: str
    value: Any = None

    def __str__(self) -> str:
        text = self.path
        if self.value is not None:
            text += f" = '{_go_value(self.value)}'"
        if self.reason:
            text += f" ({self.reason})"
        return text


def _go_value(value: Any) -> str:
    """Render a value the way Go's ``%v`` would inside libcalico-go's messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + " ".join(_go_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{_go_value(v)}" for k, v in sorted(value.items())) + "]"
    return str(value)


class ValidationError(CalicoError, ValueError):
    """A resource breaks one or more of libcalico-go's validation rules.

    ``fields`` lists every failing field; ``str()`` reads like libcalico-go's
    ``ErrorValidation``: ``error with field <path> = '<value>' (<reason>)`` for one field and
    ``error with the following fields:`` followed by one ``-  <field>`` line per failure.
    """

    def __init__(self, fields: Iterable[ErroredField], *, resource: str | None = None) -> None:
        self.fields: tuple[ErroredField, ...] = tuple(fields)
        self.resource = resource
        super().__init__(self._message())

    def _message(self) -> str:
        prefix = f"{self.resource}: " if self.resource else ""
        if not self.fields:
            return prefix + "unknown validation error"
        if len(self.fields) == 1:
            return f"{prefix}error with field {self.fields[0]}"
        lines = "".join(f"\n-  {field}" for field in self.fields)
        return f"{prefix}error with the following fields:{lines}"

    def with_resource(self, resource: str) -> ValidationError:
        """The same failures, with the resource they belong to named in the message."""
        return ValidationError(self.fields, resource=resource)

    def prefixed(self, prefix: str) -> ValidationError:
        """The same failures with every path moved under ``prefix`` (a nested model's parent)."""
        return ValidationError(
            (ErroredField(_join_path(prefix, f.path), f.reason, f.value) for f in self.fields),
            resource=self.resource,
        )


def _join_path(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if not path or path.startswith("["):
        return prefix + path
    return f"{prefix}.{path}"


class SelectorError(CalicoError, ValueError):
    """A Calico selector does not parse.  ``selector`` is the text, ``reason`` libcalico-go's wording."""

    def __init__(self, selector: str, reason: str) -> None:
        self.selector = selector
        self.reason = reason
        super().__init__(f"invalid selector {selector!r}: {reason}")


class ManifestError(CalicoError, ValueError):
    """A manifest (file, text or stream) cannot be read: names the source, the document and the field."""

    def __init__(
        self,
        reason: str,
        *,
        source: str | None = None,
        document: int | None = None,
        field: str | None = None,
        cause: ValidationError | None = None,
    ) -> None:
        self.reason = reason
        self.source = source
        self.document = document
        self.field = field
        self.cause = cause
        where = []
        if source is not None:
            where.append(source)
        if document is not None:
            where.append(f"document {document}")
        if field:
            where.append(f"field {field}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {reason}" if prefix else reason)


class ConfigError(CalicoError, ValueError):
    """calicoctl-style configuration (file or environment) is missing or malformed."""


class DatastoreError(CalicoError):
    """The datastore failed or answered something calicopy cannot use."""


class ResourceNotFound(DatastoreError):
    """The resource does not exist (libcalico-go: ``resource does not exist``)."""


class ResourceAlreadyExists(DatastoreError):
    """The resource exists already (libcalico-go: ``resource already exists``)."""


class ResourceConflict(DatastoreError):
    """The resourceVersion given is stale (libcalico-go: ``update conflict``)."""


class OperationNotSupported(DatastoreError):
    """The datastore cannot do this to this kind (libcalico-go: ``operation <op> is not supported on <id>``)."""


class VersionMismatchError(CalicoError):
    """The cluster runs a Calico version calicopy does not support."""


def format_paths(fields: Sequence[ErroredField]) -> list[str]:
    """The failing paths, in order, for tests and programmatic callers."""
    return [f.path for f in fields]
