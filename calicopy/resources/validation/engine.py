"""The generic walk behind ``validate_resource``: go-playground tag semantics plus CRD markers.

libcalico-go validates with go-playground/validator v9: each field's ``validate`` tag runs
first (``omitempty`` stops on a zero value, ``dive`` applies the rest to each element, named
tags call registered functions), then every struct-level validator registered for the
struct's type.  On top, the CRD's OpenAPI markers (enum, limits, lengths, set lists) that the
API server (or, in etcd mode, libcalico-go itself) enforces are checked here.

Family rule modules contribute two tables:

* ``FIELD_CHECKS``: tag name -> ``(value, param) -> bool`` (True when valid);
* ``STRUCT_CHECKS``: model class name -> sequence of ``(obj, path, report) -> None``.

Keyed by name, not by class, so that the rule modules need no model at import time (the
models' base, :class:`~calicopy.resources.meta.Resource`, runs the validator).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ...errors import ErroredField
from ..model import CalicoModel, FieldPlan, GoField, json_path
from ..types import PORT_HINT, Port

__all__ = ["FieldCheck", "Report", "StructCheck", "Validator", "field_hint", "is_go_zero"]


class Report:
    """Collects failures in the order they are found."""

    __slots__ = ("fields",)

    def __init__(self) -> None:
        self.fields: list[ErroredField] = []

    def add(self, path: str, reason: str, value: Any = None, hint: str | None = None) -> None:
        self.fields.append(ErroredField(path, reason, value, hint))

    def __bool__(self) -> bool:
        return bool(self.fields)


FieldCheck = Callable[[Any, str], bool]
StructCheck = Callable[[Any, str, Report], None]


def is_go_zero(value: Any) -> bool:
    """Go's notion of an empty value, as ``omitempty`` and ``required`` use it.

    For the types models hold this is Python falsiness: ``None``, ``False``, ``0``, ``0.0``,
    ``""``, ``[]``, ``{}``; structs (models, ports) are never zero here.
    """
    return not value


def _number_or_length(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (str, list, dict, tuple)):
        return len(value)
    return None


def _builtin(tag: str, param: str, value: Any) -> bool | None:
    """go-playground's built-in tags; None when ``tag`` is not one of them."""
    if tag in ("gte", "lte", "gt", "lt", "min", "max", "len", "eq", "ne"):
        measured = _number_or_length(value)
        if measured is None:
            return True
        limit = float(param)
        return {
            "gte": measured >= limit,
            "min": measured >= limit,
            "lte": measured <= limit,
            "max": measured <= limit,
            "gt": measured > limit,
            "lt": measured < limit,
            "len": measured == limit,
            "eq": measured == limit,
            "ne": measured != limit,
        }[tag]
    if tag == "oneof":
        return str(value) in param.split()
    if tag == "unique":
        items = list(value.values()) if isinstance(value, dict) else list(value or ())
        keys = [repr(i) for i in items]
        return len(set(keys)) == len(keys)
    return None


class Validator:
    """Runs the tables of every rule family over a resource tree."""

    def __init__(
        self,
        field_checks: Mapping[str, FieldCheck],
        struct_checks: Mapping[str, Sequence[StructCheck]],
    ):
        self._field_checks = field_checks
        self._struct_checks = struct_checks

    def known_tag(self, tag: str) -> bool:
        name = tag.partition("=")[0]
        return (
            name in ("omitempty", "dive", "required")
            or name in self._field_checks
            or _builtin(name, "0", 0) is not None
        )

    def validate(self, obj: CalicoModel, path: str = "") -> list[ErroredField]:
        report = Report()
        self.walk(obj, path, report)
        return report.fields

    def walk(self, obj: CalicoModel, path: str, report: Report) -> None:
        cls = type(obj)
        values = obj.__dict__  # every field is there (pydantic's own storage; getattr is slower)
        for fp in cls.__calico_plan__.checked:
            value = values[fp.name]
            if value is None:
                if not fp.go.required:
                    continue
            elif fp.skip_zero and not value:  # Go's zero value ("", 0, false, empty); models are truthy
                continue
            if fp.tags or fp.has_markers:
                self._check_field(fp, value, path, report)
            if fp.model is None or value is None:
                continue
            fpath = json_path(path, fp.alias)
            if fp.container == "list":
                for i, item in enumerate(value):
                    if isinstance(item, CalicoModel):
                        self.walk(item, f"{fpath}[{i}]", report)
            elif fp.container == "map":
                for key, item in value.items():
                    if isinstance(item, CalicoModel):
                        self.walk(item, json_path(fpath, str(key)), report)
            elif isinstance(value, CalicoModel):
                self.walk(value, fpath, report)
        checks = self._struct_checks.get(cls.__name__)
        if checks:
            for check in checks:
                check(obj, path, report)

    # -- one field ------------------------------------------------------------------------------

    def _check_field(self, fp: FieldPlan, value: Any, parent: str, report: Report) -> None:
        path = json_path(parent, fp.alias)
        if fp.tags and not self._run_tags(fp.go, fp.tags, value, path, report):
            return  # one failure per field, as go-playground stops at a field's first failing tag
        if fp.pattern is not None and isinstance(value, str) and value and not fp.pattern.search(value):
            # OpenAPI patterns use search semantics; Calico's anchor themselves.
            report.add(path, f"should match '{fp.go.pattern}'", value)
            return
        if fp.has_markers:
            self._check_markers(fp.go, value, path, report)

    def _run_tags(self, go: GoField, tags: Sequence[tuple[str, str]], value: Any, path: str, report: Report) -> bool:
        for index, (tag, param) in enumerate(tags):
            if tag == "omitempty":
                if value is None or (go.omit != "nil" and is_go_zero(value)):
                    return True
                continue
            if tag == "dive":
                rest = tags[index + 1 :]
                if isinstance(value, dict):
                    items: list[tuple[str, Any]] = [(json_path(path, str(k)), v) for k, v in value.items()]
                else:
                    items = [(f"{path}[{i}]", v) for i, v in enumerate(value or ())]
                ok = True
                for item_path, item in items:
                    if not isinstance(item, CalicoModel):
                        ok = self._run_tags(go, rest, item, item_path, report) and ok
                return ok
            if tag == "required":
                valid = not is_go_zero(value)
            else:
                check = self._field_checks.get(tag)
                if check is not None:
                    valid = check(value, param)
                else:
                    builtin = _builtin(tag, param, value)
                    if builtin is None:
                        continue
                    valid = builtin
            if not valid:
                report.add(
                    path,
                    f"Reason: failed to validate Field: {go.go_name} because of Tag: {tag} ",
                    _shown(value),
                    field_hint(go, tags, value),
                )
                return False
        return True

    @staticmethod
    def _check_markers(go: GoField, value: Any, path: str, report: Report) -> None:
        """The CRD's OpenAPI constraints (what the API server enforces on write)."""
        if value is None:
            if go.required:
                report.add(path, "Required value")
            return
        if is_go_zero(value) and go.omit in ("empty", "zero"):
            return  # omitted on the wire: the schema never sees it
        if go.enum is not None and str(value) not in go.enum:
            report.add(
                path,
                f"Unsupported value: {_quoted(value)}: supported values: {_supported(go.enum)}",
                _shown(value),
                field_hint(go, (), value),
            )
            return
        if go.item_enum is not None and isinstance(value, list):
            for i, item in enumerate(value):
                if str(item) not in go.item_enum:
                    report.add(
                        json_path(path, i),
                        f"Unsupported value: {_quoted(item)}: supported values: {_supported(go.item_enum)}",
                        _shown(item),
                        field_hint(go, (), item),
                    )
                    return
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if go.minimum is not None and value < go.minimum:
                report.add(
                    path,
                    f"should be greater than or equal to {_num(go.minimum)}",
                    value,
                    field_hint(go, (), value),
                )
                return
            if go.maximum is not None and value > go.maximum:
                report.add(
                    path, f"should be less than or equal to {_num(go.maximum)}", value, field_hint(go, (), value)
                )
                return
        if isinstance(value, str):
            if go.max_length is not None and len(value) > go.max_length:
                report.add(path, f"Too long: may not be more than {go.max_length} bytes", value)
                return
            if go.min_length is not None and len(value) < go.min_length:
                report.add(path, f"should be at least {go.min_length} chars long", value)
                return
        if isinstance(value, list):
            if go.max_items is not None and len(value) > go.max_items:
                report.add(
                    path,
                    f"Too many: {len(value)}: must have at most {go.max_items} items",
                )
                return
            if go.min_items is not None and len(value) < go.min_items:
                report.add(path, f"should have at least {go.min_items} items")
                return
            if go.list_set:
                seen: set[str] = set()
                for i, item in enumerate(value):
                    key = repr(item)
                    if key in seen:
                        report.add(
                            json_path(path, i),
                            f"Duplicate value: {_quoted(item)}",
                            _shown(item),
                        )
                        return
                    seen.add(key)


def field_hint(go: GoField, tags: Sequence[tuple[str, str]], value: Any) -> str | None:
    """What a Python user needs to fix a failing field: the allowed values of an enum, the range
    of a number (from the CRD's limits, else the ``gte``/``lte`` tags), the forms of a port."""
    allowed = go.item_enum if go.item_enum is not None and not isinstance(value, list) else go.enum
    if allowed is not None:
        return f"allowed values: {_supported(allowed)}"
    if isinstance(value, Port):
        return PORT_HINT
    if isinstance(value, int) and not isinstance(value, bool):
        low, high = go.minimum, go.maximum
        for tag, param in tags:
            if tag in ("gte", "min"):
                low = float(param) if low is None else max(low, float(param))
            elif tag in ("lte", "max"):
                high = float(param) if high is None else min(high, float(param))
        if low is not None and high is not None:
            return f"the range is {_num(low)} to {_num(high)}"
        if low is not None:
            return f"the smallest allowed value is {_num(low)}"
        if high is not None:
            return f"the largest allowed value is {_num(high)}"
    return None


def _shown(value: Any) -> Any:
    if isinstance(value, CalicoModel):
        return None
    return value


def _quoted(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value)


def _supported(values: Sequence[str]) -> str:
    return ", ".join(f'"{v}"' for v in values)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
