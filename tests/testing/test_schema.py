"""The CRD schemas the fake API server derives from calicopy's models."""

from __future__ import annotations

from calicopy.kdd.kinds import is_custom_resource
from calicopy.resources.registry import KINDS
from calicopy.testing import schema


def test_every_crd_kind_has_a_schema() -> None:
    for info in KINDS.values():
        if is_custom_resource(info.kind):
            s = schema.kind_schema(info)
            assert s["properties"]["metadata"]["properties"]["name"] == {"type": "string"}


def test_schema_checks() -> None:
    s = schema.kind_schema(KINDS["IPPool"])
    value, errors = schema.process(
        s, {"spec": {"cidr": "nope", "allowedUses": ["Workload"] * 11, "nodeSelector": None}}
    )
    assert "nodeSelector" not in value["spec"]
    messages = {e.field: e.detail for e in errors}
    assert messages["spec.cidr"] == 'Invalid value: "nope": spec.cidr in body must be of type cidr: "nope"'
    assert messages["spec.allowedUses"] == "Too many: 11: must have at most 10 items"
    bgp = schema.kind_schema(KINDS["BGPPeer"])
    _, errors = schema.process(bgp, {"spec": {"asNumber": "64512"}})
    assert errors and errors[0].reason == "FieldValueTypeInvalid"
