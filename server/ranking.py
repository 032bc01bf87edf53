"""The monthly three-rate ranking of units, read from the service database (definitions: domain/ranking.py).

Portable SQL (SQLAlchemy Core): one pass over the month's dispatched tickets joined to the events
that matter (accept, return, and callback close/reopen after the last dispatch). Times are ISO-8601
UTC strings written by one formatter (server.db.iso), so comparing them as text orders them in time.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Iterator
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from sqlalchemy import Engine, and_, select
from starlette.concurrency import run_in_threadpool

from domain.ranking import MonthError, RankRow, TicketFacts, month_bounds, rank_units
from domain.ticket import Role
from server import schema
from server.db import iso
from server.api.deps import authenticate
from server.errors import bad_request

RESPONSE_ACTIONS = ("accept", "return")
CALLBACK_ACTIONS = ("close", "reopen")

router = APIRouter(prefix="/api/v1")


def _time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _callback_result(action: str, detail: dict) -> str | None:
    """The caller's answer recorded by a close or reopen out of the callback status, else None."""
    if detail.get("from") != "callback":
        return None
    result = detail.get("callback_result")
    if action == "reopen":
        return result or "unsatisfied"  # a reopen after the callback is an unsatisfied caller
    return result


def month_facts(engine: Engine, month: str, tz_name: str = "Asia/Shanghai") -> Iterator[TicketFacts]:
    """TicketFacts of every ticket last dispatched in `month` (the hotline's local month), streamed; MonthError."""
    start, end = month_bounds(month, ZoneInfo(tz_name))
    t, e = schema.tickets, schema.events
    # Only events at or after the ticket's last dispatch belong to it (same-push events share its time).
    joined = t.outerjoin(e, and_(e.c.ticket_id == t.c.id, e.c.created_at >= t.c.dispatched_at,
                                 e.c.action.in_(RESPONSE_ACTIONS + CALLBACK_ACTIONS)))
    query = (select(t.c.id, t.c.unit_code, t.c.status, t.c.accept_due_at, e.c.action, e.c.detail, e.c.created_at)
             .select_from(joined)
             .where(t.c.dispatched_at >= iso(start), t.c.dispatched_at < iso(end), t.c.unit_code != "")
             .order_by(t.c.id, e.c.created_at))
    with engine.connect() as conn:
        current = None
        for row in conn.execute(query):
            if current is None or current["id"] != row.id:
                if current is not None:
                    yield _facts(current)
                current = {"id": row.id, "unit_code": row.unit_code, "status": row.status,
                           "accept_due_at": _time(row.accept_due_at), "responded_at": None, "callback_result": None}
            if row.action in RESPONSE_ACTIONS and current["responded_at"] is None:
                current["responded_at"] = _time(row.created_at)
            elif row.action in CALLBACK_ACTIONS:
                try:
                    detail = json.loads(row.detail or "{}")
                except ValueError:
                    detail = {}
                result = _callback_result(row.action, detail if isinstance(detail, dict) else {})
                if result is not None:
                    current["callback_result"] = result  # ordered by time: the last one wins
        if current is not None:
            yield _facts(current)


def _facts(current: dict) -> TicketFacts:
    return TicketFacts(current["unit_code"], current["status"], current["accept_due_at"], current["responded_at"],
                       current["callback_result"])


def unit_names() -> dict[str, str]:
    from domain.units import load_units

    try:
        return {u.code: u.name_zh for u in load_units()}
    except (ValueError, OSError):  # names are for reading; a broken gazetteer must not stop the ranking
        return {}


def monthly_ranking(engine: Engine, month: str, tz_name: str = "Asia/Shanghai") -> list[RankRow]:
    """The units' ranking for `month` ("YYYY-MM"); raises domain.ranking.MonthError for a bad month."""
    return rank_units(month_facts(engine, month, tz_name), unit_names())


def rank_command(db_url: str, month: str, as_json: bool = False) -> int:
    """`hotline rank --month YYYY-MM`: a table (or one JSON line per unit) on stdout; 2 for a bad month."""
    from domain.ranking import format_table
    from server.migrate import migrate
    from server.settings import Settings

    try:
        month_bounds(month, ZoneInfo(Settings().timezone))  # the form, and a month that can be counted at all
    except MonthError as exc:
        print(f"hotline rank: {exc}", file=sys.stderr)
        return 2
    rows = monthly_ranking(migrate(db_url), month, Settings().timezone)
    if as_json:
        for row in rows:
            print(json.dumps({"month": month, **row.as_dict()}, ensure_ascii=False))
    elif rows:
        print(format_table(rows))
    else:
        print(f"No tickets were dispatched in {month}.")
    return 0


@router.get("/rankings")
async def rankings(request: Request):
    """The month's three-rate ranking of units, for supervisors and admins."""
    await authenticate(request, Role.SUPERVISOR, Role.ADMIN)
    month = request.query_params.get("month") or ""
    settings = request.app.state.settings
    try:
        rows = await run_in_threadpool(monthly_ranking, request.app.state.engine, month, settings.timezone)
    except MonthError as exc:
        raise bad_request(str(exc), status=400) from None
    return {"month": month, "units": [row.as_dict() for row in rows]}
