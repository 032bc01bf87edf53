"""Model distribution: suggestion-model packages kept in the database, served to consoles, retrained by an admin.

Packages are opaque bytes built by classifier.package; consoles verify the sha256 and install them
with classifier.package.install_package (which never unpickles network data).
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
import threading
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import Engine, insert, select
from starlette.concurrency import run_in_threadpool

from domain.ticket import Role, Status
from server import audit, schema
from server.db import iso, utcnow, write_tx
from server.errors import ApiError, bad_request, not_found

log = logging.getLogger("hotline.server.models")

_VERSION = re.compile(r"^[A-Za-z0-9_.:+-]{1,64}$")
_retraining = threading.Lock()


def store_package(engine: Engine, data: bytes, version: str, taxonomy_version: str, created_by: str) -> dict:
    """Keep a package under its version (once: a version never changes its bytes)."""
    digest = hashlib.sha256(data).hexdigest()
    with write_tx(engine) as conn:
        existing = conn.execute(select(schema.models.c.sha256).where(schema.models.c.version == version)).first()
        if existing is None:
            conn.execute(insert(schema.models).values(version=version, taxonomy_version=taxonomy_version or "",
                                                      sha256=digest, size=len(data), data=data,
                                                      created_at=iso(utcnow()), created_by=created_by))
    return {"version": version, "taxonomy_version": taxonomy_version or "", "sha256": digest, "size": len(data)}


def publish_model_dir(engine: Engine, model_dir: Path, created_by: str = "server") -> dict:
    """Package a trained model folder (classifier.package) and store it."""
    from classifier.package import build_package

    data = build_package(model_dir)
    version, taxonomy_version = _model_versions(model_dir)
    return store_package(engine, data, version, taxonomy_version, created_by)


def _model_versions(model_dir: Path) -> tuple[str, str]:
    """The model's own version and taxonomy version, read from its description (no weights loaded)."""
    try:
        from classifier.model import read_meta

        meta = read_meta(model_dir)
        version = str(meta.get("version") or "")
        if version and _VERSION.match(version):
            return version, str(meta.get("taxonomy_version") or "")
    except Exception:
        log.warning("model description unreadable; naming the package by its folder")
    digest = hashlib.sha256(str(model_dir).encode()).hexdigest()[:12]
    return f"local-{digest}", ""


def latest(engine: Engine) -> dict | None:
    m = schema.models
    with engine.connect() as conn:
        row = conn.execute(select(m.c.version, m.c.taxonomy_version, m.c.sha256, m.c.size)
                           .order_by(m.c.created_at.desc(), m.c.version.desc()).limit(1)).mappings().first()
    return dict(row) if row else None


def _publish_default_if_any(engine: Engine) -> dict | None:
    """The embedded default: the demo model trained under HOTLINE_HOME, when it is there."""
    try:
        from domain.home import models_dir

        default = models_dir() / "default"
        if default.is_dir() and any(default.iterdir()):
            return publish_model_dir(engine, default, "server")
    except Exception:
        log.exception("could not package the default model")
    return None


_CONFIRMED = [s.value for s in Status if s not in (Status.DRAFT, Status.REGISTERED)]


def _confirmed(query):
    t = schema.tickets
    return query.where(t.c.status.in_(_CONFIRMED), t.c.category_code != "", t.c.description != "")


def training_rows(engine: Engine, limit: int = 200_000) -> list[dict]:
    """Confirmed tickets (answered, dispatched or further) with the category people settled on, which
    includes every operator's correction of a wrong suggestion; newest first."""
    t = schema.tickets
    with engine.connect() as conn:
        rows = conn.execute(_confirmed(select(t.c.description, t.c.category_code, t.c.request_type,
                                              t.c.sub_district_code)).order_by(t.c.created_at.desc()).limit(limit))
        return [{"text": r[0], "label": r[1], "request_type": r[2], "sub_district_code": r[3]} for r in rows]


def confirmed_count(engine: Engine) -> int:
    from sqlalchemy import func

    with engine.connect() as conn:
        return int(conn.execute(_confirmed(select(func.count()).select_from(schema.tickets))).scalar_one())


# What the last retraining did, for GET /api/v1/models/retrain (this process only).
RETRAIN_STATUS: dict = {"running": False, "last_version": None, "last_error": None, "finished_at": None}


def retrain(engine: Engine, actor: str) -> dict:
    from classifier.retrain import retrain_from_rows

    with tempfile.TemporaryDirectory() as tmp:
        base = None
        try:
            from classifier.default_model import default_model_dir

            base = default_model_dir() if default_model_dir().is_dir() else None
        except Exception:
            base = None
        model_dir = retrain_from_rows(training_rows(engine), Path(tmp) / "model", base=base)
        info = publish_model_dir(engine, Path(model_dir), actor)
    log.info("model retrained", extra={"version": info["version"], "by": actor})
    return info


def add_routes(app: FastAPI, engine: Engine, current_user) -> None:
    @app.get("/api/v1/models/latest")
    async def models_latest(request: Request):
        await current_user(request)
        info = await run_in_threadpool(latest, engine)
        if info is None:
            info = await run_in_threadpool(_publish_default_if_any, engine)
        if info is None:
            raise not_found("No suggestion model has been published on the server yet.")
        return info

    @app.get("/api/v1/models/{version}/package")
    async def models_package(version: str, request: Request):
        await current_user(request)
        if not _VERSION.match(version):
            raise bad_request("That is not a model version.")

        def fetch():
            m = schema.models
            with engine.connect() as conn:
                return conn.execute(select(m.c.data, m.c.sha256).where(m.c.version == version)).first()

        row = await run_in_threadpool(fetch)
        if row is None:
            raise not_found(f"There is no model version '{version}'.")
        return Response(bytes(row[0]), media_type="application/octet-stream",
                        headers={"X-Model-SHA256": row[1], "Cache-Control": "private, max-age=31536000, immutable"})

    @app.post("/api/v1/models/retrain", status_code=202)
    async def models_retrain(request: Request):
        """Retrain from confirmed tickets in the background; consoles pick the new model up through sync."""
        user = await current_user(request, Role.ADMIN)
        from classifier.retrain import MIN_ROWS

        have = await run_in_threadpool(confirmed_count, engine)
        if have < MIN_ROWS:
            raise ApiError(409, "too_few_tickets", f"Only {have} confirmed ticket(s) with a description and a category; "
                           f"at least {MIN_ROWS} are needed to retrain.")
        if not _retraining.acquire(blocking=False):
            raise ApiError(409, "busy", "A retraining is already running; the new model appears when it is done.")

        def run():
            from datetime import datetime, timezone

            RETRAIN_STATUS.update(running=True, last_error=None)
            try:
                info = retrain(engine, user.username)
                RETRAIN_STATUS.update(last_version=info["version"])
            except Exception as exc:  # TrainingError says why in words; anything else is logged in full
                log.exception("retraining failed")
                RETRAIN_STATUS.update(last_error=str(exc) or type(exc).__name__)
            finally:
                RETRAIN_STATUS.update(running=False, finished_at=datetime.now(timezone.utc).isoformat())
                _retraining.release()

        def start():
            with write_tx(engine) as conn:
                audit.record(conn, user.username, "retrain", detail={})
            threading.Thread(target=run, name="hotline-retrain", daemon=True).start()

        try:
            await run_in_threadpool(start)
        except BaseException:
            _retraining.release()
            raise
        return {"status": "started", "tickets": have}

    @app.get("/api/v1/models/retrain")
    async def models_retrain_status(request: Request):
        await current_user(request, Role.ADMIN)
        return dict(RETRAIN_STATUS)
