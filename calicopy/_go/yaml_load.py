"""YAML text to Python data as go-yaml v2 and sigs.k8s.io/yaml read it, hardened for hostile input.

The one YAML reader of calicopy: manifests (:mod:`calicopy.manifests`), ``calicoctl.cfg``
(:mod:`calicopy.config`) and kubeconfigs (:mod:`calicopy.kdd.kubeconfig_files`) all call
:func:`load`.  It is one pass over libyaml's events, without recursion:

* plain scalars resolve as go-yaml v2 resolves them for ``interface{}`` targets, tagged ones
  as it decodes explicit tags (:mod:`calicopy._go.yaml`);
* map keys become strings as sigs.k8s.io/yaml makes them (``1`` -> ``"1"``); null and
  collection keys are errors;
* a repeated key is an error, as in ``yaml.UnmarshalStrict`` (``unique_keys=False``: the later
  value wins, as ``yaml.Unmarshal`` does); ``<<`` merges are expanded, go-yaml v2's way;
* aliases are budgeted like go-yaml v2.4's "excessive aliasing" check, so a few hundred bytes
  cannot expand into millions of nodes;
* nesting is capped (``max_depth``, aliases included) and so is the input (``max_bytes``).

Every problem is a :class:`LoadError` carrying which rule was broken (:class:`Rule`), the
position and the JSON path of the node; each reader words it its own way (libcalico-go's text
for calicoctl.cfg, client-go's for kubeconfigs, calicopy's for manifests).  A caller that needs
more than data (the manifest reader rejects shapes that can never be resources at their first
node) passes a :class:`Shape`.

Pure: no I/O.  PyYAML's libyaml bindings provide the events.
"""

from __future__ import annotations

import copy
import enum
from typing import Any, Final, Protocol

import yaml
from yaml import events as _events
from yaml._yaml import CParser

from .strconv import quote
from .yaml import HINTS, SPECIAL, TagError, key_text, resolve_hinted, resolve_tagged

__all__ = ["MAX_DEPTH", "LoadError", "Rule", "Shape", "ShapeError", "load"]

MAX_DEPTH: Final = 100
"""Default cap on the nesting of mappings and sequences (Calico resources need about 15)."""


class Rule(enum.Enum):
    """Which rule a document broke."""

    SYNTAX = "syntax"  # libyaml's scanner or parser: not YAML
    CHARACTERS = "characters"  # libyaml's reader: bytes that are not UTF-8/16, control characters
    UNREADABLE = "unreadable"  # the text cannot be handed to libyaml at all (lone surrogates)
    SIZE = "size"  # over max_bytes
    DEPTH = "depth"  # nested deeper than max_depth
    DUPLICATE_KEY = "duplicate key"
    MAP_KEY = "map key"  # a null or collection key
    MERGE = "merge"  # "<<" given something that is not a mapping or a list of them
    UNKNOWN_ANCHOR = "unknown anchor"
    RECURSIVE_ANCHOR = "recursive anchor"
    ALIASING = "aliasing"  # the alias expansion budget is spent
    TAG = "tag"  # an explicit tag the value does not fit
    SHAPE = "shape"  # refused by the caller's Shape


class LoadError(ValueError):
    """Why a document could not be loaded.

    ``reason`` is go-yaml's wording where go-yaml has one (no position in it); ``line`` and
    ``column`` are 0-based (``None`` when unknown); ``path`` is the JSON path of the node
    (``spec.ingress[0]``; ``None`` at the top).  Per rule: ``context`` is libyaml's context
    (``SYNTAX``), ``character`` the offending code (``CHARACTERS``), ``key`` the repeated key and
    ``typed_key`` the same as written (``1``, not ``"1"``; ``DUPLICATE_KEY``), ``merged`` whether
    it came through a ``<<`` merge, ``anchor`` the anchor's name, ``tag_error`` the :class:`~calicopy._go.yaml.TagError`
    and ``scalar`` the text of the scalar it is about.
    """

    def __init__(
        self,
        rule: Rule,
        reason: str,
        *,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
        context: str | None = None,
        character: int | None = None,
        key: str | None = None,
        typed_key: Any = None,
        merged: bool = False,
        anchor: str | None = None,
        tag_error: TagError | None = None,
        scalar: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.rule = rule
        self.reason = reason
        self.line = line
        self.column = column
        self.path = path
        self.context = context
        self.character = character
        self.key = key
        self.typed_key = typed_key
        self.merged = merged
        self.anchor = anchor
        self.tag_error = tag_error
        self.scalar = scalar


class ShapeError(Exception):
    """Raised by a :class:`Shape` hook to refuse a node; :func:`load` adds where it is."""


class Shape(Protocol):
    """What a caller allows where, checked as the document is read (``None`` roles: anything).

    Roles are the caller's own markers.  ``root`` is the role of the document's holder; the
    hooks are called only for collections whose role is not ``None``.
    """

    root: object

    def open(self, role: object, key: str | None, mapping: bool) -> object:
        """The role of a mapping (``mapping``) or sequence opening inside a collection of ``role``
        (under ``key`` when that is a mapping); raise :class:`ShapeError` to refuse it."""
        ...

    def item(self, role: object, value: Any) -> None:
        """``value`` is about to join a sequence (or the holder) of ``role``; raise
        :class:`ShapeError` to refuse it."""
        ...


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


def load(
    text: str | bytes,
    *,
    unique_keys: bool = True,
    max_depth: int = MAX_DEPTH,
    max_bytes: int | None = None,
    only_document: bool = False,
    shape: Shape | None = None,
) -> tuple[Any, bool]:
    """The first YAML document of ``text`` as Python data: ``(data, present)``.

    ``present`` is False when the text holds no document at all (only blanks or comments).
    Bytes may be UTF-8 or UTF-16 with a BOM, as libyaml reads them.  What follows the first
    document is not read (go-yaml's ``Unmarshal`` ignores it) unless ``only_document``, which
    makes a second document an error.  Raises :class:`LoadError`.
    """
    if max_bytes is not None and len(text) > max_bytes:
        raise LoadError(Rule.SIZE, f"input is {len(text)} bytes, over the {max_bytes}-byte limit")
    try:
        parser = CParser(text)
    except (UnicodeError, ValueError, TypeError) as exc:
        raise LoadError(Rule.UNREADABLE, f"cannot read the document: {exc}") from None
    try:
        return _Builder(parser, unique_keys, max_depth, only_document, shape).build()
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or "invalid YAML"
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line, mark.column) if mark is not None else (None, None)
        rule = Rule.SYNTAX
        if "maximum nesting depth" in problem:  # libyaml >= 0.2.6 has a depth limit of its own
            rule, problem = Rule.DEPTH, f"exceeded max depth of {max_depth}"
        context = exc.context if exc.problem else None
        raise LoadError(rule, problem, line=line, column=column, context=context) from None
    except yaml.reader.ReaderError as exc:
        char = exc.character
        code = ord(char) if isinstance(char, str) else int(char)
        position = exc.position if isinstance(exc.position, int) and 0 <= exc.position <= len(text) else None
        line = None
        if position is not None:
            line = text.count(b"\n", 0, position) if isinstance(text, bytes) else text.count("\n", 0, position)
        raise LoadError(Rule.CHARACTERS, exc.reason, line=line, character=code) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml raises the two kinds above
        raise LoadError(Rule.SYNTAX, str(exc).splitlines()[0] if str(exc) else "invalid YAML") from None
    finally:
        parser.dispose()


class _Builder:
    """One document's events to data.

    The open collections are a stack of frames ``(parent, key, parent_is_map, parent_role,
    anchor, decoded_at_start, start_mark)``; ``heights`` holds, per open collection, the
    deepest nesting below it so far (an alias copies its anchor's nesting, which the depth cap
    must count).
    """

    def __init__(self, parser: Any, unique_keys: bool, max_depth: int, only_document: bool, shape: Shape | None):
        self.parser = parser
        self.unique_keys = unique_keys
        self.max_depth = max_depth
        self.only_document = only_document
        self.shape = shape
        self.stack: list[tuple[Any, Any, bool, object, str | None, int, Any]] = []

    def build(self) -> tuple[Any, bool]:
        get_event = self.parser.get_event
        get_event()  # StreamStartEvent
        if get_event().__class__ is _STREAM_END:
            return None, False
        # That was the DocumentStartEvent.
        root: list[Any] = []
        container: Any = root
        is_map = False
        shape = self.shape
        role: object = None if shape is None else shape.root
        key: Any = _NO_KEY
        stack = self.stack
        heights: list[int] = []
        anchors: dict[str, Any] = {}
        decoded = 0
        aliased = 0
        max_depth = self.max_depth
        unique_keys = self.unique_keys
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
                    value = self._tagged(value, tag, event)
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1, 0)
            elif cls is _MAP_START or cls is _SEQ_START:
                decoded += 1
                where = (container, is_map, key)
                if is_map and key is _NO_KEY:
                    raise self._error(Rule.MAP_KEY, "invalid map key: a mapping key must be a scalar", event, where)
                if len(stack) >= max_depth:
                    raise self._error(Rule.DEPTH, f"exceeded max depth of {max_depth}", event)
                child: object = None
                if role is not None:
                    try:
                        named = key if is_map and key.__class__ is str else None
                        child = shape.open(role, named, cls is _MAP_START)  # type: ignore[union-attr]
                    except ShapeError as exc:
                        raise self._error(Rule.SHAPE, str(exc), event, where) from None
                anchor = event.anchor
                if anchor is not None:
                    anchors[anchor] = _OPEN
                stack.append((container, key, is_map, role, anchor, decoded, event.start_mark))
                heights.append(0)
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
                height = heights.pop() + 1
                container, key, is_map, role, anchor, start, start_mark = stack.pop()
                if anchor is not None:
                    anchors[anchor] = (value, decoded - start + 1, height)
                if heights and height > heights[-1]:
                    heights[-1] = height
                event = _At(start_mark)  # errors about a collection point at its start
            elif cls is _ALIAS:
                name = event.anchor
                entry = anchors.get(name)
                if entry is None:
                    raise self._error(Rule.UNKNOWN_ANCHOR, f"unknown anchor '{name}' referenced", event, anchor=name)
                if entry is _OPEN:
                    raise self._error(
                        Rule.RECURSIVE_ANCHOR, f"anchor '{name}' value contains itself", event, anchor=name
                    )
                value, size, height = entry
                decoded += size
                aliased += size
                if aliased > 100 and decoded > 1000 and aliased / decoded > _allowed_alias_ratio(decoded):
                    raise self._error(Rule.ALIASING, "document contains excessive aliasing", event)
                if height:
                    if len(stack) + height > max_depth:
                        raise self._error(Rule.DEPTH, f"exceeded max depth of {max_depth}", event)
                    if heights and height > heights[-1]:
                        heights[-1] = height
                    value = copy.deepcopy(value)
            elif cls is _DOC_END:
                if self.only_document:
                    following = get_event()
                    if following.__class__ is not _STREAM_END:  # pragma: no cover - libyaml wants '---' first
                        raise self._error(Rule.SYNTAX, "a second YAML document", following)
                return (root[0] if root else None), True
            else:  # pragma: no cover - libyaml emits no other events inside a document
                raise self._error(Rule.SYNTAX, f"unexpected YAML event {cls.__name__}", event)

            # Attach ``value`` to the open collection.
            if is_map:
                if key is _NO_KEY:
                    if value.__class__ is str:
                        key = value
                    elif value is _MERGE:
                        key = _MERGE
                        continue
                    else:
                        key = self._key_string(value, event, (container, is_map, key))
                    if unique_keys and key in container:
                        raise self._duplicate(container, key, value, event)
                    continue
                if key is _MERGE:
                    self._merge(container, value, event)
                else:
                    container[key] = value if value is not _MERGE else "<<"
                key = _NO_KEY
            else:
                if value is _MERGE:
                    value = "<<"
                if role is not None:
                    try:
                        shape.item(role, value)  # type: ignore[union-attr]
                    except ShapeError as exc:
                        raise self._error(Rule.SHAPE, str(exc), event, (container, is_map, key)) from None
                container.append(value)

    # -- the rare paths: keys, tags, merges and errors ------------------------------------------

    def _tagged(self, value: str, tag: str, event: Any) -> Any:
        try:
            return resolve_tagged(value, tag)
        except TagError as exc:
            raise self._error(Rule.TAG, str(exc), event, tag_error=exc, scalar=value) from None

    def _key_string(self, key: Any, event: Any, where: tuple[Any, bool, Any]) -> str:
        """sigs.k8s.io/yaml: keys that are not strings become strings; a null key is an error."""
        if isinstance(key, (bool, int, float)):
            return key_text(key)
        if key is None:
            raise self._error(Rule.MAP_KEY, "unsupported map key: null (a mapping key must be a string)", event)
        # An alias of a collection used as a key.
        raise self._error(Rule.MAP_KEY, "invalid map key: a mapping key must be a scalar", event, where)

    def _merge(self, container: dict[str, Any], value: Any, event: Any) -> None:
        """go-yaml v2 decode.go merge: a mapping, or a list of them (earlier ones win)."""
        sources = value if isinstance(value, list) else [value]
        if not all(isinstance(item, dict) for item in sources):
            raise self._error(Rule.MERGE, "map merge requires map or sequence of maps as the value", event)
        for item in reversed(sources):
            for k, v in item.items():
                if self.unique_keys and k in container:
                    raise self._duplicate(container, k, k, event, merged=True)
                container[k] = v

    def _duplicate(
        self, container: dict[str, Any], key: str, written: Any, event: Any, *, merged: bool = False
    ) -> LoadError:
        """go-yaml v2's strict-mode problem (decode.go setMapIndex: ``key %#v already set in map``).

        Reported at the repeated key, before its value is read (go-yaml names the value's line).
        """
        shown = quote(written) if isinstance(written, str) else key_text(written)
        return self._error(
            Rule.DUPLICATE_KEY,
            f"key {shown} already set in map",
            event,
            (container, True, _NO_KEY),
            leaf=key,
            key=key,
            typed_key=written,
            merged=merged,
        )

    def _error(
        self,
        rule: Rule,
        reason: str,
        event: Any,
        where: tuple[Any, bool, Any] | None = None,
        *,
        leaf: str | None = None,
        **details: Any,
    ) -> LoadError:
        """A LoadError at ``event``; with ``where`` (the open collection, whether it is a mapping
        and the key it waits for), the JSON path of the node too."""
        mark = event.start_mark
        path = None if where is None else self._path(*where, leaf)
        return LoadError(rule, reason, line=mark.line, column=mark.column, path=path, **details)

    def _path(self, container: Any, is_map: bool, key: Any, leaf: str | None) -> str | None:
        """The JSON path of the node being read (computed only for an error).

        Each frame holds the parent collection and the key it was waiting for when a child
        collection opened; the first frame's parent is the document's holder and names nothing.
        """
        parts: list[str] = []
        for parent, parent_key, parent_is_map, *_ in self.stack[1:]:
            parts.append(_path_key(parent_key) if parent_is_map else f"[{len(parent)}]")
        if self.stack:
            if leaf is not None:
                parts.append(_path_key(leaf))
            elif is_map:
                if key is not _NO_KEY:
                    parts.append(_path_key(key))
            else:
                parts.append(f"[{len(container)}]")
        path = ""
        for part in parts:
            path = part if not path else path + part if part.startswith("[") else f"{path}.{part}"
        return path or None


class _At:
    """Stands for a closed collection's event in errors: it is where the collection started."""

    __slots__ = ("start_mark",)

    def __init__(self, start_mark: Any) -> None:
        self.start_mark = start_mark


def _path_key(key: Any) -> str:
    return key if isinstance(key, str) else "<<" if key is _MERGE else str(key)
