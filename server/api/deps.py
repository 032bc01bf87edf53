"""What every route needs, declared once: the database, the settings, the signed-in user, bodies and parameters."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from domain.ticket import Role
from server import accounts
from server.accounts import User
from server.errors import bad_request, forbidden, unauthorized
from server.settings import Settings

MAX_BODY_BYTES = 20 * 1024 * 1024


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


async def json_body(request: Request, max_bytes: int = MAX_BODY_BYTES) -> object:
    """The request's JSON body, read no further than `max_bytes` (413 past it)."""
    too_large = bad_request("The request is too large: send fewer changes at once.", status=413, code="too_large")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > max_bytes:
            raise too_large
    try:
        return json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError):
        raise bad_request("The body must be JSON.") from None


def int_param(request: Request, name: str, default: int, low: int, high: int | None = None) -> int:
    """A whole-number query parameter within [low, high]; a clear 400 otherwise."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f"{name} must be a whole number.") from None
    if value < low or (high is not None and value > high):
        raise bad_request(f"{name} must be between {low} and {high}." if high is not None else f"{name} must be at least {low}.")
    return value


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
