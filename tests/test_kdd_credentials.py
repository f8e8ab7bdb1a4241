"""Credentials of the Kubernetes datastore: client keys never left on disk, passwords never shown."""

from __future__ import annotations

import datetime
import logging
import os
import ssl
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from calicopy._go.url import redacted
from calicopy.client import Client
from calicopy.errors import ConfigError, DatastoreError
from calicopy.kdd import credentials
from calicopy.kdd.backend import KubernetesBackend
from calicopy.kdd.convert import GROUP_V1
from calicopy.kdd.kubeconfig import KubeConnection
from calicopy.retry import RetryPolicy
from calicopy.testing import FakeKubeAPIServer

PASSWORD = "PW-s3cr3t-9f1"


def client_certificate() -> tuple[bytes, bytes]:
    """A self-signed client certificate and its private key (PEM)."""
    crypto = pytest.importorskip("cryptography")
    del crypto
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "calicopy-test-client")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


@pytest.fixture
def mtls_server() -> Any:
    """A TLS fake API server that demands a client certificate (the one returned with it)."""
    cert, key = client_certificate()
    with FakeKubeAPIServer(tls=True) as server:
        context = server._httpd.ssl_context  # the server's own context: demand the client's certificate
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(cadata=cert.decode())
        yield server, cert, key


def temp_dirs() -> set[str]:
    root = tempfile.gettempdir()
    return {name for name in os.listdir(root) if name.startswith("calicopy-kube-")}


def test_inline_client_key_is_never_written(mtls_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    server, cert, key = mtls_server
    written: list[str] = []
    real_mkdtemp = tempfile.mkdtemp

    def mkdtemp(*args: Any, **kwargs: Any) -> str:
        path = real_mkdtemp(*args, **kwargs)
        written.append(path)
        return path

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    conn = KubeConnection(server=server.url, ca_file=str(server.ca_path), cert_data=cert, key_data=key)
    backend = KubernetesBackend.from_connection(conn, api_group=GROUP_V1)
    assert backend.list("IPPool").items == []  # the handshake presented the certificate
    if hasattr(os, "memfd_create"):
        assert written == []  # the key went to the TLS context through memory only
    assert all(not os.path.exists(path) for path in written)
    pool = backend._transport.http.pool_manager.connection_pool_kw
    assert pool["key_file"] is None and pool["cert_file"] is None
    backend.close()


def test_key_file_fallback_is_removed_at_once(mtls_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Where the ssl module cannot read from memory, the files live only while the key is loaded.
    server, cert, key = mtls_server
    monkeypatch.delattr(os, "memfd_create", raising=False)
    before = temp_dirs()
    conn = KubeConnection(server=server.url, ca_file=str(server.ca_path), cert_data=cert, key_data=key)
    backend = KubernetesBackend.from_connection(conn, api_group=GROUP_V1)
    assert temp_dirs() == before  # gone before the backend is even used, let alone closed
    assert backend.list("IPPool").items == []
    del backend  # never closed: nothing was left behind to clean up


def test_bad_inline_key_is_a_config_error() -> None:
    cert, _ = client_certificate()
    conn = KubeConnection(server="https://127.0.0.1:9", cert_data=cert, key_data=b"-----BEGIN PRIVATE KEY-----\nAAAA\n")
    with pytest.raises(ConfigError, match="client certificate and key") as info:
        credentials.http_client(conn)
    assert "AAAA" not in str(info.value)


def test_redacted_url_as_go() -> None:
    assert redacted(f"https://admin:{PASSWORD}@host:6443/x") == "https://admin:xxxxx@host:6443/x"
    assert redacted("https://admin@host") == "https://admin@host"  # no password: unchanged
    assert redacted("https://:pw@host") == "https://:xxxxx@host"
    assert redacted("https://host:6443") == "https://host:6443"
    assert redacted(f"https://a:{PASSWORD}@b@host/p?q=1") == "https://a:xxxxx@host/p?q=1"


def test_password_in_server_url_never_shown(fake_kube: FakeKubeAPIServer, caplog: pytest.LogCaptureFixture) -> None:
    with_password = fake_kube.url.replace("http://", f"http://admin:{PASSWORD}@")
    caplog.set_level(logging.DEBUG)
    env = {"DATASTORE_TYPE": "kubernetes", "K8S_API_ENDPOINT": with_password, "CALICO_API_GROUP": GROUP_V1}
    with Client.from_config(env=env) as client:
        assert client.list("IPPool") == []
        shown = [repr(client), repr(client.backend)]
    assert "admin:xxxxx@" in shown[1]
    conn = KubeConnection(server=f"http://admin:{PASSWORD}@127.0.0.1:9")
    shown.append(repr(conn))
    with (
        KubernetesBackend.from_connection(
            conn, api_group=GROUP_V1, retry_policy=RetryPolicy(max_attempts=1), sleep=lambda s: None
        ) as backend,
        pytest.raises(DatastoreError) as info,
    ):
        backend.get("IPPool", "p1")
    shown += [str(info.value), str(info.value.cause), repr(info.value)]
    assert "admin:xxxxx@127.0.0.1:9" in str(info.value)
    shown += [r.getMessage() for r in caplog.records]
    for text in shown:
        assert PASSWORD not in text, text


def test_temp_dir_of_credentials_never_outlives_build(tmp_path: Path) -> None:
    # A connection without inline data writes nothing at all.
    before = temp_dirs()
    client = credentials.http_client(KubeConnection(server="https://127.0.0.1:9", key_file="/k", cert_file="/c"))
    assert temp_dirs() == before
    client.close()


# -- the HTTP client (urllib3, no kubernetes package): every TLS and auth setting reaches the server ---

TOKEN = "t0ken-for-the-fake"


@pytest.fixture
def tls_server() -> Any:
    with FakeKubeAPIServer(tls=True, token=TOKEN, groups=[GROUP_V1]) as server:
        yield server


def pools(connection: KubeConnection) -> list[Any]:
    with KubernetesBackend.from_connection(
        connection, api_group=GROUP_V1, retry_policy=RetryPolicy(max_attempts=1), sleep=lambda s: None
    ) as backend:
        return backend.list("IPPool").items


def test_tls_settings_reach_the_connection(tls_server: FakeKubeAPIServer) -> None:
    ca = tls_server.ca_path
    assert ca is not None
    url = tls_server.url  # https://127.0.0.1:<port>; the certificate names 127.0.0.1 and localhost
    assert pools(KubeConnection(server=url, ca_file=str(ca), bearer_token=TOKEN)) == []
    assert pools(KubeConnection(server=url, ca_data=ca.read_bytes(), bearer_token=TOKEN)) == []
    assert pools(KubeConnection(server=url, ca_file=str(ca), tls_server_name="localhost", bearer_token=TOKEN)) == []
    with pytest.raises(DatastoreError, match=r"elsewhere\.example"):
        pools(KubeConnection(server=url, ca_file=str(ca), tls_server_name="elsewhere.example", bearer_token=TOKEN))
    with pytest.raises(DatastoreError, match="CERTIFICATE_VERIFY_FAILED"):  # the system roots do not know the fake CA
        pools(KubeConnection(server=url, bearer_token=TOKEN))
    assert pools(KubeConnection(server=url, insecure_skip_tls_verify=True, bearer_token=TOKEN)) == []


def test_bearer_tokens_and_token_files(tls_server: FakeKubeAPIServer, tmp_path: Path) -> None:
    ca = str(tls_server.ca_path)
    with pytest.raises(DatastoreError, match="Unauthorized"):
        pools(KubeConnection(server=tls_server.url, ca_file=ca, bearer_token="wrong"))
    with pytest.raises(DatastoreError, match="Unauthorized"):
        pools(KubeConnection(server=tls_server.url, ca_file=ca))
    # A token file is read again for every request (projected tokens rotate); one that cannot be
    # read any more keeps the last token.
    token_file = tmp_path / "token"
    token_file.write_text("expired\n")
    connection = KubeConnection(server=tls_server.url, ca_file=ca, bearer_token_file=str(token_file))
    with KubernetesBackend.from_connection(
        connection, api_group=GROUP_V1, retry_policy=RetryPolicy(max_attempts=1), sleep=lambda s: None
    ) as backend:
        with pytest.raises(DatastoreError, match="Unauthorized"):
            backend.list("IPPool")
        token_file.write_text(TOKEN + "\n")
        assert backend.list("IPPool").items == []
        token_file.unlink()
        assert backend.list("IPPool").items == []
    # An explicit token wins over a token file; a token file missing at the start is a ConfigError.
    assert pools(KubeConnection(server=tls_server.url, ca_file=ca, bearer_token=TOKEN, bearer_token_file="/nope")) == []
    with pytest.raises(ConfigError, match="cannot read the bearer token file /nope"):
        pools(KubeConnection(server=tls_server.url, ca_file=ca, bearer_token_file="/nope"))


def test_client_certificate_files(mtls_server: Any, tmp_path: Path) -> None:
    server, cert, key = mtls_server
    (tmp_path / "cert.pem").write_bytes(cert)
    (tmp_path / "key.pem").write_bytes(key)
    files = KubeConnection(
        server=server.url,
        ca_file=str(server.ca_path),
        cert_file=str(tmp_path / "cert.pem"),
        key_file=str(tmp_path / "key.pem"),
    )
    assert pools(files) == []
    only_key_inline = KubeConnection(
        server=server.url, ca_file=str(server.ca_path), cert_file=str(tmp_path / "cert.pem"), key_data=key
    )
    assert pools(only_key_inline) == []
    with pytest.raises(DatastoreError):  # the server demands a certificate
        pools(KubeConnection(server=server.url, ca_file=str(server.ca_path)))


def test_a_kubernetes_api_client_is_still_accepted(fake_kube: FakeKubeAPIServer) -> None:
    # KubernetesBackend(api_client) takes a kubernetes.client.ApiClient as before (its host, auth
    # and pool are used).
    with KubernetesBackend(fake_kube.api_client(), api_group=GROUP_V1, owns_client=True) as backend:
        assert backend.list("IPPool").items == []
        assert repr(backend) == f"KubernetesBackend(server={fake_kube.url!r}, api_group={GROUP_V1!r})"


def test_the_kubernetes_datastore_does_not_import_the_kubernetes_package_or_tenacity(
    fake_kube: FakeKubeAPIServer,
) -> None:
    # Both cost start-up time a command does not need: tenacity is imported for a first retry only.
    script = (
        "import sys\n"
        "from calicopy import Client, CalicoAPIConfig\n"
        f"config = CalicoAPIConfig.from_dict({{'spec': {{'datastoreType': 'kubernetes', 'kubeconfig': {str(fake_kube.kubeconfig_path)!r}}}}})\n"
        "with Client(config) as client:\n"
        "    client.list('IPPool')\n"
        "print('kubernetes' in sys.modules, 'tenacity' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False False", done.stderr
