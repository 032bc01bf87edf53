"""The shipped catalogue: shape, codes, names, time limits, coverage of what a 12345 line receives, search."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from domain.taxonomy import load_shipped_taxonomy, load_taxonomy
from domain.units import city_departments


@pytest.fixture(scope="module")
def taxonomy():
    return load_shipped_taxonomy()


def test_active_catalogue_is_the_shipped_one_when_none_is_installed(taxonomy):
    assert load_taxonomy().version == taxonomy.version
    assert taxonomy.version.startswith("bj-demo-")


def test_at_least_2000_types_in_three_levels(taxonomy):
    levels = Counter(c.level for c in taxonomy.categories)
    assert set(levels) == {1, 2, 3}
    assert levels[3] >= 2000
    assert levels[1] >= 21 and levels[2] >= 100


def test_codes_are_unique_and_follow_the_pattern(taxonomy):
    codes = [c.code for c in taxonomy.categories]
    assert len(codes) == len(set(codes))
    patterns = {1: r"\d\d", 2: r"\d\d\.\d\d", 3: r"\d\d\.\d\d\.\d\d\d"}
    for c in taxonomy.categories:
        assert re.fullmatch(patterns[c.level], c.code), c.code
        if c.level > 1:
            parent = taxonomy.get(c.parent_code)
            assert parent is not None and parent.level == c.level - 1
            assert c.code.startswith(parent.code + ".")


def test_every_branch_ends_in_types(taxonomy):
    for c in taxonomy.categories:
        if c.level < 3:
            assert taxonomy.children(c.code), f"{c.code} {c.name_zh} has nothing under it"
        else:
            assert not taxonomy.children(c.code)
            assert [p.level for p in taxonomy.path(c.code)] == [1, 2, 3]


def test_names_keywords_and_limits(taxonomy):
    departments = set(city_departments())
    names = Counter()
    for leaf in taxonomy.leaves():
        assert re.search(r"[\u4e00-\u9fff]", leaf.name_zh), leaf.code
        assert leaf.name_en and not re.search(r"[\u4e00-\u9fff]", leaf.name_en) and (leaf.name_en[0].isupper() or leaf.name_en[0].isdigit()), leaf.code
        assert leaf.keywords and leaf.keywords[0] == leaf.name_zh
        assert any(k.isascii() for k in leaf.keywords), f"{leaf.code} has no English keyword"
        assert 1 <= leaf.accept_hours <= 72 and 1 <= leaf.resolve_days <= 30
        assert leaf.unit_kind in ("sub_district", "district") or (
            leaf.unit_kind.startswith("city_department:") and leaf.city_department in departments), leaf.unit_kind
        names[leaf.name_zh] += 1
    # Names may repeat only in different categories (the operator sees the category beside it).
    for leaf in taxonomy.leaves():
        if names[leaf.name_zh] > 1:
            twins = [c for c in taxonomy.leaves() if c.name_zh == leaf.name_zh]
            assert len({c.parent_code for c in twins}) == len(twins), leaf.name_zh


def test_covers_what_a_city_hotline_receives(taxonomy):
    domains = " ".join(d.name_zh for d in taxonomy.domains())
    for topic in ["住房", "物业", "建设", "拆迁", "噪声", "环境", "道路", "交通", "公共交通", "水电气热", "市容环卫",
                  "市场监管", "消费", "食品药品", "劳动", "工资", "社会保障", "医疗", "教育", "养老", "残疾人", "治安",
                  "民政", "文化旅游", "企业服务", "政策咨询"]:
        assert topic in domains, topic
    leaf_names = " ".join(c.name_zh for c in taxonomy.leaves())
    for example in ["电梯", "广场舞", "拖欠工资", "停水", "停电", "燃气泄漏", "供暖", "垃圾", "井盖", "路灯", "外卖",
                    "预付卡", "最低生活保障", "医保", "入学", "养老院", "残疾人证", "犬只", "结婚", "景区", "无照经营", "积分落户"]:
        assert example in leaf_names, example


def test_urgent_problems_have_short_limits(taxonomy):
    trapped = [c for c in taxonomy.leaves() if "困人" in c.name_zh]
    assert trapped and all(c.accept_hours == 1 for c in trapped)
    gas = [c for c in taxonomy.leaves() if "燃气泄漏" in c.name_zh]
    assert gas and all(c.accept_hours == 1 and c.resolve_days <= 3 for c in gas)


@pytest.mark.parametrize("query,expected", [
    ("电梯", "电梯"), ("噪音", "噪音"), ("elevator", "电梯"), ("zy", None), ("gcw", "广场舞"), ("01.02", "电梯"),
    ("路灯", "路灯"), ("wage", "工资"),
])
def test_search_by_code_names_keywords_and_initials(taxonomy, query, expected):
    found = taxonomy.search(query, limit=10)
    assert found, query
    assert all(c.level == 3 for c in found)
    if expected:
        assert any(expected in c.name_zh for c in found[:5]), [c.name_zh for c in found]


def test_search_by_pinyin_initials_finds_noise(taxonomy):
    found = taxonomy.search("zyrm", limit=20)
    assert found and all("噪音扰民" in c.name_zh for c in found[:5])


def test_search_exact_code_comes_first_and_nonsense_finds_nothing(taxonomy):
    leaf = taxonomy.leaves()[100]
    assert taxonomy.search(leaf.code)[0] is leaf
    assert taxonomy.search("qqqqxxxx") == []
    assert taxonomy.search("   ") == []


def test_label_and_path(taxonomy):
    leaf = taxonomy.get("01.02.002")
    assert [c.level for c in taxonomy.path(leaf.code)] == [1, 2, 3]
    assert taxonomy.label(leaf.code).endswith(leaf.name_zh)
    assert ">" in taxonomy.label(leaf.code, "en")
    assert taxonomy.path("99.99.999") == []


def test_search_by_category_name_lists_its_types(taxonomy):
    found = taxonomy.search("路灯照明", limit=30)
    assert found and all(c.parent_code == "05.02" for c in found)
    assert all(c.parent_code == "05.02" for c in taxonomy.search("Street lighting", limit=10))


def test_shipped_files_are_what_the_build_scripts_write(tmp_path, monkeypatch):
    """The committed CSVs come from the hand-written lists; an edit to one without the other is caught."""
    from resources import loader
    from resources.gazetteer import build_gazetteer
    from resources.taxonomy import build_taxonomy

    monkeypatch.setattr(build_taxonomy, "HERE", tmp_path)
    for source in loader.source_path("taxonomy").glob("source_part*.txt"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    build_taxonomy.main()
    assert (tmp_path / "taxonomy.csv").read_text(encoding="utf-8") == loader.read_text("taxonomy", "taxonomy.csv")
    monkeypatch.setattr(build_gazetteer, "HERE", tmp_path)
    build_gazetteer.main()
    for name in ("districts.csv", "sub_districts.csv"):
        assert (tmp_path / name).read_text(encoding="utf-8") == loader.read_text("gazetteer", name)
