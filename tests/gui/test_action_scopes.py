"""Every key goes through the action registry: scopes, scope-aware conflicts, the keys moved out of the views
(queue, open ticket, shift, caller context, diagnostics) driven by keyboard in the real window, and the
settings dialog editing an action's second key."""

from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from console.actions import ACTION_SPECS, SPECS_BY_ID, ActionId, Scope, conflicts, native, scope_name, scopes_overlap
from console.queue import ALL
from console.queue_supervisor import ReassignDialog
from console.settings import settings_path
from storage.http_client import Session
from tests.gui.test_intake_support import Keyboard, make_console, suggester, trained_model_dir, wait_active  # noqa: F401
from tests.gui.test_queue_helpers import pull, server_ticket, type_text

ROOT = Path(__file__).resolve().parents[2]
CTRL, SHIFT, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.AltModifier
DEFAULTS = {spec.id: spec.shortcuts for spec in ACTION_SPECS}


# --- the registry as data ---------------------------------------------------------------------------------
def test_no_key_is_bound_outside_the_registry():
    """No QShortcut anywhere in the console or widgets, and no QAction given keys by hand outside console/actions.py."""
    offenders = []
    for folder in ("console", "widgets"):
        for path in sorted((ROOT / folder).glob("*.py")):
            if path.name == "actions.py" and folder == "console":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
                if name in ("QShortcut", "setShortcut", "setShortcuts"):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}")
    assert offenders == []


def test_default_keys_clash_nowhere_and_action_ids_are_stable():
    assert conflicts(DEFAULTS) == {}
    assert len({spec.id for spec in ACTION_SPECS}) == len(ACTION_SPECS)
    # Settings store overrides under these ids: the moved keys have ids of their own scope.
    assert {a.value for a in (ActionId.QUEUE_FIND, ActionId.DETAIL_SAVE, ActionId.SHIFT_REASSIGN,
                              ActionId.CALLER_ATTACH, ActionId.DIAGNOSTICS_SYNC)} == {
        "queue.find", "detail.save", "shift.reassign", "caller.attach", "diagnostics.sync"}
    # Ctrl+R means one thing: resuming a draft, everywhere; reassigning has its own key.
    holders = [spec.id for spec in ACTION_SPECS if "Ctrl+R" in spec.shortcuts]
    assert holders == [ActionId.RESUME_DRAFT]
    assert SPECS_BY_ID[ActionId.SHIFT_REASSIGN].shortcuts == ("Ctrl+Shift+R",)


def test_conflicts_see_a_clash_across_overlapping_scopes_only():
    # The old Ctrl+R: resuming a draft works everywhere, so on the shift tab it would fight reassigning.
    old = dict(DEFAULTS, **{ActionId.SHIFT_REASSIGN: ("Ctrl+R",)})
    assert conflicts(old) == {"Ctrl+R": [ActionId.RESUME_DRAFT, ActionId.SHIFT_REASSIGN]}
    # The list and the ticket opened beside it are active together.
    assert conflicts(dict(DEFAULTS, **{ActionId.QUEUE_FIND: ("Ctrl+S",)})) == {"Ctrl+S": [ActionId.QUEUE_FIND, ActionId.DETAIL_SAVE]}
    # A shift holds a list, which holds an open ticket: Ctrl+Enter there would be the note's.
    assert ActionId.SHIFT_REASSIGN in conflicts(dict(DEFAULTS, **{ActionId.SHIFT_REASSIGN: ("Ctrl+Return",)}))["Ctrl+Return"]
    # The same key in places never active together is fine (Esc, Ctrl+S, Ctrl+Enter, Ctrl+1 already are).
    assert conflicts(dict(DEFAULTS, **{ActionId.CALLER_ATTACH: ("Ctrl+F",)})) == {}
    assert not scopes_overlap(Scope.INTAKE, Scope.DETAIL) and not scopes_overlap(Scope.GLOBAL, Scope.DIAGNOSTICS)
    assert scopes_overlap(Scope.SHIFT, Scope.DETAIL) and scopes_overlap(Scope.DETAIL, Scope.SHIFT)


# --- in the real window --------------------------------------------------------------------------------------
def _signed_in(console, username: str, role: str) -> None:
    """Signed in without a service (the console works offline); a supervisor gets the shift tab."""
    console.ctx.sign_in(Session(token="", role=role, username=username))


def _open_first_ticket(qtbot, queue, keys: Keyboard) -> dict:
    queue.set_scope(ALL)
    queue.table.setFocus()
    queue.table.setCurrentIndex(queue.proxy.index(0, 0))
    with qtbot.waitSignal(queue.ticketOpened):
        keys.press(Qt.Key.Key_Return)
    return queue.detail.ticket()


def test_queue_and_open_ticket_keys_by_keyboard(qtbot, make_console):
    console = make_console(sign_in_as=None)
    window, keys = console.window, Keyboard(qtbot)
    pull(console.ctx.cache, [server_ticket(1), server_ticket(2)])
    keys.press(Qt.Key.Key_2, CTRL)
    queue = window.queue
    assert window.tabs.currentWidget() is queue
    queue.table.setFocus()
    keys.press(Qt.Key.Key_F, CTRL)  # queue.find
    assert queue.search_edit.hasFocus()

    ticket = _open_first_ticket(qtbot, queue, keys)
    detail = queue.detail
    assert detail.note_edit.hasFocus()
    type_text(detail.note_edit, "已回电")
    with qtbot.waitSignal(detail.noteAdded):
        keys.press(Qt.Key.Key_Return, CTRL)  # detail.add_note
    assert [n["text"] for n in console.ctx.cache.notes(ticket["id"])] == ["已回电"]

    detail.caller_name_edit.setFocus()
    detail.caller_name_edit.selectAll()
    type_text(detail.caller_name_edit, "王先生")
    with qtbot.waitSignal(detail.saved):
        keys.press(Qt.Key.Key_S, CTRL)  # detail.save, not the intake's save
    assert console.ctx.cache.get_ticket(ticket["id"])["caller_name"] == "王先生"
    assert window.tabs.currentWidget() is queue

    keys.press(Qt.Key.Key_Escape)  # detail.back, not the intake's back-out
    assert not detail.isVisible() and queue.table.hasFocus()


def test_a_changed_key_reaches_the_views_built_before_it(qtbot, make_console):
    console = make_console(sign_in_as=None)
    window, keys = console.window, Keyboard(qtbot)
    pull(console.ctx.cache, [server_ticket(1)])
    chosen = dict(window.registry.all_shortcuts(), **{ActionId.DETAIL_SAVE: ("Ctrl+Shift+S",)})
    window.registry.set_shortcuts(chosen)
    keys.press(Qt.Key.Key_2, CTRL)
    detail = window.queue.detail
    ticket = _open_first_ticket(qtbot, window.queue, keys)
    assert "Ctrl+Shift+S" in detail.save_button.text()
    detail.caller_name_edit.setFocus()
    type_text(detail.caller_name_edit, "甲")
    keys.press(Qt.Key.Key_S, CTRL)
    assert console.ctx.cache.get_ticket(ticket["id"])["caller_name"] == ticket["caller_name"], "the old key is gone"
    with qtbot.waitSignal(detail.saved):
        keys.press(Qt.Key.Key_S, CTRL | SHIFT)
    assert console.ctx.cache.get_ticket(ticket["id"])["caller_name"].endswith("甲")


def test_shift_reassigns_with_ctrl_shift_r_and_ctrl_r_resumes_a_draft_from_any_tab(qtbot, make_console):
    console = make_console(sign_in_as=None)
    window, keys = console.window, Keyboard(qtbot)
    keys.type("street light out")
    keys.press(Qt.Key.Key_Escape)  # kept as a draft
    assert window.intake.kept_draft_count() == 1
    _signed_in(console, "sup1", "supervisor")
    assert window.shift is not None
    tickets = [server_ticket(1), server_ticket(2, operator="op2")]
    pull(console.ctx.cache, tickets)
    window.shift.queue.reload()
    keys.press(Qt.Key.Key_3, CTRL)
    assert window.tabs.currentWidget() is window.shift
    table = window.shift.queue.table
    table.setFocus()
    table.setCurrentIndex(window.shift.queue.proxy.index(0, 0))
    assert "Ctrl+Shift+R" in window.shift.reassign_button.text()

    def fill_dialog():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ReassignDialog)
        dialog.operator_combo.setEditText("op3")
        dialog.reason_edit.setFocus()
        qtbot.keyClicks(dialog.reason_edit, "op1 on break")
        qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, fill_dialog)
    with qtbot.waitSignal(window.shift.reassigned) as done:
        keys.press(Qt.Key.Key_R, CTRL | SHIFT)
    assert len(done.args[0]) == 1
    assert [m.args["operator"] for m in console.ctx.cache.pending_mutations() if m.name == "ticket.reassign"] == ["op3"]

    # Ctrl+R on the shift tab no longer reassigns: it brings the kept draft back on the intake page.
    wait_active(qtbot, window)
    table.setFocus()
    keys.press(Qt.Key.Key_R, CTRL)
    assert window.tabs.currentWidget() is window.intake_page
    assert window.form.description.toPlainText() == "street light out"
    assert len([m for m in console.ctx.cache.pending_mutations() if m.name == "ticket.reassign"]) == 1


def test_caller_context_attach_key(qtbot, make_console):
    console = make_console(sign_in_as=None)
    window, keys = console.window, Keyboard(qtbot)
    earlier = server_ticket(1, caller_phone="13812345678")
    pull(console.ctx.cache, [earlier])
    window.form.phone.setFocus()
    keys.type("13812345678")
    keys.press(Qt.Key.Key_Tab)  # the number is known: the caller's earlier tickets appear
    assert window.caller_context.history_model.rowCount() == 1
    assert "Ctrl+Shift+A" in window.caller_context.attach_button.text()
    keys.press(Qt.Key.Key_H, ALT)
    assert window.caller_context.history_view.hasFocus()
    with qtbot.waitSignal(window.caller_context.attachRequested) as attached:
        keys.press(Qt.Key.Key_A, CTRL | SHIFT)
    assert attached.args == [earlier["id"]]
    assert len(console.ctx.cache.notes(earlier["id"])) == 1


def test_diagnostics_tabs_by_keyboard_without_moving_the_window_behind(qtbot, make_console):
    console = make_console(sign_in_as=None)
    window, keys = console.window, Keyboard(qtbot)
    keys.press(Qt.Key.Key_2, CTRL)
    keys.press(Qt.Key.Key_D, CTRL | SHIFT)
    qtbot.waitUntil(lambda: getattr(window, "_diagnostics_dialog", None) is not None)
    dialog = window._diagnostics_dialog
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))
    keys.press(Qt.Key.Key_3, CTRL)
    assert dialog.tabs.currentIndex() == 2
    keys.press(Qt.Key.Key_2, CTRL)
    assert dialog.tabs.currentIndex() == 1
    keys.press(Qt.Key.Key_1, CTRL)
    assert dialog.tabs.currentIndex() == 0
    assert window.tabs.currentWidget() is window.queue, "the main window's Ctrl+1 did not fire behind the dialog"
    dialog.reject()


def test_every_action_is_bound_and_f1_lists_each_with_where_it_works(qtbot, make_console):
    console = make_console(sign_in_as=None)
    window, keys = console.window, Keyboard(qtbot)
    _signed_in(console, "sup1", "supervisor")
    window.show_diagnostics()
    unbound = [spec.id for spec in ACTION_SPECS if not window.registry.actions(spec.id)]
    assert unbound == []
    window._diagnostics_dialog.reject()

    wait_active(qtbot, window)
    keys.press(Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: getattr(window, "_help_dialog", None) is not None and window._help_dialog.isVisible())
    table = window._help_dialog.table
    rows = {table.item(row, 1).text(): (table.item(row, 0).text(), table.item(row, 2).text()) for row in range(table.rowCount())}
    assert table.rowCount() == len(ACTION_SPECS)
    from console.actions import translated

    for spec in ACTION_SPECS:
        where, keys_text = rows[translated(spec.text)]
        assert where == scope_name(spec.scope)
        assert keys_text.split(", ") == [native(k) for k in spec.shortcuts] or (not spec.shortcuts and keys_text == "—")
    assert {"Everywhere", "Intake", "Ticket list", "Open ticket", "Shift (supervisors)", "Diagnostics"} <= {w for w, _ in rows.values()}


def test_settings_edit_the_second_key_of_an_action(qtbot, make_console, hotline_home):
    console = make_console(sign_in_as=None)
    window, keys = console.window, Keyboard(qtbot)
    keys.press(Qt.Key.Key_Comma, CTRL)
    qtbot.waitUntil(lambda: getattr(window, "_settings_dialog", None) is not None and window._settings_dialog.isVisible())
    dialog = window._settings_dialog
    first, second = dialog.editors[ActionId.DISPATCH][:2]
    assert first.keySequence() == QKeySequence("Ctrl+Return") and second.keySequence() == QKeySequence("Ctrl+Enter")
    second.setKeySequence(QKeySequence("Ctrl+J"))
    dialog.editors[ActionId.NEW_TICKET][1].setKeySequence(QKeySequence("F9"))  # a second key where there was one
    dialog.save()
    assert not dialog.isVisible(), dialog.problem.text()
    assert window.registry.shortcuts(ActionId.DISPATCH) == ("Ctrl+Return", "Ctrl+J")
    assert window.registry.shortcuts(ActionId.NEW_TICKET) == ("F2", "F9")
    stored = QSettings(str(settings_path(hotline_home)), QSettings.Format.IniFormat)
    stored.beginGroup("shortcuts")
    assert {k: stored.value(k) for k in stored.childKeys()} == {"ticket.dispatch": "Ctrl+Return;Ctrl+J", "ticket.new": "F2;F9"}
    stored.endGroup()

    wait_active(qtbot, window)
    before = window.form.ticket_id
    keys.press(Qt.Key.Key_F9)
    assert window.form.ticket_id != before
    dispatch = window.registry.action(ActionId.DISPATCH)
    fired = []
    dispatch.triggered.connect(lambda *_: fired.append(True))
    window.form.focus_field("description")
    keys.press(Qt.Key.Key_J, CTRL)
    assert fired == [True]
    keys.press(Qt.Key.Key_Enter, CTRL | Qt.KeyboardModifier.KeypadModifier)
    assert fired == [True], "the replaced second key no longer dispatches"

    # And the second key can be cleared again: the dialog shows it, and an emptied field drops it.
    window.show_settings()
    dialog = window._settings_dialog
    assert dialog.editors[ActionId.DISPATCH][1].keySequence() == QKeySequence("Ctrl+J")
    dialog.editors[ActionId.DISPATCH][1].clear()
    dialog.save()
    assert window.registry.shortcuts(ActionId.DISPATCH) == ("Ctrl+Return",)


def test_settings_refuse_a_key_taken_in_an_overlapping_scope_and_allow_it_elsewhere(qtbot, make_console):
    console = make_console(sign_in_as=None)
    window = console.window
    window.show_settings()
    dialog = window._settings_dialog
    dialog.editors[ActionId.QUEUE_FIND][0].setKeySequence(QKeySequence("Ctrl+S"))
    dialog.save()
    assert dialog.isVisible() and native("Ctrl+S") in dialog.problem.text()
    assert window.registry.shortcuts(ActionId.QUEUE_FIND) == ("Ctrl+F",)
    dialog.editors[ActionId.QUEUE_FIND][0].setKeySequence(QKeySequence("Alt+1"))  # the intake's: never active together
    dialog.save()
    assert not dialog.isVisible()
    assert window.registry.shortcuts(ActionId.QUEUE_FIND) == ("Alt+1",)
