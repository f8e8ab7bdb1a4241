"""YAML events to Python data, the go-yaml v2 way, for one calicoctl document.

One pass over libyaml's events, without recursion: scalars resolve as go-yaml v2 resolves them
for ``interface{}`` targets (:mod:`calicopy._go.yaml`), duplicate keys are errors as in
``yaml.UnmarshalStrict``, ``<<`` merges are expanded, aliases are budgeted like go-yaml's
"excessive aliasing" check, and non-string keys become strings as sigs.k8s.io/yaml makes them.
Shapes that can never be resources (a scalar where a resource must be, an unknown top-level
key) fail at their first node, so that a large junk document is rejected early.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from yaml import events as _events
from yaml._yaml import CParser

from .._go.yaml import HINTS, SPECIAL, TagError, key_text, resolve_hinted, resolve_tagged
from .messages import clip, describe, join_path

__all__ = ["MAX_DEPTH", "Problem", "parse_document"]

MAX_DEPTH = 100
"""Deepest nesting of mappings/sequences accepted (no Calico resource needs more than ~15)."""


@dataclass(frozen=True, slots=True)
class _Position:
    line: int
    column: int | None


class Problem(Exception):
    """A parse-level problem inside one document (lines relative to the document)."""

    def __init__(self, reason: str, mark: Any = None, path: str | None = None, *, structural: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line: int | None = getattr(mark, "line", None)
        self.column: int | None = getattr(mark, "column", None)
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


_STREAM_END = _events.StreamEndEvent
_DOC_END = _events.DocumentEndEvent
_SCALAR = _events.ScalarEvent
_ALIAS = _events.AliasEvent
_MAP_START = _events.MappingStartEvent
_MAP_END = _events.MappingEndEvent
_SEQ_START = _events.SequenceStartEvent
_SEQ_END = _events.SequenceEndEvent


class _Sentinel:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_NO_KEY: Any = _Sentinel("<no key>")
_OPEN: Any = _Sentinel("<open anchor>")
# go-yaml v2 merges on a plain "<<" key (decode.go isMerge); anywhere else it is the string "<<".
_MERGE: Any = _Sentinel("<<")


def _allowed_alias_ratio(decoded: int) -> float:
    """go-yaml v2.4 decode.go: the share of decoded nodes that may come from alias expansion."""
    if decoded <= 400_000:
        return 0.99
    if decoded >= 4_000_000:
        return 0.10
    return 0.99 - 0.89 * ((decoded - 400_000) / 3_600_000)


def _key_string(key: Any, mark: Any) -> str:
    """sigs.k8s.io/yaml: non-string keys become strings; null and collection keys are errors."""
    if isinstance(key, str):
        return key
    if isinstance(key, (bool, int, float)):
        return key_text(key)
    if key is None:
        raise Problem("unsupported map key: null (a mapping key must be a string)", mark)
    raise Problem(f"unsupported map key: {key!r}", mark)


def _resolve_tagged(value: str, tag: str, mark: Any) -> Any:
    """A scalar with an explicit tag, as go-yaml v2 decodes it into ``interface{}``."""
    try:
        return resolve_tagged(value, tag)
    except TagError as exc:
        if exc.got is None:
            raise Problem(f"!!binary value is not valid base64: {clip(value)!r}", mark) from None
        raise Problem(f"cannot decode {exc.got} `{clip(value)}` as a {exc.want}", mark) from None


def parse_document(body: str) -> tuple[Any, bool]:
    """Parse one calicoctl document; return ``(data, present)`` (``present`` False: no YAML document)."""
    try:
        parser = CParser(body)
    except (UnicodeError, ValueError, TypeError) as exc:
        raise Problem(f"cannot read the document: {exc}") from None
    try:
        return _build(parser)
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or "invalid YAML"
        if "maximum nesting depth" in problem:
            # libyaml >= 0.2.6 (PyYAML 6.0.4 wheels) stops at its own depth limit before ours.
            problem = f"document is nested too deeply (the limit is {MAX_DEPTH} levels)"
        elif exc.context:
            problem = f"{problem} ({exc.context})"
        raise Problem(problem, exc.problem_mark) from None
    except yaml.YAMLError as exc:  # ReaderError: characters YAML does not allow
        reason = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        position = getattr(exc, "position", None)
        where = None
        if isinstance(exc, yaml.reader.ReaderError):
            char = exc.character
            code = ord(char) if isinstance(char, str) else int(char)
            reason = f"{exc.reason}: #x{code:04x}"
            if isinstance(position, int) and 0 <= position <= len(body):
                where = _Position(body.count("\n", 0, position), None)
        raise Problem(reason, where) from None
    except RecursionError:  # pragma: no cover - the depth cap prevents it
        raise Problem(f"document is nested too deeply (the limit is {MAX_DEPTH} levels)") from None
    finally:
        parser.dispose()


# What a collection is to calicoctl, for the early structural checks in ``_build``.
_PLAIN_ROLE = 0  # anything inside a resource: the models check it
_ENVELOPE = 1  # a resource (or typed list) mapping: only these keys exist at its top
_RESOURCE_LIST = 2  # a top-level sequence or a typed list's ``items``: holds resources only
_ROOT = 3  # the holder of the document's root node
_ENVELOPE_KEYS = frozenset({"kind", "apiversion", "metadata", "spec", "status", "items"})


def _build(parser: Any) -> tuple[Any, bool]:
    """Build Python data from the parser's events for the first (and only) document.

    Non-recursive; one pass.  Applies go-yaml v2 semantics: YAML 1.1 plain-scalar resolution,
    strict duplicate keys, merge keys, alias budget, keys converted to strings as
    sigs.k8s.io/yaml does.  It also fails early on shapes that can never be resources
    (a scalar where a resource must be, an unknown top-level key), so that a large junk
    document is rejected at its first node rather than after it is built.
    """
    get_event = parser.get_event
    event = get_event()  # StreamStartEvent
    event = get_event()
    if event.__class__ is _STREAM_END:
        return None, False
    # DocumentStartEvent.
    root: list[Any] = []
    container: Any = root
    is_map = False
    role = _ROOT
    key: Any = _NO_KEY
    stack: list[tuple[Any, Any, bool, int, str | None, int]] = []
    anchors: dict[str, Any] = {}
    decoded = 0
    aliased = 0
    special = SPECIAL
    hints = HINTS
    while True:
        event = get_event()
        cls = event.__class__
        if cls is _SCALAR:
            decoded += 1
            tag = event.tag
            value: Any = event.value
            if tag is None:
                if event.implicit[0]:
                    hint = hints.get(value[:1])
                    if hint is not None:
                        value = special.get(value, value) if hint == "M" else resolve_hinted(value, hint)
                    elif value == "<<":
                        value = _MERGE
            else:
                value = _resolve_tagged(value, tag, event.start_mark)
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1)
        elif cls is _MAP_START or cls is _SEQ_START:
            decoded += 1
            if is_map and key is _NO_KEY:
                raise Problem(
                    "invalid map key: a mapping key must be a scalar",
                    event.start_mark,
                    _path_of(stack, container, key, is_map),
                )
            if len(stack) >= MAX_DEPTH:
                raise Problem(f"document is nested too deeply (the limit is {MAX_DEPTH} levels)", event.start_mark)
            if role == _PLAIN_ROLE:
                child = _PLAIN_ROLE
            elif role == _ENVELOPE:
                child = _RESOURCE_LIST if cls is _SEQ_START and key.casefold() == "items" else _PLAIN_ROLE
            elif cls is _MAP_START:
                child = _ENVELOPE
            elif role == _ROOT:
                child = _RESOURCE_LIST
            else:
                raise Problem(
                    "list item is a list, not a resource (a mapping with apiVersion and kind)",
                    event.start_mark,
                    _path_of(stack, container, key, is_map),
                    structural=True,
                )
            anchor = event.anchor
            if anchor is not None:
                anchors[anchor] = _OPEN
            stack.append((container, key, is_map, role, anchor, decoded))
            if cls is _MAP_START:
                container = {}
                is_map = True
            else:
                container = []
                is_map = False
            role = child
            key = _NO_KEY
            continue
        elif cls is _MAP_END or cls is _SEQ_END:
            value = container
            container, key, is_map, role, anchor, start = stack.pop()
            if anchor is not None:
                anchors[anchor] = (value, decoded - start + 1)
        elif cls is _ALIAS:
            name = event.anchor
            entry = anchors.get(name)
            if entry is None:
                raise Problem(f"unknown anchor '{name}' referenced", event.start_mark)
            if entry is _OPEN:
                raise Problem(f"anchor '{name}' value contains itself", event.start_mark)
            value, size = entry
            decoded += size
            aliased += size
            if aliased > 100 and decoded > 1000 and aliased / decoded > _allowed_alias_ratio(decoded):
                raise Problem(
                    "document contains excessive aliasing (alias expansion budget exceeded)", event.start_mark
                )
            if isinstance(value, (dict, list)):
                value = copy.deepcopy(value)
        elif cls is _DOC_END:
            following = get_event()
            if following.__class__ is not _STREAM_END:  # pragma: no cover - libyaml wants '---' first
                raise Problem(
                    "a second YAML document in the same '---'-separated document; "
                    "separate documents with '---' on a line of its own",
                    following.start_mark,
                )
            return (root[0] if root else None), True
        else:  # pragma: no cover - libyaml emits no other events inside a document
            raise Problem(f"unexpected YAML event {cls.__name__}", event.start_mark)

        # Attach ``value`` to the open collection.
        if is_map:
            if key is _NO_KEY:
                if value is _MERGE:
                    key = _MERGE
                else:
                    key = value if value.__class__ is str else _key_string(value, event.start_mark)
                    if role == _ENVELOPE and key.casefold() not in _ENVELOPE_KEYS:
                        raise Problem(
                            f"field in document is not recognized or is in the wrong location: {key}",
                            event.start_mark,
                            _path_of(stack, container, _NO_KEY, True, key),
                            structural=True,
                        )
                continue
            if key is _MERGE:
                _merge_into(container, value, event, stack, role)
            else:
                if value is _MERGE:
                    value = "<<"
                if key in container:
                    raise Problem(
                        f'key "{key}" already set in map (duplicate keys are not allowed)',
                        event.start_mark,
                        _path_of(stack, container, _NO_KEY, True, key),
                    )
                container[key] = value
            key = _NO_KEY
        else:
            if role != _PLAIN_ROLE and value.__class__ is not dict:
                if role == _RESOURCE_LIST:
                    raise Problem(
                        f"list item is {describe(value)}, not a resource (a mapping with apiVersion and kind)",
                        event.start_mark,
                        _path_of(stack, container, key, is_map),
                        structural=True,
                    )
                if value is not None and value.__class__ is not list:
                    raise Problem(
                        f"document is {describe(value)}, not a resource (a mapping with apiVersion and kind) "
                        "or a list of resources",
                        event.start_mark,
                        structural=True,
                    )
            if value is _MERGE:
                value = "<<"
            container.append(value)


def _merge_into(container: dict[str, Any], value: Any, event: Any, stack: list[Any], role: int) -> None:
    sources = value if isinstance(value, list) else [value]
    if not all(isinstance(item, dict) for item in sources):
        raise Problem("map merge requires map or sequence of maps as the value", event.start_mark)
    for item in reversed(sources):
        for k, v in item.items():
            if role == _ENVELOPE and k.casefold() not in _ENVELOPE_KEYS:
                raise Problem(
                    f"field in document is not recognized or is in the wrong location: {k}",
                    event.start_mark,
                    _path_of(stack, container, _NO_KEY, True, k),
                    structural=True,
                )
            if k in container:
                raise Problem(
                    f'key "{k}" already set in map (duplicate keys are not allowed, also through "<<" merges)',
                    event.start_mark,
                    _path_of(stack, container, _NO_KEY, True, k),
                )
            container[k] = v


def _path_of(stack: Sequence[Any], container: Any, key: Any, is_map: bool, leaf: str | None = None) -> str | None:
    """The JSON path of the node being built, for error messages (computed only on error).

    Each stack frame holds the parent collection and the key it was waiting for when a child
    collection opened; frame 0's parent is the document's root holder and names nothing.
    """
    parts: list[str] = []
    for frame in stack[1:]:
        parent, parent_key, parent_is_map = frame[0], frame[1], frame[2]
        parts.append(_path_key(parent_key) if parent_is_map else f"[{len(parent)}]")
    if stack:
        if leaf is not None:
            parts.append(_path_key(leaf))
        elif is_map:
            if key is not _NO_KEY:
                parts.append(_path_key(key))
        else:
            parts.append(f"[{len(container)}]")
    path = ""
    for part in parts:
        path = join_path(path, part)
    return path or None


def _path_key(key: Any) -> str:
    return key if isinstance(key, str) else "<<" if key is _MERGE else str(key)
