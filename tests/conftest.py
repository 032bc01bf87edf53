"""Fixtures every test may use: a private HOTLINE_HOME, the two server databases, and failing on logged errors."""

from __future__ import annotations

import logging
import os

import pytest

# Console tests drive real widgets without a screen, however pytest is started.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Consoles signed in by tests keep their token in a keyring: never the developer's real one.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from tests.helpers.logfail import LogFailHandler, describe
from tests.support import fresh_postgres_database, server_database

pytest_plugins = ["pytester"]  # the error-log check's own tests run a pytest of their own


def pytest_configure(config):
    config.addinivalue_line("markers", "logfail_off: the error-log check does not fail this test (its own tests)")


@pytest.fixture(autouse=True)
def hotline_home(tmp_path, monkeypatch):
    """Every test gets its own HOTLINE_HOME so no state leaks between tests or into the user's."""
    home = tmp_path / "hotline-home"
    home.mkdir()
    monkeypatch.setenv("HOTLINE_HOME", str(home))
    # A service started by a test (in a thread or as a process) keeps no model: building starter models in
    # the background would swap a test's model mid-test and cost minutes of CPU. Tests of the keeper say "on".
    monkeypatch.setenv("HOTLINE_MODEL_KEEPER", "off")
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


@pytest.fixture(autouse=True)
def fail_on_logged_error(request):
    """Fails a test that logged an error it did not expect (see tests/helpers/logfail.py).

    A test that expects one says so with `caplog.at_level(logging.ERROR, logger=...)`; the fixture's own tests
    opt out with the `logfail_off` marker to look at what it would have reported."""
    handler = LogFailHandler()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
    records = handler.take()
    if records and not request.node.get_closest_marker("logfail_off"):
        pytest.fail(f"the test logged errors it did not expect:\n{describe(records)}", pytrace=False)
