"""Training and evaluating suggestion models from labeled CSVs; clear errors for bad CSVs."""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from classifier.evaluation import evaluate_csv
from classifier.suggester import Suggester
from classifier.training import TrainingError, train_csv

REPO = Path(__file__).resolve().parents[2]

# A tiny hotline: Chinese and English descriptions of four types.
PHRASES = {
    "noise": ["广场舞噪音扰民", "楼上装修噪音太大", "夜间施工噪音", "loud music at night noise", "construction noise late"],
    "water": ["小区停水没有通知", "自来水水压太低", "水管爆裂漏水", "no water in the building", "burst water pipe leaking"],
    "wages": ["公司拖欠工资", "老板不发工资", "农民工讨薪", "employer owes unpaid wages", "salary not paid for months"],
    "streetlight": ["路灯不亮", "小区路灯坏了很久", "路灯晚上一直不亮", "street light broken", "streetlights are dark"],
}
OPENINGS = ["市民反映", "来电人称", "", "我要反映", "caller says", "hello"]
CLOSINGS = ["，希望尽快处理", "，已经好几天了", "", " please help", " since last week"]
PLACES = ["朝阳区望京街道", "海淀区中关村", "西城区", "Dongcheng district"]


def tiny_rows(n_per_type: int = 40, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for label, phrases in PHRASES.items():
        for _ in range(n_per_type):
            text = rng.choice(OPENINGS) + rng.choice(phrases) + rng.choice(CLOSINGS) + " " + rng.choice(PLACES)
            rows.append({"description": text.strip(), "category": label})
    rng.shuffle(rows)
    return rows


def write_csv(path: Path, rows: list[dict], columns=("description", "category")) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def tiny_model(tmp_path) -> Path:
    data = write_csv(tmp_path / "tiny.csv", tiny_rows())
    out = tmp_path / "model"
    summary = train_csv(data, "description", "category", out)
    assert summary["types"] == 4
    return out


def test_tiny_chinese_and_english_model_suggests_the_right_type(tiny_model):
    suggester = Suggester.load(tiny_model)
    assert suggester.suggest("小区楼下广场舞噪音扰民")[0].code == "noise"
    assert suggester.suggest("家里停水了，水压很低")[0].code == "water"
    assert suggester.suggest("The company owes me unpaid wages")[0].code == "wages"
    assert suggester.suggest("路灯坏了 street light")[0].code == "streetlight"


def test_scores_are_probabilities_in_order(tiny_model):
    suggestions = Suggester.load(tiny_model).suggest("公司拖欠工资", k=5)
    assert len(suggestions) == 4  # only four types exist
    scores = [s.score for s in suggestions]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert sum(scores) == pytest.approx(1.0, abs=1e-6)
    assert scores[0] > 0.5


def test_suggestions_from_a_half_typed_text(tiny_model):
    suggester = Suggester.load(tiny_model)
    assert suggester.suggest("拖欠工")[0].code == "wages"
    assert suggester.suggest("路灯")[0].code == "streetlight"
    assert suggester.suggest("street lig")[0].code == "streetlight"
    # Nothing typed yet still answers (the most common types), never raises.
    assert len(suggester.suggest("")) == 4


def test_context_is_optional_and_accepted(tiny_model):
    suggestions = Suggester.load(tiny_model).suggest("噪音", request_type="complaint", sub_district_code="110105001")
    assert suggestions[0].code == "noise"


def test_evaluate_reports_accuracy_and_latency(tiny_model, tmp_path):
    data = write_csv(tmp_path / "test.csv", tiny_rows(10, seed=2))
    figures = evaluate_csv(tiny_model, data, "description", "category")
    assert set(figures) >= {"n", "top1", "top3", "top5", "macro_f1", "p50_ms", "p99_ms", "model_bytes"}
    assert figures["n"] == 40
    assert figures["top1"] >= 0.9 and figures["top5"] == 1.0
    assert figures["macro_f1"] >= 0.9
    assert figures["model_bytes"] > 0


def test_missing_column_names_the_columns_that_exist(tmp_path):
    data = write_csv(tmp_path / "bad.csv", tiny_rows(3))
    with pytest.raises(TrainingError) as caught:
        train_csv(data, "text", "category", tmp_path / "m")
    message = str(caught.value)
    assert "'text'" in message and "description" in message and "category" in message


def test_empty_text_rows_are_named_by_line(tmp_path):
    rows = tiny_rows(3)
    rows[4]["description"] = "   "
    data = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(TrainingError, match=r"no text in column 'description' \(line 6\)"):
        train_csv(data, "description", "category", tmp_path / "m")
    assert not (tmp_path / "m").exists()


def test_a_single_label_cannot_train(tmp_path):
    rows = [{"description": f"路灯不亮 {i}", "category": "streetlight"} for i in range(20)]
    data = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(TrainingError, match="at least two different labels"):
        train_csv(data, "description", "category", tmp_path / "m")


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "empty"),
        (b"description,category\n", "no rows"),
        ("description,category\n路灯,x\n".encode("gbk"), "not UTF-8"),
    ],
)
def test_unreadable_files_give_clear_errors(tmp_path, content, expected):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(TrainingError, match=expected):
        train_csv(path, "description", "category", tmp_path / "m")


def test_missing_file(tmp_path):
    with pytest.raises(TrainingError, match="does not exist"):
        train_csv(tmp_path / "nope.csv", "description", "category", tmp_path / "m")


def test_command_line_train_and_evaluate(tmp_path):
    data = write_csv(tmp_path / "tiny.csv", tiny_rows(25))
    out = tmp_path / "cli-model"
    train = subprocess.run(
        [sys.executable, str(REPO / "main.py"), "train", "--data", str(data), "--text-column", "description",
         "--label-column", "category", "--out", str(out)],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )
    assert train.returncode == 0, train.stderr
    evaluate = subprocess.run(
        [sys.executable, str(REPO / "main.py"), "evaluate", "--model", str(out), "--data", str(data),
         "--text-column", "description", "--label-column", "category"],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )
    assert evaluate.returncode == 0, evaluate.stderr
    figures = json.loads(evaluate.stdout.strip().splitlines()[-1])
    assert figures["n"] == 100 and figures["top5"] == 1.0
    bad = subprocess.run(
        [sys.executable, str(REPO / "main.py"), "train", "--data", str(data), "--text-column", "body",
         "--label-column", "category", "--out", str(tmp_path / "x")],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )
    assert bad.returncode == 2
    assert "no column 'body'" in bad.stderr and "Traceback" not in bad.stderr


def test_an_unrelated_output_folder_is_never_replaced(tmp_path):
    data = write_csv(tmp_path / "tiny.csv", tiny_rows(5))
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "letter.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(TrainingError, match="not a model folder"):
        train_csv(data, "description", "category", precious)
    assert (precious / "letter.txt").read_text(encoding="utf-8") == "keep me"


def test_retraining_into_the_same_folder_replaces_the_model(tmp_path):
    data = write_csv(tmp_path / "tiny.csv", tiny_rows(10))
    first = train_csv(data, "description", "category", tmp_path / "model")
    second = train_csv(data, "description", "category", tmp_path / "model")
    assert Suggester.load(tmp_path / "model").version == second["version"] != first["version"]
