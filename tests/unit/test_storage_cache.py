"""Local changes: each writes ticket, outbox intent and history together, or nothing at all."""

from __future__ import annotations

import pytest

from domain import wire
from storage.cache import LocalCache
from storage.errors import TicketNotFound, ValidationError


@pytest.fixture
def cache(tmp_path):
    with LocalCache(tmp_path / "cache.db") as cache:
        yield cache


def _snapshot(cache: LocalCache) -> dict:
    """Everything stored, to prove a refused change left it as it was."""
    with cache._read() as conn:
        return {
            table: [tuple(r) for r in conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1")]
            for table in ("tickets", "ticket_terms", "notes", "events", "outbox", "drafts", "rejections")
        }


def test_create_writes_ticket_outbox_and_history(cache):
    ticket = cache.create_ticket(
        {"description": "小区楼下广场舞噪音扰民", "caller_phone": "138 1234 5678", "category_code": "X1"}, "op1"
    )
    assert ticket["status"] == "registered" and ticket["version"] == 0 and ticket["number"] is None
    assert ticket["caller_phone"] == "13812345678"
    assert ticket["local_ref"] == ticket["id"].replace("-", "")[:8]
    assert ticket["pending"] is True and ticket["operator"] == "op1"
    [mutation] = cache.pending_mutations()
    assert mutation.id == 1 and mutation.name == wire.MutationName.TICKET_CREATE
    assert mutation.args == {"id": ticket["id"], "description": "小区楼下广场舞噪音扰民",
                             "caller_phone": "13812345678", "category_code": "X1"}
    wire.parse_mutation(mutation.to_json())  # the server will accept its shape
    [event] = cache.history(ticket["id"])
    assert event["action"] == "created" and event["actor"] == "op1" and event["detail"]["mutation"] == 1
    assert cache.get_ticket(ticket["id"]) == ticket


def test_refused_create_stores_nothing(cache):
    cache.create_ticket({"description": "first"}, "op1")
    before = _snapshot(cache)
    for bad in ({"description": ""}, {"caller_phone": "12"}, {"description": "x", "urgency": "whenever"},
                {"description": "x", "favourite_colour": "blue"}, {"description": "x", "suggestion_rank": "first"}):
        with pytest.raises(ValidationError) as caught:
            cache.create_ticket(bad, "op1")
        assert caught.value.problems
    assert _snapshot(cache) == before


def test_update_queues_changed_fields_with_base_version(cache):
    ticket = cache.create_ticket({"description": "water leak", "caller_name": "Li"}, "op1")
    updated = cache.update_ticket(ticket["id"], {"description": "water leak on 3rd floor", "caller_name": "Li"}, "op1")
    assert updated["description"] == "water leak on 3rd floor"
    mutation = cache.pending_mutations()[-1]
    assert mutation.id == 2
    assert mutation.args == {"id": ticket["id"], "base_version": 0, "description": "water leak on 3rd floor"}
    event = cache.history(ticket["id"])[-1]
    assert event["detail"]["changes"] == {"description": ["water leak", "water leak on 3rd floor"]}
    # Nothing changed: nothing queued.
    cache.update_ticket(ticket["id"], {"description": "water leak on 3rd floor"}, "op1")
    assert cache.pending_count() == 2


def test_refused_update_leaves_data_as_it_was(cache):
    ticket = cache.create_ticket({"description": "broken street light"}, "op1")
    before = _snapshot(cache)
    with pytest.raises(ValidationError):
        cache.update_ticket(ticket["id"], {"description": ""}, "op1")  # nothing left to identify the request
    with pytest.raises(ValidationError):
        cache.update_ticket(ticket["id"], {"status": "closed"}, "op1")  # the server decides status
    with pytest.raises(ValidationError):
        cache.update_ticket(ticket["id"], {"caller_phone": "not a phone"}, "op1")
    with pytest.raises(TicketNotFound):
        cache.update_ticket("no-such-ticket", {"description": "x"}, "op1")
    assert _snapshot(cache) == before


def test_note_transition_reassign_are_atomic_with_their_intents(cache):
    ticket = cache.create_ticket(
        {"description": "garbage not collected", "category_code": "ENV-1", "sub_district_code": "110105001"}, "op1"
    )
    note = cache.add_note(ticket["id"], "Caller says it has been a week", "op1")
    assert cache.notes(ticket["id"])[0]["text"] == "Caller says it has been a week"
    dispatched = cache.transition(ticket["id"], "dispatch", "op1", "operator", unit_code="U-CHAOYANG")
    assert dispatched["status"] == "dispatched" and dispatched["unit_code"] == "U-CHAOYANG"
    assert dispatched["dispatched_at"]
    moved = cache.reassign(ticket["id"], "op1", "op2", "shift change", "sup1")
    assert moved["operator"] == "op2"
    names = [(m.id, m.name) for m in cache.pending_mutations()]
    assert names == [(1, "ticket.create"), (2, "note.add"), (3, "ticket.transition"), (4, "ticket.reassign")]
    mutations = cache.pending_mutations()
    assert mutations[1].args == {"id": note["id"], "ticket_id": ticket["id"], "text": "Caller says it has been a week"}
    assert mutations[2].args == {"id": ticket["id"], "action": "dispatch", "unit_code": "U-CHAOYANG"}
    assert mutations[3].args == {"id": ticket["id"], "expected_operator": "op1", "operator": "op2", "reason": "shift change"}
    for mutation in mutations:
        wire.parse_mutation(mutation.to_json())
    actions = [e["action"] for e in cache.history(ticket["id"])]
    assert actions == ["created", "note", "transition:dispatch", "reassigned"]
    assert cache.history(ticket["id"])[-1]["detail"]["reason"] == "shift change"


def test_refused_transition_or_note_stores_nothing(cache):
    ticket = cache.create_ticket({"description": "pothole"}, "op1")
    before = _snapshot(cache)
    with pytest.raises(ValidationError):  # dispatch needs a category and a place
        cache.transition(ticket["id"], "dispatch", "op1", "operator")
    with pytest.raises(ValidationError):  # an operator cannot accept
        cache.transition(ticket["id"], "accept", "op1", "operator")
    with pytest.raises(ValidationError):
        cache.transition(ticket["id"], "no_such_action", "op1", "operator")
    with pytest.raises(ValidationError):
        cache.add_note(ticket["id"], "   ", "op1")
    with pytest.raises(ValidationError):
        cache.reassign(ticket["id"], "op1", "op2", "", "sup1")
    assert _snapshot(cache) == before


def test_mutation_ids_are_consecutive_from_one_and_survive_reopening(tmp_path):
    path = tmp_path / "cache.db"
    with LocalCache(path) as cache:
        first = cache.create_ticket({"description": "a"}, "op1")
        cache.update_ticket(first["id"], {"description": "b"}, "op1")
        cache.add_note(first["id"], "n", "op1")
        client_id = cache.client_id
    with LocalCache(path) as cache:
        assert cache.client_id == client_id
        cache.record_push_results([{"id": 1, "status": "applied"}, {"id": 2, "status": "applied"}, {"id": 3, "status": "duplicate"}])
        assert cache.pending_count() == 0
        cache.create_ticket({"description": "c"}, "op1")
        assert [m.id for m in cache.pending_mutations()] == [4]


def test_rejections_are_kept_with_reason_for_author_and_supervisor(cache):
    ticket = cache.create_ticket({"description": "a"}, "op1")
    cache.reassign(ticket["id"], "op1", "op2", "busy", "sup1")
    cache.record_push_results([
        {"id": 1, "status": "applied"},
        {"id": 2, "status": "rejected", "error": "The ticket is no longer assigned to op1."},
    ])
    assert cache.pending_count() == 0
    [rejection] = cache.rejections()
    assert rejection["mutation_id"] == 2 and rejection["name"] == "ticket.reassign"
    assert rejection["reason"] == "The ticket is no longer assigned to op1." and rejection["author"] == "sup1"
    assert rejection["ticket_id"] == ticket["id"]
    assert cache.rejections(author="sup1") == [rejection] and cache.rejections(author="op1") == []
    assert cache.history(ticket["id"])[-1]["action"] == "rejected"
    # A repeated answer changes nothing.
    cache.record_push_results([{"id": 2, "status": "rejected", "error": "again"}])
    assert len(cache.rejections()) == 1


def test_skip_to_aligns_with_the_servers_last_id(cache):
    for text in "abcd":
        cache.create_ticket({"description": text}, "op1")
    cache.record_push_results([{"id": 1, "status": "applied"}, {"id": 2, "status": "applied"}])
    # The server says it has seen up to 3 (the answer to 3 was lost): 3 is done, 4 still pending.
    cache.skip_to(3)
    assert [m.id for m in cache.pending_mutations()] == [4]
    # The server lost 2..4 (restored from a backup): they are sent again.
    cache.skip_to(1)
    assert [m.id for m in cache.pending_mutations()] == [2, 3, 4]
    # The server has seen more than we ever sent: new ids continue after its last.
    cache.skip_to(10)
    assert cache.pending_mutations() == []
    cache.create_ticket({"description": "e"}, "op1")
    assert [m.id for m in cache.pending_mutations()] == [11]


def test_list_count_phone_and_duplicates(cache):
    a = cache.create_ticket({"description": "noise", "caller_phone": "13812345678", "category_code": "N1",
                             "sub_district_code": "S1", "incident_address": "望京街道阜通东大街6号"}, "op1")
    b = cache.create_ticket({"description": "noise again", "caller_phone": "13812345678", "category_code": "N1",
                             "sub_district_code": "S1", "incident_address": "望京街道阜通东大街8号"}, "op2")
    c = cache.create_ticket({"description": "other", "category_code": "N2", "sub_district_code": "S1"}, "op1")
    assert cache.count_tickets() == 3
    assert [t["id"] for t in cache.list_tickets()] == [c["id"], b["id"], a["id"]]
    assert [t["id"] for t in cache.list_tickets(operator="op1")] == [c["id"], a["id"]]
    assert [t["id"] for t in cache.list_tickets(status=["registered"], limit=1, offset=1)] == [b["id"]]
    assert [t["id"] for t in cache.tickets_by_phone("138-1234-5678")] == [b["id"], a["id"]]
    duplicates = cache.likely_duplicates("N1", "S1", "阜通东大街6号", exclude_id=a["id"])
    assert [t["id"] for t in duplicates] == [b["id"]] and 0 < duplicates[0]["similarity"] < 1


def test_drafts_round_trip_and_are_discarded_with_the_save(tmp_path):
    path = tmp_path / "cache.db"
    with LocalCache(path) as cache:
        cache.save_draft("d1", {"description": "小区", "caller_phone": "138"})
        cache.save_draft("d1", {"description": "小区楼下广场舞", "caller_phone": "13812345678"})
        cache.save_draft("d2", {"description": "another call"})
    with LocalCache(path) as cache:  # as after a crash: the drafts are still there
        drafts = {d["id"]: d["fields"] for d in cache.load_drafts()}
        assert drafts == {"d1": {"description": "小区楼下广场舞", "caller_phone": "13812345678"},
                          "d2": {"description": "another call"}}
        cache.create_ticket(drafts["d1"], "op1", draft_id="d1")
        cache.discard_draft("d2")
        assert cache.load_drafts() == []


def test_meta_round_trip(cache):
    assert cache.get_meta("last_user") is None
    cache.set_meta("last_user", "op1")
    assert cache.get_meta("last_user") == "op1"
    cache.set_meta("last_user", None)
    assert cache.get_meta("last_user") is None
    assert cache.cursor == 0


def test_concurrent_writers_queue_instead_of_failing(tmp_path):
    """The console's UI thread and its sync thread write at the same time: ids stay consecutive, nothing lost."""
    import threading

    with LocalCache(tmp_path / "cache.db") as cache, LocalCache(tmp_path / "cache.db") as other_process:
        made: list[str] = []
        errors: list[BaseException] = []

        def save(target: LocalCache, label: str) -> None:
            try:
                for i in range(40):
                    made.append(target.create_ticket({"description": f"{label} {i}"}, label)["id"])
            except BaseException as error:  # reported below, not lost in the thread
                errors.append(error)

        threads = [threading.Thread(target=save, args=(cache, "ui")), threading.Thread(target=save, args=(cache, "sync")),
                   threading.Thread(target=save, args=(other_process, "other"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert [m.id for m in cache.pending_mutations()] == list(range(1, 121))
        assert {m.args["id"] for m in cache.pending_mutations()} == set(made)


def test_saving_a_ticket_removes_the_draft_named_by_its_id(cache):
    cache.save_draft("t-1", {"id": "t-1", "description": "typing"})
    cache.save_draft("t-2", {"id": "t-2", "description": "another"})
    cache.create_ticket({"id": "t-1", "description": "typing done"}, "op1")
    assert [d["id"] for d in cache.load_drafts()] == ["t-2"]
    # Even a draft written again after the save (a late debounced write) is not offered back.
    cache.save_draft("t-1", {"id": "t-1", "description": "typing done"})
    assert [d["id"] for d in cache.load_drafts()] == ["t-2"]


def test_save_and_dispatch_commit_together(tmp_path):
    """A dispatched call is one transaction: created and dispatched, or nothing at all."""
    from storage.cache import LocalCache
    from storage.errors import ValidationError

    cache = LocalCache(tmp_path / "atomic.db")
    ticket = cache.create_ticket(
        {"description": "小区门口路灯不亮", "category_code": "X.1", "incident_address": "望京街道"},
        "op1", action="dispatch", role="operator", unit_code="U1",
    )
    assert ticket["status"] == "dispatched" and ticket["unit_code"] == "U1"
    assert [m.name for m in cache.pending_mutations()] == ["ticket.create", "ticket.transition"]

    # Dispatch refused (no category): the ticket is not stored either, and the outbox is unchanged.
    with pytest.raises(ValidationError) as refused:
        cache.create_ticket({"description": "没有分类"}, "op1", action="dispatch", role="operator")
    assert "category_code" in refused.value.problems
    assert cache.count_tickets() == 1
    assert cache.pending_count() == 2


def test_each_authors_pending_changes_are_read_apart(cache):
    """A shift change: the engine sends only the signed-in person's changes, in id order."""
    a1 = cache.create_ticket({"description": "路灯不亮"}, "op1")
    b = cache.create_ticket({"description": "井盖丢失"}, "op2")
    cache.add_note(a1["id"], "called back", "op1")
    assert [m.id for m in cache.pending_mutations(author="op1")] == [1, 3]
    assert [m.id for m in cache.pending_mutations(author="op2")] == [2]
    assert cache.pending_count("op1") == 2 and cache.pending_count() == 3
    assert cache.pending_authors() == {"op1": 2, "op2": 1}
    cache.record_push_results([{"id": 2, "status": "applied"}])
    assert cache.pending_authors() == {"op1": 2} and b["id"]


def test_a_new_cache_never_pushes_under_the_id_it_made_itself(tmp_path):
    with LocalCache(tmp_path / "cache.db") as cache:
        assert cache.get_meta("legacy_client_id_retired") == "1"


def test_the_change_summary_is_the_typed_one_and_says_when_it_is_a_reload(cache):
    ticket = {"id": "t1", "number": "20261127-000001", "description": "x", "status": "registered", "version": 1}
    summary = cache.apply_changes([{"seq": 1, "kind": "ticket", "ticket": ticket}], 1)
    assert set(summary) == set(wire.ChangeSummary.__annotations__) and summary["reset"] is False
    assert summary["tickets"] == ["t1"]
    assert cache.apply_changes([], 0, reset=True) == wire.empty_summary(reset=True)
