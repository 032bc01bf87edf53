"""Where all local state lives: HOTLINE_HOME or the platform's user data folder."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from domain import config


class HomeUnusable(Exception):
    """HOTLINE_HOME (or the default folder) cannot hold the local state; the message says why and what to do."""


def hotline_home() -> Path:
    """The folder for the cache, drafts, settings, models and logs; created on first use, for its owner only
    (0700: it holds callers' numbers and, for the service, password hashes)."""
    configured = config.HOME.get()
    home = Path(configured).expanduser() if configured else Path(platformdirs.user_data_dir("hotline"))
    what = f"HOTLINE_HOME ({home})" if configured else f"the folder {home}"
    try:
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
    except FileExistsError:
        raise HomeUnusable(f"{what} is a file, not a folder: point HOTLINE_HOME at a folder.") from None
    except OSError as exc:
        raise HomeUnusable(f"{what} cannot be created ({exc.strerror or exc}): point HOTLINE_HOME at a folder "
                           f"you may write to.") from None
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
