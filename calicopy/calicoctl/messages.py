"""Every text calicoctl prints about a command's outcome, in one place (``commands/{create,apply,
replace,delete,patch,label}.go``, ``calicoctl.go`` ``massageError``).

:func:`summary` turns :class:`~calicopy.calicoctl.actions.CommandResults` into what calicoctl
writes to stdout and the error it returns (printed on stderr, exit code 1).  calicoctl prints a
list of errors with Go's ``%v``: ``[first second]``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..errors import LabelError, ResourceNotFound, ValidationError
from ..outcomes import LabelResult
from .actions import Action, CommandResults
from .main_texts import massage_error

__all__ = [
    "Summary",
    "error_list",
    "file_invalid",
    "get_errors",
    "get_failure",
    "label_error",
    "label_get_failure",
    "label_message",
    "label_not_found",
    "massage_error",
    "summary",
]


@dataclass(frozen=True, slots=True)
class Summary:
    """``stdout``: what calicoctl prints (may be empty); ``error``: the error text it exits with, or None."""

    stdout: str
    error: str | None


@dataclass(frozen=True, slots=True)
class _Words:
    verb: str  # "create"
    past: str  # "created"
    # apply/create report per-resource failures; replace reports the command's error.
    per_resource: bool
    hit: str  # "hit error" / "hit error(s)"


_WORDS: Mapping[Action, _Words] = {
    "create": _Words("create", "created", True, "hit error"),
    "apply": _Words("apply", "applied", True, "hit error(s)"),
    "replace": _Words("replace", "replaced", False, "hit error"),
    "validate": _Words("validate", "validated", True, "hit error(s)"),
}


def error_list(errors: Sequence[BaseException]) -> str:
    """Go's ``%v`` of a ``[]error``."""
    return "[" + " ".join(calico_text(e) for e in errors) + "]"


def calico_text(error: BaseException) -> str:
    """The error as calicoctl prints it: libcalico-go's text, without the hints Python users get."""
    return error.calico_text() if isinstance(error, ValidationError) else str(error)


def file_invalid(error: BaseException) -> str:
    """The error calicoctl returns when a file cannot be read or decoded (nothing was done)."""
    return f"failed to execute command: {error}"


def summary(action: Action, results: CommandResults) -> Summary:
    """calicoctl's report for create, apply, replace, delete and patch."""
    if results.file_invalid and results.error is not None:
        return Summary("", file_invalid(results.error))
    special = _SUMMARIES.get(action)
    if special is not None:
        return special(results)
    words = _WORDS[action]
    failure: object = error_list(results.errors) if words.per_resource else results.error
    if isinstance(failure, BaseException):
        failure = calico_text(failure)
    if results.num_resources == 0:
        if results.error is not None:
            return Summary("", calico_text(results.error))
        return Summary("No resources specified\n", None)
    if results.num_handled == 0:
        if results.num_resources == 1:
            return Summary("", f"failed to {words.verb} '{results.single_kind}' resource: {failure}")
        if results.single_kind:
            return Summary("", f"failed to {words.verb} any '{results.single_kind}' resources: {failure}")
        return Summary("", f"failed to {words.verb} any resources: {failure}")
    failed = bool(results.errors) if words.per_resource else results.error is not None
    if not failed:
        kind = f" '{results.single_kind}'" if results.single_kind else ""
        return Summary(f"Successfully {words.past} {results.num_handled}{kind} resource(s)\n", None)
    partial = ""
    if not words.per_resource or results.num_handled - len(results.errors) > 0:
        kind = f" '{results.single_kind}'" if results.single_kind else ""
        partial = (
            f"Partial success: {words.past} the first {results.num_handled} out of "
            f"{results.num_resources}{kind} resources:\n"
        )
    return Summary(partial, f"{words.hit}: {failure}")


def _delete_summary(results: CommandResults) -> Summary:
    if results.num_resources == 0:
        if results.error is not None:
            return Summary("", str(results.error))
        return Summary("No resources specified\n", None)
    stdout = ""
    if results.error is None and results.num_handled > 0:
        kind = f" '{results.single_kind}'" if results.single_kind else ""
        stdout = f"Successfully deleted {results.num_handled}{kind} resource(s)\n"
    elif results.error is not None:
        return Summary("", f"hit error: {results.error}")
    if results.errors:
        what = f"'{results.single_kind}' resource" if results.single_kind else "resource"
        return Summary(stdout, "".join(f"Failed to delete {what}: {e}\n" for e in results.errors))
    return Summary(stdout, None)


def _patch_summary(results: CommandResults) -> Summary:
    if results.num_resources == 0:
        return Summary("", str(results.error) if results.error is not None else "no resources specified")
    stdout = ""
    if results.error is None and results.num_handled > 0:
        stdout = f"Successfully patched {results.num_handled} '{results.single_kind}' resource\n"
    elif results.error is not None:
        return Summary("", f"hit error: {results.error}")
    if results.errors:
        return Summary(
            stdout, "".join(f"Failed to patch '{results.single_kind}' resource: {e}\n" for e in results.errors)
        )
    return Summary(stdout, None)


_SUMMARIES: Mapping[Action, Callable[[CommandResults], Summary]] = {
    "delete": _delete_summary,
    "patch": _patch_summary,
}

_LABEL_DONE = {
    "removed": "Successfully removed label {key} from {kind} {name}",
    "updated": "Successfully updated label {key} on {kind} {name}",
    "set": "Successfully set label {key} on {kind} {name}",
}


def label_message(result: LabelResult) -> str:
    """What ``calicoctl label`` prints on success (the kind echoed as the user typed it)."""
    return _LABEL_DONE[result.action].format(key=result.key, kind=result.kind, name=result.name)


_LABEL_REFUSED = {
    "invalid": "invalid label {key}",
    "missing": "cannot remove label of {kind} {name}, key {key} does not exist",
    "exists": "failed to update label of {kind} {name}, key {key} is already present. "
    "please use '--overwrite' to set a new value",
    "not-updated": "failed to update {kind} {name}, label not changed",
}


def label_error(error: Exception, kind: str, name: str) -> str:
    """What ``calicoctl label <kind> <name> ...`` prints when ``Client.label`` raised ``error``
    (``kind`` as the user typed it)."""
    if isinstance(error, LabelError):
        return _LABEL_REFUSED[error.problem].format(key=error.key, kind=kind, name=name)
    if isinstance(error, ResourceNotFound):
        return f"{kind} {name} not found"
    return str(error)


# -- get ------------------------------------------------------------------------------------------------


def get_failure(results: CommandResults) -> str | None:
    """What ``calicoctl get`` exits with before printing anything (a bad file, no resources, a
    version mismatch, an unknown kind), or None."""
    if results.file_invalid and results.error is not None:
        return file_invalid(results.error)
    if results.error is not None:
        return f"failed to get resources: {results.error}"
    return None


def get_errors(results: CommandResults) -> str | None:
    """The per-resource failures ``calicoctl get`` prints after the resources, one per line."""
    if not results.errors:
        return None
    return "\n".join(str(e) for e in results.errors)


# -- label ----------------------------------------------------------------------------------------------


def label_get_failure(kind: str, name: str, error: BaseException) -> str:
    """``calicoctl label`` could not look the resource up (unknown kind, empty name, ...)."""
    return f"failed to get {kind} {name}, error {error}"


def label_not_found(kind: str, name: str) -> str:
    return f"{kind} {name} not found"
