"""Server sync: idempotent push, gaps, rejections, lifecycle, reassign CAS, last-writer-wins, scoped pull."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from server import schema
from server.db import shared_engine
from server.sync import compact_changes, compact_older_than
from server.testing import Api, dispatchable, make_app, running_api, unit_codes

UNIT_A, UNIT_B = unit_codes()


@pytest.fixture
def api(server_db_url):
    with running_api(server_db_url) as api:
        yield api


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shared_api(request, tmp_path_factory):
    """One app per database kind for tests that only send bad input (nothing may be stored)."""
    from tests.support import fresh_postgres_database

    def serve(url):
        app = make_app(url)
        with TestClient(app) as client:
            api = Api(client)
            api.db_url = url
            yield api

    if request.param == "sqlite":
        yield from serve(f"sqlite:///{tmp_path_factory.mktemp('shared') / 'server.db'}")
    else:
        with fresh_postgres_database() as url:
            yield from serve(url)


def tickets_in(changes):
    return {c["ticket"]["id"]: c["ticket"] for c in changes if c["kind"] == "ticket"}


def count(db_url, table, **where):
    with shared_engine(db_url).connect() as conn:
        query = select(func.count()).select_from(table)
        for key, value in where.items():
            query = query.where(table.c[key] == value)
        return conn.execute(query).scalar_one()


def test_create_assigns_number_status_operator(api):
    tid = api.create_ticket("op1", caller_name="王女士", request_type="complaint")
    changes, cursor = api.pull_all("op2")
    ticket = tickets_in(changes)[tid]
    assert ticket["status"] == "registered"
    assert ticket["operator"] == "op1"
    assert ticket["number"] and len(ticket["number"]) == len("20261127-000123")
    assert ticket["caller_phone"] == "13812345678" and ticket["caller_name"] == "王女士"
    assert ticket["version"] == 1
    assert cursor > 0
    created = [c["event"] for c in changes if c["kind"] == "event" and c["event"]["ticket_id"] == tid]
    assert created[0]["action"] == "created"


def test_numbers_are_consecutive_within_a_day(api):
    ids = [api.create_ticket("op1") for _ in range(3)]
    tickets = tickets_in(api.pull_all("op1")[0])
    numbers = sorted(tickets[i]["number"] for i in ids)
    counters = [int(n.split("-")[1]) for n in numbers]
    assert counters == list(range(counters[0], counters[0] + 3))
    assert len({n.split("-")[0] for n in numbers}) == 1


def test_replayed_push_is_duplicate_and_creates_nothing_twice(api):
    tid = str(uuid.uuid4())
    body = {"client_id": "replay", "schema_version": 1, "mutations": [
        {"id": 1, "name": "ticket.create", "args": {"id": tid, "description": "路灯不亮"}},
        {"id": 2, "name": "note.add", "args": {"id": str(uuid.uuid4()), "ticket_id": tid, "text": "called back"}},
    ]}
    first = api.client.post("/api/v1/sync/push", json=body, headers=api.login("op1"))
    assert [r["status"] for r in first.json()["results"]] == ["applied", "applied"]
    again = api.client.post("/api/v1/sync/push", json=body, headers=api.login("op1"))
    assert again.status_code == 200
    assert [r["status"] for r in again.json()["results"]] == ["duplicate", "duplicate"]
    assert again.json()["last_mutation_id"] == 2
    assert count(api.db_url, schema.tickets, id=tid) == 1
    assert count(api.db_url, schema.notes, ticket_id=tid) == 1
    # A replay overlapping new work: the old ones are duplicates, the new one is applied.
    body["mutations"].append({"id": 3, "name": "ticket.update", "args": {"id": tid, "base_version": 1, "caller_name": "李"}})
    third = api.client.post("/api/v1/sync/push", json=body, headers=api.login("op1"))
    assert [r["status"] for r in third.json()["results"]] == ["duplicate", "duplicate", "applied"]


def test_gap_answers_409_with_last_id_and_applies_nothing(api):
    api.push_ok("op1", ("ticket.create", {"id": "g1", "description": "x"}), client_id="gappy")
    body = {"client_id": "gappy", "schema_version": 1,
            "mutations": [{"id": 5, "name": "ticket.create", "args": {"id": "g5", "description": "y"}}]}
    r = api.client.post("/api/v1/sync/push", json=body, headers=api.login("op1"))
    assert r.status_code == 409
    assert r.json()["error"] == "gap" and r.json()["last_mutation_id"] == 1
    assert count(api.db_url, schema.tickets, id="g5") == 0
    # A new client starting anywhere but 1 is a gap too.
    body["client_id"] = "brand-new"
    r = api.client.post("/api/v1/sync/push", json=body, headers=api.login("op1"))
    assert r.status_code == 409 and r.json()["last_mutation_id"] == 0


def test_rejection_consumes_the_id_and_never_blocks_the_queue(api):
    tid = api.create_ticket("op1")
    results = api.push_ok(
        "op1",
        ("ticket.transition", {"id": tid, "action": "accept"}),  # an operator cannot accept; not dispatched either
        ("ticket.create", {"id": str(uuid.uuid4()), "caller_phone": "not-a-phone"}),
        ("note.add", {"id": str(uuid.uuid4()), "ticket_id": tid, "text": "still works"}),
        client_id="rej",
    )
    assert [r["status"] for r in results] == ["rejected", "rejected", "applied"]
    assert "dispatched" in results[0]["error"] or "cannot" in results[0]["error"]
    assert "phone" in results[1]["error"]
    # The rejected ids are consumed: a replay answers duplicate and keeps the reason.
    body = {"client_id": "rej", "schema_version": 1, "mutations": [
        {"id": 1, "name": "ticket.transition", "args": {"id": tid, "action": "accept"}}]}
    again = api.client.post("/api/v1/sync/push", json=body, headers=api.login("op1")).json()
    assert again["results"][0]["status"] == "duplicate"
    assert again["results"][0]["original_status"] == "rejected" and again["results"][0]["error"]
    # Supervisors can see the refusals with their reasons.
    listed = api.client.get("/api/v1/sync/rejections", headers=api.login("sup1")).json()["rejections"]
    assert {(r["mutation_id"], r["author"]) for r in listed if r["ticket_id"] == tid} >= {(1, "op1")}
    assert all("client_id" not in r for r in listed)  # another person's console id is not shown


@pytest.mark.parametrize("body, words", [
    (None, "JSON object"),
    ([], "JSON object"),
    ({"client_id": "", "schema_version": 1, "mutations": []}, "client_id"),
    ({"client_id": "c", "schema_version": 99, "mutations": []}, "update the central service"),
    ({"client_id": "c", "schema_version": 0, "mutations": []}, "Update the console"),
    ({"client_id": "c", "schema_version": 1, "mutations": "nope"}, "list"),
    ({"client_id": "c", "schema_version": 1, "mutations": [{"id": 1, "name": "ticket.explode", "args": {}}]}, "unknown mutation"),
    ({"client_id": "c", "schema_version": 1, "mutations": [{"id": 0, "name": "ticket.create", "args": {"id": "a"}}]}, "whole number"),
    ({"client_id": "c", "schema_version": 1, "mutations": [{"id": 1, "name": "ticket.create", "args": {}}]}, "missing id"),
    ({"client_id": "c", "schema_version": 1, "mutations": [{"id": 1, "name": "ticket.create", "args": {"id": "a", "colour": 1}}]}, "unknown field"),
    ({"client_id": "c", "schema_version": 1, "mutations": [
        {"id": 1, "name": "ticket.create", "args": {"id": "a"}}, {"id": 3, "name": "ticket.create", "args": {"id": "b"}}]}, "consecutive"),
])
def test_malformed_push_is_a_clear_422_and_stores_nothing(shared_api, body, words):
    api = shared_api
    r = api.client.post("/api/v1/sync/push", json=body, headers=api.login("op1"))
    assert r.status_code == 422, r.text
    assert r.json()["error"] and words in r.json()["message"]
    assert count(api.db_url, schema.tickets) == 0
    assert count(api.db_url, schema.client_states) == 0


def test_not_json_and_bad_field_types_are_4xx_or_rejections(api):
    r = api.client.post("/api/v1/sync/push", content=b"{not json", headers={**api.login("op1"), "Content-Type": "application/json"})
    assert r.status_code == 422 and "JSON" in r.json()["message"]
    results = api.push_ok(
        "op1",
        ("ticket.create", {"id": "t-types", "description": 42}),
        ("ticket.create", {"id": "t-types2", "description": "ok", "suggestions": "x"}),
        ("ticket.create", {"id": "t-types3", "description": "ok", "call_started_at": "yesterday"}),
        ("ticket.create", {"id": "t-nul", "description": "nul \x00 byte"}),
        ("ticket.create", {"id": "x" * 65, "description": "long id"}),
    )
    assert [r["status"] for r in results] == ["rejected"] * 5, results
    assert count(api.db_url, schema.tickets) == 0


def test_last_writer_wins_per_field_and_history_keeps_overwritten_values(api):
    tid = api.create_ticket("op1", caller_name="张三", incident_address="东城区1号")
    # Two consoles edit version 1 offline; op2's push reaches the server after op1's.
    api.push_ok("op1", ("ticket.update", {"id": tid, "base_version": 1, "caller_name": "张三丰", "description": "A"}))
    api.push_ok("op2", ("ticket.update", {"id": tid, "base_version": 1, "caller_name": "张小三"}))
    changes, _ = api.pull_all("sup1")
    ticket = tickets_in(changes)[tid]
    assert ticket["caller_name"] == "张小三"  # the later writer in server order
    assert ticket["description"] == "A"  # a field only op1 changed keeps op1's value
    assert ticket["incident_address"] == "东城区1号"
    assert ticket["version"] == 3
    updates = [c["event"] for c in changes if c["kind"] == "event" and c["event"]["action"] == "updated"]
    assert updates[-1]["detail"]["changes"]["caller_name"] == {"old": "张三丰", "new": "张小三"}
    assert updates[-1]["detail"]["concurrent"] is True
    assert updates[0]["detail"]["changes"]["caller_name"] == {"old": "张三", "new": "张三丰"}


def test_update_that_would_leave_nothing_to_go_on_is_rejected(api):
    tid = api.create_ticket("op1", caller_phone="", description="only text")
    results = api.push_ok("op1", ("ticket.update", {"id": tid, "base_version": 1, "description": ""}))
    assert results[0]["status"] == "rejected"
    assert tickets_in(api.pull_all("op1")[0])[tid]["description"] == "only text"


def test_transition_table_enforced_with_roles(api):
    tid = api.create_ticket("op1", **dispatchable())
    steps = [
        ("hd1", {"action": "accept"}, "rejected"),  # not dispatched yet
        ("op1", {"action": "dispatch", "unit_code": UNIT_A}, "applied"),
        ("op1", {"action": "accept"}, "rejected"),  # an operator may not accept
        ("hd2", {"action": "accept"}, "rejected"),  # another unit's handler does not even see it
        ("hd1", {"action": "accept"}, "applied"),
        ("hd1", {"action": "reply"}, "rejected"),  # reply needs a reason
        ("hd1", {"action": "reply", "reason": "fixed the lamp"}, "applied"),
        ("op1", {"action": "start_callback"}, "applied"),
        ("op1", {"action": "close", "callback_result": "unsatisfied"}, "rejected"),
        ("op1", {"action": "close", "callback_result": "satisfied"}, "applied"),
        ("op1", {"action": "reopen", "reason": "again"}, "rejected"),  # only a supervisor reopens a closed one
        ("sup1", {"action": "reopen", "reason": "caller rang again"}, "applied"),
    ]
    for user, args, expected in steps:
        result = api.push_ok(user, ("ticket.transition", {"id": tid, **args}))[0]
        assert result["status"] == expected, (user, args, result)
    ticket = tickets_in(api.pull_all("sup1")[0])[tid]
    assert ticket["status"] == "reopened"
    assert ticket["callback_result"] == "satisfied"
    assert ticket["unit_code"] == UNIT_A and ticket["dispatched_at"]


def test_callback_result_only_with_a_callback_close_or_reopen(api):
    tid = api.create_ticket("op1", **dispatchable())
    result = api.push_ok("op1", ("ticket.transition", {"id": tid, "action": "dispatch", "unit_code": UNIT_A,
                                                       "callback_result": "satisfied"}))[0]
    assert result["status"] == "rejected" and "callback" in result["error"]
    assert tickets_in(api.pull_all("op1")[0])[tid]["callback_result"] is None


def test_dispatch_needs_category_and_place(api):
    tid = api.create_ticket("op1")
    result = api.push_ok("op1", ("ticket.transition", {"id": tid, "action": "dispatch", "unit_code": UNIT_A}))[0]
    assert result["status"] == "rejected" and "category" in result["error"]


def test_return_is_audited_and_handlers_cannot_change_content(api):
    tid = api.create_ticket("op1", **dispatchable())
    api.dispatch(tid, UNIT_A)
    assert api.push_ok("hd1", ("ticket.update", {"id": tid, "base_version": 2, "description": "x"}))[0]["status"] == "rejected"
    assert api.push_ok("hd1", ("ticket.transition", {"id": tid, "action": "return", "reason": "not ours"}))[0]["status"] == "applied"
    entries = api.client.get("/api/v1/audit", params={"action": "return"}, headers=api.login("admin")).json()["entries"]
    assert entries and entries[0]["ticket_id"] == tid and entries[0]["actor"] == "hd1"


def test_reassign_compare_and_set_supervisor_only_with_reason(api):
    tid = api.create_ticket("op1")
    r = api.push_ok("op2", ("ticket.reassign", {"id": tid, "expected_operator": "op1", "operator": "op2", "reason": "load"}))
    assert r[0]["status"] == "rejected" and "supervisor" in r[0]["error"]
    r = api.push_ok("sup1", ("ticket.reassign", {"id": tid, "expected_operator": "op1", "operator": "op2", "reason": " "}))
    assert r[0]["status"] == "rejected" and "reason" in r[0]["error"]
    r = api.push_ok("sup1", ("ticket.reassign", {"id": tid, "expected_operator": "op1", "operator": "op2", "reason": "load"}))
    assert r[0]["status"] == "applied"
    # A second supervisor acting on a stale view: the CAS fails and says who holds it now.
    r = api.push_ok("sup1", ("ticket.reassign", {"id": tid, "expected_operator": "op1", "operator": "sup1", "reason": "x"}),
                    client_id="other-supervisor-console")
    assert r[0]["status"] == "rejected" and "op2" in r[0]["error"]
    r = api.push_ok("sup1", ("ticket.reassign", {"id": tid, "expected_operator": "op2", "operator": "hd1", "reason": "x"}))
    assert r[0]["status"] == "rejected"  # a handler cannot hold a ticket as its operator
    ticket = tickets_in(api.pull_all("op2")[0])[tid]
    assert ticket["operator"] == "op2"
    audit = api.client.get("/api/v1/audit", params={"action": "reassign"}, headers=api.login("admin")).json()["entries"]
    assert len(audit) == 1 and audit[0]["detail"] == {"from": "op1", "to": "op2", "reason": "load"}


def test_notes_append_only_and_unique(api):
    tid = api.create_ticket("op1")
    nid = str(uuid.uuid4())
    assert api.push_ok("op1", ("note.add", {"id": nid, "ticket_id": tid, "text": "first"}))[0]["status"] == "applied"
    assert api.push_ok("op2", ("note.add", {"id": nid, "ticket_id": tid, "text": "again"}))[0]["status"] == "rejected"
    assert api.push_ok("op1", ("note.add", {"id": str(uuid.uuid4()), "ticket_id": "nope", "text": "x"}))[0]["status"] == "rejected"
    notes = [c["note"] for c in api.pull_all("op2")[0] if c["kind"] == "note"]
    assert [(n["text"], n["author"]) for n in notes] == [("first", "op1")]


def test_pull_scoping_masking_and_revocation(api):
    mine = api.create_ticket("op1", **dispatchable())
    theirs = api.create_ticket("op1", **dispatchable())
    undispatched = api.create_ticket("op1")
    api.push_ok("op1", ("note.add", {"id": str(uuid.uuid4()), "ticket_id": mine, "text": "before dispatch"}))
    api.dispatch(mine, UNIT_A)
    api.dispatch(theirs, UNIT_B)
    changes, cursor = api.pull_all("hd1")
    seen = tickets_in(changes)
    assert set(seen) == {mine}
    assert seen[mine]["caller_phone"] == "138****5678"  # handlers get masked numbers
    assert [c["note"]["text"] for c in changes if c["kind"] == "note"] == ["before dispatch"]  # history came along
    assert not any(c.get("ticket_id") in (theirs, undispatched) for c in changes)
    staff = tickets_in(api.pull_all("op2")[0])
    assert {mine, theirs, undispatched} <= set(staff) and staff[mine]["caller_phone"] == "13812345678"
    # The handler returns it; the supervisor re-dispatches to the other unit: hd1 gets a revoke, hd2 the ticket.
    api.push_ok("hd1", ("ticket.transition", {"id": mine, "action": "return", "reason": "wrong unit"}))
    api.push_ok("sup1", ("ticket.transition", {"id": mine, "action": "redispatch", "reason": "to B", "unit_code": UNIT_B}))
    later, _ = api.pull_all("hd1", cursor)
    assert {"kind": "revoke", "ticket_id": mine} in [{k: c[k] for k in ("kind", "ticket_id")} for c in later if c["kind"] == "revoke"]
    assert mine not in tickets_in(later)
    hd2 = tickets_in(api.pull_all("hd2")[0])
    assert set(hd2) == {mine, theirs}
    # The handler may not act on it any more.
    assert api.push_ok("hd1", ("note.add", {"id": str(uuid.uuid4()), "ticket_id": mine, "text": "x"}))[0]["status"] == "rejected"


def test_reveal_full_number_is_scoped_and_audited(api):
    tid = api.create_ticket("op1", **dispatchable())
    api.dispatch(tid, UNIT_A)
    r = api.client.post(f"/api/v1/tickets/{tid}/reveal", headers=api.login("hd2"))
    assert r.status_code == 403
    r = api.client.post(f"/api/v1/tickets/{tid}/reveal", headers=api.login("hd1"))
    assert r.status_code == 200 and r.json()["caller_phone"] == "13812345678"
    assert api.client.post("/api/v1/tickets/nope/reveal", headers=api.login("hd1")).status_code == 404
    entries = api.client.get("/api/v1/audit", params={"action": "reveal"}, headers=api.login("admin")).json()["entries"]
    assert [(e["actor"], e["ticket_id"]) for e in entries] == [("hd1", tid)]
    assert "13812345678" not in str(entries)


def test_pull_pages_never_skip_and_cursor_is_monotonic(api):
    ids = {api.create_ticket("op1") for _ in range(7)}
    seen, cursor, cursors = set(), 0, []
    while True:
        body = api.pull("op2", cursor, limit=3)
        seen |= set(tickets_in(body["changes"]))
        assert body["cursor"] >= cursor
        cursors.append(body["cursor"])
        cursor = body["cursor"]
        if not body["has_more"]:
            break
    assert ids <= seen
    assert api.pull("op2", cursor)["changes"] == []


def test_reset_for_foreign_epoch_future_cursor_and_compacted_range(api):
    for _ in range(3):
        tid = api.create_ticket("op1")
        api.push_ok("op1", ("ticket.update", {"id": tid, "base_version": 1, "caller_name": "x"}))
    body = api.pull("op1")
    top, epoch = body["cursor"], body["epoch"]
    assert api.pull("op1", 0, epoch=epoch).get("reset") is None
    assert api.pull("op1", 0, epoch="another-database")["reset"] is True
    assert api.pull("op1", top + 100)["reset"] is True
    compact_changes(shared_engine(api.db_url), top - 1)
    assert api.pull("op1", 2)["reset"] is True
    # A full pull after a reset still yields every ticket in its latest state.
    full = tickets_in(api.pull_all("op1")[0])
    assert len(full) == 3 and all(t["caller_name"] == "x" for t in full.values())
    assert api.pull("op1", top).get("reset") is None


def test_long_poll_returns_when_a_change_arrives(api):
    cursor = api.pull("op2")["cursor"]
    got: dict = {}
    headers = api.login("op2")
    api.login("op1")

    def poll():
        got["body"] = api.client.get("/api/v1/sync/pull", params={"cursor": cursor, "wait": 20}, headers=headers).json()

    thread = threading.Thread(target=poll)
    thread.start()
    tid = api.create_ticket("op1")
    thread.join(30)
    assert not thread.is_alive()
    assert tid in tickets_in(got["body"]["changes"])


@pytest.mark.parametrize("params", [{"cursor": "abc"}, {"cursor": -1}, {"limit": 0}, {"limit": 100000}, {"wait": "soon"}])
def test_bad_pull_parameters_are_422(shared_api, params):
    api = shared_api
    r = api.client.get("/api/v1/sync/pull", params=params, headers=api.login("op1"))
    assert r.status_code == 422 and r.json()["message"]


def test_retention_compacts_old_rows_and_old_cursors_reset(api):
    tid = api.create_ticket("op1")
    for name in ("a", "b", "c"):
        api.push_ok("op1", ("ticket.update", {"id": tid, "base_version": 1, "caller_name": name}))
    top = api.pull("op1")["cursor"]
    assert compact_older_than(shared_engine(api.db_url), days=30) == 0  # nothing that old
    assert compact_older_than(shared_engine(api.db_url), days=0) > 0
    assert api.pull("op1", 1)["reset"] is True
    changes, cursor = api.pull_all("op1")
    assert tickets_in(changes)[tid]["caller_name"] == "c" and cursor == top
    assert len([c for c in changes if c["kind"] == "event"]) == 4  # history is never compacted away


def test_one_push_creating_editing_noting_dispatching_and_reassigning(api):
    """An outbox drained after an outage holds a ticket's whole story in one push."""
    tid = str(uuid.uuid4())
    results = api.push_ok(
        "sup1",
        ("ticket.create", {"id": tid, "description": "井盖丢失", **dispatchable()}),
        ("ticket.update", {"id": tid, "base_version": 1, "urgency": "urgent"}),
        ("note.add", {"id": str(uuid.uuid4()), "ticket_id": tid, "text": "caller waiting on site"}),
        ("ticket.transition", {"id": tid, "action": "dispatch", "unit_code": UNIT_A}),
        ("ticket.reassign", {"id": tid, "expected_operator": "sup1", "operator": "op2", "reason": "shift end"}),
        ("ticket.create", {"id": tid, "description": "again"}),
    )
    assert [r["status"] for r in results] == ["applied"] * 5 + ["rejected"]
    changes, _ = api.pull_all("op1")
    ticket = tickets_in(changes)[tid]
    assert (ticket["status"], ticket["urgency"], ticket["operator"], ticket["unit_code"], ticket["version"]) == \
        ("dispatched", "urgent", "op2", UNIT_A, 4)
    assert ticket["number"]
    actions = [c["event"]["action"] for c in changes if c["kind"] == "event" and c["event"]["ticket_id"] == tid]
    assert actions == ["created", "updated", "dispatch", "reassign"]
    # The unit's handler gets the ticket with its whole history.
    hd1 = api.pull_all("hd1")[0]
    assert tid in tickets_in(hd1)
    assert [c["note"]["text"] for c in hd1 if c["kind"] == "note"] == ["caller waiting on site"]
    assert {c["event"]["action"] for c in hd1 if c["kind"] == "event"} >= {"created", "updated", "dispatch"}


def test_an_oversized_push_is_413(shared_api):
    api = shared_api
    r = api.client.post("/api/v1/sync/push", content=b" " * (21 * 1024 * 1024),
                        headers={**api.login("op1"), "Content-Type": "application/json"})
    assert r.status_code == 413 and "fewer" in r.json()["message"]
    too_many = {"client_id": "big", "schema_version": 1,
                "mutations": [{"id": i, "name": "ticket.create", "args": {"id": f"b{i}"}} for i in range(1, 1002)]}
    r = api.client.post("/api/v1/sync/push", json=too_many, headers=api.login("op1"))
    assert r.status_code == 413 and "1000" in r.json()["message"]
