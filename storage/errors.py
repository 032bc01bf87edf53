"""What can go wrong in the local cache: the environment (told calmly to the person), bad input, a newer schema."""

from __future__ import annotations

import errno
import sqlite3


class StorageError(Exception):
    """Base of the errors the cache raises on purpose; anything else is a bug."""


class EnvironmentProblem(StorageError):
    """The computer, not the program: disk full, file locked too long, read-only, no permission.

    `message` is written for the person at the console and says what to do; `kind` is for logs
    and for code that reacts differently (e.g. retries when merely locked).
    """

    def __init__(self, message: str, kind: str = "environment", detail: str = ""):
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.detail = detail  # the low-level error text, for the diagnostics view only


class ValidationError(StorageError, ValueError):
    """Bad input: nothing was stored. `problems` maps a field to a message for the operator."""

    def __init__(self, problems: dict[str, str]):
        self.problems = dict(problems)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.problems.items()) or "invalid input")


class TicketNotFound(StorageError, LookupError):
    """The ticket is not in this cache (never pulled, or it left this user's scope)."""

    def __init__(self, ticket_id: str):
        super().__init__(f"This ticket is not in the local cache (it may have been moved out of your queue): {ticket_id}")
        self.ticket_id = ticket_id


class SchemaTooNew(StorageError):
    """The cache was written by a newer version of the console; refusing protects it from damage."""

    def __init__(self, found: str, supported: str, path: str = ""):
        super().__init__(
            f"The local cache{(' ' + path) if path else ''} was made by a newer version of the console "
            f"(format {found}; this version understands {supported}). Update the console, "
            "or move the cache file aside to start with an empty one that fills again from the server."
        )
        self.found = found
        self.supported = supported


# ---- classifying low-level failures ----------------------------------------------------------------------------
# By SQLite's result code (sqlite3.Error.sqlite_errorcode, the extended code: its low byte is the primary one),
# never by message text, which changes between SQLite versions and languages.

LOCKED_MESSAGE = ("The local ticket store is busy (another console window or program is holding it). "
                  "Wait a moment and try again; if it keeps happening, close other console windows.")
DISK_FULL_MESSAGE = ("The disk is full, so the ticket could not be saved on this computer. Your typing is still "
                     "on screen: free some disk space (or ask IT), then save again.")
READ_ONLY_MESSAGE = ("The local ticket store is read-only, so nothing can be saved on this computer. Ask IT to "
                     "give your account write permission to the console's data folder.")
PERMISSION_MESSAGE = ("The console cannot open its local ticket store. Check that its data folder exists and your "
                      "account may write there (or ask IT).")
IO_MESSAGE = ("The computer reported a disk error while saving. Your typing is still on screen: try again; "
              "if it repeats, the disk may be full or failing - call IT.")
DAMAGED_MESSAGE = ("The local ticket store is damaged. Close the console and ask IT to move the cache file aside; "
                   "it fills again from the server.")

_BY_SQLITE_CODE: dict[int, tuple[str, str]] = {
    sqlite3.SQLITE_BUSY: ("locked", LOCKED_MESSAGE),
    sqlite3.SQLITE_LOCKED: ("locked", LOCKED_MESSAGE),
    sqlite3.SQLITE_FULL: ("disk_full", DISK_FULL_MESSAGE),
    sqlite3.SQLITE_READONLY: ("read_only", READ_ONLY_MESSAGE),
    sqlite3.SQLITE_CANTOPEN: ("permission", PERMISSION_MESSAGE),
    sqlite3.SQLITE_PERM: ("permission", PERMISSION_MESSAGE),
    sqlite3.SQLITE_AUTH: ("permission", PERMISSION_MESSAGE),
    sqlite3.SQLITE_IOERR: ("io", IO_MESSAGE),
    sqlite3.SQLITE_NOTADB: ("damaged", DAMAGED_MESSAGE),
    sqlite3.SQLITE_CORRUPT: ("damaged", DAMAGED_MESSAGE),
}

_BY_ERRNO: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("disk_full", DISK_FULL_MESSAGE),
    errno.EDQUOT: ("disk_full", DISK_FULL_MESSAGE),
    errno.EACCES: ("permission", PERMISSION_MESSAGE),
    errno.EPERM: ("permission", PERMISSION_MESSAGE),
    errno.EROFS: ("read_only", READ_ONLY_MESSAGE),
    errno.EIO: ("io", IO_MESSAGE),
}


def sqlite_primary_code(error: BaseException) -> int | None:
    """SQLite's primary result code of `error` (or of the driver error a SQLAlchemy error wraps)."""
    original = _original(error)
    code = getattr(original, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _original(error: BaseException) -> BaseException:
    wrapped = getattr(error, "orig", None)  # SQLAlchemy's DBAPIError keeps the driver's error here
    return wrapped if isinstance(wrapped, BaseException) else error


def classify(error: BaseException) -> EnvironmentProblem | None:
    """The EnvironmentProblem an error means, or None when it is a bug (bad SQL, a constraint, anything else)."""
    if isinstance(error, EnvironmentProblem):
        return error
    if isinstance(error, SchemaTooNew):
        return EnvironmentProblem(str(error), kind="too_new", detail=f"cache format {error.found}, "
                                  f"supported {error.supported}")
    original = _original(error)
    if isinstance(original, OSError):
        found = _BY_ERRNO.get(original.errno or 0)
    elif isinstance(original, sqlite3.Error) and not isinstance(original, sqlite3.IntegrityError):
        code = sqlite_primary_code(original)
        found = _BY_SQLITE_CODE.get(code) if code is not None else None
        if found is not None:
            name = getattr(original, "sqlite_errorname", "") or str(code)
            return EnvironmentProblem(found[1], kind=found[0], detail=f"{name}: {original}")
    else:
        found = None
    if found is None:
        return None
    return EnvironmentProblem(found[1], kind=found[0], detail=str(original))
