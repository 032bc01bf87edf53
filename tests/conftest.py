"""Fixtures every test may use: a private HOTLINE_HOME and the two server databases."""

from __future__ import annotations

import os

import pytest

# Console tests drive real widgets without a screen, however pytest is started.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Consoles signed in by tests keep their token in a keyring: never the developer's real one.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from tests.support import fresh_postgres_database, server_database


@pytest.fixture(autouse=True)
def hotline_home(tmp_path, monkeypatch):
    """Every test gets its own HOTLINE_HOME so no state leaks between tests or into the user's."""
    home = tmp_path / "hotline-home"
    home.mkdir()
    monkeypatch.setenv("HOTLINE_HOME", str(home))
    return home


@pytest.fixture
def postgres_url():
    """A fresh PostgreSQL database URL (SQLAlchemy form); skipped locally without PostgreSQL, fails in CI."""
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'server.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server_db_url(request, tmp_path):
    """Runs a test once on SQLite and once on PostgreSQL."""
    with server_database(request.param, tmp_path) as url:
        yield url
