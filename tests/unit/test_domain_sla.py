"""SLA clocks: start at dispatch, count working days past weekends, holidays and make-up days."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from domain.calendar import load_calendar
from domain.sla import is_overdue, limits_for, sla_clock, time_left
from domain.taxonomy import Category

BEIJING = ZoneInfo("Asia/Shanghai")  # the default HOTLINE_TZ


def category(accept_hours=4, resolve_days=3):
    return Category("01.01.001", "01.01", 3, "测试", "Test", ["测试"], "district", accept_hours, resolve_days)


@pytest.mark.parametrize("day,working", [
    (date(2026, 11, 27), True),   # Friday
    (date(2026, 11, 28), False),  # Saturday
    (date(2026, 11, 29), False),  # Sunday
    (date(2026, 10, 1), False),   # National Day
    (date(2026, 10, 7), False),
    (date(2026, 10, 10), True),   # Saturday, make-up working day
    (date(2026, 9, 20), True),    # Sunday, make-up working day
    (date(2026, 2, 16), False),   # Spring Festival, a Monday
    (date(2026, 2, 14), True),    # Saturday, make-up working day
    (date(2026, 1, 4), True),     # Sunday after New Year, make-up working day
    (date(2026, 5, 5), False),    # Labour Day holiday, a Tuesday
    (date(2027, 10, 1), False),   # 2027 National Day (statutory)
    (date(2028, 3, 6), True),     # beyond the data: weekdays work
])
def test_working_days(day, working):
    assert load_calendar().is_working_day(day) is working


def test_resolve_due_skips_a_weekend():
    clock = sla_clock(datetime(2026, 11, 27, 16, 30), category(resolve_days=3))
    assert clock.resolve_due == datetime(2026, 12, 2, 23, 59, 59)  # Mon, Tue, Wed


def test_resolve_due_skips_national_day_and_counts_the_make_up_saturday():
    clock = sla_clock(datetime(2026, 9, 30, 10, 0), category(resolve_days=3))
    assert clock.resolve_due == datetime(2026, 10, 10, 23, 59, 59)  # Thu 8, Fri 9, Sat 10 (make-up)


def test_resolve_due_across_spring_festival():
    clock = sla_clock(datetime(2026, 2, 13, 9, 0), category(resolve_days=2))
    assert clock.resolve_due == datetime(2026, 2, 24, 23, 59, 59)  # Sat 14 (make-up), then Tue 24


def test_accept_hours_of_a_normal_ticket_do_not_run_at_the_weekend():
    clock = sla_clock(datetime(2026, 11, 27, 22, 0), category(accept_hours=4))
    assert clock.accept_due == datetime(2026, 11, 30, 2, 0)  # 2 h on Friday, 2 h from Monday 00:00
    saturday = sla_clock(datetime(2026, 11, 28, 10, 0), category(accept_hours=4))
    assert saturday.accept_due == datetime(2026, 11, 30, 4, 0)


def test_urgent_accept_runs_on_the_clock_and_limits_shrink():
    clock = sla_clock(datetime(2026, 11, 28, 10, 0), category(accept_hours=4, resolve_days=6), "urgent")
    assert clock.accept_due == datetime(2026, 11, 28, 12, 0)
    assert (clock.accept_hours, clock.resolve_days) == (2, 3)
    assert clock.resolve_due == datetime(2026, 12, 2, 23, 59, 59)
    very = sla_clock(datetime(2026, 11, 28, 10, 0), category(accept_hours=24, resolve_days=15), "very_urgent")
    assert very.accept_due == datetime(2026, 11, 28, 11, 0)
    assert very.resolve_due == datetime(2026, 11, 30, 23, 59, 59)


@pytest.mark.parametrize("urgency", ["normal", "urgent", "very_urgent"])
def test_urgency_never_lengthens_a_deadline(urgency):
    base = sla_clock(datetime(2026, 11, 25, 9, 0), category(24, 15))
    clock = sla_clock(datetime(2026, 11, 25, 9, 0), category(24, 15), urgency)
    assert clock.accept_due <= base.accept_due and clock.resolve_due <= base.resolve_due
    assert limits_for(24, 15, urgency)[0] <= 24


def test_clock_starts_at_dispatch_not_acceptance():
    early = sla_clock(datetime(2026, 11, 23, 9, 0), category(resolve_days=2))
    late = sla_clock(datetime(2026, 11, 24, 9, 0), category(resolve_days=2))
    assert late.resolve_due - early.resolve_due == timedelta(days=1)
    assert early.dispatched_at == datetime(2026, 11, 23, 9, 0)


def test_aware_times_use_beijing_dates_and_keep_their_zone():
    # 17:00 UTC Friday is 01:00 Saturday in Beijing: the resolve count starts from Saturday.
    dispatched = datetime(2026, 11, 27, 17, 0, tzinfo=timezone.utc)
    clock = sla_clock(dispatched, category(resolve_days=1))
    assert clock.resolve_due.tzinfo == timezone.utc
    assert clock.resolve_due.astimezone(BEIJING) == datetime(2026, 11, 30, 23, 59, 59, tzinfo=BEIJING)


def test_time_left_and_overdue():
    due = datetime(2026, 11, 30, 12, 0)
    assert time_left(due, datetime(2026, 11, 30, 11, 0)) == timedelta(hours=1)
    assert not is_overdue(due, datetime(2026, 11, 30, 11, 59))
    assert is_overdue(due, datetime(2026, 11, 30, 12, 1))
    aware_now = datetime(2026, 11, 30, 3, 0, tzinfo=timezone.utc)  # 11:00 Beijing
    assert time_left(due, aware_now) == timedelta(hours=1)


def test_working_days_between():
    calendar = load_calendar()
    assert calendar.working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert calendar.add_working_days(date(2026, 11, 27), 0) == date(2026, 11, 27)
