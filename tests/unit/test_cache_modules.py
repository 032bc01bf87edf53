"""The local cache stays split along its seams: small modules, short functions, one facade, one transaction helper."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import storage.cache
from storage.cache import LocalCache
from storage.cache_drafts import CacheDrafts
from storage.cache_search import TicketSearch
from storage.cache_tickets import TicketWrites
from storage.outbox import Outbox
from storage.pull_merge import PullMerge

STORAGE = Path(storage.cache.__file__).parent
PARTS = ["cache.py", "cache_rows.py", "cache_tickets.py", "cache_search.py", "cache_drafts.py", "outbox.py", "pull_merge.py"]
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80

# What the console, the sync engine, tests and benches call on LocalCache.
PUBLIC = {
    "open", "close", "get_meta", "set_meta", "cursor", "maintenance", "optimize_search_index",
    "create_ticket", "update_ticket", "add_note", "transition", "reassign",
    "get_ticket", "list_tickets", "count_tickets", "search", "tickets_by_phone", "likely_duplicates", "history", "notes",
    "save_draft", "load_drafts", "discard_draft",
    "pending_mutations", "pending_count", "pending_authors", "record_push_results", "rejections", "skip_to",
    "apply_changes", "reset_for_full_pull", "import_tickets",
}


def test_each_module_and_function_is_small_enough_to_hold_in_ones_head():
    for name in PARTS:
        source = (STORAGE / name).read_text(encoding="utf-8")
        assert len(source.splitlines()) <= MAX_MODULE_LINES, name
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                assert length <= MAX_FUNCTION_LINES, f"{name}:{node.name} is {length} lines"


def test_the_facade_keeps_every_public_method_and_composes_the_parts():
    assert PUBLIC <= {name for name in dir(LocalCache) if not name.startswith("_")}
    for part in (TicketWrites, TicketSearch, CacheDrafts, Outbox, PullMerge):
        assert issubclass(LocalCache, part)
    # Where each seam's methods live.
    assert LocalCache.create_ticket.__module__ == "storage.cache_tickets"
    assert LocalCache.search.__module__ == "storage.cache_search"
    assert LocalCache.save_draft.__module__ == "storage.cache_drafts"
    assert LocalCache.record_push_results.__module__ == "storage.outbox"
    assert LocalCache.apply_changes.__module__ == "storage.pull_merge"


def test_only_the_facade_opens_connections():
    # One transaction helper: the parts write and read through LocalCache._write/_read, never the engine.
    for name in PARTS[1:]:
        assert "_engine" not in (STORAGE / name).read_text(encoding="utf-8"), name
    assert "foreign_keys" in inspect.signature(LocalCache._write).parameters


def test_a_full_reload_through_the_shared_helper_leaves_foreign_keys_on(tmp_path):
    with LocalCache(tmp_path / "cache.db") as cache:
        kept = cache.create_ticket({"description": "井盖丢失", "caller_phone": "13912345678"}, "op1")
        cache.reset_for_full_pull()
        assert cache.get_ticket(kept["id"]) is not None, "a ticket with unsent changes is kept"
        with cache._write() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
