"""The console's local ticket cache: tickets, notes, history, drafts and the sync outbox in one SQLite file.

Every local change writes the ticket, its outbox intent and a history event in one transaction,
so after any crash either all of it is there or none of it. The sync engine drains the outbox
(pending_mutations / record_push_results) and feeds pulled changes to apply_changes.
"""

from __future__ import annotations

import json
import re
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable, Iterator

from sqlalchemy import Connection

from domain import lifecycle, wire
from domain.ticket import CONTENT_FIELDS, SERVER_FIELDS, Status, Ticket, minimal_save_problems, dispatch_problems, normalise_phone
from storage import schema
from storage.db import BUSY_TIMEOUT_MS, connect, environment_errors
from storage.errors import TicketNotFound, ValidationError
from storage.search_terms import match_expression, search_plan, terms_for, text_tokens

CACHE_FILE = "cache.db"
# Set once this cache no longer pushes under the client id it made itself (caches from before registration).
LEGACY_CLIENT_RETIRED = "legacy_client_id_retired"

_STRING_FIELDS = tuple(f for f in CONTENT_FIELDS if f not in ("suggestions", "suggestion_rank", "call_started_at"))
_COLUMNS = schema.TICKET_COLUMNS
# What an absent value means for a column that is never NULL (the Ticket's own defaults).
_NOT_NULL_DEFAULTS = {
    name: value for name, value in Ticket(id="").to_dict().items()
    if name in _STRING_FIELDS + ("operator", "unit_code", "status")
}
_NOT_NULL_DEFAULTS["status"] = Status.REGISTERED.value
_INSERT_TICKET = (
    f"INSERT INTO tickets ({', '.join(_COLUMNS + schema.LOCAL_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _COLUMNS + schema.LOCAL_COLUMNS)}) "
    f"ON CONFLICT(id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in _COLUMNS[1:] + schema.LOCAL_COLUMNS)} "
    "RETURNING seq"
)
# The text fields the index covers, as one string (to look for single characters in the rows).
_SEARCHED_TEXT = "(t.description || ' ' || t.caller_name || ' ' || t.caller_address || ' ' || t.incident_address)"
_SELECT_TICKET = (
    "SELECT t.*, EXISTS (SELECT 1 FROM outbox o WHERE o.ticket_id = t.id AND o.state = 'pending') AS pending "
    "FROM tickets t"
)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _local_ref(ticket_id: str) -> str:
    return ticket_id.replace("-", "")[:8].lower()


def _row_dict(row) -> dict:
    """A ticket row as the dict the console and sync engine use (Ticket fields + local_ref, pending)."""
    data = dict(row._mapping)
    data.pop("seq", None)
    data.pop("local_fields", None)
    data["suggestions"] = json.loads(data.get("suggestions") or "[]")
    data["from_server"] = bool(data.get("from_server"))
    data["revoked"] = bool(data.get("revoked"))
    if "pending" in data:
        data["pending"] = bool(data["pending"])
    return data


def _ticket_params(ticket: dict) -> tuple:
    values = []
    for column in _COLUMNS:
        value = ticket.get(column)
        if column == "suggestions":
            value = json.dumps(list(value or []), ensure_ascii=False)
        elif value is None and column in _NOT_NULL_DEFAULTS:
            value = _NOT_NULL_DEFAULTS[column]
        elif column == "version":
            value = int(value or 0)
        values.append(value)
    values += [
        ticket.get("local_ref") or _local_ref(ticket["id"]),
        json.dumps(ticket.get("local_fields") or {}),
        1 if ticket.get("from_server") else 0,
        1 if ticket.get("revoked") else 0,
    ]
    return tuple(values)


def _check_content(values: dict) -> dict[str, str]:
    """Type problems in content fields (the domain checks the meaning)."""
    problems: dict[str, str] = {}
    for name, value in values.items():
        if name == "suggestions":
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                problems[name] = "Suggestions must be a list of category codes."
        elif name == "suggestion_rank":
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                problems[name] = "The suggestion rank must be a whole number from 0, or empty."
        elif name == "call_started_at":
            if value is not None and not isinstance(value, str):
                problems[name] = "The call start time must be a date and time."
        elif value is not None and not isinstance(value, str):
            problems[name] = "This must be text."
    return problems


class LocalCache:
    """One console's cache file. Thread-safe: each call takes its own pooled connection."""

    def __init__(self, path: Path | str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        self.path = Path(path)
        with environment_errors():
            self._engine = connect(self.path, busy_timeout_ms=busy_timeout_ms)
        try:
            with environment_errors():
                schema.ensure_schema(self._engine, str(self.path))
            self.client_id = self.get_meta("client_id") or self._init_client_id()
        except BaseException:
            self._engine.dispose()  # a refused or failed open leaves no file handles behind
            raise

    @classmethod
    def open(cls, home: Path | str) -> "LocalCache":
        return cls(Path(home) / CACHE_FILE)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> "LocalCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- transactions ---------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT): all of it lands, or none of it."""
        with environment_errors():
            with self._engine.connect().execution_options(hotline_write=True) as conn, conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with environment_errors():
            with self._engine.connect() as conn:
                yield conn

    def _init_client_id(self) -> str:
        with self._write() as conn:
            row = conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'client_id'").first()
            if row:
                return row[0]
            client_id = str(uuid.uuid4())
            conn.exec_driver_sql("INSERT INTO meta (key, value) VALUES ('client_id', ?)", (client_id,))
            # A new cache pushes only under ids the service registers (storage.sync): this local id is not one.
            self._set_meta(conn, LEGACY_CLIENT_RETIRED, "1")
            return client_id

    # -- meta -----------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        with self._read() as conn:
            row = conn.exec_driver_sql("SELECT value FROM meta WHERE key = ?", (key,)).first()
            return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        with self._write() as conn:
            self._set_meta(conn, key, value)

    @staticmethod
    def _set_meta(conn: Connection, key: str, value) -> None:
        if value is None:
            conn.exec_driver_sql("DELETE FROM meta WHERE key = ?", (key,))
        else:
            conn.exec_driver_sql(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, str(value)),
            )

    @property
    def cursor(self) -> int:
        return int(self.get_meta("cursor") or 0)

    # -- low-level row helpers ------------------------------------------------------------------

    @staticmethod
    def _load(conn: Connection, ticket_id: str) -> dict | None:
        row = conn.exec_driver_sql("SELECT * FROM tickets WHERE id = ?", (ticket_id,)).first()
        if row is None:
            return None
        data = dict(row._mapping)
        data["suggestions"] = json.loads(data["suggestions"] or "[]")
        data["local_fields"] = json.loads(data["local_fields"] or "{}")
        return data

    def _load_or_fail(self, conn: Connection, ticket_id: str) -> dict:
        ticket = self._load(conn, ticket_id)
        if ticket is None:
            raise TicketNotFound(ticket_id)
        return ticket

    @staticmethod
    def _store(conn: Connection, ticket: dict, old: dict | None) -> int:
        """Write the ticket row and, when its searchable text changed, its full-text terms."""
        seq = conn.exec_driver_sql(_INSERT_TICKET, _ticket_params(ticket)).scalar_one()
        terms = terms_for(ticket)
        if old is None:
            conn.exec_driver_sql(
                "INSERT INTO ticket_terms (seq, terms) VALUES (?, ?) "
                "ON CONFLICT(seq) DO UPDATE SET terms = excluded.terms",
                (seq, terms),
            )
        elif terms != terms_for(old):
            # An UPDATE (not REPLACE) so the index's update trigger removes the old terms.
            conn.exec_driver_sql("UPDATE ticket_terms SET terms = ? WHERE seq = ?", (terms, seq))
        return seq

    def _enqueue(self, conn: Connection, build, ticket_id: str, author: str, *args, **kwargs) -> wire.Mutation:
        """Append the next intent to the outbox; its id is the next consecutive mutation id."""
        last = conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM outbox").scalar_one()
        floor = conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'mutation_floor'").first()
        mutation = build(max(last, int(floor[0]) if floor else 0) + 1, *args, **kwargs)
        conn.exec_driver_sql(
            "INSERT INTO outbox (id, name, args, ticket_id, author, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (mutation.id, str(mutation.name), json.dumps(mutation.args, ensure_ascii=False), ticket_id, author, _now()),
        )
        return mutation

    @staticmethod
    def _event(conn: Connection, ticket_id: str, actor: str, action: str, detail: dict, *,
               origin: str = "local", event_id: str | None = None, created_at: str | None = None) -> None:
        conn.exec_driver_sql(
            "INSERT INTO events (id, ticket_id, actor, action, detail, created_at, origin) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO NOTHING",
            (event_id or str(uuid.uuid4()), ticket_id, actor, action,
             json.dumps(detail, ensure_ascii=False, default=str), created_at or _now(), origin),
        )

    def _get(self, conn: Connection, ticket_id: str) -> dict:
        row = conn.exec_driver_sql(_SELECT_TICKET + " WHERE t.id = ?", (ticket_id,)).first()
        return _row_dict(row)

    # -- local changes --------------------------------------------------------------------------

    def create_ticket(self, values: dict, author: str, *, draft_id: str | None = None,
                      action: str | None = None, role: str | None = None, **extra) -> dict:
        """Register a ticket here and queue `ticket.create`. Raises ValidationError, storing nothing.

        Server-decided fields in `values` (number, status, version, ...) are ignored; `id` may be
        given (e.g. the draft's), else a new uuid is made. With `draft_id` the draft is discarded
        (and any draft named by the ticket id) in the same transaction, so a crash never leaves both.
        With `action` (e.g. "dispatch", "answer") the first lifecycle step is queued in the same
        transaction too: a crash can never leave a registered ticket that the operator dispatched.
        """
        unknown = sorted(set(values) - set(CONTENT_FIELDS) - set(SERVER_FIELDS) - {"id"})
        problems = {name: "This is not a ticket field." for name in unknown}
        content = {k: v for k, v in values.items() if k in CONTENT_FIELDS}
        problems.update(_check_content(content))
        if not problems:
            problems.update(minimal_save_problems(content))
        if problems:
            raise ValidationError(problems)
        if content.get("caller_phone"):
            content["caller_phone"] = normalise_phone(content["caller_phone"])
        content = {k: v for k, v in content.items() if v not in (None, "", [])}
        ticket_id = str(values.get("id") or uuid.uuid4())
        now = _now()
        ticket = {
            "id": ticket_id, **content, "status": Status.REGISTERED.value, "operator": author,
            "version": 0, "created_at": now, "updated_at": now,
            "local_fields": {name: {"base": 0, "value": value} for name, value in content.items()},
        }
        with self._write() as conn:
            if conn.exec_driver_sql("SELECT 1 FROM tickets WHERE id = ?", (ticket_id,)).first():
                raise ValidationError({"id": "A ticket with this id is already saved."})
            self._store(conn, ticket, None)
            mutation = self._enqueue(conn, wire.create, ticket_id, author, ticket_id, **content)
            self._event(conn, ticket_id, author, "created", {"values": content, "mutation": mutation.id})
            if action is not None:
                self._transition_in(conn, ticket_id, action, author, role or "", extra)
            # The draft of this ticket (the console names it by the ticket id, or passes draft_id) goes with the save.
            conn.exec_driver_sql("DELETE FROM drafts WHERE id IN (?, ?)", (ticket_id, draft_id or ticket_id))
            return self._get(conn, ticket_id)

    def update_ticket(self, ticket_id: str, changes: dict, author: str) -> dict:
        """Change content fields and queue `ticket.update` with the base version. Unchanged fields are dropped."""
        unknown = sorted(set(changes) - set(CONTENT_FIELDS))
        problems = {name: "This field cannot be edited here." for name in unknown}
        problems.update(_check_content({k: v for k, v in changes.items() if k in CONTENT_FIELDS}))
        if problems:
            raise ValidationError(problems)
        changes = dict(changes)
        if changes.get("caller_phone"):
            changes["caller_phone"] = normalise_phone(changes["caller_phone"])
        with self._write() as conn:
            old = self._load_or_fail(conn, ticket_id)
            changed = {k: v for k, v in changes.items() if (old.get(k) if old.get(k) is not None else "") != (v if v is not None else "")}
            if not changed:
                return self._get(conn, ticket_id)
            ticket = {**old, **changed, "updated_at": _now()}
            problems = minimal_save_problems(ticket)
            if problems:
                raise ValidationError(problems)
            ticket["local_fields"] = {**old["local_fields"],
                                      **{name: {"base": old["version"], "value": v} for name, v in changed.items()}}
            self._store(conn, ticket, old)
            mutation = self._enqueue(conn, wire.update, ticket_id, author, ticket_id, old["version"], **changed)
            self._event(conn, ticket_id, author, "updated",
                        {"changes": {k: [old.get(k), v] for k, v in changed.items()}, "mutation": mutation.id})
            return self._get(conn, ticket_id)

    def add_note(self, ticket_id: str, text: str, author: str) -> dict:
        """Append a note and queue `note.add`. Returns the note."""
        if not isinstance(text, str) or not text.strip():
            raise ValidationError({"text": "Type the note before adding it."})
        note = {"id": str(uuid.uuid4()), "ticket_id": ticket_id, "author": author, "text": text, "created_at": _now()}
        with self._write() as conn:
            self._load_or_fail(conn, ticket_id)
            conn.exec_driver_sql(
                "INSERT INTO notes (id, ticket_id, author, text, created_at) VALUES (?, ?, ?, ?, ?)",
                (note["id"], ticket_id, author, text, note["created_at"]),
            )
            mutation = self._enqueue(conn, wire.note, ticket_id, author, note["id"], ticket_id, text)
            self._event(conn, ticket_id, author, "note", {"note_id": note["id"], "mutation": mutation.id})
        return note

    def transition(self, ticket_id: str, action: str, author: str, role: str, **extra) -> dict:
        """Move the ticket through the lifecycle (checked here first) and queue `ticket.transition`.

        `extra`: reason, unit_code, callback_result, duplicate_of. The status shown changes at once;
        the server decides in the end (a refusal comes back as a rejection).
        """
        with self._write() as conn:
            return self._transition_in(conn, ticket_id, action, author, role, extra)

    def _transition_in(self, conn: Connection, ticket_id: str, action: str, author: str, role: str, extra: dict) -> dict:
        allowed = {"reason", "unit_code", "callback_result", "duplicate_of"}
        unknown = sorted(set(extra) - allowed)
        if unknown:
            raise ValidationError({name: "This cannot be given with a status change." for name in unknown})
        extra = {k: v for k, v in extra.items() if v not in (None, "")}
        old = self._load_or_fail(conn, ticket_id)
        try:
            target = lifecycle.check(old["status"], action, role, reason=extra.get("reason", ""),
                                     callback_result=extra.get("callback_result"))
        except lifecycle.TransitionError as error:
            raise ValidationError({"action": str(error)}) from None
        if target == Status.DISPATCHED:
            problems = dispatch_problems(old)
            if problems:
                raise ValidationError(problems)
        ticket = {**old, "updated_at": _now()}
        self._apply_transition(ticket, action, extra)
        self._store(conn, ticket, old)
        mutation = self._enqueue(conn, wire.transition, ticket_id, author, ticket_id, action, **extra)
        self._event(conn, ticket_id, author, f"transition:{action}",
                    {"changes": {"status": [old["status"], ticket["status"]]}, **extra, "mutation": mutation.id})
        return self._get(conn, ticket_id)

    @staticmethod
    def _apply_transition(ticket: dict, action: str, args: dict) -> None:
        move = lifecycle.find(ticket["status"], action)
        if move is None:
            return  # no longer possible from here: the server's word stands
        ticket["status"] = move.target.value
        if move.target == Status.DISPATCHED:
            ticket["dispatched_at"] = ticket.get("dispatched_at") or _now()
            if args.get("unit_code"):
                ticket["unit_code"] = args["unit_code"]
        if args.get("callback_result"):
            ticket["callback_result"] = args["callback_result"]
        if args.get("duplicate_of"):
            ticket["duplicate_of"] = args["duplicate_of"]

    def reassign(self, ticket_id: str, expected_operator: str, operator: str, reason: str, author: str) -> dict:
        """Give the ticket to another operator (compare-and-set on the server) and queue `ticket.reassign`."""
        problems = {}
        if not isinstance(operator, str) or not operator.strip():
            problems["operator"] = "Choose who should take the ticket."
        if not isinstance(reason, str) or not reason.strip():
            problems["reason"] = "Give a reason for the reassignment."
        if problems:
            raise ValidationError(problems)
        with self._write() as conn:
            old = self._load_or_fail(conn, ticket_id)
            ticket = {**old, "operator": operator, "updated_at": _now()}
            self._store(conn, ticket, old)
            mutation = self._enqueue(conn, wire.reassign, ticket_id, author, ticket_id, expected_operator or "", operator, reason)
            self._event(conn, ticket_id, author, "reassigned",
                        {"changes": {"operator": [old["operator"], operator]}, "reason": reason, "mutation": mutation.id})
            return self._get(conn, ticket_id)

    # -- reading --------------------------------------------------------------------------------

    def get_ticket(self, ticket_id: str) -> dict | None:
        with self._read() as conn:
            row = conn.exec_driver_sql(_SELECT_TICKET + " WHERE t.id = ?", (ticket_id,)).first()
            return _row_dict(row) if row else None

    def list_tickets(self, status: str | Iterable[str] | None = None, operator: str | None = None,
                     unit_code: str | None = None, limit: int = 200, offset: int = 0) -> list[dict]:
        """Newest first (by arrival in this cache)."""
        where, params = [], []
        if status is not None:
            statuses = [status] if isinstance(status, str) else list(status)
            where.append(f"t.status IN ({', '.join('?' for _ in statuses)})")
            params += statuses
        if operator is not None:
            where.append("t.operator = ?")
            params.append(operator)
        if unit_code is not None:
            where.append("t.unit_code = ?")
            params.append(unit_code)
        sql = _SELECT_TICKET + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY t.seq DESC LIMIT ? OFFSET ?"
        with self._read() as conn:
            return [_row_dict(r) for r in conn.exec_driver_sql(sql, tuple(params) + (int(limit), int(offset)))]

    def count_tickets(self) -> int:
        with self._read() as conn:
            return conn.exec_driver_sql("SELECT COUNT(*) FROM tickets").scalar_one()

    def search(self, query: str, limit: int = 50) -> list[dict]:
        """Tickets matching number, phone (full or last digits), local reference, text or address; newest first."""
        expression, characters = search_plan(query or "")
        if expression is None and not characters:
            return []
        if expression is None:
            found = self._newest_containing(characters, limit)
            if found is not None:
                return found
            # Rare characters: as index prefixes they are cheap.
            expression, characters = match_expression(query), []
        if not characters:
            sql = (
                _SELECT_TICKET + " WHERE t.seq IN (SELECT rowid FROM ticket_terms_fts WHERE ticket_terms_fts MATCH ? "
                "ORDER BY rowid DESC LIMIT ?) ORDER BY t.seq DESC"
            )
            params: tuple = (expression, int(limit))
        else:
            # Walk the index's matches newest first and keep those that also contain the characters.
            sql = (
                _SELECT_TICKET + " JOIN ticket_terms_fts f ON f.rowid = t.seq WHERE f.ticket_terms_fts MATCH ? "
                + "".join(f" AND instr({_SEARCHED_TEXT}, ?) > 0" for _ in characters)
                + " ORDER BY f.rowid DESC LIMIT ?"
            )
            params = (expression, *characters, int(limit))
        with self._read() as conn:
            return [_row_dict(r) for r in conn.exec_driver_sql(sql, params)]

    # How many of the newest tickets a one-character search reads directly before using the index.
    SINGLE_CHARACTER_WINDOW = 5000

    def _newest_containing(self, characters: list[str], limit: int) -> list[dict] | None:
        """The newest tickets containing common characters, or None when they are not all among the newest few.

        In the index a single character is a prefix over every bigram it starts: for 区 or 号 that is
        thousands of terms (half a second at a million tickets). Such a character is found at once
        by reading the newest rows; a rare one falls through to the index, where its prefix is cheap.
        """
        with self._read() as conn:
            top = conn.exec_driver_sql("SELECT MAX(seq) FROM tickets").scalar() or 0
            rows = conn.exec_driver_sql(
                _SELECT_TICKET + " WHERE t.seq > ?" + "".join(f" AND instr({_SEARCHED_TEXT}, ?) > 0" for _ in characters)
                + " ORDER BY t.seq DESC LIMIT ?",
                (top - self.SINGLE_CHARACTER_WINDOW, *characters, int(limit)),
            ).all()
        if len(rows) < limit:
            return None
        return [_row_dict(r) for r in rows]

    def tickets_by_phone(self, phone: str, limit: int = 20) -> list[dict]:
        """The caller's earlier tickets (exact number), newest first."""
        digits = re.sub(r"\D", "", phone or "")
        if not digits:
            return []
        with self._read() as conn:
            rows = conn.exec_driver_sql(
                _SELECT_TICKET + f" WHERE {schema.PHONE_DIGITS} = ? ORDER BY t.seq DESC LIMIT ?", (digits, int(limit))
            )
            return [_row_dict(r) for r in rows]

    def likely_duplicates(self, category_code: str, sub_district_code: str, incident_address: str = "",
                          days: int = 30, exclude_id: str | None = None, limit: int = 10) -> list[dict]:
        """Open tickets of the same type in the same sub-district lately, the most similar address first.

        Each result carries `similarity` (0..1, shared address bigrams).
        """
        if not category_code or not sub_district_code:
            return []
        since = (datetime.now(timezone.utc) - timedelta(days=days)).isoformat()
        with self._read() as conn:
            rows = conn.exec_driver_sql(
                _SELECT_TICKET + " WHERE t.category_code = ? AND t.sub_district_code = ? AND t.created_at >= ? "
                "AND t.status != 'closed' AND t.id != ? ORDER BY t.created_at DESC LIMIT 200",
                (category_code, sub_district_code, since, exclude_id or ""),
            )
            found = [_row_dict(r) for r in rows]
        wanted = set(text_tokens(incident_address or ""))
        for ticket in found:
            theirs = set(text_tokens(ticket.get("incident_address") or ""))
            ticket["similarity"] = round(len(wanted & theirs) / len(wanted | theirs), 3) if wanted and theirs else 0.0
        found.sort(key=lambda t: t["similarity"], reverse=True)
        return found[:limit]

    def history(self, ticket_id: str) -> list[dict]:
        """The ticket's events, oldest first: who, what, when, detail (why, old/new and overwritten values)."""
        with self._read() as conn:
            rows = conn.exec_driver_sql(
                "SELECT id, ticket_id, actor, action, detail, created_at, origin FROM events WHERE ticket_id = ? ORDER BY seq",
                (ticket_id,),
            )
            return [{**dict(r._mapping), "detail": json.loads(r.detail)} for r in rows]

    def notes(self, ticket_id: str) -> list[dict]:
        with self._read() as conn:
            rows = conn.exec_driver_sql(
                "SELECT id, ticket_id, author, text, created_at, from_server FROM notes WHERE ticket_id = ? ORDER BY created_at, rowid",
                (ticket_id,),
            )
            return [{**dict(r._mapping), "from_server": bool(r.from_server)} for r in rows]

    # -- drafts ---------------------------------------------------------------------------------

    def save_draft(self, draft_id: str, fields: dict) -> None:
        """Keep what is being typed (one small durable write; called often, throttled by the console)."""
        payload = json.dumps(fields, ensure_ascii=False, default=str)
        with self._write() as conn:
            conn.exec_driver_sql(
                "INSERT INTO drafts (id, fields, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at",
                (draft_id, payload, _now()),
            )

    def load_drafts(self) -> list[dict]:
        """Drafts left over (e.g. after a crash), most recent first: [{id, fields, updated_at}]."""
        with self._read() as conn:
            # A draft whose ticket is already saved is not offered again.
            rows = conn.exec_driver_sql(
                "SELECT d.id, d.fields, d.updated_at FROM drafts d WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = d.id) "
                "ORDER BY d.updated_at DESC"
            )
            return [{"id": r.id, "fields": json.loads(r.fields), "updated_at": r.updated_at} for r in rows]

    def discard_draft(self, draft_id: str) -> None:
        with self._write() as conn:
            conn.exec_driver_sql("DELETE FROM drafts WHERE id = ?", (draft_id,))

    # -- outbox (for the sync engine) -----------------------------------------------------------

    def pending_mutations(self, limit: int = 500, author: str | None = None) -> list[wire.Mutation]:
        """Intents not yet acknowledged, in mutation id order (only `author`'s when given)."""
        sql = "SELECT id, name, args FROM outbox WHERE state = 'pending'"
        params: tuple = ()
        if author is not None:
            sql += " AND author = ?"
            params = (author,)
        with self._read() as conn:
            rows = conn.exec_driver_sql(sql + " ORDER BY id LIMIT ?", params + (int(limit),))
            return [wire.Mutation(r.id, r.name, json.loads(r.args)) for r in rows]

    def pending_count(self, author: str | None = None) -> int:
        sql = "SELECT COUNT(*) FROM outbox WHERE state = 'pending'"
        with self._read() as conn:
            if author is None:
                return conn.exec_driver_sql(sql).scalar_one()
            return conn.exec_driver_sql(sql + " AND author = ?", (author,)).scalar_one()

    def pending_authors(self) -> dict[str, int]:
        """Who wrote the changes waiting to be sent: {author: count} (a shift change leaves some behind)."""
        with self._read() as conn:
            rows = conn.exec_driver_sql("SELECT author, COUNT(*) FROM outbox WHERE state = 'pending' GROUP BY author")
            return {r[0]: r[1] for r in rows}

    def record_push_results(self, results: list[dict]) -> dict:
        """The server's answer per mutation: applied/duplicate leave the queue; rejected are kept with the reason.

        A ticket that had left this user's scope and was kept only for its unsent changes is removed
        once the last of them is answered. Returns {"rejected": [mutation ids], "removed": [ticket ids]}.
        """
        now = _now()
        outcome: dict[str, list] = {"rejected": [], "removed": []}
        answered: set[str] = set()
        with self._write() as conn:
            for result in results:
                status = result["status"]
                if status not in (wire.ResultStatus.APPLIED, wire.ResultStatus.DUPLICATE, wire.ResultStatus.REJECTED):
                    raise ValueError(f"unknown push result status {status!r}")
                row = conn.exec_driver_sql(
                    "SELECT id, name, args, ticket_id, author, state FROM outbox WHERE id = ?", (int(result["id"]),)
                ).first()
                if row is None or row.state != "pending":
                    continue  # an answer we already recorded (a repeated response)
                conn.exec_driver_sql("UPDATE outbox SET state = ? WHERE id = ?", (str(status), row.id))
                answered.add(row.ticket_id)
                if status == wire.ResultStatus.REJECTED:
                    reason = result.get("error") or result.get("message") or "refused by the server"
                    if isinstance(reason, dict):
                        reason = reason.get("message") or json.dumps(reason, ensure_ascii=False)
                    conn.exec_driver_sql(
                        "INSERT INTO rejections (mutation_id, ticket_id, name, args, author, reason, rejected_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(mutation_id) DO NOTHING",
                        (row.id, row.ticket_id, row.name, row.args, row.author, str(reason), now),
                    )
                    if conn.exec_driver_sql("SELECT 1 FROM tickets WHERE id = ?", (row.ticket_id,)).first():
                        self._event(conn, row.ticket_id, "server", "rejected",
                                    {"mutation": row.id, "name": row.name, "reason": str(reason),
                                     "args": json.loads(row.args), "author": row.author}, origin="sync")
                    outcome["rejected"].append(row.id)
            if answered:
                done = conn.exec_driver_sql(
                    "SELECT t.id FROM tickets t WHERE t.revoked = 1 AND t.id IN (SELECT value FROM json_each(?)) "
                    "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.ticket_id = t.id AND o.state = 'pending')",
                    (json.dumps(sorted(answered)),),
                ).scalars().all()
                for ticket_id in done:
                    self._remove(conn, ticket_id)
                    outcome["removed"].append(ticket_id)
        return outcome

    def rejections(self, author: str | None = None) -> list[dict]:
        """Changes the server refused, newest first (all of them for a supervisor; pass author for an operator)."""
        sql = ("SELECT r.mutation_id, r.ticket_id, r.name, r.args, r.author, r.reason, r.rejected_at, t.number, t.local_ref "
               "FROM rejections r LEFT JOIN tickets t ON t.id = r.ticket_id")
        params: tuple = ()
        if author is not None:
            sql += " WHERE r.author = ?"
            params = (author,)
        with self._read() as conn:
            rows = conn.exec_driver_sql(sql + " ORDER BY r.mutation_id DESC", params)
            return [{**dict(r._mapping), "args": json.loads(r.args)} for r in rows]

    def skip_to(self, last_mutation_id: int, author: str | None = None, since: int = 0) -> None:
        """Align with the server's last seen mutation id (its answer to a gap), for `author`'s changes from `since`.

        Everything up to it is done; anything after it that we thought acknowledged goes back to
        pending (the server no longer has it), and new ids continue after it.
        """
        last = int(last_mutation_id)
        mine = " AND author = ?" if author is not None else ""
        extra: tuple = (author,) if author is not None else ()
        with self._write() as conn:
            conn.exec_driver_sql("UPDATE outbox SET state = 'skipped' WHERE state = 'pending' AND id <= ? AND id >= ?"
                                 + mine, (last, int(since)) + extra)
            conn.exec_driver_sql("UPDATE outbox SET state = 'pending' WHERE state IN ('applied', 'duplicate', 'skipped') "
                                 "AND id > ?" + mine, (last,) + extra)
            floor = conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'mutation_floor'").first()
            self._set_meta(conn, "mutation_floor", max(last, int(floor[0]) if floor else 0))

    # -- upkeep ---------------------------------------------------------------------------------

    def maintenance(self, merge_pages: int = 200) -> None:
        """Idle-time upkeep, off the save path: fold small search-index segments together and checkpoint the WAL.

        Every save adds a small segment to the full-text index; merging a bounded amount at a time
        keeps searches fast without ever making one save slow.
        """
        with self._write() as conn:
            conn.exec_driver_sql(
                "INSERT INTO ticket_terms_fts (ticket_terms_fts, rank) VALUES ('merge', ?)", (int(merge_pages),)
            )
        with environment_errors():
            raw = self._engine.raw_connection()
            try:
                raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
            finally:
                raw.close()

    def optimize_search_index(self) -> None:
        """Rewrite the full-text index as one segment (after a bulk import; takes the write lock a while)."""
        with self._write() as conn:
            conn.exec_driver_sql("INSERT INTO ticket_terms_fts (ticket_terms_fts) VALUES ('optimize')")

    # -- pull -----------------------------------------------------------------------------------

    def _pending_by_ticket(self, conn: Connection, ticket_ids: Iterable[str]) -> dict[str, list[tuple[str, dict]]]:
        ids = list(set(ticket_ids))
        out: dict[str, list[tuple[str, dict]]] = {}
        if not ids:
            return out
        rows = conn.exec_driver_sql(
            "SELECT ticket_id, name, args FROM outbox WHERE state = 'pending' AND ticket_id IN "
            "(SELECT value FROM json_each(?)) ORDER BY id",
            (json.dumps(ids),),
        )
        for row in rows:
            out.setdefault(row.ticket_id, []).append((row.name, json.loads(row.args)))
        return out

    def _replay(self, ticket: dict, intents: list[tuple[str, dict]]) -> None:
        """Put the operator's still-unsent changes back on top of the server's state."""
        for name, args in intents:
            if name in (wire.MutationName.TICKET_CREATE, wire.MutationName.TICKET_UPDATE):
                for field in CONTENT_FIELDS:
                    if field in args:
                        ticket[field] = args[field]
            elif name == wire.MutationName.TICKET_TRANSITION:
                self._apply_transition(ticket, args["action"], args)
            elif name == wire.MutationName.TICKET_REASSIGN:
                ticket["operator"] = args["operator"]

    def apply_changes(self, changes: list[wire.ChangeRecord], cursor: int, *, reset: bool = False) -> wire.ChangeSummary:
        """Apply pulled change records, store the cursor and replay pending local intents, in one transaction.

        Returns the wire.ChangeSummary: ticket ids changed, revoked (removed), revoked_kept (kept for pending
        changes), with new notes, with new history, overwritten (a local value replaced by the server's), and
        `reset` as given: the records are part of a full reload, so views reload whole.
        """
        summary = wire.empty_summary(reset=reset)
        with self._write() as conn:
            touched: dict[str, dict | None] = {}  # ticket id -> row before this pull (None if new)
            pending = self._pending_by_ticket(
                conn,
                [c["ticket"]["id"] for c in changes if c.get("kind") == wire.ChangeKind.TICKET]
                + [c["ticket_id"] for c in changes if c.get("kind") == wire.ChangeKind.REVOKE],
            )
            for change in changes:
                kind = change.get("kind")
                if kind == wire.ChangeKind.TICKET:
                    self._apply_ticket(conn, change["ticket"], pending.get(change["ticket"]["id"], []), touched, summary)
                elif kind == wire.ChangeKind.NOTE:
                    note = change["note"]
                    if not self._load(conn, note["ticket_id"]):
                        continue  # a note for a ticket outside this cache
                    conn.exec_driver_sql(
                        "INSERT INTO notes (id, ticket_id, author, text, created_at, from_server) VALUES (?, ?, ?, ?, ?, 1) "
                        "ON CONFLICT(id) DO UPDATE SET from_server = 1, text = excluded.text",
                        (note["id"], note["ticket_id"], note.get("author") or "", note.get("text") or "",
                         note.get("created_at") or _now()),
                    )
                    summary["notes"].append(note["ticket_id"])
                elif kind == wire.ChangeKind.EVENT:
                    event = change["event"]
                    if not self._load(conn, event["ticket_id"]):
                        continue
                    detail = event.get("detail")
                    self._event(conn, event["ticket_id"], event.get("actor") or "", event.get("action") or "",
                                detail if isinstance(detail, dict) else {"text": detail},
                                origin="server", event_id=str(event["id"]), created_at=event.get("created_at"))
                    summary["events"].append(event["ticket_id"])
                elif kind == wire.ChangeKind.REVOKE:
                    ticket_id = change["ticket_id"]
                    if pending.get(ticket_id):
                        conn.exec_driver_sql("UPDATE tickets SET revoked = 1 WHERE id = ?", (ticket_id,))
                        self._event(conn, ticket_id, "server", "revoked_kept",
                                    {"reason": "left your scope; kept until your pending changes are sent"}, origin="sync")
                        summary["revoked_kept"].append(ticket_id)
                    else:
                        self._remove(conn, ticket_id)
                        summary["revoked"].append(ticket_id)
                        touched.pop(ticket_id, None)
                else:
                    raise ValueError(f"unknown change kind {kind!r}")
            # Unsent local edits go back on top, so the operator's typing does not flicker away.
            for ticket_id, before in touched.items():
                intents = pending.get(ticket_id)
                if not intents:
                    continue
                current = self._load(conn, ticket_id)
                replayed = dict(current)
                self._replay(replayed, intents)
                if replayed != current:
                    self._store(conn, replayed, current)
            self._set_meta(conn, "cursor", int(cursor))
        for key, value in summary.items():
            if isinstance(value, list):
                summary[key] = list(dict.fromkeys(value))  # type: ignore[literal-required]
        return summary

    def _apply_ticket(self, conn: Connection, record: dict, intents: list, touched: dict, summary: dict) -> None:
        ticket_id = record["id"]
        old = self._load(conn, ticket_id)
        if ticket_id not in touched:
            touched[ticket_id] = old
        server = {name: record.get(name) for name in _COLUMNS}
        server["version"] = int(server.get("version") or 0)
        pending_fields = {f for name, args in intents for f in args if f in CONTENT_FIELDS}
        local_fields: dict = {}
        keep_ours: dict = {}
        if old is not None:
            for field, edit in old["local_fields"].items():
                ours = edit.get("value")
                if field in pending_fields:
                    local_fields[field] = edit  # still to be sent: replayed below
                elif server["version"] <= int(edit.get("base") or 0):
                    local_fields[field] = edit  # a snapshot from before our edit: keep ours, judge later
                    keep_ours[field] = ours
                elif _differs(ours, server.get(field)):
                    # The server's value replaced ours (someone else wrote later): keep ours in history.
                    self._event(conn, ticket_id, "server", "overwritten",
                                {"field": field, "yours": ours, "server": server.get(field),
                                 "version": server["version"]}, origin="sync")
                    summary["overwritten"].append(ticket_id)
        server.update(keep_ours)
        ticket = {**server, "local_fields": local_fields, "from_server": True, "revoked": False,
                  "local_ref": old["local_ref"] if old else _local_ref(ticket_id)}
        if old is None or any(_differs(old.get(c), ticket.get(c)) for c in _COLUMNS) or old["local_fields"] != local_fields \
                or not old["from_server"] or old["revoked"]:
            self._store(conn, ticket, old)
            summary["tickets"].append(ticket_id)

    @staticmethod
    def _remove(conn: Connection, ticket_id: str) -> None:
        seq = conn.exec_driver_sql("SELECT seq FROM tickets WHERE id = ?", (ticket_id,)).scalar()
        if seq is None:
            return
        conn.exec_driver_sql("DELETE FROM ticket_terms WHERE seq = ?", (seq,))  # its trigger updates the index
        conn.exec_driver_sql("DELETE FROM tickets WHERE seq = ?", (seq,))  # notes and events cascade

    def reset_for_full_pull(self) -> None:
        """The server said our cursor is too old: forget server data (keep tickets with unsent changes), cursor 0.

        Deleting a big cache row by row (each row's search-index entry and foreign-key checks) would
        hold the write lock for minutes, so this one transaction sets the index's delete trigger
        aside, keeps the few tickets with unsent changes apart, empties the tables whole with
        foreign-key checks off for this connection, puts the kept ones back and rebuilds the index.
        """
        with environment_errors():
            with self._engine.connect().execution_options(hotline_write=True) as conn:
                raw = conn.connection.driver_connection
                raw.execute("PRAGMA foreign_keys = OFF")  # only outside a transaction does this take effect
                try:
                    with conn.begin():
                        self._forget_server_data(conn)
                finally:
                    raw.execute("PRAGMA foreign_keys = ON")

    def _forget_server_data(self, conn: Connection) -> None:
        # Keeping a few rows aside and emptying the tables whole is far quicker than deleting
        # most rows one by one through six indexes.
        keep = json.dumps([r[0] for r in conn.exec_driver_sql("SELECT DISTINCT ticket_id FROM outbox WHERE state = 'pending'")])
        trigger = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'ticket_terms_ad'"
        ).scalar_one()
        conn.exec_driver_sql("DROP TRIGGER ticket_terms_ad")
        kept = "(SELECT value FROM json_each(?))"
        tables = {
            "tickets": f"SELECT * FROM tickets WHERE id IN {kept}",
            "ticket_terms": f"SELECT * FROM ticket_terms WHERE seq IN (SELECT seq FROM tickets WHERE id IN {kept})",
            "notes": f"SELECT * FROM notes WHERE ticket_id IN {kept}",
            "events": f"SELECT * FROM events WHERE ticket_id IN {kept}",
        }
        for table, select in tables.items():
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.kept_{table}")
            conn.exec_driver_sql(f"CREATE TEMP TABLE kept_{table} AS {select}", (keep,))
        for table in ("notes", "events", "ticket_terms", "tickets"):
            conn.exec_driver_sql(f"DELETE FROM {table}")
        for table in ("tickets", "ticket_terms", "notes", "events"):
            conn.exec_driver_sql(f"INSERT INTO {table} SELECT * FROM temp.kept_{table}")
            conn.exec_driver_sql(f"DROP TABLE temp.kept_{table}")
        conn.exec_driver_sql("INSERT INTO ticket_terms_fts (ticket_terms_fts) VALUES ('rebuild')")
        conn.exec_driver_sql(trigger)
        self._set_meta(conn, "cursor", 0)

    def import_tickets(self, records: Iterable[dict], batch: int = 20000) -> int:
        """Bulk-load server ticket snapshots (seeding, a full pull after a reset, benchmarks).

        Much faster than apply_changes for large volumes: many rows per statement and per
        transaction (each batch commits on its own). No history events; pending local intents
        are replayed afterwards so unsent edits stay visible. Returns the number of tickets.
        """
        count = 0
        chunk: list[dict] = []
        for record in records:
            chunk.append(record)
            if len(chunk) >= batch:
                count += self._import_chunk(chunk)
                chunk = []
        if chunk:
            count += self._import_chunk(chunk)
        with self._write() as conn:
            pending = self._pending_by_ticket(
                conn, [r[0] for r in conn.exec_driver_sql("SELECT DISTINCT ticket_id FROM outbox WHERE state = 'pending'")]
            )
            for ticket_id, intents in pending.items():
                current = self._load(conn, ticket_id)
                if current is None:
                    continue
                replayed = dict(current)
                self._replay(replayed, intents)
                if replayed != current:
                    self._store(conn, replayed, current)
        return count

    def _import_chunk(self, chunk: list[dict]) -> int:
        tickets = []
        for record in {r["id"]: r for r in chunk}.values():  # the last snapshot of a ticket wins
            ticket = {name: record.get(name) for name in _COLUMNS}
            ticket["from_server"] = True
            ticket["local_ref"] = _local_ref(ticket["id"])
            tickets.append(ticket)
        ids = json.dumps([t["id"] for t in tickets])
        with self._write() as conn:
            # A bulk load touches the id index and the search index all over: give it room in memory.
            conn.exec_driver_sql("PRAGMA cache_size = -262144")
            # Existing rows first leave the index (through the terms table's delete trigger).
            conn.exec_driver_sql(
                "DELETE FROM ticket_terms WHERE seq IN (SELECT seq FROM tickets WHERE id IN (SELECT value FROM json_each(?)))",
                (ids,),
            )
            conn.exec_driver_sql(_INSERT_TICKET.replace(" RETURNING seq", ""), [_ticket_params(t) for t in tickets])
            seqs = dict(conn.exec_driver_sql(
                "SELECT id, seq FROM tickets WHERE id IN (SELECT value FROM json_each(?))", (ids,)
            ).all())
            conn.exec_driver_sql(
                "INSERT INTO ticket_terms (seq, terms) VALUES (?, ?)",
                [(seqs[t["id"]], terms_for(t)) for t in tickets],
            )
            conn.exec_driver_sql("PRAGMA cache_size = -32000")
        return len(tickets)


def _differs(a, b) -> bool:
    return (a if a is not None else "") != (b if b is not None else "")
