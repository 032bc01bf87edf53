"""The gazetteer: 16 districts, 343 sub-districts, address resolution and completion."""

from __future__ import annotations

from collections import Counter

import pytest

from domain.gazetteer import SubDistrict, load_gazetteer


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def test_sixteen_districts_and_343_sub_districts(gazetteer):
    assert len(gazetteer.districts) == 16
    assert len(gazetteer.sub_districts) == 343
    names = {d.name_zh for d in gazetteer.districts}
    assert names == {"东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "门头沟区", "房山区", "通州区",
                     "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区"}
    per = Counter(s.district_code for s in gazetteer.sub_districts)
    assert set(per) == {d.code for d in gazetteer.districts}
    assert per["110101"] == 17 and per["110102"] == 15 and per["110105"] == 43


def test_codes_unique_names_and_aliases(gazetteer):
    codes = [d.code for d in gazetteer.districts] + [s.code for s in gazetteer.sub_districts]
    assert len(codes) == len(set(codes))
    for sub in gazetteer.sub_districts:
        assert sub.code.startswith(sub.district_code) and len(sub.code) == 9
        assert sub.name_zh and sub.name_en and sub.name_en.isascii()
        assert sub.name_zh in sub.aliases
        assert sub.kind in ("街道", "地区", "镇", "乡")
        assert gazetteer.get(sub.code) is sub
    # Within one district a sub-district name is unique.
    assert len({(s.district_code, s.name_zh) for s in gazetteer.sub_districts}) == 343


def test_generated_flag_is_data(gazetteer):
    assert all(isinstance(s.generated, bool) for s in gazetteer.sub_districts)


@pytest.mark.parametrize("address,expected", [
    ("朝阳区望京街道某小区3号楼楼下广场舞", "望京街道"),
    ("北京市海淀区中关村大街27号", "中关村街道"),
    ("丰台区卢沟桥南里5号楼", "卢沟桥街道"),
    ("丰台区丰台街道东安街", "丰台街道"),
    ("西城区什刹海后海南沿", "什刹海街道"),
    ("延庆区八达岭长城停车场", "八达岭镇"),
    ("北京大学东门对面", "燕园街道"),
    ("天通苑北街道一区", "天通苑北街道"),
    ("Wangjing SOHO tower 2", "望京街道"),
    ("通州区宋庄镇小堡村", "宋庄镇"),
])
def test_resolve_free_text_addresses(gazetteer, address, expected):
    found = gazetteer.resolve(address)
    assert isinstance(found, SubDistrict) and found.name_zh == expected


def test_resolve_uses_the_district_to_tell_twins_apart(gazetteer):
    chaoyang = gazetteer.resolve("朝阳区八里庄东里")
    haidian = gazetteer.resolve("海淀区八里庄街道")
    assert chaoyang.name_zh == haidian.name_zh == "八里庄街道"
    assert chaoyang.district_code == "110105" and haidian.district_code == "110108"


@pytest.mark.parametrize("address", ["", "   ", "朝阳区", "我家楼下", "somewhere nice"])
def test_resolve_without_a_sub_district_gives_none(gazetteer, address):
    assert gazetteer.resolve(address) is None


def test_complete_by_prefix(gazetteer):
    assert [s.name_zh for s in gazetteer.complete("望京")] == ["望京街道"]
    assert [s.name_zh for s in gazetteer.complete("朝阳区望")] == ["望京街道"]
    assert {s.name_zh for s in gazetteer.complete("天通")} == {"天通苑北街道", "天通苑南街道"}
    assert "望京街道" in [s.name_zh for s in gazetteer.complete("wangj")]
    assert len(gazetteer.complete("王", limit=3)) <= 3
    assert gazetteer.complete("") == []
    assert gazetteer.complete("不存在的地方") == []


def test_complete_within_a_district(gazetteer):
    found = gazetteer.complete("海淀区八里")
    assert [s.district_code for s in found] == ["110108"]


def test_labels(gazetteer):
    sub = gazetteer.resolve("望京")
    assert gazetteer.label(sub.code) == "朝阳区望京街道"
    assert gazetteer.label(sub.code, "en") == "Wangjing Subdistrict, Chaoyang District"
    assert gazetteer.district_of(sub.code).name_zh == "朝阳区"


@pytest.mark.parametrize("address,expected", [
    ("Yang Town, Shunyi District", ("杨镇", "110113")),
    ("Balizhuang, Haidian District", ("八里庄街道", "110108")),
    ("near Sanlitun bar street", ("三里屯街道", "110105")),
    ("Mr Zhang lives near the young park", None),
])
def test_resolve_english_addresses_by_whole_words(gazetteer, address, expected):
    found = gazetteer.resolve(address)
    assert (found and (found.name_zh, found.district_code)) == expected or (found is None and expected is None)
