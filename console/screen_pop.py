"""The running console's screen-pop listener: the phone system (or `hotline call`) posts the caller's number here.

A tiny http.server on 127.0.0.1 in its own thread; numbers reach Qt only through a queued signal.
Only a local program that can read the console's secret in HOTLINE_HOME may pop it: a request must carry
that secret, be JSON with a stated length, and come without an Origin header (which every browser sends
on a cross-site POST, so a web page cannot fake an incoming call).
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import re
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal

from console.screen_pop_client import PATH, PORT_FILE, SECRET_FILE, SECRET_HEADER

log = logging.getLogger("hotline.console.screen_pop")
MAX_BODY = 4096
READ_TIMEOUT = 5  # seconds a client may take to send its (small) request; a stalled one cannot hold a thread
_LENGTH = re.compile(r"[0-9]{1,6}")  # ASCII digits only: no sign, no full-width digits


def _write_private(path: Path, text: str) -> None:
    """Writes text to a file only its owner may read (0600), even if the file was there with looser rights."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, text.encode())
    finally:
        os.close(fd)


class ScreenPopServer(QObject):
    """Emits `callArrived(ani)` on the UI thread for each incoming call; writes its port and secret to HOTLINE_HOME."""

    callArrived = Signal(str)
    _received = Signal(str)  # emitted on the HTTP thread, queued to the UI thread

    def __init__(self, home: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._home = home
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._received.connect(self.callArrived.emit, Qt.ConnectionType.QueuedConnection)
        self.port: int | None = None
        self.secret = secrets.token_urlsafe(32)

    def start(self, port: int = 0) -> int:
        received = self._received
        secret = self.secret.encode()

        class Handler(BaseHTTPRequestHandler):
            timeout = READ_TIMEOUT

            def do_POST(self):
                if self.path.rstrip("/") != PATH:
                    return self._answer(404, {"error": "not_found", "message": "Post calls to /call."})
                refusal = self._refusal()
                if refusal:
                    return self._answer(*refusal)
                length = int(self.headers["Content-Length"])
                try:
                    raw = self.rfile.read(length)
                except OSError:  # the client stalled past the timeout or went away
                    self.close_connection = True
                    return None
                try:
                    data = json.loads(raw)
                    ani = str(data.get("ani", "")).strip() if isinstance(data, dict) else ""
                except (ValueError, UnicodeDecodeError):
                    return self._answer(400, {"error": "malformed", "message": "Send JSON like {\"ani\": \"13800138000\"}."})
                if len(ani) > 32:
                    return self._answer(400, {"error": "malformed", "message": "That caller number is too long."})
                received.emit(ani)
                return self._answer(202, {"status": "popped"})

            def _refusal(self) -> tuple[int, dict] | None:
                """Why the request is refused before its body is read, or None: all checks are on the headers."""
                if self.headers.get("Origin") is not None:
                    return 403, {"error": "forbidden", "message": "Calls are not taken from web pages."}
                given = (self.headers.get(SECRET_HEADER) or "").encode("utf-8", "replace")
                if not hmac.compare_digest(given, secret):
                    return 403, {"error": "forbidden", "message": "The console's secret is missing or wrong: use "
                                 "`hotline call` as the console's own user."}
                content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
                if content_type != "application/json":
                    return 415, {"error": "unsupported_media_type", "message": "Send the call as application/json."}
                lengths = self.headers.get_all("Content-Length") or []
                if len(lengths) != 1:
                    return 411, {"error": "length_required", "message": "Say the body's length (Content-Length)."}
                if not _LENGTH.fullmatch(lengths[0].strip()) or not 0 < int(lengths[0]) <= MAX_BODY:
                    return 413, {"error": "too_large", "message": f"A call is 1 to {MAX_BODY} bytes of JSON."}
                return None

            def do_GET(self):
                if self.headers.get("Origin") is not None:
                    return self._answer(403, {"error": "forbidden", "message": "Calls are not taken from web pages."})
                return self._answer(200, {"status": "listening"})

            def _answer(self, code: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                if code >= 400:
                    self.close_connection = True  # an unread body must not be taken for the next request
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                if code >= 400:
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, fmt, *args):  # caller numbers never go into logs
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="screen-pop", daemon=True)
        self._thread.start()
        # The secret first: whoever sees the port file finds the secret beside it.
        _write_private(self._home / SECRET_FILE, self.secret)
        (self._home / PORT_FILE).write_text(str(self.port))
        log.info("screen-pop listening on 127.0.0.1:%s", self.port)
        return self.port

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        self._httpd = None
        # Only our own files: another console started since may have written its own.
        for name, mine in ((PORT_FILE, str(self.port)), (SECRET_FILE, self.secret)):
            try:
                path = self._home / name
                if path.read_text().strip() == mine:
                    path.unlink()
            except OSError:
                pass
