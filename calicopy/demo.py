"""The guided tour behind ``calicopy demo``: the seed scenario on an embedded fake cluster.

It starts :class:`calicopy.testing.FakeKubeAPIServer` in-process on 127.0.0.1, writes a
calicoctl.cfg and the seed manifests into a temporary directory, and runs each ``$ calicopy ...``
line it shows exactly as shown, through the ``calicopy`` command itself (``run_command``, given by
the command line: the demo sits below it).  The Python part at the end uses the library on the
same cluster.  No real cluster, no network beyond loopback.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

from . import selector
from .client import Client
from .resources.generated.networkpolicy import NetworkPolicy
from .testing import FakeKubeAPIServer

__all__ = ["CALICOCTL_CFG", "SAMPLE_PODS", "SEED_POLICY", "SEED_POOL1", "SEED_POOL3_CRD_V1", "run"]

SEED_POOL1 = """\
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool1
spec:
  cidr: 10.245.1.0/24
  ipipMode: Never
  natOutgoing: true
  nodeSelector: all()
"""

SEED_POOL3_CRD_V1 = """\
apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: pool3
spec:
  cidr: 10.245.3.0/24
  ipipMode: Never
  natOutgoing: true
  nodeSelector: all()
"""

SEED_POLICY = """\
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: allow-tcp-6379
  namespace: production
spec:
  selector: role == 'database'
  types:
  - Ingress
  - Egress
  ingress:
  - action: Allow
    protocol: TCP
    source:
      selector: role == 'frontend'
    destination:
      ports:
      - 6379
  egress:
  - action: Allow
"""

SAMPLE_PODS = {
    "redis-0": {"role": "database", "app": "redis"},
    "web-7d9f": {"role": "frontend", "app": "web"},
    "batch-1": {"role": "batch"},
}

CALICOCTL_CFG = """\
apiVersion: projectcalico.org/v3
kind: CalicoAPIConfig
metadata: {{}}
spec:
  datastoreType: kubernetes
  kubeconfig: {kubeconfig}
"""

#: Runs one ``calicopy`` command line (without the program name) and returns its exit code.
RunCommand = Callable[[Sequence[str]], int]

_FILES = {
    "pool1.yaml": SEED_POOL1,
    "pool3.yaml": SEED_POOL3_CRD_V1,
    "bad-pool.yaml": SEED_POOL1.replace("10.245.1.0/24", "10.9.0.5/16").replace("pool1", "bad-pool"),
    "allow-tcp-6379.yaml": SEED_POLICY,
}


def _pod(name: str, labels: dict[str, str], ip: str) -> dict[str, object]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "production", "labels": labels},
        "spec": {"nodeName": "node-1", "containers": [{"name": "main", "image": "example"}]},
        "status": {"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}]},
    }


@contextlib.contextmanager
def _working_directory(path: str) -> Iterator[None]:
    # The commands name their files relative to the demo's directory, as a user would type them.
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def run(echo: Callable[[str], None], run_command: RunCommand) -> None:
    """Walk the seed scenario: each shown command runs through ``run_command``."""
    with tempfile.TemporaryDirectory(prefix="calicopy-demo-") as tmp, FakeKubeAPIServer() as server:
        cfg = Path(tmp) / "calicoctl.cfg"
        cfg.write_text(CALICOCTL_CFG.format(kubeconfig=server.kubeconfig_path))
        for name, text in _FILES.items():
            (Path(tmp) / name).write_text(text)
        echo(f"== A fake Kubernetes API server with Calico's CRDs is listening on {server.url}")
        echo(f"== In {tmp}: calicoctl.cfg, {', '.join(_FILES)}\n{cfg.read_text()}")
        with _working_directory(tmp):
            _tour(server, echo, run_command)
        with Client.from_config(str(cfg)) as client:
            _selectors(client, echo)


def _tour(server: FakeKubeAPIServer, echo: Callable[[str], None], run_command: RunCommand) -> None:
    def shell(line: str, comment: str = "") -> None:
        echo(f"$ calicopy {line}" + (f"        # {comment}" if comment else ""))
        run_command(shlex.split(line))
        echo("")

    shell("get ippool -c calicoctl.cfg --allow-version-mismatch")
    shell("create -f pool1.yaml -c calicoctl.cfg", "projectcalico.org/v3, validated and defaulted as calicoctl does")
    shell("create -f pool3.yaml -c calicoctl.cfg", "written for kubectl: apiVersion crd.projectcalico.org/v1")
    shell("get ippool -o wide -c calicoctl.cfg")
    shell("create -f bad-pool.yaml -c calicoctl.cfg", "host bits set: rejected, nothing written")

    server.add({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "production"}})
    for number, (name, labels) in enumerate(SAMPLE_PODS.items(), start=10):
        server.add(_pod(name, labels, f"10.245.1.{number}"))

    shell("apply -f allow-tcp-6379.yaml -c calicoctl.cfg")
    shell("get networkpolicy allow-tcp-6379 -n production -o yaml -c calicoctl.cfg")
    shell("get workloadendpoints -n production -c calicoctl.cfg", "the pods, as Calico sees them")

    echo("== What Kubernetes holds (kubectl get networkpolicies.crd.projectcalico.org -o json):")
    (raw,) = [o for o in server.objects("networkpolicies") if o["metadata"]["name"] == "allow-tcp-6379"]
    echo(json.dumps(raw, indent=2))


def _selectors(client: Client, echo: Callable[[str], None]) -> None:
    stored = client.get(NetworkPolicy, "allow-tcp-6379", namespace="production")
    applies = selector.parse(stored.spec.selector)
    peers = selector.parse(stored.spec.ingress[0].source.selector)
    echo(f"\n== Python: pods (as WorkloadEndpoints) picked by selector {applies}; ingress from {peers}:")
    for wep in client.list("WorkloadEndpoint", namespace="production"):
        labels = wep.metadata.labels
        pod = cast(Any, wep).spec.pod
        echo(
            f"  production/{pod:10} selected: {applies.matches(labels)!s:5}  "
            f"may connect on TCP 6379: {peers.matches(labels)}"
        )
