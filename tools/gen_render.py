"""Step 2 of the model generator: write calicopy's Python modules from the extracted facts.

Input: the data file ``gen_extract`` wrote (Go structs, named types, kind facts).  Output, into
one package: one pydantic module per Go file (``ippool.py`` ...), ``kinds.py``, the kind
table (pure data, standard library only), and the package's ``__init__.py``.  ``render`` never reads Go; ``ruff`` formats the
result so that a fresh render can be compared byte for byte with the committed files.
"""

from __future__ import annotations

import importlib.util
import keyword
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _load_snake_case() -> Callable[[str], str]:
    # By file path: importing the calicopy package would import the modules being regenerated.
    path = ROOT / "calicopy" / "_names.py"
    spec = importlib.util.spec_from_file_location("_calicopy_names", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.snake_case  # type: ignore[no-any-return]


snake_case = _load_snake_case()

# Types defined outside the generated files, by their Go spelling.
EXTERNAL: dict[str, tuple[str, str]] = {
    # go type: (python type, import line)
    "metav1.Duration": ("Duration", "from ..types import Duration"),
    "metav1.Time": ("GoTime", "from ..types import GoTime"),
    "metav1.Condition": ("Condition", "from ..k8s import Condition"),
    "metav1.LabelSelector": ("LabelSelector", "from ..k8s_networking import LabelSelector"),
    "networkingv1.NetworkPolicyIngressRule": (
        "NetworkPolicyIngressRule",
        "from ..k8s_networking import NetworkPolicyIngressRule",
    ),
    "networkingv1.NetworkPolicyEgressRule": (
        "NetworkPolicyEgressRule",
        "from ..k8s_networking import NetworkPolicyEgressRule",
    ),
    "networkingv1.PolicyType": ("str", ""),
    "k8sv1.SecretKeySelector": ("SecretKeySelector", "from ..k8s import SecretKeySelector"),
    "numorstring.Port": ("Port", "from ..types import Port"),
    "numorstring.Protocol": ("Protocol", "from ..types import Protocol"),
    "numorstring.ASNumber": ("ASNumber", "from ..types import ASNumber"),
    "numorstring.DSCP": ("DSCP", "from ..types import DSCP"),
}
SCALARS: dict[str, tuple[str, str]] = {
    "string": ("str", ""),
    "bool": ("bool", ""),
    "int": ("int", ""),
    "int64": ("Int64", "from ..types import Int64"),
    "int32": ("Int32", "from ..types import Int32"),
    "int8": ("Int8", "from ..types import Int8"),
    "uint8": ("Uint8", "from ..types import Uint8"),
    "uint16": ("Uint16", "from ..types import Uint16"),
    "uint32": ("Uint32", "from ..types import Uint32"),
    "uint64": ("Uint64", "from ..types import Uint64"),
    "float64": ("GoFloat", "from ..types import GoFloat"),
    "float32": ("GoFloat", "from ..types import GoFloat"),
}
ZERO = {"str": '""', "GoTime": '""', "bool": "False", "int": "0", "GoFloat": "0.0", "Duration": '"0s"'}

# Kinds calicopy models (the struct embedding metav1.ObjectMeta); the others (LiveMigration) stay internal.
SKIP_TYPES = {"LiveMigration", "LiveMigrationSpec", "LiveMigrationStatus", "LiveMigrationSource", "LiveMigrationTarget"}


@dataclass
class GoFieldDef:
    go_name: str
    go_type: str
    json_name: str
    omit: str
    validate: str
    markers: dict[str, str]
    doc: str
    embedded: bool = False


@dataclass
class GoStruct:
    name: str
    module: str
    doc: str
    markers: dict[str, str]
    fields: list[GoFieldDef] = field(default_factory=list)


@dataclass
class GoNamed:
    name: str
    module: str
    underlying: str
    enum: tuple[str, ...] | None
    markers: dict[str, str] = field(default_factory=dict)


@dataclass
class PyType:
    text: str
    model: str | None  # name of a generated/external model class, for defaults
    is_scalar: bool
    imports: set[str]
    enum: tuple[str, ...] | None = None
    item_enum: tuple[str, ...] | None = None
    markers: dict[str, str] = field(default_factory=dict)  # kubebuilder markers of a named type


class Generator:
    def __init__(self, facts: dict[str, Any]) -> None:
        self.calico_version: str = facts["calico_version"]
        self.files: dict[str, str] = facts["files"]
        self.structs: dict[str, GoStruct] = {}
        self.named: dict[str, GoNamed] = {}
        self.kinds: list[dict[str, Any]] = facts["kinds"]
        for s in facts["structs"]:
            if s["name"] not in SKIP_TYPES:
                fields = [GoFieldDef(**f) for f in s["fields"]]
                self.structs[s["name"]] = GoStruct(s["name"], self.files[s["file"]], s["doc"], s["markers"], fields)
        for n in facts["named"]:
            markers = n["markers"]
            enum = _enum_values(markers["Enum"]) if "Enum" in markers else None
            self.named[n["name"]] = GoNamed(n["name"], self.files[n["file"]], n["underlying"], enum, markers)

    def resolve(self, go_type: str, module: str) -> PyType:
        imports: set[str] = set()
        if go_type.startswith("*"):
            inner = self.resolve(go_type[1:], module)
            return PyType(
                inner.text, inner.model, inner.is_scalar, inner.imports, inner.enum, inner.item_enum, inner.markers
            )
        if go_type.startswith("[]"):
            inner = self.resolve(go_type[2:], module)
            item = f"{inner.text} | None" if go_type.startswith("[]*") else inner.text  # nil elements
            return PyType(f"list[{item}]", None, False, inner.imports, None, inner.enum)
        if go_type.startswith("map["):
            m = re.match(r"map\[(\w+)\](.+)", go_type)
            assert m, go_type
            inner = self.resolve(m.group(2), module)
            return PyType(f"dict[str, {inner.text}]", None, False, inner.imports)
        if go_type in SCALARS:
            text, imp = SCALARS[go_type]
            if imp:
                imports.add(imp)
            return PyType(text, None, True, imports)
        if go_type in EXTERNAL:
            text, imp = EXTERNAL[go_type]
            if imp:
                imports.add(imp)
            is_model = text[0].isupper() and text not in ("Duration", "GoTime", "Port", "Protocol", "ASNumber", "DSCP")
            return PyType(text, text if is_model else None, not is_model, imports)
        if go_type in self.structs:
            st = self.structs[go_type]
            if st.module != module:
                imports.add(f"from .{st.module} import {go_type}")
            return PyType(go_type, go_type, False, imports)
        if go_type in self.named:
            nm = self.named[go_type]
            inner = self.resolve(nm.underlying, module)
            if nm.underlying.startswith("[]"):
                return inner
            markers = {k: v for k, v in nm.markers.items() if k != "Enum"}
            return PyType(inner.text, inner.model, inner.is_scalar, inner.imports, nm.enum, None, markers)
        if "." in go_type:
            raise SystemExit(f"unmapped external type {go_type}")
        raise SystemExit(f"unknown type {go_type} in {module}")

    def field_lines(self, st: GoStruct, f: GoFieldDef, module: str, imports: set[str]) -> list[str]:
        if f.go_type in ("metav1.TypeMeta", "metav1.ObjectMeta", "metav1.ListMeta"):
            return []  # provided by Resource
        if f.embedded:
            inner = self.structs[f.go_type]
            lines: list[str] = []
            for sub in inner.fields:
                lines += self.field_lines(st, sub, module, imports)
            return lines
        pointer = f.go_type.startswith("*")
        ty = self.resolve(f.go_type, module)
        imports |= ty.imports
        container = ty.text.startswith(("list[", "dict["))
        markers = {**ty.markers, **f.markers}
        enum = _enum_values(markers["Enum"]) if "Enum" in markers else ty.enum
        item_enum = ty.item_enum
        if container and enum and not item_enum:
            item_enum, enum = enum, None
        if f.omit == "omitzero":
            omit = "zero"
        elif f.omit == "omitempty":
            omit = "nil" if (pointer or (ty.model and not container)) else "empty"
            if ty.model and not container and not pointer:
                omit = "never"  # encoding/json never omits a struct for omitempty
        else:
            omit = "never"
        go_args: list[str] = []
        if omit != "never":
            go_args.append(f'omit="{omit}"')
        validate = tuple(t for t in f.validate.split(",") if t) if f.validate else ()
        if validate:
            go_args.append(f"validate={validate!r}")
        # The Go name is what a go-template names the field by; it is written wherever it is not
        # just the JSON name capitalised (NATOutgoing, CIDR), and where validation messages name it.
        if validate or f.go_name != f.json_name[:1].upper() + f.json_name[1:]:
            go_args.insert(0, f'go_name="{f.go_name}"')
        if enum:
            go_args.append(f"enum={enum!r}")
        if item_enum:
            go_args.append(f"item_enum={item_enum!r}")
        for marker, arg, conv in (
            ("Minimum", "minimum", float),
            ("Maximum", "maximum", float),
            ("MinLength", "min_length", int),
            ("MaxLength", "max_length", int),
            ("MinItems", "min_items", int),
            ("MaxItems", "max_items", int),
        ):
            if marker in markers:
                value = conv(markers[marker])
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                go_args.append(f"{arg}={value!r}")
        if "Pattern" in markers:
            go_args.append(f"pattern={markers['Pattern'].strip('`')!r}")
        if "Format" in markers:
            go_args.append(f"format={markers['Format']!r}")
        if "Required" in markers or "required" in markers:
            go_args.append("required=True")
        if markers.get("listType") == "set":
            go_args.append("list_set=True")
        if "kb:default" in markers:
            go_args.append(f"default={_go_default(markers['kb:default'])!r}")

        py_name = snake_case(f.json_name)
        if keyword.iskeyword(py_name) or py_name in RESERVED:
            py_name += "_"
        # Defaults: pointers and nil-able containers start as None; value types start at Go's zero.
        if pointer:
            annotation = f"{ty.text} | None"
            default = "None"
        elif container:
            if omit in ("empty", "zero"):
                annotation = ty.text
                default = "list" if ty.text.startswith("list[") else "dict"
                default = f"default_factory={default}"
            else:
                annotation = f"{ty.text} | None"
                default = "None"
        elif ty.model:
            annotation = ty.text
            default = f"default_factory={ty.text}"
        elif ty.text in ZERO:
            annotation = ty.text
            default = ZERO[ty.text]
        elif ty.text in ("Int64", "Int32", "Int8", "Uint8", "Uint16", "Uint32", "Uint64", "ASNumber"):
            annotation = ty.text
            default = "0"
        else:
            annotation = f"{ty.text} | None"
            default = "None"
        go_expr = f"GoField({', '.join(go_args)})"
        doc = _first_sentence(f.doc)
        desc = f", description={doc!r}" if doc else ""
        if default.startswith("default_factory"):
            field_expr = f'Field({default}, alias="{f.json_name}"{desc})'
        else:
            field_expr = f'Field({default}, alias="{f.json_name}"{desc})'
        line = f"    {py_name}: Annotated[{annotation}, {go_expr}] = {field_expr}"
        return [line]

    def emit(self, out_dir: Path) -> list[str]:
        """Write every generated module into ``out_dir``; return their file names."""
        written: list[str] = []
        by_module: dict[str, list[GoStruct]] = {}
        for st in self.structs.values():
            if st.name.endswith("List") and any(f.go_type == "metav1.ListMeta" for f in st.fields):
                continue
            by_module.setdefault(st.module, []).append(st)
        for module, structs in by_module.items():
            imports: set[str] = set()
            bodies: list[str] = []
            for st in self._ordered(structs):
                bodies.append(self.emit_struct(st, module, imports))
            enum_block = self.emit_enums(module)
            header = [
                f'"""projectcalico.org/v3 models from Calico\'s ``{self.go_file(module)}`` (generated by tools/gen_models.py; do not edit)."""',
                "",
                "from __future__ import annotations",
                "",
                "from enum import StrEnum" if enum_block else "",
                "from collections.abc import Mapping" if any("(Resource)" in b for b in bodies) else "",
                "from typing import TYPE_CHECKING, Annotated, Any, ClassVar"
                if any("(Resource)" in b for b in bodies)
                else "from typing import Annotated, ClassVar"
                if any("ClassVar" in b for b in bodies)
                else "from typing import Annotated",
                "",
                "from pydantic import Field",
                "",
                "from ..meta import ObjectMeta, Resource" if any("(Resource)" in b for b in bodies) else "",
                "from ..model import CalicoModel, GoField",
            ]
            header += sorted(i for i in imports if i)
            text = "\n".join(h for h in header if h is not None) + "\n\n" + enum_block + "\n\n".join(bodies) + "\n"
            text = re.sub(r"\n{3,}(?=from)", "\n", text)
            (out_dir / f"{module}.py").write_text(text)
            written.append(f"{module}.py")
        (out_dir / "kinds.py").write_text(self.emit_kinds())
        written.append("kinds.py")
        (out_dir / "__init__.py").write_text(PACKAGE_DOC.format(version=self.calico_version))
        written.append("__init__.py")
        # The project's ruff settings, wherever out_dir is (render --check writes to a temporary directory).
        config = ["--config", str(ROOT / "pyproject.toml")]
        ruff = [sys.executable, "-m", "ruff"]
        subprocess.run([*ruff, "format", "--quiet", *config, str(out_dir)], check=True)
        subprocess.run([*ruff, "check", "--quiet", "--fix", *config, "--select", "I,F401", str(out_dir)], check=True)
        return sorted(written)

    def emit_kinds(self) -> str:
        """``kinds.py``: the kind table and the index of generated classes, as plain data."""
        records = []
        for k in self.kinds:
            module = self.files[k["file"]]
            names = ", ".join(repr(n) for n in k["calicoctl_names"])
            records.append(
                f"    KindFacts(kind={k['kind']!r}, plural={k['plural']!r}, namespaced={k['namespaced']!r}, "
                f"v1_kind={k['v1_kind']!r}, v1_plural={k['v1_plural']!r}, calicoctl_names=({names}{',' if len(k['calicoctl_names']) == 1 else ''}), "
                f"module={module!r}, class_name={k['kind']!r}, is_policy={k['is_policy']!r}),"
            )
        classes = {
            st.name: st.module
            for st in self.structs.values()
            if not (st.name.endswith("List") and any(f.go_type == "metav1.ListMeta" for f in st.fields))
        }
        classes.update({nm.name: nm.module for nm in self.named.values() if nm.enum})
        index = "\n".join(f"        {name!r}: {classes[name]!r}," for name in sorted(classes))
        return KINDS_TEMPLATE.format(version=self.calico_version, records="\n".join(records), index=index)

    def go_file(self, module: str) -> str:
        return next(rel for rel, mod in self.files.items() if mod == module)

    def _ordered(self, structs: list[GoStruct]) -> list[GoStruct]:
        # Source order, except that a struct comes after the structs it uses: default
        # factories are evaluated when the class body runs.
        names = {s.name: s for s in structs}
        done: list[GoStruct] = []
        seen: set[str] = set()

        def visit(st: GoStruct) -> None:
            if st.name in seen:
                return
            seen.add(st.name)
            for f in st.fields:
                refs = re.findall(r"\w+", f.go_type)
                refs += [r2 for r in refs if r in self.named for r2 in re.findall(r"\w+", self.named[r].underlying)]
                for ref in refs:
                    if ref in names:
                        visit(names[ref])
                    elif f.embedded and ref in self.structs:
                        for sub in self.structs[ref].fields:
                            for ref2 in re.findall(r"\w+", sub.go_type):
                                if ref2 in names:
                                    visit(names[ref2])
            done.append(st)

        for st in structs:
            visit(st)
        return done

    def emit_enums(self, module: str) -> str:
        out = []
        for nm in self.named.values():
            if nm.module == module and nm.enum:
                members = "\n".join(f"    {_enum_member(v)} = {v!r}" for v in nm.enum if v)
                out.append(
                    f'class {nm.name}(StrEnum):\n    """Values Calico accepts for ``{nm.name}``."""\n\n{members}\n'
                )
        return "\n\n".join(out) + ("\n\n" if out else "")

    def emit_struct(self, st: GoStruct, module: str, imports: set[str]) -> str:
        is_resource = any(f.go_type == "metav1.ObjectMeta" for f in st.fields)
        base = "Resource" if is_resource else "CalicoModel"
        doc = st.doc or f"{st.name} (Calico's Go struct of the same name)."
        doc_lines = textwrap.wrap(doc, 100)
        lines = [f"class {st.name}({base}):"]
        if len(doc_lines) == 1:
            lines.append(f'    """{_escape(doc_lines[0])}"""')
        else:
            lines.append(f'    """{_escape(doc_lines[0])}')
            lines += [f"    {_escape(d)}" for d in doc_lines[1:]]
            lines.append('    """')
        lines.append("")
        if is_resource:
            lines.append(f'    KIND: ClassVar[str] = "{st.name}"')
        fields: list[str] = []
        for f in st.fields:
            fields += self.field_lines(st, f, module, imports)
        lines += fields
        if is_resource:
            lines += self.typed_init(st, module)
        return "\n".join(lines) + "\n"

    def typed_init(self, st: GoStruct, module: str) -> list[str]:
        """The constructor as type checkers should see it (``IPPool(metadata={...}, spec={...})``):
        nested structs as models or plain mappings, everything optional.  At run time the
        Resource base's constructor does the work."""
        params = [
            "kind: str = ...",
            "apiVersion: str = ...",
            "metadata: ObjectMeta | Mapping[str, Any] = ...",
        ]
        for f in st.fields:
            if f.embedded or f.go_type in ("metav1.TypeMeta", "metav1.ObjectMeta"):
                continue
            ty = self.resolve(f.go_type, module)
            text = (
                f"{ty.text} | Mapping[str, Any]" if ty.model and not ty.text.startswith(("list[", "dict[")) else ty.text
            )
            if f.go_type.startswith("*"):
                text += " | None"
            params.append(f"{f.json_name}: {text} = ...")
        body = "".join(f"            {p},\n" for p in params)
        return [
            "",
            "    if TYPE_CHECKING:",
            "",
            f"        def __init__(\n            self,\n            /,\n            *,\n{body}        ) -> None: ...",
        ]


PACKAGE_DOC = '''"""Generated by tools/gen_models.py from Calico {version} (tools/calico-api-{version}.json); do not edit.

One pydantic module per Calico Go file (projectcalico.org/v3 kinds and the structs they embed)
and ``kinds.py``, the kind table.  Change the generator or its data file and re-render
(``python tools/gen_models.py render``); CI fails when these files differ from a fresh render.
Use the models through ``calicopy`` or ``calicopy.resources``: both load one kind at a time.
"""
'''

KINDS_TEMPLATE = '''"""The kind table (generated by tools/gen_models.py from Calico {version}; do not edit).

One record per projectcalico.org/v3 kind calicopy models: plural, scope, calicoctl's names,
crd.projectcalico.org/v1 names (``None``: not stored as a v1 custom resource), the module and
class of its model, and whether it is a tiered policy.  Pure data, standard library only: the
registry, ``calicopy``'s lazy names and the fake API server read it without importing a model.
Sources: Calico's CRDs (``api/config/crd``, ``libcalico-go/config/crd``), calicoctl's
``resourcemgr`` registrations and libcalico-go's ``model/resource.go`` / ``namespace/resource.go``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

__all__ = ["CALICO_VERSION", "CLASS_MODULES", "KIND_FACTS", "MODELS_PACKAGE", "KindFacts"]

CALICO_VERSION = "{version}"
# The package of the generated model modules named below (the one this table is generated into).
MODELS_PACKAGE = __name__.rpartition(".")[0]


class KindFacts(NamedTuple):
    kind: str
    plural: str
    namespaced: bool
    v1_kind: str | None
    v1_plural: str | None
    calicoctl_names: tuple[str, ...]
    module: str
    class_name: str
    is_policy: bool


KIND_FACTS: tuple[KindFacts, ...] = (
{records}
)

# Every class the generated modules define -> its module, for lazy attribute access.
CLASS_MODULES: Mapping[str, str] = MappingProxyType(
    {{
{index}
    }}
)
'''

RESERVED = {"model_config", "model_fields", "schema", "json", "dict", "copy", "validate", "construct", "fields"}


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"""', "'''")


def _first_sentence(doc: str) -> str:
    if not doc:
        return ""
    m = re.match(r"(.+?\.)(\s|$)", doc)
    text = m.group(1) if m else doc
    return text[:300]


def _enum_values(marker: str) -> tuple[str, ...]:
    return tuple(v.strip('"') for v in marker.split(";"))


def _go_default(value: str) -> object:
    value = value.strip()
    if value in ("true", "false"):
        return value == "true"
    if re.fullmatch(r"-?[0-9]+", value):
        return int(value)
    return value.strip('"')


def _enum_member(value: str) -> str:
    name = snake_case(value.replace("-", "_")).upper() or "EMPTY"
    if not name[0].isalpha():
        name = "V" + name
    return name
