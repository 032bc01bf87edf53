"""Where all local state lives: HOTLINE_HOME or the platform's user data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def hotline_home() -> Path:
    """The folder for the cache, drafts, settings, models and logs; created on first use."""
    configured = os.environ.get("HOTLINE_HOME")
    home = Path(configured).expanduser() if configured else Path(platformdirs.user_data_dir("hotline"))
    home.mkdir(parents=True, exist_ok=True)
    return home


def models_dir() -> Path:
    path = hotline_home() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_server_db_url() -> str:
    """The embedded central service's SQLite database under HOTLINE_HOME."""
    return f"sqlite:///{hotline_home() / 'server.db'}"
