"""Pushed mutations of the wrong shape are refused in words (WireError), never with a crash."""

from __future__ import annotations

import pytest

from domain.wire import MutationName, WireError, parse_mutation


@pytest.mark.parametrize("name", [{"a": 1}, ["ticket.create"], 7, None, "ticket.delete"])
def test_a_name_that_is_not_a_known_mutation_is_a_wire_error(name):
    with pytest.raises(WireError, match="unknown mutation"):
        parse_mutation({"id": 1, "name": name, "args": {"id": "t1"}})


@pytest.mark.parametrize("action", [{"a": 1}, ["dispatch"], 3, "teleport"])
def test_a_transition_action_that_is_not_a_known_action_is_a_wire_error(action):
    with pytest.raises(WireError, match="unknown action"):
        parse_mutation({"id": 1, "name": "ticket.transition", "args": {"id": "t1", "action": action}})


def test_a_well_formed_transition_parses():
    mutation = parse_mutation({"id": 3, "name": "ticket.transition", "args": {"id": "t1", "action": "dispatch"}})
    assert (mutation.id, mutation.name, mutation.args["action"]) == (3, MutationName.TICKET_TRANSITION, "dispatch")
