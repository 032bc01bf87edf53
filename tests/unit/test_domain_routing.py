"""Routing: ordered rules, the rule that fired is reported, and every type is routable everywhere."""

from __future__ import annotations

import pytest

from domain.gazetteer import load_gazetteer
from domain.routing import RoutingError, _parse_rules, load_rules, route
from domain.taxonomy import Category, Taxonomy, load_shipped_taxonomy
from domain.units import get_unit, load_units

WANGJING = "110105023"
YIZHUANG = "110115013"


@pytest.fixture(scope="module")
def taxonomy():
    return load_shipped_taxonomy()


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def test_units_cover_every_place(gazetteer):
    units = load_units()
    codes = [u.code for u in units]
    assert len(codes) == len(set(codes))
    kinds = {u.kind for u in units}
    assert kinds == {"sub_district", "district", "city_department"}
    assert sum(1 for u in units if u.kind == "sub_district") == 343
    assert {u.district_code for u in units if u.kind == "district"} == {d.code for d in gazetteer.districts}
    assert all(u.name_zh and u.name_en for u in units)


def test_every_type_is_routable_in_every_sub_district(taxonomy, gazetteer):
    rule_ids = {r.id for r in load_rules().rules}
    seen_rules = set()
    for leaf in taxonomy.leaves():
        for sub in gazetteer.sub_districts:
            decision = route(leaf.code, sub.code, taxonomy, gazetteer)
            assert decision.rule_id in rule_ids
            seen_rules.add(decision.rule_id)
            unit = get_unit(decision.unit_code)
            assert unit is not None and unit.name_zh == decision.unit_name_zh
            if unit.district_code is not None:
                assert unit.district_code == sub.district_code  # never sent to another district's unit
    assert {"R10", "R40", "R50"} <= seen_rules


def test_sub_district_types_go_to_that_sub_districts_office(taxonomy):
    leaf = next(c for c in taxonomy.leaves() if c.unit_kind == "sub_district")
    decision = route(leaf.code, WANGJING)
    assert decision.unit_code == f"SD-{WANGJING}"
    assert decision.unit_name_zh == "望京街道办事处"
    assert decision.rule_id == "R50" and decision.rule_text


def test_city_department_types_go_to_the_named_department(taxonomy):
    leaf = next(c for c in taxonomy.leaves() if c.unit_kind == "city_department:GAS")
    decision = route(leaf.code, WANGJING)
    assert decision.unit_code == "CD-GAS" and decision.rule_id == "R10"


def test_specific_rules_come_before_general_ones(taxonomy):
    elevator = taxonomy.get("01.02.001")
    assert elevator.unit_kind == "district"
    decision = route(elevator.code, WANGJING)
    assert (decision.rule_id, decision.unit_code) == ("R20", "DB-110105-market")
    # An enterprise matter in Yizhuang goes to the development area, elsewhere to its usual unit.
    enterprise = taxonomy.children("20.02")[0]
    assert route(enterprise.code, YIZHUANG).rule_id == "R01"
    assert route(enterprise.code, WANGJING).rule_id != "R01"


def test_unknown_category_or_place_is_a_clear_error():
    with pytest.raises(RoutingError, match="not in the catalogue"):
        route("99.99.999", WANGJING)
    with pytest.raises(RoutingError, match="sub-district"):
        route("01.02.001", "110105")  # a district, not a sub-district
    with pytest.raises(RoutingError):
        route("01.02.001", "")


def test_rules_are_data_first_match_wins_and_catch_all_reports_itself(gazetteer):
    rules = _parse_rules("""
rules:
  - {id: A, text: first, when: {unit_kind: sub_district}, district_bureau: civil}
  - {id: B, text: second, when: {unit_kind: sub_district}, sub_district_office: true}
  - {id: Z, text: catch-all, district_bureau: government}
""")
    taxonomy = Taxonomy("t", [
        Category("1", None, 1, "域", "Domain"), Category("1.1", "1", 2, "类", "Category"),
        Category("1.1.1", "1.1", 3, "型", "Type", ["型"], "sub_district", 2, 3),
        Category("1.1.2", "1.1", 3, "型二", "Type two", ["型"], "district", 2, 3),
    ])
    first = route("1.1.1", WANGJING, taxonomy, gazetteer, rules)
    assert (first.rule_id, first.unit_code) == ("A", "DB-110105-civil")
    fallback = route("1.1.2", WANGJING, taxonomy, gazetteer, rules)
    assert (fallback.rule_id, fallback.rule_text, fallback.unit_code) == ("Z", "catch-all", "DB-110105-government")


def test_rule_naming_an_unknown_unit_is_refused():
    with pytest.raises(RoutingError, match="unknown unit"):
        _parse_rules("rules:\n  - {id: X, unit: CD-NOPE}\n")


def test_code_rules_hold_only_for_their_catalogue_and_domains_route_by_name(gazetteer):
    # A city's own catalogue that happens to reuse the code 01.02.001 is not taken for an elevator type.
    city = Taxonomy("city-1", [
        Category("01", None, 1, "噪声", "Noise"), Category("01.02", "01", 2, "施工", "Works"),
        Category("01.02.001", "01.02", 3, "夜间施工", "Night works", ["施工"], "district", 2, 3),
    ])
    decision = route("01.02.001", WANGJING, city, gazetteer)
    assert (decision.rule_id, decision.unit_code) == ("R40", "DB-110105-enforce")


def test_rules_refuse_an_unknown_domain_bureau():
    with pytest.raises(RoutingError, match="unknown bureau kind"):
        _parse_rules("rules:\n  - {id: Z}\ndomain_bureaus:\n  噪声: nowhere\n")


def test_every_shipped_rule_speaks_both_languages():
    """The dispatch screen shows the rule that fired in the operator's language."""
    from domain.routing import load_rules

    for rule in load_rules().rules:
        assert rule.text and rule.text_zh, rule.id
