"""The sync routes: console registration, push of a console's outbox, pull of the change feed (with long-poll and
full reloads), live pokes, rejections."""

from __future__ import annotations

import json
import time

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from starlette.concurrency import run_in_threadpool

from domain.wire import SYNC_PREFIX, ResultStatus, SyncPath
from server import accounts, schema, sync
from server.api.deps import (
    PUSH_BODIES,
    AppSettings,
    CurrentUser,
    DbEngine,
    StaffUser,
    bearer,
    client_ip,
    int_param,
    json_body,
    push_body_cap,
)
from server.errors import ApiError

router = APIRouter(prefix=SYNC_PREFIX, tags=["sync"])
# How often an open event stream looks again whether its session still holds (and on every poke).
TOKEN_CHECK_S = 2.0
REGISTER_MAX_BYTES = 4096


def _route(path: SyncPath) -> str:
    return path.value.removeprefix(SYNC_PREFIX)


@router.post(_route(SyncPath.REGISTER))
async def sync_register(request: Request, user: CurrentUser, engine: DbEngine):
    """Issue this console a client id and secret for its pushes, bound to it and to the signed-in user."""
    first = sync.parse_register(await json_body(request, REGISTER_MAX_BYTES))
    return JSONResponse(await run_in_threadpool(sync.register, engine, user, first, client_ip(request)))


@router.post(_route(SyncPath.PUSH))
async def sync_push(request: Request, user: CurrentUser, engine: DbEngine, settings: AppSettings):
    parsed = sync.parse_push(await json_body(request, push_body_cap(settings), PUSH_BODIES), settings)
    body, top = await run_in_threadpool(sync.push, engine, user, parsed.client_id, parsed.mutations, settings,
                                        client_ip(request), parsed.client_secret)
    request.app.state.notifier.publish(top)
    return JSONResponse(body)  # plain JSON types already: skip the framework's (slow) re-encoding


@router.get(_route(SyncPath.PULL))
async def sync_pull(request: Request, user: CurrentUser, engine: DbEngine, settings: AppSettings):
    cursor = int_param(request, "cursor", 0, 0)
    limit = int_param(request, "limit", settings.pull_limit_default, 1, settings.pull_limit_max)
    wait = int_param(request, "wait", 0, 0, 3600)
    epoch = request.query_params.get("epoch") or None
    snapshot = request.query_params.get("snapshot")  # None: a feed pull; "" begins a full reload
    wait = min(wait, settings.long_poll_max_s)
    deadline = time.monotonic() + wait
    notifier, stopping = request.app.state.notifier, request.app.state.stopping
    while True:
        body = await run_in_threadpool(sync.pull, engine, user, cursor, limit, epoch, snapshot)
        remaining = deadline - time.monotonic()
        if body["changes"] or body.get("reset") or "snapshot" in body or snapshot is not None or remaining <= 0 \
                or stopping.is_set():
            return JSONResponse(body)
        # Long-poll: nothing new for this user yet; sleep until the feed grows past what we read
        # (a poke from this or another process), looking up now and then to notice a shutdown.
        seen = max(body["cursor"], cursor)
        while remaining > 0 and not stopping.is_set():
            if await notifier.wait_newer(seen, min(remaining, 1.0)):
                break
            remaining = deadline - time.monotonic()
        cursor = seen  # changes this user may not see still move the cursor on


@router.get(_route(SyncPath.EVENTS))
async def sync_events(request: Request, user: CurrentUser, engine: DbEngine, settings: AppSettings):
    token = bearer(request)
    from sse_starlette import EventSourceResponse

    notifier, stopping = request.app.state.notifier, request.app.state.stopping

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
        while not stopping.is_set():
            poked = await notifier.wait_newer(last, 1.0)
            if await request.is_disconnected():
                break
            # The stream lives no longer than its session: looked at every TOKEN_CHECK_S, so a sign-out
            # or a revoked session ends it within seconds; one indexed read each time, never one per poke.
            if time.monotonic() - checked >= TOKEN_CHECK_S:
                checked = time.monotonic()
                if not await still_signed_in():
                    break
            if poked:
                last = notifier.latest
                yield {"event": "changed", "data": json.dumps({"cursor": last})}

    return EventSourceResponse(pokes(), ping=settings.sse_ping_s, headers={"Cache-Control": "no-store"})


@router.get(_route(SyncPath.REJECTIONS))
async def rejections(request: Request, user: StaffUser, engine: DbEngine):
    """Refused changes, with their reasons, for supervisors to see (the console shows its own).

    Client ids are not shown: they identify another person's console to the service."""
    limit = int_param(request, "limit", 100, 1, 1000)
    ml = schema.mutation_log

    def query():
        with engine.connect() as conn:
            rows = conn.execute(select(ml).where(ml.c.status == ResultStatus.REJECTED.value)
                                .order_by(ml.c.at.desc()).limit(limit)).mappings()
            return [{"mutation_id": r["mutation_id"], "name": r["name"],
                     "ticket_id": r["ticket_id"], "author": r["username"], "reason": r["error"], "at": r["at"]}
                    for r in rows]

    return {"rejections": await run_in_threadpool(query)}
