"""How a model class presents itself to people and tools: ``help()`` and ``inspect.signature``.

pydantic would show each field as ``Annotated[<type>, GoField(...)]``, the Go facts calicopy's
walkers need; a reader needs the field's Python name, Calico's JSON name, a plain type and the
description taken from Calico's Go documentation.
"""

from __future__ import annotations

import inspect
import typing
from types import UnionType
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

from pydantic_core import PydanticUndefined

if TYPE_CHECKING:
    from .model import CalicoModel

__all__ = ["PlainSignature", "describe_fields", "plain_signature"]


def describe_fields(cls: type[CalicoModel], text: str) -> str:
    lines = [inspect.cleandoc(text), "", "Fields (Python name, then Calico's JSON name):"]
    for name, info in cls.model_fields.items():
        alias = info.alias or name
        label = name if alias == name else f"{name} ({alias})"
        lines.append(f"    {label}: {_type_text(info.annotation)}")
        if info.description:
            lines.append(f"        {info.description}")
    return "\n".join(lines)


def _type_text(annotation: Any) -> str:
    if isinstance(annotation, type):
        return annotation.__name__
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _type_text(get_args(annotation)[0])
    if origin in (Union, UnionType):
        return " | ".join(_type_text(a) for a in get_args(annotation))
    if origin is not None:
        return f"{getattr(origin, '__name__', origin)}[{', '.join(_type_text(a) for a in get_args(annotation))}]"
    return repr(annotation)


class PlainSignature:
    """``inspect.signature(Model)``: keyword arguments named by Calico's JSON names with plain types."""

    def __init__(self) -> None:
        self._built: inspect.Signature | None = None

    def __get__(self, obj: object, owner: type[CalicoModel] | None = None) -> inspect.Signature:
        if self._built is None:
            assert owner is not None
            self._built = plain_signature(owner)
        return self._built


def plain_signature(cls: type[CalicoModel]) -> inspect.Signature:
    init = cls.__init__
    if init.__qualname__.startswith(cls.__name__ + "."):
        own = inspect.signature(init)
        return own.replace(parameters=list(own.parameters.values())[1:])
    params = []
    for name, info in cls.model_fields.items():
        default = info.default if info.default_factory is None else inspect.Parameter.empty
        params.append(
            inspect.Parameter(
                info.alias or name,
                inspect.Parameter.KEYWORD_ONLY,
                default=default if default is not PydanticUndefined else inspect.Parameter.empty,
                annotation=_type_text(info.annotation),
            )
        )
    return inspect.Signature(params, return_annotation=None)
