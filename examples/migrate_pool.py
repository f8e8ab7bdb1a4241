"""Migrate workloads from one Calico IP pool to another.

The steps Calico's documentation gives for changing a cluster's pod CIDR, as a script:

1. create the new IPPool (validated and defaulted by calicopy as calicoctl does; encapsulation,
   NAT and node selector are copied from the old pool unless given);
2. disable the old pool, so that Calico IPAM allocates no new address from it;
3. list the WorkloadEndpoints (pods) that still hold an address of the old pool: those pods must
   be restarted to get an address from the new pool;
4. with ``--delete-when-empty``: delete the old pool once no workload uses it.

Every step is idempotent: run it again after restarting the pods.

Without ``--config`` the script runs against an embedded fake Kubernetes API server seeded
with a pool and a few pods, so it can be tried as-is::

    python examples/migrate_pool.py
    python examples/migrate_pool.py --simulate-restarts --delete-when-empty

Against a real cluster (calicoctl's configuration file; the datastore must be Kubernetes or
whatever calicopy supports)::

    python examples/migrate_pool.py --config /etc/calico/calicoctl.cfg \\
        --old-pool default-ipv4-ippool --new-pool pool-2024 --new-cidr 10.248.0.0/16

Exit status: 0 when every step succeeded (also when pods still have to be restarted), 1 on
an error (printed without a traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import calicopy
from calicopy import Client, IPPool, WorkloadEndpoint

DEMO_OLD_POOL = "default-ipv4-ippool"
DEMO_OLD_CIDR = "192.168.0.0/16"
DEMO_NEW_POOL = "ipv4-pool-2"
DEMO_NEW_CIDR = "10.248.0.0/16"
#: (namespace, pod, node, IP) seeded in the fake: two pods in the old pool, one in another pool.
DEMO_PODS = (
    ("shop", "web-0", "node-1", "192.168.12.5"),
    ("shop", "db-0", "node-2", "192.168.40.7"),
    ("kube-system", "coredns-5d78c", "node-1", "10.250.0.3"),
)
#: Pool settings copied from the old pool to the new one unless given on the command line.
COPIED = ("ipipMode", "vxlanMode", "natOutgoing", "nodeSelector")

CALICOCTL_CFG = """\
apiVersion: projectcalico.org/v3
kind: CalicoAPIConfig
metadata: {{}}
spec:
  datastoreType: kubernetes
  kubeconfig: {kubeconfig}
"""


class MigrationError(Exception):
    """A condition that stops the migration (printed as ``error: ...``, exit status 1)."""


@dataclass(frozen=True)
class Workload:
    namespace: str
    pod: str
    node: str
    address: str


# -- the migration --------------------------------------------------------------------------------


def ensure_new_pool(client: Client, old: IPPool, name: str, cidr: str, overrides: dict[str, Any]) -> IPPool:
    """Create the new pool (settings copied from ``old``), or accept an existing one with the same CIDR."""
    old_spec = old.to_dict()["spec"]
    spec: dict[str, Any] = {key: old_spec[key] for key in COPIED if key in old_spec}
    spec.update(overrides)
    spec["cidr"] = cidr
    # Constructing the model runs libcalico-go's validation: a bad CIDR or mode fails here,
    # before anything is written.
    wanted = IPPool(metadata={"name": name}, spec=spec)
    try:
        existing = client.get("IPPool", name)
    except calicopy.ResourceNotFound:
        existing = None
    if existing is not None:
        assert isinstance(existing, IPPool)
        if _same_net(existing.spec.cidr, wanted.spec.cidr):
            print(f"  IPPool {name} already exists with CIDR {existing.spec.cidr}: keeping it")
            return existing
        raise MigrationError(f"IPPool {name} already exists with a different CIDR ({existing.spec.cidr}, not {cidr})")
    created = client.create(wanted)
    assert isinstance(created, IPPool)
    print(f"  created IPPool {name}: {_describe(created)}")
    return created


def disable_pool(client: Client, pool: IPPool) -> None:
    if pool.spec.disabled:
        print(f"  IPPool {pool.metadata.name} is already disabled")
        return
    client.patch("IPPool", pool.metadata.name, {"spec": {"disabled": True}})
    print(f"  disabled IPPool {pool.metadata.name}: Calico IPAM allocates no new address from {pool.spec.cidr}")


def workloads_in(client: Client, cidr: str) -> list[Workload]:
    """WorkloadEndpoints (in every namespace) with an address inside ``cidr``."""
    net = ipaddress.ip_network(cidr, strict=False)
    found: list[Workload] = []
    for wep in client.list(WorkloadEndpoint):
        spec: Any = wep.spec
        for text in spec.ip_networks or []:
            try:
                address = ipaddress.ip_interface(text).ip
            except ValueError:
                continue
            if address.version == net.version and address in net:
                found.append(Workload(wep.metadata.namespace, spec.pod or spec.workload, spec.node, str(address)))
    return sorted(found, key=lambda w: (w.namespace, w.pod))


def print_workloads(workloads: Sequence[Workload]) -> None:
    rows = [("NAMESPACE", "POD", "NODE", "ADDRESS")] + [(w.namespace, w.pod, w.node, w.address) for w in workloads]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def migrate(client: Client, args: argparse.Namespace, restart: Any = None) -> None:
    if args.old_pool == args.new_pool:
        raise MigrationError("--old-pool and --new-pool must differ")
    client.check_version(allow_mismatch=args.allow_version_mismatch)
    try:
        old = client.get("IPPool", args.old_pool)
    except calicopy.ResourceNotFound:
        raise MigrationError(f"IPPool {args.old_pool} does not exist") from None
    assert isinstance(old, IPPool)

    print(f"Step 1/4: create the new IPPool {args.new_pool} ({args.new_cidr})")
    overrides = {
        key: value
        for key, value in (("ipipMode", args.ipip_mode), ("vxlanMode", args.vxlan_mode), ("blockSize", args.block_size))
        if value is not None
    }
    ensure_new_pool(client, old, args.new_pool, args.new_cidr, overrides)

    print(f"Step 2/4: disable the old IPPool {old.metadata.name} ({old.spec.cidr})")
    disable_pool(client, old)

    print(f"Step 3/4: workloads still using addresses from {old.spec.cidr}")
    workloads = workloads_in(client, old.spec.cidr)
    if workloads and restart is not None:
        print_workloads(workloads)
        print(f"  (demo) restarting {len(workloads)} pod(s): they get addresses from {args.new_cidr}")
        restart(workloads)
        workloads = workloads_in(client, old.spec.cidr)
    if workloads:
        print_workloads(workloads)
        print(f"  {len(workloads)} workload(s) still use IPPool {old.metadata.name}")
    else:
        print(f"  none: no workload uses IPPool {old.metadata.name} any more")

    print(f"Step 4/4: delete the old IPPool {old.metadata.name}")
    if workloads:
        print(f"  skipped: {len(workloads)} workload(s) still use it")
        print()
        print("Next steps for the operator:")
        print("  1. Restart these pods so that they get an address from the new pool, e.g.:")
        for w in workloads:
            print(f"       kubectl delete pod -n {w.namespace} {w.pod}")
        print("     (for pods owned by a Deployment, StatefulSet or DaemonSet prefer")
        print("      `kubectl rollout restart -n <namespace> <kind>/<name>`)")
        print("  2. Run this script again with --delete-when-empty to delete the old pool.")
    elif args.delete_when_empty:
        client.delete("IPPool", old.metadata.name)
        print(f"  deleted IPPool {old.metadata.name}")
    else:
        print("  not requested: the pool is empty, run again with --delete-when-empty to delete it")
    print()
    print("Migration step complete.")


# -- helpers --------------------------------------------------------------------------------------


def _same_net(a: str, b: str) -> bool:
    try:
        return ipaddress.ip_network(a, strict=False) == ipaddress.ip_network(b, strict=False)
    except ValueError:
        return a == b


def _describe(pool: IPPool) -> str:
    spec = pool.spec
    return (
        f"cidr={spec.cidr} blockSize={spec.block_size} ipipMode={spec.ipip_mode} "
        f"vxlanMode={spec.vxlan_mode} natOutgoing={str(spec.nat_outgoing).lower()} nodeSelector={spec.node_selector}"
    )


def _pod(namespace: str, name: str, node: str, ip: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": {"app": name.split("-")[0]}},
        "spec": {"nodeName": node, "containers": [{"name": "main", "image": "registry.example/app:1"}]},
        "status": {"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}]},
    }


@contextlib.contextmanager
def demo_cluster() -> Iterator[tuple[Client, Any]]:
    """A fake API server seeded with the old pool and a few pods; yields a Client and a restart function."""
    from calicopy.testing import FakeKubeAPIServer

    with tempfile.TemporaryDirectory(prefix="migrate-pool-") as tmp, FakeKubeAPIServer() as server:
        cfg = Path(tmp) / "calicoctl.cfg"
        cfg.write_text(CALICOCTL_CFG.format(kubeconfig=server.kubeconfig_path))
        print(f"No --config given: using an embedded fake Kubernetes API server at {server.url}")
        print(f"seeded with IPPool {DEMO_OLD_POOL} ({DEMO_OLD_CIDR}) and {len(DEMO_PODS)} pods.")
        print("Pass --config /etc/calico/calicoctl.cfg to work on a real cluster.")
        print()
        with Client.from_config(str(cfg)) as client:
            client.create(
                IPPool(
                    metadata={"name": DEMO_OLD_POOL},
                    spec={"cidr": DEMO_OLD_CIDR, "ipipMode": "Always", "natOutgoing": True},
                )
            )
            client.create(IPPool(metadata={"name": "infra-pool"}, spec={"cidr": "10.250.0.0/24"}))
            server.add({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
            for namespace, name, node, ip in DEMO_PODS:
                server.add(_pod(namespace, name, node, ip))

            def restart(workloads: Sequence[Workload]) -> None:
                """What a pod restart does once the old pool is disabled: a new pod, a new-pool address."""
                from kubernetes import client as k8s

                new_net = ipaddress.ip_network(DEMO_NEW_CIDR)
                with server.api_client() as api:
                    core = k8s.CoreV1Api(api)
                    for index, w in enumerate(workloads, start=10):
                        core.delete_namespaced_pod(w.pod, w.namespace)
                        server.add(_pod(w.namespace, w.pod, w.node, str(new_net[index])))

            yield client, restart


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Move workloads from an old Calico IPPool to a new one.",
        epilog="Without --config the script runs against an embedded fake API server with demo data.",
    )
    parser.add_argument("--config", help="calicoctl configuration file (e.g. /etc/calico/calicoctl.cfg)")
    parser.add_argument("--old-pool", default=DEMO_OLD_POOL, help=f"pool to migrate off (default {DEMO_OLD_POOL})")
    parser.add_argument("--new-pool", default=DEMO_NEW_POOL, help=f"name of the new pool (default {DEMO_NEW_POOL})")
    parser.add_argument("--new-cidr", default=DEMO_NEW_CIDR, help=f"CIDR of the new pool (default {DEMO_NEW_CIDR})")
    parser.add_argument("--ipip-mode", choices=("Never", "Always", "CrossSubnet"), help="default: the old pool's")
    parser.add_argument("--vxlan-mode", choices=("Never", "Always", "CrossSubnet"), help="default: the old pool's")
    parser.add_argument("--block-size", type=int, help="default: Calico's (26 for IPv4, 122 for IPv6)")
    parser.add_argument("--delete-when-empty", action="store_true", help="delete the old pool once no pod uses it")
    parser.add_argument("--allow-version-mismatch", action="store_true", help="skip the cluster version check")
    parser.add_argument(
        "--simulate-restarts",
        action="store_true",
        help="fake server only: restart the affected demo pods, as an operator would",
    )
    args = parser.parse_args(argv)
    if args.simulate_restarts and args.config:
        parser.error("--simulate-restarts only works with the embedded fake server (without --config)")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.config:
            with Client.from_config(args.config) as client:
                migrate(client, args)
        else:
            with demo_cluster() as (client, restart):
                migrate(client, args, restart if args.simulate_restarts else None)
    except (calicopy.CalicoError, MigrationError, OSError) as exc:
        message = str(exc).strip() or type(exc).__name__
        print(f"error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
