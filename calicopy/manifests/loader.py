"""Public reading API: ``load``/``loads`` (resources, or the first error) and ``load_all``/``loads_all``
(one outcome per document).

Everything is parsed and validated before anything is returned.  Every problem is a
:class:`calicopy.ManifestError` naming the source, the document (numbered from 1), the field and
the reason.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from ..errors import ManifestError
from ..resources.meta import Resource
from .builder import Problem, parse_document
from .documents import resources_from_document
from .reading import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DOCUMENTS,
    MAX_DOCUMENT_BYTES,
    Chunk,
    Source,
    check_text,
    decode,
    manifest_files,
    read_source,
    split_documents,
    too_big,
)

__all__ = ["DocumentResult", "ErrorMode", "load", "load_all", "loads", "loads_all"]

ErrorMode = Literal["raise", "collect"]


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """What one ``---``-separated document produced: its resources, or the error it raised.

    ``document`` is 1-based, ``line`` is the 1-based line of the input where it starts, and
    ``source`` names the input (the file, when a directory was read).
    """

    document: int
    line: int
    resources: tuple[Resource, ...]
    error: ManifestError | None = None
    source: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


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
    text, name = read_source(source, max_bytes)
    return _resources_or_raise(_load_text(text, name, max_bytes, DEFAULT_MAX_DOCUMENTS, "raise"))


def loads(
    text: str | bytes,
    *,
    source: str = "<string>",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[Resource]:
    """Parse manifest text (YAML or JSON, one or more documents); see :func:`load`.

    ``source`` is the name used in error messages.
    """
    decoded = decode(text, source) if isinstance(text, (bytes, bytearray)) else check_text(text, source, max_bytes)
    return _resources_or_raise(_load_text(decoded, source, max_bytes, DEFAULT_MAX_DOCUMENTS, "raise"))


def load_all(
    source: Source,
    *,
    errors: ErrorMode = "collect",
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_documents: int = DEFAULT_MAX_DOCUMENTS,
    recursive: bool = False,
) -> list[DocumentResult]:
    """Per-document outcomes of a manifest file, directory or stream.

    With ``errors="collect"`` (the default) every document is tried and each
    :class:`DocumentResult` carries either its resources or its :class:`ManifestError`; with
    ``errors="raise"`` the first failing document raises.  Problems with an input as a whole
    (unreadable, too big, not UTF-8) always raise.  A directory is walked as :func:`load` walks
    it; each result's ``source`` names its file.
    """
    if isinstance(source, (str, os.PathLike)) and os.path.isdir(source):
        results: list[DocumentResult] = []
        for path in manifest_files(source, recursive=recursive):
            results += load_all(path, errors=errors, max_bytes=max_bytes, max_documents=max_documents)
        return results
    text, name = read_source(source, max_bytes)
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
    decoded = decode(text, source) if isinstance(text, (bytes, bytearray)) else check_text(text, source, max_bytes)
    return _load_text(decoded, source, max_bytes, max_documents, errors)


def _resources_or_raise(results: list[DocumentResult]) -> list[Resource]:
    out: list[Resource] = []
    for result in results:
        if result.error is not None:  # pragma: no cover - "raise" mode raised already
            raise result.error
        out.extend(result.resources)
    return out


def _load_text(text: str, source: str, max_bytes: int, max_documents: int, errors: ErrorMode) -> list[DocumentResult]:
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors must be 'raise' or 'collect', not {errors!r}")
    if len(text) > max_bytes:
        raise ManifestError(too_big(len(text), max_bytes), source=source)
    results: list[DocumentResult] = []
    line = 1
    previous = 0
    for number, chunk in enumerate(split_documents(text, source, max_documents), start=1):
        line += text.count("\n", previous, chunk.start)
        previous = chunk.start
        try:
            resources = _load_chunk(text, chunk, line, source, number)
        except ManifestError as exc:
            if errors == "raise":
                raise
            results.append(DocumentResult(number, line, (), exc, source))
            continue
        if resources or errors == "collect":
            results.append(DocumentResult(number, line, resources, source=source))
    return results


def _load_chunk(text: str, chunk: Chunk, line: int, source: str, number: int) -> tuple[Resource, ...]:
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
        data, present = parse_document(body)
    except Problem as problem:
        raise ManifestError(problem.message(line - 1), source=source, document=number, field=problem.path) from None
    if not present or data is None:
        return ()
    return resources_from_document(data, source, number)
