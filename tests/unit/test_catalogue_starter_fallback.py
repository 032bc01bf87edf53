"""A console with no model of its own uses the starter model shipped in the package; a model made for the catalogue
in use wins over both the starter and models of another catalogue."""

from __future__ import annotations

import json
import os
import shutil
import sys
import types

import pytest

from tests.integration.test_server_models_publish import trained  # noqa: F401  (fixture)


@pytest.fixture
def packaged(monkeypatch, trained, tmp_path):  # noqa: F811
    """The package's starter model: a trained model of the shipped catalogue, where the package would keep it."""
    folder = tmp_path / "site-packages" / "starter"
    shutil.copytree(trained, folder)
    module = types.ModuleType("classifier.starter")
    module.packaged_starter_dir = lambda: folder
    monkeypatch.setitem(sys.modules, "classifier.starter", module)
    return folder


def model_copy(trained, root, name: str, mtime: int, **meta_changes):  # noqa: F811
    folder = root / name
    shutil.copytree(trained, folder)
    if meta_changes:
        meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        meta.update(meta_changes)
        (folder / "model.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    os.utime(folder, (mtime, mtime))
    return folder


def test_with_no_model_the_console_suggests_from_the_packaged_starter(packaged):
    from classifier.suggester import Suggester
    from console.context import default_model_dir

    chosen = default_model_dir(embedded=False)
    assert chosen == packaged
    suggestions = Suggester.load(chosen, corrections=False).suggest("小区楼下广场舞噪音太大，晚上还在跳", k=5)
    assert len(suggestions) == 5


def test_the_starter_beats_a_model_of_another_catalogue_and_a_model_of_this_one_beats_the_starter(
        packaged, trained, hotline_home):  # noqa: F811
    from console.context import default_model_dir
    from domain.home import models_dir

    meta = json.loads((trained / "model.json").read_text(encoding="utf-8"))
    model_copy(trained, models_dir(), "other-catalogue", 1_900_000_000, taxonomy_version="city-2027.1",
               labels=["ZZ.01.001", *meta["labels"][1:]])
    assert default_model_dir(embedded=False) == packaged
    synced = model_copy(trained, models_dir(), "from-the-service", 1_800_000_000)
    assert default_model_dir(embedded=False) == synced


def test_a_city_catalogue_never_gets_the_shipped_catalogues_starter(packaged, hotline_home):
    """A console whose catalogue is a city's own waits for the service's model rather than suggest types the city
    does not have."""
    from console.context import default_model_dir
    from domain.taxonomy import catalogue_text, install_catalogue_text
    from tests.unit.test_catalogue_sync import city_catalogue

    install_catalogue_text(catalogue_text(city_catalogue("city-2027.1")))
    assert default_model_dir(embedded=False) is None


def test_without_a_packaged_starter_a_console_with_no_model_waits_for_one(monkeypatch):
    from console.context import default_model_dir, packaged_starter_dir

    monkeypatch.setitem(sys.modules, "classifier.starter", None)  # an installation without the starter module
    assert packaged_starter_dir() is None and default_model_dir(embedded=False) is None


def test_the_real_packaged_starter_model_suggests_five_for_the_shipped_catalogue():
    starter = pytest.importorskip("classifier.starter")
    from classifier.suggester import Suggester
    from console.context import default_model_dir
    from domain.taxonomy import load_taxonomy

    folder = starter.packaged_starter_dir()
    assert folder is not None and default_model_dir(embedded=False) == folder
    suggester = Suggester.load(folder, corrections=False)
    assert suggester.taxonomy_version == load_taxonomy().version
    assert len(suggester.suggest("小区楼下广场舞噪音太大", k=5)) == 5
