"""Kubeconfig documents: reading, checking against client-go's types, and merging several files.

client-go (``tools/clientcmd/api/v1/types.go``) decodes a kubeconfig into typed Go structs: a
value of the wrong type is an error, never a guess (``insecure-skip-tls-verify: "false"`` is a
string, not ``false``), ``[]byte`` fields are base64 with Go's decoder, and every entry is checked
whether or not the chosen context uses it.  The errors say what Go's ``encoding/json`` says,
after the file and the entry (cluster, user or context name); they never quote a value, so no
token or key reaches them.

The YAML is read as client-go reads it (go-yaml v2 through sigs.k8s.io/yaml, repeated keys
allowed), by calicopy's hardened reader: aliases, nesting and size are capped.  Pure functions
apart from :func:`load_kubeconfig_files` and :func:`read_token_file`, which read files (at most
:data:`~calicopy.config.MAX_CONFIG_BYTES` and :data:`MAX_TOKEN_BYTES`).
"""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .._go import yaml_load
from .._go.base64 import std_decode

# _go_errno_text is Go's syscall.Errno text; it moves to calicopy._go with the other Go helpers.
from ..config import MAX_CONFIG_BYTES, _go_errno_text, read_capped
from ..errors import ConfigError

__all__ = [
    "MAX_TOKEN_BYTES",
    "Kubeconfig",
    "load_kubeconfig_files",
    "merge_kubeconfigs",
    "parse_kubeconfig",
    "read_token_file",
]

_log = logging.getLogger(__name__)


@dataclass(slots=True)
class Kubeconfig:
    """One kubeconfig (or several merged): entries by name, values already of their Go types
    (``str``, ``bool``, ``bytes`` for base64 data, lists and mappings)."""

    clusters: dict[str, dict[str, Any]] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    contexts: dict[str, dict[str, Any]] = field(default_factory=dict)
    current_context: str = ""


# client-go's field types (clientcmd/api/v1/types.go), by JSON name, as encoding/json names them.
_STRING, _BOOL, _BYTES = "string", "bool", "[]uint8"
_STRINGS, _EXTRA, _OBJECT_ANY = "[]string", "map[string][]string", "object"
_CLUSTER_FIELDS: Mapping[str, str] = {
    "server": _STRING,
    "tls-server-name": _STRING,
    "insecure-skip-tls-verify": _BOOL,
    "certificate-authority": _STRING,
    "certificate-authority-data": _BYTES,
    "proxy-url": _STRING,
    "disable-compression": _BOOL,
}
_USER_FIELDS: Mapping[str, str] = {
    "client-certificate": _STRING,
    "client-certificate-data": _BYTES,
    "client-key": _STRING,
    "client-key-data": _BYTES,
    "token": _STRING,
    "tokenFile": _STRING,
    "as": _STRING,
    "as-uid": _STRING,
    "as-groups": _STRINGS,
    "as-user-extra": _EXTRA,
    "username": _STRING,
    "password": _STRING,
    "auth-provider": "v1.AuthProviderConfig",
    "exec": "v1.ExecConfig",
}
_CONTEXT_FIELDS: Mapping[str, str] = {"cluster": _STRING, "user": _STRING, "namespace": _STRING}


@dataclass(frozen=True, slots=True)
class _Section:
    """One list of named entries: ``clusters`` of ``NamedCluster{name, cluster: Cluster}``..."""

    key: str  # "clusters"
    inner: str  # "cluster"
    entry: str  # how an error names an entry: cluster "dev"
    named_type: str  # "NamedCluster"
    body_type: str  # "Cluster"
    fields: Mapping[str, str]
    paths: tuple[str, ...]  # file paths, relative to the kubeconfig file


_SECTIONS = (
    _Section("clusters", "cluster", "cluster", "NamedCluster", "Cluster", _CLUSTER_FIELDS, ("certificate-authority",)),
    _Section(
        "users",
        "user",
        "user",
        "NamedAuthInfo",
        "AuthInfo",
        _USER_FIELDS,
        ("client-certificate", "client-key", "tokenFile"),
    ),
    _Section("contexts", "context", "context", "NamedContext", "Context", _CONTEXT_FIELDS, ()),
)


class _TypeError(Exception):
    """A value of the wrong type; ``str()`` is encoding/json's text."""


def _json_kind(value: Any) -> str:
    """What encoding/json calls a decoded YAML value in a type error."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _type_error(value: Any, struct: str, path: str, go_type: str) -> _TypeError:
    return _TypeError(
        f"json: cannot unmarshal {_json_kind(value)} into Go struct field {struct}.{path} of type {go_type}"
    )


def _typed(value: Any, go_type: str, struct: str, path: str) -> Any:
    """``value`` as client-go's field of ``go_type`` holds it (``None``: the zero value)."""
    if value is None:
        return None
    if go_type == _STRING:
        if not isinstance(value, str):
            raise _type_error(value, struct, path, go_type)
        return value
    if go_type == _BOOL:
        if not isinstance(value, bool):
            raise _type_error(value, struct, path, go_type)
        return value
    if go_type == _BYTES:
        if not isinstance(value, str):
            raise _type_error(value, struct, path, go_type)
        try:
            return std_decode(value)
        except ValueError as exc:
            raise _TypeError(f"{path.rpartition('.')[2]}: {exc}") from None
    if go_type == _STRINGS:
        if not isinstance(value, list):
            raise _type_error(value, struct, path, go_type)
        return [_typed(item, _STRING, struct, path) for item in value]
    if go_type == _EXTRA:
        if not isinstance(value, dict):
            raise _type_error(value, struct, path, go_type)
        return {str(k): _typed(v, _STRINGS, struct, path) for k, v in value.items()}
    if not isinstance(value, dict):  # a pointer to a struct (exec, auth-provider)
        raise _type_error(value, struct, path, go_type)
    return value


def _entry(section: _Section, raw: Any, base_dir: str | None) -> tuple[str, dict[str, Any]]:
    """One named entry, typed; paths made absolute relative to ``base_dir``."""
    if not isinstance(raw, dict):
        raise _type_error(raw, "Config", section.key, f"v1.{section.named_type}")
    name = raw.get("name")
    label = f'{section.entry} "{"" if name is None else name}"'
    try:
        name = _typed(name, _STRING, section.named_type, f"{section.key}.name") or ""
        body = raw.get(section.inner)
        if body is not None and not isinstance(body, dict):
            raise _type_error(body, section.named_type, f"{section.key}.{section.inner}", f"v1.{section.body_type}")
        typed: dict[str, Any] = {}
        for key, value in (body or {}).items():
            go_type = section.fields.get(key)
            if go_type is None:  # client-go ignores fields it does not know (extensions...)
                continue
            path = f"{section.key}.{section.inner}.{key}"
            typed[key] = _typed(value, go_type, section.body_type, path)
    except _TypeError as exc:
        raise _TypeError(f"{label}: {exc}") from None
    if base_dir is not None:
        for key in section.paths:
            value = typed.get(key)
            if value and not os.path.isabs(value):
                typed[key] = os.path.join(base_dir, value)
    return name, {k: v for k, v in typed.items() if v is not None}


def parse_kubeconfig(data: bytes | str, origin: str, base_dir: str | None) -> Kubeconfig:
    """One kubeconfig document; ``origin`` names it in errors (``"/path"`` or ``kubeconfigInline``).

    Within one document the first entry of a name wins, as client-go's merge does across files.
    """
    try:
        # client-go decodes with sigs.k8s.io/yaml's YAMLToJSON: go-yaml v2, repeated keys allowed.
        raw, _ = yaml_load.load(data, unique_keys=False, max_bytes=MAX_CONFIG_BYTES)
    except yaml_load.LoadError as exc:
        line = f"line {exc.line + 1}: " if exc.rule is yaml_load.Rule.SYNTAX and exc.line is not None else ""
        raise ConfigError(f"error loading config file {origin}: yaml: {line}{exc.reason}") from None
    config = Kubeconfig()
    if raw is None:
        return config
    try:
        if not isinstance(raw, dict):
            raise _TypeError(f"json: cannot unmarshal {_json_kind(raw)} into Go value of type v1.Config")
        for section in _SECTIONS:
            entries = raw.get(section.key)
            if entries is None:
                continue
            if not isinstance(entries, list):
                raise _type_error(entries, "Config", section.key, f"[]v1.{section.named_type}")
            target: dict[str, dict[str, Any]] = getattr(config, section.key)
            for item in entries:
                name, body = _entry(section, item, base_dir)
                target.setdefault(name, body)
        config.current_context = _typed(raw.get("current-context"), _STRING, "Config", "current-context") or ""
    except _TypeError as exc:
        raise ConfigError(f"error loading config file {origin}: {exc}") from None
    return config


def merge_kubeconfigs(configs: Iterable[Kubeconfig]) -> Kubeconfig:
    """client-go's merge: the first file to define a name (or the current-context) wins."""
    merged = Kubeconfig()
    for config in configs:
        for attr in ("clusters", "users", "contexts"):
            target: dict[str, dict[str, Any]] = getattr(merged, attr)
            for name, body in getattr(config, attr).items():
                target.setdefault(name, body)
        if not merged.current_context:
            merged.current_context = config.current_context
    return merged


def _read(path: str) -> bytes:
    return read_capped(path, MAX_CONFIG_BYTES)


#: The most calicopy reads of a bearer token file (service-account tokens are a few kilobytes).
MAX_TOKEN_BYTES = 1024 * 1024


def read_token_file(path: str) -> str:
    """A bearer token file's text, as it is (callers strip it where client-go does).

    Raises ``OSError``: ``open()``'s, :class:`~calicopy.config.FileTooLarge` past
    :data:`MAX_TOKEN_BYTES`, or ``EILSEQ`` for bytes that are not UTF-8 (no HTTP header could
    carry them).
    """
    data = read_capped(path, MAX_TOKEN_BYTES)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise OSError(errno.EILSEQ, "the token is not UTF-8 text", path) from None


def load_kubeconfig_files(kubeconfig: str) -> Kubeconfig:
    """``fillLoadingRulesFromKubeConfigSpec``: a path list becomes a precedence list, else an explicit path."""
    paths = kubeconfig.split(os.pathsep) if kubeconfig else []
    if len(paths) > 1:
        unique = list(dict.fromkeys(p for p in paths if p))
        configs = []
        for p in unique:
            try:
                data = _read(p)
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise ConfigError(f'error loading config file "{p}": {_go_errno_text(exc)}') from None
            configs.append(parse_kubeconfig(data, f'"{p}"', os.path.dirname(os.path.abspath(p))))
        if not configs:
            _log.warning("Config not found: %s", ", ".join(unique))
        return merge_kubeconfigs(configs)
    if not paths:
        return Kubeconfig()
    path = paths[0]
    try:
        data = _read(path)
    except FileNotFoundError:
        raise ConfigError(f"stat {path}: no such file or directory") from None
    except OSError as exc:
        raise ConfigError(f'error loading config file "{path}": {_go_errno_text(exc)}') from None
    return parse_kubeconfig(data, f'"{path}"', os.path.dirname(os.path.abspath(path)))
