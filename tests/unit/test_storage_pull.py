"""Applying pulled changes: server state lands, revocations remove, unsent local edits stay on top."""

from __future__ import annotations

import pytest

from domain.ticket import Ticket
from storage.cache import LocalCache


@pytest.fixture
def cache(tmp_path):
    with LocalCache(tmp_path / "cache.db") as cache:
        yield cache


def server_ticket(ticket_id: str, version: int, **fields) -> dict:
    values = {"status": "registered", "operator": "op1", "number": f"20261127-{version:06d}",
              "created_at": "2026-11-27T08:00:00+00:00", "updated_at": "2026-11-27T08:00:00+00:00", **fields}
    return Ticket(id=ticket_id, version=version, **values).to_dict()


def ticket_change(seq: int, ticket: dict) -> dict:
    return {"seq": seq, "kind": "ticket", "ticket": ticket}


def test_pulled_tickets_notes_and_events_land_with_the_cursor(cache):
    ticket = server_ticket("t-1", 1, description="路灯不亮", caller_phone="13912345678")
    summary = cache.apply_changes([
        ticket_change(1, ticket),
        {"seq": 2, "kind": "note", "note": {"id": "n-1", "ticket_id": "t-1", "author": "hd1", "text": "on our way",
                                            "created_at": "2026-11-27T09:00:00+00:00"}},
        {"seq": 3, "kind": "event", "event": {"id": "e-1", "ticket_id": "t-1", "actor": "hd1", "action": "accept",
                                              "detail": {"reason": ""}, "created_at": "2026-11-27T09:00:00+00:00"}},
        {"seq": 4, "kind": "note", "note": {"id": "n-2", "ticket_id": "not-here", "author": "x", "text": "y"}},
    ], cursor=4)
    assert summary["tickets"] == ["t-1"] and summary["notes"] == ["t-1"] and summary["revoked"] == []
    assert cache.cursor == 4
    stored = cache.get_ticket("t-1")
    assert stored["number"] == "20261127-000001" and stored["description"] == "路灯不亮" and not stored["pending"]
    assert [n["text"] for n in cache.notes("t-1")] == ["on our way"]
    assert cache.history("t-1")[0]["action"] == "accept" and cache.history("t-1")[0]["origin"] == "server"
    assert [t["id"] for t in cache.search("20261127-000001")] == ["t-1"]
    assert [t["id"] for t in cache.search("路灯")] == ["t-1"]
    # Applying the same records again changes nothing (a repeated pull).
    again = cache.apply_changes([ticket_change(1, ticket)], cursor=4)
    assert again["tickets"] == []
    assert len(cache.history("t-1")) == 1


def test_server_number_replaces_local_reference_in_search(cache):
    local = cache.create_ticket({"description": "噪音扰民", "caller_phone": "13812340000"}, "op1")
    cache.record_push_results([{"id": 1, "status": "applied"}])
    cache.apply_changes([ticket_change(1, server_ticket(local["id"], 1, description="噪音扰民", caller_phone="13812340000"))], 1)
    stored = cache.get_ticket(local["id"])
    assert stored["number"] == "20261127-000001" and stored["local_ref"] == local["local_ref"]
    assert [t["id"] for t in cache.search("000001")] == [local["id"]]
    assert cache.history(local["id"])[-1]["action"] == "created"  # our own value came back: nothing overwritten


def test_pending_local_edits_are_replayed_on_top(cache):
    cache.apply_changes([ticket_change(1, server_ticket("t-1", 3, description="old text", caller_name="王"))], 1)
    cache.update_ticket("t-1", {"description": "new text typed offline"}, "op1")
    # Another change by someone else arrives before our update was pushed.
    summary = cache.apply_changes([ticket_change(2, server_ticket("t-1", 4, description="server text", caller_name="王五"))], 2)
    assert summary["tickets"] == ["t-1"]
    stored = cache.get_ticket("t-1")
    assert stored["description"] == "new text typed offline"  # ours, still to be sent
    assert stored["caller_name"] == "王五"  # theirs, on a field we did not touch
    assert stored["version"] == 4 and stored["pending"]
    assert [t["id"] for t in cache.search("offline")] == ["t-1"]
    assert cache.search("server") == []


def test_pending_transition_and_reassign_are_replayed(cache):
    cache.apply_changes([ticket_change(1, server_ticket("t-1", 1, description="d", category_code="C", sub_district_code="S"))], 1)
    cache.transition("t-1", "dispatch", "op1", "operator", unit_code="U1")
    cache.apply_changes([ticket_change(2, server_ticket("t-1", 2, description="d2", category_code="C", sub_district_code="S"))], 2)
    stored = cache.get_ticket("t-1")
    assert stored["status"] == "dispatched" and stored["unit_code"] == "U1" and stored["description"] == "d2"


def test_overwritten_local_value_is_kept_in_history(cache):
    cache.apply_changes([ticket_change(1, server_ticket("t-1", 1, description="first"))], 1)
    cache.update_ticket("t-1", {"description": "mine"}, "op1")
    cache.record_push_results([{"id": 1, "status": "applied"}])
    # The server applied ours (version 2), then someone else wrote later (version 3).
    summary = cache.apply_changes([ticket_change(2, server_ticket("t-1", 3, description="theirs"))], 2)
    assert summary["overwritten"] == ["t-1"]
    assert cache.get_ticket("t-1")["description"] == "theirs"
    event = cache.history("t-1")[-1]
    assert event["action"] == "overwritten"
    assert event["detail"] == {"field": "description", "yours": "mine", "server": "theirs", "version": 3}


def test_our_value_confirmed_by_the_server_is_not_reported_as_overwritten(cache):
    cache.apply_changes([ticket_change(1, server_ticket("t-1", 1, description="first"))], 1)
    cache.update_ticket("t-1", {"description": "mine"}, "op1")
    cache.record_push_results([{"id": 1, "status": "applied"}])
    # An older snapshot (before our update) first, then the one with ours.
    cache.apply_changes([ticket_change(2, server_ticket("t-1", 1, description="first"))], 2)
    cache.apply_changes([ticket_change(3, server_ticket("t-1", 2, description="mine"))], 3)
    assert [e["action"] for e in cache.history("t-1")] == ["updated"]


def test_revoke_removes_the_ticket_and_its_notes_and_search_entry(cache):
    cache.apply_changes([ticket_change(1, server_ticket("t-1", 1, description="井盖丢失")),
                         {"seq": 2, "kind": "note", "note": {"id": "n1", "ticket_id": "t-1", "author": "a", "text": "b"}}], 2)
    summary = cache.apply_changes([{"seq": 3, "kind": "revoke", "ticket_id": "t-1"}], 3)
    assert summary["revoked"] == ["t-1"]
    assert cache.get_ticket("t-1") is None and cache.notes("t-1") == [] and cache.search("井盖") == []
    assert cache.count_tickets() == 0


def test_revoke_keeps_a_ticket_with_pending_changes_and_says_so(cache):
    cache.apply_changes([ticket_change(1, server_ticket("t-1", 1, description="井盖丢失"))], 1)
    cache.add_note("t-1", "caller rang again", "op1")
    summary = cache.apply_changes([{"seq": 2, "kind": "revoke", "ticket_id": "t-1"}], 2)
    assert summary["revoked"] == [] and summary["revoked_kept"] == ["t-1"]
    kept = cache.get_ticket("t-1")
    assert kept["revoked"] and kept["pending"]
    assert cache.pending_count() == 1
    # Once the server has answered the last unsent change, the ticket leaves this cache.
    outcome = cache.record_push_results([{"id": 1, "status": "applied"}])
    assert outcome["removed"] == ["t-1"]
    assert cache.get_ticket("t-1") is None


def test_reset_for_full_pull_keeps_only_tickets_with_unsent_changes(cache):
    cache.apply_changes([ticket_change(1, server_ticket("t-1", 1, description="a")),
                         ticket_change(2, server_ticket("t-2", 1, description="b"))], 2)
    mine = cache.create_ticket({"description": "typed offline 离线"}, "op1")
    cache.reset_for_full_pull()
    assert cache.cursor == 0
    assert [t["id"] for t in cache.list_tickets()] == [mine["id"]]
    assert [t["id"] for t in cache.search("离线")] == [mine["id"]]
    assert cache.search("a") == [] and cache.pending_count() == 1
    with cache._write() as conn:  # the search index matches what is left, and still follows later changes
        conn.exec_driver_sql("INSERT INTO ticket_terms_fts (ticket_terms_fts) VALUES ('integrity-check')")
    cache.apply_changes([ticket_change(3, server_ticket("t-1", 2, description="again 回来了")),
                         {"seq": 4, "kind": "note", "note": {"id": "n9", "ticket_id": "t-1", "author": "a", "text": "b"}}], 4)
    cache.apply_changes([{"seq": 5, "kind": "revoke", "ticket_id": "t-1"}], 5)
    assert cache.search("回来") == [] and cache.notes("t-1") == []
    with cache._read() as conn:  # foreign keys are on again for the connection the reset used
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM notes WHERE id = 'n9'").scalar() == 0
    with cache._write() as conn:
        conn.exec_driver_sql("INSERT INTO ticket_terms_fts (ticket_terms_fts) VALUES ('integrity-check')")


def test_import_tickets_bulk_loads_and_replaces_snapshots(cache):
    rows = [server_ticket(f"t-{i}", 1, description=f"第{i}号 路面塌陷", caller_phone=f"1381234{i:04d}") for i in range(50)]
    assert cache.import_tickets(rows, batch=16) == 50
    assert cache.count_tickets() == 50
    assert [t["id"] for t in cache.search("0042")] == ["t-42"]
    cache.import_tickets([server_ticket("t-42", 2, description="已修复", caller_phone="13812340042")])
    assert cache.count_tickets() == 50
    assert cache.search("塌陷", limit=100).__len__() == 49
    assert [t["id"] for t in cache.search("修复")] == ["t-42"]
