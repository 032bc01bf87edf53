"""`hotline console --server URL` as a real process: a saved session skips the sign-in, `hotline call` pops it,
and SIGTERM ends it the orderly way (the popped ticket is kept as a draft, the screen-pop port is given back)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from console.screen_pop_client import PORT_FILE
from tests.gui.test_intake_support import service  # noqa: F401
from tests.support import wait_until

ROOT = Path(__file__).resolve().parents[2]


def _draft_phones(home: Path) -> list[str]:
    from storage.cache import LocalCache

    cache = LocalCache.open(home)
    try:
        return [d["fields"].get("caller_phone") for d in cache.load_drafts()]
    finally:
        cache.close()


def test_console_process_takes_a_call_and_stops_cleanly(service, hotline_home, qapp):
    from console.settings import ConsoleSettings
    from storage.cache import LocalCache
    from storage.http_client import login

    session = login(service.url, "op1", service.password)
    ConsoleSettings(hotline_home).save_session(service.url, session.token, "op1", "operator", None)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOTLINE_HOME": str(hotline_home)}
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "console", "--server", service.url], env=env,
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until(lambda: (hotline_home / PORT_FILE).exists() or process.poll() is not None, timeout=60,
                   message="the console did not start its screen-pop listener")
        assert process.poll() is None, process.stdout.read()
        call = subprocess.run([sys.executable, str(ROOT / "main.py"), "call", "--ani", "13512345678"], env=env,
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert call.returncode == 0, call.stderr
        assert "popped" in call.stdout
        wait_until(lambda: _draft_phones(hotline_home) == ["13512345678"], timeout=30,
                   message="the popped call did not reach the window")
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    assert not (hotline_home / PORT_FILE).exists(), "the port file goes with the console"
    cache = LocalCache.open(hotline_home)
    try:
        drafts = cache.load_drafts()
    finally:
        cache.close()
    assert [d["fields"]["caller_phone"] for d in drafts] == ["13512345678"], "the call on screen is kept"


def test_console_killed_mid_call_restores_the_call_on_restart(service, hotline_home, qapp):
    from console.settings import ConsoleSettings
    from storage.http_client import login

    session = login(service.url, "op1", service.password)
    ConsoleSettings(hotline_home).save_session(service.url, session.token, "op1", "operator", None)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOTLINE_HOME": str(hotline_home)}
    command = [sys.executable, str(ROOT / "main.py"), "console", "--server", service.url]

    def start():
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        wait_until(lambda: (hotline_home / PORT_FILE).exists() or process.poll() is not None, timeout=60)
        assert process.poll() is None, process.stdout.read()
        return process

    from storage.cache import LocalCache

    process = start()
    cache = LocalCache.open(hotline_home)  # a second reader of the console's cache (WAL allows it)
    try:
        call = subprocess.run([sys.executable, str(ROOT / "main.py"), "call", "--ani", "13766667777"], env=env,
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert call.returncode == 0, call.stderr
        # The pop reaches the window a moment after the phone system's request is answered.
        wait_until(lambda: [d["fields"].get("caller_phone") for d in cache.load_drafts()] == ["13766667777"], timeout=30,
                   message="the popped call was not kept as a draft")
    finally:
        process.kill()  # power cut: no orderly shutdown
        process.communicate(timeout=60)
    try:
        assert [d["fields"]["caller_phone"] for d in cache.load_drafts()] == ["13766667777"], "kept through the kill"
    finally:
        cache.close()
    (hotline_home / PORT_FILE).unlink(missing_ok=True)  # left behind by the dead console
