"""Ticket rows in the local cache: column layout, conversions and the row-level helpers every part shares."""

from __future__ import annotations

import json
import uuid
from contextlib import AbstractContextManager
from datetime import UTC, datetime

from sqlalchemy import Connection

from domain import lifecycle
from domain.ticket import CONTENT_FIELDS, Status, Ticket
from storage import schema
from storage.errors import TicketNotFound
from storage.search_terms import terms_for

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
    return datetime.now(UTC).isoformat()


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


def _differs(a, b) -> bool:
    return (a if a is not None else "") != (b if b is not None else "")


class CacheRows:
    """Row-level helpers on one open connection; the cache's parts share them (the facade supplies the transactions)."""

    def _write(self, *, foreign_keys: bool = True) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # storage.cache.LocalCache: the one write transaction every part uses

    def _read(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    @staticmethod
    def _set_meta(conn: Connection, key: str, value) -> None:
        if value is None:
            conn.exec_driver_sql("DELETE FROM meta WHERE key = ?", (key,))
        else:
            conn.exec_driver_sql(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, str(value)),
            )

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

    @staticmethod
    def _remove(conn: Connection, ticket_id: str) -> None:
        seq = conn.exec_driver_sql("SELECT seq FROM tickets WHERE id = ?", (ticket_id,)).scalar()
        if seq is None:
            return
        conn.exec_driver_sql("DELETE FROM ticket_terms WHERE seq = ?", (seq,))  # its trigger updates the index
        conn.exec_driver_sql("DELETE FROM tickets WHERE seq = ?", (seq,))  # notes and events cascade

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
