"""The sync engine: sends the local outbox to the central service in order and brings its changes into the cache.

Plain Python and a synchronous HTTP client; the console runs `SyncEngine.run` on its own thread:

    engine = SyncEngine(cache, server_url, lambda: session.token, on_state=..., on_changes=..., on_model=...)
    engine.run(stop_event)      # until stop_event is set; closes its HTTP clients at the end
    engine.poke()               # from any thread, after a local save
    engine.sync_once()          # one push-then-pull, for tests and tools; returns the SyncState

on_state(SyncState) and on_changes(wire.ChangeSummary from LocalCache.apply_changes) are called on the engine's
thread. The engine registers this console with the service by itself (one client id per signed-in user, kept in
the cache) and pushes only the signed-in user's changes; docs/sync.md tells the whole protocol.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from collections.abc import Mapping
from typing import Any, Callable

import httpx2

from domain.wire import (
    SCHEMA_VERSION,
    ChangeSummary,
    Mutation,
    PullPage,
    PushAnswer,
    PushError,
    PushRequest,
    RegisterAnswer,
    SyncPath,
    summary_has_news,
)
from storage.errors import EnvironmentProblem, StorageError
from storage.http_client import (
    DEFAULT_TIMEOUT,
    ServiceError,
    SignInExpired,
    make_client,
    request_json,
    scrub,
)
from storage.sync_identity import Identities, consecutive

log = logging.getLogger("hotline.sync")

_NO_TOKEN_FAILURE = object()
EPOCH_KEY = "server_epoch"
# How often the sync thread does the cache's upkeep (saves never checkpoint the WAL themselves).
MAINTENANCE_EVERY_S = 30.0
NOT_SIGNED_IN = "not signed in: sign in to send and receive tickets"
SNAPSHOT_KEY = "reload_snapshot"  # set while a full reload is under way (an interrupted one starts again)
UNREADABLE = "the central service gave an answer this console does not understand: call support"


@dataclass(frozen=True)
class SyncState:
    """What the console shows about sync: online or not, what waits to be sent, what went wrong."""

    online: bool = False
    pending: int = 0
    last_success: datetime | None = None
    last_error: str | None = None
    clock_offset_s: float = 0.0
    rejected: int = 0
    syncing: bool = False
    cursor: int = 0
    signed_in: bool = True  # False when the token is missing or expired: the console asks to sign in again
    model_version: str | None = None
    waiting_for_others: int = 0  # changes other people made here: they go out when their author signs in again


def _log_unexpected(exc: BaseException) -> None:
    """Sync failed on something other than the service: the environment calmly, a bug with its traceback."""
    if isinstance(exc, EnvironmentProblem):
        log.warning("sync paused: %s", scrub(exc))  # disk full, locked, read-only: the state shows it calmly
    else:
        log.error("sync failed unexpectedly", exc_info=exc)


class SyncError(Exception):
    """Sync cannot go on by itself (e.g. the service lost changes it had confirmed); the message is for people."""


class Backoff:
    """Exponential backoff with jitter, reset after a success; honours a server's Retry-After."""

    def __init__(self, base: float = 0.5, cap: float = 30.0, factor: float = 2.0, rng: random.Random | None = None):
        self.base, self.cap, self.factor = base, cap, factor
        self.failures = 0
        self._rng = rng or random.Random()

    def reset(self) -> None:
        self.failures = 0

    def next_delay(self, retry_after: float | None = None) -> float:
        ceiling = min(self.cap, self.base * self.factor ** self.failures)
        self.failures += 1
        # "Equal jitter": never less than half the step, so a crowd of consoles spreads out but still backs off.
        delay = ceiling / 2 + self._rng.uniform(0, ceiling / 2)
        if retry_after is not None:
            # The server said when: not earlier than that, plus a little spread so consoles don't return together.
            delay = max(delay, retry_after + self._rng.uniform(0, min(1.0, 0.1 * retry_after + 0.05)))
        return delay


class ClockOffset:
    """Server clock minus local clock, NTP style: the sample with the shortest round trip is trusted most."""

    def __init__(self, window: int = 8):
        self.window = window
        self._samples: list[tuple[float, float]] = []  # (round trip, offset)

    def add(self, sent_at: float, received_at: float, server_time: datetime) -> float:
        if server_time.tzinfo is None:
            server_time = server_time.replace(tzinfo=timezone.utc)
        midpoint = (sent_at + received_at) / 2
        offset = server_time.timestamp() - midpoint
        self._samples.append((received_at - sent_at, offset))
        del self._samples[:-self.window]
        return self.offset

    @property
    def offset(self) -> float:
        if not self._samples:
            return 0.0
        return min(self._samples)[1]


def _server_time(body: dict, response: httpx2.Response) -> tuple[datetime | None, bool]:
    """(server time, precise?) from the body's server_time, else the Date header (whole seconds only)."""
    raw = body.get("server_time") if isinstance(body, dict) else None
    if isinstance(raw, str):
        try:
            return datetime.fromisoformat(raw.replace("Z", "+00:00")), True
        except ValueError:
            pass
    date = response.headers.get("Date")
    if date:
        try:
            return parsedate_to_datetime(date), False
        except (TypeError, ValueError):
            pass
    return None, False


class SyncEngine:
    """Drives one LocalCache against the central service: push the outbox, pull changes, stay live."""

    def __init__(
        self,
        cache,
        server_url: str,
        token_provider: Callable[[], str | None],
        *,
        on_state: Callable[[SyncState], None] | None = None,
        on_changes: Callable[[ChangeSummary], None] | None = None,
        on_model: Callable[[Path], None] | None = None,
        client: httpx2.Client | None = None,
        push_batch: int = 1000,
        pull_limit: int = 1000,
        periodic_pull_s: float = 30.0,
        model_check_s: float = 900.0,
        model_root: Path | None = None,
        live: bool = True,
        backoff: Backoff | None = None,
        long_poll_s: float = 25.0,
        overlap_pull: bool = False,
    ):
        self.cache = cache
        self.server_url = server_url.rstrip("/")
        self.token_provider = token_provider
        self.on_state = on_state
        self.on_changes = on_changes
        self.on_model = on_model
        self._own_client = client is None
        self.client = client or make_client()
        # The event stream holds a connection open for minutes: it gets a client (and pool) of its own.
        self._listen_client = make_client() if client is None else client
        self.push_batch = push_batch
        self.pull_limit = pull_limit
        self.periodic_pull_s = periodic_pull_s
        self.model_check_s = model_check_s
        self.model_root = model_root
        self.live = live
        self.backoff = backoff or Backoff()
        self.long_poll_s = long_poll_s
        self.overlap_pull = overlap_pull
        self._pull_lock = threading.Lock()  # one pull at a time: the cursor is read, then advanced
        self._report_lock = threading.Lock()
        self.clock = ClockOffset()
        self._state = SyncState()
        self._lock = threading.Lock()  # one sync at a time (run loop vs. a direct sync_once)
        self._wake = threading.Event()  # a local save: something to send
        self._server_poke = threading.Event()  # the service said something changed
        self._retry_not_before = 0.0
        self._last_maintenance = time.monotonic()
        self._known_cursor: int | None = None
        self._listener: threading.Thread | None = None
        self._listen_response: httpx2.Response | None = None
        self._next_model_check = 0.0
        self._who: tuple[str, str] | None = None  # (token, user name) of the signed-in user
        self.identities = Identities(cache)

    # ---- public ---------------------------------------------------------------------------------------------
    @property
    def state(self) -> SyncState:
        return self._state

    def poke(self) -> None:
        """Wake the loop (after a local save) so the change goes out at once."""
        self._wake.set()

    def sync_once(self) -> SyncState:
        """Push everything pending in order, then pull until caught up. Errors end up in state.last_error."""
        try:
            self._sync()
        except (ServiceError, SyncError):  # the state says what happened; the loop decides when to try again
            pass
        except Exception as exc:  # boundary of a sync round: the state says it, and a bug leaves its traceback
            _log_unexpected(exc)
        return self._state

    def close(self) -> None:
        if self._own_client:
            self.client.close()
            self._listen_client.close()

    def run(self, stop_event: threading.Event) -> None:
        """Sync until stop_event is set: on pokes from the service, on local saves, and periodically."""
        if self.live:
            self._listener = threading.Thread(target=self._listen, args=(stop_event,), name="sync-events", daemon=True)
            self._listener.start()
        try:
            while not stop_event.is_set():
                self._wake.clear()
                self._server_poke.clear()
                ok = self._attempt()
                self._maybe_maintain_cache()
                if ok:
                    from storage.catalogue_sync import maybe_check_catalogue

                    maybe_check_catalogue(self)  # before the model: a model made for a new catalogue needs it
                    self._maybe_check_model()
                    self._wait(stop_event, self.periodic_pull_s, online=True)
                else:
                    self._wait(stop_event, max(0.0, self._retry_not_before - time.monotonic()), online=False)
        finally:
            response = self._listen_response
            if response is not None:
                try:
                    response.close()
                except (httpx2.HTTPError, OSError):  # the stream is already broken: nothing left to close
                    pass
            if self._listener is not None:
                self._listener.join(timeout=2.0)
            self.close()

    # ---- the loop -------------------------------------------------------------------------------------------
    def _maybe_maintain_cache(self) -> None:
        """The cache's upkeep (index merge, WAL checkpoint) runs here, off the UI thread and off the save path."""
        now = time.monotonic()
        if now - self._last_maintenance < MAINTENANCE_EVERY_S:
            return
        self._last_maintenance = now
        try:
            self.cache.maintenance()
        except EnvironmentProblem as exc:
            log.warning("cache upkeep postponed: %s", exc)

    def _attempt(self) -> bool:
        try:
            self._sync()
        except ServiceError as exc:
            self._retry_not_before = time.monotonic() + self.backoff.next_delay(exc.retry_after)
            return False
        except SyncError:
            self._retry_not_before = time.monotonic() + self.backoff.next_delay()
            return False
        except Exception as exc:  # boundary of the sync thread's round: it must go on; a bug leaves its traceback
            _log_unexpected(exc)
            self._retry_not_before = time.monotonic() + self.backoff.next_delay()
            return False
        self.backoff.reset()
        return True

    def _wait(self, stop_event: threading.Event, timeout: float, *, online: bool) -> None:
        """Wait for the timeout, a local save or a poke from the service, checking stop_event often."""
        deadline = time.monotonic() + timeout
        while not stop_event.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            if self._server_poke.is_set():
                # The service is talking again: that ends a backoff, but not an explicit Retry-After.
                if online or not self._retry_after_active:
                    return
                self._server_poke.clear()
            if self._wake.is_set():
                if online or self._signed_in_since_failure():
                    return
                # Offline: a local save does not shorten the backoff, but the pending count shown must be right.
                self._wake.clear()
                self._refresh_pending()
            self._wait_any(min(remaining, 0.2))

    def _signed_in_since_failure(self) -> bool:
        """After a failure for want of a (valid) token, a new token means: try again now."""
        if self._failed_token is _NO_TOKEN_FAILURE:
            return False
        return self.token_provider() not in (None, self._failed_token)

    def _wait_any(self, timeout: float) -> None:
        # Two events: wait on the one that matters more, in small slices so the other and stop are seen quickly.
        if self._wake.wait(timeout / 2):
            return
        self._server_poke.wait(timeout / 2)

    # ---- one sync -------------------------------------------------------------------------------------------
    def _sync(self) -> None:
        with self._lock:
            token = self.token_provider()
            self._failed_token = _NO_TOKEN_FAILURE
            if not token:
                self._failed_token = token
                self._report(online=False, last_error=NOT_SIGNED_IN, signed_in=False, syncing=False)
                raise ServiceError(NOT_SIGNED_IN, status=401)
            self._report(syncing=True)
            self._retry_after_active = False
            try:
                self._push_and_pull(token)
            except SignInExpired as exc:
                self._failed_token = token
                self._report(online=True, last_error=exc.message, signed_in=False, syncing=False)
                raise
            except ServiceError as exc:
                self._retry_after_active = exc.retry_after is not None
                self._report(online=not exc.offline and exc.status not in (502, 503, 504),
                             last_error=exc.message, syncing=False)
                raise
            except SyncError as exc:
                self._report(last_error=str(exc), syncing=False)
                raise
            except Exception as exc:
                message = getattr(exc, "message", None) or "sync stopped on an unexpected problem: call support"
                self._report(last_error=str(message), syncing=False)
                raise
            self._report(online=True, last_error=None, last_success=datetime.now(timezone.utc), signed_in=True,
                         syncing=False)

    def _push_and_pull(self, token: str) -> None:
        """Push everything, then pull until caught up. With overlap_pull a long backlog (after an outage) is pulled
        back while it is still being pushed; worth it when the service runs on another machine, not when it shares
        the console's cores (measured: the service's pushes slowed down more than the pull saved)."""
        if not self.overlap_pull or self.cache.pending_count() <= self.push_batch:
            push_problem = self._push_all_or_problem(token)
            self._pull_all(token)
            if push_problem is not None:
                raise push_problem
            return
        pushing_done = threading.Event()
        failures: list[BaseException] = []

        def pull_behind() -> None:
            while not pushing_done.is_set():
                try:
                    self._pull_all(token)
                except BaseException as exc:  # boundary of this thread: the final pull below runs again and reports it
                    failures.append(exc)
                    return
                pushing_done.wait(0.2)

        helper = threading.Thread(target=pull_behind, name="sync-pull-behind", daemon=True)
        helper.start()
        try:
            self._push_all(token)
        finally:
            pushing_done.set()
            helper.join()
        self._pull_all(token)

    def _push_all_or_problem(self, token: str) -> Exception | None:
        """Push; a problem only the people behind the service can fix (not the network, not the sign-in) is
        returned rather than raised, so this console still receives everyone else's changes meanwhile."""
        try:
            self._push_all(token)
        except SignInExpired:
            raise
        except ServiceError as exc:
            if exc.temporary:
                raise
            log.warning("push refused (%s %s): pulling anyway", exc.status, exc.code or "")
            return exc
        except SyncError as exc:
            log.warning("push stopped: %s; pulling anyway", scrub(exc))
            return exc
        return None

    _retry_after_active = False
    _failed_token: object = _NO_TOKEN_FAILURE

    def _post(self, path: str, token: str, payload: Mapping[str, Any]) -> Any:
        sent = time.time()
        body, response = request_json(self.client, "POST", self.server_url + path, token=token, json=payload)
        self._note_clock(sent, time.time(), body, response)
        return body

    def _get(self, path: str, token: str, params: dict, timeout=None) -> Any:
        sent = time.time()
        body, response = request_json(self.client, "GET", self.server_url + path, token=token, params=params,
                                      timeout=timeout)
        self._note_clock(sent, time.time(), body, response)
        return body

    def _note_clock(self, sent: float, received: float, body: dict, response: httpx2.Response) -> None:
        server_time, precise = _server_time(body, response)
        if server_time is None:
            return
        if not precise:
            # The Date header is truncated to the second: its midpoint is half a second early on average.
            server_time = server_time.replace(microsecond=500_000)
        self.clock.add(sent, received, server_time)

    # ---- push: identities ----------------------------------------------------------------------------------
    def _username(self, token: str) -> str:
        """Who the token belongs to (asked once per token): only their changes go out under it."""
        if self._who is None or self._who[0] != token:
            body = self._get(SyncPath.ME, token, {})
            name = body.get("username") if isinstance(body, dict) else None
            if not isinstance(name, str) or not name:
                raise SyncError(UNREADABLE)
            self._who = (token, name)
        return self._who[1]

    def _register(self, token: str, username: str, first_id: int) -> dict:
        """A new client id from the service for this user and console; its pushes start at `first_id`."""
        answer: RegisterAnswer = self._post(SyncPath.REGISTER, token, {"first_mutation_id": first_id})
        if not isinstance(answer.get("client_id"), str) or not isinstance(answer.get("client_secret"), str):
            raise SyncError(UNREADABLE)
        return self.identities.adopt(username, answer, first_id)

    def _push_all(self, token: str) -> None:
        username = self._username(token)
        gap_retries = refusals = 0
        limit = self.push_batch
        while True:
            batch = self._pending(username, min(limit, self.push_batch))
            limit = self.push_batch
            if not batch:
                self._settle_identity(username)
                return
            identity = self.identities.current(username, batch[0].id) or self._register(token, username, batch[0].id)
            batch = consecutive(batch)
            payload: PushRequest = {"client_id": identity["client_id"], "schema_version": SCHEMA_VERSION,
                                    "mutations": [m.to_json() for m in batch]}
            if identity.get("client_secret"):
                payload["client_secret"] = identity["client_secret"]
            try:
                body: PushAnswer = self._post(SyncPath.PUSH, token, payload)
            except ServiceError as exc:
                if exc.status == 409 and exc.code == PushError.GAP:
                    gap_retries += 1
                    self._handle_gap(exc.body, batch, gap_retries, username, identity)
                    continue
                if exc.status == 409 and exc.code == PushError.CONFLICT:
                    refusals += 1
                    limit = self._handle_conflict(token, exc.body, batch, username, identity, refusals)
                    continue
                if exc.status == 403 and exc.code in (PushError.NOT_YOURS, PushError.UNKNOWN_CLIENT):
                    # Not (or no longer) this console's and user's id: leave it; the next round registers anew.
                    refusals += 1
                    if refusals > 3:
                        raise SyncError("the central service refuses this console's changes: call support") from exc
                    log.warning("push refused under this client id (%s): registering again", exc.code)
                    if exc.code == PushError.UNKNOWN_CLIENT and identity.get("first"):
                        # The service lost this registration (restored from before it), so everything sent under
                        # it too: all of it goes out again under the new one.
                        first = int(identity["first"])
                        self.cache.skip_to(first - 1, author=username, since=first)
                    self.identities.retire(username, identity)
                    continue
                if exc.status == 413 and len(batch) > 1:
                    # The service takes fewer at a time than we sent: halve and go on.
                    self.push_batch = max(1, len(batch) // 2)
                    continue
                raise
            results = body.get("results") if isinstance(body, dict) else None
            last = body.get("last_mutation_id") if isinstance(body, dict) else None
            if not isinstance(results, list):
                raise SyncError(UNREADABLE)
            self.cache.record_push_results(results)
            self.identities.advance(username, identity, last)
            self._report(pending=self.cache.pending_count(), rejected=self._rejected_count())
            after = self._pending(username, 1)
            if after and after[0].id <= batch[-1].id:
                # The service answered but did not account for the batch; don't spin on it.
                raise SyncError("the central service did not confirm the changes sent: they stay queued and will be sent again")

    def _pending(self, username: str, limit: int) -> list[Mutation]:
        return self.cache.pending_mutations(limit=limit, author=username)

    def _settle_identity(self, username: str) -> None:
        """Nothing of this user's waits: settle the identity; count what others left here."""
        self.identities.settle(username)
        others = getattr(self.cache, "pending_authors", None)
        waiting = sum(n for who, n in (others() if others else {}).items() if who != username)
        self._report(waiting_for_others=waiting)

    def _handle_conflict(self, token: str, body: dict, batch: list[Mutation], username: str, identity: dict,
                         attempt: int) -> int:
        """409 mutation_conflict: the service holds other content under one of these ids (this cache was copied or
        rolled back). The ones before it are sent again (duplicates if they match); from it on, a new registration.
        Returns how many to send in the next push."""
        conflict = body.get("mutation_id") if isinstance(body, dict) else None
        if not isinstance(conflict, int) or attempt > 3 + len(batch):
            raise SyncError("the central service and this console disagree about which changes were sent: call support")
        log.warning("push conflict at change %s: this cache was copied or restored; registering again", conflict)
        if conflict > batch[0].id:
            return conflict - batch[0].id
        self.identities.retire(username, identity)
        if not identity.get("legacy"):
            self._register(token, username, batch[0].id)
        return self.push_batch

    def _handle_gap(self, body: dict, batch: list, attempt: int, username: str | None = None,
                    identity: dict | None = None) -> None:
        """409 gap: the service has up to last_mutation_id. Mutations it confirmed are already gone here; if it is
        missing ones this cache no longer holds (the service's database was restored), the cache renumbers."""
        last = body.get("last_mutation_id")
        if not isinstance(last, int) or attempt > 3:
            raise SyncError("the central service and this console disagree about which changes were sent: call support")
        first = batch[0].id
        log.warning("push gap: service has up to %s, outbox starts at %s", last, first)
        if first <= last:
            # The service has these already; a re-send from last+1 follows from the outbox on the next round.
            self.cache.record_push_results([{"id": m.id, "status": "duplicate"} for m in batch if m.id <= last])
            return
        if identity is not None and not identity.get("legacy"):
            identity["next"] = last + 1
            self.identities.save(username, identity)
            self.cache.skip_to(last, author=username, since=int(identity.get("first") or 0))
        else:
            self.cache.skip_to(last, author=username)

    def _pull_all(self, token: str) -> None:
        with self._pull_lock:
            self._pull_locked(token)

    def _pull_locked(self, token: str) -> None:
        """Pull until caught up. A cache at cursor 0 (new, or told to reset) reloads from a snapshot: every ticket
        as it is now, paged by id up to a mark, then the feed from the mark; the pages carry a token to send back."""
        cursor = self.cache.cursor
        snapshot: str | None = None
        if cursor == 0:
            if self.cache.get_meta(SNAPSHOT_KEY) is not None:
                self.cache.reset_for_full_pull()  # an interrupted reload left part of one: start clean
            snapshot = ""
            self.cache.set_meta(SNAPSHOT_KEY, "")
        resets = 0
        while True:
            params: dict = {"cursor": cursor, "limit": self.pull_limit}
            if snapshot is not None:
                params["snapshot"] = snapshot
            # The service's database identity: if it was replaced or restored, our cursor means nothing there.
            epoch = self.cache.get_meta(EPOCH_KEY)
            if epoch:
                params["epoch"] = epoch
            page: PullPage = self._get(SyncPath.PULL, token, params)
            changes = page.get("changes") if isinstance(page, dict) else None
            new_cursor = page.get("cursor") if isinstance(page, dict) else None
            if changes is None:
                changes = []
            if not isinstance(changes, list) or not isinstance(new_cursor, int) or isinstance(new_cursor, bool):
                raise SyncError(UNREADABLE)
            if isinstance(page.get("epoch"), str) and page["epoch"] != epoch:
                self.cache.set_meta(EPOCH_KEY, page["epoch"])
            if page.get("reset"):
                resets += 1
                if resets > 2:
                    raise SyncError("the central service keeps asking for a full reload: call support")
                log.info("pull reset: reloading everything from the central service")
                self.cache.set_meta(SNAPSHOT_KEY, "")
                self.cache.reset_for_full_pull()
                cursor, snapshot = 0, ""
                self._emit_changes(self.cache.apply_changes([], 0, reset=True))
                continue
            reloading = snapshot is not None and cursor == 0
            summary = None
            if changes or new_cursor != cursor or reloading:
                summary = self.cache.apply_changes(changes, new_cursor, reset=reloading)
            self._known_cursor = new_cursor
            self._report(cursor=new_cursor, pending=self.cache.pending_count())
            if summary is not None and summary_has_news(summary):
                self._emit_changes(summary)
            token_next = page.get("snapshot")
            snapshot = token_next if isinstance(token_next, str) else None
            if new_cursor > 0 and snapshot is None and self.cache.get_meta(SNAPSHOT_KEY) is not None:
                self.cache.set_meta(SNAPSHOT_KEY, None)  # the reload's tickets are all here
            more = page.get("has_more")
            if more is None:  # an older service: a full page means there may be more
                more = len(changes) >= self.pull_limit and new_cursor != cursor
            if not more:
                if new_cursor == 0 and self.cache.get_meta(SNAPSHOT_KEY) is not None:
                    self.cache.set_meta(SNAPSHOT_KEY, None)  # an empty service: nothing to reload
                return
            if new_cursor == cursor and snapshot is None and not changes:
                raise SyncError(UNREADABLE)  # "more" without moving on would spin
            cursor = new_cursor

    # ---- live pokes -----------------------------------------------------------------------------------------
    def _listen(self, stop_event: threading.Event) -> None:
        """Keep a server-sent-events connection open; each `changed` poke wakes the loop. Long-poll if no SSE."""
        backoff = Backoff(base=0.5, cap=10.0)
        use_long_poll = False
        while not stop_event.is_set():
            token = self.token_provider()
            if not token:
                stop_event.wait(1.0)
                continue
            try:
                if use_long_poll:
                    self._long_poll_once(token)
                else:
                    self._follow_events(token, stop_event)
                backoff.reset()
            except ServiceError as exc:
                if exc.status in (404, 405):
                    use_long_poll = True
                    continue
                stop_event.wait(backoff.next_delay(exc.retry_after))
            except Exception as exc:  # a broken stream: reconnect after a pause
                if stop_event.is_set():
                    return
                if isinstance(exc, (httpx2.HTTPError, OSError, ValueError)):
                    log.debug("event stream ended: %s", type(exc).__name__)
                else:
                    log.warning("event stream failed unexpectedly", exc_info=True)
                stop_event.wait(backoff.next_delay())

    def _follow_events(self, token: str, stop_event: threading.Event) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        timeout = httpx2.Timeout(DEFAULT_TIMEOUT.read, connect=5.0, read=60.0)
        try:
            with self._listen_client.sse(self.server_url + SyncPath.EVENTS, headers=headers,
                                 timeout=timeout) as source:
                response = source.response
                if response.status_code >= 400:
                    response.read()
                    from storage.http_client import error_for_response

                    raise error_for_response(response)
                self._listen_response = response
                # Connected: anything missed while disconnected is fetched now.
                self._server_poke.set()
                for event in source:
                    if stop_event.is_set():
                        return
                    if event.event != "changed":
                        continue
                    try:
                        data = event.json()
                        cursor = data.get("cursor") if isinstance(data, dict) else None
                    except ValueError:
                        cursor = None
                    if cursor is None or self._known_cursor is None or cursor > self._known_cursor:
                        self._server_poke.set()
        except httpx2.HTTPError as exc:
            raise ServiceError("the central service cannot be reached") from exc
        finally:
            self._listen_response = None

    def _long_poll_once(self, token: str) -> None:
        cursor = self._known_cursor if self._known_cursor is not None else self.cache.cursor
        timeout = httpx2.Timeout(self.long_poll_s + 10, connect=5.0)
        body, _ = request_json(self._listen_client, "GET", self.server_url + SyncPath.PULL, token=token,
                               params={"cursor": cursor, "limit": 1, "wait": int(self.long_poll_s)}, timeout=timeout)
        if body.get("changes") or (isinstance(body.get("cursor"), int) and body["cursor"] > cursor):
            self._server_poke.set()

    # ---- models ---------------------------------------------------------------------------------------------
    def _maybe_check_model(self) -> None:
        if self.on_model is None or time.monotonic() < self._next_model_check:
            return
        self._next_model_check = time.monotonic() + self.model_check_s
        try:
            self.check_model()
        except Exception as exc:  # boundary: a model is a nice-to-have, never let it stop ticket sync
            expected = isinstance(exc, (ServiceError, SyncError, OSError, httpx2.HTTPError))  # offline, disk
            log.warning("model update skipped: %s", getattr(exc, "message", type(exc).__name__),
                        exc_info=None if expected else exc)

    def check_model(self) -> Path | None:
        """Download and install the service's latest suggestion model if this console has another one."""
        token = self.token_provider()
        if not token:
            return None
        try:
            latest, _ = request_json(self.client, "GET", self.server_url + "/api/v1/models/latest", token=token)
        except ServiceError as exc:
            if exc.status == 404:
                return None
            raise
        version, sha256 = latest.get("version"), latest.get("sha256")
        if not isinstance(version, str) or not isinstance(sha256, str):
            return None
        if version == self.cache.get_meta("model_version"):
            return None
        url = f"{self.server_url}/api/v1/models/{version}/package"
        try:
            response = self.client.get(url, headers={"Authorization": f"Bearer {token}"},
                                       timeout=httpx2.Timeout(120.0, connect=5.0))
        except httpx2.HTTPError as exc:
            from storage.http_client import error_for_transport

            raise error_for_transport(exc) from exc
        if response.status_code >= 400:
            from storage.http_client import error_for_response

            raise error_for_response(response)
        from classifier.package import install_package

        from domain.home import models_dir

        model_dir = install_package(response.content, sha256, self.model_root or models_dir())
        self.cache.set_meta("model_version", version)
        self._report(model_version=version)
        log.info("installed suggestion model %s", version)
        if self.on_model:
            self.on_model(Path(model_dir))
        return Path(model_dir)

    # ---- reporting ------------------------------------------------------------------------------------------
    def _rejected_count(self) -> int:
        try:
            return len(self.cache.rejections())
        except (StorageError, sqlite3.Error):  # the cache in trouble: its own report says so
            return self._state.rejected

    def _refresh_pending(self) -> None:
        try:
            self._report(pending=self.cache.pending_count())
        except (StorageError, sqlite3.Error):
            pass

    def _report(self, **changes) -> None:
        if "pending" not in changes:
            try:
                changes["pending"] = self.cache.pending_count()
            except (StorageError, sqlite3.Error):
                pass
        changes.setdefault("clock_offset_s", self.clock.offset)
        with self._report_lock:
            new = replace(self._state, **changes)
            if new == self._state:
                return
            self._state = new
        if self.on_state:
            try:
                self.on_state(new)
            except Exception:
                log.exception("sync state listener failed")

    def _emit_changes(self, summary: ChangeSummary) -> None:
        if self.on_changes is None:
            return
        try:
            self.on_changes(summary)
        except Exception:
            log.exception("sync changes listener failed")
