"""Profile <- Namespace / ServiceAccount: libcalico-go v3.32.1's ``k8s/conversion/conversion.go``
(``NamespaceToProfile``, ``ServiceAccountToProfile``, ``JoinProfileRevisions``), ``conversion/constants.go``;
the static ``projectcalico-default-allow`` profile: ``libcalico-go/lib/resources/static.go``.
Pure; see ``docs/kdd-mapping.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...errors import ConversionError
from ...resources.generated.profile import Profile
from ...resources.meta import Resource
from ...resources.static import DEFAULT_ALLOW_PROFILE, default_allow_profile
from ..convert import _go_time
from .common import NAME_LABEL, as_map, as_str, check_kind, convert_k8s_uid, make_resource, sort_map, string_map

__all__ = [
    "DEFAULT_ALLOW_PROFILE",
    "NAMESPACE_LABEL_PREFIX",
    "NAMESPACE_PROFILE_PREFIX",
    "SERVICE_ACCOUNT_LABEL_PREFIX",
    "SERVICE_ACCOUNT_PROFILE_PREFIX",
    "default_allow_profile",
    "join_profile_revisions",
    "profile_from_k8s",
    "service_account_profile_name",
    "split_profile_revision",
]

NAMESPACE_LABEL_PREFIX = "pcns."
NAMESPACE_PROFILE_PREFIX = "kns."
SERVICE_ACCOUNT_LABEL_PREFIX = "pcsa."
SERVICE_ACCOUNT_PROFILE_PREFIX = "ksa."


def join_profile_revisions(ns_revision: str, sa_revision: str) -> str:
    """conversion.JoinProfileRevisions: ``"<nsRV>/<saRV>"``."""
    return f"{ns_revision}/{sa_revision}"


def split_profile_revision(revision: str) -> tuple[str, str]:
    """conversion.SplitProfileRevision: ``""``/``"0"`` -> both empty; otherwise exactly one ``/``."""
    if revision in ("", "0"):
        return "", ""
    parts = revision.split("/")
    if len(parts) != 2:
        raise ConversionError(f"ResourceVersion is not valid: {revision}")
    return parts[0], parts[1]


def _allow_all() -> list[dict[str, Any]]:
    return [{"action": "Allow"}]


def _namespace_profile(obj: Mapping[str, Any]) -> Resource:
    meta = as_map(obj.get("metadata"))
    name = as_str(meta.get("name"))
    labels = {NAMESPACE_LABEL_PREFIX + k: v for k, v in string_map(meta.get("labels")).items()}
    labels[NAMESPACE_LABEL_PREFIX + NAME_LABEL] = name
    metadata = {
        "name": NAMESPACE_PROFILE_PREFIX + name,
        "creationTimestamp": _go_time(meta.get("creationTimestamp")),
        "uid": convert_k8s_uid(as_str(meta.get("uid"))),
        "resourceVersion": join_profile_revisions(as_str(meta.get("resourceVersion")), ""),
    }
    spec = {"ingress": _allow_all(), "egress": _allow_all(), "labelsToApply": sort_map(labels)}
    return make_resource(Profile, metadata, spec)


def service_account_profile_name(sa: str, namespace: str) -> str:
    return f"{SERVICE_ACCOUNT_PROFILE_PREFIX}{namespace or 'default'}.{sa}"


def _service_account_profile(obj: Mapping[str, Any]) -> Resource:
    meta = as_map(obj.get("metadata"))
    name = as_str(meta.get("name"))
    labels = {SERVICE_ACCOUNT_LABEL_PREFIX + k: v for k, v in string_map(meta.get("labels")).items()}
    labels[SERVICE_ACCOUNT_LABEL_PREFIX + NAME_LABEL] = name
    metadata = {
        "name": service_account_profile_name(name, as_str(meta.get("namespace"))),
        "creationTimestamp": _go_time(meta.get("creationTimestamp")),
        "uid": convert_k8s_uid(as_str(meta.get("uid"))),
        "resourceVersion": join_profile_revisions("", as_str(meta.get("resourceVersion"))),
    }
    return make_resource(Profile, metadata, {"labelsToApply": sort_map(labels)})


def profile_from_k8s(obj: Mapping[str, Any]) -> Resource:
    # List items carry no kind: a namespaced object is a ServiceAccount, a cluster one a Namespace.
    check_kind(obj, "Namespace", "ServiceAccount")
    kind = obj.get("kind") or ("ServiceAccount" if as_map(obj.get("metadata")).get("namespace") else "Namespace")
    return _service_account_profile(obj) if kind == "ServiceAccount" else _namespace_profile(obj)
