"""IPAM's own failures (``libcalico-go/lib/ipam/ipam_errors.go`` and the sentinel errors of ``ipam.go``).

Datastore failures keep their :mod:`calicopy.errors` classes (a lost compare-and-swap is
:class:`~calicopy.errors.ResourceConflict`, a missing block :class:`~calicopy.errors.ResourceNotFound`);
these are the refusals IPAM itself decides, worded as libcalico-go words them.
"""

from __future__ import annotations

from ..errors import CalicoError

__all__ = [
    "BlockClaimConflict",
    "BlockLimitReached",
    "BlockNotEmpty",
    "IPAMError",
    "InvalidIPAddress",
    "MaxRetriesError",
    "NoFreeBlocks",
    "NoQualifiedPool",
    "StaleAffinity",
]


class IPAMError(CalicoError):
    """An IPAM operation refused or could not finish; ``str()`` is libcalico-go's text."""


class NoFreeBlocks(IPAMError):
    """Every block of the usable pools exists and none is free for this host (``noFreeBlocksError``)."""


class BlockLimitReached(IPAMError):
    """``ErrBlockLimit``: the host holds ``maxBlocksPerHost`` blocks already."""

    def __init__(self, message: str = "cannot allocate new block due to per host block limit") -> None:
        super().__init__(message)


class NoQualifiedPool(IPAMError):
    """``ErrNoQualifiedPool``: no enabled pool fits the request."""


class BlockClaimConflict(IPAMError):
    """``errBlockClaimConflict``: the block is affine to another host."""

    def __init__(self, cidr: str, affinity: str | None) -> None:
        self.cidr = cidr
        self.affinity = affinity
        super().__init__(f"{cidr} already claimed by {affinity}" if affinity else f"{cidr} already claimed")


class BlockNotEmpty(IPAMError):
    """``errBlockNotEmpty``: releasing the affinity needs an empty block."""

    def __init__(self, cidr: str) -> None:
        self.cidr = cidr
        super().__init__(f"block '{cidr}' is not empty")


class StaleAffinity(IPAMError):
    """``errStaleAffinity``: an affinity whose block belongs to someone else (it was deleted)."""


class MaxRetriesError(IPAMError):
    """Every compare-and-swap attempt lost to concurrent writers."""

    def __init__(self, message: str = "Max retries hit - excessive concurrent IPAM requests") -> None:
        super().__init__(message)


class InvalidIPAddress(IPAMError, ValueError):
    """Text that is not an IPv4 or IPv6 address (calicoctl's ``ValidateIP``)."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"invalid IP address specified: {text}")
