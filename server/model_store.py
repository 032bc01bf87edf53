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


def training_rows(engine: Engine, limit: int = 200_000):
    """Confirmed tickets (dispatched or further, or answered) with their final category, operators' corrections included."""
    t = schema.tickets
    confirmed = [s.value for s in Status if s not in (Status.DRAFT, Status.REGISTERED)]
    with engine.connect() as conn:
        for row in conn.execute(select(t.c.description, t.c.category_code)
                                .where(t.c.status.in_(confirmed), t.c.category_code != "", t.c.description != "")
                                .limit(limit)):
            yield {"text": row[0], "label": row[1]}


def retrain(engine: Engine, actor: str) -> dict:
    from classifier.retrain import retrain_from_rows

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "model"
        base = None
        try:
            from domain.home import models_dir

            candidate = models_dir() / "default"
            base = candidate if candidate.is_dir() else None
        except Exception:
            base = None
        model_dir = retrain_from_rows(list(training_rows(engine)), out, base=base)
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
        try:
            import classifier.retrain  # noqa: F401
        except ImportError:
            raise ApiError(503, "unavailable", "Retraining is not installed on this server.", {"Retry-After": "3600"}) from None
        if not _retraining.acquire(blocking=False):
            raise ApiError(409, "busy", "A retraining is already running; the new model appears when it is done.")

        def run():
            try:
                retrain(engine, user.username)
            except Exception:
                log.exception("retraining failed")
            finally:
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
        return {"status": "started"}
