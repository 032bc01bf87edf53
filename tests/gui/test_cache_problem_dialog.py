"""A local cache that cannot be used at start gives a dialog with the fix and a log line with the details,
never a traceback; SQLite errors are told apart by their result code, not their wording."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import storage.cache
import storage.db
from console.app import open_console
from console.cache_problem import QUIT, RETRY, SET_ASIDE
from storage.cache import CACHE_FILE, LocalCache
from storage.errors import EnvironmentProblem, classify
from storage.schema import SCHEMA_MAJOR

REPO = Path(__file__).resolve().parents[2]


class DialogAnswers:
    """Answers each cache-problem dialog in turn (the dialog is modal, so it runs from the dialog's own event loop),
    recording what it said; `before_answer` runs first, e.g. to release a lock the way a person would."""

    def __init__(self, *choices: str, before_answer=None):
        self.choices = list(choices)
        self.before_answer = before_answer
        self.seen: list[dict] = []
        self._answered: set[int] = set()
        QTimer.singleShot(0, self._poll)

    def _poll(self) -> None:
        if not self.choices:
            return
        for widget in QApplication.topLevelWidgets():
            if widget.objectName() == "cacheProblem" and widget.isVisible() and id(widget) not in self._answered:
                self._answered.add(id(widget))
                self.seen.append({"kind": widget.problem.kind, "text": widget.text(),
                                  "fix": widget.informativeText(), "detail": widget.detailedText(),
                                  "buttons": sorted(widget.buttons)})
                if self.before_answer is not None:
                    self.before_answer(len(self.seen))
                widget.buttons[self.choices.pop(0)].click()
                break
        QTimer.singleShot(10, self._poll)  # the next dialog (after "Try again") comes from a new exec()


@pytest.fixture
def home(tmp_path):
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def open_here(home):
    return open_console("", embedded=False, home=home, log_path=home / "console.log")


def error_lines(caplog) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR and r.name == "hotline.console")


def test_damaged_cache_is_set_aside_on_request_and_a_new_one_opens(qtbot, home, caplog):
    broken = b"not a database: overwritten by something else " * 50
    (home / CACHE_FILE).write_bytes(broken)
    answers = DialogAnswers(SET_ASIDE)
    with caplog.at_level(logging.ERROR, logger="hotline.console"):  # the console logs the problem: expected
        console = open_here(home)
    try:
        [seen] = answers.seen
        assert seen["kind"] == "damaged" and "damaged" in seen["text"]
        assert "Set it aside and start afresh" in seen["fix"] and str(home / "console.log") in seen["fix"]
        assert seen["buttons"] == sorted([SET_ASIDE, QUIT])
        assert "SQLITE_NOTADB" in seen["detail"]
        assert "SQLITE_NOTADB" in error_lines(caplog) and str(home / CACHE_FILE) in error_lines(caplog)

        kept = list(home.glob(f"{CACHE_FILE}.damaged-*"))
        assert [p.read_bytes() for p in kept] == [broken]  # nothing deleted: kept for IT
        assert console is not None
        console.ctx.cache.create_ticket({"caller_phone": "13812345678", "description": "works again"}, "op1")
        assert console.ctx.cache.count_tickets() == 1
    finally:
        if console is not None:
            console.shutdown()


def test_cache_from_a_newer_console_is_left_untouched(qtbot, home, caplog):
    path = home / CACHE_FILE
    with LocalCache(path) as cache:
        cache.create_ticket({"caller_phone": "13812345678", "description": "unsent"}, "op1")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE schema_version SET major = ?", (SCHEMA_MAJOR + 1,))
    before = path.read_bytes()
    answers = DialogAnswers(QUIT)
    with caplog.at_level(logging.ERROR, logger="hotline.console"):  # the console logs the problem: expected
        assert open_here(home) is None
    [seen] = answers.seen
    assert seen["kind"] == "too_new" and "newer version" in seen["text"]
    assert "update" in seen["fix"] and seen["buttons"] == [QUIT]  # no way to throw its unsent tickets away here
    assert f"format {SCHEMA_MAJOR + 1}.0" in error_lines(caplog)
    assert path.read_bytes() == before and not list(home.glob(f"{CACHE_FILE}.*-*"))


def test_locked_cache_opens_after_try_again(qtbot, home, caplog, monkeypatch):
    path = home / CACHE_FILE
    LocalCache(path).close()
    # Another program takes the store for itself (exclusive locking) and holds it.
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE meta SET value = value")
    holder.execute("COMMIT")
    # The same open as the console's, with a short busy timeout so the test does not wait five seconds.
    monkeypatch.setattr(LocalCache, "open", classmethod(lambda cls, h: cls(Path(h) / CACHE_FILE, busy_timeout_ms=50)))
    answers = DialogAnswers(RETRY, before_answer=lambda n: holder.close())  # the other program lets go
    with caplog.at_level(logging.ERROR, logger="hotline.console"):  # the console logs the problem: expected
        console = open_here(home)
    try:
        [seen] = answers.seen
        assert seen["kind"] == "locked" and "holding" in seen["text"] and "Try again" in seen["fix"]
        assert "SQLITE_BUSY" in error_lines(caplog)
        assert console is not None and console.ctx.cache.count_tickets() == 0
    finally:
        holder.close()
        if console is not None:
            console.shutdown()


def test_full_disk_is_told_and_try_again_opens_once_there_is_room(qtbot, home, caplog, monkeypatch):
    real_connect = storage.cache.connect
    full = {"yes": True}

    def connect_on_a_full_disk(path, **kwargs):
        engine = real_connect(path, **kwargs)
        if full["yes"]:
            from sqlalchemy import event

            # SQLite's own "database or disk is full" (SQLITE_FULL): no page can be added to the file.
            event.listen(engine, "connect", lambda dbapi, _rec: dbapi.execute("PRAGMA max_page_count = 1"))
        return engine

    monkeypatch.setattr(storage.cache, "connect", connect_on_a_full_disk)
    answers = DialogAnswers(RETRY, before_answer=lambda n: full.update(yes=False))  # space freed
    with caplog.at_level(logging.ERROR, logger="hotline.console"):  # the console logs the problem: expected
        console = open_here(home)
    try:
        [seen] = answers.seen
        assert seen["kind"] == "disk_full" and "full" in seen["text"] and "Free some disk space" in seen["fix"]
        assert "SQLITE_FULL" in error_lines(caplog)
        assert console is not None
    finally:
        if console is not None:
            console.shutdown()


def test_almost_no_free_space_is_told_before_the_first_call(qtbot, home, monkeypatch, caplog):
    real = shutil.disk_usage
    room = {"free": 4096}
    monkeypatch.setattr(storage.db.shutil, "disk_usage",
                        lambda p: real(p)._replace(free=room["free"]))
    answers = DialogAnswers(RETRY, QUIT, before_answer=lambda n: None)
    with caplog.at_level(logging.ERROR, logger="hotline.console"):  # the console logs the problem: expected
        assert open_here(home) is None  # still full after "Try again"; then the person quits
    assert [s["kind"] for s in answers.seen] == ["disk_full", "disk_full"]
    assert "4096 bytes free" in answers.seen[0]["detail"]


_CHILD = """
import json, os, sys
sys.path.insert(0, {repo!r})
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["HOTLINE_HOME"] = {home!r}
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import sqlite3, sqlite_utils, sqlalchemy.dialects.sqlite.pysqlite, keyring.backends.fail
import importlib.readers, console.app, console.cache_problem, console.log, storage.cache, storage.db
import domain.taxonomy, domain.gazetteer, domain.home
domain.taxonomy.load_taxonomy(), domain.gazetteer.load_gazetteer()  # read while the interpreter's folders are
app = QApplication([])
if os.geteuid() == 0:
    os.setgid(65534); os.setuid(65534)   # file permissions do not stop root
seen = []
def poll():
    for w in QApplication.topLevelWidgets():
        if w.objectName() == "cacheProblem" and w.isVisible():
            seen.append({{"kind": w.problem.kind, "text": w.text(), "fix": w.informativeText()}})
            w.buttons["quit"].click()
            return
    QTimer.singleShot(10, poll)
QTimer.singleShot(0, poll)
rc = console.app.run_console("", embedded=False)
print(json.dumps({{"rc": rc, "seen": seen}}))
"""


@pytest.fixture
def reachable_dir():
    """A folder an unprivileged child can reach (pytest's tmp_path is private to its user)."""
    path = Path(tempfile.mkdtemp(prefix="hotline-cache-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_read_only_cache_in_a_real_console_process(reachable_dir):
    """`hotline console` itself: a store it may not write gives the dialog (not a traceback) and console.log the details."""
    home = reachable_dir / "home"
    home.mkdir()
    with LocalCache(home / CACHE_FILE) as cache:
        cache.create_ticket({"caller_phone": "13812345678", "description": "unsent"}, "op1")
    (home / CACHE_FILE).chmod(0o400 if os.geteuid() != 0 else 0o444)
    if os.geteuid() == 0:  # the child drops to nobody: it owns the folder and the log, not the store's write bit
        for path in (home, *home.iterdir()):
            os.chown(path, 65534, 65534)
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(_CHILD.format(repo=str(REPO), home=str(home)))],
                         capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["rc"] == 1
    [seen] = result["seen"]
    assert seen["kind"] == "read_only" and "may not write" in seen["text"] and str(home) in seen["fix"]
    log_text = (home / "console.log").read_text()
    assert "cannot be used (read_only)" in log_text and "SQLITE_READONLY" in log_text
    with LocalCache(home / CACHE_FILE) as cache:  # untouched
        assert cache.count_tickets() == 1


# ---- classification by SQLite result code ------------------------------------------------------------------

def _error_of(sql_setup, sql, path=":memory:") -> sqlite3.Error:
    connection = sqlite3.connect(path)
    try:
        for statement in sql_setup:
            connection.execute(statement)
        connection.execute(sql)
    except sqlite3.Error as error:
        return error
    finally:
        connection.close()
    raise AssertionError("no error")


def test_real_sqlite_errors_are_classified_by_code(tmp_path):
    full = _error_of(["PRAGMA max_page_count = 1"], "CREATE TABLE t (x)", str(tmp_path / "full.db"))
    assert classify(full).kind == "disk_full"
    (tmp_path / "junk.db").write_bytes(b"junk" * 1000)
    assert classify(_error_of([], "SELECT * FROM sqlite_master", str(tmp_path / "junk.db"))).kind == "damaged"
    assert classify(_error_of(["CREATE TABLE t (x UNIQUE)", "INSERT INTO t VALUES (1)"], "INSERT INTO t VALUES (1)")) is None
    assert classify(_error_of([], "SELEC nonsense")) is None  # a bug stays a bug


def test_the_wording_of_an_error_does_not_matter():
    translated = sqlite3.OperationalError("数据库或磁盘已满")  # a build with other message texts
    translated.sqlite_errorcode = sqlite3.SQLITE_IOERR_WRITE & ~0xFF | sqlite3.SQLITE_FULL
    assert classify(translated).kind == "disk_full"
    extended = sqlite3.OperationalError("disk I/O error")
    extended.sqlite_errorcode = sqlite3.SQLITE_IOERR_WRITE  # an extended code: its low byte is SQLITE_IOERR
    assert classify(extended).kind == "io"
    look_alike = sqlite3.OperationalError("database is locked")  # no code: not guessed from the words
    assert classify(look_alike) is None
    assert classify(OSError(28, "No space left on device")).kind == "disk_full"
    assert isinstance(classify(EnvironmentProblem("x", kind="locked")), EnvironmentProblem)
