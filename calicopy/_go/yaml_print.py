"""sigs.k8s.io/yaml ``Marshal`` of JSON-shaped data: the YAML calicoctl prints (go-yaml v2's encoder).

sigs.k8s.io/yaml marshals with ``json.Marshal``, reads the JSON back with go-yaml v2 and prints
that: keys sorted with go-yaml's natural order (digit runs compared as numbers), sequences not
indented under their key, strings quoted only when they would read back as something else,
numbers as JSON wrote them and go-yaml read them.  The emitter is libyaml's (PyYAML's C
extension), of which go-yaml v2's is a port.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from functools import cmp_to_key
from typing import IO, Any

from yaml import nodes as _nodes
from yaml._yaml import CEmitter
from yaml.resolver import BaseResolver

from . import json as go_json
from .strconv import format_float
from .yaml import HINTS, TAG_PREFIX, is_timestamp, resolve_hinted, resolve_plain

__all__ = ["key_less", "marshal"]

_STR_TAG = TAG_PREFIX + "str"
_SEQ_TAG = TAG_PREFIX + "seq"
_MAP_TAG = TAG_PREFIX + "map"


def key_less(a: str, b: str) -> bool:
    """go-yaml v2 sorter.go ``keyList.Less`` for two string keys: digit runs compare as numbers."""
    for i in range(min(len(a), len(b))):
        ca, cb = a[i], b[i]
        if ca == cb:
            continue
        letter_a, letter_b = ca.isalpha(), cb.isalpha()
        if letter_a and letter_b:
            return ca < cb
        if letter_a or letter_b:
            return letter_b
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
        an, bn = _int64(an), _int64(bn)
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ca < cb
    return len(a) < len(b)


def _int64(value: int) -> int:
    """Go's int64 arithmetic wraps around: so does the digit run value of a very long run."""
    return (value + (1 << 63)) % (1 << 64) - (1 << 63)


def _key_cmp(a: str, b: str) -> int:
    if key_less(a, b):
        return -1
    if key_less(b, a):
        return 1
    return 0


_KEY_ORDER = cmp_to_key(_key_cmp)
_BASE60 = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")


def _plain_reads_back(text: str) -> bool:
    """go-yaml v2 encoder: may ``text`` be written unquoted (it would read back as the same string)?"""
    hint = HINTS.get(text[:1])
    if hint is None:
        return True
    if hint in ("D", "S"):
        if is_timestamp(text):
            return False
        if ":" in text and _BASE60.fullmatch(text):  # base 60 is unsupported, yet quoted for old parsers
            return False
    return isinstance(resolve_hinted(text, hint), str)


def _scalar_style(text: str) -> str | None:
    if "\n" in text:
        return "|"
    return None if _plain_reads_back(text) else '"'


class _Emitter(CEmitter, BaseResolver):  # type: ignore[misc,unused-ignore]
    """libyaml's emitter with every scalar tagged !!str and the quoting decided by go-yaml's rules.

    An empty resolver keeps PyYAML's own YAML 1.1 resolver from overriding that decision.
    """

    yaml_implicit_resolvers: dict[str, Any] = {}
    yaml_path_resolvers: dict[Any, Any] = {}

    def __init__(self, stream: IO[str]) -> None:
        CEmitter.__init__(self, stream, indent=2, width=80, allow_unicode=True)
        BaseResolver.__init__(self)


def _str_node(text: str) -> Any:
    return _nodes.ScalarNode(_STR_TAG, text, style=_scalar_style(text))


def _number_text(value: int | float) -> str:
    """A number as go-yaml prints what json.Marshal wrote for it (and go-yaml read back)."""
    written = str(value) if isinstance(value, int) else go_json.format_float(value)
    read = resolve_plain(written)
    if isinstance(read, int):
        return str(read)
    return format_float(read, "g", -1, 64)


def _node(value: Any) -> Any:
    if isinstance(value, str):
        return _str_node(value)
    if value is None:
        return _nodes.ScalarNode(_STR_TAG, "null")
    if value is True or value is False:
        return _nodes.ScalarNode(_STR_TAG, "true" if value else "false")
    if isinstance(value, (int, float)):
        return _nodes.ScalarNode(_STR_TAG, _number_text(value))
    if isinstance(value, Mapping):
        items = {str(k): v for k, v in value.items()}
        keys = sorted(items, key=_KEY_ORDER)
        return _nodes.MappingNode(_MAP_TAG, [(_str_node(k), _node(items[k])) for k in keys], flow_style=False)
    if isinstance(value, (list, tuple)):
        return _nodes.SequenceNode(_SEQ_TAG, [_node(v) for v in value], flow_style=False)
    raise TypeError(f"cannot encode {type(value).__name__} as YAML")


def marshal(data: Any) -> str:
    """sigs.k8s.io/yaml ``Marshal`` of JSON-shaped data: the YAML calicoctl prints, newline-terminated."""
    stream = io.StringIO()
    emitter = _Emitter(stream)
    try:
        emitter.open()
        emitter.serialize(_node(data))
        emitter.close()
    finally:
        emitter.dispose()
    return stream.getvalue()
