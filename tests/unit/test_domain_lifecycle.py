"""The ticket lifecycle table: every allowed move for every allowed role, and every forbidden move."""

from __future__ import annotations

import itertools

import pytest

from domain import lifecycle
from domain.lifecycle import TransitionError, allowed_actions, check
from domain.ticket import CallbackResult, Role, Status

OP, SUP, HAND, ADMIN = "operator", "supervisor", "handler", "admin"

# The lifecycle as the design states it (draft, registered, answered or dispatched ... closed), written out independently of domain/lifecycle.py:
# (status, action) -> (new status, roles that may do it besides admin, reason required)
EXPECTED: dict[tuple[str, str], tuple[str, set[str], bool]] = {
    ("draft", "register"): ("registered", {OP, SUP}, False),
    ("registered", "answer"): ("answered", {OP, SUP}, False),
    ("answered", "close"): ("closed", {OP, SUP}, False),
    ("registered", "dispatch"): ("dispatched", {OP, SUP}, False),
    ("dispatched", "accept"): ("accepted", {HAND, SUP}, False),
    ("dispatched", "return"): ("returned", {HAND}, True),
    ("accepted", "return"): ("returned", {HAND}, True),
    ("returned", "arbitrate"): ("arbitration", {SUP}, False),
    ("returned", "redispatch"): ("dispatched", {SUP}, True),
    ("arbitration", "redispatch"): ("dispatched", {SUP}, True),
    ("accepted", "request_extension"): ("extension_requested", {HAND}, True),
    ("extension_requested", "approve_extension"): ("accepted", {SUP}, False),
    ("extension_requested", "deny_extension"): ("accepted", {SUP}, True),
    ("accepted", "reply"): ("replied", {HAND}, True),
    ("replied", "start_callback"): ("callback", {OP, SUP}, False),
    ("callback", "close"): ("closed", {OP, SUP}, False),
    ("callback", "reopen"): ("reopened", {OP, SUP}, True),
    ("closed", "reopen"): ("reopened", {SUP}, True),
    ("reopened", "dispatch"): ("dispatched", {OP, SUP}, False),
}

STATUSES = [s.value for s in Status]
ROLES = [r.value for r in Role]
ACTIONS = sorted({action for _, action in EXPECTED} | {"delete", "archive"})


def _extra(source: str, action: str) -> dict:
    """What a valid request for this move carries besides the role."""
    extra = {"reason": "caller explained why"}
    if source == "callback" and action == "close":
        extra["callback_result"] = CallbackResult.SATISFIED.value
    if source == "callback" and action == "reopen":
        extra["callback_result"] = CallbackResult.UNSATISFIED.value
    return extra


def test_table_matches_the_design_exactly():
    table = {(t.source.value, t.action): (t.target.value, {r.value for r in t.roles}, t.needs_reason)
             for t in lifecycle.TRANSITIONS}
    assert table == EXPECTED


CASES = list(itertools.product(STATUSES, ACTIONS, ROLES))


@pytest.mark.parametrize("source,action,role", CASES, ids=[f"{s}-{a}-{r}" for s, a, r in CASES])
def test_every_status_action_role(source, action, role):
    expected = EXPECTED.get((source, action))
    allowed = expected is not None and (role in expected[1] or role == ADMIN)
    if allowed:
        assert check(source, action, role, **_extra(source, action)) == expected[0]
    else:
        with pytest.raises(TransitionError) as caught:
            check(source, action, role, **_extra(source, action))
        assert str(caught.value)  # a message for the person, never empty


@pytest.mark.parametrize("source,action", [k for k, v in EXPECTED.items() if v[2]])
def test_moves_that_need_a_reason_refuse_without_one(source, action):
    role = sorted(EXPECTED[(source, action)][1])[0]
    extra = _extra(source, action)
    extra["reason"] = "   "
    with pytest.raises(TransitionError, match="reason"):
        check(source, action, role, **extra)


@pytest.mark.parametrize("result", [CallbackResult.SATISFIED, CallbackResult.BASICALLY_SATISFIED,
                                    CallbackResult.NOT_REACHED])
def test_callback_closes_with_a_result_that_is_not_unsatisfied(result):
    assert check("callback", "close", OP, callback_result=result.value) == "closed"


@pytest.mark.parametrize("result", [None, CallbackResult.UNSATISFIED.value, "nonsense"])
def test_callback_close_refused_without_a_closing_result(result):
    with pytest.raises(TransitionError):
        check("callback", "close", OP, callback_result=result)


@pytest.mark.parametrize("result", [CallbackResult.SATISFIED.value, CallbackResult.NOT_REACHED.value])
def test_only_an_unsatisfied_callback_reopens(result):
    with pytest.raises(TransitionError, match="unsatisfied"):
        check("callback", "reopen", OP, reason="x", callback_result=result)


def test_unknown_status_and_action_are_refused_plainly():
    with pytest.raises(TransitionError):
        check("nonsense", "dispatch", OP)
    with pytest.raises(TransitionError, match="not something"):
        check("registered", "teleport", OP)


@pytest.mark.parametrize("source,role", list(itertools.product(STATUSES, ROLES)))
def test_allowed_actions_lists_exactly_the_role_moves(source, role):
    expected = [action for (s, action), (_, roles, _) in EXPECTED.items()
                if s == source and (role in roles or role == ADMIN)]
    assert sorted(allowed_actions(source, role)) == sorted(expected)


def test_closed_is_the_only_status_that_is_not_open():
    assert set(lifecycle.OPEN_STATUSES) == set(Status) - {Status.CLOSED}


def test_every_status_but_closed_and_answered_leads_somewhere():
    sources = {s for s, _ in EXPECTED}
    assert set(STATUSES) - sources == set()  # closed reopens, answered closes: no dead ends
