"""ObjectMeta and the Resource base class shared by every projectcalico.org/v3 kind."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

import pydantic
from pydantic import Field

from ..errors import ErroredField, ValidationError
from .display import resource_html
from .k8s import ManagedFieldsEntry, OwnerReference
from .model import CalicoModel, GoField, errors_from_pydantic, normalise_keys
from .types import Int64
from .validation import validate_resource

__all__ = ["API_VERSION", "GROUP", "ListMeta", "ObjectMeta", "Resource"]

GROUP = "projectcalico.org"
API_VERSION = "projectcalico.org/v3"


class ObjectMeta(CalicoModel):
    """Kubernetes ``metav1.ObjectMeta``, in Go's field order (all fields omitempty)."""

    name: Annotated[str, GoField(omit="empty")] = Field("", alias="name")
    generate_name: Annotated[str, GoField(omit="empty")] = Field("", alias="generateName")
    namespace: Annotated[str, GoField(omit="empty")] = Field("", alias="namespace")
    self_link: Annotated[str, GoField(omit="empty")] = Field("", alias="selfLink")
    uid: Annotated[str, GoField(go_name="UID", omit="empty")] = Field("", alias="uid")
    resource_version: Annotated[str, GoField(omit="empty")] = Field("", alias="resourceVersion")
    generation: Annotated[Int64, GoField(omit="empty")] = Field(0, alias="generation")
    creation_timestamp: Annotated[str | None, GoField(omit="nil")] = Field(None, alias="creationTimestamp")
    deletion_timestamp: Annotated[str | None, GoField(omit="nil")] = Field(None, alias="deletionTimestamp")
    deletion_grace_period_seconds: Annotated[Int64 | None, GoField(omit="nil")] = Field(
        None, alias="deletionGracePeriodSeconds"
    )
    labels: Annotated[dict[str, str], GoField(omit="empty")] = Field(default_factory=dict, alias="labels")
    annotations: Annotated[dict[str, str], GoField(omit="empty")] = Field(default_factory=dict, alias="annotations")
    owner_references: Annotated[list[OwnerReference], GoField(omit="empty")] = Field(
        default_factory=list, alias="ownerReferences"
    )
    finalizers: Annotated[list[str], GoField(omit="empty")] = Field(default_factory=list, alias="finalizers")
    managed_fields: Annotated[list[ManagedFieldsEntry], GoField(omit="empty")] = Field(
        default_factory=list, alias="managedFields"
    )


class ListMeta(CalicoModel):
    """Kubernetes ``metav1.ListMeta``."""

    self_link: Annotated[str, GoField(omit="empty")] = Field("", alias="selfLink")
    resource_version: Annotated[str, GoField(omit="empty")] = Field("", alias="resourceVersion")
    continue_: Annotated[str, GoField(omit="empty")] = Field("", alias="continue")
    remaining_item_count: Annotated[Int64 | None, GoField(omit="nil")] = Field(None, alias="remainingItemCount")


class Resource(CalicoModel):
    """A projectcalico.org/v3 resource: ``kind``, ``apiVersion``, ``metadata`` and the kind's spec/status.

    ``Kind(...)`` and ``Kind.from_dict(...)`` are for user input: keys are matched as Go does
    (case-insensitively), unknown keys are an error, and every libcalico-go validation rule runs
    (``calicopy.ValidationError`` lists each failing field).  ``Kind.from_storage(...)`` trusts a
    datastore: unknown fields are kept and written back by ``to_dict``.
    """

    KIND: ClassVar[str] = ""
    API_VERSION: ClassVar[str] = API_VERSION
    _repr_html_ = resource_html  # Jupyter: a compact table of the fields this resource sets

    kind: Annotated[str, GoField(omit="empty")] = Field("", alias="kind")
    api_version: Annotated[str, GoField(omit="empty")] = Field("", alias="apiVersion")
    metadata: Annotated[ObjectMeta, GoField()] = Field(default_factory=ObjectMeta, alias="metadata")

    def __init__(self, /, **data: Any) -> None:
        normalised, problems = normalise_keys(type(self), data, "", accept_names=True)
        if problems:
            raise ValidationError(problems, resource=self._label_for(data))
        try:
            super().__init__(**normalised)
        except pydantic.ValidationError as exc:
            raise errors_from_pydantic(exc).with_resource(self._label_for(data)) from None
        self._after_user_input()

    # pydantic calls an overridden __init__ from model_validate too; this marker keeps
    # model_validate (and so from_storage) on the plain, lenient path.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    def model_post_init(self, context: Any, /) -> None:
        # TypeMeta is implied by the class; calicoctl always prints it.
        if not self.kind:
            self.kind = self.KIND
        if not self.api_version:
            self.api_version = self.API_VERSION

    def _after_user_input(self) -> None:
        problems = self.validation_errors()
        if problems:
            raise ValidationError(problems, resource=self.label)

    def validation_errors(self) -> list[ErroredField]:
        """Every libcalico-go validation failure of this resource (empty when valid)."""
        return validate_resource(self)

    def validate_calico(self) -> None:
        """Raise ``calicopy.ValidationError`` unless this resource passes libcalico-go's validation."""
        self._after_user_input()

    @property
    def label(self) -> str:
        """libcalico-go's resource identifier: ``Kind(name)`` or ``Kind(namespace/name)``."""
        meta = self.metadata
        name = f"{meta.namespace}/{meta.name}" if meta.namespace else meta.name
        return f"{self.KIND}({name})"

    @classmethod
    def _label_for(cls, data: Any) -> str:
        meta = data.get("metadata") if isinstance(data, dict) else None
        name = meta.get("name", "") if isinstance(meta, dict) else getattr(meta, "name", "")
        return f"{cls.KIND}({name})"
