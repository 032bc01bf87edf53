"""The service as a real HTTP server: the embedded runner, server-sent pokes, the demo seed, the commands."""

from __future__ import annotations

import json
import queue
import threading

import httpx2 as httpx
import pytest
from sqlalchemy import func, select

from server import schema
from server.accounts import add_apikey_command, add_user_command
from server.db import shared_engine
from server.demo_seed import DEMO_ACCOUNTS, seed_demo
from server.runner import start_in_thread
from server.testing import PASSWORD, add_staff


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
    assert add_user_command(sqlite_url, "nina", "operator", "s3cret!") == 0
    assert "created operator 'nina'" in capsys.readouterr().out
    assert add_user_command(sqlite_url, "nina", "operator", "s3cret!") == 1
    assert "already" in capsys.readouterr().err
    assert add_user_command(sqlite_url, "hank", "handler", "s3cret!") == 2
    assert "--unit" in capsys.readouterr().err
    assert add_user_command(sqlite_url, "bad name", "operator", "s3cret!") == 2
    assert add_user_command(sqlite_url, "zed", "wizard", "s3cret!") == 2
    assert add_apikey_command(sqlite_url, "partner") == 0
    key = capsys.readouterr().out.strip()
    assert key.startswith("hk_") and len(key) > 30
    with shared_engine(sqlite_url).connect() as conn:
        stored = conn.execute(select(schema.api_keys.c.key_hash)).scalar_one()
    assert key not in stored  # only its hash is kept
