"""``datastore migrate export|import|lock|unlock`` (``commands/datastore/migrate/*.go``): thin
wrappers over :mod:`calicopy.calicoctl.migrate`, which holds calicoctl's checks and texts.

``export`` prints the export file on stdout (``calicopy datastore migrate export > file``);
``import -f FILE`` reads it (``-``: stdin) only after the target is checked and locked, as
calicoctl does.  ``import`` alone skips the version check, as calicoctl does.
"""

from __future__ import annotations

import click

from ..calicoctl.migrate import MigrationError, export_datastore, import_datastore, lock_datastore, unlock_datastore
from ..errors import CalicoError
from .base import DocoptCommand, fail, out
from .datastore import STDIN_NAME, checked_client, plain_client, read_input
from .options import allow_mismatch_option, config_option
from .resources import open_session

__all__ = ["export", "import_", "lock", "unlock"]


@click.command("export", cls=DocoptCommand, doc_path="datastore migrate export")
@config_option
@allow_mismatch_option
@click.pass_context
def export(ctx: click.Context, config: str, allow_version_mismatch: bool) -> None:
    client = checked_client(open_session(ctx, config, None, allow_version_mismatch))
    try:
        exported = export_datastore(client, allow_version_mismatch=True)  # checked above
    except CalicoError as exc:
        fail(str(exc))
    out(exported.text())


@click.command("import", cls=DocoptCommand, doc_path="datastore migrate import")
@click.option("-f", "--filename", required=True)
@config_option
@allow_mismatch_option
@click.pass_context
def import_(ctx: click.Context, filename: str, config: str, allow_version_mismatch: bool) -> None:
    # import.go: "Intentionally not check version mismatch for this command".
    client = plain_client(open_session(ctx, config, None, allow_version_mismatch))

    def read() -> str:
        return read_input(filename).decode("utf-8", "replace")

    try:
        printed = import_datastore(client, read, filename=STDIN_NAME if filename == "-" else filename)
    except MigrationError as exc:
        out(exc.output)
        fail(str(exc))
    out(printed)


@click.command("lock", cls=DocoptCommand, doc_path="datastore migrate lock")
@config_option
@allow_mismatch_option
@click.pass_context
def lock(ctx: click.Context, config: str, allow_version_mismatch: bool) -> None:
    client = checked_client(open_session(ctx, config, None, allow_version_mismatch))
    try:
        out(lock_datastore(client, allow_version_mismatch=True))  # checked above
    except CalicoError as exc:
        fail(str(exc))


@click.command("unlock", cls=DocoptCommand, doc_path="datastore migrate unlock")
@config_option
@allow_mismatch_option
@click.pass_context
def unlock(ctx: click.Context, config: str, allow_version_mismatch: bool) -> None:
    client = checked_client(open_session(ctx, config, None, allow_version_mismatch))
    try:
        out(unlock_datastore(client, allow_version_mismatch=True))  # checked above
    except CalicoError as exc:
        fail(str(exc))
