"""calicoctl's ``get -o go-template`` over real calicopy models.

The expected outputs follow Go's rules for the Go structs calicopy's models mirror
(``api/pkg/apis/projectcalico/v3`` in Calico v3.32.1): fields by Go name, TypeMeta and
ObjectMeta embedded (their fields promoted), pointers looked through when printed, ``%v`` for
values; calicoctl's ``join``/``joinAndTruncate``/``config`` (``commands/common/printer.go``);
and safetext's ``yamltemplate`` checks around the whole run.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

import calicopy.resources.generated as generated_package
from calicopy import IPPool, NetworkPolicy, WorkloadEndpoint
from calicopy._go.template import (
    INJECTION_DETECTED,
    INVALID_YAML,
    GoTemplateError,
    parse,
    render,
    resources_slice,
    to_go,
)
from calicopy._go.template.values import _layout, is_model
from calicopy.errors import CalicoError, TemplateError

ROOT = Path(__file__).resolve().parents[1]


def _pool(name: str, cidr: str, **spec: Any) -> IPPool:
    return IPPool.from_storage(
        {
            "apiVersion": "projectcalico.org/v3",
            "kind": "IPPool",
            "metadata": {"name": name, "resourceVersion": "7", "labels": spec.pop("labels", {})},
            "spec": {"cidr": cidr, **spec},
        }
    )


POOLS = [
    _pool(
        "default-ipv4-ippool",
        "192.168.0.0/16",
        ipipMode="Always",
        natOutgoing=True,
        blockSize=26,
        nodeSelector="all()",
        assignmentMode="Automatic",
        labels={"zone": "a", "env": "prod"},
    ),
    _pool("pool2", "10.10.0.0/24", vxlanMode="CrossSubnet", disabled=True, allowedUses=["Workload", "Tunnel"]),
]

POLICIES = [
    NetworkPolicy.from_storage(
        {
            "apiVersion": "projectcalico.org/v3",
            "kind": "NetworkPolicy",
            "metadata": {"name": "default.allow-tcp-6379", "namespace": "production"},
            "spec": {
                "tier": "default",
                "order": 100,
                "selector": "role == 'database'",
                "types": ["Ingress", "Egress"],
                "ingress": [
                    {
                        "action": "Allow",
                        "protocol": "TCP",
                        "source": {"selector": "role == 'frontend'"},
                        "destination": {"ports": [6379, "8000:8010"]},
                    }
                ],
                "egress": [{"action": "Allow"}],
            },
        }
    ),
    NetworkPolicy.from_storage(
        {
            "apiVersion": "projectcalico.org/v3",
            "kind": "NetworkPolicy",
            "metadata": {"name": "default.deny-all", "namespace": "staging"},
            "spec": {"tier": "default", "selector": "all()", "types": ["Ingress"]},
        }
    ),
]

WEPS = [
    WorkloadEndpoint.from_storage(
        {
            "apiVersion": "projectcalico.org/v3",
            "kind": "WorkloadEndpoint",
            "metadata": {
                "name": "node1-k8s-frontend--5gs43-eth0",
                "namespace": "default",
                "labels": {"app": "frontend", "projectcalico.org/namespace": "default"},
            },
            "spec": {
                "orchestrator": "k8s",
                "node": "node1",
                "pod": "frontend-5gs43",
                "endpoint": "eth0",
                "interfaceName": "cali0ef24ba",
                "mac": "ca:fe:1d:52:bb:e9",
                "ipNetworks": ["192.168.0.1/32", "fd00::1/128"],
                "ipNATs": [{"internalIP": "192.168.0.1", "externalIP": "10.0.0.1"}],
                "profiles": ["kns.default", "ksa.default.default"],
                "ports": [{"name": "http", "protocol": "TCP", "port": 80}],
            },
        }
    ),
    WorkloadEndpoint.from_storage(
        {
            "apiVersion": "projectcalico.org/v3",
            "kind": "WorkloadEndpoint",
            "metadata": {"name": "node2-k8s-backend-eth0", "namespace": "default"},
            "spec": {"orchestrator": "k8s", "node": "node2", "workload": "backend", "endpoint": "eth0"},
        }
    ),
]


def run(text: str, resources: list[Any]) -> str:
    return parse(text).execute(resources_slice(resources))


# -- the data as Go structs -------------------------------------------------------------------


def _generated_models() -> dict[str, type]:
    models: dict[str, type] = {}
    for module_path in sorted(Path(generated_package.__file__).parent.glob("*.py")):
        module = __import__(f"calicopy.resources.generated.{module_path.stem}", fromlist=["_"])
        for value in vars(module).values():
            if isinstance(value, type) and hasattr(value, "__calico_plan__") and value.__module__ == module.__name__:
                models[value.__name__] = value
    return models


def test_every_model_field_has_its_go_name_in_go_order() -> None:
    """Each generated model, seen as a Go struct, has the fields of Calico's Go struct, named
    and ordered as Go has them (tools/calico-api-v3.32.1.json is extracted from the Go source)."""
    facts = json.loads((ROOT / "tools" / "calico-api-v3.32.1.json").read_text())
    models = _generated_models()
    checked = 0
    for struct in facts["structs"]:
        model = models.get(struct["name"])
        if model is None:
            continue
        expected = [f["go_name"] for f in struct["fields"]]
        assert [f.go_name for f in _layout(model).fields] == expected, struct["name"]
        checked += 1
    assert checked > 100


def test_resources_are_runtime_objects() -> None:
    data = resources_slice(POOLS)
    assert data.go_type == "[]runtime.Object"
    assert data.items[0].go_type == "*v3.IPPool"
    assert to_go({"a": [POOLS[0]]})["a"][0].go_type == "*v3.IPPool"
    assert is_model(POOLS[0]) and not is_model({"a": 1})


def test_fields_by_go_name_and_promotion() -> None:
    text = (
        "{{range .}}{{.Name}}|{{.ObjectMeta.Name}}|{{.Kind}}|{{.TypeMeta.APIVersion}}|{{.ResourceVersion}}|"
        "{{.Spec.CIDR}}|{{.Spec.NATOutgoing}}|{{.Spec.IPIPMode}}|{{.Spec.VXLANMode}}|{{.Spec.BlockSize}}|"
        "{{.Spec.Disabled}}|{{.Spec.AssignmentMode}}|{{.Status}}|{{.GetName}}\n{{end}}"
    )
    assert run(text, POOLS) == (
        "default-ipv4-ippool|default-ipv4-ippool|IPPool|projectcalico.org/v3|7|192.168.0.0/16|true|Always||26|"
        "false|Automatic|<nil>|default-ipv4-ippool\n"
        "pool2|pool2|IPPool|projectcalico.org/v3|7|10.10.0.0/24|false||CrossSubnet|0|true|<nil>|<nil>|pool2\n"
    )


def test_maps_slices_and_printing() -> None:
    text = '{{range .}}{{.Labels}} {{.Labels.zone}} {{index .Labels "env"}} {{.Spec.AllowedUses}} {{len .Spec.AllowedUses}}\n{{end}}'
    assert run(text, POOLS) == "map[env:prod zone:a] a prod [] 0\nmap[] <no value>  [Workload Tunnel] 2\n"


def test_truthiness_follows_go() -> None:
    """Empty values are false; a non-nil pointer is true whatever it points to."""
    text = (
        "{{range .}}{{if .Spec.NATOutgoing}}nat{{else}}no-nat{{end}},"
        "{{if .Spec.AssignmentMode}}mode-set{{else}}mode-unset{{end}},"
        "{{if .Labels}}labelled{{end}}{{with .Spec.NodeSelector}} sel={{.}}{{end}};{{end}}"
    )
    assert run(text, POOLS) == "nat,mode-set,labelled sel=all();no-nat,mode-unset,;"


def test_printing_whole_values() -> None:
    """A resource in the list prints as &{...}; a struct field as {...}; a nested pointer as its
    target (Go would print an address there: calicopy's one deliberate difference)."""
    out = run("{{range .}}{{.Spec}}\n{{end}}", POOLS[1:])
    assert out == "{10.10.0.0/24 CrossSubnet  false true false 0   [Workload Tunnel] <nil>}\n"
    out = run("{{with index . 0}}{{.TypeMeta}} {{.Spec.AssignmentMode}}{{end}}", POOLS)
    assert out == "{IPPool projectcalico.org/v3} Automatic"
    out = run("{{range .}}{{.}}{{end}}", POOLS[1:])
    assert out.startswith("&{{IPPool projectcalico.org/v3} {pool2     7 0 ")


def test_network_policies() -> None:
    text = (
        "{{range .}}{{.Namespace}}/{{.Name}} tier={{.Spec.Tier}} order={{.Spec.Order}} "
        'types={{join .Spec.Types ","}}\n'
        "{{range $i, $r := .Spec.Ingress}}  in[{{$i}}] {{$r.Action}} {{$r.Protocol}} from {{$r.Source.Selector}}"
        ' to ports {{join $r.Destination.Ports ","}}\n{{end}}'
        "{{range .Spec.Egress}}  out {{.Action}}\n{{else}}  no egress\n{{end}}{{end}}"
    )
    assert run(text, POLICIES) == (
        "production/default.allow-tcp-6379 tier=default order=100 types=Ingress,Egress\n"
        "  in[0] Allow TCP from role == 'frontend' to ports 6379,8000:8010\n"
        "  out Allow\n"
        "staging/default.deny-all tier=default order=<nil> types=Ingress\n"
        "  no egress\n"
    )


def test_workload_endpoints_with_calicoctls_table_templates() -> None:
    """The column templates of calicoctl's resourcemgr/workloadendpoint.go, on each endpoint."""
    columns = {
        "NAME": "{{.ObjectMeta.Name}}",
        "WORKLOAD": "{{if .Spec.Workload}}{{.Spec.Workload}}{{else}}{{.Spec.Pod}}{{end}}",
        "NODE": "{{.Spec.Node}}",
        "NETWORKS": '{{join .Spec.IPNetworks ","}}',
        "NATS": '{{join .Spec.IPNATs ","}}',
        "PROFILES": '{{join .Spec.Profiles ","}}',
        "INTERFACE": "{{.Spec.InterfaceName}}",
    }
    text = "\t".join(columns.values()) + "\n"
    template = parse(text)
    rows = [template.execute(to_go(wep)) for wep in WEPS]
    assert rows == [
        "node1-k8s-frontend--5gs43-eth0\tfrontend-5gs43\tnode1\t192.168.0.1/32,fd00::1/128\t"
        "{192.168.0.1 10.0.0.1}\tkns.default,ksa.default.default\tcali0ef24ba\n",
        "node2-k8s-backend-eth0\tbackend\tnode2\t\t\t\t\n",
    ]
    ports = run("{{range .}}{{range .Spec.Ports}}{{.Name}}:{{.Protocol}}/{{.Port}} {{end}}{{end}}", WEPS)
    assert ports == "http:TCP/80 "


def test_join_and_truncate() -> None:
    text = (
        '{{range .}}{{join .Spec.AllowedUses "+"}}|{{join .Labels ";"}}|{{joinAndTruncate .Labels "," 10}}|'
        '{{join .Spec.CIDR ","}}|{{join .Spec.BlockSize ","}}\n{{end}}'
    )
    assert run(text, POOLS) == ("|env=prod;zone=a|env=pro...|192.168.0.0/16|26\nWorkload+Tunnel|||10.10.0.0/24|0\n")
    with pytest.raises(GoTemplateError) as info:
        run('{{range .}}{{joinAndTruncate .Labels "," 2}}{{end}}', POOLS)
    assert str(info.value) == (
        'template: get:1:13: executing "get" at <joinAndTruncate .Labels "," 2>: '
        "error calling joinAndTruncate: bytes.Buffer: truncation out of range"
    )
    with pytest.raises(GoTemplateError, match="expected string; found 5"):
        run("{{range .}}{{join .Labels 5}}{{end}}", POOLS)


def test_config_asnumber() -> None:
    asked: list[int] = []

    def as_number() -> str:
        asked.append(1)
        return "65001"

    text = '{{range .}}{{config "asnumber"}} {{config "ASNumber"}}\n{{end}}'
    assert render(text, POOLS, as_number=as_number) == "65001 65001\n65001 65001\n"
    assert len(asked) == 1  # calicoctl reads BGPConfiguration once per printer
    assert render('{{config "asnumber"}}', POOLS) == "64512"
    with pytest.raises(GoTemplateError) as info:
        render('{{config "nope"}}', POOLS)
    assert str(info.value).endswith("error calling config: unhandled config type")


def test_go_error_texts_over_models() -> None:
    cases = {
        # A field chain's position is its second field's (Go's parser builds it that way).
        "{{range .}}{{.Metadata.Name}}{{end}}": 'template: get:1:22: executing "get" at <.Metadata.Name>: '
        "can't evaluate field Metadata in type *v3.IPPool",
        "{{.Items}}": 'template: get:1:2: executing "get" at <.Items>: can\'t evaluate field Items in type '
        "[]runtime.Object",
        "{{range .}}{{.Status.Conditions}}{{end}}": 'template: get:1:20: executing "get" at <.Status.Conditions>: '
        "nil pointer evaluating *v3.IPPoolStatus.Conditions",
        "{{range .}}{{.Spec.Nope}}{{end}}": 'template: get:1:18: executing "get" at <.Spec.Nope>: '
        "can't evaluate field Nope in type v3.IPPoolSpec",
        '{{range .}}{{eq .Spec.BlockSize "26"}}{{end}}': 'template: get:1:13: executing "get" at '
        '<eq .Spec.BlockSize "26">: error calling eq: incompatible types for comparison: int and string',
        "{{range .}}{{.Name.First}}{{end}}": 'template: get:1:18: executing "get" at <.Name.First>: '
        "can't evaluate field First in type string",
    }
    for text, message in cases.items():
        with pytest.raises(GoTemplateError) as info:
            run(text, POOLS)
        assert str(info.value) == message


# -- calicoctl's printer: yamltemplate ------------------------------------------------------------


def test_render_prints_the_output_when_it_is_yaml() -> None:
    assert render("{{range .}}{{.Name}}\n{{end}}", POOLS) == "default-ipv4-ippool\npool2\n"
    yaml_list = "{{range .}}- name: {{.Name}}\n  cidr: {{.Spec.CIDR}}\n  nat: {{.Spec.NATOutgoing}}\n{{end}}"
    assert render(yaml_list, POOLS) == (
        "- name: default-ipv4-ippool\n  cidr: 192.168.0.0/16\n  nat: true\n"
        "- name: pool2\n  cidr: 10.10.0.0/24\n  nat: false\n"
    )
    assert render("{{range .}}{{.Name}} {{.Spec.CIDR}}\n{{end}}", POOLS) == (
        "default-ipv4-ippool 192.168.0.0/16\npool2 10.10.0.0/24\n"
    )
    assert render("", []) == ""


def test_render_refuses_what_is_not_yaml() -> None:
    """The baseline run (every printed string "baseline") must parse as YAML."""
    for text in ("{{range .}}name: {{.Name}}\n{{end}}", "- {{range .}}\n{{.Name}}{{end}}\n  - x: [", "@{{len .}}"):
        with pytest.raises(GoTemplateError) as info:
            render(text, POOLS)
        assert str(info.value) == INVALID_YAML
        assert info.value.phase == "yaml" and info.value.output == ""


def test_render_detects_injection() -> None:
    """Values that change the YAML's shape: a printed value used as a key, a value that becomes
    a mapping, a selector that turns into a YAML tag."""
    with pytest.raises(GoTemplateError) as info:
        render("{{range .}}{{.Name}}: {{.Spec.CIDR}}{{end}}", POOLS[:1])
    assert str(info.value) == INJECTION_DETECTED
    colon = _pool("p", "10.0.0.0/24", nodeSelector="a: b")
    with pytest.raises(GoTemplateError, match=INJECTION_DETECTED):
        render("{{range .}}sel: {{.Spec.NodeSelector}}\n{{end}}", [colon])
    assert render("{{range .}}sel: '{{.Spec.NodeSelector}}'\n{{end}}", [colon]) == "sel: 'a: b'\n"


def test_render_execution_errors_print_nothing() -> None:
    with pytest.raises(GoTemplateError) as info:
        render("{{range .}}{{.Name}}\n{{.Nope}}{{end}}", POOLS)
    assert info.value.output == ""
    assert "can't evaluate field Nope in type *v3.IPPool" in str(info.value)


def test_render_copies_structs_where_safetext_panics() -> None:
    """safetext's deep copy panics on most Calico structs and on slices of enum strings
    (calicoctl: ``error calling ApplyInjectionDetection: reflect.Set: value of type string is
    not assignable to type v3.VXLANMode``); calicopy copies them, as the check intends."""
    assert render('{{range .}}- "{{.Spec}}"\n{{end}}', POOLS[1:]) == (
        '- "{10.10.0.0/24 CrossSubnet  false true false 0   [Workload Tunnel] <nil>}"\n'
    )
    assert render('{{range .}}- {{join .Spec.AllowedUses ","}}\n{{end}}', POOLS) == "- \n- Workload,Tunnel\n"


def test_safetext_functions_exist() -> None:
    assert render("{{range .}}{{StructuralData .Name}}\n{{end}}", POOLS) == "default-ipv4-ippool\npool2\n"
    assert parse("{{ApplyInjectionDetection .}}").execute("x") == "x"


def test_ten_thousand_resources() -> None:
    """Fast enough for big clusters: 10,000 pools through calicoctl's whole printer."""
    pools = [
        IPPool.model_construct(
            kind="IPPool",
            api_version="projectcalico.org/v3",
            metadata=POOLS[0].metadata.model_copy(update={"name": f"pool{i}"}),
            spec=POOLS[0].spec,
            status=None,
        )
        for i in range(10_000)
    ]
    start = time.perf_counter()
    out = render("{{range .}}{{.Name}} {{.Spec.CIDR}} {{.Spec.NATOutgoing}}\n{{end}}", pools)
    elapsed = time.perf_counter() - start
    assert out.count("\n") == 10_000 and out.startswith("pool0 192.168.0.0/16 true\n")
    assert elapsed < 30, f"{elapsed:.1f}s"


def test_go_methods_that_cannot_be_called_are_named() -> None:
    """ObjectMeta's getters are methods templates may call; other Go methods are refused by name."""
    assert run("{{range .}}{{.GetName}}/{{.ObjectMeta.GetResourceVersion}} {{end}}", POOLS) == (
        "default-ipv4-ippool/7 pool2/7 "
    )
    for method, owner in (("DeepCopy", "*v3.IPPool"), ("SetName", "*v3.IPPool"), ("GetObjectKind", "*v3.IPPool")):
        with pytest.raises(GoTemplateError) as info:
            run(f"{{{{range .}}}}{{{{.{method}}}}}{{{{end}}}}", POOLS)
        assert str(info.value).endswith(f"{method} is a Go method of {owner} that calicopy's templates cannot call")


def test_calicopy_template_error_carries_the_engines_error() -> None:
    with pytest.raises(GoTemplateError) as info:
        render("{{range .}}{{.Nope}}{{end}}", POOLS)
    error = TemplateError.from_go(info.value)
    assert isinstance(error, CalicoError) and isinstance(error, ValueError)
    assert str(error) == str(info.value)
    assert (error.template, error.phase, error.line, error.column, error.context) == ("get", "exec", 1, 13, ".Nope")
    assert error.reason == "can't evaluate field Nope in type *v3.IPPool"
