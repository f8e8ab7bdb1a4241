"""The texts of calicoctl's ``main`` (``calicoctl.go``): option and command errors, the
``massageError`` every error goes through, the client failure message, and :class:`ExitNow` for
the places where calicoctl prints and exits at once.  Standard library only, so that the
``calicopy`` command can word any failure without loading the models."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .._go.strconv import quote as go_quote

__all__ = ["ExitNow", "client_failure", "invalid_option", "massage_error", "unknown_command", "unknown_log_level"]


class ExitNow(Exception):
    """calicoctl prints ``stdout`` and ends the program with ``code`` (its ``os.Exit`` paths)."""

    def __init__(self, stdout: str, code: int = 1) -> None:
        super().__init__(stdout)
        self.stdout = stdout
        self.code = code


_UNKNOWN_FIELD = re.compile(r'unknown field "([^"]+)"')


def massage_error(text: str) -> str:
    """calicoctl's ``massageError``: drop the JSON-decoding prefix, reword unknown-field errors."""
    text = text.removeprefix("error unmarshaling JSON: while decoding JSON: json: ")
    match = _UNKNOWN_FIELD.search(text)
    if match:
        return "field in document is not recognized or is in the wrong location: " + match.group(1)
    return text


def invalid_option(args: Sequence[str]) -> str:
    """Printed on stdout when the main options cannot be parsed (then exit 1)."""
    return f"Invalid option: '{' '.join(args)}'. Use flag '--help' to read about a specific subcommand.\n"


def unknown_log_level(level: str) -> str:
    """Printed on stdout for a ``--log-level`` logrus does not know (then exit 1)."""
    return f"Unknown log level: {level}, expected one of: \npanic, fatal, error, warn, info, debug.\n"


def unknown_command(command: str, doc: str) -> str:
    """The error for a command calicoctl does not have: its name (Go ``%q``) and the main text."""
    return f"unknown command: {go_quote(command)}\n{doc}"


def client_failure(error: BaseException | str) -> str:
    """Printed on stdout when the Client cannot be built (then exit 1)."""
    return f"Failed to create Calico API client: {error}\n"
