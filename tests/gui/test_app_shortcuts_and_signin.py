"""F1 lists every shortcut; shortcuts change in settings (only overrides stored); sign-in and a session that
survives a restart, even offline."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence

from console.actions import ACTION_SPECS, ActionId, ActionRegistry, conflicts
from console.settings import ConsoleSettings, settings_path
from console.signin import FALLBACK_DEMO_ACCOUNTS, SignInDialog
from tests.gui.test_intake_support import Keyboard, wait_active, make_console, service, suggester, trained_model_dir  # noqa: F401

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


def test_f1_shows_every_shortcut(qtbot, make_console):
    console = make_console(sign_in_as=None)
    window, keys = console.window, Keyboard(qtbot)
    keys.press(Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: getattr(window, "_help_dialog", None) is not None and window._help_dialog.isVisible())
    table = window._help_dialog.table
    assert table.rowCount() == len(ACTION_SPECS)
    listed = {key for row in range(table.rowCount()) for key in table.item(row, 2).text().split(", ")}
    for key in ("F2", "F4", "Alt+1", "Alt+5", "Esc", "Ctrl+Return", "Ctrl+Shift+Return"):
        assert QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) in listed, key
    wait_active(qtbot, window._help_dialog)
    keys.press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window._help_dialog.isVisible())


def test_changed_shortcut_works_and_only_the_override_is_stored(qtbot, make_console, hotline_home):
    console = make_console(sign_in_as=None)
    window, keys = console.window, Keyboard(qtbot)
    keys.press(Qt.Key.Key_Comma, CTRL)
    qtbot.waitUntil(lambda: getattr(window, "_settings_dialog", None) is not None and window._settings_dialog.isVisible())
    dialog = window._settings_dialog
    dialog.editors[ActionId.NEW_TICKET][0].setKeySequence(QKeySequence("F9"))
    dialog.save()
    assert not dialog.isVisible()

    stored = QSettings(str(settings_path(hotline_home)), QSettings.Format.IniFormat)
    stored.beginGroup("shortcuts")
    assert {k: stored.value(k) for k in stored.childKeys()} == {ActionId.NEW_TICKET.value: "F9"}
    stored.endGroup()

    wait_active(qtbot, window)
    before = window.form.ticket_id
    keys.press(Qt.Key.Key_F2)
    assert window.form.ticket_id == before, "the old key no longer starts a ticket"
    keys.press(Qt.Key.Key_F9)
    assert window.form.ticket_id != before

    # The override survives a restart.
    console.shutdown()
    again = make_console(sign_in_as=None)
    assert again.window.registry.shortcuts(ActionId.NEW_TICKET) == ("F9",)


def test_a_key_given_twice_is_refused(qtbot, make_console):
    console = make_console(sign_in_as=None)
    console.window.show_settings()
    dialog = console.window._settings_dialog
    dialog.editors[ActionId.NEW_TICKET][0].setKeySequence(QKeySequence("F4"))
    dialog.save()
    assert dialog.isVisible() and "F4" in dialog.problem.text()
    assert console.window.registry.shortcuts(ActionId.NEW_TICKET) == ("F2",)


def test_default_shortcuts_have_no_conflicts(qtbot):
    assert conflicts({spec.id: spec.shortcuts for spec in ACTION_SPECS}) == {}


def test_registry_ignores_unknown_overrides(qtbot):
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    qtbot.addWidget(window)
    registry = ActionRegistry(window, {"no.such.action": "F12", ActionId.HELP.value: "Shift+F1"})
    registry.bind(ActionId.HELP, window, lambda: None)
    assert registry.shortcuts(ActionId.HELP) == ("Shift+F1",)
    assert registry.action(ActionId.HELP).shortcut() == QKeySequence("Shift+F1")


def test_sign_in_screen_lists_demo_accounts_and_signs_in(qtbot, service):
    dialog = SignInDialog(service.url, embedded=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.demo_accounts.count() == len(FALLBACK_DEMO_ACCOUNTS))
    assert dialog.username.text() == "op1" and dialog.password.text() == "demo"

    # The staff accounts of this test service use another password: a wrong one is said in plain words.
    with qtbot.waitSignal(dialog._finished, timeout=10000):
        dialog._sign_in()
    assert "wrong user name or password" in dialog.problem.text()
    assert dialog.password.hasFocus() or not dialog.isActiveWindow()

    dialog.password.setText(service.password)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog._sign_in()
    assert dialog.session.username == "op1" and dialog.session.role == "operator"


def test_session_survives_a_restart_and_works_offline(qtbot, service, make_console, hotline_home):
    console = make_console(service.url)
    assert console.ctx.session.username == "op1"
    console.shutdown()
    service.stop()

    # A new console on this workstation: no sign-in needed, the service is down, the operator still works.
    saved = ConsoleSettings(hotline_home).session()
    assert saved["username"] == "op1" and saved["token"]
    # (The embedded service listens on a new port at each start: the session is still this workstation's.)
    again = make_console("http://127.0.0.1:9", sign_in_as=None)
    assert again.ctx.session.username == "op1"
    qtbot.waitUntil(lambda: again.ctx.sync.state is not None and not again.ctx.sync.state.online, timeout=20000)
    assert "offline" in again.window.user_label.text()
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_F2)
    keys.type("offline ticket: street light out")
    keys.press(Qt.Key.Key_S, CTRL)
    assert again.ctx.cache.count_tickets() == 1
    assert again.ctx.cache.pending_count() >= 1


def test_language_switches_at_run_time_and_is_remembered(qtbot, make_console, hotline_home):
    from PySide6.QtWidgets import QApplication

    from console.i18n import install_language
    from console.settings import LANGUAGE

    console = make_console(sign_in_as=None)
    window, keys = console.window, Keyboard(qtbot)
    try:
        keys.press(Qt.Key.Key_L, CTRL | Qt.KeyboardModifier.ShiftModifier)
        assert window.windowTitle() == "热线控制台"
        # Every widget's retranslate_ui runs on Qt's (posted) LanguageChange event.
        qtbot.waitUntil(lambda: window.form._labels["caller_phone"].text().startswith("来电号码"))
        assert window.form.suggestions._title.text() == "建议分类"
        assert ConsoleSettings(hotline_home).get(LANGUAGE) == "zh_CN"
        keys.press(Qt.Key.Key_L, CTRL | Qt.KeyboardModifier.ShiftModifier)
        assert window.windowTitle() == "Hotline console"
        qtbot.waitUntil(lambda: window.form._labels["caller_phone"].text() == "Caller number (Alt+P)")
        assert ConsoleSettings(hotline_home).get(LANGUAGE) == "en"
    finally:
        install_language(QApplication.instance(), "en")


def test_a_refused_token_asks_to_sign_in_again_without_losing_work(qtbot, service, make_console):
    from storage.http_client import logout

    console = make_console(service.url)
    qtbot.waitUntil(lambda: console.ctx.sync.state is not None and console.ctx.sync.state.online, timeout=20000)
    form, keys = console.window.form, Keyboard(qtbot)
    keys.press(Qt.Key.Key_F2)
    keys.type("typed before the token was revoked")
    logout(service.url, console.ctx.token())  # e.g. an administrator ended the session
    console.ctx.poke_sync()
    qtbot.waitUntil(lambda: console._signin_dialog is not None and console._signin_dialog.isVisible(), timeout=20000)
    dialog = console._signin_dialog
    assert dialog.username.text() == "op1"
    assert form.description.toPlainText() == "typed before the token was revoked", "the form is untouched"
    dialog.password.setText(service.password)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog._sign_in()
    qtbot.waitUntil(lambda: console.ctx.sync.state.signed_in and console.ctx.sync.state.online, timeout=20000)
    assert console.ctx.token() and console.ctx.token() == ConsoleSettings(console.ctx.home).session()["token"]
