"""Reading manifest input as calicoctl does: files, directories, streams, text; size caps; documents.

Input is decoded (UTF-8, or UTF-16 with a BOM), checked against the size caps and cut into
documents at each ``"\\n---"`` exactly like calicoctl's splitter
(``calicoctl/calicoctl/util/yaml/separator.go``), so that a syntax error stays in its document.
"""

from __future__ import annotations

import codecs
import os
import sys
from dataclasses import dataclass
from typing import IO

from ..errors import ManifestError
from .messages import clip

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DOCUMENTS",
    "MAX_DOCUMENT_BYTES",
    "Chunk",
    "Source",
    "check_text",
    "decode",
    "manifest_files",
    "read_source",
    "split_documents",
    "too_big",
]

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
"""Default cap on the size of one input (file, stream or text), in bytes (characters for text)."""

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
"""calicoctl's per-document cap (its document splitter's buffer): 10 MiB."""

DEFAULT_MAX_DOCUMENTS = 100_000
"""Default cap on the number of ``---``-separated documents in one input."""

Source = str | os.PathLike[str] | IO[str] | IO[bytes]


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


def read_source(source: Source, max_bytes: int) -> tuple[str, str]:
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
                raise ManifestError(too_big(size, max_bytes), source=path)
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
        raise ManifestError(too_big(len(data), max_bytes, at_least=True), source=path)
    return decode(data, path)


def _read_stream(stream: IO[str] | IO[bytes], label: str, max_bytes: int) -> str:
    try:
        data = stream.read(max_bytes + 1)
    except UnicodeDecodeError as exc:
        raise ManifestError(f"not valid UTF-8 text ({exc.reason}); is this a binary file?", source=label) from None
    except (OSError, ValueError) as exc:
        raise ManifestError(f"cannot read stream: {exc}", source=label) from None
    if len(data) > max_bytes:
        raise ManifestError(too_big(len(data), max_bytes, at_least=True), source=label)
    if isinstance(data, (bytes, bytearray)):
        return decode(bytes(data), label)
    if not isinstance(data, str):
        raise ManifestError(f"stream returned {type(data).__name__}, not text or bytes", source=label)
    return check_text(data, label, max_bytes)


def too_big(size: int, max_bytes: int, *, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return (
        f"input is {more}{size} bytes, over the {max_bytes}-byte limit "
        f"(max_bytes; the default is {DEFAULT_MAX_BYTES // (1024 * 1024)} MiB)"
    )


def decode(data: bytes | bytearray, source: str) -> str:
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
    return check_text(text, source, None)


def check_text(text: str, source: str, max_bytes: int | None) -> str:
    if not isinstance(text, str):
        raise TypeError(f"loads() takes str or bytes, not {type(text).__name__}")
    if max_bytes is not None and len(text) > max_bytes:
        raise ManifestError(too_big(len(text), max_bytes), source=source)
    if text.startswith("\ufeff"):
        text = text[1:]
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise ManifestError(f"contains a NUL character (line {line}); is this a binary file?", source=source)
    return text


@dataclass(frozen=True, slots=True)
class Chunk:
    start: int
    end: int


def split_documents(text: str, source: str, max_documents: int) -> list[Chunk]:
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
    chunks: list[Chunk] = []
    pos = 0
    find = text.find
    while True:
        i = find("\n---", pos)
        if i < 0:
            chunks.append(Chunk(pos, len(text)))
            return chunks
        chunks.append(Chunk(pos, i))
        rest_start = i + 4
        j = find("\n", rest_start)
        rest_end = len(text) if j < 0 else j
        if rest_end > rest_start:
            rest = text[rest_start:rest_end].strip()
            if rest and not rest.startswith("#"):
                line = text.count("\n", 0, i + 1) + 1
                raise ManifestError(
                    f"line {line}: text after the '---' document separator is not supported "
                    f"(calicoctl silently drops it): {clip(text[i + 1 : rest_end])!r}",
                    source=source,
                    document=len(chunks) + 1,
                )
        if j < 0:
            return chunks
        pos = j + 1
