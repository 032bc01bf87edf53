"""Caller context: earlier tickets from the same number (open first) and likely duplicates, one key from attach."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt

from widgets.caller_context import CallerContextPanel
from tests.gui.test_queue_helpers import cache, pull, server_ticket  # noqa: F401  (fixture)


def _seed(cache):
    now = datetime.now(timezone.utc)
    recent = (now - timedelta(days=3)).isoformat()
    tickets = [
        server_ticket(1, caller_phone="13812345678", status="closed", callback_result="satisfied", created_at=recent,
                      category_code="A-01-001"),
        server_ticket(2, caller_phone="13812345678", status="dispatched", created_at=recent, category_code="A-01-002"),
        # Same category and sub-district, near the same address, other callers: likely duplicates.
        server_ticket(3, caller_phone="13900000001", status="accepted", created_at=recent, category_code="B-02-003",
                      sub_district_code="110105001", incident_address="朝阳区建国路88号"),
        server_ticket(4, caller_phone="13900000002", status="closed", created_at=recent, category_code="B-02-003",
                      sub_district_code="110105001", incident_address="朝阳区建国路88号"),
        server_ticket(5, caller_phone="13900000003", status="dispatched", created_at=(now - timedelta(days=60)).isoformat(),
                      category_code="B-02-003", sub_district_code="110105001", incident_address="朝阳区建国路88号"),
    ]
    pull(cache, tickets)
    return tickets


def test_caller_history_open_first_and_duplicates_and_attach_by_enter(qtbot, cache):
    tickets = _seed(cache)
    panel = CallerContextPanel(cache)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_for_phone("138 1234 5678", "B-02-003", "110105001", "建国路88号")
    history = [panel.history_model.ticket_at(r)["id"] for r in range(panel.history_model.rowCount())]
    assert history == [tickets[1]["id"], tickets[0]["id"]]  # the open one first
    assert "138****5678" in panel.title.text() and "13812345678" not in panel.title.text()
    assert "satisfied" in panel.summary.text()
    assert "2 (1 open)" in panel.history_label.text()
    duplicates = [panel.duplicates_model.ticket_at(r)["id"] for r in range(panel.duplicates_model.rowCount())]
    assert duplicates == [tickets[2]["id"]]  # open, same type, same place, in the last 30 days
    # One key: Enter on the selected duplicate attaches to it.
    panel.duplicates_view.setFocus()
    panel.duplicates_view.setCurrentIndex(panel.duplicates_model.index(0, 0))
    with qtbot.waitSignal(panel.attachRequested) as attached:
        qtbot.keyClick(panel.duplicates_view, Qt.Key.Key_Return)
    assert attached.args == [tickets[2]["id"]]
    # And from the caller's history too.
    panel.history_view.setFocus()
    panel.history_view.setCurrentIndex(panel.history_model.index(0, 0))
    with qtbot.waitSignal(panel.attachRequested) as attached:
        qtbot.keyClick(panel.history_view, Qt.Key.Key_Return)
    assert attached.args == [tickets[1]["id"]]


def test_first_call_from_a_number(qtbot, cache):
    _seed(cache)
    panel = CallerContextPanel(cache)
    qtbot.addWidget(panel)
    panel.show_for_phone("13700000000")
    assert panel.history_model.rowCount() == 0 and panel.duplicates_model.rowCount() == 0
    assert panel.summary.text() == "First call from this number."
    assert not panel.attach_button.isEnabled()
    # The key is the console's to bind (through its action registry); the button names whichever it is.
    assert "Ctrl+Shift+A" in panel.attach_button.text()
    panel.set_attach_key("F8")
    assert "F8" in panel.attach_button.text() and "Ctrl+Shift+A" not in panel.attach_button.text()
