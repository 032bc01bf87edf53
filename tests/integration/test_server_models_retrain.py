"""Retraining cannot make things worse: a candidate is published only if it does as well on recent tickets."""

from __future__ import annotations

import json
import shutil
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select

from server import schema
from server.db import write_tx
from server.model_store import GateDecision, gate
from tests.integration.test_server_models_publish import trained  # noqa: F401  (fixture)


def test_the_gate_allows_half_a_point_of_top1_and_no_top5():
    published = {"top1": 0.800, "top5": 0.950}
    assert gate({"top1": 0.795, "top5": 0.950}, published).publish
    assert gate({"top1": 0.900, "top5": 0.990}, published).publish
    worse_top1 = gate({"top1": 0.794, "top5": 0.990}, published)
    assert not worse_top1.publish and "top-1 0.7940" in worse_top1.reason
    worse_top5 = gate({"top1": 0.900, "top5": 0.949}, published)
    assert not worse_top5.publish and "top-5" in worse_top5.reason
    assert gate({"top1": 0.1, "top5": 0.2}, None) == GateDecision(True, "no published model to compare with")


def add_confirmed_tickets(engine, labels: set[str], n: int = 300) -> None:
    """Closed tickets of generated calls (newest last), as operators confirmed them."""
    from domain.demo_data import generate

    start = datetime.now(UTC) - timedelta(days=3)
    rows = [r for r in generate(4000, seed=99) if r["category_code"] in labels][:n]
    assert len(rows) == n
    with write_tx(engine) as conn:
        for i, row in enumerate(rows):
            at = (start + timedelta(minutes=i)).isoformat()
            conn.execute(insert(schema.tickets).values(
                id=str(uuid.uuid4()), status="closed", category_code=row["category_code"],
                description=row["description"], request_type=row.get("request_type") or "complaint",
                suggestions=json.dumps([row["category_code"]]), suggestion_rank=1, created_at=at, updated_at=at))


@pytest.fixture
def service_with_model(server_db_url, trained):  # noqa: F811
    from server.migrate import migrate
    from server.model_store import publish_model_dir

    engine = migrate(server_db_url)
    published = publish_model_dir(engine, trained, "admin")
    labels = set(json.loads((trained / "model.json").read_text(encoding="utf-8"))["labels"])
    add_confirmed_tickets(engine, labels)
    return engine, published


def audit_entries(engine, action: str) -> list[dict]:
    a = schema.audit_log
    with engine.connect() as conn:
        return [{**dict(r), "detail": json.loads(r["detail"])} for r in
                conn.execute(select(a).where(a.c.action == action).order_by(a.c.id)).mappings()]


def test_a_worse_candidate_is_refused_and_the_published_model_stays(service_with_model):
    from classifier.retrain import retrain_from_rows
    from server.model_store import HOLDOUT_MIN, latest, list_models, retrain_with_gate

    engine, published = service_with_model

    def scrambled(rows, out, taxonomy):
        # Labels moved one ticket along: a candidate that has learnt the wrong things.
        labels = [r["label"] for r in rows]
        moved = [{**r, "label": labels[(i + 1) % len(labels)]} for i, r in enumerate(rows)]
        return retrain_from_rows(moved, out, taxonomy_version=taxonomy.version)

    result = retrain_with_gate(engine, "admin", trainer=scrambled)
    assert result["decision"] == "refused" and result["against"] == published["version"]
    assert result["holdout"] >= HOLDOUT_MIN and result["trained_on"] + result["holdout"] == 300
    assert result["top1"] < result["against_top1"] - 0.005 and "below the published" in result["reason"]
    assert latest(engine)["version"] == published["version"]  # consoles keep getting the published one
    refused = next(m for m in list_models(engine) if m["version"] == result["version"])
    assert refused["status"] == "refused" and refused["size"] == 0 and not refused["in_use"]
    assert refused["figures"]["top1"] == result["top1"] and refused["figures"]["against_top1"] == result["against_top1"]
    entry = audit_entries(engine, "model_retrain")[-1]["detail"]
    assert entry["decision"] == "refused" and entry["top5"] == result["top5"]
    assert entry["against_top5"] == result["against_top5"]


def test_a_candidate_that_does_as_well_is_published_with_both_figures(service_with_model, trained, tmp_path):  # noqa: F811
    from server.model_store import latest, list_models, retrain_with_gate

    engine, published = service_with_model

    def same_weights(rows, out, taxonomy):
        shutil.copytree(trained, out)
        meta = json.loads((out / "model.json").read_text(encoding="utf-8"))
        meta["version"] = "retrained-same"
        (out / "model.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        return out

    result = retrain_with_gate(engine, "admin", trainer=same_weights)
    assert result["decision"] == "published"
    assert (result["top1"], result["top5"]) == (result["against_top1"], result["against_top5"])
    assert latest(engine)["version"] == "retrained-same"
    listed = {m["version"]: m for m in list_models(engine)}
    assert listed["retrained-same"]["in_use"] and listed["retrained-same"]["source"] == "retrain"
    assert listed["retrained-same"]["figures"]["against"] == published["version"]
    assert audit_entries(engine, "model_retrain")[-1]["detail"]["decision"] == "published"


def test_the_timer_retrains_once_per_period_across_processes(service_with_model, monkeypatch):
    from server import model_store
    from server.model_keeper import ModelKeeper

    monkeypatch.setattr(model_store, "_catalogue_rows", lambda taxonomy: [])  # tickets only: quicker, same timer
    engine, _ = service_with_model
    now = [1_000_000.0]
    first = ModelKeeper(engine, retrain_every_h=6, clock=lambda: now[0])
    second = ModelKeeper(engine, retrain_every_h=6, clock=lambda: now[0])
    assert first.maybe_retrain() is None  # the first period starts with the service
    now[0] += 5 * 3600
    assert first.maybe_retrain() is None and second.maybe_retrain() is None
    now[0] += 2 * 3600
    result = first.maybe_retrain()
    assert result is not None and result["decision"] in ("published", "refused")
    assert second.maybe_retrain() is None  # the other process sees this period was taken
    entry = audit_entries(engine, "model_retrain")[-1]
    assert entry["actor"] == "server" and entry["detail"]["top1"] is not None


def test_too_few_confirmed_tickets_is_said_in_words(server_db_url):
    from classifier.training import TrainingError
    from server.migrate import migrate
    from server.model_store import retrain_with_gate

    with pytest.raises(TrainingError, match="at least 40 are needed"):
        retrain_with_gate(migrate(server_db_url), "admin")


def test_the_default_daily_retraining_is_at_two_in_the_morning_hotline_time(monkeypatch):
    from server.model_keeper import ModelKeeper

    monkeypatch.delenv("HOTLINE_RETRAIN_AT", raising=False)
    monkeypatch.setenv("HOTLINE_TZ", "Asia/Shanghai")
    keeper = ModelKeeper(None, retrain_every_h=24)
    shanghai = timezone(timedelta(hours=8))
    afternoon = datetime(2026, 11, 28, 15, 30, tzinfo=shanghai).timestamp()
    assert keeper.next_retrain_after(afternoon) == datetime(2026, 11, 29, 2, 0, tzinfo=shanghai).timestamp()
    just_before = datetime(2026, 11, 29, 1, 59, tzinfo=shanghai).timestamp()
    assert keeper.next_retrain_after(just_before) == datetime(2026, 11, 29, 2, 0, tzinfo=shanghai).timestamp()
    monkeypatch.setenv("HOTLINE_RETRAIN_AT", "23:15")
    assert keeper.next_retrain_after(afternoon) == datetime(2026, 11, 28, 23, 15, tzinfo=shanghai).timestamp()
    assert ModelKeeper(None, retrain_every_h=6).next_retrain_after(afternoon) == afternoon + 6 * 3600
