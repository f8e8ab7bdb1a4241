"""projectcalico.org/v3 resources <-> the custom resources libcalico-go v3.32.1 keeps in Kubernetes.

Pure functions, no I/O.  Sources (Calico v3.32.1): ``libcalico-go/lib/backend/k8s/resources/``
``resources.go`` (``ConvertCalicoResourceToK8sResource`` / ``ConvertK8sResourceToCalicoResource``),
``customresource.go``, ``ipam_affinity_v3.go``, ``ipam_config_v3.go``, ``tiers.go``; clientv3's
read-side defaulting (``clientv3/ippool.go`` ``convertIpPoolFromStorage``,
``clientv3/globalnetworkpolicy.go`` ``defaultTierLabelIfMissing``).  ``docs/kdd-mapping.md``
explains every rule with an example.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from .._go.json import jsoniter_marshal as go_marshal
from .._go.json import sort_map
from ..backends.fastjson import loads
from ..errors import CalicoError, ConversionError
from ..resources.defaults import apply_read_defaults
from ..resources.defaults.policy import DEFAULT_TIER, DEFAULT_TIER_ORDER
from ..resources.meta import ObjectMeta, Resource
from ..resources.registry import KindInfo
from .kinds import custom_resource_kinds, v1_string_bools
from .names import block_affinity_labels
from .uid import convert_uid

__all__ = [
    "CONVERSION_ERRORS",
    "GROUP_V1",
    "GROUP_V3",
    "METADATA_ANNOTATION",
    "ConversionError",
    "from_crd",
    "is_ours",
    "metadata_annotation",
    "read_defaults",
    "to_crd",
]

GROUP_V1 = "crd.projectcalico.org/v1"
GROUP_V3 = "projectcalico.org/v3"
METADATA_ANNOTATION = "projectcalico.org/metadata"

#: What converting a stored object can raise when the object is malformed (readers of many objects
#: skip such an object, as libcalico-go does, rather than fail as a whole).
CONVERSION_ERRORS: tuple[type[Exception], ...] = (CalicoError, ValueError, TypeError, KeyError, AttributeError)

# ObjectMeta fields in metav1.ObjectMeta declaration order (the annotation's JSON order).
_META_FIELDS = tuple(p.alias for p in ObjectMeta.__calico_plan__.fields)
_META_FIELD_SET = frozenset(_META_FIELDS)
_TIME_FIELDS = ("creationTimestamp", "deletionTimestamp")


def is_ours(key: str) -> bool:
    """libcalico-go's ``isOurs``: the key *contains* ``projectcalico.org/`` or ``operator.tigera.io/``."""
    return "projectcalico.org/" in key or "operator.tigera.io/" in key


_BY_V1_KIND: Mapping[str, KindInfo] = MappingProxyType(
    {info.v1_kind: info for info in custom_resource_kinds() if info.v1_kind}
)
_BY_V3_KIND: Mapping[str, KindInfo] = MappingProxyType({info.kind: info for info in custom_resource_kinds()})


# -- Go value formatting ----------------------------------------------------------------------


# metav1.Time as Go writes it (UTC, whole seconds, a four-digit year): already in its final form,
# parseable or not, so a read of thousands of objects need not parse it.
_GO_TIME_TEXT = re.compile(r"[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def _go_time(value: Any) -> Any:
    """metav1.Time as Go writes it: RFC 3339, UTC, whole seconds.  Unparseable text is left alone."""
    if not isinstance(value, str) or not value or _GO_TIME_TEXT.fullmatch(value):
        return value
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    if parsed.tzinfo is None:
        return value
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _go_meta_dict(meta: Mapping[str, Any]) -> dict[str, Any]:
    """``metav1.ObjectMeta`` JSON from a to_dict()-shaped metadata dict: known fields only, Go order,
    maps sorted, ``creationTimestamp`` always present (``null`` when zero, as jsoniter writes it)."""
    out: dict[str, Any] = {}
    for key in _META_FIELDS:
        value = meta.get(key)
        if key in _TIME_FIELDS:
            value = _go_time(value)
        if key == "creationTimestamp":
            out[key] = value or None
            continue
        if value in (None, "", 0, [], {}) or value is False:
            continue
        if key in ("labels", "annotations"):
            value = sort_map(value)
        elif key == "managedFields":
            value = [_managed_entry(entry) for entry in value]
        out[key] = value
    return out


def _managed_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(entry)
    if isinstance(result.get("fieldsV1"), Mapping):
        result["fieldsV1"] = sort_map(result["fieldsV1"], deep=True)
    if "time" in result:
        result["time"] = _go_time(result["time"])
    return result


def _convert_owner_refs(refs: list[dict[str, Any]], from_versions: tuple[str, ...], to_version: str) -> None:
    for ref in refs:
        if ref.get("apiVersion") in from_versions:
            ref["apiVersion"] = to_version
            ref["uid"] = convert_uid(ref.get("uid", ""))


def metadata_annotation(meta: Mapping[str, Any], *, keep_name: bool) -> str:
    """The ``projectcalico.org/metadata`` annotation value for v3 metadata (a to_dict()-shaped dict).

    namespace, resourceVersion and uid are left out (they live on the CR); the name is kept only for
    the tiered policy kinds; projectcalico.org/v3 owner references are rewritten to
    crd.projectcalico.org/v1 with converted UIDs.
    """
    work = copy.deepcopy(dict(meta))
    for key in ("namespace", "resourceVersion", "uid"):
        work.pop(key, None)
    if not keep_name:
        work.pop("name", None)
    _convert_owner_refs(work.get("ownerReferences") or [], (GROUP_V3,), GROUP_V1)
    return go_marshal(_go_meta_dict(work))


# -- per-kind behaviour (tables, not if-chains) -----------------------------------------------


def _block_affinity_for_write(data: dict[str, Any]) -> None:
    # ipam_affinity_v3.go buildCRD: a fresh object with only name and resourceVersion, plus the
    # hostname-hash / affinity-type / ip-version labels; everything else in metadata is dropped.
    meta = data.get("metadata", {})
    spec = data.get("spec", {})
    new_meta: dict[str, Any] = {"name": meta.get("name", "")}
    if meta.get("resourceVersion"):
        new_meta["resourceVersion"] = meta["resourceVersion"]
    new_meta["labels"] = block_affinity_labels(spec.get("node", ""), spec.get("type", ""), spec.get("cidr", ""))
    data["metadata"] = new_meta
    # internalapi/v3 BlockAffinitySpec: state, node, type (omitempty), cidr, deleted.
    data["spec"] = {
        "state": spec.get("state", ""),
        "node": spec.get("node", ""),
        **({"type": spec["type"]} if spec.get("type") else {}),
        "cidr": spec.get("cidr", ""),
        "deleted": bool(spec.get("deleted", False)),
    }


def _tier_read_defaults(tier: Resource) -> None:
    spec: Any = getattr(tier, "spec")  # noqa: B009
    if spec.order is None:
        spec.order = DEFAULT_TIER_ORDER
    if spec.default_action is None:
        spec.default_action = "Deny"


# What the CRD client does before sending (keyed by v3 kind).
_WRITE_HOOKS: Mapping[str, Callable[[dict[str, Any]], None]] = MappingProxyType(
    {"BlockAffinity": _block_affinity_for_write}
)
# What the backend and clientv3 fill in on every Get/List/Watch (keyed by v3 kind).
# What the Kubernetes backend itself fills in on reads (keyed by v3 kind); clientv3's own read
# defaults (IPPool, tier label) come from calicopy.resources.defaults.apply_read_defaults.
_BACKEND_READ_HOOKS: Mapping[str, Callable[[Resource], None]] = MappingProxyType(
    {"Tier": _tier_read_defaults}  # k8s/resources/tiers.go tierDefaulter
)


def read_defaults(resource: Resource) -> Resource:
    """A copy of ``resource`` with what calicoctl v3.32 fills in on every read (IPPool, Tier, tier label)."""
    return _read_defaults_in_place(resource.model_copy(deep=True))


def _read_defaults_in_place(resource: Resource) -> Resource:
    """:func:`read_defaults` on an object the caller owns (no copy)."""
    hook = _BACKEND_READ_HOOKS.get(resource.KIND)
    if hook is not None:
        hook(resource)
    apply_read_defaults(resource)
    return resource


# -- write ------------------------------------------------------------------------------------


def _info_for(kind: str) -> KindInfo:
    info = _BY_V3_KIND.get(kind)
    if info is None:
        raise ConversionError(f"{kind} is not stored as a Calico custom resource")
    return info


def to_crd(resource: Resource, api_group: str = GROUP_V1) -> dict[str, Any]:
    """The object libcalico-go v3.32.1 sends to Kubernetes for ``resource`` (JSON-shaped dict).

    ``api_group`` is ``crd.projectcalico.org/v1`` (metadata annotation, UID conversion, v1 kind
    names) or ``projectcalico.org/v3`` (native CRDs: sent as the v3 object).
    """
    info = _info_for(resource.KIND)
    data = resource.to_dict()
    hook = _WRITE_HOOKS.get(info.kind)
    if hook is not None:
        hook(data)
    meta: dict[str, Any] = data.get("metadata", {})
    if api_group == GROUP_V3:
        data["apiVersion"] = GROUP_V3
        data["kind"] = info.kind
        return _type_meta_first(data)
    if api_group != GROUP_V1:
        raise ConversionError(f"unknown Calico API group {api_group!r}")
    annotations = {METADATA_ANNOTATION: metadata_annotation(meta, keep_name=info.is_policy)}
    cr_meta: dict[str, Any] = {"name": meta.get("name", "")}
    if meta.get("namespace"):
        cr_meta["namespace"] = meta["namespace"]
    if meta.get("uid"):
        cr_meta["uid"] = convert_uid(meta["uid"])
    if meta.get("resourceVersion"):
        cr_meta["resourceVersion"] = meta["resourceVersion"]
    labels = {k: v for k, v in (meta.get("labels") or {}).items() if is_ours(k)}
    if labels:
        cr_meta["labels"] = sort_map(labels)
    annotations.update({k: v for k, v in (meta.get("annotations") or {}).items() if is_ours(k)})
    cr_meta["annotations"] = sort_map(annotations)
    data["metadata"] = cr_meta
    data["apiVersion"] = GROUP_V1
    data["kind"] = info.v1_kind
    spec = data.get("spec")
    if isinstance(spec, dict):
        for name in v1_string_bools(info.kind):
            spec[name] = "true" if spec.get(name) is True else "false"
    return _type_meta_first(data)


def _type_meta_first(data: dict[str, Any]) -> dict[str, Any]:
    head = {"kind": data.pop("kind"), "apiVersion": data.pop("apiVersion")}
    return {**head, **data}


# -- read -------------------------------------------------------------------------------------


def _determine_policy_name(name: str, tier: str) -> str:
    # resources.go determinePolicyName: default-tier names lose a legacy "default." prefix.
    return name.removeprefix("default.") if tier in ("", DEFAULT_TIER) else name


def _v1_metadata_to_v3(cr: Mapping[str, Any], info: KindInfo) -> dict[str, Any]:
    # ``cr`` is only read; the result may share nested values with it (from_crd deep-copies its
    # input first, the backend's freshly decoded responses are referenced by nothing else).
    rom: Mapping[str, Any] = cr.get("metadata") or {}
    uid = rom.get("uid") or ""
    stored_annotations: Mapping[str, str] = rom.get("annotations") or {}
    stored = stored_annotations.get(METADATA_ANNOTATION)
    if stored is None:
        # kubectl-written (or annotation-less) CR: its own metadata, UID converted
        own = dict(rom)
        if uid:
            own["uid"] = convert_uid(uid)
        return own
    try:
        parsed = loads(stored)
    except ValueError as exc:
        raise ConversionError(f"invalid {METADATA_ANNOTATION} annotation: {exc}") from None
    annotations = {k: v for k, v in stored_annotations.items() if k != METADATA_ANNOTATION}
    # Go drops unknown keys.
    meta = {k: v for k, v in parsed.items() if k in _META_FIELD_SET} if isinstance(parsed, dict) else {}
    for key in _TIME_FIELDS:
        meta[key] = _go_time(meta.get(key))
    refs = meta.get("ownerReferences") or []
    _convert_owner_refs(refs, (GROUP_V1, GROUP_V3), GROUP_V3)
    labels = {**(rom.get("labels") or {}), **(meta.get("labels") or {})}
    merged_annotations = {**annotations, **(meta.get("annotations") or {})}
    if not meta.get("name"):
        name = rom.get("name", "")
        if info.is_policy:
            name = _determine_policy_name(name, (cr.get("spec") or {}).get("tier") or "")
        meta["name"] = name
    meta["namespace"] = rom.get("namespace", "")
    meta["resourceVersion"] = rom.get("resourceVersion", "")
    meta["uid"] = convert_uid(uid) if uid else rom.get("uid", "")
    meta["labels"] = labels
    meta["annotations"] = merged_annotations
    if not meta.get("creationTimestamp"):
        meta["creationTimestamp"] = rom.get("creationTimestamp")
    # Empty values are dropped (a truthy JSON value is never one of them).
    return {k: v for k, v in meta.items() if v or v not in (None, "", [], {})}


def from_crd(obj: Mapping[str, Any]) -> Resource:
    """The projectcalico.org/v3 resource calicoctl v3.32.1 shows for a stored custom resource.

    Accepts crd.projectcalico.org/v1 objects (written by v3.32, by v3.26-v3.31, or by kubectl
    without the metadata annotation) and native projectcalico.org/v3 objects.  Read-side
    defaults are applied (:func:`read_defaults`).  ``obj`` is never changed, and the result
    shares nothing with it.
    """
    return from_crd_shared(copy.deepcopy(dict(obj)))


def from_crd_shared(obj: Mapping[str, Any]) -> Resource:
    """:func:`from_crd` without copying ``obj`` first, for data nothing else will change.

    ``obj`` itself is not changed either (only shallow copies of it are edited), but the
    resource may share nested values with it (unknown fields, kept as given): the Kubernetes
    backend passes the dicts it has just decoded from a response and then drops them.
    """
    api_version = obj.get("apiVersion")
    kind = str(obj.get("kind", ""))
    data: dict[str, Any] = dict(obj)
    if api_version == GROUP_V1:
        info = _BY_V1_KIND.get(kind)
        if info is None:
            raise ConversionError(f"{kind!r} is not a crd.projectcalico.org/v1 kind calicopy knows")
        data["metadata"] = _v1_metadata_to_v3(obj, info)
        spec = data.get("spec")
        string_bools = v1_string_bools(info.kind)
        if isinstance(spec, dict) and any(name in spec for name in string_bools):
            spec = data["spec"] = dict(spec)
            for name in string_bools:
                if name in spec:
                    spec[name] = spec[name] == "true"
    elif api_version == GROUP_V3:
        info = _info_for(kind)
    else:
        raise ConversionError(f"{api_version!r} is not a Calico custom resource group")
    data["apiVersion"] = GROUP_V3
    data["kind"] = info.kind
    # ``data`` belongs to this call, so the read defaults go straight onto the new object.
    return _read_defaults_in_place(info.model.from_storage(data))
