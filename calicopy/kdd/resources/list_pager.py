"""Listing a collection in pages, as libcalico-go's ``resources/list_pager.go`` (client-go's pager).

Pages of ``limit`` objects follow each other with the ``continue`` token; the list's revision is
the first page's.  A 410 on a later page (the token expired) falls back to one full list
(``FullListIfExpired``).  Other failures (NotFound included) are the caller's to judge.
"""

from __future__ import annotations

import logging

from ..requests import ApiError, Collection, JSONDict, is_expired, list_request, metadata_of
from ..transport import Transport

__all__ = ["list_all"]

_log = logging.getLogger(__name__)


def list_all(
    transport: Transport,
    collection: Collection,
    namespace: str | None,
    label_selector: str | None,
    page_size: int,
    resource_version: str = "",
) -> tuple[list[JSONDict], str]:
    """Every object of ``collection`` (with ``apiVersion``/``kind`` filled in) and the list's revision.

    ``resource_version``: the list as it was at exactly that version (``resourceVersionMatch=Exact``;
    410 once it is compacted), instead of the current one.
    Raises :class:`~calicopy.kdd.requests.ApiError` / ``ConnectionFailure`` for other failures.
    """
    items: list[JSONDict] = []
    revision = ""
    token = ""
    first = True
    while True:
        request = list_request(
            collection,
            namespace,
            label_selector=label_selector,
            limit=page_size,
            continue_token=token,
            resource_version=resource_version if first else "",
        )
        try:
            page = transport.json(request)
        except ApiError as exc:
            if token and is_expired(exc) and not resource_version:
                _log.debug("list %s: continue token expired, falling back to a full list", collection.qualified)
                page = transport.json(list_request(collection, namespace, label_selector=label_selector))
                full = [collection.fill_type(i) for i in page.get("items") or []]
                return full, str(metadata_of(page).get("resourceVersion", ""))
            raise
        if first:
            revision = str(metadata_of(page).get("resourceVersion", ""))
            first = False
        items.extend(collection.fill_type(i) for i in page.get("items") or [])
        token = str(metadata_of(page).get("continue") or "")
        if not token:
            return items, revision
