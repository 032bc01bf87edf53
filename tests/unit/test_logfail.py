"""The error-log check: an error a test did not expect fails it, one it announced with caplog does not."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

from tests.helpers.logfail import LogFailHandler, describe

log = logging.getLogger("hotline.test.logfail")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.logfail_off
def test_an_unexpected_error_is_reported(fail_on_logged_error):
    try:
        raise ValueError("broken on purpose")
    except ValueError:
        log.exception("could not do the thing")
    records = fail_on_logged_error.take()
    assert [r.getMessage() for r in records] == ["could not do the thing"]
    assert "ValueError: broken on purpose" in describe(records)


@pytest.mark.logfail_off
def test_an_error_from_another_thread_is_reported(fail_on_logged_error):
    worker = threading.Thread(target=lambda: log.error("the sync thread failed"))
    worker.start()
    worker.join()
    assert [r.getMessage() for r in fail_on_logged_error.take()] == ["the sync thread failed"]


@pytest.mark.logfail_off
def test_warnings_are_not_errors(fail_on_logged_error):
    log.warning("the server is slow")
    assert fail_on_logged_error.take() == []


def test_an_expected_error_passes(caplog):
    with caplog.at_level(logging.ERROR, logger="hotline.test"):  # a parent logger covers its children
        log.error("expected: the test provokes it")
    assert "expected: the test provokes it" in caplog.text


def test_the_fixture_fails_the_test_at_teardown(pytester, monkeypatch):
    """The project's own autouse fixture, run in a separate pytest: the unexpected error errors its test."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeconftest("from tests.conftest import fail_on_logged_error, pytest_configure  # noqa: F401\n")
    pytester.makepyfile('''
import logging

def test_logs_an_error():
    logging.getLogger("x").error("boom")

def test_expects_an_error(caplog):
    with caplog.at_level(logging.ERROR, logger="x"):
        logging.getLogger("x").error("boom")

def test_logs_nothing():
    pass
''')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*the test logged errors it did not expect*", "*x ERROR: boom*"])


def test_a_record_below_the_threshold_is_ignored():
    handler = LogFailHandler()
    handler.handle(logging.LogRecord("x", logging.WARNING, __file__, 1, "slow", None, None))
    assert handler.take() == []
