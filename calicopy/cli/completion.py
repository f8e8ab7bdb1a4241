"""``completion <SHELL>`` (calicopy's): the script that makes a shell complete ``calicopy``."""

from __future__ import annotations

import click
from click.shell_completion import get_completion_class

from .base import DocoptCommand, fail, out

__all__ = ["completion"]

_VARIABLE = "_CALICOPY_COMPLETE"


@click.command("completion", cls=DocoptCommand)
@click.argument("args", nargs=-1)
@click.pass_context
def completion(ctx: click.Context, args: tuple[str, ...]) -> None:
    assert isinstance(ctx.command, DocoptCommand)
    if len(args) != 1:
        ctx.command.usage_error()
    shell_class = get_completion_class(args[0])
    if shell_class is None:
        fail(f"unsupported shell '{args[0]}' (use bash, zsh or fish)")
    root = ctx.find_root().command
    out(shell_class(root, {}, "calicopy", _VARIABLE).source() + "\n")
