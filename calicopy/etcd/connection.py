"""Where etcd is and how to reach it: libcalico-go's ``NewEtcdV3Client`` checks on ``CalicoAPIConfig``.

Pure: nothing here opens a file or a socket.  ``libcalico-go/lib/backend/etcdv3/etcdv3.go``
(v3.32.1) and ``inline_cert_key.go``:

* ``etcdEndpoints`` is a comma-separated list; ``etcdDiscoverySrv`` names a DNS domain whose
  ``_etcd-client-ssl._tcp``/``_etcd-client._tcp`` SRV records list the endpoints; both at once,
  or neither, is an error;
* TLS material comes either inline (``etcdCert``/``etcdKey``/``etcdCACert``, PEM text) or from
  files (``etcdCertFile``/``etcdKeyFile``/``etcdCACertFile``), never both; inline, the
  certificate and the key must both be given;
* a username and password are used only when both are set.

The server's certificate is always verified (against ``etcdCACert[File]``, else the system's
roots); calicoctl has no setting to turn that off, and calicopy only has the explicit
``verify=False`` argument of :class:`~calicopy.etcd.backend.EtcdBackend`.  Secrets (the password,
private keys, inline PEM) never appear in a ``repr`` or an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import CalicoAPIConfig
from ..errors import ConfigError

__all__ = ["EtcdConnection", "etcd_connection"]


@dataclass(frozen=True)
class EtcdConnection:
    """The settings the transport needs (a ``repr`` shows endpoints and which kinds of auth are set)."""

    endpoints: tuple[str, ...] = ()
    discovery_srv: str = ""
    username: str = ""
    password: str = field(default="", repr=False)
    ca_cert_file: str = ""
    cert_file: str = ""
    key_file: str = ""
    ca_cert: str = field(default="", repr=False)
    cert: str = field(default="", repr=False)
    key: str = field(default="", repr=False)
    verify: bool = True

    @property
    def has_client_certificate(self) -> bool:
        return bool((self.cert and self.key) or (self.cert_file and self.key_file))

    @property
    def uses_tls_material(self) -> bool:
        return bool(self.cert or self.key or self.ca_cert or self.cert_file or self.key_file or self.ca_cert_file)

    @property
    def authenticates(self) -> bool:
        return bool(self.username and self.password)

    def __repr__(self) -> str:
        parts = [f"endpoints={list(self.endpoints)!r}"] if self.endpoints else []
        if self.discovery_srv:
            parts.append(f"discovery_srv={self.discovery_srv!r}")
        if self.uses_tls_material:
            parts.append("tls=" + ("client-certificate" if self.has_client_certificate else "ca"))
        if self.authenticates:
            parts.append(f"username={self.username!r}")
        if not self.verify:
            parts.append("verify=False")
        return f"EtcdConnection({', '.join(parts)})"


def _endpoint(text: str, tls: bool) -> str:
    text = text.strip()
    if "://" in text:
        return text.rstrip("/")
    return ("https://" if tls else "http://") + text.rstrip("/")


def etcd_connection(config: CalicoAPIConfig, *, verify: bool = True) -> EtcdConnection:
    """The connection settings of ``config`` (``datastoreType: etcdv3``), checked as libcalico-go checks them.

    Raises :class:`~calicopy.errors.ConfigError` with libcalico-go's texts.
    """
    spec = config.spec
    if spec.etcd_endpoints and spec.etcd_discovery_srv:
        raise ConfigError(
            'multiple discovery or bootstrap options specified, use either "etcdEndpoints" or "etcdDiscoverySrv"'
        )
    have_inline = bool(spec.etcd_cert or spec.etcd_key or spec.etcd_ca_cert)
    have_files = bool(spec.etcd_cert_file or spec.etcd_key_file or spec.etcd_ca_cert_file)
    tls = have_inline or have_files
    endpoints = tuple(_endpoint(e, tls) for e in spec.etcd_endpoints.split(",")) if spec.etcd_endpoints else ()
    if not endpoints and not spec.etcd_discovery_srv:
        raise ConfigError("no etcd endpoints specified")
    if have_inline and have_files:
        raise ConfigError("Cannot mix inline certificate-key and certificate / key files")
    if have_inline and not (spec.etcd_cert and spec.etcd_key):
        raise ConfigError("could not initialize etcdv3 client: Certificate and Key must both be present inline.")
    if bool(spec.etcd_cert_file) != bool(spec.etcd_key_file):
        # etcd's transport.TLSInfo.baseConfig: a client certificate comes as a pair of files.
        raise ConfigError(
            "could not initialize etcdv3 client: KeyFile and CertFile must both be present"
            f"[key: {spec.etcd_key_file}, cert: {spec.etcd_cert_file}]"
        )
    both = bool(spec.etcd_username and spec.etcd_password)
    return EtcdConnection(
        endpoints=endpoints,
        discovery_srv=spec.etcd_discovery_srv,
        username=spec.etcd_username if both else "",
        password=spec.etcd_password if both else "",
        ca_cert_file=spec.etcd_ca_cert_file,
        cert_file=spec.etcd_cert_file,
        key_file=spec.etcd_key_file,
        ca_cert=spec.etcd_ca_cert,
        cert=spec.etcd_cert,
        key=spec.etcd_key,
        verify=verify,
    )
