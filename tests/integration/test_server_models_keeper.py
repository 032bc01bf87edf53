"""A service always has a model to hand out: a starter for its catalogue, built in the background when needed."""

from __future__ import annotations

import json

import pytest

from server.db import shared_engine
from server.testing import running_api
from tests.support import wait_until
from tests.unit.test_catalogue_sync import city_catalogue

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(autouse=True)
def keeper_on(monkeypatch):
    monkeypatch.setenv("HOTLINE_MODEL_KEEPER", "on")
    monkeypatch.setenv("HOTLINE_MODEL_CHECK_S", "0.2")  # notice an import at once (the default is 15 s)
    # The demo recipe builds in seconds; the starter recipe (minutes for 2,000 types) is measured by its bench.
    monkeypatch.setenv("HOTLINE_STARTER_RECIPE", "demo")
    monkeypatch.setenv("HOTLINE_STARTER_DELAY_S", "0")
    monkeypatch.setenv("HOTLINE_STARTER_FALLBACK_TICKETS", "6000")


def latest_for(api, version: str) -> dict | None:
    r = api.client.get("/api/v1/models/latest", headers=api.login("op1"))
    if r.status_code == 404:
        return None
    assert r.status_code == 200, r.text
    body = r.json()
    return body if body["taxonomy_version"] == version else None


def test_a_new_service_publishes_a_starter_model_for_its_catalogue(server_db_url):
    from domain.taxonomy import load_shipped_taxonomy

    shipped = load_shipped_taxonomy().version
    with running_api(server_db_url) as api:
        # The service answers while the starter is prepared.
        assert api.client.get("/api/v1/health").status_code == 200
        catalogue = api.client.get("/api/v1/catalogue", headers=api.login("op1")).json()
        assert catalogue["version"] == shipped and catalogue["types"] == len(load_shipped_taxonomy().leaves())
        info = wait_until(lambda: latest_for(api, shipped), timeout=240, message="no starter model was published")
        package = api.client.get(f"/api/v1/models/{info['version']}/package", headers=api.login("hd1"))
        assert package.status_code == 200 and len(package.content) == info["size"]
        listed = api.client.get("/api/v1/models", headers=api.login("admin")).json()["models"]
        assert listed[0]["version"] == info["version"] and listed[0]["source"] in ("starter", "default")
        assert listed[0]["in_use"] and listed[0]["created_by"] == "server"
        assert api.client.get("/api/v1/models", headers=api.login("op1")).status_code == 403
        file = api.client.get("/api/v1/catalogue/file", params={"version": shipped}, headers=api.login("op1"))
        import hashlib

        assert hashlib.sha256(file.content).hexdigest() == catalogue["sha256"]
        assert api.client.get("/api/v1/catalogue/file", params={"version": "nope"},
                              headers=api.login("op1")).status_code == 404


def test_after_a_catalogue_import_the_service_builds_and_publishes_a_starter_for_it(server_db_url, tmp_path, capsys):
    from domain.taxonomy import catalogue_text, load_taxonomy
    from server.catalogue import import_command

    city = city_catalogue("city-2027.1", types=40)
    source = tmp_path / "city.csv"
    source.write_text(catalogue_text(city), encoding="utf-8")
    with running_api(server_db_url) as api:
        keeper = api.app.state.model_keeper
        assert keeper.wait_rounds(1, timeout=240)
        assert import_command(server_db_url, source, install_locally=False) == 0
        assert "installed taxonomy city-2027.1: 40 types" in capsys.readouterr().out
        info = wait_until(lambda: latest_for(api, "city-2027.1"), timeout=240,
                          message="no starter model for the imported catalogue")
        assert api.client.get("/api/v1/catalogue", headers=api.login("op1")).json()["version"] == "city-2027.1"
        # The service's own routing and checks use the imported catalogue too.
        assert load_taxonomy().version == "city-2027.1"
        package = api.client.get(f"/api/v1/models/{info['version']}/package", headers=api.login("op1")).content
        import io
        import zipfile

        labels = json.loads(zipfile.ZipFile(io.BytesIO(package)).read("model.json"))["labels"]
        assert set(labels) <= {c.code for c in city.leaves()} and len(labels) >= 5
    from server.model_store import list_models

    starter = next(m for m in list_models(shared_engine(server_db_url)) if m["version"] == info["version"])
    assert starter["source"] == "starter" and starter["figures"].get("build_s", 0) > 0


def test_importing_other_contents_under_a_kept_version_is_refused(server_db_url, tmp_path, capsys):
    from domain.taxonomy import catalogue_text
    from server.catalogue import import_command

    first = tmp_path / "a.csv"
    first.write_text(catalogue_text(city_catalogue("city-1", types=20)), encoding="utf-8")
    second = tmp_path / "b.csv"
    second.write_text(catalogue_text(city_catalogue("city-1", types=25)), encoding="utf-8")
    assert import_command(server_db_url, first, install_locally=False) == 0
    assert import_command(server_db_url, second, install_locally=False) == 2
    assert "already has a catalogue with version city-1 and other contents" in capsys.readouterr().err


def test_a_build_whose_service_was_killed_ends_by_itself(tmp_path):
    """A service killed outright (SIGKILL, power cut) cannot stop its starter build: the build must not run on."""
    import signal
    import subprocess
    import sys

    from domain.taxonomy import catalogue_text, load_shipped_taxonomy
    from tests.e2e.harness import REPO

    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(catalogue_text(load_shipped_taxonomy()), encoding="utf-8")
    parent = subprocess.Popen(
        [sys.executable, "-c", "import subprocess, sys, time\n"
         "child = subprocess.Popen([sys.executable, '-m', 'server.starter_build', '--catalogue', sys.argv[1], "
         "'--out', sys.argv[2]], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)\n"
         "print(child.pid, flush=True)\n"
         "child.stdout.readline()\n"  # the build has started (its first progress line)
         "print('building', flush=True)\n"
         "time.sleep(600)\n", str(catalogue), str(tmp_path / "model")],
        cwd=REPO, stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    assert parent.stdout.readline().strip() == "building"
    parent.send_signal(signal.SIGKILL)
    parent.wait()

    def ended() -> bool:
        try:
            with open(f"/proc/{child}/status", encoding="utf-8") as status:
                return any(line.startswith("State:") and "Z" in line for line in status)  # a zombie has ended
        except FileNotFoundError:
            return True

    wait_until(ended, timeout=30, message="the orphaned starter build kept running")
