"""Intake by keyboard: invalid input marked at its field, drafts kept by Esc and restored after a restart,
category search, learning from a pick other than the first, and answering an inquiry directly."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.test_intake_support import Keyboard, wait_active, make_console, suggester, trained_model_dir  # noqa: F401

CTRL, ALT, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ShiftModifier


def wait_for_suggestions(qtbot, form) -> list[str]:
    qtbot.waitUntil(lambda: not form.suggestions_pending() and len(form.suggestions.codes()) == 5)
    return form.suggestions.codes()


def test_malformed_number_is_marked_at_the_field_and_focus_goes_there(qtbot, make_console):
    console = make_console(sign_in_as=None)
    form, keys = console.window.form, Keyboard(qtbot)
    keys.press(Qt.Key.Key_F2)
    keys.press(Qt.Key.Key_P, ALT)
    keys.type("12345abc")
    keys.press(Qt.Key.Key_D, ALT)
    keys.type("楼道灯坏了")
    keys.press(Qt.Key.Key_S, CTRL)  # save without dispatching
    assert form.phone.hasFocus()
    assert "not a phone number" in form.problem_text("caller_phone")
    assert console.ctx.cache.count_tickets() == 0, "bad input stores nothing"

    # Correcting the field clears its message.
    form.phone.selectAll()
    keys.type("13800138000")
    assert form.problem_text("caller_phone") == ""


def test_dispatch_without_category_or_place_marks_them_in_order(qtbot, make_console):
    console = make_console(sign_in_as=None)
    form, keys = console.window.form, Keyboard(qtbot)
    keys.press(Qt.Key.Key_F2)
    keys.type("有人反映问题")
    keys.press(Qt.Key.Key_Return, CTRL)
    # The first missing field in form order gets the cursor; each shows its own message.
    assert form.incident_address.line.hasFocus()
    assert form.problem_text("incident_address")
    assert "category" in form.problem_text("category_code").lower()
    assert console.ctx.cache.count_tickets() == 0

    keys.press(Qt.Key.Key_Return, CTRL)  # nothing typed: still refused, still at the address
    assert QApplication.focusWidget() is form.incident_address.line


def test_missing_description_and_number_refuses_even_a_minimal_save(qtbot, make_console):
    console = make_console(sign_in_as=None)
    form, keys = console.window.form, Keyboard(qtbot)
    keys.press(Qt.Key.Key_F2)
    keys.press(Qt.Key.Key_S, CTRL)
    assert form.description.hasFocus()
    assert "Type what the caller needs" in form.problem_text("description")


def test_esc_keeps_the_draft_and_a_restart_restores_it(qtbot, make_console):
    console = make_console(sign_in_as=None)
    form, keys = console.window.form, Keyboard(qtbot)
    keys.press(Qt.Key.Key_F2)
    keys.press(Qt.Key.Key_P, ALT)
    keys.type("13611112222")
    keys.press(Qt.Key.Key_D, ALT)
    keys.type("井盖丢失，很危险")
    draft_id = form.ticket_id
    keys.press(Qt.Key.Key_Escape)
    assert form.is_blank(), "Esc leaves the ticket"
    drafts = console.ctx.cache.load_drafts()
    assert [d["id"] for d in drafts] == [draft_id]
    assert drafts[0]["fields"]["description"] == "井盖丢失，很危险"

    # Ctrl+R brings it back.
    keys.press(Qt.Key.Key_R, CTRL)
    assert form.ticket_id == draft_id and form.description.toPlainText() == "井盖丢失，很危险"
    assert form.incident_address.line.hasFocus(), "back in the draft, the cursor waits where something is missing"
    keys.press(Qt.Key.Key_D, ALT)
    keys.type("，在路口")
    console.shutdown()  # like closing the console (or a crash after the debounced save)

    again = make_console(sign_in_as=None)
    restored = again.window.form
    assert restored.ticket_id == draft_id
    assert restored.phone.text() == "13611112222"
    assert restored.description.toPlainText() == "井盖丢失，很危险，在路口"


def test_draft_is_saved_while_typing_without_any_key(qtbot, make_console):
    console = make_console(sign_in_as=None)
    form, keys = console.window.form, Keyboard(qtbot)
    keys.press(Qt.Key.Key_F2)
    keys.type("下水道堵塞")
    qtbot.waitUntil(lambda: [d["fields"].get("description") for d in console.ctx.cache.load_drafts()] == ["下水道堵塞"])


def test_category_search_by_pinyin_initials_and_a_correction_is_learned(qtbot, make_console, suggester):
    console = make_console(sign_in_as=None)
    window, form, keys = console.window, console.window.form, Keyboard(qtbot)
    taxonomy = console.ctx.taxonomy
    keys.press(Qt.Key.Key_F2)
    keys.type("晚上施工噪音扰民")
    shown = wait_for_suggestions(qtbot, form)

    learned = []
    original = suggester.learn_correction
    suggester.learn_correction = lambda text, code: (learned.append((text, code)), original(text, code))

    keys.press(Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: getattr(window, "_category_dialog", None) is not None and window._category_dialog.isVisible())
    dialog = window._category_dialog
    wait_active(qtbot, dialog)
    keys.type("zy")
    qtbot.waitUntil(lambda: dialog.results.count() > 0)
    expected = taxonomy.search("zy", limit=50)
    target_row = next((i for i, c in enumerate(expected) if c.code != shown[0]), 0)
    for _ in range(target_row):
        keys.press(Qt.Key.Key_Down)
    chosen = dialog.results.currentItem().data(Qt.ItemDataRole.UserRole)
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.category_code == chosen)
    wait_active(qtbot, window)
    assert form.description.hasFocus(), "back in the description after picking"
    assert chosen in form.category.text()

    # Answer it directly (Ctrl+Shift+Enter): saved, and the pick other than the first teaches the model.
    with qtbot.waitSignal(window.intake.saved, timeout=5000) as saved:
        keys.press(Qt.Key.Key_Return, CTRL | SHIFT)
    ticket = console.ctx.cache.get_ticket(saved.args[0]["id"])
    assert ticket["status"] == "answered"
    assert ticket["category_code"] == chosen
    assert ticket["suggestions"] == shown
    assert ticket["suggestion_rank"] == (shown.index(chosen) + 1 if chosen in shown else None)
    if chosen != shown[0]:
        assert learned == [("晚上施工噪音扰民", chosen)]


def test_alt_number_takes_that_suggestion_and_the_routing_preview_follows(qtbot, make_console):
    console = make_console(sign_in_as=None)
    form, keys = console.window.form, Keyboard(qtbot)
    keys.press(Qt.Key.Key_F2)
    keys.type("朝阳区望京街道小区门口占道经营，摆摊的很多")
    shown = wait_for_suggestions(qtbot, form)
    keys.press(Qt.Key.Key_3, ALT)
    assert form.category_code == shown[2] and form.suggestion_rank == 3
    assert form.description.hasFocus(), "taking a suggestion does not move the cursor"
    if form.sub_district_code():
        assert form.routing is not None
        assert form.routing.unit_code in form.routing_preview.text()
        assert form.routing.rule_text in form.routing_preview.text()
    else:
        assert "address" in form.routing_preview.text()


def test_a_call_about_an_open_ticket_is_attached_to_it_in_two_keys(qtbot, make_console):
    console = make_console(sign_in_as=None)
    window, form, cache = console.window, console.window.form, console.ctx.cache
    earlier = cache.create_ticket({"caller_phone": "13655556666", "description": "楼上漏水", "incident_address": "望京街道"}, "op1")
    window.take_call("13655556666")
    qtbot.waitUntil(lambda: window.caller_context.history_model.rowCount() == 1)
    keys = Keyboard(qtbot)
    keys.type("还是漏水，没人来修")
    keys.press(Qt.Key.Key_H, ALT)
    assert window.caller_context.history_view.hasFocus()
    keys.press(Qt.Key.Key_Return)
    notes = cache.notes(earlier["id"])
    assert [n["text"] for n in notes] == ["还是漏水，没人来修"]
    assert cache.count_tickets() == 1, "no second ticket for the same matter"
    assert cache.load_drafts() == [] and form.is_blank()


def test_every_field_is_one_key_away(qtbot, make_console):
    console = make_console(sign_in_as=None)
    form, keys = console.window.form, Keyboard(qtbot)
    for key, widget in ((Qt.Key.Key_P, form.phone), (Qt.Key.Key_N, form.name), (Qt.Key.Key_L, form.caller_location.line),
                        (Qt.Key.Key_A, form.incident_address.line), (Qt.Key.Key_T, form.request_type),
                        (Qt.Key.Key_U, form.urgency), (Qt.Key.Key_D, form.description)):
        keys.press(key, ALT)
        assert widget.hasFocus(), key
    # Alt+T then a letter-free choice by arrows: the request type changes without the mouse.
    keys.press(Qt.Key.Key_T, ALT)
    before = form.request_type.currentIndex()
    keys.press(Qt.Key.Key_Down)
    assert form.request_type.currentIndex() == before + 1


def test_fast_typing_asks_the_suggester_once_for_the_latest_text(qtbot, make_console):
    console = make_console(sign_in_as=None)
    form, keys = console.window.form, Keyboard(qtbot)
    keys.press(Qt.Key.Key_F2)
    asked = []
    real = form.suggester.suggest
    form.suggester.suggest = lambda text, **kw: (asked.append(text), real(text, **kw))[1]
    keys.type("路灯不亮很久了")  # a burst between two timer turns: one update serves it
    shown = wait_for_suggestions(qtbot, form)
    assert asked == ["路灯不亮很久了"]
    keys.type("，晚上很黑")
    qtbot.waitUntil(lambda: len(asked) == 2 and not form.suggestions_pending())
    assert asked[-1] == "路灯不亮很久了，晚上很黑", "the latest text, never an older one"
    assert form.suggestions.codes() and shown


def test_esc_in_the_address_completion_closes_the_list_not_the_ticket(qtbot, make_console):
    console = make_console(sign_in_as=None)
    form, keys = console.window.form, Keyboard(qtbot)
    keys.press(Qt.Key.Key_F2)
    keys.press(Qt.Key.Key_D, ALT)
    keys.type("井盖丢失")
    keys.press(Qt.Key.Key_A, ALT)
    keys.type("望京")
    popup = form.incident_address.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    keys.press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert not form.is_blank(), "the ticket is still being taken"
    assert form.description.toPlainText() == "井盖丢失"


def test_request_type_and_urgency_are_picked_with_a_digit(qtbot, make_console):
    """Typing a letter cannot match Chinese item names: each item is numbered and its digit picks it."""
    console = make_console(sign_in_as=None)
    form, keys = console.window.form, Keyboard(qtbot)
    keys.press(Qt.Key.Key_F2)
    keys.press(Qt.Key.Key_T, ALT)
    assert form.values()["request_type"] == "complaint"
    keys.press(Qt.Key.Key_5)
    assert form.values()["request_type"] == "suggestion"
    keys.press(Qt.Key.Key_U, ALT)
    keys.press(Qt.Key.Key_3)
    assert form.values()["urgency"] == "very_urgent"
