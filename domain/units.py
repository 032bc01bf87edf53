"""The units tickets are dispatched to: sub-district offices, district bureaus and city departments."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache

from resources import loader

SUB_DISTRICT, DISTRICT, CITY_DEPARTMENT = "sub_district", "district", "city_department"


@dataclass(frozen=True)
class Unit:
    code: str
    kind: str  # sub_district | district | city_department
    name_zh: str
    name_en: str
    district_code: str | None = None


def _rows(name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(loader.read_text("taxonomy", name))))


@lru_cache(maxsize=1)
def city_departments() -> dict[str, Unit]:
    """City departments by their short code (the X in unit kind city_department:X)."""
    return {
        row["code"]: Unit(f"CD-{row['code']}", CITY_DEPARTMENT, row["name_zh"], row["name_en"], None)
        for row in _rows("city_departments.csv")
    }


@lru_cache(maxsize=1)
def bureau_kinds() -> dict[str, tuple[str, str]]:
    """District bureau kinds (housing, market, ...) -> (Chinese, English) name without the district."""
    return {row["kind"]: (row["name_zh"], row["name_en"]) for row in _rows("district_bureaus.csv")}


def sub_district_unit_code(sub_district_code: str) -> str:
    return f"SD-{sub_district_code}"


def district_unit_code(district_code: str, bureau: str) -> str:
    return f"DB-{district_code}-{bureau}"


def city_unit_code(department: str) -> str:
    return f"CD-{department}"


def _office_names(sub) -> tuple[str, str]:
    if sub.kind in ("镇", "乡"):
        return sub.name_zh + "人民政府", f"{sub.name_en} Government"
    return sub.name_zh + "办事处", f"{sub.name_en} Office"


@lru_cache(maxsize=1)
def _all_units() -> tuple[Unit, ...]:
    from domain.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    units: list[Unit] = list(city_departments().values())
    for district in gazetteer.districts:
        for bureau, (zh, en) in bureau_kinds().items():
            units.append(Unit(district_unit_code(district.code, bureau), DISTRICT,
                              district.name_zh + zh[1:], f"{district.name_en} {en.removeprefix('District ')}",
                              district.code))
    for sub in gazetteer.sub_districts:
        zh, en = _office_names(sub)
        units.append(Unit(sub_district_unit_code(sub.code), SUB_DISTRICT, zh, en, sub.district_code))
    return tuple(units)


def load_units() -> list[Unit]:
    """Every unit a ticket can go to (city departments, 16 x district bureaus, 343 sub-district offices)."""
    return list(_all_units())


@lru_cache(maxsize=1)
def _by_code() -> dict[str, Unit]:
    return {u.code: u for u in _all_units()}


def get_unit(code: str) -> Unit | None:
    return _by_code().get(code)


def similar_unit_codes(code: str, n: int = 3) -> list[str]:
    """Unit codes that look like `code` (a typo's likely meaning), best first."""
    import difflib

    return difflib.get_close_matches((code or "").strip(), list(_by_code()), n=n, cutoff=0.6)
