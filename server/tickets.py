"""Server side of every mutation: create, update (last writer per field), note, transition, reassign.

Each function checks everything first and writes only when the mutation is accepted, so a
rejected mutation leaves stored data as it was (no savepoints needed on either database).
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field, fields as dc_fields
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from domain import lifecycle
from domain.ticket import (CONTENT_FIELDS, Role, Status, Ticket, TimeError, dispatch_problems, mask_phone,
                           minimal_save_problems, parse_time)
from domain.wire import Mutation, MutationName
from server import audit, schema
from server.accounts import User
from server.db import iso

log = logging.getLogger("hotline.server.tickets")

TICKET_FIELDS: tuple[str, ...] = tuple(f.name for f in dc_fields(Ticket))
STRING_FIELDS = tuple(f for f in CONTENT_FIELDS if f not in ("suggestions", "suggestion_rank", "call_started_at"))
# Text columns are unlimited in the schema: these are the limits a person's text is held to. Every other
# string field is held to its column's own length, so SQLite (which does not enforce lengths) refuses
# exactly what PostgreSQL would.
_TEXT_LEN = {"description": 10000, "caller_address": 1000, "incident_address": 1000}
_MAX_LEN = {name: _TEXT_LEN.get(name) or getattr(schema.tickets.c[name].type, "length", None) or 200
            for name in STRING_FIELDS}
STAFF = (Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN)


class Rejected(Exception):
    """A business rejection: the mutation's id is consumed and the reason goes back to its author."""


@dataclass
class PushContext:
    """What one push transaction has collected: change rows to number at the end, tickets to number."""

    user: User
    now: datetime
    ip: str | None = None
    changes: list[dict] = field(default_factory=list)
    to_number: list[str] = field(default_factory=list)
    # Event rows are written in one statement per push (flush_events), not one per mutation.
    events: list[dict] = field(default_factory=list)
    # Ids of tickets known to exist, looked up once per push for all its creates.
    existing_ids: set[str] | None = None
    # New ticket rows, inserted together before anything reads tickets (flush_tickets).
    new_tickets: list[dict] = field(default_factory=list)

    @property
    def now_iso(self) -> str:
        return iso(self.now)


# ---- reading -------------------------------------------------------------------------------

def ticket_row(conn: Connection, ticket_id: str, *, lock: bool = False):
    query = select(schema.tickets).where(schema.tickets.c.id == ticket_id)
    if lock:
        query = query.with_for_update()  # PostgreSQL: row lock; SQLite: the write lock is already ours
    return conn.execute(query).mappings().first()


def ticket_payload(row, *, masked: bool = False) -> dict:
    """A ticket as on the wire: every Ticket field. Handlers get the caller's number masked."""
    data = {name: row[name] for name in TICKET_FIELDS}
    try:
        data["suggestions"] = json.loads(row["suggestions"] or "[]")
    except ValueError:
        data["suggestions"] = []
    if masked and data.get("caller_phone"):
        data["caller_phone"] = mask_phone(data["caller_phone"])
    return data


def event_payload(row, *, masked: bool = False) -> dict:
    detail = json.loads(row["detail"] or "{}")
    if masked:
        phone = (detail.get("changes") or {}).get("caller_phone")
        if isinstance(phone, dict):
            detail["changes"]["caller_phone"] = {k: mask_phone(v) if isinstance(v, str) else v for k, v in phone.items()}
    return {"id": row["id"], "ticket_id": row["ticket_id"], "actor": row["actor"], "action": row["action"],
            "detail": detail, "created_at": row["created_at"]}


def note_payload(row) -> dict:
    return {"id": row["id"], "ticket_id": row["ticket_id"], "author": row["author"], "text": row["text"],
            "created_at": row["created_at"]}


def may_see(user: User, ticket) -> bool:
    """Operators, supervisors and admins see every ticket of the hotline; a handler sees its unit's."""
    if user.is_staff:
        return True
    return user.role == Role.HANDLER and bool(user.unit_code) and ticket["unit_code"] == user.unit_code


# ---- writing helpers -----------------------------------------------------------------------

def _change(ctx: PushContext, kind: str, ticket_id: str, unit_code: str, operator: str, ref_id: str | None = None,
            handler_only: bool = False) -> None:
    ctx.changes.append({"kind": kind, "ticket_id": ticket_id, "ref_id": ref_id, "unit_code": unit_code or None,
                        "operator": operator or None, "handler_only": handler_only})


def add_event(conn: Connection, ctx: PushContext, ticket, action: str, detail: dict, unit_code: str | None = None) -> str:
    event_id = str(uuid.uuid4())
    ctx.events.append({"id": event_id, "ticket_id": ticket["id"], "actor": ctx.user.username, "action": action,
                       "detail": json.dumps(detail, ensure_ascii=False), "created_at": ctx.now_iso})
    unit = ticket["unit_code"] if unit_code is None else unit_code
    _change(ctx, "event", ticket["id"], unit, ticket["operator"], ref_id=event_id)
    return event_id


def flush_tickets(conn: Connection, ctx: PushContext) -> None:
    if ctx.new_tickets:
        conn.execute(insert(schema.tickets), ctx.new_tickets)
        ctx.new_tickets.clear()


def flush_events(conn: Connection, ctx: PushContext) -> None:
    flush_tickets(conn, ctx)  # events refer to their ticket
    if ctx.events:
        conn.execute(insert(schema.events), ctx.events)
        ctx.events.clear()


def _ticket_changed(ctx: PushContext, ticket_id: str, unit_code: str, operator: str) -> None:
    _change(ctx, "ticket", ticket_id, unit_code, operator)


def _check_content(values: dict) -> dict:
    """Type and size checks of content fields, then the domain's own checks. Returns cleaned values."""
    clean: dict = {}
    for name, value in values.items():
        if name not in CONTENT_FIELDS:
            continue
        if name in STRING_FIELDS:
            if value is None:
                value = ""
            if not isinstance(value, str):
                raise Rejected(f"{name.replace('_', ' ')} must be text.")
            limit = _MAX_LEN.get(name, 200)
            if len(value) > limit:
                raise Rejected(f"{name.replace('_', ' ')} is too long (at most {limit} characters).")
            clean[name] = value.strip() if name != "description" else value
            if name == "category_code" and clean[name]:
                _check_category(clean[name])
            if name == "sub_district_code" and clean[name]:
                _check_sub_district(clean[name])
        elif name == "suggestions":
            if value is None:
                value = []
            if not isinstance(value, list) or not all(isinstance(v, str) and len(v) <= 64 for v in value) or len(value) > 50:
                raise Rejected("suggestions must be a list of category codes.")
            clean[name] = value
        elif name == "suggestion_rank":
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1000):
                raise Rejected("suggestion rank must be a whole number (or empty).")
            clean[name] = value
        elif name == "call_started_at":
            if value in (None, ""):
                clean[name] = None
                continue
            if not isinstance(value, str):
                raise Rejected("call started at must be a date and time.")
            try:
                clean[name] = iso(parse_time(value))
            except TimeError as exc:
                raise Rejected(f"The time the call started is not valid: {exc}.") from None
    if clean.get("suggestions"):
        _drop_unknown_suggestions(clean, values)
    return clean


def _check_category(code: str) -> None:
    """Only codes of the catalogue in use are stored: anything else could not be routed or counted, and would
    travel on into exports and models as whatever text was pushed."""
    from domain.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    if taxonomy.get(code) is None:
        raise Rejected(f"There is no category '{code}' in the catalogue in use ({taxonomy.version}); "
                       "choose the category again.")


def _check_sub_district(code: str) -> None:
    """Only sub-districts of the gazetteer are stored: routing, rankings and exports group by this code."""
    from domain.gazetteer import SubDistrict, load_gazetteer

    if not isinstance(load_gazetteer().get(code), SubDistrict):
        shown = code if len(code) <= 40 else code[:40] + "…"
        raise Rejected(f"There is no sub-district '{shown}' in the gazetteer; choose the place again.")


def _drop_unknown_suggestions(clean: dict, pushed: dict) -> None:
    """Suggestions come from the console's model, not from the person: a code the catalogue does not hold (an
    older model, or anything pushed by hand) is dropped and logged rather than refusing the person's ticket.
    The rank of the chosen suggestion, pushed with them, is moved to the chosen code's place in what is kept."""
    from domain.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    suggestions = clean["suggestions"]
    kept = [code for code in suggestions if taxonomy.get(code) is not None]
    if len(kept) == len(suggestions):
        return
    log.warning("dropped %d suggestion(s) not in the catalogue in use (%s)", len(suggestions) - len(kept),
                taxonomy.version)
    clean["suggestions"] = kept
    rank = clean.get("suggestion_rank")
    if "suggestion_rank" in pushed and isinstance(rank, int) and 1 <= rank <= len(suggestions):
        chosen = suggestions[rank - 1]
        clean["suggestion_rank"] = kept.index(chosen) + 1 if chosen in kept else None


def _problems_text(problems: dict[str, str]) -> str:
    return " ".join(problems.values())


def _db_values(values: dict) -> dict:
    out = dict(values)
    if "suggestions" in out:
        out["suggestions"] = json.dumps(out["suggestions"], ensure_ascii=False)
    return out


# ---- the mutations -------------------------------------------------------------------------

def apply(conn: Connection, ctx: PushContext, mutation: Mutation) -> str | None:
    """Apply one mutation or raise Rejected; returns the ticket id it touched."""
    if _has_nul(mutation.args):
        raise Rejected("Some text holds a control character (NUL) that cannot be stored; retype it.")
    if mutation.name != MutationName.TICKET_CREATE:
        flush_tickets(conn, ctx)  # it may read a ticket created earlier in this push
    handler = _HANDLERS[mutation.name]
    return handler(conn, ctx, mutation.args)


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _visible_ticket(conn: Connection, ctx: PushContext, ticket_id, *, lock: bool = True):
    if not isinstance(ticket_id, str) or not ticket_id:
        raise Rejected("The ticket id is missing.")
    row = ticket_row(conn, ticket_id, lock=lock)
    if row is None:
        raise Rejected("There is no such ticket on the server (it may not have been created).")
    if not may_see(ctx.user, row):
        raise Rejected("This ticket is not for your unit.")
    return row


def create(conn: Connection, ctx: PushContext, args: dict) -> str:
    ticket_id = args.get("id")
    if not isinstance(ticket_id, str) or not (1 <= len(ticket_id) <= 64):
        raise Rejected("A ticket id must be text of at most 64 characters.")
    if ctx.user.role not in STAFF:
        raise Rejected("Only call-takers and supervisors register tickets.")
    exists = ticket_id in ctx.existing_ids if ctx.existing_ids is not None else ticket_row(conn, ticket_id) is not None
    if exists:
        raise Rejected("A ticket with this id already exists.")
    values = _check_content({k: v for k, v in args.items() if k != "id"})
    problems = minimal_save_problems(values)
    if problems:
        raise Rejected(_problems_text(problems))
    row = {name: Ticket.__dataclass_fields__[name].default for name in CONTENT_FIELDS
           if not callable(Ticket.__dataclass_fields__[name].default_factory)}
    row["suggestions"] = []
    row.update(values)
    ctx.new_tickets.append(dict(
        id=ticket_id, number=None, status=Status.REGISTERED.value, operator=ctx.user.username, unit_code="",
        version=1, created_at=ctx.now_iso, updated_at=ctx.now_iso, **_db_values(row),
    ))
    ctx.to_number.append(ticket_id)
    if ctx.existing_ids is not None:
        ctx.existing_ids.add(ticket_id)
    ticket = {"id": ticket_id, "unit_code": "", "operator": ctx.user.username}
    _ticket_changed(ctx, ticket_id, "", ctx.user.username)
    add_event(conn, ctx, ticket, "created", {"status": Status.REGISTERED.value})
    return ticket_id


def update_fields(conn: Connection, ctx: PushContext, args: dict) -> str:
    ticket = _visible_ticket(conn, ctx, args.get("id"))
    if ctx.user.role not in STAFF:
        raise Rejected("Unit staff cannot change what the caller reported; add a note instead.")
    base_version = args.get("base_version")
    if not isinstance(base_version, int) or isinstance(base_version, bool) or base_version < 0:
        raise Rejected("base version must be a whole number.")
    if ticket["status"] == Status.CLOSED:
        raise Rejected("This ticket is closed; a supervisor must reopen it before it can be changed.")
    values = _check_content({k: v for k, v in args.items() if k not in ("id", "base_version")})
    current = ticket_payload(ticket)
    merged = {**current, **values}
    problems = minimal_save_problems(merged)
    if problems:
        raise Rejected(_problems_text(problems))
    # Last writer per field wins, in server order; every overwritten value stays in the history.
    changed = {k: {"old": current[k], "new": v} for k, v in values.items() if current[k] != v}
    if not changed:
        return ticket["id"]
    version = ticket["version"] + 1
    conn.execute(update(schema.tickets).where(schema.tickets.c.id == ticket["id"]).values(
        version=version, updated_at=ctx.now_iso, **_db_values({k: v["new"] for k, v in changed.items()})))
    _ticket_changed(ctx, ticket["id"], ticket["unit_code"], ticket["operator"])
    add_event(conn, ctx, ticket, "updated", {
        "changes": changed, "base_version": base_version, "version": version,
        # The author edited an older version: someone else's change came in between.
        "concurrent": base_version < ticket["version"],
    })
    return ticket["id"]


def add_note(conn: Connection, ctx: PushContext, args: dict) -> str:
    note_id, text = args.get("id"), args.get("text")
    if not isinstance(note_id, str) or not (1 <= len(note_id) <= 64):
        raise Rejected("A note id must be text of at most 64 characters.")
    if not isinstance(text, str) or not text.strip():
        raise Rejected("A note needs some text.")
    if len(text) > 10000:
        raise Rejected("A note is at most 10,000 characters.")
    ticket = _visible_ticket(conn, ctx, args.get("ticket_id"), lock=False)
    if conn.execute(select(schema.notes.c.id).where(schema.notes.c.id == note_id)).first() is not None:
        raise Rejected("A note with this id already exists.")
    conn.execute(insert(schema.notes).values(id=note_id, ticket_id=ticket["id"], author=ctx.user.username, text=text,
                                             created_at=ctx.now_iso))
    _change(ctx, "note", ticket["id"], ticket["unit_code"], ticket["operator"], ref_id=note_id)
    return ticket["id"]


def _route(ticket: dict) -> tuple[str, dict]:
    """The unit a ticket goes to, by the domain's routing rules; Rejected when none fits."""
    from domain.routing import route

    try:
        decision = route(ticket["category_code"], ticket["sub_district_code"])
    except ValueError as exc:  # RoutingError: the rules say what to fix in their own words
        raise Rejected(str(exc)) from None
    if decision is None or not getattr(decision, "unit_code", None):
        raise Rejected("No unit found for this category and place; choose the unit by hand.")
    return decision.unit_code, {"rule_id": getattr(decision, "rule_id", None), "rule": getattr(decision, "rule_text", None)}


def _sla(ticket: dict, dispatched_at: datetime) -> tuple[str | None, str | None]:
    """Accept and resolve due times from the category's limits on the working-day calendar."""
    try:
        from domain.sla import sla_clock
        from domain.taxonomy import load_taxonomy

        category = load_taxonomy().get(ticket["category_code"])
        if category is None:
            return None, None
        clock = sla_clock(dispatched_at, category, ticket["urgency"])
        return (iso(clock.accept_due) if clock.accept_due else None, iso(clock.resolve_due) if clock.resolve_due else None)
    except Exception:  # a broken calendar must not block dispatching: the ticket goes out without a clock
        log.exception("SLA clock failed")
        return None, None


def _known_unit(unit_code) -> bool:
    from domain.routing import load_units

    try:
        return any(u.code == unit_code for u in load_units())
    except Exception:  # no unit list to check against: no unit can be shown to exist, so none is taken
        log.exception("the unit list cannot be read")
        return False


def transition(conn: Connection, ctx: PushContext, args: dict) -> str:
    ticket = _visible_ticket(conn, ctx, args.get("id"))
    action = args["action"]
    reason = args.get("reason") or ""
    callback_result = args.get("callback_result")
    unit_arg = args.get("unit_code")
    duplicate_of = args.get("duplicate_of")
    if not isinstance(reason, str) or len(reason) > 2000:
        raise Rejected("The reason must be text of at most 2,000 characters.")
    if callback_result is not None and not isinstance(callback_result, str):
        raise Rejected("The callback result must be one of satisfied, basically satisfied, unsatisfied, not reached.")
    if callback_result is not None and not (ticket["status"] == Status.CALLBACK and action in ("close", "reopen")):
        raise Rejected("A callback result is recorded only when closing or reopening a ticket after the callback.")
    try:
        target = lifecycle.check(ticket["status"], action, ctx.user.role, reason=reason, callback_result=callback_result)
    except lifecycle.TransitionError as exc:
        raise Rejected(str(exc)) from None
    values: dict = {"status": target.value}
    detail: dict = {"from": ticket["status"], "to": target.value}
    if reason:
        detail["reason"] = reason
    old_unit = ticket["unit_code"]
    new_unit = old_unit
    if target == Status.DISPATCHED:
        current = ticket_payload(ticket)
        problems = dispatch_problems(current)
        if problems:
            raise Rejected(_problems_text(problems))
        if unit_arg:
            if not isinstance(unit_arg, str) or not _known_unit(unit_arg):
                raise Rejected(f"There is no unit '{unit_arg}'. Choose a unit from the list.")
            new_unit, why = unit_arg, {"rule": "chosen by hand"}
        else:
            new_unit, why = _route(current)
        accept_due, resolve_due = _sla(current, ctx.now)
        values.update(unit_code=new_unit, dispatched_at=ctx.now_iso, accept_due_at=accept_due, due_at=resolve_due)
        detail.update(unit_code=new_unit, accept_due_at=accept_due, due_at=resolve_due, **why)
    elif unit_arg:
        raise Rejected("A unit can only be chosen when dispatching.")
    if callback_result is not None:
        values["callback_result"] = callback_result
        detail["callback_result"] = callback_result
    elif ticket["status"] == Status.CALLBACK and action == "reopen":
        values["callback_result"] = "unsatisfied"
    if duplicate_of:
        if not isinstance(duplicate_of, str) or duplicate_of == ticket["id"] or ticket_row(conn, duplicate_of) is None:
            raise Rejected("The ticket it duplicates does not exist.")
        values["duplicate_of"] = duplicate_of
        detail["duplicate_of"] = duplicate_of
    version = ticket["version"] + 1
    conn.execute(update(schema.tickets).where(schema.tickets.c.id == ticket["id"]).values(
        version=version, updated_at=ctx.now_iso, **values))
    after = {**dict(ticket), **values}
    _ticket_changed(ctx, ticket["id"], new_unit, ticket["operator"])
    if new_unit != old_unit:
        _unit_changed(conn, ctx, ticket["id"], old_unit, new_unit)
    add_event(conn, ctx, after, action, detail)
    if action == "return":
        audit.record(conn, ctx.user.username, "return", ticket_id=ticket["id"], ip=ctx.ip,
                     detail={"unit_code": old_unit, "reason": reason})
    return ticket["id"]


def _unit_changed(conn: Connection, ctx: PushContext, ticket_id: str, old_unit: str, new_unit: str) -> None:
    """The old unit's handlers lose the ticket (revoke); the new unit's get its earlier notes and events."""
    if old_unit:
        _change(ctx, "revoke", ticket_id, old_unit, "", handler_only=True)
    if new_unit:
        flush_events(conn, ctx)  # this push's own events of the ticket come along too
        for (note_id,) in conn.execute(select(schema.notes.c.id).where(schema.notes.c.ticket_id == ticket_id).order_by(schema.notes.c.created_at)):
            _change(ctx, "note", ticket_id, new_unit, "", ref_id=note_id, handler_only=True)
        for (event_id,) in conn.execute(select(schema.events.c.id).where(schema.events.c.ticket_id == ticket_id).order_by(schema.events.c.created_at)):
            _change(ctx, "event", ticket_id, new_unit, "", ref_id=event_id, handler_only=True)


def reassign(conn: Connection, ctx: PushContext, args: dict) -> str:
    if ctx.user.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise Rejected("Only a supervisor may reassign a ticket.")
    ticket = _visible_ticket(conn, ctx, args.get("id"))
    expected, target, reason = args.get("expected_operator"), args.get("operator"), args.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise Rejected("Give a reason for the reassignment.")
    if len(reason) > 2000:
        raise Rejected("The reason is at most 2,000 characters.")
    if not isinstance(expected, str) or not isinstance(target, str):
        raise Rejected("Name the operator who holds the ticket and the one who takes it.")
    # Compare and set: only if the ticket is still with whom the supervisor saw it with.
    if ticket["operator"] != expected:
        holder = ticket["operator"] or "nobody"
        raise Rejected(f"This ticket is now held by {holder}, not {expected or 'nobody'}; look again before reassigning.")
    user = conn.execute(select(schema.users.c.role, schema.users.c.disabled).where(schema.users.c.username == target)).first()
    if user is None or user[1] or user[0] not in (Role.OPERATOR, Role.SUPERVISOR):
        raise Rejected(f"'{target}' is not an active operator or supervisor.")
    if target == expected:
        return ticket["id"]
    version = ticket["version"] + 1
    conn.execute(update(schema.tickets).where(schema.tickets.c.id == ticket["id"]).values(
        operator=target, version=version, updated_at=ctx.now_iso))
    _ticket_changed(ctx, ticket["id"], ticket["unit_code"], target)
    add_event(conn, ctx, {**dict(ticket), "operator": target}, "reassign",
              {"from": expected, "to": target, "reason": reason})
    audit.record(conn, ctx.user.username, "reassign", ticket_id=ticket["id"], ip=ctx.ip,
                 detail={"from": expected, "to": target, "reason": reason})
    return ticket["id"]


_HANDLERS = {
    MutationName.TICKET_CREATE: create,
    MutationName.TICKET_UPDATE: update_fields,
    MutationName.NOTE_ADD: add_note,
    MutationName.TICKET_TRANSITION: transition,
    MutationName.TICKET_REASSIGN: reassign,
}
