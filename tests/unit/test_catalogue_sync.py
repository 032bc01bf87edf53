"""A console installs the service's catalogue through sync, checked: damaged or invalid ones never replace its own."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

import httpx2
import pytest

from domain.taxonomy import (
    Category,
    Taxonomy,
    catalogue_text,
    load_shipped_taxonomy,
    load_taxonomy,
)


def city_catalogue(version: str = "city-2027.1", types: int = 30) -> Taxonomy:
    """A small city catalogue: the shipped one's first types with their domains and categories."""
    shipped = load_shipped_taxonomy()
    keep: dict[str, object] = {}
    for leaf in shipped.leaves()[:types]:
        for node in shipped.path(leaf.code):
            keep[node.code] = node
    return Taxonomy(version, list(keep.values()))


def fake_service(text: str, sha256: str | None = None, *, version: str | None = None):
    """A sync engine stand-in whose HTTP client answers like the service's catalogue routes."""
    data = text.encode("utf-8")
    version = version or text.splitlines()[0].split(":", 1)[1].strip()
    served = {"files": 0}

    def handler(request: httpx2.Request) -> httpx2.Response:
        assert request.headers["Authorization"] == "Bearer t0k"
        if request.url.path == "/api/v1/catalogue":
            return httpx2.Response(200, json={"version": version, "sha256": sha256 or hashlib.sha256(data).hexdigest(),
                                              "types": 30})
        if request.url.path == "/api/v1/catalogue/file":
            assert request.url.params["version"] == version
            served["files"] += 1
            return httpx2.Response(200, content=data, headers={"Content-Type": "text/csv"})
        return httpx2.Response(404, json={"error": "not_found", "message": "nothing here"})

    arrived: list = []
    engine = SimpleNamespace(server_url="http://service", token_provider=lambda: "t0k", model_check_s=900.0,
                             client=httpx2.Client(transport=httpx2.MockTransport(handler)),
                             on_catalogue=arrived.append)
    return engine, arrived, served


def test_the_services_catalogue_is_installed_and_used():
    from storage.catalogue_sync import check_catalogue

    city = city_catalogue()
    engine, arrived, served = fake_service(catalogue_text(city))
    installed = check_catalogue(engine)
    assert installed is not None and installed.version == "city-2027.1"
    active = load_taxonomy()
    assert active.version == "city-2027.1" and len(active.leaves()) == 30
    # Search and routing read the active catalogue: a type of the shipped one that the city dropped is gone.
    dropped = load_shipped_taxonomy().leaves()[100]
    assert active.get(dropped.code) is None and active.search(city.leaves()[0].name_zh)[0].code == city.leaves()[0].code
    assert [t.version for t in arrived] == ["city-2027.1"]
    # The same version again: nothing fetched.
    assert check_catalogue(engine) is None and served["files"] == 1


def test_a_damaged_catalogue_is_refused_and_ours_stays():
    from storage.catalogue_sync import CatalogueError, check_catalogue

    text = catalogue_text(city_catalogue())
    engine, arrived, _ = fake_service(text, sha256=hashlib.sha256(b"something else").hexdigest())
    with pytest.raises(CatalogueError, match="checksum"):
        check_catalogue(engine)
    assert load_taxonomy().version == load_shipped_taxonomy().version and not arrived


def test_an_invalid_catalogue_is_refused_with_its_problems_and_ours_stays():
    from storage.catalogue_sync import CatalogueError, check_catalogue

    city = city_catalogue()
    orphan = Category(**{**vars(city.leaves()[0]), "code": "99.99.999", "parent_code": "99.99"})
    # A type whose parent is missing: the console validates what it receives as an import would.
    engine, arrived, _ = fake_service(catalogue_text(Taxonomy(city.version, [*city.categories, orphan])))
    with pytest.raises(CatalogueError, match="99.99"):
        check_catalogue(engine)
    assert load_taxonomy().version == load_shipped_taxonomy().version and not arrived


def test_a_failed_check_never_stops_sync_and_waits_before_trying_again(caplog):
    from storage.catalogue_sync import maybe_check_catalogue

    engine, _, served = fake_service(catalogue_text(city_catalogue()), sha256="0" * 64)
    maybe_check_catalogue(engine)  # logs, does not raise
    maybe_check_catalogue(engine)  # within model_check_s: not asked again
    assert served["files"] == 1 and "catalogue update skipped" in caplog.text


def test_until_the_service_has_a_model_for_the_catalogue_the_console_asks_every_minute():
    import time

    from storage.catalogue_sync import NO_MODEL_RECHECK_S, maybe_check_catalogue

    engine, _, served = fake_service(catalogue_text(load_shipped_taxonomy()))
    meta: dict = {}
    engine.cache = SimpleNamespace(get_meta=meta.get)
    engine._next_model_check = time.monotonic() + 900
    maybe_check_catalogue(engine)  # the same catalogue: nothing fetched, but no model from the service yet
    assert served["files"] == 0 and engine._next_model_check <= time.monotonic() + NO_MODEL_RECHECK_S

    city_engine, _, _ = fake_service(catalogue_text(city_catalogue()))
    city_engine.cache = SimpleNamespace(get_meta=meta.get)
    city_engine._next_model_check = time.monotonic() + 900
    maybe_check_catalogue(city_engine)  # a new catalogue: the model made for it is asked for at once
    assert city_engine._next_model_check == 0.0
