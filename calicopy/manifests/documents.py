"""Parsed documents to resources: what calicoctl accepts as a resource, a list of them or a typed list.

A document is one resource, a sequence of resources, or a typed list (``kind: IPPoolList``
with ``items``).  ``kind``/``apiVersion`` pick the model; every resource then goes through
``Model.from_dict`` (case-insensitive keys, unknown keys and libcalico-go validation failures
rejected).  ``crd.projectcalico.org/v1`` objects are read through the KDD mapping, as calicoctl
reads them back from the datastore.
"""

from __future__ import annotations

from typing import Any

from .._go.fmt import format_v
from ..errors import CalicoError, ErroredField, ManifestError, ValidationError
from ..kdd.convert import from_crd
from ..resources.meta import API_VERSION, ListMeta, Resource
from ..resources.registry import KINDS
from .messages import describe, join_path

__all__ = ["CRD_V1_API_VERSION", "resources_from_document"]

CRD_V1_API_VERSION = "crd.projectcalico.org/v1"


def resources_from_document(data: Any, source: str, number: int) -> tuple[Resource, ...]:
    if isinstance(data, dict):
        return tuple(_resources_from_object(data, "", source, number, top=True))
    if isinstance(data, list):
        out: list[Resource] = []
        for index, item in enumerate(data):
            path = f"[{index}]"
            if not isinstance(item, dict):
                raise ManifestError(
                    f"list item is {describe(item)}, not a resource (a mapping with apiVersion and kind)",
                    source=source,
                    document=number,
                    field=path,
                )
            out.extend(_resources_from_object(item, path, source, number, top=True))
        return tuple(out)
    raise ManifestError(
        f"document is {describe(data)}, not a resource (a mapping with apiVersion and kind) or a list of resources",
        source=source,
        document=number,
    )


def _raw_type_meta(obj: dict[str, Any], *, exact: bool) -> tuple[Any, Any]:
    found: list[Any] = []
    for wanted in ("kind", "apiVersion"):
        value = obj.get(wanted)
        if value is None and not exact:
            folded = wanted.casefold()
            value = next((v for k, v in obj.items() if isinstance(k, str) and k.casefold() == folded), None)
        found.append(value)
    return found[0], found[1]


def _type_meta(obj: dict[str, Any], path: str, source: str, number: int, *, exact: bool) -> tuple[str, str]:
    """``kind`` and ``apiVersion`` as calicoctl reads them.

    Top-level objects go through ``unstructured.Unstructured`` (keys spelled exactly); items
    of a typed list are decoded by encoding/json (keys matched case-insensitively).
    """
    raw_kind, raw_api_version = _raw_type_meta(obj, exact=exact)
    values = {"kind": raw_kind, "apiVersion": raw_api_version}
    for wanted in ("kind", "apiVersion"):
        value = values.get(wanted)
        if value is not None and not isinstance(value, str):
            raise ManifestError(
                f"{wanted} must be a string, not {describe(value)}",
                source=source,
                document=number,
                field=join_path(path, wanted),
            )
    kind = values.get("kind") or ""
    api_version = values.get("apiVersion") or ""
    if not kind:
        variants = [k for k in obj if isinstance(k, str) and k.casefold() in ("kind", "apiversion") and k not in values]
        hint = (
            f" (found {', '.join(repr(v) for v in variants)}: calicoctl reads 'kind' and 'apiVersion' spelled exactly)"
            if variants
            else ""
        )
        raise ManifestError(
            f"Object 'Kind' is missing: every resource needs kind and apiVersion{hint}",
            source=source,
            document=number,
            field=join_path(path, "kind"),
        )
    return kind, api_version


def _resources_from_object(obj: dict[str, Any], path: str, source: str, number: int, *, top: bool) -> list[Resource]:
    kind, api_version = _type_meta(obj, path, source, number, exact=top)
    if api_version == API_VERSION:
        info = KINDS.get(kind)
        if info is not None:
            return [_from_dict(info.model, obj, path, source, number)]
        if kind.endswith("List") and kind[:-4] in KINDS:
            if not top:
                raise ManifestError(
                    f"a {kind} cannot be an item of a typed list",
                    source=source,
                    document=number,
                    field=join_path(path, "kind"),
                )
            return _typed_list(obj, kind[:-4], path, source, number)
    if api_version == CRD_V1_API_VERSION:
        return [_from_crd_v1(obj, kind, path, source, number)]
    raise ManifestError(
        f"unknown resource type ({kind}) and/or version ({api_version}){_unknown_hint(kind, api_version)}",
        source=source,
        document=number,
        field=join_path(path, "kind" if api_version == API_VERSION else "apiVersion"),
    )


def _unknown_hint(kind: str, api_version: str) -> str:
    if kind == "List":
        return (
            ": calicoctl does not accept the generic Kubernetes 'kind: List'; use a typed list "
            "(e.g. kind: IPPoolList, apiVersion: projectcalico.org/v3) or a YAML sequence of resources"
        )
    if not api_version:
        return f": apiVersion is missing (use apiVersion: {API_VERSION})"
    folded = {k.casefold(): k for k in KINDS}
    base = kind[:-4] if kind.endswith("List") else kind
    suggestion = folded.get(base.casefold())
    if suggestion is not None and suggestion != base:
        return f": kinds are case-sensitive, did you mean {suggestion + kind[len(base) :]}?"
    if api_version != API_VERSION and (kind in KINDS or base in KINDS):
        return f": Calico resources use apiVersion: {API_VERSION}"
    return ""


_LIST_FIELDS = {"kind": "kind", "apiversion": "apiVersion", "metadata": "metadata", "items": "items"}


def _typed_list(obj: dict[str, Any], item_kind: str, path: str, source: str, number: int) -> list[Resource]:
    """A typed list's own keys (every unknown one and every metadata problem reported together), then its items."""
    list_kind = item_kind + "List"
    fields: dict[str, Any] = {}
    problems: list[ErroredField] = []
    for k, v in obj.items():
        name = _LIST_FIELDS.get(k.casefold()) if isinstance(k, str) else None
        if name is None:
            problems.append(
                ErroredField(str(k), f"field in document is not recognized or is in the wrong location: {k}")
            )
        else:
            fields[name] = v
    meta = fields.get("metadata")
    if meta is not None:
        if not isinstance(meta, dict):
            problems.append(ErroredField("metadata", f"{list_kind} metadata must be a mapping, not {describe(meta)}"))
        else:
            try:
                ListMeta.from_dict(meta)
            except ValidationError as exc:
                problems.extend(exc.prefixed("metadata").fields)
    if problems:
        raise _invalid(ValidationError(problems), path, source, number)
    items = fields.get("items")
    if items is None:
        return []
    items_path = join_path(path, "items")
    if not isinstance(items, list):
        raise ManifestError(
            f"{list_kind} items must be a list, not {describe(items)}",
            source=source,
            document=number,
            field=items_path,
        )
    out: list[Resource] = []
    for index, item in enumerate(items):
        item_path = f"{items_path}[{index}]"
        if not isinstance(item, dict):
            raise ManifestError(
                f"{list_kind} item is {describe(item)}, not a resource",
                source=source,
                document=number,
                field=item_path,
            )
        raw_kind, raw_api_version = _raw_type_meta(item, exact=False)
        missing = [name for name, value in (("apiVersion", raw_api_version), ("kind", raw_kind)) if not value]
        if missing:
            raise ManifestError(
                f"each item of the {list_kind} must carry its own apiVersion and kind "
                f"(calicoctl dispatches every item on them); this item has no {' and no '.join(missing)}",
                source=source,
                document=number,
                field=join_path(item_path, missing[0]),
            )
        kind, api_version = _type_meta(item, item_path, source, number, exact=False)
        if kind != item_kind or api_version != API_VERSION:
            raise ManifestError(
                f"item is {kind} ({api_version}) but the {list_kind} holds only {item_kind} ({API_VERSION})",
                source=source,
                document=number,
                field=join_path(item_path, "kind"),
            )
        out.extend(_resources_from_object(item, item_path, source, number, top=False))
    return out


def _from_crd_v1(obj: dict[str, Any], kind: str, path: str, source: str, number: int) -> Resource:
    """A crd.projectcalico.org/v1 object (as kubectl users write it) as calicoctl would read it back.

    The KDD mapping turns it into the v3 resource (metadata annotation, names, read defaults);
    that resource is then checked as strictly as a v3 manifest, so a field the API server would
    silently prune is reported instead of dropped.
    """

    try:
        converted = from_crd(obj)
    except CalicoError as exc:
        raise ManifestError(
            f"cannot read {kind} as {CRD_V1_API_VERSION}: {exc}", source=source, document=number, field=path or None
        ) from None
    return _from_dict(type(converted), converted.to_dict(), path, source, number)


def _from_dict(model: type[Resource], obj: dict[str, Any], path: str, source: str, number: int) -> Resource:
    try:
        return model.from_dict(obj)
    except ValidationError as exc:
        raise _invalid(exc, path, source, number) from None
    except CalicoError as exc:
        raise ManifestError(str(exc), source=source, document=number, field=path or None) from exc
    except RecursionError:
        raise ManifestError(
            "resource is nested too deeply to validate", source=source, document=number, field=path or None
        ) from None
    except Exception as exc:  # a bug in a model or a rule: keep the promise of one error type
        raise ManifestError(
            f"internal error while validating {model.KIND} (a calicopy bug, please report it): "
            f"{type(exc).__name__}: {exc}",
            source=source,
            document=number,
            field=path or None,
        ) from exc


def _invalid(cause: ValidationError, path: str, source: str, number: int) -> ManifestError:
    """A resource (or typed list) at ``path`` that fails validation, naming each failing field once.

    One field: the error's ``field`` names it and the reason says the rest (the resource, the
    value, why, the hint).  Several: the reason lists them all, each with its path.  Either way
    ``cause`` keeps every field, with paths from the document's top.
    """
    placed = cause.prefixed(path) if path else cause
    if len(placed.fields) != 1:
        return ManifestError(str(placed), source=source, document=number, cause=placed)
    (only,) = placed.fields
    parts = [placed.resource] if placed.resource else []
    if only.value is not None:
        parts.append(f"value '{format_v(only.value)}'" + (f" ({only.reason})" if only.reason else ""))
    elif only.reason:
        parts.append(only.reason)
    text = ": ".join(parts) or "invalid value"
    if only.hint:
        text += f" -- hint: {only.hint}"
    return ManifestError(text, source=source, document=number, field=only.path, cause=placed)
