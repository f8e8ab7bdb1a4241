"""Checked by tests/test_typed_access.py with mypy --strict: the Client's typed access."""

from __future__ import annotations

from calicopy import Client, GlobalNetworkPolicy, IPPool
from calicopy.accessors import KindAccessor


def typed(client: Client) -> None:
    by_class: IPPool = client.get(IPPool, "pool1")
    listed: list[IPPool] = client.list(IPPool)
    accessor: KindAccessor[IPPool] = client.ippools
    got: IPPool = client.ippools.get("pool1")
    many: list[IPPool] = client.ippools.list()
    created: GlobalNetworkPolicy = client.globalnetworkpolicies.create({"metadata": {"name": "p"}})
    print(by_class, listed, accessor, got, many, created)
