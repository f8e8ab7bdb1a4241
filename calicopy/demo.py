"""The guided tour behind ``calicopy demo``: the seed scenario on an embedded fake cluster.

It starts :class:`calicopy.testing.FakeKubeAPIServer` in-process on 127.0.0.1 and walks the
seed manifests through the real Kubernetes-datastore path: a calicoctl.cfg-style config, the
Client, the KDD mapping, the HTTP API.  No real cluster, no network beyond loopback.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import manifests, selector
from .calicoctl import execute, file_invalid, massage_error, render_table, summary
from .calicoctl.execute import Action
from .client import Client
from .errors import ManifestError
from .resources.generated.networkpolicy import NetworkPolicy
from .testing import FakeKubeAPIServer

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


def _pod(name: str, labels: dict[str, str], ip: str) -> dict[str, object]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "production", "labels": labels},
        "spec": {"nodeName": "node-1", "containers": [{"name": "main", "image": "example"}]},
        "status": {"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}]},
    }


def run(echo: Callable[[str], None] = print) -> None:
    """Walk the seed scenario through the real KDD path against an in-process fake API server."""
    with tempfile.TemporaryDirectory(prefix="calicopy-demo-") as tmp, FakeKubeAPIServer() as server:
        cfg = Path(tmp) / "calicoctl.cfg"
        cfg.write_text(CALICOCTL_CFG.format(kubeconfig=server.kubeconfig_path))
        echo(f"== A fake Kubernetes API server with Calico's CRDs is listening on {server.url}")
        echo(f"== calicoctl.cfg ({cfg}):\n{cfg.read_text()}")
        with Client.from_config(str(cfg)) as client:
            _tour(client, server, echo)


def _run(client: Any, action: Action, manifest: str, source: str, echo: Callable[[str], None]) -> list[Any]:
    """One ``calicopy <action> -f <source>``: calicoctl's processing and its report."""
    try:
        resources = manifests.loads(manifest, source=source)
    except ManifestError as exc:
        echo(massage_error(file_invalid(exc)) + "\n")
        return []
    results = execute(client, resources, action)
    report = summary(action, results)
    echo(report.stdout + (massage_error(report.error) + "\n" if report.error is not None else ""))
    return results.resources


def _tour(client: Any, server: Any, echo: Callable[[str], None]) -> None:
    echo("$ calicopy get ippool --allow-version-mismatch")
    client.check_version(allow_mismatch=True)
    echo(render_table(client.list("IPPool"), kind="IPPool"))

    echo("$ calicopy create -f pool1.yaml        # projectcalico.org/v3, validated and defaulted as calicoctl does")
    _run(client, "create", SEED_POOL1, "pool1.yaml", echo)

    echo("$ calicopy create -f pool3.yaml        # written for kubectl: apiVersion crd.projectcalico.org/v1")
    _run(client, "create", SEED_POOL3_CRD_V1, "pool3.yaml", echo)

    echo("$ calicopy get ippool -o wide")
    echo(render_table(client.list("IPPool"), kind="IPPool", wide=True))

    echo("$ calicopy create -f bad-pool.yaml     # host bits set: rejected, nothing written")
    bad = SEED_POOL1.replace("10.245.1.0/24", "10.9.0.5/16").replace("pool1", "bad-pool")
    _run(client, "create", bad, "bad-pool.yaml", echo)

    server.add({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "production"}})
    for number, (name, labels) in enumerate(SAMPLE_PODS.items(), start=10):
        server.add(_pod(name, labels, f"10.245.1.{number}"))

    echo("$ calicopy apply -f allow-tcp-6379.yaml")
    (stored,) = _run(client, "apply", SEED_POLICY, "allow-tcp-6379.yaml", echo)

    echo("$ calicopy get networkpolicy allow-tcp-6379 -n production -o yaml")
    echo(manifests.dump([stored]))

    echo("\n== What Kubernetes holds (kubectl get networkpolicies.crd.projectcalico.org -o json):")
    (raw,) = [o for o in server.objects("networkpolicies") if o["metadata"]["name"] == "allow-tcp-6379"]
    echo(json.dumps(raw, indent=2))

    assert isinstance(stored, NetworkPolicy)
    applies = selector.parse(stored.spec.selector)
    peers = selector.parse(stored.spec.ingress[0].source.selector)
    echo(f"\n== Pods (as WorkloadEndpoints) picked by selector {applies}; ingress from {peers}:")
    for wep in client.list("WorkloadEndpoint", namespace="production"):
        labels = wep.metadata.labels
        pod = getattr(wep.spec, "pod", "")
        echo(
            f"  production/{pod:10} selected: {applies.matches(labels)!s:5}  "
            f"may connect on TCP 6379: {peers.matches(labels)}"
        )
