"""Runs the sync engine on its own QThread and hands its news to the UI thread as Qt signals."""

from __future__ import annotations

import logging
import threading
from typing import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from console.log import SYNC

log = logging.getLogger(SYNC)


class _SyncWorker(QObject):
    """Lives on the sync thread; its callbacks run there and only emit signals (queued to the UI thread)."""

    stateChanged = Signal(object)
    changesArrived = Signal(object)
    modelArrived = Signal(object)
    finished = Signal()

    def __init__(self, make_engine, stop_event: threading.Event, ready: Callable) -> None:
        super().__init__()
        self._make_engine = make_engine
        self._stop_event = stop_event
        self._ready = ready

    @Slot()
    def run(self) -> None:
        try:
            # Built here, not on the UI thread: the HTTP client loads its certificates (a noticeable part of start).
            engine = self._make_engine(self)
            self._ready(engine)
            if not self._stop_event.is_set():
                engine.run(self._stop_event)  # closes its HTTP client when it ends
            else:
                engine.close()
        except Exception:  # the loop catches its own errors; this is a bug, logged so diagnostics shows it
            log.exception("the sync loop stopped unexpectedly")
        finally:
            self.finished.emit()


class SyncThread(QObject):
    """The console's sync adapter: start() once signed in, poke() after a local save, stop() on quit.

    Signals (always delivered on the UI thread): stateChanged(SyncState), changesArrived(domain.wire.ChangeSummary
    from LocalCache.apply_changes: ticket ids changed, revoked, ..., and `reset` on a full reload), modelArrived(Path),
    stopped().
    """

    stateChanged = Signal(object)
    changesArrived = Signal(object)
    modelArrived = Signal(object)
    stopped = Signal()

    def __init__(self, cache, server_url: str, token_provider: Callable[[], str | None], *, engine_factory=None,
                 parent=None, **engine_options) -> None:
        super().__init__(parent)
        self._cache = cache
        self._server_url = server_url
        self._token_provider = token_provider
        self._engine_factory = engine_factory
        self._engine_options = engine_options
        self._engine = None
        self._thread: QThread | None = None
        self._worker: _SyncWorker | None = None
        self._stop_event = threading.Event()
        self._engine_lock = threading.Lock()
        self._poke_pending = False
        self._last_state = None
        self.stateChanged.connect(self._remember_state)

    @property
    def server_url(self) -> str:
        return self._server_url

    @property
    def state(self):
        """The last state delivered to the UI thread (None before the first)."""
        return self._last_state

    @property
    def engine(self):
        return self._engine

    def _remember_state(self, state) -> None:
        self._last_state = state

    def _make_engine(self, worker: _SyncWorker):
        callbacks = dict(on_state=worker.stateChanged.emit, on_changes=worker.changesArrived.emit,
                         on_model=worker.modelArrived.emit)
        from storage.sync import SyncEngine

        factory = self._engine_factory or SyncEngine
        return factory(self._cache, self._server_url, self._token_provider, **callbacks, **self._engine_options)

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def start(self) -> None:
        if self.is_running():
            return
        self._stop_event = threading.Event()
        self._engine = None
        self._poke_pending = False
        thread = QThread()
        thread.setObjectName("sync")
        worker = _SyncWorker(self._make_engine, self._stop_event, self._engine_ready)
        worker.moveToThread(thread)
        queued = Qt.ConnectionType.QueuedConnection
        worker.stateChanged.connect(self.stateChanged, queued)
        worker.changesArrived.connect(self.changesArrived, queued)
        worker.modelArrived.connect(self.modelArrived, queued)
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.started.connect(worker.run)
        thread.finished.connect(self._on_thread_finished, queued)
        self._thread, self._worker = thread, worker
        thread.start()
        log.info("sync started against %s", self._server_url)

    def _engine_ready(self, engine) -> None:
        # Runs on the sync thread; a poke that came before the engine existed is passed on now.
        with self._engine_lock:
            self._engine = engine
            poke = self._poke_pending
        if poke:
            engine.poke()

    def poke(self) -> None:
        """A local save happened: send it now rather than at the next periodic sync."""
        with self._engine_lock:
            engine = self._engine
            if engine is None:
                self._poke_pending = True
        if engine is not None:
            engine.poke()

    def stop(self, timeout_ms: int = 10000) -> bool:
        """Ask the loop to end and wait for the thread (the loop checks often; requests have timeouts)."""
        thread = self._thread
        if thread is None:
            return True
        self._stop_event.set()
        self.poke()  # end a wait at once
        finished = thread.wait(timeout_ms)
        if not finished:
            log.warning("the sync thread did not stop within %d ms", timeout_ms)
            return False
        self._cleanup()
        return True

    def _on_thread_finished(self) -> None:
        if self._thread is not None and not self._thread.isRunning():
            self._cleanup()

    def _cleanup(self) -> None:
        # The thread has finished: dropping the Python references deletes both objects safely.
        self._thread = self._worker = None
        log.info("sync stopped")
        self.stopped.emit()
