"""The README's two set-up commands stay true, and CI runs the same test command."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = "pip install -e . && calicopy demo"
TESTS = "pip install -e '.[test]' && pytest"


def test_readme_has_the_two_setup_commands_near_the_top() -> None:
    head = "\n".join((ROOT / "README.md").read_text().splitlines()[:20])
    assert DEMO in head
    assert TESTS in head


def test_ci_runs_the_readme_test_command() -> None:
    assert TESTS in (ROOT / ".ci" / "run").read_text()
