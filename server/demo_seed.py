"""Demo accounts and a few hundred demo tickets, so a first run shows a working hotline (idempotent)."""

from __future__ import annotations

import json
import logging
import random
import uuid
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from domain.ticket import CONTENT_FIELDS, Status
from server import accounts, schema
from server.db import get_meta, iso, set_meta, utcnow, write_tx
from server.settings import Settings

log = logging.getLogger("hotline.server.demo")

DEMO_PASSWORD = "demo"
DEMO_TICKETS = 300


def _fallback_unit() -> str:
    """hd1's unit when no demo ticket was routed: a real one, since a handler's unit must exist."""
    from domain.units import SUB_DISTRICT, load_units

    return min(u.code for u in load_units() if u.kind == SUB_DISTRICT)


# (username, role, what the sign-in screen says). hd1's unit is decided when seeding.
DEMO_ACCOUNTS: list[dict] = [
    {"username": "op1", "password": DEMO_PASSWORD, "role": "operator", "label": "Call-taker 1"},
    {"username": "op2", "password": DEMO_PASSWORD, "role": "operator", "label": "Call-taker 2"},
    {"username": "sup1", "password": DEMO_PASSWORD, "role": "supervisor", "label": "Shift supervisor"},
    {"username": "hd1", "password": DEMO_PASSWORD, "role": "handler", "label": "Unit staff (the busiest unit)"},
    {"username": "admin", "password": DEMO_PASSWORD, "role": "admin", "label": "Administrator"},
]

_PAST_REGISTERED = {s.value for s in Status} - {Status.DRAFT.value, Status.REGISTERED.value, Status.ANSWERED.value}
# Tickets whose work is over: these are spread over the past months, the rest is the current shift's workload.
_FINISHED = {Status.CLOSED.value, Status.ANSWERED.value}


def _target_left(pick: random.Random) -> timedelta:
    """How much time an open demo ticket should have left: mostly plenty, some little, a few overdue."""
    roll = pick.random()
    if roll < 0.6:
        return timedelta(hours=pick.uniform(26, 6 * 24))
    if roll < 0.82:
        return timedelta(hours=pick.uniform(1, 23))
    return -timedelta(hours=pick.uniform(1, 5 * 24))


def _call_age(status: str, row: dict, routed: bool, now: datetime, pick: random.Random) -> timedelta:
    """How long ago a demo ticket's call came in, so the queue looks like a real shift seen from now.

    Finished tickets spread over the past three months. Registered tickets waiting for dispatch are from this
    shift. Open work is dispatched as long ago as gives it the time left it should have; its due time then comes
    from the working-day calendar, so deadlines fall at day ends on working days (on a weekend nothing is due
    within the day, as on the real line).
    """
    if status in _FINISHED:
        return timedelta(days=pick.uniform(1, 90))
    target = _target_left(pick)
    if status == Status.REGISTERED.value or not routed:
        return timedelta(minutes=pick.uniform(5, 6 * 60))
    from server.tickets import _sla

    ticket = {**row, "urgency": row.get("urgency") or "normal"}

    def left_if(age: timedelta) -> timedelta | None:
        _accept, resolve = _sla(ticket, now - age - timedelta(minutes=2))
        return datetime.fromisoformat(resolve) - now if resolve else None

    if left_if(timedelta(0)) is None:
        return timedelta(hours=pick.uniform(0.5, 48))
    # The time left shrinks as the call gets older: find the youngest age that leaves at most the target.
    low, high = timedelta(minutes=10), timedelta(days=40)
    for _ in range(24):
        middle = (low + high) / 2
        if left_if(middle) <= target:
            high = middle
        else:
            low = middle
    return high


def _demo_rows(n: int) -> list[dict]:
    try:
        from domain.demo_data import generate
    except ImportError:
        log.warning("demo data generator not installed: seeding accounts only")
        return []
    return list(generate(n))


def _route(row: dict) -> str:
    try:
        from domain.routing import route

        decision = route(row.get("category_code", ""), row.get("sub_district_code", ""))
        return decision.unit_code if decision else ""
    except (ValueError, OSError):  # RoutingError (no rule, unknown place) or no routing data: left unrouted
        return ""


def seed_demo(db_url: str, tickets: int = DEMO_TICKETS) -> dict:
    """Create what is missing: the demo accounts, then (once) the demo tickets. Returns what it did."""
    from server.migrate import migrate
    from server.sync import write_changes_standalone
    from server.tickets import PushContext, _sla
    from server.accounts import User

    engine = migrate(db_url)
    with engine.connect() as conn:
        already = get_meta(conn, "demo_seeded")
    rows = [] if already else _demo_rows(tickets)
    units = {r["id"]: _route(r) for r in rows}
    busiest = Counter(u for u in units.values() if u).most_common(1)
    with engine.connect() as conn:
        existing_hd1 = accounts.find_user(conn, "hd1")
    handler_unit = ((existing_hd1["unit_code"] if existing_hd1 else None)
                    or (busiest[0][0] if busiest else _fallback_unit()))
    created_users = 0
    shared_hash = accounts.hash_password(DEMO_PASSWORD)  # every demo account has the same password
    with write_tx(engine) as conn:
        for account in DEMO_ACCOUNTS:
            if accounts.find_user(conn, account["username"]) is None:
                unit = handler_unit if account["role"] == "handler" else None
                # demo=True: the short shared password is allowed here because only the demo (loopback, see
                # server.runner) ever serves this database.
                accounts.create_user(conn, account["username"], account["role"], account["password"], unit,
                                     password_hash=shared_hash, demo=True)
                created_users += 1
    for account in DEMO_ACCOUNTS:
        if account["role"] == "handler":
            account["unit_code"] = handler_unit
    with write_tx(engine) as conn:
        # A demo database says so on /api/v1/health, so the sign-in screen can list its accounts.
        set_meta(conn, "demo_accounts", json.dumps(DEMO_ACCOUNTS, ensure_ascii=False))
    if already or not rows:
        return {"users": created_users, "tickets": 0, "handler_unit": handler_unit}

    settings = Settings()
    tz = ZoneInfo(settings.timezone)
    now = utcnow()
    operators = ["op1", "op2"]
    with write_tx(engine) as conn:
        if get_meta(conn, "demo_seeded"):  # another process seeded meanwhile
            return {"users": created_users, "tickets": 0, "handler_unit": handler_unit}
        ctx = PushContext(user=User(0, "demo", "admin", None), now=now)
        per_day: Counter = Counter()
        events: list[dict] = []
        # Seeded, so the same database is seeded the same way relative to its seeding time.
        pick = random.Random(12345)
        for i, row in enumerate(rows):
            status = row.get("status") if row.get("status") in {s.value for s in Status} else Status.REGISTERED.value
            started = now - _call_age(status, row, bool(units.get(row["id"])), now, pick)
            day = started.astimezone(tz).strftime("%Y%m%d")
            per_day[day] += 1
            unit = units.get(row["id"], "") if status in _PAST_REGISTERED else ""
            if status in _PAST_REGISTERED and not unit:
                status = Status.REGISTERED.value
            content = {k: row.get(k) for k in CONTENT_FIELDS if k in row and row.get(k) is not None}
            content["suggestions"] = json.dumps(content.get("suggestions") or [], ensure_ascii=False)
            content["call_started_at"] = iso(started)
            operator = operators[i % 2]
            dispatched = started + timedelta(minutes=2)
            accept_due, resolve_due = _sla({**row, "urgency": row.get("urgency") or "normal"}, dispatched) if unit else (None, None)
            conn.execute(insert(schema.tickets).values(
                id=row["id"], number=f"{day}-D{per_day[day]:05d}", status=status, operator=operator, unit_code=unit,
                dispatched_at=iso(dispatched) if unit else None, accept_due_at=accept_due, due_at=resolve_due,
                callback_result="satisfied" if status == Status.CLOSED.value and unit else None,
                version=1, created_at=iso(started), updated_at=iso(started), **content,
            ))
            ctx.changes.append({"kind": "ticket", "ticket_id": row["id"], "ref_id": None, "unit_code": unit or None,
                                "operator": operator, "handler_only": False})
            # A short history, so a demo ticket's detail view shows who did what when.
            story = [(started, "created", {"status": Status.REGISTERED.value})]
            if unit:
                story.append((dispatched, "dispatch", {"from": Status.REGISTERED.value, "to": Status.DISPATCHED.value,
                                                       "unit_code": unit, "accept_due_at": accept_due, "due_at": resolve_due}))
            for at, action, detail in story:
                event_id = str(uuid.uuid4())
                events.append({"id": event_id, "ticket_id": row["id"], "actor": operator, "action": action,
                               "detail": json.dumps(detail, ensure_ascii=False), "created_at": iso(at)})
                ctx.changes.append({"kind": "event", "ticket_id": row["id"], "ref_id": event_id,
                                    "unit_code": unit or None, "operator": operator, "handler_only": False})
        conn.execute(insert(schema.events), events)
        write_changes_standalone(conn, ctx)
        set_meta(conn, "demo_seeded", iso(now))
    log.info("demo data seeded", extra={"tickets": len(rows), "handler_unit": handler_unit})
    return {"users": created_users, "tickets": len(rows), "handler_unit": handler_unit}

