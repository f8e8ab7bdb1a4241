"""The clientv3 layer: the hook table and the kind-specific write checks (``lib/clientv3/<kind>.go``)."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from model_strategies import model_strategy

from calicopy import BGPConfiguration, CalicoError, IPAMConfiguration, KubeControllersConfiguration, ValidationError
from calicopy.backends.memory import MemoryBackend
from calicopy.clientv3 import HOOKS, ClientV3, KindHooks, hooks_for
from calicopy.resources import registry
from calicopy.resources.meta import Resource
from calicopy.resources.registry import KINDS


def mk(cls: type[Resource], **data: Any) -> Resource:
    return cls.from_dict(data)


def check_write(resource: Resource) -> None:
    """clientv3's steps common to Create and Update (defaults, validation, write checks)."""
    ClientV3(MemoryBackend()).prepare(resource)


def test_hooks_are_keyed_by_known_kinds() -> None:
    assert set(HOOKS) <= set(KINDS)
    assert {kind for kind, info in KINDS.items() if info.is_policy} <= set(HOOKS)
    assert type(hooks_for("GlobalNetworkSet")) is KindHooks  # no special behaviour: the no-op hooks


def test_write_checks() -> None:
    with pytest.raises(ValidationError, match=re.escape("Cannot set ASNumber on a non default BGP Configuration.")):
        check_write(mk(BGPConfiguration, metadata={"name": "node.n1"}, spec={"asNumber": 64512}))
    check_write(mk(BGPConfiguration, metadata={"name": "default"}, spec={"asNumber": 64512}))
    with pytest.raises(ValidationError, match='name other than "default"'):
        check_write(mk(IPAMConfiguration, metadata={"name": "other"}))
    with pytest.raises(ValidationError, match="Template name must be unique"):
        check_write(
            mk(
                KubeControllersConfiguration,
                metadata={"name": "default"},
                spec={
                    "controllers": {
                        "node": {
                            "hostEndpoint": {
                                "templates": [
                                    {"generateName": "a", "interfacePattern": "x"},
                                    {"generateName": "a", "interfacePattern": "y"},
                                ]
                            }
                        }
                    }
                },
            )
        )
    with pytest.raises(ValidationError, match="InterfaceCIDRs or InterfacePattern must be specified"):
        check_write(
            mk(
                KubeControllersConfiguration,
                metadata={"name": "default"},
                spec={"controllers": {"node": {"hostEndpoint": {"templates": [{"generateName": "a"}]}}}},
            )
        )


# -- names and namespaces are checked before any request (issue 9.11) -----------------------------


class _NoRequests:
    """A backend that fails the test if it is asked anything."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the backend was asked to {name}")


@pytest.mark.parametrize("name", ["..", ".", "a/b", "50%"])
def test_bad_names_never_reach_the_backend(name: str) -> None:
    from calicopy import Client

    client = Client(backend=_NoRequests())  # type: ignore[arg-type]
    for call in (
        lambda: client.get("IPPool", name),
        lambda: client.delete("IPPool", name),
        lambda: client.patch("IPPool", name, {"spec": {"disabled": True}}),
        lambda: client.label("IPPool", name, "k=v"),
    ):
        with pytest.raises(ValidationError) as err:
            call()
        assert err.value.fields[0].path == "metadata.name" and err.value.name == name
        assert "may not" in str(err.value)


@pytest.mark.parametrize("namespace", ["Prod", "a/b", "..", "-x", "x" * 64])
def test_bad_namespaces_never_reach_the_backend(namespace: str) -> None:
    from calicopy import Client

    client = Client(backend=_NoRequests())  # type: ignore[arg-type]
    for call in (
        lambda: client.get("NetworkPolicy", "p", namespace=namespace),
        lambda: client.list("NetworkPolicy", namespace=namespace),
        lambda: client.watch("NetworkPolicy", namespace=namespace),
        lambda: client.delete("NetworkPolicy", "p", namespace=namespace),
    ):
        with pytest.raises(ValidationError) as err:
            call()
        assert err.value.fields[0].path == "metadata.namespace" and err.value.namespace == namespace


# -- prepare_create copies on write -----------------------------------------------------------------


@pytest.mark.parametrize("info", list(registry.all_kinds()), ids=lambda i: i.kind)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_prepare_create_never_changes_what_it_was_given(info: registry.KindInfo, data: st.DataObject) -> None:
    # The prepared object shares nested objects with the caller's (defaulting rebinds what it
    # fills): the caller's object, nested parts included, must come out as it went in.
    raw = data.draw(model_strategy(info.model))
    meta = dict(raw.get("metadata") or {})
    meta["name"] = "p"
    meta.pop("resourceVersion", None)
    if info.namespaced:
        meta["namespace"] = "ns"
    raw["metadata"] = meta
    try:
        given_ = info.model.from_storage(raw)
    except ValidationError:
        return
    before = copy.deepcopy(given_)
    nested_before = {id(v) for v in given_.__dict__.values()}
    try:
        prepared = ClientV3(MemoryBackend()).prepare_create(given_, info)
    except (CalicoError, ValueError):
        assert given_ == before and given_.to_dict() == before.to_dict()
        return
    assert given_ == before and given_.to_dict() == before.to_dict()
    assert given_.model_fields_set == before.model_fields_set
    assert prepared is not given_ and prepared.metadata is not given_.metadata
    assert {id(v) for v in given_.__dict__.values()} == nested_before
