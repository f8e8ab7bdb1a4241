"""Go values as a template sees them, and calicopy's models seen as the Go structs they mirror.

Plain Python data works as it is: ``None`` is Go's nil (an invalid ``reflect.Value``), ``str``,
``bool``, ``int``, ``float`` and ``complex`` are the basic kinds, a ``list`` is a
``[]interface {}`` and a ``dict`` a ``map[string]interface {}``.  The classes here add what
plain data cannot say: a struct's Go type and field order (:class:`GoStruct`), a pointer
(:class:`GoPointer`, nil or not), a slice or map of a named element type (:class:`GoSlice`,
:class:`GoMap`) and a function (:class:`GoFunc`).  :mod:`calicopy._go.printf` prints them all.

:func:`to_go` turns a calicopy model into such a struct from the model's own metadata, with no
per-kind code: each field's Go name (``GoField.go_name``, else the JSON name capitalised),
pointer-ness (``GoField.omit == "nil"``), nested models, lists and maps.  A resource embeds
``TypeMeta`` (``Kind``, ``APIVersion``) and ``ObjectMeta``, whose fields are promoted as in Go,
so ``{{.Name}}`` and ``{{.ObjectMeta.Name}}`` both work, and ``ObjectMeta``'s ``Get<Field>``
accessors are methods (``{{.GetName}}``).  Field values are converted when a template reads
them, so a template that prints two fields of 10,000 resources converts only those fields.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import NoneType, UnionType
from typing import Any, ClassVar, Union, get_args, get_origin

from ..fmt import sort_keys

__all__ = [
    "NO_FIELD",
    "FuncError",
    "GoFunc",
    "GoMap",
    "GoPointer",
    "GoSlice",
    "GoStruct",
    "ModelStruct",
    "is_model",
    "iter_items",
    "resources_slice",
    "to_go",
]


class _NoField:
    """The answer of a struct lookup for a name it has no field of."""

    def __repr__(self) -> str:
        return "NO_FIELD"


NO_FIELD: Any = _NoField()


class GoStruct:
    """A Go struct: a type name and fields in declaration order; ``embedded`` names the
    anonymous fields whose own fields (and methods) are promoted."""

    go_kind: ClassVar[str] = "struct"
    __slots__ = ("_fields", "embedded", "go_type", "methods")

    def __init__(
        self,
        go_type: str,
        fields: Sequence[tuple[str, Any]],
        *,
        embedded: frozenset[str] = frozenset(),
        methods: Mapping[str, Callable[[], Any]] | None = None,
    ) -> None:
        self.go_type = go_type
        self._fields = dict(fields)
        self.embedded = embedded
        self.methods: Mapping[str, Callable[[], Any]] = methods or {}

    def go_items(self) -> list[tuple[str, Any]]:
        return list(self._fields.items())

    def field(self, name: str) -> Any:
        """The field ``name`` (promoted through embedded structs as Go's ``FieldByName``), or :data:`NO_FIELD`."""
        if name in self._fields:
            return self._fields[name]
        return _promoted(self, name, lambda s, n: s.field(n))

    def has_field(self, name: str) -> bool:
        return self.field(name) is not NO_FIELD

    def method(self, name: str) -> Callable[[], Any] | None:
        found = self.methods.get(name)
        if found is not None:
            return found
        for embedded in self.embedded:
            inner = _deref(self._fields.get(embedded))
            if isinstance(inner, (GoStruct, ModelStruct)):
                found = inner.method(name)
                if found is not None:
                    return found
        return None


def _deref(value: Any) -> Any:
    while isinstance(value, GoPointer) and value.elem is not None:
        value = value.elem
    return value


def _promoted(struct: Any, name: str, lookup: Callable[[Any, str], Any]) -> Any:
    """Go's rule for promoted fields: the shallowest embedded struct that has one wins; two at
    the same depth cancel out."""
    found = NO_FIELD
    for embedded in struct.embedded:
        inner = _deref(struct.field(embedded))
        if isinstance(inner, (GoStruct, ModelStruct)):
            value = lookup(inner, name)
            if value is not NO_FIELD:
                if found is not NO_FIELD:
                    return NO_FIELD
                found = value
    return found


class GoPointer:
    """A Go pointer; ``elem`` ``None`` is a nil pointer.  ``in_interface`` marks a pointer held
    in an interface (a ``runtime.Object``): the template prints it as ``&{...}`` instead of
    looking through it.  ``fields`` answers whether the pointed-to struct type has a field, for
    Go's ``nil pointer evaluating *T.Field`` error."""

    go_kind: ClassVar[str] = "ptr"
    __slots__ = ("elem", "fields", "go_type", "in_interface")

    def __init__(
        self,
        elem: Any,
        go_type: str,
        *,
        in_interface: bool = False,
        fields: Callable[[str], bool] | None = None,
    ) -> None:
        self.elem = elem
        self.go_type = go_type
        self.in_interface = in_interface
        self.fields = fields


class GoSlice:
    """A slice of a named element type (``[]string``, ``[]v3.Rule``)."""

    go_kind: ClassVar[str] = "slice"
    __slots__ = ("go_type", "items")

    def __init__(self, items: Sequence[Any], go_type: str) -> None:
        self.items = items
        self.go_type = go_type

    def __len__(self) -> int:
        return len(self.items)


class GoMap:
    """A map with a named type; ``zero`` is the element type's zero value (what ``index`` returns
    for a missing key)."""

    go_kind: ClassVar[str] = "map"
    __slots__ = ("data", "go_type", "zero")

    def __init__(self, data: Mapping[Any, Any], go_type: str, zero: Any = None) -> None:
        self.data = data
        self.go_type = go_type
        self.zero = zero

    def __len__(self) -> int:
        return len(self.data)


@dataclass(frozen=True, slots=True)
class GoFunc:
    """A Go function as a template calls it.

    ``params`` are the parameter kinds: ``value`` (a ``reflect.Value``: anything, nil included),
    ``any`` (``interface{}``), ``string``, ``int``, ``bool`` or ``float64``; ``variadic`` the kind
    of a trailing ``...`` parameter.  ``fn`` returns the result; it raises :class:`FuncError`
    for Go's non-nil ``error`` result.
    """

    fn: Callable[..., Any]
    params: tuple[str, ...] = ()
    variadic: str | None = None
    go_type: str = "func"
    go_kind: ClassVar[str] = "func"


class FuncError(Exception):
    """A function's ``error`` result (or a panic): the template stops with ``error calling <name>: <text>``."""


# -- calicopy models -----------------------------------------------------------------------------


def is_model(value: Any) -> bool:
    """Whether ``value`` is a calicopy model (its class carries a ``__calico_plan__``)."""
    return hasattr(type(value), "__calico_plan__")


_GO_BASIC: Mapping[Any, tuple[str, Any]] = {
    str: ("string", ""),
    bool: ("bool", False),
    int: ("int", 0),
    float: ("float64", 0.0),
    Any: ("interface {}", None),
}


def _package(cls: type) -> str:
    """The Go package a model's type lives in: Calico's API types are ``v3``; the Kubernetes
    types calicopy models (ObjectMeta, Condition, LabelSelector...) are ``v1``."""
    module = cls.__module__
    if ".generated." in module:
        return "v3"
    return "v1"


def _go_type_of_class(cls: type) -> str:
    return f"{_package(cls)}.{cls.__name__}"


def _strip(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``Annotated`` and ``| None``; whether ``None`` was allowed."""
    optional = False
    tp = annotation
    for _ in range(6):
        origin = get_origin(tp)
        if origin is typing.Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, UnionType):
            args = [a for a in get_args(tp) if a is not NoneType]
            optional = optional or len(args) < len(get_args(tp))
            if len(args) != 1:
                return Any, optional
            tp = args[0]
        else:
            break
    return tp, optional


@dataclass(frozen=True, slots=True)
class _Conv:
    """How one field's Python value becomes a Go value."""

    go_type: str
    zero: Any
    convert: Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _conv(annotation: Any) -> _Conv:
    tp, _ = _strip(annotation)
    if isinstance(tp, type) and hasattr(tp, "__calico_plan__"):
        layout = _layout(tp)
        return _Conv(layout.go_type, None, lambda v: ModelStruct(v, layout) if v is not None else None)
    origin = get_origin(tp)
    if origin is list:
        inner = _conv(get_args(tp)[0])
        go_type = "[]" + inner.go_type
        if inner.convert is _identity:
            return _Conv(go_type, None, lambda v: GoSlice(v if v is not None else [], go_type))
        return _Conv(go_type, None, lambda v: GoSlice([inner.convert(x) for x in v or ()], go_type))
    if origin is dict:
        key = _conv(get_args(tp)[0])
        inner = _conv(get_args(tp)[1])
        go_type = f"map[{key.go_type}]{inner.go_type}"
        if inner.convert is _identity:
            return _Conv(go_type, None, lambda v: GoMap(v if v is not None else {}, go_type, inner.zero))
        return _Conv(
            go_type,
            None,
            lambda v: GoMap({k: inner.convert(x) for k, x in (v or {}).items()}, go_type, inner.zero),
        )
    basic = _GO_BASIC.get(tp)
    if basic is not None:
        return _Conv(basic[0], basic[1], _identity)
    # A Calico type with a String() method (ports, protocols): its Python value prints alike.
    return _Conv("interface {}", None, _identity)


@dataclass(frozen=True, slots=True)
class _Field:
    go_name: str
    getter: Callable[[Any], Any]


@dataclass(slots=True)
class _Layout:
    """One model class as a Go struct: its fields in order, what is promoted, its methods, and
    the Go methods it has that a template here cannot call."""

    go_type: str
    fields: tuple[_Field, ...]
    embedded: frozenset[str]
    lookup: dict[str, Callable[[Any], Any]]
    methods: dict[str, Callable[[Any], Any]]
    uncallable: frozenset[str] = frozenset()

    def has_field(self, name: str) -> bool:
        return name in self.lookup


# runtime.Object's and schema.ObjectKind's methods on every Kubernetes object: they return Go
# objects or change the receiver, which has no meaning in a template calicopy runs.
_OBJECT_METHODS = frozenset(
    {
        "DeepCopy",
        "DeepCopyInto",
        "DeepCopyObject",
        "GetObjectKind",
        "GetObjectMeta",
        "GroupVersionKind",
        "SetGroupVersionKind",
    }
)


_LAYOUTS: dict[type, _Layout] = {}


def _go_name(plan: Any) -> str:
    name: str = plan.go.go_name
    if name:
        return name
    alias: str = plan.alias
    return alias[:1].upper() + alias[1:]


def _field_getter(attr: str, conv: _Conv, pointer: bool, sub_fields: Callable[[str], bool] | None) -> Any:
    convert = conv.convert
    if pointer:
        go_type = "*" + conv.go_type

        def get_pointer(obj: Any) -> Any:
            value = getattr(obj, attr)
            if value is None:
                return GoPointer(None, go_type, fields=sub_fields)
            return GoPointer(convert(value), go_type, fields=sub_fields)

        return get_pointer
    zero = conv.zero
    if convert is _identity:

        def get_plain(obj: Any) -> Any:
            value = getattr(obj, attr)
            return zero if value is None else value

        return get_plain

    def get_converted(obj: Any) -> Any:
        return convert(getattr(obj, attr))

    return get_converted


def _layout(cls: type) -> _Layout:
    found = _LAYOUTS.get(cls)
    if found is not None:
        return found
    layout = _Layout(_go_type_of_class(cls), (), frozenset(), {}, {})
    _LAYOUTS[cls] = layout  # before the fields: a model may nest itself
    plans = list(cls.__calico_plan__.fields)  # type: ignore[attr-defined]
    by_alias = {p.alias: p for p in plans}
    fields: list[_Field] = []
    embedded: set[str] = set()
    nested: list[tuple[str, _Layout, Callable[[Any], Any]]] = []
    # A Kubernetes object embeds TypeMeta (kind, apiVersion inline) and ObjectMeta (metadata).
    is_object = {"kind", "apiVersion", "metadata"} <= by_alias.keys() and by_alias["metadata"].model is not None
    if is_object:
        kind_attr, version_attr = by_alias["kind"].name, by_alias["apiVersion"].name

        def type_meta(obj: Any) -> GoStruct:
            return GoStruct(
                "v1.TypeMeta", (("Kind", getattr(obj, kind_attr)), ("APIVersion", getattr(obj, version_attr)))
            )

        fields.append(_Field("TypeMeta", type_meta))
        meta_plan = by_alias["metadata"]
        meta_layout = _layout(meta_plan.model)
        meta_attr = meta_plan.name

        def object_meta(obj: Any) -> ModelStruct:
            return ModelStruct(getattr(obj, meta_attr), meta_layout)

        meta_name = meta_plan.model.__name__
        fields.append(_Field(meta_name, object_meta))
        embedded.update(("TypeMeta", meta_name))
        layout.lookup["Kind"] = lambda obj: getattr(obj, kind_attr)
        layout.lookup["APIVersion"] = lambda obj: getattr(obj, version_attr)
        nested.append((meta_name, meta_layout, lambda obj: getattr(obj, meta_attr)))
        plans = [p for p in plans if p.alias not in ("kind", "apiVersion", "metadata")]
    annotations = cls.model_fields  # type: ignore[attr-defined]
    for plan in plans:
        conv = _conv(annotations[plan.name].annotation)
        pointer = plan.go.omit == "nil"
        sub_fields = _layout(plan.model).has_field if plan.model is not None and plan.container == "" else None
        fields.append(_Field(_go_name(plan), _field_getter(plan.name, conv, pointer, sub_fields)))
    layout.fields = tuple(fields)
    layout.embedded = frozenset(embedded)
    for f in fields:
        layout.lookup[f.go_name] = f.getter
    # Fields of embedded structs are promoted unless a shallower field has the name.
    for _, inner, get_inner in nested:
        for name, getter in list(inner.lookup.items()):
            if name not in layout.lookup:
                layout.lookup[name] = _through(get_inner, getter)
        for name, method in inner.methods.items():
            layout.methods.setdefault(name, _through(get_inner, method))
        layout.uncallable |= inner.uncallable
    if is_object:
        layout.uncallable |= _OBJECT_METHODS
    if cls.__name__ == "ObjectMeta":
        # metav1.Object's accessors (GetName, GetLabels...) are methods of *ObjectMeta; its
        # setters (SetName...) change the object.
        for f in fields:
            layout.methods["Get" + f.go_name] = f.getter
        layout.uncallable = frozenset("Set" + f.go_name for f in fields)
    return layout


def _through(outer: Callable[[Any], Any], inner: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda obj: inner(outer(obj))


class ModelStruct:
    """A calicopy model instance as the Go struct it mirrors (read-only, converted on access)."""

    go_kind: ClassVar[str] = "struct"
    __slots__ = ("_layout", "obj")

    def __init__(self, obj: Any, layout: _Layout | None = None) -> None:
        self.obj = obj
        self._layout = layout if layout is not None else _layout(type(obj))

    @property
    def go_type(self) -> str:
        return self._layout.go_type

    @property
    def embedded(self) -> frozenset[str]:
        return self._layout.embedded

    def go_items(self) -> list[tuple[str, Any]]:
        return [(f.go_name, f.getter(self.obj)) for f in self._layout.fields]

    def field(self, name: str) -> Any:
        getter = self._layout.lookup.get(name)
        return NO_FIELD if getter is None else getter(self.obj)

    def has_field(self, name: str) -> bool:
        return name in self._layout.lookup

    def uncallable_method(self, name: str) -> bool:
        """Whether ``name`` is a Go method of this type that a template here cannot call."""
        return name in self._layout.uncallable

    def method(self, name: str) -> Callable[[], Any] | None:
        getter = self._layout.methods.get(name)
        if getter is None:
            return None
        obj = self.obj
        return lambda: getter(obj)


def _object_pointer(model: Any) -> GoPointer:
    layout = _layout(type(model))
    return GoPointer(ModelStruct(model, layout), "*" + layout.go_type, in_interface=True, fields=layout.has_field)


def to_go(value: Any) -> Any:
    """``value`` with every calicopy model in it (at any depth of lists and dicts) turned into
    the Go value a template sees: a resource held as a ``runtime.Object`` (a pointer in an
    interface), a nested model as its struct.  Other values are returned as they are."""
    if is_model(value):
        return _object_pointer(value)
    if isinstance(value, (list, tuple)):
        converted = [to_go(v) for v in value]
        return converted if any(a is not b for a, b in zip(converted, value, strict=True)) else value
    if isinstance(value, dict):
        changed = {k: to_go(v) for k, v in value.items()}
        return changed if any(changed[k] is not value[k] for k in value) else value
    return value


def resources_slice(resources: Sequence[Any]) -> GoSlice:
    """What calicoctl hands a ``-o go-template``: the resources as a ``[]runtime.Object``."""
    return GoSlice([to_go(r) for r in resources], "[]runtime.Object")


def iter_items(value: Any) -> Iterator[tuple[Any, Any]]:
    """(index, element) of a slice or (key, value) of a map in Go's sorted key order."""
    if isinstance(value, GoSlice):
        yield from enumerate(value.items)
    elif isinstance(value, GoMap):
        for key in sort_keys(value.data.keys()):
            yield key, value.data[key]
    elif isinstance(value, (list, tuple)):
        yield from enumerate(value)
    elif isinstance(value, Mapping):
        for key in sort_keys(value.keys()):
            yield key, value[key]
