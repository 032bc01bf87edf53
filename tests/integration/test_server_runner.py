"""The service as a real HTTP server: the embedded runner, server-sent pokes, the demo seed and where it may be
served, the account commands and their rules."""

from __future__ import annotations

import json
import os
import queue
import threading
from unittest.mock import patch

import httpx2 as httpx
import pyotp
import pytest
from sqlalchemy import func, select

from server import schema
from server.accounts import add_apikey_command, add_user_command, set_password_command, totp_command
from server.db import shared_engine
from server.demo_seed import DEMO_ACCOUNTS, seed_demo
from server.runner import start_in_thread
from server.testing import PASSWORD, add_staff, unit_codes
from tests.integration.service_process import run_command, service


@pytest.fixture(autouse=True)
def _no_model_keeper(monkeypatch):
    """These tests bring no model and need none: no starter model is built (in this process or a service's)."""
    monkeypatch.setenv("HOTLINE_MODEL_KEEPER", "off")


@pytest.fixture
def running(sqlite_url):
    add_staff(sqlite_url)
    server = start_in_thread(sqlite_url)
    try:
        yield server
    finally:
        server.stop()


def login(client: httpx.Client, name: str) -> dict:
    r = client.post("/api/v1/auth/token", json={"username": name, "password": PASSWORD})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_embedded_server_listens_and_stops(sqlite_url):
    server = start_in_thread(sqlite_url)
    try:
        assert httpx.get(server.url + "/api/v1/health", timeout=10).json()["status"] == "ok"
    finally:
        server.stop()
    assert not server.thread.is_alive()
    with pytest.raises(httpx.TransportError):
        httpx.get(server.url + "/api/v1/health", timeout=2)


def test_server_sent_pokes_carry_the_new_cursor(running):
    client = httpx.Client(base_url=running.url, timeout=15)
    headers = login(client, "op2")
    events: queue.Queue = queue.Queue()
    stop = threading.Event()

    def listen():
        with client.stream("GET", "/api/v1/sync/events", headers=headers) as response:
            events.put(("status", response.status_code))
            name = None
            for line in response.iter_lines():
                if line.startswith("event:"):
                    name = line.split(":", 1)[1].strip()
                elif line.startswith("data:") and name == "changed":
                    events.put(("changed", json.loads(line.split(":", 1)[1])["cursor"]))
                if stop.is_set():
                    return

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    assert events.get(timeout=15) == ("status", 200)
    kind, first = events.get(timeout=15)
    assert kind == "changed"
    body = {"client_id": "sse", "schema_version": 1,
            "mutations": [{"id": 1, "name": "ticket.create", "args": {"id": "sse-1", "description": "poke me"}}]}
    assert client.post("/api/v1/sync/push", json=body, headers=login(client, "op1")).status_code == 200
    kind, cursor = events.get(timeout=15)
    assert kind == "changed" and cursor > first
    stop.set()


def test_demo_seed_is_idempotent_and_its_accounts_sign_in(sqlite_url):
    first = seed_demo(sqlite_url)
    second = seed_demo(sqlite_url)
    assert first["users"] == len(DEMO_ACCOUNTS) and second["users"] == 0
    assert first["tickets"] >= 100 and second["tickets"] == 0
    engine = shared_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.tickets)).scalar_one() == first["tickets"]
        statuses = {r[0] for r in conn.execute(select(schema.tickets.c.status).distinct())}
        in_unit = conn.execute(select(func.count()).select_from(schema.tickets)
                               .where(schema.tickets.c.unit_code == first["handler_unit"])).scalar_one()
    assert len(statuses) >= 4 and in_unit > 0
    server = start_in_thread(sqlite_url)
    try:
        client = httpx.Client(base_url=server.url, timeout=15)
        listed = client.get("/api/v1/health").json()["demo_accounts"]
        assert [a["username"] for a in listed] == [a["username"] for a in DEMO_ACCOUNTS]
        for account in DEMO_ACCOUNTS:
            r = client.post("/api/v1/auth/token", json={"username": account["username"], "password": account["password"]})
            assert r.status_code == 200 and r.json()["role"] == account["role"]
        token = client.post("/api/v1/auth/token", json={"username": "hd1", "password": "demo"}).json()["access_token"]
        pulled = client.get("/api/v1/sync/pull", params={"cursor": 0, "limit": 2000},
                            headers={"Authorization": f"Bearer {token}"}).json()
        units = {c["ticket"]["unit_code"] for c in pulled["changes"] if c["kind"] == "ticket"}
        assert units == {first["handler_unit"]}
        assert {c["event"]["action"] for c in pulled["changes"] if c["kind"] == "event"} == {"created", "dispatch"}
    finally:
        server.stop()


def test_user_and_apikey_commands(sqlite_url, capsys):
    assert add_user_command(sqlite_url, "nina", "operator", "tea kettle lamp") == 0
    assert "created operator 'nina'" in capsys.readouterr().out
    assert add_user_command(sqlite_url, "nina", "operator", "tea kettle lamp") == 1
    assert "already" in capsys.readouterr().err
    assert add_user_command(sqlite_url, "NINA", "operator", "tea kettle lamp") == 1  # the same name in capitals
    assert "upper and lower case" in capsys.readouterr().err
    assert add_user_command(sqlite_url, "hank", "handler", "tea kettle lamp") == 2
    assert "--unit" in capsys.readouterr().err
    assert add_user_command(sqlite_url, "bad name", "operator", "tea kettle lamp") == 2
    assert add_user_command(sqlite_url, "zed", "wizard", "tea kettle lamp") == 2
    assert add_apikey_command(sqlite_url, "partner") == 0
    key = capsys.readouterr().out.strip()
    assert key.startswith("hk_") and len(key) > 30
    with shared_engine(sqlite_url).connect() as conn:
        stored = conn.execute(select(schema.api_keys.c.key_hash)).scalar_one()
    assert key not in stored  # only its hash is kept


@pytest.mark.parametrize("password, says", [
    ("s3cret!", "at least 10 characters"),
    ("password2024!", "common ones"),
    ("Qwertyuiop", "common ones"),
    ("woaini1314520", "common ones"),
    ("1234567890", "common ones"),
    ("rosa-rosa-rosa", "user name"),
])
def test_weak_passwords_are_refused_in_plain_words(sqlite_url, capsys, password, says):
    assert add_user_command(sqlite_url, "rosa", "operator", password) == 2
    assert says in capsys.readouterr().err


def test_a_handler_s_unit_must_exist(sqlite_url, capsys):
    unit = unit_codes()[0]
    assert add_user_command(sqlite_url, "hank", "handler", "tea kettle lamp", unit=unit + "9") == 2
    err = capsys.readouterr().err
    assert f"There is no unit '{unit}9'" in err and "Did you mean" in err
    assert add_user_command(sqlite_url, "hank", "handler", "tea kettle lamp", unit="nowhere") == 2
    assert "Unit codes look like" in capsys.readouterr().err
    assert add_user_command(sqlite_url, "hank", "handler", "tea kettle lamp", unit=unit) == 0


def test_password_command_sets_a_new_password_and_ends_sessions(sqlite_url, capsys):
    add_staff(sqlite_url)
    server = start_in_thread(sqlite_url)
    try:
        client = httpx.Client(base_url=server.url, timeout=15)
        old = login(client, "op1")
        assert set_password_command(sqlite_url, "op1", "short") == 2
        assert "at least 10" in capsys.readouterr().err
        assert set_password_command(sqlite_url, "nobody", "tea kettle lamp") == 1
        assert set_password_command(sqlite_url, "OP1", "tea kettle lamp") == 0
        assert client.get("/api/v1/auth/me", headers=old).status_code == 401
        assert client.post("/api/v1/auth/token", json={"username": "op1", "password": PASSWORD}).status_code == 401
        assert client.post("/api/v1/auth/token", json={"username": "op1", "password": "tea kettle lamp"}).status_code == 200
    finally:
        server.stop()


def test_totp_command_enrols_supervisors_and_admins_only(sqlite_url, capsys):
    add_staff(sqlite_url)
    assert totp_command(sqlite_url, "op1") == 2
    assert "supervisors and admins" in capsys.readouterr().err
    assert totp_command(sqlite_url, "nobody") == 1
    capsys.readouterr()
    assert totp_command(sqlite_url, "Sup1") == 0
    uri, secret_line = capsys.readouterr().out.splitlines()[:2]
    secret = secret_line.removeprefix("secret: ")
    assert uri.startswith("otpauth://totp/") and "sup1" in uri and f"secret={secret}" in uri
    server = start_in_thread(sqlite_url)
    try:
        client = httpx.Client(base_url=server.url, timeout=15)
        r = client.post("/api/v1/auth/token", json={"username": "sup1", "password": PASSWORD})
        assert r.status_code == 401 and r.json()["error"] == "otp_required"
        r = client.post("/api/v1/auth/token", json={"username": "sup1", "password": PASSWORD,
                                                     "otp": pyotp.TOTP(secret).now()})
        assert r.status_code == 200
        assert totp_command(sqlite_url, "sup1", remove=True) == 0
        assert client.post("/api/v1/auth/token", json={"username": "sup1", "password": PASSWORD}).status_code == 200
    finally:
        server.stop()


# ---- the demo's database is the demo's alone -------------------------------------------------------------

def test_demo_accounts_are_listed_only_by_a_loopback_demo(sqlite_url):
    seed_demo(sqlite_url)
    for host, listed in (("127.0.0.1", True), ("0.0.0.0", False)):
        server = start_in_thread(sqlite_url, host=host)
        try:
            body = httpx.get(server.url.replace("0.0.0.0", "127.0.0.1") + "/api/v1/health", timeout=10).json()
            assert ("demo_accounts" in body) is listed, (host, body)
        finally:
            server.stop()


def test_hotline_server_without_db_never_opens_the_demo_database(tmp_path):
    from domain.home import demo_server_db_url

    home = tmp_path / "home"
    with patch.dict(os.environ, {"HOTLINE_HOME": str(home)}):
        demo_url = demo_server_db_url()
    seed_demo(demo_url)
    demo_file = home / "server.db"
    before = demo_file.stat().st_mtime_ns
    with service(home=home) as running:
        assert "service.db (the default under HOTLINE_HOME" in running.log()
        body = httpx.get(running.url + "/api/v1/health", timeout=10).json()
        assert "demo_accounts" not in body
        r = httpx.post(running.url + "/api/v1/auth/token", json={"username": "admin", "password": "demo"}, timeout=30)
        assert r.status_code == 401
        # Callers' numbers, password hashes and second-factor secrets: the files are for the service's owner only.
        files = [home / name for name in ("service.db", "service.db-wal", "service.db-shm")]
        assert {path.name: oct(path.stat().st_mode & 0o777) for path in files} == \
            {path.name: "0o600" for path in files}
    assert (home / "service.db").exists() and demo_file.stat().st_mtime_ns == before


def test_the_demo_database_is_never_served_beyond_this_machine(tmp_path):
    demo_url = f"sqlite:///{tmp_path / 'demo.db'}"
    seed_demo(demo_url)
    for extra in (["--host", "0.0.0.0"], ["--forwarded-allow-ips", "127.0.0.1"]):
        result = run_command("server", "--db", demo_url, "--port", "0", *extra, home=tmp_path / "home", timeout=120)
        assert result.returncode == 2 and "the demo's" in result.stderr, (extra, result.stderr)


def test_duplicate_names_in_case_stop_the_migration_and_are_named(server_db_url):
    """Names that differ only in case, from before the rule, are reported for an administrator to fix."""
    from alembic import command
    from sqlalchemy import text

    from server.accounts import SchemaConflict
    from server.migrate import alembic_config, migrate

    engine = shared_engine(server_db_url)
    with engine.connect() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        with conn.begin():
            command.upgrade(cfg, "0002")
        with conn.begin():
            for name in ("OP1", "op1", "sup1"):
                conn.execute(text("INSERT INTO users (username, role, password_hash, disabled, created_at) "
                                  "VALUES (:n, 'operator', 'x', false, '2026-01-01')"), {"n": name})
    with pytest.raises(SchemaConflict) as refused:
        migrate(server_db_url)
    assert "OP1, op1" in str(refused.value) and "sup1" not in str(refused.value)
    with engine.begin() as conn:
        conn.execute(text("UPDATE users SET username = 'op1-old' WHERE username = 'OP1'"))
    migrate(server_db_url)
    with engine.connect() as conn:
        assert sorted(conn.execute(text("SELECT username FROM users")).scalars()) == ["op1", "op1-old", "sup1"]


@pytest.mark.postgres
@pytest.mark.parametrize("change, says", [
    ({"username": "no_such_role"}, 'role "no_such_role" does not exist; create the role (createuser'),
    ({"database": "no_such_database"}, 'database "no_such_database" does not exist; create the database (createdb'),
])
def test_the_server_says_at_once_why_postgresql_refuses_it(tmp_path, change, says):
    """A missing role or database is no database still starting: the reason at once, exit 2, no waiting."""
    from sqlalchemy.engine import make_url

    from tests.support import PG_ADMIN_URL, require_postgres

    require_postgres()
    url = make_url(PG_ADMIN_URL).set(drivername="postgresql+psycopg", **change).render_as_string(hide_password=False)
    result = run_command("server", "--db", url, "--port", "0", home=tmp_path, timeout=60)
    assert result.returncode == 2 and says in result.stderr, result.stderr
    assert "waiting for the database" not in result.stderr and "Traceback" not in result.stderr
    result = run_command("user", "add", "op9", "--role", "operator", "--db", url, home=tmp_path,
                         stdin="a long enough pass phrase\n")
    assert result.returncode == 2 and says in result.stderr, result.stderr
    assert result.stderr.startswith("hotline user add: ") and len(result.stderr.strip().splitlines()) == 1


def test_a_refused_connection_is_worth_waiting_for():
    from sqlalchemy import create_engine
    from sqlalchemy.exc import OperationalError

    from server.db import database_problem

    with pytest.raises(OperationalError) as refused:
        create_engine("postgresql+psycopg://postgres@127.0.0.1:1/test", connect_args={"connect_timeout": 3}).connect()
    message, may_pass = database_problem(refused.value)
    assert may_pass and "Connection refused" in message and "check --db" in message
