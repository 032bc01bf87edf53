"""Bodies are capped at what each route needs (a sign-in a few KB, a push a few MB, a sign-out nothing): 16
concurrent 19 MB requests are refused early and the service stays small."""

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


SIGN_IN = ("/api/v1/auth/token", "", b'{"username": "op1", "password": "')


def _huge_post(url: str, chunked: bool, answers: list, start: threading.Barrier, route: tuple = SIGN_IN) -> None:
    """One POST whose body is 19 MB: declared up front, or streamed in chunks with no declared size."""
    path, headers, opening = route
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        size = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {BIG}"
        start.wait()
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\n"
                     f"{headers}{size}\r\n\r\n".encode())
        if chunked:  # the service can only tell once it has read past the cap
            first = opening + CHUNK
            sock.sendall(b"%x\r\n" % len(first) + first + b"\r\n")
        answer = b""
        try:
            while b"\r\n\r\n" not in answer:
                if chunked:  # go on sending until the service answers (a push's cap is a few MB)
                    sock.setblocking(False)
                    try:
                        data = sock.recv(65536)
                    except BlockingIOError:
                        sock.setblocking(True)
                        sock.sendall(b"%x\r\n" % len(CHUNK) + CHUNK + b"\r\n")
                        continue
                    sock.setblocking(True)
                else:
                    data = sock.recv(65536)
                if not data:
                    break
                answer += data
        except OSError:
            pass  # reset before the answer was read: counted as no answer below
        answers.append(answer.split(b"\r\n", 1)[0].decode())
        try:  # the attacker goes on sending; the service must not keep it
            for _ in range(BIG // len(CHUNK)):
                sock.sendall((b"%x\r\n" % len(CHUNK) + CHUNK + b"\r\n") if chunked else CHUNK)
        except OSError:
            pass  # the service closed the connection: it is not reading the rest


def _storm(url: str, chunked: bool, n: int = 16, route: tuple = SIGN_IN) -> list[str]:
    answers: list[str] = []
    start = threading.Barrier(n)
    threads = [threading.Thread(target=_huge_post, args=(url, chunked, answers, start, route)) for _ in range(n)]
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


def test_sixteen_concurrent_19_mb_pushes_are_refused_without_the_memory_jumping(sqlite_url, tmp_path, capsys):
    from server.api.deps import largest_mutation_bytes, push_body_cap
    from server.settings import Settings

    cap = push_body_cap(Settings())
    assert 8 * largest_mutation_bytes() <= cap <= 8 * 1024 * 1024  # a few MB: every mutation fits, 19 MB never
    add_staff(sqlite_url)
    with service("--db", sqlite_url, home=tmp_path / "home") as running:
        def bearer(name: str) -> str:
            token = httpx2.post(running.url + "/api/v1/auth/token", json={"username": name, "password": PASSWORD},
                                trust_env=False, timeout=30).json()["access_token"]
            return f"Authorization: Bearer {token}\r\n"

        push = ("/api/v1/sync/push", bearer("op1"), b'{"client_id": "c", "schema_version": 1, "mutations": [], "pad": "')
        supervisor = bearer("sup1")
        small = {route: ("POST", route, supervisor, b'{"pad": "') for route in
                 ("/api/v1/users/op2/unlock", "/api/v1/sync/register", "/api/v1/auth/logout")}
        _storm(running.url, chunked=False, n=2, route=push)
        before = running.rss_kb()
        declared = _storm(running.url, chunked=False, route=push)
        streamed = _storm(running.url, chunked=True, route=push)
        peak = running.peak_rss_kb()
        anonymous = _storm(running.url, chunked=False, n=4, route=push[:1] + ("",) + push[2:])
        # Routes that take no body, or a few fields, refuse a big one too (sign-out last: it ends the session).
        others = {path: _storm(running.url, chunked=True, n=1, route=route[1:]) for path, route in small.items()}
    assert declared == ["HTTP/1.1 413 Request Entity Too Large"] * 16, declared
    # Streamed with no declared size: refused at the cap, or (once the process holds 16 MiB of pushes) told to come
    # back later; never read to the end.
    assert len(streamed) == 16 and set(streamed) <= {"HTTP/1.1 413 Request Entity Too Large",
                                                     "HTTP/1.1 503 Service Unavailable"}, streamed
    assert anonymous == ["HTTP/1.1 401 Unauthorized"] * 4, anonymous
    assert set(map(tuple, others.values())) == {("HTTP/1.1 413 Request Entity Too Large",)}, others
    growth_mb = (peak - before) / 1024
    with capsys.disabled():
        print(f"\nservice RSS before {before / 1024:.0f} MB, peak during 2 x 16 x 19 MB pushes {peak / 1024:.0f} MB "
              f"(push cap {cap / 1024 / 1024:.1f} MiB)")
    assert growth_mb < 40, f"the service grew by {growth_mb:.0f} MB"
