"""The working-day calendar SLA clocks count in: weekends, public holidays and make-up working days (调休)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from resources import loader


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[date]
    workdays: frozenset[date]  # weekend days that are working days (调休)
    names: dict | None = None

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """The count-th working day after `day` (the day itself does not count)."""
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def holiday_name(self, day: date) -> str:
        return (self.names or {}).get(day, "")


@lru_cache(maxsize=1)
def load_calendar() -> WorkCalendar:
    """The shipped calendar (resources/taxonomy/holidays.csv); outside its years only weekends are off."""
    text = loader.read_text("taxonomy", "holidays.csv")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    holidays, workdays, names = set(), set(), {}
    for row in csv.DictReader(io.StringIO("\n".join(lines))):
        day = date.fromisoformat(row["date"])
        (workdays if row["kind"] == "workday" else holidays).add(day)
        names[day] = row["name"]
    return WorkCalendar(frozenset(holidays), frozenset(workdays), names)
