"""Model distribution: suggestion-model packages kept in the database, served to consoles, checked when published.

Packages are opaque bytes built by classifier.package; consoles verify the sha256 and install them with
classifier.package.install_package (which never unpickles network data). The service always has a model for
the catalogue in use: server.model_keeper publishes a starter model when there is none, and retrains on a timer;
a retrained candidate is published only when it does not do worse (see retrain_with_gate).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import Response
from sqlalchemy import Engine, select
from starlette.concurrency import run_in_threadpool

from domain.taxonomy import Taxonomy
from domain.ticket import Status
from server import audit, schema
from server.api.deps import AdminUser, CurrentUser, DbEngine
from server.db import get_meta, insert_ignore, iso, utcnow, write_tx
from server.errors import ApiError, bad_request, not_found

log = logging.getLogger("hotline.server.models")

_VERSION = re.compile(r"^[A-Za-z0-9_.:+-]{1,64}$")
_retraining = threading.Lock()

# The retrain gate: a candidate may lose this much top-1 (noise on a small held-out slice) and no top-5.
MAX_TOP1_LOSS = 0.005
MAX_TOP5_LOSS = 0.0
HOLDOUT_SHARE = 0.1
HOLDOUT_MIN = 20
HOLDOUT_MAX = 2000
_EPS = 1e-9


class PublishError(Exception):
    """A model that may not be published; the message says why in words and what to do."""


# ---------------------------------------------------------------------------------------------------------
# Storing and reading packages

def store_package(engine: Engine, data: bytes, version: str, taxonomy_version: str, created_by: str, *,
                  source: str = "publish", figures: dict | None = None, status: str = "published") -> dict:
    """Keep a package under its version (once: a version never changes its bytes)."""
    digest = hashlib.sha256(data).hexdigest() if data else ""
    m = schema.models
    with write_tx(engine) as conn:
        existing = conn.execute(select(m.c.sha256, m.c.status).where(m.c.version == version)).first()
        if existing is not None and existing[0] != digest and existing[1] == "published":
            raise PublishError(f"A model with version {version} is already published with other contents; "
                               "a version names one model for good. Train it again (a new version) and publish that.")
        if existing is None:
            # Ignore-on-conflict: two service processes may publish the same packaged starter at once.
            insert_ignore(conn, m, {"version": version, "taxonomy_version": taxonomy_version or "", "sha256": digest,
                                    "size": len(data), "data": data, "created_at": iso(utcnow()),
                                    "created_by": created_by, "status": status, "source": source,
                                    "figures": json.dumps(figures or {}, ensure_ascii=False)})
    return {"version": version, "taxonomy_version": taxonomy_version or "", "sha256": digest, "size": len(data)}


def check_model_dir(model_dir: Path, taxonomy: Taxonomy) -> dict:
    """The model's description once it is intact (every file matches its sha256), loads, and fits `taxonomy`:
    every label one of its types, made for its version. PublishError otherwise, saying which labels do not fit."""
    from classifier.model import ModelError, load_model, read_meta

    model_dir = Path(model_dir)
    try:
        meta = read_meta(model_dir)
        load_model(model_dir)  # checks each file's sha256 against the description, the format and the shapes
    except ModelError as exc:
        raise PublishError(f"The model in {model_dir} was not published: {exc}") from None
    labels = [str(label) for label in meta.get("labels", [])]
    unfit = [label for label in labels if (category := taxonomy.get(label)) is None or not category.is_leaf]
    if unfit:
        shown = ", ".join(unfit[:30]) + (f" ... and {len(unfit) - 30} more" if len(unfit) > 30 else "")
        raise PublishError(
            f"The model was not published: {len(unfit)} of its {len(labels)} labels are not types of the catalogue "
            f"in use ({taxonomy.version}): {shown}. Train it on data labelled with that catalogue's type codes.")
    made_for = str(meta.get("taxonomy_version") or "none")
    if made_for not in ("none", taxonomy.version):
        raise PublishError(
            f"The model was not published: it was made for catalogue version {made_for}, and the service uses "
            f"{taxonomy.version}. Import catalogue {made_for} on the service first (hotline taxonomy import), "
            f"or train the model again with catalogue {taxonomy.version} installed.")
    version = str(meta.get("version") or "")
    if not _VERSION.match(version):
        raise PublishError(f"The model was not published: its version '{version}' is not usable as a name "
                           "(letters, digits and . _ : + - only). Train it again.")
    return meta


def publish_model_dir(engine: Engine, model_dir: Path, created_by: str = "server", *, source: str = "publish",
                      figures: dict | None = None, taxonomy: Taxonomy | None = None) -> dict:
    """Check a trained model folder against the catalogue in use, package it (classifier.package) and publish it."""
    from classifier.package import build_package
    from domain.taxonomy import load_taxonomy

    taxonomy = taxonomy or load_taxonomy()
    meta = check_model_dir(Path(model_dir), taxonomy)
    data = build_package(Path(model_dir))
    figures = dict(figures or {})
    training = (meta.get("extra") or {}).get("training")
    if isinstance(training, dict) and "training" not in figures:
        figures["training"] = {k: v for k, v in training.items() if isinstance(v, (int, float, str))}
    info = store_package(engine, data, str(meta["version"]), taxonomy.version, created_by, source=source,
                         figures=figures)
    with write_tx(engine) as conn:
        audit.record(conn, created_by, "model_publish", detail={"version": info["version"], "source": source,
                                                                "sha256": info["sha256"], "figures": figures})
    log.info("model published", extra={"version": info["version"], "source": source, "by": created_by})
    return info


def active_taxonomy_version(engine: Engine) -> str | None:
    from server.catalogue import ACTIVE_KEY

    with engine.connect() as conn:
        return get_meta(conn, ACTIVE_KEY)


def latest(engine: Engine, taxonomy_version: str | None = None) -> dict | None:
    """The newest published model for the catalogue in use (any, before the service kept a catalogue)."""
    m = schema.models
    wanted = taxonomy_version or active_taxonomy_version(engine)
    query = select(m.c.version, m.c.taxonomy_version, m.c.sha256, m.c.size).where(m.c.status == "published")
    if wanted:
        query = query.where(m.c.taxonomy_version == wanted)
    with engine.connect() as conn:
        row = conn.execute(query.order_by(m.c.created_at.desc(), m.c.version.desc()).limit(1)).mappings().first()
    return dict(row) if row else None


def package_bytes(engine: Engine, version: str) -> tuple[bytes, str] | None:
    m = schema.models
    with engine.connect() as conn:
        row = conn.execute(select(m.c.data, m.c.sha256).where(m.c.version == version, m.c.status == "published")).first()
    return (bytes(row[0]), row[1]) if row else None


def list_models(engine: Engine) -> list[dict]:
    """Every model kept, newest first, with its figures; `in_use` marks what consoles get now."""
    m = schema.models
    in_use = (latest(engine) or {}).get("version")
    with engine.connect() as conn:
        rows = conn.execute(select(m.c.version, m.c.status, m.c.source, m.c.taxonomy_version, m.c.created_at,
                                   m.c.created_by, m.c.size, m.c.sha256, m.c.figures)
                            .order_by(m.c.created_at.desc(), m.c.version.desc())).mappings().all()
    out = []
    for row in rows:
        item = dict(row)
        try:
            item["figures"] = json.loads(item["figures"] or "{}")
        except ValueError:
            item["figures"] = {}
        item["in_use"] = item["version"] == in_use
        out.append(item)
    return out


def install_published(engine: Engine, version: str, dest_root: Path) -> Path | None:
    """A published package unpacked (and verified) under dest_root, to evaluate it here."""
    from classifier.package import install_package

    found = package_bytes(engine, version)
    if found is None:
        return None
    return install_package(found[0], found[1], dest_root)


def _publish_default_if_any(engine: Engine) -> dict | None:
    """The embedded default: the demo model trained under HOTLINE_HOME, when it is there and fits."""
    try:
        from domain.taxonomy import load_taxonomy
        from server.model_keeper import _default_model_for

        default = _default_model_for(load_taxonomy().version)
        if default is not None:
            return publish_model_dir(engine, default, "server", source="default")
    except PublishError as exc:
        log.info("the default model is not for the catalogue in use: %s", exc)
    except Exception:
        log.exception("could not package the default model")
    return None


# ---------------------------------------------------------------------------------------------------------
# Retraining from confirmed tickets, published only when it does not do worse

_CONFIRMED = [s.value for s in Status if s not in (Status.DRAFT, Status.REGISTERED)]


def _confirmed(query):
    t = schema.tickets
    return query.where(t.c.status.in_(_CONFIRMED), t.c.category_code != "", t.c.description != "")


def training_rows(engine: Engine, limit: int = 200_000) -> list[dict]:
    """Confirmed tickets (answered, dispatched or further: closed ones included) with the category people settled
    on, which includes every operator's correction of a wrong suggestion; newest first."""
    t = schema.tickets
    with engine.connect() as conn:
        rows = conn.execute(_confirmed(select(t.c.description, t.c.category_code, t.c.request_type,
                                              t.c.sub_district_code))
                            .order_by(t.c.created_at.desc(), t.c.id).limit(limit))
        return [{"text": r[0], "label": r[1], "request_type": r[2], "sub_district_code": r[3]} for r in rows]


def confirmed_count(engine: Engine) -> int:
    from sqlalchemy import func

    with engine.connect() as conn:
        return int(conn.execute(_confirmed(select(func.count()).select_from(schema.tickets))).scalar_one())


@dataclass(frozen=True)
class GateDecision:
    publish: bool
    reason: str


def gate(candidate: dict, published: dict | None) -> GateDecision:
    """Publish a candidate only if its top-1 is at most MAX_TOP1_LOSS below the published model's and its
    top-5 not below it, both on the same held-out tickets."""
    if published is None:
        return GateDecision(True, "no published model to compare with")
    top1_loss = published["top1"] - candidate["top1"]
    top5_loss = published["top5"] - candidate["top5"]
    if top1_loss > MAX_TOP1_LOSS + _EPS:
        return GateDecision(False, f"top-1 {candidate['top1']:.4f} is {top1_loss:.4f} below the published "
                                   f"{published['top1']:.4f} (at most {MAX_TOP1_LOSS} allowed)")
    if top5_loss > MAX_TOP5_LOSS + _EPS:
        return GateDecision(False, f"top-5 {candidate['top5']:.4f} is below the published {published['top5']:.4f}")
    return GateDecision(True, f"top-1 {candidate['top1']:.4f} vs {published['top1']:.4f}, "
                              f"top-5 {candidate['top5']:.4f} vs {published['top5']:.4f}")


def split_holdout(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """(held out, for training): the most recent confirmed tickets are held out (rows come newest first)."""
    n = min(HOLDOUT_MAX, max(HOLDOUT_MIN, round(len(rows) * HOLDOUT_SHARE)))
    return rows[:n], rows[n:]


def _figures_on(model_dir: Path, rows: list[dict]) -> dict:
    from classifier.evaluation import evaluate_texts
    from classifier.suggester import Suggester

    suggester = Suggester.load(Path(model_dir), corrections=False)
    figures = evaluate_texts(suggester, [r["text"] for r in rows], [r["label"] for r in rows], None,
                             max_latency_samples=1)
    return {"top1": figures["top1"], "top5": figures["top5"], "n": figures["n"]}


def retrain_with_gate(engine: Engine, actor: str, *, trainer=None) -> dict:
    """Train a candidate on confirmed tickets (the most recent held out), compare it with the published model on
    those held-out tickets, publish it only if the gate lets it through; both figures go to the audit log and
    to the models list. Raises TrainingError when there are too few tickets; nothing is changed then.

    trainer(rows, out_dir, taxonomy) -> model folder; default: classifier.retrain.retrain_from_rows."""
    from classifier.model import read_meta
    from classifier.retrain import MIN_ROWS, retrain_from_rows
    from classifier.training import TrainingError
    from server.catalogue import active_taxonomy

    taxonomy = active_taxonomy(engine)
    rows = [r for r in training_rows(engine)
            if (c := taxonomy.get(r["label"])) is not None and c.is_leaf]  # tickets of an older catalogue teach nothing
    held, train = split_holdout(rows)
    if len(train) < MIN_ROWS:
        raise TrainingError(f"Only {len(rows)} confirmed ticket(s) of catalogue {taxonomy.version}; at least "
                            f"{MIN_ROWS + HOLDOUT_MIN} are needed to retrain ({HOLDOUT_MIN} are held out to compare).")

    def default_trainer(rows_, out, taxonomy_):
        rows_ = list(rows_) + _catalogue_rows(taxonomy_)
        groups = {code: (taxonomy_.domain_of(code).code if taxonomy_.domain_of(code) else "other")
                  for code in {r["label"] for r in rows_}}
        return retrain_from_rows(rows_, out, taxonomy_version=taxonomy_.version, groups=groups)

    trainer = trainer or default_trainer
    with tempfile.TemporaryDirectory(prefix="hotline-retrain-") as tmp:
        candidate_dir = Path(trainer(train, Path(tmp) / "candidate", taxonomy))
        version = str(read_meta(candidate_dir)["version"])
        candidate = _figures_on(candidate_dir, held)
        current = latest(engine, taxonomy.version)
        published = None
        if current is not None:
            installed = install_published(engine, current["version"], Path(tmp) / "published")
            published = _figures_on(installed, held) if installed else None
        decision = gate(candidate, published)
        figures = {"holdout": len(held), "trained_on": len(train), "top1": candidate["top1"],
                   "top5": candidate["top5"], "against": current["version"] if current else None,
                   "against_top1": published["top1"] if published else None,
                   "against_top5": published["top5"] if published else None,
                   "decision": "published" if decision.publish else "refused", "reason": decision.reason}
        if decision.publish:
            publish_model_dir(engine, candidate_dir, actor, source="retrain", figures=figures, taxonomy=taxonomy)
        else:
            store_package(engine, b"", version, taxonomy.version, actor, source="retrain", figures=figures,
                          status="refused")
    with write_tx(engine) as conn:
        audit.record(conn, actor, "model_retrain", detail={"version": version, **figures})
    log.info("retrained candidate %s %s: %s", version, figures["decision"], decision.reason)
    return {"version": version, **figures}


def _catalogue_rows(taxonomy) -> list[dict]:
    """The catalogue's own names and keywords as extra training rows (the starter recipe's), so a model retrained
    from a few weeks of tickets still knows the types nobody has called about yet."""
    try:
        from classifier.starter import catalogue_rows
    except ImportError:
        return []
    texts, labels = catalogue_rows(taxonomy)
    return [{"text": text, "label": label} for text, label in zip(texts, labels)]


# What the last retraining did, for GET /api/v1/models/retrain (this process only).
RETRAIN_STATUS: dict = {"running": False, "last_version": None, "last_error": None, "finished_at": None,
                        "last_decision": None}


def run_retrain(engine: Engine, actor: str) -> dict | None:
    """One retraining at a time in this process (the on-command route and the timer share it); None when busy."""
    from datetime import datetime

    if not _retraining.acquire(blocking=False):
        return None
    RETRAIN_STATUS.update(running=True, last_error=None)
    try:
        result = retrain_with_gate(engine, actor)
        RETRAIN_STATUS.update(last_version=result["version"], last_decision=result["decision"])
        return result
    except Exception as exc:  # TrainingError says why in words; anything else is logged in full
        if type(exc).__name__ == "TrainingError":
            log.info("retraining skipped: %s", exc)
        else:
            log.exception("retraining failed")
        RETRAIN_STATUS.update(last_error=str(exc) or type(exc).__name__)
        raise
    finally:
        RETRAIN_STATUS.update(running=False, finished_at=datetime.now(UTC).isoformat())
        _retraining.release()


# ---------------------------------------------------------------------------------------------------------
# Routes

router = APIRouter(prefix="/api/v1", tags=["models"])


@router.get("/models/latest")
async def models_latest(user: CurrentUser, engine: DbEngine):
    info = await run_in_threadpool(latest, engine)
    if info is None:
        info = await run_in_threadpool(_publish_default_if_any, engine)
    if info is None:
        raise not_found("No suggestion model for the catalogue in use yet: the service is building a starter model; "
                        "consoles use the one they have meanwhile.")
    return info


@router.get("/models")
async def models_list(user: AdminUser, engine: DbEngine):
    return {"models": await run_in_threadpool(list_models, engine)}


@router.get("/models/{version}/package")
async def models_package(version: str, user: CurrentUser, engine: DbEngine):
    if not _VERSION.match(version):
        raise bad_request("That is not a model version.")
    found = await run_in_threadpool(package_bytes, engine, version)
    if found is None:
        raise not_found(f"There is no model version '{version}'.")
    return Response(found[0], media_type="application/octet-stream",
                    headers={"X-Model-SHA256": found[1], "Cache-Control": "private, max-age=31536000, immutable"})


@router.post("/models/retrain", status_code=202)
async def models_retrain(user: AdminUser, engine: DbEngine):
    """Retrain from confirmed tickets in the background; published only if it does not do worse."""
    from classifier.retrain import MIN_ROWS

    have = await run_in_threadpool(confirmed_count, engine)
    if have < MIN_ROWS + HOLDOUT_MIN:
        raise ApiError(409, "too_few_tickets", f"Only {have} confirmed ticket(s) with a description and a category; "
                       f"at least {MIN_ROWS + HOLDOUT_MIN} are needed to retrain.")
    if RETRAIN_STATUS["running"]:
        raise ApiError(409, "busy", "A retraining is already running; the new model appears when it is done.")

    def run():
        try:
            run_retrain(engine, user.username)
        except Exception:  # boundary of the retraining thread: run_retrain logged it and put it in RETRAIN_STATUS
            pass

    def start():
        with write_tx(engine) as conn:
            audit.record(conn, user.username, "retrain", detail={})
        RETRAIN_STATUS.update(running=True, finished_at=None)
        threading.Thread(target=run, name="hotline-retrain", daemon=True).start()

    await run_in_threadpool(start)
    return {"status": "started", "tickets": have}


@router.get("/models/retrain")
async def models_retrain_status(user: AdminUser):
    return dict(RETRAIN_STATUS)


def add_routes(app: FastAPI, engine: Engine, current_user=None) -> None:
    """Model and catalogue routes, and the keeper that makes sure there is always a model (started with the app)."""
    from server import catalogue
    from server.model_keeper import attach_keeper

    app.include_router(router)
    app.include_router(catalogue.router)
    attach_keeper(app, engine)
