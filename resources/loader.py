"""The one way to read shipped data files (taxonomy, gazetteer, calendar, rules) via importlib.resources."""

from __future__ import annotations

from importlib import resources as _resources
from pathlib import Path


def read_text(*parts: str) -> str:
    """The UTF-8 text of a shipped file, e.g. read_text("taxonomy", "taxonomy.csv")."""
    node = _resources.files("resources")
    for part in parts:
        node = node.joinpath(part)
    return node.read_text(encoding="utf-8")


def read_bytes(*parts: str) -> bytes:
    node = _resources.files("resources")
    for part in parts:
        node = node.joinpath(part)
    return node.read_bytes()


def exists(*parts: str) -> bool:
    node = _resources.files("resources")
    for part in parts:
        node = node.joinpath(part)
    return node.is_file()


def source_path(*parts: str) -> Path:
    """Where a shipped file lives in a source checkout (build scripts write there)."""
    return Path(__file__).resolve().parent.joinpath(*parts)
