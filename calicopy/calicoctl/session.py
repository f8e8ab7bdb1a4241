"""How calicoctl connects for one command (``commands/clientmgr/client.go``,
``commands/common/version_mismatch.go``): the configuration file or the environment, the Client,
and the version check that runs before every datastore command.

calicoctl builds its client twice (once for the version check, whose failure it ignores, once
for the command, whose failure ends the program with a message on stdout); a :class:`Session`
builds it once and answers both ways.  The version rule is calicopy's
(:meth:`calicopy.Client.check_version`): clusters outside the supported Calico versions are
refused with calicoctl's message.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from ..client import Client
from ..config import DEFAULT_CONFIG_PATH
from ..errors import CalicoError
from .main_texts import ExitNow, client_failure

__all__ = ["ClientFactory", "ExitNow", "Session"]

#: Builds the Client from a configuration file path and a kubeconfig context.
ClientFactory = Callable[[str, "str | None"], Client]


def _from_config(path: str, context: str | None) -> Client:
    return Client.from_config(path, context=context)


class Session:
    """The datastore side of one command: ``-c/--config``, ``--context``, ``--allow-version-mismatch``."""

    def __init__(
        self,
        config_path: str = DEFAULT_CONFIG_PATH,
        *,
        context: str | None = None,
        allow_mismatch: bool = False,
        factory: ClientFactory = _from_config,
    ) -> None:
        self.config_path = config_path
        self.context = context or None
        self.allow_mismatch = allow_mismatch
        self._factory = factory
        self._client: Client | None = None
        self._failure: CalicoError | None = None

    def _build(self) -> Client | None:
        if self._client is None and self._failure is None:
            # clientmgr.LoadClientConfig: only the default path may be missing (then the
            # environment is read); any other unreadable path ends the program.
            if self.config_path != DEFAULT_CONFIG_PATH:
                try:
                    os.stat(self.config_path)
                except (OSError, ValueError):
                    raise ExitNow(f"Error reading config file: {self.config_path}\n") from None
            try:
                self._client = self._factory(self.config_path, self.context)
            except CalicoError as exc:
                self._failure = exc
        return self._client

    @property
    def client(self) -> Client:
        """The Client; when it cannot be built calicoctl prints why on stdout and exits 1."""
        client = self._build()
        if client is None:
            raise ExitNow(client_failure(self._failure or ""))
        return client

    def client_error(self) -> CalicoError | None:
        """Why the Client cannot be built (None when it can)."""
        self._build()
        return self._failure

    def check_version(self) -> CalicoError | None:
        """``CheckVersionMismatch``: the error to end the command with, or None.  Skipped with
        ``--allow-version-mismatch`` and when no Client can be built (the command reports that)."""
        if self.allow_mismatch:
            return None
        client = self._build()
        if client is None:
            return None
        try:
            client.check_version()
        except CalicoError as exc:
            return exc
        return None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
