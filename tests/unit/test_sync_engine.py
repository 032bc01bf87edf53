"""The sync engine against an in-memory service (httpx2 MockTransport) and an in-memory cache."""

from __future__ import annotations

import json
import logging
import random
import threading
from datetime import datetime, timedelta, timezone

import httpx2
import pytest

from domain import wire
from storage.http_client import LoginError, login, parse_retry_after
from storage.sync import Backoff, SyncEngine, SyncError
from storage.sync_identity import location_of
from tests.support import wait_until

PHONE = "13812345678"


class FakeCache:
    """Just the outbox and pull side of LocalCache, as the contract describes them."""

    def __init__(self):
        self.client_id = "local-1"  # the id a cache made itself before registration; retired below
        self.outbox: list[wire.Mutation] = []
        self.rejected: list[dict] = []
        self.cursor = 0
        self.tickets: dict[str, dict] = {}
        # Registered as "client-1" with FakeService's secret, here on this machine.
        self.meta: dict[str, str] = {"legacy_client_id_retired": "1", "sync_identity:op1": json.dumps(
            {"client_id": "client-1", "client_secret": "s1", "first": 1, "next": 1, "where": location_of(self)})}
        self.resets = 0
        self.skipped_to: int | None = None
        self.acked: list[wire.Mutation] = []
        self._next = 1

    def add(self, name="ticket.create", **args):
        args.setdefault("id", f"t{self._next}")
        self.outbox.append(wire.Mutation(self._next, name, args))
        self._next += 1

    def pending_mutations(self, limit=500, author=None):
        return self.outbox[:limit]  # every change here is the signed-in user's

    def pending_count(self, author=None):
        return len(self.outbox)

    def record_push_results(self, results):
        done = {r["id"] for r in results}
        for r in results:
            if r["status"] == "rejected":
                self.rejected.append(r)
        self.acked += [m for m in self.outbox if m.id in done]
        self.outbox = [m for m in self.outbox if m.id not in done]

    def rejections(self):
        return list(self.rejected)

    def apply_changes(self, changes, cursor, *, reset=False):
        summary = wire.empty_summary(reset=reset)
        for c in changes:
            if c["kind"] == "ticket":
                self.tickets[c["ticket"]["id"]] = c["ticket"]
                summary["tickets"].append(c["ticket"]["id"])
        self.cursor = cursor
        return summary

    def reset_for_full_pull(self):
        self.resets += 1
        self.tickets.clear()
        self.cursor = 0

    def skip_to(self, last, author=None, since=0):
        # As LocalCache does: what the service no longer has goes back to pending.
        self.skipped_to = last
        back = [m for m in self.acked if m.id > last]
        self.acked = [m for m in self.acked if m.id <= last]
        self.outbox = sorted(back + [m for m in self.outbox if m.id > last], key=lambda m: m.id)

    def get_meta(self, key):
        return self.meta.get(key)

    def set_meta(self, key, value):
        self.meta[key] = value


class FakeService:
    """Push and pull with the server's rules: idempotent by (client, id), gaps, rejections, a change counter."""

    def __init__(self, clock_skew_s: float = 0.0):
        self.seen: dict[str, int] = {}
        self.tickets: dict[str, dict] = {}
        self.changes: list[dict] = []
        self.pushes: list[list[int]] = []
        self.requests: list[httpx2.Request] = []
        self.skew = timedelta(seconds=clock_skew_s)
        self.fail_next: list[object] = []  # httpx2.Response or an exception, used once each
        self.lose_next_push_response = False
        self.reject_names: set[str] = set()
        self.registered: dict[str, str] = {"client-1": "s1"}  # client id -> secret

    def now(self):
        return (datetime.now(timezone.utc) + self.skew).isoformat()

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        if self.fail_next:
            failure = self.fail_next.pop(0)
            if isinstance(failure, Exception):
                raise failure
            return failure
        if request.url.path == wire.SyncPath.REGISTER:
            first = json.loads(request.content)["first_mutation_id"]
            client_id = f"reg-{len(self.registered) + 1}"
            self.registered[client_id] = "secret-" + client_id
            self.seen[client_id] = first - 1
            return httpx2.Response(200, json={"client_id": client_id, "client_secret": self.registered[client_id],
                                              "username": "op1", "last_mutation_id": first - 1})
        if request.url.path == "/api/v1/sync/push":
            body = json.loads(request.content)
            if body["client_id"] in self.registered and body.get("client_secret") != self.registered[body["client_id"]]:
                return httpx2.Response(403, json={"error": "client_not_yours", "message": "not yours"})
            if body.get("client_secret") and body["client_id"] not in self.registered:
                return httpx2.Response(403, json={"error": "unknown_client", "message": "register again"})
            return self.push(body)
        if request.url.path == "/api/v1/sync/pull":
            return self.pull(int(request.url.params["cursor"]), int(request.url.params["limit"]))
        return httpx2.Response(404, json={"error": "not_found", "message": "no such thing"})

    def push(self, body):
        client = body["client_id"]
        last = self.seen.get(client, 0)
        ids = [m["id"] for m in body["mutations"]]
        self.pushes.append(ids)
        if ids and ids[0] > last + 1:
            return httpx2.Response(409, json={"error": "gap", "last_mutation_id": last, "message": "gap"})
        results = []
        for m in body["mutations"]:
            if m["id"] <= last:
                results.append({"id": m["id"], "status": "duplicate"})
                continue
            last = m["id"]
            if m["name"] in self.reject_names:
                results.append({"id": m["id"], "status": "rejected", "error": "not allowed"})
                continue
            ticket = {"id": m["args"]["id"], "number": f"N{len(self.tickets) + 1}", **m["args"]}
            self.tickets[ticket["id"]] = ticket
            self.changes.append({"seq": len(self.changes) + 1, "kind": "ticket", "ticket": ticket})
            results.append({"id": m["id"], "status": "applied"})
        self.seen[client] = last
        if self.lose_next_push_response:
            self.lose_next_push_response = False
            raise httpx2.ReadError("connection reset after the service applied the push")
        return httpx2.Response(200, json={"last_mutation_id": last, "results": results, "server_time": self.now()})

    def pull(self, cursor, limit):
        page = [c for c in self.changes if c["seq"] > cursor][:limit]
        new_cursor = page[-1]["seq"] if page else cursor
        return httpx2.Response(200, json={"cursor": new_cursor, "changes": page, "server_time": self.now()})


def _who(service):
    """The service as the engine meets it: it first asks who the token belongs to (op1 here)."""

    def handler(request):
        if request.url.path == wire.SyncPath.ME:
            return httpx2.Response(200, json={"username": "op1", "role": "operator"})
        return service(request)

    return handler


def make_engine(cache, service, **kwargs):
    client = httpx2.Client(transport=httpx2.MockTransport(_who(service)))
    kwargs.setdefault("live", False)
    return SyncEngine(cache, "http://hotline.test", lambda: "token", client=client, **kwargs)


def test_drains_outbox_in_order_in_batches_and_pulls_numbers():
    cache, service = FakeCache(), FakeService()
    for i in range(7):
        cache.add(description=f"d{i}")
    states = []
    engine = make_engine(cache, service, push_batch=3, pull_limit=2, on_state=states.append)
    state = engine.sync_once()
    assert service.pushes == [[1, 2, 3], [4, 5, 6], [7]]
    assert state.online and state.pending == 0 and state.last_error is None and state.last_success
    assert len(cache.tickets) == 7 and all(t["number"] for t in cache.tickets.values())
    assert cache.cursor == 7
    assert states[-1] == state


def test_rejected_mutation_is_kept_with_its_reason_and_does_not_block_later_ones():
    cache, service = FakeCache(), FakeService()
    service.reject_names = {"ticket.reassign"}
    cache.add(description="a")
    cache.add("ticket.reassign", expected_operator="op1", operator="op2", reason="shift")
    cache.add(description="b")
    state = make_engine(cache, service).sync_once()
    assert state.pending == 0 and state.rejected == 1
    assert cache.rejected == [{"id": 2, "status": "rejected", "error": "not allowed"}]
    assert set(service.tickets) == {"t1", "t3"}


def test_push_replayed_after_lost_response_creates_nothing_twice():
    cache, service = FakeCache(), FakeService()
    for i in range(4):
        cache.add(description=f"d{i}")
    service.lose_next_push_response = True
    engine = make_engine(cache, service)
    state = engine.sync_once()
    assert not state.online and state.pending == 4 and "cannot be reached" in state.last_error
    state = engine.sync_once()
    assert state.online and state.pending == 0
    assert service.pushes == [[1, 2, 3, 4], [1, 2, 3, 4]]
    assert len(service.tickets) == 4 and len(service.changes) == 4
    assert len(cache.tickets) == 4


def test_gap_after_the_service_lost_changes_sends_them_again():
    cache, service = FakeCache(), FakeService()
    for i in range(3):
        cache.add(description=f"d{i}")
    engine = make_engine(cache, service)
    engine.sync_once()
    # The service's database is restored from a copy that has only the first change.
    service.seen["client-1"] = 1
    del service.tickets["t2"], service.tickets["t3"]
    cache.add(description="d3")
    state = engine.sync_once()
    assert cache.skipped_to == 1
    assert service.pushes[-2:] == [[4], [2, 3, 4]]
    assert state.pending == 0 and set(service.tickets) == {"t1", "t2", "t3", "t4"}


def test_too_large_a_batch_is_halved():
    cache, service = FakeCache(), FakeService()
    for i in range(8):
        cache.add(description=f"d{i}")

    def handler(request):
        if request.url.path == "/api/v1/sync/push" and len(json.loads(request.content)["mutations"]) > 3:
            return httpx2.Response(413, json={"error": "too_large", "message": "Send at most 3"})
        return service(request)

    state = make_engine(cache, handler, push_batch=8).sync_once()
    assert state.pending == 0 and service.pushes == [[1, 2], [3, 4], [5, 6], [7, 8]]


def test_gap_behind_the_service_counts_as_already_sent():
    cache, service = FakeCache(), FakeService()
    service.seen["client-1"] = 1
    cache.add(description="x")
    cache.add(description="y")
    # The service already has 1: it answers duplicates for it and applies 2.
    make_engine(cache, service).sync_once()
    assert list(service.tickets) == ["t2"] and not cache.outbox


def test_gap_without_any_answer_the_engine_understands_is_an_error():
    cache, service = FakeCache(), FakeService()
    cache.add(description="x")
    service.fail_next = [httpx2.Response(409, json={"error": "gap"})]
    engine = make_engine(cache, service)
    with pytest.raises(SyncError):
        engine._sync()
    assert "disagree" in engine.state.last_error and cache.pending_count() == 1


def test_busy_service_retry_after_is_honoured_and_backoff_resets_on_success():
    cache, service = FakeCache(), FakeService()
    cache.add(description="x")
    service.fail_next = [httpx2.Response(503, headers={"Retry-After": "7"}, json={"error": "unavailable"})]
    engine = make_engine(cache, service, backoff=Backoff(base=0.1, cap=1.0, rng=random.Random(1)))
    assert engine._attempt() is False
    state = engine.state
    assert not state.online and state.pending == 1 and "busy" in state.last_error
    import time

    assert engine._retry_not_before - time.monotonic() >= 6.5
    assert engine.backoff.failures == 1
    assert engine._attempt() is True
    assert engine.backoff.failures == 0 and engine.state.online and engine.state.pending == 0


def test_backoff_grows_with_jitter_up_to_the_cap():
    backoff = Backoff(base=1.0, cap=8.0, rng=random.Random(3))
    delays = [backoff.next_delay() for _ in range(8)]
    steps = [1, 2, 4, 8, 8, 8, 8, 8]
    assert all(step / 2 <= d <= step for d, step in zip(delays, steps))
    assert len({round(d, 6) for d in delays[3:]}) > 1  # jitter spreads consoles out
    assert backoff.next_delay(retry_after=30.0) >= 30.0
    backoff.reset()
    assert backoff.next_delay() <= 1.0


def test_retry_after_accepts_seconds_and_http_dates():
    now = datetime(2026, 11, 27, 12, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after("Fri, 27 Nov 2026 12:00:10 GMT", now=now) == 10.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_expired_sign_in_is_reported_as_such():
    cache, service = FakeCache(), FakeService()
    cache.add(description="x")
    service.fail_next = [httpx2.Response(401, json={"error": "unauthorized", "message": "token expired"})]
    state = make_engine(cache, service).sync_once()
    assert state.signed_in is False and "sign in again" in state.last_error and state.pending == 1


def test_no_token_means_no_network_call():
    cache, service = FakeCache(), FakeService()
    client = httpx2.Client(transport=httpx2.MockTransport(_who(service)))
    engine = SyncEngine(cache, "http://hotline.test", lambda: None, client=client, live=False)
    state = engine.sync_once()
    assert not service.requests and state.signed_in is False and "sign in" in state.last_error


def test_clock_offset_is_estimated_from_server_time():
    cache, service = FakeCache(), FakeService(clock_skew_s=120.0)
    state = make_engine(cache, service).sync_once()
    assert 119.0 < state.clock_offset_s < 121.0


def test_clock_offset_falls_back_to_the_date_header():
    cache = FakeCache()
    later = datetime.now(timezone.utc) + timedelta(seconds=-300)

    def service(request):
        return httpx2.Response(200, headers={"Date": later.strftime("%a, %d %b %Y %H:%M:%S GMT")},
                               json={"cursor": 0, "changes": []})

    state = make_engine(cache, service).sync_once()
    assert -302.0 < state.clock_offset_s < -298.0


def test_reset_reloads_everything():
    cache, service = FakeCache(), FakeService()
    cache.cursor = 999
    cache.tickets["stale"] = {"id": "stale"}
    service.changes = [{"seq": 1, "kind": "ticket", "ticket": {"id": "a", "number": "N1"}}]
    answers = iter([httpx2.Response(200, json={"cursor": 0, "changes": [], "reset": True})])

    def handler(request):
        if request.url.path == "/api/v1/sync/pull" and request.url.params["cursor"] == "999":
            return next(answers)
        return service(request)

    changed = []
    state = make_engine(cache, handler, on_changes=changed.append).sync_once()
    assert cache.resets == 1 and list(cache.tickets) == ["a"] and state.cursor == 1
    # The console hears of the reload at once (its views reload whole), then of what arrived.
    assert changed[0] == wire.empty_summary(reset=True)
    assert changed[-1]["tickets"] == ["a"] and changed[-1]["reset"] is True


def test_phone_numbers_never_reach_urls_or_logs(caplog):
    caplog.set_level(logging.DEBUG)
    cache, service = FakeCache(), FakeService()
    cache.add(caller_phone=PHONE, description="noise")
    service.fail_next = [httpx2.Response(422, json={"error": "bad", "message": "bad"})]
    engine = make_engine(cache, service)
    engine.sync_once()
    engine.sync_once()
    assert service.tickets["t1"]["caller_phone"] == PHONE
    assert all(PHONE not in str(r.url) for r in service.requests)
    assert PHONE not in caplog.text


def test_run_loop_syncs_on_poke_and_stops():
    cache, service = FakeCache(), FakeService()
    states = []
    engine = make_engine(cache, service, periodic_pull_s=60.0, on_state=states.append)
    stop = threading.Event()
    thread = threading.Thread(target=engine.run, args=(stop,))
    thread.start()
    try:
        wait_until(lambda: engine.state.last_success is not None)
        cache.add(description="typed while online")
        engine.poke()
        wait_until(lambda: "t1" in cache.tickets, message="a poke should send the new ticket at once")
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


def test_run_loop_keeps_pending_count_right_while_offline():
    cache, service = FakeCache(), FakeService()
    service.fail_next = [httpx2.ConnectError("refused")] * 1000
    engine = make_engine(cache, service, backoff=Backoff(base=30.0, cap=30.0))
    stop = threading.Event()
    thread = threading.Thread(target=engine.run, args=(stop,))
    thread.start()
    try:
        wait_until(lambda: engine.state.last_error is not None)
        assert engine.state.online is False
        requests_before = len(service.requests)
        cache.add(description="saved offline")
        engine.poke()
        wait_until(lambda: engine.state.pending == 1)
        assert len(service.requests) == requests_before  # a local save does not hammer a dead service
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


def _login_service(status, body, headers=None):
    def handler(request):
        assert request.url.path == "/api/v1/auth/token"
        return httpx2.Response(status, json=body, headers=headers or {})

    return httpx2.Client(transport=httpx2.MockTransport(handler))


def test_login_returns_a_session():
    client = _login_service(200, {"access_token": "abc", "token_type": "bearer", "expires_in": 3600,
                                  "role": "handler", "username": "hd1", "unit_code": "U1"})
    session = login("http://hotline.test/", "hd1", "pw", client=client)
    assert (session.token, session.role, session.username, session.unit_code) == ("abc", "handler", "hd1", "U1")
    assert session.expires_at > datetime.now(timezone.utc) and not session.expired


@pytest.mark.parametrize(
    "status, headers, expected",
    [
        (401, {}, "wrong user name or password"),
        (429, {"Retry-After": "120"}, "too many failed sign-ins: try again in 2 minute(s)"),
        (503, {"Retry-After": "3"}, "busy"),
    ],
)
def test_login_errors_are_plain_words(status, headers, expected):
    client = _login_service(status, {"error": "x", "message": "x"}, headers)
    with pytest.raises(LoginError) as info:
        login("http://hotline.test", "op1", "bad", client=client)
    assert expected in info.value.message


def test_login_offline():
    def handler(request):
        raise httpx2.ConnectError("refused")

    with pytest.raises(LoginError) as info:
        login("http://hotline.test", "op1", "pw", client=httpx2.Client(transport=httpx2.MockTransport(handler)))
    assert info.value.message == "the central service cannot be reached: working offline"
    assert info.value.offline


def test_signing_in_again_ends_the_wait_at_once():
    cache, service = FakeCache(), FakeService()
    token: list = []
    client = httpx2.Client(transport=httpx2.MockTransport(_who(service)))
    engine = SyncEngine(cache, "http://hotline.test", lambda: token[0] if token else None, client=client,
                        live=False, backoff=Backoff(base=60.0, cap=60.0))
    stop = threading.Event()
    thread = threading.Thread(target=engine.run, args=(stop,))
    thread.start()
    try:
        wait_until(lambda: engine.state.signed_in is False)
        cache.add(description="saved before signing in")
        token.append("fresh")
        engine.poke()
        wait_until(lambda: engine.state.pending == 0 and engine.state.signed_in, message="sign-in should end the backoff")
    finally:
        stop.set()
        thread.join(timeout=5)


def test_the_services_epoch_is_remembered_and_sent_back():
    cache = FakeCache()
    seen_epochs = []

    def handler(request):
        if request.url.path == wire.SyncPath.PULL:
            seen_epochs.append(request.url.params.get("epoch"))
        return httpx2.Response(200, json={"cursor": 0, "changes": [], "has_more": False, "epoch": "E1"})

    engine = make_engine(cache, handler)
    engine.sync_once()
    engine.sync_once()
    assert seen_epochs == [None, "E1"] and cache.meta["server_epoch"] == "E1"


def _new_server_ticket(service, ticket_id):
    service.tickets[ticket_id] = {"id": ticket_id, "number": "N9", "description": "from elsewhere"}
    service.changes.append({"seq": len(service.changes) + 1, "kind": "ticket", "ticket": service.tickets[ticket_id]})


def _run(engine):
    stop = threading.Event()
    thread = threading.Thread(target=engine.run, args=(stop,), daemon=True)
    thread.start()
    return stop, thread


def test_a_server_sent_poke_brings_changes_without_waiting_for_the_periodic_pull():
    cache, service = FakeCache(), FakeService()
    poke = threading.Event()
    stop_stream = threading.Event()

    def stream():
        yield b": connected\n\n"
        while not stop_stream.is_set():
            if poke.wait(0.05):
                poke.clear()
                yield f"event: changed\ndata: {json.dumps({'cursor': len(service.changes)})}\n\n".encode()

    def handler(request):
        if request.url.path == "/api/v1/sync/events":
            assert request.headers["Authorization"] == "Bearer token"
            return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=stream())
        return service(request)

    engine = make_engine(cache, handler, live=True, periodic_pull_s=600.0)
    stop, thread = _run(engine)
    try:
        wait_until(lambda: engine.state.last_success is not None)
        _new_server_ticket(service, "elsewhere")
        poke.set()
        wait_until(lambda: "elsewhere" in cache.tickets, message="the poke should start a pull")
    finally:
        stop.set()
        stop_stream.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


def test_without_server_sent_events_the_engine_long_polls():
    cache, service = FakeCache(), FakeService()
    changed = threading.Event()
    waits = []

    def handler(request):
        if request.url.path == "/api/v1/sync/events":
            return httpx2.Response(404, json={"error": "not_found", "message": "no events here"})
        if request.url.path == "/api/v1/sync/pull" and request.url.params.get("wait"):
            waits.append(int(request.url.params["wait"]))
            changed.wait(2.0)  # the service holds the request until something changes
        return service(request)

    engine = make_engine(cache, handler, live=True, periodic_pull_s=600.0, long_poll_s=2.0)
    stop, thread = _run(engine)
    try:
        wait_until(lambda: waits, message="the engine should fall back to a long-poll")
        _new_server_ticket(service, "polled")
        changed.set()
        wait_until(lambda: "polled" in cache.tickets, message="the long-poll answer should start a pull")
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive() and waits[0] == 2


def test_a_new_model_is_downloaded_installed_and_reported_once(monkeypatch, tmp_path):
    import hashlib
    import sys
    import types

    package = b"model package bytes"
    digest = hashlib.sha256(package).hexdigest()
    installed = []

    def install_package(data, expected_sha256, dest_root):
        assert data == package and expected_sha256 == digest
        path = dest_root / "v2"
        path.mkdir(parents=True, exist_ok=True)
        installed.append(path)
        return path

    monkeypatch.setitem(sys.modules, "classifier.package", types.SimpleNamespace(install_package=install_package))
    cache, service = FakeCache(), FakeService()

    def handler(request):
        if request.url.path == "/api/v1/models/latest":
            return httpx2.Response(200, json={"version": "v2", "taxonomy_version": "t1", "sha256": digest,
                                              "size": len(package)})
        if request.url.path == "/api/v1/models/v2/package":
            return httpx2.Response(200, content=package)
        return service(request)

    arrived = []
    engine = make_engine(cache, handler, on_model=arrived.append, model_root=tmp_path)
    assert engine.check_model() == tmp_path / "v2"
    assert engine.check_model() is None  # already installed: not fetched again
    assert arrived == [tmp_path / "v2"] and cache.meta["model_version"] == "v2"
    assert engine.state.model_version == "v2"


def test_no_model_on_the_service_is_not_an_error():
    cache, service = FakeCache(), FakeService()
    engine = make_engine(cache, service, on_model=lambda path: None)
    assert engine.check_model() is None


def test_pull_behind_a_long_drain_ends_with_everything_in_place():
    cache, service = FakeCache(), FakeService()
    for i in range(40):
        cache.add(description=f"d{i}")
    state = make_engine(cache, service, push_batch=5, pull_limit=7, overlap_pull=True).sync_once()
    assert state.pending == 0 and state.last_error is None
    assert service.pushes[0] == [1, 2, 3, 4, 5] and len(service.pushes) == 8
    assert len(cache.tickets) == 40 and cache.cursor == 40


def test_a_push_the_service_refuses_does_not_stop_changes_coming_in():
    cache, service = FakeCache(), FakeService()
    cache.add(description="stuck")
    _new_server_ticket(service, "from-elsewhere")

    def handler(request):
        if request.url.path == "/api/v1/sync/push":
            return httpx2.Response(422, json={"error": "malformed_mutation", "message": "A mutation is malformed: x."})
        return service(request)

    state = make_engine(cache, handler).sync_once()
    assert "from-elsewhere" in cache.tickets
    assert state.last_error == "A mutation is malformed: x." and state.pending == 1


def test_a_full_disk_is_reported_calmly():
    from storage.errors import EnvironmentProblem

    class FullCache(FakeCache):
        def apply_changes(self, changes, cursor, **options):
            raise EnvironmentProblem("The disk is full: free some space; nothing typed so far is lost.", "disk_full")

    cache, service = FullCache(), FakeService()
    _new_server_ticket(service, "x")
    engine = make_engine(cache, service)
    assert engine._attempt() is False
    assert engine.state.last_error.startswith("The disk is full")


def test_run_loop_does_the_cache_upkeep_off_the_save_path(tmp_path, monkeypatch):
    """Saves never checkpoint the WAL themselves: the sync thread does, online or offline."""
    import storage.sync
    from storage.cache import LocalCache

    monkeypatch.setattr(storage.sync, "MAINTENANCE_EVERY_S", 0.0)
    cache = LocalCache(tmp_path / "cache.db")
    for n in range(20):
        cache.create_ticket({"description": f"路灯不亮 {n}"}, "op1")
    upkeep = []
    real = cache.maintenance
    monkeypatch.setattr(cache, "maintenance", lambda: (real(), upkeep.append(1)))
    service = FakeService()
    service.fail_next = [httpx2.ConnectError("refused")] * 1000
    engine = make_engine(cache, service, backoff=Backoff(base=0.01, cap=0.02))
    stop = threading.Event()
    thread = threading.Thread(target=engine.run, args=(stop,))
    thread.start()
    try:
        wait_until(lambda: len(upkeep) >= 2, message="the offline sync loop should still do the cache's upkeep")
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()
    # Checkpointed: the next save starts the WAL from its beginning, so it holds that one save's pages only
    # (twenty saves left hundreds of pages in it).
    cache.create_ticket({"description": "井盖丢失"}, "op1")
    raw = cache._engine.raw_connection()
    try:
        _busy, wal_pages, _done = raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        raw.close()
    assert wal_pages < 60
    assert cache.count_tickets() == 21


def test_a_service_that_lost_this_consoles_registration_gets_everything_sent_under_it_again():
    cache, service = FakeCache(), FakeService()
    for i in range(2):
        cache.add(description=f"d{i}")
    engine = make_engine(cache, service)
    assert engine.sync_once().pending == 0
    # The service's database is restored from before this console registered: the id and its tickets are gone.
    service.registered.clear()
    service.seen.clear()
    service.tickets.clear()
    cache.add(description="d2")
    state = engine.sync_once()
    assert state.last_error is None and state.pending == 0
    assert set(service.tickets) == {"t1", "t2", "t3"}
    assert json.loads(cache.meta["sync_identity:op1"])["client_id"] != "client-1"


def test_a_conflict_resends_the_matching_ones_then_registers_from_the_first_that_differs():
    cache, service = FakeCache(), FakeService()
    for i in range(3):
        cache.add(description=f"d{i}")
    calls = []

    def handler(request):
        body = json.loads(request.content) if request.content else {}
        if request.url.path == wire.SyncPath.PUSH and body["client_id"] == "client-1" and len(body["mutations"]) > 1:
            calls.append([m["id"] for m in body["mutations"]])
            return httpx2.Response(409, json={"error": "mutation_conflict", "mutation_id": 2, "last_mutation_id": 5,
                                              "message": "copied or restored"})
        return service(request)

    state = make_engine(cache, handler).sync_once()
    assert state.last_error is None and state.pending == 0
    # Under the old id: all three (conflict at 2), then 1 alone (the service's answer for it), then 2 and 3 again
    # (conflict at the first): 2 and 3 go out under a new registration that starts at 2.
    assert calls == [[1, 2, 3], [2, 3]]
    new_id = json.loads(cache.meta["sync_identity:op1"])["client_id"]
    assert service.pushes == [[1], [2, 3]] and new_id != "client-1" and service.seen[new_id] == 3
