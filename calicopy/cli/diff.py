"""``diff`` (calicopy's): what ``apply -f`` would change, as a unified diff of YAML."""

from __future__ import annotations

import click

from ..calicoctl.actions import CommandResults
from ..calicoctl.command import Selection, prepare
from ..calicoctl.dry_run import diff as diff_plan
from ..calicoctl.dry_run import dry_run, dry_run_report
from ..calicoctl.messages import summary
from .base import DocoptCommand, fail, out, state_of
from .options import allow_mismatch_option, config_option, context_option, file_options, namespace_option
from .progress import Progress
from .resources import finish, open_session

__all__ = ["diff"]


@click.command("diff", cls=DocoptCommand)
@file_options(required=True)
@config_option
@namespace_option
@context_option
@allow_mismatch_option
@click.option("--exit-code", is_flag=True, default=False)
@click.pass_context
def diff(
    ctx: click.Context,
    filename: str,
    recursive: bool,
    skip_empty: bool,
    config: str,
    namespace: str,
    context: str | None,
    allow_version_mismatch: bool,
    exit_code: bool,
) -> None:
    session = open_session(ctx, config, context, allow_version_mismatch)
    progress = Progress(state_of(ctx))
    try:
        selection = Selection(filename=filename, recursive=recursive, skip_empty=skip_empty)
        prepared = prepare(session, "apply", selection, namespace, progress.files)
    finally:
        progress.finish()
    if isinstance(prepared, CommandResults):
        finish(summary("apply", prepared))
        return
    assert prepared.client is not None
    planned = dry_run(prepared.client, "apply", prepared.resources, namespace=namespace)
    text, changed = diff_plan(planned)
    out(text)
    failures = dry_run_report(planned).error
    if failures is not None:
        fail(failures)
    if exit_code and changed:
        ctx.exit(2)
