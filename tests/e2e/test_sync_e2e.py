"""Consoles syncing with the central service as a real process over HTTP, on SQLite and on PostgreSQL."""

from __future__ import annotations

import time
import uuid

import httpx2
import pytest

from domain.wire import SCHEMA_VERSION
from tests.e2e.conftest import UNIT_X, UNIT_Y
from tests.e2e.harness import FaultProxy, make_console, server_tickets, token_for
from tests.support import wait_until

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def consoles(service, tmp_path):
    """make(name, role, **engine options) -> a signed-in Console; all of them stopped at the end."""
    made = []

    def make(name, role, url=None, **kwargs):
        console = make_console(tmp_path, url or service.url, name, role, **kwargs)
        made.append(console)
        return console

    yield make
    for console in made:
        console.stop()
        console.engine.close()


def _create(console, author=None, **values):
    values.setdefault("description", f"e2e {uuid.uuid4().hex[:8]} 小区楼下广场舞噪音扰民")
    return console.cache.create_ticket(values, author or console.name)


def _local(console, ticket_id):
    return console.cache.get_ticket(ticket_id)


def test_created_offline_then_online_converges_with_server_numbers(service, consoles):
    proxy = FaultProxy(service.port)
    try:
        op1 = consoles("op1", "operator", url=proxy.url)
        op2 = consoles("op2", "operator", url=proxy.url)
        proxy.offline = True
        made1 = [_create(op1)["id"] for _ in range(5)]
        made2 = [_create(op2, caller_phone="13812345678")["id"] for _ in range(3)]
        state = op1.engine.sync_once()
        assert not state.online and state.pending == 5 and "cannot be reached" in state.last_error
        assert all(_local(op1, t)["number"] in (None, "") for t in made1)

        proxy.offline = False
        op1.sync()
        op2.sync()
        op1.sync()  # op2's tickets arrive at op1 too
        assert op1.engine.state.pending == 0 and op2.engine.state.pending == 0
        for ticket_id in made1 + made2:
            mine, theirs = _local(op1, ticket_id), _local(op2, ticket_id)
            assert mine is not None and theirs is not None
            assert mine["number"] and mine["number"] == theirs["number"]
            assert mine["description"] == theirs["description"] and mine["status"] == theirs["status"]
        numbers = [_local(op1, t)["number"] for t in made1 + made2]
        assert len(set(numbers)) == len(numbers)
    finally:
        proxy.close()


def test_supervisor_reassignment_reaches_the_operators_cache_through_a_poke(service, consoles):
    op1 = consoles("op1", "operator")
    # The periodic pull is pushed out of reach: only the service's poke can bring the change in time.
    op2 = consoles("op2", "operator", periodic_pull_s=600.0)
    sup = consoles("sup1", "supervisor")
    ticket = _create(op1)
    op1.sync()
    op2.start()
    wait_until(lambda: _local(op2, ticket["id"]) is not None, timeout=15, message="op2 never saw op1's ticket")
    sup.sync()
    current = _local(sup, ticket["id"])
    sup.cache.reassign(ticket["id"], current["operator"], "op2", "shift_change", "sup1")
    started = time.monotonic()
    sup.sync()
    wait_until(lambda: (_local(op2, ticket["id"]) or {}).get("operator") == "op2", timeout=15,
               message="the reassignment never reached op2's cache")
    elapsed = time.monotonic() - started
    print(f"reassignment reached the operator's cache in {elapsed * 1000:.0f} ms")
    assert any(ticket["id"] in (summary.get("tickets") or []) for summary in op2.changes)


def test_push_replayed_after_lost_response_creates_nothing_twice(service, consoles):
    proxy = FaultProxy(service.port)
    try:
        op1 = consoles("op1", "operator", url=proxy.url)
        made = [_create(op1)["id"] for _ in range(6)]
        op1.cache.add_note(made[0], "caller called again", "op1")
        proxy.drop_next_push_response()
        state = op1.engine.sync_once()
        assert proxy.dropped.is_set(), "the proxy should have cut the first push's answer"
        assert state.last_error and state.pending == 7  # not confirmed: still queued
        op1.sync()
        assert op1.engine.state.pending == 0 and op1.cache.rejections() == []
    finally:
        proxy.close()
    on_server = {t["id"]: t for t in server_tickets(service.url, token_for(service.url, "sup1")) if t["id"] in made}
    assert set(on_server) == set(made)
    assert len({t["number"] for t in on_server.values()}) == 6
    assert [n["text"] for n in op1.cache.notes(made[0])] == ["caller called again"]


def test_the_same_batch_sent_twice_is_answered_duplicate(service):
    token = token_for(service.url, "op1")
    client_id = str(uuid.uuid4())
    ticket_id = str(uuid.uuid4())
    batch = {
        "client_id": client_id,
        "schema_version": SCHEMA_VERSION,
        "mutations": [
            {"id": 1, "name": "ticket.create", "args": {"id": ticket_id, "description": "streetlight out"}},
            {"id": 2, "name": "note.add", "args": {"id": str(uuid.uuid4()), "ticket_id": ticket_id, "text": "again"}},
        ],
    }
    headers = {"Authorization": f"Bearer {token}"}
    with httpx2.Client(trust_env=False, timeout=30) as client:
        first = client.post(service.url + "/api/v1/sync/push", json=batch, headers=headers)
        second = client.post(service.url + "/api/v1/sync/push", json=batch, headers=headers)
    assert first.status_code == 200 and second.status_code == 200
    assert [r["status"] for r in first.json()["results"]] == ["applied", "applied"]
    assert [r["status"] for r in second.json()["results"]] == ["duplicate", "duplicate"]
    assert second.json()["last_mutation_id"] == 2
    assert [t["id"] for t in server_tickets(service.url, token)].count(ticket_id) == 1


def test_a_gap_is_answered_with_the_last_id_and_the_engine_resends(service, consoles):
    token = token_for(service.url, "op1")
    op1 = consoles("op1", "operator")
    _create(op1)
    first = op1.cache.pending_mutations(limit=1)[0]
    # The service hears of mutation 2 before 1: it must answer with the last id it has (none).
    with httpx2.Client(trust_env=False, timeout=30) as client:
        response = client.post(
            service.url + "/api/v1/sync/push",
            json={"client_id": op1.cache.client_id, "schema_version": SCHEMA_VERSION,
                  "mutations": [{"id": first.id + 1, "name": "ticket.create",
                                 "args": {"id": str(uuid.uuid4()), "description": "out of order"}}]},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 409
    assert response.json()["error"] == "gap" and response.json()["last_mutation_id"] == first.id - 1
    op1.sync()
    assert op1.engine.state.pending == 0


def test_rejected_mutation_is_kept_with_its_reason_and_later_ones_go_through(service, consoles):
    op1 = consoles("op1", "operator")
    sup1 = consoles("sup1", "supervisor")
    sup2 = consoles("sup2", "supervisor")
    ticket = _create(op1)
    op1.sync()
    sup1.sync()
    sup2.sync()
    # Both supervisors move the same ticket; the service decides: the second compare-and-set fails.
    sup1.cache.reassign(ticket["id"], "op1", "op2", "shift_change", "sup1")
    sup1.sync()
    sup2.cache.reassign(ticket["id"], "op1", "sup2", "workload", "sup2")
    later = _create(sup2, caller_phone="13900001111")
    state = sup2.engine.sync_once()
    assert state.last_error is None and state.pending == 0
    assert state.rejected == 1
    rejections = sup2.cache.rejections()
    assert len(rejections) == 1 and (rejections[0].get("error") or rejections[0].get("reason"))
    assert _local(sup2, later["id"])["number"]
    assert _local(sup2, ticket["id"])["operator"] == "op2"  # the server's answer wins in the cache too
    op1.sync()
    assert _local(op1, ticket["id"])["operator"] == "op2"


def _dispatchable(console, unit):
    return console.cache.create_ticket(
        {
            "description": "路灯不亮 streetlight broken at the corner",
            "caller_phone": "13800002222",
            "category_code": _some_category(),
            "incident_address": "东城区东华门街道 1号",
            "sub_district_code": "110101001",
            "request_type": "report",
        },
        console.name,
    )


def _some_category() -> str:
    from domain.taxonomy import load_taxonomy

    return load_taxonomy().leaves()[0].code


def test_revoked_ticket_leaves_the_old_units_cache_only(service, consoles):
    op1 = consoles("op1", "operator")
    sup = consoles("sup1", "supervisor")
    hdx = consoles("hdx", "handler")
    hdy = consoles("hdy", "handler")
    ticket = _dispatchable(op1, UNIT_X)
    op1.cache.transition(ticket["id"], "dispatch", "op1", "operator", unit_code=UNIT_X)
    op1.sync()
    assert _local(op1, ticket["id"])["status"] == "dispatched", op1.cache.rejections()
    assert _local(op1, ticket["id"])["unit_code"] == UNIT_X
    hdx.sync()
    hdy.sync()
    assert _local(hdx, ticket["id"]) is not None and _local(hdy, ticket["id"]) is None

    hdx.cache.transition(ticket["id"], "return", "hdx", "handler", reason="not our street")
    hdx.sync()
    sup.sync()
    sup.cache.transition(ticket["id"], "redispatch", "sup1", "supervisor", reason="right unit", unit_code=UNIT_Y)
    sup.sync()
    assert sup.cache.rejections() == [] and hdx.cache.rejections() == []

    hdx.sync()
    hdy.sync()
    op1.sync()
    assert _local(hdx, ticket["id"]) is None, "the old unit's handler still has the ticket"
    assert any(ticket["id"] in (s.get("revoked") or []) for s in hdx.changes)
    assert _local(hdy, ticket["id"])["unit_code"] == UNIT_Y
    kept = _local(op1, ticket["id"])
    assert kept is not None and kept["unit_code"] == UNIT_Y and kept["status"] == "dispatched"


def test_concurrent_edits_last_writer_wins_and_the_overwritten_value_stays_in_history(service, consoles):
    op1 = consoles("op1", "operator")
    op2 = consoles("op2", "operator")
    ticket = _create(op1, caller_name="王先生")
    op1.sync()
    op2.sync()
    # Both edit the same field while neither has seen the other's change.
    op1.cache.update_ticket(ticket["id"], {"description": "first version: noise after 22:00"}, "op1")
    op2.cache.update_ticket(ticket["id"], {"description": "second version: noise after 23:00"}, "op2")
    op1.sync()
    op2.sync()
    op1.sync()
    for console in (op1, op2):
        assert _local(console, ticket["id"])["description"] == "second version: noise after 23:00"
        assert _local(console, ticket["id"])["caller_name"] == "王先生"
    # Nothing lost silently: op1 can still see what it wrote and who replaced it.
    history = repr(op1.cache.history(ticket["id"]))
    assert "first version: noise after 22:00" in history and "second version: noise after 23:00" in history


def test_caller_numbers_stay_out_of_urls_and_the_services_log(service, consoles, caplog):
    caplog.set_level("DEBUG")
    phone = "13987654321"
    op1 = consoles("op1", "operator")
    sup = consoles("sup1", "supervisor")
    ticket = _create(op1, caller_phone=phone)
    op1.cache.update_ticket(ticket["id"], {"caller_phone": "13987654322"}, "op1")
    op1.sync()
    sup.sync()
    assert _local(sup, ticket["id"])["caller_phone"] == "13987654322"
    server_log = service.log_path.read_text(errors="replace")
    assert "/api/v1/sync/push" in server_log  # the log is there and records requests ...
    assert phone not in server_log and "13987654322" not in server_log  # ... but never a caller's number
    assert phone not in caplog.text and "13987654322" not in caplog.text


def test_sign_in_against_the_service(service):
    from storage.http_client import LoginError, login
    from tests.e2e.harness import PASSWORD, free_port

    session = login(service.url, "hdx", PASSWORD)
    assert (session.role, session.username, session.unit_code) == ("handler", "hdx", UNIT_X)
    assert session.token and session.expires_at is not None and not session.expired
    with pytest.raises(LoginError) as wrong:
        login(service.url, "op2", "not the password")
    assert wrong.value.message == "wrong user name or password"
    with pytest.raises(LoginError) as down:
        login(f"http://127.0.0.1:{free_port()}", "op1", PASSWORD)
    assert down.value.message == "the central service cannot be reached: working offline" and down.value.offline
