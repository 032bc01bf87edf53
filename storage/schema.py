"""The local cache's tables, its schema version and the ordered upgrade steps."""

from __future__ import annotations

import sqlite3
from typing import Callable

from sqlalchemy import Connection, Engine

from storage.errors import SchemaTooNew

# Major changes are incompatible (an older console must refuse); minor ones only add things.
SCHEMA_MAJOR = 1
SCHEMA_MINOR = 0

TICKET_COLUMNS = (
    "id", "number", "caller_phone", "caller_name", "caller_address", "incident_address",
    "sub_district_code", "request_type", "category_code", "taxonomy_version", "suggestions",
    "suggestion_rank", "description", "urgency", "status", "operator", "unit_code",
    "call_started_at", "dispatched_at", "due_at", "callback_result", "duplicate_of", "version",
    "created_at", "updated_at",
)
# Local bookkeeping next to the Ticket fields.
LOCAL_COLUMNS = ("local_ref", "local_fields", "from_server", "revoked")

# The caller's number as digits only (one index serves 010-12345678 and 01012345678).
PHONE_DIGITS = "replace(replace(t.caller_phone, '-', ''), '+', '')"

_V1_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS tickets (
    seq INTEGER PRIMARY KEY,                -- local row number, also the full-text index's rowid
    id TEXT NOT NULL UNIQUE,                -- the ticket's uuid (made by the console that created it)
    number TEXT,                            -- assigned by the server; empty until then
    caller_phone TEXT NOT NULL DEFAULT '',
    caller_name TEXT NOT NULL DEFAULT '',
    caller_address TEXT NOT NULL DEFAULT '',
    incident_address TEXT NOT NULL DEFAULT '',
    sub_district_code TEXT NOT NULL DEFAULT '',
    request_type TEXT NOT NULL DEFAULT 'complaint',
    category_code TEXT NOT NULL DEFAULT '',
    taxonomy_version TEXT NOT NULL DEFAULT '',
    suggestions TEXT NOT NULL DEFAULT '[]',  -- JSON list of the category codes shown
    suggestion_rank INTEGER,
    description TEXT NOT NULL DEFAULT '',
    urgency TEXT NOT NULL DEFAULT 'normal',
    status TEXT NOT NULL DEFAULT 'registered',
    operator TEXT NOT NULL DEFAULT '',
    unit_code TEXT NOT NULL DEFAULT '',
    call_started_at TEXT,
    dispatched_at TEXT,
    due_at TEXT,
    callback_result TEXT,
    duplicate_of TEXT,
    version INTEGER NOT NULL DEFAULT 0,     -- the server version, 0 until the server has it
    created_at TEXT,
    updated_at TEXT,
    local_ref TEXT NOT NULL,                -- short reference shown until the server's number arrives
    local_fields TEXT NOT NULL DEFAULT '{}', -- {field: base version} edited here and not yet seen back from the server
    from_server INTEGER NOT NULL DEFAULT 0,
    revoked INTEGER NOT NULL DEFAULT 0      -- left this user's scope but kept for pending local changes
);
CREATE INDEX IF NOT EXISTS tickets_status ON tickets(status);
CREATE INDEX IF NOT EXISTS tickets_operator ON tickets(operator);
CREATE INDEX IF NOT EXISTS tickets_unit ON tickets(unit_code);
CREATE INDEX IF NOT EXISTS tickets_phone ON tickets(replace(replace(caller_phone, '-', ''), '+', ''));
CREATE INDEX IF NOT EXISTS tickets_duplicates ON tickets(category_code, sub_district_code, created_at);
CREATE TABLE IF NOT EXISTS ticket_terms (   -- what the full-text index holds for each ticket
    seq INTEGER PRIMARY KEY REFERENCES tickets(seq) ON DELETE CASCADE,
    terms TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS notes (
    id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    author TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    from_server INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS notes_ticket ON notes(ticket_id);
CREATE TABLE IF NOT EXISTS events (           -- append-only history of a ticket
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    actor TEXT NOT NULL,                      -- who
    action TEXT NOT NULL,                     -- what
    detail TEXT NOT NULL DEFAULT '{}',        -- JSON: why (reason), changes {field: [old, new]}, overwritten values
    created_at TEXT NOT NULL,                 -- when
    origin TEXT NOT NULL DEFAULT 'local'      -- local | server | sync
);
CREATE INDEX IF NOT EXISTS events_ticket ON events(ticket_id);
CREATE TABLE IF NOT EXISTS drafts (
    id TEXT PRIMARY KEY,
    fields TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (            -- intents waiting for (or acknowledged by) the server
    id INTEGER PRIMARY KEY,                   -- the mutation id: consecutive per client from 1
    name TEXT NOT NULL,
    args TEXT NOT NULL,
    ticket_id TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending'     -- pending | applied | duplicate | rejected | skipped
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox(ticket_id) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS outbox_state ON outbox(state, id);
CREATE TABLE IF NOT EXISTS rejections (       -- changes the server refused, for the author and a supervisor
    mutation_id INTEGER PRIMARY KEY REFERENCES outbox(id),
    ticket_id TEXT NOT NULL,
    name TEXT NOT NULL,
    args TEXT NOT NULL,
    author TEXT NOT NULL,
    reason TEXT NOT NULL,
    rejected_at TEXT NOT NULL
);
"""


def _statements(script: str) -> list[str]:
    """Split a script into statements (comments may contain semicolons)."""
    out, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    return out


def _step_1(conn: Connection) -> None:
    for statement in _statements(_V1_TABLES):
        conn.exec_driver_sql(statement)


def _step_1_fts(conn: Connection) -> None:
    """The full-text index over ticket_terms, created by sqlite-utils with its sync triggers.

    sqlite-utils (4.x) runs its statements inside our open transaction, so the index, its
    triggers and the version row commit together. Leftovers of an older attempt are dropped first.
    """
    exists = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ticket_terms_fts'"
    ).first()
    if not exists:
        for trigger in ("ticket_terms_ai", "ticket_terms_ad", "ticket_terms_au"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
    import sqlite_utils  # only when the index is first built: keeps it off the console's start path

    db = sqlite_utils.Database(conn.connection.driver_connection)
    db["ticket_terms"].enable_fts(["terms"], fts_version="FTS5", create_triggers=True, tokenize="unicode61", replace=True)


# ((major, minor), step), in order; each step runs in one transaction together with its version row.
STEPS: tuple[tuple[tuple[int, int], Callable[[Connection], None]], ...] = (
    ((1, 0), lambda conn: (_step_1(conn), _step_1_fts(conn))),
)


def stored_version(conn: Connection) -> tuple[int, int] | None:
    exists = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'"
    ).first()
    if not exists:
        return None
    row = conn.exec_driver_sql("SELECT major, minor FROM schema_version").first()
    return (row[0], row[1]) if row else None


def _refuse_newer(found: tuple[int, int] | None, path: str) -> None:
    if found is not None and found[0] > SCHEMA_MAJOR:
        raise SchemaTooNew(f"{found[0]}.{found[1]}", f"{SCHEMA_MAJOR}.x", path)


def ensure_schema(engine: Engine, path: str = "") -> None:
    """Create or upgrade the schema; refuse a newer major version. Cheap (one read) when current."""
    with engine.connect() as conn:
        found = stored_version(conn)
        conn.rollback()
    _refuse_newer(found, path)
    if found is not None and (found[0] == SCHEMA_MAJOR and found[1] >= SCHEMA_MINOR):
        return  # current, or a newer minor that only added things this version ignores
    for version, step in STEPS:
        with engine.connect().execution_options(hotline_write=True) as conn, conn.begin():
            # Looked at again under the write lock: another console process may have just done it.
            found = stored_version(conn)
            _refuse_newer(found, path)
            if found is not None and found >= version:
                continue
            step(conn)
            conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS schema_version (major INTEGER NOT NULL, minor INTEGER NOT NULL)")
            conn.exec_driver_sql("DELETE FROM schema_version")
            conn.exec_driver_sql("INSERT INTO schema_version (major, minor) VALUES (?, ?)", version)
