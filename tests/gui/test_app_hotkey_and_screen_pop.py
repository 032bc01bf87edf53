"""The console starts and works without a global hotkey (saying so once); calls pop it over local HTTP."""

from __future__ import annotations

import json
import threading
import urllib.request

from PySide6.QtCore import Qt

from console.hotkey import GlobalHotkey
from console.screen_pop_client import SECRET_HEADER, read_port, send_call
from console.settings import HOTKEY_NOTICE_SHOWN
from tests.gui.test_intake_support import Keyboard, wait_active, make_console, suggester, trained_model_dir  # noqa: F401


def test_console_works_without_global_hotkey_and_says_so_once(qtbot, make_console, hotline_home):
    # This machine has no /dev/input and the console never runs as root: registering must fail, calmly.
    console = make_console(sign_in_as=None)
    window = console.window
    assert not console.hotkey.status.registered
    assert console.hotkey.status.reason
    assert window.notice.isVisible()
    assert "global answer key is off" in window.notice.text()
    assert console.ctx.settings.get(HOTKEY_NOTICE_SHOWN) is True

    # Its own keys still work: F2 takes a call.
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_F2)
    assert window.form.description.hasFocus()
    keys.type("路灯不亮")
    assert window.form.description.toPlainText() == "路灯不亮"
    console.shutdown()

    # The next start on this workstation does not repeat the notice.
    again = make_console(sign_in_as=None)
    assert not again.hotkey.status.registered
    assert not again.window.notice.isVisible()


def test_global_hotkey_press_reaches_the_ui_thread_and_takes_a_call(qtbot, make_console):
    class Backend:
        """Stands in for the keyboard package where it may run: calls back on its own thread."""

        def __init__(self) -> None:
            self.callback = None

        def add_hotkey(self, combo, callback):
            self.combo, self.callback = combo, callback
            return "handle"

        def remove_hotkey(self, handle):
            self.callback = None

    backend = Backend()
    console = make_console(sign_in_as=None, hotkey_backend=backend)
    assert console.hotkey.status.registered
    assert not console.window.notice.isVisible()
    form = console.window.form
    form.focus_field("caller_name")
    before = form.ticket_id
    ui_thread = threading.current_thread()
    seen_threads = []
    console.window.intake.callPopped.connect(lambda _ani: seen_threads.append(threading.current_thread()))
    with qtbot.waitSignal(console.hotkey.pressed, timeout=5000):
        threading.Thread(target=backend.callback).start()
    qtbot.waitUntil(lambda: form.ticket_id != before)
    assert seen_threads == [ui_thread], "the window is touched on the UI thread only"
    assert form.description.hasFocus()


def test_hotkey_failure_in_the_package_is_caught():
    class Broken:
        def add_hotkey(self, combo, callback):
            raise ImportError("You must be root to use this library on linux.")

    hotkey = GlobalHotkey(backend=Broken())
    status = hotkey.register("ctrl+alt+a")
    assert not status.registered and "rights" in status.reason


def test_screen_pop_over_http_fills_the_number(qtbot, make_console, hotline_home):
    console = make_console(sign_in_as=None)
    assert read_port() == console.screen_pop.port, "the port is written to HOTLINE_HOME for `hotline call`"
    assert send_call("010-65123456") == 0  # port read from HOTLINE_HOME, as `hotline call --ani` does
    form = console.window.form
    qtbot.waitUntil(lambda: form.phone.text() == "010-65123456")
    assert form.description.hasFocus()

    # Malformed requests are refused with a message, and change nothing.
    request = urllib.request.Request(f"http://127.0.0.1:{console.screen_pop.port}/call", data=b"not json", method="POST",
                                     headers={"Content-Type": "application/json",
                                              SECRET_HEADER: console.screen_pop.secret})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        opener.open(request, timeout=5)
        raise AssertionError("malformed call was accepted")
    except urllib.error.HTTPError as exc:
        assert exc.code == 400
        assert "ani" in json.loads(exc.read())["message"]
    assert form.phone.text() == "010-65123456"


def test_send_call_without_a_running_console_says_what_to_do(hotline_home, capsys):
    assert send_call("13800138000") == 2
    assert "start `hotline` first" in capsys.readouterr().err
