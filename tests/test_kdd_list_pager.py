"""The KDD pager (pages handed out as they arrive) and list_pager.go's rules for expired continue
tokens, on the fake API server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from calicopy.kdd.backend import KubernetesBackend
from calicopy.kdd.convert import GROUP_V1
from calicopy.kdd.requests import ApiError, Collection
from calicopy.kdd.resources import base as base_module
from calicopy.kdd.resources.list_pager import iter_pages
from calicopy.kdd.transport import Transport
from calicopy.testing import FakeKubeAPIServer

COLLECTION = Collection("/apis/crd.projectcalico.org/v1", "globalnetworksets", False, GROUP_V1, "GlobalNetworkSet")


@pytest.fixture
def transport(fake_kube: FakeKubeAPIServer) -> Iterator[Transport]:
    backend = KubernetesBackend(fake_kube.api_client(), api_group=GROUP_V1, sleep=lambda _: None)
    try:
        yield backend._transport
    finally:
        backend.close()


def add_sets(server: FakeKubeAPIServer, count: int) -> None:
    for i in range(count):
        server.add(
            {
                "apiVersion": GROUP_V1,
                "kind": "GlobalNetworkSet",
                "metadata": {"name": f"s{i:04d}"},
                "spec": {"nets": []},
            }
        )


def test_pages_carry_the_first_pages_revision(fake_kube: FakeKubeAPIServer, transport: Transport) -> None:
    add_sets(fake_kube, 1200)
    pages = list(iter_pages(transport, COLLECTION, None, None, 500))
    assert [len(p.items) for p in pages] == [500, 500, 200]
    assert {p.revision for p in pages} == {str(fake_kube.store.revision)}
    assert not any(p.restart for p in pages)
    assert pages[0].items[0]["kind"] == "GlobalNetworkSet"  # list items get their type filled in


def test_an_expired_token_restarts_with_a_full_list(fake_kube: FakeKubeAPIServer, transport: Transport) -> None:
    add_sets(fake_kube, 1200)
    fake_kube.faults.fail(410, path=r"continue=", message="continue token expired")
    pages = list(iter_pages(transport, COLLECTION, None, None, 500))
    assert [(len(p.items), p.restart) for p in pages] == [(500, False), (1200, True)]


def test_an_exact_revision_list_does_not_fall_back(fake_kube: FakeKubeAPIServer, transport: Transport) -> None:
    add_sets(fake_kube, 1200)
    revision = str(fake_kube.store.revision)
    fake_kube.faults.fail(410, path=r"continue=", message="continue token expired")
    with pytest.raises(ApiError) as failed:
        list(iter_pages(transport, COLLECTION, None, None, 500, resource_version=revision))
    assert failed.value.code == 410


def test_a_list_converts_each_page_before_reading_the_next(
    fake_kube: FakeKubeAPIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_sets(fake_kube, 1200)
    backend = KubernetesBackend(fake_kube.api_client(), api_group=GROUP_V1, sleep=lambda _: None)
    requests_at_conversion: list[int] = []
    real_convert = base_module.convert_item

    def convert(source: Any, raw: Any) -> Any:
        requests_at_conversion.append(sum("globalnetworksets" in r for r in map(str, fake_kube.requests)))
        return real_convert(source, raw)

    monkeypatch.setattr(base_module, "convert_item", convert)
    try:
        assert len(backend.list("GlobalNetworkSet").items) == 1200
    finally:
        backend.close()
    # 500 objects converted after the first page, 500 after the second, 200 after the third.
    assert [requests_at_conversion.count(n) for n in (1, 2, 3)] == [500, 500, 200]
