"""The one place the local cache's database connections are made (so it can later be opened encrypted)."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event, exc

from storage.errors import EnvironmentProblem

BUSY_TIMEOUT_MS = 5000


def connect(path: Path | str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine on the SQLite file at `path`: WAL, synchronous=FULL, foreign keys, a busy timeout.

    Every pooled connection gets the same settings through the connect listener. Transactions are
    explicit: a connection with execution option `hotline_write=True` begins with BEGIN IMMEDIATE
    (takes the write lock up front, so two writers queue on the busy timeout instead of failing
    half-way); any other begins a plain read transaction (one consistent snapshot).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _folder_problem(path, error) from error
    engine = create_engine(f"sqlite+pysqlite:///{path}", pool_size=4, max_overflow=8)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):
        # Let SQLAlchemy's begin event decide when transactions start (pysqlite's own guessing is off).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            # A save that crosses the WAL's checkpoint threshold would pay for copying pages into the database
            # and an extra fsync (the slowest saves, measured). The sync thread checkpoints every 30 s through
            # LocalCache.maintenance(); this high threshold is only a safety net when no sync thread runs.
            cursor.execute("PRAGMA wal_autocheckpoint = 20000")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA cache_size = -32000")
            cursor.execute("PRAGMA temp_store = MEMORY")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("hotline_write") else "BEGIN")

    return engine


def _folder_problem(path: Path, error: OSError) -> EnvironmentProblem:
    return EnvironmentProblem(
        f"The console cannot create its data folder {path.parent}. Ask IT to give your account write "
        "permission there, or set HOTLINE_HOME to a folder you can write.",
        kind="permission",
        detail=str(error),
    )


# Low-level SQLite messages -> (kind, message for the person).
_ENVIRONMENT_MESSAGES: tuple[tuple[str, str, str], ...] = (
    ("database is locked", "locked",
     "The local ticket store is busy (another console window or program is holding it). "
     "Wait a moment and try again; if it keeps happening, close other console windows."),
    ("database table is locked", "locked",
     "The local ticket store is busy. Wait a moment and try again."),
    ("database or disk is full", "disk_full",
     "The disk is full, so the ticket could not be saved on this computer. Your typing is still "
     "on screen: free some disk space (or ask IT), then save again."),
    ("readonly database", "read_only",
     "The local ticket store is read-only, so nothing can be saved on this computer. Ask IT to "
     "give your account write permission to the console's data folder."),
    ("unable to open database file", "permission",
     "The console cannot open its local ticket store. Check that its data folder exists and your "
     "account may write there (or ask IT)."),
    ("disk i/o error", "io",
     "The computer reported a disk error while saving. Your typing is still on screen: try again; "
     "if it repeats, the disk may be full or failing - call IT."),
    ("file is not a database", "damaged",
     "The local ticket store is damaged. Close the console and ask IT to move the cache file aside; "
     "it fills again from the server."),
    ("database disk image is malformed", "damaged",
     "The local ticket store is damaged. Close the console and ask IT to move the cache file aside; "
     "it fills again from the server."),
)


def environment_problem(error: BaseException) -> EnvironmentProblem | None:
    """The EnvironmentProblem an error means, or None when it is a bug."""
    original = error.orig if isinstance(error, exc.DBAPIError) else error
    if isinstance(original, OSError):
        if original.errno in (28,):  # ENOSPC
            kind, message = "disk_full", _ENVIRONMENT_MESSAGES[2][2]
        elif original.errno in (13, 1, 30):  # EACCES, EPERM, EROFS
            kind, message = "permission", _ENVIRONMENT_MESSAGES[4][2]
        else:
            return None
        return EnvironmentProblem(message, kind=kind, detail=str(original))
    if not isinstance(original, sqlite3.DatabaseError) or isinstance(original, sqlite3.IntegrityError):
        return None
    text = str(original).lower()
    for needle, kind, message in _ENVIRONMENT_MESSAGES:
        if needle in text:
            return EnvironmentProblem(message, kind=kind, detail=str(original))
    return None


@contextmanager
def environment_errors() -> Iterator[None]:
    """Turn environmental SQLite/OS failures into EnvironmentProblem; let bugs raise as they are."""
    try:
        yield
    except EnvironmentProblem:
        raise
    except (exc.DBAPIError, sqlite3.DatabaseError, OSError) as error:
        problem = environment_problem(error)
        if problem is None:
            raise
        raise problem from error
