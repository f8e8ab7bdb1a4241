"""The generated kind table, the registry built on it, lazy model loading, and the generator's check."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import calicopy
import calicopy.resources.generated.kinds as kinds
from calicopy.resources import registry
from calicopy.resources.defaults import DEFAULTERS, READ_DEFAULTERS
from calicopy.resources.meta import Resource
from calicopy.resources.model import CalicoModel
from calicopy.resources.validation import STRUCT_CHECKS

ROOT = Path(__file__).resolve().parents[1]
GENERATED = frozenset(kinds.CLASS_MODULES.values())


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return out.stdout.strip()


# -- the table agrees with the models -------------------------------------------------------------


def test_every_kind_has_a_model_of_that_kind() -> None:
    assert len(kinds.KIND_FACTS) == len(registry.KINDS) == 25
    for facts in kinds.KIND_FACTS:
        info = registry.lookup(facts.kind)
        module = importlib.import_module(f"{kinds.MODELS_PACKAGE}.{facts.module}")
        model = getattr(module, facts.class_name)
        assert info.model is model
        assert issubclass(model, Resource)
        assert model.KIND == facts.kind == model.__name__


def test_class_index_names_every_generated_class() -> None:
    for module_name in GENERATED:
        module = importlib.import_module(f"{kinds.MODELS_PACKAGE}.{module_name}")
        defined = {
            name
            for name, value in vars(module).items()
            if inspect.isclass(value) and value.__module__ == module.__name__
        }
        indexed = {name for name, where in kinds.CLASS_MODULES.items() if where == module_name}
        assert defined == indexed, module_name


def test_policy_kinds_are_the_tiered_ones() -> None:
    policies = {info.kind for info in registry.all_kinds() if info.is_policy}
    assert policies == {"NetworkPolicy", "GlobalNetworkPolicy", "StagedNetworkPolicy", "StagedGlobalNetworkPolicy"}
    for kind in policies:
        assert "tier" in registry.lookup_model(kind).model_fields["spec"].annotation.model_fields


def test_facts_read_from_calico() -> None:
    pool = registry.lookup("IPPool")
    assert (pool.plural, pool.namespaced, pool.v1_kind, pool.v1_plural) == ("ippools", False, "IPPool", "ippools")
    assert pool.calicoctl_names == ("ippool", "ippools", "ipp", "ipps", "pool", "pools")
    ipam = registry.lookup("IPAMConfiguration")
    assert (ipam.v1_kind, ipam.v1_plural, ipam.calicoctl_names) == ("IPAMConfig", "ipamconfigs", ())
    wep = registry.lookup("WorkloadEndpoint")
    assert (wep.plural, wep.namespaced, wep.v1_kind) == ("workloadendpoints", True, None)
    assert registry.kind_for_name("GNP") is registry.lookup("GlobalNetworkPolicy")
    assert registry.kind_for_name("IPPools") is pool
    assert registry.kind_for_name("nope") is None


def test_rule_tables_name_real_classes() -> None:
    # Keys are names, so a misspelt one would silently switch a rule off.
    for info in registry.all_kinds():
        info.model  # noqa: B018  (loads every generated module)
    model_names = {cls.__name__ for cls in _subclasses(CalicoModel)}
    assert set(STRUCT_CHECKS) <= model_names, set(STRUCT_CHECKS) - model_names
    kind_names = set(registry.KINDS)
    assert set(DEFAULTERS) <= kind_names
    assert set(READ_DEFAULTERS) <= kind_names


def test_class_names_are_unique() -> None:
    # Rule tables key classes by name: two model classes of one name would share rules.
    for info in registry.all_kinds():
        info.model  # noqa: B018
    names = [cls.__name__ for cls in _subclasses(CalicoModel) if cls.__module__.startswith("calicopy.")]
    assert len(names) == len(set(names))


def _subclasses(cls: type) -> set[type]:
    seen: set[type] = set()
    todo = [cls]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return seen


# -- lazy loading --------------------------------------------------------------------------------


def test_registry_imports_no_model() -> None:
    code = (
        "import sys\n"
        "import calicopy.resources.registry as r\n"
        "r.kind_for_name('gnp'); r.lookup('IPPool').plural\n"
        f"generated = {sorted(GENERATED)!r}\n"
        "print(sorted(m for m in sys.modules if m.rpartition('.')[2] in generated or m.startswith('pydantic')))\n"
    )
    assert _run(code) == "[]"


def test_a_kind_loads_only_its_own_modules() -> None:
    code = (
        "import sys, calicopy\n"
        "calicopy.IPPool\n"
        f"generated = {sorted(GENERATED)!r}\n"
        "print(sorted(m.rpartition('.')[2] for m in sys.modules if m.rpartition('.')[2] in generated))\n"
    )
    assert _run(code) == "['ippool']"


def test_lazy_names_resolve() -> None:
    import calicopy.resources as resources

    assert resources.IPPoolSpec is importlib.import_module(f"{kinds.MODELS_PACKAGE}.ippool").IPPoolSpec
    assert resources.KINDS is registry.KINDS
    assert calicopy.Tier is registry.lookup_model("Tier")
    assert {f.kind for f in kinds.KIND_FACTS} <= set(calicopy.__all__)
    with pytest.raises(AttributeError):
        resources.NoSuchModel  # noqa: B018


# -- the generator -------------------------------------------------------------------------------


@pytest.mark.skipif(not (ROOT / "tools" / "gen_models.py").exists(), reason="tools/ not present")
def test_committed_generated_code_matches_a_fresh_render() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_models.py"), "render", "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_generated_files_say_so() -> None:
    package = Path(importlib.import_module(kinds.MODELS_PACKAGE).__file__ or "").parent
    for name in sorted({*GENERATED, "kinds"}):
        first = (package / f"{name}.py").read_text().splitlines()[0]
        assert "generated" in first.lower() and "do not edit" in first, name
