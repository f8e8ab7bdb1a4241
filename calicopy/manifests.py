"""Read and write manifests the way calicoctl does (``calicoctl create -f``, ``get -o yaml|json``).

Reading (:func:`load`, :func:`loads`, :func:`load_all`, :func:`loads_all`):

* the text is cut into documents on ``"\\n---"`` exactly like calicoctl's splitter
  (``calicoctl/calicoctl/util/yaml/separator.go``); each document is parsed on its own, so a
  syntax error stays in its document.  Documents are numbered from **1** in every message;
* a document is one resource, a YAML/JSON sequence of resources, or a typed list
  (``kind: IPPoolList`` with ``items``); empty documents are skipped;
* scalars resolve as go-yaml v2 (YAML 1.1) resolves them for ``interface{}`` targets (so
  ``10:20`` stays a string, ``yes`` is a bool, timestamps stay strings), duplicate keys are
  errors as in ``yaml.UnmarshalStrict``, and aliases are budgeted like go-yaml's
  "excessive aliasing" check;
* every resource goes through ``Model.from_dict`` (case-insensitive keys, unknown keys and
  libcalico-go validation failures rejected).

Everything is parsed and validated before anything is returned.  Every problem is a
:class:`calicopy.ManifestError` naming the source, the document, the field and the reason.

Limits (all raise ``ManifestError``): the whole input at most ``max_bytes`` (default
:data:`DEFAULT_MAX_BYTES`, 64 MiB), one document at most :data:`MAX_DOCUMENT_BYTES` (10 MiB,
calicoctl's own limit), at most ``max_documents`` documents (default
:data:`DEFAULT_MAX_DOCUMENTS`), nesting at most :data:`MAX_DEPTH` levels.

Writing (:func:`dump`): ``fmt="yaml"`` as ``calicoctl get -o yaml`` (sigs.k8s.io/yaml over
go-yaml v2: keys sorted at every level, sequences not indented under their key, strings quoted
only when they would read back as something else); ``fmt="json"`` as ``-o json`` (Go
``json.MarshalIndent`` with two spaces, struct field order, ``<``, ``>`` and ``&`` escaped,
no trailing newline).  One resource prints as that object, several as a list.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import copy
import io
import math
import os
import re
import struct
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cmp_to_key
from json.encoder import encode_basestring
from typing import IO, Any, Literal

import yaml
from yaml import events as _events
from yaml import nodes as _nodes
from yaml._yaml import CEmitter, CParser
from yaml.resolver import BaseResolver

from .errors import CalicoError, ManifestError, ValidationError
from .resources.meta import API_VERSION, ListMeta, Resource
from .resources.registry import KINDS

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DOCUMENTS",
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "DocumentResult",
    "dump",
    "load",
    "load_all",
    "loads",
    "loads_all",
    "to_go_json",
    "to_go_yaml",
]

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
"""Default cap on the size of one input (file, stream or text), in bytes (characters for text)."""

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
"""calicoctl's per-document cap (its document splitter's buffer): 10 MiB."""

DEFAULT_MAX_DOCUMENTS = 100_000
"""Default cap on the number of ``---``-separated documents in one input."""

MAX_DEPTH = 100
"""Deepest nesting of mappings/sequences accepted (no Calico resource needs more than ~15)."""

CRD_V1_API_VERSION = "crd.projectcalico.org/v1"

Source = str | os.PathLike[str] | IO[str] | IO[bytes]
ErrorMode = Literal["raise", "collect"]


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """What one ``---``-separated document produced: its resources, or the error it raised.

    ``document`` is 1-based, ``line`` is the 1-based line of the input where it starts.
    """

    document: int
    line: int
    resources: tuple[Resource, ...]
    error: ManifestError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


# ------------------------------------------------------------------------------------------------
# Public API: reading


def load(source: Source, *, max_bytes: int = DEFAULT_MAX_BYTES, recursive: bool = False) -> list[Resource]:
    """Read the resources of a manifest file, directory or stream, as ``calicoctl create -f`` would.

    ``source`` is a path (``str`` or ``os.PathLike``; ``"-"`` means standard input, as with
    calicoctl) or an open text or binary stream.  A ``str`` that names no file is an error;
    parse text with :func:`loads`.  Returns the resources in file order (``[]`` when the file
    holds no resource).  Raises :class:`calicopy.ManifestError` for the first failing
    document; nothing is returned unless every document is valid.

    A directory is read as calicoctl's ``-f <dir>`` walks it: the files ending in ``.yaml``,
    ``.yml`` or ``.json`` (any case) in lexical order, descending into sub-directories only
    with ``recursive=True`` (``-R``).  Every file is read before anything is returned;
    ``max_bytes`` applies to each file.
    """
    if isinstance(source, (str, os.PathLike)) and os.path.isdir(source):
        resources: list[Resource] = []
        for path in manifest_files(source, recursive=recursive):
            resources += load(path, max_bytes=max_bytes)
        return resources
    text, name = _read_source(source, max_bytes)
    return _resources_or_raise(_load_text(text, name, max_bytes, DEFAULT_MAX_DOCUMENTS, "raise"))


_MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


def manifest_files(directory: str | os.PathLike[str], *, recursive: bool = False) -> list[str]:
    """The manifest files calicoctl's ``-f <dir>`` visits, in ``filepath.Walk``'s lexical order."""
    found: list[str] = []
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        raise ManifestError(f"cannot read directory: {exc.strerror or exc}", source=os.fspath(directory)) from None
    for entry in entries:
        if entry.is_dir():
            if recursive:
                found += manifest_files(entry.path, recursive=True)
        elif os.path.splitext(entry.name)[1].lower() in _MANIFEST_SUFFIXES:
            found.append(entry.path)
    return found


def loads(
    text: str | bytes,
    *,
    source: str = "<string>",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[Resource]:
    """Parse manifest text (YAML or JSON, one or more documents); see :func:`load`.

    ``source`` is the name used in error messages.
    """
    decoded = _decode(text, source) if isinstance(text, (bytes, bytearray)) else _check_text(text, source, max_bytes)
    return _resources_or_raise(_load_text(decoded, source, max_bytes, DEFAULT_MAX_DOCUMENTS, "raise"))


def load_all(
    source: Source,
    *,
    errors: ErrorMode = "collect",
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_documents: int = DEFAULT_MAX_DOCUMENTS,
) -> list[DocumentResult]:
    """Per-document outcomes of a manifest file or stream.

    With ``errors="collect"`` (the default) every document is tried and each
    :class:`DocumentResult` carries either its resources or its :class:`ManifestError`; with
    ``errors="raise"`` the first failing document raises.  Problems with the input as a whole
    (unreadable, too big, not UTF-8) always raise.
    """
    text, name = _read_source(source, max_bytes)
    return _load_text(text, name, max_bytes, max_documents, errors)


def loads_all(
    text: str | bytes,
    *,
    source: str = "<string>",
    errors: ErrorMode = "collect",
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_documents: int = DEFAULT_MAX_DOCUMENTS,
) -> list[DocumentResult]:
    """Per-document outcomes of manifest text; see :func:`load_all`."""
    decoded = _decode(text, source) if isinstance(text, (bytes, bytearray)) else _check_text(text, source, max_bytes)
    return _load_text(decoded, source, max_bytes, max_documents, errors)


def _resources_or_raise(results: list[DocumentResult]) -> list[Resource]:
    out: list[Resource] = []
    for result in results:
        if result.error is not None:  # pragma: no cover - "raise" mode raised already
            raise result.error
        out.extend(result.resources)
    return out


# ------------------------------------------------------------------------------------------------
# Input: files, streams, bytes


def _read_source(source: Source, max_bytes: int) -> tuple[str, str]:
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if path == "-":
            return _read_stream(sys.stdin, "<stdin>", max_bytes), "<stdin>"
        return _read_file(path, max_bytes), path
    if hasattr(source, "read"):
        name = getattr(source, "name", None)
        label = name if isinstance(name, str) and name else "<stream>"
        return _read_stream(source, label, max_bytes), label
    raise TypeError(f"load() takes a path or a readable stream, not {type(source).__name__}; use loads() for text")


def _read_file(path: str, max_bytes: int) -> str:
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                raise ManifestError(_too_big(size, max_bytes), source=path)
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise ManifestError(
            "no such file (to parse manifest text, use calicopy.manifests.loads)", source=path
        ) from None
    except IsADirectoryError:
        raise ManifestError("is a directory", source=path) from None  # only when isdir() raced
    except OSError as exc:
        raise ManifestError(f"cannot read file: {exc.strerror or exc}", source=path) from None
    if len(data) > max_bytes:
        raise ManifestError(_too_big(len(data), max_bytes, at_least=True), source=path)
    return _decode(data, path)


def _read_stream(stream: IO[str] | IO[bytes], label: str, max_bytes: int) -> str:
    try:
        data = stream.read(max_bytes + 1)
    except UnicodeDecodeError as exc:
        raise ManifestError(f"not valid UTF-8 text ({exc.reason}); is this a binary file?", source=label) from None
    except (OSError, ValueError) as exc:
        raise ManifestError(f"cannot read stream: {exc}", source=label) from None
    if len(data) > max_bytes:
        raise ManifestError(_too_big(len(data), max_bytes, at_least=True), source=label)
    if isinstance(data, (bytes, bytearray)):
        return _decode(bytes(data), label)
    if not isinstance(data, str):
        raise ManifestError(f"stream returned {type(data).__name__}, not text or bytes", source=label)
    return _check_text(data, label, max_bytes)


def _too_big(size: int, max_bytes: int, *, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return (
        f"input is {more}{size} bytes, over the {max_bytes}-byte limit "
        f"(max_bytes; the default is {DEFAULT_MAX_BYTES // (1024 * 1024)} MiB)"
    )


def _decode(data: bytes | bytearray, source: str) -> str:
    raw = bytes(data)
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
        encoding = "utf-8"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        raise ManifestError(
            f"not valid {encoding.upper()} text (byte 0x{bad} at offset {exc.start}); is this a binary file?",
            source=source,
        ) from None
    return _check_text(text, source, None)


def _check_text(text: str, source: str, max_bytes: int | None) -> str:
    if not isinstance(text, str):
        raise TypeError(f"loads() takes str or bytes, not {type(text).__name__}")
    if max_bytes is not None and len(text) > max_bytes:
        raise ManifestError(_too_big(len(text), max_bytes), source=source)
    if text.startswith("\ufeff"):
        text = text[1:]
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise ManifestError(f"contains a NUL character (line {line}); is this a binary file?", source=source)
    return text


# ------------------------------------------------------------------------------------------------
# Documents: calicoctl's "\n---" splitter


@dataclass(frozen=True, slots=True)
class _Chunk:
    start: int
    end: int


def _split(text: str, source: str, max_documents: int) -> list[_Chunk]:
    """Cut ``text`` where calicoctl does: at each ``"\\n---"``, dropping the rest of that line.

    calicoctl silently discards whatever follows ``---`` on the separator line; calicopy
    accepts only blanks and a comment there and rejects anything else rather than lose it.
    """
    count = text.count("\n---")
    if count + 1 > max_documents:
        raise ManifestError(
            f"too many documents: {count + 1} '---'-separated documents, the limit is {max_documents} (max_documents)",
            source=source,
        )
    chunks: list[_Chunk] = []
    pos = 0
    find = text.find
    while True:
        i = find("\n---", pos)
        if i < 0:
            chunks.append(_Chunk(pos, len(text)))
            return chunks
        chunks.append(_Chunk(pos, i))
        rest_start = i + 4
        j = find("\n", rest_start)
        rest_end = len(text) if j < 0 else j
        if rest_end > rest_start:
            rest = text[rest_start:rest_end].strip()
            if rest and not rest.startswith("#"):
                line = text.count("\n", 0, i + 1) + 1
                raise ManifestError(
                    f"line {line}: text after the '---' document separator is not supported "
                    f"(calicoctl silently drops it): {_clip(text[i + 1 : rest_end])!r}",
                    source=source,
                    document=len(chunks) + 1,
                )
        if j < 0:
            return chunks
        pos = j + 1


def _clip(text: str, limit: int = 60) -> str:
    text = text.rstrip("\r")
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ------------------------------------------------------------------------------------------------
# The loader proper


def _load_text(text: str, source: str, max_bytes: int, max_documents: int, errors: ErrorMode) -> list[DocumentResult]:
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors must be 'raise' or 'collect', not {errors!r}")
    if len(text) > max_bytes:
        raise ManifestError(_too_big(len(text), max_bytes), source=source)
    results: list[DocumentResult] = []
    line = 1
    previous = 0
    for number, chunk in enumerate(_split(text, source, max_documents), start=1):
        line += text.count("\n", previous, chunk.start)
        previous = chunk.start
        try:
            resources = _load_chunk(text, chunk, line, source, number)
        except ManifestError as exc:
            if errors == "raise":
                raise
            results.append(DocumentResult(number, line, (), exc))
            continue
        if resources or errors == "collect":
            results.append(DocumentResult(number, line, resources))
    return results


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _load_chunk(text: str, chunk: _Chunk, line: int, source: str, number: int) -> tuple[Resource, ...]:
    size = chunk.end - chunk.start
    if size > MAX_DOCUMENT_BYTES // 4 and len(text[chunk.start : chunk.end].encode("utf-8")) > MAX_DOCUMENT_BYTES:
        raise ManifestError(
            f"document is over calicoctl's {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB limit for one document "
            f"(starts at line {line})",
            source=source,
            document=number,
        )
    body = text[chunk.start : chunk.end]
    try:
        data, present = _parse_document(body)
    except _Problem as problem:
        raise ManifestError(problem.message(line - 1), source=source, document=number, field=problem.path) from None
    if not present or data is None:
        return ()
    return _resources_from_document(data, source, number)


# -- YAML events -> Python data, the go-yaml v2 way ------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Position:
    line: int
    column: int | None


class _Problem(Exception):
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
_DOC_START = _events.DocumentStartEvent
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
_MERGE: Any = _Sentinel("<<")
_OPEN: Any = _Sentinel("<open anchor>")

# go-yaml v2 resolve.go: the map of special plain scalars.
_SPECIAL: dict[str, Any] = {}
for _words, _value in (
    (("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    (("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    (("", "~", "null", "Null", "NULL"), None),
    ((".nan", ".NaN", ".NAN"), math.nan),
    ((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    (("-.inf", "-.Inf", "-.INF"), -math.inf),
    (("<<",), _MERGE),
):
    for _word in _words:
        _SPECIAL[_word] = _value

# First characters that can start a non-string plain scalar (resolve.go's resolveTable).
_HINT: dict[str, str] = {"": "M", "+": "S", "-": "S", ".": "."}
_HINT.update(dict.fromkeys("0123456789", "D"))
_HINT.update(dict.fromkeys("yYnNtTfFoO~", "M"))
_HINT["<"] = "M"  # "<<", the merge key

_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_DOT_FLOAT = re.compile(r"\.[0-9]+([eE][-+]?[0-9]+)?")
_DIGITS = {
    10: re.compile(r"[0-9]+"),
    16: re.compile(r"[0-9a-fA-F]+"),
    8: re.compile(r"[0-7]+"),
    2: re.compile(r"[01]+"),
}

_TAG_PREFIX = "tag:yaml.org,2002:"
_STR_TAG = _TAG_PREFIX + "str"


def _go_parse_int(text: str) -> int | None:
    """strconv.ParseInt/ParseUint(text, 0, 64) plus big.Int, as go-yaml v2 tries them."""
    body = text
    negative = False
    if body[:1] in ("+", "-"):
        negative = body[0] == "-"
        body = body[1:]
    base = 10
    if len(body) > 1 and body[0] == "0":
        prefix = body[1]
        if prefix in "xX":
            base, body = 16, body[2:]
        elif prefix in "oO":
            base, body = 8, body[2:]
        elif prefix in "bB":
            base, body = 2, body[2:]
        else:
            base, body = 8, body[1:]
    if not body or not _DIGITS[base].fullmatch(body):
        return None
    value = int(body, base)
    return -value if negative else value


def _resolve_plain(value: str, hint: str) -> Any:
    """go-yaml v2 ``resolve("", value)`` for a plain scalar whose first character hints a non-string."""
    special = _SPECIAL.get(value, _NO_KEY)
    if special is not _NO_KEY:
        return special
    if hint == ".":
        if _DOT_FLOAT.fullmatch(value):
            number = float(value)
            if not math.isinf(number):
                return number
        return value
    if hint in ("D", "S"):
        plain = value.replace("_", "")
        as_int = _go_parse_int(plain) if plain else None
        if as_int is not None:
            return as_int
        if _YAML_FLOAT.fullmatch(plain):
            number = float(plain)
            if not math.isinf(number):
                return number
    return value


def _resolve_tagged(value: str, tag: str, mark: Any) -> Any:
    """A scalar with an explicit tag, as go-yaml v2 decodes it into ``interface{}``."""
    if not tag.startswith(_TAG_PREFIX):
        return value  # local tags (!foo) and "!" leave the text as a string
    short = tag[len(_TAG_PREFIX) :]
    if short == "str":
        return value
    if short == "binary":
        try:
            cleaned = value.replace("\n", "").replace("\r", "").encode("ascii")
            return base64.b64decode(cleaned, validate=True).decode("utf-8", "replace")
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise _Problem(f"!!binary value is not valid base64: {_clip(value)!r}", mark) from None
    if short not in ("int", "float", "bool", "null", "timestamp"):
        return value
    hint = _HINT.get(value[:1], "")
    resolved: Any = _resolve_plain(value, hint) if hint else value
    ok: bool
    if short == "int":
        ok = isinstance(resolved, int) and not isinstance(resolved, bool)
    elif short == "float":
        if isinstance(resolved, int) and not isinstance(resolved, bool):
            resolved = float(resolved)
        ok = isinstance(resolved, float)
    elif short == "bool":
        ok = isinstance(resolved, bool)
    elif short == "null":
        ok = resolved is None
    else:
        ok = _is_go_timestamp(value)
        resolved = value
    if not ok:
        got = _short_tag_of(resolved)
        raise _Problem(f"cannot decode {got} `{_clip(value)}` as a !!{short}", mark)
    return resolved


def _short_tag_of(value: Any) -> str:
    if value is None:
        return "!!null"
    if isinstance(value, bool):
        return "!!bool"
    if isinstance(value, int):
        return "!!int"
    if isinstance(value, float):
        return "!!float"
    if value is _MERGE:
        return "!!merge"
    return "!!str"


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
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int):
        return str(key)
    if isinstance(key, float):
        return _go_float_g(key, single=True)
    if key is None:
        raise _Problem("unsupported map key: null (a mapping key must be a string)", mark)
    raise _Problem(f"unsupported map key: {key!r}", mark)


def _parse_document(body: str) -> tuple[Any, bool]:
    """Parse one calicoctl document; return ``(data, present)`` (``present`` False: no YAML document)."""
    try:
        parser = CParser(body)
    except (UnicodeError, ValueError, TypeError) as exc:
        raise _Problem(f"cannot read the document: {exc}") from None
    try:
        return _build(parser)
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or "invalid YAML"
        if "maximum nesting depth" in problem:
            # libyaml >= 0.2.6 (PyYAML 6.0.4 wheels) stops at its own depth limit before ours.
            problem = f"document is nested too deeply (the limit is {MAX_DEPTH} levels)"
        elif exc.context:
            problem = f"{problem} ({exc.context})"
        raise _Problem(problem, exc.problem_mark) from None
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
        raise _Problem(reason, where) from None
    except RecursionError:  # pragma: no cover - the depth cap prevents it
        raise _Problem(f"document is nested too deeply (the limit is {MAX_DEPTH} levels)") from None
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
    special = _SPECIAL
    hints = _HINT
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
                        value = special.get(value, value) if hint == "M" else _resolve_plain(value, hint)
            else:
                value = _resolve_tagged(value, tag, event.start_mark)
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1)
        elif cls is _MAP_START or cls is _SEQ_START:
            decoded += 1
            if is_map and key is _NO_KEY:
                raise _Problem(
                    "invalid map key: a mapping key must be a scalar",
                    event.start_mark,
                    _path_of(stack, container, key, is_map),
                )
            if len(stack) >= MAX_DEPTH:
                raise _Problem(f"document is nested too deeply (the limit is {MAX_DEPTH} levels)", event.start_mark)
            if role == _PLAIN_ROLE:
                child = _PLAIN_ROLE
            elif role == _ENVELOPE:
                child = _RESOURCE_LIST if cls is _SEQ_START and key.casefold() == "items" else _PLAIN_ROLE
            elif cls is _MAP_START:
                child = _ENVELOPE
            elif role == _ROOT:
                child = _RESOURCE_LIST
            else:
                raise _Problem(
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
                raise _Problem(f"unknown anchor '{name}' referenced", event.start_mark)
            if entry is _OPEN:
                raise _Problem(f"anchor '{name}' value contains itself", event.start_mark)
            value, size = entry
            decoded += size
            aliased += size
            if aliased > 100 and decoded > 1000 and aliased / decoded > _allowed_alias_ratio(decoded):
                raise _Problem(
                    "document contains excessive aliasing (alias expansion budget exceeded)", event.start_mark
                )
            if isinstance(value, (dict, list)):
                value = copy.deepcopy(value)
        elif cls is _DOC_END:
            following = get_event()
            if following.__class__ is not _STREAM_END:  # pragma: no cover - libyaml wants '---' first
                raise _Problem(
                    "a second YAML document in the same '---'-separated document; "
                    "separate documents with '---' on a line of its own",
                    following.start_mark,
                )
            return (root[0] if root else None), True
        else:  # pragma: no cover - libyaml emits no other events inside a document
            raise _Problem(f"unexpected YAML event {cls.__name__}", event.start_mark)

        # Attach ``value`` to the open collection.
        if is_map:
            if key is _NO_KEY:
                if value is _MERGE:
                    key = _MERGE
                else:
                    key = value if value.__class__ is str else _key_string(value, event.start_mark)
                    if role == _ENVELOPE and key.casefold() not in _ENVELOPE_KEYS:
                        raise _Problem(
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
                    raise _Problem(
                        f'key "{key}" already set in map (duplicate keys are not allowed)',
                        event.start_mark,
                        _path_of(stack, container, _NO_KEY, True, key),
                    )
                container[key] = value
            key = _NO_KEY
        else:
            if role != _PLAIN_ROLE and value.__class__ is not dict:
                if role == _RESOURCE_LIST:
                    raise _Problem(
                        f"list item is {_describe(value)}, not a resource (a mapping with apiVersion and kind)",
                        event.start_mark,
                        _path_of(stack, container, key, is_map),
                        structural=True,
                    )
                if value is not None and value.__class__ is not list:
                    raise _Problem(
                        f"document is {_describe(value)}, not a resource (a mapping with apiVersion and kind) "
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
        raise _Problem("map merge requires map or sequence of maps as the value", event.start_mark)
    for item in reversed(sources):
        for k, v in item.items():
            if role == _ENVELOPE and k.casefold() not in _ENVELOPE_KEYS:
                raise _Problem(
                    f"field in document is not recognized or is in the wrong location: {k}",
                    event.start_mark,
                    _path_of(stack, container, _NO_KEY, True, k),
                    structural=True,
                )
            if k in container:
                raise _Problem(
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
        path = _join(path, part)
    return path or None


def _path_key(key: Any) -> str:
    return key if isinstance(key, str) else "<<" if key is _MERGE else str(key)


# -- data -> resources ----------------------------------------------------------------------------


def _resources_from_document(data: Any, source: str, number: int) -> tuple[Resource, ...]:
    if isinstance(data, dict):
        return tuple(_resources_from_object(data, "", source, number, top=True))
    if isinstance(data, list):
        out: list[Resource] = []
        for index, item in enumerate(data):
            path = f"[{index}]"
            if not isinstance(item, dict):
                raise ManifestError(
                    f"list item is {_describe(item)}, not a resource (a mapping with apiVersion and kind)",
                    source=source,
                    document=number,
                    field=path,
                )
            out.extend(_resources_from_object(item, path, source, number, top=True))
        return tuple(out)
    raise ManifestError(
        f"document is {_describe(data)}, not a resource (a mapping with apiVersion and kind) or a list of resources",
        source=source,
        document=number,
    )


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({'true' if value else 'false'})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({_clip(value, 40)!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _join(prefix: str, part: str) -> str:
    if not prefix:
        return part
    if part.startswith("["):
        return prefix + part
    return f"{prefix}.{part}"


def _raw_type_meta(obj: dict[str, Any], *, exact: bool) -> tuple[Any, Any]:
    found: list[Any] = []
    for wanted in ("kind", "apiVersion"):
        value = obj.get(wanted)
        if value is None and not exact:
            folded = wanted.casefold()
            value = next((v for k, v in obj.items() if isinstance(k, str) and k.casefold() == folded), None)
        found.append(value)
    return found[0], found[1]


def _type_meta(obj: dict[str, Any], path: str, source: str, number: int, *, exact: bool) -> tuple[str, str]:
    """``kind`` and ``apiVersion`` as calicoctl reads them.

    Top-level objects go through ``unstructured.Unstructured`` (keys spelled exactly); items
    of a typed list are decoded by encoding/json (keys matched case-insensitively).
    """
    raw_kind, raw_api_version = _raw_type_meta(obj, exact=exact)
    values = {"kind": raw_kind, "apiVersion": raw_api_version}
    for wanted in ("kind", "apiVersion"):
        value = values.get(wanted)
        if value is not None and not isinstance(value, str):
            raise ManifestError(
                f"{wanted} must be a string, not {_describe(value)}",
                source=source,
                document=number,
                field=_join(path, wanted),
            )
    kind = values.get("kind") or ""
    api_version = values.get("apiVersion") or ""
    if not kind:
        variants = [k for k in obj if isinstance(k, str) and k.casefold() in ("kind", "apiversion") and k not in values]
        hint = (
            f" (found {', '.join(repr(v) for v in variants)}: calicoctl reads 'kind' and 'apiVersion' spelled exactly)"
            if variants
            else ""
        )
        raise ManifestError(
            f"Object 'Kind' is missing: every resource needs kind and apiVersion{hint}",
            source=source,
            document=number,
            field=_join(path, "kind"),
        )
    return kind, api_version


def _resources_from_object(obj: dict[str, Any], path: str, source: str, number: int, *, top: bool) -> list[Resource]:
    kind, api_version = _type_meta(obj, path, source, number, exact=top)
    if api_version == API_VERSION:
        info = KINDS.get(kind)
        if info is not None:
            return [_from_dict(info.model, obj, path, source, number)]
        if kind.endswith("List") and kind[:-4] in KINDS:
            if not top:
                raise ManifestError(
                    f"a {kind} cannot be an item of a typed list",
                    source=source,
                    document=number,
                    field=_join(path, "kind"),
                )
            return _typed_list(obj, kind[:-4], path, source, number)
    if api_version == CRD_V1_API_VERSION:
        return [_from_crd_v1(obj, kind, path, source, number)]
    raise ManifestError(
        f"unknown resource type ({kind}) and/or version ({api_version}){_unknown_hint(kind, api_version)}",
        source=source,
        document=number,
        field=_join(path, "kind" if api_version == API_VERSION else "apiVersion"),
    )


def _unknown_hint(kind: str, api_version: str) -> str:
    if kind == "List":
        return (
            ": calicoctl does not accept the generic Kubernetes 'kind: List'; use a typed list "
            "(e.g. kind: IPPoolList, apiVersion: projectcalico.org/v3) or a YAML sequence of resources"
        )
    if not api_version:
        return f": apiVersion is missing (use apiVersion: {API_VERSION})"
    folded = {k.casefold(): k for k in KINDS}
    base = kind[:-4] if kind.endswith("List") else kind
    suggestion = folded.get(base.casefold())
    if suggestion is not None and suggestion != base:
        return f": kinds are case-sensitive, did you mean {suggestion + kind[len(base) :]}?"
    if api_version != API_VERSION and (kind in KINDS or base in KINDS):
        return f": Calico resources use apiVersion: {API_VERSION}"
    return ""


_LIST_FIELDS = {"kind": "kind", "apiversion": "apiVersion", "metadata": "metadata", "items": "items"}


def _typed_list(obj: dict[str, Any], item_kind: str, path: str, source: str, number: int) -> list[Resource]:
    list_kind = item_kind + "List"
    fields: dict[str, Any] = {}
    for k, v in obj.items():
        name = _LIST_FIELDS.get(k.casefold()) if isinstance(k, str) else None
        if name is None:
            raise ManifestError(
                f"field in document is not recognized or is in the wrong location: {k}",
                source=source,
                document=number,
                field=_join(path, str(k)),
            )
        fields[name] = v
    meta = fields.get("metadata")
    if meta is not None:
        if not isinstance(meta, dict):
            raise ManifestError(
                f"{list_kind} metadata must be a mapping, not {_describe(meta)}",
                source=source,
                document=number,
                field=_join(path, "metadata"),
            )
        try:
            ListMeta.from_dict(meta)
        except ValidationError as exc:
            prefixed = exc.prefixed(_join(path, "metadata"))
            first = prefixed.fields[0].path if prefixed.fields else None
            raise ManifestError(str(prefixed), source=source, document=number, field=first, cause=prefixed) from None
    items = fields.get("items")
    if items is None:
        return []
    items_path = _join(path, "items")
    if not isinstance(items, list):
        raise ManifestError(
            f"{list_kind} items must be a list, not {_describe(items)}",
            source=source,
            document=number,
            field=items_path,
        )
    out: list[Resource] = []
    for index, item in enumerate(items):
        item_path = f"{items_path}[{index}]"
        if not isinstance(item, dict):
            raise ManifestError(
                f"{list_kind} item is {_describe(item)}, not a resource",
                source=source,
                document=number,
                field=item_path,
            )
        raw_kind, raw_api_version = _raw_type_meta(item, exact=False)
        missing = [name for name, value in (("apiVersion", raw_api_version), ("kind", raw_kind)) if not value]
        if missing:
            raise ManifestError(
                f"each item of the {list_kind} must carry its own apiVersion and kind "
                f"(calicoctl dispatches every item on them); this item has no {' and no '.join(missing)}",
                source=source,
                document=number,
                field=_join(item_path, missing[0]),
            )
        kind, api_version = _type_meta(item, item_path, source, number, exact=False)
        if kind != item_kind or api_version != API_VERSION:
            raise ManifestError(
                f"item is {kind} ({api_version}) but the {list_kind} holds only {item_kind} ({API_VERSION})",
                source=source,
                document=number,
                field=_join(item_path, "kind"),
            )
        out.extend(_resources_from_object(item, item_path, source, number, top=False))
    return out


def _from_crd_v1(obj: dict[str, Any], kind: str, path: str, source: str, number: int) -> Resource:
    """A crd.projectcalico.org/v1 object (as kubectl users write it) as calicoctl would read it back.

    The KDD mapping turns it into the v3 resource (metadata annotation, names, read defaults);
    that resource is then checked as strictly as a v3 manifest, so a field the API server would
    silently prune is reported instead of dropped.
    """
    from .kdd import from_crd

    try:
        converted = from_crd(obj)
    except CalicoError as exc:
        raise ManifestError(
            f"cannot read {kind} as {CRD_V1_API_VERSION}: {exc}", source=source, document=number, field=path or None
        ) from None
    return _from_dict(type(converted), converted.to_dict(), path, source, number)


def _from_dict(model: type[Resource], obj: dict[str, Any], path: str, source: str, number: int) -> Resource:
    try:
        return model.from_dict(obj)
    except ValidationError as exc:
        first = exc.fields[0].path if exc.fields else ""
        raise ManifestError(
            str(exc), source=source, document=number, field=_join(path, first) or None, cause=exc
        ) from None
    except CalicoError as exc:
        raise ManifestError(str(exc), source=source, document=number, field=path or None) from exc
    except RecursionError:
        raise ManifestError(
            "resource is nested too deeply to validate", source=source, document=number, field=path or None
        ) from None
    except Exception as exc:  # a bug in a model or a rule: keep the promise of one error type
        raise ManifestError(
            f"internal error while validating {model.KIND} (a calicopy bug, please report it): "
            f"{type(exc).__name__}: {exc}",
            source=source,
            document=number,
            field=path or None,
        ) from exc


# ------------------------------------------------------------------------------------------------
# Output


def dump(resources: Resource | Iterable[Resource], fmt: Literal["yaml", "yml", "json"] = "yaml") -> str:
    """Print resources as ``calicoctl get -o yaml`` / ``-o json`` does.

    One resource prints as that object, several (or none) as a list.  YAML ends with a
    newline; JSON has none (calicoctl v3.32).
    """
    items = [resources] if isinstance(resources, Resource) else list(resources)
    for item in items:
        if not isinstance(item, Resource):
            raise TypeError(f"dump() takes calicopy resources, not {type(item).__name__}")
    data: Any = items[0].to_dict() if len(items) == 1 else [item.to_dict() for item in items]
    if fmt in ("yaml", "yml"):
        return to_go_yaml(data)
    if fmt == "json":
        return to_go_json(data)
    raise ValueError(f"unrecognized output format '{fmt}' (use 'yaml' or 'json')")


# -- JSON: Go encoding/json MarshalIndent(v, "", "  ") ----------------------------------------------

_JSON_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _go_json_string(value: str) -> str:
    return str(encode_basestring(value)).translate(_JSON_HTML)


def _go_json_float(value: float) -> str:
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"json: unsupported value: {value}")
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    magnitude = abs(value)
    if magnitude < 1e-6 or magnitude >= 1e21:
        mantissa, exponent = _shortest_digits(value)
        text = _format_e(mantissa, exponent)
        return text
    return format(Decimal(repr(value)), "f")


def _shortest_digits(value: float) -> tuple[str, int]:
    """(sign+digits with a decimal point after the first digit, decimal exponent) of repr(value)."""
    sign = "-" if value < 0 else ""
    digits_tuple = Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(str(d) for d in digits_tuple.digits)
    exponent = int(digits_tuple.exponent) + len(digits) - 1
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return sign + mantissa, exponent


def _format_e(mantissa: str, exponent: int) -> str:
    """Go's 'e' format: at least two exponent digits, then encoding/json trims e-07 to e-7."""
    sign = "-" if exponent < 0 else "+"
    text = f"{mantissa}e{sign}{abs(exponent):02d}"
    if len(text) >= 4 and text[-4] == "e" and text[-3] == "-" and text[-2] == "0":
        text = text[:-2] + text[-1]
    return text


def to_go_json(data: Any) -> str:
    """``json.MarshalIndent(data, "", "  ")`` of JSON-shaped data (dict order kept), no trailing newline."""
    out: list[str] = []
    _json_value(data, "", out)
    return "".join(out)


def _json_value(value: Any, indent: str, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_go_json_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(str(int(value)))
    elif isinstance(value, float):
        out.append(_go_json_float(value))
    elif isinstance(value, Mapping):
        if not value:
            out.append("{}")
            return
        inner = indent + "  "
        out.append("{")
        first = True
        for k, v in value.items():
            out.append("\n" if first else ",\n")
            first = False
            out.append(inner)
            out.append(_go_json_string(str(k)))
            out.append(": ")
            _json_value(v, inner, out)
        out.append("\n" + indent + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = indent + "  "
        out.append("[")
        for i, v in enumerate(value):
            out.append("\n" if i == 0 else ",\n")
            out.append(inner)
            _json_value(v, inner, out)
        out.append("\n" + indent + "]")
    else:
        raise TypeError(f"cannot encode {type(value).__name__} as JSON")


# -- YAML: sigs.k8s.io/yaml JSONToYAML (go-yaml v2 Marshal) ----------------------------------------


class _GoYamlEmitter(CEmitter, BaseResolver):  # type: ignore[misc,unused-ignore]
    """libyaml's emitter (go-yaml v2 is a port of it) with every scalar resolving to !!str.

    The quoting decision is made by :func:`_scalar_style` with go-yaml's rules; an empty
    resolver keeps PyYAML's own YAML 1.1 resolver from overriding it.
    """

    yaml_implicit_resolvers: dict[str, Any] = {}
    yaml_path_resolvers: dict[Any, Any] = {}

    def __init__(self, stream: IO[str]) -> None:
        CEmitter.__init__(self, stream, indent=2, width=80, allow_unicode=True)
        BaseResolver.__init__(self)


_SEQ_TAG = _TAG_PREFIX + "seq"
_MAP_TAG = _TAG_PREFIX + "map"
_BASE60 = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2}))"
    r"|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,9})?))?"
)


def _is_go_timestamp(text: str) -> bool:
    """go-yaml v2 ``parseTimestamp`` (the layouts it tries with time.Parse), ranges included."""
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return False
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    if not 1 <= month <= 12:
        return False
    days = [
        31,
        29 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ]
    if not 1 <= day <= days[month - 1]:
        return False
    clock = (match[4], match[5], match[6]) if match[4] is not None else (match[7], match[8], match[9])
    if clock[0] is not None:
        hour, minute, second = (int(x) for x in clock)
        if hour > 23 or minute > 59 or second > 59:
            return False
    return True


def _plain_is_string(text: str) -> bool:
    """go-yaml v2 encoder: may ``text`` be written unquoted (it would read back as the same string)?"""
    hint = _HINT.get(text[:1])
    if hint is None:
        return True
    if hint in ("D", "S"):
        if _is_go_timestamp(text):
            return False
        if ":" in text and _BASE60.fullmatch(text):
            return False
    return isinstance(_resolve_plain(text, hint), str)


def _scalar_style(text: str) -> str | None:
    if "\n" in text:
        return "|"
    return None if _plain_is_string(text) else '"'


def _str_node(text: str) -> Any:
    return _nodes.ScalarNode(_STR_TAG, text, style=_scalar_style(text))


def _yaml_node(value: Any) -> Any:
    if isinstance(value, str):
        return _str_node(value)
    if value is None:
        return _nodes.ScalarNode(_STR_TAG, "null")
    if value is True or value is False:
        return _nodes.ScalarNode(_STR_TAG, "true" if value else "false")
    if isinstance(value, int):
        return _nodes.ScalarNode(_STR_TAG, str(int(value)))
    if isinstance(value, float):
        return _nodes.ScalarNode(_STR_TAG, _go_float_g(value))
    if isinstance(value, Mapping):
        keys = sorted((str(k) for k in value), key=_GO_KEY)
        lookup = {str(k): v for k, v in value.items()}
        return _nodes.MappingNode(_MAP_TAG, [(_str_node(k), _yaml_node(lookup[k])) for k in keys], flow_style=False)
    if isinstance(value, (list, tuple)):
        return _nodes.SequenceNode(_SEQ_TAG, [_yaml_node(v) for v in value], flow_style=False)
    raise TypeError(f"cannot encode {type(value).__name__} as YAML")


def to_go_yaml(data: Any) -> str:
    """sigs.k8s.io/yaml's JSON-to-YAML of JSON-shaped data (go-yaml v2 output)."""
    stream = io.StringIO()
    emitter = _GoYamlEmitter(stream)
    try:
        emitter.open()
        emitter.serialize(_yaml_node(data))
        emitter.close()
    finally:
        emitter.dispose()
    return stream.getvalue()


def _go_key_less(a: str, b: str) -> bool:
    """go-yaml v2 sorter.go ``keyList.Less`` for two string keys (digit runs compared as numbers)."""
    for i in range(min(len(a), len(b))):
        ca, cb = a[i], b[i]
        if ca == cb:
            continue
        al, bl = ca.isalpha(), cb.isalpha()
        if al and bl:
            return ca < cb
        if al or bl:
            return bl
        an = bn = 0
        if ca == "0" or cb == "0":
            j = i - 1
            while j >= 0 and a[j].isdecimal():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdecimal():
            an = an * 10 + (ord(a[ai]) - 48)
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdecimal():
            bn = bn * 10 + (ord(b[bi]) - 48)
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ca < cb
    return len(a) < len(b)


def _go_key_cmp(a: str, b: str) -> int:
    if _go_key_less(a, b):
        return -1
    if _go_key_less(b, a):
        return 1
    return 0


_GO_KEY = cmp_to_key(_go_key_cmp)


def _go_float_g(value: float, *, single: bool = False) -> str:
    """strconv.FormatFloat(value, 'g', -1, 64|32) with go-yaml's names for the specials."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    mantissa, exponent = _float32_digits(value) if single else _shortest_digits(value)
    if exponent < -4 or exponent >= 6:
        sign = "-" if exponent < 0 else "+"
        return f"{mantissa}e{sign}{abs(exponent):02d}"
    digits = mantissa.lstrip("-").replace(".", "")
    negative = mantissa.startswith("-")
    if exponent < 0:
        text = "0." + "0" * (-exponent - 1) + digits
    elif len(digits) <= exponent + 1:
        text = digits + "0" * (exponent + 1 - len(digits))
    else:
        text = digits[: exponent + 1] + "." + digits[exponent + 1 :]
    return ("-" if negative else "") + text


def _float32_digits(value: float) -> tuple[str, int]:
    """Shortest decimal digits that read back as the same float32 (Go's FormatFloat(..., 32))."""
    target = struct.pack("f", value)
    single: float = struct.unpack("f", target)[0]
    for precision in range(1, 10):
        text = f"{single:.{precision - 1}e}"
        if struct.pack("f", float(text)) == target:
            return _shortest_digits(float(text))
    return _shortest_digits(single)  # pragma: no cover
