"""``ipam`` and ``datastore`` (``commands/ipam.go``, ``commands/datastore.go``,
``commands/datastore/migrate.go``): calicoctl's command groups with their texts.

Their subcommands are registered in :data:`IPAM_COMMANDS` / :data:`MIGRATE_COMMANDS` as
``"module:attribute"`` of a click command (loaded on use): :mod:`calicopy.cli.ipam` and
:mod:`calicopy.cli.migrate`, thin wrappers over the library (``client.ipam``,
:mod:`calicopy.calicoctl.migrate`) and the texts of :mod:`calicopy.calicoctl`.  An unknown
subcommand prints the group's text, as calicoctl does.
"""

from __future__ import annotations

import click

from .base import DocoptGroup

__all__ = ["IPAM_COMMANDS", "MIGRATE_COMMANDS", "datastore", "ipam", "migrate"]

#: ``calicopy ipam <command>``: check, release, show, split, configure.
IPAM_COMMANDS: dict[str, str] = {
    "check": "calicopy.cli.ipam:check",
    "release": "calicopy.cli.ipam:release",
    "show": "calicopy.cli.ipam:show",
    "split": "calicopy.cli.ipam:split",
    "configure": "calicopy.cli.ipam:configure",
}
#: ``calicopy datastore migrate <command>``: export, import, lock, unlock.
MIGRATE_COMMANDS: dict[str, str] = {
    "export": "calicopy.cli.migrate:export",
    "import": "calicopy.cli.migrate:import_",
    "lock": "calicopy.cli.migrate:lock",
    "unlock": "calicopy.cli.migrate:unlock",
}


@click.group("ipam", cls=DocoptGroup, lazy=IPAM_COMMANDS, known=("check", "release", "show", "split", "configure"))
def ipam() -> None:
    """IP address management."""


@click.group(
    "migrate",
    cls=DocoptGroup,
    doc_path="datastore migrate",
    lazy=MIGRATE_COMMANDS,
    known=("export", "import", "lock", "unlock"),
)
def migrate() -> None:
    """Migrate the contents of an etcdv3 datastore to a Kubernetes datastore."""


@click.group("datastore", cls=DocoptGroup, known=("migrate",))
def datastore() -> None:
    """Calico datastore management."""


datastore.add_command(migrate)
