"""Sign-in with a second factor, by keyboard, against the real service: the code field appears when the service
asks for it, a wrong code is said (in the person's language) and the field stays, the right code signs in."""

from __future__ import annotations

import pyotp
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from console.i18n import install_language
from console.signin import SignInDialog

SUPERVISOR = "sup1"


@pytest.fixture
def service(tmp_path, monkeypatch):
    """The real central service on SQLite, in a thread, with the staff accounts and sup1 enrolled in TOTP."""
    from server.accounts import enrol_totp
    from server.db import write_tx
    from server.migrate import migrate
    from server.runner import start_in_thread
    from server.testing import PASSWORD, add_staff

    monkeypatch.setenv("HOTLINE_MODEL_KEEPER", "off")  # no starter model: this test needs none
    db_url = f"sqlite:///{tmp_path / 'server.db'}"
    add_staff(db_url)
    with write_tx(migrate(db_url)) as conn:
        secret, _uri = enrol_totp(conn, SUPERVISOR)
    running = start_in_thread(db_url)
    running.password = PASSWORD
    running.totp = pyotp.TOTP(secret)
    yield running
    running.stop()


@pytest.fixture
def english_after():
    yield
    install_language(QApplication.instance(), "en")


def _wrong_code(totp: pyotp.TOTP) -> str:
    """A code that is none of those the service accepts now (this step and one either side)."""
    import time

    now = time.time()
    valid = {totp.at(now + delta) for delta in (-60, -30, 0, 30, 60)}
    return next(code for code in (f"{n:06d}" for n in range(0, 1000000, 7919)) if code not in valid)


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def _enter(qtbot, dialog, widget) -> None:
    # Wait for the answer as the person sees it (the button comes back): the worker thread's own signal is
    # not something to connect a test's slot to from here.
    qtbot.keyClick(widget, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog._ok.isEnabled(), timeout=15000)


def test_a_supervisor_with_a_second_factor_signs_in_by_keyboard(qtbot, service):
    dialog = SignInDialog(service.url, embedded=False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.otp_visible()  # nobody is asked for a code before the service says so

    _type(qtbot, dialog.username, SUPERVISOR)
    _type(qtbot, dialog.password, service.password)
    _enter(qtbot, dialog, dialog.password)
    assert dialog.session is None
    assert dialog.otp_visible()
    assert "6-digit code" in dialog.problem.text()
    qtbot.waitUntil(lambda: dialog.otp.hasFocus() or not dialog.isActiveWindow())

    # The field takes digits only, six at most.
    _type(qtbot, dialog.otp, "12ab-3 4567")
    assert dialog.otp.text() == "123456"
    dialog.otp.clear()

    _type(qtbot, dialog.otp, _wrong_code(service.totp))
    _enter(qtbot, dialog, dialog.otp)
    assert dialog.session is None
    assert dialog.otp_visible() and dialog.otp.text() == ""  # kept, emptied for the next code
    assert "wrong or has expired" in dialog.problem.text()
    assert dialog.password.text() == service.password  # the password is not asked again

    _type(qtbot, dialog.otp, service.totp.now())
    with qtbot.waitSignal(dialog.accepted, timeout=15000):
        qtbot.keyClick(dialog.otp, Qt.Key.Key_Return)
    assert dialog.session.username == SUPERVISOR and dialog.session.role == "supervisor"


def test_a_used_code_is_refused_and_the_refusal_reads_chinese(qtbot, service, english_after):
    from storage.http_client import login

    code = service.totp.now()
    login(service.url, SUPERVISOR, service.password, otp=code)  # the code is now used up

    install_language(QApplication.instance(), "zh_CN")
    dialog = SignInDialog(service.url, embedded=False, last_username=SUPERVISOR)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog.password, service.password)
    _enter(qtbot, dialog, dialog.password)
    assert dialog.otp_visible()
    assert dialog.problem.text() == "未登录：此账号还需要身份验证器应用中的 6 位验证码"

    _type(qtbot, dialog.otp, code)  # the same code again: a replay
    _enter(qtbot, dialog, dialog.otp)
    assert dialog.session is None and dialog.otp_visible()
    assert dialog.problem.text() == "未登录：6 位验证码错误或已过期：请输入应用当前显示的验证码"

    # Fewer than six digits is said at once, without asking the service.
    _type(qtbot, dialog.otp, "123")
    qtbot.keyClick(dialog.otp, Qt.Key.Key_Return)
    assert dialog.problem.text() == "请输入身份验证器应用中的 6 位验证码。"


def test_another_user_name_hides_the_code_field(qtbot, service):
    dialog = SignInDialog(service.url, embedded=False, last_username=SUPERVISOR)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog.password, service.password)
    _enter(qtbot, dialog, dialog.password)
    assert dialog.otp_visible()

    dialog.username.selectAll()
    _type(qtbot, dialog.username, "op1")  # an operator has no second factor
    assert not dialog.otp_visible()
    with qtbot.waitSignal(dialog.accepted, timeout=15000):
        qtbot.keyClick(dialog.username, Qt.Key.Key_Return)
    assert dialog.session.username == "op1"
