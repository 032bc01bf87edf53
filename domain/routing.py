"""Routing: which unit a ticket goes to, decided by ordered, data-driven rules that say which one fired."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from domain.units import (
    Unit,
    bureau_kinds,
    city_unit_code,
    district_unit_code,
    get_unit,
    load_units,
    sub_district_unit_code,
)
from domain.gazetteer import SubDistrict, load_gazetteer
from domain.taxonomy import load_taxonomy
from resources import loader

__all__ = ["RoutingDecision", "RoutingError", "Rule", "load_rules", "load_units", "route", "Unit"]


class RoutingError(ValueError):
    """A ticket that cannot be routed; the message says what to fix."""


@dataclass(frozen=True)
class RoutingDecision:
    unit_code: str
    unit_name_zh: str
    unit_name_en: str
    rule_id: str
    rule_text: str
    rule_text_zh: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    text: str
    text_zh: str = ""
    unit_kind: str | None = None
    categories: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    sub_districts: tuple[str, ...] = ()
    target: tuple[str, str] = ("district_bureau", "government")
    taxonomy: str | None = None  # catalogue version pattern; rules that name codes hold for that catalogue only

    def matches(self, category, sub, district_code: str, taxonomy_version: str = "") -> bool:
        if self.taxonomy is not None:
            if self.taxonomy.endswith("*"):
                if not taxonomy_version.startswith(self.taxonomy[:-1]):
                    return False
            elif taxonomy_version != self.taxonomy:
                return False
        if self.unit_kind is not None:
            kind = category.unit_kind or ""
            if self.unit_kind.endswith("*"):
                if not kind.startswith(self.unit_kind[:-1]):
                    return False
            elif kind != self.unit_kind:
                return False
        if self.categories and not any(category.code == p or category.code.startswith(p + ".")
                                       for p in self.categories):
            return False
        if self.districts and district_code not in self.districts:
            return False
        if self.sub_districts and sub.code not in self.sub_districts:
            return False
        return True


@dataclass(frozen=True)
class RuleSet:
    version: str
    rules: tuple[Rule, ...]
    domain_bureaus: dict = field(default_factory=dict)


def _parse_rules(text: str) -> RuleSet:
    data = yaml.safe_load(text)
    bureaus = bureau_kinds()
    rules = []
    for raw in data["rules"]:
        when = raw.get("when") or {}
        if "unit" in raw:
            target = ("unit", raw["unit"])
            if get_unit(raw["unit"]) is None:
                raise RoutingError(f"routing rule {raw['id']} names unknown unit {raw['unit']}")
        elif raw.get("city_department"):
            target = ("city_department", "")
        elif raw.get("district_bureau_by_domain"):
            target = ("district_bureau_by_domain", "")
        elif raw.get("sub_district_office"):
            target = ("sub_district_office", "")
        else:
            target = ("district_bureau", raw.get("district_bureau", "government"))
            if target[1] not in bureaus:
                raise RoutingError(f"routing rule {raw['id']} names unknown bureau kind {target[1]}")
        rules.append(Rule(
            id=str(raw["id"]), text=str(raw.get("text", "")), text_zh=str(raw.get("text_zh", "")), unit_kind=when.get("unit_kind"),
            categories=tuple(str(c) for c in when.get("category", ())),
            districts=tuple(str(c) for c in when.get("districts", ())),
            sub_districts=tuple(str(c) for c in when.get("sub_districts", ())), target=target,
            taxonomy=when.get("taxonomy"),
        ))
    domain_bureaus = {str(k): v for k, v in (data.get("domain_bureaus") or {}).items()}
    for domain, bureau in domain_bureaus.items():
        if bureau not in bureaus:
            raise RoutingError(f"routing rules send domain {domain} to unknown bureau kind {bureau}")
    return RuleSet(str(data.get("version", "")), tuple(rules), domain_bureaus)


@lru_cache(maxsize=1)
def load_rules() -> RuleSet:
    return _parse_rules(loader.read_text("taxonomy", "routing_rules.yaml"))


def _unit_for(rule: Rule, rules: RuleSet, category, sub, taxonomy) -> Unit | None:
    kind, value = rule.target
    if kind == "unit":
        return get_unit(value)
    if kind == "city_department":
        department = category.unit_kind.split(":", 1)[1] if ":" in category.unit_kind else ""
        return get_unit(city_unit_code(department))
    if kind == "sub_district_office":
        return get_unit(sub_district_unit_code(sub.code))
    if kind == "district_bureau_by_domain":
        chain = taxonomy.path(category.code)
        # By the domain's name, so a city's own catalogue with the same domains routes the same way.
        bureau = rules.domain_bureaus.get(chain[0].name_zh) if chain else None
        return get_unit(district_unit_code(sub.district_code, bureau)) if bureau else None
    return get_unit(district_unit_code(sub.district_code, value))


def route(category_code: str, sub_district_code: str, taxonomy=None, gazetteer=None,
          rules: RuleSet | None = None) -> RoutingDecision:
    """The unit responsible for a ticket of this type in this sub-district, and the rule that decided."""
    taxonomy = taxonomy or load_taxonomy()
    gazetteer = gazetteer or load_gazetteer()
    rules = rules or load_rules()
    category = taxonomy.get(category_code)
    if category is None:
        raise RoutingError(f"Category {category_code} is not in the catalogue ({taxonomy.version}); pick a category again.")
    sub = gazetteer.get(sub_district_code)
    if not isinstance(sub, SubDistrict):
        raise RoutingError(f"{sub_district_code or 'No place'} is not a sub-district; give the incident address "
                           "or pick the sub-district.")
    for rule in rules.rules:
        if rule.matches(category, sub, sub.district_code, taxonomy.version):
            unit = _unit_for(rule, rules, category, sub, taxonomy)
            if unit is not None:
                return RoutingDecision(unit.code, unit.name_zh, unit.name_en, rule.id, rule.text, rule.text_zh or rule.text)
    # The rule file ends with a catch-all; reaching here means it was edited without one.
    raise RoutingError(f"No routing rule covers {category_code} in {sub_district_code}; ask an admin to add one.")
