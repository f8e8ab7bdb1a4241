"""The Python examples of the guides run, and the values their comments promise are the values.

A line ``expression  # literal`` (or ``print(expression)  # literal``) whose comment is a Python
literal becomes ``assert expression == literal``; other comments are prose.  The blocks of one
page run in order in one namespace, as a reader would type them.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from calicopy.testing import FakeKubeAPIServer

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
CHECKED_LINE = re.compile(r"^(?P<indent>\s*)(?P<expr>[^#\s][^#]*?)\s+#\s*(?P<comment>.+?)\s*$")


def python_blocks(page: str) -> list[str]:
    return BLOCK.findall((ROOT / "docs" / page).read_text())


def _literal(text: str) -> tuple[bool, Any]:
    try:
        return True, ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None


def _is_expression(text: str) -> bool:
    try:
        ast.parse(text, mode="eval")
    except SyntaxError:
        return False
    return True


def with_checks(block: str) -> str:
    """The block with each ``expression  # literal`` line turned into an assertion."""
    lines = []
    for line in block.splitlines():
        match = CHECKED_LINE.match(line)
        if match and _is_expression(match["expr"]) and _literal(match["comment"])[0]:
            expr = match["expr"]
            call = ast.parse(expr, mode="eval").body
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "print":
                expr = ast.unparse(call.args[0])
            line = f"{match['indent']}assert ({expr}) == ({match['comment']}), {expr!r}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def run_page(page: str, namespace: dict[str, Any], skip: tuple[str, ...] = ()) -> int:
    """Run the page's blocks in order; blocks containing any of ``skip`` are left out."""
    checks = 0
    for block in python_blocks(page):
        if any(marker in block for marker in skip):
            continue
        code = with_checks(block)
        checks += code.count("assert (")
        exec(compile(code, f"docs/{page}", "exec"), namespace)
    return checks


def test_with_checks_turns_literal_comments_into_assertions() -> None:
    code = with_checks("x = 1\nx + 1   # 2\nprint(x)  # 1\nx  # one, in prose\n")
    assert code.splitlines()[1:] == ["assert (x + 1) == (2), 'x + 1'", "assert (x) == (1), 'x'", "x  # one, in prose"]
    with pytest.raises(AssertionError):
        exec(with_checks("x = 1\nx  # 2\n"), {})


def test_selectors_guide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert run_page("selectors.md", {}) >= 10


def test_models_guide(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    assert run_page("models.md", {}) >= 5
    printed = capsys.readouterr().out
    # The ValidationError example prints what its comment lines show.
    assert "spec.cidr 10.9.0.0/16 IPPool CIDR is not strictly masked" in printed


def test_models_guide_quotes_the_error_texts() -> None:
    import calicopy
    from calicopy import IPPool

    page = (ROOT / "docs" / "models.md").read_text()
    stored = IPPool.from_storage({"metadata": {"name": "p"}, "spec": {"cidr": "10.9.0.5/16"}})
    with pytest.raises(calicopy.ValidationError) as info:
        calicopy.default(stored)
    quoted = "`IPPool(p): error with field spec.cidr = '10.9.0.0/16' (IPPool CIDR is not strictly\n  masked)`"
    assert quoted in page
    assert str(info.value) == quoted.strip("`").replace("\n  ", " ")
    with pytest.raises(calicopy.ValidationError) as info:
        IPPool(metadata={"name": "p"}, spec={"cidr": "10.9.0.5/16"})
    assert str(info.value) == quoted.strip("`").replace("\n  ", " ")  # clientv3 checks before the validator
    unchecked = IPPool.from_dict({"metadata": {"name": "p"}, "spec": {"cidr": "10.9.0.5/16"}}, check=False)
    verdict = calicopy.validate([unchecked])
    assert "spec.cidr = '10.9.0.0/16' (IP pool CIDR is not strictly masked)" in str(verdict.errors[0])
    assert "`spec.cidr = '10.9.0.0/16' (IP pool CIDR is not strictly masked)`" in page


def test_manifests_guide_directory_example(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    [block] = [b for b in python_blocks("manifests.md") if "load_all" in b]
    exec(with_checks(block), {})
    lines = capsys.readouterr().out.splitlines()
    assert "examples/manifests/pool1.yaml 1 ['pool1']" in lines
    assert len(lines) == 3


def test_testing_guide_server_blocks() -> None:
    with FakeKubeAPIServer() as server:
        # The fault-injection block works on a server the reader already has.
        run_page("testing.md", {"server": server}, skip=("def test_", "# mytool/", "store = Store"))
    run_page("testing.md", {}, skip=("def test_", "# mytool/", "server.faults"))


def test_testing_guide_pytest_examples(tmp_path: Path) -> None:
    pytest.importorskip("kubernetes")
    blocks = python_blocks("testing.md")
    [module] = [b for b in blocks if b.startswith("# mytool/pools.py")]
    tests = [b for b in blocks if "def test_" in b]
    assert len(tests) == 2
    (tmp_path / "mytool").mkdir()
    (tmp_path / "mytool" / "__init__.py").write_text("")
    (tmp_path / "mytool" / "pools.py").write_text(module)
    for number, block in enumerate(tests):
        (tmp_path / f"test_guide_{number}.py").write_text(textwrap.dedent(block))
    # The guide says nothing goes in conftest.py; the suite's own conftest loads the plugin
    # explicitly for runs where calicopy is not installed.
    (tmp_path / "conftest.py").write_text(
        "import importlib.metadata\n"
        "if not any(ep.name == 'calicopy' for ep in importlib.metadata.entry_points(group='pytest11')):\n"
        "    pytest_plugins = ['calicopy.testing.pytest_plugin']\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout
