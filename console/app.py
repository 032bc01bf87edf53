"""Composition root: builds the AppContext, signs in, opens the main window and starts the background parts."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QDialog

from console.context import AppContext, build_context
from console.hotkey import GlobalHotkey
from console.screen_pop import ScreenPopServer
from console.settings import HOTKEY_COMBO, LANGUAGE
from console.signin import SignInDialog

log = logging.getLogger("hotline.console")


class Console(QObject):
    """One running console: context, window, sync, screen-pop listener and global hotkey, started and stopped together."""

    def __init__(self, server_url: str, embedded: bool, home: Path | None = None, *, suggester=None,
                 hotkey_backend=None, engine_options: dict | None = None, context: AppContext | None = None) -> None:
        super().__init__()
        self.ctx = context or build_context(server_url, embedded, home, suggester=suggester)
        self.window = None
        self.screen_pop = ScreenPopServer(self.ctx.home, self)
        self.hotkey = GlobalHotkey(self, backend=hotkey_backend)
        self._engine_options = engine_options or {}
        self._signin_dialog = None
        self._shut_down = False

    def sign_in_interactively(self, parent=None) -> bool:
        """The sign-in screen (modal, before the window); True once signed in or choosing to work offline."""
        last = self.ctx.session.username if self.ctx.session else ""
        dialog = SignInDialog(self.ctx.server_url, embedded=self.ctx.embedded, last_username=last,
                              can_work_offline=bool(last), parent=parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        if dialog.session is not None:
            self.ctx.sign_in(dialog.session)
        return True

    def start(self, show: bool = True):
        """Open the window; sync, screen-pop and hotkey start after it so the first frame is not kept waiting."""
        from console.main_window import MainWindow

        self.window = MainWindow(self.ctx)
        self.ctx.taxonomyChanged.connect(self._on_taxonomy)
        self.ctx.start_sync(**self._engine_options)
        self.window.connect_sync()
        if self.ctx.sync is not None:
            self.ctx.sync.stateChanged.connect(self._on_sync_state)
        if self.ctx.suggester is None:
            self.ctx.load_suggester_async()
        try:
            self.screen_pop.start()
        except OSError as exc:  # the console still works by F2; the phone system cannot pop it
            log.warning("screen-pop listener not started: %s", exc)
            self.window.show_message(self.window.tr("Incoming calls cannot pop the console: %1").replace("%1", str(exc)))
        self.screen_pop.callArrived.connect(self.window.take_call)
        self.hotkey.pressed.connect(lambda: self.window.take_call(""))
        if show:
            self.window.show()
        status = self.hotkey.register(self.ctx.settings.get(HOTKEY_COMBO))
        if not status.registered:
            self.window.notify_hotkey_unavailable(status.reason)
        return self.window

    def _on_taxonomy(self, taxonomy) -> None:
        """The service's catalogue arrived: the form's names, checks and routing preview use it from now on."""
        if self.window is not None:
            self.window.form.taxonomy = taxonomy

    def _on_sync_state(self, state) -> None:
        """A refused token (expired, revoked): ask to sign in again without stopping the work in the form."""
        if getattr(state, "signed_in", True) or self._signin_dialog is not None or self.window is None:
            return
        if not self.ctx.token():
            return  # the operator chose to work offline: the status bar says so, no nagging
        last = self.ctx.session.username if self.ctx.session else ""
        dialog = SignInDialog(self.ctx.server_url, embedded=self.ctx.embedded, last_username=last, parent=self.window)
        self._signin_dialog = dialog

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted and dialog.session is not None:
                self.ctx.sign_in(dialog.session)
            else:
                self.ctx.sign_out()  # keep working offline; asked again only after signing in
            self._signin_dialog = None

        dialog.finished.connect(done)
        dialog.open()

    def shutdown(self) -> None:
        if self._shut_down:
            return
        self._shut_down = True
        self.hotkey.unregister()
        self.screen_pop.stop()
        if self.window is not None:
            self.window.intake.save_draft_now()
        self.ctx.close()


def open_console(server_url: str, embedded: bool, home: Path | None = None, *, ask=None, log_path: Path | None = None,
                 **console_options) -> Console | None:
    """A Console with its cache open and writable; None when the person chose to quit.

    A cache that cannot be used (damaged, from a newer console, read-only, locked, the disk full) is told in a
    dialog that says what to do, and logged with its details; nothing in the cache is deleted (a damaged one
    is only set aside on request). Anything else is a bug: logged, then raised.
    """
    from domain.home import hotline_home
    from storage.cache import CACHE_FILE
    from storage.db import probe_writable, set_aside
    from storage.errors import classify

    if ask is None:
        from console.cache_problem import ask_about_cache_problem as ask
    while True:
        console = None
        cache_path = Path(home or ".") / CACHE_FILE
        try:
            folder = Path(home) if home is not None else hotline_home()
            cache_path = folder / CACHE_FILE
            console = Console(server_url, embedded, folder, **console_options)
            probe_writable(cache_path)  # a read-only or locked store is told now, not at the first save of a call
            return console
        except Exception as exc:
            problem = classify(exc)
            if console is not None:
                console.ctx.close()
            if problem is None:
                log.exception("the console could not start")
                raise
            if home is None and isinstance(exc, OSError) and exc.filename:
                cache_path = Path(exc.filename) / CACHE_FILE  # the data folder itself could not be reached
            log.error("the local cache %s cannot be used (%s): %s", cache_path, problem.kind,
                      problem.detail or problem.message, exc_info=exc)
        from console.cache_problem import QUIT, SET_ASIDE

        choice = ask(problem, cache_path, log_path)
        log.info("cache problem %s: the person chose %s", problem.kind, choice)
        if choice == QUIT:
            return None
        if choice == SET_ASIDE:
            try:
                set_aside(cache_path, problem.kind)
            except OSError as error:  # the folder itself is the problem: the next round says so
                log.error("the local cache %s could not be set aside: %s", cache_path, error)


def _install_language(app, settings) -> None:
    from console.i18n import install_language

    install_language(app, settings.get(LANGUAGE))


def run_console(server_url: str, embedded: bool) -> int:
    """`hotline` / `hotline console --server URL`: returns the process exit code."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Hotline console")
    log_path = None
    try:
        from console.log import install_logging
        from domain.home import hotline_home

        log_path = hotline_home() / "console.log"
        install_logging(log_file=log_path)
        if not log_path.exists():
            log_path = None  # not writable: the dialog must not point at a log that is not there
    except OSError:  # no home folder or log file can be made: log to the terminal only
        logging.basicConfig(level=logging.INFO)
    console = open_console(server_url, embedded, log_path=log_path)
    if console is None:
        return 1
    _install_language(app, console.ctx.settings)
    session = console.ctx.session
    if session is None or not session.token:
        if not console.sign_in_interactively():
            console.ctx.close()
            return 0
    _quit_on_signals(app)
    try:
        console.start()
        return app.exec()
    finally:
        console.shutdown()


def _quit_on_signals(app) -> None:
    """SIGTERM / Ctrl+C (a workstation shutting down) end the console the orderly way: the draft is kept."""
    import signal

    from PySide6.QtCore import QTimer

    def stop(_signum, _frame) -> None:
        app.quit()

    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            signal.signal(signum, stop)
        except (ValueError, OSError):  # not the main thread, or a platform without it
            return
    # Python runs signal handlers only when it gets control; a slow idle timer gives it that while Qt waits.
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(300)
