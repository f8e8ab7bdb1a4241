"""The documented idioms type-check as user code (issue 9 item 15): ``mypy --strict`` over
``examples/`` and over one module holding every Python snippet of README.md and docs/.

Each page becomes one function whose body is its snippets in order (a reader carries names from
one snippet of a page to the next, never across pages); the names the prose says the snippets
work on (``pool``, ``client``, ``server``, ``text``) and that no snippet binds are the function's
typed parameters.  A snippet whose first line names a file
(``# mytool/pools.py``) is written to that file, as the page tells the reader to.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Names a page introduces in its prose (or in an earlier snippet) and later snippets use.
CONTEXT = {
    "pool": "IPPool",
    "client": "Client",
    "server": "FakeKubeAPIServer",
    "text": "str",
}
PREAMBLE = """\
from __future__ import annotations

import calicopy
from calicopy import Client, IPPool
from calicopy.testing import FakeKubeAPIServer
"""
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
_FILE_HEADER = re.compile(r"# ([\w/]+\.py)\n")


def snippets() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for index, match in enumerate(_BLOCK.finditer(page.read_text())):
            found.append((f"{page.name}:{index}", match.group(1)))
    return found


def _binds(code: str, name: str) -> bool:
    return re.search(rf"(import .*\b{name}\b|\bas {name}\b|^\s*{name}\s*=)", code, re.M) is not None


def build(directory: Path) -> Path:
    pages: dict[str, list[str]] = {}
    for where, code in snippets():
        header = _FILE_HEADER.match(code)
        if header:
            target = directory / header.group(1)
            target.parent.mkdir(parents=True, exist_ok=True)
            (target.parent / "__init__.py").touch()
            target.write_text("from __future__ import annotations\n\n" + code)
            continue
        pages.setdefault(where.split(":")[0], []).append(f"# {where}\n{code}")
    functions = []
    for number, (page, codes) in enumerate(pages.items()):
        code = "\n".join(codes)
        params = ", ".join(
            f"{name}: {kind}"
            for name, kind in CONTEXT.items()
            if re.search(rf"\b{name}\b", code) and not _binds(code, name)
        )
        functions.append(f"# {page}\ndef page_{number}({params}) -> None:\n{textwrap.indent(code, '    ')}")
    module = directory / "doc_snippets.py"
    module.write_text(PREAMBLE + "\n\n" + "\n\n".join(functions))
    return module


def test_every_page_has_its_snippets_collected() -> None:
    found = {where.split(":")[0] for where, _ in snippets()}
    assert {"README.md", "models.md", "validation.md", "client.md"} <= found


def test_documented_idioms_and_examples_pass_mypy_strict(tmp_path: Path) -> None:
    api = pytest.importorskip("mypy.api")
    module = build(tmp_path)
    extra = [str(p) for p in tmp_path.rglob("*.py") if p != module and p.name != "__init__.py"]
    stdout, stderr, status = api.run(
        [
            "--strict",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            str(module),
            *extra,
            str(ROOT / "examples"),
        ]
    )
    assert status == 0, stdout + stderr + "\n" + module.read_text()


def test_an_editable_install_is_a_plain_path_entry() -> None:
    # setuptools writes a static .pth (a directory mypy follows) instead of its import-hook finder,
    # which type checkers cannot see, when the packages' root is declared as the project root.
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert config["package-dir"] == {"": "."}
    assert config["packages"]["find"]["include"] == ["calicopy*"]
