"""Fails a test that logs an error it did not expect: a bug must not pass as a log line.

A test that expects an error says so with `caplog.at_level(logging.ERROR[, logger])`, which sets that
logger's level to the record's level (the sign used below). Records are collected from every thread
(the embedded service, the sync thread) and judged when the test ends, since failing inside another
thread would only kill that thread.
"""

from __future__ import annotations

import logging
import threading


class LogFailHandler(logging.Handler):
    """Collects records at ERROR or above that no `caplog.at_level` asked for."""

    def __init__(self, min_level: int = logging.ERROR):
        super().__init__(logging.NOTSET)
        self.min_level = min_level
        self.unexpected: list[logging.LogRecord] = []
        self._lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < self.min_level:
            return
        if _expected(record):
            return
        with self._lock:
            self.unexpected.append(record)

    def take(self) -> list[logging.LogRecord]:
        with self._lock:
            records, self.unexpected = self.unexpected, []
        return records


def _expected(record: logging.LogRecord) -> bool:
    """Whether `caplog.at_level(ERROR-or-above, logger)` is in force for the record's logger or an ancestor.

    A level at or above the error threshold and at most the record's own is never set by the project's code,
    only by a test saying it expects errors there (children of that logger included)."""
    logger: logging.Logger | None = logging.getLogger(record.name)
    while logger is not None:
        if logging.ERROR <= logger.level <= record.levelno:
            return True
        logger = logger.parent if logger.propagate else None
    return False


def describe(records: list[logging.LogRecord]) -> str:
    lines = []
    for record in records[:5]:
        lines.append(f"{record.name} {record.levelname}: {record.getMessage()}")
        if record.exc_info and record.exc_info[1] is not None:
            lines.append(f"    {type(record.exc_info[1]).__name__}: {record.exc_info[1]}")
    more = f"\n(+{len(records) - 5} more)" if len(records) > 5 else ""
    return "\n".join(lines) + more
