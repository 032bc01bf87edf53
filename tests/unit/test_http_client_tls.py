"""TLS on the console: the service's certificate is verified (system store or --ca), plain http only to loopback."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
from pathlib import Path

import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

import main
from storage.http_client import (
    CERTIFICATE_MESSAGE,
    InsecureServerURL,
    LoginError,
    PlainHttpRefused,
    ServiceError,
    TlsPolicy,
    configure_tls,
    login,
    make_client,
    request_json,
    tls_policy,
)

# ---- a throwaway CA and a server certificate for 127.0.0.1, made here --------------------------------------

def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _write_key(key, path: Path) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))


def make_ca_and_server_cert(folder: Path, common: str = "hotline test CA") -> tuple[Path, Path, Path]:
    """(ca.pem, server.pem, server.key): a CA and a certificate it signed for 127.0.0.1 and localhost."""
    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        x509.CertificateBuilder().subject_name(_name(common)).issuer_name(_name(common))
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder().subject_name(_name("hotline service")).issuer_name(ca_cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    ca_path, cert_path, key_path = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _write_key(key, key_path)
    return ca_path, cert_path, key_path


@pytest.fixture(scope="module")
def tls_service(tmp_path_factory):
    """The real central service (SQLite) served by uvicorn over TLS on loopback; yields (url, ca.pem)."""
    from server.testing import make_app

    folder = tmp_path_factory.mktemp("tls")
    ca, cert, key = make_ca_and_server_cert(folder / "pki")
    app = make_app(f"sqlite:///{folder / 'server.db'}")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="on",
                            ssl_certfile=str(cert), ssl_keyfile=str(key), timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: server.run(sockets=[sock]), name="tls-service", daemon=True)
    thread.start()
    from tests.support import wait_until

    wait_until(lambda: server.started or not thread.is_alive(), timeout=30, message="the TLS service did not start")
    assert server.started
    yield f"https://127.0.0.1:{port}", ca
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def restore_policy():
    before = tls_policy()
    yield
    configure_tls(before)


def test_sign_in_over_tls_with_the_hotline_ca(tls_service):
    url, ca = tls_service
    with make_client(policy=TlsPolicy(ca_file=ca)) as client:
        session = login(url, "op1", "correct horse", client=client)
    assert session.token and session.role == "operator"


def test_untrusted_certificate_is_refused_with_what_to_do(tls_service):
    url, _ca = tls_service
    with make_client(policy=TlsPolicy()) as client:  # the system store does not know this CA
        with pytest.raises(LoginError) as caught:
            login(url, "op1", "correct horse", client=client)
    assert caught.value.message == CERTIFICATE_MESSAGE
    assert "--ca" in caught.value.message


def test_a_different_ca_is_not_trusted_either(tls_service, tmp_path):
    url, _ca = tls_service
    other_ca, _, _ = make_ca_and_server_cert(tmp_path, common="somebody else's CA")
    with make_client(policy=TlsPolicy(ca_file=other_ca)) as client:
        with pytest.raises(ServiceError) as caught:
            request_json(client, "GET", url + "/api/v1/health")
    assert caught.value.code == "certificate"


def test_the_sync_engine_uses_the_configured_ca(tls_service, tmp_path, restore_policy):
    """The engine builds its own clients through make_client: --ca set once at start reaches it."""
    from storage.cache import LocalCache
    from storage.sync import SyncEngine

    url, ca = tls_service
    configure_tls(TlsPolicy(ca_file=ca))
    session = login(url, "op1", "correct horse")
    with LocalCache(tmp_path / "cache.db") as cache:
        cache.create_ticket({"caller_phone": "13812345678", "description": "street light out"}, "op1")
        engine = SyncEngine(cache, url, lambda: session.token, live=False)
        try:
            state = engine.sync_once()
        finally:
            engine.close()
        assert state.last_error is None, state.last_error
        assert cache.pending_count() == 0

        configure_tls(TlsPolicy())  # no CA: the same engine code now refuses the service, and says why
        cache.create_ticket({"caller_phone": "13812345678", "description": "second"}, "op1")
        engine = SyncEngine(cache, url, lambda: session.token, live=False)
        try:
            state = engine.sync_once()
        finally:
            engine.close()
        assert state.last_error == CERTIFICATE_MESSAGE
        assert cache.pending_count() == 1  # kept, to go out once the certificate is trusted


@pytest.mark.parametrize("url", ["http://127.0.0.1:8345", "http://localhost:8345", "http://[::1]:8345",
                                 "https://hotline.example:8345"])
def test_loopback_http_and_any_https_are_allowed(url):
    assert TlsPolicy().check_url(url) == url


@pytest.mark.parametrize("url", ["http://10.0.0.5:8345", "http://hotline-server:8345", "http://127.0.0.1.example:1"])
def test_plain_http_to_another_machine_is_refused(url):
    with pytest.raises(InsecureServerURL) as caught:
        TlsPolicy().check_url(url)
    assert "--allow-plain-http" in caught.value.message and "https://" in caught.value.message
    assert TlsPolicy(allow_plain_http=True).check_url(url) == url


def test_the_client_itself_never_sends_plain_http_to_another_machine():
    """Whatever URL reaches the client (a stale setting, a redirect), nothing leaves unprotected."""
    with make_client(policy=TlsPolicy()) as client:
        with pytest.raises(PlainHttpRefused):
            client.get("http://10.0.0.5:8345/api/v1/health")
        with pytest.raises(ServiceError) as caught:
            request_json(client, "GET", "http://10.0.0.5:8345/api/v1/health")
        assert caught.value.code == "plain_http"


def _refuse_to_start(*_args, **_kwargs):
    raise AssertionError("the console must not start")


def test_cli_refuses_plain_http_with_one_sentence(monkeypatch, capsys, restore_policy):
    import console.app

    monkeypatch.setattr(console.app, "run_console", _refuse_to_start)
    assert main.main(["console", "--server", "http://10.0.0.5:8345"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("hotline console: refusing plain http:// to 10.0.0.5")
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_cli_plain_http_when_named_and_ca_file(monkeypatch, tmp_path, restore_policy):
    import console.app

    started = []
    monkeypatch.setattr(console.app, "run_console", lambda **kw: started.append(kw) or 0)
    assert main.main(["console", "--server", "http://10.0.0.5:8345", "--allow-plain-http"]) == 0
    assert started[-1]["server_url"] == "http://10.0.0.5:8345" and tls_policy().allow_plain_http

    ca, _, _ = make_ca_and_server_cert(tmp_path)
    assert main.main(["console", "--server", "https://10.0.0.5:8345", "--ca", str(ca)]) == 0
    assert tls_policy().ca_file == ca and not tls_policy().allow_plain_http
    assert isinstance(tls_policy().verify, ssl.SSLContext)


@pytest.mark.parametrize("content", [None, b"not a certificate\n"])
def test_cli_unusable_ca_file_is_one_sentence(monkeypatch, capsys, tmp_path, content, restore_policy):
    import console.app

    monkeypatch.setattr(console.app, "run_console", _refuse_to_start)
    ca = tmp_path / "ca.pem"
    if content is not None:
        ca.write_bytes(content)
    assert main.main(["console", "--server", "https://10.0.0.5:8345", "--ca", str(ca)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"hotline console: the CA file {ca}") and len(err.splitlines()) == 1

