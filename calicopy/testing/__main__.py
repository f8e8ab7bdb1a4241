"""``python -m calicopy.testing serve --port N``: run the fake Kubernetes API server until interrupted."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Sequence

from .fakeapi import GROUP_V1, GROUP_V3, FakeKubeAPIServer
from .simulate import simulate


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
    parser = argparse.ArgumentParser(prog="python -m calicopy.testing", description=__doc__)
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
        "--populate",
        nargs="?",
        const="",
        type=_populate_spec,
        metavar="nodes=N,pods=N,seed=N,leaks=N",
        help="fill the server with a simulated cluster and its IPAM state (calicopy.testing.simulate; "
        "defaults: 50 nodes, 2000 pods, seed 0, 5 leaks)",
    )
    args = parser.parse_args(argv)
    server = FakeKubeAPIServer(
        args.group or (GROUP_V1,),
        port=args.port,
        tls=args.tls,
        token=args.token,
        window=args.window,
        bookmark_interval=args.bookmark_interval,
    )
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    with server:
        print(f"serving {', '.join(server.groups)} on {server.url}", flush=True)
        print(f"kubeconfig: {server.kubeconfig_path}", flush=True)
        if args.populate is not None:
            print(simulate(server, **args.populate), flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            done.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
