"""Consoles registered by the service: client ids bound to a console secret and a user; pushed content hashes.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_registrations",
        sa.Column("client_id", sa.String(100), primary_key=True),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("first_mutation_id", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("ip", sa.String(64), nullable=True),
    )
    op.create_index("ix_console_registrations_username", "console_registrations", ["username"])
    # Rows pushed before this revision have no hash: their replays are answered as before (duplicate).
    with op.batch_alter_table("mutation_log") as batch:
        batch.add_column(sa.Column("content_hash", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mutation_log") as batch:
        batch.drop_column("content_hash")
    op.drop_index("ix_console_registrations_username", "console_registrations")
    op.drop_table("console_registrations")
