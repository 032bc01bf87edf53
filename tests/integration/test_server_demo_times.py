"""The demo seed tells a current shift's story: finished work in the past, open work with a mix of time left."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from domain.sla import sla_clock
from domain.taxonomy import load_taxonomy
from server import schema
from server.db import shared_engine, utcnow
from server.demo_seed import seed_demo

OPEN_AND_RUNNING = {"dispatched", "accepted", "extension_requested", "returned", "arbitration", "reopened"}


def _seeded(url: str) -> list[dict]:
    seed_demo(url)
    with shared_engine(url).connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(schema.tickets))]


def test_open_demo_tickets_mix_time_left_and_finished_ones_lie_in_the_past(sqlite_url):
    tickets = _seeded(sqlite_url)
    now = utcnow()
    running = [t for t in tickets if t["status"] in OPEN_AND_RUNNING and t["due_at"]]
    left = [datetime.fromisoformat(t["due_at"]) - now for t in running]
    not_due, overdue = [x for x in left if x > timedelta(0)], [x for x in left if x < timedelta(0)]
    # Mostly in time, a few overdue: not the "everything 35-84 days late" a months-old open ticket gives.
    assert len(not_due) > len(overdue) > 0
    assert min(left) > -timedelta(days=14)

    registered = [t for t in tickets if t["status"] == "registered"]
    assert registered and all(now - datetime.fromisoformat(t["call_started_at"]) < timedelta(days=1) for t in registered)

    finished_ages = [now - datetime.fromisoformat(t["call_started_at"]) for t in tickets if t["status"] == "closed"]
    assert max(finished_ages) > timedelta(days=30) and min(finished_ages) > timedelta(0)


def test_demo_due_times_come_from_the_sla_clock_of_the_dispatch_time(sqlite_url):
    taxonomy = load_taxonomy()
    dispatched = [t for t in _seeded(sqlite_url) if t["dispatched_at"] and t["due_at"]]
    assert dispatched
    for t in dispatched[:40]:
        clock = sla_clock(datetime.fromisoformat(t["dispatched_at"]), taxonomy.get(t["category_code"]), t["urgency"])
        assert datetime.fromisoformat(t["due_at"]) == clock.resolve_due
        assert datetime.fromisoformat(t["accept_due_at"]) == clock.accept_due
