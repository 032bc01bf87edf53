"""Shared test helpers: waiting on conditions (never sleeping) and throwaway PostgreSQL databases."""

from __future__ import annotations

import os
import time
import uuid
from contextlib import contextmanager
from typing import Callable, Iterator

import pytest

PG_ADMIN_URL = os.environ.get("HOTLINE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def wait_until(condition: Callable[[], object], timeout: float = 10.0, interval: float = 0.02, message: str = "") -> object:
    """Poll `condition` until it returns something truthy; fail the test after `timeout` seconds.

    For waiting on another process or thread, where no signal exists to wait on.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(message or f"condition not met within {timeout} s")
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
    import psycopg

    require_postgres()
    name = f"hotline_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
