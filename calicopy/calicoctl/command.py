"""calicoctl's ``ExecuteConfigCommand`` (``commands/common/resources.go``): the steps every resource
command takes, in calicoctl's order, so that the first problem reported is calicoctl's first.

1. the version check (not for ``validate``, which needs no datastore);
2. the resources: every ``-f`` file read, or the kind and names of the command line;
3. the Client (calicoctl exits at once, on stdout, when it cannot build one);
4. a name given empty on the command line is refused;
5. each resource through :func:`~calicopy.calicoctl.actions.execute`, or, for ``apply`` of many
   resources, :func:`~calicopy.calicoctl.bulk_apply.apply` where that gives the same result.

:func:`prepare` runs steps 1-4 (``--dry-run`` and ``diff`` then plan instead of writing);
:func:`label` is ``calicoctl label``, which reads through the same steps and then updates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..errors import CalicoError, UnknownKindError
from ..resources.meta import Resource
from ..resources.registry import KINDS
from .actions import Action, CommandResults, Patch, ResourceOutcome, execute
from .bulk_apply import apply
from .files import FileInvalid, Progress, load_files, resources_from_args
from .messages import Summary, label_error, label_get_failure, label_message, label_not_found
from .namespace import handle_namespace
from .session import Session

if TYPE_CHECKING:
    from ..client import Client

__all__ = ["Prepared", "Selection", "execute_config_command", "label", "prepare"]


@dataclass(frozen=True, slots=True)
class Selection:
    """What a command works on: ``-f`` (``filename``) or a kind with names."""

    filename: str | None = None
    recursive: bool = False
    skip_empty: bool = False
    kind: str = ""
    names: Sequence[str] = ()

    @property
    def from_arguments(self) -> bool:
        return self.filename is None


@dataclass(frozen=True, slots=True)
class Prepared:
    """Steps 1-4 done: the Client (None for ``validate``) and the resources, in order."""

    client: Client | None
    resources: list[Resource]


def prepare(
    session: Session, action: Action, selection: Selection, namespace: str = "", file_progress: Progress | None = None
) -> Prepared | CommandResults:
    """Steps 1-4; the results to report instead when one of them ends the command."""
    if action != "validate":
        mismatch = session.check_version()
        if mismatch is not None:
            return CommandResults(error=mismatch)
    try:
        if selection.filename is not None:
            resources = load_files(
                selection.filename,
                recursive=selection.recursive,
                skip_empty=selection.skip_empty,
                progress=file_progress,
            )
        else:
            resources = resources_from_args(selection.kind, selection.names, namespace)
    except FileInvalid as exc:
        return CommandResults(error=exc, file_invalid=True)
    except CalicoError as exc:
        return CommandResults(error=exc)
    if not resources:
        return CommandResults()
    client = session.client if action != "validate" else None
    if selection.from_arguments and any(not name for name in selection.names):
        return CommandResults(error=CalicoError("resource name may not be empty"))
    return Prepared(client, resources)


def execute_config_command(
    session: Session,
    action: Action,
    selection: Selection,
    *,
    namespace: str = "",
    all_namespaces: bool = False,
    skip_exists: bool = False,
    skip_not_exists: bool = False,
    patch: Patch = None,
    export: bool = False,
    sequential: bool = True,
    file_progress: Progress | None = None,
    progress: Callable[[ResourceOutcome], None] | None = None,
) -> CommandResults:
    """Run one calicoctl resource command; the results carry calicoctl's accounting and errors.

    Raises :class:`~calicopy.calicoctl.session.ExitNow` where calicoctl exits at once.
    ``sequential=False`` lets ``apply`` check and write many resources in bulk when the outcome
    is the same as one at a time.
    """
    prepared = prepare(session, action, selection, namespace, file_progress)
    if isinstance(prepared, CommandResults):
        return prepared
    client, resources = prepared.client, prepared.resources
    if action == "apply" and client is not None and not sequential:
        return apply(client, resources, namespace=namespace, all_namespaces=all_namespaces, progress=progress)
    return execute(
        client,  # type: ignore[arg-type]  # None only for validate, which needs no datastore
        resources,
        action,
        namespace=namespace,
        all_namespaces=all_namespaces,
        skip_exists=skip_exists,
        skip_not_exists=skip_not_exists,
        patch=patch,
        from_arguments=selection.from_arguments,
        export=export,
        progress=progress,
    )


def label(
    session: Session,
    kind: str,
    name: str,
    key_value: str,
    *,
    remove: bool = False,
    overwrite: bool = False,
    namespace: str = "",
) -> Summary:
    """``calicoctl label <kind> <name> key=value [--overwrite]`` / ``key --remove``.

    calicoctl reads the resource as ``get`` does (so a namespace that does not fit reads as
    not found), changes the label and updates it; ``kind`` is echoed as typed.
    """
    key, value = key_value, None
    if not remove:
        parts = key_value.split("=")
        if len(parts) != 2:
            return Summary("", f"invalid label {key_value}")
        key, value = parts
    prepared = prepare(session, "get", Selection(kind=kind, names=(name,)), namespace)
    if isinstance(prepared, CommandResults):
        if prepared.error is None:
            return Summary("", label_not_found(kind, name))
        return Summary("", label_get_failure(kind, name, prepared.error))
    (resource,) = prepared.resources
    info = KINDS[resource.KIND]
    try:
        placed = handle_namespace(info, resource.metadata.namespace, namespace)
    except CalicoError:
        return Summary("", label_not_found(kind, name))
    assert prepared.client is not None
    try:
        result = prepared.client.label(
            info.kind, name, key, value, remove=remove, overwrite=overwrite, namespace=placed or None
        )
    except UnknownKindError as exc:
        return Summary("", label_get_failure(kind, name, exc))
    except CalicoError as exc:
        return Summary("", label_error(exc, kind, name))
    return Summary(label_message(replace(result, kind=kind)) + "\n", None)
