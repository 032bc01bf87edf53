"""Reading and validating a city's own category catalogue (CSV or YAML) before it is installed."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import yaml

from domain.taxonomy import (
    _VERSION_LINE,
    CITY_DEPARTMENT_PREFIX,
    UNIT_KIND_DISTRICT,
    UNIT_KIND_SUB_DISTRICT,
    Category,
    Taxonomy,
    TaxonomyError,
    _split_words,
)

REQUIRED = ("code", "name_zh", "name_en")
KNOWN = {"code", "parent", "parent_code", "level", "name_zh", "name_en", "keywords", "unit_kind", "accept_hours",
         "resolve_days", "subjects", "problems", "initials", "version"}
MAX_LISTED = 60
MAX_VERSION_CHARS = 64  # the service keeps the version in a 64-character column
_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._\-]{0,39}$")


def read_catalogue(path: Path) -> Taxonomy:
    """The validated catalogue in `path`, or TaxonomyError listing every problem with its line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TaxonomyError(f"Cannot read {path}: {exc.strerror or exc}. Check the file name and try again.") from exc
    return read_catalogue_bytes(data, path.name)


def read_catalogue_text(text: str, name: str = "catalogue.csv") -> Taxonomy:
    """The same checks for a catalogue held as text (`name` says CSV or YAML by its ending)."""
    return read_catalogue_bytes(text.encode("utf-8"), name)


def read_catalogue_bytes(data: bytes, name: str) -> Taxonomy:
    path = Path(name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TaxonomyError(f"The catalogue was not installed.\nline {line}: the file is not UTF-8 text; "
                            "save it as UTF-8 (CSV UTF-8 in a spreadsheet) and import it again.",
                            [f"line {line}: not UTF-8 text"]) from exc
    suffix = path.suffix.lower()
    if suffix == ".csv":
        version, records, problems = _read_csv(text)
    elif suffix in (".yaml", ".yml"):
        version, records, problems = _read_yaml(text)
    else:
        raise TaxonomyError(f"{path.name}: import a .csv or .yaml file (this one ends in '{suffix or 'nothing'}').")
    if not version:
        version = f"{path.stem}-{hashlib.sha256(data).hexdigest()[:8]}"
    if len(version) > MAX_VERSION_CHARS:
        problems.append(f"line 1: the version '{version[:20]}...' is longer than {MAX_VERSION_CHARS} characters")
    # A file that could not be read as records says so once, not also "no categories".
    categories, more = _validate(records) if records or not problems else ([], [])
    problems += more
    if problems:
        shown = problems[:MAX_LISTED]
        if len(problems) > MAX_LISTED:
            shown.append(f"... and {len(problems) - MAX_LISTED} more problems")
        raise TaxonomyError(
            "The catalogue was not installed (the one in use is unchanged). Fix these lines and import it again:\n"
            + "\n".join(shown), problems)
    return Taxonomy(version, categories)


def _read_csv(text: str) -> tuple[str, list[tuple[int, dict]], list[str]]:
    version = ""
    lines = text.splitlines()
    # Comment lines stay in the stream as blank ones so line numbers match the file.
    body = []
    for line in lines:
        if line.startswith("#"):
            match = _VERSION_LINE.match(line)
            if match:
                version = match.group(1)
            body.append("")
        else:
            body.append(line)
    reader = csv.reader(body)
    header: list[str] | None = None
    header_line = 0
    records: list[tuple[int, dict]] = []
    problems: list[str] = []
    previous_end = 0
    for row in reader:
        start = previous_end + 1
        previous_end = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        # A record that spans lines (quoted newline) starts after the blank/comment lines before it.
        while start <= len(body) and not body[start - 1].strip():
            start += 1
        if header is None:
            header = [h.strip().lower() for h in row]
            header_line = start
            missing = [c for c in REQUIRED if c not in header]
            if "parent" not in header and "parent_code" not in header:
                missing.append("parent")
            if missing:
                problems.append(f"line {start}: the header lacks column(s) {', '.join(missing)} "
                                f"(the first row must name the columns: code, parent, name_zh, name_en, keywords, "
                                f"unit_kind, accept_hours, resolve_days)")
                return version, [], problems
            unknown = [h for h in header if h and h not in KNOWN]
            if unknown:
                problems.append(f"line {start}: unknown column(s) {', '.join(unknown)}")
            continue
        if len(row) > len(header):
            problems.append(f"line {start}: {len(row)} values but the header names {len(header)} columns "
                            "(a comma inside a value needs quotes)")
            continue
        record = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        if record.get("version") and not version:
            version = record["version"]
        records.append((start, record))
    if header is None:
        problems.append(f"line {max(header_line, 1)}: the file is empty; it needs a header and one row per category")
    return version, records, problems


def _read_yaml(text: str) -> tuple[str, list[tuple[int, dict]], list[str]]:
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return "", [], [f"line {line}: not valid YAML ({getattr(exc, 'problem', None) or exc})"]
    finally:
        loader.dispose()
    if root is None:
        return "", [], ["line 1: the file is empty; it needs a list of categories"]
    version = ""
    items_node = root
    if isinstance(root, yaml.MappingNode):
        items_node = None
        for key_node, value_node in root.value:
            if key_node.value in ("version", "taxonomy_version"):
                version = str(value_node.value)
            elif key_node.value in ("categories", "types", "catalogue"):
                items_node = value_node
        if items_node is None:
            return version, [], [f"line {root.start_mark.line + 1}: put the categories in a list under 'categories:'"]
    if not isinstance(items_node, yaml.SequenceNode):
        return version, [], [f"line {items_node.start_mark.line + 1}: expected a list of categories (lines starting with '- ')"]
    records: list[tuple[int, dict]] = []
    problems: list[str] = []
    constructor = yaml.SafeLoader("")
    for item in items_node.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            problems.append(f"line {line}: each category needs fields like 'code: 01.02.003', not a single value")
            continue
        try:
            value = constructor.construct_document(item)
        except yaml.YAMLError as exc:
            problems.append(f"line {line}: {exc}")
            continue
        record = {str(k).strip().lower(): v for k, v in value.items()}
        for key in record:
            if key not in KNOWN:
                problems.append(f"line {line}: unknown field '{key}'")
        records.append((line, record))
    return version, records, problems


def _text(value) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _validate(records: list[tuple[int, dict]]) -> tuple[list[Category], list[str]]:
    from domain.units import city_departments

    departments = city_departments()
    problems: list[str] = []
    first_line: dict[str, int] = {}
    rows: list[tuple[int, dict]] = []
    for line, record in records:
        code = _text(record.get("code"))
        if not code:
            problems.append(f"line {line}: the code is empty")
            continue
        if not _CODE.match(code):
            problems.append(f"line {line}: code '{code}' may only use letters, digits, '.', '-' and '_' (at most 40)")
            continue
        if code in first_line:
            problems.append(f"line {line}: code {code} is already used on line {first_line[code]}")
            continue
        first_line[code] = line
        rows.append((line, record))
    if not rows and not problems:
        problems.append("line 1: the catalogue has no categories")
    parent_of = {_text(r.get("code")): _text(r.get("parent_code", r.get("parent"))) for _, r in rows}
    children: dict[str, int] = {}
    for code, parent in parent_of.items():
        if parent:
            children[parent] = children.get(parent, 0) + 1

    def depth(code: str) -> int | None:
        seen = set()
        level = 0
        while code:
            if code in seen or code not in parent_of:
                return None
            seen.add(code)
            level += 1
            code = parent_of[code]
        return level

    categories: list[Category] = []
    leaves = 0
    for line, record in rows:
        code = _text(record.get("code"))
        parent = parent_of[code]
        before = len(problems)
        if parent and parent not in parent_of:
            problems.append(f"line {line}: parent {parent} of {code} is not in the file")
        if parent == code:
            problems.append(f"line {line}: {code} cannot be its own parent")
        level = depth(code) if parent in parent_of or not parent else None
        if level is None and not (parent and parent not in parent_of):
            problems.append(f"line {line}: {code} is part of a loop of parents")
        stated = _text(record.get("level"))
        if level is not None:
            if stated and stated != str(level):
                problems.append(f"line {line}: {code} says level {stated} but its parents make it level {level}")
            if level > 3:
                problems.append(f"line {line}: {code} is level {level}; the catalogue has three levels "
                                "(domain, category, type)")
            elif level < 3 and not children.get(code):
                problems.append(f"line {line}: {code} is a level-{level} {('domain', 'category')[level - 1]} "
                                "with nothing under it; every branch must end in level-3 types")
            elif level == 3 and children.get(code):
                problems.append(f"line {line}: {code} is a level-3 type and cannot have categories under it")
        name_zh, name_en = _text(record.get("name_zh")), _text(record.get("name_en"))
        if not name_zh:
            problems.append(f"line {line}: {code} has no Chinese name (name_zh)")
        if not name_en:
            problems.append(f"line {line}: {code} has no English name (name_en)")
        unit_kind = _text(record.get("unit_kind"))
        is_leaf = level == 3
        if unit_kind or is_leaf:
            if not unit_kind:
                problems.append(f"line {line}: type {code} needs a unit_kind (sub_district, district or "
                                "city_department:<code>)")
            elif unit_kind.startswith(CITY_DEPARTMENT_PREFIX):
                department = unit_kind[len(CITY_DEPARTMENT_PREFIX):]
                if department not in departments:
                    problems.append(f"line {line}: unit kind {unit_kind} names no known city department "
                                    f"(known: {', '.join(sorted(departments))})")
            elif unit_kind not in (UNIT_KIND_SUB_DISTRICT, UNIT_KIND_DISTRICT):
                problems.append(f"line {line}: unit kind '{unit_kind}' is not one of sub_district, district, "
                                "city_department:<code>")
        limits = {}
        for name, label in (("accept_hours", "hours to accept"), ("resolve_days", "working days to resolve")):
            raw = _text(record.get(name))
            if not raw:
                if is_leaf:
                    problems.append(f"line {line}: type {code} needs {name} ({label})")
                limits[name] = 0
                continue
            try:
                value = int(float(raw)) if re.fullmatch(r"\d+(\.0+)?", raw) else int(raw)
            except ValueError:
                problems.append(f"line {line}: {name} '{raw}' is not a whole number")
                continue
            if value <= 0 or value > (720 if name == "accept_hours" else 365):
                problems.append(f"line {line}: {name} {value} is out of range "
                                f"({'1-720' if name == 'accept_hours' else '1-365'})")
            limits[name] = value
        if len(problems) > before:
            continue
        keywords = _split_words(record.get("keywords"))
        if is_leaf:
            leaves += 1
        categories.append(Category(
            code=code, parent_code=parent or None, level=level or 0, name_zh=name_zh, name_en=name_en,
            keywords=keywords, unit_kind=unit_kind, accept_hours=limits.get("accept_hours", 0),
            resolve_days=limits.get("resolve_days", 0), subjects=_split_words(record.get("subjects")),
            problems=_split_words(record.get("problems")),
            initials=_initials(name_zh, keywords),
        ))
    if rows and not leaves and not problems:
        problems.append("line 1: the catalogue has no level-3 types to file tickets under")
    return categories, problems


def _initials(name: str, keywords: list[str]) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    def one(text: str) -> str:
        return "".join(p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER) if p).lower()

    found = [one(name)] + [one(k) for k in keywords if any("\u4e00" <= ch <= "\u9fff" for ch in k)]
    return list(dict.fromkeys(i for i in found if i))
