"""The queue: my tickets / the unit's / all, status filters, full-text search, SLA clocks, and the ticket detail."""

from __future__ import annotations

import logging
import sqlite3
from datetime import timedelta
from typing import Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.actions import bind_queue_keys
from console.log import QUEUE
from console.operations import Operations
from domain.ticket import Status
from domain.wire import ChangeSummary, empty_summary
from storage.errors import StorageError
from widgets import sla
from widgets.ticket_detail import TicketDetail
from widgets.ticket_table import (
    OPEN_ONLY,
    OVERDUE_ONLY,
    SLA,
    TicketFilterProxy,
    TicketIdRole,
    TicketTableModel,
    field_text,
    status_text,
    ticket_reference,
)

log = logging.getLogger(QUEUE)

MINE, UNIT, ALL = "mine", "unit", "all"
PAGE_SIZE = 200
SEARCH_LIMIT = 200
# A pull bigger than this (a full reset) reloads the first page rather than refreshing ticket by ticket.
ROW_REFRESH_LIMIT = 300
BANNER_MESSAGES = 3


def make_category_name(taxonomy=None, language: Callable[[], str] | None = None) -> Callable[[str], str]:
    """code -> the category's name in the current language (the code when the taxonomy does not know it)."""
    def name(code: str) -> str:
        if not code or taxonomy is None:
            return code or ""
        category = taxonomy.get(code)
        if category is None:
            return code
        lang = language() if language else "zh_CN"
        return (category.name_en if lang == "en" else category.name_zh) or code
    return name


class Banner(QWidget):
    """A one-line notice of what changed elsewhere; stays until dismissed (Esc on it, or its close button)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("changeBanner")
        self.label = QLabel(self)
        self.label.setObjectName("changeBannerText")
        self.label.setWordWrap(True)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button)
        self.setStyleSheet("#changeBanner { background: #fff3cd; border: 1px solid #e0c36a; } "
                           "#changeBannerText { color: #5c4400; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.hide()

    def show_message(self, text: str) -> None:
        self.label.setText(text)
        self.show()

    def text(self) -> str:
        # isHidden, not isVisible: the banner keeps its message while the queue tab is not the current one.
        return "" if self.isHidden() else self.label.text()


class QueueView(QWidget):
    """Tickets for this person: filters and search above, the list, and the opened ticket beside it.

    Keyboard: Ctrl+F search, Enter opens the selected ticket, Esc goes back to the list, arrows move.
    `apply_sync_changes(summary)` is connected to the sync thread's changesArrived.
    """

    ticketOpened = Signal(str)
    ticketSaved = Signal(str)  # a change made in this view's detail (already written and sent on its way)

    def __init__(self, cache, username: str = "", role: str = "operator", unit_code: str | None = None,
                 category_name: Callable[[str], str] | None = None, page_size: int = PAGE_SIZE, parent=None,
                 operations: Operations | None = None) -> None:
        super().__init__(parent)
        self._cache = cache
        # Local changes, this view's or any other's, arrive as one broadcast; the rows refresh from it.
        self.operations = operations if operations is not None else Operations(cache, author=username, role=role, parent=self)
        self.operations.changed.connect(self.apply_local_changes)
        self._username = username
        self._role = role
        self._unit_code = unit_code
        self._page_size = page_size
        self._category_name = category_name or (lambda code: code or "")
        self._search_text = ""

        self.scope_combo = QComboBox(self)
        self.scope_combo.setObjectName("queueScope")
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("queueStatus")
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("queueSearch")
        self.search_edit.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("queueCount")
        self.scope_label = QLabel(self)
        self.status_label = QLabel(self)
        self.scope_label.setBuddy(self.scope_combo)
        self.status_label.setBuddy(self.status_combo)
        top = QHBoxLayout()
        top.addWidget(self.scope_label)
        top.addWidget(self.scope_combo)
        top.addWidget(self.status_label)
        top.addWidget(self.status_combo)
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.count_label)

        self.banner = Banner(self)

        self.model = TicketTableModel(None, page_size=page_size, category_name=self._category_name, parent=self)
        self.proxy = TicketFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setObjectName("queueTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setItemDelegateForColumn(SLA, sla.SlaDelegate(self.table))
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(lambda index: self.open_ticket_at(index))
        self.table.sortByColumn(SLA, Qt.SortOrder.AscendingOrder)

        self.detail = TicketDetail(cache, author=username, role=role, category_name=self._category_name, parent=self,
                                   operations=self.operations)
        self.detail.hide()
        self.detail.closed.connect(self.close_detail)
        self.detail.saved.connect(self.ticketSaved.emit)
        self.detail.noteAdded.connect(self.ticketSaved.emit)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([860, 440])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self.run_search)
        self.search_edit.textEdited.connect(lambda _t: self._search_timer.start())
        self.search_edit.returnPressed.connect(self._search_now_and_focus_list)
        self.search_edit.installEventFilter(self)
        # The SLA clocks move: repaint that one column every 30 s, nothing else.
        self._sla_timer = QTimer(self)
        self._sla_timer.setInterval(30_000)
        self._sla_timer.timeout.connect(lambda: self.model.refresh_column(SLA))
        self._sla_timer.start()

        # Ctrl+F and the opened ticket's keys come from the action registry (F1 and the settings list them).
        bind_queue_keys(self)

        self._fill_combos()
        self.scope_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.status_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        self.model.rowsRemoved.connect(self._update_count)
        self.retranslate_ui()
        self.reload()

    # --- queries --------------------------------------------------------------------------------------------
    def _fill_combos(self) -> None:
        self.scope_combo.blockSignals(True)
        self.scope_combo.clear()
        scopes = [MINE]
        if self._unit_code:
            scopes.append(UNIT)
        scopes.append(ALL)
        for scope in scopes:
            self.scope_combo.addItem("", scope)
        # A supervisor watches the whole shift; an operator starts with their own tickets.
        self.scope_combo.setCurrentIndex(scopes.index(ALL) if self._role in ("supervisor", "admin") else 0)
        self.scope_combo.blockSignals(False)
        self.status_combo.blockSignals(True)
        self.status_combo.clear()
        for value in (None, OPEN_ONLY, OVERDUE_ONLY, *[s.value for s in Status if s != Status.DRAFT]):
            self.status_combo.addItem("", value)
        self.status_combo.setCurrentIndex(1)
        self.status_combo.blockSignals(False)

    def scope(self) -> str:
        return self.scope_combo.currentData() or MINE

    def set_scope(self, scope: str) -> None:
        index = self.scope_combo.findData(scope)
        if index >= 0:
            self.scope_combo.setCurrentIndex(index)

    def status_filter(self):
        return self.status_combo.currentData()

    def set_status_filter(self, value) -> None:
        index = self.status_combo.findData(value)
        if index >= 0:
            self.status_combo.setCurrentIndex(index)

    def _query(self) -> dict:
        query: dict = {}
        scope = self.scope()
        if scope == MINE:
            query["operator"] = self._username
        elif scope == UNIT:
            query["unit_code"] = self._unit_code
        status = self.status_filter()
        if status not in (None, OPEN_ONLY, OVERDUE_ONLY):
            query["status"] = status
        return query

    def _loader(self):
        query = self._query()
        return lambda offset, limit: self._cache.list_tickets(limit=limit, offset=offset, **query)

    def _accepts(self, ticket: dict) -> bool:
        """Would the current query list this ticket? (Decides whether a synced ticket joins or leaves the list.)"""
        for key, value in self._query().items():
            if (ticket.get(key) or "") != (value or ""):
                return False
        return True

    def reload(self) -> None:
        """Run the current scope/status query (or search) again: first page only; more pages as the list scrolls."""
        self.proxy.set_status_filter(self.status_filter() if self.status_filter() in (OPEN_ONLY, OVERDUE_ONLY) else None)
        if self._search_text:
            self.run_search()
            return
        self.model.set_loader(self._loader())
        self._fit_columns_once()
        self._select_first_if_none()

    def _fit_columns_once(self) -> None:
        # Widths from sample texts, once: measuring every cell (resizeColumnsToContents) costs a fifth of a second
        # at start; later reloads keep the widths the person may have dragged.
        if getattr(self, "_columns_fitted", False):
            return
        self._columns_fitted = True
        metrics = self.table.fontMetrics()
        samples = ("20261127-000123", status_text("extension_requested"), "M" * 11, "M" * 13, "138****5678",
                   "operator", sla.describe(timedelta(days=-88, hours=-6)), "2026-11-27 08:59")
        for column, sample in enumerate(samples):
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + (40 if column == SLA else 18))

    def run_search(self) -> None:
        self._search_timer.stop()
        text = self.search_edit.text().strip()
        self._search_text = text
        if not text:
            self.model.set_loader(self._loader())
        else:
            try:
                results = self._cache.search(text, limit=SEARCH_LIMIT)
            except Exception:
                log.exception("search failed")
                results = []
            query = self._query()
            if "operator" in query or "unit_code" in query:
                results = [t for t in results if all((t.get(k) or "") == (v or "") for k, v in query.items() if k != "status")]
            if "status" in query:
                results = [t for t in results if t.get("status") == query["status"]]
            self.model.set_tickets(results)
        self._select_first_if_none()

    def _search_now_and_focus_list(self) -> None:
        self.run_search()
        self.table.setFocus()

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def _select_first_if_none(self) -> None:
        if self.proxy.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectionModel().setCurrentIndex(
                self.proxy.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)

    def _update_count(self, *args) -> None:
        shown = self.proxy.rowCount()
        more = "+" if self.model.canFetchMore() else ""
        self.count_label.setText(self.tr("%1 tickets").replace("%1", f"{shown}{more}"))

    # --- opening --------------------------------------------------------------------------------------------
    def current_ticket_id(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(TicketIdRole) if index.isValid() else None

    def selected_ticket_ids(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [index.data(TicketIdRole) for index in rows if index.data(TicketIdRole)]

    def open_ticket_at(self, index) -> bool:
        ticket_id = index.data(TicketIdRole) if index.isValid() else None
        return self.open_ticket(ticket_id) if ticket_id else False

    def open_ticket(self, ticket_id: str) -> bool:
        if not self.detail.show_ticket(ticket_id):
            return False
        self.detail.show()
        self.detail.note_edit.setFocus()
        self.ticketOpened.emit(ticket_id)
        return True

    def close_detail(self) -> None:
        self.detail.hide()
        self.table.setFocus()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if watched is self.table and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_ticket_at(self.table.currentIndex())
                return True
            if watched is self.search_edit and key == Qt.Key.Key_Down:
                self.table.setFocus()
                return True
            if watched is self.search_edit and key == Qt.Key.Key_Escape and self.search_edit.text():
                self.search_edit.clear()
                self.run_search()
                return True
        return super().eventFilter(watched, event)

    # --- changes from sync or from this console -------------------------------------------------------------
    def apply_local_changes(self, ticket_ids: list[str]) -> None:
        """A change made in this console (any view): its rows refresh quietly, and the open ticket if it is one."""
        self.refresh_tickets(ticket_ids, announce=False)
        shown = self.detail.ticket_id()
        if shown and shown in ticket_ids and self.detail.isVisibleTo(self):
            self.detail.refresh_from_cache()
        self._update_count()

    def apply_sync_changes(self, summary: ChangeSummary) -> None:
        """Refresh only the rows that changed, keep whatever is being typed, and say what changed in the banner.

        A full reload (summary["reset"]) may have removed any row: the list is read again whole."""
        summary = summary or empty_summary()
        ticket_ids = list(dict.fromkeys(summary.get("tickets") or []))
        revoked = list(summary.get("revoked") or [])
        if summary.get("reset"):
            if self._search_text:
                self.run_search()
            else:
                self.model.set_loader(self._loader())
            messages: list = []
            ticket_ids = [self.detail.ticket_id()] if self.detail.ticket_id() else []  # it may be gone or changed
        elif len(ticket_ids) > ROW_REFRESH_LIMIT:
            # A big catch-up: reading each ticket would take longer than the first page.
            if not self._search_text:
                self.model.set_loader(self._loader())
            count = str(len(ticket_ids))
            messages = [lambda: self.tr("%1 tickets were updated by sync.").replace("%1", count)]
            ticket_ids = [t for t in ticket_ids if t == self.detail.ticket_id()]
        else:
            messages = self.refresh_tickets(ticket_ids, announce=True)
        if revoked:
            # Name them while their rows are still there.
            for reference in [self._reference_of(t) for t in revoked[:BANNER_MESSAGES]]:
                messages.append(lambda reference=reference: self.tr("Ticket %1 left your queue.").replace("%1", reference))
            self.model.remove_tickets(revoked)
        touched_detail = ticket_ids + revoked + list(summary.get("notes") or []) + list(summary.get("events") or [])
        if self.detail.ticket_id() and self.detail.ticket_id() in touched_detail:
            self.detail.refresh_from_cache()
        if messages:
            self._show_banner(messages)
        self._update_count()

    def _reference_of(self, ticket_id: str) -> str:
        row = self.model.row_of(ticket_id)
        ticket = self.model.ticket_at(row) if row is not None else None
        return ticket_reference(ticket) if ticket else ticket_id[:8]

    def refresh_tickets(self, ticket_ids: list[str], announce: bool = True) -> list[str]:
        old = {}
        for ticket_id in ticket_ids:
            row = self.model.row_of(ticket_id)
            if row is not None:
                old[ticket_id] = self.model.ticket_at(row)
        fresh = [t for t in (self._cache.get_ticket(i) for i in ticket_ids) if t is not None]
        accepts = None if self._search_text else self._accepts
        result = self.model.refresh_tickets(fresh, accepts=accepts)
        if not announce:
            return []
        messages: list = []
        added = set(result["added"])
        if len(added) > 1:
            # A catch-up brings many at once: one line, not one per ticket.
            count = len(added)
            messages.append(lambda: self.tr("%n new ticket(s) in this list.", "", count))
        for ticket in fresh:
            ticket_id = ticket.get("id")
            if ticket_id in added:
                if len(added) == 1:
                    reference = ticket_reference(ticket)
                    messages.append(lambda reference=reference: self.tr("New ticket %1 in this list.").replace("%1", reference))
            elif ticket_id in old:
                message = self._describe_change(old[ticket_id], ticket)
                if message:
                    messages.append(message)
        return messages

    def _last_actor(self, ticket_id: str, words: tuple[str, ...]) -> str:
        try:
            events = self._cache.history(ticket_id)
        except (StorageError, sqlite3.Error):  # the banner then names no one; the change itself is shown
            log.warning("history of %s not read", ticket_id, exc_info=True)
            return ""
        for event in reversed(events):
            if any(word in str(event.get("action") or "") for word in words):
                return str(event.get("actor") or event.get("author") or "")
        return ""

    def _describe_change(self, before: dict, after: dict):
        """A banner line for one changed ticket, as a callable so it can be worded again after a language switch."""
        reference = ticket_reference(after)
        operator = after.get("operator") or "—"
        if (before.get("operator") or "") != (after.get("operator") or ""):
            actor = self._last_actor(after["id"], ("reassign",))
            if actor:
                return lambda: (self.tr("Ticket %1 was reassigned to %2 by %3.")
                                .replace("%1", reference).replace("%2", operator).replace("%3", actor))
            return lambda: self.tr("Ticket %1 was reassigned to %2.").replace("%1", reference).replace("%2", operator)
        if (before.get("status") or "") != (after.get("status") or ""):
            status = after.get("status")
            return lambda: self.tr("Ticket %1 is now %2.").replace("%1", reference).replace("%2", status_text(status))
        if not before.get("number") and after.get("number"):
            return None  # the server numbered a ticket saved here: expected, not news
        changed = [k for k in ("description", "category_code", "incident_address", "caller_name", "urgency",
                               "sub_district_code", "request_type", "due_at") if (before.get(k) or "") != (after.get(k) or "")]
        if changed:
            return lambda: (self.tr("Ticket %1 was changed elsewhere (%2).")
                            .replace("%1", reference).replace("%2", ", ".join(field_text(k) for k in changed)))
        return None

    def _show_banner(self, messages: list) -> None:
        self._banner_messages = list(messages)
        self._render_banner()

    def _render_banner(self) -> None:
        messages = getattr(self, "_banner_messages", [])
        if not messages:
            return
        text = " ".join(message() for message in messages[:BANNER_MESSAGES])
        if len(messages) > BANNER_MESSAGES:
            text += " " + self.tr("(and %1 more changes)").replace("%1", str(len(messages) - BANNER_MESSAGES))
        self.banner.show_message(text)

    # --- texts ----------------------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        scope_names = {MINE: self.tr("My tickets"), UNIT: self.tr("My unit"), ALL: self.tr("All tickets")}
        for index in range(self.scope_combo.count()):
            self.scope_combo.setItemText(index, scope_names.get(self.scope_combo.itemData(index), ""))
        special = {None: self.tr("Any status"), OPEN_ONLY: self.tr("Open"), OVERDUE_ONLY: self.tr("Overdue")}
        for index in range(self.status_combo.count()):
            value = self.status_combo.itemData(index)
            self.status_combo.setItemText(index, special[value] if value in special else status_text(value))
        self.scope_label.setText(self.tr("&Show:"))
        self.status_label.setText(self.tr("S&tatus:"))
        self.search_edit.setPlaceholderText(self.tr("Search number, phone, words, address (Ctrl+F)"))
        self.model.retranslate()
        self._update_count()
        if not self.banner.isHidden():
            self._render_banner()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
