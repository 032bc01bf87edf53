"""SLA time left for a ticket: the level (ok/amber/red/overdue), its text, and a table delegate that colours it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QStyledItemDelegate

from domain import sla as domain_sla

OK, AMBER, RED, OVERDUE, NONE = "ok", "amber", "red", "overdue", "none"

# Within these margins of the deadline the clock turns amber, then red.
AMBER_WITHIN = timedelta(hours=24)
RED_WITHIN = timedelta(hours=4)

COLOURS = {
    OK: QColor("#1b7f3a"),
    AMBER: QColor("#b86e00"),
    RED: QColor("#c62828"),
    OVERDUE: QColor("#ffffff"),
}

# Statuses whose clock has stopped (nothing more is due from a unit).
STOPPED = {"closed", "answered", "replied", "callback", "draft"}


def parse_time(value) -> datetime | None:
    """An aware datetime from an ISO text or datetime (None when empty or unreadable); a time written without a
    zone is the hotline's local time (HOTLINE_TZ), as the domain's SLA clock takes it."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
    return domain_sla.as_hotline_time(moment)


def time_left(due, now: datetime | None = None) -> timedelta | None:
    """How long until `due` (negative when overdue); None when there is no due time."""
    due_at = parse_time(due)
    if due_at is None:
        return None
    return domain_sla.time_left(due_at, now or datetime.now(timezone.utc))


def level(left: timedelta | None) -> str:
    if left is None:
        return NONE
    if left < timedelta(0):
        return OVERDUE
    if left <= RED_WITHIN:
        return RED
    if left <= AMBER_WITHIN:
        return AMBER
    return OK


def describe(left: timedelta | None) -> str:
    """'3d 4h', '2h 05m', '-1h 10m' (overdue) — short enough for a table column."""
    if left is None:
        return ""
    seconds = int(left.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        text = QCoreApplication.translate("Sla", "%1d %2h").replace("%1", str(days)).replace("%2", str(hours))
    else:
        text = QCoreApplication.translate("Sla", "%1h %2m").replace("%1", str(hours)).replace("%2", f"{minutes:02d}")
    if sign:
        return QCoreApplication.translate("Sla", "overdue %1").replace("%1", text)
    return text


def ticket_sla(ticket: dict, now: datetime | None = None) -> tuple[timedelta | None, str]:
    """(time left, level) for a ticket dict; stopped clocks show nothing."""
    if (ticket.get("status") or "") in STOPPED:
        return None, NONE
    left = time_left(ticket.get("due_at"), now)
    return left, level(left)


# The role a model uses to hand the SLA level to the delegate.
SlaLevelRole = Qt.ItemDataRole.UserRole + 10


TINTS = {OK: QColor("#e8f5e9"), AMBER: QColor("#fff3e0"), RED: QColor("#ffebee"), OVERDUE: QColor("#b71c1c")}


def cell_style(lvl: str) -> dict:
    """What an SLA cell looks like at this level: {"foreground": QColor, "background": QColor, "bold": bool}."""
    if lvl not in COLOURS:
        return {}
    return {"foreground": COLOURS[lvl], "background": TINTS[lvl], "bold": lvl in (RED, OVERDUE)}


class SlaDelegate(QStyledItemDelegate):
    """The SLA column's delegate: right-aligned clock text in the level's colours (given by the model's roles).

    It deliberately paints nothing itself: with PySide6 6.12 on Python 3.11, Python code in a delegate's paint
    (initStyleOption, QPainter.save, a None from index.data) drops references to None/True and crashes the
    process later; the default painter with Foreground/Background/Font roles draws the same colours safely.
    """

    def sizeHint(self, option, index):
        hint = super().sizeHint(option, index)
        hint.setWidth(hint.width() + 12)  # room for the bold text of red/overdue clocks
        return hint
