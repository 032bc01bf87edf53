"""The supervisor's shift tab in the real main window: only for supervisors, one key away, and a
reassignment made there reaches the central service through sync."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.test_intake_support import Keyboard, make_console, service, suggester, trained_model_dir  # noqa: F401

CTRL = Qt.KeyboardModifier.ControlModifier


def test_operator_has_no_shift_tab_and_is_told_so(qtbot, service, make_console):
    console = make_console(service.url, sign_in_as="op1")
    window = console.window
    assert window.shift is None
    messages = []
    window.statusBar().messageChanged.connect(messages.append)
    Keyboard(qtbot).press(Qt.Key.Key_3, CTRL)
    assert window.tabs.currentWidget() is window.intake_page
    assert any("supervisors" in text for text in messages)


def test_supervisor_reassigns_from_the_shift_tab_and_the_service_has_it(qtbot, service, make_console):
    operator = make_console(service.url, sign_in_as="op1")
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_F2)
    keys.type("street light out at the gate, please fix")
    keys.press(Qt.Key.Key_S, CTRL)
    ticket_id = operator.ctx.cache.list_tickets()[0]["id"]
    qtbot.waitUntil(lambda: service.tickets("sup1").get(ticket_id) is not None, timeout=20000)
    operator.shutdown()

    supervisor = make_console(service.url, sign_in_as="sup1")
    window = supervisor.window
    assert window.shift is not None
    keys.press(Qt.Key.Key_3, CTRL)
    assert window.tabs.currentWidget() is window.shift
    # The operator's ticket arrives by sync into the supervisor's cache.
    qtbot.waitUntil(lambda: supervisor.ctx.cache.get_ticket(ticket_id) is not None, timeout=20000)

    problems = window.shift.reassign([ticket_id], "op2", "op1 is on a break")
    assert problems == []
    qtbot.waitUntil(lambda: (service.tickets("sup1").get(ticket_id) or {}).get("operator") == "op2", timeout=20000)
    assert supervisor.ctx.cache.pending_count() == 0
