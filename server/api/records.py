"""Audited access: revealing a caller's full number, and reading the audit log."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from server import audit, schema
from server.api.deps import CurrentUser, DbEngine, StaffUser, client_ip, int_param
from server.db import write_tx
from server.errors import forbidden, not_found
from server.tickets import may_see, ticket_row

router = APIRouter(prefix="/api/v1", tags=["audit"])


@router.post("/tickets/{ticket_id}/reveal")
async def reveal_phone(ticket_id: str, request: Request, user: CurrentUser, engine: DbEngine):
    """The caller's full number, for whoever may see the ticket; every reveal is audited."""

    def reveal():
        with write_tx(engine) as conn:
            row = ticket_row(conn, ticket_id)
            if row is None:
                raise not_found("There is no such ticket.")
            if not may_see(user, row):
                raise forbidden("This ticket is not for your unit.")
            audit.record(conn, user.username, "reveal", ticket_id=ticket_id, ip=client_ip(request),
                         detail={"field": "caller_phone"})
            return {"ticket_id": ticket_id, "caller_phone": row["caller_phone"]}

    return await run_in_threadpool(reveal)


@router.get("/audit")
async def audit_log(request: Request, user: StaffUser, engine: DbEngine):
    limit = int_param(request, "limit", 200, 1, 5000)
    action = request.query_params.get("action")

    def query():
        a = schema.audit_log
        q = select(a).order_by(a.c.id.desc()).limit(limit)
        if action:
            q = q.where(a.c.action == action)
        with engine.connect() as conn:
            return [{**dict(r), "detail": json.loads(r["detail"] or "{}")} for r in conn.execute(q).mappings()]

    return {"entries": await run_in_threadpool(query)}
