"""Running the central service: `hotline server` (blocking, uvicorn) and the embedded one in a thread."""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import ssl
import sys
import threading
from dataclasses import dataclass, replace

import uvicorn

from domain import config
from server import logs

log = logging.getLogger("hotline.server")

_DB_ENV = config.SERVER_DB.name  # handed to the worker processes uvicorn starts
_LOCAL_ENV = config.SERVER_LOCAL_ONLY.name


class StartRefused(Exception):
    """The service will not start as asked; the message says why and what to do (printed, exit code 2)."""


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_forwarded_allow_ips(value: str | None) -> list[str]:
    """The proxies whose X-Forwarded-For is believed: addresses or networks, comma-separated; none by default."""
    entries = [item.strip() for item in (value or "").split(",") if item.strip()]
    for entry in entries:
        try:
            network = None if entry == "*" else ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise StartRefused(f"--forwarded-allow-ips: '{entry}' is not an IP address or network "
                               f"(give the proxy's address, e.g. 127.0.0.1 or 10.0.0.0/24).") from None
        # Trusting every address lets anyone write X-Forwarded-For: a fresh address per guess escapes the
        # sign-in throttle and puts a false address into the audit log.
        if network is None or network.prefixlen == 0:
            raise StartRefused(f"--forwarded-allow-ips: '{entry}' would believe X-Forwarded-For from every address; "
                               f"name the proxies in front of the service instead (e.g. 127.0.0.1 or 10.0.0.5).")
    return entries


def check_tls_files(certfile: str | None, keyfile: str | None) -> None:
    """Refuse at once, in plain words, a certificate or key that TLS could not use."""
    if keyfile and not certfile:
        raise StartRefused("--keyfile needs --certfile (the certificate that goes with the key).")
    if not certfile:
        return
    for option, path in (("--certfile", certfile), ("--keyfile", keyfile)):
        if path and not os.path.isfile(path):
            raise StartRefused(f"{option}: there is no file {path}.")
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(certfile, keyfile)
    except (ssl.SSLError, OSError) as exc:
        raise StartRefused(f"the certificate {certfile} and its key cannot be used for TLS ({exc}). Give a PEM "
                           f"certificate (with its chain) in --certfile and its private key in --keyfile.") from None


def app_factory():
    """For uvicorn --workers: each worker process builds its app from the environment."""
    from server.app import create_app
    from server.settings import Settings

    return create_app(config.SERVER_DB.get(), Settings(local_only=config.SERVER_LOCAL_ONLY.get()))


def serve(db_url: str, host: str = "127.0.0.1", port: int = 8345, workers: int | None = None, *,
          certfile: str | None = None, keyfile: str | None = None, forwarded_allow_ips: str | None = None) -> None:
    """Blocking: migrate, then serve until interrupted. HOTLINE_SERVER_WORKERS>1 runs several processes
    (stateless; they share pokes through PostgreSQL LISTEN/NOTIFY).

    TLS with `certfile`/`keyfile`. X-Forwarded-For is believed only from the `forwarded_allow_ips` proxies: by
    default from nobody, so a sign-in's address (its throttle key, the audit log) is the connection's own.
    Raises StartRefused with a plain message when it will not start as asked."""
    from server.db import DatabaseUnusable, check_db_url
    from server.migrate import migrate
    from server.settings import Settings

    try:
        check_db_url(db_url)
    except DatabaseUnusable as exc:
        raise StartRefused(str(exc)) from None
    proxies = parse_forwarded_allow_ips(forwarded_allow_ips)
    check_tls_files(certfile, keyfile)
    local_only = is_loopback_host(host) and not proxies
    log_config = logs.configure()
    workers = workers or config.SERVER_WORKERS.get()
    if workers > 1 and db_url.startswith("sqlite"):
        # Pokes cross processes only through PostgreSQL; on SQLite one process serves everyone.
        log.warning("several worker processes need PostgreSQL; running one on SQLite")
        workers = 1
    engine = _wait_for_database(db_url, migrate)
    _refuse_demo_database(engine, local_only)
    log.info("central service starting", extra={"host": host, "port": port, "workers": workers, "tls": bool(certfile),
                                                "trusted_proxies": ",".join(proxies),
                                                "database": "sqlite" if db_url.startswith("sqlite") else "postgresql"})
    if not certfile and not is_loopback_host(host):
        print("hotline server: warning: no TLS (--certfile/--keyfile): passwords and caller data cross the network "
              "unencrypted unless a TLS proxy is in front (see docs/deployment.md).", file=sys.stderr)
    options = dict(host=host, port=port, log_config=log_config, access_log=False, timeout_graceful_shutdown=3,
                   ssl_certfile=certfile, ssl_keyfile=keyfile,
                   proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None)
    if workers > 1:
        os.environ[_DB_ENV] = db_url
        os.environ[_LOCAL_ENV] = "1" if local_only else "0"
        uvicorn.run("server.runner:app_factory", factory=True, workers=workers, **options)
    else:
        from server.app import create_app

        uvicorn.run(create_app(db_url, Settings(local_only=local_only)), **options)


def _refuse_demo_database(engine, local_only: bool) -> None:
    """The demo's database (accounts sharing the password 'demo') is served to this machine only."""
    from server.db import get_meta

    with engine.connect() as conn:
        demo = get_meta(conn, "demo_accounts")
    if demo and not local_only:
        raise StartRefused("this database is the demo's: its accounts share the password 'demo', so it is served "
                           "only on 127.0.0.1 with no proxy in front. Give the hotline's own database with --db.")


def _wait_for_database(db_url: str, migrate):
    """The migrated engine once the database answers (it may still be starting next to us); a plain message and
    exit code 3 when it never does, or when data in it must be fixed before the new schema applies."""
    import time

    from sqlalchemy.exc import DatabaseError, OperationalError

    from server.accounts import SchemaConflict
    from server.db import DatabaseUnusable, database_problem

    deadline = time.monotonic() + config.DB_WAIT_S.get()
    delay = 0.5
    while True:
        try:
            return migrate(db_url)
        except SchemaConflict as exc:
            print(f"hotline server: the database needs a fix first: {exc}", file=sys.stderr)
            raise SystemExit(3) from None
        except DatabaseUnusable as exc:
            raise StartRefused(str(exc)) from None
        except DatabaseError as exc:  # OperationalError among them: unreachable, no such role, not a database
            problem, may_pass = database_problem(exc)
            if may_pass and not isinstance(exc, OperationalError):
                raise  # not about reaching the database: a fault to see whole
            if not may_pass:
                # A missing role or database, a wrong password: no wait cures it; say so at once.
                print(f"hotline server: {problem}", file=sys.stderr)
                raise SystemExit(2) from None
            if time.monotonic() > deadline:
                log.error("database unreachable; giving up", extra={"reason": problem})
                print(f"hotline server: {problem}", file=sys.stderr)
                raise SystemExit(3) from None
            log.warning("waiting for the database", extra={"retry_in_s": delay, "reason": problem})
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
    """The embedded service next to the console: listening once this returns; `.url`, `.stop()`.

    It believes no X-Forwarded-For, and on loopback it is the demo that may list its demo accounts."""
    from server.app import create_app
    from server.settings import Settings

    app = create_app(db_url, replace(settings or Settings(), local_only=is_loopback_host(host)))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    actual_port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_config=None, access_log=False, timeout_graceful_shutdown=2, lifespan="on",
                            proxy_headers=False)
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
        except BaseException as exc:  # boundary of the serving thread: surfaced to the caller below
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
