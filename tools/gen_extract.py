"""Step 1 of the model generator: read Calico's Go sources into plain facts (JSON-ready dicts).

What is read, and from where (paths relative to a checkout of github.com/projectcalico/calico):

* the projectcalico.org/v3 Go types of the files in ``FILES``: structs (field order, Go types,
  ``json``/``validate`` tags, kubebuilder markers, doc comments) and named types (enums);
* the kind facts:

  - kinds: the structs embedding ``metav1.ObjectMeta``;
  - plural and scope of CRD-backed kinds: the projectcalico.org CRDs in ``api/config/crd``;
  - plural and scope of kinds without a CRD (Node, Profile, WorkloadEndpoint):
    ``libcalico-go/lib/backend/model/resource.go`` (``registerResourceInfo``) and
    ``libcalico-go/lib/namespace/resource.go`` (``IsNamespaced``);
  - crd.projectcalico.org/v1 kind and plural: the CRDs in ``libcalico-go/config/crd``;
  - calicoctl's resource names and aliases: ``registerResource(...)`` calls in
    ``calicoctl/calicoctl/resourcemgr/*.go`` (whose ``isNamespaced`` argument is cross-checked);
  - ``is_policy``: the kind's spec has a ``Tier`` field (the tiered policy kinds).

Nothing here decides how the facts become Python; that is ``gen_render``'s job.  The Go
sources are read as data; no Go logic is translated.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

API_DIR = "api/pkg/apis/projectcalico/v3"
INTERNAL_DIR = "libcalico-go/lib/apis/internalapi"

# Go file -> Python module (one family per module).  Kinds are listed in this order, the order
# calicopy has always used for them (the fake API server's discovery documents follow it).
FILES: dict[str, str] = {
    f"{API_DIR}/policy_common.go": "policy_common",
    f"{API_DIR}/ippool.go": "ippool",
    f"{API_DIR}/ipreservation.go": "ipreservation",
    f"{API_DIR}/networkpolicy.go": "networkpolicy",
    f"{API_DIR}/globalnetworkpolicy.go": "globalnetworkpolicy",
    f"{API_DIR}/stagednetworkpolicy.go": "stagednetworkpolicy",
    f"{API_DIR}/stagedglobalnetworkpolicy.go": "stagedglobalnetworkpolicy",
    f"{API_DIR}/stagedkubernetesnetworkpolicy.go": "stagedkubernetesnetworkpolicy",
    f"{API_DIR}/tier.go": "tier",
    f"{API_DIR}/networkset.go": "networkset",
    f"{API_DIR}/globalnetworkset.go": "globalnetworkset",
    f"{API_DIR}/hostendpoint.go": "hostendpoint",
    f"{API_DIR}/bgppeer.go": "bgppeer",
    f"{API_DIR}/bgpconfig.go": "bgpconfig",
    f"{API_DIR}/bgpfilter.go": "bgpfilter",
    f"{API_DIR}/felixconfig.go": "felixconfig",
    f"{API_DIR}/kubecontrollersconfig.go": "kubecontrollersconfig",
    f"{API_DIR}/clusterinfo.go": "clusterinfo",
    f"{API_DIR}/profile.go": "profile",
    f"{INTERNAL_DIR}/node.go": "node",
    f"{INTERNAL_DIR}/workloadendpoint.go": "workloadendpoint",
    f"{API_DIR}/ipamconfig.go": "ipamconfig",
    f"{API_DIR}/blockaffinity.go": "blockaffinity",
    f"{API_DIR}/nodestatus.go": "nodestatus",
    f"{API_DIR}/ipamblocks.go": "ipamblock",
    f"{API_DIR}/ipamhandle.go": "ipamhandle",
}

V3_CRD_DIR = "api/config/crd"
V1_CRD_DIR = "libcalico-go/config/crd"
V1_GROUP = "crd.projectcalico.org"
RESOURCE_INFO_GO = "libcalico-go/lib/backend/model/resource.go"
NAMESPACE_GO = "libcalico-go/lib/namespace/resource.go"
CALICOCTL_RESOURCEMGR = "calicoctl/calicoctl/resourcemgr"

# Facts the sources state only in code, not as data: libcalico-go's KDD backend stores a v3
# IPAMConfiguration as the crd.projectcalico.org/v1 ``IPAMConfig`` custom resource
# (libcalico-go/lib/backend/k8s/resources/ipam_config_v1.go converts between them), so the
# two kinds cannot be matched by name.
V1_KIND_OF: dict[str, str] = {"IPAMConfiguration": "IPAMConfig"}


# -- Go types ----------------------------------------------------------------------------------

MARKER = re.compile(r"^\s*//\s*\+(kubebuilder:validation:|kubebuilder:|listType=|optional|required)(.*)$")
FIELD = re.compile(r"^\s*([A-Z][A-Za-z0-9_]*)?\s*([*\[\]\w.]+(?:\[[\w.]+\][*\w.]+)?)\s+`([^`]*)`")
TAG = re.compile(r'(\w+):"([^"]*)"')
KIND_CONST = re.compile(r'^\s*Kind(\w+)\s*=\s*"(\w+)"', re.MULTILINE)


def parse_markers(comment_lines: list[str]) -> tuple[dict[str, str], str]:
    markers: dict[str, str] = {}
    doc: list[str] = []
    for line in comment_lines:
        m = MARKER.match(line)
        if m:
            head, rest = m.group(1), m.group(2)
            if head == "listType=":
                markers["listType"] = rest.strip()
            elif head in ("optional", "required"):
                markers[head] = "true"
            elif head == "kubebuilder:validation:":
                key, _, value = rest.partition("=")
                if key == "XValidation":
                    markers.setdefault("XValidation", "")
                    markers["XValidation"] += value + "\n"
                else:
                    markers[key] = value
            else:
                key, _, value = rest.partition("=")
                markers["kb:" + key] = value
        else:
            text = line.strip()[2:].strip()
            if text.startswith("+"):
                continue
            doc.append(text)
    return markers, " ".join(d for d in doc if d).strip()


def parse_go_file(path: Path, go_file: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The structs and named types of one Go file, in source order."""
    lines = path.read_text().splitlines()
    structs: list[dict[str, Any]] = []
    named: list[dict[str, Any]] = []
    comments: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("//"):
            comments.append(line)
            i += 1
            continue
        m = re.match(r"^type (\w+) struct \{", line)
        if m:
            markers, doc = parse_markers(comments)
            fields: list[dict[str, Any]] = []
            structs.append({"name": m.group(1), "file": go_file, "doc": doc, "markers": markers, "fields": fields})
            comments = []
            i += 1
            field_comments: list[str] = []
            while not lines[i].startswith("}"):
                fl = lines[i]
                fs = fl.strip()
                if fs.startswith("//"):
                    field_comments.append(fl)
                elif not fs:
                    field_comments = (
                        [] if not field_comments or not field_comments[-1].strip().startswith("//") else field_comments
                    )
                else:
                    fm = FIELD.match(fl)
                    if fm is None:
                        raise SystemExit(f"{path}:{i + 1}: cannot parse field: {fl!r}")
                    go_name, go_type, tags = fm.groups()
                    tagmap = dict(TAG.findall(tags))
                    json_tag = tagmap.get("json", "")
                    json_name, *opts = json_tag.split(",")
                    fmarkers, fdoc = parse_markers(field_comments)
                    embedded = go_name is None
                    if embedded:
                        go_name = go_type.split(".")[-1]
                    if json_name == "-":
                        field_comments = []
                        i += 1
                        continue
                    omit = "omitzero" if "omitzero" in opts else ("omitempty" if "omitempty" in opts else "")
                    fields.append(
                        {
                            "go_name": go_name,
                            "go_type": go_type,
                            "json_name": json_name or go_name,
                            "omit": omit,
                            "validate": tagmap.get("validate", ""),
                            "markers": fmarkers,
                            "doc": fdoc,
                            "embedded": embedded and ("inline" in opts or not json_name),
                        }
                    )
                    field_comments = []
                i += 1
            i += 1
            continue
        m = re.match(r"^type (\w+) (\[\]\w+|string|int|bool|\w+)\s*$", line)
        if m:
            markers, _ = parse_markers(comments)
            named.append({"name": m.group(1), "file": go_file, "underlying": m.group(2), "markers": markers})
        if not stripped.startswith("//"):
            comments = []
        i += 1
    return structs, named


# -- kind facts --------------------------------------------------------------------------------


def _crd_names(crd_dir: Path) -> dict[str, dict[str, Any]]:
    """kind -> {group, plural, namespaced} of every CRD file in ``crd_dir``."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(crd_dir.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text())["spec"]
        names = spec["names"]
        out[names["kind"]] = {
            "group": spec["group"],
            "plural": names["plural"],
            "namespaced": spec["scope"] == "Namespaced",
        }
    return out


def _resource_info_plurals(root: Path) -> dict[str, str]:
    """libcalico-go's ``registerResourceInfo`` plurals by kind constant name (``KindNode`` -> ``nodes``)."""
    text = (root / RESOURCE_INFO_GO).read_text()
    return {
        const: plural.lower()
        for const, plural in re.findall(r'registerResourceInfo\[[^\]]+\]\((?:\w+\.)?(Kind\w+),\s*"(\w+)"\)', text)
    }


def _namespaced_constants(root: Path) -> set[str]:
    """The kind constants ``namespace.IsNamespaced`` answers true for."""
    text = (root / NAMESPACE_GO).read_text()
    body = text[text.index("func IsNamespaced(") :]
    body = body[: body.index("\n}\n")]
    found: set[str] = set()
    for case, result in re.findall(r"case ([^:]+):(.*?)(?=\n\s*case |\n\s*default:)", body, re.DOTALL):
        if "return true" in result:
            found.update(re.findall(r"(?:\w+\.)?(Kind\w+)", case))
    return found


def _calicoctl_resources(root: Path) -> dict[str, dict[str, Any]]:
    """kind -> {names, namespaced} from calicoctl's ``registerResource(api.NewX(), list, isNamespaced, names, ...)``."""
    pattern = re.compile(
        r"registerResource\(\s*\w+\.New(\w+)\(\),\s*[^,]+,\s*(true|false),\s*\[\]string\{([^}]*)\}",
    )
    out: dict[str, dict[str, Any]] = {}
    for path in sorted((root / CALICOCTL_RESOURCEMGR).glob("*.go")):
        if path.name.endswith("_test.go"):
            continue
        for kind, namespaced, names in pattern.findall(path.read_text()):
            out[kind] = {"names": re.findall(r'"([^"]*)"', names), "namespaced": namespaced == "true"}
    return out


def kind_facts(root: Path, structs: list[dict[str, Any]], kind_consts: dict[str, str]) -> list[dict[str, Any]]:
    v3_crds = _crd_names(root / V3_CRD_DIR)
    v1_crds = {k: v for k, v in _crd_names(root / V1_CRD_DIR).items() if v["group"] == V1_GROUP}
    plurals = _resource_info_plurals(root)
    namespaced_consts = _namespaced_constants(root)
    calicoctl = _calicoctl_resources(root)
    by_name = {s["name"]: s for s in structs}

    kinds: list[dict[str, Any]] = []
    for st in structs:
        if not any(f["go_type"] == "metav1.ObjectMeta" for f in st["fields"]):
            continue
        kind = st["name"]
        crd = v3_crds.get(kind)
        if crd is not None:
            plural, namespaced = crd["plural"], crd["namespaced"]
        else:
            # libcalico-go names kinds by constants (``internalapi.KindNode = "Node"``).
            const = next(c for c, value in kind_consts.items() if value == kind)
            plural, namespaced = plurals[const], const in namespaced_consts
        ctl = calicoctl.get(kind)
        if ctl is not None and ctl["namespaced"] != namespaced:
            raise SystemExit(f"{kind}: calicoctl's isNamespaced disagrees with the CRD/libcalico-go scope")
        v1 = v1_crds.get(V1_KIND_OF.get(kind, kind))
        spec = next((f for f in st["fields"] if f["go_name"] == "Spec"), None)
        spec_struct = by_name.get(spec["go_type"]) if spec else None
        kinds.append(
            {
                "kind": kind,
                "file": st["file"],
                "plural": plural,
                "namespaced": namespaced,
                "v1_kind": V1_KIND_OF.get(kind, kind) if v1 is not None else None,
                "v1_plural": v1["plural"] if v1 is not None else None,
                "calicoctl_names": ctl["names"] if ctl is not None else [],
                "is_policy": bool(spec_struct and any(f["go_name"] == "Tier" for f in spec_struct["fields"])),
            }
        )
    return kinds


def extract(root: Path, calico_version: str) -> dict[str, Any]:
    """Every fact the renderer needs, as JSON-ready data in a stable order."""
    structs: list[dict[str, Any]] = []
    named: list[dict[str, Any]] = []
    kind_consts: dict[str, str] = {}
    for path in sorted([*(root / API_DIR).glob("*.go"), *(root / INTERNAL_DIR).glob("*.go")]):
        if not path.name.endswith("_test.go"):
            kind_consts.update({f"Kind{name}": value for name, value in KIND_CONST.findall(path.read_text())})
    for go_file in FILES:
        file_structs, file_named = parse_go_file(root / go_file, go_file)
        structs += file_structs
        named += file_named
    return {
        "calico_version": calico_version,
        "files": dict(FILES),
        "structs": structs,
        "named": named,
        "kinds": kind_facts(root, structs, kind_consts),
    }
