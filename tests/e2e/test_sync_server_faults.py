"""Service restarts, its database cut off or restored, two service processes: consoles lose and double nothing."""

from __future__ import annotations

from pathlib import Path

import httpx2
import psycopg
import pytest

from tests.e2e.conftest import ACCOUNTS
from tests.e2e.harness import ServerProcess, add_users, make_console
from tests.support import PG_ADMIN_URL, wait_until

pytestmark = pytest.mark.timeout(240)


@pytest.mark.postgres
def test_database_restart_gives_503_with_retry_after_then_sync_recovers(postgres_url, tmp_path):
    name = postgres_url.rsplit("/", 1)[1]
    server = ServerProcess(postgres_url, tmp_path / "server-home").start()
    add_users(postgres_url, ACCOUNTS)
    op1 = make_console(tmp_path, server.url, "op1", "operator", periodic_pull_s=600.0, live=False)
    try:
        first = op1.cache.create_ticket({"description": "before the database restart"}, "op1")
        op1.sync()
        token = op1.token[0]
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            # What a PostgreSQL restart does to the service's pooled connections: they all die, and for a
            # while no new one can be made.
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            try:
                response = httpx2.get(server.url + "/api/v1/sync/pull", params={"cursor": 0, "limit": 1},
                                      headers={"Authorization": f"Bearer {token}"}, trust_env=False, timeout=30)
                assert response.status_code == 503, response.text
                assert response.headers.get("Retry-After")
                assert response.json().get("message")

                second = op1.cache.create_ticket({"description": "while the database is down"}, "op1")
                state = op1.engine.sync_once()
                assert state.last_error and "busy" in state.last_error and state.pending == 1
            finally:
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

        op1.start()
        wait_until(lambda: op1.engine.state.pending == 0 and op1.engine.state.last_error is None, timeout=60,
                   message="sync did not recover after the database came back")
        assert op1.cache.get_ticket(second["id"])["number"]
        assert op1.cache.get_ticket(first["id"])["number"]
    finally:
        op1.stop()
        op1.engine.close()
        server.kill()


def test_live_console_rides_out_a_service_restart(sqlite_url, tmp_path):
    from storage.sync import Backoff

    server = ServerProcess(sqlite_url, tmp_path / "server-home").start()
    add_users(sqlite_url, ACCOUNTS)
    op1 = make_console(tmp_path, server.url, "op1", "operator", periodic_pull_s=600.0,
                       backoff=Backoff(base=0.2, cap=1.0))
    op2 = make_console(tmp_path, server.url, "op2", "operator", live=False)
    try:
        op1.start()
        wait_until(lambda: op1.engine.state.last_success is not None, timeout=30)
        server.kill()
        saved = op1.cache.create_ticket({"description": "saved while the service was down"}, "op1")
        op1.engine.poke()
        wait_until(lambda: op1.engine.state.online is False and op1.engine.state.pending == 1, timeout=30,
                   message="the console should show it is offline with one ticket waiting")
        server.start()
        wait_until(lambda: op1.engine.state.pending == 0 and op1.engine.state.online, timeout=30,
                   message="the console should send its backlog once the service is back")
        assert op1.cache.get_ticket(saved["id"])["number"]
        # And it listens again: a change made elsewhere arrives through a poke, not the (distant) periodic pull.
        other = op2.cache.create_ticket({"description": "made by op2 after the restart"}, "op2")
        op2.sync()
        wait_until(lambda: op1.cache.get_ticket(other["id"]) is not None, timeout=30,
                   message="the event stream was not re-established")
    finally:
        op1.stop()
        op1.engine.close()
        op2.engine.close()
        server.kill()


def test_service_database_restored_from_an_older_copy_gets_everything_back(sqlite_url, tmp_path):
    import sqlite3

    db_path = sqlite_url.removeprefix("sqlite:///")
    copy_path = tmp_path / "backup.db"
    server = ServerProcess(sqlite_url, tmp_path / "server-home").start()
    add_users(sqlite_url, ACCOUNTS)
    op1 = make_console(tmp_path, server.url, "op1", "operator", live=False)
    op2 = make_console(tmp_path, server.url, "op2", "operator", live=False)
    try:
        early = [op1.cache.create_ticket({"description": f"before the backup {i}"}, "op1")["id"] for i in range(3)]
        op1.sync()
        server.kill()
        src, dst = sqlite3.connect(db_path), sqlite3.connect(copy_path)
        src.backup(dst)
        src.close()
        dst.close()
        server.start()
        late = [op1.cache.create_ticket({"description": f"after the backup {i}"}, "op1")["id"] for i in range(4)]
        op1.sync()
        # The service's disk dies; it comes back from last night's copy, without the late tickets.
        server.kill()
        for suffix in ("", "-wal", "-shm"):
            Path(db_path + suffix).unlink(missing_ok=True)
        src, dst = sqlite3.connect(copy_path), sqlite3.connect(db_path)
        src.backup(dst)
        src.close()
        dst.close()
        server.start()
        newest = op1.cache.create_ticket({"description": "after the restore"}, "op1")["id"]
        state = op1.engine.sync_once()
        assert state.last_error is None and state.pending == 0, state.last_error
        assert op1.cache.get_meta("mutation_floor") == "3"  # the service said it had only the first three
        op2.sync()
    finally:
        op1.engine.close()
        op2.engine.close()
        server.kill()
    everything = early + late + [newest]
    for console in (op1, op2):
        tickets = {t: console.cache.get_ticket(t) for t in everything}
        assert all(t is not None and t["number"] for t in tickets.values()), console.name
        assert len({t["number"] for t in tickets.values()}) == len(everything)
    assert op1.cache.count_tickets() == len(everything)


@pytest.mark.postgres
def test_a_change_on_one_service_process_pokes_consoles_on_another(postgres_url, tmp_path):
    """Scale-out: two service processes on one PostgreSQL; the poke crosses between them (LISTEN/NOTIFY)."""
    first = ServerProcess(postgres_url, tmp_path / "home-a").start()
    second = ServerProcess(postgres_url, tmp_path / "home-b").start()
    add_users(postgres_url, ACCOUNTS)
    op1 = make_console(tmp_path, first.url, "op1", "operator", live=False)
    sup = make_console(tmp_path, first.url, "sup1", "supervisor", live=False)
    # op2 listens on the other process, and its periodic pull is out of reach: only a poke brings changes.
    op2 = make_console(tmp_path, second.url, "op2", "operator", periodic_pull_s=600.0)
    try:
        ticket = op1.cache.create_ticket({"description": "noise from the building site at night"}, "op1")
        op1.sync()
        op2.start()
        wait_until(lambda: op2.cache.get_ticket(ticket["id"]) is not None, timeout=30)
        sup.sync()
        sup.cache.reassign(ticket["id"], "op1", "op2", "shift_change", "sup1")
        sup.sync()
        wait_until(lambda: (op2.cache.get_ticket(ticket["id"]) or {}).get("operator") == "op2", timeout=30,
                   message="the poke did not cross to the other service process")
    finally:
        op2.stop()
        for console in (op1, op2, sup):
            console.engine.close()
        first.kill()
        second.kill()
