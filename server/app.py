"""The central service's HTTP API (FastAPI): auth, sync push/pull/events, users, reveals, models.

Every endpoint checks the role and scope on the server. Sensitive fields: operators, supervisors
and admins receive full caller numbers through sync (they call citizens back and search by number);
handlers receive them masked (138****5678) and use the audited reveal endpoint when they must call.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.exc import DataError, DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.ticket import Role
from server import __version__, accounts, audit, schema, sync
from server.accounts import User
from server.db import iso, is_sqlite, utcnow, write_tx
from server.errors import ApiError, bad_request, forbidden, not_found, unauthorized
from server.migrate import migrate
from server.notify import ChangeNotifier, PostgresListener
from server.settings import Settings

log = logging.getLogger("hotline.server.http")

RETRY_AFTER_S = 5


def _db_unavailable() -> JSONResponse:
    return JSONResponse(
        {"error": "unavailable", "message": "The central database cannot be reached right now. Your work is kept on "
                                             "this computer and will be sent when it is back.",
         "retry_after": RETRY_AFTER_S},
        status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)},
    )


def _is_connectivity(exc: BaseException) -> bool:
    if isinstance(exc, (OperationalError, InterfaceError, DisconnectionError, PoolTimeoutError)):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


class RequestLog:
    """Pure ASGI middleware: one JSON log line per request (path only: never a query string)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = {"code": 0}

        async def _send(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, _send)
        finally:
            log.info("request", extra={"method": scope["method"], "path": scope["path"], "status": status["code"],
                                       "ms": round((time.perf_counter() - started) * 1000, 1),
                                       "user": scope.get("state", {}).get("username")})


def create_app(db_url: str, settings: Settings | None = None) -> FastAPI:
    """The ASGI app over one database; applies the migrations first."""
    settings = settings or Settings()
    engine = migrate(db_url)
    notifier = ChangeNotifier(sync.latest_seq(engine))
    listener = None if is_sqlite(engine) else PostgresListener(engine, notifier, sync.NOTIFY_CHANNEL)

    async def keep_feed_short():
        """Now and then drop feed rows older than the retained window (a cursor in there answers "reset")."""
        while True:
            await asyncio.sleep(settings.feed_compact_every_s)
            try:
                await run_in_threadpool(sync.compact_older_than, engine, settings.feed_retain_days)
            except Exception:
                log.warning("feed compaction failed; will try again", exc_info=True)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if listener is not None:
            listener.start()
        compactor = asyncio.create_task(keep_feed_short())
        try:
            yield
        finally:
            app.state.stopping.set()
            compactor.cancel()
            if listener is not None:
                await run_in_threadpool(listener.stop)

    app = FastAPI(title="Hotline central service", version=__version__, lifespan=lifespan,
                  docs_url="/api/docs", openapi_url="/api/openapi.json", redoc_url=None)
    app.state.engine = engine
    app.state.settings = settings
    app.state.notifier = notifier
    app.state.listener = listener
    app.state.stopping = asyncio.Event()
    app.add_middleware(RequestLog)

    # ---- errors: always {"error", "message"}; the database gone is a 503, never a 500 ----------

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        parts = []
        for err in exc.errors()[:3]:
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query"))
            parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else err.get("msg", "invalid"))
        return JSONResponse({"error": "invalid_request", "message": "The request is not valid: " + "; ".join(parts) + "."},
                            status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        messages = {404: "There is nothing at this address.", 405: "This address does not take that method."}
        return JSONResponse({"error": "not_found" if exc.status_code == 404 else "http_error",
                             "message": messages.get(exc.status_code, str(exc.detail))},
                            status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(DBAPIError)
    async def _dbapi(request: Request, exc: DBAPIError):
        if _is_connectivity(exc):
            log.warning("database unreachable", extra={"error": type(exc.orig).__name__ if exc.orig else type(exc).__name__})
            return _db_unavailable()
        if isinstance(exc, DataError):
            return JSONResponse({"error": "invalid_request", "message": "Something in the request cannot be stored: "
                                 "check for unusual characters or very long text."}, status_code=422)
        log.exception("database error")
        return JSONResponse({"error": "internal", "message": "Something went wrong on the server; it has been "
                             "logged. Try again in a moment."}, status_code=500)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        # A bug, not bad input: logged with its traceback, answered in the same JSON shape.
        if _is_connectivity(exc):
            return _db_unavailable()
        log.error("unexpected error", exc_info=exc, extra={"path": request.url.path})
        return JSONResponse({"error": "internal", "message": "Something went wrong on the server; it has been "
                             "logged. Try again in a moment."}, status_code=500)

    for exc_type in (PoolTimeoutError, DisconnectionError):
        app.add_exception_handler(exc_type, lambda request, exc: _db_unavailable())

    # ---- helpers -------------------------------------------------------------------------------

    def bearer(request: Request) -> str:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthorized("Sign in first: this needs a session token.")
        return token.strip()

    async def current_user(request: Request, *roles: str) -> User:
        token = bearer(request)
        if len(token) > 200:
            raise unauthorized()
        user = await run_in_threadpool(accounts.user_for_token, engine, token, settings)
        request.scope.setdefault("state", {})["username"] = user.username
        if roles and user.role not in roles:
            raise forbidden(f"A {user.role} may not do this here.")
        return user

    max_body = 20 * 1024 * 1024

    async def json_body(request: Request) -> object:
        too_large = bad_request("The request is too large: send fewer changes at once.", status=413, code="too_large")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_body:
            raise too_large
        raw = bytearray()
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > max_body:
                raise too_large
        try:
            return json.loads(raw) if raw else None
        except (ValueError, UnicodeDecodeError):
            raise bad_request("The body must be JSON.") from None

    def int_param(request: Request, name: str, default: int, low: int, high: int | None = None) -> int:
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

    # ---- health, time --------------------------------------------------------------------------

    def demo_accounts() -> list | None:
        from server.db import get_meta

        with engine.connect() as conn:
            raw = get_meta(conn, "demo_accounts")
        return json.loads(raw) if raw else None

    @app.get("/api/v1/health")
    async def health():
        try:
            demo = await run_in_threadpool(demo_accounts)
        except DBAPIError:
            return JSONResponse({"status": "unavailable", "version": __version__, "database": "unreachable"},
                                status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)})
        body = {"status": "ok", "version": __version__, "database": "ok"}
        if demo:  # only a database seeded with the demo (never a real hotline's) lists its accounts
            body["demo_accounts"] = demo
        return body

    @app.get("/api/v1/time")
    async def server_time():
        return {"server_time": iso(utcnow())}

    # ---- auth ----------------------------------------------------------------------------------

    @app.post("/api/v1/auth/token")
    async def sign_in(request: Request):
        body = await json_body(request)
        if not isinstance(body, dict):
            raise bad_request("Send your user name and password as {\"username\": ..., \"password\": ...}.")
        username, password = body.get("username"), body.get("password")
        if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
            raise bad_request("Type your user name and password.")
        if len(username) > 64 or len(password) > 1024 or "\x00" in username:
            raise unauthorized("Wrong user name or password.")
        token, user = await run_in_threadpool(accounts.sign_in, engine, username, password, client_ip(request), settings)
        body = {"access_token": token, "token_type": "bearer", "expires_in": int(settings.token_absolute_s),
                "idle_timeout": int(settings.token_idle_s), "role": user.role, "username": user.username}
        if user.unit_code:
            body["unit_code"] = user.unit_code
        return body

    @app.post("/api/v1/auth/logout")
    async def logout(request: Request):
        await current_user(request)
        await run_in_threadpool(accounts.revoke_token, engine, bearer(request))
        return {"status": "signed_out"}

    @app.get("/api/v1/auth/me")
    async def me(request: Request):
        user = await current_user(request)
        return {"username": user.username, "role": user.role, "unit_code": user.unit_code}

    # ---- sync ----------------------------------------------------------------------------------

    @app.post("/api/v1/sync/push")
    async def sync_push(request: Request):
        user = await current_user(request)
        client_id, mutations = sync.parse_push(await json_body(request), settings)
        body, top = await run_in_threadpool(sync.push, engine, user, client_id, mutations, settings, client_ip(request))
        notifier.publish(top)
        return JSONResponse(body)  # plain JSON types already: skip the framework's (slow) re-encoding

    @app.get("/api/v1/sync/pull")
    async def sync_pull(request: Request):
        user = await current_user(request)
        cursor = int_param(request, "cursor", 0, 0)
        limit = int_param(request, "limit", settings.pull_limit_default, 1, settings.pull_limit_max)
        wait = int_param(request, "wait", 0, 0, 3600)
        epoch = request.query_params.get("epoch") or None
        wait = min(wait, settings.long_poll_max_s)
        deadline = time.monotonic() + wait
        while True:
            body = await run_in_threadpool(sync.pull, engine, user, cursor, limit, epoch)
            remaining = deadline - time.monotonic()
            if body["changes"] or body.get("reset") or remaining <= 0 or app.state.stopping.is_set():
                return JSONResponse(body)
            # Long-poll: nothing new for this user yet; sleep until the feed grows past what we read
            # (a poke from this or another process), looking up now and then to notice a shutdown.
            seen = max(body["cursor"], cursor)
            while remaining > 0 and not app.state.stopping.is_set():
                if await notifier.wait_newer(seen, min(remaining, 1.0)):
                    break
                remaining = deadline - time.monotonic()
            cursor = seen  # changes this user may not see still move the cursor on

    @app.get("/api/v1/sync/events")
    async def sync_events(request: Request):
        await current_user(request)
        token = bearer(request)
        from sse_starlette import EventSourceResponse

        async def still_signed_in() -> bool:
            try:
                await run_in_threadpool(accounts.user_for_token, engine, token, settings)
                return True
            except ApiError:
                return False
            except DBAPIError:
                return True  # the database is away; the stream stays, the pulls will say so

        async def pokes():
            last = notifier.latest
            checked = time.monotonic()
            yield {"event": "changed", "data": json.dumps({"cursor": last})}
            while not app.state.stopping.is_set():
                if await notifier.wait_newer(last, 1.0):
                    last = notifier.latest
                    yield {"event": "changed", "data": json.dumps({"cursor": last})}
                if await request.is_disconnected():
                    break
                if time.monotonic() - checked > 60:  # a revoked session stops getting pokes within a minute
                    checked = time.monotonic()
                    if not await still_signed_in():
                        break

        return EventSourceResponse(pokes(), ping=settings.sse_ping_s, headers={"Cache-Control": "no-store"})

    @app.get("/api/v1/sync/rejections")
    async def rejections(request: Request):
        """Refused changes, with their reasons, for supervisors to see (the console shows its own)."""
        await current_user(request, Role.SUPERVISOR, Role.ADMIN)
        limit = int_param(request, "limit", 100, 1, 1000)
        ml = schema.mutation_log

        def query():
            with engine.connect() as conn:
                rows = conn.execute(select(ml).where(ml.c.status == "rejected").order_by(ml.c.at.desc()).limit(limit)).mappings()
                return [{"client_id": r["client_id"], "mutation_id": r["mutation_id"], "name": r["name"],
                         "ticket_id": r["ticket_id"], "author": r["username"], "reason": r["error"], "at": r["at"]}
                        for r in rows]

        return {"rejections": await run_in_threadpool(query)}

    # ---- users ---------------------------------------------------------------------------------

    @app.get("/api/v1/users")
    async def list_users(request: Request):
        await current_user(request, Role.SUPERVISOR, Role.ADMIN)
        role = request.query_params.get("role")
        if role is not None and role not in accounts.ROLES:
            raise bad_request(f"role must be one of: {', '.join(accounts.ROLES)}.")

        def query():
            u = schema.users
            q = select(u.c.username, u.c.role, u.c.unit_code, u.c.disabled).order_by(u.c.username)
            if role:
                q = q.where(u.c.role == role)
            with engine.connect() as conn:
                return [dict(r) for r in conn.execute(q).mappings()]

        return {"users": await run_in_threadpool(query)}

    async def _set_disabled(request: Request, name: str, disabled: bool):
        admin = await current_user(request, Role.ADMIN)

        def change():
            with write_tx(engine) as conn:
                if not accounts.set_disabled(conn, name, disabled):
                    raise not_found(f"There is no user called '{name}'.")
                audit.record(conn, admin.username, "disable_user" if disabled else "enable_user", ip=client_ip(request),
                             detail={"user": name})

        await run_in_threadpool(change)
        return {"username": name, "disabled": disabled}

    @app.post("/api/v1/users/{name}/disable")
    async def disable_user(name: str, request: Request):
        return await _set_disabled(request, name, True)

    @app.post("/api/v1/users/{name}/enable")
    async def enable_user(name: str, request: Request):
        return await _set_disabled(request, name, False)

    @app.post("/api/v1/users/{name}/unlock")
    async def unlock_user(name: str, request: Request):
        """Lift the sign-in lock after too many wrong passwords (a supervisor has checked who it is)."""
        user = await current_user(request, Role.SUPERVISOR, Role.ADMIN)

        def unlock():
            with write_tx(engine) as conn:
                if accounts.find_user(conn, name) is None:
                    raise not_found(f"There is no user called '{name}'.")
                cleared = accounts.clear_failures(conn, name)
                audit.record(conn, user.username, "unlock_user", ip=client_ip(request), detail={"user": name})
                return cleared

        return {"username": name, "cleared": await run_in_threadpool(unlock)}

    # ---- reveal and audit ----------------------------------------------------------------------

    @app.post("/api/v1/tickets/{ticket_id}/reveal")
    async def reveal_phone(ticket_id: str, request: Request):
        """The caller's full number, for whoever may see the ticket; every reveal is audited."""
        user = await current_user(request)

        def reveal():
            from server.tickets import may_see, ticket_row

            with write_tx(engine) as conn:
                row = ticket_row(conn, ticket_id)
                if row is None:
                    raise not_found("There is no such ticket.")
                if not may_see(user, row):
                    raise forbidden("This ticket is not for your unit.")
                audit.record(conn, user.username, "reveal", ticket_id=ticket_id, ip=client_ip(request),
                             detail={"field": "caller_phone"})
                return {"ticket_id": ticket_id, "caller_phone": row["caller_phone"]}

        return await run_in_threadpool(reveal)

    @app.get("/api/v1/audit")
    async def audit_log(request: Request):
        await current_user(request, Role.ADMIN, Role.SUPERVISOR)
        limit = int_param(request, "limit", 200, 1, 5000)
        action = request.query_params.get("action")

        def query():
            a = schema.audit_log
            q = select(a).order_by(a.c.id.desc()).limit(limit)
            if action:
                q = q.where(a.c.action == action)
            with engine.connect() as conn:
                return [{**dict(r), "detail": json.loads(r["detail"] or "{}")} for r in conn.execute(q).mappings()]

        return {"entries": await run_in_threadpool(query)}

    # ---- models --------------------------------------------------------------------------------
    from server import exports, model_store, open311, ranking

    model_store.add_routes(app, engine, current_user)
    exports.add_routes(app, engine, current_user)
    app.include_router(open311.router)
    app.include_router(ranking.router)

    return app
