"""``calicoctl version`` (``commands/version.go``): the client's version, then the cluster's from
ClusterInformation ``default``, optionally polled.

calicoctl prints each line with ``fmt.Println(label, value)``, so the value starts one space
after the label's own padding (column 19).  calicopy prints the Calico release it implements as
the client version and its own version where calicoctl prints its git commit.  Standard library
only: ``version --client`` loads no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import __version__
from .._go.json import marshal_indent
from ..errors import CalicoError
from ..resources.generated.kinds import CALICO_VERSION

__all__ = [
    "CLIENT_VERSION",
    "GIT_COMMIT",
    "UNDETECTED",
    "ClusterVersion",
    "client_lines",
    "cluster_lines",
    "parse_duration",
    "to_json",
]

#: The "Client Version": the Calico release whose calicoctl calicopy reproduces.
CLIENT_VERSION = CALICO_VERSION
#: Where calicoctl prints its git commit, calicopy names its own release.
GIT_COMMIT = f"calicopy-{__version__}"
#: Printed (exit 0) when the datastore cannot be reached to build a client.
UNDETECTED = "Unable to detect installed Calico version\n"


def _line(label: str, value: str) -> str:
    # fmt.Println(label, value): the operands separated by one space.
    return f"{label} {value}\n"


def client_lines() -> str:
    return _line("Client Version:   ", CLIENT_VERSION) + _line("Git commit:       ", GIT_COMMIT)


@dataclass(frozen=True, slots=True)
class ClusterVersion:
    """What ClusterInformation says (``unknown`` for an empty value, as calicoctl prints it)."""

    version: str
    cluster_type: str

    @classmethod
    def of(cls, calico_version: str | None, cluster_type: str | None) -> ClusterVersion:
        return cls(calico_version or "unknown", cluster_type or "unknown")


def cluster_lines(current: ClusterVersion, previous: ClusterVersion | None = None) -> str:
    """The cluster lines calicoctl prints: each value only when it changed since the last poll."""
    out = ""
    if previous is None or previous.version != current.version:
        out += _line("Cluster Version:  ", current.version)
    if previous is None or previous.cluster_type != current.cluster_type:
        out += _line("Cluster Type:     ", current.cluster_type)
    return out


def retrieval_failure(error: BaseException) -> str:
    return f"unable to retrieve Cluster Version or Type: {error}"


def to_json(cluster: ClusterVersion | None, *, detected: bool = True) -> str:
    """``version -o json`` (calicopy's): the same facts as an object (no trailing newline, as
    ``get -o json``)."""
    data: dict[str, object] = {"clientVersion": CLIENT_VERSION, "gitCommit": GIT_COMMIT}
    if cluster is not None:
        data["clusterVersion"] = cluster.version
        data["clusterType"] = cluster.cluster_type
    elif not detected:
        data["clusterVersion"] = None
    return marshal_indent(data, "", "  ")


_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_COMPONENT = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)")


def parse_duration(text: str) -> float:
    """Go's ``time.ParseDuration`` in seconds (``1s``, ``1.5h``, ``2h45m``, ``300ms``, ``0``).

    calicoctl reports a bad value as ``invalid poll duration specified: 0s`` (it prints the
    zero duration it failed to fill); calicopy names the value given.
    """
    failure = CalicoError(f"invalid poll duration specified: {text}")
    body = text
    sign = 1.0
    if body[:1] in "+-" and body:
        sign = -1.0 if body[0] == "-" else 1.0
        body = body[1:]
    if body == "0":
        return 0.0
    if not body:
        raise failure
    total = 0.0
    pos = 0
    while pos < len(body):
        match = _COMPONENT.match(body, pos)
        if match is None or match.group(1) in ("", "."):
            raise failure
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    return sign * total
