"""Demo data: columns, determinism, skew, realistic phones and places, both languages."""

from __future__ import annotations

import csv
import uuid
from collections import Counter
from datetime import datetime

import pytest

from domain.demo_data import COLUMNS, generate, write_csv
from domain.gazetteer import load_gazetteer
from domain.lifecycle import OPEN_STATUSES
from domain.taxonomy import load_taxonomy
from domain.ticket import RequestType, Status, Urgency, is_valid_phone, minimal_save_problems

N = 20000


@pytest.fixture(scope="module")
def rows():
    return list(generate(N, seed=7))


def test_columns_and_values(rows):
    taxonomy = load_taxonomy()
    gazetteer = load_gazetteer()
    statuses = {s.value for s in Status} - {"draft"}
    for row in rows[:5000]:
        assert list(row) == COLUMNS
        uuid.UUID(row["id"])
        leaf = taxonomy.get(row["category_code"])
        assert leaf is not None and leaf.level == 3
        assert taxonomy.path(leaf.code)[0].code == row["domain_code"]
        assert gazetteer.get(row["sub_district_code"]).district_code == row["sub_district_code"][:6]
        assert row["request_type"] in {t.value for t in RequestType}
        assert row["urgency"] in {u.value for u in Urgency}
        assert row["status"] in statuses
        assert row["lang"] in ("zh", "en")
        assert row["description"] and len(row["description"]) >= 15
        started = datetime.fromisoformat(row["call_started_at"])
        assert started.utcoffset().total_seconds() == 8 * 3600
        assert not minimal_save_problems(row)
    assert len({r["id"] for r in rows}) == len(rows)


def test_phones_are_valid_mobiles_and_beijing_landlines(rows):
    phones = [r["caller_phone"] for r in rows]
    assert all(is_valid_phone(p) for p in phones)
    mobiles = [p for p in phones if p.startswith("1")]
    landlines = [p for p in phones if p.startswith("010-")]
    assert len(mobiles) + len(landlines) == len(phones)
    assert all(len(p) == 11 and p[1] in "3456789" for p in mobiles)
    assert all(len(p) == 12 for p in landlines)
    assert 0.6 < len(mobiles) / len(phones) < 0.95
    # Some callers ring again: their history is what the caller panel shows.
    assert Counter(phones).most_common(1)[0][1] > 1


def test_incident_addresses_resolve_to_their_sub_district(rows):
    gazetteer = load_gazetteer()
    for row in rows[:3000]:
        assert gazetteer.resolve(row["incident_address"]).code == row["sub_district_code"], row["incident_address"]


def test_same_seed_same_rows_other_seed_other_rows():
    first = list(generate(500, seed=11))
    assert first == list(generate(500, seed=11))
    other = list(generate(500, seed=12))
    assert sum(a["description"] == b["description"] for a, b in zip(first, other)) < 10


def test_category_frequencies_are_skewed_but_wide(rows):
    counts = Counter(r["category_code"] for r in rows)
    ranked = [c for _, c in counts.most_common()]
    top_share = sum(ranked[:20]) / N
    assert top_share > 0.15  # a few types get many calls (uniform would give 1%)
    assert ranked[0] > 20 * (N / len(load_taxonomy().leaves()))
    assert len(counts) > 1500  # yet most types appear


def test_languages_statuses_and_request_types_vary(rows):
    langs = Counter(r["lang"] for r in rows)
    assert 0.07 < langs["en"] / N < 0.13
    english = [r["description"] for r in rows if r["lang"] == "en"]
    assert not any("\u4e00" <= ch <= "\u9fff" for d in english for ch in d)
    statuses = Counter(r["status"] for r in rows)
    assert len(statuses) >= 10
    assert 0.3 < sum(n for s, n in statuses.items() if s in OPEN_STATUSES) / N < 0.8
    assert len(Counter(r["request_type"] for r in rows)) == 5
    assert len(Counter(r["urgency"] for r in rows)) == 3


def test_descriptions_vary_and_carry_the_type_words_early(rows):
    taxonomy = load_taxonomy()
    descriptions = [r["description"] for r in rows]
    assert len(set(descriptions)) > 0.97 * N
    chinese = [r for r in rows if r["lang"] == "zh"]
    early = 0
    for row in chinese:
        leaf = taxonomy.get(row["category_code"])
        words = [w for w in leaf.keywords if not w.isascii()]
        if any(w in row["description"][:15] for w in words):
            early += 1
        assert any(w in row["description"] for w in words)
    assert early / len(chinese) > 0.85


def test_call_times_follow_the_day(rows):
    hours = Counter(datetime.fromisoformat(r["call_started_at"]).hour for r in rows)
    assert hours[10] > 5 * hours[3]


def test_write_csv(tmp_path):
    path = tmp_path / "out" / "demo.csv"
    assert write_csv(path, 1234, seed=5) == 1234
    with path.open(encoding="utf-8", newline="") as handle:
        read = list(csv.DictReader(handle))
    assert len(read) == 1234
    assert list(read[0]) == COLUMNS
    assert read == [{k: str(v) for k, v in row.items()} for row in generate(1234, seed=5)]
