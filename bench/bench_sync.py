"""Sync figures against a real service process on loopback: outbox drain after an outage, reassignment latency.

Prints figures; never asserts on times. Budgets (the README's measured figures): drain of 10,000 tickets <= 30 s; a supervisor's
reassignment visible on the operator's console <= 2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.harness import ServerProcess, add_users, make_console  # noqa: E402
from tests.support import poll_until, postgres_database  # noqa: E402

ACCOUNTS = [("op1", "operator", None), ("op2", "operator", None), ("sup1", "supervisor", None)]


@contextmanager
def databases(which: list[str], root: Path):
    urls = {}
    stack = []
    if "sqlite" in which:
        urls["sqlite"] = f"sqlite:///{root / 'server.db'}"
    if "postgres" in which:
        try:
            ctx = postgres_database("hotline_bench_")
            urls["postgres"] = ctx.__enter__()
            stack.append(ctx)
        except Exception as exc:  # no PostgreSQL here: say so and go on with SQLite
            print(f"postgres: skipped ({type(exc).__name__}: {exc})")
    try:
        yield urls
    finally:
        for ctx in stack:
            ctx.__exit__(None, None, None)


def build_outbox(root: Path, tickets: int) -> Path:
    """A console cache holding `tickets` tickets saved while offline (built once, copied for each database)."""
    from storage.cache import LocalCache

    path = root / "outbox-template.db"
    cache = LocalCache(path)
    _skip_fsync(cache)
    started = time.perf_counter()
    for i in range(tickets):
        cache.create_ticket({"description": f"停电 outage ticket {i} 小区楼下广场舞噪音扰民", "caller_phone": f"138{i:08d}"},
                            "op1")
    print(f"setup: {tickets} tickets saved locally while offline (no fsync) in {time.perf_counter() - started:.1f} s")
    cache.close()
    return path


def _skip_fsync(cache) -> None:
    """Setup only: the outage's tickets need not survive a power cut of the bench machine (saving durably is
    the storage bench's figure, not this one); without an fsync per ticket the setup takes a fraction."""
    from sqlalchemy import event

    engine = getattr(cache, "_engine", None)
    if engine is None:
        return
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _no_fsync(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA synchronous = OFF")


def _copy_cache(template: Path, dest: Path) -> None:
    import sqlite3

    dest.parent.mkdir(parents=True, exist_ok=True)
    src, dst = sqlite3.connect(template), sqlite3.connect(dest)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def bench_drain(db_name: str, db_url: str, root: Path, template: Path, tickets: int) -> None:
    from storage.cache import LocalCache
    from storage.sync import SyncEngine
    from tests.e2e.harness import token_for

    server = ServerProcess(db_url, root / f"home-{db_name}").start()
    try:
        add_users(db_url, ACCOUNTS)
        cache_path = root / db_name / "cache.db"
        _copy_cache(template, cache_path)
        cache = LocalCache(cache_path)
        token = token_for(server.url, "op1")
        emptied: list[float] = []

        def on_state(state) -> None:
            if state.pending == 0 and not emptied:
                emptied.append(time.perf_counter())

        engine = SyncEngine(cache, server.url, lambda: token, on_state=on_state, live=False)
        started = time.perf_counter()
        state = engine.sync_once()
        finished = time.perf_counter()
        drained = (emptied[0] if emptied else finished) - started
        numbered = sum(1 for t in cache.list_tickets(limit=tickets) if t.get("number"))
        print(
            f"{db_name}: outbox drain of {tickets} tickets: outbox empty after {drained:.1f} s "
            f"({tickets / drained:.0f} tickets/s; budget 30 s); every number back in the cache after "
            f"{finished - started:.1f} s; pending: {state.pending}; numbered: {numbered}; error: {state.last_error}"
        )
        engine.close()
        cache.close()
    finally:
        server.kill()


def bench_reassign(db_name: str, db_url: str, root: Path, rounds: int) -> None:
    server = ServerProcess(db_url, root / f"home-r-{db_name}").start()
    try:
        add_users(db_url, ACCOUNTS)
        seen = threading.Event()
        watched: dict = {}
        op1 = make_console(root / f"r-{db_name}", server.url, "op1", "operator", live=False)
        op2 = make_console(root / f"r-{db_name}", server.url, "op2", "operator", periodic_pull_s=600.0)
        sup = make_console(root / f"r-{db_name}", server.url, "sup1", "supervisor", live=False)

        def on_changes(summary):
            ticket_id = watched.get("id")
            if ticket_id and ticket_id in (summary.get("tickets") or []):
                ticket = op2.cache.get_ticket(ticket_id)
                if ticket and ticket.get("operator") == watched.get("operator"):
                    seen.set()

        op2.engine.on_changes = on_changes
        tickets = [op1.cache.create_ticket({"description": f"reassign bench {i}"}, "op1")["id"] for i in range(rounds)]
        op1.engine.sync_once()
        sup.engine.sync_once()
        op2.start()
        poll_until(lambda: op2.engine.state.last_success is not None, timeout=30, interval=0.05)
        latencies = []
        for ticket_id in tickets:
            current = sup.cache.get_ticket(ticket_id)["operator"]
            target = "op2" if current != "op2" else "op1"
            seen.clear()
            watched.update(id=ticket_id, operator=target)
            started = time.perf_counter()
            sup.cache.reassign(ticket_id, current, target, "bench", "sup1")
            sup.engine.sync_once()
            if seen.wait(timeout=10):
                latencies.append(time.perf_counter() - started)
            else:
                print(f"{db_name}: reassignment of one ticket not seen within 10 s")
        op2.stop()
        for console in (op1, op2, sup):
            console.engine.close()
        if latencies:
            ms = sorted(x * 1000 for x in latencies)
            p50 = statistics.median(ms)
            print(
                f"{db_name}: reassignment -> operator's cache over {len(ms)} reassignments: "
                f"p50 {p50:.0f} ms, max {ms[-1]:.0f} ms (budget 2000 ms)"
            )
    finally:
        server.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--db", action="append", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    which = args.db or ["sqlite", "postgres"]
    with tempfile.TemporaryDirectory(prefix="hotline-bench-sync-") as tmp:
        root = Path(tmp)
        os.environ["HOTLINE_HOME"] = str(root / "home")
        template = build_outbox(root, args.tickets)
        with databases(which, root) as urls:
            for name, url in urls.items():
                bench_drain(name, url, root, template, args.tickets)
        with databases(which, root / "r") if (root / "r").mkdir() is None else None as urls:
            for name, url in urls.items():
                bench_reassign(name, url, root, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
