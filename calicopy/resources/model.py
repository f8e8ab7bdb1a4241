"""The base of every calicopy model: Go's JSON shape on pydantic v2.

Calico's types are Go structs serialised by ``encoding/json``.  Three of its habits shape
everything a user sees, and this module reproduces them once for all models:

* field names are the Go ``json`` tags (the pydantic aliases); Python attributes are snake_case;
* on write, ``omitempty`` drops zero values of non-pointer fields, drops nil pointers, and
  ``omitzero`` drops zero structs; fields without either are always written;
* on read, keys match case-insensitively (exact match first), and calicoctl rejects keys
  that match no field.

Each field carries a :class:`GoField` in its ``Annotated`` metadata with those facts and
the validation tags of the Go type; :class:`ModelPlan` derives per class, once, what the
hot paths need.
"""

from __future__ import annotations

import copy
import functools
import re
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType, NoneType, UnionType
from typing import Any, ClassVar, Literal, Self, Union, get_args, get_origin

import pydantic
from pydantic import (
    BaseModel,
    ConfigDict,
    GetJsonSchemaHandler,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    model_serializer,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from .._go.yaml import string_target_text
from ..errors import ErroredField, ValidationError
from .decoding import errors_from_pydantic, json_path
from .presentation import PlainSignature, describe_fields

__all__ = [
    "CalicoModel",
    "FieldPlan",
    "GoField",
    "ModelPlan",
    "OmitRule",
    "StrictDecode",
    "errors_from_pydantic",
    "json_path",
    "set_checked",
    "shallow_copy",
]

OmitRule = Literal["never", "nil", "empty", "zero"]


@dataclass(frozen=True, slots=True)
class GoField:
    """What the Go type says about one field.

    ``omit``: ``never`` (no omitempty: always written), ``nil`` (pointer/omitempty: dropped
    when None), ``empty`` (non-pointer omitempty: dropped when zero/empty), ``zero``
    (``omitzero``: dropped when the value equals the type's zero value).
    ``validate``: the go-playground ``validate`` tag, split on commas; ``go_name`` the Go
    field name (libcalico-go's tag-failure messages and go-templates name it; empty when it is
    the JSON name capitalised).
    The remaining attributes are the kubebuilder (OpenAPI) markers of the CRD schema.
    """

    go_name: str = ""
    omit: OmitRule = "never"
    validate: tuple[str, ...] = ()
    enum: tuple[str, ...] | None = None
    item_enum: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    pattern: str | None = None
    format: str | None = None
    required: bool = False
    default: Any = None
    list_set: bool = False

    def __repr__(self) -> str:
        # Only the facts that differ from the defaults, so annotations stay readable.
        facts = ", ".join(
            f"{name}={getattr(self, name)!r}"
            for name in self.__slots__
            if getattr(self, name) != _GO_FIELD_DEFAULTS.get(name)
        )
        return f"GoField({facts})"


_GO_FIELD_DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {"go_name": "", "omit": "never", "validate": (), "required": False, "list_set": False}
)


@dataclass(frozen=True, slots=True)
class StrictDecode:
    """``Annotated`` metadata: a check Go's decoder makes on a string that user input must pass.

    Only the strict paths run it (``from_dict``, constructors, manifests); data a datastore
    returns is trusted, as ``from_storage`` promises.  ``check`` returns Go's reason, or None.
    """

    check: Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class FieldPlan:
    """One field as the generic walkers see it."""

    name: str
    alias: str
    go: GoField
    container: Literal["", "list", "map"]
    model: type[CalicoModel] | None
    # Precomputed for the validator's hot loop: the tags as (name, param) pairs, whether a zero
    # value ends all checking (leading omitempty, or no tags on an omitted-when-zero field), and
    # whether any CRD marker applies.
    tags: tuple[tuple[str, str], ...] = ()
    skip_zero: bool = False
    has_markers: bool = False
    pattern: re.Pattern[str] | None = None
    # Where the Go type is a string (or a list/map of strings): sigs.k8s.io/yaml then turns a
    # YAML/JSON number or boolean into its text before decoding, so calicoctl accepts it.
    string_target: Literal["", "scalar", "list", "map"] = ""
    strict_decode: StrictDecode | None = None


@dataclass(frozen=True, slots=True, repr=False)
class ModelPlan:
    fields: tuple[FieldPlan, ...]
    by_alias: Mapping[str, FieldPlan]
    by_folded: Mapping[str, str]
    by_name: Mapping[str, FieldPlan]
    omit: tuple[tuple[str, OmitRule], ...]
    checked: tuple[FieldPlan, ...] = field(default=())

    def __repr__(self) -> str:  # help() lists it; the plan itself is an implementation detail
        return f"ModelPlan({len(self.fields)} fields)"


_ZERO_SCALARS: tuple[object, ...] = (None, False, 0, "")


def _is_go_zero(value: object) -> bool:
    if isinstance(value, (list, dict, str)):
        return len(value) == 0
    if value is None or value is False:
        return True
    return isinstance(value, (int, float)) and value == 0


def _string_target(annotation: Any) -> Literal["", "scalar", "list", "map"]:
    tp = annotation
    for _ in range(4):
        origin = get_origin(tp)
        if origin is typing.Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, UnionType):
            args = [a for a in get_args(tp) if a is not NoneType]
            if len(args) != 1:
                return ""
            tp = args[0]
        else:
            break
    if tp is str:
        return "scalar"
    origin = get_origin(tp)
    if origin is list and get_args(tp)[0] is str:
        return "list"
    if origin is dict and get_args(tp)[1] is str:
        return "map"
    return ""


def _strict_decode(annotation: Any) -> StrictDecode | None:
    tp = annotation
    for _ in range(4):
        origin = get_origin(tp)
        if origin is typing.Annotated:
            return next((m for m in get_args(tp)[1:] if isinstance(m, StrictDecode)), None)
        if origin not in (Union, UnionType):
            return None
        args = [a for a in get_args(tp) if a is not NoneType]
        if len(args) != 1:
            return None
        tp = args[0]
    return None


def _strings_like_sigs_yaml(value: Any, target: str) -> Any:
    if target == "scalar":
        return string_target_text(value)
    if target == "list" and isinstance(value, list):
        return [string_target_text(v) for v in value]
    if target == "map" and isinstance(value, Mapping):
        return {k: string_target_text(v) for k, v in value.items()}
    return value


def _unwrap(
    annotation: Any,
) -> tuple[Literal["", "list", "map"], type[CalicoModel] | None]:
    """Find the model class (if any) inside ``X | None``, ``list[X]``, ``dict[str, X]``, ``Annotated[...]``."""
    container: Literal["", "list", "map"] = ""
    tp = annotation
    for _ in range(6):
        origin = get_origin(tp)
        if origin is typing.Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, UnionType):
            args = [a for a in get_args(tp) if a is not NoneType]
            if len(args) != 1:
                return container, None
            tp = args[0]
        elif origin is list:
            container = "list"
            tp = get_args(tp)[0]
        elif origin is dict:
            container = "map"
            tp = get_args(tp)[1]
        else:
            break
    if isinstance(tp, type) and issubclass(tp, CalicoModel):
        return container, tp
    return container, None


class CalicoModel(BaseModel):
    """Base of every calicopy model (resources and their nested structs).

    Unknown keys are *kept* (``extra="allow"``) so that data read from a datastore survives a
    read-modify-write unchanged; the strict paths (``from_dict``, the constructor of a
    resource, manifests) reject them before pydantic sees the data.
    """

    model_config = ConfigDict(
        strict=True,
        extra="allow",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        protected_namespaces=(),
        ser_json_inf_nan="strings",
        # Go's JSON has no NaN or infinities: encoding/json refuses them, so no Calico object holds one.
        allow_inf_nan=False,
        # ``pool.spec.block_size = "big"`` fails at once (and ``order = 30`` becomes the float the
        # field holds) instead of breaking ``to_dict()`` later.
        validate_assignment=True,
    )

    __calico_plan__: ClassVar[ModelPlan]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.__calico_plan__ = _build_plan(cls)
        # help() and IDEs: the fields' descriptions, and a signature of plain types rather than
        # pydantic's ``Annotated[..., GoField(...)]`` (built on first look; pydoc reads
        # ``__doc__`` without descriptors, so that one is built now).
        cls.__doc__ = describe_fields(cls, cls.__dict__.get("__doc__") or cls.__name__)
        cls.__signature__ = PlainSignature()  # type: ignore[assignment]

    def __repr_args__(self) -> Iterable[tuple[str | None, Any]]:
        # Only what is set: a model's empty fields would bury the few that matter.
        fields = type(self).model_fields
        for name, value in self.__dict__.items():
            info = fields.get(name)
            if info is not None and info.repr and (isinstance(value, CalicoModel) or not _is_go_zero(value)):
                yield name, value
        if self.__pydantic_extra__:
            yield from self.__pydantic_extra__.items()

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # The Go-shape serializer wraps the fields' own; without it a schema of "anything" would
        # hide every field of the output (FastAPI's response schemas use this mode).
        if handler.mode == "serialization" and "serialization" in schema:
            schema = typing.cast(core_schema.CoreSchema, {k: v for k, v in schema.items() if k != "serialization"})
        return handler(schema)

    @model_serializer(mode="wrap")
    def _go_json_shape(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        data = handler(self)
        if not isinstance(data, dict):
            return data
        for alias, rule in type(self).__calico_plan__.omit:
            if alias not in data:
                continue
            value = data[alias]
            if (
                value is None
                or (rule == "empty" and _is_go_zero(value))
                or (rule == "zero" and (value == {} or _is_go_zero(value)))
            ):
                del data[alias]
        return data

    def __setattr__(self, name: str, value: Any) -> None:
        try:
            super().__setattr__(name, value)
        except pydantic.ValidationError as exc:
            plan = type(self).__calico_plan__.by_name.get(name)
            error = errors_from_pydantic(exc)
            if plan is not None:  # pydantic names the attribute; users know the field by its JSON name
                error = ValidationError(
                    ErroredField(plan.alias + f.path[len(name) :], f.reason, f.value, f.hint) for f in error.fields
                )
            raise error from None

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        # pydantic's deep copy runs copy.deepcopy over every field value; a model holds
        # JSON-shaped values (str, numbers, lists, dicts, models, frozen scalars), which
        # _deep_copy copies directly, keeping deepcopy's memo (shared objects stay shared).
        if memo is None:
            memo = {}
        cls = type(self)
        new = cls.__new__(cls)
        memo[id(self)] = new
        shared = SHARED_ON_COPY
        _set = object.__setattr__
        _set(
            new,
            "__dict__",
            {k: v if type(v) in shared else _deep_copy(v, memo) for k, v in self.__dict__.items()},
        )
        extra = self.__pydantic_extra__
        _set(new, "__pydantic_extra__", None if extra is None else _deep_copy(extra, memo))
        _set(new, "__pydantic_fields_set__", set(self.__pydantic_fields_set__))
        private = self.__pydantic_private__
        _set(new, "__pydantic_private__", None if private is None else copy.deepcopy(private, memo))
        return new

    # -- conversion helpers shared by every model -------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The JSON-shaped dict Go's encoding/json would produce (Calico's names, empty fields dropped)."""
        result = self.model_dump(mode="json", by_alias=True)
        assert isinstance(result, dict)
        return result

    @classmethod
    def from_storage(cls, data: Mapping[str, Any]) -> Self:
        """Trusting constructor for data a datastore returned: unknown fields are kept, nothing is validated beyond types."""
        try:
            return cls.model_validate(data, by_alias=True, by_name=False)
        except pydantic.ValidationError as exc:
            raise errors_from_pydantic(exc) from None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Strict constructor for user input: keys match case-insensitively, unknown keys are an error."""
        normalised, problems = normalise_keys(cls, data, "")
        obj = None
        try:
            obj = cls.model_validate(normalised, by_alias=True, by_name=False)
        except pydantic.ValidationError as exc:
            problems += errors_from_pydantic(exc).fields  # every decoding problem at once
        if problems or obj is None:
            raise ValidationError(problems)
        obj._after_user_input()
        return obj

    def _after_user_input(self) -> None:
        """Hook for resources: validation that runs on user input only."""


M = typing.TypeVar("M", bound=CalicoModel)

#: Types whose values a deep copy shares: immutable ones (a frozen scalar type of
#: :mod:`.types` adds itself, and returns itself from ``__deepcopy__`` for copy.deepcopy too).
SHARED_ON_COPY: set[type] = {str, int, float, bool, NoneType, bytes}


def _deep_copy(value: Any, memo: dict[int, Any]) -> Any:
    kind = type(value)
    shared = SHARED_ON_COPY
    if kind in shared:
        return value
    if kind is list:
        done = memo.get(id(value))
        if done is None:
            done = memo[id(value)] = []
            done.extend([v if type(v) in shared else _deep_copy(v, memo) for v in value])
        return done
    if kind is dict:
        done = memo.get(id(value))
        if done is None:
            done = memo[id(value)] = {}
            done.update({k: v if type(v) in shared else _deep_copy(v, memo) for k, v in value.items()})
        return done
    if isinstance(value, CalicoModel):
        done = memo.get(id(value))
        return done if done is not None else value.__deepcopy__(memo)
    return copy.deepcopy(value, memo)


def set_checked(model: CalicoModel, name: str, value: str) -> None:
    """``model.<name> = value`` for a field typed plain ``str`` (no constraint) and a ``str``,
    without pydantic's assignment validation, which such a value always passes: the decoders
    stamp a resourceVersion on every object they read, thousands per list."""
    if type(value) is not str or name not in _plain_str_fields(type(model)):
        raise TypeError(f"set_checked: {name!r} is not a plain str field, or {value!r} is not a str")
    model.__dict__[name] = value
    model.__pydantic_fields_set__.add(name)


@functools.cache
def _plain_str_fields(model: type[CalicoModel]) -> frozenset[str]:
    return frozenset(
        name
        for name, info in model.model_fields.items()
        if info.annotation is str and all(isinstance(m, GoField) for m in info.metadata)
    )


def shallow_copy(model: M) -> M:
    """``model.model_copy()`` for hot paths: a new object whose fields are the same objects.

    pydantic's copy runs ``copy.copy`` on each of its slots; this copies the one dict that
    assignment rebinds (and the set it records assignments in) and shares the rest.
    """
    cls = type(model)
    new = cls.__new__(cls)
    object.__setattr__(new, "__dict__", model.__dict__.copy())
    object.__setattr__(new, "__pydantic_fields_set__", set(model.__pydantic_fields_set__))
    object.__setattr__(new, "__pydantic_extra__", model.__pydantic_extra__)
    object.__setattr__(new, "__pydantic_private__", model.__pydantic_private__)
    return new


def _build_plan(cls: type[CalicoModel]) -> ModelPlan:
    plans: list[FieldPlan] = []
    for name, info in cls.model_fields.items():
        go = next((m for m in info.metadata if isinstance(m, GoField)), GoField())
        container, model = _unwrap(info.annotation)
        tags = tuple((t.partition("=")[0], t.partition("=")[2]) for t in go.validate)
        # go-playground's omitempty stops on a nil pointer but checks a pointer's zero value
        # (ipVersion: 0 is validated); on value fields it stops on the zero value.
        leading_omitempty = bool(tags) and tags[0][0] == "omitempty"
        skip_zero = go.omit != "nil" and (
            leading_omitempty or (not tags and not go.required and go.omit in ("empty", "zero"))
        )
        pattern = _compile_openapi_pattern(go.pattern) if go.pattern else None
        plans.append(
            FieldPlan(
                name,
                info.alias or name,
                go,
                container,
                model,
                tags,
                skip_zero,
                _has_markers(go),
                pattern,
                _string_target(info.annotation),
                next((m for m in info.metadata if isinstance(m, StrictDecode)), None)
                or _strict_decode(info.annotation),
            )
        )
    by_alias = {p.alias: p for p in plans}
    folded: dict[str, str] = {}
    for p in plans:
        folded.setdefault(p.alias.casefold(), p.alias)
    checked = tuple(p for p in plans if p.model is not None or _has_checks(p.go))
    # Model-typed fields first would change error order; keep declaration order.
    return ModelPlan(
        fields=tuple(plans),
        by_alias=MappingProxyType(by_alias),
        by_folded=MappingProxyType(folded),
        by_name=MappingProxyType({p.name: p for p in plans}),
        omit=tuple((p.alias, p.go.omit) for p in plans if p.go.omit != "never"),
        checked=checked,
    )


def _compile_openapi_pattern(pattern: str) -> re.Pattern[str]:
    # Kubebuilder patterns use RE2's mid-expression flags (``^(?i)...``); Python wants them first.
    if pattern.startswith("^(?i)"):
        pattern = "(?i)^" + pattern[len("^(?i)") :]
    return re.compile(pattern)


def _has_checks(go: GoField) -> bool:
    return bool([t for t in go.validate if t != "omitempty"]) or _has_markers(go)


def _has_markers(go: GoField) -> bool:
    return bool(
        go.enum
        or go.item_enum
        or go.minimum is not None
        or go.maximum is not None
        or go.max_length is not None
        or go.min_length is not None
        or go.max_items is not None
        or go.min_items is not None
        or go.pattern
        or go.required
        or go.list_set
    )


# -- strict input: case-insensitive keys, unknown keys rejected -------------------------------


def normalise_keys(
    cls: type[CalicoModel], data: Any, path: str, *, accept_names: bool = False
) -> tuple[Any, list[ErroredField]]:
    """Map keys to Calico's spelling as Go's decoder does and list the keys no field claims.

    Returns the (possibly rewritten) data and the unknown-field problems.  Type problems are
    left to pydantic, so anything that is not a mapping passes through unchanged.
    """
    problems: list[ErroredField] = []
    result = _normalise(cls, data, path, problems, accept_names)
    return result, problems


def _normalise(
    cls: type[CalicoModel],
    data: Any,
    path: str,
    problems: list[ErroredField],
    accept_names: bool,
) -> Any:
    if not isinstance(data, Mapping):
        return data
    plan = cls.__calico_plan__
    by_alias = plan.by_alias
    out: dict[str, Any] = {}
    for key, value in data.items():
        fp = by_alias.get(key) if isinstance(key, str) else None
        if fp is None and isinstance(key, str):
            if accept_names and key in plan.by_name:
                fp = plan.by_name[key]
            else:
                canonical = plan.by_folded.get(key.casefold())
                fp = by_alias.get(canonical) if canonical is not None else None
        if fp is None:
            problems.append(
                ErroredField(
                    json_path(path, str(key)),
                    f"field in document is not recognized or is in the wrong location: {key}",
                )
            )
            continue
        if fp.string_target and not isinstance(value, str):
            value = _strings_like_sigs_yaml(value, fp.string_target)
        if fp.strict_decode is not None and isinstance(value, str) and value:
            reason = fp.strict_decode.check(value)
            if reason is not None:
                problems.append(ErroredField(json_path(path, fp.alias), reason, value))
        sub = fp.model
        if sub is not None and value is not None:
            child = json_path(path, fp.alias)
            if fp.container == "list" and isinstance(value, list):
                value = [_normalise(sub, v, json_path(child, i), problems, accept_names) for i, v in enumerate(value)]
            elif fp.container == "map" and isinstance(value, Mapping):
                value = {
                    k: _normalise(sub, v, json_path(child, str(k)), problems, accept_names) for k, v in value.items()
                }
            elif fp.container == "":
                value = _normalise(sub, value, child, problems, accept_names)
        out[fp.alias] = value
    return out


Validator = Callable[[Any], str | None]
