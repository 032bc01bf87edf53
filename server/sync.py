"""The sync endpoints' logic: idempotent push of mutations and scoped pull of the change feed."""

from __future__ import annotations

import logging
import threading
import time
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, and_, case, delete, func, insert, or_, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from domain.ticket import Role
from domain.wire import SCHEMA_VERSION, Mutation, WireError, parse_mutation
from server import schema, tickets
from server.accounts import User
from server.db import bump_counter, database_epoch, get_meta, insert_ignore, iso, read_counter, set_meta, utcnow, write_tx
from server.errors import ApiError, bad_request
from server.settings import Settings

log = logging.getLogger("hotline.server.sync")

NOTIFY_CHANNEL = "hotline_changes"
_RETRY_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock: the push is simply run again


# ---- push ----------------------------------------------------------------------------------

def parse_push(body: object, settings: Settings) -> tuple[str, list[Mutation]]:
    """Shape checks of a push body; a problem is a 422 for the whole push (nothing applied)."""
    if not isinstance(body, dict):
        raise bad_request("The push must be a JSON object with client_id, schema_version and mutations.")
    client_id = body.get("client_id")
    if not isinstance(client_id, str) or not (1 <= len(client_id) <= 100) or "\x00" in client_id:
        raise bad_request("client_id must be text of 1 to 100 characters.")
    version = body.get("schema_version")
    if version != SCHEMA_VERSION:
        newer = isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION
        advice = "Ask an administrator to update the central service." if newer else "Update the console."
        raise bad_request(f"This console speaks sync version {version!r}; the central service speaks "
                          f"{SCHEMA_VERSION}. {advice}", status=422, code="schema_version")
    raw = body.get("mutations")
    if not isinstance(raw, list):
        raise bad_request("mutations must be a list.")
    if len(raw) > settings.push_max_mutations:
        raise bad_request(f"Send at most {settings.push_max_mutations} mutations in one push.", status=413, code="too_large")
    mutations: list[Mutation] = []
    for item in raw:
        try:
            mutations.append(parse_mutation(item))
        except WireError as exc:
            raise bad_request(f"A mutation is malformed: {exc}.", code="malformed_mutation") from None
    for before, after in zip(mutations, mutations[1:]):
        if after.id != before.id + 1:
            raise bad_request(f"Mutation ids in one push must be consecutive: {after.id} follows {before.id}.",
                              code="not_consecutive")
    return client_id, mutations


def push(engine: Engine, user: User, client_id: str, mutations: list[Mutation], settings: Settings,
         ip: str | None = None) -> tuple[dict, int | None]:
    """Apply what is new, once; returns (response body, newest change seq written or None)."""
    for attempt in range(5):
        try:
            # Few pushes at a time per process: every writer ends holding the feed counter's row lock,
            # and a lock holder starved of the GIL by dozens of threads would stall all the others.
            with _push_slots(settings):
                return _push_once(engine, user, client_id, mutations, settings, ip)
        except IntegrityError:
            # Two pushes raced to create the same row (a client's first push, a ticket id):
            # run again; the loser now sees the winner's row and answers duplicate/rejected.
            if attempt == 4:
                raise
        except DBAPIError as exc:
            code = getattr(getattr(exc, "orig", None), "sqlstate", None)
            if code not in _RETRY_SQLSTATES or attempt == 4:
                raise
        time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")


_SLOTS: dict[int, threading.BoundedSemaphore] = {}
_SLOTS_LOCK = threading.Lock()


def _push_slots(settings: Settings) -> threading.BoundedSemaphore:
    with _SLOTS_LOCK:
        slots = _SLOTS.get(settings.push_concurrency)
        if slots is None:
            slots = _SLOTS[settings.push_concurrency] = threading.BoundedSemaphore(settings.push_concurrency)
        return slots


def _push_once(engine: Engine, user: User, client_id: str, mutations: list[Mutation], settings: Settings,
               ip: str | None) -> tuple[dict, int | None]:
    now = utcnow()
    ctx = tickets.PushContext(user=user, now=now, ip=ip)
    results: list[dict] = []
    cs = schema.client_states
    with write_tx(engine) as conn:
        # Lock this client's row: two pushes of the same client (a retry racing the original) queue here.
        locked = select(cs.c.last_mutation_id).where(cs.c.client_id == client_id).with_for_update()
        last = conn.execute(locked).scalar()
        if last is None:  # this console's first push
            insert_ignore(conn, cs, {"client_id": client_id, "last_mutation_id": 0, "username": user.username,
                                     "updated_at": iso(now)})
            last = conn.execute(locked).scalar_one()
        last = int(last)
        fresh = [m for m in mutations if m.id > last]
        if fresh and fresh[0].id > last + 1:
            raise ApiError(409, "gap", f"The server last saw change {last} from this console; send from {last + 1}.",
                           last_mutation_id=last)
        log_rows: list[dict] = []
        seen_before = _earlier_outcomes(conn, client_id, [m.id for m in mutations if m.id <= last])
        create_ids = [m.args["id"] for m in fresh if m.name == "ticket.create" and isinstance(m.args.get("id"), str)]
        if create_ids:
            t = schema.tickets
            ctx.existing_ids = set()
            for start in range(0, len(create_ids), 500):
                ctx.existing_ids |= set(conn.execute(select(t.c.id).where(t.c.id.in_(create_ids[start:start + 500]))).scalars())
        for m in mutations:
            if m.id <= last:
                results.append(_duplicate(m, seen_before.get(m.id)))
                continue
            try:
                ticket_id = tickets.apply(conn, ctx, m)
                status, error = "applied", None
            except tickets.Rejected as exc:
                about = m.args.get("ticket_id" if m.name == "note.add" else "id")
                ticket_id, status, error = about if isinstance(about, str) else None, "rejected", str(exc)
            log_rows.append({"client_id": client_id, "mutation_id": m.id, "name": m.name, "status": status,
                             "error": error, "ticket_id": (ticket_id or "")[:64] or None, "username": user.username,
                             "at": iso(now)})
            result = {"id": m.id, "status": status}
            if error:
                result["error"] = error
            results.append(result)
            last = m.id
        if fresh:
            conn.execute(update(cs).where(cs.c.client_id == client_id).values(
                last_mutation_id=last, username=user.username, updated_at=iso(now)))
        if log_rows:
            conn.execute(insert(schema.mutation_log), log_rows)
        tickets.flush_events(conn, ctx)
        if ctx.to_number:
            _assign_numbers(conn, ctx, settings)
        top = _write_changes(conn, ctx)
    rejected = sum(1 for r in results if r["status"] == "rejected")
    log.info("push", extra={"user": user.username, "client": client_id[:40], "mutations": len(mutations),
                            "rejected": rejected, "last_mutation_id": last})
    return {"last_mutation_id": last, "results": results, "server_time": iso(utcnow())}, top


def _earlier_outcomes(conn: Connection, client_id: str, ids: list[int]) -> dict[int, tuple]:
    """What became of mutations seen before (a replay after a lost answer), in one query per 500."""
    ml = schema.mutation_log
    out: dict[int, tuple] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for mid, status, error in conn.execute(select(ml.c.mutation_id, ml.c.status, ml.c.error).where(
                ml.c.client_id == client_id, ml.c.mutation_id.in_(chunk))):
            out[int(mid)] = (status, error)
    return out


def _duplicate(m: Mutation, row: tuple | None) -> dict:
    result = {"id": m.id, "status": "duplicate"}
    if row is not None:
        result["original_status"] = row[0]
        if row[1]:
            result["error"] = row[1]
    return result


def _assign_numbers(conn: Connection, ctx: tickets.PushContext, settings: Settings) -> None:
    """Human numbers like 20261127-000123 from a per-day counter row, bumped late to hold its lock briefly."""
    day = ctx.now.astimezone(ZoneInfo(settings.timezone)).strftime("%Y%m%d")
    top = bump_counter(conn, f"ticket_no:{day}", len(ctx.to_number))
    first = top - len(ctx.to_number) + 1
    numbers = {ticket_id: f"{day}-{first + offset:06d}" for offset, ticket_id in enumerate(ctx.to_number)}
    t = schema.tickets
    for start in range(0, len(ctx.to_number), 500):  # one statement per 500 tickets
        chunk = ctx.to_number[start:start + 500]
        conn.execute(update(t).where(t.c.id.in_(chunk)).values(number=case(numbers, value=t.c.id)))


def _write_changes(conn: Connection, ctx: tickets.PushContext) -> int | None:
    """Number this transaction's change rows from the counter row, last thing before commit."""
    if not ctx.changes:
        return None
    top = bump_counter(conn, "change_seq", len(ctx.changes))
    first = top - len(ctx.changes) + 1
    conn.execute(insert(schema.changes), [
        {**change, "seq": first + i, "created_at": ctx.now_iso} for i, change in enumerate(ctx.changes)
    ])
    if conn.dialect.name == "postgresql":
        # Delivered at commit to every server process listening (see server.notify).
        conn.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": NOTIFY_CHANNEL, "payload": str(top)})
    return top


def write_changes_standalone(conn: Connection, ctx: tickets.PushContext) -> int | None:
    """For other writers (the demo seed): the same numbering as a push."""
    return _write_changes(conn, ctx)


# ---- pull ----------------------------------------------------------------------------------

def pull(engine: Engine, user: User, cursor: int, limit: int, epoch: str | None = None) -> dict:
    """Changes after `cursor` that this user may see, oldest first, with a new cursor."""
    c = schema.changes
    with engine.connect() as conn:
        with conn.begin():
            server_epoch = database_epoch(conn)
            floor = int(get_meta(conn, "change_floor") or 0)
            # Read the counter first: every change numbered up to it is committed and visible now.
            top = read_counter(conn, "change_seq")
            if (epoch and epoch != server_epoch) or cursor > top or 0 < cursor < floor:
                return {"reset": True, "cursor": 0, "changes": [], "has_more": True, "epoch": server_epoch,
                        "server_time": iso(utcnow())}
            query = select(c).where(c.c.seq > cursor, c.c.seq <= top)
            if user.is_staff:
                query = query.where(c.c.handler_only == False)  # noqa: E712 - SQL expression
            else:
                query = query.where(c.c.unit_code == (user.unit_code or "-no unit-"))
            rows = conn.execute(query.order_by(c.c.seq).limit(limit)).mappings().all()
            has_more = len(rows) == limit
            new_cursor = rows[-1]["seq"] if has_more else top
            changes = _payloads(conn, user, rows)
    return {"cursor": new_cursor, "changes": changes, "has_more": has_more, "epoch": server_epoch,
            "server_time": iso(utcnow())}


def _payloads(conn: Connection, user: User, rows) -> list[dict]:
    masked = user.role == Role.HANDLER  # handlers see 138****5678; the full number takes an audited reveal
    ticket_ids = {r["ticket_id"] for r in rows}
    note_ids = [r["ref_id"] for r in rows if r["kind"] == "note"]
    event_ids = [r["ref_id"] for r in rows if r["kind"] == "event"]
    by_ticket = _fetch(conn, schema.tickets, ticket_ids)
    by_note = _fetch(conn, schema.notes, note_ids)
    by_event = _fetch(conn, schema.events, event_ids)
    # Ticket changes carry the ticket as it is now, so one per ticket in a page is enough: the first
    # (notes and events after it find their ticket), again only after a revocation of it.
    sent: set[str] = set()
    out: list[dict] = []
    for r in rows:
        kind, tid = r["kind"], r["ticket_id"]
        if kind == "revoke":
            sent.discard(tid)
            out.append({"seq": r["seq"], "kind": "revoke", "ticket_id": tid})
            continue
        ticket = by_ticket.get(tid)
        if ticket is None or not tickets.may_see(user, ticket):
            continue  # it has left this handler's unit since; a revoke follows in the feed
        if kind == "ticket":
            if tid not in sent:
                sent.add(tid)
                out.append({"seq": r["seq"], "kind": "ticket", "ticket": tickets.ticket_payload(ticket, masked=masked)})
        elif kind == "note" and r["ref_id"] in by_note:
            out.append({"seq": r["seq"], "kind": "note", "note": tickets.note_payload(by_note[r["ref_id"]])})
        elif kind == "event" and r["ref_id"] in by_event:
            out.append({"seq": r["seq"], "kind": "event", "event": tickets.event_payload(by_event[r["ref_id"]], masked=masked)})
    return out


def _fetch(conn: Connection, table, ids) -> dict:
    ids = list(dict.fromkeys(i for i in ids if i))
    out: dict = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in conn.execute(select(table).where(table.c.id.in_(chunk))).mappings():
            out[row["id"]] = row
    return out


def latest_seq(engine: Engine) -> int:
    with engine.connect() as conn:
        return read_counter(conn, "change_seq")


def compact_changes(engine: Engine, up_to_seq: int) -> int:
    """Drop feed rows up to `up_to_seq` that a full pull no longer needs: ticket rows superseded by a
    later one of the same ticket and scope, and revocations. Cursors inside the dropped range answer
    "reset"; a pull from 0 still yields every ticket, note and event. Returns rows deleted."""
    c = schema.changes
    with write_tx(engine) as conn:
        later = c.alias("later")
        superseded = select(later.c.seq).where(
            later.c.ticket_id == c.c.ticket_id, later.c.kind == "ticket", later.c.seq > c.c.seq,
            later.c.handler_only == c.c.handler_only,
        ).exists()
        result = conn.execute(delete(c).where(c.c.seq <= up_to_seq, or_(c.c.kind == "revoke",
                                                                        and_(c.c.kind == "ticket", superseded))))
        floor = max(int(get_meta(conn, "change_floor") or 0), up_to_seq)
        set_meta(conn, "change_floor", str(floor))
        return result.rowcount or 0


def compact_older_than(engine: Engine, days: float) -> int:
    """Compact the feed rows written more than `days` ago."""
    from datetime import timedelta

    cutoff = iso(utcnow() - timedelta(days=days))
    c = schema.changes
    with engine.connect() as conn:
        up_to = conn.execute(select(func.max(c.c.seq)).where(c.c.created_at < cutoff)).scalar()
    return compact_changes(engine, int(up_to)) if up_to else 0
