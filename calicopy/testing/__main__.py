"""``python -m calicopy.testing serve``: run the fake Kubernetes API server until interrupted.

Seed it with ``--namespace NAME[,KEY=VALUE...]``, ``--node NAME[:IP[/POD_CIDR]][,KEY=VALUE...]``,
``--pod [NAMESPACE/]NAME[@NODE][:IP][,KEY=VALUE...]`` (each repeatable) and ``--seed FILE``
(YAML or JSON: seed mappings and/or Kubernetes objects).  See ``docs/testing.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

from .fakeapi import GROUP_V1, GROUP_V3, ApiError, FakeKubeAPIServer
from .seeding import Seed, SeedError, load_seed_file, parse_namespace_flag, parse_node_flag, parse_pod_flag
from .simulate import simulate


def _flag(parse: Callable[[str], dict[str, Any]]) -> Callable[[str], dict[str, Any]]:
    """An argparse type: a seed flag's parser whose errors argparse reports as usage errors."""

    def convert(value: str) -> dict[str, Any]:
        try:
            return parse(value)
        except SeedError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = parse.__name__
    return convert


def _populate_spec(text: str) -> dict[str, int]:
    """``--populate``'s ``key=value,...`` (nodes, pods, seed, leaks)."""
    out: dict[str, int] = {}
    for part in filter(None, text.split(",")):
        key, _, value = part.partition("=")
        if key.strip() not in ("nodes", "pods", "seed", "leaks") or not value.strip().isdigit():
            raise argparse.ArgumentTypeError(f"expected nodes=N,pods=N,seed=N,leaks=N, not {part!r}")
        out[key.strip()] = int(value)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m calicopy.testing", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the fake Kubernetes API on 127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="port (default: an ephemeral one)")
    serve.add_argument(
        "--group",
        action="append",
        choices=(GROUP_V1, GROUP_V3),
        help=f"Calico API group to serve (repeatable; default {GROUP_V1})",
    )
    serve.add_argument("--tls", action="store_true", help="serve HTTPS with a generated CA")
    serve.add_argument("--token", help="require this bearer token")
    serve.add_argument("--window", type=int, default=10_000, help="revisions of watch history kept")
    serve.add_argument("--bookmark-interval", type=float, default=5.0, help="seconds between watch bookmarks")
    serve.add_argument(
        "--namespace",
        action="append",
        default=[],
        type=_flag(parse_namespace_flag),
        metavar="NAME[,KEY=VALUE...]",
        help="create a namespace with these labels (repeatable)",
    )
    serve.add_argument(
        "--node",
        action="append",
        default=[],
        type=_flag(parse_node_flag),
        metavar="NAME[:IP[/POD_CIDR]][,KEY=VALUE...]",
        help="create a node: its InternalIP, its pod CIDR and labels (repeatable)",
    )
    serve.add_argument(
        "--pod",
        action="append",
        default=[],
        type=_flag(parse_pod_flag),
        metavar="[NAMESPACE/]NAME[@NODE][:IP][,KEY=VALUE...]",
        help="create a running pod (namespace 'default', the first node and a free IP unless given; repeatable)",
    )
    serve.add_argument("--seed", action="append", default=[], metavar="FILE", help="YAML/JSON seed file (repeatable)")
    serve.add_argument(
        "--populate",
        nargs="?",
        const="",
        type=_populate_spec,
        metavar="nodes=N,pods=N,seed=N,leaks=N",
        help="fill the server with a simulated cluster and its IPAM state (calicopy.testing.simulate; "
        "defaults: 50 nodes, 2000 pods, seed 0, 5 leaks)",
    )
    args = parser.parse_args(argv)
    seed = Seed(namespaces=args.namespace, nodes=args.node, pods=args.pod)
    try:
        for path in args.seed:
            seed.extend(load_seed_file(path))
    except (OSError, SeedError) as exc:
        parser.error(f"--seed: {exc}")
    server = FakeKubeAPIServer(
        args.group or (GROUP_V1,),
        port=args.port,
        tls=args.tls,
        token=args.token,
        window=args.window,
        bookmark_interval=args.bookmark_interval,
        seed=seed,
    )
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        server.start()  # stops the server again when seeding fails
    except (SeedError, KeyError, ApiError) as exc:
        print(f"python -m calicopy.testing serve: cannot seed: {exc}", file=sys.stderr)
        return 2
    try:
        print(f"serving {', '.join(server.groups)} on {server.url}", flush=True)
        print(f"kubeconfig: {server.kubeconfig_path}", flush=True)
        if args.populate is not None:
            print(simulate(server, **args.populate), flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            done.wait()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
