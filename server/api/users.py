"""Accounts for supervisors and admins: the list (with who has a second factor), disabling and enabling,
lifting a sign-in lock."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from server import accounts, audit, schema
from server.accounts import User
from server.api.deps import AdminUser, DbEngine, StaffUser, client_ip, refuse_body
from server.db import write_tx
from server.errors import bad_request, not_found

router = APIRouter(prefix="/api/v1/users", tags=["users"])


@router.get("")
async def list_users(request: Request, user: StaffUser, engine: DbEngine):
    role = request.query_params.get("role")
    if role is not None and role not in accounts.ROLES:
        raise bad_request(f"role must be one of: {', '.join(accounts.ROLES)}.")

    def query():
        u = schema.users
        q = select(u.c.username, u.c.role, u.c.unit_code, u.c.disabled,
                   u.c.totp_secret.is_not(None).label("second_factor")).order_by(u.c.username)
        if role:
            q = q.where(u.c.role == role)
        with engine.connect() as conn:
            # Whether an account has a second factor, never its secret.
            return [{**r, "second_factor": bool(r["second_factor"])} for r in conn.execute(q).mappings()]

    return {"users": await run_in_threadpool(query)}


async def _set_disabled(request: Request, admin: User, engine, name: str, disabled: bool):
    await refuse_body(request)
    def change():
        with write_tx(engine) as conn:
            if not accounts.set_disabled(conn, name, disabled):
                raise not_found(f"There is no user called '{name}'.")
            audit.record(conn, admin.username, "disable_user" if disabled else "enable_user", ip=client_ip(request),
                         detail={"user": name})

    await run_in_threadpool(change)
    return {"username": name, "disabled": disabled}


@router.post("/{name}/disable")
async def disable_user(name: str, request: Request, admin: AdminUser, engine: DbEngine):
    return await _set_disabled(request, admin, engine, name, True)


@router.post("/{name}/enable")
async def enable_user(name: str, request: Request, admin: AdminUser, engine: DbEngine):
    return await _set_disabled(request, admin, engine, name, False)


@router.post("/{name}/unlock")
async def unlock_user(name: str, request: Request, user: StaffUser, engine: DbEngine):
    """Lift the sign-in lock after too many wrong passwords (a supervisor has checked who it is), and the lock on
    the addresses the account failed from."""
    await refuse_body(request)

    def unlock():
        with write_tx(engine) as conn:
            if accounts.find_user(conn, name) is None:
                raise not_found(f"There is no user called '{name}'.")
            cleared = accounts.clear_failures(conn, name)
            audit.record(conn, user.username, "unlock_user", ip=client_ip(request), detail={"user": name})
            return cleared

    return {"username": name, "cleared": await run_in_threadpool(unlock)}
