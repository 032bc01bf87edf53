"""Alembic migrations of the central service's database schema (run on every service start)."""
