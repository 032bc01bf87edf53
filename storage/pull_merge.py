"""Merging pulled server changes into the cache, with unsent local intents replayed on top."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import Connection

from domain import wire
from domain.ticket import CONTENT_FIELDS
from storage.cache_rows import (
    _COLUMNS,
    _INSERT_TICKET,
    CacheRows,
    _differs,
    _local_ref,
    _now,
    _ticket_params,
)
from storage.search_terms import terms_for


class PullMerge(CacheRows):
    """apply_changes, the full reload after an expired cursor, and bulk imports."""

    def _pending_by_ticket(self, conn: Connection, ticket_ids: Iterable[str]) -> dict[str, list[tuple[str, dict]]]:
        ids = list(set(ticket_ids))
        out: dict[str, list[tuple[str, dict]]] = {}
        if not ids:
            return out
        rows = conn.exec_driver_sql(
            "SELECT ticket_id, name, args FROM outbox WHERE state = 'pending' AND ticket_id IN "
            "(SELECT value FROM json_each(?)) ORDER BY id",
            (json.dumps(ids),),
        )
        for row in rows:
            out.setdefault(row.ticket_id, []).append((row.name, json.loads(row.args)))
        return out

    def _replay(self, ticket: dict, intents: list[tuple[str, dict]]) -> None:
        """Put the operator's still-unsent changes back on top of the server's state."""
        for name, args in intents:
            if name in (wire.MutationName.TICKET_CREATE, wire.MutationName.TICKET_UPDATE):
                for field in CONTENT_FIELDS:
                    if field in args:
                        ticket[field] = args[field]
            elif name == wire.MutationName.TICKET_TRANSITION:
                self._apply_transition(ticket, args["action"], args)
            elif name == wire.MutationName.TICKET_REASSIGN:
                ticket["operator"] = args["operator"]

    def apply_changes(self, changes: list[wire.ChangeRecord], cursor: int, *, reset: bool = False) -> wire.ChangeSummary:
        """Apply pulled change records, store the cursor and replay pending local intents, in one transaction.

        Returns the wire.ChangeSummary: ticket ids changed, revoked (removed), revoked_kept (kept for pending
        changes), with new notes, with new history, overwritten (a local value replaced by the server's), and
        `reset` as given: the records are part of a full reload, so views reload whole.
        """
        summary = wire.empty_summary(reset=reset)
        with self._write() as conn:
            touched: dict[str, dict | None] = {}  # ticket id -> row before this pull (None if new)
            pending = self._pending_by_ticket(
                conn,
                [c["ticket"]["id"] for c in changes if c.get("kind") == wire.ChangeKind.TICKET]
                + [c["ticket_id"] for c in changes if c.get("kind") == wire.ChangeKind.REVOKE],
            )
            for change in changes:
                kind = change.get("kind")
                if kind == wire.ChangeKind.TICKET:
                    self._apply_ticket(conn, change["ticket"], pending.get(change["ticket"]["id"], []), touched, summary)
                elif kind == wire.ChangeKind.NOTE:
                    note = change["note"]
                    if not self._load(conn, note["ticket_id"]):
                        continue  # a note for a ticket outside this cache
                    conn.exec_driver_sql(
                        "INSERT INTO notes (id, ticket_id, author, text, created_at, from_server) VALUES (?, ?, ?, ?, ?, 1) "
                        "ON CONFLICT(id) DO UPDATE SET from_server = 1, text = excluded.text",
                        (note["id"], note["ticket_id"], note.get("author") or "", note.get("text") or "",
                         note.get("created_at") or _now()),
                    )
                    summary["notes"].append(note["ticket_id"])
                elif kind == wire.ChangeKind.EVENT:
                    event = change["event"]
                    if not self._load(conn, event["ticket_id"]):
                        continue
                    detail = event.get("detail")
                    self._event(conn, event["ticket_id"], event.get("actor") or "", event.get("action") or "",
                                detail if isinstance(detail, dict) else {"text": detail},
                                origin="server", event_id=str(event["id"]), created_at=event.get("created_at"))
                    summary["events"].append(event["ticket_id"])
                elif kind == wire.ChangeKind.REVOKE:
                    ticket_id = change["ticket_id"]
                    if pending.get(ticket_id):
                        conn.exec_driver_sql("UPDATE tickets SET revoked = 1 WHERE id = ?", (ticket_id,))
                        self._event(conn, ticket_id, "server", "revoked_kept",
                                    {"reason": "left your scope; kept until your pending changes are sent"}, origin="sync")
                        summary["revoked_kept"].append(ticket_id)
                    else:
                        self._remove(conn, ticket_id)
                        summary["revoked"].append(ticket_id)
                        touched.pop(ticket_id, None)
                else:
                    raise ValueError(f"unknown change kind {kind!r}")
            # Unsent local edits go back on top, so the operator's typing does not flicker away.
            for ticket_id in touched:
                intents = pending.get(ticket_id)
                if not intents:
                    continue
                current = self._load(conn, ticket_id)
                replayed = dict(current)
                self._replay(replayed, intents)
                if replayed != current:
                    self._store(conn, replayed, current)
            self._set_meta(conn, "cursor", int(cursor))
        for key, value in summary.items():
            if isinstance(value, list):
                summary[key] = list(dict.fromkeys(value))  # type: ignore[literal-required]
        return summary

    def _apply_ticket(self, conn: Connection, record: dict, intents: list, touched: dict, summary: dict) -> None:
        ticket_id = record["id"]
        old = self._load(conn, ticket_id)
        if ticket_id not in touched:
            touched[ticket_id] = old
        server = {name: record.get(name) for name in _COLUMNS}
        server["version"] = int(server.get("version") or 0)
        pending_fields = {f for name, args in intents for f in args if f in CONTENT_FIELDS}
        local_fields: dict = {}
        keep_ours: dict = {}
        if old is not None:
            for field, edit in old["local_fields"].items():
                ours = edit.get("value")
                if field in pending_fields:
                    local_fields[field] = edit  # still to be sent: replayed below
                elif server["version"] <= int(edit.get("base") or 0):
                    local_fields[field] = edit  # a snapshot from before our edit: keep ours, judge later
                    keep_ours[field] = ours
                elif _differs(ours, server.get(field)):
                    # The server's value replaced ours (someone else wrote later): keep ours in history.
                    self._event(conn, ticket_id, "server", "overwritten",
                                {"field": field, "yours": ours, "server": server.get(field),
                                 "version": server["version"]}, origin="sync")
                    summary["overwritten"].append(ticket_id)
        server.update(keep_ours)
        ticket = {**server, "local_fields": local_fields, "from_server": True, "revoked": False,
                  "local_ref": old["local_ref"] if old else _local_ref(ticket_id)}
        if old is None or any(_differs(old.get(c), ticket.get(c)) for c in _COLUMNS) or old["local_fields"] != local_fields \
                or not old["from_server"] or old["revoked"]:
            self._store(conn, ticket, old)
            summary["tickets"].append(ticket_id)

    def reset_for_full_pull(self) -> None:
        """The server said our cursor is too old: forget server data (keep tickets with unsent changes), cursor 0.

        Deleting a big cache row by row (each row's search-index entry and foreign-key checks) would
        hold the write lock for minutes, so this one transaction sets the index's delete trigger
        aside, keeps the few tickets with unsent changes apart, empties the tables whole with
        foreign-key checks off for this connection, puts the kept ones back and rebuilds the index.
        """
        with self._write(foreign_keys=False) as conn:
            self._forget_server_data(conn)

    def _forget_server_data(self, conn: Connection) -> None:
        # Keeping a few rows aside and emptying the tables whole is far quicker than deleting
        # most rows one by one through six indexes.
        keep = json.dumps([r[0] for r in conn.exec_driver_sql("SELECT DISTINCT ticket_id FROM outbox WHERE state = 'pending'")])
        trigger = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'ticket_terms_ad'"
        ).scalar_one()
        conn.exec_driver_sql("DROP TRIGGER ticket_terms_ad")
        kept = "(SELECT value FROM json_each(?))"
        tables = {
            "tickets": f"SELECT * FROM tickets WHERE id IN {kept}",
            "ticket_terms": f"SELECT * FROM ticket_terms WHERE seq IN (SELECT seq FROM tickets WHERE id IN {kept})",
            "notes": f"SELECT * FROM notes WHERE ticket_id IN {kept}",
            "events": f"SELECT * FROM events WHERE ticket_id IN {kept}",
        }
        for table, select in tables.items():
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.kept_{table}")
            conn.exec_driver_sql(f"CREATE TEMP TABLE kept_{table} AS {select}", (keep,))
        for table in ("notes", "events", "ticket_terms", "tickets"):
            conn.exec_driver_sql(f"DELETE FROM {table}")
        for table in ("tickets", "ticket_terms", "notes", "events"):
            conn.exec_driver_sql(f"INSERT INTO {table} SELECT * FROM temp.kept_{table}")
            conn.exec_driver_sql(f"DROP TABLE temp.kept_{table}")
        conn.exec_driver_sql("INSERT INTO ticket_terms_fts (ticket_terms_fts) VALUES ('rebuild')")
        conn.exec_driver_sql(trigger)
        self._set_meta(conn, "cursor", 0)

    def import_tickets(self, records: Iterable[dict], batch: int = 20000) -> int:
        """Bulk-load server ticket snapshots (seeding, a full pull after a reset, benchmarks).

        Much faster than apply_changes for large volumes: many rows per statement and per
        transaction (each batch commits on its own). No history events; pending local intents
        are replayed afterwards so unsent edits stay visible. Returns the number of tickets.
        """
        count = 0
        chunk: list[dict] = []
        for record in records:
            chunk.append(record)
            if len(chunk) >= batch:
                count += self._import_chunk(chunk)
                chunk = []
        if chunk:
            count += self._import_chunk(chunk)
        with self._write() as conn:
            pending = self._pending_by_ticket(
                conn, [r[0] for r in conn.exec_driver_sql("SELECT DISTINCT ticket_id FROM outbox WHERE state = 'pending'")]
            )
            for ticket_id, intents in pending.items():
                current = self._load(conn, ticket_id)
                if current is None:
                    continue
                replayed = dict(current)
                self._replay(replayed, intents)
                if replayed != current:
                    self._store(conn, replayed, current)
        return count

    def _import_chunk(self, chunk: list[dict]) -> int:
        tickets = []
        for record in {r["id"]: r for r in chunk}.values():  # the last snapshot of a ticket wins
            ticket = {name: record.get(name) for name in _COLUMNS}
            ticket["from_server"] = True
            ticket["local_ref"] = _local_ref(ticket["id"])
            tickets.append(ticket)
        ids = json.dumps([t["id"] for t in tickets])
        with self._write() as conn:
            # A bulk load touches the id index and the search index all over: give it room in memory.
            conn.exec_driver_sql("PRAGMA cache_size = -262144")
            # Existing rows first leave the index (through the terms table's delete trigger).
            conn.exec_driver_sql(
                "DELETE FROM ticket_terms WHERE seq IN (SELECT seq FROM tickets WHERE id IN (SELECT value FROM json_each(?)))",
                (ids,),
            )
            conn.exec_driver_sql(_INSERT_TICKET.replace(" RETURNING seq", ""), [_ticket_params(t) for t in tickets])
            seqs = dict(conn.exec_driver_sql(
                "SELECT id, seq FROM tickets WHERE id IN (SELECT value FROM json_each(?))", (ids,)
            ).all())
            conn.exec_driver_sql(
                "INSERT INTO ticket_terms (seq, terms) VALUES (?, ?)",
                [(seqs[t["id"]], terms_for(t)) for t in tickets],
            )
            conn.exec_driver_sql("PRAGMA cache_size = -32000")
        return len(tickets)

