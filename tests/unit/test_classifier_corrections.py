"""Operators' corrections: they change the next suggestions at once and are kept for retraining."""

from __future__ import annotations

import json

import pytest

from classifier.model import save_model
from classifier.retrain import retrain_from_rows
from classifier.suggester import Suggester, corrections_path, read_corrections
from classifier.training import LabeledRows, TrainingError, train_rows
from tests.unit.test_classifier_training import tiny_rows


@pytest.fixture
def model_dir(tmp_path):
    rows = tiny_rows(30)
    model = train_rows(LabeledRows([r["description"] for r in rows], [r["category"] for r in rows]))
    return save_model(model, tmp_path / "model")


def _rank(suggester, text, code):
    codes = [s.code for s in suggester.suggest(text)]
    return codes.index(code)


def test_a_correction_changes_the_next_ranking_at_once(model_dir):
    suggester = Suggester.load(model_dir)
    text = "楼上噪音很大，水管也漏水"
    first = suggester.suggest(text)[0].code
    chosen = "water" if first != "water" else "noise"
    before = _rank(suggester, text, chosen)
    assert before > 0
    suggester.learn_correction(text, chosen)
    assert suggester.suggest(text)[0].code == chosen
    # A similar text (not the same) also ranks the chosen type higher than before.
    assert _rank(suggester, "楼上噪音很大，水管漏水了", chosen) < before


def test_unrelated_texts_are_not_affected(model_dir):
    suggester = Suggester.load(model_dir)
    before = suggester.suggest("公司拖欠工资")
    suggester.learn_correction("路灯不亮了", "noise")
    assert suggester.suggest("公司拖欠工资") == before


def test_corrections_survive_a_restart_and_feed_retraining(model_dir, tmp_path):
    text = "楼上噪音很大，水管也漏水"
    Suggester.load(model_dir).learn_correction(text, "water")
    lines = corrections_path().read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1])["text"] == text and json.loads(lines[-1])["code"] == "water"
    assert [(e["text"], e["code"]) for e in read_corrections()] == [(text, "water")]
    restarted = Suggester.load(model_dir)
    assert restarted.suggest(text)[0].code == "water"

    # The server retrains from confirmed tickets, the corrected one among them.
    rows = [{"text": r["description"], "label": r["category"]} for r in tiny_rows(20)]
    rows += [{"text": text, "label": "water"}] * 5
    out = retrain_from_rows(rows, tmp_path / "retrained", base=model_dir)
    retrained = Suggester.load(out, corrections=False)
    assert set(retrained.labels) == {"noise", "water", "wages", "streetlight"}
    assert retrained.version != restarted.version


def test_a_damaged_last_line_is_skipped(model_dir):
    suggester = Suggester.load(model_dir)
    suggester.learn_correction("路灯不亮", "water")
    with open(corrections_path(), "a", encoding="utf-8") as handle:
        handle.write('{"text": "half writ')
    assert Suggester.load(model_dir).suggest("路灯不亮")[0].code == "water"


def test_retraining_needs_enough_rows(tmp_path):
    with pytest.raises(TrainingError, match="at least"):
        retrain_from_rows([{"text": "路灯", "label": "a"}], tmp_path / "m")
