"""``create``, ``apply``, ``replace``, ``delete`` and ``validate`` (``commands/{create,apply,replace,
delete,validate}.go``).

Each runs calicoctl's ``ExecuteConfigCommand`` steps (:mod:`calicopy.calicoctl.command`) and prints
calicoctl's summary.  ``apply`` of many resources checks them all and writes them concurrently
where calicoctl's one-at-a-time outcome is the same (``--sequential`` forces the old way).
``--dry-run`` plans without writing (:mod:`calicopy.calicoctl.dry_run`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from ..calicoctl.actions import Action, CommandResults
from ..calicoctl.command import Prepared, Selection, execute_config_command, prepare
from ..calicoctl.dry_run import dry_run, dry_run_report
from ..calicoctl.messages import Summary, summary
from ..calicoctl.session import Session
from .base import DocoptCommand, fail, out, state_of
from .complete import complete_resources
from .options import (
    allow_mismatch_option,
    config_option,
    context_option,
    dry_run_option,
    file_options,
    namespace_option,
)
from .progress import Progress

__all__ = ["apply", "create", "delete", "finish", "open_session", "replace", "validate"]


def open_session(ctx: click.Context, config: str, context: str | None, allow_version_mismatch: bool) -> Session:
    """The session of one command: its own ``--context``/``--allow-version-mismatch`` or the main ones."""
    state = state_of(ctx)
    session = Session(
        config,
        context=context or state.context,
        allow_mismatch=allow_version_mismatch or state.allow_version_mismatch,
    )
    ctx.call_on_close(session.close)
    return session


def finish(report: Summary) -> None:
    """Print calicoctl's summary: the stdout part, then the error (exit 1) if any."""
    out(report.stdout)
    if report.error is not None:
        fail(report.error)


def _run(
    ctx: click.Context,
    action: Action,
    selection: Selection,
    *,
    config: str = "",
    namespace: str = "",
    context: str | None = None,
    allow_version_mismatch: bool = False,
    dry: bool = False,
    **options: Any,
) -> None:
    session = open_session(ctx, config, context, allow_version_mismatch)
    progress = Progress(state_of(ctx))
    try:
        if dry:
            prepared = prepare(session, action, selection, namespace, progress.files)
            report = _dry_run(action, prepared, namespace, options)
        else:
            results = execute_config_command(
                session,
                action,
                selection,
                namespace=namespace,
                file_progress=progress.files,
                progress=progress.resource,
                **options,
            )
            report = summary(action, results)
    finally:
        progress.finish()
    finish(report)


def _dry_run(action: Action, prepared: Prepared | CommandResults, namespace: str, options: dict[str, Any]) -> Summary:
    if isinstance(prepared, CommandResults):
        return summary(action, prepared)
    assert prepared.client is not None
    planned = dry_run(
        prepared.client,
        action,
        prepared.resources,
        namespace=namespace,
        skip_exists=options.get("skip_exists", False),
        skip_not_exists=options.get("skip_not_exists", False),
    )
    return dry_run_report(planned)


def _file_command(name: str, action: Action, *, skip_exists: bool = False, sequential: bool = False) -> click.Command:
    def callback(
        filename: str,
        recursive: bool,
        skip_empty: bool,
        config: str,
        namespace: str,
        context: str | None,
        allow_version_mismatch: bool,
        dry_run: bool,
        **extra: bool,
    ) -> None:
        ctx = click.get_current_context()
        selection = Selection(filename=filename, recursive=recursive, skip_empty=skip_empty)
        options: dict[str, Any] = {"skip_exists": extra.get("skip_exists", False)}
        if action == "apply":
            options["sequential"] = extra.get("sequential", False)
        _run(
            ctx,
            action,
            selection,
            config=config,
            namespace=namespace,
            context=context,
            allow_version_mismatch=allow_version_mismatch,
            dry=dry_run,
            **options,
        )

    f: Any = callback
    if sequential:
        f = click.option("--sequential", is_flag=True, default=False)(f)
    if skip_exists:
        f = click.option("--skip-exists", is_flag=True, default=False)(f)
    for decorate in (dry_run_option, allow_mismatch_option, context_option, namespace_option, config_option):
        f = decorate(f)
    f = file_options(required=True)(f)
    return click.command(name, cls=DocoptCommand)(f)


create = _file_command("create", "create", skip_exists=True)
apply = _file_command("apply", "apply", sequential=True)
replace = _file_command("replace", "replace")


@click.command("validate", cls=DocoptCommand)
@file_options(required=True)
@allow_mismatch_option
@click.pass_context
def validate(
    ctx: click.Context, filename: str, recursive: bool, skip_empty: bool, allow_version_mismatch: bool
) -> None:
    # validate reads no datastore: no config, no version check (calicoctl accepts the flag anyway).
    _run(ctx, "validate", Selection(filename=filename, recursive=recursive, skip_empty=skip_empty))


def kind_or_files(
    command: DocoptCommand, args: Sequence[str], filename: str | None, recursive: bool, skip_empty: bool
) -> Selection:
    """docopt's ``( (<KIND> [<NAME>...]) | --filename=<FILE> [--recursive] [--skip-empty] )``."""
    if filename is not None:
        if args:
            command.usage_error()
        return Selection(filename=filename, recursive=recursive, skip_empty=skip_empty)
    if not args or recursive or skip_empty:
        command.usage_error()
    return Selection(kind=args[0], names=tuple(args[1:]))


@click.command("delete", cls=DocoptCommand)
@click.argument("args", nargs=-1, shell_complete=complete_resources)
@file_options(required=False)
@click.option("-s", "--skip-not-exists", is_flag=True, default=False)
@config_option
@namespace_option
@context_option
@allow_mismatch_option
@dry_run_option
@click.pass_context
def delete(
    ctx: click.Context,
    args: tuple[str, ...],
    filename: str | None,
    recursive: bool,
    skip_empty: bool,
    skip_not_exists: bool,
    config: str,
    namespace: str,
    context: str | None,
    allow_version_mismatch: bool,
    dry_run: bool,
) -> None:
    assert isinstance(ctx.command, DocoptCommand)
    selection = kind_or_files(ctx.command, args, filename, recursive, skip_empty)
    _run(
        ctx,
        "delete",
        selection,
        config=config,
        namespace=namespace,
        context=context,
        allow_version_mismatch=allow_version_mismatch,
        dry=dry_run,
        skip_not_exists=skip_not_exists,
    )
