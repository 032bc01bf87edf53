"""End-to-end fixtures: one service process per module and database, with the hotline's accounts."""

from __future__ import annotations

import pytest

from tests.e2e.harness import ServerProcess, add_user, add_users
from tests.support import server_database


def _two_sub_district_units() -> tuple[str, str]:
    """Two real units, so a re-dispatch moves a ticket out of one handler's scope into another's."""
    from domain.routing import load_units

    codes = sorted(u.code for u in load_units() if u.kind == "sub_district")
    return codes[0], codes[1]


UNIT_X, UNIT_Y = _two_sub_district_units()
ACCOUNTS = [
    ("op1", "operator", None),
    ("op2", "operator", None),
    ("sup1", "supervisor", None),
    ("sup2", "supervisor", None),
    ("hdx", "handler", UNIT_X),
    ("hdy", "handler", UNIT_Y),
]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def module_db_url(request, tmp_path_factory):
    """Like `server_db_url`, but shared by a module's tests so the service starts once per database."""
    with server_database(request.param, tmp_path_factory.mktemp("server-db")) as url:
        yield url


@pytest.fixture(scope="module")
def service(module_db_url, tmp_path_factory):
    """The service process with the accounts above; killed at the end of the module."""
    server = ServerProcess(module_db_url, tmp_path_factory.mktemp("server-home")).start()  # creates the schema
    # One account as an administrator makes it (the command line, password on stdin), the rest in one go.
    add_user(module_db_url, *ACCOUNTS[0][:2])
    add_users(module_db_url, ACCOUNTS[1:])
    yield server
    server.kill()


@pytest.fixture
def fresh_service(server_db_url, tmp_path):
    """A service of the test's own (for tests that kill or restart it)."""
    server = ServerProcess(server_db_url, tmp_path / "server-home").start()
    add_users(server_db_url, ACCOUNTS)
    yield server
    server.kill()
