"""The screen-pop listener takes calls only from a local program that holds the console's secret."""

from __future__ import annotations

import json
import socket
import stat

import pytest

from console.screen_pop import MAX_BODY, ScreenPopServer
from console.screen_pop_client import (
    PORT_FILE,
    SECRET_FILE,
    SECRET_HEADER,
    read_secret,
    send_call,
)


@pytest.fixture
def listener(qtbot, hotline_home):
    server = ScreenPopServer(hotline_home)
    popped: list[str] = []
    server.callArrived.connect(popped.append)
    server.start()
    server.popped = popped
    yield server
    server.stop()


def _raw(port: int, head: str, body: bytes = b"", keep_open: bool = False) -> tuple[int, dict]:
    """Sends a hand-made request; returns the status and JSON answer. With keep_open the socket is not closed
    while the answer is awaited, as a client streaming a body without end would do."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        if not keep_open:
            sock.shutdown(socket.SHUT_WR)
        answer = b""
        while b"\r\n\r\n" not in answer or len(answer.split(b"\r\n\r\n", 1)[1]) < _length(answer):
            chunk = sock.recv(65536)  # times out (test fails) if the listener keeps reading instead of answering
            if not chunk:
                break
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, json.loads(answer.split(b"\r\n\r\n", 1)[1] or b"{}")


def _length(answer: bytes) -> int:
    for line in answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 0


def _post(server, body: bytes = b'{"ani": "13800138000"}', *, length: str | None = None,
          content_type: str | None = "application/json", secret: str | None = "", extra: str = "",
          keep_open: bool = False) -> tuple[int, dict]:
    secret = server.secret if secret == "" else secret
    head = "POST /call HTTP/1.1\nHost: 127.0.0.1\n"
    if content_type:
        head += f"Content-Type: {content_type}\n"
    if secret:
        head += f"{SECRET_HEADER}: {secret}\n"
    head += f"Content-Length: {len(body) if length is None else length}\n" + extra
    return _raw(server.port, head, body, keep_open=keep_open)


def test_the_secret_is_written_for_the_owner_only_and_hotline_call_sends_it(listener, hotline_home, qtbot):
    secret_file = hotline_home / SECRET_FILE
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert read_secret() == listener.secret and len(listener.secret) >= 32
    assert send_call("010-65123456") == 0
    qtbot.waitUntil(lambda: listener.popped == ["010-65123456"])

    listener.stop()
    assert not secret_file.exists() and not (hotline_home / PORT_FILE).exists()


def test_a_negative_length_is_refused_at_once_not_read_until_the_client_closes(listener, qtbot):
    # Before: rfile.read(-1) read until the client closed, so one client could grow the console without limit.
    status, answer = _post(listener, b"x" * 65536, length="-1", keep_open=True)
    assert status == 413 and "bytes" in answer["message"]
    for length in (str(MAX_BODY + 1), "0", "+5", "５", "1e3"):
        assert _post(listener, length=length)[0] == 413, length
    assert _raw(listener.port, "POST /call HTTP/1.1\nContent-Type: application/json\n"
                f"{SECRET_HEADER}: {listener.secret}\nTransfer-Encoding: chunked\n")[0] == 411
    assert listener.popped == []


def test_a_web_page_cannot_fake_a_call(listener, qtbot):
    # What a page on http://evil.example can send without a preflight: text/plain, with the browser's Origin.
    status, answer = _post(listener, content_type="text/plain", secret=None, extra="Origin: http://evil.example\n")
    assert status == 403 and "web pages" in answer["message"]
    # Even with the secret and JSON, a request from a browser is refused.
    assert _post(listener, extra="Origin: http://127.0.0.1\n")[0] == 403
    assert _raw(listener.port, "GET /call HTTP/1.1\nOrigin: http://evil.example\n")[0] == 403
    assert listener.popped == []


def test_without_the_secret_or_as_anything_but_json_nothing_pops(listener, qtbot):
    status, answer = _post(listener, secret=None)
    assert status == 403 and "secret" in answer["message"]
    assert _post(listener, secret="guess")[0] == 403
    status, answer = _post(listener, content_type="text/plain")
    assert status == 415 and "application/json" in answer["message"]
    assert _post(listener, content_type=None)[0] == 415
    status, answer = _post(listener, b"not json")
    assert status == 400 and "ani" in answer["message"]
    assert listener.popped == []

    # The same listener still takes a proper call: the refusals came first, so they would have popped first.
    assert _post(listener, content_type="application/json; charset=utf-8")[0] == 202
    qtbot.waitUntil(lambda: listener.popped == ["13800138000"])


def test_hotline_call_without_the_secret_says_what_to_do(listener, hotline_home, capsys):
    (hotline_home / SECRET_FILE).unlink()
    assert send_call("13800138000") == 2
    assert "secret" in capsys.readouterr().err
