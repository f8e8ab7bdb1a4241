"""One calicoctl document's YAML to Python data: the hardened go-yaml v2 reader plus what a manifest may be.

Reading is :func:`calicopy._go.yaml_load.load` (go-yaml v2 scalars, strict duplicate keys,
``<<`` merges, the alias budget, the depth cap, keys as sigs.k8s.io/yaml makes them).  On top,
this module knows the shapes of a manifest: a document is a resource (a mapping), a sequence of
them, or a typed list whose ``items`` hold them, so a scalar or a list where a resource must be
fails at its first node and a large junk document is rejected early.  What a resource's own
keys may be is for the models to say (they report every unknown key with every other problem).
Problems are worded for manifest errors (:class:`Problem`).
"""

from __future__ import annotations

from typing import Any

from .._go.yaml_load import LoadError, Rule, ShapeError, load
from .messages import clip, describe

__all__ = ["MAX_DEPTH", "Problem", "parse_document"]

MAX_DEPTH = 100
"""Deepest nesting of mappings/sequences accepted (no Calico resource needs more than ~15)."""


class Problem(Exception):
    """A parse-level problem inside one document (lines relative to the document, 0-based)."""

    def __init__(
        self,
        reason: str,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
        *,
        structural: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column
        self.path = path
        self.structural = structural

    def message(self, line_offset: int) -> str:
        """``yaml: line L, column C: reason`` (YAML problems) or ``reason (line L)`` (wrong shapes)."""
        if self.line is None:
            return self.reason if self.structural else f"yaml: {self.reason}"
        where = f"line {self.line + 1 + line_offset}"
        if self.structural:
            return f"{self.reason} (line {self.line + 1 + line_offset})"
        if self.column is not None:
            where += f", column {self.column + 1}"
        return f"yaml: {where}: {self.reason}"


def parse_document(body: str) -> tuple[Any, bool]:
    """Parse one calicoctl document; return ``(data, present)`` (``present`` False: no YAML document)."""
    try:
        return load(body, max_depth=MAX_DEPTH, only_document=True, shape=_SHAPE)
    except LoadError as exc:
        raise _problem(exc) from None


# What a collection is to calicoctl (roles of the Shape; None: inside a resource, the models check it).
_ENVELOPE = "resource"  # a resource (or typed list) mapping
_RESOURCE_LIST = "resource list"  # a top-level sequence or a typed list's ``items``: holds resources only
_ROOT = "document"  # the holder of the document's root node
_NOT_A_RESOURCE = "not a resource (a mapping with apiVersion and kind)"


class _ManifestShape:
    root: object = _ROOT

    def open(self, role: object, key: str | None, mapping: bool) -> object:
        if role is _ENVELOPE:
            return _RESOURCE_LIST if not mapping and key is not None and key.casefold() == "items" else None
        if mapping:
            return _ENVELOPE
        if role is _ROOT:
            return _RESOURCE_LIST
        raise ShapeError(f"list item is a list, {_NOT_A_RESOURCE}")

    def item(self, role: object, value: Any) -> None:
        if value.__class__ is dict:
            return
        if role is _RESOURCE_LIST:
            raise ShapeError(f"list item is {describe(value)}, {_NOT_A_RESOURCE}")
        if value is not None and value.__class__ is not list:
            raise ShapeError(f"document is {describe(value)}, {_NOT_A_RESOURCE} or a list of resources")


_SHAPE = _ManifestShape()


def _problem(exc: LoadError) -> Problem:
    """The loader's problem in manifest words."""
    rule = exc.rule
    reason = exc.reason
    line, column = exc.line, exc.column
    if rule is Rule.SYNTAX and exc.context:
        reason = f"{reason} ({exc.context})"
    elif rule is Rule.CHARACTERS:
        reason, column = f"{reason}: #x{exc.character or 0:04x}", None
    elif rule is Rule.DEPTH:
        reason = f"document is nested too deeply (the limit is {MAX_DEPTH} levels)"
    elif rule is Rule.ALIASING:
        reason = "document contains excessive aliasing (alias expansion budget exceeded)"
    elif rule is Rule.DUPLICATE_KEY:
        also = ', also through "<<" merges' if exc.merged else ""
        reason = f'key "{exc.key}" already set in map (duplicate keys are not allowed{also})'
    elif rule is Rule.TAG and exc.tag_error is not None:
        scalar = clip(exc.scalar or "")
        if exc.tag_error.got is None:
            reason = f"!!binary value is not valid base64: {scalar!r}"
        else:
            reason = f"cannot decode {exc.tag_error.got} `{scalar}` as a {exc.tag_error.want}"
    return Problem(reason, line, column, exc.path, structural=rule is Rule.SHAPE)
