"""`hotline model publish` and `hotline model list`: only intact models that fit the service's catalogue go out."""

from __future__ import annotations

import json
import shutil

import pytest

from server.db import shared_engine


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A model trained with `hotline train` on generated calls of the shipped catalogue (a few seconds)."""
    from classifier.training import TrainOptions, train_csv
    from domain.demo_data import write_csv

    root = tmp_path_factory.mktemp("publish-model")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOTLINE_HOME", str(root / "home"))
        (root / "home").mkdir()
        write_csv(root / "calls.csv", 1500, seed=7)
        train_csv(root / "calls.csv", "description", "category_code", root / "model", TrainOptions(n_jobs=1))
    return root / "model"


def copy_with(trained, tmp_path, name: str, **meta_changes):
    """A copy of the trained model whose description says something else (as a model made elsewhere would)."""
    folder = tmp_path / name
    shutil.copytree(trained, folder)
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    meta.update(meta_changes)
    (folder / "model.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return folder


def test_an_intact_fitting_model_is_published_and_listed(server_db_url, trained, capsys):
    from server.model_cli import list_command, publish_command
    from server.model_store import latest, package_bytes

    assert publish_command(server_db_url, trained) == 0
    out = capsys.readouterr().out
    meta = json.loads((trained / "model.json").read_text(encoding="utf-8"))
    assert f"published model {meta['version']} for catalogue bj-demo-2026.11" in out
    engine = shared_engine(server_db_url)
    current = latest(engine)
    assert current["version"] == meta["version"] and current["taxonomy_version"] == "bj-demo-2026.11"
    data, digest = package_bytes(engine, meta["version"])
    import hashlib

    assert hashlib.sha256(data).hexdigest() == digest == current["sha256"]

    assert list_command(server_db_url) == 0
    listing = capsys.readouterr().out
    row = next(line for line in listing.splitlines() if meta["version"] in line)
    assert row.startswith("*") and "published" in row and "publish" in row and "admin" in row
    assert list_command(server_db_url, as_json=True) == 0
    item = json.loads(capsys.readouterr().out.splitlines()[0])
    assert item["version"] == meta["version"] and item["in_use"] and item["created_at"] and item["created_by"] == "admin"
    # Publishing the same model again changes nothing.
    assert publish_command(server_db_url, trained) == 0 and latest(engine)["version"] == meta["version"]


def test_labels_that_are_not_types_of_the_catalogue_are_listed_and_nothing_is_published(server_db_url, trained,
                                                                                        tmp_path, capsys):
    from server.model_cli import publish_command
    from server.model_store import latest

    meta = json.loads((trained / "model.json").read_text(encoding="utf-8"))
    labels = list(meta["labels"])
    domain_code = labels[0].split(".")[0]
    labels[0], labels[1] = "ZZ.01.001", domain_code  # an unknown code, and a domain (not a type)
    folder = copy_with(trained, tmp_path, "foreign-labels", labels=labels, version="foreign-1")
    assert publish_command(server_db_url, folder) == 2
    err = capsys.readouterr().err
    assert "was not published" in err and "2 of its" in err and "ZZ.01.001" in err and f", {domain_code}." in err
    assert latest(shared_engine(server_db_url)) is None


def test_a_tampered_model_fails_its_sha256_and_is_not_published(server_db_url, trained, tmp_path, capsys):
    from server.model_cli import publish_command
    from server.model_store import latest

    folder = tmp_path / "tampered"
    shutil.copytree(trained, folder)
    weights = bytearray((folder / "weights.npz").read_bytes())
    weights[len(weights) // 2] ^= 0xFF
    (folder / "weights.npz").write_bytes(bytes(weights))
    assert publish_command(server_db_url, folder) == 2
    err = capsys.readouterr().err
    assert "not published" in err and "checksum" in err
    assert latest(shared_engine(server_db_url)) is None


def test_a_model_for_a_newer_catalogue_version_is_refused_with_what_to_do(server_db_url, trained, tmp_path, capsys):
    from server.model_cli import publish_command
    from server.model_store import latest

    folder = copy_with(trained, tmp_path, "newer", taxonomy_version="bj-demo-2027.01", version="newer-1")
    assert publish_command(server_db_url, folder) == 2
    err = capsys.readouterr().err
    assert "made for catalogue version bj-demo-2027.01" in err and "uses bj-demo-2026.11" in err
    assert "hotline taxonomy import" in err
    assert latest(shared_engine(server_db_url)) is None


def test_not_a_folder_is_a_clear_message(server_db_url, tmp_path, capsys):
    from server.model_cli import publish_command

    assert publish_command(server_db_url, tmp_path / "nowhere") == 2
    assert "is not a folder" in capsys.readouterr().err


def test_the_service_checks_against_its_own_catalogue_not_this_machines(server_db_url, trained, capsys):
    """A service whose catalogue is a city's own refuses a model of the shipped catalogue, wherever it is run from."""
    from server.catalogue import store_catalogue
    from server.migrate import migrate
    from server.model_cli import publish_command
    from tests.unit.test_catalogue_sync import city_catalogue

    store_catalogue(migrate(server_db_url), city_catalogue("city-2027.1"), "admin")
    assert publish_command(server_db_url, trained) == 2
    assert "not types of the catalogue in use (city-2027.1)" in capsys.readouterr().err
