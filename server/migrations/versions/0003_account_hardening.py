"""Account hardening: user names unique whatever their case, and the TOTP second factor's columns.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    clashes = conn.execute(sa.text(
        "SELECT lower(username) AS name FROM users GROUP BY lower(username) HAVING count(*) > 1 ORDER BY 1"
    )).scalars().all()
    if clashes:
        # Said, never dropped or renamed behind anyone's back: an administrator decides which name stays.
        from server.accounts import SchemaConflict

        rows = conn.execute(sa.text(
            "SELECT username FROM users WHERE lower(username) IN :names ORDER BY lower(username), id"
        ).bindparams(sa.bindparam("names", expanding=True)), {"names": list(clashes)}).scalars().all()
        raise SchemaConflict(
            "user names must differ in more than upper and lower case, and these do: " + ", ".join(rows)
            + ". Rename all but one of each group in the database (for example UPDATE users SET username = "
            "'op1-old' WHERE username = 'OP1'), then start again. Nothing was changed."
        )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("totp_secret", sa.String(64), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger, nullable=True))
    op.create_index("ux_users_username_lower", "users", [sa.text("lower(username)")], unique=True)


def downgrade() -> None:
    op.drop_index("ux_users_username_lower", table_name="users")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_secret")
