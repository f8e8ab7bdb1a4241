"""``demo``: the guided tour (:mod:`calicopy.demo`), whose commands run through this very program."""

from __future__ import annotations

from collections.abc import Sequence

import click

from ..demo import run
from .app import main
from .base import DocoptCommand

__all__ = ["demo"]


def _run_in_process(args: Sequence[str]) -> int:
    """One ``calicopy`` command line, in this process, printing to the same streams."""
    code = main.main(list(args), prog_name="calicopy", standalone_mode=False)
    return int(code)


@click.command("demo", cls=DocoptCommand)
def demo() -> None:
    run(click.echo, _run_in_process)
