"""Must NOT type-check (tests/test_typed_access.py): the accessors are typed per kind."""

from __future__ import annotations

from calicopy import Client, IPPool, Tier


def wrong(client: Client) -> None:
    tier: Tier = client.ippools.get("pool1")  # E: an IPPool is not a Tier
    pool: IPPool = client.get("IPPool", "pool1")  # E: a kind name gives the base Resource
    print(tier, pool)
