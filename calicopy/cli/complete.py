"""Shell completion of kinds and resource names (``calicopy get <TAB>``, ``get ippool <TAB>``)."""

from __future__ import annotations

import importlib
from typing import Any

import click
from click.shell_completion import CompletionItem

from ..calicoctl.files import CALICOCTL_KINDS, calicoctl_kind
from ..calicoctl.usage import DEFAULT_CONFIG_PATH
from ..errors import CalicoError

__all__ = ["complete_resources"]


def complete_resources(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The kinds calicoctl accepts for the first argument, then the names of that kind's resources
    (read from the datastore the command's ``-c``/``-n`` name; nothing when it cannot be read)."""
    typed: tuple[str, ...] = tuple(ctx.params.get("args") or ())
    if not typed:
        return [CompletionItem(name) for name in sorted(CALICOCTL_KINDS) if name.startswith(incomplete.lower())]
    info = calicoctl_kind(typed[0])
    if info is None:
        return []
    try:
        names = _names(ctx.params, info.kind)
    except (CalicoError, OSError):
        return []
    return [CompletionItem(name) for name in names if name.startswith(incomplete) and name not in typed[1:]]


def _names(params: dict[str, Any], kind: str) -> list[str]:
    # The datastore side loads only when a name is to be completed.
    session_module = importlib.import_module("calicopy.calicoctl.session")
    session = session_module.Session(params.get("config") or DEFAULT_CONFIG_PATH, context=params.get("context"))
    try:
        client = session.client
        namespace = params.get("namespace") or None
        if client.kind_info(kind).namespaced and params.get("all_namespaces"):
            namespace = None
        return sorted({r.metadata.name for r in client.list(kind, namespace)})
    finally:
        session.close()
