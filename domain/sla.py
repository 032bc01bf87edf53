"""SLA clocks: accept and resolve deadlines that start when a ticket is dispatched, on working days."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone, tzinfo

from domain.calendar import WorkCalendar, load_calendar
from domain.config import hotline_zone

DAY_END = time(23, 59, 59)


@dataclass(frozen=True)
class SlaClock:
    dispatched_at: datetime
    accept_due: datetime
    resolve_due: datetime
    accept_hours: int
    resolve_days: int
    urgency: str

    def as_dict(self) -> dict:
        return {"accept_due": self.accept_due.isoformat(), "resolve_due": self.resolve_due.isoformat(),
                "accept_hours": self.accept_hours, "resolve_days": self.resolve_days, "urgency": self.urgency}


def limits_for(accept_hours: int, resolve_days: int, urgency: str) -> tuple[int, int]:
    """(hours to accept, working days to resolve) after urgency shortens the category's limits."""
    accept_hours = max(1, int(accept_hours or 24))
    resolve_days = max(1, int(resolve_days or 5))
    if urgency == "very_urgent":
        return 1, 1
    if urgency == "urgent":
        return max(1, math.ceil(accept_hours / 2)), max(1, math.ceil(resolve_days / 2))
    return accept_hours, resolve_days


def _add_working_hours(start: datetime, hours: int, calendar: WorkCalendar) -> datetime:
    """start + hours, where only time on working days counts (a Friday-evening dispatch waits for Monday)."""
    remaining = timedelta(hours=hours)
    moment = start
    if not calendar.is_working_day(moment.date()):
        moment = datetime.combine(calendar.next_working_day(moment.date()), time(0), moment.tzinfo)
    while True:
        day_end = datetime.combine(moment.date() + timedelta(days=1), time(0), moment.tzinfo)
        available = day_end - moment
        if remaining <= available:
            return moment + remaining
        remaining -= available
        moment = datetime.combine(calendar.next_working_day(moment.date()), time(0), moment.tzinfo)


def sla_clock(dispatched_at: datetime, category, urgency: str = "normal",
              calendar: WorkCalendar | None = None) -> SlaClock:
    """The deadlines for a ticket of `category` dispatched at `dispatched_at`.

    Accept: normal tickets count hours on working days only; urgent ones count clock hours
    (nobody should wait for Monday to accept a gas leak). Resolve: the end of the N-th working
    day after the dispatch day. Dates are the hotline's (HOTLINE_TZ); naive times are taken in that zone,
    and the result is in the same form (naive or aware) as `dispatched_at`.
    """
    calendar = calendar or load_calendar()
    zone = hotline_zone()
    naive = dispatched_at.tzinfo is None
    local = dispatched_at.replace(tzinfo=zone) if naive else dispatched_at.astimezone(zone)
    accept_hours, resolve_days = limits_for(getattr(category, "accept_hours", 0),
                                            getattr(category, "resolve_days", 0), urgency)
    if urgency in ("urgent", "very_urgent"):
        accept_due = (local.astimezone(timezone.utc) + timedelta(hours=accept_hours)).astimezone(zone)  # clock hours
    else:
        accept_due = _add_working_hours(local, accept_hours, calendar)
    resolve_due = datetime.combine(calendar.add_working_days(local.date(), resolve_days), DAY_END, zone)
    if naive:
        accept_due, resolve_due = accept_due.replace(tzinfo=None), resolve_due.replace(tzinfo=None)
    else:
        accept_due, resolve_due = accept_due.astimezone(dispatched_at.tzinfo), resolve_due.astimezone(dispatched_at.tzinfo)
    return SlaClock(dispatched_at, accept_due, resolve_due, accept_hours, resolve_days, urgency)


def time_left(due: datetime, now: datetime) -> timedelta:
    """How long until `due` (negative once overdue). A naive time mixed with an aware one is the hotline's time."""
    if (due.tzinfo is None) != (now.tzinfo is None):
        due, now = as_hotline_time(due), as_hotline_time(now)
    return due - now


def as_hotline_time(moment: datetime, zone: tzinfo | None = None) -> datetime:
    """An aware time as it is; a naive one taken as the hotline's local time (HOTLINE_TZ)."""
    return moment.replace(tzinfo=zone or hotline_zone()) if moment.tzinfo is None else moment


def is_overdue(due: datetime, now: datetime) -> bool:
    return time_left(due, now) < timedelta(0)
