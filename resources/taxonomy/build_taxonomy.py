"""Builds taxonomy.csv (the shipped demo catalogue) from the hand-written source_part*.txt lists.

Run: .venv/bin/python resources/taxonomy/build_taxonomy.py
Each object of a category crossed with the problems it can have becomes a type (level 3),
e.g. object 电梯/elevator x problem 困人/people trapped -> 住宅电梯困人. Codes are assigned in
file order, so append new lines at the end of a category to keep existing codes stable.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from pypinyin import Style, lazy_pinyin

HERE = Path(__file__).resolve().parent
VERSION = "bj-demo-2026.11"
UNIT_KINDS = {"sub": "sub_district", "dist": "district"}
COLUMNS = ["code", "parent_code", "level", "name_zh", "name_en", "keywords", "unit_kind",
           "accept_hours", "resolve_days", "subjects", "problems", "initials"]


@dataclass
class Problem:
    zh: str
    en: str
    keywords: list[str]
    urgent: bool = False


@dataclass
class Obj:
    zh: str
    en: str
    keywords: list[str]
    only: list[int] | None = None


@dataclass
class Cat:
    zh: str
    en: str
    unit_kind: str
    accept_hours: int
    resolve_days: int
    problems: list[Problem] = field(default_factory=list)
    objects: list[Obj] = field(default_factory=list)
    singles: list[tuple[str, str, list[str]]] = field(default_factory=list)


def _fields(rest: str) -> list[str]:
    return [part.strip() for part in rest.split("|")]


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.replace("，", ",").split(",") if w.strip()]


def _unit_kind(text: str) -> str:
    if text.startswith("city:"):
        return "city_department:" + text[5:]
    return UNIT_KINDS[text]


def parse(text: str) -> list[tuple[str, str, list[Cat]]]:
    shared: dict[str, list[Problem]] = {}
    domains: list[tuple[str, str, list[Cat]]] = []
    current_set: list[Problem] | None = None
    cat: Cat | None = None
    domain: tuple[str, str, list[Cat]] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind, _, rest = line.partition(" ")
        parts = _fields(rest)
        try:
            if kind == "S":
                current_set = shared.setdefault(rest.strip(), [])
                cat = None
            elif kind == "D":
                # A domain named again (in a later file) is reopened, so its new categories append.
                current_set = None
                existing = [d for d in domains if d[0] == parts[0]]
                if existing:
                    domain = existing[0]
                else:
                    domain = (parts[0], parts[1], [])
                    domains.append(domain)
                cat = None
            elif kind == "C":
                cat = Cat(parts[0], parts[1], _unit_kind(parts[2]), int(parts[3]), int(parts[4]))
                domain[2].append(cat)
            elif kind == "P":
                problem = Problem(parts[0], parts[1], _words(parts[2]), len(parts) > 3 and parts[3] == "urgent")
                (cat.problems if cat is not None else current_set).append(problem)
            elif kind == "U":
                cat.problems.extend(shared[rest.strip()])
            elif kind == "O":
                only = [int(i) for i in parts[3].split(",")] if len(parts) > 3 and parts[3] else None
                cat.objects.append(Obj(parts[0], parts[1], _words(parts[2]), only))
            elif kind == "T":
                cat.singles.append((parts[0], parts[1], _words(parts[2])))
            else:
                raise ValueError(f"unknown line kind {kind!r}")
        except (IndexError, KeyError, ValueError, AttributeError) as exc:
            raise SystemExit(f"source line {number}: {raw!r}: {exc}") from exc
    return domains


def join_name(obj: str, problem: str) -> str:
    """邻居装修 + 装修扰民 -> 邻居装修扰民, not 邻居装修装修扰民."""
    if len(problem) > 2 and obj.endswith(problem[:2]):
        return obj + problem[2:]
    return obj + problem


def initials(name: str) -> str:
    return "".join(p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER) if p).lower()


def search_initials(name: str, keywords: list[str]) -> str:
    """Pinyin initials of the name, then of each Chinese keyword: what "zy" (噪音) is matched against."""
    found = [initials(name)]
    found += [initials(k) for k in keywords if any("\u4e00" <= ch <= "\u9fff" for ch in k)]
    return ";".join(dict.fromkeys(i for i in found if i))


def _dedup(words: list[str]) -> list[str]:
    seen: list[str] = []
    for w in words:
        if w and w not in seen:
            seen.append(w)
    return seen


def build_rows(domains) -> list[dict]:
    rows: list[dict] = []
    for d_index, (d_zh, d_en, cats) in enumerate(domains, 1):
        d_code = f"{d_index:02d}"
        rows.append(dict(code=d_code, parent_code="", level=1, name_zh=d_zh, name_en=d_en, keywords=d_zh,
                         unit_kind="", accept_hours="", resolve_days="", subjects="", problems="",
                         initials=initials(d_zh)))
        for c_index, cat in enumerate(cats, 1):
            c_code = f"{d_code}.{c_index:02d}"
            rows.append(dict(code=c_code, parent_code=d_code, level=2, name_zh=cat.zh, name_en=cat.en,
                             keywords=cat.zh, unit_kind=cat.unit_kind, accept_hours=cat.accept_hours,
                             resolve_days=cat.resolve_days, subjects="", problems="", initials=initials(cat.zh)))
            t_index = 0
            leaves = []
            for obj in cat.objects:
                for p_index, problem in enumerate(cat.problems, 1):
                    if obj.only is not None and p_index not in obj.only:
                        continue
                    leaves.append((join_name(obj.zh, problem.zh), f"{obj.en[:1].upper()}{obj.en[1:]}: {problem.en}",
                                   obj.keywords, problem.keywords, obj.en, problem.urgent))
            for zh, en, words in cat.singles:
                leaves.append((zh, en, words, [], en, False))
            for zh, en, subjects, problems, subject_en, urgent in leaves:
                t_index += 1
                accept = 1 if urgent else cat.accept_hours
                resolve = min(cat.resolve_days, 3) if urgent else cat.resolve_days
                english = [w for w in subject_en.lower().replace("'", "").split() if len(w) > 2]
                keywords = _dedup([zh, *subjects, *problems, subject_en.lower(), *english])
                rows.append(dict(code=f"{c_code}.{t_index:03d}", parent_code=c_code, level=3, name_zh=zh,
                                 name_en=en, keywords=";".join(keywords), unit_kind=cat.unit_kind,
                                 accept_hours=accept, resolve_days=resolve, subjects=";".join(subjects),
                                 problems=";".join(problems), initials=search_initials(zh, keywords)))
    return rows


def main() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(HERE.glob("source_part*.txt")))
    rows = build_rows(parse(text))
    out = io.StringIO()
    out.write(f"# taxonomy_version: {VERSION}\n")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (HERE / "taxonomy.csv").write_text(out.getvalue(), encoding="utf-8")
    counts = [sum(1 for r in rows if r["level"] == level) for level in (1, 2, 3)]
    print(f"taxonomy {VERSION}: {counts[0]} domains, {counts[1]} categories, {counts[2]} types")


if __name__ == "__main__":
    main()
