"""Server sync: idempotent push, gaps, rejections, lifecycle, reassign CAS, last-writer-wins, scoped pull."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from server.testing import Api, dispatchable, make_app, unit_codes


@pytest.fixture
def api(server_db_url):
    app = make_app(server_db_url)
    with TestClient(app) as client:
        yield Api(client)


def tickets_in(changes):
    return {c["ticket"]["id"]: c["ticket"] for c in changes if c["kind"] == "ticket"}


def test_create_assigns_number_status_operator(api):
    tid = api.create_ticket("op1")
    changes, cursor = api.pull_all("op2")
    ticket = tickets_in(changes)[tid]
    assert ticket["status"] == "registered"
    assert ticket["operator"] == "op1"
    assert ticket["number"] and len(ticket["number"]) == len("20261127-000123")
    assert ticket["caller_phone"] == "13812345678"
    assert cursor > 0
