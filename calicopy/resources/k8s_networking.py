"""The Kubernetes ``networking/v1`` NetworkPolicy rules (and the ``metav1.LabelSelector`` they use)
that a StagedKubernetesNetworkPolicy embeds.

Field order and omitempty follow the Kubernetes Go types so that ``to_dict`` matches what Go writes.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .model import CalicoModel, GoField
from .types import Int32, IntOrString

__all__ = [
    "IPBlock",
    "LabelSelector",
    "LabelSelectorRequirement",
    "NetworkPolicyEgressRule",
    "NetworkPolicyIngressRule",
    "NetworkPolicyPeer",
    "NetworkPolicyPort",
]


class LabelSelectorRequirement(CalicoModel):
    """One ``matchExpressions`` entry of a Kubernetes label selector."""

    key: Annotated[str, GoField()] = Field("", alias="key")
    operator: Annotated[str, GoField(enum=("In", "NotIn", "Exists", "DoesNotExist"))] = Field("", alias="operator")
    values: Annotated[list[str], GoField(omit="empty")] = Field(default_factory=list, alias="values")


class LabelSelector(CalicoModel):
    """A Kubernetes ``metav1.LabelSelector`` (used by StagedKubernetesNetworkPolicy)."""

    match_labels: Annotated[dict[str, str], GoField(omit="empty")] = Field(default_factory=dict, alias="matchLabels")
    match_expressions: Annotated[list[LabelSelectorRequirement], GoField(omit="empty")] = Field(
        default_factory=list, alias="matchExpressions"
    )


class IPBlock(CalicoModel):
    cidr: Annotated[str, GoField(go_name="CIDR")] = Field("", alias="cidr")
    except_: Annotated[list[str], GoField(omit="empty")] = Field(default_factory=list, alias="except")


class NetworkPolicyPeer(CalicoModel):
    pod_selector: Annotated[LabelSelector | None, GoField(omit="nil")] = Field(None, alias="podSelector")
    namespace_selector: Annotated[LabelSelector | None, GoField(omit="nil")] = Field(None, alias="namespaceSelector")
    ip_block: Annotated[IPBlock | None, GoField(go_name="IPBlock", omit="nil")] = Field(None, alias="ipBlock")


class NetworkPolicyPort(CalicoModel):
    protocol: Annotated[str | None, GoField(omit="nil")] = Field(None, alias="protocol")
    port: Annotated[IntOrString | None, GoField(omit="nil")] = Field(None, alias="port")
    end_port: Annotated[Int32 | None, GoField(omit="nil")] = Field(None, alias="endPort")


class NetworkPolicyIngressRule(CalicoModel):
    ports: Annotated[list[NetworkPolicyPort], GoField(omit="empty")] = Field(default_factory=list, alias="ports")
    from_: Annotated[list[NetworkPolicyPeer], GoField(omit="empty")] = Field(default_factory=list, alias="from")


class NetworkPolicyEgressRule(CalicoModel):
    ports: Annotated[list[NetworkPolicyPort], GoField(omit="empty")] = Field(default_factory=list, alias="ports")
    to: Annotated[list[NetworkPolicyPeer], GoField(omit="empty")] = Field(default_factory=list, alias="to")
