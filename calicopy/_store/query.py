"""What a list or watch asks the store for: label and field selectors, and continue tokens.

Label selectors are :mod:`calicopy.labelselector`'s; here a selector that does not parse is the
API server's 400 BadRequest.  Field selectors know ``metadata.name`` and ``metadata.namespace``
(all a custom resource has).  A continue token is shaped like the apiserver's: the revision of
the first page and the last key read.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import LabelSelectorError
from ..labelselector import LabelSelector
from ..labelselector import parse_label_selector as _parse_label_selector
from .failures import bad_request
from .objects import Key

__all__ = [
    "FieldSelector",
    "LabelSelector",
    "decode_continue",
    "encode_continue",
    "parse_field_selector",
    "parse_label_selector",
]


def parse_label_selector(text: str | None) -> LabelSelector:
    """:func:`calicopy.labelselector.parse_label_selector`, failing with an HTTP 400
    :class:`~calicopy.errors.InvalidRequest` as the API server does."""
    try:
        return _parse_label_selector(text)
    except LabelSelectorError as exc:
        raise bad_request(str(exc)) from None


_FIELD_PATHS = {"metadata.name": "name", "metadata.namespace": "namespace"}
_FIELD_REQUIREMENT = re.compile(r"([^!=\s]+)\s*(!=|==|=)\s*(.*)")


@dataclass(frozen=True, slots=True)
class FieldSelector:
    """``metadata.name`` / ``metadata.namespace`` equality requirements (``=``, ``==``, ``!=``)."""

    requirements: tuple[tuple[str, bool, str], ...] = ()  # (metadata key, equal?, value)

    def matches(self, meta: Mapping[str, Any]) -> bool:
        return all((meta.get(key, "") == value) is eq for key, eq, value in self.requirements)

    @property
    def empty(self) -> bool:
        return not self.requirements


def parse_field_selector(text: str | None) -> FieldSelector:
    """Parse a field selector; only ``metadata.name`` and ``metadata.namespace`` are known (as for custom resources)."""
    if not text or not text.strip():
        return FieldSelector()
    reqs: list[tuple[str, bool, str]] = []
    for part in text.split(","):
        part = part.strip()
        m = _FIELD_REQUIREMENT.fullmatch(part)
        if m is None:
            raise bad_request(f"invalid selector: '{text}'; can't understand '{part}'")
        path, op, value = m.groups()
        if path not in _FIELD_PATHS:
            raise bad_request(f'"{path}" is not a known field selector: only "metadata.name", "metadata.namespace"')
        reqs.append((_FIELD_PATHS[path], op != "!=", value))
    return FieldSelector(tuple(reqs))


def encode_continue(revision: int, last: Key) -> str:
    """The token of the page after ``last``, read at ``revision``."""
    # Shaped like the apiserver's token: base64(JSON {"v", "rv", "start"}); start is the last key read + NUL.
    raw = json.dumps(
        {"v": "meta.k8s.io/v1", "rv": revision, "start": f"{last[0]}/{last[1]}\x00"}, separators=(",", ":")
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_continue(token: str) -> tuple[int, Key]:
    """The revision and the last key read of a continue token (HTTP 400 when malformed)."""
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if data.get("v") != "meta.k8s.io/v1":
            raise ValueError("unknown version")
        rev = int(data["rv"])
        start = str(data["start"])
        if not start.endswith("\x00"):
            raise ValueError("malformed start key")
        ns, _, name = start[:-1].partition("/")
        return rev, (ns, name)
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError, AttributeError) as exc:
        raise bad_request(f"continue key is not valid: {exc}") from None
