"""Fixtures and helpers shared by the intake and app GUI tests: real cache, real suggester, real embedded service.

Test modules import the fixtures from here; this module holds no tests of its own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

OPERATOR = "op1"


@pytest.fixture(scope="session")
def trained_model_dir(tmp_path_factory):
    """A real model trained once per test process on generated calls of the 120 commonest types (~15 s).

    Fewer types than the shipped 2,000 keep training quick; the console code under test is the same.
    """
    import collections
    import csv

    from classifier.training import TrainOptions, train_csv
    from domain.demo_data import generate

    root = tmp_path_factory.mktemp("intake-model")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOTLINE_HOME", str(root / "home"))
        (root / "home").mkdir()
        rows = list(generate(20000, seed=4242))
        common = {code for code, _ in collections.Counter(r["category_code"] for r in rows).most_common(120)}
        per_type: dict[str, int] = collections.Counter()
        data = root / "train.csv"
        with data.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["description", "category_code"])
            for row in rows:
                code = row["category_code"]
                if code in common and per_type[code] < 30:
                    per_type[code] += 1
                    writer.writerow([row["description"], code])
        train_csv(data, "description", "category_code", root / "model", TrainOptions(n_jobs=1))
    return root / "model"


@pytest.fixture
def suggester(trained_model_dir, tmp_path):
    """A private copy per test: learn_correction writes next to the model."""
    from classifier.suggester import Suggester

    model = tmp_path / "model"
    shutil.copytree(trained_model_dir, model)
    return Suggester.load(model)


@pytest.fixture
def service(tmp_path):
    """The real central service on SQLite, in a thread, with the staff accounts; `.restart()` after `.stop()`."""
    from server.runner import start_in_thread
    from server.testing import PASSWORD, add_staff

    class Service:
        def __init__(self) -> None:
            self.db_url = f"sqlite:///{tmp_path / 'server.db'}"
            add_staff(self.db_url)
            self.password = PASSWORD
            self.running = start_in_thread(self.db_url)
            self.url = self.running.url
            self.port = int(self.url.rsplit(":", 1)[1])

        def stop(self) -> None:
            if self.running is not None:
                self.running.stop()
                self.running = None

        def restart(self) -> None:
            self.running = start_in_thread(self.db_url, port=self.port)

        def tickets(self, username: str = OPERATOR) -> dict[str, dict]:
            """What the service holds, as this user pulls it: {ticket id: ticket}."""
            from storage.http_client import login, make_client

            session = login(self.url, username, self.password)
            found: dict[str, dict] = {}
            cursor = 0
            with make_client() as client:
                while True:
                    body = client.get(f"{self.url}/api/v1/sync/pull", params={"cursor": cursor, "limit": 500},
                                      headers={"Authorization": f"Bearer {session.token}"}).json()
                    for change in body.get("changes", []):
                        if change.get("kind") == "ticket":
                            found[change["ticket"]["id"]] = change["ticket"]
                    if body.get("cursor", cursor) == cursor or not body.get("changes"):
                        break
                    cursor = body["cursor"]
            return found

    running = Service()
    yield running
    running.stop()


def fast_sync_options() -> dict:
    """Sync engine settings for tests: quick retries so a restarted service is found soon (no sleeps involved)."""
    from storage.sync import Backoff

    return {"backoff": Backoff(base=0.05, cap=0.5), "periodic_pull_s": 1.0}


@pytest.fixture
def make_console(qtbot, hotline_home, suggester):
    """Start a real console (context, window, sync, screen-pop, hotkey) the way `hotline` does, minus the dialogs."""
    from console.app import Console

    started: list = []

    def make(server_url: str = "http://127.0.0.1:9", *, sign_in_as: str | None = OPERATOR, password: str | None = None,
             hotkey_backend=None, with_suggester=True):
        from server.testing import PASSWORD
        from storage.http_client import login

        console = Console(server_url, embedded=True, suggester=suggester if with_suggester else None,
                          hotkey_backend=hotkey_backend, engine_options=fast_sync_options())
        if sign_in_as:
            console.ctx.sign_in(login(server_url, sign_in_as, password or PASSWORD))
        window = console.start()
        qtbot.addWidget(window)
        wait_active(qtbot, window)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
        started.append(console)
        return console

    yield make
    for console in started:
        console.shutdown()


def wait_active(qtbot, window) -> None:
    """Shortcuts only fire in the active window: activate it and wait until the platform says so."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


class Keyboard:
    """Sends keys as a person would (to whatever has focus) and counts the ones that are not typed text."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.extra_keys: list[str] = []

    @staticmethod
    def focus():
        # A real keyboard reaches an open popup (e.g. address completion) before the field under it.
        widget = QApplication.activePopupWidget() or QApplication.focusWidget()
        assert widget is not None, "nothing has keyboard focus"
        return widget

    def type(self, text: str) -> None:
        """Typed text (what the caller said): not counted. Chinese arrives as committed text, as from an IME."""
        for char in text:
            widget = self.focus()
            if char.isascii() and char.isprintable():
                QTest.keyClick(widget, char)
            else:
                QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, char, Qt.KeyboardModifier.NoModifier)

    def press(self, key, modifier=Qt.KeyboardModifier.NoModifier, name: str = "") -> None:
        """One counted keystroke (a shortcut, Tab, Enter...)."""
        self.extra_keys.append(name or f"{modifier}+{key}")
        QTest.keyClick(self.focus(), key, modifier)


def pick_well_suggested_case(suggester, gazetteer, n: int = 400, seed: int = 777) -> dict:
    """A generated call the model gets right at rank 1 (what the keystroke budget is about)."""
    from domain.demo_data import generate

    for row in generate(n, seed=seed):
        # The form asks with its default request type (complaint) until the operator changes it.
        answer = suggester.suggest(row["description"], request_type="complaint", k=5)
        if answer and answer[0].code == row["category_code"] and row.get("incident_address"):
            return row
    pytest.fail("no generated call with a right first suggestion in the sample: the model is too weak")
