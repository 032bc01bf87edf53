"""Consoles sync through a faulty network while the service is SIGKILLed: exactly once, converged, no gaps."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx2
import pytest
from sqlalchemy import create_engine, text

from tests.e2e.harness import ServerProcess, add_users, make_console, token_for
from tests.helpers.faultproxy import FaultProxy
from tests.support import poll_until, wait_until


ACCOUNTS = [("op1", "operator", None), ("op2", "operator", None), ("sup1", "supervisor", None)]
LATECOMER = ("sup2", "supervisor", None)  # a fourth console that only reads, starting with a full reload mid-run
PUSH = "POST /api/v1/sync/push"
# A network that loses a fair share of everything, so every console meets every fault many times.
LOSSY = dict(cut=0.12, drop_response=0.12, delay=0.2, delay_s=(0.02, 0.25))


@dataclass
class Workload:
    """What the consoles did (kept here, not read back from them), to check the service against."""

    consoles: list
    rng: random.Random = field(default_factory=lambda: random.Random(11))
    tickets: dict[str, str] = field(default_factory=dict)  # ticket id -> console that made it
    notes: set[str] = field(default_factory=set)
    mutations: Counter = field(default_factory=Counter)  # console -> mutations queued
    answered: int = 0
    closed: int = 0

    def round(self, new: int = 2) -> None:
        """Every console saves `new` tickets, answers one, closes one and adds a note, as call-takers do."""
        for console in self.consoles:
            cache, name, role = console.cache, console.name, console.role
            for _ in range(new):
                ticket = cache.create_ticket({"description": f"{name}: 小区门口垃圾没人清运 {len(self.tickets)}",
                                              "caller_phone": "13812345678"}, name)
                self.tickets[ticket["id"]] = name
                self.mutations[name] += 1
            mine = cache.list_tickets(operator=name, limit=1000)
            registered = [t["id"] for t in mine if t["status"] == "registered"]
            answered = [t["id"] for t in mine if t["status"] == "answered"]
            if len(registered) > new:  # the newest stay registered, so every status stays in the mix
                cache.transition(self.rng.choice(registered[new:]), "answer", name, role)
                self.mutations[name] += 1
                self.answered += 1
            if answered:
                cache.transition(self.rng.choice(answered), "close", name, role)
                self.mutations[name] += 1
                self.closed += 1
            # A note on someone's ticket this console has (its own, or one another console made and it pulled).
            target = self.rng.choice(cache.list_tickets(limit=50))["id"]
            self.notes.add(cache.add_note(target, f"{name} called back", name)["id"])
            self.mutations[name] += 1
            console.engine.poke()

    def all_sent(self) -> bool:
        return all(console.cache.pending_count() == 0 for console in self.consoles)


def _service_rows(db) -> dict:
    with db.connect() as conn:
        q = lambda sql: conn.execute(text(sql)).all()  # noqa: E731 - a local shorthand
        return {
            "tickets": {r.id: (r.number, r.version, r.status) for r in q("SELECT id, number, version, status FROM tickets")},
            "notes": [r.id for r in q("SELECT id FROM notes")],
            "created_events": Counter(r.ticket_id for r in q("SELECT ticket_id FROM events WHERE action = 'created'")),
            "mutations": Counter((r.username, r.status) for r in q("SELECT username, status FROM mutation_log")),
            "creates_applied": Counter(r.ticket_id for r in q(
                "SELECT ticket_id FROM mutation_log WHERE name = 'ticket.create' AND status = 'applied'")),
            "seqs": [r.seq for r in q("SELECT seq FROM changes ORDER BY seq")],
            "counters": {r.name: r.value for r in q("SELECT name, value FROM counters")},
        }


def _top_seq(db) -> int:
    with db.connect() as conn:
        return int(conn.execute(text("SELECT value FROM counters WHERE name = 'change_seq'")).scalar() or 0)


def _wait(condition, consoles, proxy, message: str, timeout: float = 30.0) -> None:
    """wait_until, and on failure say where each console stands: its pending count and last error."""
    if poll_until(condition, timeout):
        return
    states = "; ".join(f"{c.name}: pending {c.cache.pending_count()}, error {c.engine.state.last_error!r}"
                       for c in consoles)
    pytest.fail(f"{message} within {timeout:g} s ({states}; proxy {proxy.snapshot()})")


def _local(console) -> dict:
    return {t["id"]: (t["number"], t["version"], t["status"]) for t in console.cache.list_tickets(limit=100_000)}


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.timeout(240)
def test_three_consoles_through_faults_and_kills_lose_double_and_skip_nothing(postgres_url, tmp_path):
    from storage.sync import Backoff

    # The service's model keeper (a background model build) is not under test and would only compete for the cores.
    server = ServerProcess(postgres_url, tmp_path / "server-home", env={"HOTLINE_MODEL_KEEPER": "off"}).start()
    add_users(postgres_url, ACCOUNTS + [LATECOMER])
    proxy = FaultProxy(server.port, seed=20261128).start()
    db = create_engine(postgres_url)  # the test reads the service's tables directly to check them
    # Small batches and pages: a kill or a cut lands between them as well as inside one. The periodic pull is
    # out of reach, so other consoles' changes arrive only through the live pokes, which must survive it all too.
    consoles = [make_console(tmp_path, proxy.url, name, role, push_batch=4, pull_limit=25, periodic_pull_s=600.0,
                             backoff=Backoff(base=0.05, cap=0.5)) for name, role, _ in ACCOUNTS]
    work = Workload(consoles)
    everyone = list(consoles)
    kills = 0
    try:
        for console in consoles:
            console.start()

        # 1. A lossy network: cuts, lost answers after the service committed, slow answers.
        proxy.set_faults(**LOSSY)
        for _ in range(4):
            work.round()
            _wait(work.all_sent, consoles, proxy, "the outboxes did not empty through the lossy network")

        # A new console joins: its full reload (many small pages) runs through the faults and kills that follow.
        latecomer = make_console(tmp_path, proxy.url, LATECOMER[0], LATECOMER[1], sign_in=False, pull_limit=10,
                                 periodic_pull_s=600.0, backoff=Backoff(base=0.05, cap=0.5))
        latecomer.token.append(token_for(server.url, LATECOMER[0]))  # signed in beside the faulty network
        everyone.append(latecomer)
        latecomer.start()

        # 2. The service SIGKILLed just as a push reaches it, twice; the consoles keep saving while it is down.
        for _ in range(2):
            pushed = proxy.watch(PUSH)
            work.round()
            assert pushed.wait(30), "no push reached the service"
            server.kill()
            kills += 1
            refused = proxy.stats["upstream_refused"]
            work.round()
            _wait(lambda: proxy.stats["upstream_refused"] >= refused + 3, consoles, proxy,
                  "the consoles did not notice the service was gone")
            server.start()
            _wait(work.all_sent, consoles, proxy, "the backlog did not go out after the restart")

        # 3. The network hangs: every byte is held, the service dies meanwhile, then the traffic is released.
        proxy.pause()
        work.round()
        _wait(lambda: proxy.held >= 3, consoles, proxy, "no traffic was held by the pause")
        server.kill()
        kills += 1
        server.start()
        proxy.resume()
        _wait(work.all_sent, consoles, proxy, "the outboxes did not empty after the pause")

        # 4. A blip: every open connection cut at once while pushes are on their way (answers slowed to widen it).
        proxy.set_faults(delay=0.5, delay_s=(0.05, 0.2))
        pushed = proxy.watch(PUSH)
        work.round()
        assert pushed.wait(30), "no push reached the service"
        proxy.cut_all()
        _wait(work.all_sent, consoles, proxy, "the outboxes did not empty after the blip")

        # 5. The faults stop; the consoles keep working and everything drains.
        proxy.clear_faults()
        work.round()

        def converged() -> bool:
            if not work.all_sent():
                return False
            top = _top_seq(db)
            return all(c.cache.cursor == top and c.engine.state.last_error is None for c in everyone)

        _wait(converged, everyone, proxy, "the consoles did not converge once the faults stopped", timeout=45)
    finally:
        for console in everyone:
            console.stop()
            console.engine.close()
        proxy.close()
        server.kill()
        db.dispose()

    service = _service_rows(db)  # a disposed engine opens a fresh connection
    db.dispose()
    faults = proxy.snapshot()
    # The run tested what it claims: each fault kind happened, and the service died and came back.
    for kind in ("cut", "cut_mid_body", "dropped", "delayed", "held", "upstream_refused", "cut_all"):
        assert faults[kind] > 0, f"no '{kind}' fault was injected: {faults}"
    assert kills == 3 and server.starts == 4
    assert proxy.errors == []

    # Every ticket on the service exactly once: each created and numbered once, nothing refused or lost.
    assert set(service["tickets"]) == set(work.tickets)
    assert all(n == 1 for n in service["created_events"].values()) and set(service["created_events"]) == set(work.tickets)
    assert all(n == 1 for n in service["creates_applied"].values()) and set(service["creates_applied"]) == set(work.tickets)
    assert sorted(service["notes"]) == sorted(work.notes)
    for name, _, _ in ACCOUNTS:
        assert service["mutations"][(name, "applied")] == work.mutations[name], name
    assert not any(status != "applied" for (_, status) in service["mutations"]), service["mutations"]
    for console in consoles:
        assert console.cache.rejections() == [], console.name

    # No ticket number and no change sequence number skipped (a killed transaction must give its numbers back).
    by_day: dict[str, list[int]] = {}
    for number, _, _ in service["tickets"].values():
        day, _, serial = number.partition("-")
        by_day.setdefault(day, []).append(int(serial))
    for day, serials in by_day.items():
        assert sorted(serials) == list(range(1, len(serials) + 1)), f"ticket numbers of {day} skip"
        assert service["counters"][f"ticket_no:{day}"] == len(serials)
    assert service["seqs"] == list(range(1, len(service["seqs"]) + 1)), "change sequence numbers skip"
    assert service["counters"]["change_seq"] == len(service["seqs"])

    # Every console converged to the service's data: the same tickets, numbers, versions and statuses, and notes.
    assert len(everyone) == 4
    for console in everyone:
        assert _local(console) == service["tickets"], console.name
        local_notes = {n["id"] for t in work.tickets for n in console.cache.notes(t)}
        assert local_notes == work.notes, console.name
    statuses = Counter(status for _, _, status in service["tickets"].values())
    assert statuses["answered"] + statuses["closed"] == work.answered and statuses["closed"] == work.closed


# ---- the proxy itself, against a stub service that counts what reaches it ----------------------------------

class _Stub(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the consoles' client uses it

    def do_POST(self):  # noqa: N802 - the standard library's name
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if len(body) < length:  # the connection closed half-way: as a real service, take nothing
            with self.server.lock:
                self.server.partial += 1
            self.close_connection = True
            return
        with self.server.lock:
            self.server.received.append(body)
        answer = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):  # quiet
        pass

    def handle(self):
        try:
            super().handle()
        except ConnectionError:  # the proxy dropped the answer on purpose
            pass


@pytest.fixture
def stub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    server.received, server.partial, server.lock = [], 0, threading.Lock()
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def proxy(stub):
    with FaultProxy(stub.server_address[1], seed=3) as running:
        yield running
    assert running.errors == []


def _post(url: str, payload: bytes = b'{"n": 1}', timeout: float = 10.0) -> httpx2.Response:
    return httpx2.post(url + "/api/v1/sync/push", content=payload, timeout=timeout, trust_env=False,
                       headers={"Content-Type": "application/json"})


def test_proxy_passes_requests_and_answers_untouched_without_faults(proxy, stub):
    with httpx2.Client(trust_env=False, timeout=10) as client:  # one kept-alive connection for all three
        for n in range(3):
            assert client.post(proxy.url + "/x", content=b"%d" % n).json() == {"ok": True}
    assert stub.received == [b"0", b"1", b"2"]
    assert proxy.stats["connections"] == 1 and proxy.stats["requests"] == 3


def test_proxy_drops_the_answer_after_the_service_took_the_request(proxy, stub):
    proxy.set_faults(drop_response=1.0)
    with pytest.raises(httpx2.HTTPError):
        _post(proxy.url)
    assert stub.received == [b'{"n": 1}'] and proxy.stats["dropped"] == 1


def test_proxy_cut_keeps_the_request_from_the_service(proxy, stub):
    proxy.set_faults(cut=1.0)
    for _ in range(6):  # a cut falls before the request or half-way through its body: never a whole request
        with pytest.raises(httpx2.HTTPError):
            _post(proxy.url, b'{"n": 1, "padding": "' + b"x" * 200 + b'"}')
    assert stub.received == [] and proxy.stats["cut"] == 6
    assert proxy.stats["cut_mid_body"] > 0  # with this seed some cuts fall inside the body
    wait_until(lambda: stub.partial == proxy.stats["cut_mid_body"], message="the stub did not see the half requests")


def test_proxy_delays_answers(proxy, stub):
    proxy.set_faults(delay=1.0, delay_s=(0.3, 0.3))
    started = time.monotonic()
    assert _post(proxy.url).status_code == 200
    assert time.monotonic() - started >= 0.3 and proxy.stats["delayed"] == 1


def test_proxy_pause_holds_traffic_until_resumed(proxy, stub):
    proxy.pause()
    answers: list = []
    sender = threading.Thread(target=lambda: answers.append(_post(proxy.url).status_code))
    sender.start()
    wait_until(lambda: proxy.held >= 1, message="the request was not held")
    assert stub.received == [] and answers == []
    proxy.resume()
    sender.join(10)
    assert answers == [200] and len(stub.received) == 1


def test_proxy_watch_cut_all_and_a_service_that_is_down(proxy, stub):
    with httpx2.Client(trust_env=False, timeout=10) as client:
        seen = proxy.watch("POST /api/v1/sync/push")
        client.post(proxy.url + "/api/v1/sync/pull", content=b"{}")
        assert not seen.is_set()
        client.post(proxy.url + "/api/v1/sync/push", content=b"{}")
        assert seen.is_set()
        proxy.cut_all()
    # A new connection goes through (the old one is being cut on the proxy's thread: reusing it would race).
    with httpx2.Client(trust_env=False, timeout=10) as client:
        assert client.post(proxy.url + "/again", content=b"{}").status_code == 200
    stub.shutdown()
    stub.server_close()
    with pytest.raises(httpx2.HTTPError):
        _post(proxy.url)
    assert proxy.stats["upstream_refused"] >= 1 and proxy.stats["cut_all"] == 1


def test_proxy_listens_on_loopback_only_and_forwards_only_there():
    with pytest.raises(ValueError):
        FaultProxy(80, upstream_host="10.0.0.1")
    with FaultProxy(9) as running:
        assert running.url.startswith("http://127.0.0.1:")
