"""ObjectMeta and the Resource base class shared by every projectcalico.org/v3 kind."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any, ClassVar, Self

import pydantic
from pydantic import Field

from ..errors import ErroredField, ValidationError
from .defaults import create_errors, create_view
from .display import resource_html
from .k8s import ManagedFieldsEntry, OwnerReference
from .model import CalicoModel, GoField, errors_from_pydantic, normalise_keys, shallow_copy
from .types import GoTime, Int64
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
    creation_timestamp: Annotated[GoTime | None, GoField(omit="nil")] = Field(None, alias="creationTimestamp")
    deletion_timestamp: Annotated[GoTime | None, GoField(omit="nil")] = Field(None, alias="deletionTimestamp")
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

    kind: Annotated[str, GoField(omit="empty")] = Field(
        "", alias="kind", description="The kind (the class's own; filled in when not given)."
    )
    api_version: Annotated[str, GoField(omit="empty")] = Field(
        "", alias="apiVersion", description="projectcalico.org/v3 (filled in when not given)."
    )
    metadata: Annotated[ObjectMeta, GoField()] = Field(
        default_factory=ObjectMeta, alias="metadata", description="Name, namespace, labels and annotations."
    )

    def __init__(self, /, **data: Any) -> None:
        normalised, problems = self._normalise_user_input(data, accept_names=True)
        try:
            super().__init__(**normalised)
        except pydantic.ValidationError as exc:
            problems += errors_from_pydantic(exc).fields
        if problems:
            raise self._input_error(problems, data)
        self._after_user_input()

    # pydantic calls an overridden __init__ from model_validate too; this marker keeps
    # model_validate (and so from_storage) on the plain, lenient path.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, check: bool = True) -> Self:
        """Strict constructor for user input: keys match case-insensitively, unknown keys are an
        error, ``kind``/``apiVersion`` (when given) must be the class's, and the object must pass
        what ``calicoctl create`` checks.

        ``check=False`` stops after Go's strict decoding, as calicoctl's file reader does: for
        ``calicoctl validate`` (:func:`calicopy.validate`) or a pipeline that checks later.
        """
        normalised, problems = cls._normalise_user_input(data, accept_names=False)
        obj = None
        try:
            obj = cls.model_validate(normalised, by_alias=True, by_name=False)
        except pydantic.ValidationError as exc:
            problems += errors_from_pydantic(exc).fields
        if problems or obj is None:
            raise cls._input_error(problems, data)
        if check:
            obj._after_user_input()
        return obj

    @classmethod
    def _normalise_user_input(cls, data: Any, *, accept_names: bool) -> tuple[Any, list[ErroredField]]:
        """Go's strict decoding before the types: keys matched, unknown keys and a TypeMeta of
        another class reported (with the type errors that follow, every problem at once)."""
        normalised, problems = normalise_keys(cls, data, "", accept_names=accept_names)
        if isinstance(normalised, Mapping):
            problems += cls._type_meta_problems(normalised)
        return normalised, problems

    @classmethod
    def _type_meta_problems(cls, data: Mapping[str, Any]) -> list[ErroredField]:
        problems = []
        for alias, expected in (("kind", cls.KIND), ("apiVersion", cls.API_VERSION)):
            given = data.get(alias)
            if isinstance(given, str) and given and given != expected:
                problems.append(ErroredField(alias, f"{cls.__name__} takes {alias} {expected!r} only", given))
        return problems

    @classmethod
    def _input_error(cls, problems: list[ErroredField], data: Any) -> ValidationError:
        meta = data.get("metadata") if isinstance(data, Mapping) else None
        name = meta.get("name", "") if isinstance(meta, Mapping) else getattr(meta, "name", "")
        namespace = meta.get("namespace", "") if isinstance(meta, Mapping) else getattr(meta, "namespace", "")
        return ValidationError(
            problems,
            resource=f"{cls.KIND}({name if isinstance(name, str) else ''})",
            kind=cls.KIND,
            name=name if isinstance(name, str) else None,
            namespace=namespace if isinstance(namespace, str) and namespace else None,
        )

    def model_post_init(self, context: Any, /) -> None:
        # TypeMeta is implied by the class; calicoctl always prints it.  Written directly: the
        # values are the class's own, and assignment's validation would only slow every load.
        if not self.kind:
            self.__dict__["kind"] = self.KIND
        if not self.api_version:
            self.__dict__["api_version"] = self.API_VERSION

    def _after_user_input(self) -> None:
        """What ``calicoctl create``/``apply`` checks without a datastore: libcalico-go's rules on
        the object as clientv3 sees it after create-time defaulting (an IPv6 pool without
        ``ipipMode`` passes); ``self`` stays as written."""
        try:
            view = create_view(self)
            problems = create_errors(view) or validate_resource(view)
        except ValidationError as exc:  # clientv3's defaulting itself refused (an IPPool's CIDR)
            problems = list(exc.fields)
        if problems:
            raise self.error_for(problems)

    def validation_errors(self) -> list[ErroredField]:
        """Every libcalico-go validation failure of this resource as it is (empty when valid):
        ``calicoctl validate``'s check, with no defaulting."""
        return validate_resource(self)

    def validate_calico(self) -> None:
        """Raise ``calicopy.ValidationError`` unless this resource, as it is, passes libcalico-go's
        validator (``calicoctl validate``; :func:`calicopy.validate` checks many at once)."""
        problems = self.validation_errors()
        if problems:
            raise self.error_for(problems)

    def error_for(self, problems: list[ErroredField]) -> ValidationError:
        """A :class:`~calicopy.ValidationError` for ``problems``, naming this resource."""
        meta = self.metadata
        return ValidationError(
            problems, resource=self.label, kind=self.KIND, name=meta.name, namespace=meta.namespace or None
        )

    def __repr_args__(self) -> Iterable[tuple[str | None, Any]]:
        # Who it is first; TypeMeta only when it is not the class's own.
        meta = self.metadata
        if meta.name:
            yield "name", meta.name
        if meta.namespace:
            yield "namespace", meta.namespace
        rest = shallow_copy(meta)
        rest.__dict__.update(name="", namespace="")
        if any(True for _ in rest.__repr_args__()):
            yield "metadata", rest
        for name, value in super().__repr_args__():
            if name == "metadata" or (name, value) in (("kind", self.KIND), ("api_version", self.API_VERSION)):
                continue
            yield name, value

    @property
    def label(self) -> str:
        """libcalico-go's resource identifier: ``Kind(name)`` or ``Kind(namespace/name)``."""
        meta = self.metadata
        name = f"{meta.namespace}/{meta.name}" if meta.namespace else meta.name
        return f"{self.KIND}({name})"
