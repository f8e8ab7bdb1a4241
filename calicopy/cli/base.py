"""The pieces every ``calicopy`` command is built from: click commands that read and answer as
calicoctl's docopt does, the command's state, and the ways a command ends.

A :class:`DocoptCommand` takes its help text, its options' defaults and its argument errors from
calicoctl's docopt text (:mod:`calicopy.calicoctl.usage`): ``-h`` prints the text, an argument
docopt cannot match prints its ``Usage:`` section (with docopt's problem in front) on stderr and
exits 1, and a unique prefix of a long option works as in docopt.  A command ends by returning
(exit 0), raising :class:`CommandFailed` (calicoctl's error, massaged, on stderr, exit 1) or
:class:`~calicopy.calicoctl.session.ExitNow` (text on stdout and an exit code, where calicoctl
calls ``os.Exit``).
"""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn, TextIO

import click
from click.shell_completion import CompletionItem

from ..calicoctl.usage import DOCS, CommandDoc

__all__ = [
    "CliState",
    "CommandFailed",
    "DocoptCommand",
    "DocoptGroup",
    "DocoptUsageError",
    "fail",
    "load_command",
    "out",
    "state_of",
]


class DocoptUsageError(Exception):
    """Arguments docopt would not match: ``text`` goes to stderr and the program exits 1."""

    def __init__(self, doc: CommandDoc, problem: str = "") -> None:
        super().__init__(problem)
        self.doc = doc
        self.text = doc.usage_error(problem)


class CommandFailed(Exception):
    """The error a calicoctl command returns: printed (massaged) on stderr, exit code 1."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def fail(text: str) -> NoReturn:
    raise CommandFailed(text)


def out(text: str) -> None:
    """Write to stdout as calicoctl does (no newline added)."""
    if text:
        click.echo(text, nl=False)


@dataclass
class CliState:
    """What the main options set for every command (``ctx.obj``); tests and the demo may pass
    their own (``CliRunner().invoke(main, args, obj=CliState(...))``)."""

    log_level: str = "panic"
    context: str | None = None
    allow_version_mismatch: bool = False
    sleep: Callable[[float], None] = time.sleep
    stderr: Callable[[], TextIO] = field(default=lambda: sys.stderr)
    # Progress lines need a terminal; None: ask stderr.
    progress: bool | None = None

    def show_progress(self) -> bool:
        if self.progress is not None:
            return self.progress
        stream = self.stderr()
        return bool(getattr(stream, "isatty", lambda: False)())


def load_command(spec: str) -> click.Command:
    """The command ``"module:attribute"`` names; commands load on use, so that starting
    ``calicopy`` costs only the command that runs."""
    module, _, attribute = spec.partition(":")
    command: click.Command = getattr(importlib.import_module(module), attribute)
    return command


def state_of(ctx: click.Context) -> CliState:
    return ctx.ensure_object(CliState)


def _help_requested(args: Sequence[str]) -> bool:
    for arg in args:
        if arg == "--":
            return False
        if arg in ("-h", "--help"):
            return True
    return False


class _DocoptMixin:
    """Help text, docopt's argv errors and long-option prefixes from a :class:`CommandDoc`."""

    doc: CommandDoc

    def _setup(self, doc_path: str, kwargs: dict[str, Any]) -> None:
        self.doc = DOCS[doc_path]
        settings = dict(kwargs.pop("context_settings", None) or {})
        settings.setdefault("help_option_names", ["-h", "--help"])
        settings.setdefault("token_normalize_func", self._expand)
        kwargs["context_settings"] = settings
        kwargs.setdefault("add_help_option", True)

    def _expand(self, name: str) -> str:
        # click hands option names without their dashes; a long one may be abbreviated (docopt).
        # A single letter is a short option when the text declares one (-c), else a long prefix (--i).
        if not name or (len(name) == 1 and any(o.short == "-" + name for o in self.doc.options)):
            return name
        full = self.doc.expand_long("--" + name)
        return full[2:] if full else name

    def get_help(self, ctx: click.Context) -> str:
        return self.doc.help

    def get_short_help_str(self, limit: int = 45) -> str:
        return ""

    def _checked(
        self,
        ctx: click.Context,
        args: list[str],
        parse: Callable[[click.Context, list[str]], list[str]],
        *,
        options_first: bool,
    ) -> list[str]:
        if ctx.resilient_parsing:  # shell completion: parse what is there, report nothing
            return parse(ctx, args)
        problem = self.doc.argv_problem(args, options_first=options_first)
        if problem is not None:
            raise DocoptUsageError(self.doc, problem)
        try:
            return parse(ctx, args)
        except click.UsageError as exc:
            if _help_requested(args):
                click.echo(self.doc.help)
                ctx.exit(0)
            raise DocoptUsageError(self.doc) from exc


class DocoptCommand(_DocoptMixin, click.Command):
    """A calicoctl command: ``DocoptCommand("create", callback=..., params=...)``; its docopt text
    is ``DOCS[doc_path]`` (default: the command's name)."""

    def __init__(self, name: str, *, doc_path: str | None = None, **kwargs: Any) -> None:
        self._setup(name if doc_path is None else doc_path, kwargs)
        super().__init__(name, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return self._checked(ctx, args, super().parse_args, options_first=False)

    def usage_error(self) -> NoReturn:
        """The arguments parsed but do not fit the usage pattern (checked by the command)."""
        raise DocoptUsageError(self.doc)


class DocoptGroup(_DocoptMixin, click.Group):
    """A calicoctl command with subcommands (``ipam``, ``datastore``): ``<command> [<args>...]``.

    ``lazy`` maps subcommand names to ``"module:attribute"`` (imported when used); ``known``
    lists the subcommands calicoctl has, so that one calicopy does not provide yet fails with a
    clear error while an unknown one prints the text, as calicoctl does (exit 0).
    """

    def __init__(
        self,
        name: str,
        *,
        doc_path: str | None = None,
        lazy: dict[str, str] | None = None,
        known: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        self._setup(name if doc_path is None else doc_path, kwargs)
        super().__init__(name, **kwargs)
        self.lazy = dict(lazy or {})
        self.known = tuple(known)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        rest = self._checked(ctx, args, super().parse_args, options_first=True)
        if not getattr(ctx, "_protected_args", None) and not ctx.resilient_parsing:  # options but no <command>
            raise DocoptUsageError(self.doc)
        return rest

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            return load_command(self.lazy[cmd_name])
        return super().get_command(ctx, cmd_name)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        # Names only: completing a command name must not load every command's module.
        names = [n for n in self.list_commands(ctx) if n.startswith(incomplete)]
        return [CompletionItem(n) for n in names]

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0]
        command = self.get_command(ctx, name)
        if command is not None:
            return name, command, args[1:]
        if name in self.known:
            fail(f"'{self.doc.path} {name}' is not available in this version of calicopy")
        click.echo(self.doc.text)
        ctx.exit(0)
