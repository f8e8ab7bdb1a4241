"""One interface over the two ways the etcd backend keeps a kind: v3 resource keys or IPAM model keys.

Pure: it joins :mod:`.keys`/:mod:`.values` (``/calico/resources/v3/...``) and :mod:`.ipam`
(``/calico/ipam/v2/...``) behind :class:`Codec`, so the backend never asks which kind it holds.
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass

from ..errors import ConversionError, OperationNotSupported
from ..resources.meta import Resource
from ..resources.registry import KINDS, KindInfo
from .ipam import IPAM_KINDS, IPAMKind
from .keys import prefix_range_end, resource_key, resource_prefix
from .values import decode_resource, encode_resource

__all__ = ["Codec", "codec_for"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Codec:
    """How one kind is stored.  ``ranges(namespace)``: the (key, range_end) pairs a list covers."""

    info: KindInfo
    ipam: IPAMKind | None = None

    @functools.cached_property
    def _root(self) -> str:
        return resource_prefix(self.info)

    @property
    def has_metadata(self) -> bool:
        """Whether the stored value keeps v3 metadata (uid, creationTimestamp...): IPAM models do not."""
        return self.ipam is None

    @property
    def searchable_by_list(self) -> bool:
        return self.ipam is not None and self.ipam.search_list

    def key_of(self, resource: Resource) -> str:
        if self.ipam is not None:
            return self.ipam.key_of(resource)
        return resource_key(self.info, resource.metadata.name, resource.metadata.namespace or None)

    def keys_for_name(self, name: str, namespace: str | None) -> list[str]:
        if self.ipam is not None:
            return self.ipam.keys_for_name(name)
        return [resource_key(self.info, name, namespace)]

    def ranges(self, namespace: str | None) -> list[tuple[str, bytes]]:
        if self.ipam is not None:
            return [(prefix, prefix_range_end(prefix)) for prefix in self.ipam.prefixes]
        prefix = resource_prefix(self.info, namespace)
        return [(prefix, prefix_range_end(prefix))]

    def watch_range(self, namespace: str | None) -> tuple[str, bytes]:
        """One range covering :meth:`ranges` (a watch is one stream; keys of other kinds in it are skipped)."""
        ranges = self.ranges(namespace)
        if len(ranges) == 1:
            return ranges[0]
        # Keys are text: the common prefix by character is the common key prefix.
        prefix = os.path.commonprefix([start for start, _ in ranges])  # noqa: RUF071
        return prefix, prefix_range_end(prefix)

    def encode(self, resource: Resource) -> str:
        if self.ipam is not None:
            return self.ipam.encode(resource)
        return encode_resource(self.info, resource)

    def decode(self, key: str, value: bytes, mod_revision: int) -> Resource | None:
        """The resource under ``key``, None when ``key`` is not one of this kind's keys.

        A value that cannot be parsed raises :class:`~calicopy.errors.ConversionError`.
        """
        if self.ipam is not None:
            return self.ipam.resource(key, value, mod_revision)
        if not self._is_own_key(key):
            return None
        return decode_resource(self.info, value, mod_revision)

    def _is_own_key(self, key: str) -> bool:
        """``ResourceListOptions.KeyFromDefaultPath``: this kind's plural, and a namespace segment
        exactly when the kind is namespaced (the same as :func:`.keys.parse_resource_key`, cheaper)."""
        root = self._root
        if not key.startswith(root):
            return False
        rest = key[len(root) :]
        segments = rest.split("/")
        return len(segments) == (2 if self.info.namespaced else 1) and all(segments)

    def decode_listed(self, key: str, value: bytes, mod_revision: int) -> Resource | None:
        """As :meth:`decode`, but an unreadable value is skipped (``convertListResponse``)."""
        try:
            return self.decode(key, value, mod_revision)
        except (ConversionError, ValueError) as exc:
            _log.warning("skipping etcd key %s: %s", key, exc)
            return None


@functools.cache
def _codec(kind: str) -> Codec | None:
    info = KINDS.get(kind)
    return None if info is None else Codec(info, IPAM_KINDS.get(info.kind))


def codec_for(kind: str) -> Codec:
    """The codec of a registry kind; an unknown one is not supported (as the memory backend says it)."""
    codec = _codec(kind)
    if codec is None:
        raise OperationNotSupported(f"resource type '{kind}' is not supported")
    return codec
