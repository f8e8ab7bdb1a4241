"""Jupyter support: HTML for models, resource lists and IPAM results; DataFrames and charts
(skipped without the ``notebook`` extra); the synchronous API inside a running event loop;
and the simulator behind the notebook."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from calicopy import Client, IPPool
from calicopy.notebook import ResourceList
from calicopy.testing.simulate import simulate

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sim_client() -> Client:
    return simulate(Client.in_memory(), nodes=24, pods=300, seed=1, leaks=3).client


def test_model_html_shows_only_the_fields_it_sets() -> None:
    pool = IPPool(metadata={"name": "p1", "labels": {"team": "net"}}, spec={"cidr": "10.1.0.0/16", "natOutgoing": True})
    html = pool._repr_html_()
    assert html.startswith("<table") and "IPPool p1" in html
    assert "spec.cidr" in html and "10.1.0.0/16" in html and "metadata.labels.team" in html
    assert "spec.disabled" not in html and "vxlanMode" not in html  # no walls of empty fields


def test_client_list_is_a_resource_list(sim_client: Client) -> None:
    pools = sim_client.list("IPPool")
    assert isinstance(pools, ResourceList) and isinstance(pools, list)
    html = pools._repr_html_()
    assert html.count("<tr>") == len(pools) + 1 and "spec.cidr" in html and "default-ipv6" in html
    assert sim_client.list("IPPool")[0].metadata.name == "batch-ipv4"


def test_ipam_results_render(sim_client: Client) -> None:
    usage = sim_client.ipam.usage()
    html = usage._repr_html_()
    assert "<table" in html and "default-ipv4" in html and "%" in html
    assert re.fullmatch(r"Usage\(3 pools, \d+ blocks, 24 nodes, \d+ addresses in use\)", repr(usage))
    assert len(repr(usage.pools[0])) < 100
    borrowed = sim_client.ipam.borrowed()
    assert "borrowed addresses" in borrowed._repr_html_() and len(borrowed) > 0
    report = sim_client.ipam.check()
    assert "Leaked addresses" in report._repr_html_() and len(report.leaked_ips) >= 3
    assert "strictAffinity" in sim_client.ipam.config()._repr_html_()
    ip = next(iter(report.allocations))
    found = sim_client.ipam.lookup(ip)
    assert found is not None and ip in found._repr_html_()


def test_sync_api_inside_a_running_event_loop(sim_client: Client) -> None:
    """Jupyter runs cells inside an asyncio loop: calicopy's synchronous API must work there."""

    async def cell() -> int:
        assert asyncio.get_running_loop().is_running()
        usage = sim_client.ipam.usage()
        sim_client.list("IPPool")
        return len(usage.pools)

    assert asyncio.run(cell()) == 3


def test_nothing_starts_its_own_event_loop() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "calicopy").rglob("*.py")
        if re.search(r"asyncio\.run\(|run_until_complete\(|new_event_loop\(", path.read_text())
    ]
    assert offenders == []


def test_simulation_is_deterministic() -> None:
    def fingerprint() -> list[tuple[str, str | None, int]]:
        client = simulate(Client.in_memory(), nodes=8, pods=60, seed=11, leaks=2).client
        return [(b.cidr, b.node, b.in_use) for b in client.ipam.usage().blocks]

    first = fingerprint()
    assert first == fingerprint() and len(first) > 8


def test_dataframes(sim_client: Client) -> None:
    pandas = pytest.importorskip("pandas")
    pools = sim_client.list("IPPool").to_dataframe()
    assert list(pools["name"]) == ["batch-ipv4", "default-ipv4", "default-ipv6"]
    assert pools["spec.natOutgoing"].dtype == bool and not pools.isna().any().any()  # Go zero values, no NaN
    assert pools["spec.blockSize"].dtype == "int64"
    usage = sim_client.ipam.usage()
    frame = usage.to_dataframe()
    assert list(frame.columns)[:4] == ["name", "cidr", "capacity", "in_use"]
    assert frame.loc[frame["name"] == "default-ipv6", "capacity"].iloc[0] == 2**80
    blocks = usage.to_dataframe("blocks")
    assert len(blocks) == len(usage.blocks) and blocks["in_use"].dtype == "int64"
    assert isinstance(usage.to_dataframe("nodes"), pandas.DataFrame)
    assert len(sim_client.ipam.borrowed().to_dataframe()) == len(sim_client.ipam.borrowed())


def test_charts(sim_client: Client) -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    usage = sim_client.ipam.usage()
    for kind in ("pools", "nodes", "map"):
        ax = usage.plot(kind, pool="default-ipv4")
        assert ax.get_title()
    with pytest.raises(ValueError):
        usage.plot("pie")
