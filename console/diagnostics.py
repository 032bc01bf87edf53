"""Diagnostics view: why a ticket has not synced — sync state, recent log lines and rejected changes with reasons."""

from __future__ import annotations

import json
import sqlite3

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.actions import DIAGNOSTICS_TABS, bind
from console.log import LogLine, RingBufferHandler, ring_buffer
from storage.errors import StorageError
from widgets.row_table import RowTableModel
from widgets.sync_status import _local_time, _rejection_reason, last_problem_text


class RejectionTableModel(RowTableModel):
    """The changes the central service refused, with its reason, newest first."""

    COLUMNS = 4

    def __init__(self, rejections: list[dict] | None = None, parent=None) -> None:
        super().__init__(parent)
        self.set_rejections(rejections or [])

    def set_rejections(self, rejections: list[dict]) -> None:
        self.beginResetModel()
        # Newest first, whatever order they come in.
        self._rows = sorted(rejections, key=lambda r: (str(r.get("rejected_at") or r.get("created_at") or ""), r.get("mutation_id") or 0), reverse=True)
        self.endResetModel()

    def change_text(self, name: str) -> str:
        names = {
            "ticket.create": self.tr("new ticket"),
            "ticket.update": self.tr("ticket edit"),
            "note.add": self.tr("note"),
            "ticket.transition": self.tr("status change"),
            "ticket.reassign": self.tr("reassignment"),
        }
        return names.get(name, name)

    def headers(self) -> tuple[str, ...]:
        return (self.tr("When"), self.tr("Change"), self.tr("Ticket"), self.tr("Reason"))

    def cell(self, row: dict, column: int, role: int):
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return _local_time(row.get("rejected_at") or row.get("created_at")) or ""
            if column == 1:
                return self.change_text(str(row.get("name") or row.get("mutation") or ""))
            if column == 2:
                args = row.get("args") or {}
                if isinstance(args, str):
                    try:
                        args = json.loads(args)
                    except ValueError:
                        args = {}
                return str(row.get("number") or row.get("local_ref") or row.get("ticket_id") or args.get("ticket_id") or args.get("id") or "")
            return _rejection_reason(row)
        return None


class DiagnosticsDialog(QDialog):
    """Opened from the sync status; shows what the console knows about sync without reading files."""

    _lineLogged = Signal(object)  # from any thread -> queued onto the UI thread

    def __init__(self, cache=None, ring: RingBufferHandler | None = None, sync_state=None, server_url: str = "", parent=None) -> None:
        super().__init__(parent)
        self._cache = cache
        self._ring = ring or ring_buffer()
        self._state = sync_state
        self._server_url = server_url
        self.setMinimumSize(760, 460)

        self.tabs = QTabWidget(self)
        # Sync summary
        self.summary = QWidget(self)
        form = QFormLayout(self.summary)
        self.server_value = QLabel(self.summary)
        self.server_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.online_value = QLabel(self.summary)
        self.pending_value = QLabel(self.summary)
        self.last_value = QLabel(self.summary)
        self.error_value = QLabel(self.summary)
        self.error_value.setWordWrap(True)
        self.client_value = QLabel(self.summary)
        self.client_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._form_labels = [QLabel(self.summary) for _ in range(6)]
        for label, value in zip(self._form_labels, (self.server_value, self.online_value, self.pending_value,
                                                    self.last_value, self.error_value, self.client_value)):
            form.addRow(label, value)
        # Log lines
        self.log_view = QPlainTextEdit(self)
        self.log_view.setObjectName("diagnosticsLog")
        self.log_view.setReadOnly(True)
        self.log_view.setMaximumBlockCount(5000)
        self.log_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        # Rejections
        self.rejections_model = RejectionTableModel(parent=self)
        self.rejections_view = QTableView(self)
        self.rejections_view.setObjectName("diagnosticsRejections")
        self.rejections_view.setModel(self.rejections_model)
        self.rejections_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        for column in range(3):
            self.rejections_view.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.rejections_view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.rejections_view.verticalHeader().hide()

        self.tabs.addTab(self.summary, "")
        self.tabs.addTab(self.log_view, "")
        self.tabs.addTab(self.rejections_view, "")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        # Ctrl+1..3 switch tabs (keys from the action registry): the dialog is used from the keyboard like everything else.
        for number, action_id in enumerate(DIAGNOSTICS_TABS):
            bind(action_id, self, lambda n=number: self.tabs.setCurrentIndex(n))

        self._lineLogged.connect(self._append_line, Qt.ConnectionType.QueuedConnection)
        self.reload()
        self._ring.add_listener(self._on_line)
        self.retranslate_ui()

    def _on_line(self, line: LogLine) -> None:
        try:
            self._lineLogged.emit(line)
        except RuntimeError:  # dialog already deleted on the C++ side
            self._ring.remove_listener(self._on_line)

    def _append_line(self, line: LogLine) -> None:
        self.log_view.appendPlainText(line.text())

    def reload(self) -> None:
        """Re-read the ring buffer and the rejections (cheap: both are small)."""
        self.log_view.setPlainText("\n".join(line.text() for line in self._ring.lines()))
        self.log_view.moveCursor(self.log_view.textCursor().MoveOperation.End)
        rejections = []
        if self._cache is not None:
            try:
                rejections = self._cache.rejections()
            except (StorageError, sqlite3.Error) as exc:  # the view must open even when the cache is in trouble
                self.log_view.appendPlainText(f"(could not read rejected changes: {exc})")
        self.rejections_model.set_rejections(rejections)
        self._fill_summary()

    def set_state(self, state) -> None:
        self._state = state
        self._fill_summary()

    def _fill_summary(self) -> None:
        state = self._state
        self.server_value.setText(self._server_url or "—")
        if state is None:
            self.online_value.setText(self.tr("not started"))
        else:
            self.online_value.setText(self.tr("online") if getattr(state, "online", False) else self.tr("offline"))
        self.pending_value.setText(str(getattr(state, "pending", "") if state is not None else (self._cache.pending_count() if self._cache else "")))
        self.last_value.setText(_local_time(getattr(state, "last_success", None)) or "—")
        self.error_value.setText(last_problem_text(getattr(state, "last_error", None)) or "—")
        self.client_value.setText(str(getattr(self._cache, "client_id", "") or "—"))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Diagnostics"))
        self.hint.setText(self.tr("Why has a ticket not synced? Check the connection, the changes waiting, "
                                  "and the reasons the central service gave for refusing a change."))
        self.tabs.setTabText(0, self.tr("Sync"))
        self.tabs.setTabText(1, self.tr("Recent log"))
        self.tabs.setTabText(2, self.tr("Rejected changes (%1)").replace("%1", str(self.rejections_model.rowCount())))
        for label, text in zip(self._form_labels, (self.tr("Central service"), self.tr("Connection"),
                                                   self.tr("Changes waiting"), self.tr("Last sync"),
                                                   self.tr("Last problem"), self.tr("Workstation id"))):
            label.setText(text)
        self.rejections_model.retranslate_headers()
        self._fill_summary()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def done(self, result) -> None:
        self._ring.remove_listener(self._on_line)
        super().done(result)

    def closeEvent(self, event) -> None:
        self._ring.remove_listener(self._on_line)
        super().closeEvent(event)
