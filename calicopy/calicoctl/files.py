"""The resources a command works on, as calicoctl finds them: ``-f`` files, directories and stdin
(``commands/file/iter.go``, ``commands/common/resources.go``) or a kind and names on the command
line (``resourcemgr.go`` ``GetResourcesFromArgs``).

Files are read by :func:`calicopy.load` (which also validates each resource: calicopy reports a
resource that breaks libcalico-go's rules as calicoctl reports a file it cannot decode).  Only
calicoctl's kinds are accepted (``IPAMBlock`` and the other kinds calicoctl does not register are
``unknown resource type``), and every file is read before anything is done.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

from .. import manifests
from ..errors import CalicoError, UnknownKindError
from ..resources.meta import API_VERSION, Resource
from ..resources.registry import KINDS, KindInfo

__all__ = ["CALICOCTL_KINDS", "FileInvalid", "calicoctl_kind", "load_files", "resources_from_args"]

#: calicoctl's registered kinds by every name it accepts on a command line (lower case).
CALICOCTL_KINDS: Mapping[str, KindInfo] = MappingProxyType(
    {name: info for info in KINDS.values() for name in info.calicoctl_names}
)


class FileInvalid(CalicoError):
    """A file could not be read or decoded (calicoctl's ``fileError``): nothing was done."""

    def __init__(self, cause: Exception) -> None:
        super().__init__(cause=cause)

    def render(self) -> str:
        return str(self.cause)


def calicoctl_kind(word: str) -> KindInfo | None:
    """The kind a command-line word names (``ippool``, ``gnp``, ``IPPools``), or None."""
    return CALICOCTL_KINDS.get(word.lower())


Progress = Callable[[int, int, str], None]


def load_files(
    filename: str, *, recursive: bool = False, skip_empty: bool = False, progress: Progress | None = None
) -> list[Resource]:
    """Every resource of ``-f filename`` (a file, a directory of ``.yaml``/``.yml``/``.json`` files,
    or ``-`` for stdin), in order.

    Raises :class:`FileInvalid` for a file that cannot be read or decoded, and calicoctl's plain
    errors for a file without resources (``no resources specified in file <f>``) or a directory
    without any (``... in directory <d>``) unless ``skip_empty``.  ``progress(done, total, path)``
    is called after each file of a directory.
    """
    paths = [filename] if filename == "-" or not os.path.isdir(filename) else _walk(filename, recursive)
    resources: list[Resource] = []
    for done, path in enumerate(paths, start=1):
        found = _load_file(path)
        if not found and not skip_empty:
            raise CalicoError(f"no resources specified in file {path}")
        resources.extend(found)
        if progress is not None and len(paths) > 1:
            progress(done, len(paths), path)
    if not resources and not skip_empty:
        raise CalicoError(f"no resources specified in directory {filename}")
    return resources


def _walk(directory: str, recursive: bool) -> list[str]:
    try:
        found = manifests.manifest_files(directory, recursive=recursive)
    except CalicoError as exc:
        raise CalicoError(str(exc)) from None
    # Go's filepath.Walk names the files it visits with filepath.Join, which cleans the path.
    return [posixpath.normpath(path) for path in found]


def _load_file(path: str) -> list[Resource]:
    if path != "-":
        try:
            with open(path, "rb"):
                pass
        except OSError as exc:
            # Go's os.Open error (*PathError): "open <path>: <errno text>".
            text = exc.strerror or str(exc)
            raise FileInvalid(CalicoError(f"open {path}: {text[:1].lower()}{text[1:]}")) from None
    try:
        loaded = manifests.load(path)
    except CalicoError as exc:
        raise FileInvalid(exc) from None
    for resource in loaded:
        if resource.KIND not in _REGISTERED:
            raise FileInvalid(CalicoError(f"unknown resource type ({resource.KIND}) and/or version ({API_VERSION})"))
    return loaded


_REGISTERED = frozenset(info.kind for info in CALICOCTL_KINDS.values())


def resources_from_args(kind: str, names: Sequence[str], namespace: str = "") -> list[Resource]:
    """``GetResourcesFromArgs``: one empty resource of the named kind per name (``[""]`` when no
    name is given: a list), with ``namespace`` for a namespaced kind.  Raises
    :class:`~calicopy.errors.UnknownKindError` (``resource type 'x' is not supported``)."""
    info = calicoctl_kind(kind)
    if info is None:
        raise UnknownKindError(kind=kind)
    out: list[Resource] = []
    for name in names or [""]:
        meta = {"name": name, "namespace": namespace if info.namespaced else ""}
        out.append(info.model.from_storage({"metadata": meta}))
    return out
