"""Typed per-kind accessors: ``client.ippools.get("pool1")`` is an ``IPPool`` to the type checker.

Each accessor is a declared attribute of :class:`KindAccessors` (the Client's base), named by the
kind's lower-case plural.  The declarations restate the registry's plurals so that type checkers
see them; ``tests/test_accessors.py`` holds them against the registry.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, overload

from .resources.meta import Resource
from .resources.registry import KINDS

if TYPE_CHECKING:
    from .backends.base import WatchEvent
    from .outcomes import LabelResult
    from .resources import (
        BGPConfiguration,
        BGPFilter,
        BGPPeer,
        BlockAffinity,
        CalicoNodeStatus,
        ClusterInformation,
        FelixConfiguration,
        GlobalNetworkPolicy,
        GlobalNetworkSet,
        HostEndpoint,
        IPAMBlock,
        IPAMConfiguration,
        IPAMHandle,
        IPPool,
        IPReservation,
        KubeControllersConfiguration,
        NetworkPolicy,
        NetworkSet,
        Node,
        Profile,
        StagedGlobalNetworkPolicy,
        StagedKubernetesNetworkPolicy,
        StagedNetworkPolicy,
        Tier,
        WorkloadEndpoint,
    )

__all__ = ["KindAccessor", "KindAccessors", "Verbs"]

R = TypeVar("R", bound=Resource)


class Verbs(Protocol):
    """The Client's verbs an accessor forwards to (the Client, one layer up, has them)."""

    def get(self, kind: str, name: str, namespace: str | None = None) -> Resource: ...

    def list(
        self,
        kind: str,
        namespace: str | None = None,
        label_selector: str | None = None,
        *,
        selector: str | None = None,
    ) -> builtins.list[Resource]: ...

    def create(self, resource: R) -> R: ...

    def apply(self, resource: R) -> R: ...

    def replace(self, resource: R) -> R: ...

    def delete(
        self, kind: str, name: str | None = None, namespace: str | None = None, *, resource_version: str | None = None
    ) -> Resource: ...

    def patch(self, kind: str, name: str, patch: Mapping[str, Any] | str, namespace: str | None = None) -> Resource: ...

    def label(
        self,
        kind: str,
        name: str,
        key: str,
        value: str | None = None,
        *,
        remove: bool = False,
        overwrite: bool = False,
        namespace: str | None = None,
    ) -> LabelResult: ...

    def watch(
        self,
        kind: str,
        namespace: str | None = None,
        resource_version: str = "",
        *,
        label_selector: str | None = None,
        timeout: float | None = None,
    ) -> Iterator[WatchEvent]: ...


class KindAccessor(Generic[R]):
    """The Client's verbs for one kind, typed by its model class."""

    def __init__(self, client: Verbs, kind: str) -> None:
        self._client = client
        self.info = KINDS[kind]

    def __repr__(self) -> str:
        return f"<KindAccessor {self.info.kind}>"

    def _model(self, resource: R | Mapping[str, Any]) -> R:
        if isinstance(resource, Resource):
            if self.info.kind != resource.KIND:
                raise TypeError(f"expected a {self.info.kind}, got a {resource.KIND}")
            return resource
        return self.info.model.from_dict(resource)  # type: ignore[return-value]

    def get(self, name: str, namespace: str | None = None) -> R:
        return self._client.get(self.info.kind, name, namespace=namespace)  # type: ignore[return-value]

    def list(
        self, namespace: str | None = None, *, label_selector: str | None = None, selector: str | None = None
    ) -> builtins.list[R]:
        return self._client.list(self.info.kind, namespace, label_selector, selector=selector)  # type: ignore[return-value]

    def create(self, resource: R | Mapping[str, Any]) -> R:
        return self._client.create(self._model(resource))

    def apply(self, resource: R | Mapping[str, Any]) -> R:
        return self._client.apply(self._model(resource))

    def replace(self, resource: R | Mapping[str, Any]) -> R:
        return self._client.replace(self._model(resource))

    def delete(self, name: str, namespace: str | None = None, *, resource_version: str | None = None) -> R:
        return self._client.delete(self.info.kind, name, namespace=namespace, resource_version=resource_version)  # type: ignore[return-value]

    def patch(self, name: str, patch: Mapping[str, Any] | str, namespace: str | None = None) -> R:
        return self._client.patch(self.info.kind, name, patch, namespace=namespace)  # type: ignore[return-value]

    def label(
        self,
        name: str,
        key: str,
        value: str | None = None,
        *,
        remove: bool = False,
        overwrite: bool = False,
        namespace: str | None = None,
    ) -> LabelResult:
        return self._client.label(
            self.info.kind, name, key, value, remove=remove, overwrite=overwrite, namespace=namespace
        )

    def watch(
        self, namespace: str | None = None, resource_version: str = "", *, timeout: float | None = None
    ) -> Iterator[WatchEvent]:
        return self._client.watch(
            self.info.kind, namespace=namespace, resource_version=resource_version, timeout=timeout
        )


class _Accessor(Generic[R]):
    """Descriptor: one :class:`KindAccessor` per Client and kind, made on first use."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.attr = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.attr = "_accessor_" + name

    @overload
    def __get__(self, obj: None, owner: type) -> _Accessor[R]: ...
    @overload
    def __get__(self, obj: Verbs, owner: type) -> KindAccessor[R]: ...
    def __get__(self, obj: Verbs | None, owner: type) -> KindAccessor[R] | _Accessor[R]:
        if obj is None:
            return self
        accessor: KindAccessor[R] | None = obj.__dict__.get(self.attr)
        if accessor is None:
            accessor = obj.__dict__.setdefault(self.attr, KindAccessor(obj, self.kind))
        return accessor


class KindAccessors:
    """One typed accessor per kind, named by the kind's lower-case plural."""

    bgpconfigurations: _Accessor[BGPConfiguration] = _Accessor("BGPConfiguration")
    bgpfilters: _Accessor[BGPFilter] = _Accessor("BGPFilter")
    bgppeers: _Accessor[BGPPeer] = _Accessor("BGPPeer")
    blockaffinities: _Accessor[BlockAffinity] = _Accessor("BlockAffinity")
    caliconodestatuses: _Accessor[CalicoNodeStatus] = _Accessor("CalicoNodeStatus")
    clusterinformations: _Accessor[ClusterInformation] = _Accessor("ClusterInformation")
    felixconfigurations: _Accessor[FelixConfiguration] = _Accessor("FelixConfiguration")
    globalnetworkpolicies: _Accessor[GlobalNetworkPolicy] = _Accessor("GlobalNetworkPolicy")
    globalnetworksets: _Accessor[GlobalNetworkSet] = _Accessor("GlobalNetworkSet")
    hostendpoints: _Accessor[HostEndpoint] = _Accessor("HostEndpoint")
    ipamblocks: _Accessor[IPAMBlock] = _Accessor("IPAMBlock")
    ipamconfigurations: _Accessor[IPAMConfiguration] = _Accessor("IPAMConfiguration")
    ipamhandles: _Accessor[IPAMHandle] = _Accessor("IPAMHandle")
    ippools: _Accessor[IPPool] = _Accessor("IPPool")
    ipreservations: _Accessor[IPReservation] = _Accessor("IPReservation")
    kubecontrollersconfigurations: _Accessor[KubeControllersConfiguration] = _Accessor("KubeControllersConfiguration")
    networkpolicies: _Accessor[NetworkPolicy] = _Accessor("NetworkPolicy")
    networksets: _Accessor[NetworkSet] = _Accessor("NetworkSet")
    nodes: _Accessor[Node] = _Accessor("Node")
    profiles: _Accessor[Profile] = _Accessor("Profile")
    stagedglobalnetworkpolicies: _Accessor[StagedGlobalNetworkPolicy] = _Accessor("StagedGlobalNetworkPolicy")
    stagedkubernetesnetworkpolicies: _Accessor[StagedKubernetesNetworkPolicy] = _Accessor(
        "StagedKubernetesNetworkPolicy"
    )
    stagednetworkpolicies: _Accessor[StagedNetworkPolicy] = _Accessor("StagedNetworkPolicy")
    tiers: _Accessor[Tier] = _Accessor("Tier")
    workloadendpoints: _Accessor[WorkloadEndpoint] = _Accessor("WorkloadEndpoint")
