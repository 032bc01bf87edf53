"""The central service's tables (SQLAlchemy Core), portable across PostgreSQL and SQLite.

Times that are compared in SQL for security (token expiry, login throttling) are epoch seconds;
business times (tickets, notes, events, audit) are ISO-8601 UTC strings, as on the wire.
The Alembic migrations under server/migrations create exactly these tables.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
)

metadata = MetaData()

ID = 64  # uuids and codes
TS = 40  # ISO timestamps

server_meta = Table(
    "server_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# Counter rows bumped inside writing transactions: the change feed ("change_seq") and the
# per-day ticket numbers ("ticket_no:YYYYMMDD"). A row lock orders writers; a sequence would not.
counters = Table(
    "counters",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(ID), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("unit_code", String(ID), nullable=True),
    Column("password_hash", String(255), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", String(TS), nullable=False),
    # Second factor (supervisors, admins): the TOTP secret, and the time step of the last code used.
    Column("totp_secret", String(64), nullable=True),
    Column("totp_last_step", BigInteger, nullable=True),
)
# OP1 and op1 are one name (user names are plain ASCII, which lower() folds the same on both databases).
Index("ux_users_username_lower", func.lower(users.c.username), unique=True)

tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("created_at", Float, nullable=False),
    Column("last_used_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(ID), nullable=False, unique=True),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", String(TS), nullable=False),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_started", Float, nullable=False),
    Column("locked_until", Float, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(TS), nullable=False),
    Column("actor", String(ID), nullable=False),
    Column("action", String(32), nullable=False, index=True),
    Column("ticket_id", String(ID), nullable=True),
    Column("ip", String(64), nullable=True),
    Column("detail", Text, nullable=False),
)

tickets = Table(
    "tickets",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("number", String(32), nullable=True, unique=True),
    Column("caller_phone", String(40), nullable=False, default=""),
    Column("caller_name", String(200), nullable=False, default=""),
    Column("caller_address", Text, nullable=False, default=""),
    Column("incident_address", Text, nullable=False, default=""),
    Column("sub_district_code", String(ID), nullable=False, default=""),
    Column("request_type", String(16), nullable=False, default="complaint"),
    Column("category_code", String(ID), nullable=False, default=""),
    Column("taxonomy_version", String(ID), nullable=False, default=""),
    Column("suggestions", Text, nullable=False, default="[]"),
    Column("suggestion_rank", Integer, nullable=True),
    Column("description", Text, nullable=False, default=""),
    Column("urgency", String(16), nullable=False, default="normal"),
    Column("status", String(32), nullable=False, index=True),
    Column("operator", String(ID), nullable=False, default="", index=True),
    Column("unit_code", String(ID), nullable=False, default="", index=True),
    Column("call_started_at", String(TS), nullable=True),
    Column("dispatched_at", String(TS), nullable=True),
    Column("accept_due_at", String(TS), nullable=True),
    Column("due_at", String(TS), nullable=True),
    Column("callback_result", String(32), nullable=True),
    Column("duplicate_of", String(ID), nullable=True),
    Column("version", Integer, nullable=False, default=0),
    Column("created_at", String(TS), nullable=False),
    Column("updated_at", String(TS), nullable=False),
)

notes = Table(
    "notes",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("ticket_id", String(ID), ForeignKey("tickets.id"), nullable=False, index=True),
    Column("author", String(ID), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", String(TS), nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("ticket_id", String(ID), ForeignKey("tickets.id"), nullable=False, index=True),
    Column("actor", String(ID), nullable=False),
    Column("action", String(40), nullable=False),
    Column("detail", Text, nullable=False),
    Column("created_at", String(TS), nullable=False),
)

client_states = Table(
    "client_states",
    metadata,
    Column("client_id", String(100), primary_key=True),
    Column("last_mutation_id", BigInteger, nullable=False),
    Column("username", String(ID), nullable=False),
    Column("updated_at", String(TS), nullable=False),
)

# One row per mutation ever pushed: what became of it, so a rejection is kept with its reason.
mutation_log = Table(
    "mutation_log",
    metadata,
    Column("client_id", String(100), primary_key=True),
    Column("mutation_id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("error", Text, nullable=True),
    Column("ticket_id", String(ID), nullable=True),
    Column("username", String(ID), nullable=False),
    Column("at", String(TS), nullable=False),
    Column("content_hash", String(64), nullable=True),  # domain.wire.content_hash; a replay must match it
)

# Client ids the service issued: each bound to one console (the secret's hash) and one user.
console_registrations = Table(
    "console_registrations",
    metadata,
    Column("client_id", String(100), primary_key=True),
    Column("secret_hash", String(64), nullable=False),
    Column("username", String(ID), nullable=False, index=True),
    Column("first_mutation_id", BigInteger, nullable=False),
    Column("created_at", String(TS), nullable=False),
    Column("ip", String(64), nullable=True),
)

# The change feed. `seq` comes from the "change_seq" counter row, bumped in the writing
# transaction, so seq order is commit order. Payloads are read by reference at pull time.
# Scope: handler_only rows (revocations, history copied to a new unit) are for the unit's
# handlers only; other rows are for the hotline's staff and, when unit_code matches, the unit.
changes = Table(
    "changes",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(16), nullable=False),
    Column("ticket_id", String(ID), nullable=False),
    Column("ref_id", String(ID), nullable=True),
    Column("operator", String(ID), nullable=True),
    Column("unit_code", String(ID), nullable=True),
    Column("handler_only", Boolean, nullable=False, default=False),
    Column("created_at", String(TS), nullable=False),
    Index("ix_changes_unit_seq", "unit_code", "seq"),
    Index("ix_changes_ticket", "ticket_id"),
)

models = Table(
    "models",
    metadata,
    Column("version", String(ID), primary_key=True),
    Column("taxonomy_version", String(ID), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", String(TS), nullable=False),
    Column("created_by", String(ID), nullable=False),
    # published (handed out), refused (a retrained candidate that did worse: figures kept, bytes not);
    # source: starter, default, publish (a model trained elsewhere), retrain; figures: JSON evaluation.
    Column("status", String(16), nullable=False, default="published"),
    Column("source", String(16), nullable=False, default="publish"),
    Column("figures", Text, nullable=False, default="{}"),
)

# The category catalogues installed on the service (the stored CSV format of domain.taxonomy); the one
# in use is named by server_meta "catalogue_version". Consoles fetch it through sync.
catalogues = Table(
    "catalogues",
    metadata,
    Column("version", String(ID), primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("types", Integer, nullable=False),
    Column("data", Text, nullable=False),
    Column("created_at", String(TS), nullable=False),
    Column("created_by", String(ID), nullable=False),
)
