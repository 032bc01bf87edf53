"""The category catalogue (domain > category > type): loading, search, and installing a city's own."""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from domain.home import hotline_home
from resources import loader

UNIT_KIND_SUB_DISTRICT = "sub_district"
UNIT_KIND_DISTRICT = "district"
CITY_DEPARTMENT_PREFIX = "city_department:"

CSV_COLUMNS = ["code", "parent_code", "level", "name_zh", "name_en", "keywords", "unit_kind",
               "accept_hours", "resolve_days", "subjects", "problems", "initials"]
_VERSION_LINE = re.compile(r"^#\s*(?:taxonomy_)?version\s*:\s*(\S.*?)\s*$", re.IGNORECASE)


class TaxonomyError(ValueError):
    """A catalogue that cannot be used; the message lists "line N: what is wrong" for each problem."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass
class Category:
    code: str
    parent_code: str | None
    level: int  # 1 domain, 2 category, 3 type (what a ticket is filed under)
    name_zh: str
    name_en: str
    keywords: list[str] = field(default_factory=list)
    unit_kind: str = ""  # sub_district | district | city_department:<dept code>
    accept_hours: int = 0
    resolve_days: int = 0
    # What a caller names (电梯) and what is wrong with it (困人): the demo-data generator builds
    # descriptions from them; empty for catalogues that do not split keywords this way.
    subjects: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    initials: list[str] = field(default_factory=list)  # pinyin initials of the name and keywords

    @property
    def is_leaf(self) -> bool:
        return self.level == 3

    @property
    def city_department(self) -> str | None:
        if self.unit_kind.startswith(CITY_DEPARTMENT_PREFIX):
            return self.unit_kind[len(CITY_DEPARTMENT_PREFIX):]
        return None


class Taxonomy:
    """One version of the catalogue, indexed for lookups and the operator's category search."""

    def __init__(self, version: str, categories: list[Category]):
        self.version = version
        self.categories = categories
        self._by_code = {c.code: c for c in categories}
        self._children: dict[str | None, list[Category]] = {}
        for c in categories:
            self._children.setdefault(c.parent_code or None, []).append(c)
        self._leaves = [c for c in categories if c.level == 3]
        self._search_rows = [
            (c, c.code.lower(), c.name_zh.lower(), c.name_en.lower(), [k.lower() for k in c.keywords], c.initials,
             re.findall(r"[a-z0-9']+", c.name_en.lower()),
             # Everything searchable in one string: most categories fail one `in` test and are skipped.
             "\x00".join([c.code, c.name_zh, c.name_en, *c.keywords, *c.initials, self._parent_names(c)]).lower(),
             self._parent_names(c).lower())
            for c in categories
        ]

    def _parent_names(self, category: Category) -> str:
        parent = self._by_code.get(category.parent_code) if category.parent_code else None
        return f"{parent.name_zh}\x00{parent.name_en}" if parent else ""

    def __len__(self) -> int:
        return len(self.categories)

    def get(self, code: str) -> Category | None:
        return self._by_code.get(code)

    def leaves(self) -> list[Category]:
        return list(self._leaves)

    def domains(self) -> list[Category]:
        return list(self._children.get(None, []))

    def children(self, code: str | None) -> list[Category]:
        return list(self._children.get(code or None, []))

    def path(self, code: str) -> list[Category]:
        """[domain, category, type] for a type (shorter for higher levels, empty if unknown)."""
        chain: list[Category] = []
        node = self._by_code.get(code)
        while node is not None and len(chain) < 3:
            chain.append(node)
            node = self._by_code.get(node.parent_code) if node.parent_code else None
        return list(reversed(chain))

    def domain_of(self, code: str) -> Category | None:
        chain = self.path(code)
        return chain[0] if chain else None

    def label(self, code: str, lang: str = "zh") -> str:
        """物业服务 > 物业公司服务不到位: a type with its category, for lists and tooltips."""
        chain = self.path(code)
        names = [c.name_en if lang == "en" else c.name_zh for c in chain[1:] or chain]
        return " > ".join(names)

    def search(self, query: str, limit: int = 20, leaves_only: bool = True) -> list[Category]:
        """Categories matching code, Chinese or English name, keyword or pinyin initials ("zy": 噪音)."""
        text = re.sub(r"\s+", " ", (query or "").strip().lower())
        if not text:
            return []
        compact = text.replace(" ", "")
        ranked: list[tuple[int, int, str, Category]] = []
        for cat, code, zh, en, keywords, initials, en_words, blob, parent in self._search_rows:
            if leaves_only and cat.level != 3:
                continue
            if compact not in blob and text not in blob:
                continue
            if code == compact:
                rank = 0
            elif code.startswith(compact):
                rank = 1
            elif zh.startswith(compact):
                rank = 2
            elif compact in zh:
                rank = 3
            elif any(k.startswith(text) for k in keywords):
                rank = 4
            elif compact.isascii() and compact.isalpha() and any(i.startswith(compact) for i in initials):
                rank = 5
            elif any(w.startswith(text) for w in en_words) or (" " in text and text in en):
                rank = 6
            elif any(text in k for k in keywords):
                rank = 7
            elif compact.isascii() and compact.isalpha() and len(compact) >= 2 and initials and compact in initials[0]:
                rank = 8
            elif len(text) >= 3 and text in en:
                rank = 9
            elif len(compact) >= 2 and (compact in parent or text in parent):
                rank = 10  # the category's name: list its types
            else:
                continue
            ranked.append((rank, len(cat.name_zh), cat.code, cat))
        ranked.sort(key=lambda item: item[:3])
        return [item[3] for item in ranked[:limit]]


# ---------------------------------------------------------------------------------------------
# Reading and writing the catalogue file format (the shipped one and installed ones share it).

def _split_words(cell) -> list[str]:
    if cell is None:
        return []
    if isinstance(cell, (list, tuple)):
        return [str(w).strip() for w in cell if str(w).strip()]
    return [w.strip() for w in re.split(r"[;|、，,/；]", str(cell)) if w.strip()]


def _int_or_zero(cell) -> int:
    try:
        return int(str(cell).strip()) if str(cell or "").strip() else 0
    except ValueError:
        return 0


def _parse_catalogue_csv(text: str) -> Taxonomy:
    """The stored format (already validated): fast, no checks."""
    version = ""
    lines = text.splitlines()
    body_start = 0
    for index, line in enumerate(lines):
        if not line.startswith("#"):
            body_start = index
            break
        match = _VERSION_LINE.match(line)
        if match:
            version = match.group(1)
    categories = []
    for row in csv.DictReader(lines[body_start:]):
        categories.append(Category(
            code=row["code"], parent_code=row["parent_code"] or None, level=int(row["level"]),
            name_zh=row["name_zh"], name_en=row["name_en"], keywords=_split_words(row["keywords"]),
            unit_kind=row["unit_kind"] or "", accept_hours=_int_or_zero(row["accept_hours"]),
            resolve_days=_int_or_zero(row["resolve_days"]), subjects=_split_words(row.get("subjects")),
            problems=_split_words(row.get("problems")), initials=_split_words(row.get("initials")),
        ))
    return Taxonomy(version or "unversioned", categories)


def _to_csv(taxonomy: Taxonomy) -> str:
    out = io.StringIO()
    out.write(f"# taxonomy_version: {taxonomy.version}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in taxonomy.categories:
        writer.writerow([c.code, c.parent_code or "", c.level, c.name_zh, c.name_en, ";".join(c.keywords),
                         c.unit_kind, c.accept_hours or "", c.resolve_days or "", ";".join(c.subjects),
                         ";".join(c.problems), ";".join(c.initials)])
    return out.getvalue()


def installed_catalogue_path() -> Path:
    return hotline_home() / "taxonomy" / "catalogue.csv"


_cache: dict[tuple, Taxonomy] = {}


def load_taxonomy() -> Taxonomy:
    """The active catalogue: the city's installed one under HOTLINE_HOME if any, else the shipped demo default."""
    path = installed_catalogue_path()
    try:
        stat = path.stat()
        key: tuple = (str(path), stat.st_mtime_ns, stat.st_size)
    except FileNotFoundError:
        key = ("shipped",)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    if key[0] == "shipped":
        taxonomy = _parse_catalogue_csv(loader.read_text("taxonomy", "taxonomy.csv"))
    else:
        taxonomy = _parse_catalogue_csv(path.read_text(encoding="utf-8"))
    if len(_cache) > 8:
        _cache.clear()
    _cache[key] = taxonomy
    return taxonomy


def load_shipped_taxonomy() -> Taxonomy:
    """The demo default in resources/, whatever is installed."""
    cached = _cache.get(("shipped",))
    if cached is None:
        cached = _cache[("shipped",)] = _parse_catalogue_csv(loader.read_text("taxonomy", "taxonomy.csv"))
    return cached


def install_catalogue(path: Path) -> Taxonomy:
    """Validate a city's catalogue (CSV or YAML) and make it the active one.

    Raises TaxonomyError listing every problem as "line N: ..."; then nothing is changed.
    """
    from domain.taxonomy_import import read_catalogue

    return _install(read_catalogue(Path(path)))


def parse_catalogue_text(text: str) -> Taxonomy:
    """A catalogue in the stored format that was validated before (the service's own copy): read without checks."""
    return _parse_catalogue_csv(text)


def catalogue_text(taxonomy: Taxonomy) -> str:
    """The catalogue in the stored CSV format (what is installed, kept by the service and sent to consoles)."""
    return _to_csv(taxonomy)


def install_catalogue_text(text: str) -> Taxonomy:
    """Validate a catalogue in the stored format (e.g. the service's, received through sync) and make it the
    active one; TaxonomyError as for install_catalogue, and nothing changed."""
    from domain.taxonomy_import import read_catalogue_text

    return _install(read_catalogue_text(text, "catalogue.csv"))


def _install(taxonomy: Taxonomy) -> Taxonomy:
    target = installed_catalogue_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write beside it and rename, so a crash never leaves half a catalogue active.
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".catalogue-", suffix=".csv")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(_to_csv(taxonomy))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return load_taxonomy()


def remove_installed_catalogue() -> None:
    """Go back to the shipped demo catalogue."""
    installed_catalogue_path().unlink(missing_ok=True)
