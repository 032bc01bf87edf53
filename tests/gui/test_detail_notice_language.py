"""The one-time hotkey notice follows a language switch instead of staying in the language it was shown in."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from console.i18n import current_language, install_language
from tests.gui.test_intake_support import make_console, suggester, trained_model_dir  # noqa: F401  (fixtures)


@pytest.fixture
def english_after():
    yield
    install_language(QApplication.instance(), "en")


def test_hotkey_notice_is_said_again_in_the_new_language(qtbot, make_console, english_after):
    install_language(QApplication.instance(), "en")
    console = make_console(sign_in_as=None)
    window = console.window
    assert window.notice.isVisible()
    english = window.notice.text()
    assert "global answer key is off" in english

    window.switch_language()
    assert current_language() == "zh_CN"
    qtbot.waitUntil(lambda: window.notice.text() != english)
    chinese = window.notice.text()
    assert "global answer key" not in chinese and any("\u4e00" <= ch <= "\u9fff" for ch in chinese)
    # The reason is translated too, not left in English inside the Chinese sentence.
    assert console.hotkey.status.reason not in chinese

    window.switch_language()
    qtbot.waitUntil(lambda: window.notice.text() == english)
