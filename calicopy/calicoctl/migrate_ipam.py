"""The IPAM section of a migration file: calicoctl's ``migrateipam.go`` (v3.32.1).

calicoctl exports the IPAM objects in libcalico-go's model form, keyed by their etcd keys::

    {"block_affinities": [{"Key": "/calico/ipam/v2/host/<node>/ipv4/block/<cidr>",
                           "Value": {"state": "confirmed", "deleted": false}, "TTL": 0}],
     "blocks": [...], "handles": [...], "config": {...}}

(``json.MarshalIndent``; an empty list or a missing config is left out).  On export, etcd node
names become Kubernetes node names (the ``k8s`` orchestrator references of the Nodes) in block
affinities, block attributes, the handle IDs of tunnel addresses and the affinity keys.  On
import each object is created in the target datastore.  The model form and the keys are
:mod:`calicopy.etcd.ipam`'s (pure), so this works with any backend's v3 IPAM objects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .._go.json import marshal_indent
from ..backends.base import Backend
from ..errors import CalicoError, ConversionError, ResourceNotFound
from ..etcd.codecs import codec_for
from ..etcd.ipam import CONFIG_NAME
from ..resources.meta import Resource
from .migrate_texts import ipam_import_report

__all__ = ["IPAMEntry", "IPAMExport", "export_ipam", "import_ipam", "ipam_is_empty", "model_key_text"]

#: ``ipamHandlePrefixes``: handles of tunnel addresses name their node.
TUNNEL_HANDLE_PREFIXES = ("ipip-tunnel-addr-", "vxlan-tunnel-addr-", "wireguard-tunnel-addr-")
_SECTIONS = (("block_affinities", "BlockAffinity"), ("blocks", "IPAMBlock"), ("handles", "IPAMHandle"))


@dataclass
class IPAMEntry:
    """One ``*KVPair`` of the file: the etcd key, the model value (a JSON object), the TTL."""

    key: str
    value: dict[str, Any]
    ttl: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"Key": self.key, "Value": self.value, "TTL": self.ttl}


@dataclass
class IPAMExport:
    block_affinities: list[IPAMEntry] = field(default_factory=list)
    blocks: list[IPAMEntry] = field(default_factory=list)
    handles: list[IPAMEntry] = field(default_factory=list)
    config: IPAMEntry | None = None

    @property
    def count(self) -> int:
        return len(self.block_affinities) + len(self.blocks) + len(self.handles) + (self.config is not None)

    def text(self) -> str:
        """``json.MarshalIndent(migrateIPAM, "", "  ")``."""
        document: dict[str, Any] = {}
        for attr, _ in _SECTIONS:
            entries: list[IPAMEntry] = getattr(self, attr)
            if entries:
                document[attr] = [e.to_json() for e in entries]
        if self.config is not None:
            document["config"] = self.config.to_json()
        return marshal_indent(document, "", "  ")

    @classmethod
    def parse(cls, text: str) -> IPAMExport:
        """``json.Unmarshal`` into ``migrateIPAM`` (keys match case-insensitively; others are ignored)."""
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("json: cannot unmarshal into Go value of type migrate.migrateIPAM")
        folded = {k.lower(): v for k, v in data.items()}
        out = cls()
        for attr, _ in _SECTIONS:
            out.__dict__[attr] = [_entry(raw) for raw in folded.get(attr.lower()) or ()]
        if folded.get("config"):
            out.config = _entry(folded["config"])
        return out


def _entry(raw: Any) -> IPAMEntry:
    if not isinstance(raw, dict):
        raise ValueError("json: cannot unmarshal into Go struct of type migrate.*KVPair")
    fields = {k.lower(): v for k, v in raw.items()}
    value = fields.get("value")
    return IPAMEntry(
        str(fields.get("key") or ""), value if isinstance(value, dict) else {}, int(fields.get("ttl") or 0)
    )


def _model(resource: Resource) -> IPAMEntry:
    codec = codec_for(resource.KIND)
    return IPAMEntry(codec.key_of(resource), json.loads(codec.encode(resource)))


def _renamed(name: str, node_map: dict[str, str]) -> str:
    for prefix in TUNNEL_HANDLE_PREFIXES:
        if name.startswith(prefix) and name[len(prefix) :] in node_map:
            return prefix + node_map[name[len(prefix) :]]
    return name


def _block_for_kubernetes(block: Resource, node_map: dict[str, str]) -> None:
    typed: Any = block
    spec = typed.spec
    for attribute in spec.attributes or ():
        if attribute.secondary.get("node") in node_map:
            attribute.secondary["node"] = node_map[attribute.secondary["node"]]
        if attribute.alternate_owner_attrs and attribute.alternate_owner_attrs.get("node") in node_map:
            attribute.alternate_owner_attrs["node"] = node_map[attribute.alternate_owner_attrs["node"]]
        if attribute.handle_id is not None:
            attribute.handle_id = _renamed(attribute.handle_id, node_map)
    host = (spec.affinity or "").partition(":")[2] if (spec.affinity or "").startswith(("host:", "virtual:")) else ""
    if host in node_map:
        spec.affinity = f"host:{node_map[host]}"  # calicoctl writes host: whatever the type was


def export_ipam(backend: Backend, node_map: dict[str, str] | None = None) -> IPAMExport:
    """``PullFromDatastore`` with the node names mapped (``SetNodeMap``)."""
    names = node_map or {}
    out = IPAMExport()
    for block in backend.list("IPAMBlock").items:
        block_copy = block.model_copy(deep=True)
        _block_for_kubernetes(block_copy, names)
        out.blocks.append(_model(block_copy))
    for affinity in backend.list("BlockAffinity").items:
        affinity_copy: Any = affinity.model_copy(deep=True)
        affinity_copy.spec.node = names.get(affinity_copy.spec.node, affinity_copy.spec.node)
        out.block_affinities.append(_model(affinity_copy))
    for handle in backend.list("IPAMHandle").items:
        handle_copy: Any = handle.model_copy(deep=True)
        handle_copy.spec.handle_id = _renamed(handle_copy.spec.handle_id, names)
        out.handles.append(_model(handle_copy))
    try:
        out.config = _model(backend.get("IPAMConfiguration", CONFIG_NAME))
    except ResourceNotFound:
        out.config = None
    return out


def ipam_is_empty(backend: Backend) -> bool:
    """``migrateIPAM.IsEmpty`` after ``PullFromDatastore``."""
    if any(backend.list(kind).items for _, kind in _SECTIONS):
        return False
    try:
        backend.get("IPAMConfiguration", CONFIG_NAME)
    except ResourceNotFound:
        return True
    return False


def model_key_text(kind: str, resource: Resource | None, key: str) -> str:
    """The Go ``String()`` of the model key calicoctl names in its IPAM errors."""
    if resource is None:
        return key
    typed: Any = resource
    spec = typed.spec
    if kind == "BlockAffinity":
        return f"BlockAffinityKey(cidr={spec.cidr}, host={spec.node}, affinityType={spec.type})"
    if kind == "IPAMBlock":
        return f"BlockKey(cidr={spec.cidr})"
    if kind == "IPAMHandle":
        return f"IPAMHandleKey(id={spec.handle_id})"
    return "IPAMConfigKey()"


def _v3_object(kind: str, entry: IPAMEntry) -> Resource | None:
    codec = codec_for(kind)
    try:
        resource = codec.decode(entry.key, json.dumps(entry.value).encode(), 1)
    except (ConversionError, ValueError):
        return None
    if resource is None:
        return None
    resource.metadata.resource_version = ""
    return resource


def import_ipam(backend: Backend, ipam: IPAMExport) -> tuple[str, str | None]:
    """``PushToDatastore`` and calicoctl's report of it: (printed, error or None).

    Every error says "block affinity", whatever the object, as calicoctl's do.
    """
    errors: list[str] = []
    handled = 0
    entries: list[tuple[str, IPAMEntry]] = [(kind, e) for attr, kind in _SECTIONS for e in getattr(ipam, attr)]
    if ipam.config is not None:
        entries.append(("IPAMConfiguration", ipam.config))
    for kind, entry in entries:
        resource = _v3_object(kind, entry)
        try:
            if resource is None:
                raise ConversionError(f"cannot read the {kind} stored under {entry.key!r}")
            backend.create(resource)
        except CalicoError as exc:
            errors.append(f"error trying to create block affinity {model_key_text(kind, resource, entry.key)}: {exc}")
        handled += 1
    return ipam_import_report(len(entries), handled, errors)
