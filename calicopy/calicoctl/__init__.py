"""calicoctl's resource-manager layer: multi-resource processing, namespace rules, the accounting
of partial success, every message text, and the output formats (tables; YAML/JSON through
:func:`calicopy.dump`).

The Python API (:class:`calicopy.Client`) returns structured outcomes and raises structured
errors; this layer words them as calicoctl does, for the ``calicopy`` command and the demo.

Modules: :mod:`.command` (``ExecuteConfigCommand``'s steps), :mod:`.actions` (each resource
through the Client, calicoctl's accounting), :mod:`.bulk_apply` (``apply`` of many resources in
bulk where that is calicoctl's outcome), :mod:`.files` (``-f`` files and command-line kinds),
:mod:`.namespace`, :mod:`.session` (config, Client, version check), :mod:`.messages` and
:mod:`.main_texts` (texts), :mod:`.usage` / :mod:`.usage_texts` (docopt texts), :mod:`.output` and
:mod:`.printer` (``get``'s formats), :mod:`.version`, :mod:`.dry_run` and :mod:`.diff` (calicopy's
additions).  Names are loaded on first use, so the command's help and ``version --client`` do not
load the models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .actions import Action, CommandResults, ResourceOutcome, Status, execute
    from .main_texts import massage_error
    from .messages import Summary, error_list, file_invalid, label_error, label_message, summary
    from .namespace import handle_namespace
    from .printer import render_table

_LAZY = {
    "Action": ".actions",
    "CommandResults": ".actions",
    "ResourceOutcome": ".actions",
    "Status": ".actions",
    "execute": ".actions",
    "Summary": ".messages",
    "error_list": ".messages",
    "file_invalid": ".messages",
    "label_error": ".messages",
    "label_message": ".messages",
    "summary": ".messages",
    "massage_error": ".main_texts",
    "handle_namespace": ".namespace",
    "render_table": ".printer",
}

__all__ = [
    "Action",
    "CommandResults",
    "ResourceOutcome",
    "Status",
    "Summary",
    "error_list",
    "execute",
    "file_invalid",
    "handle_namespace",
    "label_error",
    "label_message",
    "massage_error",
    "render_table",
    "summary",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
