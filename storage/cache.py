"""The console's local ticket cache: tickets, notes, history, drafts and the sync outbox in one SQLite file.

Every local change writes the ticket, its outbox intent and a history event in one transaction,
so after any crash either all of it is there or none of it. The sync engine drains the outbox
(pending_mutations / record_push_results) and feeds pulled changes to apply_changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection

from storage import schema
from storage.cache_drafts import CacheDrafts
from storage.cache_search import TicketSearch
from storage.cache_tickets import TicketWrites
from storage.db import BUSY_TIMEOUT_MS, connect, environment_errors
from storage.outbox import Outbox
from storage.pull_merge import PullMerge

CACHE_FILE = "cache.db"
# Set once this cache no longer pushes under the client id it made itself (caches from before registration).
LEGACY_CLIENT_RETIRED = "legacy_client_id_retired"


class LocalCache(TicketWrites, TicketSearch, CacheDrafts, Outbox, PullMerge):
    """One console's cache file. Thread-safe: each call takes its own pooled connection."""

    def __init__(self, path: Path | str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        self.path = Path(path)
        with environment_errors():
            self._engine = connect(self.path, busy_timeout_ms=busy_timeout_ms)
        try:
            with environment_errors():
                schema.ensure_schema(self._engine, str(self.path))
            self.client_id = self.get_meta("client_id") or self._init_client_id()
        except BaseException:
            self._engine.dispose()  # a refused or failed open leaves no file handles behind
            raise

    @classmethod
    def open(cls, home: Path | str) -> LocalCache:
        return cls(Path(home) / CACHE_FILE)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> LocalCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- transactions ---------------------------------------------------------------------------

    @contextmanager
    def _write(self, *, foreign_keys: bool = True) -> Iterator[Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT): all of it lands, or none of it.

        Every part of the cache writes through here. `foreign_keys=False` is for emptying tables whole
        (storage.pull_merge): the checks are off for this one connection and on again before it returns to the pool.
        """
        with environment_errors():
            with self._engine.connect().execution_options(hotline_write=True) as conn:
                if foreign_keys:
                    with conn.begin():
                        yield conn
                    return
                raw = conn.connection.driver_connection
                raw.execute("PRAGMA foreign_keys = OFF")  # only outside a transaction does this take effect
                try:
                    with conn.begin():
                        yield conn
                finally:
                    raw.execute("PRAGMA foreign_keys = ON")

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with environment_errors(), self._engine.connect() as conn:
            yield conn

    def _init_client_id(self) -> str:
        with self._write() as conn:
            row = conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'client_id'").first()
            if row:
                return row[0]
            client_id = str(uuid.uuid4())
            conn.exec_driver_sql("INSERT INTO meta (key, value) VALUES ('client_id', ?)", (client_id,))
            # A new cache pushes only under ids the service registers (storage.sync): this local id is not one.
            self._set_meta(conn, LEGACY_CLIENT_RETIRED, "1")
            return client_id

    # -- meta -----------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        with self._read() as conn:
            row = conn.exec_driver_sql("SELECT value FROM meta WHERE key = ?", (key,)).first()
            return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        with self._write() as conn:
            self._set_meta(conn, key, value)

    @property
    def cursor(self) -> int:
        return int(self.get_meta("cursor") or 0)

    # -- upkeep ---------------------------------------------------------------------------------

    def maintenance(self, merge_pages: int = 200) -> None:
        """Idle-time upkeep, off the save path: fold small search-index segments together and checkpoint the WAL.

        Every save adds a small segment to the full-text index; merging a bounded amount at a time
        keeps searches fast without ever making one save slow.
        """
        with self._write() as conn:
            conn.exec_driver_sql(
                "INSERT INTO ticket_terms_fts (ticket_terms_fts, rank) VALUES ('merge', ?)", (int(merge_pages),)
            )
        with environment_errors():
            raw = self._engine.raw_connection()
            try:
                raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
            finally:
                raw.close()

