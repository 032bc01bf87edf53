"""The one place the local cache's database connections are made (so it can later be opened encrypted)."""

from __future__ import annotations

import logging
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event, exc

from storage.errors import EnvironmentProblem, classify

log = logging.getLogger("hotline.storage")

BUSY_TIMEOUT_MS = 5000
PRIVATE_FILE_MODE = 0o600
# SQLite gives its -wal, -shm and -journal files the database file's mode, so a private cache stays private.
_COMPANIONS = ("", "-wal", "-shm", "-journal")


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
    make_private(path)
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


def make_private(path: Path) -> None:
    """The cache holds callers' full numbers: created 0600; others lose access to an older, wider file (POSIX modes)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        pass
    except OSError:
        return  # not creatable here: SQLite's own open says so, classified, in a moment
    for suffix in _COMPANIONS:
        companion = path.with_name(path.name + suffix)
        try:
            mode = companion.stat().st_mode & 0o777
            if mode & 0o077:  # only taken away from others: an owner's read-only file stays read-only
                companion.chmod(mode & 0o700)
        except FileNotFoundError:
            continue
        except OSError as exc:  # another account's file, or a share that ignores modes: the open goes on
            log.warning("cannot make %s private: %s", companion, exc)


def _folder_problem(path: Path, error: OSError) -> EnvironmentProblem:
    return EnvironmentProblem(
        f"The console cannot create its data folder {path.parent}. Ask IT to give your account write "
        "permission there, or set HOTLINE_HOME to a folder you can write.",
        kind="permission",
        detail=str(error),
    )


def environment_problem(error: BaseException) -> EnvironmentProblem | None:
    """The EnvironmentProblem an error means, or None when it is a bug (see storage.errors.classify)."""
    return classify(error)


@contextmanager
def environment_errors() -> Iterator[None]:
    """Turn environmental SQLite/OS failures into EnvironmentProblem; let bugs raise as they are."""
    try:
        yield
    except EnvironmentProblem:
        raise
    except (exc.DBAPIError, sqlite3.Error, OSError) as error:
        problem = environment_problem(error)
        if problem is None:
            raise
        raise problem from error
