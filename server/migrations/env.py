"""Alembic environment: run programmatically by server.migrate with a live connection."""

from __future__ import annotations

from alembic import context

from server.schema import metadata


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:  # `alembic` CLI use: take the URL from the config
        from server.db import make_engine

        engine = make_engine(context.config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


# Only inside an Alembic run; importing this module elsewhere (a package walk) does nothing.
if hasattr(context, "config"):
    run()
