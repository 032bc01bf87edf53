"""The monthly three-rate ranking on SQLite and PostgreSQL: tickets made through the real push path,
the ranking, the endpoint's role checks and the `rank` command."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from domain.units import get_unit
from server.db import shared_engine
from server.ranking import monthly_ranking
from server.testing import Api, running_api, unit_codes

UNIT_A, UNIT_B = unit_codes()
ROOT = Path(__file__).resolve().parents[2]
UTC = timezone.utc
# A very urgent ticket must be accepted within one clock hour of its dispatch (domain.sla).
FIELDS = {"category_code": "01.01.001", "urgency": "very_urgent", "incident_address": "东城区某街1号"}


class Clock:
    """The service's clock during a test, so transitions happen at chosen times."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def at(self, moment: datetime) -> "Clock":
        self.now = moment
        return self

    def later(self, **delta) -> "Clock":
        self.now += timedelta(**delta)
        return self


@pytest.fixture
def api(server_db_url, monkeypatch):
    monkeypatch.delenv("HOTLINE_TZ", raising=False)  # the hotline's local month: Asia/Shanghai
    clock = Clock(datetime(2026, 3, 10, 2, tzinfo=UTC))
    monkeypatch.setattr("server.sync.utcnow", clock)
    with running_api(server_db_url) as api:
        api.clock = clock
        yield api


def step(api: Api, user: str, ticket_id: str, action: str, **args) -> None:
    api.clock.later(minutes=1)
    result = api.push_ok(user, ("ticket.transition", {"id": ticket_id, "action": action, **args}))[0]
    assert result["status"] == "applied", result


def dispatched(api: Api, unit: str, at: datetime) -> str:
    api.clock.at(at)
    ticket_id = api.create_ticket("op1", **FIELDS)
    result = api.dispatch(ticket_id, unit)
    assert result["status"] == "applied", result
    return ticket_id


def resolve(api: Api, ticket_id: str, callback: str) -> None:
    step(api, "hd1", ticket_id, "reply", reason="已处理")
    step(api, "op1", ticket_id, "start_callback")
    if callback == "unsatisfied":
        step(api, "op1", ticket_id, "reopen", reason="市民不满意", callback_result="unsatisfied")
    else:
        step(api, "op1", ticket_id, "close", callback_result=callback)


def fill_march(api: Api) -> None:
    """Unit A: six tickets (one came back from B); unit B: a pending return and an unanswered ticket."""
    day = datetime(2026, 3, 10, 2, tzinfo=UTC)
    for hour, (accept_after, callback) in enumerate([(30, "satisfied"), (120, "basically_satisfied"),
                                                     (10, "unsatisfied"), (10, "not_reached"), (None, None)]):
        ticket_id = dispatched(api, UNIT_A, day + timedelta(hours=hour * 3))
        if accept_after is not None:
            api.clock.later(minutes=accept_after - 1)  # step() adds the last minute
            step(api, "hd1", ticket_id, "accept")
            resolve(api, ticket_id, callback)
    # B returns one in time and it waits for arbitration; B returns another, which goes on to A.
    waiting = dispatched(api, UNIT_B, day + timedelta(days=1))
    step(api, "hd2", waiting, "return", reason="不属于本单位职责")
    moved = dispatched(api, UNIT_B, day + timedelta(days=2))
    step(api, "hd2", moved, "return", reason="不属于本单位职责")
    step(api, "sup1", moved, "redispatch", reason="改派", unit_code=UNIT_A)
    step(api, "hd1", moved, "accept")
    # The hotline's months are Beijing months: 16:30 UTC on 28 February is already 1 March there.
    dispatched(api, UNIT_B, datetime(2026, 2, 28, 16, 30, tzinfo=UTC))
    dispatched(api, UNIT_B, datetime(2026, 2, 28, 15, 30, tzinfo=UTC))  # still February in Beijing


def test_ranking_counts_the_three_rates_per_unit(api):
    fill_march(api)
    rows = monthly_ranking(shared_engine(api.db_url), "2026-03")
    assert [(r.unit_code, r.rank) for r in rows] == [(UNIT_A, 1), (UNIT_B, None)]
    a, b = rows
    assert a.unit_name == get_unit(UNIT_A).name_zh
    # responded in time: 30 min, 10 min, 10 min and the ticket that came back from B; the 2 h accept is late
    assert (a.tickets, a.responded, a.resolvable, a.resolved, a.callbacks_reached, a.satisfied) == (6, 4, 6, 3, 3, 2)
    assert (a.as_dict()["response_rate"], a.as_dict()["resolution_rate"], a.as_dict()["satisfaction_rate"]) == (66.7, 50.0, 66.7)
    assert a.score == 60.0  # 0.2 x 66.7 + 0.4 x 50 + 0.4 x 66.7
    # B: its pending return is a response and is left out of resolution; 1 March 00:30 in Beijing is March
    assert (b.tickets, b.responded, b.resolvable, b.resolved, b.callbacks_reached) == (2, 1, 1, 0, 0)
    assert b.rank_text == "—"
    february = monthly_ranking(shared_engine(api.db_url), "2026-02")
    assert [(r.unit_code, r.tickets) for r in february] == [(UNIT_B, 1)]
    assert monthly_ranking(shared_engine(api.db_url), "2026-04") == []


def test_endpoint_is_for_supervisors_and_admins_and_refuses_a_bad_month(api):
    fill_march(api)
    for user in ("sup1", "admin"):
        r = api.client.get("/api/v1/rankings", params={"month": "2026-03"}, headers=api.login(user))
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["month"] == "2026-03"
        assert [(u["unit_code"], u["rank"], u["tickets"], u["score"]) for u in body["units"]] == \
            [(UNIT_A, 1, 6, 60.0), (UNIT_B, None, 2, 16.7)]  # B: (0.2 x 50 + 0.4 x 0) / 0.6, no callbacks
        assert body["units"][0]["unit_name"] == get_unit(UNIT_A).name_zh
    for user in ("op1", "hd1"):
        r = api.client.get("/api/v1/rankings", params={"month": "2026-03"}, headers=api.login(user))
        assert r.status_code == 403 and r.json()["error"] == "forbidden"
    assert api.client.get("/api/v1/rankings", params={"month": "2026-03"}).status_code == 401
    for month in ("2026-13", "March", ""):
        r = api.client.get("/api/v1/rankings", params={"month": month}, headers=api.login("sup1"))
        assert r.status_code == 400 and "YYYY-MM" in r.json()["message"]
    assert api.client.get("/api/v1/rankings", headers=api.login("sup1")).status_code == 400
    for month in ("２０２６-03", "٢٠٢٦-03", "2026-03\n"):  # digits of other scripts are not a month here
        r = api.client.get("/api/v1/rankings", params={"month": month}, headers=api.login("sup1"))
        assert r.status_code == 400 and "YYYY-MM" in r.json()["message"]
    for month in ("9999-12", "0001-01"):  # in the form, but the month's bounds leave years 1-9999 in UTC
        r = api.client.get("/api/v1/rankings", params={"month": month}, headers=api.login("sup1"))
        assert r.status_code == 400 and "outside" in r.json()["message"]
    r = api.client.get("/api/v1/rankings", params={"month": "2025-01"}, headers=api.login("admin"))
    assert r.status_code == 200 and r.json()["units"] == []


def _rank(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "rank", *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def test_rank_command_prints_a_table_or_json_lines_and_refuses_a_bad_month(api):
    fill_march(api)
    table = _rank("--month", "2026-03", "--db", api.db_url)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["rank", "unit", "tickets", "response", "resolution", "satisfaction", "score"]
    assert lines[1].split() == ["1", get_unit(UNIT_A).name_zh, "6", "66.7%", "50.0%", "66.7%", "60.0"]
    assert lines[2].split()[:3] == ["—", get_unit(UNIT_B).name_zh, "2"]
    as_json = _rank("--month", "2026-03", "--json", "--db", api.db_url)
    assert as_json.returncode == 0, as_json.stderr
    units = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert [(u["unit_code"], u["rank"], u["response_rate"]) for u in units] == [(UNIT_A, 1, 66.7), (UNIT_B, None, 50.0)]
    for month in ("2026-3", "２０２６-03", "9999-12"):
        bad = _rank("--month", month, "--db", api.db_url)
        assert bad.returncode == 2 and month in bad.stderr and "Traceback" not in bad.stderr and not bad.stdout
