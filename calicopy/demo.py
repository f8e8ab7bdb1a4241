"""The guided tour behind ``calicopy demo``: the seed scenario, offline.

It walks the seed manifests through what calicopy does today: strict loading as calicoctl
reads files, libcalico-go validation and defaulting, selector evaluation, calicoctl-style
output.  It needs no cluster and opens no connection.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from . import manifests, selector
from .errors import CalicoError
from .kdd import to_crd
from .resources.defaults import default
from .resources.networkpolicy import NetworkPolicy

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
    "production/redis-0": {"role": "database", "app": "redis"},
    "production/web-7d9f": {"role": "frontend", "app": "web"},
    "production/batch-1": {"role": "batch"},
    "production/unlabelled": {},
}


def run(echo: Callable[[str], None] = print) -> None:
    """Print the tour; raises nothing for the seed data (a failure here is a calicopy bug)."""
    echo("== 1. Load pool1 (projectcalico.org/v3), validated as calicoctl would")
    (pool,) = manifests.loads(SEED_POOL1, source="seed:pool1.yaml")
    echo(manifests.dump([pool]))
    echo("\n== 2. libcalico-go's create-time defaults (calicopy.default)")
    echo(manifests.dump([default(pool)]))

    echo("\n== 3. pool3 written by kubectl as crd.projectcalico.org/v1, read as calicoctl shows it")
    (pool3,) = manifests.loads(SEED_POOL3_CRD_V1, source="seed:pool3.yaml")
    echo(manifests.dump([pool3]))
    echo("\n   ...and pool1 as libcalico-go would store it in Kubernetes (calicopy.kdd.to_crd):")
    echo(json.dumps(to_crd(default(pool)), indent=2))

    echo("\n== 4. A pool with host bits set is rejected (the message shows the masked CIDR)")
    bad = SEED_POOL1.replace("10.245.1.0/24", "10.9.0.5/16").replace("pool1", "bad-pool")
    try:
        default(manifests.loads(bad, source="seed:bad-pool.yaml")[0])
    except CalicoError as exc:
        echo(f"rejected: {exc}")

    echo("\n== 5. NetworkPolicy allow-tcp-6379 and the pods its selectors pick")
    (policy,) = manifests.loads(SEED_POLICY, source="seed:allow-tcp-6379.yaml")
    echo(manifests.dump([default(policy)], fmt="json"))
    assert isinstance(policy, NetworkPolicy)
    spec = policy.spec
    applies = selector.parse(spec.selector)
    peers = selector.parse(spec.ingress[0].source.selector)
    echo(f"\npolicy selector {applies}  |  ingress source {peers}")
    for pod, labels in SAMPLE_PODS.items():
        echo(
            f"  {pod:28} selected: {applies.matches(labels)!s:5}  allowed to connect on TCP 6379: {peers.matches(labels)}"
        )
