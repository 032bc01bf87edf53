"""Caller context beside the intake form: earlier tickets from the same number and likely duplicates."""

from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from domain.ticket import mask_phone, normalise_phone
from widgets.row_table import RowTableModel
from widgets.ticket_table import call_time_text, callback_text, status_text, ticket_reference

log = logging.getLogger("hotline.console")


class ContextTicketModel(RowTableModel):
    """A short list of tickets for the caller panel: number, status, date, category, callback result."""

    COLUMNS = 5

    def __init__(self, category_name: Callable[[str], str] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._category_name = category_name or (lambda code: code or "")

    def set_tickets(self, tickets: list[dict]) -> None:
        self.beginResetModel()
        self._rows = [dict(t) for t in tickets]
        self.endResetModel()

    def ticket_at(self, row: int) -> dict | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Number"), self.tr("Status"), self.tr("Call time"), self.tr("Category"), self.tr("Callback"))

    def cell(self, ticket: dict, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return ticket_reference(ticket)
            if column == 1:
                return status_text(ticket.get("status"))
            if column == 2:
                return call_time_text(ticket.get("call_started_at") or ticket.get("created_at"))
            if column == 3:
                return self._category_name(ticket.get("category_code") or "")
            return callback_text(ticket.get("callback_result"))
        if role == Qt.ItemDataRole.ToolTipRole:
            text = ticket.get("description") or ""
            return text[:300] or None
        if role == Qt.ItemDataRole.UserRole:
            return ticket.get("id")
        return None


def _is_open(ticket: dict) -> bool:
    return (ticket.get("status") or "") != "closed"


class CallerContextPanel(QWidget):
    """Shown as soon as the number is known: the caller's history and open tickets likely about the same thing.

    Enter on a ticket in either list (or `attach_current`, which the console binds to its attach key) emits
    attachRequested(ticket_id): the intake links the call to that ticket instead of opening a new one.
    """

    attachRequested = Signal(str)

    def __init__(self, cache, category_name: Callable[[str], str] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._cache = cache
        self._phone = ""
        self._context: tuple = ()
        self._attach_key = "Ctrl+Shift+A"  # what the button names; the console says which key it bound
        self.title = QLabel(self)
        self.title.setObjectName("callerContextTitle")
        self.title.setStyleSheet("font-weight: bold;")
        self.history_label = QLabel(self)
        self.history_model = ContextTicketModel(category_name, self)
        self.history_view = self._make_view(self.history_model, "callerHistory")
        self.duplicates_label = QLabel(self)
        self.duplicates_model = ContextTicketModel(category_name, self)
        self.duplicates_view = self._make_view(self.duplicates_model, "callerDuplicates")
        self.attach_button = QPushButton(self)
        self.attach_button.setObjectName("attachButton")
        self.attach_button.clicked.connect(self.attach_current)
        self.attach_button.setEnabled(False)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.history_label)
        layout.addWidget(self.history_view, 3)
        layout.addWidget(self.duplicates_label)
        layout.addWidget(self.duplicates_view, 2)
        layout.addWidget(self.attach_button)
        self.retranslate_ui()

    def set_attach_key(self, key_text: str) -> None:
        """The key the console bound to `attach_current`, as the person reads it (shown on the button)."""
        self._attach_key = key_text
        self.retranslate_ui()

    def _make_view(self, model, name: str) -> QTableView:
        view = QTableView(self)
        view.setObjectName(name)
        view.setModel(model)
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        view.verticalHeader().hide()
        view.setWordWrap(False)
        view.verticalHeader().setDefaultSectionSize(22)
        view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        view.installEventFilter(self)
        view.doubleClicked.connect(lambda index, v=view: self._attach_from(v, index))
        view.selectionModel().currentRowChanged.connect(lambda *_: self._update_attach_button())
        return view

    # --- what the intake calls ----------------------------------------------------------------------------
    def show_for_phone(self, phone: str, category_code: str | None = None, sub_district_code: str | None = None,
                       address: str | None = None, exclude_id: str | None = None) -> None:
        """Fill both lists; cheap indexed queries on the local cache, so it is there well within a second."""
        phone = normalise_phone(phone or "")
        self._phone = phone
        self._context = (category_code, sub_district_code, address, exclude_id)
        earlier: list[dict] = []
        if phone:
            try:
                earlier = [t for t in self._cache.tickets_by_phone(phone, limit=20) if t.get("id") != exclude_id]
            except Exception:
                log.exception("caller history lookup failed")
        # Open ones first, then the newest: the open one is what the caller is most likely ringing about.
        earlier.sort(key=lambda t: str(t.get("call_started_at") or t.get("created_at") or ""), reverse=True)
        earlier.sort(key=lambda t: 0 if _is_open(t) else 1)
        self.history_model.set_tickets(earlier)
        self.update_duplicates(category_code, sub_district_code, address, exclude_id)
        self.retranslate_ui()

    def update_duplicates(self, category_code=None, sub_district_code=None, address=None, exclude_id=None) -> None:
        """Likely duplicates: open tickets of the same category near the same address in the last 30 days."""
        self._context = (category_code, sub_district_code, address, exclude_id)
        duplicates: list[dict] = []
        if category_code and (sub_district_code or address):
            try:
                duplicates = self._cache.likely_duplicates(category_code, sub_district_code, address, days=30, exclude_id=exclude_id)
            except Exception:
                log.exception("duplicate lookup failed")
        self.duplicates_model.set_tickets([t for t in duplicates if _is_open(t)])
        self.retranslate_ui()

    def clear(self) -> None:
        self._phone = ""
        self.history_model.set_tickets([])
        self.duplicates_model.set_tickets([])
        self.retranslate_ui()

    # --- attaching ----------------------------------------------------------------------------------------
    def _attach_from(self, view: QTableView, index) -> None:
        ticket = view.model().ticket_at(index.row()) if index.isValid() else None
        if ticket and ticket.get("id"):
            self.attachRequested.emit(ticket["id"])

    def attach_current(self) -> None:
        """Attach to the ticket selected in whichever list has focus (duplicates first: the likelier target)."""
        for view in (self._focused_view(), self.duplicates_view, self.history_view):
            if view is not None and view.currentIndex().isValid():
                self._attach_from(view, view.currentIndex())
                return
        if self.duplicates_model.rowCount():
            self._attach_from(self.duplicates_view, self.duplicates_model.index(0, 0))

    def _focused_view(self) -> QTableView | None:
        for view in (self.history_view, self.duplicates_view):
            if view.hasFocus():
                return view
        return None

    def _update_attach_button(self) -> None:
        self.attach_button.setEnabled(bool(self.history_model.rowCount() or self.duplicates_model.rowCount()))

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and watched in (self.history_view, self.duplicates_view):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._attach_from(watched, watched.currentIndex())
                return True
        return super().eventFilter(watched, event)

    # --- texts --------------------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        if self._phone:
            self.title.setText(self.tr("Caller %1").replace("%1", mask_phone(self._phone)))
        else:
            self.title.setText(self.tr("Caller"))
        open_count = sum(1 for row in range(self.history_model.rowCount()) if _is_open(self.history_model.ticket_at(row)))
        self.history_label.setText(self.tr("Earlier tickets from this number: %1 (%2 open)")
                                   .replace("%1", str(self.history_model.rowCount())).replace("%2", str(open_count)))
        self.duplicates_label.setText(self.tr("Likely duplicates (same category nearby, last 30 days): %1")
                                      .replace("%1", str(self.duplicates_model.rowCount())))
        last = next((self.history_model.ticket_at(r) for r in range(self.history_model.rowCount())
                     if self.history_model.ticket_at(r).get("callback_result")), None)
        if last:
            self.summary.setText(self.tr("Last callback: %1").replace("%1", callback_text(last.get("callback_result"))))
        elif self._phone and not self.history_model.rowCount():
            self.summary.setText(self.tr("First call from this number."))
        else:
            self.summary.setText("")
        keys = f"Enter / {self._attach_key}" if self._attach_key else "Enter"
        self.attach_button.setText(self.tr("Attach to this ticket (%1)").replace("%1", keys))
        for model in (self.history_model, self.duplicates_model):
            model.retranslate_headers()
        self._update_attach_button()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
