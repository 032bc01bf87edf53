"""The status-bar sync indicator: online/offline, tickets waiting to sync, last sync, last rejection reason."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from console.server_messages import message_text, rejection_text
from storage.errors import StorageError


def _local_time(moment) -> str:
    if moment is None:
        return ""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        except ValueError:
            return moment
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%H:%M:%S")


def _raw_rejection_reason(rejection: dict) -> str:
    """The reason as the central service gave it (English)."""
    for key in ("reason", "message", "error"):
        value = rejection.get(key)
        if isinstance(value, dict):
            value = value.get("message") or value.get("error")
        if value:
            return str(value)
    return ""


def _rejection_reason(rejection: dict) -> str:
    """Why the service refused a change, in the person's language (never its English in the Chinese UI)."""
    raw = _raw_rejection_reason(rejection)
    return rejection_text(raw) if raw else ""


def last_problem_text(error) -> str:
    """The sync engine's last problem (the service's or the sync layer's words) in the person's language."""
    return message_text(str(error)) if error else ""


class SyncStatusWidget(QWidget):
    """Always visible in the status bar; a click (or the main window's shortcut) asks for the diagnostics view.

    `set_state` takes the sync engine's SyncState (online, pending, last_success, last_error, rejected). When a
    cache is given, a rise in the rejected count reads the newest rejection's reason from it.
    """

    diagnosticsRequested = Signal()

    def __init__(self, cache=None, parent=None) -> None:
        super().__init__(parent)
        self._cache = cache
        self._state = None
        self._rejection_reason = ""
        self._seen_rejected = None
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(10)
        self.online_label = QLabel(self)
        self.online_label.setObjectName("syncOnline")
        self.pending_label = QLabel(self)
        self.pending_label.setObjectName("syncPending")
        self.last_sync_label = QLabel(self)
        self.last_sync_label.setObjectName("syncLast")
        self.rejection_label = QLabel(self)
        self.rejection_label.setObjectName("syncRejection")
        self.rejection_label.setStyleSheet("color: #c62828;")
        for label in (self.online_label, self.pending_label, self.last_sync_label, self.rejection_label):
            layout.addWidget(label)
        if cache is not None:
            self._rejection_reason = self._latest_rejection_reason()
        self.retranslate_ui()

    # --- state --------------------------------------------------------------------------------------------
    def set_state(self, state) -> None:
        self._state = state
        rejected = getattr(state, "rejected", 0) or 0
        if self._cache is not None and rejected != self._seen_rejected:
            self._rejection_reason = self._latest_rejection_reason() or self._rejection_reason
        self._seen_rejected = rejected
        self.retranslate_ui()

    def set_rejection_reason(self, reason: str | None) -> None:
        self._rejection_reason = reason or ""
        self.retranslate_ui()

    def _latest_rejection_reason(self) -> str:
        try:
            rejections = self._cache.rejections()
        except (StorageError, sqlite3.Error):  # the status bar still shows the rest
            return ""
        if not rejections:
            return ""
        return _raw_rejection_reason(rejections[0])  # the cache lists the newest first; worded when shown

    def state(self):
        return self._state

    # --- texts --------------------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        state = self._state
        online = bool(getattr(state, "online", False))
        pending = int(getattr(state, "pending", 0) or 0)
        if state is None:
            self.online_label.setText("○ " + self.tr("Connecting…"))
            self.online_label.setStyleSheet("color: #666666;")
        elif online:
            self.online_label.setText("● " + self.tr("Online"))
            self.online_label.setStyleSheet("color: #1b7f3a; font-weight: bold;")
        else:
            self.online_label.setText("● " + self.tr("Offline"))
            self.online_label.setStyleSheet("color: #c62828; font-weight: bold;")
        if pending:
            self.pending_label.setText(self.tr("%n ticket change(s) waiting to sync", "", pending))
        else:
            self.pending_label.setText(self.tr("All changes synced"))
        last = getattr(state, "last_success", None)
        self.last_sync_label.setText(self.tr("Last sync %1").replace("%1", _local_time(last)) if last else self.tr("Not synced yet"))
        if self._rejection_reason:
            self.rejection_label.setText(self.tr("Rejected: %1").replace("%1", rejection_text(self._rejection_reason)))
            self.rejection_label.show()
        else:
            self.rejection_label.clear()
            self.rejection_label.hide()
        error = getattr(state, "last_error", None)
        tip = self.tr("Click for diagnostics: recent log lines and rejected changes.")
        if error and not online:
            tip = self.tr("Last problem: %1").replace("%1", last_problem_text(error)) + "\n" + tip
        self.setToolTip(tip)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.diagnosticsRequested.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.diagnosticsRequested.emit()
            return
        super().keyPressEvent(event)
