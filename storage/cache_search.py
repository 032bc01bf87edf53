"""Reading the cache: one ticket, lists, full-text search, a caller's earlier tickets, likely duplicates, history and notes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from storage import schema
from storage.cache_rows import _SEARCHED_TEXT, _SELECT_TICKET, CacheRows, _row_dict
from storage.search_terms import match_expression, search_plan, text_tokens


class TicketSearch(CacheRows):
    """Read-only queries (each on its own pooled connection)."""

    def get_ticket(self, ticket_id: str) -> dict | None:
        with self._read() as conn:
            row = conn.exec_driver_sql(_SELECT_TICKET + " WHERE t.id = ?", (ticket_id,)).first()
            return _row_dict(row) if row else None

    def list_tickets(self, status: str | Iterable[str] | None = None, operator: str | None = None,
                     unit_code: str | None = None, limit: int = 200, offset: int = 0) -> list[dict]:
        """Newest first (by arrival in this cache)."""
        where, params = [], []
        if status is not None:
            statuses = [status] if isinstance(status, str) else list(status)
            where.append(f"t.status IN ({', '.join('?' for _ in statuses)})")
            params += statuses
        if operator is not None:
            where.append("t.operator = ?")
            params.append(operator)
        if unit_code is not None:
            where.append("t.unit_code = ?")
            params.append(unit_code)
        sql = _SELECT_TICKET + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY t.seq DESC LIMIT ? OFFSET ?"
        with self._read() as conn:
            return [_row_dict(r) for r in conn.exec_driver_sql(sql, tuple(params) + (int(limit), int(offset)))]

    def count_tickets(self) -> int:
        with self._read() as conn:
            return conn.exec_driver_sql("SELECT COUNT(*) FROM tickets").scalar_one()

    def search(self, query: str, limit: int = 50) -> list[dict]:
        """Tickets matching number, phone (full or last digits), local reference, text or address; newest first."""
        expression, characters = search_plan(query or "")
        if expression is None and not characters:
            return []
        if expression is None:
            found = self._newest_containing(characters, limit)
            if found is not None:
                return found
            # Rare characters: as index prefixes they are cheap.
            expression, characters = match_expression(query), []
        if not characters:
            sql = (
                _SELECT_TICKET + " WHERE t.seq IN (SELECT rowid FROM ticket_terms_fts WHERE ticket_terms_fts MATCH ? "
                "ORDER BY rowid DESC LIMIT ?) ORDER BY t.seq DESC"
            )
            params: tuple = (expression, int(limit))
        else:
            # Walk the index's matches newest first and keep those that also contain the characters.
            sql = (
                _SELECT_TICKET + " JOIN ticket_terms_fts f ON f.rowid = t.seq WHERE f.ticket_terms_fts MATCH ? "
                + "".join(f" AND instr({_SEARCHED_TEXT}, ?) > 0" for _ in characters)
                + " ORDER BY f.rowid DESC LIMIT ?"
            )
            params = (expression, *characters, int(limit))
        with self._read() as conn:
            return [_row_dict(r) for r in conn.exec_driver_sql(sql, params)]

    # How many of the newest tickets a one-character search reads directly before using the index.
    SINGLE_CHARACTER_WINDOW = 5000

    def _newest_containing(self, characters: list[str], limit: int) -> list[dict] | None:
        """The newest tickets containing common characters, or None when they are not all among the newest few.

        In the index a single character is a prefix over every bigram it starts: for 区 or 号 that is
        thousands of terms (half a second at a million tickets). Such a character is found at once
        by reading the newest rows; a rare one falls through to the index, where its prefix is cheap.
        """
        with self._read() as conn:
            top = conn.exec_driver_sql("SELECT MAX(seq) FROM tickets").scalar() or 0
            rows = conn.exec_driver_sql(
                _SELECT_TICKET + " WHERE t.seq > ?" + "".join(f" AND instr({_SEARCHED_TEXT}, ?) > 0" for _ in characters)
                + " ORDER BY t.seq DESC LIMIT ?",
                (top - self.SINGLE_CHARACTER_WINDOW, *characters, int(limit)),
            ).all()
        if len(rows) < limit:
            return None
        return [_row_dict(r) for r in rows]

    def tickets_by_phone(self, phone: str, limit: int = 20) -> list[dict]:
        """The caller's earlier tickets (exact number), newest first."""
        digits = re.sub(r"\D", "", phone or "")
        if not digits:
            return []
        with self._read() as conn:
            rows = conn.exec_driver_sql(
                _SELECT_TICKET + f" WHERE {schema.PHONE_DIGITS} = ? ORDER BY t.seq DESC LIMIT ?", (digits, int(limit))
            )
            return [_row_dict(r) for r in rows]

    def likely_duplicates(self, category_code: str, sub_district_code: str, incident_address: str = "",
                          days: int = 30, exclude_id: str | None = None, limit: int = 10) -> list[dict]:
        """Open tickets of the same type in the same sub-district lately, the most similar address first.

        Each result carries `similarity` (0..1, shared address bigrams).
        """
        if not category_code or not sub_district_code:
            return []
        since = (datetime.now(UTC) - timedelta(days=days)).isoformat()
        with self._read() as conn:
            rows = conn.exec_driver_sql(
                _SELECT_TICKET + " WHERE t.category_code = ? AND t.sub_district_code = ? AND t.created_at >= ? "
                "AND t.status != 'closed' AND t.id != ? ORDER BY t.created_at DESC LIMIT 200",
                (category_code, sub_district_code, since, exclude_id or ""),
            )
            found = [_row_dict(r) for r in rows]
        wanted = set(text_tokens(incident_address or ""))
        for ticket in found:
            theirs = set(text_tokens(ticket.get("incident_address") or ""))
            ticket["similarity"] = round(len(wanted & theirs) / len(wanted | theirs), 3) if wanted and theirs else 0.0
        found.sort(key=lambda t: t["similarity"], reverse=True)
        return found[:limit]

    def history(self, ticket_id: str) -> list[dict]:
        """The ticket's events, oldest first: who, what, when, detail (why, old/new and overwritten values)."""
        with self._read() as conn:
            rows = conn.exec_driver_sql(
                "SELECT id, ticket_id, actor, action, detail, created_at, origin FROM events WHERE ticket_id = ? ORDER BY seq",
                (ticket_id,),
            )
            return [{**dict(r._mapping), "detail": json.loads(r.detail)} for r in rows]

    def notes(self, ticket_id: str) -> list[dict]:
        with self._read() as conn:
            rows = conn.exec_driver_sql(
                "SELECT id, ticket_id, author, text, created_at, from_server FROM notes WHERE ticket_id = ? ORDER BY created_at, rowid",
                (ticket_id,),
            )
            return [{**dict(r._mapping), "from_server": bool(r.from_server)} for r in rows]

    def optimize_search_index(self) -> None:
        """Rewrite the full-text index as one segment (after a bulk import; takes the write lock a while)."""
        with self._write() as conn:
            conn.exec_driver_sql("INSERT INTO ticket_terms_fts (ticket_terms_fts) VALUES ('optimize')")

