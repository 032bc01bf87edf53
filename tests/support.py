"""Shared test helpers: waiting on conditions (never sleeping) and throwaway PostgreSQL databases."""

from __future__ import annotations

import os
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import pytest

PG_ADMIN_URL = os.environ.get("HOTLINE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def wait_until(condition: Callable[[], object], timeout: float = 10.0, interval: float = 0.02, message: str = "") -> object:
    """Poll `condition` until it returns something truthy; fail the test after `timeout` seconds.

    For waiting on another process or thread, where no signal exists to wait on.
    """
    result = poll_until(condition, timeout, interval)
    if not result:
        pytest.fail(message or f"condition not met within {timeout} s")
    return result


def poll_until(condition: Callable[[], object], timeout: float = 10.0, interval: float = 0.02) -> object:
    """Poll `condition` until it returns something truthy and return that; after `timeout` seconds return the
    last (falsy) answer. The plain form of wait_until, for benchmarks that report a miss rather than fail."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(interval)  # a poll interval, not a fixed wait: the loop ends as soon as the condition holds


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:
        return False


def require_postgres() -> None:
    """Skip outside CI when there is no PostgreSQL; in CI the tests must run, so fail instead."""
    if postgres_available():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is required in CI and is not reachable at {PG_ADMIN_URL}")
    pytest.skip("PostgreSQL not reachable (set HOTLINE_TEST_PG); these tests run in CI")


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty database for one test; yields its SQLAlchemy URL and drops it afterwards."""
    require_postgres()
    with postgres_database() as url:
        yield url


@contextmanager
def server_database(kind: str, folder: Path) -> Iterator[str]:
    """A throwaway service database, "sqlite" (a file in `folder`) or "postgres"; yields its SQLAlchemy URL."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'server.db'}"
    else:
        with fresh_postgres_database() as url:
            yield url


@contextmanager
def postgres_database(prefix: str = "hotline_t_") -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards; no pytest involved (benchmarks use it too)."""
    import psycopg

    name = f"{prefix}{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
