"""Server on real databases: migrations, change-feed ordering under concurrent writers, cross-process pokes, outages."""

from __future__ import annotations

import threading
import uuid

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from starlette.testclient import TestClient

from server.accounts import User
from server.app import create_app
from server.migrate import migrate
from server.schema import metadata
from server.settings import Settings
from server.sync import latest_seq, pull, push
from server.testing import Api, add_staff, make_app
from domain.wire import create
from tests.support import PG_ADMIN_URL, wait_until


def test_migrations_apply_on_an_empty_database_and_match_the_tables(server_db_url):
    engine = migrate(server_db_url)
    migrate(server_db_url)  # a second start changes nothing
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    # Only index-naming and type-affinity noise may differ; no table or column may be missing.
    structural = [d for d in diffs if d[0] in ("add_table", "remove_table", "add_column", "remove_column")]
    assert structural == []
    assert latest_seq(engine) == 0


def test_pull_never_skips_a_change_under_concurrent_writers(server_db_url):
    """Writers commit out of order with respect to when they started; a reader pulling all the
    while must still see every change exactly once (the counter row orders commits)."""
    add_staff(server_db_url)
    engine = migrate(server_db_url)
    settings = Settings()
    operator = User(0, "op1", "operator", None)
    writers, per_writer = 6, 15
    created: set[str] = set()
    lock = threading.Lock()
    done = threading.Event()
    errors: list[BaseException] = []

    def write(n: int):
        try:
            for i in range(1, per_writer + 1):
                tid = str(uuid.uuid4())
                body, _ = push(engine, operator, f"writer-{n}", [create(i, tid, description=f"w{n} {i}")], settings)
                assert body["results"][0]["status"] == "applied"
                with lock:
                    created.add(tid)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    seen: list[str] = []
    seqs: list[int] = []

    def read():
        cursor = 0
        while True:
            finished = done.is_set()
            body = pull(engine, operator, cursor, 7)
            assert body["cursor"] >= cursor
            for change in body["changes"]:
                seqs.append(change["seq"])
                if change["kind"] == "ticket":
                    seen.append(change["ticket"]["id"])
            cursor = body["cursor"]
            if finished and not body["has_more"]:
                return

    reader = threading.Thread(target=read)
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    reader.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    reader.join(60)
    assert not errors, errors
    assert len(created) == writers * per_writer
    assert set(seen) == created  # nothing skipped
    assert len(seqs) == len(set(seqs)) and seqs == sorted(seqs)  # nothing twice, in order


@pytest.mark.postgres
def test_same_client_pushing_twice_at_once_applies_once(postgres_url):
    add_staff(postgres_url)
    engine = migrate(postgres_url)
    operator = User(0, "op1", "operator", None)
    tid = str(uuid.uuid4())
    mutations = [create(1, tid, description="raced retry")]
    results: list[dict] = []

    def send():
        results.append(push(engine, operator, "racer", mutations, Settings())[0])

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(r["results"][0]["status"] for r in results)
    assert statuses == ["applied", "duplicate", "duplicate", "duplicate"]


@pytest.mark.postgres
def test_pokes_cross_server_processes_through_listen_notify(postgres_url):
    app1, app2 = make_app(postgres_url), create_app(postgres_url)
    with TestClient(app1) as c1, TestClient(app2) as c2:
        wait_until(app2.state.listener.listening.is_set, message="second instance never started listening")
        api1, api2 = Api(c1), Api(c2)
        before = app2.state.notifier.latest
        cursor = api2.pull("op2")["cursor"]
        got: dict = {}
        headers = api2.login("op2")

        def long_poll():
            got["body"] = c2.get("/api/v1/sync/pull", params={"cursor": cursor, "wait": 20}, headers=headers).json()

        poller = threading.Thread(target=long_poll)
        poller.start()
        tid = api1.create_ticket("op1")
        wait_until(lambda: app2.state.notifier.latest > before, message="the poke did not reach the other instance")
        poller.join(30)
        assert not poller.is_alive()
        assert tid in {c["ticket"]["id"] for c in got["body"]["changes"] if c["kind"] == "ticket"}


@pytest.mark.postgres
def test_database_gone_answers_503_with_retry_after_never_500(postgres_url):
    app = make_app(postgres_url)
    with TestClient(app) as client:
        api = Api(client)
        headers = api.login("op1")
        api.create_ticket("op1")
        name = postgres_url.rsplit("/", 1)[1]
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        for method, path, kwargs in (
            ("POST", "/api/v1/sync/push", {"json": {"client_id": "x", "schema_version": 1, "mutations": []}}),
            ("GET", "/api/v1/sync/pull", {}),
            ("GET", "/api/v1/health", {}),
        ):
            r = client.request(method, path, headers=headers, **kwargs)
            assert r.status_code == 503, (path, r.text)
            assert int(r.headers["Retry-After"]) > 0
        r = client.post("/api/v1/auth/token", json={"username": "op1", "password": "whatever"})
        assert r.status_code == 503 and "reached" in r.json()["message"]


@pytest.mark.postgres
def test_hotline_server_with_two_worker_processes_pokes_every_change(postgres_url, tmp_path):
    """`hotline server` as real processes (2 uvicorn workers): every push, whichever worker takes it, pokes the
    SSE stream held by one of them."""
    import json
    import queue

    import httpx2 as httpx

    from tests.e2e.harness import ServerProcess

    add_staff(postgres_url)
    server = ServerProcess(postgres_url, tmp_path, env={"HOTLINE_SERVER_WORKERS": "2"}).start()
    url = server.url
    try:
        token = httpx.post(url + "/api/v1/auth/token", json={"username": "op1", "password": "correct horse"},
                           trust_env=False).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        pokes: queue.Queue = queue.Queue()

        def listen():
            try:
                with httpx.Client(timeout=30, trust_env=False) as client:
                    with client.stream("GET", url + "/api/v1/sync/events", headers=headers) as response:
                        for line in response.iter_lines():
                            if line.startswith("data:"):
                                pokes.put(json.loads(line[5:])["cursor"])
            except httpx.HTTPError:
                pass  # the server is stopped at the end of the test

        threading.Thread(target=listen, daemon=True).start()
        first = pokes.get(timeout=30)
        newest = first
        for i in range(1, 7):
            # A fresh connection each time, so the pushes spread over the workers.
            body = {"client_id": "multi", "schema_version": 1,
                    "mutations": [{"id": i, "name": "ticket.create", "args": {"id": f"m{i}", "description": "x"}}]}
            assert httpx.post(url + "/api/v1/sync/push", json=body, headers=headers, trust_env=False).status_code == 200
            while newest < first + 2 * i:  # each create writes a ticket row and an event row
                newest = pokes.get(timeout=30)
        assert newest == first + 12
    finally:
        server.stop()
