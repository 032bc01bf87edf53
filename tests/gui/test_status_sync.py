"""Sync status in the status bar, the diagnostics view, and the sync thread against a real embedded service."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import pytest
from PySide6.QtCore import Qt, qWarning

from console.diagnostics import DiagnosticsDialog
from console.log import install_logging, ring_buffer, uninstall_qt_message_handler
from console.sync_thread import SyncThread
from storage.sync import Backoff, SyncState
from widgets.sync_status import SyncStatusWidget
from tests.gui.test_queue_helpers import cache  # noqa: F401  (fixture)


def _reject_one(cache, reason="The ticket was reassigned meanwhile: ask the supervisor."):
    ticket = cache.create_ticket({"caller_phone": "13800138000", "description": "路灯不亮"}, "op1")
    cache.create_ticket({"caller_phone": "13900139000", "description": "井盖丢失"}, "op1")
    first = cache.pending_mutations()[0]
    cache.record_push_results([{"id": first.id, "status": "rejected", "error": reason}])
    return ticket, reason


def test_status_shows_offline_pending_and_rejection_reason(qtbot, cache):
    _ticket, reason = _reject_one(cache)
    widget = SyncStatusWidget(cache)
    qtbot.addWidget(widget)
    widget.show()
    widget.set_state(SyncState(online=False, pending=cache.pending_count(), rejected=1, last_error="connection refused"))
    assert "Offline" in widget.online_label.text()
    assert widget.pending_label.text() == "1 ticket change(s) waiting to sync"
    assert widget.rejection_label.isVisible() and reason in widget.rejection_label.text()
    assert "connection refused" in widget.toolTip()
    widget.set_state(SyncState(online=True, pending=0, rejected=1, last_success=datetime(2026, 11, 27, 8, 0, tzinfo=timezone.utc)))
    assert "Online" in widget.online_label.text()
    assert widget.pending_label.text() == "All changes synced"
    assert widget.last_sync_label.text().startswith("Last sync ")
    with qtbot.waitSignal(widget.diagnosticsRequested):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_diagnostics_shows_log_lines_qt_messages_and_rejections(qtbot, cache):
    _ticket, reason = _reject_one(cache)
    install_logging()
    try:
        logging.getLogger("hotline.sync").warning("push failed: service unreachable")
        qWarning("a message from Qt itself")
        dialog = DiagnosticsDialog(cache, ring_buffer(), SyncState(online=False, pending=1), "http://127.0.0.1:9")
        qtbot.addWidget(dialog)
        dialog.show()
        text = dialog.log_view.toPlainText()
        assert "hotline.sync: push failed: service unreachable" in text
        assert "hotline.qt: a message from Qt itself" in text
        # New lines arrive while the dialog is open (from any thread, queued to the UI thread).
        logging.getLogger("hotline.console").info("a later line")
        qtbot.waitUntil(lambda: "a later line" in dialog.log_view.toPlainText())
        assert dialog.rejections_model.rowCount() == 1
        assert dialog.rejections_model.index(0, 3).data() == reason
        assert dialog.rejections_model.index(0, 1).data() == "new ticket"
        assert "(1)" in dialog.tabs.tabText(2)
        assert dialog.online_value.text() == "offline" and dialog.pending_value.text() == "1"
        qtbot.keyClick(dialog, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    finally:
        uninstall_qt_message_handler()


@pytest.fixture
def service(tmp_path):
    """The real central service on SQLite in a thread, with staff accounts."""
    from server.runner import start_in_thread
    from server.testing import PASSWORD, add_staff

    db_url = f"sqlite:///{tmp_path / 'server.db'}"
    add_staff(db_url)
    running = start_in_thread(db_url)
    running.password = PASSWORD
    yield running
    running.stop()


def test_sync_thread_delivers_state_and_changes_from_a_real_engine(qtbot, cache, service, tmp_path):
    from storage.cache import LocalCache
    from storage.http_client import login
    from storage.sync import SyncEngine

    session = login(service.url, "op1", service.password)
    ticket = cache.create_ticket({"caller_phone": "13800138000", "description": "小区噪音扰民"}, "op1")
    sync = SyncThread(cache, service.url, lambda: session.token, backoff=Backoff(base=0.05, cap=0.5), periodic_pull_s=1.0)
    states, changes = [], []
    sync.stateChanged.connect(states.append)
    sync.changesArrived.connect(changes.append)
    sync.start()
    try:
        assert sync.is_running()
        # The local ticket goes out and comes back numbered: online, nothing pending.
        qtbot.waitUntil(lambda: bool(states and states[-1].online and states[-1].pending == 0
                                     and (cache.get_ticket(ticket["id"]) or {}).get("number")), timeout=20000)
        # A supervisor adds a note from another console: it arrives here as a change summary.
        supervisor_cache = LocalCache(tmp_path / "sup.db")
        supervisor = login(service.url, "sup1", service.password)
        other = SyncEngine(supervisor_cache, service.url, lambda: supervisor.token, live=False)
        other.sync_once()
        supervisor_cache.add_note(ticket["id"], "已联系物业", "sup1")
        assert other.sync_once().pending == 0
        other.close()
        supervisor_cache.close()
        sync.poke()
        # The ticket's own numbering also arrives as a change summary: wait for the one carrying the note.
        qtbot.waitUntil(lambda: any(ticket["id"] in (c.get("notes") or []) for c in changes), timeout=20000)
        assert [n["text"] for n in cache.notes(ticket["id"])] == ["已联系物业"]
    finally:
        with qtbot.waitSignal(sync.stopped, timeout=15000):
            assert sync.stop()
    assert not sync.is_running()


class _ScriptedEngine:
    """Stands in for the engine only to check the adapter's threading: reports from its own thread, obeys stop."""

    def __init__(self, cache, url, token_provider, on_state=None, on_changes=None, on_model=None, **_):
        import threading

        self.on_state, self.on_changes = on_state, on_changes
        self.poked = threading.Event()
        self.thread_name = None
        self.closed = False

    def run(self, stop_event):
        import threading

        self.thread_name = threading.current_thread().name
        self.on_state(SyncState(online=True, pending=0))
        while not stop_event.is_set():
            if self.poked.wait(0.05):
                self.poked.clear()
                self.on_changes({"tickets": ["t-1"], "revoked": []})
        self.closed = True

    def poke(self):
        self.poked.set()

    def close(self):
        self.closed = True


def test_sync_thread_runs_the_engine_off_the_ui_thread_and_stops_cleanly(qtbot):
    import threading

    sync = SyncThread(None, "http://127.0.0.1:9", lambda: "token", engine_factory=_ScriptedEngine)
    sync.poke()  # before start: nothing to wake, no error
    with qtbot.waitSignal(sync.stateChanged) as state:
        sync.start()
    assert state.args[0].online and sync.state.online
    engine = sync.engine
    assert engine.thread_name != threading.current_thread().name
    with qtbot.waitSignal(sync.changesArrived) as changes:
        sync.poke()
    assert changes.args == [{"tickets": ["t-1"], "revoked": []}]
    with qtbot.waitSignal(sync.stopped):
        assert sync.stop()
    assert engine.closed and not sync.is_running()
    # It can start again after a stop (sign out, sign in).
    with qtbot.waitSignal(sync.stateChanged):
        sync.start()
    with qtbot.waitSignal(sync.stopped):
        assert sync.stop()
