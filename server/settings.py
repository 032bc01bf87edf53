"""Tunable limits of the central service, in one place (tests shorten them or move the clock)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from domain import config


@dataclass
class Settings:
    # A token dies after this long without use, and in any case after a (long) shift.
    token_idle_s: float = field(default_factory=config.TOKEN_IDLE_S.get)
    token_absolute_s: float = field(default_factory=config.TOKEN_ABSOLUTE_S.get)
    # Failed sign-ins per username and address: after `login_max_failures` within the window,
    # the pair is locked for lock_base_s, doubling with each further failure up to lock_max_s.
    login_max_failures: int = 5
    login_window_s: float = 15 * 60
    lock_base_s: float = 30
    lock_max_s: float = 15 * 60
    long_poll_max_s: float = 30
    pull_limit_default: int = 500
    pull_limit_max: int = 2000
    push_max_mutations: int = 1000
    # A push body past this many bytes is refused (413) before it is read; 0: sized from push_max_mutations and
    # the ticket fields' limits (server.api.deps.push_body_cap, about 4 MiB). A console halves its batch on a 413.
    push_max_bytes: int = 0
    # Pushes applied at once per process (more only queue on the feed counter's row lock).
    push_concurrency: int = field(default_factory=config.PUSH_CONCURRENCY.get)
    sse_ping_s: float = 15
    # The change feed keeps every row this many days; older superseded rows are compacted away.
    feed_retain_days: float = field(default_factory=config.FEED_RETAIN_DAYS.get)
    feed_compact_every_s: float = 3600
    # Failed sign-ins from one address across all names (password spraying).
    login_max_failures_per_address: int = 50
    # The ticket number's day (e.g. 20261127-000123) is the hotline's local day.
    timezone: str = field(default_factory=config.TZ.get)
    # Reachable from this machine only: bound to loopback and trusting no proxy's X-Forwarded-For. Only then
    # may a demo database list its accounts on /api/v1/health (the embedded demo sets it).
    local_only: bool = False
    # How long /api/v1/health waits for SQLite's write lock when probing that the database can still write.
    health_write_wait_s: float = 2.0
    # Below this much free space on the disk of a SQLite database, /api/v1/health says the database is full.
    health_min_free_bytes: int = 4 * 1024 * 1024
    # Replaced in tests to move time forward without waiting.
    clock: Callable[[], float] = time.time
