"""Bad input never gets a 500: the six causes found so far, then odd input to every route of a real service process."""

from __future__ import annotations

import contextlib
import http.client
import inspect
import io
import json
import logging
import re
import time
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlencode

import pytest

from server.accounts import add_apikey_command
from server.testing import running_api
from tests.e2e.harness import ServerProcess, add_users, token_for

OPEN311 = "/open311/v2"
JSON = {"content-type": "application/json"}
SURROGATE = b'"\\ud800"'  # a lone surrogate as JSON writes it: valid JSON, text no encoder can take
EXTREME_TIME = "9999-12-31T23:59:59-14:00"  # year 10000 in UTC


def new_key(db_url: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert add_apikey_command(db_url, f"fuzz-{uuid.uuid4().hex[:8]}") == 0
    return out.getvalue().strip()


def assert_error_body(r, path: str) -> None:
    """4xx answers say what is wrong in the API's shape: {"error", "message"}, or Open311's under /open311/v2."""
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    if path.startswith(OPEN311):
        if path.endswith(".xml"):
            root = ET.fromstring(r.content)
            assert root.tag == "errors" and root.find("error/description").text, r.text
        else:
            [error] = r.json()
            assert error["code"] == r.status_code and error["description"], r.text
    else:
        body = r.json()
        assert body["error"] and body["message"], r.text


# ---- the six causes of the 500s, one by one (in-process, both databases) -----------------------------------

@pytest.fixture
def api(server_db_url):
    with running_api(server_db_url) as api:
        api.key = new_key(server_db_url)
        yield api


def test_a_lone_surrogate_is_refused_in_sign_in_push_and_open311(api):
    from domain.taxonomy import load_taxonomy

    c = api.client
    r = c.post("/api/v1/auth/token", content=b'{"username": ' + SURROGATE + b', "password": "x"}', headers=JSON)
    assert_error_body(r, "/api/v1/auth/token")
    assert "surrogate" in r.json()["message"]
    body = (b'{"client_id": "c", "schema_version": 1, "mutations": [{"id": 1, "name": "ticket.create", '
            b'"args": {"id": "t1", "description": ' + SURROGATE + b'}}]}')
    r = c.post("/api/v1/sync/push", content=body, headers={**JSON, **api.login("op1")})
    assert_error_body(r, "/api/v1/sync/push")
    # In a key too, and as UTF-8 bytes of a surrogate (not UTF-8 at all).
    r = c.post("/api/v1/auth/token", content=b'{"\\udc00": 1}', headers=JSON)
    assert_error_body(r, "/api/v1/auth/token")
    r = c.post("/api/v1/auth/token", content=b'{"username": "\xed\xa0\x80", "password": "x"}', headers=JSON)
    assert_error_body(r, "/api/v1/auth/token")
    code = load_taxonomy().leaves()[0].code
    body = json.dumps({"api_key": api.key, "service_code": code}).encode()[:-1] + b', "description": ' + SURROGATE + b"}"
    r = c.post(f"{OPEN311}/requests.json", content=body, headers=JSON)
    assert_error_body(r, f"{OPEN311}/requests.json")
    # A surrogate pair is an ordinary character (an emoji) and is taken.
    r = c.post("/api/v1/auth/token", content=b'{"username": "\\ud83d\\ude00", "password": "x"}', headers=JSON)
    assert r.status_code == 401, r.text


def test_deeply_nested_json_is_refused(api):
    for depth in (40, 5_000):
        for body in (b"[" * depth + b"]" * depth, b'{"a": ' * depth + b"1" + b"}" * depth):
            r = api.client.post("/api/v1/sync/push", content=body, headers={**JSON, **api.login("op1")})
            assert_error_body(r, "/api/v1/sync/push")
    # NaN, Infinity and numbers past a float's range are not JSON numbers either.
    for body in (b'{"x": NaN}', b'{"x": 1e999}', b'{"x": -Infinity}'):
        r = api.client.post("/api/v1/sync/push", content=body, headers={**JSON, **api.login("op1")})
        assert_error_body(r, "/api/v1/sync/push")


def test_a_call_time_beyond_year_9999_in_utc_is_rejected_with_the_reason(api):
    # A push carries many tickets: one bad field rejects its mutation (kept on the console with the reason),
    # never the whole push and never a 500.
    for when in (EXTREME_TIME, "0001-01-01T00:00:00+14:00"):
        r = api.push("op1", ("ticket.create", {"id": str(uuid.uuid4()), "description": "d", "call_started_at": when}))
        assert r.status_code == 200, r.text
        [result] = r.json()["results"]
        assert result["status"] == "rejected" and "out of range" in result["error"]
    tid = str(uuid.uuid4())
    [ok] = api.push_ok("op1", ("ticket.create", {"id": tid, "description": "d", "call_started_at": "9999-12-31T23:59:59+00:00"}))
    assert ok["status"] == "applied"
    [bad] = api.push_ok("op1", ("ticket.update", {"id": tid, "base_version": 1, "call_started_at": EXTREME_TIME}))
    assert bad["status"] == "rejected" and "out of range" in bad["error"]


def test_a_ranking_month_out_of_range_is_a_400(api):
    for month in ("9999-12", "0001-01", "２０２６-11", "٢٠٢٦-11", "2026-11\n"):
        r = api.client.get("/api/v1/rankings", params={"month": month}, headers=api.login("sup1"))
        assert_error_body(r, "/api/v1/rankings")
    r = api.client.get("/api/v1/rankings", params={"month": "9999-11"}, headers=api.login("sup1"))
    assert r.status_code == 200 and r.json()["units"] == []


def test_an_export_month_in_full_width_digits_is_refused(api):
    for month in ("２０２６-11", "２０２６-１１", "٢٠٢٦-11", "²⁰²⁶-11", "2026-11\n"):
        r = api.client.get("/api/v1/exports/tickets.csv", params={"month": month}, headers=api.login("sup1"))
        assert_error_body(r, "/api/v1/exports/tickets.csv")
    r = api.client.get("/api/v1/exports/tickets.csv", params={"month": "9999-12"}, headers=api.login("sup1"))
    assert r.status_code == 200 and r.text.startswith("month,")


def test_numbers_count_only_in_ascii_digits(api):
    c = api.client
    for limit in ("²", "１０", "١٠", "1_0", "10.0", "+10", "9" * 40):
        assert_error_body(c.get(f"{OPEN311}/requests.json", params={"api_key": api.key, "limit": limit}),
                          f"{OPEN311}/requests.json")
        assert_error_body(c.get("/api/v1/sync/pull", params={"limit": limit}, headers=api.login("op1")), "/api/v1/sync/pull")
    assert c.get(f"{OPEN311}/requests.json", params={"api_key": api.key, "limit": "10"}).status_code == 200
    assert c.get("/api/v1/sync/pull", params={"limit": "10"}, headers=api.login("op1")).status_code == 200


# ---- odd input to every route of a service process ------------------------------------------------------------

def app_routes(db_url: str) -> list[tuple[str, str, object]]:
    """(method, path, endpoint) of every route the app serves, however routers are nested."""
    from server.app import create_app

    app = create_app(db_url)
    found: list[tuple[str, str, object]] = []

    def walk(routes):
        for route in routes:
            if hasattr(route, "effective_route_contexts"):  # an included router
                walk(route.effective_route_contexts())
            elif hasattr(route, "routes"):
                walk(route.routes)
            elif getattr(route, "methods", None) and getattr(route, "path", None):
                for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
                    found.append((method, route.path, getattr(route, "endpoint", None)))

    walk(app.routes)
    # Nothing the OpenAPI description lists may be missed by the walk.
    listed = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops}
    assert listed <= {(m, p) for m, p, _ in found}, listed - {(m, p) for m, p, _ in found}
    return found


_PARAM_READS = re.compile(r"""(?:query_params\.get|_param|int_param)\(\s*(?:request,\s*)?["']([a-z_]+)["']""")


_NUMBER_READS = re.compile(r"""int_param\(\s*request,\s*["']([a-z_]+)["']""")


def query_names(endpoint) -> tuple[set[str], set[str]]:
    """The query parameters a route reads, and those of them read as whole numbers, from its source: new routes
    are covered without listing them here."""
    try:
        source = inspect.getsource(endpoint)
    except (OSError, TypeError):
        return set(), set()
    names = set(_PARAM_READS.findall(source))
    return names, set(_NUMBER_READS.findall(source)) | (names & {"limit"})


NOT_NUMBERS = ["²", "１２", "١٢", "१२", "1_0", "9" * 40, "1e3", "NaN"]  # a 4xx wherever a whole number is read
ODD_VALUES = [
    *NOT_NUMBERS, "-1", " 0", "%ED%A0%80", "\x00", "x" * 5000,
    "9999-12", "２０２６-１１", EXTREME_TIME, "0001-01-01T00:00:00+14:00",
]
ODD_PATH_VALUES = ["x", "１２", "²", "%ED%A0%80", "%00", "a" * 400, "..%2F..", "json.json"]
ODD_BODIES = [
    b"", b"{}", b"[]", b"null", b"0", SURROGATE, b'{"x": ' + SURROGATE + b"}", b'{"\\udc00": 1}',
    b"[" * 3000 + b"]" * 3000, b'{"a": ' * 40 + b"1" + b"}" * 40, b"\xff\xfe{", b'{"x": 1e999}', b"NaN",
    b'{"x": ' + b"9" * 5000 + b"}", b'{"x": "' + b"y" * 300_000 + b'"}', b"{not json",
]


def shaped_bodies(path: str, key: str) -> list[tuple[bytes, str]]:
    """Bodies of the right shape for a route with one odd field, so the checks past the shape run too."""
    if path.endswith("/sync/push"):
        def push(**args):
            args = {"id": str(uuid.uuid4()), "description": "d", **args}
            return json.dumps({"client_id": "fuzz-" + uuid.uuid4().hex, "schema_version": 1,
                               "mutations": [{"id": 1, "name": "ticket.create", "args": args}]}).encode()
        return [(push(call_started_at=EXTREME_TIME), "application/json"),
                (push(category_code="=HYPERLINK(\"http://x\")"), "application/json"),
                (push(category_code="c" * 65), "application/json"),
                (push(caller_phone="１３８１２３４５６７８"), "application/json"),
                (push(suggestion_rank=10 ** 30), "application/json"),
                (push(description=["not", "text"]), "application/json")]
    if path.endswith("/auth/token"):
        return [(b'{"username": ' + SURROGATE + b', "password": "x"}', "application/json"),
                (json.dumps({"username": "ａｄｍｉｎ", "password": "²"}).encode(), "application/json")]
    if path.startswith(OPEN311):
        form = urlencode({"api_key": key, "service_code": "１２", "description": "d", "lat": "٣٩", "long": "1e999"})
        return [(form.encode(), "application/x-www-form-urlencoded"),
                (b'{"api_key": "' + key.encode() + b'", "description": ' + SURROGATE + b"}", "application/json"),
                (b"api_key=%ED%A0%80&description=%00", "application/x-www-form-urlencoded")]
    # Any other body: the field names the API uses, each holding something odd.
    odd = {"first_mutation_id": 10 ** 30, "client_id": "１２", "client_secret": "²" * 300, "username": "ａｄｍｉｎ",
           "password": "١٢" * 600, "reason": "x" * 20_000, "limit": -1, "month": "9999-12"}
    return [(json.dumps(odd).encode(), "application/json"),
            (json.dumps({k: -1 if isinstance(v, int) else ["list"] for k, v in odd.items()}).encode(), "application/json")]


class Connection:
    """One kept-alive HTTP/1.1 connection; a request fails the test if the service closed it after an answer."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.conn.connect()
        self.sock = self.conn.sock
        self.last = "(first request)"
        self.count = 0

    def request(self, method: str, target: str, body: bytes | None = None, headers: dict | None = None):
        assert self.conn.sock is self.sock, f"the service closed the connection after {self.last}"
        self.last = f"{method} {target[:200]}"
        self.count += 1
        try:
            self.conn.request(method, target, body=body, headers=headers or {})
            response = self.conn.getresponse()
            content = response.read()
        except (http.client.RemoteDisconnected, ConnectionError) as exc:
            pytest.fail(f"the service dropped the connection on or after {self.last}: {exc!r}")
        except TimeoutError:
            pytest.fail(f"no answer in {self.conn.timeout} s to {self.last}")
        return response, content

    def stream(self, method: str, target: str, headers: dict) -> int:
        """A request that may answer with an endless event stream: only its status is read, then a new connection."""
        self.conn.request(method, target, headers=headers)
        response = self.conn.getresponse()
        status = response.status
        self.conn.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        self.conn.connect()
        self.sock = self.conn.sock
        return status


class Answer:
    def __init__(self, status: int, content: bytes):
        self.status_code, self.content = status, content
        self.text = content.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.content)


def fill(path: str, value: str) -> str:
    return re.sub(r"\{[a-z_]+\}", value, path)


@pytest.fixture
def service(server_db_url, tmp_path):
    add_users(server_db_url, [("fuzzadmin", "admin", None)])
    key = new_key(server_db_url)
    routes = app_routes(server_db_url)
    # Models are not what is tested here: no keeper building a starter model beside the requests.
    server = ServerProcess(server_db_url, tmp_path / "service", env={"HOTLINE_MODEL_KEEPER": "off"}).start()
    try:
        yield server, routes, key
    finally:
        server.stop()


def test_odd_input_to_every_route_is_never_a_500_and_keeps_the_connection(service):
    server, routes, key = service
    token = token_for(server.url, "fuzzadmin")
    signed_in = {"Authorization": f"Bearer {token}"}
    conn = Connection(server.port)
    failures: list[str] = []
    started = time.monotonic()

    def check(method, target, headers=None, body=None, content_type=None, refused=False):
        headers = dict(headers or {})
        if content_type:
            headers["Content-Type"] = content_type
        path = target.split("?", 1)[0]
        if path.endswith("/sync/events") and "Authorization" in headers:
            status = conn.stream(method, target, headers)
            if status >= 500:
                failures.append(f"{status} {method} {target[:200]}")
            return
        response, content = conn.request(method, target, body=body, headers=headers)
        answer = Answer(response.status, content)
        if response.status >= 500 or 300 <= response.status < 400:
            failures.append(f"{response.status} {method} {target[:200]} body={body[:80] if body else b''!r}: "
                            f"{answer.text[:200]}")
        elif refused and response.status < 400:
            failures.append(f"{response.status}, not a refusal: {method} {target[:200]}")
        elif response.status >= 400:
            try:
                assert_error_body(answer, path)
            except (AssertionError, ValueError, ET.ParseError, KeyError, TypeError) as exc:
                failures.append(f"{response.status} without the error body: {method} {target[:200]}: {exc!r}")

    logout = [r for r in routes if r[1].endswith("/auth/logout")]
    for method, path, endpoint in routes:
        if (method, path) in {(m, p) for m, p, _ in logout}:
            continue  # signing out ends the token the rest use: done last
        open311 = path.startswith(OPEN311)
        credentials = [{}, {} if open311 else signed_in]
        key_query = {"api_key": key} if open311 else {}
        base = fill(path, "json") if open311 else fill(path, "x")
        # Without a token, with an odd one and with a valid one (for Open311, an api_key); then every odd value in
        # each parameter the route reads.
        odd_token = {"Authorization": "Bearer \xb2\xff" + "x" * 300, "X-API-Key": "\xb2"}
        for headers, query in ((credentials[0], {}), (odd_token, {}), (credentials[1], key_query)):
            check(method, base + ("?" + urlencode(query) if query else ""), headers)
        names, numbers = query_names(endpoint)
        for name in sorted(names):
            for value in ODD_VALUES:
                check(method, base + "?" + urlencode({**key_query, name: value}), credentials[1],
                      refused=name in numbers and value in NOT_NUMBERS)
        if "{" in path:
            for value in ODD_PATH_VALUES:
                value = quote(value, safe="%.")  # as a client would send it; %ED%A0%80 stays as it is
                check(method, fill(path, value + ".json" if open311 else value), credentials[1])
                if open311:
                    check(method, fill(path, value), credentials[1])
        if method in ("POST", "PUT", "PATCH"):
            target = base + ("?" + urlencode(key_query) if key_query else "")
            for body in ODD_BODIES:
                check(method, target, credentials[1], body, "application/json")
            for body, kind in shaped_bodies(path, key):
                check(method, target, credentials[1], body, kind)
            check(method, target, credentials[1], b'{"x": 1}', "text/plain; charset=\xff")
    for method, path, _ in logout:
        for body in (SURROGATE, b"[" * 3000 + b"]" * 3000):
            check(method, path, signed_in, body, "application/json")
        check(method, path, {"Authorization": "Bearer " + "x" * 5000})
        check(method, path, signed_in)
    # After everything, the same connection still answers.
    response, _ = conn.request("GET", "/api/v1/time")
    assert response.status == 200
    elapsed = time.monotonic() - started
    print(f"fuzz: {conn.count} requests over {len(routes)} routes in {elapsed:.1f} s; whole numbers read in "
          f"{sum(bool(query_names(e)[1]) for _, _, e in routes)} routes")
    assert not failures, "\n".join(failures[:40])
    assert "Traceback" not in server.log_tail(2000), server.log_tail(80)


def test_an_unexpected_error_is_a_json_500_that_keeps_the_connection(sqlite_url, caplog):
    """A bug still answers in the API's shape, and the client's kept-alive connection stays usable."""
    import threading

    import uvicorn

    from server.testing import make_app
    from tests.e2e.harness import free_port
    from tests.support import wait_until

    app = make_app(sqlite_url)

    async def broken():
        raise RuntimeError("a bug")

    app.add_api_route("/api/v1/broken", broken, methods=["GET"])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_until(lambda: server.started, timeout=30, message="the service did not start")
        conn = Connection(port)
        with caplog.at_level(logging.ERROR, logger="hotline.server.http"):  # the bug is logged in full: expected
            for _ in range(3):
                response, content = conn.request("GET", "/api/v1/broken")
                assert response.status == 500
                assert json.loads(content)["error"] == "internal" and "Traceback" not in content.decode()
                response, _ = conn.request("GET", "/api/v1/time")
                assert response.status == 200
        assert "RuntimeError: a bug" in caplog.text
    finally:
        server.should_exit = True
        thread.join(timeout=30)
