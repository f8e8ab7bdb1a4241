"""Errors as Python users meet them (issue 9 item 14): libcalico-go's reason kept verbatim (the CLI
prints ``calico_text()``), plus a ``hint`` per field saying what would be accepted."""

from __future__ import annotations

from typing import Any

import pytest

import calicopy
from calicopy import GlobalNetworkPolicy, HostEndpoint, IPPool, ValidationError
from calicopy.errors import ErroredField


def _error(model: Any, data: dict[str, Any]) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        model.from_dict(data)
    return info.value


def _validator_error(model: Any, data: dict[str, Any]) -> ValidationError:
    # calicoctl validate's path: the validator alone (create would report clientv3's checks first).
    result = calicopy.validate(model.from_dict(data, check=False))
    assert not result.ok
    return result.errors[0]


def test_enum_failure_hints_the_allowed_values() -> None:
    err = _error(IPPool, {"metadata": {"name": "p"}, "spec": {"cidr": "10.0.0.0/24", "ipipMode": "Sometimes"}})
    [field] = err.fields
    assert field.reason == "Reason: failed to validate Field: IPIPMode because of Tag: ipIpMode "
    assert field.hint == 'allowed values: "Never", "Always", "CrossSubnet"'
    assert err.calico_text() == (
        "IPPool(p): error with field spec.ipipMode = 'Sometimes' "
        "(Reason: failed to validate Field: IPIPMode because of Tag: ipIpMode )"
    )
    assert str(err) == err.calico_text() + ' -- hint: allowed values: "Never", "Always", "CrossSubnet"'


def test_enum_in_a_list_and_in_a_rule() -> None:
    err = _error(
        GlobalNetworkPolicy,
        {"metadata": {"name": "g"}, "spec": {"selector": "all()", "ingress": [{"action": "Allow!"}]}},
    )
    assert err.fields[0].path == "spec.ingress[0].action"
    assert err.fields[0].hint == 'allowed values: "Allow", "Deny", "Log", "Pass"'


def test_integer_out_of_range_hints_the_range() -> None:
    err = _validator_error(IPPool, {"metadata": {"name": "p"}, "spec": {"cidr": "10.0.0.0/24", "blockSize": 200}})
    field = next(f for f in err.fields if f.path == "spec.blockSize")
    assert field.hint == "the range is 0 to 128"
    assert "the range is 0 to 128" in str(err)
    assert "hint" not in err.calico_text()


def test_integer_tag_range_is_hinted() -> None:
    err = _error(
        GlobalNetworkPolicy,
        {
            "metadata": {"name": "g"},
            "spec": {"ingress": [{"action": "Allow", "protocol": "ICMP", "icmp": {"type": 300}}]},
        },
    )
    [field] = err.fields
    assert field.path == "spec.ingress[0].icmp.type"
    assert field.reason == "Reason: failed to validate Field: Type because of Tag: lte "
    assert field.hint == "the range is 0 to 254"


def test_integer_overflow_on_decode_hints_the_go_range() -> None:
    err = _error(
        HostEndpoint,
        {"metadata": {"name": "h"}, "spec": {"node": "n", "ports": [{"name": "p", "protocol": "TCP", "port": 70000}]}},
    )
    [field] = err.fields
    assert field.path == "spec.ports[0].port"
    assert field.reason == "cannot unmarshal number 70000 into a Go value of type uint16"
    assert field.hint == "uint16: a whole number from 0 to 65535"


@pytest.mark.parametrize("port", ["http port", "70000", "90:80", 99999])
def test_bad_port_hints_the_accepted_forms(port: object) -> None:
    err = _error(
        GlobalNetworkPolicy,
        {
            "metadata": {"name": "g"},
            "spec": {"ingress": [{"action": "Allow", "protocol": "TCP", "destination": {"ports": [port]}}]},
        },
    )
    [field] = err.fields
    assert field.path == "spec.ingress[0].destination.ports[0]"
    assert field.hint is not None and '"min:max"' in field.hint and "65535" in field.hint
    assert field.hint in str(err)


def test_decode_errors_name_each_field_once_and_hide_none() -> None:
    err = _error(
        IPPool,
        {
            "metadata": {"name": "p", "bogus": 1},
            "spec": {"cidr": "10.0.0.0/24", "blockSize": "x", "natOutgoing": "yes"},
        },
    )
    paths = [f.path for f in err.fields]
    # Unknown keys first, then the type errors in the fields' order.
    assert paths == ["metadata.bogus", "spec.natOutgoing", "spec.blockSize"]
    text = str(err)
    for path in paths:
        assert text.count(path) == 1, text


def test_many_fields_each_keep_their_hint_line() -> None:
    err = _validator_error(
        IPPool,
        {"metadata": {"name": "p"}, "spec": {"cidr": "10.0.0.0/24", "ipipMode": "X", "vxlanMode": "Y"}},
    )
    assert err.calico_text().count("hint") == 0
    lines = str(err).splitlines()
    assert lines[0] == "IPPool(p): error with the following fields:"
    assert [" -- hint: allowed values" in line for line in lines[1:]] == [True, True, False]
    assert lines[3] == "-  spec (ipipMode and vxlanMode cannot both be enabled)"


def test_errored_field_keeps_calicos_text_and_pickles() -> None:
    import pickle

    field = ErroredField("spec.x", "why", 1, hint="try 2")
    assert str(field) == "spec.x = '1' (why)"
    err = ValidationError([field], resource="IPPool(p)")
    assert pickle.loads(pickle.dumps(err)).fields[0].hint == "try 2"
    assert calicopy.ValidationError([ErroredField("a", "b")]).calico_text() == "error with field a (b)"


def test_nested_models_report_every_decoding_problem_too() -> None:
    from calicopy.resources.meta import ObjectMeta

    with pytest.raises(ValidationError) as info:
        ObjectMeta.from_dict({"name": "a", "bogus": 1, "generation": "x"})
    assert [f.path for f in info.value.fields] == ["bogus", "generation"]
