"""`calicopy demo` walks the seed scenario through the real KDD path on an in-process fake API server."""

from __future__ import annotations

from click.testing import CliRunner

from calicopy.cli import main


def test_demo_runs_the_seed_scenario() -> None:
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "http://127.0.0.1:" in out
    assert "datastoreType: kubernetes" in out
    # pool1 (v3) and pool3 (crd.projectcalico.org/v1) both stored and listed as calicoctl's wide table
    assert (
        "pool1   10.245.1.0/24   true   Never      Never       false      false              all()      Automatic"
        in out
    )
    assert "pool3   10.245.3.0/24" in out
    assert "10.9.0.0/16" in out and "not strictly masked" in out
    # the stored CR carries libcalico-go's metadata annotation
    assert '"apiVersion": "crd.projectcalico.org/v1"' in out
    assert "projectcalico.org/metadata" in out
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip().startswith("production/")}
    assert "selected: True" in lines["production/redis-0"]
    assert "may connect on TCP 6379: True" in lines["production/web-7d9f"]
    assert "selected: False" in lines["production/batch-1"]
