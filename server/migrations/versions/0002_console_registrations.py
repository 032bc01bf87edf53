"""Consoles registered by the service: client ids bound to a console secret and a user."""

# Placeholder in the revision chain, filled in by the change that needs it (kept so revisions stay linear).

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
