"""Liveness, version and the service's clock: the routes that need no sign-in."""

from __future__ import annotations

import ipaddress
import json
import logging
import shutil
import sqlite3
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from starlette.concurrency import run_in_threadpool

from server import __version__
from server.api.deps import AppSettings, DbEngine, client_ip
from server.db import get_meta, is_sqlite, iso, utcnow
from server.errors import RETRY_AFTER_S
from server.settings import Settings

log = logging.getLogger("hotline.server.health")
router = APIRouter(prefix="/api/v1", tags=["health"])

# What /health says when the database answers but cannot store anything (pushes then get 503).
CANNOT_WRITE = {
    "read_only": "The central database is read-only: nothing new can be stored. Make it writable again; the "
                 "consoles keep their work and send it then.",
    "full": "The disk of the central database is full: nothing new can be stored. Free some space; the consoles "
            "keep their work and send it then.",
    "cannot_write": "The central database cannot store anything right now. The consoles keep their work and send "
                    "it when it can.",
}
_SQLITE_BUSY_MS = 30000  # the engine's usual busy_timeout (server.db), put back after the probe


def _sqlite_write_state(engine: Engine, settings: Settings) -> str:
    """"ok", "full" or "read_only": probed with a write that is rolled back, so it costs no disk write."""
    path = engine.url.database
    if path and path != ":memory:":
        try:
            if shutil.disk_usage(Path(path).resolve().parent).free < settings.health_min_free_bytes:
                return "full"
        except OSError:
            pass
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        pages, most, free = (cur.execute(f"PRAGMA {p}").fetchone()[0]
                             for p in ("page_count", "max_page_count", "freelist_count"))
        if most - pages + free < 8:  # a push needs a few new pages at least
            return "full"
        cur.execute(f"PRAGMA busy_timeout={int(settings.health_write_wait_s * 1000)}")
        try:
            cur.execute("BEGIN IMMEDIATE")
            try:
                cur.execute("UPDATE server_meta SET value = value WHERE key = 'health_probe'")
            finally:
                cur.execute("ROLLBACK")
        except sqlite3.Error as exc:
            # By SQLite's result code (the extended code's low byte is the primary one), never the message text.
            code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
            if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                return "ok"  # another writer holds the lock: writes are queued, not refused
            if code == sqlite3.SQLITE_READONLY:
                return "read_only"
            if code == sqlite3.SQLITE_FULL:
                return "full"
            log.warning("database write probe failed", extra={"error": str(exc)[:200], "code": code})
            return "cannot_write"
        finally:
            cur.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_MS}")
        return "ok"
    finally:
        raw.close()


def _postgres_write_state(engine: Engine) -> str:
    with engine.connect() as conn:
        tx = conn.begin()
        try:
            conn.execute(text("SET LOCAL lock_timeout = '2s'"))
            conn.execute(text("UPDATE server_meta SET value = value WHERE key = 'health_probe'"))
        except DBAPIError as exc:
            code = getattr(exc.orig, "sqlstate", "") or ""
            if code == "25006":  # read_only_sql_transaction: a standby, or default_transaction_read_only
                return "read_only"
            if code.startswith("53"):  # insufficient resources: disk full, out of memory
                return "full" if code == "53100" else "cannot_write"
            raise
        finally:
            tx.rollback()
    return "ok"


def _state(engine: Engine, settings: Settings) -> tuple[str, list | None]:
    with engine.connect() as conn:
        raw = get_meta(conn, "demo_accounts")
    writable = _sqlite_write_state(engine, settings) if is_sqlite(engine) else _postgres_write_state(engine)
    return writable, json.loads(raw) if raw else None


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


@router.get("/health")
async def health(request: Request, engine: DbEngine, settings: AppSettings):
    try:
        writable, demo = await run_in_threadpool(_state, engine, settings)
    except DBAPIError:
        return JSONResponse({"status": "unavailable", "version": __version__, "database": "unreachable"},
                            status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)})
    if writable != "ok":
        return JSONResponse({"status": "unavailable", "version": __version__, "database": writable,
                             "message": CANNOT_WRITE[writable]},
                            status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)})
    body = {"status": "ok", "version": __version__, "database": "ok"}
    # Demo accounts (one short shared password) are listed only by a demo nobody else can reach: a service bound
    # to loopback that trusts no proxy, asked from this machine. A real hotline's database has none anyway.
    if demo and settings.local_only and _loopback(client_ip(request)):
        body["demo_accounts"] = demo
    return body


@router.get("/time")
async def server_time():
    return {"server_time": iso(utcnow())}
