"""Sign-in bodies are capped at a few KB: 16 concurrent 19 MB sign-ins are refused early and the service stays small."""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlsplit

import httpx2
import pytest

from server.testing import PASSWORD, add_staff
from tests.integration.service_process import service

BIG = 19 * 1024 * 1024
CHUNK = b"x" * (256 * 1024)


@pytest.fixture(autouse=True)
def _no_model_keeper(monkeypatch):
    """These tests bring no model and need none: no starter model is built (in this process or a service's)."""
    monkeypatch.setenv("HOTLINE_MODEL_KEEPER", "off")


def _huge_sign_in(url: str, chunked: bool, answers: list, start: threading.Barrier) -> None:
    """One sign-in whose body is 19 MB: declared up front, or streamed in chunks with no declared size."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        size = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {BIG}"
        start.wait()
        sock.sendall(f"POST /api/v1/auth/token HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\n"
                     f"{size}\r\n\r\n".encode())
        if chunked:  # the service can only tell once it has read past the cap
            first = b'{"username": "op1", "password": "' + CHUNK
            sock.sendall(b"%x\r\n" % len(first) + first + b"\r\n")
        answer = b""
        while b"\r\n\r\n" not in answer:
            data = sock.recv(65536)
            if not data:
                break
            answer += data
        answers.append(answer.split(b"\r\n", 1)[0].decode())
        try:  # the attacker goes on sending; the service must not keep it
            for _ in range(BIG // len(CHUNK)):
                sock.sendall((b"%x\r\n" % len(CHUNK) + CHUNK + b"\r\n") if chunked else CHUNK)
        except OSError:
            pass  # the service closed the connection: it is not reading the rest


def _storm(url: str, chunked: bool, n: int = 16) -> list[str]:
    answers: list[str] = []
    start = threading.Barrier(n)
    threads = [threading.Thread(target=_huge_sign_in, args=(url, chunked, answers, start)) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return answers


def test_sixteen_concurrent_19_mb_sign_ins_are_refused_without_the_memory_jumping(sqlite_url, tmp_path, capsys):
    add_staff(sqlite_url)
    with service("--db", sqlite_url, home=tmp_path / "home") as running:
        # Warm up the paths a sign-in takes (imports, thread pool, hashing), so only the bodies are measured.
        for password in ("wrong password", PASSWORD):
            httpx2.post(running.url + "/api/v1/auth/token", json={"username": "op1", "password": password},
                        trust_env=False, timeout=30)
        _storm(running.url, chunked=False, n=2)
        before = running.rss_kb()
        declared = _storm(running.url, chunked=False)
        streamed = _storm(running.url, chunked=True)
        peak = running.peak_rss_kb()
    assert declared == ["HTTP/1.1 413 Request Entity Too Large"] * 16, declared
    assert streamed == ["HTTP/1.1 413 Request Entity Too Large"] * 16, streamed
    growth_mb = (peak - before) / 1024
    with capsys.disabled():
        print(f"\nservice RSS before {before / 1024:.0f} MB, peak during 2 x 16 x 19 MB sign-ins {peak / 1024:.0f} MB")
    assert growth_mb < 40, f"the service grew by {growth_mb:.0f} MB"
