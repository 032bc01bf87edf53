"""From an incoming call to a dispatched ticket by keyboard alone, online and with the service down."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from console.screen_pop_client import send_call
from tests.gui.test_intake_support import (  # noqa: F401 (fixtures)
    Keyboard,
    make_console,
    pick_well_suggested_case,
    service,
    suggester,
    trained_model_dir,
)

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier
DESCRIPTION = "小区楼下广场舞噪音太大，晚上十点还在跳，影响休息"


def pop_call(qtbot, console, ani: str) -> None:
    """The phone system's screen-pop: an HTTP request to the console's local port."""
    assert send_call(ani, port=console.screen_pop.port) == 0
    qtbot.waitUntil(lambda: console.window.form.phone.text() == ani)


def wait_for_suggestions(qtbot, form) -> list[str]:
    qtbot.waitUntil(lambda: not form.suggestions_pending() and len(form.suggestions.codes()) == 5)
    return form.suggestions.codes()


def test_call_pops_ticket_and_keyboard_dispatches_it_to_the_service(qtbot, service, make_console):
    console = make_console(service.url)
    window, form, cache = console.window, console.window.form, console.ctx.cache
    pop_call(qtbot, console, "13912345678")
    assert form.description.hasFocus(), "after a call the cursor waits in the description"

    keys = Keyboard(qtbot)
    keys.type(DESCRIPTION)
    shown = wait_for_suggestions(qtbot, form)
    keys.press(Qt.Key.Key_1, ALT, "Alt+1")
    assert form.category_code == shown[0]
    keys.press(Qt.Key.Key_A, ALT, "Alt+A")
    assert form.incident_address.line.hasFocus()
    keys.type("朝阳区望京街道阜通东大街6号")
    with qtbot.waitSignal(window.intake.saved, timeout=5000) as saved:
        keys.press(Qt.Key.Key_Return, CTRL, "Ctrl+Enter")
    ticket_id = saved.args[0]["id"]

    local = cache.get_ticket(ticket_id)
    assert local["status"] == "dispatched"
    assert local["category_code"] == shown[0]
    assert local["caller_phone"] == "13912345678"
    assert local["description"] == DESCRIPTION
    assert local["suggestion_rank"] == 1 and local["suggestions"] == shown
    assert cache.load_drafts() == [], "a saved ticket leaves no draft behind"
    assert form.is_blank(), "the form is ready for the next call"

    qtbot.waitUntil(lambda: ticket_id in service.tickets(), timeout=20000)
    central = service.tickets()[ticket_id]
    assert central["category_code"] == shown[0]
    assert central["status"] == "dispatched"
    qtbot.waitUntil(lambda: cache.pending_count() == 0, timeout=20000)


def test_service_down_ticket_waits_in_outbox_then_arrives(qtbot, service, make_console):
    console = make_console(service.url)
    window, form, cache = console.window, console.window.form, console.ctx.cache
    qtbot.waitUntil(lambda: console.ctx.sync.state is not None and console.ctx.sync.state.online, timeout=20000)
    service.stop()

    pop_call(qtbot, console, "13700001111")
    keys = Keyboard(qtbot)
    keys.type(DESCRIPTION)
    shown = wait_for_suggestions(qtbot, form)
    keys.press(Qt.Key.Key_1, ALT)
    keys.press(Qt.Key.Key_A, ALT)
    keys.type("望京街道")
    with qtbot.waitSignal(window.intake.saved, timeout=5000) as saved:
        keys.press(Qt.Key.Key_Return, CTRL)
    ticket_id = saved.args[0]["id"]
    assert cache.get_ticket(ticket_id)["category_code"] == shown[0]

    # Offline: the ticket waits in the outbox and the status bar says so.
    qtbot.waitUntil(lambda: console.ctx.sync.state is not None and not console.ctx.sync.state.online, timeout=20000)
    assert cache.pending_count() >= 2, "create and dispatch wait in the outbox"
    assert window.sync_status.state() is not None and not window.sync_status.state().online
    assert "offline" in window.user_label.text()

    service.restart()
    console.ctx.poke_sync()
    qtbot.waitUntil(lambda: cache.pending_count() == 0, timeout=30000)
    assert service.tickets()[ticket_id]["status"] == "dispatched"
    qtbot.waitUntil(lambda: console.ctx.sync.state.online, timeout=20000)


def test_keystrokes_from_call_to_dispatch_within_budget(qtbot, service, make_console, suggester):
    """Beyond the typed text (description, address), a ticket whose first suggestion is right needs <= 4 keys."""
    console = make_console(service.url)
    form = console.window.form
    case = pick_well_suggested_case(suggester, console.ctx.gazetteer)

    pop_call(qtbot, console, case["caller_phone"] or "13800138000")  # the call itself: no key at all
    keys = Keyboard(qtbot)
    keys.type(case["description"])
    shown = wait_for_suggestions(qtbot, form)
    assert shown[0] == case["category_code"]
    keys.press(Qt.Key.Key_1, ALT, "Alt+1 (take the first suggestion)")
    if not form.sub_district_code():  # the description did not name the place: jump to the address and type it
        keys.press(Qt.Key.Key_A, ALT, "Alt+A (go to the incident address)")
        keys.type(case["incident_address"])
    with qtbot.waitSignal(console.window.intake.saved, timeout=5000) as saved:
        keys.press(Qt.Key.Key_Return, CTRL, "Ctrl+Enter (save and dispatch)")

    ticket = console.ctx.cache.get_ticket(saved.args[0]["id"])
    assert ticket["status"] == "dispatched" and ticket["category_code"] == case["category_code"]
    print(f"keystrokes beyond the typed text: {len(keys.extra_keys)} = {keys.extra_keys}")
    assert len(keys.extra_keys) <= 4, keys.extra_keys


def test_f2_starts_a_ticket_without_a_number_and_keeps_the_one_on_screen(qtbot, make_console):
    console = make_console(sign_in_as=None)
    form = console.window.form
    keys = Keyboard(qtbot)
    form.focus_field("description")
    keys.type("路灯不亮")
    first_id = form.ticket_id
    keys.press(Qt.Key.Key_F2)
    assert form.ticket_id != first_id and form.is_blank()
    assert form.description.hasFocus()
    assert [d["id"] for d in console.ctx.cache.load_drafts()] == [first_id], "the interrupted ticket is kept as a draft"
    assert QApplication.focusWidget() is form.description
