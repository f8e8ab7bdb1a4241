"""What the Client's verbs report beyond the stored object: one apply of a bulk operation, one label change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .resources.meta import Resource

__all__ = ["ApplyAction", "ApplyOutcome", "LabelResult"]

ApplyAction = Literal["created", "updated", "unchanged", "failed", "skipped"]


@dataclass(frozen=True, slots=True)
class ApplyOutcome:
    """What ``Client.apply_all`` did with one input resource.

    ``action``: ``created``, ``updated``, ``unchanged`` (the stored object already matched),
    ``failed`` (``error`` says why) or ``skipped`` (valid, but not written because another
    resource failed and ``continue_on_error`` was false).  ``result`` is the stored object after
    the write (or the unchanged stored object; with ``dry_run``, the object that would be stored).
    """

    resource: Resource
    action: ApplyAction
    error: Exception | None = None
    result: Resource | None = None


@dataclass(frozen=True, slots=True)
class LabelResult:
    """The outcome of ``Client.label``: the stored resource and what happened to ``key``
    (:func:`calicopy.calicoctl.messages.label_message` words it as calicoctl prints it)."""

    resource: Resource
    action: Literal["set", "updated", "removed"]
    key: str
    kind: str  # as the caller named it (calicoctl echoes the kind as typed)
    name: str
