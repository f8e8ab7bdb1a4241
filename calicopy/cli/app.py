"""The ``calicopy`` command: calicoctl's main (``calicoctl.go``) on click.

Main options come before the command (docopt's ``OptionsFirst``): ``-l/--log-level``,
``--context``, ``--allow-version-mismatch`` (passed on to the command, as calicoctl appends it to
the command's arguments).  Commands load on first use.  Every way a command can end is turned
into calicoctl's streams and exit codes here: no Python traceback reaches a user (``-l debug``
logs it), Ctrl-C exits 130.
"""

from __future__ import annotations

import logging
import sys
import traceback
import warnings
from collections.abc import Sequence
from typing import Any

import click

from ..calicoctl.main_texts import ExitNow, invalid_option, massage_error, unknown_command, unknown_log_level
from ..calicoctl.usage import VERSION_SUMMARY
from ..errors import CalicoError
from .base import CliState, CommandFailed, DocoptGroup, DocoptUsageError, out, state_of

__all__ = ["COMMANDS", "main"]

#: Every command and where it lives.
COMMANDS: dict[str, str] = {
    "create": "calicopy.cli.resources:create",
    "replace": "calicopy.cli.resources:replace",
    "apply": "calicopy.cli.resources:apply",
    "delete": "calicopy.cli.resources:delete",
    "validate": "calicopy.cli.resources:validate",
    "get": "calicopy.cli.get:get",
    "patch": "calicopy.cli.edit:patch",
    "label": "calicopy.cli.edit:label",
    "version": "calicopy.cli.version:version",
    "ipam": "calicopy.cli.groups:ipam",
    "datastore": "calicopy.cli.groups:datastore",
    "diff": "calicopy.cli.diff:diff",
    "completion": "calicopy.cli.completion:completion",
    "demo": "calicopy.cli.demo:demo",
}

# logrus's ParseLevel names (case-insensitive) and the Python level each one lets through.
_LEVELS = {
    "panic": logging.CRITICAL + 10,
    "fatal": logging.CRITICAL + 10,
    "error": logging.ERROR,
    "warn": logging.WARNING,
    "warning": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
    "trace": logging.DEBUG,
}
_log = logging.getLogger("calicopy")


class _StderrHandler(logging.Handler):
    """logrus's text format on whatever ``sys.stderr`` is when a record is emitted (click's test
    runner swaps it)."""

    def emit(self, record: logging.LogRecord) -> None:
        when = self.formatter.formatTime(record, "%Y-%m-%dT%H:%M:%S") if self.formatter else ""
        message = record.getMessage().replace('"', '\\"')
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
        sys.stderr.write(f'time="{when}" level={record.levelname.lower()} msg="{message}"\n')


_HANDLER = _StderrHandler()
_HANDLER.setFormatter(logging.Formatter())


def _set_log_level(value: str) -> None:
    """calicoctl's ``--log-level`` (after the arguments parsed, before the command is looked up)."""
    level = _LEVELS.get(value.lower())
    if level is None:
        raise ExitNow(unknown_log_level(value))
    if _HANDLER not in _log.handlers:
        _log.addHandler(_HANDLER)
    _log.setLevel(level)
    _log.info("Log level set to %s", value.lower())


def _print_version_summary(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    # docopt prints the version string it was given for --version: calicoctl's points to `version`.
    if value and not ctx.resilient_parsing:
        click.echo(VERSION_SUMMARY)
        ctx.exit(0)


class _Main(DocoptGroup):
    """calicoctl's main: its texts, its errors, and every failure turned into an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        _set_log_level(ctx.params["log_level"])
        return super().invoke(ctx)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        command = self.get_command(ctx, args[0])
        if command is None:
            raise CommandFailed(unknown_command(args[0], self.doc.text))
        return args[0], command, args[1:]

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        code = self._run(argv, prog_name or "calicopy", complete_var, extra)
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(self, argv: list[str], prog_name: str, complete_var: str | None, extra: dict[str, Any]) -> int:
        # The log level is the command's; a program that runs commands in-process (tests, the
        # demo) keeps its own logging setup afterwards.
        level, handlers = _log.level, list(_log.handlers)
        try:
            with warnings.catch_warnings():
                # calicoctl connects to a cluster whose kubeconfig says insecure-skip-tls-verify
                # without a word; urllib3 would warn on every request.
                warnings.filterwarnings("ignore", message="Unverified HTTPS request")
                return self._run_logged(argv, prog_name, complete_var, extra)
        finally:
            _log.setLevel(level)
            _log.handlers[:] = handlers

    def _run_logged(self, argv: list[str], prog_name: str, complete_var: str | None, extra: dict[str, Any]) -> int:
        try:
            result = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except DocoptUsageError as exc:
            click.echo(exc.text, err=True)
            if exc.doc.path == "":
                out(invalid_option(argv))
            return 1
        except CommandFailed as exc:
            click.echo(massage_error(exc.text), err=True)
            return 1
        except ExitNow as exc:
            out(exc.stdout)
            return exc.code
        except (click.Abort, KeyboardInterrupt):
            return 130
        except BrokenPipeError:
            return 1
        except click.ClickException as exc:
            click.echo(exc.format_message(), err=True)
            return 1
        except CalicoError as exc:
            _log.debug("command failed", exc_info=True)
            click.echo(massage_error(str(exc)), err=True)
            return 1
        except Exception as exc:  # a calicopy bug: say so plainly, details with --log-level=debug
            _log.debug("unexpected error:\n%s", "".join(traceback.format_exception(exc)))
            click.echo(
                f"calicopy: unexpected error ({type(exc).__name__}: {exc}); "
                "run with --log-level=debug for details and please report it",
                err=True,
            )
            return 1
        return result if isinstance(result, int) else 0


@click.group(
    cls=_Main,
    name="calicopy",
    doc_path="",
    lazy=COMMANDS,
    known=(),
)
@click.option("-l", "--log-level", default="panic")
@click.option("--context", default=None)
@click.option("--allow-version-mismatch", is_flag=True, default=False)
@click.option(
    "--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version_summary, hidden=True
)
@click.pass_context
def main(ctx: click.Context, log_level: str, context: str | None, allow_version_mismatch: bool) -> None:
    """calicoctl's behaviour in Python."""
    state: CliState = state_of(ctx)
    state.log_level = log_level
    state.context = context or state.context
    state.allow_version_mismatch = allow_version_mismatch or state.allow_version_mismatch
