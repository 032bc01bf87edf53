"""The service's model keeper: always a model for the catalogue in use, and retraining on a timer.

A background thread of each service process, started and stopped with the app. Every few seconds it
- installs the catalogue in use (server.catalogue.ensure_catalogue; one imported with `hotline taxonomy import`
  is noticed here),
- makes sure a model for it is published: the embedded demo model or the packaged starter model when one was
  made for this catalogue, else it builds a starter model in a separate, lower-priority process (progress in the
  log) while the service goes on answering,
- retrains when the timer is due (HOTLINE_RETRAIN_EVERY_H, default 24; 0 turns the timer off).
Several processes (workers, hosts) share the work through claims in server_meta, so one builds and one retrains.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError
from starlette.concurrency import run_in_threadpool

from domain import config
from server import schema
from server.db import insert_ignore, write_tx

log = logging.getLogger("hotline.server.models")

REPO = Path(__file__).resolve().parents[1]
STARTER_CLAIM_STALE_S = 2 * 3600  # a build claimed longer ago than this died with its process: take it over
STARTER_RETRY_S = 600
RETRAIN_KEY = "job:retrain"


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(engine: Engine, key: str, due_after_s: float, clock=time.time, next_due=None) -> bool:
    """Take the job `key` if nobody took it within the last `due_after_s` seconds (or, with next_due(last time),
    once that time has come); one winner across processes (the row is locked on PostgreSQL; SQLite's write
    transaction is exclusive)."""
    meta = schema.server_meta
    now = clock()
    with write_tx(engine) as conn:
        insert_ignore(conn, meta, {"key": key, "value": json.dumps({"at": 0})})
        raw = conn.execute(select(meta.c.value).where(meta.c.key == key).with_for_update()).scalar()
        try:
            at = float(json.loads(raw).get("at", 0))
        except (TypeError, ValueError, AttributeError):
            at = 0.0
        if (now < next_due(at)) if next_due is not None else (now - at < due_after_s):
            return False
        conn.execute(meta.update().where(meta.c.key == key).values(value=json.dumps({"at": now, "by": _owner()})))
        return True


def _set_claim_time(engine: Engine, key: str, at: float) -> None:
    meta = schema.server_meta
    with write_tx(engine) as conn:
        insert_ignore(conn, meta, {"key": key, "value": json.dumps({"at": at})})
        conn.execute(meta.update().where(meta.c.key == key).values(value=json.dumps({"at": at, "by": _owner()})))


def claim_time(engine: Engine, key: str) -> float | None:
    meta = schema.server_meta
    with engine.connect() as conn:
        raw = conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()
    try:
        return float(json.loads(raw)["at"]) if raw else None
    except (TypeError, ValueError, KeyError):
        return None


class ModelKeeper:
    def __init__(self, engine: Engine, *, check_every_s: float | None = None, retrain_every_h: float | None = None,
                 clock=time.time):
        self.engine = engine
        self.check_every_s = check_every_s if check_every_s is not None else config.MODEL_CHECK_S.get()
        self.retrain_every_h = (retrain_every_h if retrain_every_h is not None
                                else config.RETRAIN_EVERY_H.get())
        self.build_starters = config.STARTER_MODEL.get()
        # A build takes minutes of CPU: a process that ends soon after it starts (a restart, a quick check) leaves
        # it to the next one. The packaged starter, when it fits, is published at once all the same.
        self.build_delay_s = config.STARTER_DELAY_S.get()
        self._started_at = time.monotonic()
        self.clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._child: subprocess.Popen | None = None
        self._catalogue_seen: str | None = None
        self.last_build_s: float | None = None
        self._building: threading.Thread | None = None
        self._building_version: str | None = None
        self._cancelled = threading.Event()
        self.rounds = 0  # finished rounds, for tests and diagnostics
        self.round_done = threading.Condition()

    # ---- lifecycle ----------------------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="hotline-model-keeper", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        child = self._child
        if child is not None and child.poll() is None:
            child.terminate()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._building is not None:
            self._building.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except DBAPIError as exc:  # the database is away: the next round tries again
                log.warning("model keeper: the database cannot be reached (%s)", type(exc.orig or exc).__name__)
            except Exception:
                log.exception("model keeper round failed; trying again shortly")
            with self.round_done:
                self.rounds += 1
                self.round_done.notify_all()
            self._stop.wait(self.check_every_s)

    def wait_rounds(self, n: int = 1, timeout: float = 60.0) -> bool:
        """Block until `n` rounds have finished since start (tests wait on this instead of sleeping)."""
        with self.round_done:
            return self.round_done.wait_for(lambda: self.rounds >= n, timeout)

    # ---- one round ----------------------------------------------------------------------------------------
    def run_once(self) -> None:
        from server.catalogue import ensure_catalogue

        taxonomy = ensure_catalogue(self.engine)
        if taxonomy.version != self._catalogue_seen:
            if self._catalogue_seen is not None:
                log.info("catalogue changed to %s: making sure a model for it is published", taxonomy.version)
            self._catalogue_seen = taxonomy.version
        self._cancel_stale_build(taxonomy.version)
        self.ensure_model(taxonomy)
        if not self._stop.is_set():
            self.maybe_retrain()

    def ensure_model(self, taxonomy) -> dict | None:
        """A published model for `taxonomy`: already there, the embedded default or packaged starter if made for
        it, else a starter built here (when this process wins the claim)."""
        from server import model_store
        from server.starter_build import packaged_starter_for

        if model_store.latest(self.engine, taxonomy.version) is not None:
            return None
        default = _default_model_for(taxonomy.version)
        if default is not None:
            return model_store.publish_model_dir(self.engine, default, "server", source="default", taxonomy=taxonomy)
        packaged = packaged_starter_for(taxonomy.version)
        if packaged is not None:
            info = model_store.publish_model_dir(self.engine, packaged, "server", source="starter", taxonomy=taxonomy,
                                                 figures={"packaged": True})
            log.info("published the packaged starter model %s for catalogue %s", info["version"], taxonomy.version)
            return info
        if not self.build_starters:
            return None
        building = self._building
        if building is not None and building.is_alive():
            return None  # the build for this catalogue goes on; a stale one was cancelled in run_once
        if time.monotonic() - self._started_at < self.build_delay_s:
            return None
        key = _starter_key(taxonomy.version)
        if not claim(self.engine, key, STARTER_CLAIM_STALE_S, self.clock):
            return None  # another process builds it
        # Its own thread: the keeper's rounds go on meanwhile (a catalogue imported during a build is noticed).
        self._building_version = taxonomy.version
        self._cancelled.clear()
        self._building = threading.Thread(target=self._build_or_retry_later, args=(taxonomy, key),
                                          name="hotline-starter-build", daemon=True)
        self._building.start()
        return None

    def _cancel_stale_build(self, version: str) -> None:
        """A build for a catalogue no longer in use is stopped (and its claim released for a later import)."""
        building = self._building
        if building is None or not building.is_alive() or self._building_version == version:
            return
        log.info("catalogue %s is no longer in use: its starter model build is stopped", self._building_version)
        self._cancelled.set()
        child = self._child
        if child is not None and child.poll() is None:
            child.terminate()
        building.join(30)
        _set_claim_time(self.engine, _starter_key(self._building_version), 0.0)

    def _build_or_retry_later(self, taxonomy, key: str) -> None:
        try:
            self._build_and_publish(taxonomy)
        except DBAPIError as exc:
            log.warning("starter model not published: the database cannot be reached (%s)", type(exc.orig or exc).__name__)
            _set_claim_time(self.engine, key, self.clock() - STARTER_CLAIM_STALE_S + STARTER_RETRY_S)
        except Exception:
            # Try again in a while, not at once: a recipe that fails now most likely fails on the next round too.
            log.exception("the starter model build failed; trying again in %d minutes", STARTER_RETRY_S // 60)
            try:
                _set_claim_time(self.engine, key, self.clock() - STARTER_CLAIM_STALE_S + STARTER_RETRY_S)
            except DBAPIError:
                pass

    def _build_and_publish(self, taxonomy) -> dict | None:
        from domain.taxonomy import catalogue_text
        from server import model_store

        started = time.monotonic()
        log.info("building a starter model for catalogue %s (%d types) in the background; the service keeps "
                 "answering meanwhile", taxonomy.version, len(taxonomy.leaves()))
        with tempfile.TemporaryDirectory(prefix="hotline-starter-") as tmp:
            catalogue = Path(tmp) / "catalogue.csv"
            catalogue.write_text(catalogue_text(taxonomy), encoding="utf-8")
            out = Path(tmp) / "model"
            cmd = [sys.executable, "-m", "server.starter_build", "--catalogue", str(catalogue), "--out", str(out)]
            env = dict(os.environ, PYTHONUNBUFFERED="1")
            self._child = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                           stdin=subprocess.DEVNULL, text=True, errors="replace")
            try:
                for line in self._child.stdout:
                    if line.strip():
                        log.info("starter model: %s", line.rstrip())
                code = self._child.wait()
            finally:
                child, self._child = self._child, None
                if child.poll() is None:
                    child.kill()
                    child.wait()
            if self._stop.is_set() or self._cancelled.is_set():
                return None
            if code != 0:
                raise RuntimeError(f"the starter model build ended with exit code {code}")
            self.last_build_s = round(time.monotonic() - started, 1)
            info = model_store.publish_model_dir(self.engine, out, "server", source="starter", taxonomy=taxonomy,
                                                 figures={"build_s": self.last_build_s})
        log.info("published starter model %s for catalogue %s after %.1f s (%d bytes)", info["version"],
                 taxonomy.version, self.last_build_s, info["size"])
        return info

    def next_retrain_after(self, last: float) -> float:
        """The next retraining after the one at `last` (epoch seconds): with the default daily period, the next
        HOTLINE_RETRAIN_AT in the hotline's time zone (HOTLINE_TZ); with another period, `last` plus that."""
        at = config.retrain_at() if self.retrain_every_h == 24 else None
        if at is None:
            return last + self.retrain_every_h * 3600
        from datetime import datetime, timedelta

        zone = config.hotline_zone()
        previous = datetime.fromtimestamp(last, zone)
        due = previous.replace(hour=at[0], minute=at[1], second=0, microsecond=0)
        if due <= previous:
            due += timedelta(days=1)
        return due.timestamp()

    def maybe_retrain(self) -> dict | None:
        """Retrain when the timer is due (one process does it); the gate decides whether it is published."""
        from server import model_store

        if self.retrain_every_h <= 0:
            return None
        every_s = self.retrain_every_h * 3600
        if claim_time(self.engine, RETRAIN_KEY) is None:
            _set_claim_time(self.engine, RETRAIN_KEY, self.clock())  # the first period starts with the service
            return None
        if not claim(self.engine, RETRAIN_KEY, every_s, self.clock, next_due=self.next_retrain_after):
            return None
        log.info("scheduled retraining (every %s h)", self.retrain_every_h)
        try:
            return model_store.run_retrain(self.engine, "server")
        except Exception:  # boundary of the timer: run_retrain logged it (a bug in full); it tries again next period
            return None


def _starter_key(taxonomy_version: str) -> str:
    return f"job:starter:{taxonomy_version}"[:64]


def _default_model_for(taxonomy_version: str) -> Path | None:
    """The embedded demo model under HOTLINE_HOME (trained by `hotline` on first run) when made for this catalogue."""
    from classifier.model import ModelError, read_meta
    from domain.home import models_dir

    try:
        folder = models_dir() / "default"
        if (folder / "model.json").is_file() and str(read_meta(folder).get("taxonomy_version")) == taxonomy_version:
            return folder
    except (ModelError, OSError):  # none readable there
        return None
    return None


def attach_keeper(app, engine: Engine) -> None:
    """Run a ModelKeeper for as long as the app is served (wraps the app's lifespan).
    HOTLINE_MODEL_KEEPER=off leaves it out (tests of other parts that bring their own model)."""
    if not config.MODEL_KEEPER.get():
        return
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a):
        async with inner(a) as state:
            keeper = ModelKeeper(engine)
            a.state.model_keeper = keeper
            keeper.start()
            try:
                yield state
            finally:
                await run_in_threadpool(keeper.stop)

    app.router.lifespan_context = lifespan
