"""The ticket list model: tickets as plain dicts in pages, columns for the queue, rows refreshed one by one."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont

from domain.ticket import mask_phone
from widgets import sla

TicketLoader = Callable[[int, int], list[dict]]  # (offset, limit) -> tickets

NUMBER, STATUS, CATEGORY, PLACE, CALLER, OPERATOR, SLA, CALL_TIME = range(8)
COLUMN_KEYS = ("number", "status", "category", "place", "caller", "operator", "sla", "call_time")

TicketIdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
StatusRole = Qt.ItemDataRole.UserRole + 3
OperatorRole = Qt.ItemDataRole.UserRole + 4


def column_title(column: int) -> str:
    titles = (
        QCoreApplication.translate("TicketTableModel", "Number"),
        QCoreApplication.translate("TicketTableModel", "Status"),
        QCoreApplication.translate("TicketTableModel", "Category"),
        QCoreApplication.translate("TicketTableModel", "Place"),
        QCoreApplication.translate("TicketTableModel", "Caller"),
        QCoreApplication.translate("TicketTableModel", "Operator"),
        QCoreApplication.translate("TicketTableModel", "SLA left"),
        QCoreApplication.translate("TicketTableModel", "Call time"),
    )
    return titles[column]


def status_text(status: str | None) -> str:
    """The status in the person's language (lupdate sees every one of them here)."""
    names = {
        "draft": QCoreApplication.translate("Status", "draft"),
        "registered": QCoreApplication.translate("Status", "registered"),
        "answered": QCoreApplication.translate("Status", "answered directly"),
        "dispatched": QCoreApplication.translate("Status", "dispatched"),
        "accepted": QCoreApplication.translate("Status", "accepted"),
        "returned": QCoreApplication.translate("Status", "returned"),
        "arbitration": QCoreApplication.translate("Status", "in arbitration"),
        "extension_requested": QCoreApplication.translate("Status", "extension requested"),
        "replied": QCoreApplication.translate("Status", "replied"),
        "callback": QCoreApplication.translate("Status", "callback"),
        "closed": QCoreApplication.translate("Status", "closed"),
        "reopened": QCoreApplication.translate("Status", "reopened"),
    }
    return names.get(status or "", status or "")


def action_text(action: str | None) -> str:
    """A lifecycle action in the person's words."""
    names = {
        "register": QCoreApplication.translate("Status", "register"),
        "answer": QCoreApplication.translate("Status", "answer directly"),
        "close": QCoreApplication.translate("Status", "close"),
        "dispatch": QCoreApplication.translate("Status", "dispatch"),
        "accept": QCoreApplication.translate("Status", "accept"),
        "return": QCoreApplication.translate("Status", "return to the hotline"),
        "arbitrate": QCoreApplication.translate("Status", "take to arbitration"),
        "redispatch": QCoreApplication.translate("Status", "dispatch again"),
        "request_extension": QCoreApplication.translate("Status", "ask for more time"),
        "approve_extension": QCoreApplication.translate("Status", "approve the extension"),
        "deny_extension": QCoreApplication.translate("Status", "deny the extension"),
        "reply": QCoreApplication.translate("Status", "reply with the result"),
        "start_callback": QCoreApplication.translate("Status", "start the callback"),
        "reopen": QCoreApplication.translate("Status", "reopen"),
    }
    return names.get(action or "", action or "")


def callback_text(result: str | None) -> str:
    names = {
        "satisfied": QCoreApplication.translate("Status", "satisfied"),
        "basically_satisfied": QCoreApplication.translate("Status", "basically satisfied"),
        "unsatisfied": QCoreApplication.translate("Status", "unsatisfied"),
        "not_reached": QCoreApplication.translate("Status", "not reached"),
    }
    return names.get(result or "", result or "")


def request_type_text(value: str | None) -> str:
    names = {
        "inquiry": QCoreApplication.translate("TicketTableModel", "inquiry"),
        "help": QCoreApplication.translate("TicketTableModel", "help"),
        "complaint": QCoreApplication.translate("TicketTableModel", "complaint"),
        "report": QCoreApplication.translate("TicketTableModel", "report"),
        "suggestion": QCoreApplication.translate("TicketTableModel", "suggestion"),
    }
    return names.get(value or "", value or "")


def urgency_text(value: str | None) -> str:
    names = {
        "normal": QCoreApplication.translate("TicketTableModel", "normal"),
        "urgent": QCoreApplication.translate("TicketTableModel", "urgent"),
        "very_urgent": QCoreApplication.translate("TicketTableModel", "very urgent"),
    }
    return names.get(value or "", value or "")


def field_text(name: str) -> str:
    """A ticket field's name for messages ("changed elsewhere (description)")."""
    names = {
        "description": QCoreApplication.translate("TicketTableModel", "description"),
        "category_code": QCoreApplication.translate("TicketTableModel", "category"),
        "incident_address": QCoreApplication.translate("TicketTableModel", "incident address"),
        "caller_name": QCoreApplication.translate("TicketTableModel", "caller name"),
        "urgency": QCoreApplication.translate("TicketTableModel", "urgency"),
        "sub_district_code": QCoreApplication.translate("TicketTableModel", "sub-district"),
        "request_type": QCoreApplication.translate("TicketTableModel", "request type"),
        "due_at": QCoreApplication.translate("TicketTableModel", "due time"),
        "caller_address": QCoreApplication.translate("TicketTableModel", "caller location"),
    }
    return names.get(name, name)


def ticket_reference(ticket: dict) -> str:
    """The server's number, or a local reference until the number arrives through sync."""
    if ticket.get("number"):
        return str(ticket["number"])
    local = ticket.get("local_ref") or str(ticket.get("id", "")).replace("-", "")[:8]
    return QCoreApplication.translate("TicketTableModel", "local %1").replace("%1", str(local))


def call_time_text(value) -> str:
    moment = sla.parse_time(value)
    if moment is None:
        return ""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class TicketTableModel(QAbstractTableModel):
    """Tickets in pages: the first page at once, more as the view scrolls (fetchMore), never all 100k at start."""

    def __init__(self, loader: TicketLoader | None = None, page_size: int = 200, category_name: Callable[[str], str] | None = None,
                 place_name: Callable[[dict], str] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[dict] = []
        self._loader = loader
        self._page_size = page_size
        self._exhausted = loader is None
        self._category_name = category_name or (lambda code: code or "")
        self._place_name = place_name or (lambda t: t.get("incident_address") or t.get("sub_district_code") or "")
        self._now: datetime | None = None  # fixed by tests; None means the wall clock
        if loader is not None:
            self._load_page()

    # --- filling -------------------------------------------------------------------------------------------
    def set_loader(self, loader: TicketLoader | None) -> None:
        """Start over with another query (scope, status, search): first page only."""
        self.beginResetModel()
        self._rows = []
        self._loader = loader
        self._exhausted = loader is None
        if loader is not None:
            self._rows = self._fetch(0)
        self.endResetModel()

    def set_tickets(self, tickets: list[dict]) -> None:
        """A fixed list (search results): nothing more to fetch."""
        self.beginResetModel()
        self._rows = [dict(t) for t in tickets]
        self._loader = None
        self._exhausted = True
        self.endResetModel()

    def set_now(self, now: datetime | None) -> None:
        self._now = now

    def set_category_name(self, category_name: Callable[[str], str]) -> None:
        self._category_name = category_name
        self.refresh_column(CATEGORY)

    def _fetch(self, offset: int) -> list[dict]:
        rows = list(self._loader(offset, self._page_size)) if self._loader else []
        if len(rows) < self._page_size:
            self._exhausted = True
        return rows

    def _load_page(self) -> None:
        self._rows = self._fetch(0)

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        if parent.isValid():
            return False
        return not self._exhausted

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or self._exhausted:
            return
        more = self._fetch(len(self._rows))
        known = {t.get("id") for t in self._rows}
        more = [t for t in more if t.get("id") not in known]
        if not more:
            self._exhausted = True
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    # --- reading -------------------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMN_KEYS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMN_KEYS):
            return column_title(section)
        return super().headerData(section, orientation, role)

    def ticket_at(self, row: int) -> dict | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def tickets(self) -> list[dict]:
        return list(self._rows)

    def row_of(self, ticket_id: str) -> int | None:
        for row, ticket in enumerate(self._rows):
            if ticket.get("id") == ticket_id:
                return row
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) or not (0 <= index.column() < len(COLUMN_KEYS)):
            return None
        ticket = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(ticket, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == CATEGORY:
                return ticket.get("category_code") or None
            if column == PLACE:
                return ticket.get("incident_address") or None
            return None
        if role == TicketIdRole:
            return ticket.get("id")
        if role == StatusRole:
            return ticket.get("status")
        if role == OperatorRole:
            return ticket.get("operator") or ""
        if role == sla.SlaLevelRole:
            return sla.ticket_sla(ticket, self._now)[1] if column == SLA else None
        if role == SortRole:
            if column == SLA:
                # The due moment itself, not the time left: a key computed against "now" moves while Qt sorts,
                # and an inconsistent order is undefined behaviour in the sort (rows lost, memory corrupted).
                # Stopped clocks sort last; the most urgent first.
                if (ticket.get("status") or "") in sla.STOPPED:
                    return float("inf")
                due = sla.parse_time(ticket.get("due_at"))
                return due.timestamp() if due is not None else float("inf")
            if column == CALL_TIME:
                return str(ticket.get("call_started_at") or ticket.get("created_at") or "")
            return self._display(ticket, column)
        if column == SLA and role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole):
            style = sla.cell_style(sla.ticket_sla(ticket, self._now)[1])
            if not style:
                return None
            if role == Qt.ItemDataRole.ForegroundRole:
                return style["foreground"]
            if role == Qt.ItemDataRole.BackgroundRole:
                return style["background"]
            font = QFont()
            font.setBold(style["bold"])
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SLA:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, ticket: dict, column: int) -> str:
        if column == NUMBER:
            return ticket_reference(ticket)
        if column == STATUS:
            return status_text(ticket.get("status"))
        if column == CATEGORY:
            return self._category_name(ticket.get("category_code") or "")
        if column == PLACE:
            return self._place_name(ticket)
        if column == CALLER:
            return mask_phone(ticket.get("caller_phone")) if ticket.get("caller_phone") else ""
        if column == OPERATOR:
            return ticket.get("operator") or ""
        if column == SLA:
            return sla.describe(sla.ticket_sla(ticket, self._now)[0])
        if column == CALL_TIME:
            return call_time_text(ticket.get("call_started_at") or ticket.get("created_at"))
        return ""

    # --- changes from sync -----------------------------------------------------------------------------------
    def refresh_tickets(self, tickets: list[dict], accepts: Callable[[dict], bool] | None = None) -> dict:
        """Replace the rows of these tickets (dataChanged for those rows only); new ones that `accepts` go on top,
        ones it no longer accepts leave. Returns {"updated": [...], "added": [...], "removed": [...]} ids."""
        updated, added, removed = [], [], []
        for ticket in tickets:
            row = self.row_of(ticket.get("id"))
            keep = accepts(ticket) if accepts else True
            if row is not None and keep:
                self._rows[row] = dict(ticket)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMN_KEYS) - 1))
                updated.append(ticket.get("id"))
            elif row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
                removed.append(ticket.get("id"))
            elif accepts is not None and keep:
                self.beginInsertRows(QModelIndex(), 0, 0)
                self._rows.insert(0, dict(ticket))
                self.endInsertRows()
                added.append(ticket.get("id"))
        return {"updated": updated, "added": added, "removed": removed}

    def remove_tickets(self, ticket_ids) -> list[str]:
        removed = []
        for ticket_id in ticket_ids:
            row = self.row_of(ticket_id)
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
                removed.append(ticket_id)
        return removed

    def refresh_column(self, column: int) -> None:
        """Repaint one column (the SLA clocks tick; the language changed) without touching the rest."""
        if self._rows:
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMN_KEYS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMN_KEYS) - 1))

    def now(self) -> datetime:
        return self._now or datetime.now(timezone.utc)


OPEN_ONLY = "__open__"
OVERDUE_ONLY = "__overdue__"


class TicketFilterProxy(QSortFilterProxyModel):
    """Sorting (by real values, not display text) and the quick filters that need no new query."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._status_filter: str | None = None
        self._operator_filter: str | None = None
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(True)

    def set_status_filter(self, status: str | None) -> None:
        """None: all; OPEN_ONLY: not closed; OVERDUE_ONLY: clock past due; else one status."""
        self._change_filter(lambda: setattr(self, "_status_filter", status))

    def set_operator_filter(self, operator: str | None) -> None:
        self._change_filter(lambda: setattr(self, "_operator_filter", operator))

    def _change_filter(self, change) -> None:
        # Qt 6.10 replaced invalidateFilter() with begin/endFilterChange(); keep working on both.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange()
        else:
            change()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row, source_parent) -> bool:
        model = self.sourceModel()
        ticket = model.ticket_at(source_row) if hasattr(model, "ticket_at") else None
        if ticket is None:
            return True
        if self._operator_filter and (ticket.get("operator") or "") != self._operator_filter:
            return False
        wanted = self._status_filter
        if wanted is None:
            return True
        status = ticket.get("status") or ""
        if wanted == OPEN_ONLY:
            return status != "closed"
        if wanted == OVERDUE_ONLY:
            return sla.ticket_sla(ticket, getattr(model, "_now", None))[1] == sla.OVERDUE
        return status == wanted
