"""Every HOTLINE_* environment variable, read here only: typed, with its default and a one-line description.

Values are read when asked for, not at import, so a test (or the service handing settings to its worker
processes) may set a variable at any time. A value that does not parse is reported in the log and the default
is used, so a typo in a unit file does not keep the hotline from starting.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import tzinfo
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger("hotline.config")

T = TypeVar("T")

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


@dataclass(frozen=True)
class Variable(Generic[T]):
    """One environment variable: its name, type, default and what it sets."""

    name: str
    kind: type
    default: T
    description: str
    internal: bool = False  # set by the service itself for its worker processes, not by people

    def raw(self) -> str | None:
        value = os.environ.get(self.name)
        return None if value is None or value.strip() == "" else value.strip()

    def get(self) -> T:
        raw = self.raw()
        if raw is None:
            return self.default
        try:
            return _parse(self.kind, raw)
        except ValueError:
            log.warning("%s=%r is not a valid %s; using the default %r", self.name, raw, self.kind.__name__,
                        self.default)
            return self.default

    def is_set(self) -> bool:
        return self.raw() is not None


def _parse(kind: type, raw: str):
    if kind is bool:
        lowered = raw.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(raw)
    if kind is int:
        return int(float(raw)) if "." in raw else int(raw)
    return kind(raw)


VARIABLES: dict[str, Variable] = {}


def _var(name: str, kind: type, default, description: str, internal: bool = False) -> Variable:
    variable = Variable(name, kind, default, description, internal)
    VARIABLES[name] = variable
    return variable


# Where and when
HOME = _var("HOTLINE_HOME", str, None,
            "the folder with all local state (cache, drafts, settings, models, logs, the embedded service's "
            "database); default: the platform's user data folder")
TZ = _var("HOTLINE_TZ", str, "Asia/Shanghai",
          "the hotline's time zone: ticket numbers' days, SLA working days and deadlines, monthly rankings, the "
          "nightly retraining; a naive time is taken in this zone")

# The central service
SERVER_WORKERS = _var("HOTLINE_SERVER_WORKERS", int, 1,
                      "worker processes of `hotline server` (PostgreSQL only; on SQLite one process serves)")
DB_WAIT_S = _var("HOTLINE_DB_WAIT_S", float, 60.0,
                 "how long `hotline server` waits at start for its database to accept connections (seconds)")
PUSH_CONCURRENCY = _var("HOTLINE_PUSH_CONCURRENCY", int, 4,
                        "pushes applied at once per service process; more wait their turn")
TOKEN_IDLE_S = _var("HOTLINE_TOKEN_IDLE_S", float, 4 * 3600.0,
                    "a session expires after this long without use (seconds)")
TOKEN_ABSOLUTE_S = _var("HOTLINE_TOKEN_ABSOLUTE_S", float, 14 * 3600.0,
                        "a session expires this long after sign-in in any case (seconds)")
FEED_RETAIN_DAYS = _var("HOTLINE_FEED_RETAIN_DAYS", float, 30.0,
                        "how long the change feed keeps every row; older cursors get a full reload (days)")
OPEN311_PUBLIC_READS = _var("HOTLINE_OPEN311_PUBLIC_READS", bool, False,
                            "1 lets anyone read Open311 requests without an API key")
SERVER_DB = _var("HOTLINE_SERVER_DB", str, None,
                 "the database URL `hotline server` hands to its worker processes (set by it, not by hand)",
                 internal=True)
SERVER_LOCAL_ONLY = _var("HOTLINE_SERVER_LOCAL_ONLY", bool, False,
                         "whether `hotline server` is bound to loopback only, handed to its worker processes "
                         "(set by it, not by hand)", internal=True)

# Suggestion models
MODEL_KEEPER = _var("HOTLINE_MODEL_KEEPER", bool, True,
                    "off: the service neither builds starter models nor retrains on a timer")
MODEL_CHECK_S = _var("HOTLINE_MODEL_CHECK_S", float, 15.0,
                     "how often the service checks whether a model is due to be built or retrained (seconds)")
RETRAIN_EVERY_H = _var("HOTLINE_RETRAIN_EVERY_H", float, 24.0,
                       "the retraining period (hours); 0 turns the timer off")
RETRAIN_AT = _var("HOTLINE_RETRAIN_AT", str, "02:00",
                  "with the daily period, the time of day (HH:MM, the hotline's time zone) of the retraining")
STARTER_MODEL = _var("HOTLINE_STARTER_MODEL", bool, True,
                     "off: no starter model is built for a new catalogue")
STARTER_DELAY_S = _var("HOTLINE_STARTER_DELAY_S", float, 60.0,
                       "how long after a new catalogue the starter model is built (seconds)")
STARTER_RECIPE = _var("HOTLINE_STARTER_RECIPE", str, "starter",
                      "demo: build starter models with the demo model's quicker recipe (tests, small machines)")
STARTER_FALLBACK_TICKETS = _var("HOTLINE_STARTER_FALLBACK_TICKETS", int, 20_000,
                                "generated tickets for a starter model when the full recipe cannot be used")
DEFAULT_MODEL_TICKETS = _var("HOTLINE_DEFAULT_MODEL_TICKETS", int, 100_000,
                             "how many generated tickets train the demo model")


def hotline_zone() -> tzinfo:
    """The hotline's time zone (HOTLINE_TZ); an unknown name is reported and the default used."""
    name = TZ.get()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("HOTLINE_TZ=%r is not a known time zone; using %s", name, TZ.default)
        return ZoneInfo(TZ.default)


def retrain_at() -> tuple[int, int] | None:
    """HOTLINE_RETRAIN_AT as (hours, minutes), or None (reported) when it is not HH:MM."""
    raw = RETRAIN_AT.get()
    try:
        hours, minutes = (int(part) for part in raw.split(":"))
        if 0 <= hours < 24 and 0 <= minutes < 60:
            return hours, minutes
    except ValueError:
        pass
    log.warning("HOTLINE_RETRAIN_AT %r is not HH:MM; retraining every %s h from the last one instead", raw,
                RETRAIN_EVERY_H.get())
    return None
