"""Calico IPAM (libcalico-go's ``lib/ipam``): blocks, affinities, handles and the IPAM configuration.

Like libcalico-go's IPAM it talks to the :class:`~calicopy.backends.base.Backend` directly
(below clientv3), with a compare-and-swap on every write.  Use it as ``client.ipam``
(:class:`IPAM`); ``docs/ipam.md`` describes the API and how its numbers match calicoctl's.
"""

from __future__ import annotations

from .admin import ReportRelease, SplitResult, split_cidr
from .assign import Assignments
from .block import HostReservedAttr, ReleaseOptions
from .check import CheckReport
from .client import IPAM, AssignResult
from .core import IPAMConfig
from .errors import (
    BlockClaimConflict,
    BlockLimitReached,
    BlockNotEmpty,
    InvalidIPAddress,
    IPAMError,
    MaxRetriesError,
    NoFreeBlocks,
    NoQualifiedPool,
    StaleAffinity,
)
from .invariants import violations
from .release import release_pool_affinities
from .usage import Allocation, BlockUsage, BorrowedIP, BorrowedIPs, NodeUsage, PoolUsage, Usage

__all__ = [
    "IPAM",
    "Allocation",
    "AssignResult",
    "Assignments",
    "BlockClaimConflict",
    "BlockLimitReached",
    "BlockNotEmpty",
    "BlockUsage",
    "BorrowedIP",
    "BorrowedIPs",
    "CheckReport",
    "HostReservedAttr",
    "IPAMConfig",
    "IPAMError",
    "InvalidIPAddress",
    "MaxRetriesError",
    "NoFreeBlocks",
    "NoQualifiedPool",
    "NodeUsage",
    "PoolUsage",
    "ReleaseOptions",
    "ReportRelease",
    "SplitResult",
    "StaleAffinity",
    "Usage",
    "release_pool_affinities",
    "split_cidr",
    "violations",
]
