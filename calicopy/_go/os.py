"""Go's ``os`` error texts for a failed file operation (``*fs.PathError``): ``open <path>: no such
file or directory``, ``read <path>: is a directory``.  Pure: the caller did the I/O."""

from __future__ import annotations

__all__ = ["path_error"]


def path_error(operation: str, path: str, error: OSError) -> str:
    """``PathError.Error()``: ``<op> <path>: <errno text>``, errno's text as Go spells it (lower case).

    Reading a directory fails at ``read`` in Go (``os.ReadFile`` opens it first), so an
    ``IsADirectoryError`` names that operation whatever ``operation`` says.
    """
    if isinstance(error, IsADirectoryError):
        operation = "read"
    text = error.strerror or str(error)
    return f"{operation} {path}: {text[:1].lower()}{text[1:]}"
