"""Chinese and English switch at run time: every visible text of the queue and status widgets follows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from console.i18n import current_language, install_language, language_notifier, translations_dir
from console.queue import QueueView
from storage.sync import SyncState
from widgets.caller_context import CallerContextPanel
from widgets.sync_status import SyncStatusWidget
from widgets.ticket_table import NUMBER, STATUS, SLA
from tests.gui.test_queue_helpers import cache, pull, server_ticket  # noqa: F401  (fixture)


@pytest.fixture
def english_after():
    yield
    install_language(QApplication.instance(), "en")


def test_catalogue_is_shipped():
    assert (translations_dir() / "hotline_zh_CN.qm").is_file()
    assert (translations_dir() / "hotline_zh_CN.ts").is_file()


def test_switching_changes_visible_texts_at_run_time(qtbot, cache, english_after):
    ticket = server_ticket(1, status="dispatched")
    pull(cache, [ticket])
    app = QApplication.instance()
    queue = QueueView(cache, username="op1")
    status = SyncStatusWidget(cache)
    panel = CallerContextPanel(cache)
    for widget in (queue, status, panel):
        qtbot.addWidget(widget)
        widget.show()
    status.set_state(SyncState(online=False, pending=2))
    queue.open_ticket(ticket["id"])
    assert queue.model.headerData(NUMBER, Qt.Orientation.Horizontal) == "Number"
    assert queue.proxy.index(0, STATUS).data() == "dispatched"
    queue.apply_sync_changes(pull(cache, [dict(ticket, status="accepted", version=2)]))
    assert queue.banner.text() == f"Ticket {ticket['number']} is now accepted."

    with qtbot.waitSignal(language_notifier().languageChanged) as changed:
        assert install_language(app, "zh_CN")
    assert changed.args == ["zh_CN"] and current_language() == "zh_CN"
    # The LanguageChange event reaches each widget; retranslate_ui has run by the time events are processed.
    qtbot.waitUntil(lambda: status.online_label.text().endswith("离线"))
    assert status.pending_label.text() == "2 项工单更改待同步"
    assert queue.scope_combo.currentText() == "我的工单"
    assert queue.search_edit.placeholderText().startswith("搜索")
    assert queue.model.headerData(NUMBER, Qt.Orientation.Horizontal) == "工单编号"
    assert queue.model.headerData(SLA, Qt.Orientation.Horizontal) == "剩余时限"
    assert queue.proxy.index(0, STATUS).data() == "已签收"
    assert queue.banner.text() == f"工单 {ticket['number']} 现为“已签收”。"  # the banner is worded again too
    assert queue.detail.history_box.title() == "历史" and queue.detail.notes_box.title() == "备注"
    assert "工单" in queue.detail.header.text()
    assert panel.title.text() == "来电人"

    with qtbot.waitSignal(language_notifier().languageChanged):
        install_language(app, "en")
    qtbot.waitUntil(lambda: status.online_label.text().endswith("Offline"))
    assert queue.scope_combo.currentText() == "My tickets"
    assert queue.model.headerData(NUMBER, Qt.Orientation.Horizontal) == "Number"
    assert queue.proxy.index(0, STATUS).data() == "accepted"
    assert queue.detail.history_box.title() == "History"


def test_unknown_language_falls_back_to_the_default():
    from console.i18n import normalise_language

    assert normalise_language("zh-CN") == "zh_CN"
    assert normalise_language("en_US") == "en"
    assert normalise_language("fr") == "zh_CN"
