"""Liveness, version and the service's clock: the routes that need no sign-in."""

from __future__ import annotations

import json

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.concurrency import run_in_threadpool

from server import __version__
from server.api.deps import DbEngine
from server.db import get_meta, iso, utcnow
from server.errors import RETRY_AFTER_S

router = APIRouter(prefix="/api/v1", tags=["health"])


def _demo_accounts(engine) -> list | None:
    with engine.connect() as conn:
        raw = get_meta(conn, "demo_accounts")
    return json.loads(raw) if raw else None


@router.get("/health")
async def health(engine: DbEngine):
    try:
        demo = await run_in_threadpool(_demo_accounts, engine)
    except DBAPIError:
        return JSONResponse({"status": "unavailable", "version": __version__, "database": "unreachable"},
                            status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)})
    body = {"status": "ok", "version": __version__, "database": "ok"}
    if demo:  # only a database seeded with the demo (never a real hotline's) lists its accounts
        body["demo_accounts"] = demo
    return body


@router.get("/time")
async def server_time():
    return {"server_time": iso(utcnow())}
