"""calicoctl's resource-manager layer: multi-resource processing, namespace rules, the accounting
of partial success, every message text, and the output formats (tables; YAML/JSON through
:func:`calicopy.dump`).

The Python API (:class:`calicopy.Client`) returns structured outcomes and raises structured
errors; this layer words them as calicoctl does, for the ``calicopy`` command and the demo.
"""

from __future__ import annotations

from .execute import Action, CommandResults, ResourceOutcome, Status, execute
from .messages import Summary, error_list, file_invalid, label_error, label_message, massage_error, summary
from .namespace import handle_namespace
from .printer import render_table

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
