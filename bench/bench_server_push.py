"""Bench: pushes per second and latency percentiles on PostgreSQL, 50 concurrent consoles, a real `hotline server`.

Starts `python main.py server` (uvicorn, HOTLINE_SERVER_WORKERS processes) on a throwaway PostgreSQL
database, signs 50 clients in, and has each push tickets one mutation at a time (as a console does
after each save) for a bounded time; then a second round where each push carries 20 mutations (an
outbox draining after an outage). Prints figures; asserts nothing about time.

    .venv/bin/python bench/bench_server_push.py [--clients 50] [--seconds 20] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx2 as httpx  # noqa: E402

from tests.e2e.harness import ServerProcess, add_user  # noqa: E402
from tests.support import PG_ADMIN_URL, postgres_available, postgres_database  # noqa: E402

PASSWORD = "bench password"


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def run_round(url: str, tokens: list[str], seconds: float, batch: int, max_pushes: int,
                    interval: float = 0.0) -> dict:
    """Each console pushes back to back (interval 0: the server's ceiling) or every `interval` seconds
    (a steady load, as consoles saving tickets: latency without a queue of our own making)."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    deadline = time.monotonic() + seconds
    pushed = {"n": 0}

    async def console(index: int, token: str) -> None:
        client_id = f"bench-{batch}-{index}-{uuid.uuid4().hex[:8]}"
        next_id = 1
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            if interval:
                await asyncio.sleep(interval * index / len(tokens))  # spread the consoles out
            while time.monotonic() < deadline and pushed["n"] < max_pushes:
                tick = time.monotonic()
                mutations = [{"id": next_id + i, "name": "ticket.create",
                              "args": {"id": str(uuid.uuid4()), "description": "楼下广场舞噪音扰民 bench",
                                       "caller_phone": "13800000000"}} for i in range(batch)]
                started = time.perf_counter()
                try:
                    r = await client.post("/api/v1/sync/push", headers=headers,
                                          json={"client_id": client_id, "schema_version": 1, "mutations": mutations})
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    continue
                latencies.append(time.perf_counter() - started)
                if r.status_code != 200:
                    errors[str(r.status_code)] = errors.get(str(r.status_code), 0) + 1
                    continue
                next_id += batch
                pushed["n"] += 1
                if interval:
                    await asyncio.sleep(max(0.0, interval - (time.monotonic() - tick)))

    started = time.monotonic()
    await asyncio.gather(*(console(i, t) for i, t in enumerate(tokens)))
    elapsed = time.monotonic() - started
    return {"pushes": pushed["n"], "mutations": pushed["n"] * batch, "elapsed": elapsed, "latencies": latencies,
            "errors": errors}


def report(title: str, result: dict) -> None:
    lat = [v * 1000 for v in result["latencies"]]
    print(f"{title}: {result['pushes']} pushes ({result['mutations']} mutations) in {result['elapsed']:.1f} s")
    print(f"  pushes/s {result['pushes'] / result['elapsed']:.0f}   mutations/s {result['mutations'] / result['elapsed']:.0f}")
    if lat:
        print(f"  latency ms: p50 {statistics.median(lat):.1f}  p95 {percentile(lat, 95):.1f}  "
              f"p99 {percentile(lat, 99):.1f}  max {max(lat):.1f}")
    if result["errors"]:
        print(f"  errors: {result['errors']}")


def measure(args, url: str) -> None:
    with httpx.Client(base_url=url, timeout=30) as client:
        tokens = [client.post("/api/v1/auth/token", json={"username": "bench", "password": PASSWORD}).json()["access_token"]
                  for _ in range(args.clients)]
    print(f"server: {args.workers} worker process(es) on PostgreSQL; {args.clients} concurrent clients on loopback; "
          f"{os.cpu_count()} cores shared with the clients")
    asyncio.run(run_round(url, tokens[:5], 2, 1, 200))  # warm-up: connections, caches
    report(f"steady load: one push every {1 / args.steady_rate:.1f} s per console",
           asyncio.run(run_round(url, tokens, args.seconds, 1, args.max_pushes, 1 / args.steady_rate)))
    report("saturation: one mutation per push, back to back",
           asyncio.run(run_round(url, tokens, args.seconds, 1, args.max_pushes)))
    report("20 mutations per push", asyncio.run(run_round(url, tokens, args.seconds / 2, 20, args.max_pushes // 10)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--steady-rate", type=float, default=0.5,
                        help="pushes per second per console in the steady round (default 0.5: 25/s from 50)")
    parser.add_argument("--max-pushes", type=int, default=20000)
    args = parser.parse_args()

    if not postgres_available():
        print(f"bench_server_push: PostgreSQL not reachable at {PG_ADMIN_URL}; nothing measured")
        return 0
    with postgres_database("hotline_bench_") as db_url:
        add_user(db_url, "bench", "operator", password=PASSWORD)
        server = ServerProcess(db_url, Path(tempfile.mkdtemp(prefix="hotline-bench-")),
                               env={"HOTLINE_SERVER_WORKERS": str(args.workers)}).start()
        try:
            measure(args, server.url)
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
