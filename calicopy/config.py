"""``CalicoAPIConfig``: calicoctl's client configuration (``/etc/calico/calicoctl.cfg`` or the environment).

The model follows ``libcalico-go/lib/apiconfig/apiconfig.go`` at v3.32.1: the etcd and
Kubernetes settings are inlined into ``spec``.  Fields that hold secrets (passwords, tokens,
private keys, inline kubeconfigs) are left out of ``repr()`` so they never reach a log.
"""

from __future__ import annotations

import errno
import logging
import math
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from pydantic import Field

from ._go import json as go_json
from ._go import yaml_load
from ._go.strconv import NumError, parse_bool, parse_float, parse_int, quote, to_float32
from ._go.url import redacted
from ._go.yaml import string_target_text
from .errors import ConfigError
from .resources.meta import ObjectMeta
from .resources.model import CalicoModel, GoField
from .resources.types import GoFloat

__all__ = [
    "API_VERSION",
    "DEFAULT_CONFIG_PATH",
    "DEFAULT_K8S_BURST",
    "DEFAULT_K8S_QPS",
    "ENV_VARS",
    "MAX_CONFIG_BYTES",
    "SECRET_FIELDS",
    "CalicoAPIConfig",
    "CalicoAPIConfigSpec",
    "DatastoreType",
    "FileTooLarge",
    "load_config",
    "load_config_from_bytes",
    "load_config_from_environment",
    "load_config_from_file",
    "read_capped",
]

DatastoreType = str
ETCDV3 = "etcdv3"
KUBERNETES = "kubernetes"

# JSON names of the settings whose values must never be shown.
SECRET_FIELDS = frozenset({"etcdPassword", "etcdKey", "k8sAPIToken", "kubeconfigInline"})


def _secret(default: str, alias: str) -> str:
    return Field(default, alias=alias, repr=False)


class CalicoAPIConfigSpec(CalicoModel):
    """Where the datastore is and how to reach it (every field of libcalico-go's spec, inlined as Go does)."""

    datastore_type: Annotated[str, GoField(enum=("etcdv3", "kubernetes"))] = Field("", alias="datastoreType")
    # etcd
    etcd_endpoints: Annotated[str, GoField()] = Field("", alias="etcdEndpoints")
    etcd_discovery_srv: Annotated[str, GoField()] = Field("", alias="etcdDiscoverySrv")
    etcd_username: Annotated[str, GoField()] = Field("", alias="etcdUsername")
    etcd_password: Annotated[str, GoField()] = _secret("", "etcdPassword")
    etcd_key_file: Annotated[str, GoField()] = Field("", alias="etcdKeyFile")
    etcd_cert_file: Annotated[str, GoField()] = Field("", alias="etcdCertFile")
    etcd_ca_cert_file: Annotated[str, GoField()] = Field("", alias="etcdCACertFile")
    etcd_key: Annotated[str, GoField()] = _secret("", "etcdKey")
    etcd_cert: Annotated[str, GoField()] = Field("", alias="etcdCert", repr=False)
    etcd_ca_cert: Annotated[str, GoField()] = Field("", alias="etcdCACert", repr=False)
    # Kubernetes
    kubeconfig: Annotated[str, GoField()] = Field("", alias="kubeconfig")
    k8s_api_endpoint: Annotated[str, GoField()] = Field("", alias="k8sAPIEndpoint")
    k8s_key_file: Annotated[str, GoField()] = Field("", alias="k8sKeyFile")
    k8s_cert_file: Annotated[str, GoField()] = Field("", alias="k8sCertFile")
    k8s_ca_file: Annotated[str, GoField()] = Field("", alias="k8sCAFile")
    k8s_api_token: Annotated[str, GoField()] = _secret("", "k8sAPIToken")
    k8s_insecure_skip_tls_verify: Annotated[bool, GoField()] = Field(False, alias="k8sInsecureSkipTLSVerify")
    k8s_disable_node_poll: Annotated[bool, GoField()] = Field(False, alias="k8sDisableNodePoll")
    use_pod_cidr: Annotated[bool, GoField()] = Field(False, alias="usePodCIDR")
    kubeconfig_inline: Annotated[str, GoField()] = _secret("", "kubeconfigInline")
    k8s_client_qps: Annotated[GoFloat, GoField()] = Field(0.0, alias="k8sClientQPS")
    k8s_client_burst: Annotated[int, GoField()] = Field(0, alias="k8sClientBurst")
    k8s_current_context: Annotated[str, GoField()] = Field("", alias="k8sCurrentContext")
    calico_api_group: Annotated[str, GoField()] = Field("", alias="calicoAPIGroup")


class CalicoAPIConfig(CalicoModel):
    """calicoctl's ``CalicoAPIConfig`` document (``apiVersion: projectcalico.org/v3``)."""

    KIND: ClassVar[str] = "CalicoAPIConfig"

    kind: Annotated[str, GoField(omit="empty")] = Field("CalicoAPIConfig", alias="kind")
    api_version: Annotated[str, GoField(omit="empty")] = Field("projectcalico.org/v3", alias="apiVersion")
    metadata: Annotated[ObjectMeta, GoField()] = Field(default_factory=ObjectMeta, alias="metadata")
    spec: Annotated[CalicoAPIConfigSpec, GoField()] = Field(default_factory=CalicoAPIConfigSpec, alias="spec")


# ---------------------------------------------------------------------------------------------
# Loading (libcalico-go lib/apiconfig/load.go, calicoctl commands/clientmgr/client.go)
# ---------------------------------------------------------------------------------------------

#: calicoctl's default ``--config`` path (``calicoctl/commands/constants/help.go``).  When this
#: path (the default, or the same path given explicitly) cannot be ``stat``-ed, calicoctl reads
#: the environment instead; any other missing path is an error.
DEFAULT_CONFIG_PATH = "/etc/calico/calicoctl.cfg"
API_VERSION = "projectcalico.org/v3"

#: Kubernetes client rate limits used when the config leaves them at 0.  libcalico-go leaves the
#: QPS to client-go (whose default is 5) and sets the burst to 100; calicopy uses 50/100.
DEFAULT_K8S_QPS = 50.0
DEFAULT_K8S_BURST = 100

#: The most calicopy reads of a calicoctl.cfg or a kubeconfig, as a file or as text (real ones are
#: a few kilobytes; a kubeconfig with a hundred clusters and their certificates stays under 1 MiB).
MAX_CONFIG_BYTES = 4 * 1024 * 1024

_log = logging.getLogger("calicopy.config")

_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1


@dataclass(frozen=True, slots=True)
class _SpecField:
    go_name: str  # Go field name (envconfig's FieldName)
    json_name: str  # JSON key in the file
    attr: str  # attribute of CalicoAPIConfigSpec
    go_type: str  # "string", "bool", "float32", "int" (or a named string type)
    env: str | None  # the envconfig tag; None when the field has no tag
    ignored: bool = False  # ignored:"true": never read from the environment

    @property
    def kind(self) -> str:
        return self.go_type if self.go_type in ("bool", "float32", "int") else "string"

    @property
    def env_key(self) -> str:
        """envconfig's Key: ``CALICO_`` + the tag, or ``CALICO_`` + the upper-cased Go field name."""
        return ("CALICO_" + (self.env if self.env else self.go_name)).upper()

    @property
    def env_alt(self) -> str:
        """envconfig's Alt: the bare tag (looked up when Key is unset)."""
        return (self.env or "").upper()


# In Go struct order (envconfig processes fields in this order and stops at the first error).
_SPEC_FIELDS: tuple[_SpecField, ...] = (
    _SpecField("DatastoreType", "datastoreType", "datastore_type", "apiconfig.DatastoreType", "DATASTORE_TYPE"),
    _SpecField("EtcdEndpoints", "etcdEndpoints", "etcd_endpoints", "string", "ETCD_ENDPOINTS"),
    _SpecField("EtcdDiscoverySrv", "etcdDiscoverySrv", "etcd_discovery_srv", "string", "ETCD_DISCOVERY_SRV"),
    _SpecField("EtcdUsername", "etcdUsername", "etcd_username", "string", "ETCD_USERNAME"),
    _SpecField("EtcdPassword", "etcdPassword", "etcd_password", "string", "ETCD_PASSWORD"),
    _SpecField("EtcdKeyFile", "etcdKeyFile", "etcd_key_file", "string", "ETCD_KEY_FILE"),
    _SpecField("EtcdCertFile", "etcdCertFile", "etcd_cert_file", "string", "ETCD_CERT_FILE"),
    _SpecField("EtcdCACertFile", "etcdCACertFile", "etcd_ca_cert_file", "string", "ETCD_CA_CERT_FILE"),
    _SpecField("EtcdKey", "etcdKey", "etcd_key", "string", None, ignored=True),
    _SpecField("EtcdCert", "etcdCert", "etcd_cert", "string", None, ignored=True),
    _SpecField("EtcdCACert", "etcdCACert", "etcd_ca_cert", "string", None, ignored=True),
    _SpecField("Kubeconfig", "kubeconfig", "kubeconfig", "string", "KUBECONFIG"),
    _SpecField("K8sAPIEndpoint", "k8sAPIEndpoint", "k8s_api_endpoint", "string", "K8S_API_ENDPOINT"),
    _SpecField("K8sKeyFile", "k8sKeyFile", "k8s_key_file", "string", "K8S_KEY_FILE"),
    _SpecField("K8sCertFile", "k8sCertFile", "k8s_cert_file", "string", "K8S_CERT_FILE"),
    _SpecField("K8sCAFile", "k8sCAFile", "k8s_ca_file", "string", "K8S_CA_FILE"),
    # Tagged `ignore:"true"` (not `ignored`), so envconfig does read it, as CALICO_K8SAPITOKEN.
    _SpecField("K8sAPIToken", "k8sAPIToken", "k8s_api_token", "string", None),
    _SpecField(
        "K8sInsecureSkipTLSVerify",
        "k8sInsecureSkipTLSVerify",
        "k8s_insecure_skip_tls_verify",
        "bool",
        "K8S_INSECURE_SKIP_TLS_VERIFY",
    ),
    _SpecField("K8sDisableNodePoll", "k8sDisableNodePoll", "k8s_disable_node_poll", "bool", "K8S_DISABLE_NODE_POLL"),
    _SpecField("K8sUsePodCIDR", "usePodCIDR", "use_pod_cidr", "bool", "USE_POD_CIDR"),
    _SpecField("KubeconfigInline", "kubeconfigInline", "kubeconfig_inline", "string", None, ignored=True),
    _SpecField("K8sClientQPS", "k8sClientQPS", "k8s_client_qps", "float32", "K8S_CLIENT_QPS"),
    _SpecField("K8sClientBurst", "k8sClientBurst", "k8s_client_burst", "int", "K8S_CLIENT_BURST"),
    _SpecField("K8sCurrentContext", "k8sCurrentContext", "k8s_current_context", "string", "K8S_CURRENT_CONTEXT"),
    _SpecField("CalicoAPIGroup", "calicoAPIGroup", "calico_api_group", "string", "CALICO_API_GROUP"),
)
_SECRET_ATTRS = frozenset(f.attr for f in _SPEC_FIELDS if f.json_name in SECRET_FIELDS)

#: Environment variables read in environment mode, in lookup order per field (derived from the table).
ENV_VARS: Mapping[str, tuple[str, ...]] = {
    f.json_name: tuple(k for k in (f.env_key, f.env_alt) if k) for f in _SPEC_FIELDS if not f.ignored
}


def load_config(path: str | os.PathLike[str] | None = None, *, env: Mapping[str, str] | None = None) -> CalicoAPIConfig:
    """Load calicoctl's client configuration the way ``calicoctl -c <path>`` does.

    What is read, first match wins (an explicit argument always beats a default):

    1. ``path`` given: that file.  If it is :data:`DEFAULT_CONFIG_PATH` itself and cannot be
       ``stat``-ed, the environment instead (calicoctl's rule); any other path that cannot be
       ``stat``-ed is an error (``Error reading config file: <path>``).
    2. ``env`` given (even empty): that environment only; the default file is not consulted, so
       a test or tool that passes its own settings never picks up the machine's cluster.
    3. Neither: calicoctl's rule, :data:`DEFAULT_CONFIG_PATH` if it can be ``stat``-ed, else
       ``os.environ``.

    A file and the environment are never merged: with a file, only ``HOME`` is consulted (for
    the ``$HOME/.kube/config`` default, as libcalico-go's ``applyConfigDefaults`` does).
    Errors are :class:`~calicopy.errors.ConfigError`; their text follows libcalico-go and never
    contains the value of a secret setting.
    """
    environ: Mapping[str, str] = os.environ if env is None else env
    if path is None and env is not None:
        _log.debug("Environment given explicitly: the default config file is not read")
        return load_config_from_environment(environ)
    default_path = DEFAULT_CONFIG_PATH
    filename = default_path if path is None else os.fspath(path)
    try:
        os.stat(filename)
    except (OSError, ValueError):
        if filename != default_path:
            raise ConfigError(f"Error reading config file: {filename}", source=filename) from None
        _log.info("Config file: %s cannot be read - reading config from environment", filename)
        return load_config_from_environment(environ)
    return load_config_from_file(filename, env=environ)


def load_config_from_file(path: str | os.PathLike[str], *, env: Mapping[str, str] | None = None) -> CalicoAPIConfig:
    """libcalico-go's ``LoadClientConfigFromFile``: the file must exist; YAML or JSON."""
    filename = os.fspath(path)
    try:
        data = read_capped(filename, MAX_CONFIG_BYTES)
    except OSError as exc:
        op = "read" if isinstance(exc, (IsADirectoryError, FileTooLarge)) else "open"
        raise ConfigError(f"{op} {filename}: {_go_errno_text(exc)}", source=filename, cause=exc) from None
    try:
        return load_config_from_bytes(data, env=env)
    except ConfigError as exc:
        raise ConfigError(f"syntax error in {filename}: {exc}", source=filename, field=exc.field, cause=exc) from None


def load_config_from_bytes(data: bytes | str, *, env: Mapping[str, str] | None = None) -> CalicoAPIConfig:
    """libcalico-go's ``LoadClientConfigFromBytes``: ``sigs.k8s.io/yaml.UnmarshalStrict`` semantics.

    Unknown keys and duplicate keys are errors, keys match case-insensitively (``encoding/json``),
    YAML numbers and booleans given for a string setting become strings, and ``apiVersion`` and
    ``kind`` must be ``projectcalico.org/v3`` and ``CalicoAPIConfig``.
    """
    _log.debug("Loading config from JSON or YAML data")
    raw = _yaml_to_object(data)
    try:
        config = _decode_config(raw)
    except _JSONError as exc:
        raise ConfigError(
            f"failed to parse config as YAML/JSON: error unmarshaling JSON: while decoding JSON: {exc}"
        ) from None
    if config.api_version != API_VERSION:
        raise ConfigError("invalid config file: unknown APIVersion '" + config.api_version + "'")
    if config.kind != CalicoAPIConfig.KIND:
        raise ConfigError(
            "invalid config file: expected kind '" + CalicoAPIConfig.KIND + "', got '" + config.kind + "'"
        )
    config = _apply_config_defaults(config, os.environ if env is None else env)
    _log.debug("Datastore type: %s", config.spec.datastore_type)
    return config


def load_config_from_environment(env: Mapping[str, str] | None = None) -> CalicoAPIConfig:
    """libcalico-go's ``LoadClientConfigFromEnvironment`` (``envconfig.Process("calico", &spec)``).

    For each setting ``CALICO_<NAME>`` is looked up first, then ``<NAME>``; a variable that is
    set (even to ``""``) is parsed with Go's ``strconv`` rules for its type.
    """
    environ: Mapping[str, str] = os.environ if env is None else env
    values: dict[str, Any] = {}
    for f in _SPEC_FIELDS:
        if f.ignored:
            continue
        used = f.env_key
        value = environ.get(used)
        if value is None and f.env_alt:
            used = f.env_alt
            value = environ.get(used)
        if value is None:
            continue
        try:
            parsed = _parse_env_value(f, value)
        except NumError as exc:
            raise _env_error(f, used, value, str(exc)) from None
        if isinstance(parsed, float) and not math.isfinite(parsed):
            # envconfig takes NaN and Inf (client-go would then not rate-limit at all); a config
            # holds finite numbers only, as the file form's JSON does.
            raise _env_error(f, used, value, "not a finite number (calicopy accepts no NaN or infinity here)")
        values[f.attr] = parsed
    config = CalicoAPIConfig.model_validate({"spec": CalicoAPIConfigSpec.model_validate(values)})
    return _apply_config_defaults(config, environ)


def _env_error(f: _SpecField, used: str, value: str, details: str) -> ConfigError:
    shown = "<redacted>" if f.attr in _SECRET_ATTRS else value
    source = f" (value read from {used})" if used != f.env_key else ""
    return ConfigError(
        "failed to load config from env vars: envconfig.Process: "
        f"assigning {f.env_key} to {f.go_name}: converting '{shown}' to type {f.go_type}. "
        f"details: {details}{source}",
        source="environment",
        field=used,
    )


def _apply_config_defaults(config: CalicoAPIConfig, env: Mapping[str, str]) -> CalicoAPIConfig:
    spec = config.spec
    updates: dict[str, Any] = {}
    datastore = spec.datastore_type
    if datastore == "":
        _log.debug("Datastore type isn't set, trying to detect it")
        datastore = ETCDV3 if spec.etcd_endpoints != "" else KUBERNETES
        updates["datastore_type"] = datastore
    if datastore == KUBERNETES:
        home = env.get("HOME", "")
        if spec.kubeconfig != "":
            _log.debug("kubeconfig provided: %s", spec.kubeconfig)
        elif spec.k8s_api_endpoint != "":
            _log.debug("API endpoint provided: %s", redacted(spec.k8s_api_endpoint))
        elif home == "":
            _log.debug("No home directory, default path doesn't apply.")
        else:
            kubeconfig = os.path.join(home, ".kube", "config")
            try:
                os.stat(kubeconfig)
            except (OSError, ValueError):
                _log.debug("No kubeconfig file at default path, leaving blank.")
            else:
                updates["kubeconfig"] = kubeconfig
                _log.debug("Using default kubeconfig path: %s", kubeconfig)
    if not updates:
        return config
    return config.model_copy(update={"spec": spec.model_copy(update=updates)})


def _parse_env_value(f: _SpecField, value: str) -> Any:
    """envconfig: ``strconv.ParseBool``, ``ParseInt(value, 0, 64)`` or ``ParseFloat(value, 32)`` by type."""
    if f.kind == "bool":
        return parse_bool(value)
    if f.kind == "int":
        return parse_int(value, 0, 64)
    if f.kind == "float32":
        return parse_float(value, 32)
    return value


def _go_errno_text(exc: OSError) -> str:
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:]


class FileTooLarge(OSError):
    """A file longer than calicopy reads for its purpose (``strerror`` is Go's EFBIG text and the cap)."""

    def __init__(self, path: str, limit: int) -> None:
        super().__init__(errno.EFBIG, f"file too large (calicopy reads at most {limit} bytes of it)", path)


def read_capped(path: str, limit: int) -> bytes:
    """The bytes of ``path``, reading no more than ``limit`` + 1 of them (``/dev/zero`` ends too).

    Raises :class:`FileTooLarge` past ``limit``, and ``open()``'s ``OSError`` otherwise.
    """
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(path, limit)
    return data


# --- YAML as sigs.k8s.io/yaml (go-yaml v2) reads it ----------------------------------------------


def _yaml_to_object(data: bytes | str) -> Any:
    """Parse the first YAML document as yaml.v2's ``UnmarshalStrict`` would (keys already strings,
    as sigs.k8s.io/yaml's conversion makes them); errors never quote the document."""
    try:
        value, _ = yaml_load.load(data, max_bytes=MAX_CONFIG_BYTES)
    except yaml_load.LoadError as exc:
        raise ConfigError(
            f"failed to parse config as YAML/JSON: error converting YAML to JSON: {_go_yaml_text(exc)}"
        ) from None
    return value


def _go_yaml_text(exc: yaml_load.LoadError) -> str:
    """go-yaml v2's error text: ``yaml: line N: problem``; a strict-mode error as ``unmarshal errors``."""
    if exc.rule is yaml_load.Rule.SIZE:
        return f"the config is too large: {exc.reason}"
    if exc.rule is yaml_load.Rule.DUPLICATE_KEY:
        return f"yaml: unmarshal errors:\n  line {(exc.line or 0) + 1}: {exc.reason}"
    if exc.rule is yaml_load.Rule.SYNTAX and exc.line is not None:
        return f"yaml: line {exc.line + 1}: {exc.reason}"
    return f"yaml: {exc.reason}"


# --- encoding/json decoding of the converted document ------------------------------------------


class _JSONError(Exception):
    pass


_TOP_FIELDS = ("apiVersion", "kind", "metadata", "spec")
_SPEC_BY_JSON = {f.json_name: f for f in _SPEC_FIELDS}


def _match_field(key: str, names: Iterable[str]) -> str | None:
    """encoding/json: an exact match first, else a case-insensitive one."""
    names = tuple(names)
    if key in names:
        return key
    folded = key.lower()
    return next((n for n in names if n.lower() == folded), None)


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _json_number(value: int | float) -> str:
    """The number as json.Marshal wrote it (what encoding/json quotes in a type error)."""
    return str(value) if isinstance(value, int) else go_json.format_float(value)


def _check_jsonable(value: Any) -> None:
    """json.Marshal rejects NaN and infinities wherever they are."""
    if isinstance(value, float):
        try:
            go_json.format_float(value)
        except ValueError as exc:
            raise ConfigError(f"failed to parse config as YAML/JSON: error converting YAML to JSON: {exc}") from None
    if isinstance(value, dict):
        for item in value.values():
            _check_jsonable(item)
    elif isinstance(value, list):
        for item in value:
            _check_jsonable(item)


def _decode_config(raw: Any) -> CalicoAPIConfig:
    if raw is None:
        return CalicoAPIConfig.model_validate({"kind": "", "apiVersion": ""})
    if not isinstance(raw, dict):
        _check_jsonable(raw)
        raise _JSONError(f"json: cannot unmarshal {_json_kind(raw)} into Go value of type apiconfig.CalicoAPIConfig")
    top: dict[str, Any] = raw
    # Coerce scalars for string targets before the NaN/Inf check, as sigs.k8s.io/yaml does.
    values: dict[str, Any] = {"kind": "", "apiVersion": ""}
    first_error: _JSONError | None = None

    def note(error: _JSONError) -> None:
        nonlocal first_error
        if first_error is None:
            first_error = error

    spec_values: dict[str, Any] = {}
    metadata: Any = None
    for key in sorted(top):  # json.Marshal of a Go map sorts the keys
        value = top[key]
        name = _match_field(key, _TOP_FIELDS)
        if name in ("apiVersion", "kind"):
            value = string_target_text(value)
            _check_jsonable(value)
            if value is None:
                continue
            if not isinstance(value, str):
                note(_type_error(value, f"CalicoAPIConfig.{name}", "string"))
                continue
            values[name] = value
        elif name == "metadata":
            _check_jsonable(value)
            if value is None:
                continue
            if not isinstance(value, dict):
                note(_type_error(value, "CalicoAPIConfig.metadata", "v1.ObjectMeta"))
                continue
            metadata = value
        elif name == "spec":
            if value is None:
                continue
            if not isinstance(value, dict):
                _check_jsonable(value)
                note(_type_error(value, "CalicoAPIConfig.spec", "apiconfig.CalicoAPIConfigSpec"))
                continue
            _decode_spec(value, spec_values, note)
        else:
            _check_jsonable(value)
            note(_JSONError(f"json: unknown field {quote(key)}"))
    if first_error is not None:
        raise first_error
    if metadata is not None:
        try:
            values["metadata"] = ObjectMeta.from_dict(metadata)
        except ValueError as exc:
            raise _JSONError(f"json: metadata: {exc}") from None
    values["spec"] = CalicoAPIConfigSpec.model_validate(spec_values)
    return CalicoAPIConfig.model_validate(values)


def _type_error(value: Any, path: str, go_type: str, *, literal: bool = False) -> _JSONError:
    kind = "number " + _json_number(value) if literal else _json_kind(value)
    return _JSONError(f"json: cannot unmarshal {kind} into Go struct field {path} of type {go_type}")


def _decode_spec(spec: dict[str, Any], out: dict[str, Any], note: Callable[[_JSONError], None]) -> None:
    for key in sorted(spec):
        value = spec[key]
        name = _match_field(key, _SPEC_BY_JSON)
        if name is None:
            _check_jsonable(value)
            note(_JSONError(f"json: unknown field {quote(key)}"))
            continue
        f = _SPEC_BY_JSON[name]
        path = f"CalicoAPIConfigSpec.spec.{f.json_name}"
        if f.kind == "string":
            value = string_target_text(value)
        _check_jsonable(value)
        if value is None:
            continue  # JSON null leaves the Go value alone
        if f.kind == "string":
            if not isinstance(value, str):
                note(_type_error(value, path, f.go_type))
                continue
            out[f.attr] = value
        elif f.kind == "bool":
            if not isinstance(value, bool):
                note(_type_error(value, path, "bool"))
                continue
            out[f.attr] = value
        elif f.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int | float):
                note(_type_error(value, path, "int"))
                continue
            number = value
            if isinstance(number, float):
                if not (number.is_integer() and abs(number) < 1e21):
                    note(_type_error(value, path, "int", literal=True))
                    continue
                number = int(number)
            if not _INT64_MIN <= number <= _INT64_MAX:
                note(_type_error(value, path, "int", literal=True))
                continue
            out[f.attr] = number
        else:  # float32
            if isinstance(value, bool) or not isinstance(value, int | float):
                note(_type_error(value, path, "float32"))
                continue
            try:
                out[f.attr] = to_float32(float(value))
            except OverflowError:
                note(_type_error(value, path, "float32", literal=True))
