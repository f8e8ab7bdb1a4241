"""Validation rules shared by every kind: names, labels, annotations, networks, interfaces.

Field checks mirror the ``registerFieldValidator`` functions of libcalico-go's
``lib/validator/v3/validator.go`` (v3.32.1) that are not policy specific; the ObjectMeta
struct check mirrors ``validateObjectMeta`` with the label/annotation messages of
``k8s.io/apimachinery`` v0.35.6 (``pkg/api/validate/content``).

The address helpers follow Go's ``net.ParseIP`` / ``net.ParseCIDR`` rather than Python's
``ipaddress`` where they differ (no zone suffix, no netmask-style prefixes, IPv4-mapped IPv6
addresses count as IPv4).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..model import json_path
from .engine import FieldCheck, Report, StructCheck

if TYPE_CHECKING:
    from ..meta import ObjectMeta

__all__ = [
    "FIELD_CHECKS",
    "NAME_LABEL_FMT",
    "NAME_SUBDOMAIN_FMT",
    "STRUCT_CHECKS",
    "GoNetwork",
    "compiles_as_go_regexp",
    "label_key_errors",
    "label_value_errors",
    "matching",
    "one_of",
    "parse_cidr",
    "parse_cidr_or_ip",
    "parse_ip",
    "valid_name",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


# -- field check builders ------------------------------------------------------------------------


def one_of(*values: str) -> FieldCheck:
    """A tag that accepts exactly ``values`` (libcalico-go's regex-of-alternatives validators)."""
    allowed = frozenset(values)

    def check(value: Any, _: str) -> bool:
        return str(value) in allowed

    return check


def matching(pattern: re.Pattern[str], *, star: bool = False) -> FieldCheck:
    """A tag whose value must match ``pattern`` in full (or be ``*`` when ``star``)."""

    def check(value: Any, _: str) -> bool:
        text = str(value)
        return (star and text == "*") or pattern.fullmatch(text) is not None

    return check


# -- Go's net.ParseIP / net.ParseCIDR / libcalico-go's cnet.ParseCIDROrIP ----------------------

_PREFIX_DIGITS = re.compile(r"[0-9]+")


@lru_cache(maxsize=4096)
def parse_ip(text: str) -> IPAddress | None:
    """Go's ``net.ParseIP`` (then ``cnet.IP``): None when invalid; IPv4-mapped IPv6 becomes IPv4."""
    if not text or "%" in text or not text.isascii():
        return None
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


class GoNetwork:
    """The result of ``cnet.ParseCIDROrIP``: the address as written and its masked network."""

    __slots__ = ("ip", "network")

    def __init__(self, ip: IPAddress, network: IPNetwork) -> None:
        self.ip = ip
        self.network = network

    @property
    def version(self) -> int:
        return self.network.version

    @property
    def strictly_masked(self) -> bool:
        return self.ip == self.network.network_address


@lru_cache(maxsize=4096)
def parse_cidr(text: str) -> GoNetwork | None:
    """Go's ``net.ParseCIDR``: ``addr/prefix`` only (a bare IP is invalid)."""
    addr_text, slash, prefix_text = text.partition("/")
    if not slash or not _PREFIX_DIGITS.fullmatch(prefix_text):
        return None
    if not addr_text or "%" in addr_text or not addr_text.isascii():
        return None
    try:
        addr = ipaddress.ip_address(addr_text)
    except ValueError:
        return None
    prefix = int(prefix_text)
    if prefix > addr.max_prefixlen:
        return None
    network = ipaddress.ip_network(f"{addr}/{prefix}", strict=False)
    return GoNetwork(addr, network)


@lru_cache(maxsize=4096)
def parse_cidr_or_ip(text: str) -> GoNetwork | None:
    """libcalico-go's ``cnet.ParseCIDROrIP``: a CIDR, or a bare IP taken as a /32 or /128."""
    if "/" in text:
        return parse_cidr(text)
    addr = parse_ip(text)
    if addr is None:
        return None
    return GoNetwork(addr, ipaddress.ip_network(addr))


# -- names --------------------------------------------------------------------------------------

NAME_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
NAME_SUBDOMAIN_FMT = NAME_LABEL_FMT + "(\\." + NAME_LABEL_FMT + ")*"
_NAME = re.compile(NAME_SUBDOMAIN_FMT)
_CONTAINER_ID = re.compile("[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?")
_NAME_MAX = 253
_NAME_REASON = "name must consist of lower case alphanumeric characters, '-' or '.' (regex: " + NAME_SUBDOMAIN_FMT + ")"


def valid_name(name: str) -> bool:
    """The generic Calico resource name format (a DNS-1123 subdomain, without the length limit)."""
    return _NAME.fullmatch(name) is not None


# -- k8s label keys and values (apimachinery v0.35.6 pkg/api/validate/content) ----------------

_LABEL_KEY_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_KEY = re.compile(_LABEL_KEY_FMT)
_LABEL_KEY_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
)
_LABEL_VALUE_FMT = "(" + _LABEL_KEY_FMT + ")?"
_LABEL_VALUE = re.compile(_LABEL_VALUE_FMT)
_LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
    "or '.', and must start and end with an alphanumeric character"
)
_DNS1123_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
    "'-' or '.', and must start and end with an alphanumeric character"
)


def _regex_error(msg: str, fmt: str, *examples: str) -> str:
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{msg} (e.g. {shown}regex used for validation is '{fmt}')"


def _max_len_error(length: int) -> str:
    return f"must be no more than {length} bytes"


_KEY_NAME_REGEX_ERR = "name part " + _regex_error(_LABEL_KEY_MSG, _LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
_KEY_TOO_MANY_PARTS = (
    "a valid label key "
    + _regex_error(_LABEL_KEY_MSG, _LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
)
_VALUE_REGEX_ERR = _regex_error(_LABEL_VALUE_MSG, _LABEL_VALUE_FMT, "MyValue", "my_value", "12345")
_SUBDOMAIN_REGEX_ERR = _regex_error(_DNS1123_SUBDOMAIN_MSG, NAME_SUBDOMAIN_FMT, "example.com")


@lru_cache(maxsize=4096)
def label_key_errors(key: str) -> tuple[str, ...]:
    """apimachinery's ``IsQualifiedName`` (``IsLabelKey``): the problems with a label key."""
    errs: list[str] = []
    parts = key.split("/")
    if len(parts) > 2:
        return (_KEY_TOO_MANY_PARTS,)
    name = parts[-1]
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            if len(prefix.encode()) > _NAME_MAX:
                errs.append("prefix part " + _max_len_error(_NAME_MAX))
            if _NAME.fullmatch(prefix) is None:
                errs.append("prefix part " + _SUBDOMAIN_REGEX_ERR)
    if not name:
        errs.append("name part must be non-empty")
    elif len(name.encode()) > 63:
        errs.append("name part " + _max_len_error(63))
    if _LABEL_KEY.fullmatch(name) is None:
        errs.append(_KEY_NAME_REGEX_ERR)
    return tuple(errs)


@lru_cache(maxsize=4096)
def label_value_errors(value: str) -> tuple[str, ...]:
    """apimachinery's ``IsValidLabelValue``."""
    errs: list[str] = []
    if len(value.encode()) > 63:
        errs.append(_max_len_error(63))
    if _LABEL_VALUE.fullmatch(value) is None:
        errs.append(_VALUE_REGEX_ERR)
    return tuple(errs)


# -- Go (RE2) regular expressions -----------------------------------------------------------------

# Constructs Python accepts but RE2 rejects: backreferences, lookaround, atomic groups,
# possessive quantifiers, conditionals.
_RE2_UNSUPPORTED = re.compile(r"\\[1-9]|\\g<|\(\?(?:=|!|<=|<!|>|\(|P=|#)|[*+?}]\+")
# RE2 syntax Python lacks, rewritten to something equivalent enough to compile.
_RE2_UNICODE_CLASS = re.compile(r"\\[pP](?:\{\^?[A-Za-z_]+\}|[A-Za-z])")
_RE2_QUOTED = re.compile(r"\\Q(.*?)(?:\\E|$)", re.DOTALL)
_RE2_FLAGS = re.compile(r"\(\?([imsU]*)(?:-([imsU]*))?(\)|:)")


def _flags_for_python(match: re.Match[str]) -> str:
    on = (match[1] or "").replace("U", "")
    off = (match[2] or "").replace("U", "")
    if match[3] == ")":
        # RE2 allows flag groups anywhere; Python only at the start.  Drop them: only
        # compilability matters here.
        return ""
    if not on and not off:
        return "(?:"
    return f"(?{on}{'-' + off if off else ''}:"


@lru_cache(maxsize=1024)
def compiles_as_go_regexp(pattern: str) -> bool:
    """Whether Go's ``regexp.Compile`` accepts ``pattern`` (approximated with Python's ``re``)."""
    text = _RE2_QUOTED.sub(lambda m: re.escape(m[1]), pattern)
    if _RE2_UNSUPPORTED.search(text):
        return False
    text = _RE2_UNICODE_CLASS.sub("a", text)
    text = text.replace(r"\z", r"\Z")
    text = _RE2_FLAGS.sub(_flags_for_python, text)
    try:
        re.compile(text)
    except (re.error, OverflowError, RecursionError):
        return False
    return True


# -- field checks -------------------------------------------------------------------------------

_INTERFACE = re.compile("[a-zA-Z0-9_.-]{1,15}")
_IGNORED_INTERFACE = re.compile("[a-zA-Z0-9_.*-]{1,15}")
_IFACE_FILTER = re.compile("[a-zA-Z0-9:._+-]{1,15}")
_LOG_LEVEL = frozenset({"Trace", "Debug", "Info", "Warning", "Error", "Fatal"})
_TUNNEL_MODES = frozenset({"Always", "CrossSubnet", "Never"})
_ASSIGNMENT_MODES = frozenset({"Automatic", "Manual"})
_HEX = "[0-9a-fA-F]"
_MAC = re.compile(
    rf"(?:{_HEX}{{2}}(?::{_HEX}{{2}}){{5}}|{_HEX}{{2}}(?::{_HEX}{{2}}){{7}}|{_HEX}{{2}}(?::{_HEX}{{2}}){{19}}"
    rf"|{_HEX}{{2}}(?:-{_HEX}{{2}}){{5}}|{_HEX}{{2}}(?:-{_HEX}{{2}}){{7}}|{_HEX}{{2}}(?:-{_HEX}{{2}}){{19}}"
    rf"|{_HEX}{{4}}(?:\.{_HEX}{{4}}){{2}}|{_HEX}{{4}}(?:\.{_HEX}{{4}}){{3}}|{_HEX}{{4}}(?:\.{_HEX}{{4}}){{9}})"
)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _check_name(value: Any, _: str) -> bool:
    return _NAME.fullmatch(_text(value)) is not None


def _check_container_id(value: Any, _: str) -> bool:
    return _CONTAINER_ID.fullmatch(_text(value)) is not None


def _check_interface(value: Any, _: str) -> bool:
    s = _text(value)
    return s == "*" or _INTERFACE.fullmatch(s) is not None


def _check_ignored_interface(value: Any, _: str) -> bool:
    s = _text(value)
    return s != "*" and _IGNORED_INTERFACE.fullmatch(s) is not None


def _check_iface_filter(value: Any, _: str) -> bool:
    return _IFACE_FILTER.fullmatch(_text(value)) is not None


def _check_iface_filter_slice(value: Any, _: str) -> bool:
    return all(_IFACE_FILTER.fullmatch(_text(v)) is not None for v in value or ())


def _check_interface_slice(value: Any, _: str) -> bool:
    return all(_INTERFACE.fullmatch(_text(v)) is not None for v in value or ())


def _check_labels(value: Any, _: str) -> bool:
    if not isinstance(value, Mapping):
        return True
    return all(not label_key_errors(k) and not label_value_errors(v) for k, v in value.items())


def _check_net(value: Any, _: str) -> bool:
    parsed = parse_cidr_or_ip(_text(value))
    return parsed is not None and parsed.strictly_masked


def _check_netv4(value: Any, _: str) -> bool:
    parsed = parse_cidr_or_ip(_text(value))
    return parsed is not None and parsed.version == 4 and parsed.strictly_masked


def _check_netv6(value: Any, _: str) -> bool:
    parsed = parse_cidr_or_ip(_text(value))
    return parsed is not None and parsed.version == 6 and parsed.strictly_masked


def _check_cidr(value: Any, _: str) -> bool:
    return parse_cidr_or_ip(_text(value)) is not None


def _check_cidrv4(value: Any, _: str) -> bool:
    parsed = parse_cidr_or_ip(_text(value))
    return parsed is not None and parsed.ip.version == 4


def _check_cidrv6(value: Any, _: str) -> bool:
    parsed = parse_cidr_or_ip(_text(value))
    return parsed is not None and parsed.ip.version == 6


def _check_cidrs(value: Any, _: str) -> bool:
    if not isinstance(value, (list, tuple)):
        # Go asserts []string here and would panic (FelixConfiguration.bpfExportBufferSizeMB
        # carries this tag on an *int); calicopy treats a non-list as nothing to check.
        return True
    return all(parse_cidr_or_ip(_text(v)) is not None for v in value)


def _check_mac(value: Any, _: str) -> bool:
    return _MAC.fullmatch(_text(value)) is not None


def _check_regexp(value: Any, _: str) -> bool:
    return compiles_as_go_regexp(_text(value))


def _check_log_level(value: Any, _: str) -> bool:
    return _text(value) in _LOG_LEVEL


def _check_tunnel_mode(value: Any, _: str) -> bool:
    return _text(value) in _TUNNEL_MODES


def _check_assignment_mode(value: Any, _: str) -> bool:
    return _text(value) in _ASSIGNMENT_MODES


def _check_ip(value: Any, version: int | None) -> bool:
    addr = parse_ip(_text(value))
    return addr is not None and (version is None or addr.version == version)


FIELD_CHECKS: Mapping[str, FieldCheck] = {
    # go-playground's ``ip`` and libcalico-go's ``ipv4``/``ipv6`` all use Go's net.ParseIP.
    "ip": lambda value, _: _check_ip(value, None),
    "ipv4": lambda value, _: _check_ip(value, 4),
    "ipv6": lambda value, _: _check_ip(value, 6),
    "name": _check_name,
    "containerID": _check_container_id,
    "labels": _check_labels,
    "interface": _check_interface,
    "ignoredInterface": _check_ignored_interface,
    "ifaceFilter": _check_iface_filter,
    "ifaceFilterSlice": _check_iface_filter_slice,
    "interfaceSlice": _check_interface_slice,
    "net": _check_net,
    "netv4": _check_netv4,
    "netv6": _check_netv6,
    "cidr": _check_cidr,
    "cidrv4": _check_cidrv4,
    "cidrv6": _check_cidrv6,
    "cidrs": _check_cidrs,
    "mac": _check_mac,
    "regexp": _check_regexp,
    "logLevel": _check_log_level,
    "ipIpMode": _check_tunnel_mode,
    "vxlanMode": _check_tunnel_mode,
    "assignmentMode": _check_assignment_mode,
}


# -- ObjectMeta ----------------------------------------------------------------------------------

_ANNOTATIONS_LIMIT = 256 * 1024


def check_name(name: str, path: str, report: Report) -> None:
    """The generic name rules of ``validateObjectMeta`` (every kind, policies included)."""
    size = len(name.encode())
    if size > _NAME_MAX:
        report.add(path, f"name is too long by {size - _NAME_MAX} bytes", name)
    if _NAME.fullmatch(name) is None:
        report.add(path, _NAME_REASON, name)


def check_labels(labels: Mapping[str, str], path: str, report: Report) -> None:
    """``validateObjectMetaLabels``: every key a qualified name, every value a label value."""
    for key, value in labels.items():
        where = json_path(path, key)
        for err in label_key_errors(key):
            report.add(where, err, key)
        for err in label_value_errors(value):
            report.add(where, err, value)


def check_annotations(annotations: Mapping[str, str], path: str, report: Report) -> None:
    """``validateObjectMetaAnnotations``: keys (lower-cased) qualified names; total size ≤ 256 KiB."""
    total = 0
    for key, value in annotations.items():
        for err in label_key_errors(key.lower()):
            report.add(json_path(path, key), err, key)
        total += len(key.encode()) + len(value.encode())
    if total > _ANNOTATIONS_LIMIT:
        report.add(
            path,
            f"total size of annotations is too large by {total - _ANNOTATIONS_LIMIT} bytes",
        )


def _check_object_meta(obj: ObjectMeta, path: str, report: Report) -> None:
    check_name(obj.name, json_path(path, "name"), report)
    if obj.annotations:
        check_annotations(obj.annotations, json_path(path, "annotations"), report)
    if obj.labels:
        check_labels(obj.labels, json_path(path, "labels"), report)


STRUCT_CHECKS: Mapping[str, Sequence[StructCheck]] = {
    "ObjectMeta": (_check_object_meta,),
}
