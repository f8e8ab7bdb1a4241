"""The ``calicopy`` command (click).  It parses arguments, calls the library and formats output."""

from __future__ import annotations

import click

from .. import __version__

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="calicopy")
def main() -> None:
    """calicoctl's behaviour in Python."""


@main.command()
def demo() -> None:
    """A guided tour on the seed manifests: loading, validation, defaulting, selectors. No cluster needed."""
    from ..demo import run

    run(click.echo)
