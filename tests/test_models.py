"""The models' Go-shaped behaviour: names, omitempty, strict vs lenient input, scalar types, round trips."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from model_strategies import model_strategy

import calicopy
from calicopy import GlobalNetworkPolicy, IPPool, NetworkPolicy, Tier, ValidationError
from calicopy.resources import registry
from calicopy.resources.model import CalicoModel, set_checked
from calicopy.resources.types import Port, format_go_duration, parse_go_duration

# -- import hygiene ---------------------------------------------------------------------------


def test_import_is_light_and_silent() -> None:
    code = (
        "import sys, calicopy\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('kubernetes', 'pydantic', 'yaml', 'jsonschema', 'urllib3')]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert out.stderr == ""


def test_models_do_not_import_kubernetes() -> None:
    code = "import sys, calicopy\ncalicopy.IPPool\ncalicopy.loads\nprint('kubernetes' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _all_models() -> list[type[CalicoModel]]:
    for info in registry.all_kinds():
        info.model  # noqa: B018  (models load lazily; load every kind's module)
    seen: list[type[CalicoModel]] = []
    stack = list(CalicoModel.__subclasses__())
    while stack:
        cls = stack.pop()
        if cls not in seen:
            seen.append(cls)
            stack.extend(cls.__subclasses__())
    return seen


def test_every_annotation_is_resolved() -> None:
    # An unresolved forward reference would hide a nested model from validation and key matching.
    for cls in _all_models():
        for name, info in cls.model_fields.items():
            assert "ForwardRef" not in repr(info.annotation), f"{cls.__name__}.{name}"


def test_class_names_equal_kind_names() -> None:
    for info in registry.all_kinds():
        assert info.model.__name__ == info.kind == info.model.KIND
        assert getattr(calicopy, info.kind) is info.model


# -- names and Go's JSON shape ------------------------------------------------------------------


def test_snake_case_attributes_and_calico_json_names() -> None:
    pool = IPPool(
        metadata={"name": "pool1"},
        spec={"cidr": "10.245.1.0/24", "ipipMode": "Never", "natOutgoing": True, "disableBGPExport": True},
    )
    assert pool.spec.ipip_mode == "Never"
    assert pool.spec.disable_bgp_export is True
    assert pool.to_dict() == {
        "kind": "IPPool",
        "apiVersion": "projectcalico.org/v3",
        "metadata": {"name": "pool1"},
        "spec": {"cidr": "10.245.1.0/24", "ipipMode": "Never", "natOutgoing": True, "disableBGPExport": True},
    }


def test_omitempty_drops_zero_values_but_pointers_keep_explicit_zero() -> None:
    pool = IPPool.from_dict({"metadata": {"name": "p"}, "spec": {"cidr": "10.0.0.0/24", "disabled": False}})
    assert "disabled" not in pool.to_dict()["spec"]
    tier = Tier.from_dict({"metadata": {"name": "t"}, "spec": {"order": 0}})
    assert tier.to_dict()["spec"]["order"] == 0  # *float64: an explicit zero is written


def test_float_fields_print_like_go() -> None:
    gnp = GlobalNetworkPolicy.from_dict({"metadata": {"name": "g"}, "spec": {"order": 100}})
    assert gnp.to_dict()["spec"]["order"] == 100
    assert isinstance(gnp.to_dict()["spec"]["order"], int)
    gnp2 = GlobalNetworkPolicy.from_dict({"metadata": {"name": "g"}, "spec": {"order": 100.5}})
    assert gnp2.to_dict()["spec"]["order"] == 100.5


def test_empty_entity_rules_are_omitted_as_omitzero() -> None:
    np = NetworkPolicy.from_dict(
        {"metadata": {"name": "n", "namespace": "default"}, "spec": {"ingress": [{"action": "Allow"}]}}
    )
    assert np.to_dict()["spec"]["ingress"] == [{"action": "Allow"}]


# -- strict user input ---------------------------------------------------------------------------


def test_keys_match_case_insensitively_like_go() -> None:
    pool = IPPool.from_dict({"Metadata": {"NAME": "p"}, "Spec": {"CIDR": "10.1.0.0/16", "IPIPMODE": "Always"}})
    assert pool.metadata.name == "p"
    assert pool.spec.cidr == "10.1.0.0/16"
    assert pool.spec.ipip_mode == "Always"


def test_unknown_field_is_rejected_with_its_path() -> None:
    with pytest.raises(ValidationError) as exc:
        IPPool.from_dict({"metadata": {"name": "p"}, "spec": {"cidr": "10.1.0.0/16", "natOutgoin": True}})
    assert [f.path for f in exc.value.fields] == ["spec.natOutgoin"]
    assert "not recognized" in str(exc.value)


def test_python_names_are_not_json_names() -> None:
    with pytest.raises(ValidationError) as exc:
        IPPool.from_dict({"metadata": {"name": "p"}, "spec": {"cidr": "10.1.0.0/16", "nat_outgoing": True}})
    assert exc.value.fields[0].path == "spec.nat_outgoing"


def test_constructor_accepts_python_names_and_rejects_unknown() -> None:
    pool = IPPool(metadata={"name": "p"}, spec={"cidr": "10.1.0.0/16", "nat_outgoing": True})
    assert pool.spec.nat_outgoing is True
    with pytest.raises(ValidationError):
        IPPool(metadata={"name": "p"}, spec={"cidr": "10.1.0.0/16", "bogus": 1})


@pytest.mark.parametrize(
    ("spec", "path"),
    [
        ({"cidr": "10.1.0.0/16", "disabled": "true"}, "spec.disabled"),
        ({"cidr": "10.1.0.0/16", "blockSize": "26"}, "spec.blockSize"),
        ({"cidr": "10.1.0.0/16", "blockSize": 26.5}, "spec.blockSize"),
        ({"cidr": "10.1.0.0/16", "allowedUses": "Workload"}, "spec.allowedUses"),
    ],
)
def test_wrong_types_are_rejected_like_gos_decoder(spec: dict[str, Any], path: str) -> None:
    with pytest.raises(ValidationError) as exc:
        IPPool.from_dict({"metadata": {"name": "p"}, "spec": spec})
    assert path in [f.path for f in exc.value.fields]
    assert "cannot unmarshal" in str(exc.value)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (1, "1"),
        (True, "true"),
        (False, "false"),
        (1.5, "1.5"),
        (100.0, "100"),
        (1e21, "1e+21"),
        (123456789.0, "1.2345679e+08"),
    ],
)
def test_numbers_and_booleans_in_string_fields_become_text_like_sigs_yaml(raw: Any, text: str) -> None:
    # calicoctl decodes with sigs.k8s.io/yaml, which writes a scalar as its text when the Go
    # field is a string (FormatFloat 'g' -1 32 for floats): `annotations: {a: 1}` is accepted as "1".
    pool = IPPool.from_dict({"metadata": {"name": "p", "annotations": {"k": raw}}, "spec": {"cidr": "10.1.0.0/16"}})
    assert pool.metadata.annotations == {"k": text}


def test_number_in_a_string_field_is_then_validated_as_text() -> None:
    with pytest.raises(ValidationError) as exc:
        IPPool.from_dict({"metadata": {"name": "p"}, "spec": {"cidr": 10}})
    assert exc.value.fields[0].path == "spec.cidr"
    assert exc.value.fields[0].value == "10"


def test_validation_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"spec\.cidrx"):
        IPPool.from_dict({"metadata": {"name": "p"}, "spec": {"cidrx": "x"}})


# -- lenient storage input ---------------------------------------------------------------------


def test_from_storage_keeps_unknown_fields_everywhere() -> None:
    stored = {
        "kind": "NetworkPolicy",
        "apiVersion": "projectcalico.org/v3",
        "metadata": {"name": "n", "namespace": "ns", "futureMeta": "x"},
        "spec": {
            "selector": "all()",
            "futureSpec": {"nested": [1, 2]},
            "ingress": [{"action": "Allow", "futureRule": True, "source": {"futureEntity": "y"}}],
        },
        "futureTop": 7,
    }
    obj = NetworkPolicy.from_storage(stored)
    out = obj.to_dict()
    assert out["futureTop"] == 7
    assert out["metadata"]["futureMeta"] == "x"
    assert out["spec"]["futureSpec"] == {"nested": [1, 2]}
    assert out["spec"]["ingress"][0]["futureRule"] is True
    assert out["spec"]["ingress"][0]["source"]["futureEntity"] == "y"


def test_from_storage_does_not_run_calico_validation() -> None:
    # A stored object that today's rules reject must still be readable (it may come from a newer Calico).
    obj = IPPool.from_storage({"metadata": {"name": "p"}, "spec": {"cidr": "not-a-cidr", "ipipMode": "Sometimes"}})
    assert obj.spec.ipip_mode == "Sometimes"


# -- Calico's scalar types ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(80, 80), ("80", 80), ("1:10", "1:10"), ("5:5", 5), ("http", "http"), ("named-port.x_1", "named-port.x_1")],
)
def test_port_forms(raw: int | str, expected: int | str) -> None:
    assert Port.parse(raw).to_json() == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (65536, "cannot unmarshal number 65536"),
        ("65536", "invalid port format (65536)"),
        ("70000:80", "invalid minimum port number in range (70000:80)"),
        ("80:70000", "invalid maximum port number in range (80:70000)"),
        ("90:80", "minimum port number (90) is greater than maximum port number (80) in port range"),
        ("bad name", "invalid name for named port (bad name)"),
    ],
)
def test_port_errors_use_gos_wording(raw: int | str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        Port.parse(raw)


def test_protocol_numeric_string_becomes_number_and_names_stay_verbatim() -> None:
    gnp = GlobalNetworkPolicy.from_storage(
        {
            "metadata": {"name": "g"},
            "spec": {"ingress": [{"action": "Allow", "protocol": "6"}, {"action": "Allow", "protocol": "tcp"}]},
        }
    )
    assert gnp.spec.ingress[0].protocol == 6
    assert gnp.spec.ingress[1].protocol == "tcp"


def test_as_number_dotted_form() -> None:
    from calicopy import BGPPeer

    peer = BGPPeer.from_storage({"metadata": {"name": "p"}, "spec": {"asNumber": "1.10"}})
    assert peer.spec.as_number == (1 << 16) + 10
    assert peer.to_dict()["spec"]["asNumber"] == 65546


@pytest.mark.parametrize(
    ("text", "go"),
    [
        ("120s", "2m0s"),
        ("1h", "1h0m0s"),
        ("1.5s", "1.5s"),
        ("300ms", "300ms"),
        ("0", "0s"),
        ("90m", "1h30m0s"),
        ("-2s", "-2s"),
    ],
)
def test_durations_normalise_like_go(text: str, go: str) -> None:
    assert format_go_duration(parse_go_duration(text)) == go


@pytest.mark.parametrize("text", ["", "5", "1x", "s", "1.2.3s"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError):
        parse_go_duration(text)


# -- round trips for every kind (hypothesis) --------------------------------------------------------


@pytest.mark.parametrize("info", list(registry.all_kinds()), ids=lambda i: i.kind)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_storage_round_trip_every_kind(info: registry.KindInfo, data: st.DataObject) -> None:
    raw = data.draw(model_strategy(info.model))
    try:
        obj = info.model.from_storage(raw)
    except ValidationError:
        return  # a generated value Go's decoder would refuse too (range, enum-typed scalar...)
    again = info.model.from_storage(obj.to_dict())
    assert again == obj
    assert again.to_dict() == obj.to_dict()


# -- deep copies (issue 12: the create pipeline copies every object it is given) ----------------------


def test_deep_copy_is_independent_and_equal() -> None:
    np = NetworkPolicy.from_storage(
        {
            "metadata": {"name": "p", "namespace": "ns", "labels": {"a": "b"}, "futureMeta": {"x": [1]}},
            "spec": {
                "order": 5,
                "ingress": [{"action": "Allow", "source": {"nets": ["10.0.0.0/8"]}, "destination": {"ports": [80]}}],
                "futureField": {"nested": ["v"]},
            },
        }
    )
    copy_ = np.model_copy(deep=True)
    assert copy_ == np and copy_.to_dict() == np.to_dict()
    assert copy_.model_fields_set == np.model_fields_set
    assert copy_.spec.ingress[0].model_fields_set == np.spec.ingress[0].model_fields_set
    copy_.metadata.labels["a"] = "changed"
    copy_.spec.ingress[0].source.nets.append("10.1.0.0/16")
    copy_.spec.model_extra["futureField"]["nested"].append("w")  # type: ignore[index]
    copy_.metadata.model_extra["futureMeta"]["x"].append(2)  # type: ignore[index]
    assert np.metadata.labels == {"a": "b"}
    assert np.spec.ingress[0].source.nets == ["10.0.0.0/8"]
    assert np.spec.model_extra == {"futureField": {"nested": ["v"]}}
    assert np.metadata.model_extra == {"futureMeta": {"x": [1]}}
    # Ports are immutable values: shared, as a tuple of numbers would be.
    assert copy_.spec.ingress[0].destination.ports[0] is np.spec.ingress[0].destination.ports[0]


def test_deep_copy_keeps_shared_objects_shared() -> None:
    # As copy.deepcopy: an object held twice is copied once, and both places hold the copy.
    rule = NetworkPolicy.from_storage({"spec": {"ingress": [{"action": "Allow"}]}}).spec.ingress[0]
    np = NetworkPolicy.from_storage({"metadata": {"name": "p"}, "spec": {}})
    np.spec.__dict__["ingress"] = [rule, rule]
    copied = np.model_copy(deep=True)
    assert copied.spec.ingress[0] is copied.spec.ingress[1]
    assert copied.spec.ingress[0] is not rule


def test_memoised_ports_and_protocols_decode_as_before() -> None:
    # Ports and protocols are parsed once per value; a bool is still no number, and the memo
    # never confuses "6" with 6 or True with 1.
    from calicopy.resources.generated.policy_common import EntityRule, Rule

    for _ in range(2):
        rule = Rule.from_storage({"protocol": "6", "destination": {"ports": [1, "1", "80:81", "http"]}})
        assert rule.protocol == 6
        assert [p.to_json() for p in rule.destination.ports] == [1, 1, "80:81", "http"]
        assert Rule.from_storage({"protocol": "TCP"}).protocol == "TCP"
        assert Rule.from_storage({"protocol": "256"}).protocol == "256"
        with pytest.raises(ValidationError, match="into a protocol"):
            Rule.from_storage({"protocol": True})
        with pytest.raises(ValidationError, match="into a port"):
            EntityRule.from_storage({"ports": [True]})
        with pytest.raises(ValidationError, match="invalid port format"):
            EntityRule.from_storage({"ports": ["70000"]})


def test_set_checked_is_assignment_without_validation_for_plain_str_fields_only() -> None:
    assigned = NetworkPolicy.from_storage({"metadata": {"name": "p"}})
    stamped = NetworkPolicy.from_storage({"metadata": {"name": "p"}})
    assigned.metadata.resource_version = "42"
    set_checked(stamped.metadata, "resource_version", "42")
    assert stamped == assigned and stamped.to_dict() == assigned.to_dict()
    assert stamped.metadata.model_fields_set == assigned.metadata.model_fields_set
    with pytest.raises(TypeError):
        set_checked(stamped.metadata, "resource_version", 42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        set_checked(stamped.metadata, "creation_timestamp", "yesterday")  # GoTime: checked on input
    with pytest.raises(TypeError):
        set_checked(stamped.spec, "order", "1")
