"""The hotline command line: options given before or after the subcommand, and clear refusals."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

import main

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], input=stdin, capture_output=True,
                          text=True, timeout=120, cwd=ROOT)


@pytest.mark.parametrize("before", [True, False])
def test_db_given_before_or_after_the_subcommand_is_the_one_used(tmp_path, before):
    from server.accounts import find_user
    from server.db import write_tx
    from server.migrate import migrate

    url = f"sqlite:///{tmp_path / 'chosen.db'}"
    args = ["--db", url, "user", "add", "wang", "--role", "operator"] if before else \
        ["user", "add", "wang", "--role", "operator", "--db", url]
    result = _run(*args, stdin="a-long-password\n")
    assert result.returncode == 0, result.stderr
    with write_tx(migrate(url)) as conn:
        assert find_user(conn, "wang") is not None


def test_server_port_defaults_and_top_level_port_counts():
    parser = main.build_parser()
    assert parser.parse_args(["server"]).port is None  # serve() then listens on 8345
    assert parser.parse_args(["--port", "9000", "server"]).port == 9000
    assert parser.parse_args(["server", "--port", "9001"]).port == 9001


def test_demo_data_refuses_a_count_below_one(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main.main(["demo-data", "--tickets", "0", "--out", str(tmp_path / "x.csv")])
    assert exit_info.value.code == 2
    assert "1 or more" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_demo_data_writes_labeled_rows(tmp_path):
    out = tmp_path / "demo.csv"
    assert main.main(["demo-data", "--tickets", "25", "--out", str(out)]) == 0
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 25 and all(r["description"] and r["category_code"] for r in rows)
