"""calicoctl's etcd settings: ``CalicoAPIConfig`` fields, ``ETCD_*`` variables, libcalico-go's checks and texts.

Sources: ``libcalico-go/lib/apiconfig/apiconfig.go`` (``EtcdConfig``: JSON names and envconfig tags,
the inline PEM fields ``ignored``), ``etcdv3/etcdv3.go`` (``NewEtcdV3Client``), ``inline_cert_key.go``,
etcd's ``client/pkg/transport`` (``TLSInfo.baseConfig``) and ``client/pkg/srv`` (SRV names).
"""

from __future__ import annotations

import logging
import struct

import pytest

from calicopy import Client
from calicopy.config import ENV_VARS, load_config_from_bytes, load_config_from_environment
from calicopy.errors import ConfigError
from calicopy.etcd.connection import etcd_connection
from calicopy.etcd.discovery import parse_srv_answer, resolve_endpoints, srv_query

PEM_KEY = "-----BEGIN EC PRIVATE KEY-----\nTOPSECRETKEYMATERIAL\n-----END EC PRIVATE KEY-----\n"


def config(**spec: str) -> str:
    lines = "".join(f"  {k}: {v!r}\n" for k, v in spec.items())
    return f"apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nspec:\n  datastoreType: etcdv3\n{lines}"


def test_env_variables_match_libcalico_go() -> None:
    # envconfig: CALICO_<TAG> first, then <TAG>; the inline PEM fields are ignored:"true".
    assert ENV_VARS["etcdEndpoints"] == ("CALICO_ETCD_ENDPOINTS", "ETCD_ENDPOINTS")
    assert ENV_VARS["etcdDiscoverySrv"] == ("CALICO_ETCD_DISCOVERY_SRV", "ETCD_DISCOVERY_SRV")
    assert ENV_VARS["etcdUsername"] == ("CALICO_ETCD_USERNAME", "ETCD_USERNAME")
    assert ENV_VARS["etcdPassword"] == ("CALICO_ETCD_PASSWORD", "ETCD_PASSWORD")
    assert ENV_VARS["etcdKeyFile"] == ("CALICO_ETCD_KEY_FILE", "ETCD_KEY_FILE")
    assert ENV_VARS["etcdCertFile"] == ("CALICO_ETCD_CERT_FILE", "ETCD_CERT_FILE")
    assert ENV_VARS["etcdCACertFile"] == ("CALICO_ETCD_CA_CERT_FILE", "ETCD_CA_CERT_FILE")
    assert not {"etcdKey", "etcdCert", "etcdCACert"} & set(ENV_VARS)


def test_environment_selects_etcd() -> None:
    loaded = load_config_from_environment(
        {"ETCD_ENDPOINTS": "http://10.0.0.1:2379,10.0.0.2:2379", "ETCD_USERNAME": "u", "CALICO_ETCD_PASSWORD": "pw"}
    )
    assert loaded.spec.datastore_type == "etcdv3"  # applyConfigDefaults: endpoints set
    connection = etcd_connection(loaded)
    assert connection.endpoints == ("http://10.0.0.1:2379", "http://10.0.0.2:2379")
    assert connection.username == "u" and connection.password == "pw"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {"etcdEndpoints": "http://a:2379", "etcdDiscoverySrv": "example.com"},
            'multiple discovery or bootstrap options specified, use either "etcdEndpoints" or "etcdDiscoverySrv"',
        ),
        ({}, "no etcd endpoints specified"),
        (
            {"etcdEndpoints": "https://a:2379", "etcdCert": "x", "etcdKey": PEM_KEY, "etcdCACertFile": "/ca"},
            "Cannot mix inline certificate-key and certificate / key files",
        ),
        (
            {"etcdEndpoints": "https://a:2379", "etcdCACert": "x"},
            "could not initialize etcdv3 client: Certificate and Key must both be present inline.",
        ),
        (
            {"etcdEndpoints": "https://a:2379", "etcdCertFile": "/c.pem"},
            "could not initialize etcdv3 client: KeyFile and CertFile must both be present[key: , cert: /c.pem]",
        ),
    ],
)
def test_connection_checks(spec: dict[str, str], message: str) -> None:
    loaded = load_config_from_bytes(config(**spec), env={})
    with pytest.raises(ConfigError) as err:
        etcd_connection(loaded)
    assert str(err.value) == message
    assert "TOPSECRET" not in str(err.value)


def test_username_without_password_is_ignored() -> None:
    connection = etcd_connection(load_config_from_bytes(config(etcdEndpoints="a:1", etcdUsername="u"), env={}))
    assert not connection.authenticates and connection.username == ""


def test_scheme_follows_tls_settings() -> None:
    plain = etcd_connection(load_config_from_bytes(config(etcdEndpoints="127.0.0.1:2379"), env={}))
    tls = etcd_connection(load_config_from_bytes(config(etcdEndpoints="127.0.0.1:2379", etcdCACertFile="/ca"), env={}))
    assert plain.endpoints == ("http://127.0.0.1:2379",) and tls.endpoints == ("https://127.0.0.1:2379",)


def test_no_secret_in_reprs_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    text = config(
        etcdEndpoints="https://127.0.0.1:1",
        etcdUsername="admin",
        etcdPassword="hunter2-secret",
        etcdCert="CERT",
        etcdKey=PEM_KEY,
    )
    loaded = load_config_from_bytes(text, env={})
    connection = etcd_connection(loaded)
    for shown in (repr(loaded), repr(loaded.spec), repr(connection), str(connection)):
        assert "hunter2-secret" not in shown and "TOPSECRET" not in shown
    assert (
        repr(connection)
        == "EtcdConnection(endpoints=['https://127.0.0.1:1'], tls=client-certificate, username='admin')"
    )
    assert "hunter2-secret" not in caplog.text and "TOPSECRET" not in caplog.text


def test_client_from_config_builds_an_etcd_backend() -> None:
    loaded = load_config_from_bytes(config(etcdEndpoints="http://127.0.0.1:1"), env={})
    with Client(loaded) as client:
        assert repr(client) == "Client(EtcdBackend(endpoints=['http://127.0.0.1:1']))"


# -- DNS SRV discovery ------------------------------------------------------------------------------


def _answer(ident: int, records: list[tuple[int, int, int, str]]) -> bytes:
    question = srv_query("_etcd-client._tcp.example.com", ident)[12:]
    body = b""
    for priority, weight, port, target in records:
        rdata = struct.pack(">HHH", priority, weight, port)
        rdata += b"".join(bytes([len(p)]) + p.encode() for p in target.split(".")) + b"\0"
        body += b"\xc0\x0c" + struct.pack(">HHIH", 33, 1, 60, len(rdata)) + rdata
    return struct.pack(">HHHHHH", ident, 0x8180, 1, len(records), 0, 0) + question + body


def test_srv_answer_parsing() -> None:
    message = _answer(7, [(10, 5, 2379, "b.example.com"), (0, 5, 2380, "a.example.com")])
    assert parse_srv_answer(message, 7) == [("a.example.com", 2380), ("b.example.com", 2379)]
    with pytest.raises(ValueError):
        parse_srv_answer(message, 8)


def test_srv_discovery_failure_text() -> None:
    loaded = load_config_from_bytes(config(etcdDiscoverySrv="example.invalid"), env={})
    # A name server that is not there: both lookups fail, as srv.GetClient reports it.
    with pytest.raises(ConfigError, match=r"^failed to discover etcd endpoints through SRV discovery: "):
        resolve_endpoints(etcd_connection(loaded), server="127.0.0.1", timeout=0.2)
