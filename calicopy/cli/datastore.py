"""What the ``ipam`` and ``datastore migrate`` commands share: the Client after calicoctl's
version check, and files read as Go's ``os.ReadFile`` reads them (``-`` is stdin)."""

from __future__ import annotations

import sys

from .._go.os import path_error
from ..calicoctl.session import Session
from ..client import Client
from ..errors import CalicoError
from .base import fail

__all__ = ["STDIN_NAME", "checked_client", "plain_client", "read_file", "read_input"]

#: ``os.Stdin.Name()``: how calicoctl names stdin in its messages.
STDIN_NAME = "/dev/stdin"


def plain_client(session: Session) -> Client:
    """``clientmgr.NewClient``: a client that cannot be built is the command's error (stderr,
    exit 1); a ``-c`` path that does not exist ends the program on stdout, as everywhere."""
    problem = session.client_error()
    if problem is not None:
        fail(str(problem))
    return session.client


def checked_client(session: Session) -> Client:
    """``CheckVersionMismatch`` (unless ``--allow-version-mismatch``), then :func:`plain_client`."""
    mismatch = session.check_version()
    if mismatch is not None:
        fail(str(mismatch))
    return plain_client(session)


def read_input(path: str) -> bytes:
    """The bytes of ``path``, or of stdin for ``-``."""
    if path == "-":
        return sys.stdin.buffer.read()
    return read_file(path)


def read_file(path: str) -> bytes:
    """``os.ReadFile(path)``: its bytes, or a CalicoError with Go's ``open <path>: ...`` text."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise CalicoError(path_error("open", path, exc)) from None
