"""Account hardening: case-insensitive user names, second factor."""

# Placeholder in the revision chain, filled in by the change that needs it (kept so revisions stay linear).

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
