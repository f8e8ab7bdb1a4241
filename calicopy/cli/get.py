"""``get`` (``commands/get.go``), with calicopy's ``-w/--watch``.

calicoctl checks the output format first, then runs ``ExecuteConfigCommand``, prints every object
it fetched (:mod:`calicopy.calicoctl.output`) and then the per-resource errors.  With ``--watch``
the command then prints each change to the kind until interrupted (or ``--watch-timeout``): a
table row per change (with an EVENT column) for table formats, a ``---``-separated document for
YAML, one JSON object per line for JSON, the template for each changed object.
"""

from __future__ import annotations

from collections.abc import Iterator

import click

from ..backends.base import WatchEvent
from ..calicoctl.actions import KindList
from ..calicoctl.command import Selection, execute_config_command
from ..calicoctl.files import calicoctl_kind
from ..calicoctl.messages import get_errors, get_failure
from ..calicoctl.namespace import handle_namespace
from ..calicoctl.output import JSONPrinter, Printer, TablePrinter, YAMLPrinter, config_lookup, parse_output
from ..calicoctl.printer import ConfigLookup, format_table
from ..calicoctl.session import Session
from ..client import Client
from ..errors import CalicoError
from .base import DocoptCommand, fail, out
from .complete import complete_resources
from .options import allow_mismatch_option, config_option, context_option, file_options, namespace_option
from .resources import kind_or_files, open_session

__all__ = ["get"]


class _Get(DocoptCommand):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # calicoctl: "-a option Backward compatibility".
        return super().parse_args(ctx, ["-A" if arg == "-a" else arg for arg in args])


@click.command("get", cls=_Get)
@click.argument("args", nargs=-1, shell_complete=complete_resources)
@file_options(required=False)
@click.option("-o", "--output", default="ps")
@config_option
@namespace_option
@click.option("-A", "--all-namespaces", is_flag=True, default=False)
@click.option("--export", is_flag=True, default=False)
@context_option
@allow_mismatch_option
@click.option("-w", "--watch", is_flag=True, default=False)
@click.option("--watch-timeout", type=float, default=None)
@click.pass_context
def get(
    ctx: click.Context,
    args: tuple[str, ...],
    filename: str | None,
    recursive: bool,
    skip_empty: bool,
    output: str,
    config: str,
    namespace: str,
    all_namespaces: bool,
    export: bool,
    context: str | None,
    allow_version_mismatch: bool,
    watch: bool,
    watch_timeout: float | None,
) -> None:
    assert isinstance(ctx.command, DocoptCommand)
    selection = kind_or_files(ctx.command, args, filename, recursive, skip_empty)
    try:
        printer = parse_output(output, print_namespace=all_namespaces or bool(namespace))
    except CalicoError as exc:
        fail(str(exc))
    session = open_session(ctx, config, context, allow_version_mismatch)
    results = execute_config_command(
        session,
        "get",
        selection,
        namespace=namespace,
        all_namespaces=all_namespaces,
        export=export and bool(selection.names),
    )
    failure = get_failure(results)
    if failure is not None:
        fail(failure)
    config_of = _lazy_config(session)
    try:
        for chunk in printer.chunks(results.objects, config_of):
            out(chunk)
    except CalicoError as exc:
        fail(str(exc))
    errors = get_errors(results)
    if errors is not None:
        fail(errors)
    if watch:
        if selection.filename is not None:
            fail("--watch needs a kind (get <KIND> [<NAME>...] --watch), not --filename")
        listed = [o for o in results.objects if isinstance(o, KindList)]
        since = listed[0].resource_version if listed else ""
        _watch(session.client, printer, config_of, selection, namespace, all_namespaces, since, watch_timeout)


def _lazy_config(session: Session) -> ConfigLookup:
    lookup: list[ConfigLookup] = []

    def config(name: str) -> str:
        if not lookup:
            lookup.append(config_lookup(session.client))
        return lookup[0](name)

    return config


def _watch(
    client: Client,
    printer: Printer,
    config: ConfigLookup,
    selection: Selection,
    namespace: str,
    all_namespaces: bool,
    since: str,
    timeout: float | None,
) -> None:
    info = calicoctl_kind(selection.kind)
    assert info is not None
    scope = handle_namespace(info, "", namespace, all_namespaces) if info.namespaced else ""
    if not since:
        since = client.list_result(info.kind, scope or None).resource_version
    names = set(selection.names)
    for event in _events(client, info.kind, scope, since, timeout):
        obj = event.object
        if obj is None:
            if event.type == "ERROR":
                fail(f"watch failed: {event.error}")
            continue
        if names and obj.metadata.name not in names:
            continue
        out(_render_event(printer, event, config))


def _events(client: Client, kind: str, scope: str, since: str, timeout: float | None) -> Iterator[WatchEvent]:
    return client.watch(kind, scope or None, since, timeout=timeout)


def _render_event(printer: Printer, event: WatchEvent, config: ConfigLookup) -> str:
    obj = event.object
    assert obj is not None
    if isinstance(printer, TablePrinter):
        table = printer.table(obj, config)
        header, row = table.splitlines()[:2]
        return format_table(["EVENT", *[header]], [[event.type, row]])
    if isinstance(printer, YAMLPrinter):
        return "---\n" + "".join(printer.chunks([obj], config))
    if isinstance(printer, JSONPrinter):
        return "".join(printer.chunks([obj], config)) + "\n"
    return "".join(printer.chunks([obj], config))
