"""Kubernetes label selectors, as the API server parses and matches them (k8s.io/apimachinery/pkg/labels)."""

from __future__ import annotations

import pytest

from calicopy.labelselector import LabelSelectorError, parse_label_selector


@pytest.mark.parametrize(
    ("text", "labels", "matches"),
    [
        ("", {"a": "1"}, True),
        ("a=1", {"a": "1"}, True),
        ("a==1", {"a": "2"}, False),
        ("a!=1", {}, True),
        ("a in (1,2)", {"a": "2"}, True),
        ("a notin (1,2)", {}, True),
        ("a", {"a": ""}, True),
        ("!a", {"a": ""}, False),
        ("a=1,b", {"a": "1"}, False),
        ("projectcalico.org/tier=default", {"projectcalico.org/tier": "default"}, True),
    ],
)
def test_parse_and_match(text: str, labels: dict[str, str], matches: bool) -> None:
    assert parse_label_selector(text).matches(labels) is matches


@pytest.mark.parametrize("text", ["a in ()", "a in (1", "=1", "a=(", "a b"])
def test_rejected_like_the_api_server(text: str) -> None:
    with pytest.raises(LabelSelectorError):
        parse_label_selector(text)


def test_error_is_a_value_error() -> None:
    assert issubclass(LabelSelectorError, ValueError)
