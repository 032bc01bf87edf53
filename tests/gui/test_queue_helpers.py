"""Helpers for the queue/status/i18n GUI tests: tickets as the central service would send them through pull."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

from domain.ticket import Ticket

_seq = itertools.count(1)

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)


def server_ticket(n: int, **fields) -> dict:
    """A ticket dict with every field, as a pulled change carries it."""
    values = dict(
        number=f"20261127-{n:06d}",
        caller_phone=f"1380000{n:04d}",
        caller_name=f"Caller {n}",
        incident_address=f"朝阳区建国路{n}号",
        sub_district_code="110105001",
        request_type="complaint",
        category_code="CITY-NOISE-001",
        description=f"小区楼下广场舞噪音扰民 {n}",
        urgency="normal",
        status="dispatched",
        operator="op1",
        unit_code="U-110105001",
        call_started_at=(NOW - timedelta(minutes=n)).isoformat(),
        dispatched_at=(NOW - timedelta(minutes=n)).isoformat(),
        due_at=(datetime.now(timezone.utc) + timedelta(days=2)).isoformat(),
        version=1,
        created_at=(NOW - timedelta(minutes=n)).isoformat(),
        updated_at=(NOW - timedelta(minutes=n)).isoformat(),
    )
    values.update(fields)
    return Ticket(**{k: v for k, v in values.items() if k in Ticket.__dataclass_fields__}).to_dict()


def pull(cache, tickets: list[dict], events: list[dict] = (), notes: list[dict] = ()) -> dict:
    """Apply tickets (and events/notes) to the cache exactly as a sync pull would; returns the change summary."""
    changes = []
    for ticket in tickets:
        changes.append({"seq": next(_seq), "kind": "ticket", "ticket": ticket})
    for event in events:
        changes.append({"seq": next(_seq), "kind": "event", "event": event})
    for note in notes:
        changes.append({"seq": next(_seq), "kind": "note", "note": note})
    cursor = max(c["seq"] for c in changes) if changes else (cache.cursor or 0)
    return cache.apply_changes(changes, max(cursor, (cache.cursor or 0) + 1)) or {}


def event(ticket_id: str, actor: str, action: str, detail, created_at: datetime | None = None) -> dict:
    return {"id": f"ev-{next(_seq)}", "ticket_id": ticket_id, "actor": actor, "action": action, "detail": detail,
            "created_at": (created_at or NOW).isoformat()}


import pytest  # noqa: E402


@pytest.fixture
def cache(tmp_path):
    """A real local cache in a fresh file."""
    from storage.cache import LocalCache

    local = LocalCache(tmp_path / "cache.db")
    yield local
    local.close()


def type_text(widget, text: str) -> None:
    """Type text the way it really arrives: Latin keys as key events, Chinese as an input-method commit.

    (QTest's keyClicks only handles Latin-1 characters.)
    """
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    if all(ord(ch) < 128 for ch in text):
        QTest.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)
