"""The console's settings: typed keys declared once with defaults, stored in an INI file under HOTLINE_HOME."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QSettings
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from console.actions import ACTION_SPECS, conflicts, translated

SETTINGS_VERSION = 1


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    kind: type


# Every setting the console knows; the default is what a new workstation gets.
SESSION_SERVER = Setting("session/server_url", "", str)
SESSION_TOKEN = Setting("session/token", "", str)
SESSION_USER = Setting("session/username", "", str)
SESSION_ROLE = Setting("session/role", "", str)
SESSION_UNIT = Setting("session/unit_code", "", str)
HOTKEY_COMBO = Setting("hotkey/combo", "ctrl+alt+a", str)
HOTKEY_NOTICE_SHOWN = Setting("hotkey/notice_shown", False, bool)
LANGUAGE = Setting("ui/language", "zh_CN", str)
SHORTCUT_GROUP = "shortcuts"  # only the operator's overrides live here, keyed by action id


def settings_path(home: Path) -> Path:
    return home / "settings.ini"


class ConsoleSettings:
    """A thin typed layer over QSettings; one instance per console, passed down from the composition root."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._qs = QSettings(str(settings_path(home)), QSettings.Format.IniFormat)
        self._upgrade()

    def _upgrade(self) -> None:
        # Versioned so a later release can rename or convert keys once, here, and nowhere else.
        version = int(self._qs.value("meta/version", 0) or 0)
        if version < SETTINGS_VERSION:
            self._qs.setValue("meta/version", SETTINGS_VERSION)
            self._qs.sync()

    def get(self, setting: Setting) -> Any:
        raw = self._qs.value(setting.key, setting.default)
        if setting.kind is bool:
            return raw if isinstance(raw, bool) else str(raw).lower() in ("1", "true", "yes")
        if raw is None:
            return setting.default
        return setting.kind(raw)

    def set(self, setting: Setting, value: Any) -> None:
        self._qs.setValue(setting.key, value)
        self._qs.sync()

    # The session survives a restart: the console can start offline with the last account.
    def session(self) -> dict | None:
        token, user = self.get(SESSION_TOKEN), self.get(SESSION_USER)
        if not user:
            return None
        return {
            "server_url": self.get(SESSION_SERVER),
            "token": token,
            "username": user,
            "role": self.get(SESSION_ROLE) or "operator",
            "unit_code": self.get(SESSION_UNIT) or None,
        }

    def save_session(self, server_url: str, token: str, username: str, role: str, unit_code: str | None) -> None:
        for setting, value in (
            (SESSION_SERVER, server_url),
            (SESSION_TOKEN, token),
            (SESSION_USER, username),
            (SESSION_ROLE, role),
            (SESSION_UNIT, unit_code or ""),
        ):
            self._qs.setValue(setting.key, value)
        self._qs.sync()

    def forget_token(self) -> None:
        """On sign-out or a refused token: the account name stays so the sign-in screen can offer it."""
        self._qs.setValue(SESSION_TOKEN.key, "")
        self._qs.sync()

    def shortcut_overrides(self) -> dict[str, str]:
        self._qs.beginGroup(SHORTCUT_GROUP)
        try:
            return {key: str(self._qs.value(key) or "") for key in self._qs.childKeys()}
        finally:
            self._qs.endGroup()

    def set_shortcut_overrides(self, overrides: dict[str, str]) -> None:
        self._qs.remove(SHORTCUT_GROUP)
        self._qs.beginGroup(SHORTCUT_GROUP)
        for key, value in overrides.items():
            self._qs.setValue(key, value)
        self._qs.endGroup()
        self._qs.sync()


class ShortcutSettingsDialog(QDialog):
    """Change any shortcut; only changes from the defaults are stored; a key may do only one thing."""

    def __init__(self, registry, settings: ConsoleSettings, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutSettings")
        self._registry = registry
        self._settings = settings
        layout = QVBoxLayout(self)
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        layout.addWidget(self._intro)
        self.table = QTableWidget(len(ACTION_SPECS), 2)
        self.table.setObjectName("shortcutEditor")
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.editors = {}
        for row, spec in enumerate(ACTION_SPECS):
            self.table.setItem(row, 0, QTableWidgetItem())
            keys = registry.shortcuts(spec.id)
            editor = QKeySequenceEdit(QKeySequence(keys[0]) if keys else QKeySequence())
            editor.setObjectName(f"keys_{spec.id.value}")
            self.table.setCellWidget(row, 1, editor)
            self.editors[spec.id] = editor
        layout.addWidget(self.table)
        self.problem = QLabel()
        self.problem.setObjectName("shortcutProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        layout.addWidget(self.problem)
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self._defaults = QPushButton()
        self._buttons.addButton(self._defaults, QDialogButtonBox.ButtonRole.ResetRole)
        self._defaults.clicked.connect(self.reset_defaults)
        self._buttons.accepted.connect(self.save)
        self._buttons.rejected.connect(self.reject)
        layout.addWidget(self._buttons)
        self.resize(560, 680)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Settings: shortcuts"))
        self._intro.setText(self.tr("Click a key field and press the new key. Only your changes are stored."))
        self.table.setHorizontalHeaderLabels([self.tr("What it does"), self.tr("Key")])
        self._defaults.setText(self.tr("Restore defaults"))
        for row, spec in enumerate(ACTION_SPECS):
            self.table.item(row, 0).setText(translated(spec.text))

    def changeEvent(self, event):  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def chosen(self) -> dict:
        result = {}
        for spec in ACTION_SPECS:
            text = self.editors[spec.id].keySequence().toString(QKeySequence.SequenceFormat.PortableText)
            current = self._registry.shortcuts(spec.id)
            if current and QKeySequence(current[0]).toString(QKeySequence.SequenceFormat.PortableText) == text:
                result[spec.id] = current  # unchanged: keep its alternates (e.g. keypad Enter)
            else:
                result[spec.id] = (text,) if text else ()
        return result

    def reset_defaults(self) -> None:
        for spec in ACTION_SPECS:
            self.editors[spec.id].setKeySequence(QKeySequence(spec.shortcuts[0]) if spec.shortcuts else QKeySequence())

    def save(self) -> None:
        chosen = self.chosen()
        clash = conflicts(chosen)
        if clash:
            key, ids = next(iter(clash.items()))
            names = " / ".join(translated(next(s.text for s in ACTION_SPECS if s.id == i)) for i in ids)
            self.problem.setText(self.tr("%1 is given to more than one action (%2): give each its own key.")
                                 .replace("%1", key).replace("%2", names))
            return
        overrides = self._registry.set_shortcuts(chosen)
        self._settings.set_shortcut_overrides(overrides)
        self.accept()
