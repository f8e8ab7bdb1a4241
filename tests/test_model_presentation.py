"""Models as people and tools look at them (issue 9 items 16 and 17): repr, help(), JSON schema."""

from __future__ import annotations

import pydoc

from calicopy import IPPool, NetworkPolicy
from calicopy.resources.generated.ippool import IPPoolSpec


def test_repr_is_short_and_shows_what_is_set() -> None:
    pool = IPPool(metadata={"name": "pool6"}, spec={"cidr": "fd00:10:245::/64"})
    assert repr(pool) == "IPPool(name='pool6', spec=IPPoolSpec(cidr='fd00:10:245::/64'))"


def test_repr_names_the_namespace_and_other_metadata() -> None:
    policy = NetworkPolicy(
        metadata={"name": "p", "namespace": "prod", "labels": {"a": "b"}},
        spec={"selector": "all()", "order": 10},
    )
    assert repr(policy) == (
        "NetworkPolicy(name='p', namespace='prod', metadata=ObjectMeta(labels={'a': 'b'}), "
        "spec=NetworkPolicySpec(order=10.0, selector='all()'))"
    )


def test_repr_of_stored_objects_keeps_unknown_fields_visible() -> None:
    pool = IPPool.from_storage({"metadata": {"name": "p"}, "spec": {"cidr": "10.0.0.0/24", "future": 1}})
    assert repr(pool) == "IPPool(name='p', spec=IPPoolSpec(cidr='10.0.0.0/24', future=1))"


def test_help_shows_field_descriptions_not_go_facts() -> None:
    text = pydoc.render_doc(IPPoolSpec, renderer=pydoc.plaintext)
    head = text.split("Method resolution order")[0]  # the signature and the docstring
    assert "GoField(" not in head
    assert text.count("GoField(") <= 1  # at most pydoc's clipped one-line view of __annotations__
    assert "The pool CIDR." in text
    assert "ipip_mode" in text and "ipipMode" in text
    assert "Contains configuration for IPIP tunneling for this pool." in text
    kind_head = pydoc.render_doc(IPPool, renderer=pydoc.plaintext).split("Method resolution order")[0]
    assert "GoField(" not in kind_head
    assert "spec: IPPoolSpec" in kind_head and "metadata: ObjectMeta" in kind_head


def test_serialization_schema_is_the_real_one() -> None:
    schema = IPPool.model_json_schema(mode="serialization")
    assert schema != {}
    assert set(schema["properties"]) >= {"kind", "apiVersion", "metadata", "spec", "status"}
    spec = schema["$defs"]["IPPoolSpec"]
    assert {"cidr", "ipipMode", "natOutgoing", "blockSize"} <= set(spec["properties"])
    assert spec["properties"]["cidr"]["type"] == "string"
    # Validation mode is unchanged.
    assert "spec" in IPPool.model_json_schema()["properties"]
