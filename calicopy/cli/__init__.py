"""The ``calicopy`` command (click): calicoctl's verbs, flags, output and exit codes.

It parses arguments, calls the library and formats output only through
:mod:`calicopy.calicoctl`.  :data:`main` is the click group (``calicopy = "calicopy.cli:main"``);
each command loads on first use (:data:`calicopy.cli.app.COMMANDS`).
"""

from __future__ import annotations

from .app import main

__all__ = ["main"]
