"""Drafts in the cache: what is being typed, kept durable so a crash loses nothing."""

from __future__ import annotations

import json

from storage.cache_rows import CacheRows, _now


class CacheDrafts(CacheRows):
    """Drafts by id (the console names a new ticket's draft by the ticket's id)."""

    def save_draft(self, draft_id: str, fields: dict) -> None:
        """Keep what is being typed (one small durable write; called often, throttled by the console)."""
        payload = json.dumps(fields, ensure_ascii=False, default=str)
        with self._write() as conn:
            conn.exec_driver_sql(
                "INSERT INTO drafts (id, fields, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at",
                (draft_id, payload, _now()),
            )

    def load_drafts(self) -> list[dict]:
        """Drafts left over (e.g. after a crash), most recent first: [{id, fields, updated_at}]."""
        with self._read() as conn:
            # A draft whose ticket is already saved is not offered again.
            rows = conn.exec_driver_sql(
                "SELECT d.id, d.fields, d.updated_at FROM drafts d WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = d.id) "
                "ORDER BY d.updated_at DESC"
            )
            return [{"id": r.id, "fields": json.loads(r.fields), "updated_at": r.updated_at} for r in rows]

    def discard_draft(self, draft_id: str) -> None:
        with self._write() as conn:
            conn.exec_driver_sql("DELETE FROM drafts WHERE id = ?", (draft_id,))

