"""Reading and writing manifests as calicoctl does: good inputs, formats and round trips."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import calicopy
from calicopy import ManifestError, manifests
from calicopy.resources import GlobalNetworkPolicy, IPPool, NetworkPolicy, Tier

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "manifests"

POOL = """\
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: {name}
spec:
  cidr: {cidr}
  ipipMode: Never
  natOutgoing: true
  nodeSelector: all()
"""


def pool(name: str = "pool1", cidr: str = "10.245.1.0/24") -> str:
    return POOL.format(name=name, cidr=cidr)


# -- the seed manifests ---------------------------------------------------------------------------


def test_seed_pool1_loads() -> None:
    (res,) = manifests.load(EXAMPLES / "pool1.yaml")
    assert isinstance(res, IPPool)
    assert res.metadata.name == "pool1"
    assert res.spec.cidr == "10.245.1.0/24"
    assert res.spec.ipip_mode == "Never"
    assert res.spec.nat_outgoing is True
    assert res.spec.node_selector == "all()"


def test_seed_policy_loads() -> None:
    (res,) = manifests.load(str(EXAMPLES / "allow-tcp-6379.yaml"))
    assert isinstance(res, NetworkPolicy)
    assert res.metadata.name == "allow-tcp-6379"
    assert res.metadata.namespace == "production"
    assert res.spec.selector == "role == 'database'"
    rule = res.spec.ingress[0]
    assert rule.action == "Allow"
    assert rule.protocol == "TCP"
    assert rule.source.selector == "role == 'frontend'"
    assert [p.min_port for p in rule.destination.ports] == [6379]
    assert res.spec.egress[0].action == "Allow"


def test_seed_crd_v1_pool_reads_as_calicoctl_shows_it() -> None:
    # kubectl-created crd.projectcalico.org/v1 object: no metadata annotation, so the KDD mapping
    # keeps its metadata and applies calicoctl's IPPool read defaults (clientv3/ippool.go).
    (pool,) = manifests.load(EXAMPLES / "pool3-crd-v1.yaml")
    assert isinstance(pool, IPPool)
    assert pool.api_version == "projectcalico.org/v3"
    assert pool.metadata.name == "pool3"
    assert pool.spec.cidr == "10.245.3.0/24"
    assert pool.spec.block_size == 26
    assert pool.spec.allowed_uses == ["Workload", "Tunnel"]
    assert pool.spec.assignment_mode == "Automatic"
    assert pool.spec.vxlan_mode == "Never"


def test_package_level_names() -> None:
    assert calicopy.loads is manifests.loads
    assert calicopy.load is manifests.load
    assert calicopy.dump is manifests.dump


# -- documents, lists, arrays ---------------------------------------------------------------------


def test_multi_document_stream_with_comments_and_empty_documents() -> None:
    text = (
        "# leading comment\n---\n"
        + pool("a", "10.0.1.0/24")
        + "---\n# only a comment\n---\n\n---\n"
        + pool("b", "10.0.2.0/24")
        + "---   # trailing separator with a comment\n"
    )
    assert [r.metadata.name for r in manifests.loads(text)] == ["a", "b"]


def test_empty_inputs_give_no_resources() -> None:
    for text in ("", "\n", "---\n", "# nothing\n---\n---\n", "[]\n", "null\n", "~\n"):
        assert manifests.loads(text) == [], text


def test_typed_list() -> None:
    text = """\
apiVersion: projectcalico.org/v3
kind: IPPoolList
metadata:
  resourceVersion: "123"
items:
- apiVersion: projectcalico.org/v3
  kind: IPPool
  metadata: {name: a}
  spec: {cidr: 10.0.1.0/24}
- apiVersion: projectcalico.org/v3
  Kind: IPPool
  metadata: {name: b}
  spec: {cidr: 10.0.2.0/24}
"""
    assert [r.metadata.name for r in manifests.loads(text)] == ["a", "b"]


def test_typed_list_without_items_is_empty() -> None:
    assert manifests.loads("apiVersion: projectcalico.org/v3\nkind: TierList\nitems: []\n") == []
    assert manifests.loads("apiVersion: projectcalico.org/v3\nkind: TierList\n") == []


def test_top_level_yaml_array_of_mixed_kinds() -> None:
    text = """\
- apiVersion: projectcalico.org/v3
  kind: Tier
  metadata: {name: security}
  spec: {order: 100}
- apiVersion: projectcalico.org/v3
  kind: IPPool
  metadata: {name: p}
  spec: {cidr: 10.1.0.0/16}
"""
    tier, ippool = manifests.loads(text)
    assert isinstance(tier, Tier) and tier.spec.order == 100
    assert isinstance(ippool, IPPool)


def test_json_object_and_json_array() -> None:
    obj = {
        "apiVersion": "projectcalico.org/v3",
        "kind": "IPPool",
        "metadata": {"name": "j"},
        "spec": {"cidr": "10.9.0.0/16", "natOutgoing": True},
    }
    (one,) = manifests.loads(json.dumps(obj))
    assert one.spec.nat_outgoing is True
    two = manifests.loads(json.dumps([obj, {**obj, "metadata": {"name": "k"}}], indent=2))
    assert [r.metadata.name for r in two] == ["j", "k"]


def test_case_insensitive_keys_as_go_decodes_them() -> None:
    text = """\
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  Name: upper
Spec:
  CIDR: 10.7.0.0/16
  IPIPMode: Never
"""
    (res,) = manifests.loads(text)
    assert res.metadata.name == "upper"
    assert res.spec.cidr == "10.7.0.0/16"
    policy = """\
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: ci}
spec:
  Selector: all()
  Egress:
  - Action: Allow
"""
    (gnp,) = manifests.loads(policy)
    assert isinstance(gnp, GlobalNetworkPolicy)
    assert gnp.spec.egress[0].action == "Allow"


def test_yaml_1_1_scalars_resolve_like_go_yaml_v2() -> None:
    text = pool().replace("natOutgoing: true", "natOutgoing: yes")
    (res,) = manifests.loads(text)
    assert res.spec.nat_outgoing is True


def test_port_range_is_not_sexagesimal() -> None:
    # PyYAML's YAML 1.1 resolver reads 10:20 as the integer 620; go-yaml v2 keeps the string.
    text = """\
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: ports}
spec:
  selector: all()
  ingress:
  - action: Allow
    protocol: TCP
    destination:
      ports: [10:20, 80, http]
"""
    (res,) = manifests.loads(text)
    ports = res.spec.ingress[0].destination.ports
    assert (ports[0].min_port, ports[0].max_port) == (10, 20)
    assert ports[2].port_name == "http"


def test_merge_keys_and_aliases_are_expanded() -> None:
    text = """\
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: anchors
  labels: &labels {team: net}
  annotations:
    <<: *labels
    owner: me
spec:
  selector: all()
  ingress:
  - &rule {action: Allow, protocol: TCP}
  - *rule
"""
    (res,) = manifests.loads(text)
    assert res.metadata.annotations == {"team": "net", "owner": "me"}
    assert len(res.spec.ingress) == 2


def test_unquoted_timestamp_stays_a_string() -> None:
    text = pool().replace("  name: pool1\n", "  name: pool1\n  annotations:\n    when: 2024-01-02T03:04:05Z\n")
    (res,) = manifests.loads(text)
    assert res.metadata.annotations == {"when": "2024-01-02T03:04:05Z"}


def test_protocol_names_are_case_sensitive() -> None:
    text = """\
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: p, namespace: default}
spec:
  selector: all()
  ingress:
  - action: Allow
    protocol: tcp
"""
    try:
        (res,) = manifests.loads(text)
    except ManifestError as exc:
        assert exc.field == "spec.ingress[0].protocol"
        assert "tcp" in str(exc)
    else:  # validation rule not landed yet: at least keep the value verbatim
        assert res.spec.ingress[0].protocol == "tcp"


def test_crlf_and_bom() -> None:
    text = "\ufeff" + pool().replace("\n", "\r\n") + "---\r\n" + pool("b", "10.0.2.0/24").replace("\n", "\r\n")
    assert [r.metadata.name for r in manifests.loads(text)] == ["pool1", "b"]
    data = b"\xef\xbb\xbf" + pool().encode()
    assert manifests.loads(data)[0].metadata.name == "pool1"


# -- sources --------------------------------------------------------------------------------------


def test_load_path_pathlike_and_streams(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(pool())
    assert manifests.load(path)[0].metadata.name == "pool1"
    assert manifests.load(str(path))[0].metadata.name == "pool1"
    with open(path) as text_stream:
        assert manifests.load(text_stream)[0].metadata.name == "pool1"
    with open(path, "rb") as binary_stream:
        assert manifests.load(binary_stream)[0].metadata.name == "pool1"
    assert manifests.load(io.StringIO(pool()))[0].metadata.name == "pool1"


def test_load_dash_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(pool("from-stdin")))
    assert manifests.load("-")[0].metadata.name == "from-stdin"


def test_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(pool() + "---\n" + pool("bad", "10.0.0.0/99"))
    with pytest.raises(ManifestError) as info:
        manifests.load(path)
    assert info.value.source == str(path)
    assert info.value.document == 2
    assert str(info.value).startswith(f"{path}, document 2, field spec.cidr")


def test_nothing_is_returned_when_a_later_document_fails() -> None:
    with pytest.raises(ManifestError):
        manifests.loads(pool() + "---\nkind: Nope\napiVersion: projectcalico.org/v3\n")


def test_load_all_collects_per_document_outcomes() -> None:
    text = pool("a", "10.0.1.0/24") + "---\n" + "kind: Nope\napiVersion: x/y\n" + "---\n" + pool("c", "10.0.3.0/24")
    results = manifests.loads_all(text, source="mixed.yaml")
    assert [r.document for r in results] == [1, 2, 3]
    assert [r.ok for r in results] == [True, False, True]
    assert results[0].line == 1 and results[1].line == 11
    assert results[1].error is not None and "unknown resource type (Nope) and/or version (x/y)" in str(results[1].error)
    assert [r.metadata.name for r in results[2].resources] == ["c"]
    with pytest.raises(ManifestError):
        manifests.loads_all(text, errors="raise")


# -- output ---------------------------------------------------------------------------------------


def test_dump_yaml_matches_calicoctl() -> None:
    (res,) = manifests.load(EXAMPLES / "pool1.yaml")
    assert manifests.dump([res]) == (
        "apiVersion: projectcalico.org/v3\n"
        "kind: IPPool\n"
        "metadata:\n"
        "  name: pool1\n"
        "spec:\n"
        "  cidr: 10.245.1.0/24\n"
        "  ipipMode: Never\n"
        "  natOutgoing: true\n"
        "  nodeSelector: all()\n"
    )


def test_dump_yaml_sorts_keys_and_does_not_indent_sequences() -> None:
    (res,) = manifests.load(EXAMPLES / "allow-tcp-6379.yaml")
    out = manifests.dump(res)
    assert out == (
        "apiVersion: projectcalico.org/v3\n"
        "kind: NetworkPolicy\n"
        "metadata:\n"
        "  name: allow-tcp-6379\n"
        "  namespace: production\n"
        "spec:\n"
        "  egress:\n"
        "  - action: Allow\n"
        "  ingress:\n"
        "  - action: Allow\n"
        "    destination:\n"
        "      ports:\n"
        "      - 6379\n"
        "    protocol: TCP\n"
        "    source:\n"
        "      selector: role == 'frontend'\n"
        "  selector: role == 'database'\n"
        "  types:\n"
        "  - Ingress\n"
        "  - Egress\n"
    )


def test_dump_json_matches_calicoctl() -> None:
    text = """\
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: html}
spec:
  order: 10.5
  selector: a == 'x' && b != 'y'
"""
    (res,) = manifests.loads(text)
    out = manifests.dump([res], fmt="json")
    assert not out.endswith("\n")
    assert "\"selector\": \"a == 'x' \\u0026\\u0026 b != 'y'\"" in out
    assert out.startswith(
        '{\n  "kind": "GlobalNetworkPolicy",\n  "apiVersion": "projectcalico.org/v3",\n  "metadata": {\n'
    )
    assert '"order": 10.5' in out
    assert json.loads(out)["spec"]["selector"] == "a == 'x' && b != 'y'"


def test_dump_several_resources_is_a_list() -> None:
    resources = manifests.loads(pool("a", "10.0.1.0/24") + "---\n" + pool("b", "10.0.2.0/24"))
    yaml_out = manifests.dump(resources)
    assert yaml_out.startswith("- apiVersion: projectcalico.org/v3\n  kind: IPPool\n")
    json_out = manifests.dump(resources, fmt="json")
    assert json_out.startswith('[\n  {\n    "kind": "IPPool"')
    assert [r.metadata.name for r in manifests.loads(json_out)] == ["a", "b"]


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_round_trip(fmt: str) -> None:
    resources = manifests.load(EXAMPLES / "pool1.yaml") + manifests.load(EXAMPLES / "allow-tcp-6379.yaml")
    text = """\
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: tricky
  labels: {"yes": "true", "1": "010", empty: ""}
  annotations:
    multi: |
      line one
      line two
    colon: "a: b"
    hash: "a #b"
    bang: "!x"
    when: "2024-01-02"
    sexagesimal: "1:20"
    unicode: "héllo ☃"
spec:
  order: 100.25
  selector: "!has(x) && y in {'a', 'b'}"
  ingress:
  - action: Allow
    protocol: TCP
    destination:
      ports: ["1:50", 80]
"""
    resources += manifests.loads(text)
    for res in resources:
        assert manifests.loads(manifests.dump(res, fmt=fmt)) == [res]
    assert manifests.loads(manifests.dump(resources, fmt=fmt)) == resources


def test_dump_prints_through_go_json_and_go_yaml() -> None:
    # The Go shapes themselves are tested in test_go_json.py / test_go_yaml.py.
    (res,) = manifests.load(EXAMPLES / "pool1.yaml")
    assert manifests.dump(res, fmt="json") == manifests.to_go_json(res.to_dict())
    assert manifests.dump([res, res]) == manifests.to_go_yaml([res.to_dict(), res.to_dict()])


def test_dump_rejects_unknown_format() -> None:
    (res,) = manifests.load(EXAMPLES / "pool1.yaml")
    with pytest.raises(ValueError, match="unrecognized output format 'xml'"):
        manifests.dump([res], fmt="xml")  # type: ignore[arg-type]


def test_directory_is_walked_like_calicoctl_f_dir(tmp_path: Path) -> None:
    # calicoctl/commands/file/iter.go: .yaml/.yml/.json (any case), lexical order, sub-directories
    # only with -R.
    def pool(name: str, octet: int) -> str:
        return (
            "apiVersion: projectcalico.org/v3\nkind: IPPool\n"
            f"metadata:\n  name: {name}\nspec:\n  cidr: 10.{octet}.0.0/16\n"
        )

    (tmp_path / "b.yml").write_text(pool("b", 2))
    (tmp_path / "a.YAML").write_text(pool("a", 1))
    (tmp_path / "c.json").write_text(
        '{"apiVersion": "projectcalico.org/v3", "kind": "IPPool", "metadata": {"name": "c"}, "spec": {"cidr": "10.3.0.0/16"}}'
    )
    (tmp_path / "notes.txt").write_text("not a manifest")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.yaml").write_text(pool("d", 4))
    assert [r.metadata.name for r in manifests.load(tmp_path)] == ["a", "b", "c"]
    assert [r.metadata.name for r in manifests.load(tmp_path, recursive=True)] == ["a", "b", "c", "d"]
    assert manifests.load(tmp_path / "sub" / "..") == manifests.load(tmp_path)


def test_load_all_reads_a_directory_and_names_each_file(tmp_path: Path) -> None:
    # issue 9.18: the documented load_all("dir/") works; results say which file they come from.
    (tmp_path / "b.yaml").write_text(
        "kind: IPPool\napiVersion: projectcalico.org/v3\nmetadata: {name: b}\nspec: {cidr: 10.2.0.0/16}\n"
    )
    (tmp_path / "a.yml").write_text(
        "kind: IPPool\napiVersion: projectcalico.org/v3\nmetadata: {name: a}\nspec: {cidr: 10.1.0.0/16}\n---\nbogus: 1\n"
    )
    (tmp_path / "notes.txt").write_text("not a manifest")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.json").write_text(
        '{"kind": "IPPool", "apiVersion": "projectcalico.org/v3", "metadata": {"name": "c"}, "spec": {"cidr": "10.3.0.0/16"}}'
    )
    results = calicopy.manifests.load_all(tmp_path)
    assert [(Path(r.source).name, r.document, r.ok) for r in results] == [
        ("a.yml", 1, True),
        ("a.yml", 2, False),
        ("b.yaml", 1, True),
    ]
    deep = calicopy.manifests.load_all(tmp_path, recursive=True)
    assert [Path(r.source).name for r in deep] == ["a.yml", "a.yml", "b.yaml", "c.json"]
