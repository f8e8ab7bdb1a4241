"""The patch formats the fake API server accepts: RFC 7386 JSON merge patch and RFC 6902 JSON
patch, failing with the apiserver's Status texts."""

from __future__ import annotations

from typing import Any

from calicopy._store import clone

from .status import api_error

__all__ = ["json_patch", "merge_patch"]


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return clone(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise api_error(
            422,
            f'the server rejected our request due to an error in our request: invalid JSON pointer "{path}"',
            "Invalid",
        )
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _resolve(doc: Any, parts: list[str], path: str) -> tuple[Any, str]:
    for part in parts[:-1]:
        if isinstance(doc, dict) and part in doc:
            doc = doc[part]
        elif isinstance(doc, list) and part.isdigit() and int(part) < len(doc):
            doc = doc[int(part)]
        else:
            raise api_error(
                422,
                f'the server rejected our request due to an error in our request: doc is missing path: "{path}"',
                "Invalid",
            )
    return doc, parts[-1]


def json_patch(doc: Any, ops: Any) -> Any:
    """RFC 6902 JSON patch (add, remove, replace, move, copy, test)."""
    if not isinstance(ops, list):
        raise api_error(400, "json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    doc = clone(doc)

    def get(path: str) -> Any:
        parts = _pointer(path)
        if not parts:
            return doc
        parent, last = _resolve(doc, parts, path)
        if isinstance(parent, dict) and last in parent:
            return parent[last]
        if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
            return parent[int(last)]
        raise api_error(
            422,
            f'the server rejected our request due to an error in our request: doc is missing key: "{path}"',
            "Invalid",
        )

    def add(path: str, value: Any) -> None:
        nonlocal doc
        parts = _pointer(path)
        if not parts:
            doc = value
            return
        parent, last = _resolve(doc, parts, path)
        if isinstance(parent, dict):
            parent[last] = value
        elif isinstance(parent, list):
            if last == "-":
                parent.append(value)
            elif last.isdigit() and int(last) <= len(parent):
                parent.insert(int(last), value)
            else:
                raise api_error(
                    422,
                    f'the server rejected our request due to an error in our request: invalid index in "{path}"',
                    "Invalid",
                )
        else:
            raise api_error(
                422,
                f'the server rejected our request due to an error in our request: doc is missing path: "{path}"',
                "Invalid",
            )

    def remove(path: str) -> Any:
        parts = _pointer(path)
        parent, last = _resolve(doc, parts, path)
        if isinstance(parent, dict) and last in parent:
            return parent.pop(last)
        if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
            return parent.pop(int(last))
        raise api_error(
            422,
            f"the server rejected our request due to an error in our request: Unable to remove nonexistent key: {last}: missing value",
            "Invalid",
        )

    for op in ops:
        if not isinstance(op, dict) or "op" not in op or "path" not in op:
            raise api_error(400, "invalid JSON patch operation")
        kind, path = op["op"], op["path"]
        if kind == "add":
            add(path, clone(op.get("value")))
        elif kind == "remove":
            remove(path)
        elif kind == "replace":
            get(path)
            remove(path) if _pointer(path) else None
            add(path, clone(op.get("value")))
        elif kind == "move":
            value = remove(op["from"])
            add(path, value)
        elif kind == "copy":
            add(path, clone(get(op["from"])))
        elif kind == "test":
            if get(path) != op.get("value"):
                raise api_error(
                    422,
                    f"the server rejected our request due to an error in our request: testing value {path} failed: test failed",
                    "Invalid",
                )
        else:
            raise api_error(400, f"Unexpected kind: {kind}")
    return doc
