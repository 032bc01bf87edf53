"""The one place the local cache's database connections are made (so it can later be opened encrypted)."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event, exc

from storage.errors import DISK_FULL_MESSAGE, EnvironmentProblem, classify

log = logging.getLogger("hotline.storage")

BUSY_TIMEOUT_MS = 5000
PRIVATE_FILE_MODE = 0o600
# SQLite gives its -wal, -shm and -journal files the database file's mode, so a private cache stays private.
_COMPANIONS = ("", "-wal", "-shm", "-journal")
# Less free space than this where the cache lives, and the next saves would fail: told at start, not mid-call.
LOW_DISK_BYTES = 1 << 20


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
        tighten_mode(path.with_name(path.name + suffix))


def tighten_mode(path: Path) -> None:
    """Nobody but this account may read `path` (POSIX modes; on Windows the user profile's ACL already does this)."""
    try:
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:  # only taken away from others: an owner's read-only file stays read-only
            path.chmod(mode & 0o700)
    except FileNotFoundError:
        pass
    except OSError as exc:  # another account's file, or a share that ignores modes: the open goes on
        log.warning("cannot make %s private: %s", path, exc)


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


def probe_writable(path: Path | str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
    """Raise the EnvironmentProblem that would stop the next save (read-only file or folder, locked, disk full),
    now, before the person takes a call. Writes nothing: the probe's write transaction is rolled back."""
    path = Path(path)
    try:
        free = shutil.disk_usage(path.parent).free
    except OSError:
        free = None  # not measurable here (some network shares): SQLite will say so when it happens
    if free is not None and free < LOW_DISK_BYTES:
        raise EnvironmentProblem(DISK_FULL_MESSAGE, kind="disk_full",
                                 detail=f"{free} bytes free on the disk of {path}")
    with environment_errors():
        connection = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000)
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute(f"PRAGMA user_version = {int(version)}")  # the same value: a write, undone below
            finally:
                connection.execute("ROLLBACK")
        finally:
            connection.close()


def set_aside(path: Path | str, reason: str = "damaged") -> Path:
    """Rename the cache (with its -wal/-shm, which hold committed data) to `cache.db.<reason>-<time>`; nothing
    is deleted, so IT can still recover unsent tickets from it. Returns the new name of the database file."""
    path = Path(path)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{reason}-{stamp}")
    n = 1
    while any(target.with_name(target.name + suffix).exists() for suffix in _COMPANIONS):
        n += 1
        target = path.with_name(f"{path.name}.{reason}-{stamp}-{n}")
    for suffix in ("-wal", "-shm", "-journal", ""):  # the database file last: a crash half-way leaves it in place
        source = path.with_name(path.name + suffix)
        if source.exists():
            os.replace(source, target.with_name(target.name + suffix))
    log.warning("the local cache %s was set aside as %s (%s)", path, target, reason)
    return target
