"""calicopy.backends.fastjson.loads: json.loads's results and errors, faster."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calicopy.backends.fastjson import loads

DOCUMENTS = [
    b'{"a":1,"a":2}',  # the last duplicate wins, as json.loads
    b"12345678901234567890123456789",
    b"-0.0",
    b"1e400",
    b"NaN",
    b"-Infinity",
    b'"\\ud83d\\ude00"',
    b'"\\u0000<>&"',
    b' {"nested": [1, 2.5, null, true, false, {"k": "v"}]} ',
    '{"text": "caf\u00e9"}',
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_same_values_as_json_loads(document: str | bytes) -> None:
    expected, got = json.loads(document), loads(document)
    assert repr(got) == repr(expected)


@pytest.mark.parametrize("document", [b'"\\ud800"', b'"\\udc00x"'])
def test_lone_surrogates_decode_as_json_loads_does(document: bytes) -> None:
    assert loads(document) == json.loads(document)


@pytest.mark.parametrize("document", [b"[1, 2", b'{"a": 1} x', b'"\xff"', b"", 5])
def test_errors_are_json_loads_errors(document: object) -> None:
    with pytest.raises(Exception) as expected:
        json.loads(document)  # type: ignore[arg-type]
    with pytest.raises(type(expected.value)) as got:
        loads(document)  # type: ignore[arg-type]
    assert str(got.value) == str(expected.value)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(json_values)
def test_round_trips_like_json_loads(value: object) -> None:
    text = json.dumps(value)
    assert repr(loads(text)) == repr(json.loads(text))
    assert repr(loads(text.encode())) == repr(json.loads(text.encode()))
