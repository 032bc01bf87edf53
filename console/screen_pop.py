"""The running console's screen-pop listener: the phone system (or `hotline call`) posts the caller's number here.

A tiny http.server on 127.0.0.1 in its own thread; numbers reach Qt only through a queued signal.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal

from console.screen_pop_client import PATH, PORT_FILE

log = logging.getLogger("hotline.console.screen_pop")
MAX_BODY = 4096


class ScreenPopServer(QObject):
    """Emits `callArrived(ani)` on the UI thread for each incoming call; writes its port to HOTLINE_HOME."""

    callArrived = Signal(str)
    _received = Signal(str)  # emitted on the HTTP thread, queued to the UI thread

    def __init__(self, home: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._home = home
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._received.connect(self.callArrived.emit, Qt.ConnectionType.QueuedConnection)
        self.port: int | None = None

    def start(self, port: int = 0) -> int:
        received = self._received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                if self.path.rstrip("/") != PATH:
                    return self._answer(404, {"error": "not_found", "message": "Post calls to /call."})
                try:
                    length = int(self.headers.get("Content-Length") or 0)
                    if length > MAX_BODY:
                        raise ValueError
                    data = json.loads(self.rfile.read(length) or b"{}")
                    ani = str(data.get("ani", "")).strip() if isinstance(data, dict) else ""
                except (ValueError, UnicodeDecodeError):
                    return self._answer(400, {"error": "malformed", "message": "Send JSON like {\"ani\": \"13800138000\"}."})
                if len(ani) > 32:
                    return self._answer(400, {"error": "malformed", "message": "That caller number is too long."})
                received.emit(ani)
                return self._answer(202, {"status": "popped"})

            def do_GET(self):  # noqa: N802
                self._answer(200, {"status": "listening"})

            def _answer(self, code: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, fmt, *args):  # caller numbers never go into logs
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="screen-pop", daemon=True)
        self._thread.start()
        (self._home / PORT_FILE).write_text(str(self.port))
        log.info("screen-pop listening on 127.0.0.1:%s", self.port)
        return self.port

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        self._httpd = None
        try:
            port_file = self._home / PORT_FILE
            if port_file.read_text().strip() == str(self.port):
                port_file.unlink()
        except OSError:
            pass
