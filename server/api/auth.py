"""Signing in and out: session tokens for user names and passwords."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from server import accounts
from server.api.deps import AppSettings, CurrentUser, DbEngine, bearer, client_ip, json_body
from server.errors import bad_request, unauthorized

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/token")
async def sign_in(request: Request, engine: DbEngine, settings: AppSettings):
    body = await json_body(request)
    if not isinstance(body, dict):
        raise bad_request("Send your user name and password as {\"username\": ..., \"password\": ...}.")
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
        raise bad_request("Type your user name and password.")
    if len(username) > 64 or len(password) > 1024 or "\x00" in username:
        raise unauthorized("Wrong user name or password.")
    token, user = await run_in_threadpool(accounts.sign_in, engine, username, password, client_ip(request), settings)
    answer = {"access_token": token, "token_type": "bearer", "expires_in": int(settings.token_absolute_s),
              "idle_timeout": int(settings.token_idle_s), "role": user.role, "username": user.username}
    if user.unit_code:
        answer["unit_code"] = user.unit_code
    return answer


@router.post("/logout")
async def logout(request: Request, user: CurrentUser, engine: DbEngine):
    await run_in_threadpool(accounts.revoke_token, engine, bearer(request))
    return {"status": "signed_out"}


@router.get("/me")
async def me(user: CurrentUser):
    return {"username": user.username, "role": user.role, "unit_code": user.unit_code}
