"""What every route needs, declared once: the database, the settings, the signed-in user, bodies and parameters."""

from __future__ import annotations

import json
import math
import re
import threading
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from domain.ticket import Role
from server import accounts
from server.accounts import User
from server.errors import RETRY_AFTER_S, ApiError, bad_request, forbidden, unauthorized
from server.settings import Settings

# Routes that take no body (sign-out, unlock, disable, enable) refuse one past this (413), unread.
TINY_BODY_BYTES = 1024
# What a push needs. The JSON of one character takes at most six bytes (a control character as \u0001).
_WORST_BYTES_PER_CHAR = 6
# Besides the ticket's text fields: ids, names, 50 suggestions of 64 characters, times, JSON's own punctuation.
_MUTATION_EXTRA_CHARS = 4096
# A push of many ordinary tickets (a 1,000-character description is about 3.5 KB) fits at this much per mutation.
_TYPICAL_MUTATION_BYTES = 4096


def largest_mutation_bytes() -> int:
    """The most one mutation can take: a new ticket with every field at its limit, each character at its worst."""
    # The limits the service holds each ticket field to.
    from server.tickets import _MAX_LEN

    return (sum(_MAX_LEN.values()) + _MUTATION_EXTRA_CHARS) * _WORST_BYTES_PER_CHAR


def push_body_cap(settings: Settings) -> int:
    """The push body cap: a full batch of ordinary tickets, and never less than a few of the largest possible
    mutations (a console that meets 413 halves its batch, down to one mutation, which always fits)."""
    if settings.push_max_bytes:
        return settings.push_max_bytes
    return max(8 * largest_mutation_bytes(), settings.push_max_mutations * _TYPICAL_MUTATION_BYTES)


def engine_of(request: Request) -> Engine:
    return request.app.state.engine


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def bearer(request: Request) -> str:
    """The session token from `Authorization: Bearer ...`; 401 when there is none."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("Sign in first: this needs a session token.")
    return token.strip()


async def authenticate(request: Request, *roles: str) -> User:
    """The signed-in user behind the request's token, refused (403) unless their role is one of `roles`."""
    token = bearer(request)
    if len(token) > 200:
        raise unauthorized()
    user = await run_in_threadpool(accounts.user_for_token, engine_of(request), token, settings_of(request))
    request.scope.setdefault("state", {})["username"] = user.username
    if roles and user.role not in roles:
        raise forbidden(f"A {user.role} may not do this here.")
    return user


def signed_in(*roles: str):
    """A dependency: the signed-in user, of one of `roles` when any are named."""

    async def dependency(request: Request) -> User:
        return await authenticate(request, *roles)

    return dependency


DbEngine = Annotated[Engine, Depends(engine_of)]
AppSettings = Annotated[Settings, Depends(settings_of)]
CurrentUser = Annotated[User, Depends(signed_in())]
StaffUser = Annotated[User, Depends(signed_in(Role.SUPERVISOR, Role.ADMIN))]
AdminUser = Annotated[User, Depends(signed_in(Role.ADMIN))]


MAX_JSON_DEPTH = 32  # far deeper than any body the API takes (a push is five levels)
_SURROGATE = re.compile("[\ud800-\udfff]")
_ASCII_INT = re.compile(r"-?[0-9]{1,18}")


class JsonError(ValueError):
    """A body that is not JSON the service can take; the message says why in plain words."""


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonError("The body holds a number too large to store.")
    return value


def _no_constant(name: str):
    raise JsonError(f"The body holds {name}, which is not a JSON number.")


def parse_json(raw: bytes | bytearray) -> object:
    """Bytes as JSON, or JsonError. UTF-8 only (a BOM is tolerated); no lone surrogates (a \\ud800 escape
    decodes to text no database or encoder can take); no nesting deeper than MAX_JSON_DEPTH; no NaN or
    Infinity. Empty bytes are None."""
    if not raw:
        return None
    try:
        text = bytes(raw).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise JsonError("The body must be JSON in UTF-8.") from None
    try:
        value = json.loads(text, parse_float=_finite, parse_constant=_no_constant)
    except JsonError:
        raise
    except RecursionError:
        raise JsonError(f"The body is nested too deeply (at most {MAX_JSON_DEPTH} levels).") from None
    except ValueError:
        raise JsonError("The body must be JSON.") from None
    _check_parsed(value)
    return value


def _check_parsed(value: object) -> None:
    """Depth and lone surrogates, checked without recursion (the value may be nested ~1,000 deep)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if not item.isascii() and _SURROGATE.search(item):
                raise JsonError("The body holds a broken character (a lone UTF-16 surrogate such as \\ud800); "
                                "send the text as it was typed.")
        elif isinstance(item, (dict, list)):
            if depth > MAX_JSON_DEPTH:
                raise JsonError(f"The body is nested too deeply (at most {MAX_JSON_DEPTH} levels).")
            if isinstance(item, dict):
                stack.extend((k, depth) for k in item)
                stack.extend((v, depth + 1) for v in item.values())
            else:
                stack.extend((v, depth + 1) for v in item)


def ascii_int(text: str | None) -> int | None:
    """A whole number written in ASCII digits (optionally negative), else None: int() would also take
    full-width (１２), Arabic-Indic (١٢) or underscored (1_2) digits, and isdigit() superscripts (²)."""
    if text is None or not _ASCII_INT.fullmatch(text):
        return None
    return int(text)


def declared_length(request: Request) -> int | None:
    """The Content-Length header as a number, None when absent or not a plain number."""
    return ascii_int(request.headers.get("content-length"))


class BodyBudget:
    """Bytes of big bodies this process holds at once, across requests: many pushes of a few MB each arriving
    together wait their turn (503 with Retry-After; the console's work stays in its outbox) instead of all being
    held in memory."""

    def __init__(self, limit: int):
        self.limit = limit
        self.held = 0
        self._lock = threading.Lock()  # apps in tests run on several threads' event loops

    def take(self, n: int) -> bool:
        with self._lock:
            if self.held + n > self.limit:
                return False
            self.held += n
            return True

    def give(self, n: int) -> None:
        with self._lock:
            self.held -= n


# Four full pushes at once; ordinary pushes (a few KB each) never come near it.
PUSH_BODIES = BodyBudget(16 * 1024 * 1024)


def _busy() -> ApiError:
    return ApiError(503, "busy", "The central service is receiving many large changes at once; your work is kept "
                    "and sent again in a moment.", {"Retry-After": str(RETRY_AFTER_S)}, retry_after=RETRY_AFTER_S)


async def read_body(request: Request, max_bytes: int, too_large: Exception, budget: BodyBudget | None = None) -> bytes:
    """The body, read no further than `max_bytes`; `too_large` is raised past it. With a `budget`, the bytes read
    are taken from it (503 when it is spent) and given back before this returns."""
    declared = declared_length(request)
    if declared is not None and declared > max_bytes:
        raise too_large
    raw = bytearray()
    taken = 0
    try:
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > max_bytes:
                raise too_large
            if budget is not None:
                if not budget.take(len(chunk)):
                    raise _busy()
                taken += len(chunk)
        return bytes(raw)
    finally:
        if taken:
            budget.give(taken)


async def refuse_body(request: Request, max_bytes: int = TINY_BODY_BYTES) -> None:
    """For routes that take no body: one declared or sent past `max_bytes` is refused (413), never held."""
    too_large = bad_request("The request is too large: send fewer changes at once.", status=413, code="too_large")
    await read_body(request, max_bytes, too_large)


async def json_body(request: Request, max_bytes: int, budget: BodyBudget | None = None) -> object:
    """The request's JSON body, read no further than `max_bytes` (413 past it); 422 for anything that is not
    JSON the service can take (see parse_json)."""
    too_large = bad_request("The request is too large: send fewer changes at once.", status=413, code="too_large")
    raw = await read_body(request, max_bytes, too_large, budget)
    try:
        return parse_json(raw)
    except JsonError as exc:
        raise bad_request(str(exc)) from None


def int_param(request: Request, name: str, default: int, low: int, high: int | None = None) -> int:
    """A whole-number query parameter (ASCII digits) within [low, high]; a clear 422 otherwise."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    value = ascii_int(raw.strip())
    if value is None:
        raise bad_request(f"{name} must be a whole number written with the digits 0-9.")
    if value < low or (high is not None and value > high):
        raise bad_request(f"{name} must be between {low} and {high}." if high is not None else f"{name} must be at least {low}.")
    return value


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
