"""The cache's schema version: created on first open, refused when a newer major version wrote it."""

from __future__ import annotations

import sqlite3

import pytest

from storage import schema
from storage.cache import LocalCache
from storage.errors import SchemaTooNew


def _version(path) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT major, minor FROM schema_version").fetchone()


def test_first_open_creates_the_current_version_and_settings(tmp_path):
    path = tmp_path / "cache.db"
    with LocalCache(path) as cache:
        with cache._read() as conn:
            pragmas = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in
                       ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 5000}
    assert _version(path) == (schema.SCHEMA_MAJOR, schema.SCHEMA_MINOR)


def test_newer_major_version_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "cache.db"
    LocalCache(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET major = ?", (schema.SCHEMA_MAJOR + 1,))
    with pytest.raises(SchemaTooNew) as caught:
        LocalCache(path)
    assert "newer version of the console" in str(caught.value)
    assert caught.value.found == f"{schema.SCHEMA_MAJOR + 1}.0"


def test_newer_minor_version_still_opens(tmp_path):
    path = tmp_path / "cache.db"
    with LocalCache(path) as cache:
        cache.create_ticket({"description": "kept"}, "op1")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET minor = minor + 5")
    with LocalCache(path) as cache:
        assert cache.count_tickets() == 1


def test_interrupted_first_setup_is_completed_on_the_next_open(tmp_path):
    path = tmp_path / "cache.db"
    LocalCache(path).close()
    # As if the console died after the tables but before the search index and the version row.
    with sqlite3.connect(path) as conn:
        conn.executescript("DROP TABLE ticket_terms_fts; DROP TABLE schema_version;")
    with LocalCache(path) as cache:
        made = cache.create_ticket({"description": "噪音"}, "op1")
        assert [t["id"] for t in cache.search("噪音")] == [made["id"]]
    assert _version(path) == (schema.SCHEMA_MAJOR, schema.SCHEMA_MINOR)


def test_statements_split_even_with_semicolons_in_comments():
    script = "CREATE TABLE a (x -- one; two\n);\nCREATE TABLE b (y);\n"
    assert len(schema._statements(script)) == 2


def test_upgrade_steps_run_in_order_once(tmp_path, monkeypatch):
    path = tmp_path / "cache.db"
    with LocalCache(path) as cache:
        cache.create_ticket({"description": "before the upgrade"}, "op1")
    ran = []

    def add_column(conn):
        ran.append("1.1")
        conn.exec_driver_sql("ALTER TABLE tickets ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0")

    monkeypatch.setattr(schema, "STEPS", schema.STEPS + (((1, 1), add_column),))
    monkeypatch.setattr(schema, "SCHEMA_MINOR", 1)
    with LocalCache(path) as cache:
        assert cache.count_tickets() == 1
    with LocalCache(path) as cache:
        pass
    assert ran == ["1.1"] and _version(path) == (1, 1)
