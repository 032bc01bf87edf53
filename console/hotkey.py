"""The global "answer / bring the console forward" hotkey, where the platform allows one.

The `keyboard` package needs root and /dev/input on Linux, cannot work under Wayland and calls back on its
own thread; so it is imported lazily, every failure is caught and turned into a reason in plain words, and
its events reach Qt only through a queued signal. The console never asks for root: without the global
hotkey it works with its own shortcuts.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, Signal

log = logging.getLogger("hotline.console.hotkey")


@dataclass(frozen=True)
class HotkeyStatus:
    registered: bool
    reason: str = ""  # why not, in the operator's words (English source, translated in context "Hotkey" when shown)


def _platform_refusal() -> str | None:
    """Reasons known before trying, so nothing is touched that would need rights we do not want."""
    if sys.platform.startswith("linux"):
        if os.environ.get("WAYLAND_DISPLAY") or os.environ.get("XDG_SESSION_TYPE", "").lower() == "wayland":
            return QT_TRANSLATE_NOOP("Hotkey", "Global hotkeys cannot work under Wayland.")
        if not os.path.isdir("/dev/input"):
            return QT_TRANSLATE_NOOP("Hotkey", "This computer has no input devices the hotkey could listen to.")
        if hasattr(os, "geteuid") and os.geteuid() != 0:
            return QT_TRANSLATE_NOOP("Hotkey", "On Linux a global hotkey needs administrator rights, and the console does not run with them.")
    return None


class GlobalHotkey(QObject):
    """Registers one system-wide hotkey; `pressed` is emitted on the UI thread."""

    pressed = Signal()
    _fired = Signal()  # emitted on the keyboard package's thread; queued across to ours

    def __init__(self, parent: QObject | None = None, backend=None) -> None:
        super().__init__(parent)
        self._backend = backend  # a test may hand in a stand-in with add_hotkey/remove_hotkey
        self._handle = None
        self._fired.connect(self.pressed.emit, Qt.ConnectionType.QueuedConnection)
        self.status = HotkeyStatus(False, "not registered yet")

    def register(self, combo: str) -> HotkeyStatus:
        self.unregister()
        backend = self._backend
        if backend is None:
            refusal = _platform_refusal()
            if refusal:
                self.status = HotkeyStatus(False, refusal)
                log.info("global hotkey off: %s", refusal)
                return self.status
            try:
                import keyboard as backend  # lazily: importing it may already fail without rights
            except Exception as exc:  # boundary: a third-party package probing the OS (ImportError "You must be root", OSError, ...); any failure means no hotkey, said in the status
                return self._failed(exc)
        try:
            # The callback runs on the package's own thread: only emit a signal there.
            self._handle = backend.add_hotkey(combo, self._fired.emit)
        except Exception as exc:  # boundary: as above, the package's own OS hooks may fail in any way
            return self._failed(exc)
        self._backend_in_use = backend
        self.status = HotkeyStatus(True)
        log.info("global hotkey %s registered", combo)
        return self.status

    def _failed(self, exc: Exception) -> HotkeyStatus:
        text = str(exc).lower()
        if "root" in text or "permission" in text or isinstance(exc, PermissionError):
            reason = QT_TRANSLATE_NOOP("Hotkey", "The global hotkey needs rights the console does not take.")
        elif "input" in text or "device" in text or isinstance(exc, (FileNotFoundError, OSError)):
            reason = QT_TRANSLATE_NOOP("Hotkey", "No input devices are available for a global hotkey.")
        else:
            reason = QT_TRANSLATE_NOOP("Hotkey", "The system did not allow a global hotkey.")
        log.info("global hotkey off: %s (%s: %s)", reason, type(exc).__name__, exc)
        self.status = HotkeyStatus(False, reason)
        return self.status

    def unregister(self) -> None:
        if self._handle is None:
            return
        try:
            self._backend_in_use.remove_hotkey(self._handle)
        except Exception:  # already gone with its thread: nothing to undo
            log.debug("removing the global hotkey failed", exc_info=True)
        self._handle = None
