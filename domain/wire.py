"""The sync wire format, defined once for the console's sync engine and the server.

Push: {client_id, schema_version, mutations: [{id, name, args}]}, mutation ids consecutive
per client from 1. Each mutation is an intent, never a row diff.

Pull: {cursor, changes: [change], reset?: true}; a change is one of
  {"seq": n, "kind": "ticket", "ticket": {...every Ticket field...}}
  {"seq": n, "kind": "note",   "note": {id, ticket_id, author, text, created_at}}
  {"seq": n, "kind": "event",  "event": {id, ticket_id, actor, action, detail, created_at}}
  {"seq": n, "kind": "revoke", "ticket_id": "..."}   (left this user's scope)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.lifecycle import ACTIONS
from domain.ticket import CONTENT_FIELDS

SCHEMA_VERSION = 1


class MutationName(StrEnum):
    TICKET_CREATE = "ticket.create"  # args: id + any CONTENT_FIELDS; server assigns number, status registered
    TICKET_UPDATE = "ticket.update"  # args: id, base_version + changed CONTENT_FIELDS
    NOTE_ADD = "note.add"  # args: id (note uuid), ticket_id, text
    TICKET_TRANSITION = "ticket.transition"  # args: id, action, reason?, unit_code?, callback_result?
    TICKET_REASSIGN = "ticket.reassign"  # args: id, expected_operator, operator, reason


class ResultStatus(StrEnum):
    APPLIED = "applied"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


class ChangeKind(StrEnum):
    TICKET = "ticket"
    NOTE = "note"
    EVENT = "event"
    REVOKE = "revoke"


class WireError(ValueError):
    """A mutation whose shape is wrong (not a business rejection): the message says what."""


@dataclass(frozen=True)
class Mutation:
    id: int
    name: str
    args: dict

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "args": self.args}


_REQUIRED: dict[str, tuple[str, ...]] = {
    MutationName.TICKET_CREATE: ("id",),
    MutationName.TICKET_UPDATE: ("id", "base_version"),
    MutationName.NOTE_ADD: ("id", "ticket_id", "text"),
    MutationName.TICKET_TRANSITION: ("id", "action"),
    MutationName.TICKET_REASSIGN: ("id", "expected_operator", "operator", "reason"),
}
_OPTIONAL: dict[str, tuple[str, ...]] = {
    MutationName.TICKET_CREATE: CONTENT_FIELDS,
    MutationName.TICKET_UPDATE: CONTENT_FIELDS,
    MutationName.NOTE_ADD: (),
    MutationName.TICKET_TRANSITION: ("reason", "unit_code", "callback_result", "duplicate_of"),
    MutationName.TICKET_REASSIGN: (),
}


def parse_mutation(raw: object) -> Mutation:
    """Check one pushed mutation's shape; WireError names the first thing wrong."""
    if not isinstance(raw, dict):
        raise WireError("each mutation must be an object with id, name and args")
    mid, name, args = raw.get("id"), raw.get("name"), raw.get("args")
    if not isinstance(mid, int) or isinstance(mid, bool) or mid < 1:
        raise WireError("mutation id must be a whole number from 1")
    if not isinstance(name, str) or name not in _REQUIRED:  # a list or object name must not reach the lookup
        raise WireError(f"unknown mutation '{name}'; expected one of {', '.join(m.value for m in MutationName)}")
    if not isinstance(args, dict):
        raise WireError(f"mutation {mid}: args must be an object")
    missing = [k for k in _REQUIRED[name] if k not in args]
    if missing:
        raise WireError(f"mutation {mid} ({name}): missing {', '.join(missing)}")
    unknown = sorted(set(args) - set(_REQUIRED[name]) - set(_OPTIONAL[name]))
    if unknown:
        raise WireError(f"mutation {mid} ({name}): unknown field(s) {', '.join(unknown)}")
    if name == MutationName.TICKET_TRANSITION and (not isinstance(args["action"], str) or args["action"] not in ACTIONS):
        raise WireError(f"mutation {mid}: unknown action '{args['action']}'")
    return Mutation(mid, name, args)


def create(mutation_id: int, ticket_id: str, **fields) -> Mutation:
    return Mutation(mutation_id, MutationName.TICKET_CREATE, {"id": ticket_id, **fields})


def update(mutation_id: int, ticket_id: str, base_version: int, **fields) -> Mutation:
    return Mutation(mutation_id, MutationName.TICKET_UPDATE, {"id": ticket_id, "base_version": base_version, **fields})


def note(mutation_id: int, note_id: str, ticket_id: str, text: str) -> Mutation:
    return Mutation(mutation_id, MutationName.NOTE_ADD, {"id": note_id, "ticket_id": ticket_id, "text": text})


def transition(mutation_id: int, ticket_id: str, action: str, **extra) -> Mutation:
    return Mutation(mutation_id, MutationName.TICKET_TRANSITION, {"id": ticket_id, "action": action, **extra})


def reassign(mutation_id: int, ticket_id: str, expected_operator: str, operator: str, reason: str) -> Mutation:
    return Mutation(
        mutation_id,
        MutationName.TICKET_REASSIGN,
        {"id": ticket_id, "expected_operator": expected_operator, "operator": operator, "reason": reason},
    )
