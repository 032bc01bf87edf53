"""Exactly-once for real: client ids bound to a console and a user, content-checked replays, full reloads that
finish across compaction, and event streams that end with their session (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time
import uuid

import httpx2
import pytest
from sqlalchemy import func, select

from domain.wire import PushError, SyncPath
from server import schema
from server.db import shared_engine
from server.runner import start_in_thread
from server.sync import compact_changes, latest_seq
from server.testing import PASSWORD, add_staff, dispatchable, running_api, unit_codes

UNIT_A, _ = unit_codes()


@pytest.fixture
def api(server_db_url):
    with running_api(server_db_url) as api:
        yield api


def creates(n: int, prefix: str = "") -> list[tuple[str, dict]]:
    return [("ticket.create", {"id": f"{prefix}{uuid.uuid4()}", "description": f"路灯不亮 {i}"}) for i in range(n)]


def rows(db_url: str, table, **where) -> int:
    with shared_engine(db_url).connect() as conn:
        query = select(func.count()).select_from(table)
        for key, value in where.items():
            query = query.where(table.c[key] == value)
        return conn.execute(query).scalar_one()


def test_registration_issues_a_client_id_and_secret_for_the_signed_in_user(api):
    first = api.register("op1")
    second = api.register("op1", first_mutation_id=7)
    assert first["client_id"] != second["client_id"] and first["client_secret"] != second["client_secret"]
    assert first["username"] == "op1" and first["last_mutation_id"] == 0 and second["last_mutation_id"] == 6
    # The secret is kept only as a hash.
    with shared_engine(api.db_url).connect() as conn:
        stored = conn.execute(select(schema.console_registrations.c.secret_hash)
                              .where(schema.console_registrations.c.client_id == first["client_id"])).scalar_one()
    assert first["client_secret"] not in stored
    # Its pushes start where it said.
    results = api.push_ok("op1", *creates(2), client_id=second["client_id"])
    assert [r["id"] for r in results] == [7, 8]
    assert api.client.post(SyncPath.REGISTER, json={"first_mutation_id": 1}).status_code == 401
    for bad in ({"first_mutation_id": 0}, {"first_mutation_id": "1"}, {"first_mutation_id": True}, [1]):
        r = api.client.post(SyncPath.REGISTER, json=bad, headers=api.login("op1"))
        assert r.status_code == 422 and "first_mutation_id" in r.json()["message"] or "JSON object" in r.json()["message"]


def test_a_hijacked_client_id_is_refused_and_its_owner_goes_on(api):
    """Operator op2 pushes ids 1..5 under op1's client id: refused (403), never a `duplicate` for op1 later."""
    owner = api.register("op1")["client_id"]
    stolen = api.push_body(owner, creates(5, "hijack-"), first_id=1)
    without_secret = {k: v for k, v in stolen.items() if k != "client_secret"}
    for body in (without_secret, stolen, {**stolen, "client_secret": "guessed"}):
        r = api.client.post(SyncPath.PUSH, json=body, headers=api.login("op2"))
        assert r.status_code == 403 and r.json()["error"] == PushError.NOT_YOURS, r.text
    # op1 without the console's secret (another console of op1's) is refused too.
    r = api.client.post(SyncPath.PUSH, json={**without_secret, "client_secret": "x" * 40}, headers=api.login("op1"))
    assert r.status_code == 403
    assert rows(api.db_url, schema.mutation_log, client_id=owner) == 0
    # op1's next tickets, ids 1..5, are applied.
    results = api.push_ok("op1", *creates(5, "mine-"), client_id=owner)
    assert [(r["id"], r["status"]) for r in results] == [(i, "applied") for i in range(1, 6)]
    assert rows(api.db_url, schema.tickets) == 5


def test_a_client_id_a_console_made_itself_is_bound_to_its_first_user(api):
    api.push_ok("op1", *creates(1), client_id="made-by-an-older-console")
    r = api.client.post(SyncPath.PUSH, json={"client_id": "made-by-an-older-console", "schema_version": 1,
                                             "mutations": [{"id": 2, "name": "ticket.create", "args": {"id": "x"}}]},
                        headers=api.login("op2"))
    assert r.status_code == 403 and r.json()["error"] == PushError.NOT_YOURS


def test_a_secret_for_a_registration_the_service_does_not_know_asks_to_register_again(api):
    body = {"client_id": "c-" + uuid.uuid4().hex, "client_secret": "s" * 40, "schema_version": 1,
            "mutations": creates(1) and [{"id": 1, "name": "ticket.create", "args": {"id": "t"}}]}
    r = api.client.post(SyncPath.PUSH, json=body, headers=api.login("op1"))
    assert r.status_code == 403 and r.json()["error"] == PushError.UNKNOWN_CLIENT


def test_a_replay_is_a_duplicate_only_with_the_same_content(api):
    client_id = api.register("op1")["client_id"]
    original = creates(2)
    body = api.push_body(client_id, original, first_id=1)
    assert [r["status"] for r in api.client.post(SyncPath.PUSH, json=body, headers=api.login("op1")).json()["results"]] \
        == ["applied", "applied"]
    again = api.client.post(SyncPath.PUSH, json=body, headers=api.login("op1")).json()
    assert [r["status"] for r in again["results"]] == ["duplicate", "duplicate"]
    # The same ids with other content (a restored or copied cache): 409 with the reason, nothing applied.
    other = api.push_body(client_id, [original[0]] + creates(2), first_id=1)
    r = api.client.post(SyncPath.PUSH, json=other, headers=api.login("op1"))
    assert r.status_code == 409 and r.json()["error"] == PushError.CONFLICT and r.json()["mutation_id"] == 2
    assert "copied or restored" in r.json()["message"]
    assert rows(api.db_url, schema.tickets) == 2
    # An id from before a registration began was never sent under it.
    later = api.register("op1", first_mutation_id=10)["client_id"]
    r = api.client.post(SyncPath.PUSH, json=api.push_body(later, creates(1), first_id=9), headers=api.login("op1"))
    assert r.status_code == 409 and r.json()["error"] == PushError.CONFLICT


def test_a_full_reload_finishes_whatever_compaction_does_between_its_pages(api):
    """Compaction between the pages of a full pull (small limit): every ticket arrives, never a reset."""
    made = set()
    for _ in range(4):
        for name, args in creates(3):
            made.add(args["id"])
            api.push_ok("op1", (name, args), ("note.add", {"id": str(uuid.uuid4()), "ticket_id": args["id"],
                                                            "text": "called back"}))
    # Edits, so compaction has superseded rows to drop.
    for ticket_id in list(made)[:6]:
        api.push_ok("op1", ("ticket.update", {"id": ticket_id, "base_version": 1, "caller_name": "王"}))
    late: list[str] = []

    def compact_and_write():
        if len(late) < 3:  # a ticket written during the reload arrives through the feed from the mark
            late.append(api.create_ticket("op2"))
        compact_changes(shared_engine(api.db_url), latest_seq(shared_engine(api.db_url)) - 1)

    changes, cursor = api.reload_all("op2", limit=2, between_pages=compact_and_write)
    tickets = {c["ticket"]["id"]: c["ticket"] for c in changes if c["kind"] == "ticket"}
    assert made | set(late) <= set(tickets)
    assert all(tickets[t]["caller_name"] == "王" for t in list(made)[:6])
    assert sum(1 for c in changes if c["kind"] == "note") >= len(made)
    assert cursor == latest_seq(shared_engine(api.db_url))
    # A feed pull from the compacted range still answers reset: that is what the snapshot is for.
    assert api.pull("op2", 1).get("reset") is True


def test_a_full_reload_shows_a_handler_only_its_units_tickets_masked(api):
    mine = api.create_ticket("op1", caller_phone="13812345678", **dispatchable())
    api.create_ticket("op1")
    assert api.dispatch(mine, UNIT_A)["status"] == "applied"
    api.push_ok("op1", ("note.add", {"id": str(uuid.uuid4()), "ticket_id": mine, "text": "on site at 3"}))
    changes, _ = api.reload_all("hd1", limit=1)
    tickets = {c["ticket"]["id"]: c["ticket"] for c in changes if c["kind"] == "ticket"}
    assert set(tickets) == {mine} and tickets[mine]["caller_phone"] != "13812345678"
    assert {c["event"]["action"] for c in changes if c["kind"] == "event"} >= {"created", "dispatch"}
    assert [c["note"]["text"] for c in changes if c["kind"] == "note"] == ["on site at 3"]


def test_a_bad_snapshot_token_is_a_clear_422(api):
    for token in ("x", "t:abc:1", "f:", "t:1" + "0" * 30 + ":a"):
        r = api.client.get(SyncPath.PULL, params={"cursor": 0, "snapshot": token}, headers=api.login("op1"))
        assert r.status_code == 422 and "snapshot" in r.json()["message"], (token, r.text)


def test_an_event_stream_ends_soon_after_sign_out(sqlite_url):
    add_staff(sqlite_url)
    server = start_in_thread(sqlite_url)
    try:
        client = httpx2.Client(base_url=server.url, timeout=15)
        token = client.post("/api/v1/auth/token", json={"username": "op1", "password": PASSWORD}).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        poked, ended = threading.Event(), threading.Event()

        def listen():
            with httpx2.Client(base_url=server.url, timeout=httpx2.Timeout(30.0)) as stream_client:
                with stream_client.stream("GET", SyncPath.EVENTS, headers=headers) as response:
                    for line in response.iter_lines():
                        if line.startswith("event: changed"):
                            poked.set()  # the stream is open and speaking
            ended.set()

        thread = threading.Thread(target=listen, daemon=True)
        thread.start()
        assert poked.wait(10) and not ended.is_set()
        signed_out = time.monotonic()
        assert client.post("/api/v1/auth/logout", headers=headers).status_code == 200
        assert ended.wait(10), "the event stream outlived its session"
        assert time.monotonic() - signed_out < 6
    finally:
        server.stop()
