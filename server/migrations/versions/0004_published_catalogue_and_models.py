"""The installed category catalogue in the database, and model publication figures."""

# Placeholder in the revision chain, filled in by the change that needs it (kept so revisions stay linear).

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
