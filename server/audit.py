"""The audit log: sign-ins, reassignments, returns, reveals of full numbers, exports."""

from __future__ import annotations

import json

from sqlalchemy import Connection, insert

from server import schema
from server.db import iso, utcnow


def record(conn: Connection, actor: str, action: str, *, ticket_id: str | None = None, ip: str | None = None,
           detail: dict | None = None) -> None:
    """Written in the same transaction as what it records, so neither exists without the other.
    `detail` must never hold a caller's phone number."""
    conn.execute(
        insert(schema.audit_log).values(
            at=iso(utcnow()), actor=actor or "", action=action, ticket_id=ticket_id, ip=ip,
            detail=json.dumps(detail or {}, ensure_ascii=False),
        )
    )
