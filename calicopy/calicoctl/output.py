"""``calicoctl get``'s output formats (``commands/get.go``, ``commands/common/printer.go``).

What ``get`` prints is the list of objects it fetched, in order: each resource asked for by name,
and for a kind without names one ``<Kind>List``.  The formats shape that list as calicoctl does:

* ``yaml``/``yml`` and ``json``: one object prints as itself, anything else (none, or several) as
  a sequence; a list object is ``{kind: <Kind>List, apiVersion, metadata: {resourceVersion},
  items}``.  YAML is sigs.k8s.io/yaml's (keys sorted), JSON ``json.MarshalIndent``'s (Go field
  order, no trailing newline); nothing fetched prints ``null``.
* ``ps``, ``wide``, ``custom-columns=A,B``: one table per object (see :mod:`.printer`).
* ``go-template=...``, ``go-template-file=...``: the template executed on the list of objects,
  with calicoctl's ``join``, ``joinAndTruncate`` and ``config`` functions.  The template engine is
  :mod:`calicopy._go.template`, reached through :func:`template_engine`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, cast

from .._go.fmt import format_v
from ..errors import CalicoError, ResourceNotFound
from ..manifests import to_go_json, to_go_yaml
from ..resources.meta import API_VERSION, Resource
from .actions import KindList
from .printer import ConfigLookup, render_table

if TYPE_CHECKING:
    from ..client import Client

__all__ = [
    "JSONPrinter",
    "Printer",
    "TablePrinter",
    "TemplateEngine",
    "TemplatePrinter",
    "YAMLPrinter",
    "config_lookup",
    "join",
    "join_and_truncate",
    "parse_output",
    "template_engine",
    "to_data",
]

Obj = Resource | KindList


class Printer(Protocol):
    """Prints what ``get`` fetched, in chunks written as they come (calicoctl writes each table as
    it goes, so a failing table follows the ones before it); raises the error calicoctl returns."""

    def chunks(self, objects: Sequence[Obj], config: ConfigLookup) -> Iterator[str]: ...


def to_data(obj: Obj) -> dict[str, Any]:
    """An object as Go's encoding/json shapes it (a resource, or a list with its items)."""
    return obj.to_dict()


def _shape(objects: Sequence[Obj]) -> Any:
    # ResourcePrinterYAML/JSON: "If the results contain a single entry then extract the only value";
    # otherwise the slice, which is nil (null) when nothing was fetched.
    if len(objects) == 1:
        return to_data(objects[0])
    return [to_data(o) for o in objects] if objects else None


@dataclass(frozen=True)
class YAMLPrinter:
    def chunks(self, objects: Sequence[Obj], config: ConfigLookup) -> Iterator[str]:
        yield to_go_yaml(_shape(objects))


@dataclass(frozen=True)
class JSONPrinter:
    def chunks(self, objects: Sequence[Obj], config: ConfigLookup) -> Iterator[str]:
        yield to_go_json(_shape(objects))


@dataclass(frozen=True)
class TablePrinter:
    """``ResourcePrinterTable``: ``headings`` set for custom-columns (then no NAMESPACE column)."""

    wide: bool = False
    print_namespace: bool = False
    headings: tuple[str, ...] | None = None

    def chunks(self, objects: Sequence[Obj], config: ConfigLookup) -> Iterator[str]:
        for obj in objects:
            yield self.table(obj, config)

    def table(self, obj: Obj, config: ConfigLookup) -> str:
        items, kind = (obj.items, obj.kind) if isinstance(obj, KindList) else ([obj], obj.KIND)
        with_namespace = self.print_namespace and self.headings is None
        return render_table(
            items, kind=kind, wide=self.wide, with_namespace=with_namespace, headings=self.headings, config=config
        )


class Template(Protocol):
    def execute(self, data: Any, funcs: Mapping[str, Callable[..., Any]] = ...) -> str: ...


class TemplateEngine(Protocol):
    """What :mod:`calicopy._go.template` provides: ``parse(text, name) -> Template`` (and, where
    it has them, ``render`` -- calicoctl's whole printer, google/safetext's checks included -- and
    the Go value types a list object is built from)."""

    def parse(self, text: str, name: str = ...) -> Template: ...


def template_engine() -> TemplateEngine:
    """:mod:`calicopy._go.template`, imported when a go-template is first printed: it is a large
    module that only this output format needs."""
    try:
        engine: TemplateEngine = importlib.import_module("calicopy._go.template")
    except ModuleNotFoundError:
        raise CalicoError("go-template output is not available in this build of calicopy") from None
    return engine


def _go_list(engine: Any, listed: KindList) -> Any:
    """A ``<Kind>List`` as the template sees it: a pointer to a struct embedding TypeMeta and
    ListMeta (so ``.Kind`` and ``.ResourceVersion`` work) with ``Items``."""
    struct, pointer, go_slice = engine.GoStruct, engine.GoPointer, engine.GoSlice
    type_meta = struct("v1.TypeMeta", (("Kind", listed.list_kind), ("APIVersion", API_VERSION)))
    list_meta = struct(
        "v1.ListMeta",
        (
            ("SelfLink", ""),
            ("ResourceVersion", listed.resource_version),
            ("Continue", ""),
            ("RemainingItemCount", pointer(None, "*int64")),
        ),
    )
    items = go_slice([engine.to_go(item).elem for item in listed.items], f"[]v3.{listed.kind}")
    fields = (("TypeMeta", type_meta), ("ListMeta", list_meta), ("Items", items))
    body = struct(f"v3.{listed.list_kind}", fields, embedded=frozenset({"TypeMeta", "ListMeta"}))
    return pointer(body, f"*v3.{listed.list_kind}", in_interface=True)


def _template_data(engine: Any, objects: Sequence[Obj]) -> list[Any]:
    if not hasattr(engine, "GoStruct"):
        return list(objects)
    return [_go_list(engine, o) if isinstance(o, KindList) else o for o in objects]


def join_and_truncate(items: Any, separator: str, max_len: int) -> str:
    """calicoctl's ``joinAndTruncate``: each item's ``%v`` joined (a map as sorted ``k=v``, a
    single value as itself), cut to ``max_len`` bytes ending in ``...`` when ``max_len > 0``."""
    if items is None:
        return ""
    if isinstance(items, Mapping):
        items = sorted(f"{format_v(k)}={format_v(v)}" for k, v in items.items())
    elif not isinstance(items, (list, tuple)):
        items = [items]
    out = ""
    for i, item in enumerate(items):
        out += (separator if i else "") + format_v(item)
        if max_len > 0 and len(out) > max_len:
            return out[: max_len - 3] + "..."
    return out


def join(items: Any, separator: str) -> str:
    """calicoctl's ``join``: :func:`join_and_truncate` without a limit."""
    return join_and_truncate(items, separator, 0)


@dataclass(frozen=True)
class TemplatePrinter:
    """``ResourcePrinterTemplate`` (``text``) and ``ResourcePrinterTemplateFile`` (``path``)."""

    text: str | None = None
    path: str | None = None

    def source(self) -> str:
        if self.text is not None:
            return self.text
        assert self.path is not None
        try:
            with open(self.path, encoding="utf-8") as fh:
                return fh.read()
        except OSError as exc:
            text = exc.strerror or str(exc)
            raise CalicoError(f"open {self.path}: {text[:1].lower()}{text[1:]}") from None

    def chunks(self, objects: Sequence[Obj], config: ConfigLookup) -> Iterator[str]:
        engine: Any = template_engine()
        data = _template_data(engine, objects)
        text = self.source()
        # The engine's errors carry Go's text (``template: get:1:2: executing ...``), which
        # calicoctl prints; they are ValueErrors, as calicopy's TemplateError is.
        try:
            render = getattr(engine, "render", None)
            if render is not None:
                # calicoctl's printer is yamltemplate: all of the output or none, checked as YAML.
                yield render(text, data, name="get", as_number=lambda: config("asnumber"))
                return
            template = engine.parse(text, "get")
            funcs: dict[str, Callable[..., Any]] = {
                "join": join,
                "joinAndTruncate": join_and_truncate,
                "config": config,
            }
            yield template.execute(data, funcs=funcs)
        except CalicoError:
            raise
        except ValueError as exc:
            raise CalicoError(str(exc)) from exc


def parse_output(output: str, *, print_namespace: bool = False) -> Printer:
    """The printer for ``-o <output>``; raises calicoctl's errors for an unknown or incomplete
    format.  ``print_namespace`` (``-A`` or ``-n`` given): ps and wide tables show NAMESPACE."""
    simple: dict[str, Printer] = {
        "yaml": YAMLPrinter(),
        "yml": YAMLPrinter(),
        "json": JSONPrinter(),
        "ps": TablePrinter(print_namespace=print_namespace),
        "wide": TablePrinter(wide=True, print_namespace=print_namespace),
    }
    if output in simple:
        return simple[output]
    key, _, value = output.partition("=")
    if key == "go-template":
        if not value:
            raise CalicoError("need to specify a template")
        return TemplatePrinter(text=value)
    if key == "go-template-file":
        if not value:
            raise CalicoError("need to specify a template file")
        return TemplatePrinter(path=value)
    if key == "custom-columns":
        if not value:
            raise CalicoError("need to specify at least one column")
        return TablePrinter(headings=tuple(value.split(",")))
    raise CalicoError(f"unrecognized output format '{output}'")


def config_lookup(client: Client) -> ConfigLookup:
    """calicoctl's ``config`` template function: ``config "asnumber"`` is the default
    BGPConfiguration's AS number, ``64512`` when there is none, ``unknown`` when it cannot be
    read; read once per command."""
    cache: dict[str, str] = {}

    def lookup(name: str) -> str:
        if name.lower() != "asnumber":
            raise CalicoError(f"unhandled config type {name!r}")
        if "asnumber" not in cache:
            try:
                spec: Any = cast(Any, client.get("BGPConfiguration", "default")).spec
                cache["asnumber"] = "64512" if spec.as_number is None else format_v(spec.as_number)
            except ResourceNotFound:
                cache["asnumber"] = "64512"
            except CalicoError:
                cache["asnumber"] = "unknown"
        return cache["asnumber"]

    return lookup
