"""The real sync engine and cache against the service (SQLite and PostgreSQL): a copied cache, a rolled-back cache,
a shift change at one console, and a full reload across compaction all end with every ticket there exactly once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server import schema
from server.db import shared_engine
from server.sync import compact_changes, latest_seq
from server.testing import running_api
from storage.cache import LocalCache
from storage.sync import SyncEngine
from storage.sync_identity import IDENTITY_KEY


@pytest.fixture
def api(server_db_url):
    with running_api(server_db_url) as api:
        yield api


class Console:
    """One workstation: a cache file and an engine speaking to the test service, as `user` (changeable)."""

    def __init__(self, api, folder: Path, user: str, **options):
        self.api, self.folder, self.user = api, folder, user
        folder.mkdir(parents=True, exist_ok=True)
        self.cache = LocalCache(folder / "cache.db")
        self.engine = SyncEngine(self.cache, str(api.client.base_url), lambda: self.token(), client=api.client,
                                 live=False, **options)

    def token(self) -> str:
        return self.api.login(self.user)["Authorization"].split()[1]

    def new_tickets(self, n: int, author: str | None = None) -> list[str]:
        return [self.cache.create_ticket({"description": f"{self.folder.name} 垃圾没人清运 {i}",
                                          "caller_phone": "13812345678"}, author or self.user)["id"] for i in range(n)]

    def sync(self):
        state = self.engine.sync_once()
        assert state.last_error is None, state.last_error
        return state

    def identity(self) -> dict:
        return json.loads(self.cache.get_meta(IDENTITY_KEY + self.user))

    def close(self) -> None:
        self.cache.close()


def copy_cache(source: Path, target: Path) -> None:
    """A file copy of a closed cache (as a backup or a copy to another workstation would be)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("cache.db", "cache.db-wal"):
        if (source / name).exists():
            shutil.copyfile(source / name, target / name)


def server_tickets(api) -> dict[str, int]:
    """ticket id -> how many ticket.create were applied for it (must be 1 each)."""
    ml = schema.mutation_log
    with shared_engine(api.db_url).connect() as conn:
        applied = dict(conn.execute(select(ml.c.ticket_id, func.count()).where(
            ml.c.name == "ticket.create", ml.c.status == "applied").group_by(ml.c.ticket_id)).all())
        stored = set(conn.execute(select(schema.tickets.c.id)).scalars())
    assert set(applied) == stored
    return applied


def test_a_copied_cache_and_its_original_both_land_every_ticket_once(api, tmp_path):
    a = Console(api, tmp_path / "a", "op1")
    first = a.new_tickets(2)
    a.sync()
    unsent = a.new_tickets(1)  # pending when the copy is taken: both copies hold it
    a.close()
    copy_cache(tmp_path / "a", tmp_path / "b")
    a, b = Console(api, tmp_path / "a", "op1"), Console(api, tmp_path / "b", "op1")
    assert a.identity() == b.identity()
    made_a, made_b = a.new_tickets(2), b.new_tickets(2)
    a.sync()
    b.sync()
    a.sync()
    assert server_tickets(api) == {t: 1 for t in first + unsent + made_a + made_b}
    assert a.cache.pending_count() == b.cache.pending_count() == 0
    assert a.identity()["client_id"] != b.identity()["client_id"]  # the copy registered anew
    # And both go on: later tickets land once too.
    later = a.new_tickets(1) + b.new_tickets(1)
    a.sync()
    b.sync()
    assert set(server_tickets(api)) >= set(later) and set(server_tickets(api).values()) == {1}
    for console in (a, b):
        console.sync()
        assert {t["id"] for t in console.cache.list_tickets(limit=100)} == set(server_tickets(api))
        console.close()


def test_both_copies_pushing_under_one_identity_at_once_land_everything_once(api, tmp_path):
    """The copy pushes first under the shared identity; the original then meets a conflict and re-registers."""
    a = Console(api, tmp_path / "a", "op1")
    a.new_tickets(1)
    a.sync()
    a.close()
    copy_cache(tmp_path / "a", tmp_path / "b")
    a, b = Console(api, tmp_path / "a", "op1"), Console(api, tmp_path / "b", "op1")
    made = b.new_tickets(3) + a.new_tickets(3)
    b.sync()
    a.sync()
    assert set(made) <= set(server_tickets(api)) and set(server_tickets(api).values()) == {1}
    assert a.cache.pending_count() == b.cache.pending_count() == 0
    a.close()
    b.close()


def test_a_rolled_back_cache_sends_its_new_tickets_under_a_new_registration(api, tmp_path):
    a = Console(api, tmp_path / "a", "op1")
    before = a.new_tickets(2)
    a.sync()
    pending_at_backup = a.new_tickets(1)
    a.close()
    copy_cache(tmp_path / "a", tmp_path / "backup")
    a = Console(api, tmp_path / "a", "op1")
    after = a.new_tickets(2)
    a.sync()
    old_identity = a.identity()
    a.close()
    copy_cache(tmp_path / "backup", tmp_path / "a")  # restored in place: the same file, older content
    a = Console(api, tmp_path / "a", "op1")
    new = a.new_tickets(2)
    a.sync()
    assert server_tickets(api) == {t: 1 for t in before + pending_at_backup + after + new}
    assert a.cache.pending_count() == 0 and a.identity()["client_id"] != old_identity["client_id"]
    a.sync()
    assert {t["id"] for t in a.cache.list_tickets(limit=100)} == set(server_tickets(api))
    a.close()


def test_a_shift_change_sends_each_persons_changes_under_their_own_name(api, tmp_path):
    """op1 leaves with changes unsent; op2 signs in at the same console: op2's go out, op1's wait for op1."""
    console = Console(api, tmp_path / "desk", "op1")
    left_behind = console.new_tickets(2)  # the network is down at the end of op1's shift
    console.user = "op2"
    mine = console.new_tickets(1)
    state = console.sync()
    assert state.waiting_for_others == 2 and console.cache.pending_count() == 2
    ml = schema.mutation_log

    def authors() -> dict[str, str]:
        with shared_engine(api.db_url).connect() as conn:
            return dict(conn.execute(select(ml.c.ticket_id, ml.c.username).where(ml.c.name == "ticket.create")).all())

    assert authors() == {mine[0]: "op2"}
    console.user = "op1"  # op1 signs in there again
    more = console.new_tickets(1)
    state = console.sync()
    assert state.waiting_for_others == 0 and console.cache.pending_count() == 0
    assert authors() == {mine[0]: "op2", **{t: "op1" for t in left_behind + more}}
    assert server_tickets(api) == {t: 1 for t in left_behind + mine + more}
    console.close()


def test_a_reset_console_reloads_fully_across_compaction_between_pages(api, tmp_path):
    """The service compacts its feed past this console's cursor, and again between the reload's pages."""
    writer = Console(api, tmp_path / "writer", "op2")
    reader = Console(api, tmp_path / "reader", "op1", pull_limit=3)
    early = writer.new_tickets(4)
    writer.sync()
    reader.sync()
    later = writer.new_tickets(8)
    writer.sync()
    engine = shared_engine(api.db_url)
    compact_changes(engine, latest_seq(engine) - 1)  # the reader's cursor is now below the floor
    summaries = []

    def between_pages(summary):
        summaries.append(summary)
        compact_changes(engine, latest_seq(engine) - 1)

    reader.engine.on_changes = between_pages
    reader.sync()
    assert summaries and summaries[0]["reset"] is True
    assert {t["id"] for t in reader.cache.list_tickets(limit=100)} == set(early + later)
    assert reader.cache.cursor == latest_seq(engine) and reader.cache.get_meta("reload_snapshot") is None
    writer.close()
    reader.close()


def test_a_cache_from_before_registration_drains_under_its_own_id_then_registers(api, tmp_path):
    """A push under the cache's own id may have reached the service before the upgrade: it is replayed there."""
    console = Console(api, tmp_path / "old", "op1")
    console.cache.set_meta("legacy_client_id_retired", None)  # as a cache made by an older console
    sent = console.new_tickets(2)
    body = api.push_body(console.cache.client_id, [(m.name, m.args) for m in console.cache.pending_mutations()],
                         first_id=1)
    assert api.client.post("/api/v1/sync/push", json=body, headers=api.login("op1")).status_code == 200  # answer lost
    console.sync()
    assert server_tickets(api) == {t: 1 for t in sent}
    assert console.cache.get_meta("legacy_client_id_retired") == "1"
    later = console.new_tickets(1)
    console.sync()
    assert server_tickets(api) == {t: 1 for t in sent + later}
    assert console.identity()["client_id"] != console.cache.client_id
    console.close()
