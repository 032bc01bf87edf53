"""The central service's HTTP API (FastAPI): the app, its lifespan and error handling; routes live in server/api/.

Every endpoint checks the role and scope on the server. Sensitive fields: operators, supervisors
and admins receive full caller numbers through sync (they call citizens back and search by number);
handlers receive them masked (138****5678) and use the audited reveal endpoint when they must call.
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from server import __version__, sync
from server.db import is_sqlite
from server.errors import RETRY_AFTER_S, ApiError
from server.migrate import migrate
from server.notify import ChangeNotifier, PostgresListener
from server.settings import Settings

log = logging.getLogger("hotline.server.http")


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
    if isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) == "25006":
        return True  # PostgreSQL's read_only_sql_transaction (a standby, a read-only database): as SQLite's read-only
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


class ContainErrors:
    """Pure ASGI middleware: an unexpected error becomes the JSON 500 here, inside the app.

    Left to Starlette's outermost error middleware it would be answered and then raised again, and
    uvicorn drops the kept-alive connection of a request whose app raised. Only an error after the
    response began still propagates: half a response can only be ended by closing the connection.
    """

    def __init__(self, app, answer):
        self.app = app
        self.answer = answer

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def _send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, _send)
        except Exception as exc:
            if started:
                raise
            response = await self.answer(Request(scope, receive), exc)
            await response(scope, receive, send)


def _internal() -> JSONResponse:
    return JSONResponse({"error": "internal", "message": "Something went wrong on the server; it has been "
                         "logged. Try again in a moment."}, status_code=500)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # A bug, not bad input: logged with its traceback, answered in the same JSON shape.
    if _is_connectivity(exc):
        return _db_unavailable()
    log.error("unexpected error", exc_info=exc, extra={"path": request.url.path})
    return _internal()


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
    app.add_middleware(ContainErrors, answer=_unexpected)
    app.add_middleware(RequestLog)  # added last, so outside ContainErrors: it logs the 500 too

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
        if request.url.path.startswith("/open311/"):  # Open311 clients read Open311's own error shape
            from server.open311 import error_for_path

            return error_for_path(request.url.path, exc.status_code, messages.get(exc.status_code, str(exc.detail)))
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
        return _internal()

    # Errors in middleware outside ContainErrors still get the same answer (the connection closes then).
    app.add_exception_handler(Exception, _unexpected)

    for exc_type in (PoolTimeoutError, DisconnectionError):
        app.add_exception_handler(exc_type, lambda request, exc: _db_unavailable())

    # ---- routes --------------------------------------------------------------------------------
    from server import exports, model_store, open311, ranking
    from server.api import ROUTERS
    from server.api.deps import authenticate

    for router in ROUTERS:
        app.include_router(router)
    model_store.add_routes(app, engine, authenticate)
    exports.add_routes(app, engine, authenticate)
    app.include_router(open311.router)
    app.include_router(ranking.router)

    return app
