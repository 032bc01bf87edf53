"""Model distribution, anonymised exports and dispatch through the real routing rules and SLA clocks."""

from __future__ import annotations

import hashlib

import pytest
from starlette.testclient import TestClient

from server.db import shared_engine
from server.model_store import store_package
from server.testing import Api, make_app, running_api


@pytest.fixture(autouse=True)
def no_model_keeper(monkeypatch):
    """These tests drive the model routes by hand; the keeper's own publishing is tested in test_server_models_keeper."""
    monkeypatch.setenv("HOTLINE_MODEL_KEEPER", "off")


@pytest.fixture
def api(server_db_url):
    with running_api(server_db_url) as api:
        yield api


def test_latest_model_and_its_package(api):
    headers = api.login("op1")
    r = api.client.get("/api/v1/models/latest", headers=headers)
    assert r.status_code == 404 and "No suggestion model" in r.json()["message"]
    data = b"model bytes \x00\x01" * 100
    store_package(shared_engine(api.db_url), data, "2026.11.27-1", "tax-1", "admin")
    latest = api.client.get("/api/v1/models/latest", headers=headers).json()
    assert latest == {"version": "2026.11.27-1", "taxonomy_version": "tax-1",
                      "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    package = api.client.get("/api/v1/models/2026.11.27-1/package", headers=api.login("hd1"))
    assert package.status_code == 200 and package.content == data
    assert package.headers["X-Model-SHA256"] == latest["sha256"]
    assert api.client.get("/api/v1/models/9.9/package", headers=headers).status_code == 404
    assert api.client.get("/api/v1/models/bad version!/package", headers=headers).status_code == 422


def test_retrain_is_admin_only_and_needs_enough_confirmed_tickets(api):
    assert api.client.post("/api/v1/models/retrain", headers=api.login("sup1")).status_code == 403
    assert api.client.get("/api/v1/models/retrain", headers=api.login("sup1")).status_code == 403
    r = api.client.post("/api/v1/models/retrain", headers=api.login("admin"))
    assert r.status_code == 409 and r.json()["error"] == "too_few_tickets" and "at least" in r.json()["message"]


def test_retrain_from_confirmed_tickets_publishes_a_new_model(sqlite_url):
    from server.demo_seed import seed_demo
    from tests.support import wait_until

    seed_demo(sqlite_url)
    app = make_app(sqlite_url)
    with TestClient(app) as client:
        api = Api(client)
        admin = api.login("admin", "demo")  # the demo seed made these accounts
        operator = api.login("op1", "demo")
        r = client.post("/api/v1/models/retrain", headers=admin)
        assert r.status_code == 202 and r.json()["tickets"] >= 20
        status = wait_until(lambda: (lambda s: s if not s["running"] and s["finished_at"] else None)(
            client.get("/api/v1/models/retrain", headers=admin).json()), timeout=120)
        assert status["last_error"] is None and status["last_version"]
        latest = client.get("/api/v1/models/latest", headers=operator).json()
        assert latest["version"] == status["last_version"] and latest["size"] > 0
        package = client.get(f"/api/v1/models/{latest['version']}/package", headers=operator).content
        assert hashlib.sha256(package).hexdigest() == latest["sha256"]


def test_anonymised_export_suppresses_small_counts_and_is_audited(api):
    big, rare = (c.code for c in pytest.importorskip("domain.taxonomy").load_taxonomy().leaves()[:2])
    for _ in range(6):
        api.create_ticket("op1", category_code=big, sub_district_code="110105001", caller_name="王")
    api.create_ticket("op1", category_code=rare, sub_district_code="110105002")
    month = api.pull("op1")["server_time"][:7]
    r = api.client.get("/api/v1/exports/tickets.csv", params={"month": month}, headers=api.login("sup1"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    text = r.text
    assert f"{big},110105001,,registered,6" in text and f"{rare},110105002,,registered,<5" in text
    assert "13812345678" not in text and "王" not in text and "噪音" not in text
    assert api.client.get("/api/v1/exports/tickets.csv", params={"month": "11/2026"}, headers=api.login("sup1")).status_code == 422
    assert api.client.get("/api/v1/exports/tickets.csv", params={"month": month}, headers=api.login("op1")).status_code == 403
    entries = api.client.get("/api/v1/audit", params={"action": "export"}, headers=api.login("admin")).json()["entries"]
    assert len(entries) == 1 and entries[0]["actor"] == "sup1"


def test_dispatch_routes_by_the_rules_and_starts_the_sla_clock(api):
    taxonomy = pytest.importorskip("domain.taxonomy").load_taxonomy()
    gazetteer = pytest.importorskip("domain.gazetteer").load_gazetteer()
    from domain.routing import route

    category = taxonomy.leaves()[0]
    sub_district = gazetteer.sub_districts[0]
    expected = route(category.code, sub_district.code).unit_code
    tid = api.create_ticket("op1", category_code=category.code, sub_district_code=sub_district.code,
                            incident_address="西长安街1号")
    result = api.push_ok("op1", ("ticket.transition", {"id": tid, "action": "dispatch"}))[0]
    assert result["status"] == "applied", result
    changes, _ = api.pull_all("sup1")
    ticket = {c["ticket"]["id"]: c["ticket"] for c in changes if c["kind"] == "ticket"}[tid]
    assert ticket["status"] == "dispatched" and ticket["unit_code"] == expected
    assert ticket["dispatched_at"] and ticket["due_at"] and ticket["due_at"] > ticket["dispatched_at"]
    event = [c["event"] for c in changes if c["kind"] == "event" and c["event"]["action"] == "dispatch"][0]
    assert event["detail"]["rule_id"] and event["detail"]["accept_due_at"]
    # An unknown category is not even stored: rejected with a reason that names the catalogue.
    result = api.push_ok("op1", ("ticket.create", {"id": "unknown-category", "description": "d",
                                                   "category_code": "99.99.999", "sub_district_code": sub_district.code}))[0]
    assert result["status"] == "rejected" and "catalogue" in result["error"]
