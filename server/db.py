"""Database engines for the central service: one factory for PostgreSQL (psycopg 3) and SQLite."""

from __future__ import annotations

import os
import threading
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from sqlalchemy import Connection, Engine, create_engine, event, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from server import schema

_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def normalise_url(db_url: str) -> str:
    """Accept postgresql://... and postgres://... and use psycopg 3 for them."""
    if db_url.startswith("postgres://"):
        db_url = "postgresql://" + db_url[len("postgres://"):]
    if db_url.startswith("postgresql://"):
        db_url = "postgresql+psycopg://" + db_url[len("postgresql://"):]
    return db_url


def is_sqlite(engine_or_url) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(normalise_url(str(engine_or_url)))
    return url.get_backend_name() == "sqlite"


def make_engine(db_url: str) -> Engine:
    """A new engine. pool_pre_ping so connections stale after a database restart are replaced."""
    url = make_url(normalise_url(db_url))
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
            _create_private(Path(url.database))
        engine = create_engine(
            url,
            pool_pre_ping=True,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=20,
            max_overflow=20,
        )
        _tune_sqlite(engine)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        # Per process; several processes and other services share PostgreSQL's max_connections.
        pool_size=8,
        max_overflow=12,
        pool_timeout=10,
        connect_args={"connect_timeout": 5},
    )


def _create_private(path: Path) -> None:
    """A new SQLite file readable by its owner only (0600): it holds callers' numbers, password hashes and
    second-factor secrets. SQLite gives its -wal and -shm files the database file's permissions."""
    try:
        if not path.parent.is_dir():
            path.parent.mkdir(mode=0o700, parents=True)  # a file in the way is an error too
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            pass  # an existing database keeps the permissions its administrator gave it
    except OSError as exc:
        raise DatabaseUnusable(f"the SQLite database {path} cannot be created ({exc.strerror or exc}): give a "
                               f"path in a folder this user may write to.") from None


class DatabaseUnusable(Exception):
    """A database URL or database the service cannot use; the message says why and what to do."""


def check_db_url(db_url: str) -> None:
    """DatabaseUnusable, in plain words, for a URL that names no database the service can open."""
    try:
        url = make_url(normalise_url(db_url))
        url.port  # noqa: B018 - a port that is not a number fails only when read
    except (ArgumentError, ValueError):
        raise DatabaseUnusable("the database URL cannot be read (not echoed: it may hold a password): give postgresql+psycopg://USER:PASSWORD@HOST/NAME "
                               "or sqlite:///PATH.") from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseUnusable(f"the database must be PostgreSQL (postgresql+psycopg://...) or SQLite (sqlite:///...), "
                               f"not {url.get_backend_name()}.")
    if not url.database:
        raise DatabaseUnusable(f"'{url.render_as_string(hide_password=True)}' names no database: add its name "
                               f"(postgresql+psycopg://USER@HOST/NAME) or file (sqlite:///PATH).")


# Connection failures that waiting will not cure, by the words PostgreSQL and SQLite use; what to do about each.
_PERMANENT = (
    ("role", "does not exist", "create the role (createuser --pwprompt NAME, see docs/deployment.md) or fix the user in --db"),
    ("database", "does not exist", "create the database (createdb --owner ROLE NAME, see docs/deployment.md) or fix its name in --db"),
    ("password authentication failed", "", "the password (in --db, PGPASSWORD or ~/.pgpass) is not that role's"),
    ("no password supplied", "", "give the role's password in PGPASSWORD or ~/.pgpass (see docs/deployment.md)"),
    ("failed to resolve host", "", "check the host name in --db"),
    ("unable to open database file", "", "check that the folder of the SQLite file exists and may be written"),
    ("is not a database", "", "the file in --db is not a SQLite database"),
)


def database_problem(exc: BaseException) -> tuple[str, bool]:
    """(one plain line on why the database cannot be used, whether waiting may cure it: a server still starting,
    refusing connections or too slow to answer, as opposed to a missing role or database or a wrong password)."""
    orig = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    text = lines[0] if lines else type(orig).__name__
    reason = text.split("FATAL:", 1)[-1].strip().removeprefix("connection failed: ")
    lowered = text.lower()
    for first, second, todo in _PERMANENT:
        if first in lowered and second in lowered:
            return f"the database cannot be used: {reason}; {todo}.", False
    return f"the database cannot be reached ({reason}); check --db and that the database is running.", True


def shared_engine(db_url: str) -> Engine:
    """One engine per URL per process (commands and the app share it)."""
    key = normalise_url(db_url)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _ENGINES[key] = make_engine(key)
        return engine


def _tune_sqlite(engine: Engine) -> None:
    """WAL so readers never wait for the writer; writers take the lock at BEGIN (IMMEDIATE),
    so two pushes never both read and then fail to upgrade to a write lock."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if conn.get_execution_options().get("sqlite_immediate"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


@contextmanager
def write_tx(engine: Engine) -> Iterator[Connection]:
    """A writing transaction: BEGIN IMMEDIATE on SQLite, an ordinary one on PostgreSQL."""
    with engine.connect() as conn:
        conn = conn.execution_options(sqlite_immediate=True)
        with conn.begin():
            yield conn


@contextmanager
def read_tx(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        with conn.begin():
            yield conn


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).isoformat(timespec="microseconds")


def insert_ignore(conn: Connection, table, values: dict) -> None:
    """INSERT ... ON CONFLICT DO NOTHING on both dialects (CockroachDB speaks it too)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        conn.execute(pg_insert(table).values(**values).on_conflict_do_nothing())
    elif conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        conn.execute(sqlite_insert(table).values(**values).on_conflict_do_nothing())
    else:  # pragma: no cover - other dialects: best effort
        if conn.execute(select(table).filter_by(**{k: values[k] for k in list(table.primary_key.columns.keys())})).first() is None:
            conn.execute(insert(table).values(**values))


def bump_counter(conn: Connection, name: str, by: int = 1) -> int:
    """Add `by` to a counter row and return its new value; the row stays locked until commit,
    which is what orders concurrent writers (commit order == counter order)."""
    c = schema.counters
    bump = update(c).where(c.c.name == name).values(value=c.c.value + by).returning(c.c.value)
    value = conn.execute(bump).scalar()
    if value is None:  # first use of this counter (a new day's ticket numbers)
        insert_ignore(conn, c, {"name": name, "value": 0})
        value = conn.execute(bump).scalar_one()
    return int(value)


def read_counter(conn: Connection, name: str) -> int:
    value = conn.execute(select(schema.counters.c.value).where(schema.counters.c.name == name)).scalar()
    return int(value or 0)


def get_meta(conn: Connection, key: str) -> str | None:
    return conn.execute(select(schema.server_meta.c.value).where(schema.server_meta.c.key == key)).scalar()


def set_meta(conn: Connection, key: str, value: str) -> None:
    if get_meta(conn, key) is None:
        insert_ignore(conn, schema.server_meta, {"key": key, "value": value})
    conn.execute(update(schema.server_meta).where(schema.server_meta.c.key == key).values(value=value))


def database_epoch(conn: Connection) -> str:
    """An id made when this database was created; a cursor from another database means reset."""
    epoch = get_meta(conn, "epoch")
    if epoch is None:
        insert_ignore(conn, schema.server_meta, {"key": "epoch", "value": uuid.uuid4().hex})
        epoch = get_meta(conn, "epoch")
    return epoch
