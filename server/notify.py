"""Pokes: wake long-polls and SSE streams when the change feed grows, across processes on PostgreSQL.

In one process a ChangeNotifier holds the newest change number and wakes asyncio waiters. On
PostgreSQL every writing transaction calls pg_notify (delivered at commit); a listener thread per
process LISTENs and feeds the notifier, so a push to one server process pokes consoles on all.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

log = logging.getLogger("hotline.server.notify")


class ChangeNotifier:
    def __init__(self, latest: int = 0):
        self._lock = threading.Lock()
        self.latest = latest
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    def publish(self, seq: int | None) -> None:
        """Called from any thread once a change numbered `seq` is committed."""
        if seq is None:
            return
        with self._lock:
            if seq <= self.latest:
                return
            self.latest = seq
            waiters = list(self._waiters)
        for loop, event in waiters:
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # that loop has closed: its waiter is gone
                pass

    async def wait_newer(self, than: int, timeout: float) -> bool:
        """True as soon as a change newer than `than` is known; False after `timeout` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, timeout)
        while True:
            event = asyncio.Event()
            item = (loop, event)
            with self._lock:
                if self.latest > than:
                    return True
                self._waiters.add(item)
            try:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return False
                try:
                    await asyncio.wait_for(event.wait(), remaining)
                except (asyncio.TimeoutError, TimeoutError):
                    return self.latest > than
            finally:
                with self._lock:
                    self._waiters.discard(item)


class PostgresListener:
    """LISTEN on the change channel in a thread of its own; reconnects with backoff if the database goes."""

    def __init__(self, engine: Engine, notifier: ChangeNotifier, channel: str):
        self.url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.engine = engine
        self.notifier = notifier
        self.channel = channel
        self._stop = threading.Event()
        self.listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hotline-pg-listener", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        from server.sync import latest_seq

        backoff = 0.5
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {self.channel}")
                    self.listening.set()
                    backoff = 0.5
                    # Anything committed while we were not listening.
                    self.notifier.publish(latest_seq(self.engine))
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            try:
                                self.notifier.publish(int(note.payload))
                            except ValueError:
                                pass
            except Exception as exc:  # boundary of the listener thread: it keeps trying; a bug is logged in full
                self.listening.clear()
                if self._stop.is_set():
                    break
                expected = isinstance(exc, (psycopg.Error, DBAPIError, OSError))  # database down or restarted
                log.warning("change listener lost the database; retrying", extra={"error": type(exc).__name__},
                            exc_info=None if expected else exc)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 10.0)
        self.listening.clear()


def wait_seconds(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())
