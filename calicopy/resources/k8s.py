"""Kubernetes API types that Calico's structs embed (apimachinery ``metav1``, ``core/v1``).

Only the shapes Calico's objects carry are modelled; field order and omitempty follow the
Kubernetes Go types so that ``to_dict`` matches what Go writes.  The ``networking/v1`` rules
of a StagedKubernetesNetworkPolicy live in :mod:`.k8s_networking`, so that other kinds do not
build their schemas.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from .model import CalicoModel, GoField
from .types import GoTime, Int64

__all__ = ["Condition", "ManagedFieldsEntry", "OwnerReference", "SecretKeySelector"]


class SecretKeySelector(CalicoModel):
    """A key of a Secret (``core/v1.SecretKeySelector``); the secret's value is never held here."""

    name: Annotated[str, GoField(omit="never", default="")] = Field("", alias="name")
    key: Annotated[str, GoField()] = Field("", alias="key")
    optional: Annotated[bool | None, GoField(omit="nil")] = Field(None, alias="optional")


# metav1.Condition's kubebuilder markers (apimachinery types.go).
_CONDITION_TYPE = (
    r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$"
)
_CONDITION_REASON = r"^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$"


class Condition(CalicoModel):
    """A ``metav1.Condition`` in a status."""

    type: Annotated[str, GoField(max_length=316, pattern=_CONDITION_TYPE)] = Field("", alias="type")
    status: Annotated[str, GoField(enum=("True", "False", "Unknown"))] = Field("", alias="status")
    observed_generation: Annotated[Int64, GoField(omit="empty", minimum=0)] = Field(0, alias="observedGeneration")
    last_transition_time: Annotated[GoTime | None, GoField()] = Field(None, alias="lastTransitionTime")
    reason: Annotated[str, GoField(min_length=1, max_length=1024, pattern=_CONDITION_REASON)] = Field(
        "", alias="reason"
    )
    message: Annotated[str, GoField(max_length=32768)] = Field("", alias="message")


class OwnerReference(CalicoModel):
    api_version: Annotated[str, GoField(go_name="APIVersion")] = Field("", alias="apiVersion")
    kind: Annotated[str, GoField()] = Field("", alias="kind")
    name: Annotated[str, GoField()] = Field("", alias="name")
    uid: Annotated[str, GoField(go_name="UID")] = Field("", alias="uid")
    controller: Annotated[bool | None, GoField(omit="nil")] = Field(None, alias="controller")
    block_owner_deletion: Annotated[bool | None, GoField(omit="nil")] = Field(None, alias="blockOwnerDeletion")


class ManagedFieldsEntry(CalicoModel):
    manager: Annotated[str, GoField(omit="empty")] = Field("", alias="manager")
    operation: Annotated[str, GoField(omit="empty")] = Field("", alias="operation")
    api_version: Annotated[str, GoField(omit="empty")] = Field("", alias="apiVersion")
    time: Annotated[GoTime | None, GoField(omit="nil")] = Field(None, alias="time")
    fields_type: Annotated[str, GoField(omit="empty")] = Field("", alias="fieldsType")
    fields_v1: Annotated[dict[str, Any] | None, GoField(omit="nil")] = Field(None, alias="fieldsV1")
    subresource: Annotated[str, GoField(omit="empty")] = Field("", alias="subresource")
