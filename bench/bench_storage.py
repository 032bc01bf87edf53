"""Prints the local cache's figures: durable save p50/p99, search over 1,000,000 tickets p50/p99, open time at 100,000.

The first run builds the 100,000- and 1,000,000-ticket caches under bench/out/ (minutes); later runs reuse them.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage.cache import LocalCache  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
SEARCH_TICKETS = 1_000_000
OPEN_TICKETS = 100_000

def _rows(n: int, seed: int = 12345):
    from domain.demo_data import generate

    return generate(n, seed=seed), "domain.demo_data"


def _server_snapshots(rows):
    """Demo rows as the server would send them: a number per call day, a version."""
    per_day: dict[str, int] = {}
    for row in rows:
        day = str(row.get("call_started_at") or "2026-01-01")[:10].replace("-", "")
        per_day[day] = per_day.get(day, 0) + 1
        yield {**row, "number": f"{day}-{per_day[day]:06d}", "version": 1, "operator": "op1",
               "created_at": row.get("call_started_at"), "updated_at": row.get("call_started_at")}


def _cached_database(n: int) -> Path:
    """A cache holding n demo tickets, built once under bench/out/ and reused."""
    path = OUT / f"cache-{n}.db"
    rows, source = _rows(n)
    if path.exists():
        with LocalCache(path) as cache:
            if cache.get_meta("bench_rows") == str(n) and cache.get_meta("bench_source") == source:
                return path
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    with LocalCache(path) as cache:
        cache.import_tickets(_server_snapshots(rows), batch=50_000)
        cache.set_meta("bench_rows", n)
        cache.set_meta("bench_source", source)
    print(f"built {path.name}: {n:,} tickets from {source} in {time.perf_counter() - started:.0f} s")
    return path


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000


def bench_save(count: int = 500) -> None:
    path = OUT / "save.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    rows = list(_rows(count, 7)[0])
    with LocalCache(path) as cache:
        saves, drafts, upkeep = [], [], []
        for number, row in enumerate(rows, start=1):
            if number % 100 == 0:
                # What the console's sync thread does every 30 s (about 100 calls' worth of saves at a busy
                # workstation): merge index segments and checkpoint the WAL, off the save path.
                started = time.perf_counter()
                cache.maintenance()
                upkeep.append(time.perf_counter() - started)
            values = {k: row[k] for k in ("caller_phone", "caller_name", "incident_address", "description", "request_type")}
            started = time.perf_counter()
            cache.save_draft("d", values)
            drafts.append(time.perf_counter() - started)
            started = time.perf_counter()
            cache.create_ticket(values, "op1", draft_id="d")
            saves.append(time.perf_counter() - started)
    print(f"save one ticket durably (synchronous=FULL, WAL): p50 {_pct(saves, .5):.2f} ms  p99 {_pct(saves, .99):.2f} ms  (n={count})")
    print(f"save a draft durably:                             p50 {_pct(drafts, .5):.2f} ms  p99 {_pct(drafts, .99):.2f} ms")
    print(f"cache upkeep on the sync thread every 100 saves:  mean {1000 * sum(upkeep) / len(upkeep):.1f} ms, max {1000 * max(upkeep):.1f} ms")


def bench_fsync(count: int = 300) -> None:
    """The disk's own floor: one 4 KiB write + fsync, which every durable save must pay at least once."""
    path = OUT / "fsync.tmp"
    times = []
    with open(path, "wb") as handle:
        for _ in range(count):
            started = time.perf_counter()
            handle.write(b"x" * 4096)
            handle.flush()
            os.fsync(handle.fileno())
            times.append(time.perf_counter() - started)
    path.unlink()
    print(f"for reference, this disk's 4 KiB write + fsync:    p50 {_pct(times, .5):.2f} ms  p99 {_pct(times, .99):.2f} ms")


def bench_search(queries_per_kind: int = 150) -> None:
    path = _cached_database(SEARCH_TICKETS)
    rng = random.Random(99)
    with LocalCache(path) as cache:
        sample = cache.list_tickets(limit=200, offset=rng.randrange(SEARCH_TICKETS - 200))
        words = sorted({w for t in sample for w in _two_char_words(t["description"])})
        kinds = {
            "2-char Chinese word": [rng.choice(words) for _ in range(queries_per_kind)],
            "phone last 4 digits": [rng.choice(sample)["caller_phone"][-4:] for _ in range(queries_per_kind)],
            "full phone": [rng.choice(sample)["caller_phone"] for _ in range(queries_per_kind)],
            "ticket number": [rng.choice(sample)["number"] for _ in range(queries_per_kind)],
            "number tail (6 digits)": [rng.choice(sample)["number"][-6:] for _ in range(queries_per_kind)],
            "single Chinese char": [rng.choice(rng.choice(words)) for _ in range(queries_per_kind // 3)],
            "two Chinese words": [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(queries_per_kind)],
            "English word": [rng.choice(["water", "noise", "light", "garbage", "street", "pipe"]) for _ in range(queries_per_kind)],
        }
        for query in [q for qs in kinds.values() for q in qs[:5]]:
            cache.search(query)  # warm the page cache, as a console that has been running would be
        everything: list[float] = []
        print(f"search over {cache.count_tickets():,} cached tickets (50 results, newest first):")
        for kind, queries in kinds.items():
            times, hits = [], 0
            for query in queries:
                started = time.perf_counter()
                hits += len(cache.search(query))
                times.append(time.perf_counter() - started)
            everything += times
            print(f"  {kind:<24} p50 {_pct(times, .5):6.2f} ms  p99 {_pct(times, .99):6.2f} ms  (avg {hits / len(queries):.1f} hits)")
        print(f"  {'all queries':<24} p50 {_pct(everything, .5):6.2f} ms  p99 {_pct(everything, .99):6.2f} ms  (n={len(everything)})")


def _two_char_words(text: str) -> list[str]:
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    return ["".join(han[i:i + 2]) for i in range(0, len(han) - 1, 2)]


def bench_open(repeat: int = 7) -> None:
    path = _cached_database(OPEN_TICKETS)
    opens, firsts = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        cache = LocalCache(path)
        opens.append(time.perf_counter() - started)
        cache.list_tickets(limit=200)
        cache.pending_count()
        firsts.append(time.perf_counter() - started)
        cache.close()
    print(f"open the cache with {OPEN_TICKETS:,} tickets: median {statistics.median(opens) * 1000:.1f} ms, "
          f"worst {max(opens) * 1000:.1f} ms; with the first queue page and pending count: "
          f"median {statistics.median(firsts) * 1000:.1f} ms")


def bench_pull(count: int = 1000) -> None:
    """Applying a page of pulled tickets, and a pull reset, on a copy of the 100,000-ticket cache."""
    source = _cached_database(OPEN_TICKETS)
    path = OUT / "pull.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, path)
    rows = list(_server_snapshots(_rows(count, 4242)[0]))
    with LocalCache(path) as cache:
        cache.create_ticket({"description": "typed offline, not yet sent"}, "op1")
        started = time.perf_counter()
        cache.apply_changes([{"seq": i, "kind": "ticket", "ticket": row} for i, row in enumerate(rows, 1)], count)
        fresh = time.perf_counter() - started
        started = time.perf_counter()
        cache.apply_changes([{"seq": count + i, "kind": "ticket", "ticket": {**row, "version": 2, "status": "closed"}}
                             for i, row in enumerate(rows, 1)], 2 * count)
        changed = time.perf_counter() - started
        started = time.perf_counter()
        cache.reset_for_full_pull()
        reset = time.perf_counter() - started
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    print(f"apply {count:,} pulled tickets (one transaction): new {fresh * 1000:.0f} ms, changed {changed * 1000:.0f} ms; "
          f"pull reset of {OPEN_TICKETS:,} tickets: {reset:.1f} s")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    bench_save()
    bench_fsync()
    bench_open()
    bench_pull()
    bench_search()


if __name__ == "__main__":
    main()
