"""A suggestion model published on the service reaches the console through sync and loads there."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ACCOUNTS
from tests.e2e.harness import ServerProcess, add_users, make_console
from tests.support import wait_until

pytestmark = pytest.mark.timeout(180)


def test_a_published_model_is_downloaded_installed_and_loads(sqlite_url, tmp_path):
    from classifier.suggester import Suggester
    from classifier.training import train_csv
    from domain.demo_data import write_csv
    from server.db import make_engine
    from server.model_store import publish_model_dir

    server = ServerProcess(sqlite_url, tmp_path / "server-home").start()
    add_users(sqlite_url, ACCOUNTS)
    arrived: list = []
    op1 = make_console(tmp_path, server.url, "op1", "operator", live=False, on_model=arrived.append,
                       model_root=tmp_path / "console-models")
    try:
        assert op1.engine.check_model() is None  # nothing published yet: not an error

        write_csv(tmp_path / "calls.csv", 1200)
        summary = train_csv(tmp_path / "calls.csv", "description", "category_code", tmp_path / "trained")
        db = make_engine(sqlite_url)
        published = publish_model_dir(db, tmp_path / "trained", "admin")
        db.dispose()
        assert published["version"] == summary["version"]

        op1.start()
        wait_until(lambda: arrived, timeout=60, message="the console never fetched the published model")
        model_dir = arrived[0]
        assert model_dir.is_dir() and (tmp_path / "console-models") in model_dir.parents
        assert op1.engine.state.model_version == published["version"]
        suggestions = Suggester.load(model_dir).suggest("小区楼下广场舞噪音扰民", k=5)
        assert len(suggestions) == 5 and all(0.0 <= s.score <= 1.0 for s in suggestions)
        assert op1.engine.check_model() is None  # the same version is not fetched again
    finally:
        op1.stop()
        op1.engine.close()
        server.kill()
