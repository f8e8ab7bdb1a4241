"""Developer sessions: tests, lint, typecheck, docs, bench (``pip install nox`` then ``nox -s <name>``)."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
SOURCES = ["calicopy", "tests", "benchmarks", "examples", "tools", "noxfile.py"]
# The oldest Python calicopy supports and the newest: behaviour differs between them (3.11's
# int has no is_integer(), for one), so the suite runs on both (``nox -s tests-3.11``).
PYTHONS = ["3.11", "3.13"]


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff", "import-linter")
    session.run("ruff", "check", *SOURCES)
    session.run("ruff", "format", "--check", *SOURCES)
    session.install("-e", ".")
    session.run("lint-imports")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("mypy", "--strict", "calicopy")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the user pages in docs/ (mkdocs, strict: broken links fail)."""
    session.install("-e", ".[docs]")
    session.run("mkdocs", "build", "--strict", "--site-dir", "build/site")


@nox.session
def bench(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("python", "benchmarks/bench_load.py", *session.posargs)


@nox.session
def regen(session: nox.Session) -> None:
    """Re-render the generated models and kind table from tools/calico-api-<version>.json.

    ``nox -s regen -- --check`` (CI) only compares: it fails when a committed generated file
    differs from a fresh render.  Extracting facts from a new Calico release is a separate,
    manual step: ``python tools/gen_models.py extract /path/to/calico``.
    """
    session.install("ruff", "pyyaml")
    session.run("python", "tools/gen_models.py", "render", *session.posargs)
