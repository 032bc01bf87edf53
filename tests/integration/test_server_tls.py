"""`hotline server` as a process: HTTPS with --certfile/--keyfile, and X-Forwarded-For believed only from named proxies."""

from __future__ import annotations

import ssl

import httpx2
import pytest
from sqlalchemy import select

from server import schema
from server.db import shared_engine
from server.testing import PASSWORD, add_staff
from tests.integration.service_process import run_command, service
from tests.unit.test_http_client_tls import make_ca_and_server_cert


@pytest.fixture(autouse=True)
def _no_model_keeper(monkeypatch):
    """These tests bring no model and need none: no starter model is built (in this process or a service's)."""
    monkeypatch.setenv("HOTLINE_MODEL_KEEPER", "off")


@pytest.fixture
def staffed(sqlite_url):
    add_staff(sqlite_url)
    return sqlite_url


def _audit_ips(db_url: str, action: str) -> list[str]:
    with shared_engine(db_url).connect() as conn:
        a = schema.audit_log
        return [r[0] for r in conn.execute(select(a.c.ip).where(a.c.action == action).order_by(a.c.id))]


def test_tls_service_answers_over_https_with_its_certificate(staffed, tmp_path):
    ca, cert, key = make_ca_and_server_cert(tmp_path / "tls")
    trust = ssl.create_default_context(cafile=str(ca))
    with service("--db", staffed, "--certfile", str(cert), "--keyfile", str(key), home=tmp_path / "home",
                 scheme="https", verify=trust) as running:
        with httpx2.Client(base_url=running.url, verify=trust, trust_env=False, timeout=10) as client:
            assert client.get("/api/v1/health").json()["status"] == "ok"
            r = client.post("/api/v1/auth/token", json={"username": "op1", "password": PASSWORD})
            assert r.status_code == 200 and r.json()["access_token"]
        # A client that does not trust the CA is refused by its own verification; plain http gets no answer.
        with pytest.raises(httpx2.ConnectError):
            httpx2.get(running.url + "/api/v1/health", trust_env=False, timeout=5)
        with pytest.raises(httpx2.HTTPError):
            httpx2.get(running.url.replace("https://", "http://") + "/api/v1/health", trust_env=False, timeout=5)


def test_unusable_certificate_is_refused_in_plain_words(staffed, tmp_path):
    ca, cert, key = make_ca_and_server_cert(tmp_path / "tls")
    result = run_command("server", "--db", staffed, "--certfile", str(cert), "--keyfile", str(ca), home=tmp_path)
    assert result.returncode == 2 and "cannot be used for TLS" in result.stderr
    result = run_command("server", "--db", staffed, "--certfile", str(tmp_path / "missing.pem"), home=tmp_path)
    assert result.returncode == 2 and "there is no file" in result.stderr
    result = run_command("server", "--db", staffed, "--forwarded-allow-ips", "my-proxy", home=tmp_path)
    assert result.returncode == 2 and "not an IP address or network" in result.stderr


def test_changing_x_forwarded_for_does_not_escape_the_sign_in_throttle(staffed, tmp_path):
    """By default nobody's X-Forwarded-For is believed: each guess counts against the connection's own address."""
    with service("--db", staffed, home=tmp_path / "home") as running, \
            httpx2.Client(base_url=running.url, trust_env=False, timeout=30) as client:
        answers = []
        for n in range(8):
            r = client.post("/api/v1/auth/token", json={"username": "sup1", "password": f"guess {n}"},
                            headers={"X-Forwarded-For": f"203.0.113.{n + 1}"})
            answers.append(r.status_code)
        assert answers[:5] == [401] * 5 and set(answers[5:]) == {429}, answers
    # The audit log has the real address, not the made-up ones.
    assert set(_audit_ips(staffed, "sign_in_failed")) == {"127.0.0.1"}


def test_a_named_proxy_s_x_forwarded_for_is_believed(staffed, tmp_path):
    with service("--db", staffed, "--forwarded-allow-ips", "127.0.0.1", home=tmp_path / "home") as running, \
            httpx2.Client(base_url=running.url, trust_env=False, timeout=30) as client:
        r = client.post("/api/v1/auth/token", json={"username": "op1", "password": PASSWORD},
                        headers={"X-Forwarded-For": "198.51.100.7"})
        assert r.status_code == 200
        # Behind a proxy the service is reachable from elsewhere: no demo listing, whatever the database.
        assert "demo_accounts" not in client.get("/api/v1/health").json()
    assert _audit_ips(staffed, "sign_in") == ["198.51.100.7"]


def test_start_says_which_database_and_warns_without_tls_off_loopback(staffed, tmp_path):
    with service("--db", staffed, "--host", "0.0.0.0", home=tmp_path / "home") as running:
        text = running.log()
    assert f"database {staffed}" in text and "no TLS" in text


@pytest.mark.parametrize("everyone", ["*", "0.0.0.0/0", "::/0", "10.0.0.5, 0.0.0.0/0", "::"])
def test_believing_every_address_s_x_forwarded_for_is_refused(everyone):
    from server.runner import StartRefused, parse_forwarded_allow_ips

    if everyone == "::":  # one address (unspecified, but one): not every address
        assert parse_forwarded_allow_ips(everyone) == ["::"]
        return
    with pytest.raises(StartRefused, match="from every address; name the proxies"):
        parse_forwarded_allow_ips(everyone)
    assert parse_forwarded_allow_ips("127.0.0.1, 10.0.0.0/24") == ["127.0.0.1", "10.0.0.0/24"]


def test_hotline_server_refuses_a_wildcard_proxy_list(staffed, tmp_path):
    result = run_command("server", "--db", staffed, "--forwarded-allow-ips", "*", home=tmp_path)
    assert result.returncode == 2 and "name the proxies" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2  # the database line, then the one sentence
