"""Signing in and out: session tokens for user names and passwords."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from server import accounts
from server.api.deps import (
    AppSettings,
    CurrentUser,
    DbEngine,
    bearer,
    client_ip,
    json_body,
    refuse_body,
)
from server.errors import ApiError, bad_request, unauthorized

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])

# A name (64), a password (1,024) and a code fit many times over; more is refused before it is read (413),
# so sign-in, which needs no token, cannot be used to make the service hold big bodies.
SIGN_IN_MAX_BYTES = 4096


@router.post("/token")
async def sign_in(request: Request, engine: DbEngine, settings: AppSettings):
    try:
        body = await json_body(request, max_bytes=SIGN_IN_MAX_BYTES)
    except ApiError as exc:
        if exc.status != 413:
            raise
        raise bad_request("A sign-in is a user name, a password and perhaps a code: this request is far larger.",
                          status=413, code="too_large") from None
    if not isinstance(body, dict):
        raise bad_request("Send your user name and password as {\"username\": ..., \"password\": ...}.")
    username, password, otp = body.get("username"), body.get("password"), body.get("otp")
    if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
        raise bad_request("Type your user name and password.")
    if otp is not None and not isinstance(otp, str):
        raise bad_request("Send the 6-digit code from the authenticator app as text, e.g. \"otp\": \"123456\".")
    if len(username) > 64 or len(password) > accounts.MAX_PASSWORD or "\x00" in username:
        raise unauthorized("Wrong user name or password.")
    token, user = await run_in_threadpool(accounts.sign_in, engine, username, password, client_ip(request), settings,
                                          (otp or "")[:16] or None)
    answer = {"access_token": token, "token_type": "bearer", "expires_in": int(settings.token_absolute_s),
              "idle_timeout": int(settings.token_idle_s), "role": user.role, "username": user.username}
    if user.unit_code:
        answer["unit_code"] = user.unit_code
    return answer


@router.post("/logout")
async def logout(request: Request, user: CurrentUser, engine: DbEngine):
    await refuse_body(request)
    await run_in_threadpool(accounts.revoke_token, engine, bearer(request))
    return {"status": "signed_out"}


@router.get("/me")
async def me(user: CurrentUser):
    return {"username": user.username, "role": user.role, "unit_code": user.unit_code}
