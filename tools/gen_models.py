"""Generate calicopy's pydantic models and kind table from Calico's Go API types, in two steps.

Calico's Go structs are the specification of the projectcalico.org/v3 model: field order,
``json`` tags (names, omitempty/omitzero), pointer-ness, ``validate`` tags and kubebuilder
markers (enums, limits, defaults); its CRDs and calicoctl state the per-kind facts.

    python tools/gen_models.py extract /path/to/calico   # Go sources -> tools/calico-api-<version>.json
    python tools/gen_models.py render                    # that file -> calicopy/resources/generated/
    python tools/gen_models.py render --check            # fail if the committed modules differ

``extract`` needs a checkout of github.com/projectcalico/calico (``api``, ``libcalico-go`` and
``calicoctl`` are enough) and is run when targeting a new Calico release; its output is a
committed, deterministic data file.  ``render`` needs only that file, so CI (``nox -s regen --
--check``) can prove the committed generated code is what the generator writes.
"""

from __future__ import annotations

import argparse
import difflib
import json
import shutil
import sys
import tempfile
from pathlib import Path

import gen_extract
import gen_render

ROOT = Path(__file__).resolve().parents[1]
CALICO_VERSION = "v3.32.1"
DATA_FILE = ROOT / "tools" / f"calico-api-{CALICO_VERSION}.json"
# Generated code lives in its own package; every .py file there is the generator's.
OUTPUT_DIR = ROOT / "calicopy" / "resources" / "generated"


def extract(calico_root: Path, data_file: Path) -> None:
    facts = gen_extract.extract(calico_root, CALICO_VERSION)
    data_file.write_text(json.dumps(facts, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    print(f"wrote {data_file.relative_to(ROOT)} ({len(facts['structs'])} structs, {len(facts['kinds'])} kinds)")


def render(data_file: Path, out_dir: Path, *, check: bool) -> int:
    facts = json.loads(data_file.read_text())
    with tempfile.TemporaryDirectory(prefix="calicopy-render-") as tmp:
        fresh = Path(tmp)
        names = gen_render.Generator(facts).emit(fresh)
        if check:
            return _compare(fresh, out_dir, names)
        out_dir.mkdir(exist_ok=True)
        for stale in sorted({p.name for p in out_dir.glob("*.py")} - set(names)):
            (out_dir / stale).unlink()
            print(f"removed stale {stale}")
        for name in names:
            shutil.copyfile(fresh / name, out_dir / name)
        print(f"wrote {len(names)} modules into {out_dir.relative_to(ROOT)}")
    return 0


def _compare(fresh: Path, committed: Path, names: list[str]) -> int:
    problems = 0
    for name in names:
        new = (fresh / name).read_text().splitlines(keepends=True)
        target = committed / name
        if not target.exists():
            print(f"missing: {target.relative_to(ROOT)}")
            problems += 1
            continue
        old = target.read_text().splitlines(keepends=True)
        if old != new:
            diff = list(difflib.unified_diff(old, new, f"committed/{name}", f"rendered/{name}"))
            changed = sum(1 for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---")))
            print(f"differs: {target.relative_to(ROOT)} ({changed} lines)")
            sys.stdout.writelines(diff[:40])
            problems += 1
    for stale in sorted({p.name for p in committed.glob("*.py")} - set(names)):
        print(
            f"not generated: {(committed / stale).relative_to(ROOT)} (the generated package holds only generated files)"
        )
        problems += 1
    if problems:
        print(f"{problems} generated file(s) differ from a fresh render; run: python tools/gen_models.py render")
        return 1
    print(f"{len(names)} generated files match {DATA_FILE.name}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    ext = sub.add_parser("extract", help="read a Calico source tree into the data file")
    ext.add_argument("calico_root", type=Path)
    ext.add_argument("--data", type=Path, default=DATA_FILE)
    ren = sub.add_parser("render", help="write the Python modules from the data file")
    ren.add_argument("--data", type=Path, default=DATA_FILE)
    ren.add_argument("--check", action="store_true", help="compare with the committed files instead of writing")
    args = parser.parse_args(argv)
    if args.command == "extract":
        extract(args.calico_root, args.data)
        return 0
    return render(args.data, OUTPUT_DIR, check=args.check)


if __name__ == "__main__":
    sys.exit(main())
