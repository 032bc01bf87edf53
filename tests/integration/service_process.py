"""`hotline server ...` as a real process for tests of what only the real server does (TLS, proxy headers, limits)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx2

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Service:
    def __init__(self, proc: subprocess.Popen, url: str, log_path: Path):
        self.proc, self.url, self.log_path = proc, url, log_path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def peak_rss_kb(self) -> int:
        """The process's peak resident memory so far (VmHWM), in KiB."""
        return _status_kb(self.proc.pid, "VmHWM")

    def rss_kb(self) -> int:
        return _status_kb(self.proc.pid, "VmRSS")


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def run_command(*args: str, home: Path, stdin: str = "", timeout: float = 120) -> subprocess.CompletedProcess:
    """`python main.py ARGS` with this HOTLINE_HOME; returns the finished process (text output)."""
    env = dict(os.environ, HOTLINE_HOME=str(home), PYTHONUNBUFFERED="1")
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args], input=stdin, capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=timeout)


@contextmanager
def service(*args: str, home: Path, scheme: str = "http", verify=True, timeout: float = 60) -> Iterator[Service]:
    """`python main.py server --port P ARGS` until it answers /api/v1/health; stopped afterwards."""
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log_path = home / f"server-{port}.log"
    env = dict(os.environ, HOTLINE_HOME=str(home), PYTHONUNBUFFERED="1")
    with open(log_path, "ab") as log:
        proc = subprocess.Popen([sys.executable, str(REPO / "main.py"), "server", "--port", str(port), *args],
                                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"{scheme}://127.0.0.1:{port}"
    running = Service(proc, url, log_path)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the service exited with {proc.returncode}:\n{running.log()}")
            try:
                if httpx2.get(url + "/api/v1/health", timeout=1.0, verify=verify, trust_env=False).status_code == 200:
                    break
            except httpx2.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the service did not answer in {timeout} s:\n{running.log()}")
            time.sleep(0.05)  # polling the health endpoint; ends as soon as it answers
        yield running
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
