"""The sync wire format, defined once for the console's sync engine, its cache, the console and the server.

Register (POST SyncPath.REGISTER): {first_mutation_id} -> RegisterAnswer {client_id, client_secret, username,
last_mutation_id}: the service issues a client id bound to this console (the secret) and the signed-in user.

Push (POST SyncPath.PUSH): PushRequest {client_id, client_secret, schema_version, mutations: [{id, name, args}]},
mutation ids consecutive per client from the registration's first id. Each mutation is an intent, never a row
diff. Answer: PushAnswer {last_mutation_id, results: [MutationResult], server_time}.

Pull (GET SyncPath.PULL?cursor=&limit=&epoch=&snapshot=): PullPage {cursor, changes: [ChangeRecord], has_more,
epoch, server_time, reset?, snapshot?}; a change is one of
  {"seq": n, "kind": "ticket", "ticket": {...every Ticket field...}}
  {"seq": n, "kind": "note",   "note": {id, ticket_id, author, text, created_at}}
  {"seq": n, "kind": "event",  "event": {id, ticket_id, actor, action, detail, created_at}}
  {"seq": n, "kind": "revoke", "ticket_id": "..."}   (left this user's scope)
A full reload asks for `snapshot=` (empty) at cursor 0 and sends back each page's `snapshot` token until a page
has none (see docs/sync.md).

The cache's apply step returns a ChangeSummary, which the sync engine hands to the console as it is.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, NotRequired, TypedDict

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


class SyncPath(StrEnum):
    """The sync endpoints, relative to the service's address."""

    REGISTER = "/api/v1/sync/register"
    PUSH = "/api/v1/sync/push"
    PULL = "/api/v1/sync/pull"
    EVENTS = "/api/v1/sync/events"
    REJECTIONS = "/api/v1/sync/rejections"
    ME = "/api/v1/auth/me"


SYNC_PREFIX = "/api/v1/sync"


class PushError(StrEnum):
    """The `error` codes of a refused push (the body's `message` says it in words)."""

    GAP = "gap"  # 409: the service last saw last_mutation_id; send from the one after it
    CONFLICT = "mutation_conflict"  # 409: an id the service has, with other content (copied or restored cache)
    NOT_YOURS = "client_not_yours"  # 403: the client id belongs to another console or user
    UNKNOWN_CLIENT = "unknown_client"  # 403: no such registration (the service forgot it): register again


# ---- typed bodies ---------------------------------------------------------------------------------------------

class RegisterRequest(TypedDict):
    first_mutation_id: int


class RegisterAnswer(TypedDict):
    client_id: str
    client_secret: str
    username: str
    last_mutation_id: int


class MutationJson(TypedDict):
    id: int
    name: str
    args: dict


class PushRequest(TypedDict):
    client_id: str
    client_secret: NotRequired[str]  # required for registered clients
    schema_version: int
    mutations: list[MutationJson]


class MutationResult(TypedDict):
    id: int
    status: ResultStatus
    error: NotRequired[str]
    original_status: NotRequired[ResultStatus]  # on a duplicate: what became of it the first time


class PushAnswer(TypedDict):
    last_mutation_id: int
    results: list[MutationResult]
    server_time: str


class TicketChange(TypedDict):
    seq: int
    kind: Literal[ChangeKind.TICKET]
    ticket: dict


class NoteChange(TypedDict):
    seq: int
    kind: Literal[ChangeKind.NOTE]
    note: dict


class EventChange(TypedDict):
    seq: int
    kind: Literal[ChangeKind.EVENT]
    event: dict


class RevokeChange(TypedDict):
    seq: int
    kind: Literal[ChangeKind.REVOKE]
    ticket_id: str


ChangeRecord = TicketChange | NoteChange | EventChange | RevokeChange


class PullPage(TypedDict):
    cursor: int
    changes: list[ChangeRecord]
    has_more: bool
    epoch: str
    server_time: str
    reset: NotRequired[bool]  # the cursor means nothing here: forget server data and reload
    snapshot: NotRequired[str]  # a full reload is under way: send it back with the next pull


class ChangeSummary(TypedDict):
    """What applying pulled changes did to the cache; the console refreshes from it."""

    tickets: list[str]  # changed or new ticket ids
    revoked: list[str]  # removed: left this user's scope
    revoked_kept: list[str]  # left the scope, kept until their pending local changes are sent
    notes: list[str]  # ticket ids with new notes
    events: list[str]  # ticket ids with new history
    overwritten: list[str]  # ticket ids where a local value was replaced by the server's
    reset: bool  # a full reload: everything may have changed, views reload whole


def empty_summary(*, reset: bool = False) -> ChangeSummary:
    return ChangeSummary(tickets=[], revoked=[], revoked_kept=[], notes=[], events=[], overwritten=[], reset=reset)


def summary_has_news(summary: ChangeSummary) -> bool:
    return any(bool(value) for value in summary.values())


def content_hash(name: str, args: dict) -> str:
    """A mutation's content, hashed the same way on both sides: a replayed id is a duplicate only if this matches."""
    canonical = json.dumps({"name": str(name), "args": args}, sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


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
