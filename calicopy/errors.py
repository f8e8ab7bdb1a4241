"""calicopy's error hierarchy: one tree, every class re-exported as ``calicopy.<Name>``.

Every error calicopy raises on purpose derives from :class:`CalicoError` and says what it is
about as attributes (``kind``, ``name``, ``namespace``, ``operation``, ``cause``; a server's
``code``/``reason``/``server_message`` on :class:`DatastoreError`), so callers branch on data,
never on message text.  ``str()`` renders libcalico-go's wording (``lib/errors/errors.go``) from
those attributes, which is what calicoctl prints.  Errors about bad input also derive from
:class:`ValueError`, so callers that only know the standard library can still catch them.

Tree::

    CalicoError
    ├── ValidationError (ValueError)      one or more fields break libcalico-go's rules
    ├── SelectorError (ValueError)        a Calico selector does not parse
    ├── LabelSelectorError (ValueError)   a Kubernetes label selector does not parse
    ├── ManifestError (ValueError)        a file/document cannot be read
    ├── ConfigError (ValueError)          calicoctl.cfg / environment / kubeconfig is unusable
    ├── NamespaceError (ValueError)       a namespace where it does not fit
    ├── UnknownKindError (ValueError)     a kind name or alias calicopy does not know
    ├── LabelError (ValueError)           ``calicoctl label`` refused the change
    ├── ConversionError (ValueError)      a stored object cannot be converted to/from v3
    ├── TemplateError (ValueError)        a ``-o go-template`` does not parse, run or give YAML
    ├── VersionMismatchError              the cluster's Calico version is not supported
    └── DatastoreError                    the datastore failed or refused
        ├── ResourceNotFound
        ├── ResourceAlreadyExists
        ├── ResourceConflict
        ├── ResourceExpired               a resourceVersion older than the history kept (HTTP 410)
        ├── InvalidRequest                the datastore refused the request itself (HTTP 400/422)
        ├── OperationNotSupported
        └── ConnectionUnauthorized
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._go.fmt import format_v

__all__ = [
    "CalicoError",
    "ConfigError",
    "ConnectionUnauthorized",
    "ConversionError",
    "DatastoreError",
    "ErroredField",
    "InvalidRequest",
    "LabelError",
    "LabelSelectorError",
    "ManifestError",
    "NamespaceError",
    "OperationNotSupported",
    "ResourceAlreadyExists",
    "ResourceConflict",
    "ResourceExpired",
    "ResourceNotFound",
    "SelectorError",
    "TemplateError",
    "UnknownKindError",
    "ValidationError",
    "VersionMismatchError",
    "resource_identifier",
]


def resource_identifier(kind: str | None, name: str | None, namespace: str | None = None) -> str:
    """libcalico-go's ``ResourceKey.String()``: ``Kind(name)`` or ``Kind(namespace/name)``."""
    if namespace:
        return f"{kind or ''}({namespace}/{name or ''})"
    return f"{kind or ''}({name or ''})"


class CalicoError(Exception):
    """Base class of every error calicopy raises deliberately.

    ``message``, when given, is the whole text (for the few errors whose wording follows no
    pattern); otherwise each subclass renders its text from the attributes.  ``identifier``
    overrides the ``Kind(namespace/name)`` form where a datastore words it differently.
    ``hint`` says, for Python callers, what to change; it is not part of ``str()``.
    """

    def __init__(
        self,
        message: str = "",
        *,
        kind: str | None = None,
        name: str | None = None,
        namespace: str | None = None,
        operation: str | None = None,
        cause: object = None,
        identifier: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.operation = operation
        self.cause = cause
        self.hint = hint
        self._identifier = identifier
        self._message = message
        super().__init__(message) if message else super().__init__()

    @property
    def identifier(self) -> str:
        """The object this error is about, as libcalico-go names it (``IPPool(pool1)``)."""
        if self._identifier is not None:
            return self._identifier
        return resource_identifier(self.kind, self.name, self.namespace)

    def render(self) -> str:
        """The text built from the attributes (subclasses); the base class has only ``message``."""
        return ""

    def __str__(self) -> str:
        return self._message or self.render()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only attributes survive pickling (multiprocessing, pytest-xdist).
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls: type[CalicoError], state: dict[str, Any]) -> CalicoError:
    err = cls.__new__(cls)
    Exception.__init__(err, state.get("_message") or "")
    err.__dict__.update(state)
    return err


def _cause_text(cause: object) -> str:
    """Go's ``%v`` of a wrapped error: ``<nil>`` when there is none."""
    return "<nil>" if cause is None or cause == "" else str(cause)


# -- field-level validation ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ErroredField:
    """One failing field: its JSON path (``spec.ingress[0].protocol``), the offending value and why.

    ``value`` is ``None`` when the failure is about the structure rather than a value
    (libcalico-go prints such fields without ``= '...'``).  ``reason`` is libcalico-go's text,
    verbatim; ``hint`` says, for Python users, what would be accepted (the allowed values, the
    range, a port's forms), or is None.  ``str()`` is libcalico-go's form, without the hint.
    """

    path: str
    reason: str
    value: Any = None
    hint: str | None = None

    def __str__(self) -> str:
        text = self.path
        if self.value is not None:
            text += f" = '{format_v(self.value)}'"
        if self.reason:
            text += f" ({self.reason})"
        return text


class ValidationError(CalicoError, ValueError):
    """A resource breaks one or more of libcalico-go's validation rules.

    ``fields`` lists every failing field.  :meth:`calico_text` is libcalico-go's
    ``ErrorValidation`` text, which calicoctl prints: ``error with field <path> = '<value>'
    (<reason>)`` for one field and ``error with the following fields:`` followed by one
    ``-  <field>`` line per failure.  ``str()`` is the same text with each field's ``hint``
    appended (`` -- hint: ...``), for Python users.  ``resource`` is the identifier the message
    starts with, when known.
    """

    def __init__(
        self,
        fields: Iterable[ErroredField],
        *,
        resource: str | None = None,
        kind: str | None = None,
        name: str | None = None,
        namespace: str | None = None,
        operation: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.fields: tuple[ErroredField, ...] = tuple(fields)
        self.resource = resource
        super().__init__(kind=kind, name=name, namespace=namespace, operation=operation, hint=hint)

    def render(self) -> str:
        return self._text(hints=True)

    def calico_text(self) -> str:
        """libcalico-go's text, exactly (what calicoctl prints): ``str()`` without the hints."""
        return self._message or self._text(hints=False)

    def _text(self, *, hints: bool) -> str:
        prefix = f"{self.resource}: " if self.resource else ""
        if not self.fields:
            return prefix + "unknown validation error"
        lines = [f"{field}{_hint_text(field) if hints else ''}" for field in self.fields]
        if len(lines) == 1:
            return f"{prefix}error with field {lines[0]}"
        return f"{prefix}error with the following fields:" + "".join(f"\n-  {line}" for line in lines)

    def with_resource(self, resource: str) -> ValidationError:
        """The same failures, with the resource they belong to named in the message."""
        return self._copy(self.fields, resource)

    def prefixed(self, prefix: str) -> ValidationError:
        """The same failures with every path moved under ``prefix`` (a nested model's parent)."""
        return self._copy(
            (ErroredField(_join_path(prefix, f.path), f.reason, f.value, f.hint) for f in self.fields), self.resource
        )

    def _copy(self, fields: Iterable[ErroredField], resource: str | None) -> ValidationError:
        return ValidationError(
            fields,
            resource=resource,
            kind=self.kind,
            name=self.name,
            namespace=self.namespace,
            operation=self.operation,
            hint=self.hint,
        )


def _hint_text(field: ErroredField) -> str:
    return f" -- hint: {field.hint}" if field.hint else ""


def _join_path(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if not path or path.startswith("["):
        return prefix + path
    return f"{prefix}.{path}"


def format_paths(fields: Sequence[ErroredField]) -> list[str]:
    """The failing paths, in order, for tests and programmatic callers."""
    return [f.path for f in fields]


# -- input that is not a resource ------------------------------------------------------------------


class SelectorError(CalicoError, ValueError):
    """A Calico selector does not parse.

    ``selector`` is the text and ``reason`` libcalico-go's wording, unchanged (calicoctl prints it
    verbatim).  ``position`` is the 0-based offset in ``selector`` where the problem is (``column``
    is the same, 1-based), or ``None`` when it is not about one place; ``hint`` says what to write
    instead.  ``str()`` adds the column and the selector with a caret under that place.
    """

    #: Characters of the selector shown on each side of the caret in ``str()``.
    excerpt_width = 60

    def __init__(self, selector: str, reason: str, *, position: int | None = None, hint: str | None = None) -> None:
        self.selector = selector
        self.reason = reason
        self.position = position
        super().__init__(hint=hint)

    @property
    def column(self) -> int | None:
        """The 1-based column of :attr:`position`, as an editor counts characters."""
        return None if self.position is None else self.position + 1

    def render(self) -> str:
        text = f"invalid selector {self.selector!r}: {self.reason}"
        if self.position is None:
            return text
        excerpt, caret = _caret_excerpt(self.selector, self.position, self.excerpt_width)
        return f"{text} (at column {self.column})\n  {excerpt}\n  {caret}^"


def _caret_excerpt(text: str, position: int, width: int) -> tuple[str, str]:
    """A one-line window of ``text`` around ``position`` and the blanks that put a caret under it.

    Characters that would break the line or the alignment (newline, tab, other controls) show as
    ``?``; a long text is cut to ``width`` characters each side, marked with ``...``.
    """
    start = max(0, position - width)
    end = min(len(text), position + width)
    shown = "".join(c if c.isprintable() else "?" for c in text[start:end])
    prefix = "..." if start > 0 else ""
    suffix = "..." if end < len(text) else ""
    return prefix + shown + suffix, " " * (len(prefix) + position - start)


class LabelSelectorError(CalicoError, ValueError):
    """A Kubernetes label selector the API server would reject; the text is apimachinery's."""


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
        super().__init__(cause=cause)

    def render(self) -> str:
        where = []
        if self.source is not None:
            where.append(self.source)
        if self.document is not None:
            where.append(f"document {self.document}")
        if self.field:
            where.append(f"field {self.field}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.reason}" if prefix else self.reason


class ConfigError(CalicoError, ValueError):
    """calicoctl-style configuration (file, environment or kubeconfig) is missing or malformed.

    ``str()`` is libcalico-go's (or client-go's) text; ``source`` names where the configuration came
    from (a file path, ``"environment"``), ``field`` the setting at fault, when known.
    """

    def __init__(
        self, message: str, *, source: str | None = None, field: str | None = None, cause: object = None
    ) -> None:
        self.source = source
        self.field = field
        super().__init__(message, cause=cause)


class NamespaceError(CalicoError, ValueError):
    """A namespace where it does not fit (calicoctl's ``handleNamespace``): on a cluster-scoped kind,
    or different from the one the command line names."""


class UnknownKindError(CalicoError, ValueError):
    """A kind name (or calicoctl alias) calicopy does not know: ``resource type 'x' is not supported``."""

    def render(self) -> str:
        return f"resource type '{self.kind}' is not supported"


class LabelError(CalicoError, ValueError):
    """``Client.label`` refused the change.  ``problem`` says why: ``invalid`` (not ``key=value``),
    ``missing`` (no such label to remove), ``exists`` (the key has another value and
    ``overwrite`` was not given) or ``not-updated`` (the update failed; ``cause`` says why).
    ``str()`` speaks Python; :func:`calicopy.calicoctl.messages.label_error` gives calicoctl's text."""

    def __init__(
        self,
        problem: str,
        *,
        key: str,
        value: str | None = None,
        kind: str | None = None,
        name: str | None = None,
        namespace: str | None = None,
        cause: object = None,
    ) -> None:
        self.problem = problem
        self.key = key
        self.value = value
        super().__init__(kind=kind, name=name, namespace=namespace, operation="label", cause=cause)

    def render(self) -> str:
        what = self.identifier
        if self.problem == "invalid":
            return f"invalid label {self.key!r}: expected 'key=value' (or pass the value separately)"
        if self.problem == "missing":
            return f"cannot remove label {self.key!r} from {what}: it has no such label"
        if self.problem == "exists":
            return (
                f"label {self.key!r} of {what} already has the value {self.value!r}: pass overwrite=True to change it"
            )
        return f"failed to update {what}, label {self.key!r} not changed: {_cause_text(self.cause)}"


class ConversionError(CalicoError, ValueError):
    """A stored object cannot be converted (unknown kind, wrong group, malformed annotation or UID)."""


class TemplateError(CalicoError, ValueError):
    """A Go template (``get -o go-template=...``) that does not parse, fails while it runs, or
    (calicoctl's YAML-injection check) does not produce YAML.  ``str()`` is Go's text, e.g.
    ``template: get:1:2: executing "get" at <.Foo>: can't evaluate field Foo in type
    *v3.IPPool``, which calicoctl prints.

    ``template`` is the template's name, ``phase`` ``parse``, ``exec`` or ``yaml``, ``line`` and
    ``column`` where it failed (0 when unknown), ``context`` the action as Go prints it and
    ``reason`` the message after the location.  The template engine (``calicopy._go.template``,
    below this module) raises ``GoTemplateError`` with the same attributes; :meth:`from_go`
    turns it into this error.
    """

    def __init__(
        self,
        message: str,
        *,
        template: str = "",
        phase: str = "exec",
        line: int = 0,
        column: int = 0,
        context: str = "",
        reason: str = "",
    ) -> None:
        self.template = template
        self.phase = phase
        self.line = line
        self.column = column
        self.context = context
        self.reason = reason or message
        super().__init__(message, operation="go-template")

    @classmethod
    def from_go(cls, error: Any) -> TemplateError:
        """This error for the engine's ``GoTemplateError`` (same text, same attributes)."""
        return cls(
            str(error),
            template=error.template,
            phase=error.phase,
            line=error.line,
            column=error.column,
            context=error.context,
            reason=error.reason,
        )


class VersionMismatchError(CalicoError):
    """The cluster runs a Calico version calicopy does not support (or its version cannot be read)."""

    def __init__(
        self,
        message: str = "",
        *,
        client_version: str = "",
        cluster_version: str = "",
        cause: object = None,
    ) -> None:
        self.client_version = client_version
        self.cluster_version = cluster_version
        super().__init__(message, cause=cause, operation="version check")

    def render(self) -> str:
        if self.cause is not None:
            return (
                f"unable to get Cluster Information to verify version mismatch: {self.cause}\n"
                "Use --allow-version-mismatch to override"
            )
        return (
            f"version mismatch.\nClient Version:   {self.client_version}\nCluster Version:  {self.cluster_version}\n"
            "Use --allow-version-mismatch to override"
        )


# -- the datastore ---------------------------------------------------------------------------------


class DatastoreError(CalicoError):
    """The datastore failed or answered something calicopy cannot use.

    ``code`` is the HTTP status a server answered with (None when no answer arrived), ``reason``
    the Kubernetes ``Status`` reason (``NotFound``, ``Conflict``...), ``server_message`` the
    server's own text and ``causes`` its ``details.causes`` (``{"field", "reason", "message"}``
    dicts).  ``precondition`` names the precondition that failed (``"uid"`` or
    ``"resourceVersion"``), when one did.  ``resource`` is the Kubernetes resource the failure
    names (a plural such as ``ippools``, or ``ippools.crd.projectcalico.org``), where ``kind``
    is Calico's kind.  calicopy's store sets ``code``/``reason``/``resource`` too, so a server
    built on it (the fake API server) answers with the right Status.
    """

    def __init__(
        self,
        message: str = "",
        *,
        kind: str | None = None,
        name: str | None = None,
        namespace: str | None = None,
        operation: str | None = None,
        cause: object = None,
        identifier: str | None = None,
        hint: str | None = None,
        code: int | None = None,
        reason: str = "",
        server_message: str = "",
        causes: Sequence[Mapping[str, str]] = (),
        precondition: str = "",
        resource: str = "",
    ) -> None:
        self.code = code
        self.reason = reason
        self.server_message = server_message
        self.causes: list[dict[str, str]] = [dict(c) for c in causes]
        self.precondition = precondition
        self.resource = resource
        super().__init__(
            message,
            kind=kind,
            name=name,
            namespace=namespace,
            operation=operation,
            cause=cause,
            identifier=identifier,
            hint=hint,
        )

    def render(self) -> str:
        return _cause_text(self.cause) if self.cause is not None else self.server_message

    def for_resource(self, kind: str, name: str, namespace: str | None = None, *, identifier: str | None = None) -> Any:
        """The same failure about ``kind``/``name`` (libcalico-go's ``UpdateErrorIdentifier``): a
        copy with the object filled in and the text re-rendered, so that a lower layer's error
        (the store's, a server's) reads as the calling layer words it."""
        state = self.__dict__.copy()
        state.update(kind=kind, name=name, namespace=namespace or None, _identifier=identifier, _message="")
        return _rebuild(type(self), state)


class ResourceNotFound(DatastoreError):
    """The resource does not exist (``resource does not exist: <id> with error: <cause>``)."""

    def render(self) -> str:
        return f"resource does not exist: {self.identifier} with error: {_cause_text(self.cause)}"


class ResourceAlreadyExists(DatastoreError):
    """The resource exists already (``resource already exists: <id> with error: <cause>``)."""

    def render(self) -> str:
        return f"resource already exists: {self.identifier} with error: {_cause_text(self.cause)}"


class ResourceConflict(DatastoreError):
    """The resourceVersion given is stale (``update conflict: <id>``)."""

    def render(self) -> str:
        return f"update conflict: {self.identifier}"


class ResourceExpired(DatastoreError):
    """The resourceVersion (or continue token) asked for is older than the history the datastore
    keeps (Kubernetes 410 Gone, etcd compaction): list again and continue from the new version."""


class InvalidRequest(DatastoreError):
    """The datastore rejected the request itself (HTTP 400/422: a malformed selector, a value its
    schema refuses); ``causes`` lists the fields when the server named them."""


class OperationNotSupported(DatastoreError):
    """The datastore or clientv3 cannot do this to this object
    (``operation <op> is not supported on <id>[: <detail>]``)."""

    def __init__(self, message: str = "", *, detail: str = "", **kwargs: Any) -> None:
        self.detail = detail
        super().__init__(message, **kwargs)

    def render(self) -> str:
        text = f"operation {self.operation} is not supported on {self.identifier}"
        return f"{text}: {self.detail}" if self.detail else text


class ConnectionUnauthorized(DatastoreError):
    """The datastore refused the credentials (``connection is unauthorized: <cause>``)."""

    def render(self) -> str:
        return f"connection is unauthorized: {_cause_text(self.cause)}"
