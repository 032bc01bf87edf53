"""Bench: many consoles on loopback pushing and pulling against a real `hotline server` on PostgreSQL; the capacity.

Part 1: `--consoles` (200) consoles for `--seconds` (60) against HOTLINE_SERVER_WORKERS=`--workers` (2). Each
console signs in, then every ~2 s pushes one ticket.create (as after a save) and pulls with its cursor until
caught up (as after a poke). Prints p50 and p99 of pushes, pulls and both, errors, and the resident memory of
the service (all its processes) before and after.

Part 2: how many consoles one service process (1 worker) serves within p99 <= 250 ms: the same load for
`--step-seconds` at each of `--steps` (50, 100, 200, 400) until one misses, then up to three steps halving
the gap between the most that held and the fewest that did not.

The consoles are asyncio tasks in this process (bounded in count and time), each with its own connection, as
separate workstations would have; they share the machine's cores with the service, so figures are for the pair.
Prints figures; asserts nothing about time.

    .venv/bin/python bench/bench_load.py [--consoles 200] [--seconds 60] [--workers 2]
                                         [--steps 50,100,200,400] [--step-seconds 20] [--skip-capacity]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx2 as httpx  # noqa: E402

from bench_server_push import percentile  # noqa: E402
from domain.wire import SCHEMA_VERSION, SyncPath  # noqa: E402
from tests.e2e.harness import PASSWORD, ServerProcess, add_users  # noqa: E402
from tests.support import PG_ADMIN_URL, postgres_available, postgres_database  # noqa: E402

ACCOUNTS = 20  # consoles sign in round-robin as these operators (several consoles per person is allowed)
P99_BUDGET_MS = 250.0
MAX_CONSOLES = 1000  # a bound on what the command line may ask for


# ---- the service's memory ----------------------------------------------------------------------------------

def process_tree(pid: int) -> list[int]:
    """pid and every descendant (Linux /proc); uvicorn's workers are children of the supervisor."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except OSError:
            continue
    return out


def rss_mb(pid: int) -> list[float] | None:
    """Resident MB of each process of the service's tree; None where /proc is not there."""
    if not os.path.isdir("/proc"):
        return None
    sizes = []
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/status") as fh:
                sizes += [int(line.split()[1]) / 1024 for line in fh if line.startswith("VmRSS:")]
        except OSError:
            continue
    return sizes


def cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by the service's process tree; None where /proc is not there."""
    if not os.path.isdir("/proc"):
        return None
    ticks, hz = 0, os.sysconf("SC_CLK_TCK")
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return ticks / hz


def show_rss(label: str, server: ServerProcess) -> None:
    sizes = rss_mb(server.proc.pid)
    if sizes is None:
        print(f"  service RSS {label}: n/a (no /proc)")
        return
    each = " + ".join(f"{mb:.0f}" for mb in sizes)
    print(f"  service RSS {label}: {sum(sizes):.0f} MB in {len(sizes)} processes ({each}; the first is `hotline server` itself)")


# ---- the consoles ------------------------------------------------------------------------------------------

def top_cursor(db_url: str) -> int:
    """Where the feed is now: consoles start caught up, as running consoles are (not with a full reload)."""
    import psycopg

    with psycopg.connect(db_url.replace("postgresql+psycopg://", "postgresql://", 1)) as conn:
        row = conn.execute("SELECT value FROM counters WHERE name = 'change_seq'").fetchone()
        return int(row[0]) if row else 0


async def sign_in_all(url: str, count: int, concurrency: int = 4) -> list[str]:
    """`count` sessions, a few at a time (each sign-in hashes a password: this is setup, not load)."""
    tokens: list[str] = [""] * count
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60, trust_env=False) as client:
        async def one(i: int) -> None:
            async with gate:
                for _ in range(10):
                    r = await client.post("/api/v1/auth/token",
                                          json={"username": f"load{i % ACCOUNTS:02d}", "password": PASSWORD})
                    if r.status_code not in (429, 503):
                        break
                    await asyncio.sleep(float(r.headers.get("Retry-After") or 1))  # a throttle: as it says
                r.raise_for_status()
                tokens[i] = r.json()["access_token"]
        await asyncio.gather(*(one(i) for i in range(count)))
    return tokens


class Tally:
    def __init__(self) -> None:
        self.push: list[float] = []
        self.pull: list[float] = []
        self.errors: dict[str, int] = {}
        self.changes = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def register(client: httpx.AsyncClient, index: int) -> dict:
    """The console's sync identity from the service (setup, not timed); a service without registration gets
    an id the console makes itself."""
    for attempt in range(5):
        r = await client.post(SyncPath.REGISTER, json={"first_mutation_id": 1})
        if r.status_code in (404, 405):
            return {"client_id": f"load-{index}-{uuid.uuid4().hex[:8]}"}
        if r.status_code == 200:
            answer = r.json()
            return {"client_id": answer["client_id"], "client_secret": answer["client_secret"]}
        await asyncio.sleep(0.5 * (attempt + 1))  # a busy service: try again shortly
    r.raise_for_status()
    raise RuntimeError(f"registration failed: {r.status_code}")


async def console(index: int, url: str, token: str, cursor: int, seconds: float, interval: float, tally: Tally,
                  rng: random.Random) -> None:
    """One workstation: every `interval` s (jittered) push one new ticket, then pull until caught up."""
    next_id = 1
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, timeout=30, trust_env=False, headers=headers) as client:
        identity = await register(client, index)
        await asyncio.sleep(rng.uniform(0, interval))  # consoles do not save in lockstep
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            tick = time.monotonic()
            body = {**identity, "schema_version": SCHEMA_VERSION, "mutations": [
                {"id": next_id, "name": "ticket.create",
                 "args": {"id": str(uuid.uuid4()), "description": f"楼下广场舞噪音扰民 load {index}-{next_id}",
                          "caller_phone": "13800000000"}}]}
            started = time.perf_counter()
            try:
                r = await client.post(SyncPath.PUSH, json=body)
                tally.push.append(time.perf_counter() - started)
                if r.status_code == 200:
                    next_id += 1
                else:
                    tally.error(f"push {r.status_code}")
            except httpx.HTTPError as exc:
                tally.error(f"push {type(exc).__name__}")
            while True:
                started = time.perf_counter()
                try:
                    r = await client.get(SyncPath.PULL, params={"cursor": cursor, "limit": 1000})
                    tally.pull.append(time.perf_counter() - started)
                except httpx.HTTPError as exc:
                    tally.error(f"pull {type(exc).__name__}")
                    break
                if r.status_code != 200:
                    tally.error(f"pull {r.status_code}")
                    break
                page = r.json()
                tally.changes += len(page["changes"])
                cursor = page["cursor"]
                if not page.get("has_more"):
                    break
            await asyncio.sleep(max(0.0, interval - (time.monotonic() - tick)))


async def load(url: str, tokens: list[str], cursor: int, seconds: float, interval: float) -> tuple[Tally, float, float]:
    tally = Tally()
    rng = random.Random(len(tokens))
    cpu0, started = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
    await asyncio.gather(*(console(i, url, t, cursor, seconds, interval, tally, rng) for i, t in enumerate(tokens)))
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    elapsed = time.monotonic() - started
    client_cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
    return tally, elapsed, client_cpu


def p(values: list[float], q: float) -> float:
    return percentile(values, q) * 1000


def summary(tally: Tally) -> dict:
    both = tally.push + tally.pull
    return {"p50": p(both, 50), "p99": p(both, 99), "requests": len(both), "errors": sum(tally.errors.values())}


def report(tally: Tally, elapsed: float, client_cpu: float) -> None:
    both = tally.push + tally.pull
    print(f"  {len(tally.push)} pushes, {len(tally.pull)} pulls ({tally.changes} changes delivered) in {elapsed:.0f} s: "
          f"{len(both) / elapsed:.0f} requests/s")
    for name, values in (("push", tally.push), ("pull", tally.pull), ("all", both)):
        if values:
            print(f"  {name:4} ms: p50 {p(values, 50):6.1f}   p99 {p(values, 99):7.1f}   max {max(values) * 1000:7.1f}")
    print(f"  errors: {sum(tally.errors.values())}" + (f" {tally.errors}" if tally.errors else ""))
    print(f"  the consoles' own CPU: {client_cpu:.0f} s in {elapsed:.0f} s (one process, the same cores as the service); "
          f"machine load average {os.getloadavg()[0]:.1f}")


def show_service_cpu(server: ServerProcess, before: float | None, tally: Tally, elapsed: float) -> None:
    """What the service itself spent (PostgreSQL's own processes not included): whether it had the cores it needed."""
    after = cpu_s(server.proc.pid)
    if before is None or after is None:
        return
    used, requests = after - before, len(tally.push) + len(tally.pull)
    print(f"  service CPU: {used:.0f} s in {elapsed:.0f} s ({used / elapsed:.2f} cores busy on average), "
          f"{1000 * used / max(1, requests):.1f} ms per request")


# ---- the two parts -----------------------------------------------------------------------------------------

def start_service(db_url: str, workers: int) -> ServerProcess:
    # The service's one-off background build of a starter suggestion model is not what this measures.
    return ServerProcess(db_url, Path(tempfile.mkdtemp(prefix="hotline-bench-load-")),
                         env={"HOTLINE_SERVER_WORKERS": str(workers), "HOTLINE_STARTER_MODEL": "off"}).start()


def main_run(args, db_url: str) -> None:
    server = start_service(db_url, args.workers)
    try:
        tokens = asyncio.run(sign_in_all(server.url, args.consoles))
        print(f"load: {args.consoles} consoles, one push every ~{args.interval:g} s each plus pulls with the cursor, "
              f"{args.seconds:g} s, HOTLINE_SERVER_WORKERS={args.workers}, PostgreSQL, {os.cpu_count()} cores")
        show_rss("before", server)
        service_cpu = cpu_s(server.proc.pid)
        tally, elapsed, cpu = asyncio.run(load(server.url, tokens, top_cursor(db_url), args.seconds, args.interval))
        report(tally, elapsed, cpu)
        show_service_cpu(server, service_cpu, tally, elapsed)
        show_rss("after", server)
    finally:
        server.stop()


def capacity(args, db_url: str) -> None:
    server = start_service(db_url, 1)
    try:
        steps = sorted(args.steps)
        tokens = asyncio.run(sign_in_all(server.url, max(steps)))
        print(f"capacity of one service process (HOTLINE_SERVER_WORKERS=1): p99 <= {P99_BUDGET_MS:g} ms, no errors, "
              f"{args.step_seconds:g} s per step")

        def step(n: int) -> bool:
            used = cpu_s(server.proc.pid)
            tally, elapsed, _ = asyncio.run(load(server.url, tokens[:n], top_cursor(db_url), args.step_seconds,
                                                 args.interval))
            s = summary(tally)
            ok = s["p99"] <= P99_BUDGET_MS and s["errors"] == 0
            busy = "" if used is None else f"  service {((cpu_s(server.proc.pid) or 0) - used) / elapsed:.2f} cores"
            print(f"  {n:4} consoles: p50 {s['p50']:6.1f} ms  p99 {s['p99']:7.1f} ms  {s['requests'] / elapsed:5.0f} req/s  "
                  f"errors {s['errors']}  {'within' if ok else 'over'}{busy}  (load average {os.getloadavg()[0]:.1f})")
            return ok

        held, failed = 0, None
        for n in steps:
            if step(n):
                held = n
            else:
                failed = n
                break
        refinements = 0
        while failed is not None and failed - held > max(2, failed // 10) and refinements < 3:
            refinements += 1  # halve the gap between the most that held and the fewest that did not
            middle = (held + failed) // 2
            if step(middle):
                held = middle
            else:
                failed = middle
        if failed is None:
            print(f"  one service process serves at least {held} consoles within p99 <= {P99_BUDGET_MS:g} ms "
                  f"(the most tried)")
        else:
            print(f"  one service process serves {held} consoles within p99 <= {P99_BUDGET_MS:g} ms "
                  f"(not {failed})")
    finally:
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consoles", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between one console's pushes")
    parser.add_argument("--steps", type=lambda s: [int(x) for x in s.split(",")], default=[50, 100, 200, 400])
    parser.add_argument("--step-seconds", type=float, default=20)
    parser.add_argument("--skip-capacity", action="store_true")
    args = parser.parse_args()
    if not 1 <= args.consoles <= MAX_CONSOLES or not all(1 <= n <= MAX_CONSOLES for n in args.steps):
        parser.error(f"consoles must be between 1 and {MAX_CONSOLES}")
    if not 0 < args.seconds <= 600 or not 0 < args.step_seconds <= 600:
        parser.error("a run lasts more than 0 and at most 600 seconds")

    if not postgres_available():
        print(f"bench_load: PostgreSQL not reachable at {PG_ADMIN_URL}; nothing measured")
        return 0
    with postgres_database("hotline_bench_") as db_url:
        with contextlib.redirect_stdout(io.StringIO()):  # one "created operator" line per account is noise here
            add_users(db_url, [(f"load{i:02d}", "operator", None) for i in range(ACCOUNTS)])
        main_run(args, db_url)
        if not args.skip_capacity:
            capacity(args, db_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
