"""The demo's default model: trained from generated tickets when missing, versioned with the taxonomy."""

from __future__ import annotations

from classifier.default_model import ensure_default_model
from classifier.suggester import Suggester
from domain.taxonomy import load_taxonomy


def test_default_model_is_trained_once_and_knows_the_taxonomy(hotline_home):
    model_dir = ensure_default_model(tickets=4000)
    assert model_dir == hotline_home / "models" / "default"
    suggester = Suggester.load(model_dir)
    taxonomy = load_taxonomy()
    assert suggester.taxonomy_version == taxonomy.version
    suggestions = suggester.suggest("小区楼下广场舞噪音扰民")
    assert len(suggestions) == 5
    assert all(taxonomy.get(s.code) is not None for s in suggestions)
    # Present and intact: not trained again.
    assert ensure_default_model(tickets=4000) == model_dir
    assert Suggester.load(model_dir).version == suggester.version


def test_a_damaged_default_model_is_rebuilt(hotline_home):
    model_dir = ensure_default_model(tickets=2000)
    (model_dir / "vocab.txt").write_text("broken", encoding="utf-8")
    rebuilt = ensure_default_model(tickets=2000)
    assert Suggester.load(rebuilt).suggest("停水")
