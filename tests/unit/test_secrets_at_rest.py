"""Secrets at rest: the session token in the OS keyring or a 0600 file, never in settings.ini; cache and settings 0600."""

from __future__ import annotations

import logging
import os
import stat

import keyring
import keyring.backends.fail
import keyring.backends.null
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from console.settings import LANGUAGE, SESSION_TOKEN, ConsoleSettings
from storage.cache import LocalCache

TOKEN = "tok-2f9c1e7a-secret-value"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; Windows relies on profile ACLs")


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in this test only: the real one of the machine is never touched."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def use_keyring():
    before = keyring.get_keyring()

    def use(backend):
        keyring.set_keyring(backend)
        return backend

    yield use
    keyring.set_keyring(before)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def save(home) -> ConsoleSettings:
    settings = ConsoleSettings(home)
    settings.set(LANGUAGE, "en")
    settings.save_session("https://hotline.example:8345", TOKEN, "op1", "operator", None)
    return settings


def test_token_goes_to_the_os_keyring(tmp_path, use_keyring):
    ring = use_keyring(MemoryKeyring())
    settings = save(tmp_path)
    assert settings.tokens.where == "keyring"
    assert TOKEN in ring.items.values()
    assert TOKEN not in (tmp_path / "settings.ini").read_text()
    assert not (tmp_path / "session.token").exists()
    again = ConsoleSettings(tmp_path).session()  # a restart finds it
    assert again["token"] == TOKEN and again["username"] == "op1"

    settings.forget_token()
    assert not ring.items
    assert ConsoleSettings(tmp_path).session()["token"] == ""


@pytest.mark.parametrize("backend", [keyring.backends.fail.Keyring, keyring.backends.null.Keyring],
                         ids=["no keyring", "keyring that keeps nothing"])
def test_without_a_keyring_the_token_is_a_private_file(tmp_path, use_keyring, backend, caplog):
    use_keyring(backend())
    with caplog.at_level(logging.INFO, logger="hotline.console"):
        settings = save(tmp_path)
    assert settings.tokens.where == "file"
    token_file = tmp_path / "session.token"
    assert token_file.read_text() == TOKEN and mode(token_file) == 0o600
    assert TOKEN not in (tmp_path / "settings.ini").read_text()
    assert TOKEN not in caplog.text  # the log says where, never what
    assert ConsoleSettings(tmp_path).session()["token"] == TOKEN

    settings.forget_token()
    assert not token_file.exists()
    assert ConsoleSettings(tmp_path).session()["token"] == ""


def test_a_plain_text_token_of_an_older_console_is_moved_out(tmp_path, use_keyring):
    ring = use_keyring(MemoryKeyring())
    ini = tmp_path / "settings.ini"
    ini.write_text(f"[meta]\nversion=1\n\n[session]\nserver_url=embedded\ntoken={TOKEN}\nusername=op1\nrole=operator\n")
    ini.chmod(0o644)
    settings = ConsoleSettings(tmp_path)
    assert settings.session()["token"] == TOKEN
    assert TOKEN in ring.items.values()
    assert TOKEN not in ini.read_text() and "token" not in ini.read_text()
    assert mode(ini) == 0o600


def test_the_token_cannot_be_put_into_settings(tmp_path, use_keyring):
    use_keyring(keyring.backends.fail.Keyring())
    with pytest.raises(ValueError):
        ConsoleSettings(tmp_path).set(SESSION_TOKEN, TOKEN)


def test_settings_file_is_private(tmp_path, use_keyring):
    use_keyring(keyring.backends.fail.Keyring())
    old_umask = os.umask(0o022)  # a usual workstation umask: new files would be 0644
    try:
        settings = save(tmp_path)
        settings.set_shortcut_overrides({"new_ticket": "F3"})
    finally:
        os.umask(old_umask)
    assert mode(tmp_path / "settings.ini") == 0o600


def test_cache_and_its_wal_files_are_private(tmp_path):
    old_umask = os.umask(0o022)
    try:
        with LocalCache(tmp_path / "cache.db") as cache:
            cache.create_ticket({"caller_phone": "13812345678", "description": "noise at night"}, "op1")
            files = [tmp_path / name for name in ("cache.db", "cache.db-wal", "cache.db-shm")]
            assert all(f.exists() for f in files)
            assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    finally:
        os.umask(old_umask)


def test_an_older_readable_cache_is_tightened_on_open(tmp_path):
    path = tmp_path / "cache.db"
    with LocalCache(path) as cache:
        cache.create_ticket({"caller_phone": "13812345678", "description": "kept"}, "op1")
    path.chmod(0o644)
    with LocalCache(path) as cache:
        assert cache.count_tickets() == 1
    assert mode(path) == 0o600


def test_an_owners_read_only_cache_stays_read_only(tmp_path):
    """Tightening only takes from others: it never makes a file writable that someone made read-only."""
    path = tmp_path / "cache.db"
    LocalCache(path).close()
    path.chmod(0o444)
    try:
        from storage.db import make_private

        make_private(path)
        assert mode(path) == 0o400
    finally:
        path.chmod(0o600)


def test_console_log_is_private(tmp_path):
    from console.log import install_logging

    log_file = tmp_path / "console.log"
    root = logging.getLogger("hotline")
    before = list(root.handlers)
    earlier_files = [h for h in before if isinstance(h, logging.FileHandler)]
    for handler in earlier_files:  # install_logging adds a file only when there is none yet
        root.removeHandler(handler)
    old_umask = os.umask(0o022)
    try:
        install_logging(log_file=log_file)
        logging.getLogger("hotline.console").info("started")
    finally:
        os.umask(old_umask)
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
        for handler in earlier_files:
            root.addHandler(handler)
    assert mode(log_file) == 0o600 and "started" in log_file.read_text()
