"""The monthly three-rate ranking of units: response, resolution and satisfaction (pure Python).

Input: one `TicketFacts` per ticket, as read from the service's tickets and events; output: one
`RankRow` per unit, ranked. No database here (server/ranking.py reads the facts).

Definitions:

- Tickets of a unit in a month: the tickets whose last dispatch (`dispatched_at`) falls in that month
  (the hotline's local month) and went to that unit. A ticket counts once, for the unit it was last
  dispatched to; a ticket returned and re-dispatched elsewhere counts for the new unit.
- Response rate: the share of those tickets the unit accepted, or returned with a reason (a return is
  a response too), at or before the accept deadline (`accept_due_at`), by the time of the first
  accept/return event after the last dispatch. A ticket dispatched without an accept deadline (its
  category has no SLA clock) counts as responded to in time when it was responded to at all: the unit
  cannot be late for a deadline nobody set.
- Resolution rate: the share of those tickets that are resolved: replied, in callback or closed after
  the last dispatch. A reopened ticket is not resolved. Tickets the unit returned that still wait for
  the supervisor (returned, arbitration) are left out of this rate: it is not yet decided whether they
  are the unit's to resolve at all (once re-dispatched they count for whichever unit gets them).
- Satisfaction rate: (satisfied + basically satisfied) / callbacks that reached the caller
  (satisfied, basically satisfied, unsatisfied); `not_reached` is left out. The callback is the last
  one recorded after the last dispatch (an unsatisfied callback reopens the ticket).
- Score: the weighted sum of the three rates (WEIGHTS, in points of 100). A rate with nothing to
  measure (no reached callbacks, say) is left out and the other weights are scaled up to the same
  total: counting it as 0 would punish a unit for callers the hotline could not reach, counting it as
  100 would reward it for the same.
- Rank: by score (as shown, one decimal), ties broken by more tickets first, then by unit code.
  Units with fewer than MIN_TICKETS tickets are listed, after the ranked ones, with no rank ("—"):
  a handful of tickets says too little to rank a unit.

The ranking reflects the tickets as they stand when it is asked for: run it once the month's
tickets have been handled (a reply or callback after the month's end still counts for the month).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Iterable, Mapping

# Weights of the three rates in the score (they sum to 1).
WEIGHTS: dict[str, float] = {"response": 0.2, "resolution": 0.4, "satisfaction": 0.4}
# Units with fewer tickets than this in the month are listed but not ranked.
MIN_TICKETS = 5
NO_RANK = "—"

RESOLVED_STATUSES = frozenset({"replied", "callback", "closed"})
# Returned by the unit and waiting for the supervisor: not (yet) the unit's to resolve.
PENDING_RETURN_STATUSES = frozenset({"returned", "arbitration"})
SATISFIED_RESULTS = frozenset({"satisfied", "basically_satisfied"})
REACHED_RESULTS = SATISFIED_RESULTS | {"unsatisfied"}

# ASCII digits only: \d would also take full-width (２０２６) and other scripts' digits.
_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")


class MonthError(ValueError):
    """A month not written as YYYY-MM; the message is for the person who typed it."""


def parse_month(text: str) -> tuple[int, int]:
    """(year, month) of "YYYY-MM", or MonthError."""
    match = _MONTH.fullmatch(text) if isinstance(text, str) else None
    if not match or int(match.group(1)) < 1:
        shown = text if isinstance(text, str) and len(text) <= 20 else f"{str(text)[:20]}…"
        raise MonthError(f"'{shown}' is not a month: write it as YYYY-MM, e.g. 2026-11.")
    return int(match.group(1)), int(match.group(2))


def month_bounds(text: str, tz) -> tuple[datetime, datetime]:
    """[start, end) of the month in time zone `tz`, as aware UTC datetimes."""
    year, month = parse_month(text)
    try:
        start = datetime(year, month, 1, tzinfo=tz)
        end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
        return start.astimezone(timezone.utc), end.astimezone(timezone.utc)
    except (OverflowError, ValueError):  # 9999-12 ends in year 10000; 0001-01 starts in year 0 east of UTC
        raise MonthError(f"'{text}' is outside the months that can be counted.") from None


@dataclass(frozen=True)
class TicketFacts:
    """What the ranking needs of one ticket counted for `unit_code` in the month."""

    unit_code: str
    status: str
    accept_due_at: datetime | None = None
    responded_at: datetime | None = None  # first accept or return after the last dispatch
    callback_result: str | None = None  # last callback result after the last dispatch

    @property
    def responded_in_time(self) -> bool:
        if self.responded_at is None:
            return False
        return self.accept_due_at is None or _aware(self.responded_at) <= _aware(self.accept_due_at)


@dataclass(frozen=True)
class RankRow:
    rank: int | None  # None: too few tickets to rank
    unit_code: str
    unit_name: str
    tickets: int
    responded: int
    resolvable: int  # tickets whose resolution counts (not waiting on a return's arbitration)
    resolved: int
    callbacks_reached: int
    satisfied: int
    response_rate: float | None  # 0..1, None when there is nothing to measure
    resolution_rate: float | None
    satisfaction_rate: float | None
    score: float | None  # 0..100, one decimal

    @property
    def rank_text(self) -> str:
        return str(self.rank) if self.rank is not None else NO_RANK

    def as_dict(self) -> dict:
        return {"rank": self.rank, "unit_code": self.unit_code, "unit_name": self.unit_name, "tickets": self.tickets,
                "responded": self.responded, "resolvable": self.resolvable, "resolved": self.resolved,
                "callbacks_reached": self.callbacks_reached, "satisfied": self.satisfied,
                "response_rate": percent(self.response_rate), "resolution_rate": percent(self.resolution_rate),
                "satisfaction_rate": percent(self.satisfaction_rate), "score": self.score}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def percent(rate: float | None) -> float | None:
    """A rate as a percentage with one decimal (None stays None)."""
    return None if rate is None else round(rate * 100, 1)


def format_percent(rate: float | None) -> str:
    return NO_RANK if rate is None else f"{rate * 100:.1f}%"


def score(rates: Mapping[str, float | None], weights: Mapping[str, float] = WEIGHTS) -> float | None:
    """Weighted score in points of 100 over the rates that have something to measure."""
    used = {name: w for name, w in weights.items() if rates.get(name) is not None}
    total = sum(used.values())
    if not total:
        return None
    return round(100 * sum(w * rates[name] for name, w in used.items()) / total, 1)


def rank_units(facts: Iterable[TicketFacts], names: Mapping[str, str] | None = None, *,
               weights: Mapping[str, float] = WEIGHTS, min_tickets: int = MIN_TICKETS) -> list[RankRow]:
    """One row per unit with tickets: the ranked units first (rank 1 = best), then the unranked."""
    names = names or {}
    counts: dict[str, list[int]] = {}  # unit -> [tickets, responded, resolvable, resolved, reached, satisfied]
    for fact in facts:
        c = counts.setdefault(fact.unit_code, [0, 0, 0, 0, 0, 0])
        c[0] += 1
        c[1] += fact.responded_in_time
        if fact.status not in PENDING_RETURN_STATUSES:
            c[2] += 1
            c[3] += fact.status in RESOLVED_STATUSES
        if fact.callback_result in REACHED_RESULTS:
            c[4] += 1
            c[5] += fact.callback_result in SATISFIED_RESULTS
    rows = []
    for unit, (tickets, responded, resolvable, resolved, reached, satisfied) in counts.items():
        rates = {"response": _rate(responded, tickets), "resolution": _rate(resolved, resolvable),
                 "satisfaction": _rate(satisfied, reached)}
        rows.append(RankRow(None, unit, names.get(unit, unit), tickets, responded, resolvable, resolved, reached,
                            satisfied, rates["response"], rates["resolution"], rates["satisfaction"],
                            score(rates, weights)))

    def order(row: RankRow):
        # The score as shown decides; a tie goes to the unit with more tickets, then to the lower code.
        return (-(row.score if row.score is not None else -1.0), -row.tickets, row.unit_code)

    ranked = sorted((r for r in rows if r.tickets >= min_tickets), key=order)
    unranked = sorted((r for r in rows if r.tickets < min_tickets), key=order)
    return [_with_rank(r, i) for i, r in enumerate(ranked, 1)] + unranked


def _with_rank(row: RankRow, rank: int) -> RankRow:
    return replace(row, rank=rank)


def format_table(rows: list[RankRow]) -> str:
    """A readable table: rank, unit (Chinese name), tickets, the three rates and the score."""
    header = ("rank", "unit", "tickets", "response", "resolution", "satisfaction", "score")
    lines = [(r.rank_text, r.unit_name, str(r.tickets), format_percent(r.response_rate),
              format_percent(r.resolution_rate), format_percent(r.satisfaction_rate),
              NO_RANK if r.score is None else f"{r.score:.1f}") for r in rows]
    widths = [max(_width(x) for x in col) for col in zip(header, *lines)]
    out = []
    for line in [header, *lines]:
        cells = [cell + " " * (w - _width(cell)) if i == 1 else " " * (w - _width(cell)) + cell
                 for i, (cell, w) in enumerate(zip(line, widths))]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)


def _width(text: str) -> int:
    """Columns on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
