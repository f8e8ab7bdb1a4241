"""`calicopy demo` runs the seed tour end to end, offline."""

from __future__ import annotations

from click.testing import CliRunner

from calicopy.cli import main


def test_demo_runs_the_seed_scenario() -> None:
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "name: pool1" in out and "blockSize: 26" in out
    assert "name: pool3" in out and "10.245.3.0/24" in out
    assert '"projectcalico.org/metadata": "{\\"creationTimestamp\\":null}"' in out
    assert "10.9.0.0/16" in out and "not strictly masked" in out
    assert "production/redis-0" in out
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip().startswith("production/")}
    assert "selected: True" in lines["production/redis-0"]
    assert "allowed to connect on TCP 6379: True" in lines["production/web-7d9f"]
    assert "selected: False" in lines["production/batch-1"]
