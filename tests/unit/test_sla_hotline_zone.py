"""SLA times follow HOTLINE_TZ: the domain's clock and the console's parser take a naive time in the same zone."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from domain import sla as domain_sla
from domain.taxonomy import Category
from widgets import sla as widget_sla


def category(accept_hours=4, resolve_days=1):
    return Category("01.01.001", "01.01", 3, "测试", "Test", ["测试"], "district", accept_hours, resolve_days)


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "America/New_York", "UTC"])
def test_a_naive_time_means_the_same_moment_to_the_domain_and_the_console(monkeypatch, zone):
    monkeypatch.setenv("HOTLINE_TZ", zone)
    naive_due = "2026-11-30T12:00:00"
    now = datetime(2026, 11, 30, 11, 0, tzinfo=ZoneInfo(zone))  # one hour before, in the hotline's zone
    assert widget_sla.parse_time(naive_due) == datetime(2026, 11, 30, 12, 0, tzinfo=ZoneInfo(zone))
    assert widget_sla.time_left(naive_due, now) == timedelta(hours=1)
    assert domain_sla.time_left(datetime.fromisoformat(naive_due), now) == timedelta(hours=1)


def test_an_aware_time_keeps_its_own_zone(monkeypatch):
    monkeypatch.setenv("HOTLINE_TZ", "America/New_York")
    assert widget_sla.parse_time("2026-11-30T12:00:00Z") == datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def test_the_resolve_day_is_the_hotlines_day(monkeypatch):
    # 17:00 UTC on Friday 27 November is Saturday in Shanghai but still Friday in New York.
    dispatched = datetime(2026, 11, 27, 17, 0, tzinfo=timezone.utc)
    monkeypatch.setenv("HOTLINE_TZ", "Asia/Shanghai")
    shanghai = domain_sla.sla_clock(dispatched, category(resolve_days=1))
    assert shanghai.resolve_due.astimezone(ZoneInfo("Asia/Shanghai")) == datetime(
        2026, 11, 30, 23, 59, 59, tzinfo=ZoneInfo("Asia/Shanghai"))  # Monday: counted from Saturday
    monkeypatch.setenv("HOTLINE_TZ", "America/New_York")
    new_york = domain_sla.sla_clock(dispatched, category(resolve_days=1))
    assert new_york.resolve_due.astimezone(ZoneInfo("America/New_York")) == datetime(
        2026, 11, 30, 23, 59, 59, tzinfo=ZoneInfo("America/New_York"))  # Monday: the next working day after Friday
    assert new_york.resolve_due.tzinfo == timezone.utc


def test_urgent_accept_counts_clock_hours_across_a_clock_change(monkeypatch):
    # New York leaves summer time at 02:00 on 1 November 2026: four clock hours from 00:30 end at 03:30 EST.
    monkeypatch.setenv("HOTLINE_TZ", "America/New_York")
    zone = ZoneInfo("America/New_York")
    dispatched = datetime(2026, 11, 1, 0, 30, tzinfo=zone)
    clock = domain_sla.sla_clock(dispatched, category(accept_hours=8), "urgent")
    elapsed = clock.accept_due.astimezone(timezone.utc) - dispatched.astimezone(timezone.utc)
    assert elapsed == timedelta(hours=4)  # (same-zone subtraction would count wall-clock time)
    assert clock.accept_due.astimezone(zone).hour == 3
