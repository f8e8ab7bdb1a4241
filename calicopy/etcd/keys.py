"""etcd keys of projectcalico.org/v3 resources, as libcalico-go v3.32.1 lays them out.

``libcalico-go/lib/backend/model/resource.go`` (``ResourceKey.defaultPath``,
``ResourceListOptions.defaultPathRoot``/``KeyFromDefaultPath``), ``model/keys.go``
(``KeyFromDefaultPath``) and ``model/name.go``:

* cluster-scoped: ``/calico/resources/v3/projectcalico.org/<plural>/<name>``;
* namespaced: ``/calico/resources/v3/projectcalico.org/<plural>/<namespace>/<name>``;
* the plural is the kind's lower-cased plural; names are written as they are and read back with
  ``%2f`` -> ``/`` and ``%25`` -> ``%`` (libcalico-go never escapes on write);
* a list is a prefix range over ``<root>/<plural>/`` (``/<namespace>/`` added for one
  namespace): the trailing ``/`` keeps siblings such as ``/ippools2`` out.

The IPAM objects live under ``/calico/ipam/v2/``; :mod:`calicopy.etcd.ipam` maps them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..resources.registry import KindInfo

__all__ = [
    "CALICO_PREFIX",
    "RESOURCES_ROOT",
    "ResourcePath",
    "parse_resource_key",
    "prefix_range_end",
    "resource_key",
    "resource_prefix",
    "unescape_name",
]

#: Everything Calico keeps in etcd (``etcdV3Client.Clean`` deletes this prefix).
CALICO_PREFIX = "/calico/"
RESOURCES_ROOT = "/calico/resources/v3/projectcalico.org/"


def unescape_name(name: str) -> str:
    """``model.unescapeName``: ``%2f`` -> ``/`` first, then ``%25`` -> ``%``."""
    return name.replace("%2f", "/").replace("%25", "%")


def resource_key(info: KindInfo, name: str, namespace: str | None = None) -> str:
    """``ResourceKey.defaultPath``: the key of one resource (the namespace only for namespaced kinds)."""
    if info.namespaced:
        return f"{RESOURCES_ROOT}{info.plural}/{namespace or ''}/{name}"
    return f"{RESOURCES_ROOT}{info.plural}/{name}"


def resource_prefix(info: KindInfo, namespace: str | None = None) -> str:
    """The prefix a list of ``info`` ranges over (``calculateListKeyAndOptions``), ending in ``/``."""
    if info.namespaced and namespace:
        return f"{RESOURCES_ROOT}{info.plural}/{namespace}/"
    return f"{RESOURCES_ROOT}{info.plural}/"


@dataclass(frozen=True, slots=True)
class ResourcePath:
    plural: str
    namespace: str
    name: str


def parse_resource_key(key: str) -> ResourcePath | None:
    """The parts of a v3 resource key, or None when ``key`` is not one (``model.KeyFromDefaultPath``).

    Whether the plural is known and its scope fits the number of segments is the caller's check.
    """
    if not key.startswith(RESOURCES_ROOT):
        return None
    parts = key[len(RESOURCES_ROOT) :].split("/")
    if len(parts) == 2 and all(parts):
        return ResourcePath(unescape_name(parts[0]), "", unescape_name(parts[1]))
    if len(parts) == 3 and all(parts):
        return ResourcePath(unescape_name(parts[0]), unescape_name(parts[1]), unescape_name(parts[2]))
    return None


def prefix_range_end(prefix: str) -> bytes:
    """etcd's range end for every key starting with ``prefix``: the prefix with its last byte + 1."""
    raw = bytearray(prefix.encode())
    while raw and raw[-1] == 0xFF:
        raw.pop()
    if not raw:
        return b"\0"
    raw[-1] += 1
    return bytes(raw)
