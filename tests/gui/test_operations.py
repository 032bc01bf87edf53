"""The console's one write path: each change pokes sync once and reaches every open view through one broadcast."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from console.operations import Operations
from console.queue import ALL, QueueView
from console.queue_supervisor import SupervisorView
from storage.errors import ValidationError
from tests.gui.test_queue_helpers import cache, pull, server_ticket  # noqa: F401  (fixture)

READY = {"caller_phone": "13912345678", "description": "路灯不亮", "category_code": "C01",
         "sub_district_code": "110105001", "incident_address": "望京街道阜通东大街6号"}


class Pokes:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        self.count += 1


def _show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)


def _row(view: QueueView, ticket_id: str) -> dict | None:
    row = view.model.row_of(ticket_id)
    return view.model.ticket_at(row) if row is not None else None


def test_a_reassignment_in_the_shift_view_reaches_the_open_queue_and_its_detail(qtbot, cache):
    tickets = [server_ticket(1, operator="op1", description="井盖丢失"), server_ticket(2, operator="op2")]
    pull(cache, tickets)
    pokes = Pokes()
    operations = Operations(cache, poke=pokes, author="sup1", role="supervisor")
    queue = QueueView(cache, username="sup1", role="supervisor", operations=operations)
    queue.set_scope(ALL)
    shift = SupervisorView(cache, username="sup1", operations=operations)
    _show(qtbot, queue)
    _show(qtbot, shift)
    first = tickets[0]["id"]
    assert queue.open_ticket(first)
    assert shift.load_model.load_of("op1") == 1

    with qtbot.waitSignal(operations.changed) as broadcast:
        assert shift.reassign([first], "op3", "op1 on break") == []
    assert broadcast.args == [[first]]
    assert pokes.count == 1
    # The other open view shows it without anyone refreshing it by hand: its row and its opened ticket.
    assert _row(queue, first)["operator"] == "op3"
    assert "op3" in queue.detail._values["operator"].text()
    assert shift.load_model.load_of("op3") == 1 and shift.load_model.load_of("op1") == 0


def test_an_edit_in_the_queue_detail_reaches_the_shift_view(qtbot, cache):
    tickets = [server_ticket(1, operator="op1", description="井盖丢失")]
    pull(cache, tickets)
    pokes = Pokes()
    operations = Operations(cache, poke=pokes, author="sup1", role="supervisor")
    queue = QueueView(cache, username="sup1", role="supervisor", operations=operations)
    queue.set_scope(ALL)
    shift = SupervisorView(cache, username="sup1", operations=operations)
    _show(qtbot, queue)
    _show(qtbot, shift)
    ticket_id = tickets[0]["id"]
    assert queue.open_ticket(ticket_id)
    queue.detail._edits["description"].setPlainText("井盖丢失，有人掉下去了")
    with qtbot.waitSignal(operations.changed):
        assert queue.detail.save_changes()
    assert pokes.count == 1
    assert _row(shift.queue, ticket_id)["description"] == "井盖丢失，有人掉下去了"


def test_a_ticket_saved_at_intake_appears_in_the_open_queue(qtbot, cache):
    pokes = Pokes()
    operations = Operations(cache, poke=pokes, author="op1", role="operator")
    queue = QueueView(cache, username="op1", operations=operations)
    _show(qtbot, queue)
    ticket = operations.dispatch_ticket(dict(READY), unit_code="U-110105001")
    assert pokes.count == 1
    assert _row(queue, ticket["id"])["status"] == "dispatched"


def test_each_operation_pokes_sync_once_and_broadcasts_the_ids_it_changed(qtbot, cache):
    tickets = [server_ticket(n, operator="op1") for n in (1, 2, 3)]
    pull(cache, tickets)
    one, two, three = (t["id"] for t in tickets)
    pokes = Pokes()
    operations = Operations(cache, poke=pokes, author=lambda: "sup1", role=lambda: "supervisor")
    heard: list[list[str]] = []
    operations.changed.connect(heard.append)
    cache.save_draft("call-draft", {"caller_phone": "13912345678"})

    saved = operations.save_ticket(dict(READY))
    answered = operations.answer_directly(dict(READY))
    dispatched = operations.dispatch_ticket(dict(READY))
    operations.add_note(one, "已联系物业")
    operations.attach_call(one, "又来电催促", draft_id="call-draft")
    operations.save_edits(one, {"description": "井盖丢失，请尽快处理"})
    operations.transition(dispatched["id"], "accept")
    operations.reassign(two, "op2", "op1 off shift")
    done, refused = operations.bulk_reassign([one, two, three, "gone"], "op3", "balancing")

    assert heard == [[saved["id"]], [answered["id"]], [dispatched["id"]], [one], [one], [one], [dispatched["id"]], [two],
                     [one, two, three]]
    assert pokes.count == len(heard)
    assert done == [one, two, three] and refused == []
    assert cache.load_drafts() == [], "the attached call's draft goes"
    assert cache.get_ticket(two)["operator"] == "op3"
    assert [m.args["expected_operator"] for m in cache.pending_mutations() if m.name == "ticket.reassign"] == [
        "op1", "op1", "op2", "op1"]

    # A refused change writes nothing, pokes nothing and tells no one.
    with pytest.raises(ValidationError):
        operations.add_note(one, "   ")
    with pytest.raises(ValidationError):
        operations.reassign(one, "", "")
    assert pokes.count == len(heard) == 9
    QApplication.processEvents()
