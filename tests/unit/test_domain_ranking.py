"""The three-rate scoring of units: each rate, the weights, ties, small units and an empty month."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from domain.ranking import (MIN_TICKETS, NO_RANK, WEIGHTS, MonthError, TicketFacts, format_table, month_bounds,
                            parse_month, rank_units, score)

DUE = datetime(2026, 3, 10, 12, tzinfo=timezone.utc)
ON_TIME, LATE = DUE - timedelta(minutes=5), DUE + timedelta(minutes=5)


def fact(unit="U1", status="closed", responded=ON_TIME, due=DUE, callback=None) -> TicketFacts:
    return TicketFacts(unit, status, due, responded, callback)


def only(rows, unit="U1"):
    return next(r for r in rows if r.unit_code == unit)


def test_response_counts_accepts_and_returns_at_or_before_the_deadline():
    facts = [fact(responded=ON_TIME), fact(responded=DUE), fact(responded=LATE), fact(responded=None),
             fact(status="returned", responded=ON_TIME),  # a return with a reason is a response
             fact(due=None, responded=LATE)]  # no deadline set: any response is in time
    row = only(rank_units(facts))
    assert (row.tickets, row.responded) == (6, 4)
    assert row.response_rate == pytest.approx(4 / 6)


def test_resolution_counts_replied_callback_closed_not_reopened_and_skips_pending_returns():
    statuses = ["replied", "callback", "closed", "reopened", "accepted", "dispatched", "returned", "arbitration"]
    row = only(rank_units([fact(status=s) for s in statuses]))
    assert (row.resolvable, row.resolved) == (6, 3)
    assert row.resolution_rate == pytest.approx(0.5)


def test_satisfaction_leaves_out_callers_not_reached():
    results = ["satisfied", "basically_satisfied", "unsatisfied", "not_reached", None]
    row = only(rank_units([fact(callback=r) for r in results]))
    assert (row.callbacks_reached, row.satisfied) == (3, 2)
    assert row.satisfaction_rate == pytest.approx(2 / 3)


def test_score_is_weighted_and_rescaled_over_rates_with_something_to_measure():
    assert sum(WEIGHTS.values()) == pytest.approx(1)
    assert score({"response": 1.0, "resolution": 0.5, "satisfaction": 0.25}) == pytest.approx(20 + 20 + 10)
    # no reached callback: response and resolution carry the whole score in their 1:2 proportion
    assert score({"response": 1.0, "resolution": 0.5, "satisfaction": None}) == pytest.approx(100 * (0.2 + 0.2) / 0.6, abs=0.05)
    assert score({"response": None, "resolution": None, "satisfaction": None}) is None
    assert score({"response": 1.0, "resolution": 0.0, "satisfaction": 0.0}, {"response": 1, "resolution": 0,
                                                                             "satisfaction": 0}) == 100.0


def test_units_are_ranked_by_score_and_rows_carry_percentages():
    good = [fact("GOOD", callback="satisfied") for _ in range(5)]
    bad = [fact("BAD", status="accepted", responded=LATE, callback="unsatisfied") for _ in range(5)]
    rows = rank_units(bad + good, {"GOOD": "好单位"})
    assert [(r.rank, r.unit_code) for r in rows] == [(1, "GOOD"), (2, "BAD")]
    assert rows[0].unit_name == "好单位" and rows[1].unit_name == "BAD"  # unknown code: the code itself
    assert rows[0].as_dict()["response_rate"] == 100.0 and rows[1].as_dict()["score"] == 0.0


def test_ties_go_to_more_tickets_then_to_the_lower_code():
    facts = [fact("B") for _ in range(6)] + [fact("C") for _ in range(5)] + [fact("A") for _ in range(5)]
    assert [(r.rank, r.unit_code) for r in rank_units(facts)] == [(1, "B"), (2, "A"), (3, "C")]


def test_units_with_too_few_tickets_are_listed_without_a_rank():
    facts = [fact("BIG", status="accepted") for _ in range(MIN_TICKETS)] + [fact("SMALL") for _ in range(MIN_TICKETS - 1)]
    rows = rank_units(facts)
    assert [(r.unit_code, r.rank, r.rank_text) for r in rows] == [("BIG", 1, "1"), ("SMALL", None, NO_RANK)]
    assert rows[1].score > rows[0].score  # a better score does not rank a unit with too few tickets
    table = format_table(rows)
    assert table.splitlines()[2].lstrip().startswith(NO_RANK)


def test_an_empty_month_has_no_rows():
    assert rank_units([]) == []


def test_table_shows_percentages_with_one_decimal_and_chinese_names():
    rows = rank_units([fact("U1", callback="satisfied"), fact("U1", responded=None), fact("U1", status="accepted")],
                      {"U1": "市住房和城乡建设委员会"}, min_tickets=1)
    table = format_table(rows)
    assert "市住房和城乡建设委员会" in table and "66.7%" in table and "100.0%" in table
    assert table.splitlines()[0].split() == ["rank", "unit", "tickets", "response", "resolution", "satisfaction", "score"]


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-1", "26-11", "2026/11", "", "0000-01", "2026-11 "])
def test_a_malformed_month_is_refused_in_plain_words(text):
    with pytest.raises(MonthError, match="YYYY-MM"):
        parse_month(text)


def test_month_bounds_are_the_local_month_in_utc():
    start, end = month_bounds("2026-12", timezone(timedelta(hours=8)))
    assert start == datetime(2026, 11, 30, 16, tzinfo=timezone.utc)
    assert end == datetime(2026, 12, 31, 16, tzinfo=timezone.utc)
