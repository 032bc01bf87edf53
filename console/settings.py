"""The console's settings: typed keys declared once with defaults, stored in an INI file under HOTLINE_HOME."""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from storage.db import tighten_mode

log = logging.getLogger("hotline.console")

# 2: the session token left settings.ini for the OS keyring (or a private file), see TokenStore.
SETTINGS_VERSION = 2
PRIVATE_FILE_MODE = 0o600
KEYRING_SERVICE = "hotline-console"
TOKEN_FILE = "session.token"


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    kind: type


# Every setting the console knows; the default is what a new workstation gets.
SESSION_SERVER = Setting("session/server_url", "", str)
SESSION_TOKEN = Setting("session/token", "", str)  # only read to move an old plain-text token out of the file
SESSION_USER = Setting("session/username", "", str)
SESSION_ROLE = Setting("session/role", "", str)
SESSION_UNIT = Setting("session/unit_code", "", str)
HOTKEY_COMBO = Setting("hotkey/combo", "ctrl+alt+a", str)
HOTKEY_NOTICE_SHOWN = Setting("hotkey/notice_shown", False, bool)
LANGUAGE = Setting("ui/language", "zh_CN", str)
SHORTCUT_GROUP = "shortcuts"  # only the operator's overrides live here, keyed by action id


def settings_path(home: Path) -> Path:
    return home / "settings.ini"


make_private = tighten_mode  # settings.ini and the token file: the same rule as the cache's files


class TokenStore:
    """Where the session token rests: the OS keyring when there is a working one, otherwise a 0600 file.

    Never settings.ini. The keyring entry is per HOTLINE_HOME, so two homes on one account do not mix.
    Keyring backends differ in what they raise (D-Bus, a locked or absent store), and one (the null
    backend) silently keeps nothing, so a save is read back before the file is given up.
    """

    def __init__(self, home: Path) -> None:
        self.home = home
        self.file = home / TOKEN_FILE
        self.account = f"session@{home.resolve()}"
        self.where = ""  # "keyring" or "file" after a save: for the diagnostics and the tests

    def _keyring(self):
        import keyring  # on first use only: its backend discovery costs start-up time

        return keyring

    def save(self, token: str) -> str:
        if not token:
            self.forget()
            return ""
        try:
            kr = self._keyring()
            kr.set_password(KEYRING_SERVICE, self.account, token)
            if kr.get_password(KEYRING_SERVICE, self.account) == token:
                self._remove_file()
                self.where = "keyring"
                return self.where
            log.info("the OS keyring did not keep the session token; keeping it in a private file")
        except Exception as exc:  # noqa: BLE001 - boundary: any failure of the OS keyring's backend means the private file
            log.info("no usable OS keyring (%s); keeping the session token in a private file", type(exc).__name__)
        self._write_file(token)
        self.where = "file"
        return self.where

    def load(self) -> str:
        try:
            token = self._keyring().get_password(KEYRING_SERVICE, self.account)
            if token:
                return token
        except Exception as exc:  # noqa: BLE001 - boundary: see save()
            log.debug("OS keyring not readable (%s)", type(exc).__name__)
        try:
            return self.file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return ""
        except OSError as exc:
            log.warning("the session token file cannot be read: %s", exc)
            return ""

    def forget(self) -> None:
        try:
            kr = self._keyring()
            if kr.get_password(KEYRING_SERVICE, self.account) is not None:
                kr.delete_password(KEYRING_SERVICE, self.account)
        except Exception as exc:  # noqa: BLE001 - boundary: see save()
            log.debug("OS keyring not cleared (%s)", type(exc).__name__)
        self._remove_file()

    def _write_file(self, token: str) -> None:
        # Created 0600 before the token is written (never a moment readable by others), then moved into place.
        fd, tmp = tempfile.mkstemp(prefix=".token-", dir=self.home)  # mkstemp creates files 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(token)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        make_private(self.file)

    def _remove_file(self) -> None:
        try:
            self.file.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("the old session token file cannot be removed: %s", exc)


class ConsoleSettings:
    """A thin typed layer over QSettings; one instance per console, passed down from the composition root."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.path = settings_path(home)
        self._create_private()
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)
        self.tokens = TokenStore(home)
        self._upgrade()

    def _create_private(self) -> None:
        """settings.ini is created 0600 (it names the account and the service), and tightened if it was not."""
        try:
            self.home.mkdir(parents=True, exist_ok=True)
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE_MODE))
        except OSError as exc:  # read-only home: QSettings then keeps settings in memory only
            log.warning("settings file %s not writable: %s", self.path, exc)
        make_private(self.path)

    def _sync(self) -> None:
        self._qs.sync()
        make_private(self.path)  # QSettings writes a new file and renames it over the old one

    def _upgrade(self) -> None:
        # Versioned so a later release can rename or convert keys once, here, and nowhere else.
        version = int(self._qs.value("meta/version", 0) or 0)
        if version < SETTINGS_VERSION:
            if version < 2:
                plain = str(self._qs.value(SESSION_TOKEN.key, "") or "")
                if plain:  # an older console kept it in plain text: moved out, then wiped from the file
                    self.tokens.save(plain)
                self._qs.remove(SESSION_TOKEN.key)
            self._qs.setValue("meta/version", SETTINGS_VERSION)
            self._sync()

    def get(self, setting: Setting) -> Any:
        raw = self._qs.value(setting.key, setting.default)
        if setting.kind is bool:
            return raw if isinstance(raw, bool) else str(raw).lower() in ("1", "true", "yes")
        if raw is None:
            return setting.default
        return setting.kind(raw)

    def set(self, setting: Setting, value: Any) -> None:
        if setting is SESSION_TOKEN:
            raise ValueError("the session token is kept by TokenStore, never in settings.ini")
        self._qs.setValue(setting.key, value)
        self._sync()

    # The session survives a restart: the console can start offline with the last account.
    def session(self) -> dict | None:
        user = self.get(SESSION_USER)
        if not user:
            return None
        token = self.tokens.load()
        return {
            "server_url": self.get(SESSION_SERVER),
            "token": token,
            "username": user,
            "role": self.get(SESSION_ROLE) or "operator",
            "unit_code": self.get(SESSION_UNIT) or None,
        }

    def save_session(self, server_url: str, token: str, username: str, role: str, unit_code: str | None) -> None:
        self.tokens.save(token)
        for setting, value in (
            (SESSION_SERVER, server_url),
            (SESSION_USER, username),
            (SESSION_ROLE, role),
            (SESSION_UNIT, unit_code or ""),
        ):
            self._qs.setValue(setting.key, value)
        self._sync()

    def forget_token(self) -> None:
        """On sign-out or a refused token: the account name stays so the sign-in screen can offer it."""
        self.tokens.forget()

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
        self._sync()
