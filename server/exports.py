"""Anonymised exports for analysts: counts only, no names, numbers or free text; small counts suppressed."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import Engine, select
from starlette.concurrency import run_in_threadpool

from domain.ticket import Role
from server import audit, schema
from server.db import write_tx
from server.errors import bad_request

SMALL_COUNT = 5  # fewer tickets than this in a cell could point at one caller: shown as "<5"
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def monthly_counts(engine: Engine, month: str) -> list[dict]:
    """Tickets created in `month` by category, sub-district, unit and status."""
    t = schema.tickets
    counts: Counter = Counter()
    with engine.connect() as conn:
        rows = conn.execute(select(t.c.category_code, t.c.sub_district_code, t.c.unit_code, t.c.status)
                            .where(t.c.created_at >= f"{month}-01", t.c.created_at < _next_month(month)))
        for row in rows:
            counts[tuple(row)] += 1
    out = []
    for (category, sub_district, unit, status), n in sorted(counts.items()):
        out.append({"month": month, "category_code": category, "sub_district_code": sub_district, "unit_code": unit,
                    "status": status, "tickets": str(n) if n >= SMALL_COUNT else f"<{SMALL_COUNT}"})
    return out


def _next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:])
    return f"{year + (mon == 12):04d}-{(mon % 12) + 1:02d}-01"


def add_routes(app: FastAPI, engine: Engine, current_user) -> None:
    @app.get("/api/v1/exports/tickets.csv")
    async def export_tickets(request: Request):
        user = await current_user(request, Role.SUPERVISOR, Role.ADMIN)
        month = request.query_params.get("month") or ""
        if not _MONTH.match(month):
            raise bad_request("Give the month as YYYY-MM, e.g. month=2026-11.")

        def build() -> str:
            rows = monthly_counts(engine, month)
            with write_tx(engine) as conn:
                audit.record(conn, user.username, "export", ip=request.client.host if request.client else None,
                             detail={"what": "tickets.csv", "month": month, "rows": len(rows)})
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=["month", "category_code", "sub_district_code", "unit_code",
                                                        "status", "tickets"])
            writer.writeheader()
            writer.writerows(rows)
            return buffer.getvalue()

        return Response(await run_in_threadpool(build), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="tickets-{month}.csv"'})
