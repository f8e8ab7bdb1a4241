"""calicopy: calicoctl's behaviour in Python — typed projectcalico.org/v3 models, validation,
defaulting, selectors and manifests.

``import calicopy`` is cheap: it imports no third-party package.  Names are loaded on first use
(PEP 562), so an automation script that only needs selectors never pays for pydantic models,
and nothing imports ``kubernetes`` until a Kubernetes datastore is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    CalicoError,
    ConfigError,
    ConnectionUnauthorized,
    ConversionError,
    DatastoreError,
    ErroredField,
    InvalidRequest,
    LabelError,
    LabelSelectorError,
    ManifestError,
    NamespaceError,
    OperationNotSupported,
    ResourceAlreadyExists,
    ResourceConflict,
    ResourceExpired,
    ResourceNotFound,
    SelectorError,
    TemplateError,
    UnknownKindError,
    ValidationError,
    VersionMismatchError,
)
from .resources.generated.kinds import KIND_FACTS, MODELS_PACKAGE

__version__ = "0.1.0"

# Public name -> module that defines it.
_LAZY: dict[str, str] = {
    "Client": "calicopy.client",
    "ApplyOutcome": "calicopy.outcomes",
    "LabelResult": "calicopy.outcomes",
    "CalicoAPIConfig": "calicopy.config",
    "default": "calicopy.resources.defaults",
    "validate": "calicopy.resources.verdict",
    "ValidationResult": "calicopy.resources.verdict",
    "load": "calicopy.manifests",
    "loads": "calicopy.manifests",
    "dump": "calicopy.manifests",
    "Resource": "calicopy.resources.meta",
    "ObjectMeta": "calicopy.resources.meta",
    "KINDS": "calicopy.resources.registry",
}
# Every projectcalico.org/v3 kind is a class named like the kind, found through the generated kind table.
_KIND_MODELS: dict[str, tuple[str, str]] = {
    facts.kind: (f"{MODELS_PACKAGE}.{facts.module}", facts.class_name) for facts in KIND_FACTS
}
_SUBMODULES = frozenset({"selector", "resources", "manifests", "errors", "config", "kdd", "testing"})

__all__ = [
    "CalicoError",
    "ConfigError",
    "ConnectionUnauthorized",
    "ConversionError",
    "DatastoreError",
    "ErroredField",
    "InvalidRequest",
    "LabelError",
    "LabelSelectorError",
    "ManifestError",
    "NamespaceError",
    "OperationNotSupported",
    "ResourceAlreadyExists",
    "ResourceConflict",
    "ResourceExpired",
    "ResourceNotFound",
    "SelectorError",
    "TemplateError",
    "UnknownKindError",
    "ValidationError",
    "VersionMismatchError",
    "__version__",
    *_LAZY,
    *_KIND_MODELS,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in _KIND_MODELS:
        module, class_name = _KIND_MODELS[name]
        return getattr(importlib.import_module(module), class_name)
    if name in _SUBMODULES:
        return importlib.import_module(f"calicopy.{name}")
    raise AttributeError(f"module 'calicopy' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(__all__) | _SUBMODULES)


if TYPE_CHECKING:
    from . import manifests as manifests
    from . import resources as resources
    from . import selector as selector
    from .client import Client as Client
    from .config import CalicoAPIConfig as CalicoAPIConfig
    from .manifests import dump as dump
    from .manifests import load as load
    from .manifests import loads as loads
    from .outcomes import ApplyOutcome as ApplyOutcome
    from .outcomes import LabelResult as LabelResult
    from .resources import (
        BGPConfiguration as BGPConfiguration,
    )
    from .resources import (
        BGPFilter as BGPFilter,
    )
    from .resources import (
        BGPPeer as BGPPeer,
    )
    from .resources import (
        BlockAffinity as BlockAffinity,
    )
    from .resources import (
        CalicoNodeStatus as CalicoNodeStatus,
    )
    from .resources import (
        ClusterInformation as ClusterInformation,
    )
    from .resources import (
        FelixConfiguration as FelixConfiguration,
    )
    from .resources import (
        GlobalNetworkPolicy as GlobalNetworkPolicy,
    )
    from .resources import (
        GlobalNetworkSet as GlobalNetworkSet,
    )
    from .resources import (
        HostEndpoint as HostEndpoint,
    )
    from .resources import (
        IPAMBlock as IPAMBlock,
    )
    from .resources import (
        IPAMConfiguration as IPAMConfiguration,
    )
    from .resources import (
        IPAMHandle as IPAMHandle,
    )
    from .resources import (
        IPPool as IPPool,
    )
    from .resources import (
        IPReservation as IPReservation,
    )
    from .resources import (
        KubeControllersConfiguration as KubeControllersConfiguration,
    )
    from .resources import (
        NetworkPolicy as NetworkPolicy,
    )
    from .resources import (
        NetworkSet as NetworkSet,
    )
    from .resources import (
        Node as Node,
    )
    from .resources import (
        ObjectMeta as ObjectMeta,
    )
    from .resources import (
        Profile as Profile,
    )
    from .resources import (
        Resource as Resource,
    )
    from .resources import (
        StagedGlobalNetworkPolicy as StagedGlobalNetworkPolicy,
    )
    from .resources import (
        StagedKubernetesNetworkPolicy as StagedKubernetesNetworkPolicy,
    )
    from .resources import (
        StagedNetworkPolicy as StagedNetworkPolicy,
    )
    from .resources import (
        Tier as Tier,
    )
    from .resources import (
        WorkloadEndpoint as WorkloadEndpoint,
    )
    from .resources.defaults import default as default
    from .resources.registry import KINDS as KINDS
    from .resources.verdict import ValidationResult as ValidationResult
    from .resources.verdict import validate as validate
