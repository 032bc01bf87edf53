"""Tells the running console that a call came in (what the phone system's screen-pop does); no Qt here."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request

from domain.home import hotline_home

PORT_FILE = "console.port"
# The console writes a fresh secret here (owner-only, 0600) each time it starts; a call must carry it, so only
# someone who may read HOTLINE_HOME can pop the console, never a web page or another user of the machine.
SECRET_FILE = "console.secret"
SECRET_HEADER = "X-Hotline-Secret"
PATH = "/call"


def read_port() -> int | None:
    """The port the running console wrote when it started its screen-pop listener."""
    try:
        return int((hotline_home() / PORT_FILE).read_text().strip())
    except (OSError, ValueError):
        return None


def read_secret() -> str | None:
    """The secret the running console wrote beside its port."""
    try:
        return (hotline_home() / SECRET_FILE).read_text().strip() or None
    except OSError:
        return None


def send_call(ani: str, port: int | None = None) -> int:
    """POST the caller's number (ANI) to the console; returns a process exit code (0 = the console took it)."""
    port = port or read_port()
    if not port:
        print("No console is running here (no screen-pop port in HOTLINE_HOME): start `hotline` first.", file=sys.stderr)
        return 2
    secret = read_secret()
    if not secret:
        print("The console's screen-pop secret is missing from HOTLINE_HOME: restart `hotline`, and run this as the "
              "same user with the same HOTLINE_HOME.", file=sys.stderr)
        return 2
    body = json.dumps({"ani": ani}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{PATH}", data=body, method="POST",
        headers={"Content-Type": "application/json", SECRET_HEADER: secret},
    )
    try:
        # Never through a proxy: the console listens on this machine only.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=5) as response:
            answer = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read()).get("message", "")
        except (OSError, ValueError, AttributeError):  # no body, not JSON, or not an object
            message = ""
        print(f"The console refused the call: {message or exc.reason}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError, ValueError):
        print(f"The console did not answer on port {port}: is it still running?", file=sys.stderr)
        return 2
    print(f"call passed to the console ({answer.get('status', 'ok')})")
    return 0
