"""Benchmark: the ``calicopy`` command as a user runs it (a new process per command).

Each command runs as ``python -m calicopy ...`` in a subprocess with a bytecode cache (as an
installed package has; kept in a temporary directory), after one warm-up run, and its wall time
is the median of ``--runs`` runs.  Everything is measured in the same run as its baseline, and
reported as absolute times and as ratios:

* startup: ``calicopy --help`` and ``calicopy version --client`` (targets: <= 150 ms), against
  the bare interpreter (``python -c pass``) measured alongside;
* ``calicopy get ippools`` against a :class:`calicopy.testing.FakeKubeAPIServer` in this process
  holding three pools (target: <= 400 ms end to end);
* ``calicopy apply -f DIR`` of N GlobalNetworkPolicies (one file each) against
  ``calicopy apply -f DIR --sequential``, calicoctl's one-at-a-time semantics, in the same run:
  (a) creating them on an empty datastore, (b) applying the same directory again (nothing
  changed: the usual case of a GitOps pipeline), (c) again with one policy in ten changed.
  Both paths always run with the same client-side limits, printed with the results: by default
  calicoctl's (50 requests/s, burst 100), as a user's calicoctl.cfg has them, and then again
  with the limit lifted on both (``k8sClientQPS`` 100000) so that what is left is the work each
  path does.  Requests are counted at the server.  Under a fixed request budget the ratio cannot
  exceed the ratio of the requests made (plus the burst): the benchmark prints that bound.

Run: ``python benchmarks/bench_cli.py [--quick] [--runs N] [--policies N] [--limits default|unlimited|both]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calicopy.testing import FakeKubeAPIServer  # noqa: E402

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CONFIG = """\
apiVersion: projectcalico.org/v3
kind: CalicoAPIConfig
metadata: {{}}
spec:
  datastoreType: kubernetes
  kubeconfig: {kubeconfig}
{limits}"""
#: calicoctl's client-side limits when the configuration sets none (client-go's rest.Config defaults
#: as libcalico-go sets them), and the lifted setting of the second apply run.
DEFAULT_LIMITS = (50.0, 100)
LIFTED_LIMITS = (100_000.0, 100_000)


def _config(kubeconfig: str, limits: tuple[float, int] | None = None) -> str:
    extra = f"  k8sClientQPS: {limits[0]}\n  k8sClientBurst: {limits[1]}\n" if limits else ""
    return CONFIG.format(kubeconfig=kubeconfig, limits=extra)


POLICY = """\
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: bench-{i}
spec:
  selector: app == 'app-{i}'
  order: {order}
  types: [Ingress]
  ingress:
  - action: Allow
    protocol: TCP
    source:
      selector: role == 'frontend'
    destination:
      ports: [80, 443, {port}]
"""


def _env(cache: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    env["PYTHONPYCACHEPREFIX"] = cache
    return env


def _time(argv: Sequence[str], env: dict[str, str], *, check: bool = True) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if check and done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return elapsed


def _median(argv: Sequence[str], env: dict[str, str], runs: int) -> float:
    _time(argv, env)  # warm-up: bytecode cache, file system cache
    return statistics.median(_time(argv, env) for _ in range(runs))


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def startup(env: dict[str, str], runs: int) -> None:
    python = [sys.executable]
    bare = _median([*python, "-c", "pass"], env, runs)
    print(f"startup (median of {runs})")
    print(f"  python -c pass                       {_ms(bare)}")
    for label, args in (("calicopy --help", ["--help"]), ("calicopy version --client", ["version", "--client"])):
        took = _median([*python, "-m", "calicopy", *args], env, runs)
        verdict = "ok" if took <= 0.150 else "OVER 150 ms"
        print(
            f"  {label:36} {_ms(took)}   x{took / bare:4.1f} the interpreter, +{_ms(took - bare).strip()}   [{verdict}]"
        )


def get_ippools(env: dict[str, str], runs: int, workdir: Path) -> None:
    with FakeKubeAPIServer() as server:
        config = workdir / "get.cfg"
        config.write_text(_config(str(server.kubeconfig_path)))
        manifests = workdir / "pools.yaml"
        manifests.write_text(
            "---\n".join(
                f"apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {{name: pool{i}}}\nspec: {{cidr: 10.{i}.0.0/16}}\n"
                for i in range(3)
            )
        )
        command = [sys.executable, "-m", "calicopy"]
        _time([*command, "create", "-f", str(manifests), "-c", str(config)], env)
        bare = _median([sys.executable, "-c", "pass"], env, runs)
        took = _median([*command, "get", "ippools", "-c", str(config)], env, runs)
        verdict = "ok" if took <= 0.400 else "OVER 400 ms"
        print(f"\ncalicopy get ippools against the fake API server (median of {runs})")
        print(f"  python -c pass                       {_ms(bare)}")
        print(f"  calicopy get ippools                 {_ms(took)}   x{took / bare:4.1f} the interpreter   [{verdict}]")


def _write_policies(directory: Path, count: int, changed: int = 0) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        order = 1000 + i + (1 if i < changed else 0)
        (directory / f"policy-{i:05d}.yaml").write_text(POLICY.format(i=i, order=order, port=8000 + i % 1000))


def _requests(server: FakeKubeAPIServer) -> tuple[int, int]:
    seen = list(server.requests)
    return len(seen), sum(1 for method, _ in seen if method in WRITES)


def apply_directory(env: dict[str, str], count: int, workdir: Path, limits: tuple[float, int] | None) -> None:
    qps, burst = limits or DEFAULT_LIMITS
    setting = "calicoctl's default limits" if limits is None else "limits lifted (k8sClientQPS/k8sClientBurst)"
    print(
        f"\ncalicopy apply -f DIR of {count} GlobalNetworkPolicies (one file each); both paths: {setting}, "
        f"{qps:g} requests/s, burst {burst}"
    )
    policies = workdir / "policies"
    _write_policies(policies, count)
    command = [sys.executable, "-m", "calicopy", "apply", "-f", str(policies)]
    results: dict[str, dict[str, tuple[float, int]]] = {"bulk": {}, "sequential": {}}
    for mode, extra in (("bulk", []), ("sequential", ["--sequential"])):
        with FakeKubeAPIServer() as server:
            config = workdir / f"{mode}.cfg"
            config.write_text(_config(str(server.kubeconfig_path), limits))
            argv = [*command, "-c", str(config), *extra]
            for phase, changed in (
                ("create", None),
                ("re-apply, unchanged", 0),
                ("re-apply, 1 in 10 changed", count // 10),
            ):
                if changed:
                    _write_policies(policies, count, changed)
                before = _requests(server)
                took = _time(argv, env)
                after = _requests(server)
                results[mode][phase] = (took, after[0] - before[0])
                print(
                    f"  {mode:10} {phase:26} {took:7.2f} s   {after[0] - before[0]:5} requests "
                    f"({after[1] - before[1]:5} writes)"
                )
            _write_policies(policies, count)
    print(
        "  ratios (sequential / bulk, same run)"
        + ("; bound: the ratio the request budget allows" if limits is None else "")
    )
    for phase, (took, requests) in results["bulk"].items():
        seq_took, seq_requests = results["sequential"][phase]
        line = f"    {phase:26} x{seq_took / took:5.1f}"
        if limits is None:
            # At qps requests/s after a burst, n requests take at least (n - burst) / qps seconds.
            floor = max(requests - burst, 0) / qps
            seq_floor = max(seq_requests - burst, 0) / qps
            bound = f"x{seq_floor / floor:5.1f}" if floor > 0 else "unbounded (within the burst)"
            line += f"   (bound {bound}: {seq_requests} vs {requests} requests)"
        print(line)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs and 200 policies")
    parser.add_argument("--runs", type=int, default=None, help="runs per timed command (default 11, quick 5)")
    parser.add_argument("--policies", type=int, default=None, help="policies to apply (default 1000, quick 200)")
    parser.add_argument("--skip-apply", action="store_true", help="only startup and get")
    parser.add_argument(
        "--limits",
        choices=("default", "unlimited", "both"),
        default="both",
        help="client-side limits of the apply runs (the same on both paths)",
    )
    args = parser.parse_args(argv)
    runs = args.runs or (5 if args.quick else 11)
    count = args.policies or (200 if args.quick else 1000)
    with tempfile.TemporaryDirectory(prefix="calicopy-bench-cli-") as tmp:
        workdir = Path(tmp)
        env = _env(str(workdir / "pycache"))
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"calicopy CLI benchmark ({os.cpu_count()} CPUs, load average {load:.2f})\n")
        startup(env, runs)
        get_ippools(env, runs, workdir)
        if not args.skip_apply:
            if args.limits in ("default", "both"):
                apply_directory(env, count, workdir, None)
            if args.limits in ("unlimited", "both"):
                apply_directory(env, count, workdir, LIFTED_LIMITS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
