"""``patch`` and ``label`` (``commands/patch.go``, ``commands/label.go``): change one resource in place."""

from __future__ import annotations

import click

from ..calicoctl.command import Selection, execute_config_command
from ..calicoctl.command import label as label_resource
from ..calicoctl.messages import summary
from .base import DocoptCommand
from .complete import complete_resources
from .options import allow_mismatch_option, config_option, context_option, namespace_option
from .resources import finish, open_session

__all__ = ["label", "patch"]


@click.command("patch", cls=DocoptCommand)
@click.argument("args", nargs=-1, shell_complete=complete_resources)
@click.option("-p", "--patch", "patch_text", required=True)
@click.option("-t", "--type", "patch_type", default=None)
@config_option
@namespace_option
@context_option
@allow_mismatch_option
@click.pass_context
def patch(
    ctx: click.Context,
    args: tuple[str, ...],
    patch_text: str,
    patch_type: str | None,
    config: str,
    namespace: str,
    context: str | None,
    allow_version_mismatch: bool,
) -> None:
    # ``--type`` is accepted and, as in calicoctl, not used: the patch is merged into the object.
    assert isinstance(ctx.command, DocoptCommand)
    if len(args) != 2:
        ctx.command.usage_error()
    kind, name = args
    session = open_session(ctx, config, context, allow_version_mismatch)
    results = execute_config_command(
        session, "patch", Selection(kind=kind, names=(name,)), namespace=namespace, patch=patch_text
    )
    finish(summary("patch", results))


@click.command("label", cls=DocoptCommand)
@click.argument("args", nargs=-1, shell_complete=complete_resources)
@click.option("--overwrite", is_flag=True, default=False)
@click.option("--remove", is_flag=True, default=False)
@config_option
@namespace_option
@context_option
@allow_mismatch_option
@click.pass_context
def label(
    ctx: click.Context,
    args: tuple[str, ...],
    overwrite: bool,
    remove: bool,
    config: str,
    namespace: str,
    context: str | None,
    allow_version_mismatch: bool,
) -> None:
    assert isinstance(ctx.command, DocoptCommand)
    # docopt: <KIND> <NAME> ( <key>=<value> [--overwrite] | <key> --remove )
    if len(args) != 3 or (overwrite and remove):
        ctx.command.usage_error()
    kind, name, key_value = args
    session = open_session(ctx, config, context, allow_version_mismatch)
    finish(label_resource(session, kind, name, key_value, remove=remove, overwrite=overwrite, namespace=namespace))
