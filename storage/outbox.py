"""The sync outbox: local intents waiting to be sent, the server's answers to them, and its refusals."""

from __future__ import annotations

import json

from sqlalchemy import Connection

from domain import wire
from storage.cache_rows import CacheRows, _now


class Outbox(CacheRows):
    """Queued mutations; the sync engine drains them (pending_mutations / record_push_results)."""

    def _enqueue(self, conn: Connection, build, ticket_id: str, author: str, *args, **kwargs) -> wire.Mutation:
        """Append the next intent to the outbox; its id is the next consecutive mutation id."""
        last = conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM outbox").scalar_one()
        floor = conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'mutation_floor'").first()
        mutation = build(max(last, int(floor[0]) if floor else 0) + 1, *args, **kwargs)
        conn.exec_driver_sql(
            "INSERT INTO outbox (id, name, args, ticket_id, author, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (mutation.id, str(mutation.name), json.dumps(mutation.args, ensure_ascii=False), ticket_id, author, _now()),
        )
        return mutation

    def pending_mutations(self, limit: int = 500, author: str | None = None) -> list[wire.Mutation]:
        """Intents not yet acknowledged, in mutation id order (only `author`'s when given)."""
        sql = "SELECT id, name, args FROM outbox WHERE state = 'pending'"
        params: tuple = ()
        if author is not None:
            sql += " AND author = ?"
            params = (author,)
        with self._read() as conn:
            rows = conn.exec_driver_sql(sql + " ORDER BY id LIMIT ?", params + (int(limit),))
            return [wire.Mutation(r.id, r.name, json.loads(r.args)) for r in rows]

    def pending_count(self, author: str | None = None) -> int:
        sql = "SELECT COUNT(*) FROM outbox WHERE state = 'pending'"
        with self._read() as conn:
            if author is None:
                return conn.exec_driver_sql(sql).scalar_one()
            return conn.exec_driver_sql(sql + " AND author = ?", (author,)).scalar_one()

    def pending_authors(self) -> dict[str, int]:
        """Who wrote the changes waiting to be sent: {author: count} (a shift change leaves some behind)."""
        with self._read() as conn:
            rows = conn.exec_driver_sql("SELECT author, COUNT(*) FROM outbox WHERE state = 'pending' GROUP BY author")
            return {r[0]: r[1] for r in rows}

    def record_push_results(self, results: list[dict]) -> dict:
        """The server's answer per mutation: applied/duplicate leave the queue; rejected are kept with the reason.

        A ticket that had left this user's scope and was kept only for its unsent changes is removed
        once the last of them is answered. Returns {"rejected": [mutation ids], "removed": [ticket ids]}.
        """
        now = _now()
        outcome: dict[str, list] = {"rejected": [], "removed": []}
        answered: set[str] = set()
        with self._write() as conn:
            for result in results:
                status = result["status"]
                if status not in (wire.ResultStatus.APPLIED, wire.ResultStatus.DUPLICATE, wire.ResultStatus.REJECTED):
                    raise ValueError(f"unknown push result status {status!r}")
                row = conn.exec_driver_sql(
                    "SELECT id, name, args, ticket_id, author, state FROM outbox WHERE id = ?", (int(result["id"]),)
                ).first()
                if row is None or row.state != "pending":
                    continue  # an answer we already recorded (a repeated response)
                conn.exec_driver_sql("UPDATE outbox SET state = ? WHERE id = ?", (str(status), row.id))
                answered.add(row.ticket_id)
                if status == wire.ResultStatus.REJECTED:
                    reason = result.get("error") or result.get("message") or "refused by the server"
                    if isinstance(reason, dict):
                        reason = reason.get("message") or json.dumps(reason, ensure_ascii=False)
                    conn.exec_driver_sql(
                        "INSERT INTO rejections (mutation_id, ticket_id, name, args, author, reason, rejected_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(mutation_id) DO NOTHING",
                        (row.id, row.ticket_id, row.name, row.args, row.author, str(reason), now),
                    )
                    if conn.exec_driver_sql("SELECT 1 FROM tickets WHERE id = ?", (row.ticket_id,)).first():
                        self._event(conn, row.ticket_id, "server", "rejected",
                                    {"mutation": row.id, "name": row.name, "reason": str(reason),
                                     "args": json.loads(row.args), "author": row.author}, origin="sync")
                    outcome["rejected"].append(row.id)
            if answered:
                done = conn.exec_driver_sql(
                    "SELECT t.id FROM tickets t WHERE t.revoked = 1 AND t.id IN (SELECT value FROM json_each(?)) "
                    "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.ticket_id = t.id AND o.state = 'pending')",
                    (json.dumps(sorted(answered)),),
                ).scalars().all()
                for ticket_id in done:
                    self._remove(conn, ticket_id)
                    outcome["removed"].append(ticket_id)
        return outcome

    def rejections(self, author: str | None = None) -> list[dict]:
        """Changes the server refused, newest first (all of them for a supervisor; pass author for an operator)."""
        sql = ("SELECT r.mutation_id, r.ticket_id, r.name, r.args, r.author, r.reason, r.rejected_at, t.number, t.local_ref "
               "FROM rejections r LEFT JOIN tickets t ON t.id = r.ticket_id")
        params: tuple = ()
        if author is not None:
            sql += " WHERE r.author = ?"
            params = (author,)
        with self._read() as conn:
            rows = conn.exec_driver_sql(sql + " ORDER BY r.mutation_id DESC", params)
            return [{**dict(r._mapping), "args": json.loads(r.args)} for r in rows]

    def skip_to(self, last_mutation_id: int, author: str | None = None, since: int = 0) -> None:
        """Align with the server's last seen mutation id (its answer to a gap), for `author`'s changes from `since`.

        Everything up to it is done; anything after it that we thought acknowledged goes back to
        pending (the server no longer has it), and new ids continue after it.
        """
        last = int(last_mutation_id)
        mine = " AND author = ?" if author is not None else ""
        extra: tuple = (author,) if author is not None else ()
        with self._write() as conn:
            conn.exec_driver_sql("UPDATE outbox SET state = 'skipped' WHERE state = 'pending' AND id <= ? AND id >= ?"
                                 + mine, (last, int(since)) + extra)
            conn.exec_driver_sql("UPDATE outbox SET state = 'pending' WHERE state IN ('applied', 'duplicate', 'skipped') "
                                 "AND id > ?" + mine, (last,) + extra)
            floor = conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'mutation_floor'").first()
            self._set_meta(conn, "mutation_floor", max(last, int(floor[0]) if floor else 0))

