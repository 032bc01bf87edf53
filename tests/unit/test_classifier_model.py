"""Model files: save/load round trip, refusing tampered files, building and installing packages."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest

from classifier.model import META_FILE, WEIGHTS_FILE, ModelError, load_model, save_model
from classifier.package import PackageError, build_package, install_package, package_sha256
from classifier.suggester import Suggester
from classifier.training import LabeledRows, TrainOptions, train_rows
from tests.unit.test_classifier_training import tiny_rows

TEXTS = ["广场舞噪音", "停水", "拖欠工资", "street light broken", "路", "", "mixed 路灯 noise"]


@pytest.fixture(params=["cnb-rerank", "cnb", "svm", "nb"])
def model_dir(tmp_path, request):
    rows = tiny_rows(130)  # enough for held-out rows, so re-ranking is part of the default model
    model = train_rows(LabeledRows([r["description"] for r in rows], [r["category"] for r in rows]),
                       options=TrainOptions(algorithm=request.param), taxonomy_version="test-taxonomy-1")
    assert model.extra["training"]["algorithm"] == request.param
    return save_model(model, tmp_path / "model")


def test_round_trip_gives_identical_scores(model_dir, tmp_path):
    first = Suggester.load(model_dir, corrections=False)
    again = save_model(load_model(model_dir), tmp_path / "copy")
    second = Suggester.load(again, corrections=False)
    assert second.version == first.version and second.taxonomy_version == "test-taxonomy-1"
    for text in TEXTS:
        assert np.array_equal(first.probabilities(text), second.probabilities(text))
        assert first.suggest(text) == second.suggest(text)


def test_weights_load_without_pickle(model_dir):
    with np.load(model_dir / WEIGHTS_FILE, allow_pickle=False) as arrays:
        assert all(arrays[name].dtype != object for name in arrays.files)


def test_tampered_weights_are_refused(model_dir):
    path = model_dir / WEIGHTS_FILE
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="does not match its checksum"):
        Suggester.load(model_dir)


def test_tampered_vocabulary_is_refused(model_dir):
    with open(model_dir / "vocab.txt", "a", encoding="utf-8") as handle:
        handle.write("\n恶意")
    with pytest.raises(ModelError, match="checksum"):
        load_model(model_dir)


def test_missing_or_foreign_model_folder(tmp_path):
    with pytest.raises(ModelError, match="No suggestion model"):
        Suggester.load(tmp_path)
    (tmp_path / META_FILE).write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(ModelError, match="not a suggestion model"):
        Suggester.load(tmp_path)


def test_package_round_trip(model_dir, tmp_path):
    data = build_package(model_dir)
    assert build_package(model_dir) == data  # same model, same bytes, same checksum
    installed = install_package(data, package_sha256(data), tmp_path / "installed")
    original = Suggester.load(model_dir, corrections=False)
    assert installed.name == original.version
    copy = Suggester.load(installed, corrections=False)
    for text in TEXTS:
        assert np.array_equal(original.probabilities(text), copy.probabilities(text))
    # Installing the same version again is harmless.
    assert install_package(data, package_sha256(data), tmp_path / "installed") == installed


def test_package_with_wrong_checksum_is_refused(model_dir, tmp_path):
    data = build_package(model_dir)
    with pytest.raises(PackageError, match="checksum"):
        install_package(data, "0" * 64, tmp_path / "installed")
    assert not (tmp_path / "installed").exists() or list((tmp_path / "installed").iterdir()) == []


def _repack(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = change(name, source.read(name))
            if content is not None:
                target.writestr(name, content)
    return out.getvalue()


def test_package_with_a_tampered_file_is_refused_even_with_matching_package_checksum(model_dir, tmp_path):
    def flip(name, content):
        if name == WEIGHTS_FILE:
            content = bytearray(content)
            content[100] ^= 0x01
            return bytes(content)
        return content

    data = _repack(build_package(model_dir), flip)
    with pytest.raises(PackageError, match="failed its checks"):
        install_package(data, package_sha256(data), tmp_path / "installed")
    assert list((tmp_path / "installed").iterdir()) == []


def test_package_with_extra_or_escaping_files_is_refused(model_dir, tmp_path):
    buffer = io.BytesIO(build_package(model_dir))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("../evil.pkl", b"cos\nsystem\n")
    evil = buffer.getvalue()
    with pytest.raises(PackageError, match="unexpected files"):
        install_package(evil, package_sha256(evil), tmp_path / "installed")
    assert not (tmp_path / "evil.pkl").exists()


def test_not_a_zip_is_refused(tmp_path):
    data = b"\x80\x04not a model"
    with pytest.raises(PackageError, match="not a valid package"):
        install_package(data, package_sha256(data), tmp_path / "installed")


def test_a_model_of_the_first_format_still_loads_and_scores_the_same(tmp_path):
    rows = tiny_rows(30)
    model = train_rows(LabeledRows([r["description"] for r in rows], [r["category"] for r in rows]),
                       options=TrainOptions(algorithm="nb"), taxonomy_version="test-taxonomy-1")
    model_dir = save_model(model, tmp_path / "model")
    meta_path = model_dir / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    new = Suggester.load(model_dir, corrections=False)
    meta["format_version"] = 1
    del meta["rerank"]
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    old = Suggester.load(model_dir, corrections=False)
    for text in TEXTS:
        assert np.array_equal(new.probabilities(text), old.probabilities(text))


def test_impossible_rerank_settings_are_refused(tmp_path):
    rows = tiny_rows(130)  # enough for held-out rows, which re-ranking needs
    model = train_rows(LabeledRows([r["description"] for r in rows], [r["category"] for r in rows]))
    assert model.rerank
    model_dir = save_model(model, tmp_path / "model")
    meta_path = model_dir / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["rerank"] = {"candidates": "many"}
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="re-ranking settings"):
        load_model(model_dir)


def test_a_future_format_is_refused_with_a_plain_message(tmp_path):
    rows = tiny_rows(30)
    model_dir = save_model(train_rows(LabeledRows([r["description"] for r in rows], [r["category"] for r in rows])),
                           tmp_path / "model")
    meta_path = model_dir / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["format_version"] = 99
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="format version 99"):
        load_model(model_dir)


def test_probabilities_stay_finite_with_a_sharp_temperature():
    rows = tiny_rows(130)
    model = train_rows(LabeledRows([r["description"] for r in rows], [r["category"] for r in rows]))
    model.rerank["candidates"] = 2  # two shortlisted, two in the tail
    model.group_temperature = 1e6  # the tail's softmax underflows to almost nothing
    suggester = Suggester(model)
    for text in TEXTS:
        probs = suggester.probabilities(text)
        assert np.all(np.isfinite(probs)) and probs.sum() == pytest.approx(1.0)
        assert [s.code for s in suggester.suggest(text)][:2] == [model.labels[i] for i in np.argsort(-probs)[:2]]
