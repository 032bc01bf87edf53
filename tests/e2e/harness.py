"""End-to-end helpers: the central service as a real process, sync clients over HTTP, a fault-injecting proxy."""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx2

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        return httpx2.get(url + "/api/v1/health", timeout=1.0, trust_env=False).status_code == 200
    except httpx2.HTTPError:
        return False


class ServerProcess:
    """`python main.py server --db URL --port P` in its own process; killed (SIGKILL) or stopped at the end."""

    def __init__(self, db_url: str, home: Path, port: int | None = None, env: dict[str, str] | None = None):
        self.db_url = db_url
        self.extra_env = dict(env or {})  # e.g. HOTLINE_SERVER_WORKERS
        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log_path = self.home / f"server-{self.port}.log"
        self.starts = 0

    def start(self, timeout: float = 60.0) -> "ServerProcess":
        env = dict(os.environ, HOTLINE_HOME=str(self.home), PYTHONUNBUFFERED="1", **self.extra_env)
        self.starts += 1
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, str(REPO / "main.py"), "server", "--db", self.db_url, "--port", str(self.port)],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while not _healthy(self.url):
            if self.proc.poll() is not None:
                raise RuntimeError(f"the service exited with {self.proc.returncode}:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"the service did not become healthy in {timeout} s:\n{self.log_tail()}")
            time.sleep(0.05)  # polling the health endpoint; ends as soon as it answers
        return self

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a power cut of the server."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> "ServerProcess":
        self.kill()
        return self.start()

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


def add_user(db_url: str, name: str, role: str, unit: str | None = None, password: str = PASSWORD) -> None:
    """Through the command line, password on stdin, as an administrator would."""
    cmd = [sys.executable, str(REPO / "main.py"), "user", "add", name, "--role", role, "--db", db_url]
    if unit:
        cmd += ["--unit", unit]
    result = subprocess.run(cmd, input=password + "\n", capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def add_users(db_url: str, users: list[tuple[str, str, str | None]]) -> None:
    """Several accounts in one go (in-process: one interpreter start instead of one per account)."""
    from server.accounts import add_user_command

    for name, role, unit in users:
        assert add_user_command(db_url, name, role, PASSWORD, unit=unit) == 0


def token_for(url: str, name: str, password: str = PASSWORD) -> str:
    from storage.http_client import login

    return login(url, name, password).token


@dataclass
class Console:
    """One workstation: a LocalCache and a SyncEngine signed in as one person."""

    name: str
    role: str
    cache: object
    engine: object
    token: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    _stop: threading.Event | None = None
    _thread: threading.Thread | None = None

    def sync(self):
        state = self.engine.sync_once()
        assert state.last_error is None, f"{self.name}: {state.last_error}"
        return state

    def start(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self.engine.run, args=(self._stop,), name=f"sync-{self.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread:
            self._stop.set()
            self._thread.join(timeout=10)
            self._thread = None


def make_console(tmp_dir: Path, server_url: str, name: str, role: str, *, sign_in: bool = True, **engine_kwargs) -> Console:
    from storage.cache import LocalCache
    from storage.sync import SyncEngine

    tmp_dir = Path(tmp_dir) / f"console-{name}"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    cache = LocalCache(tmp_dir / "cache.db")
    token: list = [token_for(server_url, name)] if sign_in else []
    changes: list = []
    engine_kwargs.setdefault("periodic_pull_s", 30.0)
    engine_kwargs.setdefault("on_changes", changes.append)
    engine = SyncEngine(cache, server_url, lambda: token[0] if token else None, **engine_kwargs)
    return Console(name, role, cache, engine, token, changes)


def server_tickets(url: str, token: str) -> list[dict]:
    """Every ticket the service shows this account, read raw from the pull feed (last version of each)."""
    seen: dict[str, dict] = {}
    cursor = 0
    with httpx2.Client(trust_env=False, timeout=30) as client:
        while True:
            response = client.get(url + "/api/v1/sync/pull", params={"cursor": cursor, "limit": 1000},
                                  headers={"Authorization": f"Bearer {token}"})
            response.raise_for_status()
            body = response.json()
            for change in body["changes"]:
                if change["kind"] == "ticket":
                    seen[change["ticket"]["id"]] = change["ticket"]
                elif change["kind"] == "revoke":
                    seen.pop(change["ticket_id"], None)
            if body["cursor"] == cursor or not body["changes"]:
                return list(seen.values())
            cursor = body["cursor"]


class FaultProxy:
    """A TCP proxy on loopback between a console and the service, to lose answers on purpose.

    `drop_next_push_response()`: the next push reaches the service, which applies it, but its answer never
    comes back (the connection is cut once the service starts answering): a lost acknowledgement.
    """

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._drop_push = threading.Event()
        self.dropped = threading.Event()
        self.push_seen = threading.Event()
        self.push_delivered = threading.Event()  # a whole push request (headers and body) reached the service
        self._closing = False
        self.offline = False  # when set, every connection is cut at once: the network is down
        threading.Thread(target=self._accept, daemon=True).start()

    def drop_next_push_response(self) -> None:
        self.dropped.clear()
        self._drop_push.set()

    def close(self) -> None:
        self._closing = True
        try:
            self._listener.close()
        except OSError:
            pass

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.offline:
                client.close()
                continue
            threading.Thread(target=self._pump, args=(client,), daemon=True).start()

    def _pump(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        except OSError:
            client.close()
            return
        cutting = False
        push_head: bytes | None = None  # headers of a push being forwarded, until complete
        body_due: int | None = None  # body bytes of that push still to forward
        try:
            while True:
                readable, _, _ = select.select([client, upstream], [], [], 60)
                if not readable:
                    break
                if client in readable:
                    data = client.recv(65536)
                    if not data:
                        break
                    if b"POST /api/v1/sync/push" in data:
                        self.push_seen.set()
                        push_head, body_due = data, None
                        if self._drop_push.is_set():
                            self._drop_push.clear()
                            cutting = True
                    elif push_head is not None:
                        push_head += data
                    elif body_due is not None:
                        body_due -= len(data)
                    upstream.sendall(data)
                    if push_head is not None and b"\r\n\r\n" in push_head:
                        head, _, body = push_head.partition(b"\r\n\r\n")
                        length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                                       if line.lower().startswith(b"content-length:")), 0)
                        push_head, body_due = None, length - len(body)
                    if body_due is not None and body_due <= 0:
                        body_due = None
                        self.push_delivered.set()
                if upstream in readable:
                    data = upstream.recv(65536)
                    if not data:
                        break
                    if cutting:
                        # The service has answered (so it has applied the push): the answer is lost on the way.
                        self.dropped.set()
                        break
                    client.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (client, upstream):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
