"""Place and suggestion codes pushed through sync: only the gazetteer's sub-districts and the catalogue's codes are stored."""

from __future__ import annotations

import pytest

from domain.taxonomy import load_taxonomy
from server.testing import running_api

SUB_DISTRICT = "110105001"  # a sub-district of the shipped gazetteer


@pytest.fixture
def api(server_db_url):
    with running_api(server_db_url) as api:
        yield api


def _ticket(api, tid: str) -> dict:
    changes, _ = api.pull_all("op1")
    return {c["ticket"]["id"]: c["ticket"] for c in changes if c["kind"] == "ticket"}[tid]


@pytest.mark.parametrize("code", [
    "2026-11-28",
    "nan",
    "²",
    "１２３",
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "110105",  # a district, not a sub-district
    "110105001 ",  # stripped, then fine: see below
])
def test_a_sub_district_not_in_the_gazetteer_is_refused_with_the_reason(api, code):
    result = api.push_ok("op1", ("ticket.create", {"id": f"t-{code}", "description": "路灯不亮",
                                                   "caller_phone": "13812345678", "sub_district_code": code}))[0]
    if code.strip() == SUB_DISTRICT:
        assert result["status"] == "applied"
        assert _ticket(api, f"t-{code}")["sub_district_code"] == SUB_DISTRICT
        return
    assert result["status"] == "rejected"
    assert "no sub-district" in result["error"] and "choose the place again" in result["error"]


def test_an_update_to_an_unknown_sub_district_is_refused_and_changes_nothing(api):
    tid = api.create_ticket("op1", sub_district_code=SUB_DISTRICT)
    result = api.push_ok("op1", ("ticket.update", {"id": tid, "base_version": 1, "sub_district_code": "=1+1"}))[0]
    assert result["status"] == "rejected" and "sub-district" in result["error"]
    ticket = _ticket(api, tid)
    assert ticket["sub_district_code"] == SUB_DISTRICT and ticket["version"] == 1
    # Clearing the place is allowed: a ticket may be saved before its place is known.
    result = api.push_ok("op1", ("ticket.update", {"id": tid, "base_version": 1, "sub_district_code": ""}))[0]
    assert result["status"] == "applied"


def test_suggestions_not_in_the_catalogue_are_dropped_and_the_rank_follows_the_chosen_code(api, caplog):
    leaves = [leaf.code for leaf in load_taxonomy().leaves()[:2]]
    chosen = leaves[1]
    tid = api.create_ticket("op1", category_code=chosen, suggestions=["=cmd|' /C calc'!A0", leaves[0], "nan", chosen],
                            suggestion_rank=4)
    ticket = _ticket(api, tid)
    assert ticket["suggestions"] == leaves  # the person's ticket is kept; the junk codes are not
    assert ticket["suggestion_rank"] == 2  # still points at the chosen code
    assert "dropped 2 suggestion(s)" in caplog.text

    result = api.push_ok("op1", ("ticket.update", {"id": tid, "base_version": 1, "suggestions": ["x", "y"]}))[0]
    assert result["status"] == "applied"
    ticket = _ticket(api, tid)
    assert ticket["suggestions"] == [] and ticket["suggestion_rank"] == 2
