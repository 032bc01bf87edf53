"""Local writes to the cache: register, edit, note, move through the lifecycle and reassign tickets.

Every change writes the ticket, its outbox intent and a history event in one transaction,
so after any crash either all of it is there or none of it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Connection

from domain import lifecycle, wire
from domain.ticket import (
    CONTENT_FIELDS,
    SERVER_FIELDS,
    Status,
    dispatch_problems,
    minimal_save_problems,
    normalise_phone,
)
from storage.cache_rows import _check_content, _now
from storage.errors import ValidationError
from storage.outbox import Outbox


class TicketWrites(Outbox):
    """The operator's changes; each queues its intent in the outbox in the same transaction."""

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

