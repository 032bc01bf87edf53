"""Models never carry personal data: names, phone numbers and e-mail addresses are scrubbed from training text."""

from __future__ import annotations

import random

import pytest

from classifier.model import load_model
from classifier.retrain import retrain_from_rows
from classifier.training import LabeledRows, TrainOptions, train_rows

# Each caller rings several times, so without scrubbing their details would pass any minimum frequency.
CALLERS = [("王建华", "13812345678", "wangjianhua@example.com"),
           ("李秀英", "13998765432", "lixiuying.home@mailbox.cn"),
           ("John Smith", "15011112222", "john.smith@example.org")]
PROBLEMS = {"noise": "楼上装修噪音太大", "water": "小区停水没有通知", "wages": "公司拖欠工资不发"}
PERSONAL = ["王建", "建华", "李秀", "秀英", "john", "smith", "wangjianhua", "lixiuying", "example", "mailbox",
            "13812345678", "13998765432", "15011112222"]


def rows_with_personal_data(n: int = 90) -> list[dict]:
    rng = random.Random(3)
    rows = []
    for i in range(n):
        name, phone, email = CALLERS[i % len(CALLERS)]
        label = list(PROBLEMS)[i % len(PROBLEMS)]
        intro = f"我叫{name}" if not name.isascii() else f"my name is {name}"
        text = f"{intro}，电话{phone}，邮箱 {email}，{PROBLEMS[label]}，{rng.choice(['请尽快处理', '谢谢', '麻烦看看'])}"
        rows.append({"text": text, "label": label})
    return rows


def vocabulary_hits(terms: list[str]) -> list[str]:
    lowered = [t.lower() for t in terms]
    return sorted({p for p in PERSONAL for t in lowered if p.lower() in t})


def test_the_data_would_leak_without_scrubbing():
    rows = rows_with_personal_data()
    model = train_rows(LabeledRows([r["text"] for r in rows], [r["label"] for r in rows]),
                       options=TrainOptions(scrub=False))
    # What the scrubbing test below guards against is real: names and e-mail parts become features.
    assert {"王建", "建华", "wangjianhua", "example"} <= set(vocabulary_hits(model.terms))


@pytest.mark.parametrize("algorithm", ["auto", "nb", "svm"])
def test_training_scrubs_names_phones_and_email(algorithm):
    rows = rows_with_personal_data()
    model = train_rows(LabeledRows([r["text"] for r in rows], [r["label"] for r in rows]),
                       options=TrainOptions(algorithm=algorithm))
    assert vocabulary_hits(model.terms) == []
    # The problems themselves are still learned.
    assert {"噪音", "停水", "工资"} <= set(model.terms)


def test_retraining_scrubs_too(tmp_path):
    out = retrain_from_rows(rows_with_personal_data(), tmp_path / "model")
    model = load_model(out)
    assert vocabulary_hits(model.terms) == []
    text = (out / "vocab.txt").read_text(encoding="utf-8") + (out / "model.json").read_text(encoding="utf-8")
    for value in PERSONAL:
        assert value not in text
