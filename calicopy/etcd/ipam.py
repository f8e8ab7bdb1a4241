"""Calico IPAM in etcd: the v3 IPAM kinds <-> libcalico-go's ``/calico/ipam/v2/`` keys and model values.

libcalico-go's IPAM (``lib/ipam``) keeps its objects in etcd as the "v1 model" structs of
``lib/backend/model`` (v3.32.1), not as v3 resources:

=====================  ==============================================================  ===========================
v3 kind                etcd key                                                        value (``model.*``)
=====================  ==============================================================  ===========================
IPAMBlock              ``/calico/ipam/v2/assignment/ipv<4|6>/block/<cidr, / as ->``    ``AllocationBlock``
BlockAffinity          ``/calico/ipam/v2/<host|virtual>/<node>/ipv<4|6>/block/<cidr>``  ``BlockAffinity``
IPAMHandle             ``/calico/ipam/v2/handle/<handle ID>`` (case kept)               ``IPAMHandle``
IPAMConfiguration      ``/calico/ipam/v2/config``                                       ``IPAMConfig``
=====================  ==============================================================  ===========================

(``block.go``, ``block_affinity.go``, ``ipam_handle.go``, ``ipam_config.go``.)  calicopy speaks v3
models above the Backend, so this module presents those values as the v3 objects the Kubernetes
datastore holds for the same data (``k8s/resources/ipam_*.go``; the names of
:mod:`calicopy.kdd.names`), and writes them back in the model form byte for byte.  Only what the
model stores survives: the v3 metadata is rebuilt on read (name from the key, resourceVersion =
``mod_revision``; a BlockAffinity gets the labels libcalico-go's KDD puts on it, so label
selectors work alike on both datastores).  ``IPAMConfiguration`` maps to ``/calico/ipam/v2/config``,
the key libcalico-go's IPAM reads, rather than to the separate
``/calico/resources/v3/projectcalico.org/ipamconfigurations/default`` that its clientv3 would use
in etcd mode (``../docs/etcd.md`` explains the choice).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .._go import json as go_json
from ..errors import ConversionError
from ..kdd.names import affinity_name, block_affinity_labels, cidr_to_name, handle_name
from ..resources.meta import API_VERSION, Resource
from ..resources.registry import KINDS

__all__ = ["CONFIG_NAME", "IPAM_KINDS", "IPAM_ROOT", "IPAMKind", "cidr_key_part", "name_to_cidr"]

IPAM_ROOT = "/calico/ipam/v2/"
_ASSIGNMENT = IPAM_ROOT + "assignment/"
_HANDLES = IPAM_ROOT + "handle/"
_CONFIG = IPAM_ROOT + "config"
_AFFINITY_TYPES = ("host", "virtual")
#: The only IPAMConfiguration name (``model.IPAMConfigGlobalName``).
CONFIG_NAME = "default"


def _network(cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        raise ConversionError(f"invalid CIDR address: {cidr}") from None


def cidr_key_part(cidr: str) -> tuple[int, str]:
    """The IP version and the key segment of a CIDR (``cnet.IPNet.String()`` with ``/`` as ``-``)."""
    net = _network(cidr)
    return net.version, str(net).replace("/", "-", 1)


def name_to_cidr(name: str) -> str | None:
    """The CIDR whose ``names.CIDRToName`` is ``name`` (the name of an IPAMBlock), or None."""
    head, sep, prefix = name.rpartition("-")
    if not sep or not prefix.isdigit():
        return None
    parts = head.split("-")
    candidates = [".".join(parts)] if len(parts) == 4 else []
    candidates.append(":".join(parts))
    for address in candidates:
        try:
            net = ipaddress.ip_network(f"{address}/{prefix}", strict=False)
        except ValueError:
            continue
        if cidr_to_name(str(net)) == name:
            return str(net)
    return None


def _parse_cidr_segment(segment: str) -> str | None:
    text = segment.replace("-", "/", 1)
    try:
        return str(ipaddress.ip_network(text, strict=False))
    except ValueError:
        return None


def _meta(kind: str, name: str, revision: int, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "resourceVersion": str(revision)}
    if labels:
        meta["labels"] = dict(labels)
    return {"kind": kind, "apiVersion": API_VERSION, "metadata": meta}


def _object(value: bytes, what: str, *, empty_is_object: bool = False) -> dict[str, Any]:
    if not value and empty_is_object:
        return {}
    try:
        data = json.loads(value)
    except ValueError as exc:
        raise ConversionError(f"cannot parse the {what} stored in etcd: {exc}") from None
    if not isinstance(data, dict):
        raise ConversionError(f"cannot parse the {what} stored in etcd: not a JSON object")
    return data


def _spec(resource: Resource) -> dict[str, Any]:
    spec = resource.to_dict().get("spec") or {}
    assert isinstance(spec, dict)
    return spec


# -- IPAMBlock <-> model.AllocationBlock -------------------------------------------------------

#: model.AllocationBlock's fields in Go order, with the v3 spec field each comes from.
_BLOCK_FIELDS = (
    ("cidr", "cidr"),
    ("affinity", "affinity"),
    ("affinity_claim_time", "affinityClaimTime"),
    ("allocations", "allocations"),
    ("unallocated", "unallocated"),
    ("attributes", "attributes"),
    ("sequenceNumber", "sequenceNumber"),
    ("sequenceNumberForAllocation", "sequenceNumberForAllocation"),
    ("deleted", "deleted"),
)
# Written only when set (``omitempty``); the rest always (``affinity`` is ``null`` when unset).
_BLOCK_OMITEMPTY = frozenset({"affinity_claim_time", "hostAffinity"})
# v3-only: the deprecated IPAMBlockSpec.strictAffinity has no model field.
_BLOCK_V3_ONLY = frozenset({"strictAffinity"})
_ATTRIBUTE_ORDER = ("handle_id", "secondary", "alternateOwnerAttrs")


def _model_attribute(attr: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in _ATTRIBUTE_ORDER:
        value = attr.get(key)
        if value is None or value == {}:
            continue
        out[key] = go_json.sort_map(value) if isinstance(value, Mapping) else value
    for key, value in attr.items():
        out.setdefault(key, value)
    return out


def _block_value(resource: Resource) -> str:
    spec = _spec(resource)
    out: dict[str, Any] = {}
    used = {"strictAffinity"}
    for model_key, v3_key in _BLOCK_FIELDS:
        used.add(v3_key)
        value = spec.get(v3_key)
        if model_key == "cidr":
            value = str(_network(str(value or "")))
        elif model_key == "sequenceNumber":
            value = value or 0
        elif model_key == "deleted":
            value = bool(value)
        elif model_key == "attributes" and value is not None:
            value = [_model_attribute(a) for a in value]
        elif model_key == "sequenceNumberForAllocation" and value is not None:
            value = go_json.sort_map(value)
        if model_key in _BLOCK_OMITEMPTY and not value:
            continue
        out[model_key] = value
    # Fields of a newer model (or the legacy hostAffinity) kept on the v3 spec go back as they were.
    for key, value in spec.items():
        if key not in used and key not in _BLOCK_V3_ONLY:
            out[key] = value
    return go_json.jsoniter_marshal(out)


def _block_object(key: str, value: bytes, revision: int) -> dict[str, Any] | None:
    segment = key.rpartition("/")[2]
    cidr = _parse_cidr_segment(segment)
    if cidr is None or not key.startswith(_ASSIGNMENT):
        return None
    data = _object(value, "IPAMBlock")
    spec: dict[str, Any] = {"cidr": cidr}
    for model_key, v3_key in _BLOCK_FIELDS[1:]:
        if model_key in data:
            spec[v3_key] = data[model_key]
    known = {m for m, _ in _BLOCK_FIELDS}
    spec.update({k: v for k, v in data.items() if k not in known})
    obj = _meta("IPAMBlock", cidr_to_name(cidr), revision)
    obj["spec"] = spec
    return obj


def _block_keys(name: str) -> list[str]:
    cidr = name_to_cidr(name)
    if cidr is None:
        return []
    version, segment = cidr_key_part(cidr)
    return [f"{_ASSIGNMENT}ipv{version}/block/{segment}"]


def _block_key(resource: Resource) -> str:
    version, segment = cidr_key_part(str(_spec(resource).get("cidr") or ""))
    return f"{_ASSIGNMENT}ipv{version}/block/{segment}"


# -- BlockAffinity <-> model.BlockAffinity -------------------------------------------------------


def _affinity_parts(key: str) -> tuple[str, str, str] | None:
    """(affinity type, host, CIDR) of an affinity key (``matchBlockAffinity``), or None."""
    if not key.startswith(IPAM_ROOT):
        return None
    parts = key[len(IPAM_ROOT) :].split("/")
    if len(parts) != 5 or parts[0] not in (*_AFFINITY_TYPES, "@") or not parts[1] or parts[3] != "block":
        return None
    if not (parts[2].startswith("ipv") and len(parts[2]) == 4):
        return None
    cidr = _parse_cidr_segment(parts[4])
    return None if cidr is None else (parts[0], parts[1], cidr)


def _affinity_key(affinity_type: str, host: str, cidr: str) -> str:
    version, segment = cidr_key_part(cidr)
    return f"{IPAM_ROOT}{affinity_type or 'host'}/{host}/ipv{version}/block/{segment}"


def _affinity_value(resource: Resource) -> str:
    spec = _spec(resource)
    return go_json.jsoniter_marshal({"state": spec.get("state", ""), "deleted": bool(spec.get("deleted"))})


def _affinity_object(key: str, value: bytes, revision: int) -> dict[str, Any] | None:
    parts = _affinity_parts(key)
    if parts is None:
        return None
    affinity_type, host, cidr = parts
    # Block affinities used to be stored with no value (``BlockAffinityKey.parseValue``).
    data = _object(value, "BlockAffinity", empty_is_object=True)
    spec_type = "host" if affinity_type == "@" else affinity_type
    obj = _meta("BlockAffinity", affinity_name(host, cidr), revision, block_affinity_labels(host, spec_type, cidr))
    obj["spec"] = {
        "state": data.get("state", ""),
        "node": host,
        "type": spec_type,
        "cidr": cidr,
        "deleted": bool(data.get("deleted", False)),
    }
    return obj


def _affinity_keys(name: str) -> list[str]:
    """The keys an affinity named ``name`` may have: ``<host>-<CIDRToName(cidr)>`` split at each ``-``.

    A name shortened with a hash (252 characters and longer) cannot be split; the backend then
    searches the list.
    """
    keys: list[str] = []
    for index, char in enumerate(name):
        if char != "-" or index == 0:
            continue
        host, cidr = name[:index], name_to_cidr(name[index + 1 :])
        if cidr is not None and affinity_name(host, cidr) == name:
            keys.extend(_affinity_key(t, host, cidr) for t in _AFFINITY_TYPES)
    return keys


def _affinity_resource_key(resource: Resource) -> str:
    spec = _spec(resource)
    return _affinity_key(str(spec.get("type") or "host"), str(spec.get("node") or ""), str(spec.get("cidr") or ""))


# -- IPAMHandle <-> model.IPAMHandle ---------------------------------------------------------------


def _handle_value(resource: Resource) -> str:
    spec = _spec(resource)
    block = spec.get("block")
    return go_json.jsoniter_marshal(
        {"block": go_json.sort_map(block) if block is not None else None, "deleted": bool(spec.get("deleted"))}
    )


def _handle_object(key: str, value: bytes, revision: int) -> dict[str, Any] | None:
    handle_id = key[len(_HANDLES) :]
    if not key.startswith(_HANDLES) or not handle_id or "/" in handle_id:
        return None
    data = _object(value, "IPAMHandle")
    obj = _meta("IPAMHandle", handle_name(handle_id), revision)
    obj["spec"] = {"handleID": handle_id, "block": data.get("block"), "deleted": bool(data.get("deleted", False))}
    return obj


def _handle_key(resource: Resource) -> str:
    return _HANDLES + str(_spec(resource).get("handleID") or resource.metadata.name)


# -- IPAMConfiguration <-> model.IPAMConfig ----------------------------------------------------------

#: model.IPAMConfig's fields (all ``omitempty``) in Go order, with their v3 spec names.
_CONFIG_FIELDS = (
    ("strict_affinity", "strictAffinity"),
    ("auto_allocate_blocks", "autoAllocateBlocks"),
    ("maxBlocksPerHost", "maxBlocksPerHost"),
    ("kubeVirtVMAddressPersistence", "kubeVirtVMAddressPersistence"),
)


def _config_value(resource: Resource) -> str:
    spec = _spec(resource)
    out = {m: spec[v] for m, v in _CONFIG_FIELDS if spec.get(v) not in (None, False, 0, "")}
    return go_json.jsoniter_marshal(out)


def _config_object(key: str, value: bytes, revision: int) -> dict[str, Any] | None:
    if key != _CONFIG:
        return None
    data = _object(value, "IPAMConfiguration")
    obj = _meta("IPAMConfiguration", CONFIG_NAME, revision)
    obj["spec"] = {v: data[m] for m, v in _CONFIG_FIELDS if m in data}
    obj["spec"].setdefault("strictAffinity", False)
    obj["spec"].setdefault("autoAllocateBlocks", False)
    return obj


def _config_keys(name: str) -> list[str]:
    return [_CONFIG] if name == CONFIG_NAME else []


# -- the table ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IPAMKind:
    """How one v3 IPAM kind is kept in etcd.

    ``prefixes``: what a list ranges over (one range each, in one transaction); ``key_of``: the
    key a resource is written to; ``keys_for_name``: the keys a name may stand for (several when
    the name alone is ambiguous, none when it cannot be mapped); ``decode``: the v3 object (a
    ``from_storage`` dict) of a key and value, or None when the key is not one of this kind's;
    ``encode``: the model value text.
    """

    kind: str
    prefixes: tuple[str, ...]
    key_of: Callable[[Resource], str]
    keys_for_name: Callable[[str], list[str]]
    decode: Callable[[str, bytes, int], dict[str, Any] | None]
    encode: Callable[[Resource], str]
    #: Whether a name ``keys_for_name`` cannot map (an affinity name shortened with a hash) may
    #: still name an object: the backend then looks through the list.
    search_list: bool = False

    def resource(self, key: str, value: bytes, revision: int) -> Resource | None:
        data = self.decode(key, value, revision)
        return None if data is None else KINDS[self.kind].model.from_storage(data)


IPAM_KINDS: Mapping[str, IPAMKind] = MappingProxyType(
    {
        "IPAMBlock": IPAMKind("IPAMBlock", (_ASSIGNMENT,), _block_key, _block_keys, _block_object, _block_value),
        "BlockAffinity": IPAMKind(
            "BlockAffinity",
            tuple(f"{IPAM_ROOT}{t}/" for t in _AFFINITY_TYPES),
            _affinity_resource_key,
            _affinity_keys,
            _affinity_object,
            _affinity_value,
            search_list=True,
        ),
        "IPAMHandle": IPAMKind(
            "IPAMHandle",
            (_HANDLES,),
            _handle_key,
            lambda name: [_HANDLES + name],
            _handle_object,
            _handle_value,
        ),
        "IPAMConfiguration": IPAMKind(
            "IPAMConfiguration", (_CONFIG,), lambda _r: _CONFIG, _config_keys, _config_object, _config_value
        ),
    }
)
