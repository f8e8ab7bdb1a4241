"""hypothesis strategies of stored data for any calicopy model (JSON-shaped dicts, as a datastore holds them)."""

from __future__ import annotations

import typing
from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin

from hypothesis import strategies as st

from calicopy.resources.model import CalicoModel
from calicopy.resources.types import Port

__all__ = ["model_strategy"]


_SCALAR = {
    str: st.text(alphabet="abcdefghij0123456789-./", max_size=8),
    bool: st.booleans(),
    int: st.integers(min_value=0, max_value=255),
    float: st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda f: round(f, 3)),
}


def _strip(tp: Any) -> Any:
    while True:
        origin = get_origin(tp)
        if origin is typing.Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, UnionType):
            args = [a for a in get_args(tp) if a is not NoneType]
            return args[0] if len(args) == 1 else tuple(args)
        else:
            return tp


def _json_strategy(tp: Any, depth: int) -> st.SearchStrategy[Any]:
    tp = _strip(tp)
    origin = get_origin(tp)
    if tp is Port:
        return st.one_of(st.integers(1, 65535), st.sampled_from(["http", "1:100"]))
    if isinstance(tp, tuple):
        return st.one_of(st.integers(1, 255), st.sampled_from(["TCP", "web"]))
    if tp in _SCALAR:
        return _SCALAR[tp]
    if origin is list:
        return st.lists(_json_strategy(get_args(tp)[0], depth + 1), max_size=2) if depth < 4 else st.just([])
    if origin is dict:
        return st.dictionaries(st.sampled_from(["a", "b/c"]), _json_strategy(get_args(tp)[1], depth + 1), max_size=2)
    if isinstance(tp, type) and issubclass(tp, CalicoModel):
        return model_strategy(tp, depth + 1)
    return st.nothing()


def model_strategy(model: type[CalicoModel], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    fields = {}
    for name, info in model.model_fields.items():
        alias = info.alias or name
        if alias in ("kind", "apiVersion") or depth > 5:
            continue
        if "Duration" in repr(info.annotation):
            fields[alias] = st.sampled_from(["1s", "2m0s", "1h0m0s"])
        elif "Time" in alias or alias.endswith("Timestamp") or alias in ("lastUpdated", "since"):
            continue
        else:
            fields[alias] = _json_strategy(info.annotation, depth)
    return st.fixed_dictionaries({}, optional=fields)
