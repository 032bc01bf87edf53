"""The gazetteer: Beijing's 16 districts and 343 sub-districts, address matching and completion."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache

from resources import loader


@dataclass(frozen=True)
class District:
    code: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class SubDistrict:
    code: str
    district_code: str
    name_zh: str
    name_en: str
    aliases: list[str] = field(default_factory=list, hash=False, compare=False)
    kind: str = "街道"  # 街道 street, 地区 area, 镇 town, 乡 township
    generated: bool = False  # True for a name we invented rather than a real one


class Gazetteer:
    """Districts and sub-districts with the lookups an address field needs."""

    def __init__(self, districts: list[District], sub_districts: list[SubDistrict]):
        self.districts = districts
        self.sub_districts = sub_districts
        self._by_code: dict[str, District | SubDistrict] = {d.code: d for d in districts}
        self._by_code.update({s.code: s for s in sub_districts})
        self._district_by_code = {d.code: d for d in districts}
        # alias -> sub-districts it may name; longest aliases first so 天通苑北 wins over 天通苑
        by_alias: dict[str, list[SubDistrict]] = {}
        for sub in sub_districts:
            for alias in sub.aliases:
                key = alias.lower()
                if key.isascii() and key.isalpha():
                    continue  # pinyin: matched as whole English words below
                if sub not in by_alias.setdefault(key, []):
                    by_alias[key].append(sub)
        self._aliases = sorted(by_alias.items(), key=lambda item: -len(item[0]))
        # Pinyin names in English addresses: whole words; a short one ("zhang", 张镇) only with
        # "town"/"subdistrict"/... after it, so "Mr Zhang" names no place.
        self._english: list[tuple[re.Pattern, SubDistrict]] = []
        for sub in sub_districts:
            for alias in sub.aliases:
                key = alias.lower()
                if key.isascii() and key.isalpha():
                    tail = r"\b" if len(key) >= 6 else r"\s*(?:town|township|subdistrict|area|street)\b"
                    self._english.append((re.compile(r"\b" + re.escape(key) + tail), sub))
        self._english.sort(key=lambda item: -len(item[0].pattern))
        self._complete_rows = [
            (sub, [sub.name_zh.lower(), sub.name_en.lower(), *(a.lower() for a in sub.aliases)]) for sub in sub_districts
        ]
        self._district_names = sorted(
            ((alias.lower(), d) for d in districts for alias in (d.name_zh, *d.aliases) if alias),
            key=lambda item: -len(item[0]),
        )

    def get(self, code: str) -> District | SubDistrict | None:
        return self._by_code.get(code)

    def district(self, code: str) -> District | None:
        return self._district_by_code.get(code)

    def district_of(self, sub_district_code: str) -> District | None:
        sub = self._by_code.get(sub_district_code)
        return self._district_by_code.get(sub.district_code) if isinstance(sub, SubDistrict) else None

    def in_district(self, district_code: str) -> list[SubDistrict]:
        return [s for s in self.sub_districts if s.district_code == district_code]

    def _districts_named(self, text: str) -> tuple[set[str], str]:
        """District codes the text names, and the text with those names blanked out.

        Blanking keeps 丰台区 from also matching the 丰台街道 alias 丰台.
        """
        found: set[str] = set()
        for alias, district in self._district_names:
            # Only the full 区 name or an English name counts as naming a district here;
            # a bare 朝阳 may be 朝阳门 or 朝阳路.
            if alias.endswith("区") or alias.isascii():
                if alias in text:
                    found.add(district.code)
                    if not alias.isascii():
                        text = text.replace(alias, "　" * len(alias))
        return found, text

    def resolve(self, address: str) -> SubDistrict | None:
        """The sub-district a free-text address lies in, or None when it names none."""
        if not address:
            return None
        text = re.sub(r"\s+", "", address).lower()
        districts, text = self._districts_named(text)
        best: list[SubDistrict] = []
        best_len = 0
        for alias, subs in self._aliases:
            if len(alias) < best_len:
                break
            if alias in text:
                if len(alias) > best_len:
                    best, best_len = list(subs), len(alias)
                else:
                    best.extend(s for s in subs if s not in best)
        if not best and re.search(r"[a-z]", text):
            spaced = address.lower()
            for pattern, sub in self._english:
                if pattern.search(spaced):
                    best.append(sub)
        if not best:
            return None
        if districts:
            preferred = [s for s in best if s.district_code in districts]
            if preferred:
                return preferred[0]
        return best[0]

    def complete(self, prefix: str, limit: int = 10) -> list[SubDistrict]:
        """Sub-districts whose name, alias or pinyin starts with what was typed (朝阳区望 -> 望京街道)."""
        text = re.sub(r"\s+", "", prefix or "").lower()
        if not text:
            return []
        districts: set[str] = set()
        for alias, district in self._district_names:
            if text.startswith(alias) and len(text) > len(alias):
                districts.add(district.code)
                text = text[len(alias):]
                break
        ranked: list[tuple[int, int, str, SubDistrict]] = []
        for sub, names in self._complete_rows:
            if districts and sub.district_code not in districts:
                continue
            if any(name.startswith(text) for name in names):
                rank = 0 if sub.name_zh.lower().startswith(text) else 1
            elif any(text in name for name in names[:1]):
                rank = 2
            else:
                continue
            ranked.append((rank, len(sub.name_zh), sub.code, sub))
        ranked.sort(key=lambda item: item[:3])
        return [item[3] for item in ranked[:limit]]

    def label(self, sub_district_code: str, lang: str = "zh") -> str:
        """朝阳区望京街道 / Wangjing Subdistrict, Chaoyang District: how a ticket shows its place."""
        sub = self._by_code.get(sub_district_code)
        if not isinstance(sub, SubDistrict):
            return ""
        district = self._district_by_code[sub.district_code]
        if lang == "en":
            return f"{sub.name_en}, {district.name_en}"
        return district.name_zh + sub.name_zh


def _split(cell: str) -> list[str]:
    return [part for part in (cell or "").split(";") if part]


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer (read once per process)."""
    districts = [
        District(row["code"], row["name_zh"], row["name_en"], tuple(_split(row["aliases"])))
        for row in csv.DictReader(io.StringIO(loader.read_text("gazetteer", "districts.csv")))
    ]
    subs = [
        SubDistrict(row["code"], row["district_code"], row["name_zh"], row["name_en"], _split(row["aliases"]),
                    row.get("kind") or "街道", (row.get("generated") or "").lower() == "true")
        for row in csv.DictReader(io.StringIO(loader.read_text("gazetteer", "sub_districts.csv")))
    ]
    return Gazetteer(districts, subs)
