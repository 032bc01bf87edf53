"""Helpers for the server's tests and benchmarks: a signed-in test client and mutation builders."""

from __future__ import annotations

import itertools
import uuid
from contextlib import contextmanager
from typing import Iterator

from starlette.testclient import TestClient

from domain.wire import SCHEMA_VERSION, SyncPath
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
    """A TestClient with sign-in and push helpers; one mutation counter per client id.

    A push without an explicit client_id goes under a client id the service registered for that user (as a
    console's does); an explicit client_id is sent as given, with its secret when this Api registered it.
    """

    def __init__(self, client: TestClient):
        self.client = client
        self.tokens: dict[str, str] = {}
        self._ids: dict[str, itertools.count] = {}
        self.secrets: dict[str, str] = {}  # client id -> secret, for the ids this Api registered
        self.registered: dict[str, str] = {}  # user -> their default registered client id

    def login(self, name: str, password: str = PASSWORD) -> dict:
        if name not in self.tokens:
            r = self.client.post("/api/v1/auth/token", json={"username": name, "password": password})
            assert r.status_code == 200, r.text
            self.tokens[name] = r.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[name]}"}

    def register(self, user: str, first_mutation_id: int = 1) -> dict:
        """A new client id and secret from the service for `user`; later pushes under it carry the secret."""
        r = self.client.post(SyncPath.REGISTER, json={"first_mutation_id": first_mutation_id}, headers=self.login(user))
        assert r.status_code == 200, r.text
        answer = r.json()
        self.secrets[answer["client_id"]] = answer["client_secret"]
        self._ids[answer["client_id"]] = itertools.count(first_mutation_id)
        return answer

    def client_of(self, user: str) -> str:
        if user not in self.registered:
            self.registered[user] = self.register(user)["client_id"]
        return self.registered[user]

    def next_id(self, client_id: str) -> int:
        return next(self._ids.setdefault(client_id, itertools.count(1)))

    def push_body(self, client_id: str, mutations, first_id: int | None = None) -> dict:
        ids = itertools.count(first_id) if first_id is not None else None
        body = {"client_id": client_id, "schema_version": SCHEMA_VERSION,
                "mutations": [{"id": next(ids) if ids else self.next_id(client_id), "name": name, "args": args}
                              for name, args in mutations]}
        if client_id in self.secrets:
            body["client_secret"] = self.secrets[client_id]
        return body

    def push(self, user: str, *mutations: tuple[str, dict], client_id: str | None = None):
        client_id = client_id or self.client_of(user)
        return self.client.post(SyncPath.PUSH, json=self.push_body(client_id, mutations), headers=self.login(user))

    def push_ok(self, user: str, *mutations, client_id: str | None = None) -> list[dict]:
        r = self.push(user, *mutations, client_id=client_id)
        assert r.status_code == 200, r.text
        return r.json()["results"]

    def pull(self, user: str, cursor: int = 0, **params) -> dict:
        r = self.client.get(SyncPath.PULL, params={"cursor": cursor, **params}, headers=self.login(user))
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

    def reload_all(self, user: str, limit: int = 500, between_pages=None) -> tuple[list[dict], int]:
        """A full reload as a console does it: the snapshot, then the feed from its mark; never a reset."""
        changes: list[dict] = []
        cursor, token = 0, ""
        while True:
            params = {"limit": limit} if token is None else {"limit": limit, "snapshot": token}
            body = self.pull(user, cursor, **params)
            assert not body.get("reset"), body
            changes += body["changes"]
            cursor, token = body["cursor"], body.get("snapshot")
            if not body.get("has_more"):
                return changes, cursor
            if between_pages is not None:
                between_pages()

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
    from domain.taxonomy import load_taxonomy

    # A code of the catalogue in use: the service refuses any other.
    return {"category_code": load_taxonomy().leaves()[0].code, "sub_district_code": "110105001",
            "incident_address": "1 Main Street", **extra}


@contextmanager
def running_api(db_url: str, settings: Settings | None = None) -> Iterator[Api]:
    """The service on `db_url` with the staff accounts, behind a TestClient; `.app` and `.db_url` set."""
    app = make_app(db_url, settings)
    with TestClient(app) as client:
        api = Api(client)
        api.app, api.db_url = app, db_url
        yield api
