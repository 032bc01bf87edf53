"""The installed category catalogue in the database, and model publication figures."""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalogues",
        sa.Column("version", sa.String(64), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("types", sa.Integer, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    )
    # Server defaults so models stored before this revision read as published ones.
    with op.batch_alter_table("models") as batch:
        batch.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="published"))
        batch.add_column(sa.Column("source", sa.String(16), nullable=False, server_default="publish"))
        batch.add_column(sa.Column("figures", sa.Text, nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("models") as batch:
        batch.drop_column("figures")
        batch.drop_column("source")
        batch.drop_column("status")
    op.drop_table("catalogues")
