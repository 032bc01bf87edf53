"""The supervisor's shift view: the open queue with SLA clocks, operator load, and (bulk) reassignment with a reason."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Callable

from PySide6.QtCore import QEvent, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.actions import ActionId, bind
from console.log import QUEUE
from console.operations import Operations
from console.queue import ALL, OPEN_ONLY, QueueView
from storage.http_client import ServiceError
from widgets import sla
from widgets.row_table import RowTableModel

log = logging.getLogger(QUEUE)

# How many open tickets the load table counts from (the newest); a shift's queue is far smaller.
LOAD_SAMPLE = 5000


class OperatorLoadModel(RowTableModel):
    """Open tickets per operator, with how many of them are overdue or close to it."""

    COLUMNS = 4
    _rows: list[tuple[str, int, int, int]]

    def set_tickets(self, tickets: list[dict], operators: list[str] = ()) -> None:
        open_count, overdue, red = Counter(), Counter(), Counter()
        for ticket in tickets:
            if (ticket.get("status") or "") == "closed":
                continue
            operator = ticket.get("operator") or ""
            open_count[operator] += 1
            level = sla.ticket_sla(ticket)[1]
            if level == sla.OVERDUE:
                overdue[operator] += 1
            elif level == sla.RED:
                red[operator] += 1
        for name in operators:
            open_count.setdefault(name, 0)
        self.beginResetModel()
        self._rows = sorted(((name, open_count[name], overdue[name], red[name]) for name in open_count),
                            key=lambda row: (-row[1], row[0]))
        self.endResetModel()

    def operators(self) -> list[str]:
        return [row[0] for row in self._rows if row[0]]

    def load_of(self, operator: str) -> int:
        return next((row[1] for row in self._rows if row[0] == operator), 0)

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Operator"), self.tr("Open"), self.tr("Overdue"), self.tr("Due within 4 h"))

    def cell(self, row: tuple[str, int, int, int], column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return row[0] or self.tr("(unassigned)")
            return row[column]
        if role == Qt.ItemDataRole.UserRole:
            return row[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and row[2]:
            return sla.COLOURS[sla.RED]
        return None


class ReassignDialog(QDialog):
    """Pick an operator and say why; the reason goes with each ticket.reassign and into the history."""

    def __init__(self, operators: list[str], count: int, parent=None) -> None:
        super().__init__(parent)
        self.operator_combo = QComboBox(self)
        self.operator_combo.setObjectName("reassignOperator")
        self.operator_combo.setEditable(True)
        self.operator_combo.addItems(operators)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("reassignReason")
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #c62828;")
        self.count = count
        self.form = QFormLayout()
        self.operator_label, self.reason_label = QLabel(self), QLabel(self)
        self.operator_label.setBuddy(self.operator_combo)
        self.reason_label.setBuddy(self.reason_edit)
        self.form.addRow(self.operator_label, self.operator_combo)
        self.form.addRow(self.reason_label, self.reason_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.title = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    def operator(self) -> str:
        return self.operator_combo.currentText().strip()

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def accept(self) -> None:
        if not self.operator():
            self.message.setText(self.tr("Choose the operator who takes these tickets."))
            self.operator_combo.setFocus()
            return
        if not self.reason():
            self.message.setText(self.tr("Say why: the reason is kept in each ticket's history."))
            self.reason_edit.setFocus()
            return
        super().accept()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Reassign tickets"))
        self.title.setText(self.tr("Reassign %n ticket(s) to:", "", self.count))
        self.operator_label.setText(self.tr("&Operator:"))
        self.reason_label.setText(self.tr("&Reason:"))


class SupervisorView(QWidget):
    """The shift: every open ticket (SLA clocks, most urgent first), operator load, and a key to reassign."""

    reassigned = Signal(list)  # ticket ids changed here (already written and sent on their way)

    def __init__(self, cache, username: str, unit_code: str | None = None, category_name: Callable[[str], str] | None = None,
                 operators_provider: Callable[[], list[str]] | None = None, parent=None,
                 operations: Operations | None = None) -> None:
        super().__init__(parent)
        self._cache = cache
        self._username = username
        self._operators_provider = operators_provider
        self.operations = operations if operations is not None else Operations(cache, author=username, role="supervisor",
                                                                                parent=self)
        self.queue = QueueView(cache, username=username, role="supervisor", unit_code=unit_code,
                               category_name=category_name, parent=self, operations=self.operations)
        self.queue.set_scope(ALL)
        self.queue.set_status_filter(OPEN_ONLY)
        self.load_model = OperatorLoadModel(self)
        self.load_proxy = QSortFilterProxyModel(self)
        self.load_proxy.setSourceModel(self.load_model)
        self.load_proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.load_view = QTableView(self)
        self.load_view.setObjectName("operatorLoad")
        self.load_view.setModel(self.load_proxy)
        self.load_view.setSortingEnabled(True)
        self.load_view.verticalHeader().hide()
        self.load_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.load_title = QLabel(self)
        self.load_title.setStyleSheet("font-weight: bold;")
        self.reassign_button = QPushButton(self)
        self.reassign_button.setObjectName("reassignButton")
        self.reassign_button.clicked.connect(self.reassign_selected)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.load_title)
        side_layout.addWidget(self.load_view, 1)
        side_layout.addWidget(self.reassign_button)
        side_layout.addWidget(self.message)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.queue)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        side.setMinimumWidth(300)
        splitter.setSizes([1000, 360])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        # Its key comes from the action registry (Ctrl+Shift+R unless changed); the button names whichever it is.
        self.reassign_action = bind(ActionId.SHIFT_REASSIGN, self, self.reassign_selected)
        self.reassign_action.changed.connect(self._show_reassign_key)
        self.queue.ticketSaved.connect(lambda ticket_id: self.reassigned.emit([ticket_id]))
        # Any local change (here, in the operator's queue or at intake) may move the operator load.
        self.operations.changed.connect(self._on_local_changes)  # a method: Qt drops it when this view goes
        self.retranslate_ui()
        self.refresh_load()

    def refresh_load(self) -> None:
        try:
            tickets = self._cache.list_tickets(limit=LOAD_SAMPLE, offset=0)
        except Exception:
            log.exception("reading the operator load failed")
            tickets = []
        operators = []
        if self._operators_provider is not None:
            try:
                operators = list(self._operators_provider())
            except (ServiceError, OSError) as exc:  # offline: the names seen in the queue still work
                log.info("operator list unavailable: %s", exc)
        self.load_model.set_tickets(tickets, operators)
        self.load_view.sortByColumn(1, Qt.SortOrder.DescendingOrder)

    def _on_local_changes(self, _ticket_ids: list[str]) -> None:
        self.refresh_load()

    def apply_sync_changes(self, summary: dict) -> None:
        self.queue.apply_sync_changes(summary)
        if (summary or {}).get("tickets") or (summary or {}).get("revoked"):
            self.refresh_load()

    def operators(self) -> list[str]:
        names = set(self.load_model.operators())
        return sorted(names)

    def reassign(self, ticket_ids: list[str], operator: str, reason: str) -> list[str]:
        """Queue one ticket.reassign per ticket (expected assignee = what this console last saw). Returns problems."""
        # The rows and the load refresh from the operation's broadcast, like every other open view.
        done, refused = self.operations.bulk_reassign(ticket_ids, operator, reason)
        problems = [f"{ticket.get('number') or str(ticket['id'])[:8]}: {exc}" for ticket, exc in refused]
        if done:
            self.reassigned.emit(done)
        if problems:
            self.message.setText(self.tr("Not reassigned: %1").replace("%1", "; ".join(problems)))
        else:
            self.message.setText(self.tr("%n ticket(s) reassigned to %1; they go to the central service now.", "", len(done))
                                 .replace("%1", operator))
        log.info("reassigned %d ticket(s) to %s", len(done), operator)
        return problems

    def reassign_selected(self) -> bool:
        ticket_ids = self.queue.selected_ticket_ids() or ([self.queue.current_ticket_id()] if self.queue.current_ticket_id() else [])
        if not ticket_ids:
            self.message.setText(self.tr("Select one or more tickets first (Shift+arrows or Ctrl+click)."))
            return False
        operators = list(dict.fromkeys(self.operators() + (self._provider_operators())))
        dialog = ReassignDialog(operators, len(ticket_ids), self)
        self._dialog = dialog  # tests drive the open dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return not self.reassign(ticket_ids, dialog.operator(), dialog.reason())

    def _provider_operators(self) -> list[str]:
        if self._operators_provider is None:
            return []
        try:
            return list(self._operators_provider())
        except (ServiceError, OSError):  # offline: no names offered, one can still be typed
            return []

    def _show_reassign_key(self) -> None:
        key = self.reassign_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        text = self.tr("Reassign selected…")
        self.reassign_button.setText(f"{text} ({key})" if key else text)

    def retranslate_ui(self) -> None:
        self.load_title.setText(self.tr("Operator load"))
        self._show_reassign_key()
        self.load_model.retranslate_headers()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
