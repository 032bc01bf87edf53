"""The queue by keyboard: filters and search, opening a ticket, notes, sync refreshes, supervisor reassignment."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from console.queue import ALL, MINE, QueueView
from console.queue_supervisor import ReassignDialog, SupervisorView
from widgets.ticket_table import NUMBER, OPEN_ONLY, STATUS
from tests.gui.test_queue_helpers import cache, event, pull, server_ticket, type_text  # noqa: F401  (fixture)


def _seed(cache):
    now = datetime.now(timezone.utc)
    tickets = [
        server_ticket(1, operator="op1", description="小区楼下广场舞噪音扰民", due_at=(now + timedelta(hours=2)).isoformat()),
        server_ticket(2, operator="op1", status="accepted", description="路灯不亮 street light broken"),
        server_ticket(3, operator="op2", description="供暖温度不达标"),
        server_ticket(4, operator="op1", status="closed", description="噪音已经解决"),
        server_ticket(5, operator="op2", status="returned", description="井盖丢失"),
    ]
    pull(cache, tickets)
    return tickets


def _numbers(view):
    return {view.proxy.index(r, NUMBER).data() for r in range(view.proxy.rowCount())}


def _show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)


def test_scope_status_filters_and_search(qtbot, cache):
    tickets = _seed(cache)
    view = QueueView(cache, username="op1", role="operator")
    _show(qtbot, view)
    # An operator starts with their own open tickets.
    assert view.scope() == MINE and view.status_filter() == OPEN_ONLY
    assert _numbers(view) == {tickets[0]["number"], tickets[1]["number"]}
    view.set_scope(ALL)
    assert _numbers(view) == {t["number"] for t in tickets if t["status"] != "closed"}
    view.set_status_filter(None)
    assert len(_numbers(view)) == 5
    view.set_status_filter("returned")
    assert _numbers(view) == {tickets[4]["number"]}
    view.set_status_filter(None)
    # Full-text search by keyboard: Ctrl+F, a two-character Chinese word, Enter runs it and moves to the list.
    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search_edit.hasFocus()
    type_text(view.search_edit, "噪音")
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    assert _numbers(view) == {tickets[0]["number"], tickets[3]["number"]}
    assert view.table.hasFocus()
    # Esc in the search box clears it and the list comes back.
    view.search_edit.setFocus()
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Escape)
    assert view.search_edit.text() == "" and len(_numbers(view)) == 5


def test_enter_opens_ticket_with_history_and_notes_and_a_note_is_added_by_keyboard(qtbot, cache):
    tickets = _seed(cache)
    first = tickets[0]
    # A value typed here and later replaced by another writer's: the history must show both.
    cache.update_ticket(first["id"], {"description": "我写的描述"}, "op1")
    mutation = cache.pending_mutations()[-1]
    cache.record_push_results([{"id": mutation.id, "status": "applied"}])
    pull(cache, [dict(first, description="班长改过的描述", version=3)],
         events=[event(first["id"], "sup1", "dispatch", {"unit_code": "U-110105001"})],
         notes=[{"id": "n-1", "ticket_id": first["id"], "author": "hd1", "text": "已联系物业", "created_at": "2026-11-27T09:30:00+00:00"}])
    view = QueueView(cache, username="op1")
    _show(qtbot, view)
    view.table.setFocus()
    row = next(r for r in range(view.proxy.rowCount()) if view.proxy.index(r, NUMBER).data() == first["number"])
    view.table.setCurrentIndex(view.proxy.index(row, 0))
    with qtbot.waitSignal(view.ticketOpened) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [first["id"]]
    detail = view.detail
    assert detail.isVisible() and first["number"] in detail.header.text()
    history = [detail.history_list.item(i).text() for i in range(detail.history_list.count())]
    assert any("OVERWRITTEN" in line and "我写的描述" in line and "班长改过的描述" in line for line in history), history
    assert any("sup1" in line and "dispatch" in line for line in history)
    assert detail.notes_list.count() == 1 and "已联系物业" in detail.notes_list.item(0).text()
    # The note box has focus after opening: type and Ctrl+Enter.
    assert detail.note_edit.hasFocus()
    type_text(detail.note_edit, "回访已约")
    with qtbot.waitSignal(detail.noteAdded):
        qtbot.keyClick(detail.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert [n["text"] for n in cache.notes(first["id"])][-1] == "回访已约"
    assert detail.notes_list.count() == 2 and detail.note_edit.toPlainText() == ""
    # Esc goes back to the list.
    qtbot.keyClick(detail.note_edit, Qt.Key.Key_Escape)
    assert not detail.isVisible() and view.table.hasFocus()


def test_sync_change_refreshes_rows_and_banner_without_touching_typed_text(qtbot, cache):
    tickets = _seed(cache)
    first, second = tickets[0], tickets[1]
    view = QueueView(cache, username="op1")
    view.set_scope(ALL)
    _show(qtbot, view)
    assert view.open_ticket(first["id"])
    # The operator is typing a better description when sync brings changes.
    view.detail.description_edit.setFocus()
    type_text(view.detail.description_edit, "，晚上十点以后")
    typed = view.detail.description_edit.toPlainText()
    rows_changed = []
    view.model.dataChanged.connect(lambda top, bottom, roles: rows_changed.append((top.row(), bottom.row())))
    resets = []
    view.model.modelReset.connect(lambda: resets.append(1))
    summary = pull(cache, [dict(first, operator="op2", description="server side text", version=2),
                           dict(second, status="replied", version=2)],
                   events=[event(first["id"], "sup1", "reassign", {"operator": "op2", "reason": "shift change"})])
    view.apply_sync_changes(summary)
    # Only the two rows changed; nothing was reloaded.
    assert not resets
    assert {r for pair in rows_changed for r in pair} == {view.model.row_of(first["id"]), view.model.row_of(second["id"])}
    row = view.model.row_of(second["id"])
    assert view.model.index(row, STATUS).data() == "replied"
    text = view.banner.text()
    assert f"Ticket {first['number']} was reassigned to op2 by sup1." in text
    assert f"Ticket {second['number']} is now replied." in text
    # The typed text is untouched and the field says it changed elsewhere.
    assert view.detail.description_edit.toPlainText() == typed
    assert view.detail._elsewhere_labels["description"].isVisible()
    assert "server side text" in view.detail._elsewhere_labels["description"].text()
    assert view.detail.description_edit.hasFocus()
    # A field not being edited takes the new value.
    assert view.detail._values["operator"].text() == "op2"


def test_ticket_leaving_my_scope_leaves_my_list(qtbot, cache):
    tickets = _seed(cache)
    view = QueueView(cache, username="op1")
    _show(qtbot, view)
    assert tickets[0]["number"] in _numbers(view)
    view.apply_sync_changes(pull(cache, [dict(tickets[0], operator="op2", version=2)]))
    assert tickets[0]["number"] not in _numbers(view)
    assert "reassigned to op2" in view.banner.text()


def test_supervisor_reassigns_selected_tickets_with_a_reason(qtbot, cache):
    tickets = _seed(cache)
    view = SupervisorView(cache, username="sup1")
    _show(qtbot, view)
    assert view.load_model.load_of("op1") == 2 and view.load_model.load_of("op2") == 2
    table = view.queue.table
    table.setFocus()
    wanted = {tickets[0]["id"], tickets[2]["id"]}
    selection = table.selectionModel()
    table.clearSelection()
    from PySide6.QtCore import QItemSelectionModel
    for r in range(view.queue.proxy.rowCount()):
        if view.queue.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) in wanted:
            selection.select(view.queue.proxy.index(r, 0), QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    assert set(view.queue.selected_ticket_ids()) == wanted

    def fill_dialog():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ReassignDialog)
        dialog.operator_combo.setEditText("op3")
        dialog.reason_edit.setFocus()
        qtbot.keyClicks(dialog.reason_edit, "op1 on break")
        qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, fill_dialog)
    with qtbot.waitSignal(view.reassigned) as done:
        qtbot.keyClick(table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert set(done.args[0]) == wanted
    outbox = [m for m in cache.pending_mutations() if m.name == "ticket.reassign"]
    assert {m.args["id"] for m in outbox} == wanted
    assert all(m.args["operator"] == "op3" and m.args["reason"] == "op1 on break" for m in outbox)
    assert {m.args["expected_operator"] for m in outbox} == {"op1", "op2"}
    assert view.load_model.load_of("op3") == 2


def test_reassign_dialog_needs_operator_and_reason(qtbot):
    dialog = ReassignDialog(["op1"], 2)
    qtbot.addWidget(dialog)
    dialog.operator_combo.setEditText("op1")
    dialog.accept()
    assert dialog.result() != ReassignDialog.DialogCode.Accepted
    assert "reason" in dialog.message.text()


def test_supervisor_takes_the_next_lifecycle_step_with_a_reason_by_keyboard(qtbot, cache):
    tickets = _seed(cache)
    returned = tickets[4]
    view = QueueView(cache, username="sup1", role="supervisor")
    _show(qtbot, view)
    assert view.open_ticket(returned["id"])
    detail = view.detail
    offered = [detail.action_combo.itemData(i) for i in range(detail.action_combo.count())]
    assert offered == ["arbitrate", "redispatch"]
    detail.action_combo.setCurrentIndex(offered.index("redispatch"))
    # Without a reason the step is refused where the person can see it, and nothing is queued.
    before = len(cache.pending_mutations())
    assert not detail.apply_action()
    assert "reason" in detail.save_message.text().lower()
    assert len(cache.pending_mutations()) == before
    detail.action_reason.setFocus()
    qtbot.keyClicks(detail.action_reason, "wrong unit, sending to the district")
    with qtbot.waitSignal(view.ticketSaved):
        qtbot.keyClick(detail.action_reason, Qt.Key.Key_Return)
    mutation = cache.pending_mutations()[-1]
    assert mutation.name == "ticket.transition" and mutation.args["action"] == "redispatch"
    assert mutation.args["reason"] == "wrong unit, sending to the district"
    row = view.model.row_of(returned["id"])
    assert view.model.index(row, STATUS).data() == "dispatched"


def test_queue_loads_a_page_at_start_and_more_as_the_list_scrolls(qtbot, cache):
    cache.import_tickets([server_ticket(i, operator="op1") for i in range(1, 1001)])
    view = QueueView(cache, username="op1", page_size=100)
    _show(qtbot, view)
    assert view.model.rowCount() == 100 and view.model.canFetchMore()
    assert view.count_label.text() == "100+ tickets"
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)  # the view asks the model for more when it reaches the end
    qtbot.waitUntil(lambda: view.model.rowCount() > 100)
    assert view.model.rowCount() < 1000


def test_revoked_ticket_leaves_the_list_and_the_banner_names_it(qtbot, cache):
    tickets = _seed(cache)
    view = QueueView(cache, username="op1")
    _show(qtbot, view)
    summary = cache.apply_changes([{"seq": 1000, "kind": "revoke", "ticket_id": tickets[0]["id"]}], (cache.cursor or 0) + 1)
    assert summary["revoked"] == [tickets[0]["id"]]
    view.apply_sync_changes(summary)
    assert tickets[0]["number"] not in _numbers(view)
    assert view.banner.text() == f"Ticket {tickets[0]['number']} left your queue."
