"""calicoctl's options, declared once (names, short forms and defaults as in its docopt texts),
and the session every datastore command opens from them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..calicoctl.usage import DEFAULT_CONFIG_PATH

__all__ = [
    "allow_mismatch_option",
    "config_option",
    "context_option",
    "dry_run_option",
    "file_options",
    "namespace_option",
]

F = TypeVar("F", bound=Callable[..., Any])


def config_option(f: F) -> F:
    return click.option("-c", "--config", default=DEFAULT_CONFIG_PATH, show_default=False)(f)


def namespace_option(f: F) -> F:
    return click.option("-n", "--namespace", default="")(f)


def context_option(f: F) -> F:
    return click.option("--context", default=None)(f)


def allow_mismatch_option(f: F) -> F:
    return click.option("--allow-version-mismatch", is_flag=True, default=False)(f)


def dry_run_option(f: F) -> F:
    return click.option("--dry-run", is_flag=True, default=False)(f)


def file_options(*, required: bool) -> Callable[[F], F]:
    """``-f/--filename``, ``-R/--recursive``, ``--skip-empty``."""

    def decorate(f: F) -> F:
        f = click.option("--skip-empty", is_flag=True, default=False)(f)
        f = click.option("-R", "--recursive", is_flag=True, default=False)(f)
        return click.option("-f", "--filename", required=required)(f)

    return decorate
