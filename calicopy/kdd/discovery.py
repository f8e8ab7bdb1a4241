"""Which API group holds Calico's resources: ``crd.projectcalico.org/v1`` or ``projectcalico.org/v3``.

Pure decisions, no I/O, as libcalico-go v3.32.1's ``libcalico-go/lib/backend/k8s/discovery.go``
(``UsingV3CRDs``) makes them; :class:`calicopy.kdd.backend.KubernetesBackend` does the HTTP.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from .convert import GROUP_V1, GROUP_V3

__all__ = ["V1_GROUP_NAME", "V3_GROUP_NAME", "api_group_from_setting", "choose_api_group", "group_names"]

_log = logging.getLogger(__name__)

V3_GROUP_NAME = "projectcalico.org"  # apiv3.GroupName
V1_GROUP_NAME = "crd.projectcalico.org"  # v1scheme.GroupName


def api_group_from_setting(setting: str) -> str | None:
    """An explicit ``calicoAPIGroup``: ``None`` when empty (discover), else v3 iff it equals
    ``projectcalico.org/v3`` case-insensitively (``strings.EqualFold``); any other value means v1."""
    if not setting:
        return None
    if setting.casefold() == GROUP_V3.casefold():
        return GROUP_V3
    if setting.casefold() != GROUP_V1.casefold():
        _log.warning("calicoAPIGroup %r is neither %s nor %s: using %s", setting, GROUP_V3, GROUP_V1, GROUP_V1)
    return GROUP_V1


def group_names(api_group_list: Mapping[str, Any]) -> list[str]:
    """The group names of an ``APIGroupList`` document (``GET /apis``)."""
    groups = api_group_list.get("groups") or []
    return [str(g.get("name", "")) for g in groups if isinstance(g, Mapping)]


def choose_api_group(names: Iterable[str]) -> str:
    """``UsingV3CRDs``' rule: native v3 CRDs only if ``projectcalico.org`` is served and
    ``crd.projectcalico.org`` is not.  Both present means the aggregated Calico API server
    (itself backed by the v1 CRDs), so v1 is used directly."""
    present = set(names)
    v3present = V3_GROUP_NAME in present
    v1present = V1_GROUP_NAME in present
    _log.info("Auto-discovered Calico API groups: v3present=%s v1present=%s", v3present, v1present)
    return GROUP_V3 if v3present and not v1present else GROUP_V1
