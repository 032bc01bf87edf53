"""Logging for the console: one named logger per subsystem, Qt's messages routed in, a ring buffer for diagnostics."""

from __future__ import annotations

import collections
import logging
import os
import threading
from dataclasses import dataclass

from PySide6.QtCore import QtMsgType, qInstallMessageHandler

# The subsystems; each module takes its logger from here so names stay consistent.
CONSOLE = "hotline.console"
SYNC = "hotline.sync"
QUEUE = "hotline.queue"
QT = "hotline.qt"
I18N = "hotline.i18n"

RING_CAPACITY = 2000


@dataclass(frozen=True)
class LogLine:
    created: float
    level: str
    logger: str
    message: str

    def text(self) -> str:
        import time

        stamp = time.strftime("%H:%M:%S", time.localtime(self.created))
        return f"{stamp} {self.level:<7} {self.logger}: {self.message}"


class RingBufferHandler(logging.Handler):
    """Keeps the last N log lines in memory so the diagnostics view can show them without reading files."""

    def __init__(self, capacity: int = RING_CAPACITY) -> None:
        super().__init__(level=logging.DEBUG)
        self._lines: collections.deque[LogLine] = collections.deque(maxlen=capacity)
        self._lock_lines = threading.Lock()
        self._listeners: list = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            if record.exc_info:
                message += "\n" + logging.Formatter().formatException(record.exc_info)
        except Exception:  # boundary: a broken log call (bad format arguments) must never break the console
            message = str(record.msg)
        line = LogLine(record.created, record.levelname, record.name, message)
        with self._lock_lines:
            self._lines.append(line)
            listeners = list(self._listeners)
        for listener in listeners:
            # Listeners may be called from any thread (the sync thread logs too); the diagnostics view
            # hands the line to the UI thread through a queued signal.
            try:
                listener(line)
            except Exception:  # boundary: a listener's failure must not stop logging; reported as logging does
                self.handleError(record)

    def lines(self) -> list[LogLine]:
        with self._lock_lines:
            return list(self._lines)

    def add_listener(self, listener) -> None:
        with self._lock_lines:
            self._listeners.append(listener)

    def remove_listener(self, listener) -> None:
        with self._lock_lines:
            if listener in self._listeners:
                self._listeners.remove(listener)


_ring: RingBufferHandler | None = None
_installed_lock = threading.Lock()

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


# Platform plugins without window-manager features (offscreen, some VNC setups) say so on every window; not news.
_QUIET_QT = ("This plugin does not support",)


def _qt_message_handler(msg_type, context, message) -> None:
    logger = logging.getLogger(QT)
    if msg_type == QtMsgType.QtWarningMsg and str(message).startswith(_QUIET_QT):
        logger.debug("%s", message)
        return
    where = ""
    if context is not None and getattr(context, "category", None) not in (None, "default"):
        where = f"[{context.category}] "
    logger.log(_QT_LEVELS.get(msg_type, logging.WARNING), "%s%s", where, message)


def ring_buffer() -> RingBufferHandler:
    """The process's ring buffer (created on first use, so the diagnostics view works even in tests)."""
    global _ring
    with _installed_lock:
        if _ring is None:
            _ring = RingBufferHandler()
            root = logging.getLogger("hotline")
            root.addHandler(_ring)
            if root.level == logging.NOTSET or root.level > logging.INFO:
                root.setLevel(logging.INFO)
        return _ring


def install_logging(level: int = logging.INFO, log_file=None) -> RingBufferHandler:
    """Called once at console start: ring buffer on the `hotline` loggers, Qt messages into logging, optional file."""
    ring = ring_buffer()
    root = logging.getLogger("hotline")
    root.setLevel(level)
    if log_file is not None and not any(isinstance(h, logging.FileHandler) for h in root.handlers):
        try:
            # Private like the cache: lines are scrubbed, but they still say who did what and when.
            os.close(os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
            mode = os.stat(log_file).st_mode & 0o777
            if mode & 0o077:
                os.chmod(log_file, mode & 0o700)
            handler = logging.FileHandler(log_file, encoding="utf-8")
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            root.addHandler(handler)
        except OSError as exc:  # a read-only home must not stop the console; the ring buffer still works
            root.warning("cannot write the log file %s: %s", log_file, exc)
    qInstallMessageHandler(_qt_message_handler)
    return ring


def uninstall_qt_message_handler() -> None:
    qInstallMessageHandler(None)
