"""Profiles, read from Namespaces and ServiceAccounts (libcalico-go's ``resources/profile.go``;
conversion in :mod:`calicopy.kdd.core.profile`).

``kns.<namespace>`` is a Namespace and ``ksa.<namespace>.<serviceaccount>`` a ServiceAccount; the
static ``projectcalico-default-allow`` profile is served without a request.  A list's revision
joins both lists' revisions (``"<namespacesRV>/<serviceAccountsRV>"``), which is also why a
Profile watch is not supported: one resourceVersion cannot resume two streams.
"""

from __future__ import annotations

from types import MappingProxyType

from ..core import (
    DEFAULT_ALLOW_PROFILE,
    NAMESPACE_PROFILE_PREFIX,
    SERVICE_ACCOUNT_PROFILE_PREFIX,
    default_allow_profile,
    join_profile_revisions,
)
from ..requests import Collection
from .derived import DerivedKind, ObjectRef

__all__ = ["NAMESPACES", "PROFILE", "SERVICE_ACCOUNTS", "profile_source"]

NAMESPACES = Collection("/api/v1", "namespaces", False, "v1", "Namespace")
SERVICE_ACCOUNTS = Collection("/api/v1", "serviceaccounts", True, "v1", "ServiceAccount")


def profile_source(name: str, namespace: str) -> ObjectRef | None:
    """profile.go Get: ``kns.<namespace>`` -> the Namespace, ``ksa.<namespace>.<sa>`` -> the ServiceAccount."""
    if name.startswith(NAMESPACE_PROFILE_PREFIX) and len(name) > len(NAMESPACE_PROFILE_PREFIX):
        return 0, "", name[len(NAMESPACE_PROFILE_PREFIX) :]
    if name.startswith(SERVICE_ACCOUNT_PROFILE_PREFIX):
        sa_namespace, _, sa = name[len(SERVICE_ACCOUNT_PROFILE_PREFIX) :].partition(".")
        if sa_namespace and sa:
            return 1, sa_namespace, sa
    return None


PROFILE = DerivedKind(
    (NAMESPACES, SERVICE_ACCOUNTS),
    target=profile_source,
    malformed="Invalid name {name}",
    static=MappingProxyType({DEFAULT_ALLOW_PROFILE: default_allow_profile}),
    join_revisions=join_profile_revisions,
    namespace_scoped=False,
)
