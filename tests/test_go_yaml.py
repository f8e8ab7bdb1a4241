"""Parity of calicopy._go.yaml with go-yaml v2 (go.yaml.in/yaml/v2 v2.4) under sigs.k8s.io/yaml v1.6.

Reading cases from go-yaml v2's decode_test.go (``unmarshalTests`` decoded into
``interface{}``), writing cases from its encode_test.go (``marshalTests`` and
``TestSortedOutput``) restricted to JSON-shaped data, which is all sigs.k8s.io/yaml hands it.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest

from calicopy import ConfigError, ManifestError, config, manifests
from calicopy._go.yaml import TagError, is_timestamp, key_text, resolve_plain, resolve_tagged, string_target_text
from calicopy._go.yaml_print import key_less, marshal
from calicopy.manifests.builder import parse_document

TAG = "tag:yaml.org,2002:"

# decode_test.go unmarshalTests, "v: <scalar>" into map[string]interface{}.
DECODE = [
    ("hi", "hi"),
    ("true", True),
    ("10", 10),
    ("0b10", 2),
    ("0xA", 10),
    ("4294967296", 4294967296),
    ("0.1", 0.1),
    (".1", 0.1),
    (".Inf", math.inf),
    ("-.Inf", -math.inf),
    ("-10", -10),
    ("-.1", -0.1),
    # Floats from spec
    ("6.8523e+5", 6.8523e5),
    ("685.230_15e+03", 685.23015e03),
    ("685_230.15", 685230.15),
    ("-.inf", -math.inf),
    # Bools from spec
    ("y", True),
    ("NO", False),
    ("True", True),
    ("on", True),
    # Ints from spec
    ("685230", 685230),
    ("+685_230", 685230),
    ("02472256", 685230),
    ("0x_0A_74_AE", 685230),
    ("0b1010_0111_0100_1010_1110", 685230),
    ("-0b101010", -42),
    ("-0b1" + "0" * 63, -(1 << 63)),
    # Nulls from spec
    ("", None),
    ("~", None),
    ("null", None),
    # bug 1243827
    ("-b_c", "-b_c"),
    ("+b_c", "+b_c"),
    ("50cent_of_dollar", "50cent_of_dollar"),
    # Base 60 floats are obsolete and unsupported.
    ("1:1", "1:1"),
    # implicit timestamp tag into interface: stays a string
    ("2015-01-01", "2015-01-01"),
    ("2015-02-24T18:19:39Z", "2015-02-24T18:19:39Z"),
    # This *is* in fact a float number, per the spec. #171 was a mistake.
    ("123456e1", 123456e1),
    ("123456E1", 123456e1),
    # What Go's strconv makes of the rest (resolve.go: ParseInt, ParseUint, then ParseFloat).
    ("18446744073709551615", (1 << 64) - 1),
    ("18446744073709551616", 18446744073709551616.0),
    ("0x10000000000000000", "0x10000000000000000"),
    ("09", 9.0),
    ("0o17", 15),
    ("1e400", "1e400"),
    (".5_5", 0.55),
    ("1_000", 1000),
    ("<<", "<<"),
    ("10.0.0.0/24", "10.0.0.0/24"),
    ("10:20", "10:20"),
    ("+", "+"),
    ("NaN", "NaN"),
]


@pytest.mark.parametrize(("text", "value"), DECODE)
def test_plain_scalars_resolve_like_go_yaml_v2(text: str, value: Any) -> None:
    got = resolve_plain(text)
    assert type(got) is type(value)
    assert got == value or (isinstance(value, float) and math.isnan(value) and math.isnan(got))


@pytest.mark.parametrize(("text", "value"), [d for d in DECODE if d[0] not in ("", "<<", "+")])
def test_both_readers_share_the_resolver(text: str, value: Any) -> None:
    # The manifest builder and calicoctl.cfg's reader decode "spec: <scalar>" to the same value.
    document, present = parse_document(f"spec: {text}\n")
    assert present
    via_config = config._yaml_to_object(f"spec: {text}\n")
    assert type(document["spec"]) is type(value) is type(via_config["spec"])
    assert document["spec"] == via_config["spec"] == value


@pytest.mark.parametrize(
    ("text", "tag", "value"),
    [
        # decode_test.go: explicit tags.
        ("1.1", "float", 1.1),
        ("0", "float", 0.0),
        ("-1", "float", -1.0),
        ("", "null", None),
        ("2015-01-01", "str", "2015-01-01"),
        ("2015-01-01", "timestamp", "2015-01-01"),
        ("1", "int", 1),
        ("yes", "bool", True),
        ("aGVsbG8=", "binary", "hello"),
        ("anything", "!local", "anything"),
        ("10", "!", "10"),
    ],
)
def test_tagged_scalars(text: str, tag: str, value: Any) -> None:
    got = resolve_tagged(text, tag if tag.startswith("!") else TAG + tag)
    assert type(got) is type(value) and got == value


@pytest.mark.parametrize(
    ("text", "tag", "message"),
    [
        ("big", "int", "cannot decode !!str `big` as a !!int"),
        ("1.5", "int", "cannot decode !!float `1.5` as a !!int"),
        ("<<", "int", "cannot decode !!str `<<` as a !!int"),
        ("2015-13-01", "timestamp", "cannot decode !!str `2015-13-01` as a !!timestamp"),
        ("123", "timestamp", "cannot decode !!int `123` as a !!timestamp"),
        ("***", "binary", "!!binary value contains invalid base64 data"),
    ],
)
def test_tagged_scalar_errors(text: str, tag: str, message: str) -> None:
    with pytest.raises(TagError) as exc:
        resolve_tagged(text, TAG + tag)
    assert str(exc.value) == message


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("2015-01-01", True),
        ("2015-2-3T3:4:5Z", True),  # RFC3339 with short dates
        ("2015-02-24t18:19:39Z", True),
        ("2015-02-24 18:19:39", True),
        ("2015-02-24T18:19:39.12Z", True),
        ("2015-02-24T18:19:39.123456789123-03:00", True),  # time.Parse takes any fraction digits
        ("2015-02-24T18:19:39,5+01:00", True),
        ("2001-12-14 21:59:43.10 -5", False),  # decode_test.go: "not currently handled"
        ("2016-02-29", True),
        ("2015-02-29", False),
        ("2015-13-01", False),
        ("2015-01-01T24:00:00Z", False),
        ("2015-01-01T23:00:00+25:00", False),
        ("20150101", False),
        ("15-01-01", False),
    ],
)
def test_timestamps(text: str, ok: bool) -> None:
    assert is_timestamp(text) is ok


def test_sigs_yaml_key_and_string_target_texts() -> None:
    # sigs.k8s.io/yaml v1.6 yaml.go: keys use FormatFloat(f, 'g', -1, 32) and YAML's names for
    # the specials; a number decoded into a Go string field uses the same float32 text but Go's
    # names for the specials.
    assert [key_text(k) for k in (True, False, 10, 1.5, 0.1, math.inf, -math.inf, 1e300)] == [
        "true",
        "false",
        "10",
        "1.5",
        "0.1",
        ".inf",
        "-.inf",
        ".inf",
    ]
    assert key_text(math.nan) == ".nan"
    assert [string_target_text(v) for v in (True, 10, 1e6, 0.1, 123456789.0, math.nan, math.inf)] == [
        "true",
        "10",
        "1e+06",
        "0.1",
        "1.2345679e+08",
        "NaN",
        "+Inf",
    ]
    assert string_target_text(None) is None and string_target_text([1]) == [1]


# encode_test.go marshalTests (go-yaml v2), JSON-shaped values only.
ENCODE = [
    ({"v": "hi"}, "v: hi\n"),
    ({"v": "true"}, 'v: "true"\n'),
    ({"v": "false"}, 'v: "false"\n'),
    ({"v": True}, "v: true\n"),
    ({"v": False}, "v: false\n"),
    ({"v": 10}, "v: 10\n"),
    ({"v": -10}, "v: -10\n"),
    ({"v": 4294967296}, "v: 4294967296\n"),
    ({"v": "10"}, 'v: "10"\n'),
    ({"v": 0.1}, "v: 0.1\n"),
    ({"v": -0.1}, "v: -0.1\n"),
    ({"v": None}, "v: null\n"),
    ({"v": ""}, 'v: ""\n'),
    ({"v": ["A", "B"]}, "v:\n- A\n- B\n"),
    ({"v": ["A", "B\nC"]}, "v:\n- A\n- |-\n  B\n  C\n"),
    ({"v": ["A", 1, {"B": [2, 3]}]}, "v:\n- A\n- 1\n- B:\n  - 2\n  - 3\n"),
    ({"a": {"b": "c"}}, "a:\n  b: c\n"),
    ({"a": "-"}, "a: '-'\n"),
    ({"a": "<foo>"}, "a: <foo>\n"),
    ({"a": "1:1"}, 'a: "1:1"\n'),
    ({"a": "\x00"}, 'a: "\\0"\n'),
    ({"a": "你好"}, "a: 你好\n"),
    ({"a": "2015-02-24T18:19:39Z"}, 'a: "2015-02-24T18:19:39Z"\n'),
    ({"a": "b: c"}, "a: 'b: c'\n"),
    ({"a": "Hello #comment"}, "a: 'Hello #comment'\n"),
    ({"a": "你好 #comment"}, "a: '你好 #comment'\n"),
    ({}, "{}\n"),
    ({"a": []}, "a: []\n"),
    # The resolver's "<<" entry is unreachable ("<" has no hint): go-yaml writes it plain.
    ({"a": "<<"}, "a: <<\n"),
]


@pytest.mark.parametrize(("value", "text"), ENCODE)
def test_marshal(value: Any, text: str) -> None:
    assert marshal(value) == text


def test_line_wrapping() -> None:
    # encode_test.go TestLineWrapping: v2 wraps long scalars at 80 columns by default.
    value = {
        "a": "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 "
        "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 ",
    }
    assert marshal(value) == (
        "a: 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz\n"
        "  ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 '\n"
    )


def test_numbers_print_as_json_wrote_them_and_go_yaml_read_them_back() -> None:
    # sigs.k8s.io/yaml Marshal is json.Marshal, then go-yaml reads the JSON and prints it.
    assert marshal({"a": 1234567.5, "b": 0.5, "c": 0.00001}) == "a: 1.2345675e+06\nb: 0.5\nc: 1e-05\n"
    assert marshal({"v": 1e15}) == "v: 1000000000000000\n"  # JSON "1000000000000000" reads back an int
    assert marshal({"v": 1e20}) == "v: 1e+20\n"  # past uint64: a float again
    assert marshal({"v": 10**20}) == "v: 1e+20\n"
    assert marshal({"v": 1e21}) == "v: 1e+21\n"
    assert marshal({"v": -0.0}) == "v: 0\n"  # JSON "-0" reads back as the int 0
    with pytest.raises(ValueError, match="json: unsupported value: NaN"):
        marshal({"v": math.nan})


def test_quoting_follows_go_yaml() -> None:
    # A string is quoted when it would read back as something else (moved from test_manifests).
    data = {
        "plain": "all()",
        "bool": "true",
        "yes": "y",
        "int": "010",
        "float": "1e3",
        "empty": "",
        "null": "null",
        "base60": "1:20",
        "range": "2000:2400",
        "ts": "2024-01-02",
        "bang": "!has(x)",
        "space": " lead",
    }
    assert marshal(data) == (
        "bang: '!has(x)'\n"
        'base60: "1:20"\n'
        'bool: "true"\n'
        'empty: ""\n'
        'float: "1e3"\n'
        'int: "010"\n'
        '"null": "null"\n'
        "plain: all()\n"
        "range: 2000:2400\n"
        "space: ' lead'\n"
        'ts: "2024-01-02"\n'
        '"yes": "y"\n'
    )


def test_key_order_is_go_yaml_v2_natural_order() -> None:
    out = marshal({"a10": 1, "a9": 2, "a1": 3, "B": 4, "_x": 5})
    assert [line.split(":")[0] for line in out.splitlines()] == ["_x", "B", "a1", "a9", "a10"]


SORTED_OUTPUT = [  # encode_test.go TestSortedOutput, the string keys
    "",
    ".1",
    ".2",
    ".a",
    "1",
    "2",
    "a!10",
    "a/0001",
    "a/002",
    "a/3",
    "a/10",
    "a/11",
    "a/0012",
    "a/100",
    "a~10",
    "ab/1",
    "b/1",
    "b/01",
    "b/2",
    "b/02",
    "b/3",
    "b/03",
    "b1",
    "b01",
    "b3",
    "c2.10",
    "c10.2",
    "d1",
    "d7",
    "d7abc",
    "d12",
    "d12a",
]


def test_sorted_output() -> None:
    for earlier, later in itertools.pairwise(SORTED_OUTPUT):
        assert key_less(earlier, later) and not key_less(later, earlier), (earlier, later)
    shuffled = list(reversed(SORTED_OUTPUT))
    keys = [line.split(":")[0].strip('"') for line in marshal(dict.fromkeys(shuffled, 1)).splitlines()]
    assert keys == SORTED_OUTPUT


def test_digit_runs_compare_as_go_int64_values() -> None:
    # sorter.go accumulates a digit run in an int64, which wraps: 19 nines are negative there.
    assert key_less("x" + "9" * 19, "x" + "1" * 19) is True
    assert key_less("x" + "9" * 18, "x" + "1" * 18) is False


def test_manifests_print_through_go_yaml() -> None:
    assert manifests.to_go_yaml({"b": 1, "a": "yes"}) == marshal({"b": 1, "a": "yes"})


@pytest.mark.parametrize(
    ("text", "value"), [("!!float 1", 1.0), ("!!str 10", "10"), ("!!timestamp 2015-01-01", "2015-01-01")]
)
def test_both_readers_share_tagged_resolution(text: str, value: Any) -> None:
    document, _ = parse_document(f"spec: {text}\n")
    via_config = config._yaml_to_object(f"spec: {text}\n")
    assert type(document["spec"]) is type(via_config["spec"]) is type(value)
    assert document["spec"] == via_config["spec"] == value


def test_tag_errors_keep_each_readers_wording() -> None:
    with pytest.raises(ManifestError, match=r"cannot decode !!str `big` as a !!int"):
        manifests.loads("apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: p}\nspec: !!int big\n")
    with pytest.raises(ConfigError) as exc:
        config.load_config_from_bytes(b"spec: !!int big\n")
    assert str(exc.value) == (
        "failed to parse config as YAML/JSON: error converting YAML to JSON: yaml: cannot decode !!str `big` as a !!int"
    )
