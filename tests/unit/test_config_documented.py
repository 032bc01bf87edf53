"""Every HOTLINE_* variable is read in domain/config.py only, and documented where people look for it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from domain import config

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = ("main.py", "console", "widgets", "storage", "server", "classifier", "domain", "bench")
NAME = re.compile(r"\bHOTLINE_[A-Z0-9_]*[A-Z0-9]\b")


def _production_files():
    for entry in PRODUCTION:
        path = ROOT / entry
        yield from ([path] if path.is_file() else sorted(path.rglob("*.py")))


def _environ_reads(tree: ast.AST):
    """(line, key node) of os.environ.get(k) / os.getenv(k) / os.environ[k] read / environ.get(k)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.func, ast.Attribute):
            func = ast.unparse(node.func)
            if func in ("os.environ.get", "os.getenv", "environ.get", "os.environ.setdefault"):
                yield node.lineno, node.args[0]
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            if ast.unparse(node.value) in ("os.environ", "environ"):
                yield node.lineno, node.slice


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start:] if end < 0 else text[start:end]


def test_hotline_variables_are_read_only_through_the_config_module():
    offenders = []
    for path in _production_files():
        if path == ROOT / "domain" / "config.py" or path.is_relative_to(ROOT / "bench"):
            continue  # the benchmarks set up environments for the processes they start
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, key in _environ_reads(tree):
            literal = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
            if literal is None or literal.startswith("HOTLINE_"):
                # a computed key may be a HOTLINE_ name; only a literal other name (QT_..., WAYLAND_...) is clear
                offenders.append(f"{path.relative_to(ROOT)}:{line} reads os.environ[{ast.unparse(key)}]")
    assert offenders == [], "read these through domain/config.py:\n" + "\n".join(offenders)


def test_every_hotline_name_in_the_code_is_a_declared_variable():
    """A name in a message or docstring that config does not declare is a variable someone forgot to add."""
    unknown = {}
    for path in _production_files():
        for name in NAME.findall(path.read_text(encoding="utf-8")):
            if name not in config.VARIABLES:
                unknown.setdefault(name, str(path.relative_to(ROOT)))
    assert unknown == {}


def test_every_variable_has_a_description_and_a_typed_default():
    for variable in config.VARIABLES.values():
        assert variable.description and "\n" not in variable.description, variable.name
        assert variable.default is None or isinstance(variable.default, variable.kind), variable.name


def test_every_variable_is_in_docs_configuration():
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert sorted(set(config.VARIABLES) - set(NAME.findall(text))) == []


def test_every_variable_is_in_the_readme_configuration_table():
    """The README's table is where people look first (the full list with types is in docs/configuration.md)."""
    readme = _section((ROOT / "README.md").read_text(encoding="utf-8"), "## Configuration")
    assert sorted(set(config.VARIABLES) - set(NAME.findall(readme))) == []


def test_a_bad_value_falls_back_to_the_default_with_a_warning(monkeypatch, caplog):
    monkeypatch.setenv("HOTLINE_PUSH_CONCURRENCY", "lots")
    monkeypatch.setenv("HOTLINE_MODEL_KEEPER", "OFF")
    monkeypatch.setenv("HOTLINE_DB_WAIT_S", " 2.5 ")
    assert config.PUSH_CONCURRENCY.get() == 4
    assert "HOTLINE_PUSH_CONCURRENCY='lots'" in caplog.text
    assert config.MODEL_KEEPER.get() is False
    assert config.DB_WAIT_S.get() == 2.5


def test_the_hotline_zone(monkeypatch, caplog):
    monkeypatch.setenv("HOTLINE_TZ", "Europe/Paris")
    assert str(config.hotline_zone()) == "Europe/Paris"
    monkeypatch.setenv("HOTLINE_TZ", "Mars/Olympus")
    assert str(config.hotline_zone()) == "Asia/Shanghai"
    assert "Mars/Olympus" in caplog.text
