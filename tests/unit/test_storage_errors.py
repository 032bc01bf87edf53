"""Environmental failures (locked, read-only, no permission, disk full) become a calm EnvironmentProblem."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from storage.cache import LocalCache
from storage.errors import EnvironmentProblem

REPO = Path(__file__).resolve().parents[2]


def _run_child(code: str, *, as_nobody: bool = False) -> dict:
    """Run `code` in a fresh interpreter (optionally as an unprivileged user); it prints one JSON line."""
    prelude = textwrap.dedent(f"""
        import json, os, sys
        sys.path.insert(0, {str(REPO)!r})
        # Everything imported first: an unprivileged user may not read the interpreter's own folders.
        import sqlite3, sqlite_utils, sqlalchemy.dialects.sqlite.pysqlite
        import storage.cache, storage.errors
        if {as_nobody!r} and os.geteuid() == 0:
            os.setgid(65534); os.setuid(65534)   # file permissions do not stop root
    """)
    out = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def shared_dir():
    """A folder an unprivileged child can reach (pytest's tmp_path is private to its user)."""
    path = Path(tempfile.mkdtemp(prefix="hotline-env-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


_TRY = """
    from storage.cache import LocalCache
    from storage.errors import EnvironmentProblem
    try:
        cache = LocalCache({path!r})
        cache.create_ticket({{"description": "saved?"}}, "op1")
        print(json.dumps({{"outcome": "saved"}}))
    except EnvironmentProblem as problem:
        print(json.dumps({{"outcome": "problem", "kind": problem.kind, "message": problem.message}}))
"""


def test_read_only_cache_file(shared_dir):
    path = shared_dir / "cache.db"
    with LocalCache(path) as cache:
        cache.create_ticket({"description": "already there"}, "op1")
    path.chmod(0o444)
    result = _run_child(_TRY.format(path=str(path)), as_nobody=True)
    assert result["outcome"] == "problem"
    assert result["kind"] in {"read_only", "permission"}
    assert "IT" in result["message"]  # tells the person what to do
    with LocalCache(path) as cache:  # and nothing was damaged
        assert cache.count_tickets() == 1


def test_folder_without_write_permission(shared_dir):
    locked = shared_dir / "locked"
    locked.mkdir(mode=0o555)
    locked.chmod(0o555)
    result = _run_child(_TRY.format(path=str(locked / "home" / "cache.db")), as_nobody=True)
    assert result == {"outcome": "problem", "kind": "permission", "message": result["message"]}
    assert "folder" in result["message"]


def test_disk_full_keeps_committed_tickets(tmp_path):
    path = tmp_path / "cache.db"
    LocalCache(path).close()
    code = f"""
        import resource, signal
        from storage.cache import LocalCache
        from storage.errors import EnvironmentProblem
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails like a full disk
        cache = LocalCache({str(path)!r})
        resource.setrlimit(resource.RLIMIT_FSIZE, (2_000_000, 2_000_000))
        saved = []
        try:
            for i in range(100_000):
                saved.append(cache.create_ticket({{"description": "噪音扰民 " * 200 + str(i)}}, "op1")["id"])
            print(json.dumps({{"outcome": "never full", "saved": saved}}))
        except EnvironmentProblem as problem:
            print(json.dumps({{"outcome": "problem", "kind": problem.kind, "message": problem.message, "saved": saved}}))
    """
    result = _run_child(code)
    assert result["outcome"] == "problem" and result["kind"] in {"disk_full", "io"}
    assert "disk" in result["message"]
    assert result["saved"]
    with LocalCache(path) as cache:
        ids = {t["id"] for t in cache.list_tickets(limit=100_000)}
        assert set(result["saved"]) <= ids
        assert len(ids) == len(result["saved"])  # the failed save left nothing behind
        assert cache.pending_count() == len(result["saved"])


def test_locked_too_long(tmp_path):
    path = tmp_path / "cache.db"
    with LocalCache(path, busy_timeout_ms=50) as cache:
        cache.create_ticket({"description": "first"}, "op1")
        import sqlite3

        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock and does not let go
        try:
            with pytest.raises(EnvironmentProblem) as caught:
                cache.create_ticket({"description": "second"}, "op1")
            assert caught.value.kind == "locked" and "busy" in caught.value.message
            assert cache.count_tickets() == 1  # reading still works
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        cache.create_ticket({"description": "second"}, "op1")
        assert cache.count_tickets() == 2


def test_bugs_are_not_disguised_as_environment_problems(tmp_path):
    with LocalCache(tmp_path / "cache.db") as cache:
        with pytest.raises(Exception) as caught:
            with cache._write() as conn:
                conn.exec_driver_sql("SELECT * FROM no_such_table")
        assert not isinstance(caught.value, EnvironmentProblem)


def test_damaged_file_is_an_environment_problem(tmp_path):
    path = tmp_path / "cache.db"
    path.write_bytes(b"this is not a database, it was overwritten by something else" * 100)
    with pytest.raises(EnvironmentProblem) as caught:
        LocalCache(path)
    assert caught.value.kind == "damaged" and "fills again from the server" in caught.value.message
