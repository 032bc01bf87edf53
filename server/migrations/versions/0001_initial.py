"""The first schema: accounts, tokens, audit, tickets, notes, events, sync state, change feed, models.

Revision ID: 0001
Revises:
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    meta = op.create_table(
        "server_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    counters = op.create_table(
        "counters",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("last_used_at", sa.Float, nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
    )
    op.create_index("ix_tokens_user_id", "tokens", ["user_id"])
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "login_failures",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("window_started", sa.Float, nullable=False),
        sa.Column("locked_until", sa.Float, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("ticket_id", sa.String(64), nullable=True),
        sa.Column("ip", sa.String(64), nullable=True),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_log_action", "audit_log", ["action"])
    op.create_table(
        "tickets",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("number", sa.String(32), nullable=True, unique=True),
        sa.Column("caller_phone", sa.String(40), nullable=False),
        sa.Column("caller_name", sa.String(200), nullable=False),
        sa.Column("caller_address", sa.Text, nullable=False),
        sa.Column("incident_address", sa.Text, nullable=False),
        sa.Column("sub_district_code", sa.String(64), nullable=False),
        sa.Column("request_type", sa.String(16), nullable=False),
        sa.Column("category_code", sa.String(64), nullable=False),
        sa.Column("taxonomy_version", sa.String(64), nullable=False),
        sa.Column("suggestions", sa.Text, nullable=False),
        sa.Column("suggestion_rank", sa.Integer, nullable=True),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("urgency", sa.String(16), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("operator", sa.String(64), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("call_started_at", sa.String(40), nullable=True),
        sa.Column("dispatched_at", sa.String(40), nullable=True),
        sa.Column("accept_due_at", sa.String(40), nullable=True),
        sa.Column("due_at", sa.String(40), nullable=True),
        sa.Column("callback_result", sa.String(32), nullable=True),
        sa.Column("duplicate_of", sa.String(64), nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_tickets_status", "tickets", ["status"])
    op.create_index("ix_tickets_operator", "tickets", ["operator"])
    op.create_index("ix_tickets_unit_code", "tickets", ["unit_code"])
    op.create_table(
        "notes",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("ticket_id", sa.String(64), sa.ForeignKey("tickets.id"), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_notes_ticket_id", "notes", ["ticket_id"])
    op.create_table(
        "events",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("ticket_id", sa.String(64), sa.ForeignKey("tickets.id"), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_events_ticket_id", "events", ["ticket_id"])
    op.create_table(
        "client_states",
        sa.Column("client_id", sa.String(100), primary_key=True),
        sa.Column("last_mutation_id", sa.BigInteger, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "mutation_log",
        sa.Column("client_id", sa.String(100), primary_key=True),
        sa.Column("mutation_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("ticket_id", sa.String(64), nullable=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
    )
    op.create_table(
        "changes",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ticket_id", sa.String(64), nullable=False),
        sa.Column("ref_id", sa.String(64), nullable=True),
        sa.Column("operator", sa.String(64), nullable=True),
        sa.Column("unit_code", sa.String(64), nullable=True),
        sa.Column("handler_only", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_changes_unit_seq", "changes", ["unit_code", "seq"])
    op.create_index("ix_changes_ticket", "changes", ["ticket_id"])
    op.create_table(
        "models",
        sa.Column("version", sa.String(64), primary_key=True),
        sa.Column("taxonomy_version", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    )
    # The database's identity (a cursor from another database answers "reset") and the feed counter.
    op.bulk_insert(meta, [{"key": "epoch", "value": uuid.uuid4().hex}, {"key": "change_floor", "value": "0"}])
    op.bulk_insert(counters, [{"name": "change_seq", "value": 0}])


def downgrade() -> None:
    for table in (
        "models", "changes", "mutation_log", "client_states", "events", "notes", "tickets", "audit_log",
        "login_failures", "api_keys", "tokens", "users", "counters", "server_meta",
    ):
        op.drop_table(table)
