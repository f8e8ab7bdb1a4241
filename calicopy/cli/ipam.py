"""``ipam show|check|release|configure|split`` (``commands/ipam/*.go``): each reads its arguments
as calicoctl does, calls ``client.ipam`` (:mod:`calicopy.ipam`) and prints
:mod:`calicopy.calicoctl.ipam`'s texts.  calicopy adds ``ipam show -o json|yaml``.

Every command checks the cluster's version first (``--allow-version-mismatch`` skips it), then
builds the Client; a Client that cannot be built is the command's error.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from typing import Any

import click

from .._go.os import path_error
from ..calicoctl import ipam as texts
from ..calicoctl.main_texts import ExitNow
from ..calicoctl.version import CLIENT_VERSION
from ..client import Client
from ..config import CalicoAPIConfig, CalicoAPIConfigSpec
from ..errors import CalicoError
from ..ipam import CheckReport
from ..ipam.admin import ReleaseRefused
from ..kdd.credentials import http_client
from ..kdd.kubeconfig import KubeConnection, kube_connection
from ..kdd.requests import ApiError, ConnectionFailure, Request
from ..kdd.transport import Transport
from ..retry import RateLimiter, RetryPolicy
from .base import DocoptCommand, fail, out, state_of
from .datastore import checked_client, read_file
from .options import allow_mismatch_option, config_option
from .resources import open_session

__all__ = ["check", "configure", "release", "show", "split"]


def _client(ctx: click.Context, config: str, allow_version_mismatch: bool) -> Client:
    return checked_client(open_session(ctx, config, None, allow_version_mismatch))


def _valid_ip(text: str) -> str:
    """``argutils.ValidateIP``: calicoctl prints the refusal on stdout and exits 1."""
    ip = texts.parse_go_ip(text)
    if ip is None:
        raise ExitNow(texts.invalid_ip(text))
    return ip


# -- show -------------------------------------------------------------------------------------------


@click.command("show", cls=DocoptCommand, doc_path="ipam show")
@click.option("--ip", default=None)
@click.option("--show-blocks", is_flag=True, default=False)
@click.option("--show-borrowed", is_flag=True, default=False)
@click.option("--show-configuration", is_flag=True, default=False)
@config_option
@allow_mismatch_option
@click.option("-o", "--output", default="table")
@click.pass_context
def show(
    ctx: click.Context,
    ip: str | None,
    show_blocks: bool,
    show_borrowed: bool,
    show_configuration: bool,
    config: str,
    allow_version_mismatch: bool,
    output: str,
) -> None:
    assert isinstance(ctx.command, DocoptCommand)
    # docopt: [--ip=<IP> | --show-blocks | --show-borrowed | --show-configuration]
    if (ip is not None) + show_blocks + show_borrowed + show_configuration > 1:
        ctx.command.usage_error()
    if output not in texts.SHOW_FORMATS:
        fail(texts.unrecognized_output(output))
    table = output == "table"
    client = _client(ctx, config, allow_version_mismatch)
    if ip is not None:
        address = _valid_ip(ip)
        found = client.ipam.lookup(address)
        out(texts.ip_text(address, found) if table else _document(texts.allocation_document(address, found), output))
    elif show_borrowed:
        borrowed = client.ipam.borrowed()
        out(texts.borrowed_table(borrowed) if table else _document(texts.borrowed_document(borrowed), output))
    elif show_configuration:
        try:
            settings = client.ipam.config()
        except CalicoError as exc:
            fail(texts.ipam_failure(exc))
        out(texts.config_table(settings) if table else _document(texts.config_document(settings), output))
    else:
        usage = client.ipam.usage()
        if table:
            out(texts.usage_table(usage, show_blocks=show_blocks))
        else:
            out(_document(texts.usage_document(usage, show_blocks=show_blocks), output))


def _document(document: Mapping[str, Any], output: str) -> str:
    return texts.render_document(document, "json" if output == "json" else "yaml")


# -- check ------------------------------------------------------------------------------------------


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    # check.go hands its version to docopt, which prints it for --version (before anything else).
    if value and not ctx.resilient_parsing:
        click.echo(CLIENT_VERSION)
        ctx.exit(0)


@click.command("check", cls=DocoptCommand, doc_path="ipam check")
@config_option
@click.option("--show-all-ips", is_flag=True, default=False)
@click.option("--show-problem-ips", is_flag=True, default=False)
@click.option("-o", "--output", default=None)
@click.option("--kubeconfig", default=None)
@allow_mismatch_option
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version, hidden=True)
@click.pass_context
def check(
    ctx: click.Context,
    config: str,
    show_all_ips: bool,
    show_problem_ips: bool,
    output: str | None,
    kubeconfig: str | None,
    allow_version_mismatch: bool,
) -> None:
    client = _client(ctx, config, allow_version_mismatch)
    connection = _kube_connection(client, kubeconfig, state_of(ctx).context)
    report = CheckReport()
    try:
        client.ipam.check(services=_services(connection), report=report)
    except CalicoError as exc:
        # calicoctl prints as it goes: what it had printed, then the step's error.
        out(texts.check_text(report, show_all_ips=show_all_ips, show_problem_ips=show_problem_ips))
        fail(texts.check_failure(report, exc))
    out(texts.check_text(report, show_all_ips=show_all_ips, show_problem_ips=show_problem_ips))
    if output:
        _write_report(output, report)


def _kube_connection(client: Client, kubeconfig: str | None, context: str | None) -> KubeConnection:
    """Where Services are read: the Kubernetes datastore's own connection, else (etcd) the
    kubeconfig of ``--kubeconfig`` or ``KUBECONFIG``, as calicoctl's ``BuildConfigFromFlags``."""
    if client.config is not None and client.config.spec.datastore_type == "kubernetes":
        return kube_connection(client.config, context)
    path = kubeconfig if kubeconfig is not None else os.environ.get("KUBECONFIG", "")
    if not path:
        fail(texts.NO_KUBECONFIG)
    try:
        os.stat(path)
    except OSError as exc:
        fail(path_error("stat", path, exc))
    try:
        return kube_connection(CalicoAPIConfig(spec=CalicoAPIConfigSpec(datastore_type="kubernetes", kubeconfig=path)))
    except CalicoError as exc:
        fail(str(exc))


def _services(connection: KubeConnection) -> Iterator[Mapping[str, Any]]:
    """The cluster's Services (``CoreV1().Services("").List``), read when first iterated: only the
    LoadBalancer check (when the kube-controllers configuration manages load balancers) needs them."""
    transport = Transport(
        http_client(connection),
        limiter=RateLimiter.for_client(connection.qps, connection.burst),
        policy=RetryPolicy(),
        owns_client=True,
    )
    try:
        listed = transport.json(Request("LIST", "GET", "/api/v1/services"))
    except (ApiError, ConnectionFailure) as exc:  # client-go's text, as calicoctl returns it
        raise CalicoError(str(exc)) from None
    finally:
        transport.close()
    yield from listed.get("items") or []


def _write_report(path: str, report: CheckReport) -> None:
    # os.WriteFile(outFile, bytes, 0o777), its error ignored as calicoctl ignores it.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o777)
        with os.fdopen(fd, "wb") as handle:
            handle.write(report.to_json().encode())
    except OSError:
        pass


# -- release ----------------------------------------------------------------------------------------


@click.command("release", cls=DocoptCommand, doc_path="ipam release")
@click.option("--ip", default=None)
@click.option("--from-report", "reports", multiple=True)
@config_option
@click.option("--force", is_flag=True, default=False)
@allow_mismatch_option
@click.pass_context
def release(
    ctx: click.Context,
    ip: str | None,
    reports: tuple[str, ...],
    config: str,
    force: bool,
    allow_version_mismatch: bool,
) -> None:
    client = _client(ctx, config, allow_version_mismatch)
    if reports:
        loaded = [_read_report(path) for path in reports]
        try:
            outcome = client.ipam.release(reports=loaded, force=force)
        except ReleaseRefused as exc:
            out("".join(w + "\n" for w in exc.warnings))
            fail(str(exc))
        except CalicoError as exc:
            fail(str(exc))
        assert not isinstance(outcome, str)
        out(texts.release_report_text(outcome))
        return
    if ip is not None:
        address = _valid_ip(ip)
        try:
            client.ipam.release(address)
        except CalicoError as exc:
            fail(str(exc))
        out(texts.release_ip_text(address))


def _read_report(path: str) -> CheckReport:
    """A ``--from-report`` file, read and decoded as calicoctl does (``-`` is a file of that name)."""
    try:
        data = read_file(path)
    except CalicoError as exc:
        fail(str(exc))
    try:
        document = json.loads(data)
    except ValueError as exc:
        fail(texts.report_decode_error(data, exc))
    if document is None:  # Go unmarshals null into an empty report
        return CheckReport(source=path)
    if not isinstance(document, dict):
        fail(texts.report_type_error(document))
    return CheckReport.from_json(data, source=path)


# -- configure --------------------------------------------------------------------------------------


@click.command("configure", cls=DocoptCommand, doc_path="ipam configure")
@click.option("--strictaffinity", default=None)
@click.option("--max-blocks-per-host", default=None)
@click.option("--kubevirt-ip-persistence", default=None)
@config_option
@allow_mismatch_option
@click.pass_context
def configure(
    ctx: click.Context,
    strictaffinity: str | None,
    max_blocks_per_host: str | None,
    kubevirt_ip_persistence: str | None,
    config: str,
    allow_version_mismatch: bool,
) -> None:
    client = _client(ctx, config, allow_version_mismatch)
    try:
        # An empty value counts as not given, as calicoctl reads it.
        strict = texts.parse_strict_affinity(strictaffinity) if strictaffinity else None
        max_blocks = texts.parse_max_blocks(max_blocks_per_host) if max_blocks_per_host else None
        persistence = texts.parse_persistence(kubevirt_ip_persistence) if kubevirt_ip_persistence else None
    except CalicoError as exc:
        fail(str(exc))
    if strict is None and max_blocks is None and persistence is None:
        fail(texts.NOTHING_TO_CONFIGURE)
    try:
        client.ipam.configure(
            strict_affinity=strict, max_blocks_per_host=max_blocks, kube_virt_vm_address_persistence=persistence
        )
    except CalicoError as exc:
        fail(texts.ipam_failure(exc))
    out(texts.configure_text(strict_affinity=strict, max_blocks_per_host=max_blocks, persistence=persistence))


# -- split ------------------------------------------------------------------------------------------


@click.command("split", cls=DocoptCommand, doc_path="ipam split")
@click.argument("args", nargs=-1)
@config_option
@click.option("--cidr", default="")
@click.option("--name", default="")
@allow_mismatch_option
@click.pass_context
def split(
    ctx: click.Context, args: tuple[str, ...], config: str, cidr: str, name: str, allow_version_mismatch: bool
) -> None:
    assert isinstance(ctx.command, DocoptCommand)
    if len(args) != 1:  # docopt: split <NUMBER>
        ctx.command.usage_error()
    client = _client(ctx, config, allow_version_mismatch)
    try:
        result = client.ipam.split(args[0], cidr=cidr, name=name)
    except CalicoError as exc:
        fail(str(exc))
    out(texts.split_text(result))
