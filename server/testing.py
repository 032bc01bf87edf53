"""Helpers for the server's tests and benchmarks: a signed-in test client and mutation builders."""

from __future__ import annotations

import itertools
import uuid
from contextlib import contextmanager
from typing import Iterator

from starlette.testclient import TestClient

from server.app import create_app
from server.db import write_tx
from server.settings import Settings

PASSWORD = "correct horse"
_PASSWORD_HASH: list[str] = []


def password_hash() -> str:
    if not _PASSWORD_HASH:
        from server.accounts import hash_password

        _PASSWORD_HASH.append(hash_password(PASSWORD))
    return _PASSWORD_HASH[0]


def unit_codes() -> tuple[str, str]:
    """Two real unit codes from the shipped routing data."""
    from domain.routing import load_units

    codes = [u.code for u in load_units()]
    return codes[0], codes[1]


def add_staff(db_url: str) -> dict[str, dict]:
    """op1, op2 (operators), sup1 (supervisor), hd1 / hd2 (handlers of two units), admin."""
    from server.accounts import create_user, find_user
    from server.migrate import migrate

    unit_a, unit_b = unit_codes()
    people = {
        "op1": ("operator", None), "op2": ("operator", None), "sup1": ("supervisor", None),
        "hd1": ("handler", unit_a), "hd2": ("handler", unit_b), "admin": ("admin", None),
    }
    engine = migrate(db_url)
    with write_tx(engine) as conn:
        for name, (role, unit) in people.items():
            if find_user(conn, name) is None:
                create_user(conn, name, role, PASSWORD, unit, password_hash=password_hash())
    return {name: {"role": role, "unit_code": unit} for name, (role, unit) in people.items()}


class Api:
    """A TestClient with sign-in and push helpers; one mutation counter per client id."""

    def __init__(self, client: TestClient):
        self.client = client
        self.tokens: dict[str, str] = {}
        self._ids: dict[str, itertools.count] = {}

    def login(self, name: str, password: str = PASSWORD) -> dict:
        if name not in self.tokens:
            r = self.client.post("/api/v1/auth/token", json={"username": name, "password": password})
            assert r.status_code == 200, r.text
            self.tokens[name] = r.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[name]}"}

    def next_id(self, client_id: str) -> int:
        return next(self._ids.setdefault(client_id, itertools.count(1)))

    def push(self, user: str, *mutations: tuple[str, dict], client_id: str | None = None):
        client_id = client_id or f"client-{user}"
        body = {"client_id": client_id, "schema_version": 1,
                "mutations": [{"id": self.next_id(client_id), "name": name, "args": args} for name, args in mutations]}
        return self.client.post("/api/v1/sync/push", json=body, headers=self.login(user))

    def push_ok(self, user: str, *mutations, client_id: str | None = None) -> list[dict]:
        r = self.push(user, *mutations, client_id=client_id)
        assert r.status_code == 200, r.text
        return r.json()["results"]

    def pull(self, user: str, cursor: int = 0, **params) -> dict:
        r = self.client.get("/api/v1/sync/pull", params={"cursor": cursor, **params}, headers=self.login(user))
        assert r.status_code == 200, r.text
        return r.json()

    def pull_all(self, user: str, cursor: int = 0, limit: int = 500) -> tuple[list[dict], int]:
        changes: list[dict] = []
        while True:
            body = self.pull(user, cursor, limit=limit)
            changes += body["changes"]
            cursor = body["cursor"]
            if not body.get("has_more"):
                return changes, cursor

    def create_ticket(self, user: str = "op1", **fields) -> str:
        ticket_id = fields.pop("id", None) or str(uuid.uuid4())
        args = {"id": ticket_id, "description": "广场舞噪音扰民", "caller_phone": "13812345678", **fields}
        results = self.push_ok(user, ("ticket.create", args))
        assert results[0]["status"] == "applied", results
        return ticket_id

    def dispatch(self, ticket_id: str, unit_code: str, user: str = "op1") -> dict:
        return self.push_ok(user, ("ticket.transition", {"id": ticket_id, "action": "dispatch", "unit_code": unit_code}))[0]


def make_app(db_url: str, settings: Settings | None = None):
    add_staff(db_url)
    return create_app(db_url, settings)


def dispatchable(**extra) -> dict:
    """Ticket fields that satisfy dispatch_problems."""
    return {"category_code": "demo.cat", "sub_district_code": "demo-sd", "incident_address": "1 Main Street", **extra}


@contextmanager
def running_api(db_url: str, settings: Settings | None = None) -> Iterator[Api]:
    """The service on `db_url` with the staff accounts, behind a TestClient; `.app` and `.db_url` set."""
    app = make_app(db_url, settings)
    with TestClient(app) as client:
        api = Api(client)
        api.app, api.db_url = app, db_url
        yield api
