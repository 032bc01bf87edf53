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


@pytest.mark.parametrize("port", ["80000", "-1", "http"])
def test_a_port_out_of_range_is_one_clear_line(port, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main.build_parser().parse_args(["server", f"--port={port}"])
    assert exit_info.value.code == 2
    assert f"'{port}' is not a port: give a whole number from 1 to 65535" in capsys.readouterr().err
    assert main.build_parser().parse_args(["server", "--port", "0"]).port == 0  # any free port (tests use it)


@pytest.mark.parametrize("command", [["server"], ["console", "--server", "http://127.0.0.1:1"],
                                     ["apikey", "add", "k"]])
def test_a_hotline_home_that_cannot_be_a_folder_is_one_clear_line(tmp_path, monkeypatch, capsys, command):
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    for home, says in ((a_file, "is a file, not a folder"), (a_file / "below", "cannot be created")):
        monkeypatch.setenv("HOTLINE_HOME", str(home))
        assert main.main(command) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"hotline {command[0]}") and says in err and len(err.strip().splitlines()) == 1, err


def test_a_new_hotline_home_is_for_its_owner_only(tmp_path, monkeypatch):
    from domain.home import hotline_home

    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path / "new" / "home"))
    assert (hotline_home().stat().st_mode & 0o777) == 0o700


@pytest.mark.parametrize("url, says", [
    ("nonsense", "the database URL cannot be read"),
    ("postgresql://u:secret@h:notaport/db", "the database URL cannot be read"),
    ("mysql://u@h/db", "must be PostgreSQL"),
    ("postgresql://u@h/", "names no database"),
    ("postgresql+psycopg://postgres@127.0.0.1:1/test", "cannot be reached"),
])
def test_a_database_url_the_commands_cannot_use_is_one_clear_line(tmp_path, monkeypatch, capsys, url, says):
    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path))
    for command in (["apikey", "add", "k"], ["rank", "--month", "2026-01"], ["model", "list"]):
        assert main.main([*command, "--db", url]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"hotline {command[0]}") and says in err and len(err.strip().splitlines()) == 1, err
        assert "secret" not in err


def test_a_sqlite_path_that_is_no_database_or_cannot_be_created_is_one_clear_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path))
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("shopping list, not a database " * 200)
    below_a_file = not_a_database / "service.db"
    for path, says in ((not_a_database, "is not a SQLite database"), (below_a_file, "cannot be created")):
        assert main.main(["apikey", "add", "k", "--db", f"sqlite:///{path}"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("hotline apikey add: ") and says in err and len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("text, waits", [
    ('connection failed: connection to server at "10.0.0.9", port 5432 failed: FATAL:  password authentication '
     'failed for user "hotline"', False),
    ("connection failed: fe_sendauth: no password supplied", False),
    ("failed to resolve host 'db.example': [Errno -2] Name or service not known", False),
    ('connection failed: connection to server at "10.0.0.9", port 5432 failed: FATAL:  the database system is '
     'starting up', True),
    ('connection failed: connection to server at "10.0.0.9", port 5432 failed: timeout expired', True),
])
def test_which_database_problems_are_worth_waiting_for(text, waits):
    from server.db import database_problem

    message, may_pass = database_problem(Exception(text))
    assert may_pass is waits and len(message.splitlines()) == 1 and "FATAL" not in message
