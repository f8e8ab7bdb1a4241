"""``version`` (``commands/version.go``), with calicopy's ``-o json``.

``version --client`` must start fast, so this module loads no model: the datastore side is
imported only when the cluster's version is asked for.
"""

from __future__ import annotations

import importlib

import click

from ..calicoctl.version import (
    UNDETECTED,
    ClusterVersion,
    client_lines,
    cluster_lines,
    parse_duration,
    retrieval_failure,
    to_json,
)
from ..errors import CalicoError, DatastoreError
from .base import CliState, DocoptCommand, fail, out, state_of
from .options import allow_mismatch_option, config_option

__all__ = ["version"]


@click.command("version", cls=DocoptCommand)
@config_option
@click.option("--poll", default=None)
@allow_mismatch_option
@click.option("--client", "client_only", is_flag=True, default=False)
@click.option("-o", "--output", default="text")
@click.pass_context
def version(
    ctx: click.Context, config: str, poll: str | None, allow_version_mismatch: bool, client_only: bool, output: str
) -> None:
    # calicoctl does not check the version for this command.
    if output not in ("text", "json"):
        fail(f"unrecognized output format '{output}'")
    interval = parse_duration(poll) if poll else 0.0
    as_json = output == "json"
    if not as_json:
        out(client_lines())
    if client_only:
        if as_json:
            out(to_json(None))
        return
    _cluster(ctx, state_of(ctx), config, interval, as_json)


def _cluster(ctx: click.Context, state: CliState, config: str, interval: float, as_json: bool) -> None:
    # The datastore side (Client, models, the Kubernetes client) loads only for the cluster part.
    session_module = importlib.import_module("calicopy.calicoctl.session")
    session = session_module.Session(config, context=state.context)
    ctx.call_on_close(session.close)
    problem = session.client_error()
    if isinstance(problem, DatastoreError):
        out(to_json(None, detected=False) if as_json else UNDETECTED)
        return
    if problem is not None:
        fail(str(problem))
    client = session.client
    previous: ClusterVersion | None = None
    while True:
        error: str | None = None
        try:
            info = client.get("ClusterInformation", "default")
            spec = info.spec
            current = ClusterVersion.of(spec.calico_version, spec.cluster_type)
            if as_json:
                if current != previous:
                    out(to_json(current) + ("\n" if interval else ""))
            else:
                out(cluster_lines(current, previous))
            previous = current
        except CalicoError as exc:
            # Shown again once it can be read, as calicoctl does after a failure.
            error = retrieval_failure(exc)
            previous = None
        if not interval:
            if error is not None:
                fail(error)
            return
        if error is not None:
            click.echo(error, err=True)
        state.sleep(interval)
