"""Accounts and access: sign-in, throttling, token expiry and revocation, roles per endpoint, audit, 503, the
sign-in body cap, names whatever their case, the password rules, the TOTP second factor."""

from __future__ import annotations

import logging
import time
import uuid
from contextlib import contextmanager

import pyotp
import pytest
from sqlalchemy import delete, event, insert
from sqlalchemy.exc import IntegrityError
from starlette.testclient import TestClient

from server import schema
from server.accounts import create_user, enrol_totp, find_user, set_password
from server.db import set_meta, shared_engine, write_tx
from server.settings import Settings
from server.testing import PASSWORD, Api, make_app, password_hash, running_api

PUSH_BODY = {"client_id": "c", "schema_version": 1, "mutations": []}
ENDPOINTS = [
    ("POST", "/api/v1/auth/logout"),
    ("GET", "/api/v1/auth/me"),
    ("POST", "/api/v1/sync/push"),
    ("GET", "/api/v1/sync/pull"),
    ("GET", "/api/v1/sync/events"),
    ("GET", "/api/v1/sync/rejections"),
    ("GET", "/api/v1/users"),
    ("POST", "/api/v1/users/op2/disable"),
    ("POST", "/api/v1/users/op2/enable"),
    ("POST", "/api/v1/users/op2/unlock"),
    ("POST", "/api/v1/tickets/some-ticket/reveal"),
    ("GET", "/api/v1/audit"),
    ("GET", "/api/v1/models/latest"),
    ("GET", "/api/v1/models/v1/package"),
    ("POST", "/api/v1/models/retrain"),
    ("GET", "/api/v1/exports/tickets.csv"),
]
WRONG_ROLES = [
    ("GET", "/api/v1/sync/rejections", ["op1", "hd1"]),
    ("GET", "/api/v1/users", ["op1", "hd1"]),
    ("POST", "/api/v1/users/op2/disable", ["op1", "sup1", "hd1"]),
    ("POST", "/api/v1/users/op2/enable", ["op1", "sup1", "hd1"]),
    ("POST", "/api/v1/users/op2/unlock", ["op1", "hd1"]),
    ("GET", "/api/v1/audit", ["op1", "hd1"]),
    ("POST", "/api/v1/models/retrain", ["op1", "sup1", "hd1"]),
    ("GET", "/api/v1/exports/tickets.csv", ["op1", "hd1"]),
]


@pytest.fixture(autouse=True)
def _no_model_keeper(monkeypatch):
    """These tests bring no model and need none: no starter model is built (in this process or a service's)."""
    monkeypatch.setenv("HOTLINE_MODEL_KEEPER", "off")


class Clock:
    def __init__(self):
        self.now = time.time()

    def __call__(self):
        return self.now


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def env(request, tmp_path_factory):
    """One app per database kind with a clock the tests move; each test signs in afresh."""
    from tests.support import fresh_postgres_database

    def serve(url):
        clock = Clock()
        settings = Settings(token_idle_s=600, token_absolute_s=3600, clock=clock)
        app = make_app(url, settings)
        with TestClient(app) as client:
            yield client, clock, url

    if request.param == "sqlite":
        yield from serve(f"sqlite:///{tmp_path_factory.mktemp('auth') / 'server.db'}")
    else:
        with fresh_postgres_database() as url:
            yield from serve(url)


@pytest.fixture
def api(env):
    client, clock, url = env
    api = Api(client)
    api.clock, api.db_url = clock, url
    return api


def call(api: Api, method: str, path: str, headers: dict | None = None):
    kwargs = {"headers": headers or {}}
    if path.endswith("/push"):
        kwargs["json"] = PUSH_BODY
    return api.client.request(method, path, **kwargs)


def test_health_needs_no_token(api):
    r = api.client.get("/api/v1/health")
    assert r.status_code == 200 and r.json()["status"] == "ok" and r.json()["version"]
    assert "demo_accounts" not in r.json()  # not a demo database


def test_sign_in_answers_token_role_and_unit(api):
    r = api.client.post("/api/v1/auth/token", json={"username": "hd1", "password": PASSWORD})
    body = r.json()
    assert r.status_code == 200 and body["token_type"] == "bearer" and body["expires_in"] == 3600
    assert body["role"] == "handler" and body["unit_code"] and body["username"] == "hd1"
    me = api.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}).json()
    assert me == {"username": "hd1", "role": "handler", "unit_code": body["unit_code"]}


@pytest.mark.parametrize("body", [None, {}, {"username": "op1"}, {"username": 3, "password": "x"}, "text"])
def test_malformed_sign_in_is_a_clear_4xx(api, body):
    r = api.client.post("/api/v1/auth/token", json=body)
    assert r.status_code == 422 and r.json()["message"]


@pytest.mark.parametrize("method, path", ENDPOINTS)
def test_every_endpoint_wants_a_valid_token(api, method, path):
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic b3AxOng="}):
        r = call(api, method, path, headers)
        assert r.status_code == 401, (path, headers, r.text)
        assert r.json()["error"] == "unauthorized" and r.json()["message"]


@pytest.mark.parametrize("method, path", ENDPOINTS)
def test_every_endpoint_refuses_an_expired_token(api, method, path):
    headers = {"Authorization": f"Bearer {api.client.post('/api/v1/auth/token', json={'username': 'admin', 'password': PASSWORD}).json()['access_token']}"}
    start = api.clock.now
    try:
        api.clock.now = start + 601  # idle longer than allowed
        r = call(api, method, path, headers)
        assert r.status_code == 401 and "ended" in r.json()["message"]
    finally:
        api.clock.now = start


@pytest.mark.parametrize("method, path, users", WRONG_ROLES)
def test_wrong_role_is_403(api, method, path, users):
    for user in users:
        r = call(api, method, path, api.login(user))
        assert r.status_code == 403, (user, path, r.text)
        assert r.json()["error"] == "forbidden" and user not in ("",)


def test_absolute_expiry_even_when_used_all_along(api):
    headers = api.login("op1")
    start = api.clock.now
    try:
        for step in range(1, 7):
            api.clock.now = start + step * 500  # never idle 600 s, but 3,000 s then 3,500 s in total
            assert api.client.get("/api/v1/auth/me", headers=headers).status_code == 200
        api.clock.now = start + 3601
        assert api.client.get("/api/v1/auth/me", headers=headers).status_code == 401
    finally:
        api.clock.now = start


def test_logout_revokes_the_token(api):
    r = api.client.post("/api/v1/auth/token", json={"username": "op1", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert api.client.post("/api/v1/auth/logout", headers=headers).status_code == 200
    assert api.client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_disabling_an_account_revokes_its_tokens(api):
    victim = {"Authorization": "Bearer " + api.client.post(
        "/api/v1/auth/token", json={"username": "op2", "password": PASSWORD}).json()["access_token"]}
    try:
        assert api.client.post("/api/v1/users/op2/disable", headers=api.login("admin")).status_code == 200
        assert api.client.get("/api/v1/auth/me", headers=victim).status_code == 401
        r = api.client.post("/api/v1/auth/token", json={"username": "op2", "password": PASSWORD})
        assert r.status_code == 401 and "disabled" in r.json()["message"]
    finally:
        api.client.post("/api/v1/users/op2/enable", headers=api.login("admin"))
    assert api.client.post("/api/v1/auth/token", json={"username": "op2", "password": PASSWORD}).status_code == 200
    assert api.client.post("/api/v1/users/nobody/disable", headers=api.login("admin")).status_code == 404


def test_failed_sign_ins_are_throttled_per_name_and_address(api):
    name = "sup1"
    for _ in range(5):
        r = api.client.post("/api/v1/auth/token", json={"username": name, "password": "wrong"})
        assert r.status_code == 401 and r.json()["message"] == "Wrong user name or password."
    r = api.client.post("/api/v1/auth/token", json={"username": name, "password": PASSWORD})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0 and "Wait" in r.json()["message"]
    # Another name from the same address is not locked out.
    assert api.client.post("/api/v1/auth/token", json={"username": "op1", "password": PASSWORD}).status_code == 200
    start = api.clock.now
    try:
        api.clock.now = start + int(r.headers["Retry-After"]) + 1
        assert api.client.post("/api/v1/auth/token", json={"username": name, "password": PASSWORD}).status_code == 200
    finally:
        api.clock.now = start
    # A supervisor can lift the lock at once.
    for _ in range(5):
        api.client.post("/api/v1/auth/token", json={"username": name, "password": "wrong"})
    assert api.client.post("/api/v1/auth/token", json={"username": name, "password": PASSWORD}).status_code == 429
    r = api.client.post(f"/api/v1/users/{name}/unlock", headers=api.login("admin"))
    assert r.status_code == 200 and r.json()["cleared"] == 1
    assert api.client.post("/api/v1/auth/token", json={"username": name, "password": PASSWORD}).status_code == 200
    # Unknown names are throttled the same way (no telling which names exist).
    for _ in range(5):
        api.client.post("/api/v1/auth/token", json={"username": "ghost", "password": "x"})
    assert api.client.post("/api/v1/auth/token", json={"username": "ghost", "password": "x"}).status_code == 429


def test_sign_ins_are_audited(api):
    api.client.post("/api/v1/auth/token", json={"username": "op1", "password": "nope"})
    api.client.post("/api/v1/auth/token", json={"username": "op1", "password": PASSWORD})
    entries = api.client.get("/api/v1/audit", params={"limit": 50}, headers=api.login("admin")).json()["entries"]
    actions = [(e["action"], e["actor"]) for e in entries]
    assert ("sign_in", "op1") in actions and ("sign_in_failed", "op1") in actions
    assert all(PASSWORD not in str(e) for e in entries)


def test_users_list_for_supervisors(api):
    r = api.client.get("/api/v1/users", params={"role": "operator"}, headers=api.login("sup1"))
    assert r.status_code == 200 and {u["username"] for u in r.json()["users"]} >= {"op1", "op2"}
    assert all(u["role"] == "operator" and u["second_factor"] is False for u in r.json()["users"])
    assert api.client.get("/api/v1/users", params={"role": "wizard"}, headers=api.login("sup1")).status_code == 422


def test_phone_numbers_never_reach_the_logs(api, caplog):
    caplog.set_level(logging.DEBUG, logger="hotline")
    api.push_ok("op1", ("ticket.create", {"id": "log-check", "caller_phone": "13912345678", "description": "x"}),
                client_id="log-client")
    api.pull("op1")
    api.client.post("/api/v1/tickets/log-check/reveal", headers=api.login("op1"))
    assert caplog.records and "13912345678" not in caplog.text


def test_unknown_address_and_method_are_json_4xx(api):
    r = api.client.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    r = api.client.delete("/api/v1/health")
    assert r.status_code == 405 and r.json()["message"]


def test_a_lost_database_connection_is_503_with_retry_after(api, monkeypatch):
    """Whatever endpoint meets a dropped connection answers 503 + Retry-After, never 500."""
    from sqlalchemy.exc import OperationalError

    from server import sync

    headers = api.login("op1")

    def gone(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(sync, "pull", gone)
    monkeypatch.setattr(sync, "push", gone)
    for method, path in (("GET", "/api/v1/sync/pull"), ("POST", "/api/v1/sync/push")):
        r = call(api, method, path, headers)
        assert r.status_code == 503 and r.headers["Retry-After"] == "5", r.text
        assert r.json()["error"] == "unavailable" and "kept on this computer" in r.json()["message"]


@pytest.mark.parametrize("path", [
    "/api/v1/tickets/%00/reveal", "/api/v1/users/%00/disable", "/api/v1/users/%00/unlock",
    "/api/v1/tickets/" + "x" * 300 + "/reveal", "/api/v1/models/%00/package",
])
def test_odd_path_values_are_4xx_never_500(api, path):
    method = "GET" if path.endswith("/package") else "POST"
    r = call(api, method, path, api.login("admin"))
    assert 400 <= r.status_code < 500, (path, r.status_code, r.text)
    assert r.json()["message"]


# ---- sign-in limits, names whatever their case, the second factor --------------------------------------------

def test_sign_in_bodies_over_a_few_kb_are_refused_before_reading(api):
    r = api.client.post("/api/v1/auth/token", json={"username": "op1", "password": PASSWORD, "pad": "x" * 5000})
    assert r.status_code == 413 and r.json()["error"] == "too_large" and "sign-in" in r.json()["message"]
    r = api.client.post("/api/v1/auth/token", content=b"{}", headers={"Content-Length": str(19 * 1024 * 1024),
                                                                      "Content-Type": "application/json"})
    assert r.status_code == 413
    # A long passphrase still fits.
    r = api.client.post("/api/v1/auth/token", json={"username": "op1", "password": "x" * 1000})
    assert r.status_code == 401


def test_names_sign_in_whatever_their_case_and_cannot_be_taken_twice(api):
    r = api.client.post("/api/v1/auth/token", json={"username": "OP1", "password": PASSWORD})
    assert r.status_code == 200 and r.json()["username"] == "op1"
    with pytest.raises(ValueError, match="already a user called 'Op1'"):
        with write_tx(shared_engine(api.db_url)) as conn:
            create_user(conn, "Op1", "operator", "tea kettle lamp")
    # The database refuses it too, whoever writes (the index, not only the check above).
    with pytest.raises(IntegrityError):
        with write_tx(shared_engine(api.db_url)) as conn:
            conn.execute(insert(schema.users).values(username="OP2", role="operator", password_hash="x",
                                                     disabled=False, created_at="2026-01-01"))


def test_weak_passwords_cannot_be_set_anywhere(api):
    with write_tx(shared_engine(api.db_url)) as conn:
        with pytest.raises(ValueError, match="at least 10 characters"):
            create_user(conn, "weak1", "operator", "demo")
        with pytest.raises(ValueError, match="common ones"):
            create_user(conn, "weak1", "operator", "iloveyou123")
        with pytest.raises(ValueError, match="common ones"):
            set_password(conn, "op2", "Password2026!")


@pytest.fixture
def enrolled(api):
    """A supervisor with a second factor (made once per database); yields (name, TOTP)."""
    with write_tx(shared_engine(api.db_url)) as conn:
        if find_user(conn, "sup9") is None:
            create_user(conn, "sup9", "supervisor", PASSWORD, password_hash=password_hash())
        secret, _uri = enrol_totp(conn, "sup9")
    yield "sup9", pyotp.TOTP(secret)
    api.client.post("/api/v1/users/sup9/unlock", headers=api.login("admin"))


def test_an_enrolled_supervisor_needs_the_code(api, enrolled):
    name, totp = enrolled
    ask = {"username": name, "password": PASSWORD}
    r = api.client.post("/api/v1/auth/token", json=ask)
    assert r.status_code == 401 and r.json()["error"] == "otp_required" and "6-digit code" in r.json()["message"]
    r = api.client.post("/api/v1/auth/token", json={**ask, "password": "wrong one", "otp": totp.at(api.clock.now)})
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"  # a wrong password never reveals the factor
    wrong = str((int(totp.at(api.clock.now)) + 1) % 1000000).zfill(6)
    r = api.client.post("/api/v1/auth/token", json={**ask, "otp": wrong})
    assert r.status_code == 401 and r.json()["error"] == "otp_wrong" and "wrong or has expired" in r.json()["message"]
    assert api.client.post("/api/v1/auth/token", json={**ask, "otp": 123456}).status_code == 422
    code = totp.at(api.clock.now)
    r = api.client.post("/api/v1/auth/token", json={**ask, "otp": code[:3] + " " + code[3:]})
    assert r.status_code == 200 and r.json()["role"] == "supervisor"
    listed = api.client.get("/api/v1/users", params={"role": "supervisor"}, headers=api.login("admin")).json()["users"]
    assert {u["username"]: u["second_factor"] for u in listed}[name] is True and totp.secret not in str(listed)
    # The same code cannot sign in twice (someone who saw it over a shoulder); the next one can.
    assert api.client.post("/api/v1/auth/token", json={**ask, "otp": code}).json()["error"] == "otp_wrong"
    start = api.clock.now
    try:
        api.clock.now = start + totp.interval
        assert api.client.post("/api/v1/auth/token", json={**ask, "otp": totp.at(api.clock.now)}).status_code == 200
    finally:
        api.clock.now = start


def test_wrong_codes_are_throttled_like_passwords(api, enrolled):
    name, totp = enrolled
    right = totp.at(api.clock.now)
    wrong = str((int(right) + 7) % 1000000).zfill(6)
    for _ in range(5):
        r = api.client.post("/api/v1/auth/token", json={"username": name, "password": PASSWORD, "otp": wrong})
        assert r.status_code == 401 and r.json()["error"] == "otp_wrong"
    r = api.client.post("/api/v1/auth/token", json={"username": name, "password": PASSWORD, "otp": right})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    entries = api.client.get("/api/v1/audit", params={"limit": 50}, headers=api.login("admin")).json()["entries"]
    assert any(e["action"] == "sign_in_failed" and e["actor"] == name and "otp_wrong" in str(e) for e in entries)


def test_health_lists_no_demo_accounts_to_a_service_reachable_from_elsewhere(api):
    """A demo-seeded database behind a service that is not a loopback demo (here, this test's app) lists nobody."""
    with write_tx(shared_engine(api.db_url)) as conn:
        set_meta(conn, "demo_accounts", '[{"username": "admin", "password": "demo"}]')
    try:
        body = api.client.get("/api/v1/health").json()
        assert body["status"] == "ok" and "demo_accounts" not in body
    finally:
        with write_tx(shared_engine(api.db_url)) as conn:
            conn.execute(delete(schema.server_meta).where(schema.server_meta.c.key == "demo_accounts"))


# ---- /health tells when the database cannot store anything -----------------------------------------------------

@contextmanager
def every_new_connection(engine, statement: str):
    """Run `statement` on each connection the engine opens from now on (and on none after)."""

    def on_connect(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute(statement)
        cur.close()
        if engine.dialect.name == "postgresql":
            dbapi_conn.commit()

    engine.dispose()
    event.listen(engine, "connect", on_connect)
    try:
        yield
    finally:
        event.remove(engine, "connect", on_connect)
        engine.dispose()


def _some_tickets(api: Api) -> dict:
    """A push of a few tickets: more than fits in the pages a database already has."""
    return {"client_id": "health-check", "schema_version": 1,
            "mutations": [{"id": api.next_id("health-check"), "name": "ticket.create",
                           "args": {"id": str(uuid.uuid4()), "description": "路灯不亮，晚上很黑。" * 100}}
                          for _ in range(20)]}


def _push(api: Api, body: dict):
    return api.client.post("/api/v1/sync/push", json=body, headers=api.login("op1"))


def test_health_says_when_the_database_is_read_only(server_db_url):
    with running_api(server_db_url) as api:
        engine = shared_engine(server_db_url)
        api.login("op1")
        read_only = ("PRAGMA query_only = ON" if engine.dialect.name == "sqlite"
                     else "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        with every_new_connection(engine, read_only):
            assert _push(api, _some_tickets(api)).status_code >= 500  # what consoles meet: their work stays in their outbox
            r = api.client.get("/api/v1/health")
            assert r.status_code == 503 and r.json()["database"] == "read_only", r.text
            assert "read-only" in r.json()["message"] and r.headers["Retry-After"]
        r = api.client.get("/api/v1/health")
        assert r.status_code == 200 and r.json()["database"] == "ok"


def test_health_says_when_a_sqlite_database_is_full(sqlite_url):
    with running_api(sqlite_url) as api:
        engine = shared_engine(sqlite_url)
        api.login("op1")
        with engine.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        # SQLite's own limit on the file's size stands in for a full disk (no small disk to fill without root).
        body = _some_tickets(api)
        with every_new_connection(engine, f"PRAGMA max_page_count = {pages}"):
            assert _push(api, body).status_code == 503
            r = api.client.get("/api/v1/health")
            assert r.status_code == 503 and r.json()["database"] == "full" and "disk" in r.json()["message"]
        assert api.client.get("/api/v1/health").json()["database"] == "ok"
        assert _push(api, body).status_code == 200  # the console's retry goes through once there is room


def _sign_in(api: Api, name: str, password: str):
    return api.client.post("/api/v1/auth/token", json={"username": name, "password": password})


def test_an_address_lock_slows_failures_and_never_refuses_a_right_password(server_db_url):
    """Many consoles behind one NAT address: one guesser there must not lock everyone else out."""
    with running_api(server_db_url, Settings(login_max_failures_per_address=4)) as api:
        for n in range(4):  # a guesser sprays names from the shared address
            assert _sign_in(api, f"ghost{n}", "wrong").status_code == 401
        # The address is locked now: failures are slowed...
        r = _sign_in(api, "ghost9", "wrong")
        assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
        r = _sign_in(api, "op1", "a wrong guess")
        assert r.status_code == 429
        # ...an account that already failed from here waits, even with its right password...
        assert _sign_in(api, "op1", PASSWORD).status_code == 429
        # ...but an account with no failures of its own signs in with its right password.
        for name in ("admin", "sup1", "op2"):
            assert _sign_in(api, name, PASSWORD).status_code == 200, name
        # A supervisor's unlock lets op1 in at once, and lifts the lock on the address op1 failed from.
        r = api.client.post("/api/v1/users/op1/unlock", headers=api.login("sup1"))
        assert r.status_code == 200 and r.json()["cleared"] == 1
        assert _sign_in(api, "op1", PASSWORD).status_code == 200
        assert _sign_in(api, "ghost9", "wrong").status_code == 401  # failures count afresh


def test_a_new_password_from_the_command_line_lifts_the_locks_too(server_db_url):
    with running_api(server_db_url, Settings(login_max_failures_per_address=3)) as api:
        for _ in range(5):
            _sign_in(api, "op2", "wrong")
        assert _sign_in(api, "op2", PASSWORD).status_code == 429
        with write_tx(shared_engine(server_db_url)) as conn:
            from server.accounts import clear_failures

            assert clear_failures(conn, "OP2") == 1
        assert _sign_in(api, "op2", PASSWORD).status_code == 200
        assert _sign_in(api, "ghost", "wrong").status_code == 401


def test_a_second_factor_for_an_operator_is_refused_in_good_english(api):
    with write_tx(shared_engine(api.db_url)) as conn:
        with pytest.raises(ValueError, match="'op2' is an operator\\.$"):
            enrol_totp(conn, "op2")
        with pytest.raises(ValueError, match="'hd1' is a handler\\.$"):
            enrol_totp(conn, "hd1")
