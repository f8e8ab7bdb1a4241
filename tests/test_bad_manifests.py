"""Malformed manifests: every one is a ManifestError naming source, document, field and reason.

Never another exception type, never a hang, never unbounded memory.
"""

from __future__ import annotations

import contextlib
import os
import random
import tracemalloc
from pathlib import Path

import pytest

from calicopy import ManifestError, ValidationError, manifests

SOURCE = "bad.yaml"
V3 = "apiVersion: projectcalico.org/v3\n"
POOL = V3 + "kind: IPPool\nmetadata:\n  name: pool1\nspec:\n  cidr: 10.245.1.0/24\n"
GNP = V3 + "kind: GlobalNetworkPolicy\nmetadata:\n  name: gnp\nspec:\n  selector: all()\n"

BOMB = "".join(
    [
        V3,
        "kind: GlobalNetworkPolicy\nmetadata:\n  name: lol\nspec:\n  selector: all()\n  x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
        *(
            f"  x{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n"
            for i in range(1, 10)
        ),
    ]
)


def case(text: str, document: int, field: str | None, *fragments: str, id: str) -> object:
    return pytest.param(text, document, field, fragments, id=id)


CASES = [
    # -- YAML syntax and YAML-level rules -------------------------------------------------------
    case(
        V3 + "kind: IPPool\nmetadata: [\n",
        1,
        None,
        "yaml: line 4",
        "did not find expected node content",
        id="unclosed-flow",
    ),
    case(POOL.replace("  cidr", "\tcidr"), 1, None, "yaml: line 6", "cannot start any token", id="tab-indent"),
    case(V3 + "kind: IPPool\nmetadata:\n    name: a\n  labels: {}\n", 1, None, "yaml: line", id="bad-indent"),
    case(POOL.replace("name: pool1", 'name: "pool1'), 1, None, "yaml: line", "quoted scalar", id="unterminated-quote"),
    case(POOL.replace("name: pool1", "name: a: b"), 1, None, "mapping values are not allowed", id="mapping-in-scalar"),
    case(
        POOL + "  ipipMode: *nope\n", 1, None, "yaml: line 7", "unknown anchor 'nope' referenced", id="unknown-anchor"
    ),
    case(GNP + "  ingress: &r [*r]\n", 1, None, "anchor 'r' value contains itself", id="self-alias"),
    case(BOMB, 1, None, "excessive aliasing", id="billion-laughs"),
    case(
        V3 + "kind: IPPool\nkind: IPPool\nmetadata: {name: a}\n",
        1,
        "kind",
        'key "kind" already set in map',
        id="dup-top-key",
    ),
    case(
        POOL.replace("  name: pool1\n", "  name: pool1\n  name: pool2\n"),
        1,
        "metadata.name",
        "line 5",
        "already set",
        id="dup-metadata-key",
    ),
    case(
        POOL.replace("  name: pool1\n", "  name: pool1\n  labels: {a: x, a: y}\n"),
        1,
        "metadata.labels.a",
        "already set",
        id="dup-label",
    ),
    case(
        POOL.replace("  name: pool1\n", "  name: pool1\n  labels: &l {a: x}\n  annotations:\n    <<: *l\n    a: y\n"),
        1,
        "metadata.annotations.a",
        "already set",
        id="dup-through-merge",
    ),
    case(
        POOL.replace("  name: pool1\n", "  name: pool1\n  labels: {~: x}\n"),
        1,
        None,
        "unsupported map key: null",
        id="null-key",
    ),
    case(
        POOL.replace("  name: pool1\n", "  name: pool1\n  labels:\n    ? [a]\n    : b\n"),
        1,
        "metadata.labels",
        "invalid map key",
        id="list-key",
    ),
    case(POOL + "  blockSize: !!int big\n", 1, None, "cannot decode !!str `big` as a !!int", id="int-tag-mismatch"),
    case(POOL + "  nodeSelector: !!binary '***'\n", 1, None, "!!binary value is not valid base64", id="bad-binary"),
    case(POOL.replace("pool1", "pool\x07"), 1, None, "control characters are not allowed", "#x0007", id="control-char"),
    case(POOL + "---\n" + POOL.replace("pool1", "po\x00ol"), 0, None, "NUL character", "line 11", id="nul-char"),
    case(POOL + "--- junk after separator\n" + POOL, 2, None, "line 7", "text after the '---'", id="separator-junk"),
    case(GNP + "  x: " + "[" * 100_000 + "]" * 100_000 + "\n", 1, None, "nested too deeply", id="deep-flow"),
    case(
        GNP + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(150)),
        1,
        None,
        "nested too deeply",
        id="deep-block",
    ),
    case(
        POOL.replace("  name: pool1\n", "  name: pool1\n  labels:\n    <<: 1\n"),
        1,
        None,
        "map merge requires map",
        id="merge-scalar",
    ),
    case("%YAML 2.0\n---\n" + POOL, 1, None, "incompatible YAML document", id="yaml-2-directive"),
    case(POOL + "  cidr2: [a, b\n", 1, None, "yaml: line 8", id="eof-in-flow"),
    case(POOL + "---\n" + POOL + "---\n" + POOL + "  x: [\n", 3, None, "yaml: line 22", id="line-numbers-are-absolute"),
    # -- document shapes ------------------------------------------------------------------------
    case("hello\n", 1, None, "document is a string ('hello')", id="scalar-document"),
    case("42\n", 1, None, "document is a number (42)", id="number-document"),
    case("- 1\n- 2\n", 1, "[0]", "list item is a number (1), not a resource", id="array-of-scalars"),
    case("- [a]\n", 1, "[0]", "list item is a list", id="array-of-arrays"),
    case("- " + POOL.replace("\n", "\n  ") + "\n- oops\n", 1, "[1]", "list item is a string", id="array-with-scalar"),
    case(
        POOL + "foo: bar\n",
        1,
        "foo",
        "field in document is not recognized or is in the wrong location: foo",
        id="unknown-top-level",
    ),
    case("{}\n", 1, "kind", "Object 'Kind' is missing", id="empty-mapping"),
    case(POOL.replace("kind: IPPool\n", ""), 1, "kind", "Object 'Kind' is missing", id="no-kind"),
    case(POOL.replace("kind: IPPool", "Kind: IPPool"), 1, "kind", "spelled exactly", id="capitalised-kind"),
    case(
        POOL.replace("kind: IPPool", "kind: [IPPool]"),
        1,
        "kind",
        "kind must be a string, not a list",
        id="kind-not-string",
    ),
    case(
        POOL.replace(V3, ""),
        1,
        "apiVersion",
        "unknown resource type (IPPool) and/or version ()",
        "apiVersion is missing",
        id="no-apiversion",
    ),
    case(
        POOL.replace("IPPool", "Pool"),
        1,
        "kind",
        "unknown resource type (Pool) and/or version (projectcalico.org/v3)",
        id="unknown-kind",
    ),
    case(POOL.replace("IPPool", "ippool"), 1, "kind", "did you mean IPPool?", id="kind-wrong-case"),
    case(
        "apiVersion: v1\nkind: List\nitems: []\n",
        1,
        "apiVersion",
        "unknown resource type (List) and/or version (v1)",
        "generic Kubernetes 'kind: List'",
        id="generic-list",
    ),
    case(
        POOL.replace("projectcalico.org/v3", "v7"),
        1,
        "apiVersion",
        "unknown resource type (IPPool) and/or version (v7)",
        id="golden-v7",
    ),
    case(
        POOL.replace("projectcalico.org/v3", "crd.projectcalico.org/v1") + "  bogus: 1\n",
        1,
        "spec.bogus",
        "not recognized",
        id="crd-v1-unknown-field",  # the API server would prune it silently: calicopy reports it
    ),
    case(
        "- "
        + POOL.replace("projectcalico.org/v3", "crd.projectcalico.org/v1")
        .replace("kind: IPPool", "kind: IPPools")
        .replace("\n", "\n  "),
        1,
        "[0]",
        "not a crd.projectcalico.org/v1 kind",
        id="crd-v1-unknown-kind-in-array",
    ),
    case(
        POOL.replace("projectcalico.org/v3", "projectcalico.org/v1"),
        1,
        "apiVersion",
        "use apiVersion: projectcalico.org/v3",
        id="wrong-version",
    ),
    # -- typed lists ----------------------------------------------------------------------------
    case(
        V3 + "kind: IPPoolList\nitems:\n- metadata: {name: a}\n  spec: {cidr: 10.0.0.0/24}\n",
        1,
        "items[0].apiVersion",
        "must carry its own apiVersion and kind",
        id="list-item-without-gvk",
    ),
    case(
        V3 + "kind: IPPoolList\nitems:\n- kind: IPPool\n  metadata: {name: a}\n",
        1,
        "items[0].apiVersion",
        "has no apiVersion",
        id="list-item-without-apiversion",
    ),
    case(
        V3 + "kind: IPPoolList\nitems:\n- " + V3 + "  kind: Tier\n  metadata: {name: a}\n",
        1,
        "items[0].kind",
        "holds only IPPool",
        id="list-item-wrong-kind",
    ),
    case(V3 + "kind: IPPoolList\nitems: foo\n", 1, "items", "items must be a list", id="list-items-scalar"),
    case(V3 + "kind: IPPoolList\nitems: [1]\n", 1, "items[0]", "list item is a number", id="list-item-scalar"),
    case(V3 + "kind: IPPoolList\nitems: []\nfoo: 1\n", 1, "foo", "not recognized", id="list-unknown-key"),
    case(
        V3 + "kind: IPPoolList\nmetadata: {bogus: 1}\nitems: []\n",
        1,
        "metadata.bogus",
        "not recognized",
        id="list-metadata-unknown-key",
    ),
    case(
        V3
        + "kind: IPPoolList\nitems:\n- "
        + V3
        + "  kind: IPPool\n  metadata: {name: a}\n  spec: {cidr: 10.0.0.0/99}\n",
        1,
        "items[0].spec.cidr",
        "10.0.0.0/99",
        id="list-item-invalid",
    ),
    # -- decoding into the models (unknown fields, wrong types) ------------------------------------
    case(
        POOL + "  foo: 1\n",
        1,
        "spec.foo",
        "field in document is not recognized or is in the wrong location: foo",
        id="unknown-spec-field",
    ),
    case(
        GNP + "  ingress:\n  - action: Allow\n    bogus: 1\n",
        1,
        "spec.ingress[0].bogus",
        "not recognized",
        id="unknown-rule-field",
    ),
    case(
        POOL + "  disabled: notabool\n", 1, "spec.disabled", "cannot unmarshal string", "boolean", id="string-for-bool"
    ),
    case(POOL + "  blockSize: big\n", 1, "spec.blockSize", "cannot unmarshal string", id="string-for-int"),
    case(
        V3 + "kind: IPPool\nmetadata: {name: a}\nspec: 5\n",
        1,
        "spec",
        "cannot unmarshal number",
        id="number-for-struct",
    ),
    case(
        V3 + "kind: IPPool\nmetadata: [a]\nspec: {cidr: 10.0.0.0/24}\n",
        1,
        "metadata",
        "cannot unmarshal list",
        id="list-for-metadata",
    ),
    case(
        GNP + "  ingress: [{action: Allow, protocol: TCP, destination: {ports: [70000]}}]\n",
        1,
        "spec.ingress[0].destination.ports[0]",
        "70000",
        id="port-out-of-range",
    ),
    # -- libcalico-go validation ------------------------------------------------------------------
    case(POOL.replace("10.245.1.0/24", "10.0.0.0/99"), 1, "spec.cidr", "10.0.0.0/99", id="invalid-cidr"),
    case(
        POOL + '  nodeSelector: "all()\\nhas(x)"\n', 1, "spec.nodeSelector", "nodeSelector", id="selector-with-newline"
    ),
    case(GNP.replace("selector: all()", "selector: 'a =='"), 1, "spec.selector", "a ==", id="selector-syntax"),
    case(GNP + "  ingress: [{action: Maybe}]\n", 1, "spec.ingress[0].action", "Maybe", id="invalid-action"),
    case(
        GNP + "  ingress: [{action: Allow, protocol: tcp}]\n",
        1,
        "spec.ingress[0].protocol",
        "tcp",
        id="protocol-lowercase",
    ),
    case(POOL.replace("name: pool1", "name: Bad_Name"), 1, "metadata.name", "Bad_Name", id="invalid-name"),
    case(
        POOL + "---\n" + POOL.replace("10.245.1.0/24", "not-a-cidr"),
        2,
        "spec.cidr",
        "not-a-cidr",
        id="second-document-invalid",
    ),
]


@pytest.mark.parametrize(("text", "document", "field", "fragments"), CASES)
def test_bad_manifest(text: str, document: int, field: str | None, fragments: tuple[str, ...]) -> None:
    with pytest.raises(ManifestError) as info:
        manifests.loads(text, source=SOURCE)
    err = info.value
    assert type(err) is ManifestError
    assert err.source == SOURCE
    message = str(err)
    if document:
        assert err.document == document
        assert message.startswith(f"{SOURCE}, document {document}")
    else:  # a problem with the input as a whole
        assert err.document is None
        assert message.startswith(f"{SOURCE}: ")
    if field is not None:
        assert err.field == field
        assert f", field {field}: " in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    if isinstance(err.cause, ValidationError):
        assert err.cause.fields


def test_at_least_fifty_bad_inputs() -> None:
    assert len(CASES) >= 50


def test_validation_errors_keep_their_cause() -> None:
    with pytest.raises(ManifestError) as info:
        manifests.loads(POOL + "  foo: 1\n")
    assert isinstance(info.value.cause, ValidationError)
    assert [f.path for f in info.value.cause.fields] == ["spec.foo"]


# -- whole inputs: files, streams, bytes ----------------------------------------------------------


def test_missing_file_is_an_error_not_text() -> None:
    with pytest.raises(ManifestError) as info:
        manifests.load("apiVersion: projectcalico.org/v3")
    assert "no such file" in str(info.value) and "loads" in str(info.value)


def test_a_bad_file_in_a_directory_fails_the_whole_load_and_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(POOL)
    (tmp_path / "b.yaml").write_text(POOL.replace("10.245.1.0/24", "10.245.1.0/99"))
    with pytest.raises(ManifestError) as info:
        manifests.load(tmp_path)
    assert info.value.source == str(tmp_path / "b.yaml")
    assert info.value.document == 1


def test_binary_input_is_rejected() -> None:
    with pytest.raises(ManifestError, match=r"not valid UTF-8 text \(byte 0x80 at offset 0\)"):
        manifests.loads(b"\x80\x81 garbage", source=SOURCE)


def test_too_many_documents_fail_before_parsing() -> None:
    with pytest.raises(ManifestError, match="too many documents"):
        manifests.loads_all("a: 1\n---\n" * 1000, source=SOURCE, max_documents=100)


def test_max_bytes_applies_to_text() -> None:
    with pytest.raises(ManifestError) as info:
        manifests.loads(POOL, source=SOURCE, max_bytes=10)
    assert "over the 10-byte limit" in str(info.value) and info.value.document is None


def _peak_mib(fn: object) -> float:
    tracemalloc.start()
    try:
        with contextlib.suppress(ManifestError):
            fn()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    finally:
        tracemalloc.stop()


FIFTY_MB = 50 * 1024 * 1024


def test_fifty_megabyte_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "junk.bin"
    rng = random.Random(7)
    with open(path, "wb") as fh:
        for _ in range(50):
            fh.write(rng.randbytes(1024 * 1024))
    with pytest.raises(ManifestError, match="not valid UTF-8"):
        manifests.load(path)
    assert _peak_mib(lambda: manifests.load(path)) < 300


def test_fifty_megabyte_single_document(tmp_path: Path) -> None:
    # Printable junk with no document separator: over calicoctl's 10 MiB per-document limit.
    path = tmp_path / "junk.yaml"
    line = b"spec: [" + b"ab, " * 255 + b"]\n"
    with open(path, "wb") as fh:
        fh.write(line * (FIFTY_MB // len(line)))
    assert os.path.getsize(path) > 49 * 1024 * 1024
    with pytest.raises(ManifestError) as info:
        manifests.load(path)
    assert "10 MiB limit for one document" in str(info.value) and info.value.document == 1
    assert _peak_mib(lambda: manifests.load(path)) < 400


def test_fifty_megabyte_file_over_a_small_cap(tmp_path: Path) -> None:
    path = tmp_path / "junk.yaml"
    with open(path, "wb") as fh:
        fh.truncate(FIFTY_MB)  # sparse: costs no disk
    with pytest.raises(ManifestError, match="over the 1048576-byte limit"):
        manifests.load(path, max_bytes=1024 * 1024)
    assert _peak_mib(lambda: manifests.load(path, max_bytes=1024 * 1024)) < 5


def test_fifty_megabytes_of_tiny_documents(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    chunk = b"x: [1, 2]\n---\n"
    with open(path, "wb") as fh:
        fh.write(chunk * (FIFTY_MB // len(chunk)))
    with pytest.raises(ManifestError, match="too many documents"):
        manifests.load(path)


def test_fifty_megabytes_of_junk_documents_fail_at_the_first(tmp_path: Path) -> None:
    # Documents under the per-document cap whose shape can never be a resource fail at once.
    path = tmp_path / "junk.yaml"
    document = b"- [" + b"ab, " * (2 * 1024 * 1024) + b"]\n---\n"
    with open(path, "wb") as fh:
        for _ in range(FIFTY_MB // len(document) + 1):
            fh.write(document)
    with pytest.raises(ManifestError) as info:
        manifests.load(path)
    assert info.value.document == 1 and info.value.field == "[0]"
    assert _peak_mib(lambda: manifests.load(path)) < 400


def test_alias_bomb_is_bounded() -> None:
    assert _peak_mib(lambda: manifests.loads(BOMB)) < 50


def test_random_corruptions_only_raise_manifest_errors() -> None:
    seed = (
        POOL
        + "---\n"
        + GNP
        + "  ingress:\n  - action: Allow\n    protocol: TCP\n    destination: {ports: [80, '1:2']}\n"
    )
    alphabet = "\n\t -:[]{}&*!|>'\"#%@`,?~<x1\x7f\u00e9"
    rng = random.Random(1234)
    for _ in range(400):
        chars = list(seed)
        for _ in range(rng.randint(1, 4)):
            position = rng.randrange(len(chars))
            action = rng.random()
            if action < 0.4:
                chars[position] = rng.choice(alphabet)
            elif action < 0.7:
                del chars[position]
            else:
                chars.insert(position, rng.choice(alphabet))
        text = "".join(chars)
        try:
            manifests.loads(text, source=SOURCE)
        except ManifestError as exc:
            assert str(exc).startswith(SOURCE)


# -- each failing field named once, none hidden (issue 9, item 14) ------------------------------------


def test_a_decode_error_names_its_field_once() -> None:
    with pytest.raises(ManifestError) as info:
        manifests.loads(POOL + "  blockSize: big\n", source=SOURCE)
    err = info.value
    assert err.field == "spec.blockSize"
    assert str(err) == (
        f"{SOURCE}, document 1, field spec.blockSize: IPPool(pool1): value 'big' "
        "(cannot unmarshal string into a field that expects an integer)"
    )
    assert str(err).count("spec.blockSize") == 1
    assert [f.path for f in err.cause.fields] == ["spec.blockSize"]  # type: ignore[union-attr]


def test_every_problem_of_a_document_is_reported() -> None:
    text = POOL + "  bogus: 1\n  disabled: maybe\nextra: 1\nother: 2\n"
    with pytest.raises(ManifestError) as info:
        manifests.loads(text, source=SOURCE)
    err = info.value
    assert err.field is None and err.document == 1
    assert isinstance(err.cause, ValidationError)
    assert sorted(f.path for f in err.cause.fields) == ["extra", "other", "spec.bogus", "spec.disabled"]
    message = str(err)
    assert message.startswith(f"{SOURCE}, document 1: IPPool(pool1): error with the following fields:\n")
    for path in ("extra", "other", "spec.bogus", "spec.disabled"):
        assert message.count(f"-  {path} ") == 1


def test_list_items_name_their_fields_from_the_document_top() -> None:
    text = (
        "- "
        + POOL.replace("\n", "\n  ")
        + "\n- "
        + POOL.replace("pool1", "b").replace("\n", "\n  ")
        + "bogus: 1\n  spec2: x\n"
    )
    with pytest.raises(ManifestError) as info:
        manifests.loads(text)
    assert [f.path for f in info.value.cause.fields] == ["[1].bogus", "[1].spec2"]  # type: ignore[union-attr]
    assert "-  [1].bogus (field in document is not recognized" in str(info.value)
    with pytest.raises(ManifestError) as info:
        manifests.loads(text.replace("  spec2: x\n", ""))
    assert info.value.field == "[1].bogus" and str(info.value).count("bogus") == 2  # the field, and the reason's key


def test_typed_list_reports_all_its_unknown_keys() -> None:
    text = V3 + "kind: IPPoolList\nmetadata: {bogus: 1}\nitems: []\nfoo: 1\nbar: 2\n"
    with pytest.raises(ManifestError) as info:
        manifests.loads(text)
    assert sorted(f.path for f in info.value.cause.fields) == ["bar", "foo", "metadata.bogus"]  # type: ignore[union-attr]
