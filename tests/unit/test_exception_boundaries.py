"""`except Exception` only where a thread or process must go on: each one logs the traceback or says why.

Everywhere else code catches the project's own errors (ValidationError, StorageError, SyncError, ModelError, ...)
or the library errors it expects (OSError, sqlite3.Error, httpx2 errors, DBAPIError), so a bug surfaces as a
traceback instead of status-bar text. A broad handler passes when it re-raises, logs with a traceback
(`log.exception(...)` or `exc_info=`), or has a comment on its `except` line naming it a boundary.
"""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = ("main.py", "console", "widgets", "storage", "server", "classifier", "domain")
BROAD = {"Exception", "BaseException"}


def _files():
    for entry in PRODUCTION:
        path = ROOT / entry
        yield from ([path] if path.is_file() else sorted(path.rglob("*.py")))


def _is_broad(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(n, ast.Name) and n.id in BROAD for n in names)


def _logs_traceback(handler: ast.ExceptHandler) -> bool:
    for node in ast.walk(handler):
        if isinstance(node, ast.Raise):
            return True
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and node.func.attr == "exception":
                return True
            if any(k.arg == "exc_info" for k in node.keywords):
                return True
    return False


def _comments(source: str) -> dict[int, str]:
    return {tok.start[0]: tok.string for tok in tokenize.generate_tokens(io.StringIO(source).readline)
            if tok.type == tokenize.COMMENT}


def broad_handlers():
    """(path:line, accepted) for every broad handler in production code."""
    for path in _files():
        source = path.read_text(encoding="utf-8")
        comments = _comments(source)
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ExceptHandler) and _is_broad(node):
                ok = _logs_traceback(node) or "boundary" in comments.get(node.lineno, "").lower()
                yield f"{path.relative_to(ROOT)}:{node.lineno}", ok


def test_every_broad_handler_logs_its_traceback_or_is_a_named_boundary():
    silent = [site for site, ok in broad_handlers() if not ok]
    assert silent == [], ("catch the expected error instead, log the traceback, or say on the except line why "
                          "this is a boundary:\n" + "\n".join(silent))


def test_the_scan_sees_each_form():
    source = '''
try: pass
except Exception: pass
try: pass
except (ValueError, BaseException) as exc: log.warning("x", exc_info=True)
try: pass
except Exception:  # boundary: the thread must go on
    pass
try: pass
except OSError: pass
'''
    tree = ast.parse(source)
    comments = _comments(source)
    found = [(n.lineno, _logs_traceback(n) or "boundary" in comments.get(n.lineno, ""))
             for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler) and _is_broad(n)]
    assert found == [(3, False), (5, True), (7, True)]
