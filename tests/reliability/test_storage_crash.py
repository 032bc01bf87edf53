"""Durability: a console killed with SIGKILL while saving never loses a committed ticket or shows half of one."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from storage.cache import LocalCache

REPO = Path(__file__).resolve().parents[2]
ROUNDS = 30

# The child saves tickets as fast as it can and reports each one only after its commit returned.
CHILD = textwrap.dedent("""
    import sys, uuid
    sys.path.insert(0, {repo!r})
    from storage.cache import LocalCache
    cache = LocalCache({path!r})
    round_no = {round_no}
    i = 0
    while True:
        ticket_id = str(uuid.uuid4())
        cache.create_ticket({{"id": ticket_id, "description": f"{{ticket_id}} 第{{i}}次 小区楼下广场舞噪音扰民",
                             "caller_phone": f"138{{round_no:04d}}{{i % 10000:04d}}", "caller_name": "张伟"}}, "op1")
        print("C", ticket_id, flush=True)
        if i % 3 == 0:
            cache.update_ticket(ticket_id, {{"description": f"{{ticket_id}} updated 路灯不亮"}}, "op1")
            print("U", ticket_id, flush=True)
        if i % 5 == 0:
            cache.add_note(ticket_id, f"{{ticket_id}} note", "op1")
            print("N", ticket_id, flush=True)
        i += 1
""")


def _run_round(path: Path, round_no: int, rng: random.Random) -> list[tuple[str, str]]:
    """Start the child, kill it after a random number of reported saves; returns what it reported."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(repo=str(REPO), path=str(path), round_no=round_no)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    reported: list[tuple[str, str]] = []
    stop_after = rng.randint(1, 60)
    try:
        for line in child.stdout:  # blocks on the child's output: no sleeping, no timing
            kind, ticket_id = line.split()
            reported.append((kind, ticket_id))
            if len(reported) >= stop_after:
                break
    finally:
        os.kill(child.pid, signal.SIGKILL)  # mid-way through the next save, most of the time
        child.wait()
    assert reported, child.stderr.read()
    return reported


def _check_consistent(cache: LocalCache) -> None:
    """No half-written ticket, note or outbox row; outbox ids consecutive; index intact."""
    with cache._read() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM outbox ORDER BY id")]
        assert ids == list(range(1, len(ids) + 1))
        tickets = {r.id: r for r in conn.exec_driver_sql("SELECT seq, id, description FROM tickets")}
        creates = {json.loads(r.args)["id"]: json.loads(r.args) for r in
                   conn.exec_driver_sql("SELECT args FROM outbox WHERE name = 'ticket.create'")}
        assert set(creates) == set(tickets)  # every ticket has its intent and every intent its ticket
        for ticket_id, row in tickets.items():
            assert row.description.startswith(ticket_id)  # never a mix of two saves
        terms = {r[0] for r in conn.exec_driver_sql("SELECT seq FROM ticket_terms")}
        assert terms == {r.seq for r in tickets.values()}
        updates = [json.loads(r.args) for r in conn.exec_driver_sql("SELECT args FROM outbox WHERE name = 'ticket.update'")]
        for args in updates:
            assert tickets[args["id"]].description == args["description"]
        events = dict(conn.exec_driver_sql("SELECT ticket_id, COUNT(*) FROM events GROUP BY ticket_id").all())
        notes = dict(conn.exec_driver_sql("SELECT ticket_id, COUNT(*) FROM notes GROUP BY ticket_id").all())
        note_intents = dict(conn.exec_driver_sql(
            "SELECT ticket_id, COUNT(*) FROM outbox WHERE name = 'note.add' GROUP BY ticket_id").all())
        assert notes == note_intents
        for ticket_id in tickets:
            expected = 1 + sum(1 for a in updates if a["id"] == ticket_id) + notes.get(ticket_id, 0)
            assert events.get(ticket_id) == expected
    with cache._write() as conn:
        conn.exec_driver_sql("INSERT INTO ticket_terms_fts (ticket_terms_fts) VALUES ('integrity-check')")


@pytest.mark.slow
def test_sigkill_while_saving_loses_nothing_committed(tmp_path):
    path = tmp_path / "cache.db"
    rng = random.Random(20261127)
    all_reported: list[tuple[str, str]] = []
    for round_no in range(ROUNDS):
        all_reported += _run_round(path, round_no, rng)
    with LocalCache(path) as cache:
        _check_consistent(cache)
        for kind, ticket_id in all_reported:
            ticket = cache.get_ticket(ticket_id)
            assert ticket is not None, f"committed ticket {ticket_id} lost"
            assert ticket["caller_name"] == "张伟" and ticket["caller_phone"].startswith("138")
            if kind == "U":
                assert ticket["description"] == f"{ticket_id} updated 路灯不亮"
            if kind == "N":
                assert [n["text"] for n in cache.notes(ticket_id)] == [f"{ticket_id} note"]
        created = [t for k, t in all_reported if k == "C"]
        found = {t["id"] for t in cache.search("路灯", limit=100_000)} | {t["id"] for t in cache.search("噪音", limit=100_000)}
        assert set(created) <= found
