"""A fault-injecting TCP proxy on loopback (asyncio): cuts, delays, lost answers and pauses between console and service.

It understands just enough HTTP/1.1 (request heads, Content-Length, chunked answers) to act per request:

    proxy = FaultProxy(service_port, seed=7).start()
    proxy.set_faults(cut=0.1, delay=0.2, drop_response=0.1)  # probabilities per request, from a seeded RNG
    proxy.pause(); ...; proxy.resume()                         # hold every byte (and new connections) meanwhile
    proxy.cut_all()                                            # a network blip: every open connection dies
    pushed = proxy.watch("POST /api/v1/sync/push")             # a threading.Event set once such a request is through
    proxy.stats["dropped"]                                     # what was injected so far
    proxy.close()

Faults, per request (at most one each):
- cut: the connection is closed before the request reaches the service, or half-way through its body;
- drop_response: the request goes through, the service answers (so it has committed), the proxy reads the
  whole answer and closes the client's connection without sending it: a lost acknowledgement;
- delay: the answer is held for a random time within `delay_s` before it goes on.

It listens on 127.0.0.1 only and forwards only to a loopback address. The event loop runs on a thread of its own,
so synchronous tests drive it through plain method calls.
"""

from __future__ import annotations

import asyncio
import ipaddress
import random
import threading
from dataclasses import dataclass

LOOPBACK = "127.0.0.1"
_HEAD_LIMIT = 256 * 1024  # request and response heads are small; anything bigger is not what we proxy
_CHUNK = 64 * 1024
_DROP_READ_S = 2.0  # how long a dropped answer is read before the connection is closed anyway
STAT_KEYS = ("connections", "requests", "responses", "cut", "cut_mid_body", "dropped", "delayed", "held",
             "upstream_refused", "cut_all")


@dataclass(frozen=True)
class Faults:
    """Probabilities per request; they are tried in this order, so they add up to at most 1."""

    cut: float = 0.0
    drop_response: float = 0.0
    delay: float = 0.0
    delay_s: tuple[float, float] = (0.05, 0.5)

    def __post_init__(self):
        total = self.cut + self.drop_response + self.delay
        if min(self.cut, self.drop_response, self.delay) < 0 or total > 1:
            raise ValueError(f"fault probabilities must be >= 0 and add up to at most 1 (got {total})")
        low, high = self.delay_s
        if not 0 <= low <= high:
            raise ValueError(f"delay_s must be (low, high) with 0 <= low <= high (got {self.delay_s})")


class _Closed(Exception):
    """One side of a proxied connection went away (or was cut on purpose)."""


class FaultProxy:
    """A loopback TCP proxy to `upstream_port` that injects faults per HTTP request (see the module docstring)."""

    def __init__(self, upstream_port: int, *, upstream_host: str = LOOPBACK, seed: int = 0):
        if not ipaddress.ip_address(upstream_host).is_loopback:
            raise ValueError("the fault proxy only forwards to a loopback address")
        self.upstream_host, self.upstream_port = upstream_host, upstream_port
        self.port: int | None = None
        self.faults = Faults()
        self.stats: dict[str, int] = dict.fromkeys(STAT_KEYS, 0)
        self.errors: list[str] = []  # unexpected failures inside the proxy (a test should find none)
        self._rng = random.Random(seed)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.base_events.Server | None = None
        self._flowing: asyncio.Event | None = None  # cleared while paused
        self._writers: set[asyncio.StreamWriter] = set()
        self._watch_lock = threading.Lock()
        self._watchers: list[tuple[str, threading.Event]] = []
        self._waiting_at_gate = 0

    # ---- control, from any thread ------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> "FaultProxy":
        started = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._listen())
            except BaseException as exc:  # surfaced to start() below
                failure.append(exc)
                started.set()
                loop.close()
                return
            started.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()

        self._thread = threading.Thread(target=run, name="fault-proxy", daemon=True)
        self._thread.start()
        started.wait(10)
        if failure or self.port is None:
            raise RuntimeError(f"the fault proxy did not start: {failure[0] if failure else 'timed out'}")
        return self

    def close(self) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return

        async def shut() -> None:
            if self._server is not None:
                self._server.close()
            self._cut_everything()
            assert self._flowing is not None
            self._flowing.set()  # paused transfers wake up and find their sockets closed
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shut(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> "FaultProxy":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def set_faults(self, *, cut: float = 0.0, drop_response: float = 0.0, delay: float = 0.0,
                   delay_s: tuple[float, float] = (0.05, 0.5)) -> None:
        """Replace the fault probabilities (all zero: a clean network)."""
        self.faults = Faults(cut, drop_response, delay, tuple(delay_s))

    def clear_faults(self) -> None:
        self.faults = Faults()

    def pause(self) -> None:
        """Hold traffic: no byte moves either way, and new connections wait, until resume()."""
        self._call(lambda: self._flowing.clear())

    def resume(self) -> None:
        self._call(lambda: self._flowing.set())

    @property
    def paused(self) -> bool:
        return self._flowing is not None and not self._flowing.is_set()

    @property
    def held(self) -> int:
        """How many transfers (or new connections) are waiting on a pause right now."""
        return self._waiting_at_gate

    def cut_all(self) -> None:
        """Close every open connection at once (both sides), as a network blip would."""
        def cut() -> None:
            self.stats["cut_all"] += 1
            self._cut_everything()
        self._call(cut)

    def watch(self, request_prefix: str) -> threading.Event:
        """An Event set once a whole request whose line starts with `request_prefix` (e.g. "POST /api/v1/sync/push")
        has been forwarded to the service; one-shot."""
        event = threading.Event()
        with self._watch_lock:
            self._watchers.append((request_prefix, event))
        return event

    def snapshot(self) -> dict[str, int]:
        return dict(self.stats)

    # ---- the loop ----------------------------------------------------------------------------------------
    def _call(self, fn) -> None:
        if self._loop is None:
            raise RuntimeError("the fault proxy is not started")
        done = threading.Event()

        def run() -> None:
            try:
                fn()
            finally:
                done.set()

        self._loop.call_soon_threadsafe(run)
        done.wait(10)

    async def _listen(self) -> None:
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._server = await asyncio.start_server(self._handle, LOOPBACK, 0, limit=_HEAD_LIMIT)
        self.port = self._server.sockets[0].getsockname()[1]

    def _cut_everything(self) -> None:
        for writer in list(self._writers):
            _abort(writer)
        self._writers.clear()

    async def _gate(self) -> None:
        assert self._flowing is not None
        if self._flowing.is_set():
            return
        self.stats["held"] += 1
        self._waiting_at_gate += 1
        try:
            await self._flowing.wait()
        finally:
            self._waiting_at_gate -= 1

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        self.stats["connections"] += 1
        self._writers.add(client_writer)
        upstream_writer = None
        fates: asyncio.Queue = asyncio.Queue()
        try:
            await self._gate()
            try:
                upstream_reader, upstream_writer = await asyncio.open_connection(
                    self.upstream_host, self.upstream_port, limit=_HEAD_LIMIT)
            except OSError:
                self.stats["upstream_refused"] += 1  # the service is down: the client sees its connection closed
                return
            self._writers.add(upstream_writer)
            # Answers come in request order (no pipelining): each forwarded request queues what to do with its answer.
            requests = asyncio.create_task(self._requests(client_reader, upstream_writer, fates))
            answers = asyncio.create_task(self._answers(upstream_reader, client_writer, fates))
            done, pending = await asyncio.wait({requests, answers}, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            for task in done:
                problem = task.exception()
                # A closed side is the normal end of a proxied connection; anything else is a bug in the proxy.
                if problem is not None and not isinstance(problem, (_Closed, ConnectionError, asyncio.IncompleteReadError)):
                    self.errors.append(repr(problem))
        except asyncio.CancelledError:
            # close() cancels every connection. The handler ends normally then: asyncio 3.11's done-callback for
            # a connection handler calls task.exception() on it, which raises for a cancelled task and is logged.
            pass
        finally:
            for writer in (client_writer, upstream_writer):
                if writer is not None:
                    self._writers.discard(writer)
                    _abort(writer)

    def _choose(self) -> tuple[str, float]:
        faults, roll = self.faults, self._rng.random()
        if roll < faults.cut:
            return "cut", 0.0
        roll -= faults.cut
        if roll < faults.drop_response:
            return "drop", 0.0
        roll -= faults.drop_response
        if roll < faults.delay:
            return "delay", self._rng.uniform(*faults.delay_s)
        return "pass", 0.0

    async def _requests(self, reader, upstream, fates: asyncio.Queue) -> None:
        while True:
            head = await _read_head(reader)
            if head is None:
                return
            self.stats["requests"] += 1
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            headers = _headers(head)
            fate, delay = self._choose()
            if "chunked" in headers.get("transfer-encoding", ""):
                # Not something our clients send; pass the rest of the connection through untouched.
                fates.put_nowait(("pass", 0.0))
                await self._send(upstream, head)
                while data := await reader.read(_CHUNK):
                    await self._send(upstream, data)
                return
            length = int(headers.get("content-length", "0") or 0)
            if fate == "cut":
                self.stats["cut"] += 1
                if length and self._rng.random() < 0.5:
                    # Half a request reaches the service, which must wait for the rest, then sees the close.
                    self.stats["cut_mid_body"] += 1
                    await self._send(upstream, head + await reader.readexactly(length // 2))
                raise _Closed("cut")
            await self._send(upstream, head)
            remaining = length
            while remaining > 0:
                data = await reader.read(min(_CHUNK, remaining))
                if not data:
                    raise _Closed("client went away mid-body")
                remaining -= len(data)
                await self._send(upstream, data)
            # Queued once the whole request is through: the service answers only after that (it never
            # answers these requests early), so each answer meets the fate of its own request.
            fates.put_nowait((fate, delay))
            self._notify(line)

    async def _answers(self, reader, client, fates: asyncio.Queue) -> None:
        while True:
            head = await _read_head(reader)
            if head is None:
                return
            fate, delay = fates.get_nowait() if not fates.empty() else ("pass", 0.0)
            status = int(head.split(b" ", 2)[1]) if head.count(b" ") >= 1 else 0
            headers = _headers(head)
            if 100 <= status < 200:
                await self._send(client, head)  # 100 Continue and friends: the real answer follows
                continue
            self.stats["responses"] += 1
            if fate == "drop":
                # The service has answered, so it committed; the answer is read in full and thrown away
                # (a stream that does not end, the event stream, is cut after a moment).
                try:
                    await asyncio.wait_for(_read_body(reader, headers, status, sink=None), _DROP_READ_S)
                except asyncio.TimeoutError:
                    pass
                self.stats["dropped"] += 1
                raise _Closed("dropped answer")
            if fate == "delay":
                self.stats["delayed"] += 1
                await asyncio.sleep(delay)  # the injected fault itself: a slow network
            await self._send(client, head)
            await _read_body(reader, headers, status, sink=lambda data: self._send(client, data))

    async def _send(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        await self._gate()
        if writer.is_closing():
            raise _Closed("peer closed")
        writer.write(data)
        await writer.drain()

    def _notify(self, request_line: str) -> None:
        with self._watch_lock:
            hits = [w for w in self._watchers if request_line.startswith(w[0])]
            self._watchers = [w for w in self._watchers if w not in hits]
        for _, event in hits:
            event.set()


async def _read_head(reader: asyncio.StreamReader) -> bytes | None:
    """A request or status line with its headers; None when the peer closed between messages."""
    try:
        return await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if exc.partial:
            raise _Closed("closed mid-head") from None
        return None
    except (asyncio.LimitOverrunError, ConnectionError) as exc:
        raise _Closed(str(exc)) from None


def _headers(head: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw in head.split(b"\r\n")[1:]:
        name, sep, value = raw.partition(b":")
        if sep:
            out[name.strip().lower().decode("latin-1")] = value.strip().lower().decode("latin-1")
    return out


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str], status: int, sink) -> None:
    """Pass (or, with sink None, swallow) one answer's body: by Content-Length, chunked, or to the end."""
    async def emit(data: bytes) -> None:
        if sink is not None and data:
            await sink(data)

    try:
        if status in (204, 304):
            return
        if "chunked" in headers.get("transfer-encoding", ""):
            while True:
                size_line = await reader.readuntil(b"\r\n")
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    trailer = b""
                    while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
                        trailer += line
                    await emit(size_line + trailer + b"\r\n")
                    return
                await emit(size_line + await reader.readexactly(size + 2))
        elif "content-length" in headers:
            remaining = int(headers["content-length"] or 0)
            while remaining > 0:
                data = await reader.read(min(_CHUNK, remaining))
                if not data:
                    raise _Closed("service went away mid-answer")
                remaining -= len(data)
                await emit(data)
        else:
            while data := await reader.read(_CHUNK):
                await emit(data)
            raise _Closed("answer ended by close")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ValueError) as exc:
        raise _Closed(str(exc)) from None


def _abort(writer: asyncio.StreamWriter) -> None:
    try:
        writer.transport.abort()
    except Exception:  # already gone
        pass
