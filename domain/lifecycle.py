"""The ticket lifecycle as one explicit table: (status, action) -> status, and who may act."""

from __future__ import annotations

from dataclasses import dataclass

from domain.ticket import CallbackResult, Role, Status

OP, SUP, HAND, ADMIN = Role.OPERATOR, Role.SUPERVISOR, Role.HANDLER, Role.ADMIN


@dataclass(frozen=True)
class Transition:
    source: Status
    action: str
    target: Status
    roles: frozenset[Role]
    needs_reason: bool = False


def _t(source, action, target, roles, needs_reason=False) -> Transition:
    return Transition(source, action, target, frozenset(roles), needs_reason)


TRANSITIONS: tuple[Transition, ...] = (
    _t(Status.DRAFT, "register", Status.REGISTERED, {OP, SUP}),
    _t(Status.REGISTERED, "answer", Status.ANSWERED, {OP, SUP}),
    _t(Status.ANSWERED, "close", Status.CLOSED, {OP, SUP}),
    _t(Status.REGISTERED, "dispatch", Status.DISPATCHED, {OP, SUP}),
    _t(Status.DISPATCHED, "accept", Status.ACCEPTED, {HAND, SUP}),
    _t(Status.DISPATCHED, "return", Status.RETURNED, {HAND}, needs_reason=True),
    _t(Status.ACCEPTED, "return", Status.RETURNED, {HAND}, needs_reason=True),
    _t(Status.RETURNED, "arbitrate", Status.ARBITRATION, {SUP}),
    _t(Status.RETURNED, "redispatch", Status.DISPATCHED, {SUP}, needs_reason=True),
    _t(Status.ARBITRATION, "redispatch", Status.DISPATCHED, {SUP}, needs_reason=True),
    _t(Status.ACCEPTED, "request_extension", Status.EXTENSION_REQUESTED, {HAND}, needs_reason=True),
    _t(Status.EXTENSION_REQUESTED, "approve_extension", Status.ACCEPTED, {SUP}),
    _t(Status.EXTENSION_REQUESTED, "deny_extension", Status.ACCEPTED, {SUP}, needs_reason=True),
    _t(Status.ACCEPTED, "reply", Status.REPLIED, {HAND}, needs_reason=True),
    _t(Status.REPLIED, "start_callback", Status.CALLBACK, {OP, SUP}),
    # A satisfied, basically satisfied or unreachable caller closes the ticket ...
    _t(Status.CALLBACK, "close", Status.CLOSED, {OP, SUP}),
    # ... an unsatisfied one reopens it, and it goes out again.
    _t(Status.CALLBACK, "reopen", Status.REOPENED, {OP, SUP}, needs_reason=True),
    _t(Status.CLOSED, "reopen", Status.REOPENED, {SUP}, needs_reason=True),
    _t(Status.REOPENED, "dispatch", Status.DISPATCHED, {OP, SUP}),
)

_BY_KEY = {(t.source, t.action): t for t in TRANSITIONS}
ACTIONS: frozenset[str] = frozenset(t.action for t in TRANSITIONS)
OPEN_STATUSES: frozenset[Status] = frozenset(s for s in Status if s not in (Status.CLOSED,))


class TransitionError(ValueError):
    """A move the table does not allow; the message is for the person who tried it."""


def find(source: str, action: str) -> Transition | None:
    try:
        return _BY_KEY.get((Status(source), action))
    except ValueError:
        return None


def allowed_actions(source: str, role: str) -> list[str]:
    """The actions this role may take on a ticket in this status, in table order."""
    # check() lets an admin make any move in the table, so the menu must offer them too.
    return [t.action for t in TRANSITIONS if t.source == source and (role in t.roles or role == Role.ADMIN)]


def check(source: str, action: str, role: str, *, reason: str = "", callback_result: str | None = None) -> Status:
    """The status after `action`, or TransitionError saying why not."""
    if action not in ACTIONS:
        raise TransitionError(f"'{action}' is not something that can be done to a ticket.")
    transition = find(source, action)
    if transition is None:
        raise TransitionError(f"A ticket that is {source.replace('_', ' ')} cannot be given '{action.replace('_', ' ')}'.")
    if role != Role.ADMIN and role not in transition.roles:
        who = ", ".join(sorted(r.value for r in transition.roles))
        raise TransitionError(f"Only a {who} may {action.replace('_', ' ')} this ticket.")
    if transition.needs_reason and not reason.strip():
        raise TransitionError(f"Give a reason to {action.replace('_', ' ')} this ticket.")
    if transition.source == Status.CALLBACK and action == "close":
        if callback_result not in {CallbackResult.SATISFIED, CallbackResult.BASICALLY_SATISFIED, CallbackResult.NOT_REACHED}:
            raise TransitionError("Record the callback result (satisfied, basically satisfied or not reached) to close; an unsatisfied caller reopens the ticket.")
    if transition.source == Status.CALLBACK and action == "reopen" and callback_result not in (None, CallbackResult.UNSATISFIED):
        raise TransitionError("Only an unsatisfied callback reopens a ticket.")
    return transition.target
