"""domain, storage and classifier import and work with PySide6 unavailable."""

import subprocess
import sys

BLOCK_QT = """
import sys
class _BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6'):
            raise ImportError('Qt is blocked in this test: ' + name)
        return None
sys.meta_path.insert(0, _BlockQt())
import pkgutil, importlib
for package in ('domain', 'storage', 'classifier', 'server'):
    module = importlib.import_module(package)
    for info in pkgutil.walk_packages(module.__path__, package + '.'):
        # Alembic's env and revision scripts run only inside a migration, not on import.
        if '.migrations' in info.name:
            continue
        importlib.import_module(info.name)
print('imported without Qt')
"""


def test_core_packages_import_without_qt():
    result = subprocess.run([sys.executable, "-c", BLOCK_QT], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "imported without Qt" in result.stdout
