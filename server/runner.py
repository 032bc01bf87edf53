"""Running the central service: `hotline server` (blocking, uvicorn) and the embedded one in a thread."""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass

import uvicorn

from server import logs

log = logging.getLogger("hotline.server")

_DB_ENV = "HOTLINE_SERVER_DB"


def app_factory():
    """For uvicorn --workers: each worker process builds its app from the environment."""
    from server.app import create_app

    return create_app(os.environ[_DB_ENV])


def serve(db_url: str, host: str = "127.0.0.1", port: int = 8345, workers: int | None = None) -> None:
    """Blocking: migrate, then serve until interrupted. HOTLINE_SERVER_WORKERS>1 runs several processes
    (stateless; they share pokes through PostgreSQL LISTEN/NOTIFY)."""
    from server.migrate import migrate

    log_config = logs.configure()
    workers = workers or int(os.environ.get("HOTLINE_SERVER_WORKERS", "1") or 1)
    if workers > 1 and db_url.startswith("sqlite"):
        # Pokes cross processes only through PostgreSQL; on SQLite one process serves everyone.
        log.warning("several worker processes need PostgreSQL; running one on SQLite")
        workers = 1
    _wait_for_database(db_url, migrate)
    log.info("central service starting", extra={"host": host, "port": port, "workers": workers,
                                                "database": "sqlite" if db_url.startswith("sqlite") else "postgresql"})
    if workers > 1:
        os.environ[_DB_ENV] = db_url
        uvicorn.run("server.runner:app_factory", factory=True, host=host, port=port, workers=workers,
                    log_config=log_config, access_log=False, timeout_graceful_shutdown=3)
    else:
        from server.app import create_app

        uvicorn.run(create_app(db_url), host=host, port=port, log_config=log_config, access_log=False,
                    timeout_graceful_shutdown=3)


def _wait_for_database(db_url: str, migrate) -> None:
    """Start once the database answers (it may still be starting next to us); give up with a plain message."""
    import sys
    import time

    from sqlalchemy.exc import OperationalError

    deadline = time.monotonic() + float(os.environ.get("HOTLINE_DB_WAIT_S", "60"))
    delay = 0.5
    while True:
        try:
            migrate(db_url)
            return
        except OperationalError as exc:
            if time.monotonic() > deadline:
                log.error("database unreachable; giving up", extra={"error": type(exc.orig).__name__ if exc.orig else ""})
                print("hotline server: the database cannot be reached; check --db and that the database is running.",
                      file=sys.stderr)
                raise SystemExit(3) from None
            log.warning("waiting for the database", extra={"retry_in_s": delay})
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


@dataclass
class RunningServer:
    url: str
    server: uvicorn.Server
    thread: threading.Thread
    app: object

    def stop(self, timeout: float = 10.0) -> None:
        state = getattr(self.app, "state", None)
        if state is not None:
            loop = getattr(self.server, "_hotline_loop", None)
            if loop is not None:
                loop.call_soon_threadsafe(state.stopping.set)
        self.server.should_exit = True
        self.thread.join(timeout)


def start_in_thread(db_url: str, host: str = "127.0.0.1", port: int = 0, *, settings=None) -> RunningServer:
    """The embedded service next to the console: listening once this returns; `.url`, `.stop()`."""
    from server.app import create_app

    app = create_app(db_url, settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    actual_port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_config=None, access_log=False, timeout_graceful_shutdown=2, lifespan="on")
    server = uvicorn.Server(config)
    started = threading.Event()
    failed: list[BaseException] = []

    def run():
        import asyncio

        async def main():
            server._hotline_loop = asyncio.get_running_loop()
            await server.serve(sockets=[sock])

        try:
            asyncio.run(main())
        except BaseException as exc:  # surfaced to the caller below
            failed.append(exc)
        finally:
            started.set()

    thread = threading.Thread(target=run, name="hotline-embedded-server", daemon=True)
    thread.start()
    while not started.is_set() and not server.started:
        started.wait(0.02)
    if failed or not server.started:
        raise RuntimeError(f"the embedded central service did not start: {failed[0] if failed else 'unknown reason'}")
    return RunningServer(url=f"http://{host}:{actual_port}", server=server, thread=thread, app=app)
