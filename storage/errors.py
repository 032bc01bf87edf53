"""What can go wrong in the local cache: the environment (told calmly to the person), bad input, a newer schema."""

from __future__ import annotations


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
