"""The sync endpoints' logic: console registration, exactly-once push of mutations, scoped pull of the change
feed and full reloads from a snapshot."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, and_, case, delete, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from domain.ticket import Role
from domain.wire import (
    SCHEMA_VERSION,
    ChangeKind,
    ChangeRecord,
    Mutation,
    MutationName,
    MutationResult,
    PullPage,
    PushAnswer,
    PushError,
    RegisterAnswer,
    ResultStatus,
    WireError,
    content_hash,
    parse_mutation,
)
from server import schema, tickets
from server.accounts import User
from server.db import bump_counter, database_epoch, get_meta, insert_ignore, iso, read_counter, set_meta, utcnow, write_tx
from server.errors import ApiError, bad_request
from server.settings import Settings

log = logging.getLogger("hotline.server.sync")

NOTIFY_CHANNEL = "hotline_changes"
_RETRY_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock: the push is simply run again


# ---- registration --------------------------------------------------------------------------

def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def parse_register(body: object) -> int:
    """The first mutation id the new client id will send (1 for a new console; its next pending one otherwise)."""
    if body is None:
        return 1
    if not isinstance(body, dict):
        raise bad_request("Registration takes a JSON object: {\"first_mutation_id\": n}.")
    first = body.get("first_mutation_id", 1)
    if not isinstance(first, int) or isinstance(first, bool) or not (1 <= first <= 2**62):
        raise bad_request("first_mutation_id must be a whole number from 1.")
    return first


def register(engine: Engine, user: User, first_mutation_id: int = 1, ip: str | None = None) -> RegisterAnswer:
    """Issue a client id and secret bound to this console and user; its pushes start at first_mutation_id."""
    client_id = "c-" + uuid.uuid4().hex
    secret = secrets.token_urlsafe(32)
    now = iso(utcnow())
    with write_tx(engine) as conn:
        conn.execute(insert(schema.console_registrations).values(
            client_id=client_id, secret_hash=_secret_hash(secret), username=user.username,
            first_mutation_id=first_mutation_id, created_at=now, ip=(ip or "")[:64] or None))
        conn.execute(insert(schema.client_states).values(
            client_id=client_id, last_mutation_id=first_mutation_id - 1, username=user.username, updated_at=now))
    log.info("console registered", extra={"user": user.username, "first_mutation_id": first_mutation_id})
    return RegisterAnswer(client_id=client_id, client_secret=secret, username=user.username,
                          last_mutation_id=first_mutation_id - 1)


def _not_yours() -> ApiError:
    return ApiError(403, PushError.NOT_YOURS, "These changes came under another console's or another user's sync "
                    "identity and were refused; nothing was applied. The console registers itself again.")


def _check_owner(conn: Connection, user: User, client_id: str, secret: str | None, owner: str) -> int | None:
    """Refuse (403) a push under a client id that is not this console's and user's; returns its first id."""
    r = schema.console_registrations
    reg = conn.execute(select(r.c.secret_hash, r.c.username, r.c.first_mutation_id)
                       .where(r.c.client_id == client_id)).first()
    if reg is None:
        if secret is not None:
            raise ApiError(403, PushError.UNKNOWN_CLIENT, "The central service does not know this console's "
                           "registration (its database may have been restored); the console registers again.")
        if owner != user.username:  # an id the console made itself (older consoles): bound to its first user
            raise _not_yours()
        return None
    if secret is None or not hmac.compare_digest(reg.secret_hash, _secret_hash(secret)) or reg.username != user.username:
        raise _not_yours()
    return int(reg.first_mutation_id)


# ---- push ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ParsedPush:
    client_id: str
    client_secret: str | None
    mutations: list[Mutation]


def parse_push(body: object, settings: Settings) -> ParsedPush:
    """Shape checks of a push body; a problem is a 422 for the whole push (nothing applied)."""
    if not isinstance(body, dict):
        raise bad_request("The push must be a JSON object with client_id, schema_version and mutations.")
    client_id = body.get("client_id")
    if not isinstance(client_id, str) or not (1 <= len(client_id) <= 100) or "\x00" in client_id:
        raise bad_request("client_id must be text of 1 to 100 characters.")
    secret = body.get("client_secret")
    if secret is not None and (not isinstance(secret, str) or not (1 <= len(secret) <= 200)):
        raise bad_request("client_secret must be the text the service gave at registration.")
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
    return ParsedPush(client_id, secret, mutations)


def push(engine: Engine, user: User, client_id: str, mutations: list[Mutation], settings: Settings,
         ip: str | None = None, client_secret: str | None = None) -> tuple[PushAnswer, int | None]:
    """Apply what is new, once; returns (response body, newest change seq written or None)."""
    for attempt in range(5):
        try:
            # Few pushes at a time per process: every writer ends holding the feed counter's row lock,
            # and a lock holder starved of the GIL by dozens of threads would stall all the others.
            with _push_slots(settings):
                return _push_once(engine, user, client_id, client_secret, mutations, settings, ip)
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


def _push_once(engine: Engine, user: User, client_id: str, secret: str | None, mutations: list[Mutation],
               settings: Settings, ip: str | None) -> tuple[PushAnswer, int | None]:
    now = utcnow()
    ctx = tickets.PushContext(user=user, now=now, ip=ip)
    results: list[MutationResult] = []
    cs = schema.client_states
    with write_tx(engine) as conn:
        # Lock this client's row: two pushes of the same client (a retry racing the original) queue here.
        locked = select(cs.c.last_mutation_id, cs.c.username).where(cs.c.client_id == client_id).with_for_update()
        row = conn.execute(locked).first()
        if row is None:  # this console's first push
            if secret is None:
                insert_ignore(conn, cs, {"client_id": client_id, "last_mutation_id": 0, "username": user.username,
                                         "updated_at": iso(now)})
                row = conn.execute(locked).first()
            else:
                raise ApiError(403, PushError.UNKNOWN_CLIENT, "The central service does not know this console's "
                               "registration (its database may have been restored); the console registers again.")
        first_id = _check_owner(conn, user, client_id, secret, row.username)
        last = int(row.last_mutation_id)
        fresh = [m for m in mutations if m.id > last]
        if fresh and fresh[0].id > last + 1:
            raise ApiError(409, PushError.GAP, f"The server last saw change {last} from this console; send from "
                           f"{last + 1}.", last_mutation_id=last)
        log_rows: list[dict] = []
        seen_before = _earlier_outcomes(conn, client_id, [m.id for m in mutations if m.id <= last])
        for m in mutations:
            if m.id <= last:
                _check_same_content(m, seen_before.get(m.id), first_id, last)
        create_ids = [m.args["id"] for m in fresh
                      if m.name == MutationName.TICKET_CREATE and isinstance(m.args.get("id"), str)]
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
                status, error = ResultStatus.APPLIED, None
            except tickets.Rejected as exc:
                about = m.args.get("ticket_id" if m.name == MutationName.NOTE_ADD else "id")
                ticket_id, status, error = about if isinstance(about, str) else None, ResultStatus.REJECTED, str(exc)
            log_rows.append({"client_id": client_id, "mutation_id": m.id, "name": m.name, "status": str(status),
                             "error": error, "ticket_id": (ticket_id or "")[:64] or None, "username": user.username,
                             "at": iso(now), "content_hash": content_hash(m.name, m.args)})
            result = MutationResult(id=m.id, status=status)
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
    rejected = sum(1 for r in results if r["status"] == ResultStatus.REJECTED)
    log.info("push", extra={"user": user.username, "client": client_id[:40], "mutations": len(mutations),
                            "rejected": rejected, "last_mutation_id": last})
    return PushAnswer(last_mutation_id=last, results=results, server_time=iso(utcnow())), top


def _earlier_outcomes(conn: Connection, client_id: str, ids: list[int]) -> dict[int, tuple]:
    """What became of mutations seen before (a replay after a lost answer), in one query per 500."""
    ml = schema.mutation_log
    out: dict[int, tuple] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for mid, status, error, digest in conn.execute(select(ml.c.mutation_id, ml.c.status, ml.c.error,
                                                              ml.c.content_hash).where(
                ml.c.client_id == client_id, ml.c.mutation_id.in_(chunk))):
            out[int(mid)] = (status, error, digest)
    return out


def _check_same_content(m: Mutation, row: tuple | None, first_id: int | None, last: int) -> None:
    """A replayed id is a duplicate only if it is what the service received under it; otherwise 409."""
    if row is None:
        if first_id is not None and m.id < first_id:  # before this registration began: never sent under it
            raise ApiError(409, PushError.CONFLICT, f"Change {m.id} was never sent under this console's registration "
                           f"(it starts at {first_id}); the console registers again and sends it anew.",
                           mutation_id=m.id, last_mutation_id=last)
        return  # an older service's log without the row: answered duplicate as before
    if row[2] is not None and row[2] != content_hash(m.name, m.args):
        raise ApiError(409, PushError.CONFLICT, f"Change {m.id} from this console differs from the change {m.id} the "
                       "service already has from it: the console's data was copied or restored from a backup. "
                       "Nothing was applied; the console registers again and sends its changes anew.",
                       mutation_id=m.id, last_mutation_id=last)


def _duplicate(m: Mutation, row: tuple | None) -> MutationResult:
    result = MutationResult(id=m.id, status=ResultStatus.DUPLICATE)
    if row is not None:
        result["original_status"] = ResultStatus(row[0])
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

@dataclass(frozen=True)
class SnapshotToken:
    """Where a full reload stands: paging tickets by id up to a fixed mark, or catching up on the feed from it."""

    mark: int | None = None  # the change counter when the reload began (None: not begun)
    after: str | None = None  # the last ticket id sent; None once the tickets are done (feed phase)

    def encode(self) -> str:
        return f"t:{self.mark}:{self.after}" if self.after is not None else f"f:{self.mark}"

    @classmethod
    def decode(cls, raw: str) -> "SnapshotToken":
        if raw == "":
            return cls()
        phase, _, rest = raw.partition(":")
        mark, _, after = rest.partition(":")
        if phase not in ("t", "f") or not mark.isascii() or not mark.isdigit() or len(mark) > 19 \
                or (phase == "t" and len(after) > 64):
            raise bad_request("snapshot must be the token the previous page gave, or empty to begin a full reload.")
        return cls(int(mark), after if phase == "t" else None)


def pull(engine: Engine, user: User, cursor: int, limit: int, epoch: str | None = None,
         snapshot: str | None = None) -> PullPage:
    """Changes after `cursor` that this user may see, oldest first, with a new cursor.

    With `snapshot` (a full reload: "" to begin, then the token of the page before), first every ticket this
    user may see, paged by id, as it is now, with its notes and history, then the feed from the counter's value
    when the reload began. A reload so begun finishes whatever compaction does meanwhile.
    """
    token = SnapshotToken.decode(snapshot) if snapshot is not None else None
    c = schema.changes
    with engine.connect() as conn:
        with conn.begin():
            server_epoch = database_epoch(conn)
            floor = int(get_meta(conn, "change_floor") or 0)
            # Read the counter first: every change numbered up to it is committed and visible now.
            top = read_counter(conn, "change_seq")
            if token is not None and token.mark is not None and token.mark > top:
                return _reset_page(server_epoch)  # a mark from another (restored) database: begin again
            if token is not None and (token.mark is None or token.after is not None):
                if epoch and epoch != server_epoch:
                    return _reset_page(server_epoch)
                return _snapshot_page(conn, user, token, top, limit, server_epoch)
            # A feed catch-up after a snapshot may run below a floor that compaction raised meanwhile: what
            # compaction drops (superseded ticket rows) is not needed by it, and revocations are kept.
            catching_up = token is not None and token.mark is not None and cursor >= token.mark
            if (epoch and epoch != server_epoch) or cursor > top or (0 < cursor < floor and not catching_up):
                return _reset_page(server_epoch)
            query = select(c).where(c.c.seq > cursor, c.c.seq <= top)
            if user.is_staff:
                query = query.where(c.c.handler_only == False)  # noqa: E712 - SQL expression
            else:
                query = query.where(c.c.unit_code == (user.unit_code or "-no unit-"))
            rows = conn.execute(query.order_by(c.c.seq).limit(limit)).mappings().all()
            has_more = len(rows) == limit
            new_cursor = rows[-1]["seq"] if has_more else top
            changes = _payloads(conn, user, rows)
    page = PullPage(cursor=new_cursor, changes=changes, has_more=has_more, epoch=server_epoch,
                    server_time=iso(utcnow()))
    if catching_up and has_more:
        page["snapshot"] = token.encode()
    return page


def _reset_page(server_epoch: str) -> PullPage:
    return PullPage(reset=True, cursor=0, changes=[], has_more=True, epoch=server_epoch, server_time=iso(utcnow()))


def _snapshot_page(conn: Connection, user: User, token: SnapshotToken, top: int, limit: int,
                   server_epoch: str) -> PullPage:
    """One page of a full reload: up to `limit` tickets after token.after, by id, each with its notes and history."""
    mark = top if token.mark is None else token.mark
    t = schema.tickets
    query = select(t).order_by(t.c.id).limit(limit)
    if token.after:
        query = query.where(t.c.id > token.after)
    if not user.is_staff:
        query = query.where(t.c.unit_code == (user.unit_code or "-no unit-") if user.role == Role.HANDLER
                            else t.c.id.is_(None))
    rows = [r for r in conn.execute(query).mappings().all()]
    masked = user.role == Role.HANDLER
    ids = [r["id"] for r in rows]
    notes = _children(conn, schema.notes, ids)
    events = _children(conn, schema.events, ids)
    changes: list[ChangeRecord] = []
    for row in rows:
        if not tickets.may_see(user, row):
            continue
        tid = row["id"]
        changes.append({"seq": mark, "kind": ChangeKind.TICKET, "ticket": tickets.ticket_payload(row, masked=masked)})
        changes += [{"seq": mark, "kind": ChangeKind.NOTE, "note": tickets.note_payload(n)} for n in notes.get(tid, [])]
        changes += [{"seq": mark, "kind": ChangeKind.EVENT, "event": tickets.event_payload(e, masked=masked)}
                    for e in events.get(tid, [])]
    page = PullPage(cursor=0, changes=changes, has_more=True, epoch=server_epoch, server_time=iso(utcnow()))
    if len(rows) == limit:
        page["snapshot"] = SnapshotToken(mark, ids[-1]).encode()
    else:  # the tickets are done: the feed from the mark follows (nothing more if nothing happened since)
        page["cursor"] = mark
        page["has_more"] = top > mark
        if top > mark:
            page["snapshot"] = SnapshotToken(mark).encode()
    return page


def _children(conn: Connection, table, ticket_ids: list[str]) -> dict[str, list]:
    """Notes or events of these tickets, oldest first, by ticket."""
    out: dict[str, list] = {}
    for start in range(0, len(ticket_ids), 500):
        chunk = ticket_ids[start:start + 500]
        query = select(table).where(table.c.ticket_id.in_(chunk)).order_by(table.c.created_at, table.c.id)
        for row in conn.execute(query).mappings():
            out.setdefault(row["ticket_id"], []).append(row)
    return out


def _payloads(conn: Connection, user: User, rows) -> list[ChangeRecord]:
    masked = user.role == Role.HANDLER  # handlers see 138****5678; the full number takes an audited reveal
    ticket_ids = {r["ticket_id"] for r in rows}
    note_ids = [r["ref_id"] for r in rows if r["kind"] == ChangeKind.NOTE]
    event_ids = [r["ref_id"] for r in rows if r["kind"] == ChangeKind.EVENT]
    by_ticket = _fetch(conn, schema.tickets, ticket_ids)
    by_note = _fetch(conn, schema.notes, note_ids)
    by_event = _fetch(conn, schema.events, event_ids)
    # Ticket changes carry the ticket as it is now, so one per ticket in a page is enough: the first
    # (notes and events after it find their ticket), again only after a revocation of it.
    sent: set[str] = set()
    out: list[ChangeRecord] = []
    for r in rows:
        kind, tid = r["kind"], r["ticket_id"]
        if kind == ChangeKind.REVOKE:
            sent.discard(tid)
            out.append({"seq": r["seq"], "kind": ChangeKind.REVOKE, "ticket_id": tid})
            continue
        ticket = by_ticket.get(tid)
        if ticket is None or not tickets.may_see(user, ticket):
            continue  # it has left this handler's unit since; a revoke follows in the feed
        if kind == ChangeKind.TICKET:
            if tid not in sent:
                sent.add(tid)
                out.append({"seq": r["seq"], "kind": ChangeKind.TICKET,
                            "ticket": tickets.ticket_payload(ticket, masked=masked)})
        elif kind == ChangeKind.NOTE and r["ref_id"] in by_note:
            out.append({"seq": r["seq"], "kind": ChangeKind.NOTE, "note": tickets.note_payload(by_note[r["ref_id"]])})
        elif kind == ChangeKind.EVENT and r["ref_id"] in by_event:
            out.append({"seq": r["seq"], "kind": ChangeKind.EVENT,
                        "event": tickets.event_payload(by_event[r["ref_id"]], masked=masked)})
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
    later one of the same ticket and scope. Cursors inside the compacted range answer "reset"; a pull
    from 0 still yields every ticket, note and event. Revocations are kept (few): a full reload's
    catch-up from its mark may run below the floor and must still see a ticket leave. Returns rows deleted."""
    c = schema.changes
    with write_tx(engine) as conn:
        later = c.alias("later")
        superseded = select(later.c.seq).where(
            later.c.ticket_id == c.c.ticket_id, later.c.kind == ChangeKind.TICKET, later.c.seq > c.c.seq,
            later.c.handler_only == c.c.handler_only,
        ).exists()
        result = conn.execute(delete(c).where(c.c.seq <= up_to_seq, and_(c.c.kind == ChangeKind.TICKET, superseded)))
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
