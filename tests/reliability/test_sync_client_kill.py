"""The console process killed (SIGKILL) in the middle of a sync, then started again: nothing lost or doubled."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from tests.e2e.conftest import ACCOUNTS
from tests.e2e.harness import REPO, ServerProcess, add_users, server_tickets, token_for
from tests.support import wait_until

pytestmark = pytest.mark.timeout(240)

TICKETS = 300

# A console that only syncs: small batches, so a kill lands between (or inside) pushes and pulls.
WORKER = r"""
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from storage.cache import LocalCache
from storage.sync import SyncEngine
cache = LocalCache(Path(sys.argv[2]))
engine = SyncEngine(cache, sys.argv[3], lambda: sys.argv[4], live=False, push_batch=10, pull_limit=50)
state = engine.sync_once()
print(json.dumps({"pending": state.pending, "error": state.last_error}))
sys.exit(0 if state.last_error is None and state.pending == 0 else 1)
"""


def _worker(cache_path, url, token) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WORKER, str(REPO), str(cache_path), url, token],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)


def test_console_killed_mid_sync_then_restarted_loses_and_doubles_nothing(sqlite_url, tmp_path):
    from storage.cache import LocalCache

    server = ServerProcess(sqlite_url, tmp_path / "server-home").start()
    try:
        add_users(sqlite_url, ACCOUNTS)
        token = token_for(server.url, "op1")
        cache_path = tmp_path / "console" / "cache.db"
        cache_path.parent.mkdir()
        cache = LocalCache(cache_path)
        made = [cache.create_ticket({"description": f"client kill {i} 垃圾清运"}, "op1")["id"] for i in range(TICKETS)]
        for ticket_id in made[:10]:
            cache.add_note(ticket_id, "called back, no answer", "op1")
        total = cache.pending_count()

        worker = _worker(cache_path, server.url, token)
        wait_until(lambda: cache.pending_count() < total - 20 or worker.poll() is not None, timeout=120,
                   message="the console never started sending")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        assert cache.pending_count() > 0, "the kill came too late to test anything"

        again = _worker(cache_path, server.url, token)
        out, err = again.communicate(timeout=180)
        assert again.returncode == 0, out + err

        assert cache.pending_count() == 0 and cache.rejections() == []
        on_server = server_tickets(server.url, token_for(server.url, "sup1"))
        assert sorted(t["id"] for t in on_server) == sorted(made)
        assert len({t["number"] for t in on_server}) == TICKETS
        assert cache.count_tickets() == TICKETS
        assert all(cache.get_ticket(t)["number"] for t in made)
        for ticket_id in made[:10]:
            assert [n["text"] for n in cache.notes(ticket_id)] == ["called back, no answer"]
    finally:
        server.kill()
