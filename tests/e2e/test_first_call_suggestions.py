"""End to end: a console signed in to a freshly started service suggests from the first call, with no model
copied by hand: the service publishes a starter model for its catalogue and the console gets it (and the
catalogue) through sync."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.e2e.conftest import ACCOUNTS
from tests.e2e.harness import PASSWORD, REPO, ServerProcess, add_users
from tests.gui.test_intake_support import Keyboard, wait_active
from tests.unit.test_catalogue_sync import city_catalogue

pytestmark = pytest.mark.timeout(400)

FIRST_CALL = "小区楼下广场舞噪音太大，晚上十点还在跳，影响休息"


@pytest.fixture
def start_service(server_db_url, tmp_path):
    """A service process on an empty database (the test may import a catalogue first); killed at the end."""
    started: list[ServerProcess] = []

    def start() -> ServerProcess:
        server = ServerProcess(server_db_url, tmp_path / "server-home", env={
            "HOTLINE_MODEL_KEEPER": "on",
            # Where the package ships no starter model for the catalogue, the service builds one: here with the demo
            # recipe, which takes seconds rather than minutes.
            "HOTLINE_STARTER_RECIPE": "demo",
            "HOTLINE_STARTER_DELAY_S": "0",
            "HOTLINE_STARTER_FALLBACK_TICKETS": "6000",
        }).start()
        started.append(server)
        add_users(server_db_url, ACCOUNTS)
        return server

    yield start
    for server in started:
        server.kill()


@pytest.fixture
def open_console(qtbot):
    """The real console (context, window, sync thread) against a service, signed in as an operator."""
    from console.app import Console
    from storage.http_client import login
    from storage.sync import Backoff

    consoles: list = []

    def make(url: str):
        # A console asks for a new model every 15 minutes; here every second, so the test need not wait for the
        # service's build plus a quarter of an hour.
        console = Console(url, embedded=False, engine_options={
            "model_check_s": 1.0, "periodic_pull_s": 1.0, "backoff": Backoff(base=0.05, cap=0.5)})
        consoles.append(console)
        console.ctx.sign_in(login(url, "op1", PASSWORD))
        window = console.start()
        qtbot.addWidget(window)
        wait_active(qtbot, window)
        return console

    yield make
    for console in consoles:
        console.shutdown()


def service_model(url: str) -> dict | None:
    import httpx2

    from storage.http_client import login

    token = login(url, "op1", PASSWORD).token
    response = httpx2.get(url + "/api/v1/models/latest", headers={"Authorization": f"Bearer {token}"},
                          timeout=10, trust_env=False)
    return response.json() if response.status_code == 200 else None


def type_first_call(qtbot, console) -> list[str]:
    """A call comes in (the hot key's new ticket), the operator types what the caller says; the suggestions shown."""
    form = console.window.form
    console.window.take_call("")
    qtbot.waitUntil(form.description.hasFocus)
    Keyboard(qtbot).type(FIRST_CALL)
    # The model may still be on its way from the service: the list fills in when it arrives.
    qtbot.waitUntil(lambda: not form.suggestions_pending() and len(form.suggestions.codes()) == 5, timeout=240_000)
    return form.suggestions.codes()


def test_a_console_on_a_fresh_service_suggests_five_categories_for_the_first_call(qtbot, start_service,
                                                                                  open_console, hotline_home):
    from domain.home import models_dir
    from domain.taxonomy import load_taxonomy

    server = start_service()
    console = open_console(server.url)
    shown = type_first_call(qtbot, console)
    taxonomy = load_taxonomy()
    assert all(taxonomy.get(code) is not None and taxonomy.get(code).is_leaf for code in shown)
    # What suggests is the service's model, fetched through sync into this console's home.
    published = service_model(server.url)
    assert published is not None
    # (A console of a package that ships a starter model suggests from that one until the service's arrives.)
    qtbot.waitUntil(lambda: console.ctx.suggester is not None and console.ctx.suggester.version == published["version"]
                    and models_dir() in console.ctx.suggester.model_dir.parents, timeout=240_000)
    assert console.ctx.sync.state.model_version == published["version"]
    assert "starter model" in server.log_tail(400)


def test_a_city_catalogue_on_the_service_reaches_the_console_and_its_suggestions(qtbot, start_service, open_console,
                                                                                 server_db_url, tmp_path):
    from domain.taxonomy import catalogue_text, load_shipped_taxonomy, load_taxonomy

    city = city_catalogue("city-2027.1", types=40)
    source = tmp_path / "city.csv"
    source.write_text(catalogue_text(city), encoding="utf-8")
    imported = subprocess.run([sys.executable, str(REPO / "main.py"), "taxonomy", "import", str(source),
                               "--db", server_db_url], capture_output=True, text=True, cwd=REPO, timeout=120, check=False)
    assert imported.returncode == 0, imported.stderr
    assert load_taxonomy().version != "city-2027.1"  # --db: this machine's catalogue is untouched

    server = start_service()
    console = open_console(server.url)
    qtbot.waitUntil(lambda: console.ctx.taxonomy.version == "city-2027.1", timeout=60_000)
    assert console.window.form.taxonomy.version == "city-2027.1"
    city_types = {c.code for c in city.leaves()}
    shown = type_first_call(qtbot, console)
    qtbot.waitUntil(lambda: console.ctx.suggester.taxonomy_version == "city-2027.1", timeout=240_000)
    qtbot.waitUntil(lambda: set(console.window.form.suggestions.codes()) <= city_types, timeout=30_000)
    assert len(console.window.form.suggestions.codes()) == 5 and shown
    # Category search uses the service's catalogue: a shipped type the city does not have is not found.
    first = city.leaves()[0]
    assert console.ctx.taxonomy.search(first.code)[0].code == first.code
    dropped = next(c for c in load_shipped_taxonomy().leaves() if c.code not in city_types)
    assert console.ctx.taxonomy.search(dropped.code) == []
