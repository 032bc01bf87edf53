"""The console's one write path: each change a person makes writes through the cache, pokes sync and broadcasts.

Views never call the cache's write methods themselves. They call one named operation here, which
commits the change locally (one transaction, see storage.cache), wakes the sync thread once so the
change leaves at once, and emits `changed` with the ticket ids it touched. Every open view (intake,
queue, shift, detail) refreshes from that one broadcast, so a change made in one view shows in the
others without each caller refreshing them by hand. Errors (ValidationError, StorageError, ...)
propagate unchanged: the view that asked says what went wrong in the person's words.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from storage.errors import StorageError

log = logging.getLogger("hotline.console.operations")


def _getter(value: str | Callable[[], str]) -> Callable[[], str]:
    return value if callable(value) else (lambda: value)


class Operations(QObject):
    """Named local changes on one cache; `changed(list[str])` carries the ids of the tickets each one changed."""

    changed = Signal(list)

    def __init__(self, cache, poke: Callable[[], None] | None = None, author: str | Callable[[], str] = "",
                 role: str | Callable[[], str] = "operator", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache = cache
        self._poke = poke or (lambda: None)  # a view on its own (tests, tools) has no sync thread to wake
        self._author = _getter(author)
        self._role = _getter(role)

    def author(self) -> str:
        return self._author()

    def role(self) -> str:
        return self._role() or "operator"

    def _done(self, ticket_ids: list[str]) -> None:
        # Poke before the broadcast: a view's refresh must never delay the change leaving this console.
        ticket_ids = list(dict.fromkeys(t for t in ticket_ids if t))
        if not ticket_ids:
            return
        self._poke()
        self.changed.emit(ticket_ids)

    # ---------------------------------------------------------------- intake
    def save_ticket(self, values: dict, action: str | None = None, **extra) -> dict:
        """Register the ticket on the form; with `action` ("dispatch", "answer") its first step commits with it."""
        ticket = self.cache.create_ticket(values, self.author(), action=action, role=self.role(), **extra)
        self._done([ticket["id"]])
        return ticket

    def dispatch_ticket(self, values: dict, unit_code: str | None = None) -> dict:
        extra = {"unit_code": unit_code} if unit_code else {}
        return self.save_ticket(values, "dispatch", **extra)

    def answer_directly(self, values: dict) -> dict:
        return self.save_ticket(values, "answer")

    def attach_call(self, ticket_id: str, text: str, draft_id: str | None = None) -> dict:
        """This call is about a ticket already open: a note there, and the call's draft goes."""
        note = self.cache.add_note(ticket_id, text, self.author())
        if draft_id:
            try:
                self.cache.discard_draft(draft_id)
            except StorageError:  # the note is saved; a draft left over is only offered again, never lost
                log.exception("discarding the draft of the attached call failed")
        self._done([ticket_id])
        return note

    # ---------------------------------------------------------------- an opened ticket
    def add_note(self, ticket_id: str, text: str) -> dict:
        note = self.cache.add_note(ticket_id, text, self.author())
        self._done([ticket_id])
        return note

    def save_edits(self, ticket_id: str, changes: dict) -> dict:
        ticket = self.cache.update_ticket(ticket_id, changes, self.author())
        self._done([ticket_id])
        return ticket

    def transition(self, ticket_id: str, action: str, **extra) -> dict:
        ticket = self.cache.transition(ticket_id, action, self.author(), self.role(), **extra)
        self._done([ticket_id])
        return ticket

    # ---------------------------------------------------------------- the shift
    def reassign(self, ticket_id: str, operator: str, reason: str, expected_operator: str | None = None) -> dict:
        """Give one ticket to `operator`; the service compares the assignee with the one this console last saw."""
        if expected_operator is None:
            current = self.cache.get_ticket(ticket_id) or {}
            expected_operator = current.get("operator") or ""
        ticket = self.cache.reassign(ticket_id, expected_operator, operator, reason, self.author())
        self._done([ticket_id])
        return ticket

    def bulk_reassign(self, ticket_ids: list[str], operator: str, reason: str) -> tuple[list[str], list[tuple[dict, StorageError]]]:
        """Reassign each ticket (each in its own transaction); one poke and one broadcast for all of them.

        Returns (ids reassigned, [(ticket, the error) for each refused]); tickets no longer here are skipped.
        """
        done: list[str] = []
        refused: list[tuple[dict, StorageError]] = []
        for ticket_id in ticket_ids:
            ticket = self.cache.get_ticket(ticket_id)
            if ticket is None:
                continue
            try:
                self.cache.reassign(ticket_id, ticket.get("operator") or "", operator, reason, self.author())
            except StorageError as exc:  # each refusal is reported with its ticket; the rest go on
                refused.append((ticket, exc))
                continue
            done.append(ticket_id)
        self._done(done)
        return done, refused
