"""``get`` in every output format (``commands/get.go``, ``commands/common/printer.go``): what is
printed for a list, for names, for missing names; tables, YAML (sigs.k8s.io/yaml), JSON
(``json.MarshalIndent``, no trailing newline), custom columns and go-templates."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from calicopy.calicoctl import output
from calicopy.calicoctl.actions import KindList
from calicopy.manifests import loads
from calicopy.resources.meta import Resource

from .conftest import Cli, pool, table

IPPOOL_YAML = """\
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  creationTimestamp: "{ts}"
  name: {name}
  resourceVersion: "{rv}"
  uid: {uid}
spec:
  allowedUses:
  - Workload
  - Tunnel
  assignmentMode: Automatic
  blockSize: 26
  cidr: {cidr}
  ipipMode: Never
  natOutgoing: true
  nodeSelector: all()
  vxlanMode: Never
"""

IPPOOL_JSON = """\
{{
  "kind": "IPPool",
  "apiVersion": "projectcalico.org/v3",
  "metadata": {{
    "name": "{name}",
    "uid": "{uid}",
    "resourceVersion": "{rv}",
    "creationTimestamp": "{ts}"
  }},
  "spec": {{
    "cidr": "{cidr}",
    "vxlanMode": "Never",
    "ipipMode": "Never",
    "natOutgoing": true,
    "blockSize": 26,
    "nodeSelector": "all()",
    "allowedUses": [
      "Workload",
      "Tunnel"
    ],
    "assignmentMode": "Automatic"
  }}
}}"""


def _seed_pool(cli: Cli, name: str, cidr: str, **spec: str) -> dict[str, str]:
    (resource,) = loads(pool(name, cidr, natOutgoing="true", **spec))
    stored = cli.client.create(resource)
    meta = stored.metadata
    return {
        "name": name,
        "cidr": cidr,
        "uid": meta.uid,
        "rv": meta.resource_version,
        "ts": str(meta.creation_timestamp),
    }


def _indent(text: str, by: str) -> str:
    return "".join(by + line if line else line for line in text.splitlines(keepends=True))


# -- tables --------------------------------------------------------------------------------------------------


def test_one_table_per_name(cli: Cli) -> None:
    # test_crud.py test_get_delete_multiple_names: each name is its own table.
    a, b = cli.n("a"), cli.n("b")
    _seed_pool(cli, a, "10.21.0.0/16")
    _seed_pool(cli, b, "fed0:8001::/64", ipipMode="Never")
    expected = table(("NAME", "CIDR", "SELECTOR"), (a, "10.21.0.0/16", "all()")) + table(
        ("NAME", "CIDR", "SELECTOR"), (b, "fed0:8001::/64", "all()")
    )
    assert tuple(cli("get", "ippool", a, b)) == (expected, "", 0)


def test_missing_name_among_others(cli: Cli) -> None:
    a, b = cli.n("a"), cli.n("b")
    _seed_pool(cli, a, "10.21.0.0/16")
    _seed_pool(cli, b, "10.22.0.0/16")
    blah = cli.n("blah")
    expected = table(("NAME", "CIDR", "SELECTOR"), (a, "10.21.0.0/16", "all()")) + table(
        ("NAME", "CIDR", "SELECTOR"), (b, "10.22.0.0/16", "all()")
    )
    error = f'resource does not exist: IPPool({blah}) with error: ippools.crd.projectcalico.org "{blah}" not found\n'
    assert tuple(cli("get", "ippool", a, blah, b)) == (expected, error, 1)


def test_several_missing_names_one_per_line(cli: Cli) -> None:
    x, y = cli.n("x"), cli.n("y")
    error = (
        f'resource does not exist: IPPool({x}) with error: ippools.crd.projectcalico.org "{x}" not found\n'
        f'resource does not exist: IPPool({y}) with error: ippools.crd.projectcalico.org "{y}" not found\n'
    )
    assert tuple(cli("get", "ippool", x, y)) == ("", error, 1)


def test_empty_list_prints_the_headings(cli: Cli) -> None:
    cli.fake_only("needs no pools")
    assert tuple(cli("get", "ippools")) == (table(("NAME", "CIDR", "SELECTOR")), "", 0)


def test_list_is_one_table(cli: Cli) -> None:
    cli.fake_only("lists every pool")
    _seed_pool(cli, "b", "10.22.0.0/16")
    _seed_pool(cli, "a", "10.21.0.0/16")
    expected = table(("NAME", "CIDR", "SELECTOR"), ("a", "10.21.0.0/16", "all()"), ("b", "10.22.0.0/16", "all()"))
    assert tuple(cli("get", "ipp")) == (expected, "", 0)


def test_tiers_are_listed_by_order(cli: Cli) -> None:
    cli.fake_only("lists every tier")
    cli.client.ensure_initialized()
    for name, order in (("zz", "50"), ("aa", "5000"), ("mm", "")):
        spec = f"{{order: {order}}}" if order else "{}"
        (tier,) = loads(f"apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {{name: {name}}}\nspec: {spec}\n")
        cli.client.create(tier)
    # resourcemgr/tier.go sorts by order, stably (the API server lists by name); a Tier without
    # an order gets the default tier's (1e+06) from libcalico-go.
    expected = table(
        ("NAME", "ORDER"),
        ("zz", "50"),
        ("kube-admin", "1000"),
        ("aa", "5000"),
        ("default", "1e+06"),
        ("mm", "1e+06"),
        ("kube-baseline", "1e+07"),
    )
    assert tuple(cli("get", "tiers")) == (expected, "", 0)


def _policies(cli: Cli) -> tuple[str, str, str, str]:
    ns1, ns2 = cli.ns("ns1"), cli.ns("ns2")
    a, b = cli.n("a"), cli.n("b")
    for name, ns in ((a, ns1), (b, ns2)):
        (np,) = loads(
            f"apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {{name: {name}, namespace: {ns}}}\n"
            "spec: {selector: all(), order: 10}\n"
        )
        cli.client.create(np)
    return ns1, ns2, a, b


def test_namespace_column_with_all_namespaces(cli: Cli) -> None:
    cli.fake_only("lists every namespace")
    ns1, ns2, a, b = _policies(cli)
    expected = table(("NAMESPACE", "NAME", "TIER"), (ns1, a, "default"), (ns2, b, "default"))
    assert tuple(cli("get", "networkpolicy", "-A")) == (expected, "", 0)
    assert tuple(cli("get", "networkpolicy", "--all-namespaces")) == (expected, "", 0)
    assert tuple(cli("get", "networkpolicy", "-a")) == (expected, "", 0)


def test_namespace_column_with_a_namespace(cli: Cli) -> None:
    ns1, _, a, _ = _policies(cli)
    expected = table(("NAMESPACE", "NAME", "TIER", "ORDER", "SELECTOR"), (ns1, a, "default", "10", "all()"))
    assert tuple(cli("get", "policy", "-n", ns1, "-o", "wide")) == (expected, "", 0)


def test_default_namespace_has_no_column(cli: Cli) -> None:
    _ns1, _, a, _ = _policies(cli)
    stdout, stderr, code = cli("get", "np", a)
    error = f'resource does not exist: NetworkPolicy(default/{a}) with error: networkpolicies.crd.projectcalico.org "{a}" not found\n'
    assert (stdout, stderr, code) == ("", error, 1)


def test_name_with_all_namespaces(cli: Cli) -> None:
    a = cli.n("a")
    expected = "cannot use --all-namespace flag for getting a single resource\n"
    assert tuple(cli("get", "networkpolicy", a, "-A")) == ("", expected, 1)


def test_both_namespace_flags(cli: Cli) -> None:
    expected = "cannot use both --namespace and --all-namespaces flags at the same time\n"
    assert tuple(cli("get", "networkpolicy", "-A", "-n", "x")) == ("", expected, 1)


def test_namespace_flag_on_a_cluster_scoped_kind(cli: Cli) -> None:
    assert tuple(cli("get", "ippool", "-n", "x")) == ("", "IPPool is not namespaced\n", 1)
    assert tuple(cli("get", "ippool", "-A")) == ("", "IPPool is not namespaced\n", 1)


def test_namespaced_kind_from_a_file(cli: Cli) -> None:
    ns1, _, a, _ = _policies(cli)
    path = cli.file(
        "np.yaml",
        f"apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {{name: {a}, namespace: {ns1}}}\nspec: {{}}\n",
    )
    assert tuple(cli("get", "-f", path)) == (table(("NAME", "TIER"), (a, "default")), "", 0)


def test_unknown_kind(cli: Cli) -> None:
    expected = "failed to get resources: resource type 'somekind' is not supported\n"
    assert tuple(cli("get", "somekind", "somename")) == ("", expected, 1)


@pytest.mark.parametrize("names", [[""], ["x", "", "y"]])
def test_empty_name(cli: Cli, names: list[str]) -> None:
    assert tuple(cli("get", "policy", *names)) == ("", "failed to get resources: resource name may not be empty\n", 1)


def test_get_from_a_file(cli: Cli) -> None:
    a, b = cli.n("a"), cli.n("b")
    _seed_pool(cli, a, "10.21.0.0/16")
    _seed_pool(cli, b, "10.22.0.0/16")
    path = cli.file("p.yaml", pool(a, "10.0.0.0/8") + "---\n" + pool(b, "10.0.0.0/8"))
    expected = table(("NAME", "CIDR", "SELECTOR"), (a, "10.21.0.0/16", "all()")) + table(
        ("NAME", "CIDR", "SELECTOR"), (b, "10.22.0.0/16", "all()")
    )
    assert tuple(cli("get", "-f", path)) == (expected, "", 0)


# -- YAML and JSON ------------------------------------------------------------------------------------------


def test_yaml_of_one_resource(cli: Cli) -> None:
    facts = _seed_pool(cli, cli.n("a"), "10.21.0.0/16")
    assert tuple(cli("get", "ippool", facts["name"], "-o", "yaml")) == (IPPOOL_YAML.format(**facts), "", 0)
    assert tuple(cli("get", "ippool", facts["name"], "-o", "yml")) == (IPPOOL_YAML.format(**facts), "", 0)


def test_yaml_of_several_names_is_a_sequence(cli: Cli) -> None:
    a = _seed_pool(cli, cli.n("a"), "10.21.0.0/16")
    b = _seed_pool(cli, cli.n("b"), "10.22.0.0/16")
    expected = "".join("- " + _indent(IPPOOL_YAML.format(**f), "  ")[2:] for f in (a, b))
    assert tuple(cli("get", "ippool", a["name"], b["name"], "-o", "yaml")) == (expected, "", 0)


def test_yaml_of_a_list(cli: Cli) -> None:
    cli.fake_only("lists every pool")
    a = _seed_pool(cli, "a", "10.21.0.0/16")
    listed = cli.client.list_result("IPPool")
    items = "- " + _indent(IPPOOL_YAML.format(**a), "  ")[2:]
    expected = (
        f"apiVersion: projectcalico.org/v3\nitems:\n{items}kind: IPPoolList\nmetadata:\n"
        f'  resourceVersion: "{listed.resource_version}"\n'
    )
    assert tuple(cli("get", "ippool", "-o", "yaml")) == (expected, "", 0)


def test_yaml_of_an_empty_list(cli: Cli) -> None:
    cli.fake_only("needs no pools")
    rv = cli.client.list_result("IPPool").resource_version
    expected = f'apiVersion: projectcalico.org/v3\nitems: []\nkind: IPPoolList\nmetadata:\n  resourceVersion: "{rv}"\n'
    assert tuple(cli("get", "ippool", "-o", "yaml")) == (expected, "", 0)


def test_yaml_with_one_of_two_names_missing_is_that_one_object(cli: Cli) -> None:
    # ResourcePrinterYAML: a single result prints as itself, whatever was asked.
    a = _seed_pool(cli, cli.n("a"), "10.21.0.0/16")
    stdout, stderr, code = cli("get", "ippool", a["name"], cli.n("zz"), "-o", "yaml")
    assert (stdout, code) == (IPPOOL_YAML.format(**a), 1) and stderr.startswith("resource does not exist: IPPool(")


def test_yaml_of_nothing_is_null(cli: Cli) -> None:
    stdout, stderr, code = cli("get", "ippool", cli.n("zz"), "-o", "yaml")
    assert (stdout, code) == ("null\n", 1) and stderr.startswith("resource does not exist: IPPool(")


def test_json_of_one_resource_has_no_trailing_newline(cli: Cli) -> None:
    facts = _seed_pool(cli, cli.n("a"), "10.21.0.0/16")
    assert tuple(cli("get", "ippool", facts["name"], "-o", "json")) == (IPPOOL_JSON.format(**facts), "", 0)


def test_json_of_several_names_is_an_array(cli: Cli) -> None:
    a = _seed_pool(cli, cli.n("a"), "10.21.0.0/16")
    b = _seed_pool(cli, cli.n("b"), "10.22.0.0/16")
    expected = "[\n" + ",\n".join(_indent(IPPOOL_JSON.format(**f), "  ") for f in (a, b)) + "\n]"
    assert tuple(cli("get", "ippool", a["name"], b["name"], "-o", "json")) == (expected, "", 0)


def test_json_of_a_list(cli: Cli) -> None:
    cli.fake_only("lists every pool")
    a = _seed_pool(cli, "a", "10.21.0.0/16")
    rv = cli.client.list_result("IPPool").resource_version
    item = _indent(IPPOOL_JSON.format(**a), "    ")
    expected = (
        '{\n  "kind": "IPPoolList",\n  "apiVersion": "projectcalico.org/v3",\n  "metadata": {\n'
        f'    "resourceVersion": "{rv}"\n  }},\n  "items": [\n{item}\n  ]\n}}'
    )
    assert tuple(cli("get", "ippool", "-o", "json")) == (expected, "", 0)


def test_json_of_nothing_is_null(cli: Cli) -> None:
    stdout, _stderr, code = cli("get", "ippool", cli.n("zz"), "-o", "json")
    assert (stdout, code) == ("null", 1)


def test_json_escapes_html(cli: Cli) -> None:
    name = cli.n("g")
    (gnp,) = loads(
        f"apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {{name: {name}}}\n"
        "spec: {selector: \"a == 'x' && b == 'y'\"}\n"
    )
    cli.client.create(gnp)
    stdout, _, code = cli("get", "gnp", name, "-o", "json")
    assert code == 0 and "\"selector\": \"a == 'x' \\u0026\\u0026 b == 'y'\"" in stdout


def test_export_strips_cluster_metadata(cli: Cli) -> None:
    facts = _seed_pool(cli, cli.n("a"), "10.21.0.0/16")
    expected = IPPOOL_YAML.format(**facts)
    for line in (
        f'  creationTimestamp: "{facts["ts"]}"\n',
        f'  resourceVersion: "{facts["rv"]}"\n',
        f"  uid: {facts['uid']}\n",
    ):
        expected = expected.replace(line, "")
    assert tuple(cli("get", "ippool", facts["name"], "-o", "yaml", "--export")) == (expected, "", 0)


def test_export_is_ignored_for_lists(cli: Cli) -> None:
    cli.fake_only("lists every pool")
    _seed_pool(cli, "a", "10.21.0.0/16")
    stdout, _, code = cli("get", "ippool", "-o", "yaml", "--export")
    assert code == 0 and "uid: " in stdout and "resourceVersion" in stdout


def test_export_clears_the_namespace(cli: Cli) -> None:
    ns1, _, a, _ = _policies(cli)
    stdout, _, code = cli("get", "networkpolicy", a, "-n", ns1, "-o", "yaml", "--export")
    assert code == 0 and "namespace:" not in stdout and f"name: {a}\n" in stdout


# -- custom columns --------------------------------------------------------------------------------------------


def test_custom_columns(cli: Cli) -> None:
    a = cli.n("a")
    _seed_pool(cli, a, "10.21.0.0/16")
    expected = table(("CIDR", "NAME", "NAT"), ("10.21.0.0/16", a, "true"))
    assert tuple(cli("get", "ippool", a, "-o", "custom-columns=CIDR,NAME,NAT")) == (expected, "", 0)


def test_custom_columns_never_add_the_namespace(cli: Cli) -> None:
    ns1, _, a, _ = _policies(cli)
    assert tuple(cli("get", "np", a, "-n", ns1, "-o", "custom-columns=NAME,ORDER")) == (
        table(("NAME", "ORDER"), (a, "10")),
        "",
        0,
    )
    expected = table(("NAMESPACE", "NAME"), (ns1, a))
    assert tuple(cli("get", "np", a, "-n", ns1, "-o", "custom-columns=NAMESPACE,NAME")) == (expected, "", 0)


def test_custom_column_a_kind_does_not_have(cli: Cli) -> None:
    a = cli.n("a")
    _seed_pool(cli, a, "10.21.0.0/16")
    # calicoctl lists the valid headings in Go's random map order; calicopy sorts them.
    expected = (
        "unknown heading TIER, valid values are: ASSIGNMENTMODE, CIDR, DISABLEBGPEXPORT, DISABLED, IPIPMODE, "
        "NAME, NAT, SELECTOR, VXLANMODE\n"
    )
    assert tuple(cli("get", "ippool", a, "-o", "custom-columns=NAME,TIER")) == ("", expected, 1)


def test_workload_endpoint_orchestrator_column(cli: Cli) -> None:
    cli.fake_only("adds a pod")
    assert cli.server is not None
    cli.server.add(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"nodeName": "node-1", "containers": [{"name": "c", "image": "i"}]},
            "status": {"podIP": "10.245.0.5", "podIPs": [{"ip": "10.245.0.5"}]},
        }
    )
    expected = table(("WORKLOAD", "ORCHESTRATOR"), ("web", "k8s"))
    assert tuple(cli("get", "wep", "-o", "custom-columns=WORKLOAD,ORCHESTRATOR")) == (expected, "", 0)


# -- output format errors (checked before anything is read) -------------------------------------------------

FORMAT_ERRORS = [
    ("xml", "unrecognized output format 'xml'\n"),
    ("YAML", "unrecognized output format 'YAML'\n"),
    ("go-template", "need to specify a template\n"),
    ("go-template=", "need to specify a template\n"),
    ("go-template-file", "need to specify a template file\n"),
    ("custom-columns", "need to specify at least one column\n"),
    ("custom-columns=", "need to specify at least one column\n"),
    ("foo=bar", "unrecognized output format 'foo=bar'\n"),
]


@pytest.mark.parametrize(("fmt", "stderr"), FORMAT_ERRORS, ids=[f for f, _ in FORMAT_ERRORS])
def test_output_format_errors(offline: Cli, fmt: str, stderr: str) -> None:
    # get.go checks -o before any datastore access (offline has none).
    assert tuple(offline("get", "ippool", "-o", fmt)) == ("", stderr, 1)


# -- go-template (the engine is calicopy._go.template; here a stand-in shows what the CLI hands it) --------------


class _Recorder:
    """A template engine that records what it is given and renders names."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.data: list[Any] = []
        self.funcs: list[Mapping[str, Callable[..., Any]]] = []

    def parse(self, text: str, name: str = "get") -> _Recorder:
        self.texts.append(text)
        return self

    def execute(self, data: Any, funcs: Mapping[str, Callable[..., Any]] = {}) -> str:
        self.data.append(data)
        self.funcs.append(funcs)
        names = []
        for obj in data:
            items = obj.items if isinstance(obj, KindList) else [obj]
            names += [i.metadata.name for i in items]
        return " ".join(names) + "\n"


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> _Recorder:
    engine = _Recorder()
    monkeypatch.setattr(output, "template_engine", lambda: engine)
    return engine


def test_go_template_gets_the_list_of_fetched_objects(cli: Cli, recorder: _Recorder) -> None:
    a, b = cli.n("a"), cli.n("b")
    _seed_pool(cli, a, "10.21.0.0/16")
    _seed_pool(cli, b, "10.22.0.0/16")
    assert tuple(cli("get", "ippool", a, b, "-o", "go-template={{range .}}{{.Name}}{{end}}")) == (f"{a} {b}\n", "", 0)
    assert recorder.texts == ["{{range .}}{{.Name}}{{end}}"]
    (data,) = recorder.data
    assert [type(d).__name__ for d in data] == ["IPPool", "IPPool"]
    assert sorted(recorder.funcs[0]) == ["config", "join", "joinAndTruncate"]


def test_go_template_of_a_list_is_one_list_object(cli: Cli, recorder: _Recorder) -> None:
    cli.fake_only("lists every pool")
    _seed_pool(cli, "a", "10.21.0.0/16")
    assert tuple(cli("get", "ippool", "-o", "go-template=x")) == ("a\n", "", 0)
    (data,) = recorder.data
    assert [type(d).__name__ for d in data] == ["KindList"] and data[0].list_kind == "IPPoolList"


def test_go_template_file(cli: Cli, recorder: _Recorder) -> None:
    a = cli.n("a")
    _seed_pool(cli, a, "10.21.0.0/16")
    path = cli.file("t.tmpl", "{{range .}}{{.Spec.CIDR}}{{end}}")
    assert tuple(cli("get", "ippool", a, "-o", f"go-template-file={path}")) == (f"{a}\n", "", 0)
    assert recorder.texts == ["{{range .}}{{.Spec.CIDR}}{{end}}"]


def test_go_template_file_missing(cli: Cli, recorder: _Recorder) -> None:
    path = str(cli.workdir / "none.tmpl")
    _seed_pool(cli, cli.n("a"), "10.21.0.0/16")
    expected = f"open {path}: no such file or directory\n"
    assert tuple(cli("get", "ippool", cli.n("a"), "-o", f"go-template-file={path}")) == ("", expected, 1)


def test_go_template_config_function_reads_the_cluster_as_number(cli: Cli, recorder: _Recorder) -> None:
    cli.fake_only("sets the default BGPConfiguration")
    _seed_pool(cli, "a", "10.21.0.0/16")
    cli("get", "ippool", "a", "-o", "go-template=x")
    config = recorder.funcs[0]["config"]
    assert config("asnumber") == "64512" and config("ASNumber") == "64512"
    with pytest.raises(Exception, match="unhandled config type"):
        config("other")


@pytest.mark.parametrize(
    ("items", "sep", "limit", "expected"),
    [
        (None, ",", 0, ""),
        (["a", "b"], ",", 0, "a,b"),
        ({"b": "2", "a": "1"}, ";", 0, "a=1;b=2"),
        ("solo", ",", 0, "solo"),
        ([1, 2.5, True], " ", 0, "1 2.5 true"),
        ([f"10.0.{i}.0/28" for i in range(10)], ",", 20, "10.0.0.0/28,10.0...."),
    ],
)
def test_join_functions(items: Any, sep: str, limit: int, expected: str) -> None:
    # printer.go joinAndTruncate: stop once the text exceeds the limit, cut to limit-3 plus "...".
    assert output.join_and_truncate(items, sep, limit) == expected
    if not limit:
        assert output.join(items, sep) == expected


def test_go_template_with_the_real_engine(cli: Cli) -> None:
    pytest.importorskip("calicopy._go.template")
    a = cli.n("a")
    _seed_pool(cli, a, "10.21.0.0/16")
    template = (
        '{{range .}}{{.ObjectMeta.Name}} {{.Spec.CIDR}} {{config "asnumber"}} {{join .Spec.AllowedUses ","}}\n{{end}}'
    )
    assert tuple(cli("get", "ippool", a, "-o", f"go-template={template}")) == (
        f"{a} 10.21.0.0/16 64512 Workload,Tunnel\n",
        "",
        0,
    )


def test_go_template_of_a_list_with_the_real_engine(cli: Cli) -> None:
    pytest.importorskip("calicopy._go.template")
    cli.fake_only("lists every pool")
    _seed_pool(cli, "a", "10.21.0.0/16")
    _seed_pool(cli, "b", "10.22.0.0/16")
    template = "{{range .}}{{.Kind}}{{range .Items}} {{.Name}}{{end}}{{end}}"
    assert tuple(cli("get", "ippools", "-o", f"go-template={template}")) == ("IPPoolList a b", "", 0)
    # calicoctl's printer (google/safetext) refuses output whose YAML shape the data decides.
    assert tuple(cli("get", "ippools", "-o", "go-template={{range .}}{{.Kind}}: x{{end}}")) == (
        "",
        "YAML Injection Detected\n",
        1,
    )


def test_go_template_errors_with_the_real_engine(cli: Cli) -> None:
    pytest.importorskip("calicopy._go.template")
    cli.fake_only("lists every pool")
    expected = 'template: get:1:13: executing "get" at <.Bogus>: can\'t evaluate field Bogus in type *v3.IPPoolList\n'
    assert tuple(cli("get", "ippools", "-o", "go-template={{range .}}{{.Bogus}}{{end}}")) == ("", expected, 1)
    assert tuple(cli("get", "ippools", "-o", "go-template={{range .}")) == (
        "",
        "template: get:1: bad character U+007D '}'\n",
        1,
    )


def test_resource_is_what_tables_print() -> None:
    # The printers take models; a KindList is the list object of get without names.
    (p,) = loads(pool("a", "10.0.0.0/8"))
    listed = KindList("IPPool", [p], "7")
    assert isinstance(p, Resource) and listed.to_dict()["metadata"] == {"resourceVersion": "7"}
    assert KindList("IPPool", [], "").to_dict() == {
        "kind": "IPPoolList",
        "apiVersion": "projectcalico.org/v3",
        "metadata": {},
        "items": [],
    }
