"""Where all local state lives: HOTLINE_HOME or the platform's user data folder."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from domain import config


def hotline_home() -> Path:
    """The folder for the cache, drafts, settings, models and logs; created on first use."""
    configured = config.HOME.get()
    home = Path(configured).expanduser() if configured else Path(platformdirs.user_data_dir("hotline"))
    home.mkdir(parents=True, exist_ok=True)
    return home


def models_dir() -> Path:
    path = hotline_home() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def demo_server_db_url() -> str:
    """The demo's database (`hotline` with no subcommand: the embedded service, its demo accounts and tickets)."""
    return f"sqlite:///{hotline_home() / 'server.db'}"


def service_db_url() -> str:
    """`hotline server`'s default SQLite database under HOTLINE_HOME: never the demo's, so its demo accounts
    and their short shared password cannot reach a real service."""
    return f"sqlite:///{hotline_home() / 'service.db'}"


def default_server_db_url() -> str:
    """The database the service's commands use without --db (the same as `hotline server`'s)."""
    return service_db_url()
