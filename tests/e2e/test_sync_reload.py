"""A console whose cursor the service compacted away reloads fully through the real engine, over HTTP, while the
service compacts again between the reload's pages (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid

import pytest

from server.db import shared_engine
from server.sync import compact_changes, latest_seq
from tests.e2e.harness import make_console

pytestmark = pytest.mark.timeout(180)


def test_a_reset_console_reloads_every_ticket_across_compaction(service, module_db_url, tmp_path):
    writer = make_console(tmp_path, service.url, "op2", "operator", live=False)
    reader = make_console(tmp_path, service.url, "sup1", "supervisor", live=False, pull_limit=4)
    try:
        made = [writer.cache.create_ticket({"description": f"井盖丢失 {uuid.uuid4().hex[:6]}"}, "op2")["id"]
                for _ in range(5)]
        writer.sync()
        reader.sync()
        made += [writer.cache.create_ticket({"description": f"路灯不亮 {i}"}, "op2")["id"] for i in range(10)]
        writer.sync()
        engine = shared_engine(module_db_url)
        compact_changes(engine, latest_seq(engine) - 1)  # the reader's cursor now lies below the floor
        pages = []

        def between_pages(summary):
            pages.append(summary)
            compact_changes(engine, latest_seq(engine) - 1)

        reader.engine.on_changes = between_pages
        reader.sync()
        assert pages[0]["reset"] is True and len(pages) >= 3
        local = {t["id"] for t in reader.cache.list_tickets(limit=10000)}
        assert set(made) <= local
        assert reader.cache.cursor == latest_seq(engine)
    finally:
        for console in (writer, reader):
            console.engine.close()
            console.cache.close()
