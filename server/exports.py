"""Anonymised exports for analysts: counts only, no names, numbers or free text; small counts suppressed.

Every cell is written so a spreadsheet shows it as text: one starting with = + - @, a tab or a carriage
return gets a leading apostrophe, so a code like =HYPERLINK(...) can never run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import Engine, select
from starlette.concurrency import run_in_threadpool

from domain.ranking import MonthError, parse_month
from domain.ticket import Role
from server import audit, schema
from server.db import write_tx
from server.errors import bad_request

SMALL_COUNT = 5  # fewer tickets than this in a cell could point at one caller: shown as "<5"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ["month", "category_code", "sub_district_code", "unit_code", "status", "tickets"]


def safe_cell(value) -> str:
    """A cell's text that a spreadsheet cannot take for a formula (OWASP's CSV injection advice)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def monthly_counts(engine: Engine, month: str) -> list[dict]:
    """Tickets created in `month` by category, sub-district, unit and status."""
    t = schema.tickets
    counts: Counter = Counter()
    with engine.connect() as conn:
        rows = conn.execute(select(t.c.category_code, t.c.sub_district_code, t.c.unit_code, t.c.status)
                            # Stored times are ISO text (YYYY-MM-DDT...), so the month's are those from day 01 to below day 32.
            .where(t.c.created_at >= f"{month}-01", t.c.created_at < f"{month}-32"))
        for row in rows:
            counts[tuple(row)] += 1
    out = []
    for (category, sub_district, unit, status), n in sorted(counts.items()):
        out.append({"month": month, "category_code": category, "sub_district_code": sub_district, "unit_code": unit,
                    "status": status, "tickets": str(n) if n >= SMALL_COUNT else f"<{SMALL_COUNT}"})
    return out


def to_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows({k: safe_cell(row.get(k)) for k in COLUMNS} for row in rows)
    return buffer.getvalue()


def add_routes(app: FastAPI, engine: Engine, current_user) -> None:
    @app.get("/api/v1/exports/tickets.csv")
    async def export_tickets(request: Request):
        user = await current_user(request, Role.SUPERVISOR, Role.ADMIN)
        month = request.query_params.get("month") or ""
        try:
            parse_month(month)  # ASCII digits only: the month goes into the file name and a header
        except MonthError:
            raise bad_request("Give the month as YYYY-MM, e.g. month=2026-11.") from None

        def build() -> str:
            rows = monthly_counts(engine, month)
            with write_tx(engine) as conn:
                audit.record(conn, user.username, "export", ip=request.client.host if request.client else None,
                             detail={"what": "tickets.csv", "month": month, "rows": len(rows)})
            return to_csv(rows)

        return Response(await run_in_threadpool(build), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="tickets-{month}.csv"'})
