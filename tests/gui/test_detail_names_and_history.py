"""Ticket detail: units and places by name in the person's language, history lines in plain words."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from console.i18n import install_language
from widgets.ticket_detail import TicketDetail
from tests.gui.test_queue_helpers import cache, event, pull, server_ticket  # noqa: F401  (fixture)


@pytest.fixture
def english_after():
    yield
    install_language(QApplication.instance(), "en")


def _detail(qtbot, cache, ticket_id: str) -> TicketDetail:
    detail = TicketDetail(cache, author="op1")
    qtbot.addWidget(detail)
    assert detail.show_ticket(ticket_id)
    return detail


def _history(detail: TicketDetail) -> list[str]:
    return [detail.history_list.item(i).text() for i in range(detail.history_list.count())]


def test_unit_and_sub_district_show_names_in_the_ui_language_with_codes_in_tooltips(qtbot, cache, english_after):
    ticket = server_ticket(1, unit_code="SD-110105001", sub_district_code="110105001")
    pull(cache, [ticket])
    app = QApplication.instance()
    install_language(app, "en")
    detail = _detail(qtbot, cache, ticket["id"])
    unit, place = detail._values["unit_code"], detail._values["sub_district_code"]
    assert "Jianwai Subdistrict Office" in unit.text() and "Chaoyang" in unit.text()
    assert "Jianwai" in place.text() and "110105001" not in place.text()
    assert unit.toolTip() == "SD-110105001" and place.toolTip() == "110105001"

    install_language(app, "zh_CN")
    qtbot.waitUntil(lambda: "建外街道办事处" in detail._values["unit_code"].text())
    assert detail._values["unit_code"].text() == "朝阳区建外街道办事处"
    assert detail._values["sub_district_code"].text() == "朝阳区建外街道"


def test_history_lines_say_who_did_what_and_keep_replaced_values_visible(qtbot, cache, english_after):
    install_language(QApplication.instance(), "en")
    ticket = server_ticket(2, unit_code="SD-110105001")
    tid = ticket["id"]
    pull(cache, [ticket], events=[
        event(tid, "op1", "created", {"status": "registered"}),
        event(tid, "op1", "dispatch", {"from": "registered", "to": "dispatched", "unit_code": "SD-110105001",
                                       "accept_due_at": "2026-11-28T01:00:00+00:00", "due_at": "2026-11-30T15:59:59+00:00"}),
        event(tid, "sup1", "reassign", {"from": "op1", "to": "op2", "reason": "op1 off shift"}),
        event(tid, "op2", "updated", {"changes": {"description": {"old": "路灯不亮", "new": "路灯整晚不亮"}},
                                      "base_version": 1, "version": 3, "concurrent": True}),
        event(tid, "hd1", "accept", {"from": "dispatched", "to": "accepted"}),
    ])
    lines = _history(_detail(qtbot, cache, tid))
    assert len(lines) == 5
    assert not any("{" in line or "unit_code" in line or "accept_due_at" in line for line in lines), lines
    assert "ticket registered" in lines[0] and "op1" in lines[0]
    assert "dispatched to Jianwai Subdistrict Office" in lines[1] and "due " in lines[1]
    assert "reassigned op1 → op2" in lines[2] and "op1 off shift" in lines[2] and "sup1" in lines[2]
    # The value another writer replaced stays readable in the history.
    assert "路灯不亮" in lines[3] and "路灯整晚不亮" in lines[3] and "description" in lines[3]
    assert "accepted" in lines[4] and "hd1" in lines[4]


def test_local_edits_notes_and_overwrites_read_as_sentences(qtbot, cache, english_after):
    install_language(QApplication.instance(), "en")
    ticket = server_ticket(3)
    pull(cache, [ticket])
    cache.update_ticket(ticket["id"], {"description": "我写的描述"}, "op1")
    cache.add_note(ticket["id"], "已联系物业", "op1")
    cache.record_push_results([{"id": m.id, "status": "applied"} for m in cache.pending_mutations()])
    pull(cache, [dict(ticket, description="班长改过的描述", version=3)])
    lines = _history(_detail(qtbot, cache, ticket["id"]))
    assert any("description changed from" in line and "我写的描述" in line for line in lines), lines
    assert any("note added" in line for line in lines), lines
    overwritten = [line for line in lines if "OVERWRITTEN" in line]
    assert overwritten and "我写的描述" in overwritten[0] and "班长改过的描述" in overwritten[0]


def test_the_detail_binds_no_key_itself_and_names_the_keys_it_is_given(qtbot, cache, english_after):
    """A reusable widget: the console binds its action registry's keys to the slots and says which they are."""
    from PySide6.QtGui import QAction, QShortcut

    install_language(QApplication.instance(), "en")
    ticket = server_ticket(4)
    pull(cache, [ticket])
    detail = _detail(qtbot, cache, ticket["id"])
    assert detail.findChildren(QShortcut) == [] and detail.findChildren(QAction) == []
    assert detail.save_button.text() == "Save changes (Ctrl+S)"
    detail.set_key_hints(save="F6", note="Ctrl+J")
    assert detail.save_button.text() == "Save changes (F6)" and detail.add_note_button.text() == "Add note (Ctrl+J)"
    assert detail.note_edit.placeholderText() == "Type a note, Ctrl+J adds it"
    detail.set_key_hints(save="", note="")
    assert detail.save_button.text() == "Save changes"
